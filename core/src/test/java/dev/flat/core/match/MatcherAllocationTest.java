package dev.flat.core.match;

import static dev.flat.core.match.Events.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flat.core.ThreadAllocation;
import dev.flat.core.event.EventRecord;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

/** The hot path allocates nothing per event once the table exists. */
class MatcherAllocationTest {
    private static final int ROUNDS = 200;

    @Test
    void steadyStateMatchingAllocatesNothing() {
        ThreadAllocation allocation = ThreadAllocation.ofCurrentThread();

        long[] sink = new long[1];
        // One matcher with a tiny table so that eviction runs, one with a short timeout so that
        // expiry runs (events are 1 us apart).
        ExchangeListener listener = x -> sink[0] += x.latencyNs;
        Matcher evicting = new Matcher(new MatcherConfig(1_000_000_000L, 64, EnumSet.allOf(Kind.class)), listener);
        Matcher expiring = new Matcher(new MatcherConfig(20_000L, 4096, EnumSet.allOf(Kind.class)), listener);
        EventRecord[] events = mix();

        long ts = T0;
        for (int i = 0; i < ROUNDS; i++) { // warm up: let the JIT compile the paths
            ts = play(evicting, expiring, events, ts);
        }
        long before = allocation.bytes();
        for (int i = 0; i < ROUNDS; i++) {
            ts = play(evicting, expiring, events, ts);
        }
        long allocated = allocation.bytes() - before;

        long played = 2L * ROUNDS * events.length;
        assertTrue(allocated < 4096, allocated + " bytes allocated over " + played + " events");
        assertTrue(sink[0] > 0);
        assertTrue(evicting.stats().evicted(Kind.TCP) > 0, "eviction ran");
        assertTrue(expiring.stats().unanswered(Kind.TCP) > 0, "expiry ran");
        assertEquals(0, expiring.stats().evicted(Kind.TCP));
        assertTrue(expiring.stats().answered(Kind.DNS) > 0);
        assertTrue(expiring.stats().ignoredEvents() > 0, "keep-alives classified");
    }

    /** Requests, retransmits, responses and never-answered requests of every kind. */
    private static EventRecord[] mix() {
        EventRecord[] e = new EventRecord[1500];
        int n = 0;
        for (int i = 0; i < 100; i++) {
            String client = "10.0." + (i / 200) + "." + (i % 200 + 1);
            e[n++] = Events.syn(client, 40000 + i, "10.1.0.1", 443, i * 7919L, 0);
            e[n++] = Events.syn(client, 40000 + i, "10.1.0.1", 443, i * 7919L, 0);
            e[n++] = Events.synAck("10.1.0.1", 443, client, 40000 + i, i * 7919L, 0);
            e[n++] = Events.syn(client, 50000 + i, "10.1.0.9", 81, i, 0); // never answered
            e[n++] = Events.dnsQuery(client, 30000 + i, "10.1.0.53", i, 0);
            e[n++] = Events.dnsResponse("10.1.0.53", client, 30000 + i, i, 0);
            e[n++] = Events.udp(client, 20000 + i, "10.1.0.7", 9999, 0);
            e[n++] = Events.udp("10.1.0.7", 9999, client, 20000 + i, 0);
            e[n++] = Events.udp(client, 21000 + i, "10.1.0.8", 9999, 0); // never answered
            e[n++] = Events.echo(client, "10.1.0.1", 8, i, i, 0);
            e[n++] = Events.echo("10.1.0.1", client, 0, i, i, 0);
            e[n++] = Events.tcp("10.1.0.1", 443, client, 40000 + i, Events.RST_ACK, 1, 2, 0);
            // UdpRole: a SIP request and its response, a WireGuard keep-alive (ignored)
            e[n++] = Events.udp(client, UdpRole.SIP_PORT, "10.1.0.5", UdpRole.SIP_PORT, 0, 300,
                    (byte) 'O', (byte) 'P', (byte) 'T', (byte) 'I');
            e[n++] = Events.udp("10.1.0.5", UdpRole.SIP_PORT, client, UdpRole.SIP_PORT, 0, 300,
                    (byte) 'S', (byte) 'I', (byte) 'P', (byte) '/');
            e[n++] = Events.udp(client, 51820, "10.1.0.6", 51820, 0, 32, (byte) 4, (byte) 0, (byte) 0, (byte) 0);
        }
        return e;
    }

    private static long play(Matcher evicting, Matcher expiring, EventRecord[] events, long ts) {
        for (EventRecord e : events) {
            ts += 1000;
            e.tsNs(ts);
            evicting.onEvent(e);
            expiring.onEvent(e);
        }
        return ts;
    }
}
