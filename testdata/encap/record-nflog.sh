#!/usr/bin/env bash
# Records testdata/encap/nflog.pcap: real traffic between two network namespaces as nftables
# hands it to nfnetlink_log (`log group 7` on the client's input and output hooks), captured with
# `tcpdump -i nflog:7`: link type NFLOG (239), IPv4 and IPv6, every packet once.
#
# Usage (root):  testdata/encap/record-nflog.sh [OUTPUT_DIR]   (default: this script's directory)
# Needs:         iproute2 nftables iputils-ping socat tcpdump
# Traffic:       2 pings over IPv4 and 2 over IPv6, a TCP handshake to a listening port over each,
#                a SYN to a closed port (answered by RST) over each. IPv6 neighbour discovery
#                shows too (not measured).
# What it leaves behind: only the capture. Namespaces and processes are removed on exit, also on
# failure; names start with flk- (unique to this script).
set -euo pipefail

readonly CLI_NS=flk-nflog-cli SRV_NS=flk-nflog-srv
readonly CLI_IF=flk-nfc SRV_IF=flk-nfs
readonly CLI_V4=10.78.0.1 SRV_V4=10.78.0.2 CLI_V6=fd78::1 SRV_V6=fd78::2
readonly GROUP=7 OPEN_PORT=8080 CLOSED_PORT=9999

[ "$(id -u)" = 0 ] || { echo "record-nflog.sh: must run as root (network namespaces)" >&2; exit 1; }
mkdir -p "${1:-$(dirname "$0")}"
out_dir=$(cd "${1:-$(dirname "$0")}" && pwd)
work=$(mktemp -d /tmp/flk-nflog.XXXXXX)
pids=()

cleanup() {
    local pid
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
    ip netns del "$CLI_NS" 2>/dev/null || true
    ip netns del "$SRV_NS" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
ip netns del "$CLI_NS" 2>/dev/null || true # left by a run that was killed
ip netns del "$SRV_NS" 2>/dev/null || true

in_cli() { ip netns exec "$CLI_NS" "$@"; }
in_srv() { ip netns exec "$SRV_NS" "$@"; }

ip netns add "$CLI_NS"
ip netns add "$SRV_NS"
ip -n "$CLI_NS" link add "$CLI_IF" type veth peer name "$SRV_IF" netns "$SRV_NS"
ip -n "$CLI_NS" addr add "$CLI_V4/24" dev "$CLI_IF"
ip -n "$SRV_NS" addr add "$SRV_V4/24" dev "$SRV_IF"
ip -n "$CLI_NS" addr add "$CLI_V6/64" dev "$CLI_IF" nodad
ip -n "$SRV_NS" addr add "$SRV_V6/64" dev "$SRV_IF" nodad
for ns in "$CLI_NS" "$SRV_NS"; do ip -n "$ns" link set lo up; done
ip -n "$CLI_NS" link set "$CLI_IF" up
ip -n "$SRV_NS" link set "$SRV_IF" up

in_cli nft -f - <<NFT
table inet flk_nflog {
    chain out { type filter hook output priority 0; log group $GROUP queue-threshold 1; }
    chain in { type filter hook input priority 0; log group $GROUP queue-threshold 1; }
}
NFT

ip netns exec "$SRV_NS" socat TCP6-LISTEN:$OPEN_PORT,ipv6only=0,reuseaddr,fork EXEC:/bin/true 9>&- &
pids+=($!)
ip netns exec "$CLI_NS" tcpdump -i nflog:$GROUP -w "$work/nflog.pcap" -U 2>"$work/tcpdump.log" &
pids+=($!)
for i in $(seq 100); do grep -q listening "$work/tcpdump.log" 2>/dev/null && break; sleep 0.1; done
for i in $(seq 50); do in_srv ss -Hlnt "sport = :$OPEN_PORT" | grep -q . && break; sleep 0.1; done

in_cli ping -nq -c 2 -i 0.2 "$SRV_V4" >/dev/null
in_cli ping -nq -c 2 -i 0.2 "$SRV_V6" >/dev/null
for addr in "$SRV_V4" "[$SRV_V6]"; do
    in_cli socat -u OPEN:/dev/null "TCP:$addr:$OPEN_PORT" || true
    in_cli socat -u OPEN:/dev/null "TCP:$addr:$CLOSED_PORT" 2>/dev/null || true
done
sleep 1 # nfnetlink_log hands over the last packets within its 1 s flush timeout
kill "${pids[1]}"
wait "${pids[1]}" 2>/dev/null || true
cp "$work/nflog.pcap" "$out_dir/nflog.pcap"
echo "record-nflog.sh: wrote $out_dir/nflog.pcap ($(tcpdump -r "$out_dir/nflog.pcap" 2>/dev/null | wc -l) packets)" >&2
