package dev.flat.core.filter;

import dev.flat.core.event.EventRecord;
import dev.flat.core.event.EventSink;
import dev.flat.core.report.Address128;
import java.util.Collection;

/**
 * The --host/--port filter, in front of the matcher. An event passes when every given criterion
 * holds: its source or destination address is one of the hosts (if any are given) and its source
 * or destination port is one of the ports (if any are given). Both directions of an exchange
 * carry the same address and port pair, so a request passes exactly when its response does.
 *
 * <p>ICMP echo has no ports (the record's port fields hold the echo identifier and sequence), so
 * with a port filter ICMP events never pass. Held-back events are counted ({@link #filtered()})
 * and shown in the summary. Nothing here allocates per event.
 */
public final class EventFilter implements EventSink {
    private static final int PORTS = 65536;

    private final EventSink downstream;
    private final long[] hostHi;
    private final long[] hostLo;
    private final boolean[] ports; // null = any port
    private long passed;
    private long filtered;

    public EventFilter(Collection<Address128> hosts, Collection<Integer> ports, EventSink downstream) {
        this.downstream = downstream;
        this.hostHi = new long[hosts.size()];
        this.hostLo = new long[hosts.size()];
        int i = 0;
        for (Address128 h : hosts) {
            hostHi[i] = h.hi();
            hostLo[i] = h.lo();
            i++;
        }
        if (ports.isEmpty()) {
            this.ports = null;
        } else {
            this.ports = new boolean[PORTS];
            for (int p : ports) {
                if (p < 0 || p >= PORTS) {
                    throw new IllegalArgumentException("port " + p + " is outside 0..65535");
                }
                this.ports[p] = true;
            }
        }
    }

    /** True when no criterion is set: every event would pass, so callers may skip the filter. */
    public boolean passesEverything() { return hostHi.length == 0 && ports == null; }

    @Override
    public void onEvent(EventRecord e) {
        if (hostMatches(e) && portMatches(e)) {
            passed++;
            downstream.onEvent(e);
        } else {
            filtered++;
        }
    }

    private boolean hostMatches(EventRecord e) {
        if (hostHi.length == 0) {
            return true;
        }
        long sHi = e.saddrHi();
        long sLo = e.saddrLo();
        long dHi = e.daddrHi();
        long dLo = e.daddrLo();
        for (int i = 0; i < hostHi.length; i++) {
            if ((hostHi[i] == sHi && hostLo[i] == sLo) || (hostHi[i] == dHi && hostLo[i] == dLo)) {
                return true;
            }
        }
        return false;
    }

    private boolean portMatches(EventRecord e) {
        if (ports == null) {
            return true;
        }
        int proto = e.ipProto();
        if (proto != EventRecord.PROTO_TCP && proto != EventRecord.PROTO_UDP) {
            return false;
        }
        return ports[e.sport()] || ports[e.dport()];
    }

    public long passed() { return passed; }

    public long filtered() { return filtered; }
}
