#!/usr/bin/env bash
# Measures the live eBPF probe (docs/performance.md, "Live probe"); needs root (or CAP_BPF +
# CAP_NET_ADMIN + CAP_SYS_ADMIN for the namespaces and BPF_ENABLE_STATS):
#   1. dev.flat.bpf.ProbeCostBenchmark: kernel ns per packet from the kernel's BPF run-time stats
#      for relevant (UDP) and irrelevant (TCP data/ACK) floods on a veth in a namespace it
#      creates, then events lost under a flood with a small ring (paused and running consumer)
#      and the default ring, checking that every loss is counted;
#   2. dev.flat.bpf.RingDrainBenchmark: how fast user space drains the ring.
# Needs: java 17, maven, socat, nft, ip (apt-get install socat nftables iproute2).
# Environment: PACKETS (per cost flood, default 200000), LOSS_PACKETS (per loss flood, default
#   20000), FLAT_TARGET (Maven output folder, default target-probecost), PROBE_OBJECT (a
#   variant flat.bpf.o to measure instead of the committed one: it goes first on the class path
#   at the resource path the loader reads, dev/flat/bpf/flat.bpf.o).
# Cleanup: the benchmark deletes its namespace on every exit it sees (normal, exception,
# SIGINT/SIGTERM); this script's trap covers the rest (SIGKILL of the JVM). The run-time stats
# are enabled through a file descriptor the kernel drops when the JVM exits, however it exits,
# so the kernel.bpf_stats_enabled sysctl is never touched.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

target="${FLAT_TARGET:-target-probecost}"
packets="${PACKETS:-200000}"
loss_packets="${LOSS_PACKETS:-20000}"

[ "$(id -u)" = 0 ] || { echo "probe-cost.sh: run as root (it creates namespaces and loads BPF programs)" >&2; exit 1; }
for tool in java mvn socat nft ip; do
  command -v "$tool" >/dev/null || { echo "probe-cost.sh: $tool not found (see the header of this script)" >&2; exit 1; }
done

echo "== machine"
echo "$(nproc) CPUs: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'); kernel $(uname -r); $(java -version 2>&1 | head -1)"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine skews every figure below)"

echo "== build ($target)"
classpath_file="$(mktemp)"
variant_dir="$(mktemp -d)"
pid=
cleanup() {
  rm -rf "$classpath_file" "$variant_dir"
  if [ -n "$pid" ]; then
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    # VethLab names its namespace flatb<pid mod 10000>n<k> and its veth fb<...>h<k>.
    for ns in $(ip netns list | awk '{print $1}' | grep -E "^flatb$((pid % 10000))n[0-9]+$" || true); do
      for p in $(ip netns pids "$ns"); do kill "$p" 2>/dev/null || true; done
      ip netns del "$ns" 2>/dev/null || true
    done
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
# test-compile and build-classpath in one reactor run: core/replay resolve to their fresh classes.
mvn -q -o -Dflat.target="$target" -pl bpf -am test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="$classpath_file"
cp="bpf/$target/test-classes:bpf/$target/classes:$(cat "$classpath_file")"
if [ -n "${PROBE_OBJECT:-}" ]; then
  mkdir -p "$variant_dir/dev/flat/bpf"
  cp "$PROBE_OBJECT" "$variant_dir/dev/flat/bpf/flat.bpf.o"
  cp="$variant_dir:$cp"
  echo "probe object: $PROBE_OBJECT (sha256 $(sha256sum "$PROBE_OBJECT" | cut -c1-16))"
else
  echo "probe object: bpf/flat.bpf.o (sha256 $(sha256sum bpf/flat.bpf.o | cut -c1-16))"
fi

run() {
  java -cp "$cp" -Dflat.bench.packets="$packets" -Dflat.bench.lossPackets="$loss_packets" "$@" &
  pid=$!
  wait "$pid"
  pid=
}

echo "== probe cost: kernel time per packet, ring losses"
run dev.flat.bpf.ProbeCostBenchmark
echo "== ring drain (BPF_PROG_TEST_RUN fills the ring)"
run dev.flat.bpf.RingDrainBenchmark
