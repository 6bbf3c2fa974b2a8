#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""rawpkt.py KIND DST PORT [COUNT]: send packets a load balancer must drop.

  short  an IPv4 packet that says TCP but carries only 8 bytes of it
  ack    a well-formed TCP ACK that belongs to no connection
"""

import socket
import struct
import sys

kind, dst, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
count = int(sys.argv[4]) if len(sys.argv) > 4 else 1

if kind == "short":
    l4 = struct.pack(">HHI", 40000, port, 1)
elif kind == "ack":
    # sport, dport, seq, ack, data offset 5, flags ACK, window, csum, urg
    l4 = struct.pack(">HHIIBBHHH", 40001, port, 1, 1, 5 << 4, 0x10,
                     1024, 0, 0)
else:
    sys.exit("unknown kind " + kind)

# With IP_HDRINCL the kernel fills in the source, total length and header
# checksum where they are zero.
iph = struct.pack(">BBHHHBBH4s4s", 0x45, 0, 0, 0, 0, 64, socket.IPPROTO_TCP,
                  0, b"\0\0\0\0", socket.inet_aton(dst))
s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
for _ in range(count):
    s.sendto(iph + l4, (dst, 0))
