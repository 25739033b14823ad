#!/usr/bin/env bash
# Profiles one whole `./flat analyze` of the benchmark capture with async-profiler and writes a
# flame graph (self-contained HTML, one tower per thread) of where its CPU time goes: the
# reader thread, the consuming thread (parser, matcher, summary, report writer), the JIT
# compilers and the collector, native and kernel frames included (docs/performance.md,
# finding 35). async-profiler comes from Maven Central (tools.profiler:async-profiler, the
# linux-x64 jar holds its agent); it samples with perf_events, so the machine must allow them
# (root, or kernel.perf_event_paranoid <= 1).
# Usage: bench/profile.sh [FORMAT] [OUT]   FORMAT: flat's report format, csv (default) or html;
#   OUT: the flame graph, $WORK/flat-profile-FORMAT.html by default; a name ending in .collapsed
#   gets the same samples as collapsed stacks instead (one line per stack and its count: grep,
#   sort and sum them per thread or frame: finding 35's breakdown was made so).
# Environment: PACKETS (default 10000000), WORK (default /tmp): the capture is the one bench/run.sh
#   writes ($WORK/flat-bench-$PACKETS.pcap), generated here when missing; INTERVAL (sampling
#   period in ns of CPU time, default 1000000: 1 kHz per thread).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

format="${1:-csv}"
work="${WORK:-/tmp}"
packets="${PACKETS:-10000000}"
out="${2:-$work/flat-profile-$format.html}"
capture="$work/flat-bench-$packets.pcap"
profiler_version=4.2
profiler="$root/bench/target/async-profiler-$profiler_version"

case "$format" in csv|html) ;; *) echo "profile.sh: FORMAT is csv or html, not $format" >&2; exit 2 ;; esac
for tool in java mvn unzip; do
  command -v "$tool" >/dev/null || { echo "profile.sh: $tool not found" >&2; exit 1; }
done

mvn -q -DskipTests package -pl cli,bench -am
if [ ! -f "$profiler/libasyncProfiler.so" ]; then
  mvn -q -N dependency:copy -Dartifact="tools.profiler:async-profiler:$profiler_version:jar:linux-x64" \
    -DoutputDirectory="$profiler"
  unzip -q -o -j "$profiler/async-profiler-$profiler_version-linux-x64.jar" \
    'linux-x64/libasyncProfiler.so' -d "$profiler"
fi
if [ ! -s "$capture" ]; then
  java -cp "$root/bench/target/benchmarks.jar" dev.flat.bench.WorkloadGenerator \
    --packets "$packets" --seed 1 --out "$capture"
fi
cat "$capture" >/dev/null   # page cache, as in bench/run.sh
./flat --version >/dev/null # the launcher's one-off work (build, class archive or AOT cache) before the profile

# cpu: perf_events' CPU clock, so kernel frames (the copy out of the page cache, page faults)
# show; threads: a tower per thread; the agent starts with the JVM, so start-up and the JIT's
# work are in the graph as they are in the wall time bench/run.sh measures.
agent="$profiler/libasyncProfiler.so=start,event=cpu,interval=${INTERVAL:-1000000},threads,file=$out"
JAVA_TOOL_OPTIONS="-agentpath:$agent" \
  ./flat analyze --no-progress --format "$format" -o /dev/null "$capture" 2> >(grep -v '^Picked up JAVA_TOOL_OPTIONS' >&2)
echo "profile: $out ($(du -k "$out" | cut -f1) KiB)"
