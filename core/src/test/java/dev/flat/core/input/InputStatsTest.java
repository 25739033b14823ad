package dev.flat.core.input;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InputStatsTest {
    @Test
    void addCountsAddsEveryCountButNeitherFilesNorWarnings() {
        InputStats stats = new InputStats();
        stats.addFile("a.pcap");
        stats.countPacket();
        stats.countEvent();
        stats.skip(SkipReason.NOT_RELEVANT);
        stats.unsupportedLinkType(147);
        stats.warn("first");

        InputStats other = new InputStats();
        other.addFile("b.pcap");
        other.countPackets(10);
        other.countEvent();
        other.countEvent();
        other.skip(SkipReason.NOT_RELEVANT);
        other.skip(SkipReason.NO_TIMESTAMP);
        other.unsupportedLinkType(147);
        other.unsupportedLinkType(148);
        other.countLost(3);
        other.countTimestampOutOfRange();
        other.warn("second");

        stats.addCounts(other);
        assertEquals(11, stats.packets());
        assertEquals(3, stats.events());
        assertEquals(2, stats.skipped(SkipReason.NOT_RELEVANT));
        assertEquals(1, stats.skipped(SkipReason.NO_TIMESTAMP));
        assertEquals(3, stats.skipped(SkipReason.UNSUPPORTED_LINK_TYPE));
        assertEquals(Map.of(147, 2L, 148, 1L), stats.unsupportedLinkTypes());
        assertEquals(3, stats.lostEvents());
        assertEquals(1, stats.timestampsOutOfRange());
        assertEquals(List.of("a.pcap"), stats.files());
        assertEquals(List.of("first"), stats.warnings());
    }
}
