# Sourced by testdata/lab/record-lab.sh and testdata/match/record-match.sh: two network
# namespaces joined by a veth pair, the servers started in them, and their removal.
#
# The sourcing script sets, before calling anything here:
#   CLI_NS SRV_NS         namespace names      CLI_IF SRV_IF   the veth ends
#   CLI_V4 CLI_V6 SRV_V4 SRV_V6                the addresses (/24 and /64)
#   work                  its temporary directory (removed by pair_cleanup)
#   log                   a function that prints one line to stderr
# and may add to pids (processes to stop) and cleanup_paths (more files to remove).
# Background processes must be started with "ip netns exec" directly, never through a shell
# function, so that $! is the process itself and pair_cleanup stops it by pid.

pids=()
cleanup_paths=()

# Stops every process in pids, removes both namespaces, $work and cleanup_paths. Idempotent.
pair_cleanup() {
    local pid
    for pid in "${pids[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    for pid in "${pids[@]}"; do
        wait "$pid" 2>/dev/null || true
    done
    ip netns del "$CLI_NS" 2>/dev/null || true
    ip netns del "$SRV_NS" 2>/dev/null || true
    rm -rf "$work" "${cleanup_paths[@]}"
}

in_cli() { ip netns exec "$CLI_NS" "$@"; }
in_srv() { ip netns exec "$SRV_NS" "$@"; }

# Waits until a server in $SRV_NS listens on proto/port (ss -l), so no client races its startup.
wait_listening() {
    local proto=$1 port=$2 i
    for i in $(seq 50); do
        if in_srv ss -Hln"$proto" "sport = :$port" | grep -q .; then
            return 0
        fi
        sleep 0.1
    done
    log "nothing listens on $proto/$port in $SRV_NS"
    return 1
}

# Creates the namespaces, the veth pair and the addresses. A previous run killed hard may have
# left its namespaces: they are removed first.
make_pair() {
    local ns
    ip netns del "$CLI_NS" 2>/dev/null || true
    ip netns del "$SRV_NS" 2>/dev/null || true
    log "network: $CLI_NS ($CLI_V4, $CLI_V6) <-> $SRV_NS ($SRV_V4, $SRV_V6)"
    ip netns add "$CLI_NS"
    ip netns add "$SRV_NS"
    for ns in "$CLI_NS" "$SRV_NS"; do
        # Set before the veth exists so that it inherits "default": no router solicitations,
        # which are noise in a capture meant to be read by hand (MLD reports remain; flat
        # skips them).
        ip netns exec "$ns" sysctl -qw net.ipv6.conf.default.router_solicitations=0
        ip -n "$ns" link set lo up
    done
    ip link add "$CLI_IF" netns "$CLI_NS" type veth peer name "$SRV_IF" netns "$SRV_NS"
    # nodad: the address is usable at once; duplicate address detection would delay the first
    # IPv6 packets by about a second (RFC 4862 section 5.4).
    ip -n "$CLI_NS" addr add "$CLI_V4/24" dev "$CLI_IF"
    ip -n "$CLI_NS" addr add "$CLI_V6/64" dev "$CLI_IF" nodad
    ip -n "$SRV_NS" addr add "$SRV_V4/24" dev "$SRV_IF"
    ip -n "$SRV_NS" addr add "$SRV_V6/64" dev "$SRV_IF" nodad
    ip -n "$CLI_NS" link set "$CLI_IF" up
    ip -n "$SRV_NS" link set "$SRV_IF" up
}
