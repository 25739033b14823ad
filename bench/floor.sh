#!/usr/bin/env bash
# The floor under any capture reader on this machine (docs/performance.md, "The floor"):
# hyperfine runs, on the same capture as bench/run.sh,
#   read_floor  read(2) of the whole file into one 1 MiB buffer (the kernel's copy only),
#   walk_floor  mmap and a walk over every record reading two header bytes of each frame,
#   walk_parallel_floor  the same walk split over 1 and 2 threads with software prefetch,
#   tcpdump -r FILE -w /dev/null, the reference of flat's whole-process target.
# Usage: bench/floor.sh [CAPTURE]   (default: the capture bench/run.sh generates)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
capture="${1:-${WORK:-/tmp}/flat-bench-${PACKETS:-10000000}.pcap}"
[ -s "$capture" ] || { echo "floor.sh: $capture not found (run bench/run.sh first, or name a capture)" >&2; exit 1; }
bin="$(mktemp -d)"
trap 'rm -rf "$bin"' EXIT
for prog in read_floor walk_floor walk_parallel_floor; do
  cc -O2 -pthread -Wall -Werror -o "$bin/$prog" "$root/bench/floor/$prog.c"
done
cat "$capture" >/dev/null   # page cache, as for bench/run.sh
hyperfine -N --warmup 1 --runs "${RUNS:-5}" \
  -n read_floor "$bin/read_floor $capture" \
  -n walk_floor "$bin/walk_floor $capture" \
  -n "walk_parallel_floor, 1 thread" "$bin/walk_parallel_floor $capture 1" \
  -n "walk_parallel_floor, 2 threads" "$bin/walk_parallel_floor $capture 2" \
  -n "tcpdump -r" "tcpdump -r $capture -w /dev/null"
