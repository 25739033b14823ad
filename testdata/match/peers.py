#!/usr/bin/env python3
"""Traffic for testdata/match/record-match.sh that no stock tool sends: each subcommand plays one
side of one matching case (docs/matching.md, "The cases behind the rules"). Standard library only.

  slow-dns ADDR                 DNS server on ADDR:53 answering every query 1.3 s late
  slow-echo PORT                UDP echo on [::]:PORT answering 5 ms late
  echo-twice ADDR ID GAP_MS     two ICMP echo requests, same identifier and sequence, GAP_MS apart
  slow-pinger ADDR              answers two ICMP echo requests to ADDR, each 5 ms late
  udp-twice ADDR PORT           two datagrams on one socket 1 ms apart (the slow echo answers both)
  sip ROLE LOCAL PEER START     a SIP user agent on LOCAL:5060 (ROLE a or b, START a Unix time)
  wireguard ROLE LOCAL PEER     WireGuard-shaped messages on LOCAL:51820 (payloads are random)
  quic-server ADDR / quic-client ADDR   QUIC-shaped long- and short-header datagrams on :443
"""
import os
import socket
import struct
import sys
import time

SIP_PORT = 5060
WG_PORT = 51820
QUIC_PORT = 443


def family(addr):
    return socket.AF_INET6 if ":" in addr else socket.AF_INET


def udp_socket(addr, port):
    s = socket.socket(family(addr), socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, port))
    return s


def slow_dns(addr):
    """Answers NOERROR with no records, 1.3 s after the query: dig's 1 s timeout resends first."""
    s = udp_socket(addr, 53)
    pending = []
    s.settimeout(0.01)
    while True:
        try:
            query, peer = s.recvfrom(4096)
            if len(query) >= 12:
                pending.append((time.monotonic() + 1.3, query, peer))
        except socket.timeout:
            pass
        now = time.monotonic()
        for item in [p for p in pending if p[0] <= now]:
            pending.remove(item)
            _, query, peer = item
            flags = struct.unpack("!H", query[2:4])[0]
            answer = query[:2] + struct.pack("!H", 0x8000 | (flags & 0x7900) | 0x0080) + query[4:6] \
                + b"\0\0\0\0\0\0" + query[12:]
            # The question section is kept as sent, so ancount = nscount = arcount = 0 and any
            # EDNS record of the query is dropped with the counts.
            s.sendto(answer[:12] + question(query), peer)


def question(query):
    """The first question of a query (name, type, class), or nothing if it does not parse."""
    i = 12
    while i < len(query) and query[i] != 0:
        i += query[i] + 1
    return query[12:i + 5] if i + 5 <= len(query) else b""


def slow_echo(port):
    s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    s.bind(("::", int(port)))
    while True:
        data, peer = s.recvfrom(65535)
        time.sleep(0.005)
        s.sendto(data, peer)


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    total = (total >> 16) + (total & 0xFFFF)
    total += total >> 16
    return ~total & 0xFFFF


def echo_twice(addr, ident, gap_ms):
    """ICMP (IPv4) echo request id/seq 1 sent twice, gap_ms apart. The kernel fills in nothing
    for a raw ICMP socket, so the checksum is ours."""
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
    body = b"flat match: duplicate echo".ljust(32, b".")
    header = struct.pack("!BBHHH", 8, 0, 0, int(ident), 1)
    packet = struct.pack("!BBHHH", 8, 0, checksum(header + body), int(ident), 1) + body
    s.sendto(packet, (addr, 0))
    time.sleep(int(gap_ms) / 1000)
    s.sendto(packet, (addr, 0))
    time.sleep(0.2)


def slow_pinger(addr):
    """Answers ICMP echo requests to ADDR 5 ms late from user space (the namespace's kernel is
    told to ignore echoes meanwhile): two copies sent 1 ms apart are then both in flight before
    the first answer, each answered in turn."""
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
    s.bind((addr, 0))  # the replies' source: the address the requests went to
    s.settimeout(3)
    answered = 0
    while answered < 2:
        packet, peer = s.recvfrom(2048)
        header_length = (packet[0] & 0x0F) * 4
        dst = socket.inet_ntoa(packet[16:20])
        icmp = packet[header_length:]
        if dst != addr or icmp[0] != 8:
            continue
        time.sleep(0.005)
        reply = b"\0\0\0\0" + icmp[4:]
        s.sendto(reply[:2] + struct.pack("!H", checksum(reply)) + reply[4:], (peer[0], 0))
        answered += 1


def udp_twice(addr, port):
    s = socket.socket(family(addr), socket.SOCK_DGRAM)
    s.settimeout(1)
    s.sendto(b"first copy", (addr, int(port)))
    time.sleep(0.001)
    s.sendto(b"second copy", (addr, int(port)))
    for _ in range(2):
        s.recv(100)


def sip_message(start_line, call_id, cseq):
    return ("%s\r\nVia: SIP/2.0/UDP flat.test;branch=z9hG4bK%s\r\nCall-ID: %s\r\nCSeq: %s\r\n"
            "Content-Length: 0\r\n\r\n" % (start_line, call_id, call_id, cseq)).encode()


def sip(role, local, peer, start):
    """Both agents send OPTIONS at the same instant START, so the two requests cross on the wire;
    each answers the other's with 200 OK. Then agent a alone: a REGISTER whose first copy b
    ignores (a resends it after T1 = 500 ms, RFC 3261 17.1.2.2), and an INVITE that b answers
    486 Busy Here, followed by a's ACK, which nothing answers (RFC 3261 17.1.1.3)."""
    s = udp_socket(local, SIP_PORT)
    s.settimeout(3)
    time.sleep(max(0.0, float(start) - time.time()))
    s.sendto(sip_message("OPTIONS sip:%s SIP/2.0" % peer, "options-" + role, "1 OPTIONS"), (peer, SIP_PORT))
    answered = seen_ok = False
    while not (answered and seen_ok):
        data, _ = s.recvfrom(4096)
        if data.startswith(b"OPTIONS"):
            s.sendto(sip_message("SIP/2.0 200 OK", "options-" + ("b" if role == "a" else "a"), "1 OPTIONS"),
                     (peer, SIP_PORT))
            answered = True
        elif data.startswith(b"SIP/2.0 200"):
            seen_ok = True
    if role == "a":
        time.sleep(0.3)
        register = sip_message("REGISTER sip:%s SIP/2.0" % peer, "register-a", "1 REGISTER")
        s.sendto(register, (peer, SIP_PORT))
        time.sleep(0.5)
        s.sendto(register, (peer, SIP_PORT))
        s.recvfrom(4096)
        s.sendto(sip_message("INVITE sip:%s SIP/2.0" % peer, "invite-a", "1 INVITE"), (peer, SIP_PORT))
        s.recvfrom(4096)
        s.sendto(sip_message("ACK sip:%s SIP/2.0" % peer, "invite-a", "1 ACK"), (peer, SIP_PORT))
    else:
        registers = 0
        while True:
            data, _ = s.recvfrom(4096)
            if data.startswith(b"REGISTER"):
                registers += 1
                if registers == 2:
                    s.sendto(sip_message("SIP/2.0 200 OK", "register-a", "1 REGISTER"), (peer, SIP_PORT))
            elif data.startswith(b"INVITE"):
                s.sendto(sip_message("SIP/2.0 486 Busy Here", "invite-a", "1 INVITE"), (peer, SIP_PORT))
            elif data.startswith(b"ACK"):
                return


def wg(msg_type, length):
    return struct.pack("<I", msg_type) + os.urandom(length - 4)


def wireguard(role, local, peer):
    """A handshake (initiation 148 bytes, response 92), one data message each way, then a
    keep-alive (an empty transport message, 32 bytes) from each peer at the same instant."""
    s = udp_socket(local, WG_PORT)
    s.settimeout(3)
    if role == "a":
        s.sendto(wg(1, 148), (peer, WG_PORT))
        s.recvfrom(2048)                        # response
        s.sendto(wg(4, 96), (peer, WG_PORT))    # data
        s.recvfrom(2048)                        # data back
        keep_alive_at(s, peer, time.monotonic() + 0.1)
    else:
        s.recvfrom(2048)
        time.sleep(0.002)
        s.sendto(wg(2, 92), (peer, WG_PORT))
        s.recvfrom(2048)
        s.sendto(wg(4, 64), (peer, WG_PORT))
        keep_alive_at(s, peer, time.monotonic() + 0.1)


def keep_alive_at(s, peer, when):
    """Both peers send theirs 100 ms after the data exchange: they cross on the wire."""
    time.sleep(max(0.0, when - time.monotonic()))
    s.sendto(wg(4, 32), (peer, WG_PORT))
    s.recvfrom(2048)


def quic_long(first_byte, length):
    # RFC 9000 17.2: header form 1, fixed bit 1, type; version 1; DCID and SCID of 8 bytes.
    return bytes([first_byte]) + struct.pack("!I", 1) + b"\x08" + os.urandom(8) + b"\x08" \
        + os.urandom(8) + os.urandom(length - 23)


def quic_server(addr):
    s = udp_socket(addr, QUIC_PORT)
    _, peer = s.recvfrom(2048)                    # client Initial
    s.sendto(quic_long(0xC1, 1200), peer)         # server Initial
    s.sendto(quic_long(0xE1, 600), peer)          # Handshake
    s.recvfrom(2048)                              # client Handshake
    s.sendto(bytes([0x41]) + os.urandom(80), peer)  # 1-RTT (short header, RFC 9000 17.3)


def quic_client(addr):
    s = socket.socket(family(addr), socket.SOCK_DGRAM)
    s.settimeout(2)
    # RFC 9000 14.1: a client's Initial datagram is padded to at least 1200 bytes.
    s.sendto(quic_long(0xC3, 1200), (addr, QUIC_PORT))
    s.recv(2048)
    s.recv(2048)
    s.sendto(quic_long(0xE1, 100), (addr, QUIC_PORT))
    s.recv(2048)


if __name__ == "__main__":
    {"slow-dns": slow_dns, "slow-echo": slow_echo, "echo-twice": echo_twice, "slow-pinger": slow_pinger, "udp-twice": udp_twice,
     "sip": sip, "wireguard": wireguard, "quic-server": quic_server, "quic-client": quic_client
     }[sys.argv[1]](*sys.argv[2:])
