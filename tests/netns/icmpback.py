#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""icmpback.py ttl|big ADDR PORT SPORT [ttl|big ADDR PORT SPORT]...

Over each UDP flow, one after the other, from SPORT to ADDR:PORT, four datagrams that lvsresp
answers (the director's entry becomes a stream, which the fast path
forwards), then one the director must not forward: with a TTL or hop
limit of 1 ("ttl"), or of 1400 bytes that must not be fragmented ("big",
for a route to the real server of a smaller MTU). Prints what came back
for it: the error the director's ICMP gave the socket (EHOSTUNREACH for
time exceeded, EMSGSIZE for fragmentation needed or packet too big),
"answered" if it reached the server, or "none", a line per flow. Exits
1 if one of the first four of a flow went unanswered ("unanswered" is its
line). Several flows in one run: a python3 start costs the debug guest
about a second.
"""

import errno
import socket
import sys

# Linux's values; not every Python names them.
IP_MTU_DISCOVER, IP_RECVERR, IP_PMTUDISC_DO = 10, 11, 2
IPV6_MTU_DISCOVER, IPV6_RECVERR, IPV6_PMTUDISC_DO = 23, 25, 2


def flow(mode, addr, port, sport):
    six = ":" in addr
    s = socket.socket(socket.AF_INET6 if six else socket.AF_INET,
                      socket.SOCK_DGRAM)
    s.bind(("::" if six else "0.0.0.0", sport))
    s.connect((addr, port))
    s.settimeout(5)
    for _ in range(4):
        s.send(b"x" * 64)
        try:
            s.recv(4096)
        except OSError:
            print("unanswered")
            return False
    if six:
        s.setsockopt(socket.IPPROTO_IPV6, IPV6_RECVERR, 1)
    else:
        s.setsockopt(socket.IPPROTO_IP, IP_RECVERR, 1)
    size = 64
    if mode == "ttl":
        if six:
            s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_UNICAST_HOPS, 1)
        else:
            s.setsockopt(socket.IPPROTO_IP, socket.IP_TTL, 1)
    else:
        size = 1400
        if six:
            s.setsockopt(socket.IPPROTO_IPV6, IPV6_MTU_DISCOVER,
                         IPV6_PMTUDISC_DO)
        else:
            s.setsockopt(socket.IPPROTO_IP, IP_MTU_DISCOVER, IP_PMTUDISC_DO)
    s.send(b"y" * size)
    try:
        s.recv(4096)
        print("answered")
    except socket.timeout:
        print("none")
    except OSError as e:
        print(errno.errorcode.get(e.errno, str(e.errno)))
    return True


def main():
    args = sys.argv[1:]
    if not args or len(args) % 4:
        sys.exit(__doc__.splitlines()[0])
    ok = True
    for i in range(0, len(args), 4):
        ok = flow(args[i], args[i + 1], int(args[i + 2]),
                  int(args[i + 3])) and ok
        sys.stdout.flush()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
