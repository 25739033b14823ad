package dev.flat.replay;

import static dev.flat.replay.Frames.ethernet;
import static dev.flat.replay.Frames.icmp;
import static dev.flat.replay.Frames.ipv4;
import static dev.flat.replay.Frames.ipv6;
import static dev.flat.replay.Frames.tcp;
import static dev.flat.replay.Frames.udp;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flat.core.event.Direction;
import dev.flat.core.event.EventRecord;
import dev.flat.core.input.InputStats;
import dev.flat.core.input.SkipReason;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FrameParserTest {
    private static final long TS = 1_700_000_000_123_456_789L;
    private static final int TCP = EventRecord.PROTO_TCP;
    private static final int UDP = EventRecord.PROTO_UDP;
    private static final int ICMP = EventRecord.PROTO_ICMP;
    private static final int ICMPV6 = EventRecord.PROTO_ICMPV6;
    private static final int IPV4 = FrameParser.ETHERTYPE_IPV4;
    private static final int IPV6 = FrameParser.ETHERTYPE_IPV6;
    private static final int HOP = 0;
    private static final int ROUTING = 43;
    private static final int FRAGMENT = 44;
    private static final int DSTOPTS = 60;

    private final FrameParser parser = new FrameParser();
    private final EventRecord out = EventRecord.allocate();
    private InputStats stats = new InputStats();

    private boolean parse(int linkType, byte[] frame) {
        return parse(linkType, frame, Direction.UNKNOWN.code());
    }

    private boolean parse(int linkType, byte[] frame, int direction) {
        stats = new InputStats();
        return parser.parse(linkType, frame, 0, frame.length, TS, EventRecord.DIGITS_NS, direction, 7, out, stats);
    }

    /** Parses and expects a skip for exactly this reason. */
    private void assertSkipped(SkipReason reason, int linkType, byte[] frame) {
        assertFalse(parse(linkType, frame), "expected a skip for " + reason);
        assertEquals(Map.of(reason, 1L), stats.skippedByReason());
    }

    @Test
    void tcpSynOverEthernetFillsEveryField() {
        byte[] frame = ethernet(IPV4, ipv4(TCP, tcp(40000, 443, 0xFEDC_BA98L, 0, EventRecord.TCP_SYN)));
        assertTrue(parse(LinkType.ETHERNET, frame, Direction.EGRESS.code()));

        assertEquals(EventRecord.TYPE_PACKET, out.type());
        assertEquals(EventRecord.VERSION, out.version());
        assertEquals(Direction.EGRESS.code(), out.direction());
        assertEquals(4, out.ipVersion());
        assertEquals(TCP, out.ipProto());
        assertEquals(61, out.ttl());
        assertEquals(EventRecord.TCP_SYN, out.tcpFlags());
        assertEquals(0, out.icmpType());
        assertEquals(0, out.icmpCode());
        assertEquals(EventRecord.DIGITS_NS, out.tsDigits());
        assertEquals(0, out.payloadLen());
        assertEquals(7, out.ifindex());
        assertEquals(TS, out.tsNs());
        assertEquals(0, out.saddrHi());
        assertEquals(0xFFFF_0A00_0001L, out.saddrLo());
        assertEquals(0xFFFF_0A00_0002L, out.daddrLo());
        assertEquals(40000, out.sport());
        assertEquals(443, out.dport());
        assertEquals(0xFEDC_BA98L, out.tcpSeq());
        assertEquals(0, out.tcpAck());
        assertEquals(0, out.payloadWord());
        assertEquals(0, out.buffer().getLong(EventRecord.RESERVED_OFFSET));
        assertEquals(0, stats.skippedTotal());
    }

    @Test
    void previousEventLeavesNothingBehind() {
        assertTrue(parse(LinkType.ETHERNET, ethernet(IPV4, ipv4(UDP, udp(53, 5353, (byte) 1, (byte) 2, (byte) 3, (byte) 4)))));
        assertTrue(parse(LinkType.ETHERNET, ethernet(IPV4, ipv4(TCP, tcp(1, 2, 3, 4, EventRecord.TCP_RST)))));
        assertEquals(0, out.payloadLen());
        assertEquals(0, out.payloadWord());
    }

    @ParameterizedTest
    @ValueSource(ints = {0x8100, 0x88A8, 0x9100})
    void singleVlanTagIsWalked(int tpid) {
        assertTrue(parse(LinkType.ETHERNET, ethernet(IPV4, ipv4(TCP, tcp(1, 80, 1, 0, EventRecord.TCP_SYN)), tpid)));
        assertEquals(80, out.dport());
    }

    @Test
    void qinqDoubleTagIsWalked() {
        byte[] frame = ethernet(IPV6, ipv6(TCP, tcp(1, 80, 1, 0, EventRecord.TCP_SYN)), 0x88A8, 0x8100);
        assertTrue(parse(LinkType.ETHERNET, frame));
        assertEquals(6, out.ipVersion());
        assertEquals(62, out.ttl());
    }

    @Test
    void vlanTagsOfAnyTpidAreWalkedUpToTheBound() {
        int[] tpids = {0x88A8, 0x8100, 0x9100};
        for (int count = 0; count <= FrameParser.MAX_VLAN_TAGS; count++) {
            int[] tags = new int[count];
            for (int i = 0; i < count; i++) {
                tags[i] = tpids[i % tpids.length];
            }
            assertTrue(parse(LinkType.ETHERNET, ethernet(IPV4, ipv4(TCP, tcp(1, 80, 1, 0, EventRecord.TCP_SYN)), tags)),
                    count + " tags");
            assertEquals(80, out.dport());
            assertTrue(parse(LinkType.LINUX_SLL, Frames.sll(0, tags.length > 0 ? tags[0] : IPV6,
                    Arrays.copyOfRange(ethernet(IPV6, ipv6(UDP, udp(1, 53)), tags), 14, 14 + 4 * count + 2 + 48))),
                    count + " tags after a cooked header");
            assertEquals(53, out.dport());
        }
    }

    @Test
    void aTagBeyondTheBoundIsTooManyEncapsulations() {
        int[] nine = new int[FrameParser.MAX_VLAN_TAGS + 1];
        Arrays.fill(nine, 0x8100);
        assertSkipped(SkipReason.TOO_MANY_ENCAPSULATIONS, LinkType.ETHERNET,
                ethernet(IPV4, ipv4(TCP, tcp(1, 80, 1, 0, EventRecord.TCP_SYN)), nine));
    }

    @ParameterizedTest
    @ValueSource(ints = {0x8847, 0x8848})
    void mplsLabelStackIsWalkedToTheBottomThenTheVersionNibbleDecides(int ethertype) {
        for (int labels = 1; labels <= FrameParser.MAX_MPLS_LABELS; labels++) {
            assertTrue(parse(LinkType.ETHERNET, ethernet(ethertype, Frames.mpls(labels, ipv4(ICMP, icmp(8, 0, 9, labels))))),
                    labels + " labels");
            assertEquals(4, out.ipVersion());
            assertEquals(61, out.ttl(), "the IP TTL, not the label's");
            assertEquals(labels, out.dport());
            assertTrue(parse(LinkType.ETHERNET, ethernet(ethertype, Frames.mpls(labels, ipv6(UDP, udp(1, 53))), 0x8100)));
            assertEquals(6, out.ipVersion());
            assertEquals(53, out.dport());
        }
    }

    @Test
    void mplsStackWithoutBottomWithinTheBoundIsTooManyEncapsulations() {
        byte[] stack = Frames.mpls(FrameParser.MAX_MPLS_LABELS + 1, ipv4(UDP, udp(1, 2)));
        assertSkipped(SkipReason.TOO_MANY_ENCAPSULATIONS, LinkType.ETHERNET, ethernet(0x8847, stack));
        stack[4 * (FrameParser.MAX_MPLS_LABELS - 1) + 2] |= 1; // the eighth entry is the bottom after all
        assertSkipped(SkipReason.NOT_IP, LinkType.ETHERNET, ethernet(0x8847, stack)); // what follows is a label
    }

    @Test
    void ethernetPseudowireWithAControlWordIsWalkedToTheInnerPacket() {
        // RFC 4385 control word, RFC 4448 Ethernet frame: its own tags and ethertype lead to IP.
        assertTrue(parse(LinkType.ETHERNET, ethernet(0x8847, Frames.mpls(2,
                Frames.pseudowire(ethernet(IPV4, ipv4(ICMP, icmp(8, 0, 9, 77))))))));
        assertEquals(4, out.ipVersion());
        assertEquals(61, out.ttl(), "the inner packet's TTL");
        assertEquals(77, out.dport());
        assertTrue(parse(LinkType.ETHERNET, ethernet(0x8848, Frames.mpls(3,
                Frames.pseudowire(ethernet(IPV6, ipv6(UDP, udp(1, 53)), 0x8100, 0x88A8))), 0x8100)));
        assertEquals(6, out.ipVersion());
        assertEquals(53, out.dport());
        // The inner frame may be MPLS again (a pseudowire carrying a provider's labelled traffic).
        assertTrue(parse(LinkType.ETHERNET, ethernet(0x8847, Frames.mpls(1,
                Frames.pseudowire(ethernet(0x8847, Frames.mpls(2, ipv4(UDP, udp(1, 53)))))))));
        assertEquals(53, out.dport());
        assertSkipped(SkipReason.NOT_IP, LinkType.ETHERNET, ethernet(0x8847, Frames.mpls(2,
                Frames.pseudowire(ethernet(0x0806, new byte[28]))))); // ARP in the pseudowire
    }

    @Test
    void pseudowiresNestUpToTheTunnelBound() {
        byte[] frame = ethernet(IPV4, ipv4(UDP, udp(1, 53)));
        for (int depth = 1; depth <= FrameParser.MAX_TUNNELS; depth++) {
            frame = ethernet(0x8847, Frames.mpls(1, Frames.pseudowire(frame)));
            assertTrue(parse(LinkType.ETHERNET, frame), depth + " pseudowires");
            assertEquals(53, out.dport());
        }
        assertSkipped(SkipReason.TOO_MANY_ENCAPSULATIONS, LinkType.ETHERNET,
                ethernet(0x8847, Frames.mpls(1, Frames.pseudowire(frame))));
        // A pseudowire and IP tunnels share the bound.
        byte[] tunnels = ipv4(UDP, udp(1, 53));
        for (int depth = 1; depth < FrameParser.MAX_TUNNELS; depth++) {
            tunnels = ipv4(4, tunnels);
        }
        byte[] pseudowire = ethernet(0x8847, Frames.mpls(1, Frames.pseudowire(ethernet(IPV4, tunnels))));
        assertTrue(parse(LinkType.ETHERNET, pseudowire));
        assertSkipped(SkipReason.TOO_MANY_ENCAPSULATIONS, LinkType.ETHERNET,
                ethernet(0x8847, Frames.mpls(1, Frames.pseudowire(pseudowire))));
    }

    @Test
    void pseudowireCutShortIsATruncatedLink() {
        byte[] frame = ethernet(0x8847, Frames.mpls(2, Frames.pseudowire(ethernet(IPV4, ipv4(UDP, udp(1, 53))))));
        int controlWord = 14 + 8;
        for (int cut = controlWord + 1; cut < controlWord + 4 + 14; cut++) {
            assertSkipped(SkipReason.TRUNCATED_LINK, LinkType.ETHERNET, Arrays.copyOf(frame, cut));
        }
        assertSkipped(SkipReason.TRUNCATED_IP, LinkType.ETHERNET, Arrays.copyOf(frame, controlWord + 4 + 14));
    }

    @Test
    void mplsPayloadOtherThanIpOrAControlWordIsNotIp() {
        byte[] pseudowire = ethernet(IPV4, ipv4(UDP, udp(1, 2)));
        // First nibble 1: the associated channel header (G-ACh, RFC 5586), OAM and not traffic.
        byte[] associatedChannel = Frames.pseudowire(pseudowire);
        associatedChannel[0] = 0x10;
        assertSkipped(SkipReason.NOT_IP, LinkType.ETHERNET, ethernet(0x8847, Frames.mpls(2, associatedChannel)));
        // An Ethernet pseudowire without a control word: the MAC address's nibble (0x02 here,
        // 0 as a control word's) is taken for a control word, and what follows is no Ethernet
        // header that leads to IP; with any other first nibble but 4 and 6 it is not IP at once.
        assertSkipped(SkipReason.NOT_IP, LinkType.ETHERNET, ethernet(0x8847, Frames.mpls(1, pseudowire)));
        byte[] otherMac = pseudowire.clone();
        otherMac[0] = (byte) 0xA2;
        assertSkipped(SkipReason.NOT_IP, LinkType.ETHERNET, ethernet(0x8847, Frames.mpls(1, otherMac)));
        assertSkipped(SkipReason.TRUNCATED_LINK, LinkType.ETHERNET, Arrays.copyOf(ethernet(0x8847, Frames.mpls(2, new byte[0])), 14 + 6));
        assertSkipped(SkipReason.TRUNCATED_IP, LinkType.ETHERNET, ethernet(0x8847, Frames.mpls(2, new byte[0])));
    }

    @Test
    void nonIpEthertypeIsNotIp() {
        assertSkipped(SkipReason.NOT_IP, LinkType.ETHERNET, ethernet(0x0806, new byte[28]));
    }

    @Test
    void ethertypeAndVersionMustAgree() {
        assertSkipped(SkipReason.INCONSISTENT_HEADER, LinkType.ETHERNET,
                ethernet(IPV6, ipv4(TCP, tcp(1, 80, 1, 0, EventRecord.TCP_SYN))));
    }

    @Test
    void linuxCookedPacketTypeGivesTheDirection() {
        byte[] payload = ipv4(UDP, udp(1, 53));
        assertTrue(parse(LinkType.LINUX_SLL, Frames.sll(4, IPV4, payload)));
        assertEquals(Direction.EGRESS.code(), out.direction());
        assertTrue(parse(LinkType.LINUX_SLL, Frames.sll(0, IPV4, payload)));
        assertEquals(Direction.INGRESS.code(), out.direction());
        assertTrue(parse(LinkType.LINUX_SLL, Frames.sll(3, IPV4, payload)));
        assertEquals(Direction.INGRESS.code(), out.direction());
        assertTrue(parse(LinkType.LINUX_SLL, Frames.sll(5, IPV4, payload)), "PACKET_LOOPBACK");
        assertEquals(Direction.UNKNOWN.code(), out.direction());
        assertTrue(parse(LinkType.LINUX_SLL2, Frames.sll2(4, IPV4, payload)));
        assertEquals(Direction.EGRESS.code(), out.direction());
        assertTrue(parse(LinkType.LINUX_SLL2, Frames.sll2(1, IPV4, payload)));
        assertEquals(Direction.INGRESS.code(), out.direction());
    }

    @Test
    void captureFormatDirectionWinsOverThePacketType() {
        assertTrue(parse(LinkType.LINUX_SLL, Frames.sll(4, IPV4, ipv4(UDP, udp(1, 53))), Direction.INGRESS.code()));
        assertEquals(Direction.INGRESS.code(), out.direction());
    }

    @Test
    void ipv4OptionsMoveTheTransportHeader() {
        for (int words = 0; words <= 10; words++) {
            assertTrue(parse(LinkType.ETHERNET, ethernet(IPV4, ipv4(TCP, tcp(1111, 2222, 5, 6, EventRecord.TCP_SYN), words))));
            assertEquals(2222, out.dport(), "options words " + words);
            assertEquals(6, out.tcpAck());
        }
    }

    @Test
    void ipv4HeaderLengthBelowFiveIsInconsistent() {
        byte[] ip = ipv4(TCP, tcp(1, 2, 3, 4, EventRecord.TCP_SYN));
        ip[0] = 0x44;
        assertSkipped(SkipReason.INCONSISTENT_HEADER, LinkType.RAW, ip);
    }

    @Test
    void ipv4TotalLengthShorterThanItsHeaderIsInconsistent() {
        byte[] ip = ipv4(TCP, tcp(1, 2, 3, 4, EventRecord.TCP_SYN), 2);
        Frames.put16(ip, 2, 24);
        assertSkipped(SkipReason.INCONSISTENT_HEADER, LinkType.RAW, ip);
    }

    @Test
    void ipv4TotalLengthZeroMeansTheWholeCapture() {
        byte[] ip = ipv4(UDP, udp(1, 2, new byte[] {5, 6, 7, 8}));
        Frames.put16(ip, 2, 0); // segmentation offload left it unset
        assertTrue(parse(LinkType.RAW, ip));
        assertEquals(4, out.payloadLen());
        assertEquals(0x0506_0708, out.payloadWord());
    }

    @Test
    void ethernetPaddingIsNotPayload() {
        // A 1-byte UDP payload in a frame padded to the 60-byte Ethernet minimum with 0xAA.
        byte[] frame = Frames.pad(ethernet(IPV4, ipv4(UDP, udp(1, 2, (byte) 0x11))), 60, (byte) 0xAA);
        assertTrue(parse(LinkType.ETHERNET, frame));
        assertEquals(1, out.payloadLen());
        assertEquals(0x1100_0000, out.payloadWord());
    }

    @Test
    void udpFieldsAndFirstFourPayloadBytes() {
        byte[] dns = {(byte) 0xAB, (byte) 0xCD, 0x01, 0x00, 0, 1, 0, 0};
        assertTrue(parse(LinkType.ETHERNET, ethernet(IPV6, ipv6(UDP, udp(5353, 53, dns)))));
        assertEquals(6, out.ipVersion());
        assertEquals(UDP, out.ipProto());
        assertEquals(8, out.payloadLen());
        assertEquals(0xABCD_0100, out.payloadWord());
        assertEquals(0xFD00_0000_0000_0000L, out.saddrHi());
        assertEquals(1, out.saddrLo());
        assertEquals(2, out.daddrLo());
        assertEquals(0, out.tcpFlags());
    }

    @Test
    void udpLengthBelowHeaderOrBeyondTheIpPayloadIsInconsistent() {
        byte[] ip = ipv4(UDP, udp(1, 2, new byte[4]));
        Frames.put16(ip, 20 + 4, 7);
        assertSkipped(SkipReason.INCONSISTENT_HEADER, LinkType.RAW, ip);
        Frames.put16(ip, 20 + 4, 13);
        assertSkipped(SkipReason.INCONSISTENT_HEADER, LinkType.RAW, ip);
        Frames.put16(ip, 20 + 4, 12);
        assertTrue(parse(LinkType.RAW, ip));
    }

    @Test
    void snapLengthCutUdpPayloadKeepsTheDatagramLength() {
        byte[] ip = ipv4(UDP, udp(1, 2, new byte[] {9, 8, 7, 6, 5, 4}));
        byte[] cut = Arrays.copyOf(ip, 20 + 8 + 2);
        assertTrue(parse(LinkType.RAW, cut));
        assertEquals(6, out.payloadLen());
        assertEquals(0x0908_0000, out.payloadWord());
    }

    @Test
    void onlyTcpSegmentsWithSynOrRstAreEvents() {
        int[] notRelevant = {EventRecord.TCP_ACK, EventRecord.TCP_ACK | 0x08, EventRecord.TCP_FIN | EventRecord.TCP_ACK, 0};
        for (int flags : notRelevant) {
            assertSkipped(SkipReason.NOT_RELEVANT, LinkType.RAW, ipv4(TCP, tcp(1, 2, 3, 4, flags)));
        }
        int[] relevant = {EventRecord.TCP_SYN, EventRecord.TCP_SYN | EventRecord.TCP_ACK, EventRecord.TCP_RST,
                          EventRecord.TCP_RST | EventRecord.TCP_ACK};
        for (int flags : relevant) {
            assertTrue(parse(LinkType.RAW, ipv4(TCP, tcp(1, 2, 3, 4, flags))));
            assertEquals(flags, out.tcpFlags());
        }
    }

    @Test
    void tcpDataOffsetBelowFiveIsInconsistent() {
        byte[] ip = ipv4(TCP, tcp(1, 2, 3, 4, EventRecord.TCP_SYN));
        ip[20 + 12] = 4 << 4;
        assertSkipped(SkipReason.INCONSISTENT_HEADER, LinkType.RAW, ip);
    }

    @Test
    void icmpEchoCarriesIdentifierAndSequence() {
        assertTrue(parse(LinkType.RAW, ipv4(ICMP, icmp(8, 0, 0x1234, 7))));
        assertEquals(8, out.icmpType());
        assertEquals(0x1234, out.sport());
        assertEquals(7, out.dport());
        assertTrue(parse(LinkType.RAW, ipv4(ICMP, icmp(0, 0, 0x1234, 7))));
        assertTrue(parse(LinkType.RAW, ipv6(ICMPV6, icmp(128, 0, 1, 2))));
        assertEquals(128, out.icmpType());
        assertTrue(parse(LinkType.RAW, ipv6(ICMPV6, icmp(129, 0, 1, 2))));
        assertSkipped(SkipReason.NOT_RELEVANT, LinkType.RAW, ipv4(ICMP, icmp(3, 3, 0, 0)));
        assertSkipped(SkipReason.NOT_RELEVANT, LinkType.RAW, ipv6(ICMPV6, icmp(135, 0, 0, 0)));
        assertSkipped(SkipReason.OTHER_IP_PROTOCOL, LinkType.RAW, ipv6(ICMP, icmp(8, 0, 0, 0)));
        assertSkipped(SkipReason.OTHER_IP_PROTOCOL, LinkType.RAW, ipv4(ICMPV6, icmp(128, 0, 0, 0)));
        assertSkipped(SkipReason.OTHER_IP_PROTOCOL, LinkType.RAW, ipv4(50, new byte[8])); // ESP
    }

    @Test
    void ipv6ExtensionHeadersAreWalkedUpToTheBound() {
        assertTrue(parse(LinkType.RAW, ipv6(TCP, tcp(1, 2, 3, 4, EventRecord.TCP_SYN), HOP, DSTOPTS, ROUTING, FRAGMENT)));
        assertEquals(2, out.dport());
        int[] six = {HOP, DSTOPTS, ROUTING, DSTOPTS, DSTOPTS, DSTOPTS};
        assertEquals(FrameParser.MAX_EXTENSION_HEADERS, six.length);
        assertTrue(parse(LinkType.RAW, ipv6(UDP, udp(1, 2), six)));
        int[] seven = {HOP, DSTOPTS, ROUTING, DSTOPTS, DSTOPTS, DSTOPTS, DSTOPTS};
        assertSkipped(SkipReason.TOO_MANY_EXTENSION_HEADERS, LinkType.RAW, ipv6(UDP, udp(1, 2), seven));
    }

    @Test
    void ipv6ExtensionHeaderLengthCountsEightOctetUnits() {
        byte[] ip = ipv6(UDP, udp(1, 2), DSTOPTS, DSTOPTS);
        // Make the first header 16 bytes long by swallowing the second, which then is padding.
        ip[40 + 1] = 1;
        ip[40] = (byte) UDP;
        assertTrue(parse(LinkType.RAW, ip));
        assertEquals(2, out.dport());
    }

    @Test
    void ipv6ExtensionHeaderBeyondThePayloadIsInconsistent() {
        byte[] ip = ipv6(UDP, udp(1, 2), DSTOPTS);
        ip[40 + 1] = 5; // 48 bytes, more than the packet
        assertSkipped(SkipReason.INCONSISTENT_HEADER, LinkType.RAW, ip);
    }

    @Test
    void fragmentsOtherThanTheFirstHaveNoTransportHeader() {
        byte[] v4 = ipv4(UDP, udp(1, 2, new byte[8]));
        Frames.put16(v4, 6, 0x2000 | 185); // MF, offset 1480 bytes
        assertSkipped(SkipReason.NON_FIRST_FRAGMENT, LinkType.RAW, v4);
        byte[] v6 = ipv6(UDP, udp(1, 2, new byte[8]), FRAGMENT);
        Frames.put16(v6, 40 + 2, 185 << 3);
        assertSkipped(SkipReason.NON_FIRST_FRAGMENT, LinkType.RAW, v6);
    }

    @Test
    void firstFragmentUdpLengthCoversTheWholeDatagram() {
        byte[] v4 = ipv4(UDP, udp(1, 2, new byte[8]));
        Frames.put16(v4, 20 + 4, 3000);
        Frames.put16(v4, 6, 0x2000); // MF, offset 0
        assertTrue(parse(LinkType.RAW, v4));
        assertEquals(2992, out.payloadLen());
        byte[] v6 = ipv6(UDP, udp(1, 2, new byte[8]), FRAGMENT);
        Frames.put16(v6, 40 + 8 + 4, 3000);
        Frames.put16(v6, 40 + 2, 1); // M flag, offset 0
        assertTrue(parse(LinkType.RAW, v6));
        assertEquals(2992, out.payloadLen());
    }

    @Test
    void rawLinkTypesTakeTheVersionFromTheHeader() {
        byte[] v4 = ipv4(UDP, udp(1, 2));
        byte[] v6 = ipv6(UDP, udp(1, 2));
        for (int linkType : new int[] {LinkType.DLT_RAW, LinkType.DLT_RAW_OPENBSD, LinkType.RAW}) {
            assertTrue(parse(linkType, v4));
            assertEquals(4, out.ipVersion());
            assertTrue(parse(linkType, v6));
            assertEquals(6, out.ipVersion());
        }
        assertTrue(parse(LinkType.IPV4, v4));
        assertTrue(parse(LinkType.IPV6, v6));
        assertSkipped(SkipReason.INCONSISTENT_HEADER, LinkType.IPV4, v6);
        assertSkipped(SkipReason.INCONSISTENT_HEADER, LinkType.IPV6, v4);
        byte[] v5 = v4.clone();
        v5[0] = 0x55;
        assertSkipped(SkipReason.NOT_IP, LinkType.RAW, v5);
    }

    @Test
    void bsdLoopbackFamiliesInEitherByteOrder() {
        byte[] v4 = ipv4(UDP, udp(1, 2));
        byte[] v6 = ipv6(UDP, udp(1, 2));
        for (boolean bigEndian : new boolean[] {false, true}) {
            assertTrue(parse(LinkType.NULL, Frames.loopback(2, bigEndian, v4)));
            for (int af6 : new int[] {24, 28, 30}) {
                assertTrue(parse(LinkType.NULL, Frames.loopback(af6, bigEndian, v6)));
                assertEquals(6, out.ipVersion());
            }
        }
        assertTrue(parse(LinkType.LOOP, Frames.loopback(2, true, v4)));
        assertSkipped(SkipReason.NOT_IP, LinkType.LOOP, Frames.loopback(2, false, v4));
        assertSkipped(SkipReason.NOT_IP, LinkType.NULL, Frames.loopback(7, false, v4));
    }

    @Test
    void unsupportedLinkTypeIsCountedByNumber() {
        assertFalse(parse(192, new byte[40])); // PPI
        assertEquals(1, stats.skipped(SkipReason.UNSUPPORTED_LINK_TYPE));
        assertEquals(Map.of(192, 1L), stats.unsupportedLinkTypes());
    }

    /**
     * Every prefix of valid frames: never throws, never reads past the captured length (the
     * same prefix inside a larger buffer full of 0xFF gives the same answer), and every call
     * is either an event or exactly one counted skip.
     */
    @Test
    void truncationAtEveryOffsetIsCountedNeverThrown() {
        List<Object[]> frames = List.of(
                new Object[] {LinkType.ETHERNET, ethernet(IPV4, ipv4(TCP, tcp(1, 2, 3, 4, EventRecord.TCP_SYN), 3), 0x88A8, 0x8100)},
                new Object[] {LinkType.ETHERNET, ethernet(IPV6, ipv6(UDP, udp(1, 2, new byte[6]), HOP, FRAGMENT))},
                new Object[] {LinkType.ETHERNET, ethernet(0x8848, Frames.mpls(3, ipv4(UDP, udp(1, 2, new byte[2]))), 0x8100)},
                new Object[] {LinkType.LINUX_SLL2, Frames.sll2(0, 0x8847, Frames.mpls(1, ipv6(ICMPV6, icmp(129, 0, 1, 1))))},
                new Object[] {LinkType.ETHERNET, ethernet(0x8864, Frames.pppoe(0x21, ipv4(UDP, udp(1, 2, new byte[3]))), 0x8100)},
                new Object[] {LinkType.PPP, Frames.ppp(true, true, 0x57, ipv6(TCP, tcp(1, 2, 3, 4, EventRecord.TCP_SYN)))},
                new Object[] {LinkType.ETHERNET, ethernet(IPV6, ipv6(47, Frames.gre(0xB000, 0x6558,
                        ethernet(IPV4, ipv4(ICMP, icmp(0, 0, 1, 1)))), HOP))},
                new Object[] {LinkType.RAW, ipv4(41, ipv6(UDP, udp(1, 2, new byte[5])))},
                new Object[] {LinkType.NFLOG, Frames.nflog(2, false, ipv4(UDP, udp(1, 2, new byte[2])))},
                new Object[] {LinkType.IEEE802_11_RADIOTAP, Frames.radiotap(true, 1, 0x30,
                        Frames.concat(Frames.wlanData(8, 0x83, 0, IPV4, ipv4(TCP, tcp(1, 2, 3, 4, EventRecord.TCP_RST))),
                                new byte[] {9, 9, 9, 9}))},
                new Object[] {LinkType.LINUX_SLL, Frames.sll(0, IPV4, ipv4(ICMP, icmp(8, 0, 1, 1)))},
                new Object[] {LinkType.LINUX_SLL2, Frames.sll2(4, IPV6, ipv6(ICMPV6, icmp(128, 0, 1, 1), ROUTING))},
                new Object[] {LinkType.NULL, Frames.loopback(30, false, ipv6(TCP, tcp(1, 2, 3, 4, EventRecord.TCP_RST)))},
                new Object[] {LinkType.RAW, ipv4(UDP, udp(1, 2, new byte[] {1, 2, 3, 4, 5}))});
        for (Object[] f : frames) {
            int linkType = (int) f[0];
            byte[] frame = (byte[]) f[1];
            assertTrue(parse(linkType, frame), "the full frame is an event");
            byte[] full = Corpus.bytes(out);
            for (int n = 0; n <= frame.length; n++) {
                byte[] exact = Arrays.copyOf(frame, n);
                byte[] inLarger = Frames.pad(exact, frame.length + 64, (byte) 0xFF);
                InputStats a = new InputStats();
                InputStats b = new InputStats();
                boolean eventExact = parser.parse(linkType, exact, 0, n, TS, 9, 0, 1, out, a);
                byte[] fromExact = Corpus.bytes(out);
                boolean eventLarger = parser.parse(linkType, inLarger, 0, n, TS, 9, 0, 1, out, b);
                assertEquals(eventExact, eventLarger, "prefix " + n);
                assertEquals(a.skippedByReason(), b.skippedByReason(), "prefix " + n);
                assertEquals(1, (eventExact ? 1 : 0) + a.skippedTotal(), "prefix " + n);
                if (eventExact) {
                    assertArrayEquals(fromExact, Corpus.bytes(out), "prefix " + n);
                }
            }
            assertTrue(full.length == EventRecord.ENCODED_LENGTH);
        }
    }

    @Test
    void frameAtAnOffsetInsideTheBuffer() {
        byte[] frame = ethernet(IPV4, ipv4(TCP, tcp(1, 2, 3, 4, EventRecord.TCP_SYN)));
        byte[] buf = new byte[100 + frame.length];
        System.arraycopy(frame, 0, buf, 100, frame.length);
        assertTrue(parser.parse(LinkType.ETHERNET, buf, 100, frame.length, TS, 6, 0, 0, out, stats));
        assertEquals(2, out.dport());
        assertEquals(6, out.tsDigits());
    }

    /**
     * A parse of the first bytes of a frame (what ChannelInput copies) either agrees with the
     * parse of the whole frame, event and counts, or asks for the whole frame having counted
     * nothing; it never reads past the copied bytes (they are followed by junk here).
     */
    @Test
    void prefixParseAgreesWithTheWholeFrameOrAsksForIt() {
        List<Object[]> frames = List.of(
                new Object[] {LinkType.ETHERNET, ethernet(IPV4, ipv4(TCP, tcp(1, 2, 3, 4, EventRecord.TCP_SYN), 10), 0x88A8, 0x8100)},
                new Object[] {LinkType.ETHERNET, ethernet(IPV4, ipv4(TCP, tcp(1, 2, 3, 4, EventRecord.TCP_SYN), 10), 0x88A8,
                        0x8100, 0x8100, 0x8100, 0x8100, 0x8100, 0x8100, 0x8100)},
                new Object[] {LinkType.ETHERNET, ethernet(0x8847, Frames.mpls(8, ipv4(UDP, udp(1, 2, new byte[] {1, 2, 3, 4, 5}), 10)),
                        0x88A8, 0x8100)},
                new Object[] {LinkType.ETHERNET, ethernet(0x8847, Frames.mpls(4, ipv6(UDP, udp(1, 2, new byte[30]), HOP)))},
                new Object[] {LinkType.ETHERNET, ethernet(0x8847, Frames.mpls(3, Frames.pseudowire(ethernet(0x8847,
                        Frames.mpls(3, Frames.pseudowire(ethernet(IPV6, ipv6(UDP, udp(1, 2, new byte[3]), HOP), 0x8100)))))),
                        0x8100)},
                new Object[] {LinkType.ETHERNET, ethernet(IPV4, ipv4(UDP, udp(5353, 53, new byte[] {(byte) 0xAB, (byte) 0xCD, 1, 0, 9, 9}), 10))},
                new Object[] {LinkType.ETHERNET, ethernet(IPV6, ipv6(UDP, udp(1, 2, new byte[300]), HOP, DSTOPTS, ROUTING, FRAGMENT))},
                new Object[] {LinkType.ETHERNET, ethernet(IPV6, Frames.ipv6DestinationOptions(TCP, tcp(1, 2, 3, 4, EventRecord.TCP_SYN), 3, 10))},
                new Object[] {LinkType.ETHERNET, ethernet(IPV6, Frames.ipv6DestinationOptions(UDP, udp(1, 2, new byte[] {7, 7, 7}), 2, 40))},
                new Object[] {LinkType.ETHERNET, ethernet(IPV6, Frames.ipv6DestinationOptions(ICMPV6, icmp(128, 0, 1, 2), 1, 12))},
                new Object[] {LinkType.ETHERNET, ethernet(IPV6, Frames.ipv6DestinationOptions(TCP, tcp(1, 2, 3, 4, EventRecord.TCP_ACK), 6, 30))},
                // Tunnels whose inner headers lie past the prefix, and link headers longer than it.
                new Object[] {LinkType.ETHERNET, ethernet(IPV6, ipv6(47, Frames.gre(0xB000, 0x6558,
                        ethernet(IPV4, ipv4(UDP, udp(1, 2, new byte[9]), 5), 0x8100)), DSTOPTS))},
                new Object[] {LinkType.ETHERNET, ethernet(IPV4, ipv4(4, ipv4(41, ipv6(TCP, tcp(1, 2, 3, 4, EventRecord.TCP_SYN))), 8))},
                new Object[] {LinkType.NFLOG, nflogAfterALongPrefix(ipv4(UDP, udp(1, 2, new byte[4])))},
                new Object[] {LinkType.IEEE802_11_RADIOTAP, Frames.radiotap(true, 20, 0x10,
                        Frames.concat(Frames.wlanData(8, 0x83, 0, IPV6, ipv6(UDP, udp(1, 2, new byte[12]))), new byte[4]))});
        int asked = 0;
        for (Object[] f : frames) {
            int linkType = (int) f[0];
            byte[] frame = (byte[]) f[1];
            for (int capLen = 0; capLen <= frame.length; capLen++) {
                InputStats wholeStats = new InputStats();
                EventRecord whole = EventRecord.allocate();
                boolean wholeEvent = parser.parse(linkType, frame, 0, capLen, TS, 9, 0, 3, whole, wholeStats);
                for (int copied = Math.min(capLen, FrameParser.HEADERS_PREFIX); copied <= capLen; copied += 7) {
                    byte[] buf = new byte[capLen + 8];
                    Arrays.fill(buf, (byte) 0x5A);
                    System.arraycopy(frame, 0, buf, 0, copied);
                    InputStats prefixStats = new InputStats();
                    EventRecord prefix = EventRecord.allocate();
                    boolean prefixEvent = parser.parsePrefix(linkType, buf, 0, capLen, copied, TS, 9, 0, 3,
                            prefix, prefixStats);
                    if (parser.needsWholeFrame()) {
                        asked++;
                        assertFalse(prefixEvent);
                        assertTrue(copied < capLen);
                        assertEquals(0, prefixStats.skippedTotal());
                        continue;
                    }
                    String where = "link type " + linkType + ", capLen " + capLen + ", copied " + copied;
                    assertEquals(wholeEvent, prefixEvent, where);
                    assertEquals(wholeStats.skippedByReason(), prefixStats.skippedByReason(), where);
                    if (wholeEvent) {
                        assertEquals(whole.buffer(), prefix.buffer(), where);
                    }
                }
            }
        }
        assertTrue(asked > 0, "no frame needed more than its prefix");
    }

    /** NFLOG whose payload TLV follows a 120-byte prefix TLV: the packet starts past the copied prefix. */
    private static byte[] nflogAfterALongPrefix(byte[] packet) {
        java.io.ByteArrayOutputStream o = new java.io.ByteArrayOutputStream();
        o.writeBytes(new byte[] {2, 0, 0, 1});
        Frames.nflogTlv(o, false, 10, new byte[120]);
        Frames.nflogTlv(o, false, 9, packet);
        return o.toByteArray();
    }
}
