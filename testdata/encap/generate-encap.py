#!/usr/bin/python3
"""Generates the encapsulation captures of testdata/encap/ that this machine's kernel cannot record
(no 8021q, GRE, IPIP, SIT, ip6_tunnel, MPLS routing or PPP modules; no Wi-Fi device): the same
short conversation, built with scapy, under each link layer and tunnel flat decodes, next to
frames each link layer carries that are not packets flat measures.

Usage:  testdata/encap/generate-encap.py [OUTPUT_DIR]     (default: this script's directory)
Needs:  python3-scapy (Debian package; scapy 2.5 was used)

The output is deterministic: fixed timestamps, ports, ids and MAC addresses, so a rerun
reproduces the committed files byte for byte. The conversation (inner packets, client 10.1.0.1
/ fd01::1, server 10.2.0.2 / fd02::2):

  ICMP echo request/reply        0.800 ms    request TTL 64, reply TTL 57
  TCP SYN -> SYN/ACK to :443     1.500 ms
  TCP SYN -> RST to :9999        0.300 ms    (IPv6)
  DNS query/response (UDP, v6)   2.100 ms
  ICMPv6 echo request/reply      0.600 ms
  TCP SYN only to :8080          unanswered

docs/testdata.md lists what each file holds; EncapsulationCapturesTest checks flat's counts and
WiresharkCrossCheckTest every exchange against tshark.
"""
import os
import struct
import sys

from scapy.all import (DNS, DNSQR, DNSRR, ICMP, IP, TCP, UDP, Dot11, Dot11Beacon, Dot11Elt,
                       Dot11QoS, ICMPv6EchoReply, ICMPv6EchoRequest, IPv6, LLC, SNAP, RadioTap,
                       Ether)

BASE_NS = 1_764_800_000_000_000_000  # 2025-12-03T22:13:20Z
CLIENT4, SERVER4 = "10.1.0.1", "10.2.0.2"
CLIENT6, SERVER6 = "fd01::1", "fd02::2"
OUTER4 = ("192.0.2.1", "192.0.2.2")  # tunnel endpoints, TTL 255
OUTER6 = ("2001:db8::1", "2001:db8::2")
MAC_A, MAC_B = bytes.fromhex("020000000001"), bytes.fromhex("020000000002")
# The pseudowire's own end points. Not MAC_A/MAC_B: Wireshark reads a pseudowire payload as
# Ethernet without a control word when its first 12 bytes look like MAC addresses of registered
# manufacturers (looks_like_plain_eth, packet-pw-eth.c), and after the control word 00 00 00 01
# MAC_B's do (00:00:00 is Xerox's OUI).
PW_MAC_A, PW_MAC_B = bytes.fromhex("02aabbcc0001"), bytes.fromhex("02aabbcc0002")


def conversation(k):
    """(inner packet, is_response, latency_ns) of conversation number k (ids and ports differ per k)."""
    port = 40000 + 100 * k
    syn = lambda src, dst, sport, dport, seq: TCP(sport=sport, dport=dport, flags="S", seq=seq, window=64240)
    return [
        (IP(src=CLIENT4, dst=SERVER4, ttl=64, id=1) / ICMP(type=8, id=0x100 + k, seq=1) / (b"flat" * 8), False, 0),
        (IP(src=SERVER4, dst=CLIENT4, ttl=57, id=2) / ICMP(type=0, id=0x100 + k, seq=1) / (b"flat" * 8), True, 800_000),
        (IP(src=CLIENT4, dst=SERVER4, ttl=64, id=3) / syn(CLIENT4, SERVER4, port + 1, 443, 1000 + k), False, 0),
        (IP(src=SERVER4, dst=CLIENT4, ttl=57, id=4) / TCP(sport=443, dport=port + 1, flags="SA", seq=5000 + k,
                                                          ack=1001 + k, window=65160), True, 1_500_000),
        (IPv6(src=CLIENT6, dst=SERVER6, hlim=64) / syn(CLIENT6, SERVER6, port + 2, 9999, 2000 + k), False, 0),
        (IPv6(src=SERVER6, dst=CLIENT6, hlim=57) / TCP(sport=9999, dport=port + 2, flags="RA", seq=0,
                                                       ack=2001 + k, window=0), True, 300_000),
        (IPv6(src=CLIENT6, dst=SERVER6, hlim=64) / UDP(sport=port + 3, dport=53)
         / DNS(id=0x4200 + k, rd=1, qd=DNSQR(qname="flat.example", qtype="A")), False, 0),
        (IPv6(src=SERVER6, dst=CLIENT6, hlim=57) / UDP(sport=53, dport=port + 3)
         / DNS(id=0x4200 + k, qr=1, ra=1, qd=DNSQR(qname="flat.example", qtype="A"),
               an=DNSRR(rrname="flat.example", type="A", ttl=60, rdata="10.2.0.2")), True, 2_100_000),
        (IPv6(src=CLIENT6, dst=SERVER6, hlim=64) / ICMPv6EchoRequest(id=0x200 + k, seq=1, data=b"flat"), False, 0),
        (IPv6(src=SERVER6, dst=CLIENT6, hlim=57) / ICMPv6EchoReply(id=0x200 + k, seq=1, data=b"flat"), True, 600_000),
        (IP(src=CLIENT4, dst=SERVER4, ttl=64, id=5) / syn(CLIENT4, SERVER4, port + 4, 8080, 3000 + k), False, 0),
    ]


class Capture:
    """A classic pcap file with nanosecond timestamps; packets are appended in time order."""

    def __init__(self, link_type):
        self.link_type = link_type
        self.records = []
        self.now = BASE_NS

    def add(self, frame, gap_ns=1_000_000):
        self.now += gap_ns
        self.records.append((self.now, bytes(frame)))

    def add_conversation(self, k, wrap):
        """wrap(inner_packet_bytes, inner_version, is_response) -> frame bytes."""
        for packet, response, latency in conversation(k):
            data = bytes(packet)
            frame = wrap(data, data[0] >> 4, response)
            self.add(frame, latency if response else 10_000_000)

    def write(self, path):
        with open(path, "wb") as f:
            f.write(struct.pack("<IHHiIII", 0xA1B23C4D, 2, 4, 0, 0, 262144, self.link_type))
            for ts, frame in self.records:
                f.write(struct.pack("<IIII", ts // 1_000_000_000, ts % 1_000_000_000, len(frame), len(frame)))
                f.write(frame)


def ether(ethertype, payload, response=False, tags=(), macs=(MAC_A, MAC_B)):
    """Ethernet II; tags are (TPID, VLAN id), outer first."""
    dst, src = (macs[0], macs[1]) if response else (macs[1], macs[0])
    head = dst + src
    for tpid, vid in tags:
        head += struct.pack("!HH", tpid, vid)
    return head + struct.pack("!H", ethertype) + payload


def ip_ethertype(version):
    return 0x0800 if version == 4 else 0x86DD


def mpls(labels, payload):
    """A label stack (label, TTL 255), bottom-of-stack on the last."""
    out = b""
    for i, label in enumerate(labels):
        out += struct.pack("!I", label << 12 | (0x100 if i == len(labels) - 1 else 0) | 255)
    return out + payload


def outer(version, proto, payload, response):
    src, dst = OUTER4 if version == 4 else OUTER6
    if response:
        src, dst = dst, src
    if version == 4:
        return bytes(IP(src=src, dst=dst, ttl=255, id=7, proto=proto) / payload)
    return bytes(IPv6(src=src, dst=dst, hlim=255, nh=proto) / payload)


def gre(flags, protocol, payload, words=b""):
    return struct.pack("!HH", flags, protocol) + words + payload


def ppp(protocol, payload, address_control=True):
    return (b"\xff\x03" if address_control else b"") + struct.pack("!H", protocol) + payload


def pppoe_session(protocol, payload):
    return struct.pack("!BBHH", 0x11, 0, 0x2A, 2 + len(payload)) + struct.pack("!H", protocol) + payload


def vlan_file():
    c = Capture(1)
    stacks = [((0x8100, 100),), ((0x88A8, 200), (0x8100, 100)), ((0x9100, 300), (0x8100, 101)),
              ((0x88A8, 1), (0x8100, 2), (0x8100, 3)), tuple((0x8100, 10 + i) for i in range(8))]
    for k, tags in enumerate(stacks):
        c.add_conversation(k, lambda p, v, r, tags=tags: ether(ip_ethertype(v), p, r, tags))
    nine = tuple((0x8100, 20 + i) for i in range(9))
    c.add(ether(0x0800, bytes(conversation(9)[0][0]), False, nine))  # too_many_encapsulations
    c.add(ether(0x0806, bytes(28), False, ((0x8100, 100),)))  # ARP under a tag: not_ip
    return c


def mpls_file():
    c = Capture(1)
    c.add_conversation(0, lambda p, v, r: ether(0x8847, mpls([1000], p), r))
    c.add_conversation(1, lambda p, v, r: ether(0x8847, mpls([16, 1001, 7], p), r, ((0x8100, 100),)))
    c.add_conversation(2, lambda p, v, r: ether(0x8848, mpls([2000, 2001], p), r))
    # An Ethernet pseudowire with its control word (RFC 4385: first nibble 0; sequence number 1)
    # carrying a tagged echo request (RFC 4448): the request is an event, unanswered.
    pw = ether(0x0800, bytes(conversation(3)[0][0]), tags=((0x8100, 300),), macs=(PW_MAC_A, PW_MAC_B))
    c.add(ether(0x8847, mpls([3000], b"\x00\x00\x00\x01" + pw)))
    return c


def pppoe_file():
    c = Capture(1)
    # Discovery (PADI, PADO) and LCP in the session: not_ip.
    c.add(ether(0x8863, struct.pack("!BBHH", 0x11, 0x09, 0, 4) + b"\x01\x01\x00\x00"))
    c.add(ether(0x8863, struct.pack("!BBHH", 0x11, 0x07, 0, 4) + b"\x01\x01\x00\x00", True))
    c.add(ether(0x8864, pppoe_session(0xC021, b"\x01\x01\x00\x0a\x01\x04\x05\xd4\x00\x00")))
    c.add_conversation(0, lambda p, v, r: ether(0x8864, pppoe_session(0x21 if v == 4 else 0x57, p), r))
    c.add_conversation(1, lambda p, v, r: ether(0x8864, pppoe_session(0x21 if v == 4 else 0x57, p), r,
                                                ((0x8100, 7),)))
    return c


def ppp_file():
    c = Capture(9)
    c.add(ppp(0xC021, b"\x01\x01\x00\x0a\x01\x04\x05\xd4\x00\x00"))  # LCP Configure-Request: not_ip
    c.add(ppp(0x8021, b"\x01\x01\x00\x0a\x03\x06\x0a\x01\x00\x01"))  # IPCP: not_ip
    c.add_conversation(0, lambda p, v, r: ppp(0x21 if v == 4 else 0x57, p))
    c.add_conversation(1, lambda p, v, r: ppp(0x21 if v == 4 else 0x57, p, address_control=False))
    return c


def gre_file():
    c = Capture(1)
    key_seq = lambda p, v, r: ether(0x0800, outer(4, 47, gre(0x3000, ip_ethertype(v), p, struct.pack("!II", 42, 1)), r), r)
    c.add_conversation(0, key_seq)
    checksum6 = lambda p, v, r: ether(0x86DD, outer(6, 47, gre(0x8000, ip_ethertype(v), p, b"\x00\x00\x00\x00"), r), r)
    c.add_conversation(1, checksum6)
    gretap = lambda p, v, r: ether(0x0800, outer(4, 47, gre(0x2000, 0x6558, ether(ip_ethertype(v), p, r),
                                                             struct.pack("!I", 9)), r), r)
    c.add_conversation(2, gretap)
    # PPTP (RFC 2637): version 1, key (payload length, call id), sequence number, then PPP.
    seq = [0]

    def pptp(p, v, r):
        seq[0] += 1
        body = ppp(0x21 if v == 4 else 0x57, p)
        return ether(0x0800, outer(4, 47, gre(0x3001, 0x880B, body, struct.pack("!HHI", len(body), 5, seq[0])), r), r)
    c.add_conversation(3, pptp)
    c.add(ether(0x0800, outer(4, 47, gre(0x2081, 0x880B, b"", struct.pack("!HHI", 0, 5, 1)), True), True))  # ack only
    c.add(ether(0x0800, outer(4, 47, gre(0x0000, 0x88BE, bytes(40)), False)))  # ERSPAN: not_ip
    return c


def ipip_file():
    c = Capture(1)
    c.add_conversation(0, lambda p, v, r: ether(0x0800, outer(4, 4 if v == 4 else 41, p, r), r))  # ipip, sit
    c.add_conversation(1, lambda p, v, r: ether(0x86DD, outer(6, 4 if v == 4 else 41, p, r), r))  # ip6tnl
    return c


def wlan_data(packet, version, response, qos):
    """A data frame between a station and its access point (to-DS, or from-DS for responses)."""
    bssid, sta, server = "02:00:00:00:aa:01", "02:00:00:00:00:01", "02:00:00:00:00:02"
    fc = "from-DS" if response else "to-DS"
    addrs = dict(addr1=sta, addr2=bssid, addr3=server) if response else dict(addr1=bssid, addr2=sta, addr3=server)
    head = Dot11(type=2, subtype=8 if qos else 0, FCfield=fc, SC=0x0100, **addrs)
    if qos:
        head = head / Dot11QoS(TID=0)
    return bytes(head / LLC(dsap=0xAA, ssap=0xAA, ctrl=3) / SNAP(OUI=0, code=0x0800 if version == 4 else 0x86DD)) + packet


def wlan_others():
    beacon = Dot11(type=0, subtype=8, addr1="ff:ff:ff:ff:ff:ff", addr2="02:00:00:00:aa:01",
                   addr3="02:00:00:00:aa:01") / Dot11Beacon(timestamp=0, beacon_interval=100, cap=0x0411) \
        / Dot11Elt(ID="SSID", info=b"flat")
    ack = Dot11(type=1, subtype=13, addr1="02:00:00:00:00:01")
    null = Dot11(type=2, subtype=4, FCfield="to-DS", addr1="02:00:00:00:aa:01", addr2="02:00:00:00:00:01",
                 addr3="02:00:00:00:aa:01")
    protected = bytes(Dot11(type=2, subtype=8, FCfield="to-DS+protected", addr1="02:00:00:00:aa:01",
                            addr2="02:00:00:00:00:01", addr3="02:00:00:00:00:02") / Dot11QoS()) \
        + bytes(range(8)) + bytes(60)  # CCMP header and ciphertext
    return [bytes(beacon), bytes(ack), bytes(null), protected]


def wlan_file():
    c = Capture(105)
    for frame in wlan_others():
        c.add(frame)
    c.add_conversation(0, lambda p, v, r: wlan_data(p, v, r, qos=False))
    c.add_conversation(1, lambda p, v, r: wlan_data(p, v, r, qos=True))
    return c


def radiotap_file():
    """Radiotap with TSFT, flags (FCS at the end), rate, channel and antenna signal, as a monitor-mode
    driver writes it; the FCS here is four fixed bytes, which no reader checks."""
    c = Capture(127)
    fcs = b"\xde\xad\xbe\xef"

    def rt(frame, flags):
        return bytes(RadioTap(present="TSFT+Flags+Rate+Channel+dBm_AntSignal", mac_timestamp=123456,
                              Flags=flags, Rate=12, ChannelFrequency=2437, ChannelFlags="2GHz+CCK",
                              dBm_AntSignal=-40)) + frame + (fcs if "FCS" in flags else b"")
    for frame in wlan_others():
        c.add(rt(frame, "FCS"))
    c.add_conversation(0, lambda p, v, r: rt(wlan_data(p, v, r, qos=True), "FCS"))
    c.add_conversation(1, lambda p, v, r: rt(wlan_data(p, v, r, qos=False), ""))
    return c


FILES = {
    "vlan.pcap": vlan_file, "mpls.pcap": mpls_file, "pppoe.pcap": pppoe_file, "ppp.pcap": ppp_file,
    "gre.pcap": gre_file, "ipip.pcap": ipip_file, "wlan.pcap": wlan_file, "radiotap.pcap": radiotap_file,
}

if __name__ == "__main__":
    out_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    os.makedirs(out_dir, exist_ok=True)
    for name, make in FILES.items():
        make().write(os.path.join(out_dir, name))
        print(f"generate-encap.py: wrote {os.path.join(out_dir, name)}", file=sys.stderr)
