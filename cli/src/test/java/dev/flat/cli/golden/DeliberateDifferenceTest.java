package dev.flat.cli.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** Each deliberate difference applies to exactly the exchanges it describes, and to no other. */
class DeliberateDifferenceTest {
    private static final long S = 1_000_000_000L;

    private static WiresharkExchanges.Seen seen(String protocols, long latencyNs) {
        MeasuredExchange x = new MeasuredExchange("icmp", "answered", "10.0.0.1", 0, "10.0.0.2", 0, "id=1 seq=1",
                1_700_000_000L * S, latencyNs, 0, 64);
        return new WiresharkExchanges.Seen(x, 1, 2, protocols);
    }

    @Test
    void anOrdinaryExchangeIsNotExplained() {
        assertNull(DeliberateDifference.explaining(seen("eth:ethertype:ip:icmp:data eth:ethertype:ip:icmp:data",
                250_000)));
    }

    @Test
    void anExchangeInAPseudowireWithAControlWordIsNotExplained() {
        // flat decodes these (RFC 4385 control word, RFC 4448 Ethernet): a miss must fail the cross-check.
        assertNull(DeliberateDifference.explaining(seen("eth:ethertype:mpls:pwethheuristic:pwethcw:eth:ethertype:vlan:"
                + "ethertype:ip:icmp:data eth:ethertype:mpls:pwethheuristic:pwethcw:eth:ethertype:vlan:ethertype:ip:icmp:data",
                250_000)));
    }

    @Test
    void theTimeoutBoundIsExclusiveAsTheMatchersIs() {
        long timeout = dev.flat.core.match.MatcherConfig.DEFAULT_TIMEOUT_NS;
        assertNull(DeliberateDifference.explaining(seen("eth:ip:tcp eth:ip:tcp", timeout)),
                "an answer exactly --timeout later is still paired by flat");
        assertEquals(DeliberateDifference.ANSWER_AFTER_TIMEOUT,
                DeliberateDifference.explaining(seen("eth:ip:tcp eth:ip:tcp", timeout + 1)));
    }
}
