#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""pktfuzz.py [options] IFACE DMAC: send mutated packets out of IFACE.

Every packet starts as a well-formed one aimed at the director behind
IFACE (Ethernet destination DMAC): a TCP SYN, UDP datagram or SCTP INIT
to a VIP, a segment of a tracked connection, an ICMP error about one,
IPv4 fragments and options, IPv6 extension headers. Then one to three
mutations from a seeded generator spoil it: a cut anywhere, flipped
bytes, wrong lengths, header lengths, fragment fields, TCP data offset,
checksums, trailing garbage. The same seed sends the same packets.

A segment of the tracked connection always leaves with a wrong TCP
checksum, so that the peer drops it whatever else the mutations made of
it: the connection's data must arrive intact however hard it is fuzzed.

Options:
  --seed N        the generator's seed (default: from the clock, printed)
  --count N       packets to send (default 2000)
  --src4 A --dst4 VIP4 --src6 A --dst6 VIP6   addresses (both families)
  --port P        the service port (default 80)
  --conn SPORT:DPORT   the tracked connection's ports from this side
  --reply         send as the real server: the tracked connection's
                  replies (source DPORT, destination SPORT) and nothing
                  to the VIP; --dst4/--dst6 are then the client's address

Prints "seed N sent N" and a count per template on the last line.
"""

import argparse
import random
import socket
import struct
import sys
import time


def csum(data):
    """The Internet checksum of data."""
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while total >> 16:
        total = (total & 0xffff) + (total >> 16)
    return ~total & 0xffff


def pseudo(src, dst, proto, length):
    """The IPv4 or IPv6 pseudo-header for an upper-layer checksum."""
    if len(src) == 4:
        return src + dst + struct.pack("!BBH", 0, proto, length)
    return src + dst + struct.pack("!IxxxB", length, proto)


def with_csum(l4, off, src, dst, proto):
    """l4 with its checksum (at offset off) filled in."""
    l4 = l4[:off] + b"\0\0" + l4[off + 2:]
    c = csum(pseudo(src, dst, proto, len(l4)) + l4)
    if proto == socket.IPPROTO_UDP and c == 0:
        c = 0xffff
    return l4[:off] + struct.pack("!H", c) + l4[off + 2:]


def tcp(src, dst, sport, dport, flags, payload=b"", seq=None):
    seq = random.getrandbits(32) if seq is None else seq
    hdr = struct.pack("!HHIIBBHHH", sport, dport, seq,
                      random.getrandbits(32), 5 << 4, flags, 65535, 0, 0)
    return with_csum(hdr + payload, 16, src, dst, socket.IPPROTO_TCP)


def udp(src, dst, sport, dport, payload):
    hdr = struct.pack("!HHHH", sport, dport, 8 + len(payload), 0)
    return with_csum(hdr + payload, 6, src, dst, socket.IPPROTO_UDP)


def crc32c(data):
    crc = 0xffffffff
    for b in data:
        crc ^= b
        for _ in range(8):
            crc = (crc >> 1) ^ (0x82f63b78 if crc & 1 else 0)
    return ~crc & 0xffffffff


def sctp_init(sport, dport):
    chunk = struct.pack("!BBHIIHHI", 1, 0, 20, random.getrandbits(32),
                        65535, 10, 10, random.getrandbits(32))
    pkt = struct.pack("!HHII", sport, dport, 0, 0) + chunk
    return pkt[:8] + struct.pack("<I", crc32c(pkt)) + pkt[12:]


def ipv4(src, dst, proto, payload, frag=0, options=b""):
    ihl = 5 + len(options) // 4
    hdr = struct.pack("!BBHHHBBH4s4s", 0x40 | ihl, 0,
                      ihl * 4 + len(payload), random.getrandbits(16), frag,
                      64, proto, 0, src, dst) + options
    hdr = hdr[:10] + struct.pack("!H", csum(hdr)) + hdr[12:]
    return hdr + payload


def ipv6(src, dst, proto, payload, exthdrs=()):
    """exthdrs: (type, body) pairs, each body padded to 8-byte units."""
    chain = b""
    types = [t for t, _ in exthdrs] + [proto]
    for i, (_, body) in enumerate(exthdrs):
        chain += bytes([types[i + 1]]) + body
    first = types[0]
    return struct.pack("!IHBB16s16s", 6 << 28, len(chain) + len(payload),
                       first, 64, src, dst) + chain + payload


class Fuzzer:
    def __init__(self, a):
        self.a = a
        self.s4, self.d4 = (socket.inet_aton(a.src4),
                            socket.inet_aton(a.dst4))
        self.s6 = socket.inet_pton(socket.AF_INET6, a.src6)
        self.d6 = socket.inet_pton(socket.AF_INET6, a.dst6)
        self.cs, self.cd = (int(x) for x in a.conn.split(":"))

    def port(self):
        return random.choice([self.a.port, random.getrandbits(16)])

    def sport(self):
        return random.randrange(1024, 65536)

    # Each template returns (ethertype, packet, l4 offset, tracked).
    def t_conn4(self):
        flags = random.choice([0x10, 0x18, 0x04, 0x14, 0x01, 0x11, 0x02])
        l4 = tcp(self.s4, self.d4, self.cs, self.cd, flags,
                 random.randbytes(random.randrange(0, 64)))
        return 0x0800, ipv4(self.s4, self.d4, 6, l4), 20, True

    def t_conn6(self):
        flags = random.choice([0x10, 0x18, 0x04, 0x14, 0x01, 0x11, 0x02])
        l4 = tcp(self.s6, self.d6, self.cs, self.cd, flags,
                 random.randbytes(random.randrange(0, 64)))
        return 0x86dd, ipv6(self.s6, self.d6, 6, l4), 40, True

    def t_syn4(self):
        l4 = tcp(self.s4, self.d4, self.sport(), self.port(), 0x02)
        return 0x0800, ipv4(self.s4, self.d4, 6, l4), 20, False

    def t_udp4(self):
        l4 = udp(self.s4, self.d4, self.sport(), self.port(),
                 random.randbytes(random.randrange(0, 200)))
        return 0x0800, ipv4(self.s4, self.d4, 17, l4), 20, False

    def t_sctp4(self):
        l4 = sctp_init(self.sport(), self.port())
        return 0x0800, ipv4(self.s4, self.d4, 132, l4), 20, False

    def t_opts4(self):
        opts = bytes([7, 11, 4]) + bytes(8) + bytes([0])  # record route
        l4 = tcp(self.s4, self.d4, self.sport(), self.port(), 0x02)
        return 0x0800, ipv4(self.s4, self.d4, 6, l4, options=opts), 32, False

    def t_frag4(self):
        l4 = udp(self.s4, self.d4, self.sport(), self.port(), bytes(64))
        off = random.choice([0, 1, 2, 8])
        mf = random.choice([0, 0x2000])
        piece = l4[off * 8:off * 8 + random.choice([8, 16, 24])]
        return 0x0800, ipv4(self.s4, self.d4, 17, piece, mf | off), 20, False

    def t_icmp4(self):
        # An error about a reply of the tracked connection: from the VIP
        # back to this side.
        inner = ipv4(self.d4, self.s4, 6,
                     struct.pack("!HHI", self.cd, self.cs, 1))
        body = struct.pack("!BBHI", 3, random.choice([1, 3, 4]), 0,
                           1400) + inner
        body = body[:2] + struct.pack("!H", csum(body)) + body[4:]
        return 0x0800, ipv4(self.s4, self.d4, 1, body), 20, False

    def t_syn6(self):
        l4 = tcp(self.s6, self.d6, self.sport(), self.port(), 0x02)
        return 0x86dd, ipv6(self.s6, self.d6, 6, l4), 40, False

    def t_udp6(self):
        l4 = udp(self.s6, self.d6, self.sport(), self.port(),
                 random.randbytes(random.randrange(0, 200)))
        return 0x86dd, ipv6(self.s6, self.d6, 17, l4), 40, False

    def t_ext6(self):
        pad = bytes([0, 1, 4, 0, 0, 0, 0])  # length 0, PadN of 4
        hdrs = random.choice([[(0, pad)], [(60, pad)], [(0, pad), (60, pad)],
                              [(44, bytes([0]) + struct.pack("!HI", 0,
                                                             1234))]])
        l4 = tcp(self.s6, self.d6, self.sport(), self.port(), 0x02)
        return (0x86dd, ipv6(self.s6, self.d6, 6, l4, hdrs),
                40 + 8 * len(hdrs), False)

    def t_icmp6(self):
        inner = ipv6(self.d6, self.s6, 6,
                     struct.pack("!HHI", self.cd, self.cs, 1))
        body = struct.pack("!BBHI", 2, 0, 0, 1280) + inner
        c = csum(pseudo(self.s6, self.d6, 58, len(body)) + body)
        body = body[:2] + struct.pack("!H", c) + body[4:]
        return 0x86dd, ipv6(self.s6, self.d6, 58, body), 40, False

    def templates(self):
        if self.a.reply:
            return [self.t_conn4, self.t_conn6, self.t_icmp4, self.t_icmp6,
                    self.t_frag4]
        return [self.t_conn4, self.t_conn6, self.t_syn4, self.t_udp4,
                self.t_sctp4, self.t_opts4, self.t_frag4, self.t_icmp4,
                self.t_syn6, self.t_udp6, self.t_ext6, self.t_icmp6]


def mutate(pkt, ethertype, l4off):
    b = bytearray(pkt)
    if len(b) < 2:
        return pkt
    what = random.choice(["cut", "flip", "len", "hlen", "frag", "doff",
                          "l4sum", "tail", "ports"])
    if what == "cut":
        del b[random.randrange(1, len(b)):]
    elif what == "flip":
        for _ in range(random.randrange(1, 5)):
            i = random.randrange(0, min(len(b), l4off + 40))
            b[i] ^= 1 << random.randrange(8)
    elif what == "len":
        v = random.choice([0, 1, 19, 20, 39, 40, len(b) + 1, 65535,
                           random.getrandbits(16)])
        if ethertype == 0x0800:
            b[2:4] = struct.pack("!H", v)
        else:
            b[4:6] = struct.pack("!H", v)
    elif what == "hlen" and ethertype == 0x0800:
        b[0] = 0x40 | random.randrange(16)
    elif what == "frag" and ethertype == 0x0800:
        b[6:8] = struct.pack("!H", random.getrandbits(16) & 0x3fff)
    elif what == "doff" and len(b) > l4off + 12:
        b[l4off + 12] = random.randrange(16) << 4
    elif what == "l4sum" and len(b) > l4off + 8:
        i = l4off + random.choice([2, 6, 16])
        if i + 2 <= len(b):
            b[i:i + 2] = struct.pack("!H", random.getrandbits(16))
    elif what == "tail":
        b += random.randbytes(random.randrange(1, 100))
    elif what == "ports" and len(b) > l4off + 4:
        b[l4off:l4off + 4] = random.choice([bytes(4),
                                            random.randbytes(4)])
    return bytes(b)


def spoil_tcp_csum(pkt, ethertype, l4off):
    """Make the tracked connection's segment fail its TCP checksum, which
    the peer checks last, whatever the mutations did to the rest."""
    if len(pkt) < l4off + 18:
        return pkt
    b = bytearray(pkt)
    if ethertype == 0x0800:
        src, dst, l4 = bytes(b[12:16]), bytes(b[16:20]), bytes(b[l4off:])
    else:
        src, dst, l4 = bytes(b[8:24]), bytes(b[24:40]), bytes(b[l4off:])
    good = with_csum(l4, 16, src, dst, socket.IPPROTO_TCP)[16:18]
    bad = (struct.unpack("!H", good)[0] + 1 + random.randrange(0xfffe))
    b[l4off + 16:l4off + 18] = struct.pack("!H", bad & 0xffff or 1)
    if b[l4off + 16:l4off + 18] == good:
        b[l4off + 17] ^= 1
    return bytes(b)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("iface")
    p.add_argument("dmac")
    p.add_argument("--seed", type=int, default=None)
    p.add_argument("--count", type=int, default=2000)
    p.add_argument("--src4", required=True)
    p.add_argument("--dst4", required=True)
    p.add_argument("--src6", required=True)
    p.add_argument("--dst6", required=True)
    p.add_argument("--port", type=int, default=80)
    p.add_argument("--conn", default="40003:80")
    p.add_argument("--reply", action="store_true")
    a = p.parse_args()

    seed = a.seed if a.seed is not None else int(time.time() * 1000) % 10**9
    random.seed(seed)
    f = Fuzzer(a)
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((a.iface, 0))
    smac = s.getsockname()[4]
    dmac = bytes.fromhex(a.dmac.replace(":", ""))
    templates = f.templates()
    sent = {t.__name__[2:]: 0 for t in templates}
    for i in range(a.count):
        t = random.choice(templates)
        ethertype, pkt, l4off, tracked = t()
        for _ in range(random.randrange(1, 4)):
            pkt = mutate(pkt, ethertype, l4off)
        if tracked:
            pkt = spoil_tcp_csum(pkt, ethertype, l4off)
        frame = dmac + smac + struct.pack("!H", ethertype) + pkt
        try:
            s.send(frame)
        except OSError:
            continue
        sent[t.__name__[2:]] += 1
        if i % 200 == 199:
            time.sleep(0.01)
    print("seed %d sent %d" % (seed, sum(sent.values())))
    print(" ".join("%s=%d" % kv for kv in sorted(sent.items())))


if __name__ == "__main__":
    sys.exit(main())
