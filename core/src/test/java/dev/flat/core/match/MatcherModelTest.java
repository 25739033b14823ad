package dev.flat.core.match;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.flat.core.event.EventRecord;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Random streams over a small universe of hosts, ports and ids (so that requests collide,
 * retransmit, expire and get evicted all the time) checked against a plain LinkedHashMap model
 * of the same rules. The model is slow and obvious; the matcher must agree with it exactly.
 */
class MatcherModelTest {
    private static final String[] HOSTS = {"10.0.0.1", "10.0.0.2", "fd00::1", "fd00::2"};
    private static final int[] PORTS = {1000, 1001, 80};
    private static final long TIMEOUT = 50_000;
    private static final int MAX_PENDING = 24;

    @Test
    void agreesWithModelUnderTheSeededHash() {
        for (long seed = 1; seed <= 10; seed++) {
            check(seed, FlowHash.seeded(seed));
        }
    }

    @Test
    void agreesWithModelWhenEverythingSharesFourBuckets() {
        for (long seed = 11; seed <= 20; seed++) {
            check(seed, (cHi, cLo, sHi, sLo, ports, tag) -> (int) (cLo ^ sLo ^ tag) & 3);
        }
    }

    private static void check(long seed, FlowHash hash) {
        SplittableRandom random = new SplittableRandom(seed);
        List<String> actual = new ArrayList<>();
        Matcher matcher = new Matcher(new MatcherConfig(TIMEOUT, MAX_PENDING, EnumSet.allOf(Kind.class)),
                x -> actual.add(describe(x.kind, x.outcome, x.clientLo, x.clientPort, x.serverPort,
                        x.dnsId, x.icmpId, x.icmpSeq, x.latencyNs, x.retransmits)), hash);
        Model model = new Model();
        long ts = 1_000_000;
        for (int i = 0; i < 20_000; i++) {
            ts += random.nextInt(10) == 0 ? -random.nextInt(20_000) : random.nextInt(2_000);
            EventRecord e = randomEvent(random, ts);
            matcher.onEvent(e);
            model.onEvent(e);
        }
        matcher.finish();
        model.finish();
        for (int i = 0; i < Math.min(model.exchanges.size(), actual.size()); i++) {
            assertEquals(model.exchanges.get(i), actual.get(i), "exchange " + i + ", seed " + seed);
        }
        assertEquals(model.exchanges.size(), actual.size(), "exchanges, seed " + seed);
        MatcherStats s = matcher.stats();
        for (Kind k : Kind.values()) {
            int o = k.ordinal();
            String what = k.label() + ", seed " + seed;
            assertEquals(model.requests[o], s.requests(k), "requests " + what);
            assertEquals(model.retransmits[o], s.retransmits(k), "retransmits " + what);
            assertEquals(model.unanswered[o], s.unanswered(k), "unanswered " + what);
            assertEquals(model.evicted[o], s.evicted(k), "evicted " + what);
            assertEquals(model.unmeasurable[o], s.unmeasurable(k), "unmeasurable " + what);
            assertEquals(model.unmatched[o], s.unmatchedResponses(k), "unmatched " + what);
            assertEquals(0, s.pending(k));
        }
        assertEquals(model.unmatchedResets, s.unmatchedResets(), "resets, seed " + seed);
    }

    private static final String[] SIP_STARTS = {"SIP/", "OPTI", "BYE ", "ACK "};

    private static EventRecord randomEvent(SplittableRandom r, long ts) {
        String a = HOSTS[r.nextInt(HOSTS.length / 2) + (r.nextBoolean() ? 2 : 0)];
        String b = HOSTS[(indexOf(a) ^ 1)]; // the other host of the same family
        int pa = PORTS[r.nextInt(PORTS.length)];
        int pb = PORTS[r.nextInt(PORTS.length)];
        int small = r.nextInt(3);
        return switch (r.nextInt(8)) {
            case 0, 1 -> Events.syn(a, pa, b, pb, small, ts);
            case 2 -> Events.synAck(a, pa, b, pb, small, ts);
            case 3 -> Events.tcp(a, pa, b, pb, Events.RST_ACK, 0, small + 1, ts);
            case 4 -> r.nextBoolean() ? Events.dnsQuery(a, pa, b, small, ts) : Events.dnsResponse(a, b, pb, small, ts);
            case 5 -> Events.udp(a, pa, b, pb, ts);
            case 6 -> r.nextBoolean() ? Events.udp(a, pa, b, pb, ts)
                    // SIP between two peers on 5060: responses, requests and ACKs (UdpRole)
                    : Events.udp(a, UdpRole.SIP_PORT, b, UdpRole.SIP_PORT, ts, 300,
                            SIP_STARTS[r.nextInt(SIP_STARTS.length)].getBytes(StandardCharsets.US_ASCII));
            default -> Events.echo(a, b, a.contains(":") ? 128 + r.nextInt(2) : 8 * r.nextInt(2), pa, small, ts);
        };
    }

    private static int indexOf(String host) {
        for (int i = 0; i < HOSTS.length; i++) {
            if (HOSTS[i].equals(host)) {
                return i;
            }
        }
        throw new IllegalArgumentException(host);
    }

    private static String describe(Kind kind, Outcome outcome, long clientLo, int cport, int sport,
                                   int dnsId, int icmpId, int icmpSeq, long latency, int retransmits) {
        return kind.label() + " " + outcome.label() + " " + Long.toHexString(clientLo) + ":" + cport + ">" + sport
                + " dns=" + dnsId + " icmp=" + icmpId + "/" + icmpSeq + " lat=" + latency + " re=" + retransmits;
    }

    /** The rules, written the obvious way. */
    private static final class Model {
        record Key(Kind kind, long cHi, long cLo, long sHi, long sLo, int cport, int sport, long disc) {}

        static final class Pending {
            long ts;
            long enqueued;
            int retransmits;
        }

        final LinkedHashMap<Key, Pending> pending = new LinkedHashMap<>();
        final List<String> exchanges = new ArrayList<>();
        final long[] requests = new long[4], retransmits = new long[4], unanswered = new long[4],
                evicted = new long[4], unmeasurable = new long[4], unmatched = new long[4];
        long unmatchedResets;
        long clock = Long.MIN_VALUE;

        void onEvent(EventRecord e) {
            long ts = e.tsNs();
            if (ts > clock) {
                clock = ts;
                for (Iterator<Map.Entry<Key, Pending>> it = pending.entrySet().iterator(); it.hasNext(); ) {
                    Map.Entry<Key, Pending> p = it.next();
                    if (p.getValue().enqueued >= clock - TIMEOUT) {
                        break;
                    }
                    unanswered[p.getKey().kind.ordinal()]++;
                    it.remove();
                }
            }
            boolean forward = true;
            Kind kind;
            long disc;
            Outcome outcome = Outcome.ANSWERED;
            switch (e.ipProto()) {
                case EventRecord.PROTO_TCP -> {
                    kind = Kind.TCP;
                    if ((e.tcpFlags() & EventRecord.TCP_ACK) != 0) {
                        forward = false;
                        disc = (e.tcpAck() - 1) & 0xFFFF_FFFFL;
                        outcome = (e.tcpFlags() & EventRecord.TCP_RST) != 0 ? Outcome.REFUSED : Outcome.ANSWERED;
                    } else {
                        disc = e.tcpSeq();
                    }
                }
                case EventRecord.PROTO_UDP -> {
                    if (e.sport() == 53 || e.dport() == 53) {
                        kind = Kind.DNS;
                        disc = e.payloadWord() >>> 16;
                        forward = (e.payloadWord() & 0x8000) == 0;
                    } else {
                        kind = Kind.UDP;
                        disc = 0;
                        String start = new String(Events.dnsWord(e.payloadWord() >>> 16, e.payloadWord() & 0xFFFF),
                                StandardCharsets.US_ASCII);
                        boolean sip = e.sport() == 5060 || e.dport() == 5060;
                        if (sip && start.equals("ACK ")) {
                            return; // never asks nor answers
                        }
                        boolean asks = sip && start.matches("[A-Z][A-Z ]{3}") && !start.equals("SIP/");
                        boolean answers = sip && start.equals("SIP/");
                        forward = asks || !answers && !pending.containsKey(reverseKey(e, kind, 0));
                    }
                }
                default -> {
                    kind = Kind.ICMP;
                    disc = e.ipProto();
                    forward = e.icmpType() == 8 || e.icmpType() == 128;
                }
            }
            int k = kind.ordinal();
            if (forward) {
                Key key = new Key(kind, e.saddrHi(), e.saddrLo(), e.daddrHi(), e.daddrLo(), e.sport(), e.dport(), disc);
                Pending p = pending.remove(key);
                if (p != null) {
                    p.retransmits++;
                    retransmits[k]++;
                } else {
                    if (pending.size() == MAX_PENDING) {
                        Iterator<Map.Entry<Key, Pending>> it = pending.entrySet().iterator();
                        evicted[it.next().getKey().kind.ordinal()]++;
                        it.remove();
                    }
                    p = new Pending();
                    requests[k]++;
                }
                p.ts = ts;
                p.enqueued = clock;
                pending.put(key, p);
                return;
            }
            Key key = reverseKey(e, kind, disc);
            Pending p = pending.remove(key);
            if (p == null) {
                if (outcome == Outcome.REFUSED) {
                    unmatchedResets++;
                } else {
                    unmatched[k]++;
                }
                return;
            }
            if (ts < p.ts) {
                unmeasurable[k]++;
                return;
            }
            boolean icmp = kind == Kind.ICMP;
            exchanges.add(describe(kind, outcome, key.cLo(), icmp ? 0 : key.cport(), icmp ? 0 : key.sport(),
                    kind == Kind.DNS ? (int) disc : -1, icmp ? key.cport() : -1, icmp ? key.sport() : -1,
                    ts - p.ts, p.retransmits));
        }

        /** For TCP/UDP/DNS the reply's ports are swapped; for ICMP they are id and sequence as sent. */
        private static Key reverseKey(EventRecord e, Kind kind, long disc) {
            if (kind == Kind.ICMP) {
                return new Key(kind, e.daddrHi(), e.daddrLo(), e.saddrHi(), e.saddrLo(), e.sport(), e.dport(), disc);
            }
            return new Key(kind, e.daddrHi(), e.daddrLo(), e.saddrHi(), e.saddrLo(), e.dport(), e.sport(), disc);
        }

        void finish() {
            for (Key key : pending.keySet()) {
                unanswered[key.kind.ordinal()]++;
            }
            pending.clear();
        }
    }
}
