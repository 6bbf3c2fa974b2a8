#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""icmperr.py DST PROTO QSRC QSPORT QDST QDPORT [MTU [bad]]: send DST an
ICMP error about a packet of PROTO (tcp or udp) from QSRC:QSPORT to
QDST:QDPORT, as a router or host on the way would: port unreachable, or
with MTU fragmentation needed (ICMPv6 packet too big, for IPv6 addresses).
The quoted IPv4 header has a correct checksum, and the ICMP checksum is
right, so that a receiver trusts it; with "bad" the ICMP checksum is one
off, as after corruption on the way."""

import socket
import struct
import sys


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


dst, proto = sys.argv[1], {"tcp": 6, "udp": 17}[sys.argv[2]]
qsrc, qsport, qdst, qdport = sys.argv[3], int(sys.argv[4]), sys.argv[5], \
    int(sys.argv[6])
mtu = int(sys.argv[7]) if len(sys.argv) > 7 else 0
bad = len(sys.argv) > 8 and sys.argv[8] == "bad"


def corrupt(icmp, pseudo=b""):
    """The same message with its checksum (over PSEUDO, then it) one off."""
    return icmp[:2] + struct.pack("!H", (csum(pseudo + icmp) + 1) & 0xffff) \
        + icmp[4:]


# The quote: an IP header and the first 8 bytes of transport header.
l4 = struct.pack("!HHI", qsport, qdport, 0)
if ":" in dst:
    ip6 = struct.pack("!IHBB16s16s", 6 << 28, 1000, proto, 63,
                      socket.inet_pton(socket.AF_INET6, qsrc),
                      socket.inet_pton(socket.AF_INET6, qdst))
    kind, code = (2, 0) if mtu else (1, 4)
    icmp = struct.pack("!BBHI", kind, code, 0, mtu) + ip6 + l4
    if not bad:
        # The kernel computes an ICMPv6 socket's checksums.
        s = socket.socket(socket.AF_INET6, socket.SOCK_RAW,
                          socket.IPPROTO_ICMPV6)
        s.sendto(icmp, (dst, 0))
        sys.exit(0)
    # A wrong one needs the whole packet: the source the route would take.
    u = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    u.connect((dst, 9))
    src = socket.inet_pton(socket.AF_INET6, u.getsockname()[0])
    dst6 = socket.inet_pton(socket.AF_INET6, dst)
    pseudo = src + dst6 + struct.pack("!I3xB", len(icmp), 58)
    icmp = corrupt(icmp, pseudo)
    outer = struct.pack("!IHBB16s16s", 6 << 28, len(icmp), 58, 64, src, dst6)
    s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_RAW)
    s.setsockopt(socket.IPPROTO_IPV6, 36, 1)  # IPV6_HDRINCL
    s.sendto(outer + icmp, (dst, 0))
    sys.exit(0)
iph = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + 1000, 0, 0x4000, 63, proto,
                  0, socket.inet_aton(qsrc), socket.inet_aton(qdst))
iph = iph[:10] + struct.pack("!H", csum(iph)) + iph[12:]
kind, code, rest = (3, 4, mtu) if mtu else (3, 3, 0)
icmp = struct.pack("!BBHI", kind, code, 0, rest) + iph + l4
icmp = corrupt(icmp) if bad else \
    icmp[:2] + struct.pack("!H", csum(icmp)) + icmp[4:]

s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
s.sendto(icmp, (dst, 0))
