#!/usr/bin/env bash
# Runs two or more commands in turn, N times each (the order rotated every round), and prints
# each one's wall times (best, median) and its CPU time (user + system, best and median, from
# the kernel's accounting of the process and its children), then the ratios of the first two
# commands' medians and bests (the runs least disturbed by other work). Alternating spreads the machine's slow spells over all commands, which back-to-back
# blocks of runs (hyperfine's order) do not on a shared VM; CPU time varies less than wall time
# when other work competes for the CPUs, so it tells a change in work from a change in load.
# Usage: bench/alternate.sh N 'command A' 'command B' ['command C'...]
set -euo pipefail
[ $# -ge 3 ] || { echo "usage: $0 N 'command A' 'command B' ['command C'...]" >&2; exit 2; }
python3 - "$@" <<'PY'
import os, statistics, subprocess, sys, time
n, cmds = int(sys.argv[1]), sys.argv[2:]
runs = {c: [] for c in cmds}
for i in range(n):
    for c in cmds[i % len(cmds):] + cmds[:i % len(cmds)]:
        t = time.perf_counter()
        p = subprocess.Popen(c, shell=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t
        if status != 0:
            sys.exit(f"alternate.sh: exit status {os.waitstatus_to_exitcode(status)}: {c}")
        runs[c].append((wall, usage.ru_utime + usage.ru_stime))
for c in cmds:
    wall = sorted(r[0] for r in runs[c]); cpu = sorted(r[1] for r in runs[c])
    print(f"{statistics.median(wall):7.3f} s median, {wall[0]:7.3f} s best, {wall[-1]:7.3f} s worst;"
          f" CPU {statistics.median(cpu):6.2f} s median, {cpu[0]:6.2f} s best  {c}")
ma, mb = (statistics.median(r[0] for r in runs[c]) for c in cmds[:2])
print(f"median ratio (B / A): {mb / ma:.2f}")
ba, bb = (min(r[0] for r in runs[c]) for c in cmds[:2])
print(f"best ratio (B / A): {bb / ba:.3f}")
print(f"load average after: {' '.join(open('/proc/loadavg').read().split()[:3])}")
PY
