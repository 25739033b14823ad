#!/usr/bin/env bash
# Runs two commands alternately, N times each, and prints each one's wall times (best, median)
# and the ratios of the medians and of the bests (the runs least disturbed by other work). Alternating spreads the machine's slow spells over both
# commands, which back-to-back blocks of runs (hyperfine's order) do not on a shared VM.
# Usage: bench/alternate.sh N 'command A' 'command B'
set -euo pipefail
n="$1"; a="$2"; b="$3"
python3 - "$n" "$a" "$b" <<'PY'
import statistics, subprocess, sys, time
n, cmds = int(sys.argv[1]), sys.argv[2:4]
times = {c: [] for c in cmds}
for i in range(n):
    for c in (cmds if i % 2 == 0 else cmds[::-1]):
        t = time.perf_counter()
        subprocess.run(c, shell=True, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times[c].append(time.perf_counter() - t)
for c in cmds:
    t = sorted(times[c])
    print(f"{statistics.median(t):7.3f} s median, {t[0]:7.3f} s best, {t[-1]:7.3f} s worst  {c}")
ma, mb = (statistics.median(times[c]) for c in cmds)
print(f"median ratio (B / A): {mb / ma:.2f}")
ba, bb = (min(times[c]) for c in cmds)
print(f"best ratio (B / A): {bb / ba:.3f}")
PY
