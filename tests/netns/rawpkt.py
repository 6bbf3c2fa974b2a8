#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""rawpkt.py KIND DST PORT [COUNT]: send packets a load balancer must drop.

  short    an IPv4 packet that says TCP but carries only 8 bytes of it
  ack      a well-formed TCP ACK that belongs to no connection
  overlap  two IPv4 fragments of one UDP datagram that overlap, which
           cannot be reassembled
  syn0     a TCP SYN from source port 0, checksum correct
  rstbad   a TCP RST from port 40003 whose checksum is wrong
  sctpbad  an SCTP INIT from port 40005 and an SCTP ABORT from port 40004
           (tag 0x12345678, which no association has), each with a
           CRC32c one off
  sctpgood the same two with their CRC32c right
"""

import socket
import struct
import sys

kind, dst, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
count = int(sys.argv[4]) if len(sys.argv) > 4 else 1


def tcp_segment(sport, flags, good):
    """A TCP header from sport to dst:port with flags, its checksum right
    or (good False) off by one."""
    # The source the kernel will fill in, for the pseudo-header.
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.connect((dst, port))
    src = socket.inet_aton(u.getsockname()[0])
    tcp = struct.pack(">HHIIBBHHH", sport, port, 1, 0, 5 << 4, flags, 1024,
                      0, 0)
    total = sum(struct.unpack(">16H", src + socket.inet_aton(dst) +
                              struct.pack(">HH", socket.IPPROTO_TCP,
                                          len(tcp)) + tcp))
    while total >> 16:
        total = (total & 0xffff) + (total >> 16)
    check = ~total & 0xffff
    if not good:
        check = (check + 1) & 0xffff
    return tcp[:16] + struct.pack(">H", check) + tcp[18:]


def crc32c(data):
    """CRC32c (Castagnoli, reflected), bit by bit: 0xe3069283 for
    b"123456789"."""
    crc = 0xffffffff
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ (0x82f63b78 if crc & 1 else 0)
    return crc ^ 0xffffffff


def sctp_packet(sport, tag, chunk, good):
    """An SCTP packet from sport to port with verification tag tag and one
    chunk, its CRC32c right or (good False) off by one."""
    head = struct.pack(">HHII", sport, port, tag, 0)
    crc = crc32c(head + chunk)
    if not good:
        crc ^= 1
    return head[:8] + struct.pack("<I", crc) + chunk


def sctp_pair(good):
    """An INIT (tag 0; its own tag, window, streams out and in, first TSN)
    and an ABORT (no cause)."""
    init = struct.pack(">BBHIIHHI", 1, 0, 20, 0x0badcafe, 65536, 10, 65535,
                       1)
    abort = struct.pack(">BBH", 6, 0, 4)
    return [(socket.IPPROTO_SCTP, 0, sctp_packet(40005, 0, init, good)),
            (socket.IPPROTO_SCTP, 0, sctp_packet(40004, 0x12345678, abort,
                                                 good))]


# Each packet: its IP protocol, its fragment field (flags, and offset in
# 8-byte units) and its payload.
if kind == "short":
    packets = [(socket.IPPROTO_TCP, 0, struct.pack(">HHI", 40000, port, 1))]
elif kind == "ack":
    # sport, dport, seq, ack, data offset 5, flags ACK, window, csum, urg
    packets = [(socket.IPPROTO_TCP, 0,
                struct.pack(">HHIIBBHHH", 40001, port, 1, 1, 5 << 4, 0x10,
                            1024, 0, 0))]
elif kind == "overlap":
    # A 32-byte datagram: bytes 0-15 with "more fragments", then 8-31.
    udp = struct.pack(">HHHH", 40002, port, 32, 0) + bytes(24)
    packets = [(socket.IPPROTO_UDP, 0x2000, udp[:16]),
               (socket.IPPROTO_UDP, 1, udp[8:])]
elif kind == "syn0":
    packets = [(socket.IPPROTO_TCP, 0, tcp_segment(0, 0x02, True))]
elif kind == "rstbad":
    packets = [(socket.IPPROTO_TCP, 0, tcp_segment(40003, 0x14, False))]
elif kind in ("sctpbad", "sctpgood"):
    packets = sctp_pair(kind == "sctpgood")
else:
    sys.exit("unknown kind " + kind)

# With IP_HDRINCL the kernel fills in the source, total length and header
# checksum where they are zero. Fragments of one datagram share an ID.
s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
for i in range(count):
    for proto, frag, payload in packets:
        iph = struct.pack(">BBHHHBBH4s4s", 0x45, 0, 0, 0x4c00 + i, frag, 64,
                          proto, 0, b"\0\0\0\0", socket.inet_aton(dst))
        s.sendto(iph + payload, (dst, 0))
