#!/usr/bin/env bash
# Records testdata/lab/lab.pcapng, lab.pcap and lab.pcap.gz: real traffic between two network
# namespaces, one of every exchange flat measures, plus the awkward cases (SYN retransmitted after
# a drop, connection refused, parallel A/AAAA queries on one socket, an unanswered datagram).
#
# Usage (root):  testdata/lab/record-lab.sh [OUTPUT_DIR]     (default: this script's directory)
# Needs:         iproute2 nftables dnsmasq-base python3 curl dnsutils iputils-ping socat
#                tcpdump tshark (dumpcap comes with it), gzip, util-linux (flock)
# What it leaves behind: only the capture files. Namespaces, servers and /etc/netns/flatlab-cli
# are removed on exit, also on failure; running it twice gives the same kind of capture. Runs
# are serialised by a lock, since they share namespace names (LabRecordingTest runs it too).
#
# docs/testdata.md lists, for the committed files, every exchange they hold and why.
set -euo pipefail

readonly CLI_NS=flatlab-cli SRV_NS=flatlab-srv
readonly CLI_IF=lab-cli SRV_IF=lab-srv
readonly CLI_V4=10.77.0.1 SRV_V4=10.77.0.2
readonly CLI_V6=fd77::1 SRV_V6=fd77::2
readonly HTTP_PORT=8080        # answers every SYN
readonly DROP_PORT=8081        # nftables drops every second SYN: the client retransmits it
readonly CLOSED_PORT=9999      # nothing listens: the kernel answers the SYN with RST (refused)
readonly ECHO_PORT=7777        # UDP echo
readonly BLACKHOLE_PORT=7778   # nftables drops datagrams silently: an unanswered UDP request
readonly DNS_RETRY_PORT=53530  # client port whose every second DNS query is dropped: dig retries
# netem on the server's egress makes every answer ~2 ms late, with jitter so that latencies
# differ from one exchange to the next (an identical latency everywhere would hide pairing bugs).
readonly NETEM_DELAY=2ms NETEM_JITTER=500us

[ "$(id -u)" = 0 ] || { echo "record-lab.sh: must run as root (network namespaces)" >&2; exit 1; }
mkdir -p "${1:-$(dirname "$0")}"
out_dir=$(cd "${1:-$(dirname "$0")}" && pwd)
# One run at a time. Background processes get "9>&-": none may hold the lock after the script.
mkdir -p /run/lock
exec 9>/run/lock/flatlab.lock
flock 9
work=$(mktemp -d /tmp/flatlab.XXXXXX)
log() { printf 'lab: %s\n' "$*" >&2; }
# shellcheck source=../netns-pair.sh
. "$(dirname "$0")/../netns-pair.sh"
cleanup_paths+=("/etc/netns/$CLI_NS")
trap pair_cleanup EXIT

# Waits until a capture process has written its "listening" line, so no packet is missed.
wait_capturing() {
    local file=$1 pattern=$2 i
    for i in $(seq 100); do
        if grep -q "$pattern" "$file" 2>/dev/null; then
            return 0
        fi
        sleep 0.1
    done
    log "capture did not start: $(cat "$file")"
    return 1
}

make_pair
if in_srv tc qdisc add dev "$SRV_IF" root netem delay "$NETEM_DELAY" "$NETEM_JITTER" 2>/dev/null; then
    log "server answers delayed by netem $NETEM_DELAY +- $NETEM_JITTER"
else
    # Kernels built without CONFIG_NET_SCH_NETEM (e.g. minimal VM kernels) still give a usable
    # capture: latencies are then the veth round trip itself, tens of microseconds.
    log "no sch_netem in this kernel: server answers are not delayed"
fi

# numgen inc mod 2: the 1st, 3rd, 5th... SYN to DROP_PORT are dropped, so each connection's first
# SYN is lost and the kernel retransmits it after the initial RTO of 1 s (RFC 6298 section 2.1).
in_srv nft -f - <<EOF
table inet flatlab {
    chain input {
        type filter hook input priority filter; policy accept;
        tcp dport $DROP_PORT tcp flags & (syn | ack) == syn numgen inc mod 2 == 0 drop
        udp dport $BLACKHOLE_PORT drop
        udp sport $DNS_RETRY_PORT udp dport 53 numgen inc mod 2 == 0 drop
    }
}
EOF

log "servers"
mkdir -p "$work/www"
printf 'flat lab\n' >"$work/www/index.html"
for port in "$HTTP_PORT" "$DROP_PORT"; do
    # Bound to :: with the default net.ipv6.bindv6only=0: one socket serves IPv4 and IPv6.
    ip netns exec "$SRV_NS" python3 -m http.server --bind :: --directory "$work/www" "$port" \
        >"$work/http-$port.log" 2>&1 9>&- &
    pids+=($!)
done
ip netns exec "$SRV_NS" dnsmasq --no-daemon --conf-file=/dev/null --no-resolv --no-hosts \
    --bind-interfaces --listen-address="$SRV_V4" --listen-address="$SRV_V6" \
    --address=/lab.test/"$SRV_V4" --address=/lab.test/"$SRV_V6" \
    --pid-file="$work/dnsmasq.pid" --user=root --log-queries --log-facility=- \
    >"$work/dnsmasq.log" 2>&1 9>&- &
pids+=($!)
ip netns exec "$SRV_NS" python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
s.bind(("::", int(sys.argv[1])))
while True:
    data, peer = s.recvfrom(65535)
    s.sendto(data, peer)
' "$ECHO_PORT" >"$work/echo.log" 2>&1 9>&- &
pids+=($!)
wait_listening t "$HTTP_PORT"
wait_listening t "$DROP_PORT"
wait_listening u 53
wait_listening u "$ECHO_PORT"

mkdir -p "/etc/netns/$CLI_NS"
# No search list and no "options single-request": getent and curl then send the A and AAAA
# queries in parallel from one socket, two transaction ids on one port pair.
printf 'nameserver %s\n' "$SRV_V4" >"/etc/netns/$CLI_NS/resolv.conf"

# Two captures of the same packets on the client's veth: pcapng from dumpcap (the interface name
# is recorded in the IDB) and classic pcap from tcpdump, both with nanosecond timestamps
# (dumpcap writes if_tsresol 9 on Linux). Both packet sockets read the one timestamp the kernel
# puts on the skb, so the two files hold identical times.
record_once() {
    local capture_pids
    rm -f "$work/lab.pcapng" "$work/lab.pcap"
    ip netns exec "$CLI_NS" dumpcap -q -i "$CLI_IF" -w "$work/lab.pcapng" >"$work/dumpcap.log" 2>&1 9>&- &
    capture_pids=($!)
    ip netns exec "$CLI_NS" tcpdump -i "$CLI_IF" -U --time-stamp-precision=nano \
        -w "$work/lab.pcap" >"$work/tcpdump.log" 2>&1 9>&- &
    capture_pids+=($!)
    pids+=("${capture_pids[@]}")
    wait_capturing "$work/dumpcap.log" "Capturing on"
    wait_capturing "$work/tcpdump.log" "listening on"
    sleep 0.5

    # ICMP echo, IPv4 and IPv6.
    in_cli ping -q -c 3 -i 0.2 "$SRV_V4" >/dev/null
    in_cli ping -6 -q -c 3 -i 0.2 "$SRV_V6" >/dev/null
    # DNS with dig: one query each over IPv4 and IPv6, no retry.
    in_cli dig +tries=1 +time=2 @"$SRV_V4" lab.test A >/dev/null
    in_cli dig +tries=1 +time=2 @"$SRV_V6" lab.test AAAA >/dev/null
    # A DNS retransmission: the first query from DNS_RETRY_PORT is dropped, dig resends the same
    # query (same id, same port) after its 1 s timeout and the second copy is answered.
    in_cli dig +tries=2 +time=1 -b "$CLI_V4#$DNS_RETRY_PORT" @"$SRV_V4" retry.lab.test A >/dev/null
    # glibc's resolver: A and AAAA sent together with sendmmsg from one socket.
    in_cli getent ahosts lab.test >/dev/null
    # HTTP: three connections over each family, then one by name (another A/AAAA lookup).
    for i in 1 2 3; do
        in_cli curl -sS -o /dev/null "http://$SRV_V4:$HTTP_PORT/"
        in_cli curl -sS -o /dev/null -g "http://[$SRV_V6]:$HTTP_PORT/"
    done
    in_cli curl -sS -o /dev/null "http://lab.test:$HTTP_PORT/"
    # The SYN-dropping port: each connect needs one SYN retransmission.
    in_cli curl -sS -o /dev/null "http://$SRV_V4:$DROP_PORT/"
    in_cli curl -sS -o /dev/null -g "http://[$SRV_V6]:$DROP_PORT/"
    # The closed port: SYN answered by RST, curl reports "Connection refused".
    for url in "http://$SRV_V4:$CLOSED_PORT/" "http://[$SRV_V6]:$CLOSED_PORT/"; do
        if in_cli curl -sS -o /dev/null -g "$url" 2>/dev/null; then
            log "$url answered, but nothing should listen there"
            return 1
        fi
    done
    # UDP echo, twice per family, and one datagram that nothing answers.
    for i in 1 2; do
        in_cli socat -t 0.5 - "UDP4:$SRV_V4:$ECHO_PORT" <<<"echo $i" >/dev/null
        in_cli socat -t 0.5 - "UDP6:[$SRV_V6]:$ECHO_PORT" <<<"echo $i" >/dev/null
    done
    in_cli socat -u - "UDP4:$SRV_V4:$BLACKHOLE_PORT" <<<"nobody answers"
    sleep 0.5

    kill -INT "${capture_pids[@]}"
    wait "${capture_pids[@]}" || true
}

# Whether the capture holds the cases docs/testdata.md promises. Only the A/AAAA overlap is a
# race (dnsmasq may answer A before glibc sends AAAA), the rest follows from the setup; all are
# checked so that a changed tool version cannot silently produce a weaker capture.
check_capture() {
    local file=$work/lab.pcap n
    n=$(tshark -r "$file" -Y 'tcp.flags.syn == 1 && tcp.flags.ack == 0 && tcp.analysis.retransmission' 2>/dev/null | wc -l)
    [ "$n" = 2 ] || { log "expected 2 retransmitted SYNs, found $n"; return 1; }
    n=$(tshark -r "$file" -Y 'tcp.flags.reset == 1' 2>/dev/null | wc -l)
    [ "$n" = 2 ] || { log "expected 2 RSTs, found $n"; return 1; }
    n=$(tshark -r "$file" -Y 'dns.retransmission' 2>/dev/null | wc -l)
    [ "$n" = 1 ] || { log "expected 1 retransmitted DNS query, found $n"; return 1; }
    # Two queries in a row from one client port with different ids: both were outstanding.
    n=$(tshark -r "$file" -Y 'dns' -T fields -e udp.srcport -e dns.flags.response -e dns.id 2>/dev/null |
        awk '$2 == 0 && prev_resp == 0 && $1 == prev_port && $3 != prev_id { n++ }
             { prev_port = $1; prev_resp = $2; prev_id = $3 } END { print n + 0 }')
    [ "$n" -ge 1 ] || { log "no parallel A/AAAA queries in this recording"; return 1; }
}

log "capturing on $CLI_IF"
for attempt in 1 2 3 4 5; do
    record_once
    if check_capture; then
        break
    fi
    [ "$attempt" -lt 5 ] || { log "no acceptable recording after $attempt attempts"; exit 1; }
    log "recording again"
done

install -m 644 "$work/lab.pcapng" "$out_dir/lab.pcapng"
install -m 644 "$work/lab.pcap" "$out_dir/lab.pcap"
# -n: no file name or time stamp in the gzip header, so the .gz depends only on lab.pcap.
gzip -9 -n -c "$work/lab.pcap" >"$out_dir/lab.pcap.gz"
for f in lab.pcapng lab.pcap lab.pcap.gz; do
    log "wrote $out_dir/$f ($(stat -c %s "$out_dir/$f") bytes)"
done
