package dev.flat.core.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flat.core.event.EventRecord;
import dev.flat.core.report.Address128;
import dev.flat.core.report.AddressText;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EventFilterTest {
    private final List<Integer> seen = new ArrayList<>();

    private static EventRecord event(int proto, String src, int sport, String dst, int dport) {
        EventRecord e = EventRecord.allocate().type(EventRecord.TYPE_PACKET).version(EventRecord.VERSION)
                .ipProto(proto).sport(sport).dport(dport);
        put(e, true, AddressText.parse(src));
        put(e, false, AddressText.parse(dst));
        return e;
    }

    private static void put(EventRecord e, boolean source, Address128 a) {
        byte[] b = new byte[16];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (a.hi() >>> (56 - 8 * i));
            b[8 + i] = (byte) (a.lo() >>> (56 - 8 * i));
        }
        if (source) {
            e.saddr(b, 0);
        } else {
            e.daddr(b, 0);
        }
    }

    private EventFilter filter(List<String> hosts, Set<Integer> ports) {
        return new EventFilter(hosts.stream().map(AddressText::parse).toList(), ports, e -> seen.add(e.sport()));
    }

    @Test
    void hostMatchesEitherSideOfEitherDirection() {
        EventFilter f = filter(List.of("10.0.0.2", "2001:db8::1"), Set.of());
        f.onEvent(event(EventRecord.PROTO_TCP, "10.0.0.1", 1, "10.0.0.2", 80));   // request
        f.onEvent(event(EventRecord.PROTO_TCP, "10.0.0.2", 80, "10.0.0.1", 1));   // response
        f.onEvent(event(EventRecord.PROTO_TCP, "10.0.0.1", 3, "10.0.0.3", 80));   // other host
        f.onEvent(event(EventRecord.PROTO_UDP, "2001:db8::1", 4, "2001:db8::2", 53));
        assertEquals(List.of(1, 80, 4), seen);
        assertEquals(3, f.passed());
        assertEquals(1, f.filtered());
    }

    @Test
    void portMatchesEitherSideAndIcmpHasNoPorts() {
        EventFilter f = filter(List.of(), Set.of(53));
        f.onEvent(event(EventRecord.PROTO_UDP, "10.0.0.1", 5000, "10.0.0.53", 53));
        f.onEvent(event(EventRecord.PROTO_UDP, "10.0.0.53", 53, "10.0.0.1", 5000));
        f.onEvent(event(EventRecord.PROTO_TCP, "10.0.0.1", 5001, "10.0.0.2", 443));
        // an echo request whose identifier happens to be 53 is not "port 53"
        f.onEvent(event(EventRecord.PROTO_ICMP, "10.0.0.1", 53, "10.0.0.2", 53));
        assertEquals(List.of(5000, 53), seen);
        assertEquals(2, f.filtered());
    }

    @Test
    void bothCriteriaMustHold() {
        EventFilter f = filter(List.of("10.0.0.2"), Set.of(80));
        f.onEvent(event(EventRecord.PROTO_TCP, "10.0.0.1", 1, "10.0.0.2", 80));
        f.onEvent(event(EventRecord.PROTO_TCP, "10.0.0.1", 2, "10.0.0.2", 81));
        f.onEvent(event(EventRecord.PROTO_TCP, "10.0.0.1", 3, "10.0.0.3", 80));
        assertEquals(List.of(1), seen);
        assertEquals(2, f.filtered());
    }

    @Test
    void noCriteriaPassesEverything() {
        EventFilter f = filter(List.of(), Set.of());
        assertTrue(f.passesEverything());
        f.onEvent(event(EventRecord.PROTO_ICMP, "10.0.0.1", 1, "10.0.0.2", 1));
        assertEquals(1, f.passed());
    }

    @Test
    void rejectsPortsOutOfRange() {
        assertThrows(IllegalArgumentException.class, () -> filter(List.of(), Set.of(65536)));
    }
}
