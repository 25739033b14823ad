#!/usr/bin/env bash
# Records testdata/encap/vlan-live.pcap, qinq-live.pcap and mpls-live.pcap: real traffic between
# two network namespaces joined by a bridge in a third, the endpoints' veths tagging (802.1Q,
# QinQ) or labelling (MPLS, two labels) every frame on the way out and removing it on the way in
# with the tc/XDP programs of tag.bpf.c, captured by tcpdump on the bridge port facing the client.
# This kernel has no 8021q, VLAN-filtering bridge, MPLS forwarding or tc vlan/mpls actions, which
# the usual `ip link add ... type vlan` recording needs; the programs stand in for them.
#
# Usage (root):  testdata/encap/record-tagged.sh [OUTPUT_DIR]  (default: this script's directory)
# Needs:         iproute2 (tc and ip with libbpf), clang, libbpf-dev, iputils-ping, socat, tcpdump
# Traffic:       per file, 2 pings over IPv4 and 2 over IPv6, a TCP handshake to a listening
#                port and a SYN to a closed port (RST) over each family. Neighbour caches are
#                filled before the capture starts. MLD and router solicitations may show.
# What it leaves behind: only the captures. Namespaces (flk-tag-*), programs and processes go on
# every exit, also on failure.
set -euo pipefail

readonly CLI_NS=flk-tag-cli SRV_NS=flk-tag-srv MID_NS=flk-tag-mid
readonly CLI_IF=flk-tgc SRV_IF=flk-tgs MID_CLI_IF=flk-tgm1 MID_SRV_IF=flk-tgm2
readonly CLI_V4=10.79.0.1 SRV_V4=10.79.0.2 CLI_V6=fd79::1 SRV_V6=fd79::2
readonly OPEN_PORT=8080 CLOSED_PORT=9999

[ "$(id -u)" = 0 ] || { echo "record-tagged.sh: must run as root (network namespaces)" >&2; exit 1; }
mkdir -p "${1:-$(dirname "$0")}"
out_dir=$(cd "${1:-$(dirname "$0")}" && pwd)
src_dir=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d /tmp/flk-tag.XXXXXX)
pids=()

delete_namespaces() {
    local ns
    for ns in "$CLI_NS" "$SRV_NS" "$MID_NS"; do ip netns del "$ns" 2>/dev/null || true; done
}
stop_processes() {
    local pid
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
    pids=()
}
cleanup() {
    stop_processes
    delete_namespaces # removes the veths, the bridge and the programs attached to them
    rm -rf "$work"
}
trap cleanup EXIT
delete_namespaces # left by a run that was killed

clang -O2 -g -target bpfel -Wall -Werror -I"/usr/include/$(uname -m)-linux-gnu" \
    -c "$src_dir/tag.bpf.c" -o "$work/tag.bpf.o"

in_cli() { ip netns exec "$CLI_NS" "$@"; }
in_srv() { ip netns exec "$SRV_NS" "$@"; }

# One fresh topology per file: cli --veth-- [bridge in mid] --veth-- srv.
setup() {
    local mode=$1 ns dev
    for ns in "$CLI_NS" "$SRV_NS" "$MID_NS"; do
        ip netns add "$ns"
        ip -n "$ns" link set lo up
    done
    ip -n "$CLI_NS" link add "$CLI_IF" type veth peer name "$MID_CLI_IF" netns "$MID_NS"
    ip -n "$SRV_NS" link add "$SRV_IF" type veth peer name "$MID_SRV_IF" netns "$MID_NS"
    ip -n "$MID_NS" link add br0 type bridge
    ip -n "$MID_NS" link set "$MID_CLI_IF" master br0
    ip -n "$MID_NS" link set "$MID_SRV_IF" master br0
    for dev in "$MID_CLI_IF" "$MID_SRV_IF" br0; do ip -n "$MID_NS" link set "$dev" up; done
    ip -n "$CLI_NS" addr add "$CLI_V4/24" dev "$CLI_IF"
    ip -n "$CLI_NS" addr add "$CLI_V6/64" dev "$CLI_IF" nodad
    ip -n "$SRV_NS" addr add "$SRV_V4/24" dev "$SRV_IF"
    ip -n "$SRV_NS" addr add "$SRV_V6/64" dev "$SRV_IF" nodad
    for pair in "$CLI_NS $CLI_IF" "$SRV_NS $SRV_IF"; do
        set -- $pair
        ip netns exec "$1" tc qdisc add dev "$2" clsact
        if [ "$mode" = mpls ]; then
            ip netns exec "$1" tc filter add dev "$2" egress bpf da obj "$work/tag.bpf.o" sec tc/mpls
            ip -n "$1" link set dev "$2" xdpgeneric obj "$work/tag.bpf.o" sec xdp/mpls_pop
        else
            ip netns exec "$1" tc filter add dev "$2" egress bpf da obj "$work/tag.bpf.o" sec "tc/$mode"
            ip netns exec "$1" tc filter add dev "$2" ingress bpf da obj "$work/tag.bpf.o" sec tc/untag
        fi
        ip -n "$1" link set "$2" up
    done
}

record() {
    local mode=$1 out=$2 addr i
    setup "$mode"
    ip netns exec "$SRV_NS" socat TCP6-LISTEN:$OPEN_PORT,ipv6only=0,reuseaddr,fork EXEC:/bin/true &
    pids+=($!)
    for i in $(seq 50); do in_srv ss -Hlnt "sport = :$OPEN_PORT" | grep -q . && break; sleep 0.1; done
    # Neighbour discovery and ARP before the capture: every exchange in it is the network's answer.
    in_cli ping -nq -c 1 -W 2 "$SRV_V4" >/dev/null
    in_cli ping -nq -c 1 -W 2 "$SRV_V6" >/dev/null
    ip netns exec "$MID_NS" tcpdump -i "$MID_CLI_IF" --immediate-mode -w "$work/$out" -U 2>"$work/tcpdump.log" &
    pids+=($!)
    for i in $(seq 100); do grep -q listening "$work/tcpdump.log" 2>/dev/null && break; sleep 0.1; done
    in_cli ping -nq -c 2 -i 0.2 "$SRV_V4" >/dev/null
    in_cli ping -nq -c 2 -i 0.2 "$SRV_V6" >/dev/null
    for addr in "$SRV_V4" "[$SRV_V6]"; do
        in_cli socat -u OPEN:/dev/null "TCP:$addr:$OPEN_PORT"
        in_cli socat -u OPEN:/dev/null "TCP:$addr:$CLOSED_PORT" 2>/dev/null || true
    done
    sleep 0.3
    stop_processes
    delete_namespaces
    cp "$work/$out" "$out_dir/$out"
    echo "record-tagged.sh: wrote $out_dir/$out ($(tcpdump -r "$out_dir/$out" 2>/dev/null | wc -l) packets)" >&2
}

record vlan vlan-live.pcap
record qinq qinq-live.pcap
record mpls mpls-live.pcap
