#!/usr/bin/env bash
# Records testdata/match/match.pcap: the matching cases of docs/matching.md ("The cases behind
# the rules") as real traffic between two network namespaces - DNS with EDNS Client Subnet, an
# inverse query, DNS answers in IPv4 and IPv6 fragments, a query resent and both copies answered,
# ICMP echo requests duplicated with one identifier and sequence, UDP datagrams repeated on one
# tuple, SIP requests that cross on port 5060, WireGuard-shaped keep-alives from both peers and a
# QUIC-shaped handshake. testdata/match/peers.py plays the parts no stock tool plays.
#
# Usage (root):  testdata/match/record-match.sh [OUTPUT_DIR]   (default: this script's directory)
# Needs:         iproute2 nftables dnsmasq-base python3 dnsutils tcpdump util-linux (flock)
# Leaves behind only the capture. Namespaces fm-cli and fm-srv and every server are removed on
# exit, also on failure. Runs are serialised by a lock (they share namespace names).
set -euo pipefail

readonly CLI_NS=fm-cli SRV_NS=fm-srv
readonly CLI_IF=fm-c SRV_IF=fm-s
readonly CLI_V4=10.78.0.1 SRV_V4=10.78.0.2 SLOW_V4=10.78.0.3
readonly CLI_V6=fd78::1 SRV_V6=fd78::2
readonly SLOW_ECHO_PORT=7790
readonly ECHO_TWICE_ID=19713   # echo id/seq sent twice back to back: both answered
readonly ECHO_LOST_ID=19714    # echo id/seq sent twice 200 ms apart: nftables drops the first
readonly ECHO_SLOW_ID=19715    # echo id/seq sent twice 1 ms apart to a responder 5 ms late
here=$(cd "$(dirname "$0")" && pwd)
peers="$here/peers.py"

[ "$(id -u)" = 0 ] || { echo "record-match.sh: must run as root (network namespaces)" >&2; exit 1; }
mkdir -p "${1:-$here}"
out_dir=$(cd "${1:-$here}" && pwd)
mkdir -p /run/lock
exec 9>/run/lock/flat-match-lab.lock
flock 9
work=$(mktemp -d /tmp/fm-lab.XXXXXX)
log() { printf 'match lab: %s\n' "$*" >&2; }
# shellcheck source=../netns-pair.sh
. "$here/../netns-pair.sh"
trap pair_cleanup EXIT

make_pair
ip -n "$SRV_NS" addr add "$SLOW_V4/24" dev "$SRV_IF"

in_srv nft -f - <<NFT
table inet flatmatch {
    chain input {
        type filter hook input priority filter; policy accept;
        icmp type echo-request icmp id $ECHO_LOST_ID numgen inc mod 2 == 0 drop
    }
}
NFT

log "servers"
# A TXT record of 10 strings of 200 bytes: a ~2 KB answer, sent in fragments over a 1500-byte
# MTU (IPv4: RFC 791 fragmentation by the sender; IPv6: a Fragment header, RFC 8200 4.5).
txt=$(python3 -c 'print(",".join(["%c" % (97 + i) * 200 for i in range(10)]))')
ip netns exec "$SRV_NS" dnsmasq --no-daemon --conf-file=/dev/null --no-resolv --no-hosts \
    --bind-interfaces --listen-address="$SRV_V4" --listen-address="$SRV_V6" \
    --address=/match.test/"$SRV_V4" --address=/match.test/"$SRV_V6" \
    --txt-record=big.match.test,"$txt" --edns-packet-max=4096 \
    --pid-file="$work/dnsmasq.pid" --user=root --log-queries --log-facility=- \
    >"$work/dnsmasq.log" 2>&1 9>&- &
pids+=($!)
ip netns exec "$SRV_NS" python3 "$peers" slow-dns "$SLOW_V4" >"$work/slow-dns.log" 2>&1 9>&- &
pids+=($!)
ip netns exec "$SRV_NS" python3 "$peers" slow-echo "$SLOW_ECHO_PORT" >"$work/slow-echo.log" 2>&1 9>&- &
pids+=($!)
wait_listening u 53
wait_listening u "$SLOW_ECHO_PORT"

# --immediate-mode: without it the last packets before the SIGINT can stay in a ring block that
# tcpdump never reads (TPACKET_V3 hands blocks over when full or after its timeout).
ip netns exec "$CLI_NS" tcpdump -i "$CLI_IF" -U --immediate-mode --time-stamp-precision=nano -w "$work/match.pcap" \
    >"$work/tcpdump.log" 2>&1 9>&- &
capture_pid=$!
pids+=("$capture_pid")
for i in $(seq 100); do
    grep -q "listening on" "$work/tcpdump.log" 2>/dev/null && break
    sleep 0.1
done
sleep 0.5

log "dns: EDNS Client Subnet, cookie, inverse query, fragmented answers"
in_cli dig +tries=1 +time=2 +subnet=192.0.2.0/24 @"$SRV_V4" ecs.match.test A >/dev/null
in_cli dig +tries=1 +time=2 +subnet=2001:db8::/48 +cookie @"$SRV_V6" ecs.match.test AAAA >/dev/null
# Opcode 1 (IQUERY, RFC 1035 6.4, obsoleted by RFC 3425): dnsmasq answers NOTIMP, same id.
in_cli dig +tries=1 +time=2 +opcode=iquery @"$SRV_V4" match.test A >/dev/null || true
in_cli dig +tries=1 +time=2 +bufsize=4096 +ignore @"$SRV_V4" big.match.test TXT >/dev/null
in_cli dig +tries=1 +time=2 +bufsize=4096 +ignore @"$SRV_V6" big.match.test TXT >/dev/null
log "dns: a query resent after 1 s, both copies answered 1.3 s after each"
in_cli dig +tries=2 +time=1 @"$SLOW_V4" slow.match.test A >/dev/null || true
sleep 1.5
log "icmp: one identifier and sequence sent twice: both copies answered, or the first lost"
in_cli python3 "$peers" echo-twice "$SRV_V4" "$ECHO_TWICE_ID" 0
in_cli python3 "$peers" echo-twice "$SRV_V4" "$ECHO_LOST_ID" 200
log "icmp: one identifier and sequence sent twice 1 ms apart, answered 5 ms late (both in flight)"
in_srv sysctl -qw net.ipv4.icmp_echo_ignore_all=1
ip netns exec "$SRV_NS" python3 "$peers" slow-pinger "$SLOW_V4" 9>&- &
pinger=$!
pids+=("$pinger")
sleep 0.3
in_cli python3 "$peers" echo-twice "$SLOW_V4" "$ECHO_SLOW_ID" 1
wait "$pinger"
in_srv sysctl -qw net.ipv4.icmp_echo_ignore_all=0
log "udp: two datagrams on one tuple before the (5 ms late) echoes"
in_cli python3 "$peers" udp-twice "$SRV_V4" "$SLOW_ECHO_PORT"
in_cli python3 "$peers" udp-twice "$SRV_V6" "$SLOW_ECHO_PORT"
log "sip: OPTIONS crossing on 5060, a REGISTER resent, INVITE / 486 / ACK"
# Both agents send OPTIONS at the same wall-clock instant, 2 s ahead: time to start both.
start=$(python3 -c 'import time; print(time.time() + 2)')
ip netns exec "$SRV_NS" python3 "$peers" sip b "$SRV_V4" "$CLI_V4" "$start" 9>&- &
sip_b=$!
pids+=("$sip_b")
in_cli python3 "$peers" sip a "$CLI_V4" "$SRV_V4" "$start"
wait "$sip_b"
log "wireguard-shaped: handshake, data, keep-alives from both peers"
ip netns exec "$SRV_NS" python3 "$peers" wireguard b "$SRV_V4" "$CLI_V4" 9>&- &
wg_b=$!
pids+=("$wg_b")
sleep 0.3
in_cli python3 "$peers" wireguard a "$CLI_V4" "$SRV_V4"
wait "$wg_b"
log "quic-shaped handshake on 443"
ip netns exec "$SRV_NS" python3 "$peers" quic-server "$SRV_V6" 9>&- &
quic_server=$!
pids+=("$quic_server")
sleep 0.3
in_cli python3 "$peers" quic-client "$SRV_V6"
wait "$quic_server"
sleep 0.5
kill -INT "$capture_pid"
wait "$capture_pid" || true

install -m 644 "$work/match.pcap" "$out_dir/match.pcap"
log "wrote $out_dir/match.pcap ($(stat -c %s "$out_dir/match.pcap") bytes)"
