package dev.flat.core.report;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flat.core.ThreadAllocation;
import dev.flat.core.match.Exchange;
import dev.flat.core.match.Kind;
import dev.flat.core.match.Outcome;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/**
 * The html writer allocates nothing per exchange once its time points and servers exist and its
 * list of exchanges is full: what a large capture spends nearly all its exchanges in.
 */
class HtmlReportWriterAllocationTest {
    private static final int PER_PASS = 3 * HtmlReportWriter.EXCHANGE_LIMIT;

    @Test
    void steadyStateAllocatesNothingPerExchange() {
        ThreadAllocation allocation = ThreadAllocation.ofCurrentThread();
        HtmlReportWriter writer = new HtmlReportWriter(new StringWriter());
        Exchange[] mix = new Exchange[64];
        for (int i = 0; i < mix.length; i++) {
            Kind kind = Kind.values()[i % 4];
            mix[i] = TestExchanges.of(kind, "10.0.0." + (i + 1), 40000 + i, "10.1.0." + (i % 16 + 1),
                    kind == Kind.ICMP ? 0 : 53, 50_000L * (i + 1));
            mix[i].outcome = i % 9 == 0 ? Outcome.REFUSED : Outcome.ANSWERED;
            mix[i].retransmits = i % 5 == 0 ? 1 : 0;
        }
        for (int i = 0; i < 5; i++) { // warm up: points, servers, the list of exchanges, the JIT
            play(writer, mix);
        }
        long before = allocation.bytes();
        for (int i = 0; i < 5; i++) {
            play(writer, mix);
        }
        long allocated = allocation.bytes() - before;
        assertTrue(allocated < 4096, allocated + " bytes allocated over " + 5L * PER_PASS + " exchanges");
    }

    /** Exchanges and unanswered requests over the same 10 s of capture time at every pass. */
    private static void play(HtmlReportWriter writer, Exchange[] mix) {
        for (int i = 0; i < PER_PASS; i++) {
            Exchange e = mix[i % mix.length];
            e.requestTimeNs = TestExchanges.T0 + (i % 10_000) * 1_000_000L;
            writer.onExchange(e);
            if (i % 50 == 0) {
                writer.onUnanswered(e.kind, e.requestTimeNs, e.serverHi, e.serverLo, e.serverPort, 1);
            }
        }
    }
}
