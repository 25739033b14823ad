package dev.flat.replay;

import static dev.flat.replay.Frames.concat;
import static dev.flat.replay.Frames.ethernet;
import static dev.flat.replay.Frames.gre;
import static dev.flat.replay.Frames.icmp;
import static dev.flat.replay.Frames.ipv4;
import static dev.flat.replay.Frames.ipv6;
import static dev.flat.replay.Frames.nflog;
import static dev.flat.replay.Frames.ppp;
import static dev.flat.replay.Frames.pppoe;
import static dev.flat.replay.Frames.radiotap;
import static dev.flat.replay.Frames.tcp;
import static dev.flat.replay.Frames.udp;
import static dev.flat.replay.Frames.wlanData;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flat.core.event.Direction;
import dev.flat.core.event.EventRecord;
import dev.flat.core.input.InputStats;
import dev.flat.core.input.SkipReason;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Link types other than Ethernet and the tunnels inside IP: PPP, Cisco HDLC, PPPoE, GRE, IP in
 * IP, NFLOG, 802.11 and radiotap. Every frame's inner packet is 10.0.0.1 → 10.0.0.2 with TTL 61
 * (IPv6: fd00::1 → fd00::2, hop limit 62); tunnel headers are rewritten to other addresses and
 * TTLs so that a test sees which header an event's fields came from.
 */
class EncapsulationTest {
    private static final long TS = 1_700_000_000_000_000_001L;
    private static final int TCP = EventRecord.PROTO_TCP;
    private static final int UDP = EventRecord.PROTO_UDP;
    private static final int ICMPV6 = EventRecord.PROTO_ICMPV6;
    private static final int IPV4 = FrameParser.ETHERTYPE_IPV4;
    private static final int IPV6 = FrameParser.ETHERTYPE_IPV6;
    private static final int GRE = 47;
    private static final int IPIP = 4;
    private static final int IPV6_IN_IP = 41;
    private static final long INNER_SRC_V4 = 0xFFFF_0A00_0001L;

    private final FrameParser parser = new FrameParser();
    private final EventRecord out = EventRecord.allocate();
    private InputStats stats = new InputStats();

    private boolean parse(int linkType, byte[] frame) {
        stats = new InputStats();
        return parser.parse(linkType, frame, 0, frame.length, TS, EventRecord.DIGITS_NS, Direction.UNKNOWN.code(), 1,
                out, stats);
    }

    private void assertSkipped(SkipReason reason, int linkType, byte[] frame) {
        assertFalse(parse(linkType, frame), "expected a skip for " + reason);
        assertEquals(Map.of(reason, 1L), stats.skippedByReason());
    }

    /** The inner IPv4 SYN 10.0.0.1:1234 → 10.0.0.2:80 every tunnel test carries. */
    private static byte[] innerSyn() {
        return ipv4(TCP, tcp(1234, 80, 77, 0, EventRecord.TCP_SYN));
    }

    private void assertInnerSyn() {
        assertEquals(4, out.ipVersion());
        assertEquals(INNER_SRC_V4, out.saddrLo());
        assertEquals(80, out.dport());
        assertEquals(77, out.tcpSeq());
        assertEquals(61, out.ttl(), "the inner packet's TTL");
    }

    /** An outer IPv4 header 192.0.2.1 → 192.0.2.2 with TTL 200 around a tunnel payload. */
    private static byte[] outerV4(int proto, byte[] payload) {
        byte[] p = ipv4(proto, payload);
        p[8] = (byte) 200;
        p[12] = (byte) 192;
        p[13] = 0;
        p[14] = 2;
        p[16] = (byte) 192;
        p[17] = 0;
        p[18] = 2;
        return p;
    }

    /** An outer IPv6 header fd00::a → fd00::b with hop limit 201. */
    private static byte[] outerV6(int proto, byte[] payload, int... extensions) {
        byte[] p = ipv6(proto, payload, extensions);
        p[7] = (byte) 201;
        p[23] = 0x0A;
        p[39] = 0x0B;
        return p;
    }

    // ---- PPP, Cisco HDLC, PPPoE

    @Test
    void pppWithOrWithoutAddressControlAndProtocolCompression() {
        for (boolean addressControl : new boolean[] {true, false}) {
            for (boolean compressed : new boolean[] {true, false}) {
                String how = "FF 03 " + addressControl + ", compressed protocol " + compressed;
                assertTrue(parse(LinkType.PPP, ppp(addressControl, compressed, 0x21, innerSyn())), how);
                assertInnerSyn();
                assertTrue(parse(LinkType.PPP_HDLC, ppp(addressControl, compressed, 0x57, ipv6(UDP, udp(5, 53)))), how);
                assertEquals(6, out.ipVersion());
                assertEquals(53, out.dport());
            }
        }
        assertSkipped(SkipReason.NOT_IP, LinkType.PPP, ppp(true, false, 0xC021, new byte[8])); // LCP
        assertSkipped(SkipReason.NOT_IP, LinkType.PPP, ppp(false, false, 0x8021, new byte[8])); // IPCP
        assertSkipped(SkipReason.INCONSISTENT_HEADER, LinkType.PPP, ppp(true, false, 0x57, innerSyn()));
        byte[] badControl = ppp(true, false, 0x21, innerSyn());
        badControl[1] = 0x13;
        assertSkipped(SkipReason.INCONSISTENT_HEADER, LinkType.PPP, badControl);
        assertSkipped(SkipReason.TRUNCATED_LINK, LinkType.PPP, new byte[] {(byte) 0xFF, 0x03, 0x00});
    }

    @Test
    void ciscoHdlcCarriesAnEthertype() {
        byte[] hdlc = concat(new byte[] {0x0F, 0, 0x08, 0x00}, innerSyn());
        assertTrue(parse(LinkType.C_HDLC, hdlc));
        assertInnerSyn();
        assertTrue(parse(LinkType.PPP_HDLC, hdlc), "LINKTYPE_PPP_HDLC also carries Cisco HDLC");
        hdlc[0] = (byte) 0x8F;
        assertTrue(parse(LinkType.PPP_HDLC, hdlc));
        assertSkipped(SkipReason.NOT_IP, LinkType.C_HDLC, concat(new byte[] {0x0F, 0, (byte) 0x80, 0x35}, new byte[20]));
    }

    @Test
    void directionByteOfPppAndCiscoHdlcWithDirection() {
        assertTrue(parse(LinkType.PPP_WITH_DIR, concat(new byte[] {1}, ppp(true, false, 0x21, innerSyn()))));
        assertEquals(Direction.EGRESS.code(), out.direction());
        assertTrue(parse(LinkType.C_HDLC_WITH_DIR, concat(new byte[] {0, 0x0F, 0, 0x08, 0x00}, innerSyn())));
        assertEquals(Direction.INGRESS.code(), out.direction());
    }

    @Test
    void pppoeSessionUnderEthernetVlanTagsAndOnItsOwn() {
        assertTrue(parse(LinkType.ETHERNET, ethernet(0x8864, pppoe(0x21, innerSyn()))));
        assertInnerSyn();
        assertTrue(parse(LinkType.ETHERNET, ethernet(0x8864, pppoe(0x57, ipv6(UDP, udp(5, 53))), 0x88A8, 0x8100)));
        assertEquals(53, out.dport());
        assertTrue(parse(LinkType.PPP_ETHER, pppoe(0x21, innerSyn())));
        assertInnerSyn();
        assertTrue(parse(LinkType.LINUX_SLL, Frames.sll(4, 0x8864, pppoe(0x21, innerSyn()))));
        assertEquals(Direction.EGRESS.code(), out.direction());

        assertSkipped(SkipReason.NOT_IP, LinkType.ETHERNET, ethernet(0x8863, new byte[20])); // discovery
        assertSkipped(SkipReason.NOT_IP, LinkType.ETHERNET, ethernet(0x8864, pppoe(0xC021, new byte[10]))); // LCP
        byte[] notSession = pppoe(0x21, innerSyn());
        notSession[1] = 0x09; // PADI's code
        assertSkipped(SkipReason.INCONSISTENT_HEADER, LinkType.PPP_ETHER, notSession);
        assertSkipped(SkipReason.TRUNCATED_LINK, LinkType.ETHERNET, Arrays.copyOf(ethernet(0x8864, pppoe(0x21, innerSyn())), 14 + 7));
    }

    // ---- tunnels

    @Test
    void greWithEveryCombinationOfOptionalFields() {
        int[] flagWords = {0, 0x8000, 0x2000, 0x1000, 0xA000, 0x9000, 0x3000, 0xB000};
        for (int flags : flagWords) {
            String how = "flags " + Integer.toHexString(flags);
            assertTrue(parse(LinkType.ETHERNET, ethernet(IPV4, outerV4(GRE, gre(flags, IPV4, innerSyn())))), how);
            assertInnerSyn();
            assertTrue(parse(LinkType.ETHERNET, ethernet(IPV6, outerV6(GRE, gre(flags, IPV6, ipv6(UDP, udp(5, 53)))))), how);
            assertEquals(6, out.ipVersion());
            assertEquals(62, out.ttl(), "the inner hop limit");
            assertEquals(1, out.saddrLo(), "the inner source");
            assertEquals(53, out.dport());
        }
    }

    @Test
    void gretapCarriesAWholeEthernetFrameAndMplsOverGreIsWalked() {
        byte[] bridged = ethernet(IPV4, innerSyn(), 0x8100);
        assertTrue(parse(LinkType.ETHERNET, ethernet(IPV4, outerV4(GRE, gre(0x2000, 0x6558, bridged)))));
        assertInnerSyn();
        assertTrue(parse(LinkType.RAW, outerV4(GRE, gre(0, 0x8847, Frames.mpls(2, innerSyn())))));
        assertInnerSyn();
        assertSkipped(SkipReason.NOT_IP, LinkType.RAW, outerV4(GRE, gre(0, 0x88BE, new byte[40]))); // ERSPAN
    }

    @Test
    void anEthernetPseudowireOverGreCountsAsASecondTunnel() {
        byte[] pseudowire = Frames.mpls(1, Frames.pseudowire(ethernet(IPV4, innerSyn(), 0x8100)));
        assertTrue(parse(LinkType.RAW, outerV4(GRE, gre(0, 0x8847, pseudowire))));
        assertInnerSyn();
        byte[] deep = outerV4(GRE, gre(0, 0x8847, pseudowire));
        for (int depth = 2; depth < FrameParser.MAX_TUNNELS; depth++) {
            deep = outerV4(IPIP, deep);
        }
        assertTrue(parse(LinkType.RAW, deep), FrameParser.MAX_TUNNELS + " tunnels, the innermost a pseudowire");
        assertInnerSyn();
        assertSkipped(SkipReason.TOO_MANY_ENCAPSULATIONS, LinkType.RAW, outerV4(IPIP, deep));
    }

    @Test
    void pptpEnhancedGreCarriesPpp() {
        int version1 = 0x2001 | 0x1000; // key, sequence, version 1
        assertTrue(parse(LinkType.RAW, outerV4(GRE, gre(version1, 0x880B, ppp(true, false, 0x21, innerSyn())))));
        assertInnerSyn();
        assertTrue(parse(LinkType.RAW, outerV4(GRE, gre(version1 | 0x0080, 0x880B, ppp(false, true, 0x21, innerSyn())))));
        assertInnerSyn();
        assertSkipped(SkipReason.NOT_IP, LinkType.RAW, outerV4(GRE, gre(0x2001 | 0x0080, 0x880B, new byte[0])));
    }

    @Test
    void greRoutingAndUnknownVersionsAreUnsupported() {
        assertSkipped(SkipReason.UNSUPPORTED_ENCAPSULATION, LinkType.RAW, outerV4(GRE, gre(0x4000, IPV4, innerSyn())));
        assertSkipped(SkipReason.UNSUPPORTED_ENCAPSULATION, LinkType.RAW, outerV4(GRE, gre(0x0002, IPV4, innerSyn())));
        assertSkipped(SkipReason.UNSUPPORTED_ENCAPSULATION, LinkType.RAW, outerV4(GRE, gre(0x0001, IPV4, innerSyn())));
        assertSkipped(SkipReason.TRUNCATED_LINK, LinkType.RAW, outerV4(GRE, new byte[] {(byte) 0xB0, 0, 8, 0, 0, 0}));
    }

    @Test
    void ipInIpAndIpv6InIpInEveryCombination() {
        assertTrue(parse(LinkType.RAW, outerV4(IPIP, innerSyn())));
        assertInnerSyn();
        assertTrue(parse(LinkType.RAW, outerV6(IPIP, innerSyn())));
        assertInnerSyn();
        assertTrue(parse(LinkType.ETHERNET, ethernet(IPV4, outerV4(IPV6_IN_IP, ipv6(ICMPV6, icmp(128, 0, 3, 4))))));
        assertEquals(6, out.ipVersion());
        assertEquals(62, out.ttl());
        assertEquals(4, out.dport());
        assertTrue(parse(LinkType.RAW, outerV6(IPV6_IN_IP, ipv6(UDP, udp(5, 53)), 0, 60)), "after extension headers");
        assertEquals(62, out.ttl());
        assertSkipped(SkipReason.INCONSISTENT_HEADER, LinkType.RAW, outerV4(IPIP, ipv6(UDP, udp(5, 53))));
        assertSkipped(SkipReason.INCONSISTENT_HEADER, LinkType.RAW, outerV4(IPV6_IN_IP, innerSyn()));
    }

    @Test
    void tunnelsNestUpToTheBound() {
        byte[] packet = innerSyn();
        for (int depth = 1; depth <= FrameParser.MAX_TUNNELS; depth++) {
            packet = depth % 2 == 0 ? outerV4(GRE, gre(0, IPV4, packet)) : outerV4(IPIP, packet);
            assertTrue(parse(LinkType.RAW, packet), depth + " tunnels");
            assertInnerSyn();
        }
        assertSkipped(SkipReason.TOO_MANY_ENCAPSULATIONS, LinkType.RAW, outerV4(IPIP, packet));
    }

    @Test
    void outerFragmentsOfATunnel() {
        byte[] first = outerV4(IPIP, ipv4(UDP, udp(5, 53, new byte[40])));
        Frames.put16(first, 6, 0x2000); // MF, offset 0
        byte[] cut = Arrays.copyOf(first, 20 + 20 + 8 + 8);
        Frames.put16(cut, 2, cut.length); // the outer fragment ends there; the inner packet goes on
        assertTrue(parse(LinkType.RAW, cut), "the first fragment carries the inner headers");
        assertEquals(40, out.payloadLen(), "the inner UDP length");
        byte[] later = outerV4(IPIP, new byte[40]);
        Frames.put16(later, 6, 6); // offset 48 bytes
        assertSkipped(SkipReason.NON_FIRST_FRAGMENT, LinkType.RAW, later);
    }

    @Test
    void theOuterDatagramBoundsTheInnerPacket() {
        // The inner header claims 20 bytes more than the outer datagram holds; the frame's
        // Ethernet padding must not be read as those bytes.
        byte[] inner = ipv4(UDP, udp(5, 53, new byte[] {1, 2, 3, 4}));
        byte[] outer = outerV4(IPIP, Arrays.copyOf(inner, 20 + 4)); // UDP header cut after 4 bytes
        Frames.put16(outer, 2, outer.length);
        assertSkipped(SkipReason.TRUNCATED_TRANSPORT, LinkType.ETHERNET, Frames.pad(ethernet(IPV4, outer), 100, (byte) 0));
    }

    // ---- NFLOG

    @Test
    void nflogTlvsInEitherByteOrderUpToThePayload() {
        for (boolean bigEndian : new boolean[] {false, true}) {
            assertTrue(parse(LinkType.NFLOG, nflog(2, bigEndian, innerSyn())), "big-endian " + bigEndian);
            assertInnerSyn();
            assertTrue(parse(LinkType.NFLOG, nflog(10, bigEndian, ipv6(UDP, udp(5, 53)))));
            assertEquals(53, out.dport());
            assertTrue(parse(LinkType.NFLOG, nflog(7, bigEndian, innerSyn())), "bridge family: the nibble decides");
            assertSkipped(SkipReason.INCONSISTENT_HEADER, LinkType.NFLOG, nflog(10, bigEndian, innerSyn()));
        }
    }

    @Test
    void nflogWithoutPayloadOrWithBrokenTlvs() {
        byte[] noPayload = Arrays.copyOf(nflog(2, false, new byte[0]), 4 + 8 + 16);
        assertSkipped(SkipReason.TRUNCATED_IP, LinkType.NFLOG, noPayload);
        byte[] zeroLength = nflog(2, false, innerSyn());
        zeroLength[4] = 0;
        assertSkipped(SkipReason.INCONSISTENT_HEADER, LinkType.NFLOG, zeroLength);
        byte[] pastTheEnd = nflog(2, false, innerSyn());
        pastTheEnd[4 + 8] = (byte) 0xF0; // the prefix TLV claims 240 bytes
        assertSkipped(SkipReason.TRUNCATED_LINK, LinkType.NFLOG, pastTheEnd);
        java.io.ByteArrayOutputStream many = new java.io.ByteArrayOutputStream();
        many.writeBytes(new byte[] {2, 0, 0, 1});
        for (int i = 0; i < LinkLayers.MAX_NFLOG_TLVS; i++) {
            Frames.nflogTlv(many, false, 2, new byte[4]); // NFULA_MARK
        }
        Frames.nflogTlv(many, false, 9, innerSyn());
        assertSkipped(SkipReason.INCONSISTENT_HEADER, LinkType.NFLOG, many.toByteArray());
    }

    // ---- 802.11 and radiotap

    @Test
    void wlanDataFramesOfEveryHeaderShape() {
        int toDs = 0x01;
        int wds = 0x03;
        int order = 0x80;
        int[][] shapes = {{0, toDs}, {0, 0x02}, {0, wds}, {8, toDs}, {8, wds}, {8, toDs | order}, {8, wds | order},
                          {0, toDs | order}, {1, toDs}, {9, toDs}};
        for (int[] shape : shapes) {
            String how = "subtype " + shape[0] + ", flags " + Integer.toHexString(shape[1]);
            assertTrue(parse(LinkType.IEEE802_11, wlanData(shape[0], shape[1], 0, IPV4, innerSyn())), how);
            assertInnerSyn();
            assertTrue(parse(LinkType.IEEE802_11, wlanData(shape[0], shape[1], 0, IPV6, ipv6(UDP, udp(5, 53)))), how);
            assertEquals(53, out.dport());
        }
        byte[] bridgeTunnel = wlanData(8, toDs, 0, IPV4, innerSyn());
        bridgeTunnel[26 + 5] = (byte) 0xF8; // 802.1H OUI
        assertTrue(parse(LinkType.IEEE802_11, bridgeTunnel));
    }

    @Test
    void wlanFramesWithoutAReadablePacketAreCountedByReason() {
        assertSkipped(SkipReason.ENCRYPTED, LinkType.IEEE802_11, wlanData(8, 0x41, 0, IPV4, innerSyn()));
        assertSkipped(SkipReason.NOT_DATA_FRAME, LinkType.IEEE802_11, wlanData(4, 0x01, 0, IPV4, new byte[0])); // null
        assertSkipped(SkipReason.NOT_DATA_FRAME, LinkType.IEEE802_11, wlanData(12, 0x01, 0, IPV4, new byte[0])); // QoS null
        byte[] beacon = new byte[60];
        beacon[0] = (byte) 0x80; // management, subtype 8
        assertSkipped(SkipReason.NOT_DATA_FRAME, LinkType.IEEE802_11, beacon);
        assertSkipped(SkipReason.NOT_DATA_FRAME, LinkType.IEEE802_11, new byte[] {(byte) 0xD4, 0, 0, 0, 1, 2, 3, 4, 5, 6}); // ACK
        assertSkipped(SkipReason.UNSUPPORTED_ENCAPSULATION, LinkType.IEEE802_11, wlanData(8, 0x01, 0x80, IPV4, innerSyn()));
        byte[] fragment = wlanData(0, 0x01, 0, IPV4, innerSyn());
        fragment[22] = 0x11; // fragment 1
        assertSkipped(SkipReason.NON_FIRST_FRAGMENT, LinkType.IEEE802_11, fragment);
        byte[] notSnap = wlanData(0, 0x01, 0, IPV4, innerSyn());
        notSnap[24] = 0x42; // an 802.2 LLC frame for STP
        assertSkipped(SkipReason.NOT_IP, LinkType.IEEE802_11, notSnap);
        byte[] version1 = wlanData(0, 0x01, 0, IPV4, innerSyn());
        version1[0] |= 1;
        assertSkipped(SkipReason.INCONSISTENT_HEADER, LinkType.IEEE802_11, version1);
        assertSkipped(SkipReason.TRUNCATED_LINK, LinkType.IEEE802_11, Arrays.copyOf(wlanData(8, 0x03, 0, IPV4, innerSyn()), 31));
    }

    @Test
    void radiotapIsSkippedByItsLengthWhateverItHolds() {
        for (int extra = 0; extra <= 2; extra++) {
            for (boolean tsft : new boolean[] {false, true}) {
                byte[] frame = radiotap(tsft, extra, 0, wlanData(8, 0x02, 0, IPV4, innerSyn()));
                assertTrue(parse(LinkType.IEEE802_11_RADIOTAP, frame), "TSFT " + tsft + ", extra present words " + extra);
                assertInnerSyn();
            }
        }
        byte[] version1 = radiotap(false, 0, 0, wlanData(8, 0x02, 0, IPV4, innerSyn()));
        version1[0] = 1;
        assertSkipped(SkipReason.INCONSISTENT_HEADER, LinkType.IEEE802_11_RADIOTAP, version1);
        byte[] tooLong = radiotap(false, 0, 0, new byte[0]);
        tooLong[2] = 40;
        assertSkipped(SkipReason.TRUNCATED_LINK, LinkType.IEEE802_11_RADIOTAP, tooLong);
        byte[] tooShort = radiotap(false, 0, 0, wlanData(8, 0x02, 0, IPV4, innerSyn()));
        tooShort[2] = 7;
        assertSkipped(SkipReason.INCONSISTENT_HEADER, LinkType.IEEE802_11_RADIOTAP, tooShort);
    }

    @Test
    void radiotapFcsFlagRemovesTheLastFourBytes() {
        // Inner IPv4 total length 0 ("as long as the capture"): the UDP length reaches the FCS
        // bytes, which then are not packet bytes.
        byte[] packet = ipv4(UDP, udp(5, 53, new byte[8]));
        Frames.put16(packet, 2, 0);
        Frames.put16(packet, 20 + 4, 8 + 8 + 4);
        byte[] wlan = concat(wlanData(8, 0x02, 0, IPV4, packet), new byte[] {1, 2, 3, 4});
        assertTrue(parse(LinkType.IEEE802_11_RADIOTAP, radiotap(true, 0, 0, wlan)), "without the flag: payload");
        assertEquals(12, out.payloadLen());
        assertSkipped(SkipReason.INCONSISTENT_HEADER, LinkType.IEEE802_11_RADIOTAP, radiotap(true, 0, 0x10, wlan));
    }

    @Test
    void radiotapDataPadAlignsThe80211Header() {
        byte[] qos = wlanData(8, 0x02, 0, IPV4, innerSyn()); // 26-byte header
        byte[] padded = concat(Arrays.copyOf(qos, 26), new byte[2], Arrays.copyOfRange(qos, 26, qos.length));
        assertTrue(parse(LinkType.IEEE802_11_RADIOTAP, radiotap(false, 0, 0x20, padded)));
        assertInnerSyn();
        assertSkipped(SkipReason.NOT_IP, LinkType.IEEE802_11_RADIOTAP, radiotap(false, 0, 0, padded));
    }

    /**
     * Seeded random damage to one frame of each encapsulation: whatever the bytes, a parse ends
     * in an event or exactly one counted skip, never an exception.
     */
    @Test
    void damagedFramesAreEventsOrOneCountedSkip() {
        Object[][] frames = {
            {LinkType.PPP, ppp(true, false, 0x21, innerSyn())},
            {LinkType.ETHERNET, ethernet(0x8864, pppoe(0x57, ipv6(UDP, udp(5, 53))), 0x8100)},
            {LinkType.ETHERNET, ethernet(IPV4, outerV4(GRE, gre(0xB000, 0x6558, ethernet(0x8847, Frames.mpls(2, innerSyn())))))},
            {LinkType.ETHERNET, ethernet(0x8847, Frames.mpls(2, Frames.pseudowire(ethernet(0x8848,
                    Frames.mpls(1, Frames.pseudowire(ethernet(IPV4, innerSyn(), 0x8100)))))))},
            {LinkType.RAW, outerV6(IPV6_IN_IP, outerV6(IPIP, innerSyn()), 0)},
            {LinkType.RAW, outerV4(GRE, gre(0x3081, 0x880B, ppp(true, false, 0x21, innerSyn())))},
            {LinkType.NFLOG, nflog(2, true, innerSyn())},
            {LinkType.IEEE802_11_RADIOTAP, radiotap(true, 1, 0x30, wlanData(8, 0x83, 0, IPV4, innerSyn()))},
        };
        java.util.Random random = new java.util.Random(0x656E6361L);
        for (Object[] f : frames) {
            int linkType = (int) f[0];
            byte[] original = (byte[]) f[1];
            for (int m = 0; m < 2000; m++) {
                byte[] mutant = original.clone();
                for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
                    mutant[random.nextInt(mutant.length)] = (byte) (random.nextBoolean() ? random.nextInt(256) : 0xFF);
                }
                int capLen = random.nextInt(4) == 0 ? random.nextInt(mutant.length + 1) : mutant.length;
                stats = new InputStats();
                boolean event = parser.parse(linkType, mutant, 0, capLen, TS, 9, 0, 1, out, stats);
                assertEquals(1, (event ? 1 : 0) + stats.skippedTotal(), "link type " + linkType + ", mutant " + m);
            }
        }
    }
}
