package dev.flat.core.report;

import dev.flat.core.match.Exchange;
import dev.flat.core.match.ExchangeListener;
import dev.flat.core.match.Kind;
import dev.flat.core.match.Outcome;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Aggregates exchanges per kind and per server; a known server is found without allocating
 * ({@link ServerTable}). Refused exchanges (SYN answered by RST) count as exchanges and their
 * round trip enters the latency figures: the RST travelled the same path a SYN/ACK would have.
 *
 * <p>Memory is bounded: at most {@link #MAX_SERVERS} distinct servers get figures of their own
 * (sparse bucket counts each, see {@link LatencyStats}). Exchanges with servers beyond
 * that still count in their kind's figures and are counted in {@link #untrackedServerExchanges()}
 * (shown as a warning), never dropped silently.
 */
public final class Summary implements ExchangeListener {
    public static final int MAX_SERVERS = 65_536;
    public static final int DEFAULT_TOP = 10;

    private final Map<Kind, KindCounter> kinds = new EnumMap<>(Kind.class);
    private final ServerTable servers = new ServerTable(MAX_SERVERS);
    private final List<ServerCounter> serverCounters = new ArrayList<>();
    private long untrackedServerExchanges;

    public Summary() {
        for (Kind k : Kind.values()) {
            kinds.put(k, new KindCounter());
        }
    }

    @Override
    public void onExchange(Exchange e) {
        boolean refused = e.outcome == Outcome.REFUSED;
        KindCounter kc = kinds.get(e.kind);
        kc.latency.record(e.latencyNs);
        if (refused) {
            kc.refused++;
        }
        int slot = servers.slotOf(e.kind, e.serverHi, e.serverLo, e.kind == Kind.ICMP ? 0 : e.serverPort);
        if (slot == ServerTable.FULL) {
            untrackedServerExchanges++;
            return;
        }
        if (slot == serverCounters.size()) {
            serverCounters.add(new ServerCounter());
        }
        ServerCounter sc = serverCounters.get(slot);
        sc.latency.record(e.latencyNs);
        if (refused) {
            sc.refused++;
        }
    }

    public KindTotals kind(Kind kind) {
        KindCounter kc = kinds.get(kind);
        long n = kc.latency.count();
        return new KindTotals(n, n - kc.refused, kc.refused, kc.latency.figures());
    }

    /** Total exchanges over every kind. */
    public long exchanges() {
        long n = 0;
        for (KindCounter kc : kinds.values()) {
            n += kc.latency.count();
        }
        return n;
    }

    /** The n servers with the most exchanges; ties broken by kind, address (numerically), then port. */
    public List<ServerTotals> busiestServers(int n) {
        List<ServerTotals> all = new ArrayList<>(servers.size());
        for (int i = 0; i < servers.size(); i++) {
            ServerCounter c = serverCounters.get(i);
            all.add(new ServerTotals(servers.key(i), c.latency.count(), c.refused, null));
        }
        all.sort(Comparator.comparingLong(ServerTotals::exchanges).reversed()
                .thenComparing(t -> t.server().kind())
                .thenComparing(t -> t.server().hi(), Long::compareUnsigned)
                .thenComparing(t -> t.server().lo(), Long::compareUnsigned)
                .thenComparingInt(t -> t.server().port()));
        List<ServerTotals> top = new ArrayList<>(Math.min(n, all.size()));
        for (ServerTotals t : all.subList(0, Math.min(Math.max(n, 0), all.size()))) {
            top.add(new ServerTotals(t.server(), t.exchanges(), t.refused(), figuresOf(t.server())));
        }
        return top;
    }

    private LatencyFigures figuresOf(ServerKey k) {
        return serverCounters.get(servers.slotOf(k.kind(), k.hi(), k.lo(), k.port())).latency.figures();
    }

    public int serverCount() { return servers.size(); }

    /** Exchanges whose server arrived after {@link #MAX_SERVERS} others: in kind figures only. */
    public long untrackedServerExchanges() { return untrackedServerExchanges; }

    private static final class KindCounter {
        final LatencyStats latency = new LatencyStats();
        long refused;
    }

    private static final class ServerCounter {
        final LatencyStats latency = new LatencyStats();
        long refused;
    }
}
