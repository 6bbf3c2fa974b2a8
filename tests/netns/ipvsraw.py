#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Raw requests to the IPVS family of lvs's compatibility mode, malformed
on purpose.

Every bad request must be refused with the errno ip_vs gives (so that
ipvsadm and keepalived say what they say for ip_vs) and an extended ACK
message, and leave the configuration as it was. Prints one
"TEST: ... [ OK ]" line per check. Run as root in a fresh namespace, with
lvs loaded with ipvs_compat=1.
"""

import errno
import os
import socket
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import nlraw as nr  # noqa: E402
from nlraw import attr, nest, u8, u16, u32, be16, string, report  # noqa

# linux/ip_vs.h
NEW_SERVICE, SET_SERVICE, DEL_SERVICE, GET_SERVICE = 1, 2, 3, 4
NEW_DEST, SET_DEST, DEL_DEST, GET_DEST = 5, 6, 7, 8
NEW_DAEMON, GET_DAEMON = 9, 11
SET_CONFIG, GET_CONFIG, GET_INFO, ZERO, FLUSH = 12, 13, 15, 16, 17
A_SERVICE, A_DEST, A_DAEMON, A_TCP = 1, 2, 3, 4
S_AF, S_PROTO, S_ADDR, S_PORT, S_FWMARK, S_SCHED, S_FLAGS = 1, 2, 3, 4, 5, 6, 7
S_TIMEOUT, S_NETMASK, S_PE = 8, 9, 11
D_ADDR, D_PORT, D_FWD, D_WEIGHT, D_UTH, D_LTH = 1, 2, 3, 4, 5, 6
D_FAMILY, D_TUN_TYPE = 11, 13
INFO_VERSION = 1
F_PERSISTENT, F_SCHED3 = 0x1, 0x20


def addr16(a, family=socket.AF_INET):
    """An address as libipvs sends it: 16 bytes whatever the family."""
    family = socket.AF_INET6 if family == socket.AF_INET6 else socket.AF_INET
    return attr(S_ADDR, socket.inet_pton(family, a).ljust(16, b"\0"))


def flags(f, mask=0xffffffff):
    return attr(S_FLAGS, struct.pack("II", f, mask))


def svc(addr="10.9.0.1", port=80, proto=6, af=2, sched="rr", full=True,
        drop=(), extra=()):
    """A service nest as libipvs builds it; attributes in @drop left out."""
    parts = [(S_AF, u16(S_AF, af)), (S_PROTO, u16(S_PROTO, proto)),
             (S_ADDR, addr16(addr, af)), (S_PORT, be16(S_PORT, port))]
    if full:
        parts += [(S_SCHED, string(S_SCHED, sched)),
                  (S_FLAGS, flags(0)), (S_TIMEOUT, u32(S_TIMEOUT, 0)),
                  (S_NETMASK, u32(S_NETMASK, 0xffffffff if af == 2 else 128))]
    return nest(A_SERVICE, *([p for t, p in parts if t not in drop] +
                             list(extra)))


def dest(addr="10.9.1.2", port=80, fwd=0, weight=1, uth=0, lth=0,
         full=True, drop=(), extra=()):
    parts = [(D_FAMILY, u16(D_FAMILY, 2)),
             (D_ADDR, attr(D_ADDR, socket.inet_aton(addr).ljust(16, b"\0"))),
             (D_PORT, be16(D_PORT, port))]
    if full:
        parts += [(D_FWD, u32(D_FWD, fwd)), (D_WEIGHT, u32(D_WEIGHT, weight)),
                  (D_UTH, u32(D_UTH, uth)), (D_LTH, u32(D_LTH, lth))]
    return nest(A_DEST, *([p for t, p in parts if t not in drop] +
                          list(extra)))


def state(g):
    """Services and their destinations, as the family lists them."""
    out = []
    for b in g.lvs(GET_SERVICE, flags=nr.NLM_F_DUMP):
        out.append(b)
        out += g.lvs(GET_DEST, svc(full=False), flags=nr.NLM_F_DUMP)
    return out


BAD = [
    ("service add without a service", NEW_SERVICE, [],
     errno.EINVAL, "Missing service"),
    ("service add without a family", NEW_SERVICE, [svc(drop=[S_AF])],
     errno.EINVAL, "Missing service family"),
    ("service add of family 99", NEW_SERVICE, [svc(af=99)],
     errno.EAFNOSUPPORT, "AF_INET or AF_INET6"),
    ("service add of protocol GRE", NEW_SERVICE, [svc(proto=47)],
     errno.EPROTONOSUPPORT, "TCP, UDP or SCTP"),
    ("service add with a 2-byte address", NEW_SERVICE,
     [svc(drop=[S_ADDR], extra=[attr(S_ADDR, b"\x0a\x09")])],
     errno.EINVAL, "shorter"),
    ("service add of a loopback address", NEW_SERVICE,
     [svc("127.0.0.1")], errno.EINVAL, "unicast"),
    ("service add without flags", NEW_SERVICE, [svc(drop=[S_FLAGS])],
     errno.EINVAL, "Missing service flags"),
    ("service add with 4-byte flags", NEW_SERVICE,
     [svc(port=81, drop=[S_FLAGS], extra=[attr(S_FLAGS, b"\0" * 4)])],
     errno.EINVAL, "struct ip_vs_flags"),
    ("service add with scheduler flag 3", NEW_SERVICE,
     [svc(port=81, drop=[S_FLAGS], extra=[flags(F_SCHED3)])],
     errno.EINVAL, "Unknown service flags"),
    ("service add persistent for 0 seconds", NEW_SERVICE,
     [svc(port=81, drop=[S_FLAGS], extra=[flags(F_PERSISTENT)])],
     errno.EINVAL, "Persistence timeout"),
    ("service add with netmask 255.0.255.0", NEW_SERVICE,
     [svc(port=81, drop=[S_NETMASK],
          extra=[attr(S_NETMASK, socket.inet_aton("255.0.255.0"))])],
     errno.EINVAL, "contiguous"),
    ("service add of IPv6 with netmask 129", NEW_SERVICE,
     [svc("2001:db8::1", af=10, drop=[S_NETMASK],
          extra=[u32(S_NETMASK, 129)])],
     errno.EINVAL, "prefix length"),
    ("service add with persistence engine sip", NEW_SERVICE,
     [svc(port=81, extra=[string(S_PE, "sip")])],
     errno.EOPNOTSUPP, "Persistence engines"),
    ("service add with scheduler RR", NEW_SERVICE, [svc(port=81, sched="RR")],
     errno.EINVAL, "lowercase"),
    ("service add with an unknown scheduler", NEW_SERVICE,
     [svc(port=81, sched="nosuch")], errno.ENOENT, "Unknown scheduler"),
    ("service add of an existing one", NEW_SERVICE, [svc()],
     errno.EEXIST, "already exists"),
    ("service set of a missing one", SET_SERVICE, [svc(port=82)],
     errno.ESRCH, "No such service"),
    ("service del of a missing one", DEL_SERVICE, [svc(port=82)],
     errno.ESRCH, "No such service"),
    ("dest add without a destination", NEW_DEST, [svc()],
     errno.EINVAL, "Missing destination"),
    ("dest add to a missing service", NEW_DEST, [svc(port=82), dest()],
     errno.ESRCH, "No such service"),
    ("dest add without a weight", NEW_DEST, [svc(), dest(drop=[D_WEIGHT])],
     errno.EINVAL, "Missing weight"),
    ("dest add forwarding locally", NEW_DEST, [svc(), dest("10.9.1.3", fwd=1)],
     errno.EOPNOTSUPP, "Local node"),
    ("dest add forwarding by bypass", NEW_DEST,
     [svc(), dest("10.9.1.3", fwd=4)], errno.EINVAL, "Forwarding method"),
    ("dest add with a GUE tunnel", NEW_DEST,
     [svc(), dest("10.9.1.3", fwd=2, extra=[u8(D_TUN_TYPE, 1)])],
     errno.EOPNOTSUPP, "IP-in-IP"),
    ("dest add of weight 70000", NEW_DEST,
     [svc(), dest("10.9.1.3", weight=70000)], errno.ERANGE, "Weight"),
    ("dest add with thresholds upside down", NEW_DEST,
     [svc(), dest("10.9.1.3", uth=5, lth=6)], errno.ERANGE,
     "Lower threshold"),
    ("dest add of an IPv6 one by NAT to IPv4", NEW_DEST,
     [svc(), nest(A_DEST, u16(D_FAMILY, 10),
                  attr(D_ADDR, socket.inet_pton(socket.AF_INET6,
                                                "2001:db8::2")),
                  be16(D_PORT, 80), u32(D_FWD, 0), u32(D_WEIGHT, 1),
                  u32(D_UTH, 0), u32(D_LTH, 0))],
     errno.EINVAL, "Only tunnelling"),
    ("dest add of an existing one", NEW_DEST, [svc(), dest()],
     errno.EEXIST, "already exists"),
    ("dest set of a missing one", SET_DEST, [svc(), dest("10.9.1.9")],
     errno.ENOENT, "No such destination"),
    ("dest del of a missing one", DEL_DEST,
     [svc(), dest("10.9.1.9", full=False)], errno.ENOENT,
     "No such destination"),
    ("sync daemon start", NEW_DAEMON,
     [nest(A_DAEMON, u32(1, 1), string(2, "eth0"), u32(3, 1))],
     errno.EOPNOTSUPP, "sync daemons"),
    ("a TCP timeout of 31 days", SET_CONFIG, [u32(A_TCP, 31 * 86400)],
     errno.EINVAL, "Timeout"),
    ("zero of a missing service", ZERO, [svc(port=82, full=False)],
     errno.ESRCH, "No such service"),
]


def main():
    g = nr.Genl("IPVS")
    ok = [g.lvs(NEW_SERVICE, svc()),
          g.lvs(NEW_DEST, svc(), dest(weight=3))]
    report("ipvsraw: a service and a destination as libipvs sends them",
           ok == [[], []], repr(ok))
    before = state(g)
    for desc, cmd, attrs, want_err, want_msg in BAD:
        got = g.lvs(cmd, *attrs)
        good = (isinstance(got, tuple) and got[0] == want_err and
                want_msg in got[1])
        report("ipvsraw: refuse %s" % desc, good,
               "got %r, want (%s, ...%r...)" %
               (got, errno.errorcode[want_err], want_msg))
    got = g.lvs(GET_DEST, svc(port=82, full=False), flags=nr.NLM_F_DUMP)
    report("ipvsraw: refuse a dest dump of a missing service",
           isinstance(got, tuple) and got[0] == errno.ESRCH and
           "No such service" in got[1], repr(got))
    after = state(g)
    report("ipvsraw: refused requests changed nothing",
           before == after and len(before) == 2,
           "before %r\nafter %r" % (before, after))

    info = g.lvs(GET_INFO)
    version = (struct.unpack("I", nr.parse_attrs(info[0][4:])[INFO_VERSION])
               if isinstance(info, list) and info else None)
    config = g.lvs(GET_CONFIG)
    secs = (sorted(struct.unpack("I", v)[0]
                   for v in nr.parse_attrs(config[0][4:]).values())
            if isinstance(config, list) and config else None)
    daemons = g.lvs(GET_DAEMON, flags=nr.NLM_F_DUMP)
    report("ipvsraw: version 1.2.1, timeouts 900 120 300, no sync daemon",
           version == (0x010201,) and secs == [120, 300, 900] and
           daemons == [], "%r %r %r" % (version, secs, daemons))
    ok = g.lvs(FLUSH)
    report("ipvsraw: flush leaves no service",
           ok == [] and state(g) == [], repr(ok))
    return 1 if nr.failed else 0


if __name__ == "__main__":
    sys.exit(main())
