#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Raw generic netlink requests to the LVS family, malformed on purpose.

Every bad request must be refused with the right errno and an extended ACK
message, and must leave the configuration as it was. Prints one
"TEST: ... [ OK ]" line per check. Run as root in a fresh namespace.
"""

import errno
import socket
import struct
import sys

NETLINK_GENERIC = 16
SOL_NETLINK = 270
NETLINK_EXT_ACK = 11
GENL_ID_CTRL = 0x10
CTRL_CMD_GETFAMILY = 3
CTRL_ATTR_FAMILY_ID = 1
CTRL_ATTR_FAMILY_NAME = 2
NLM_F_REQUEST = 0x1
NLM_F_ACK = 0x4
NLM_F_DUMP = 0x300
NLMSG_ERROR = 2
NLMSG_DONE = 3
NLM_F_CAPPED = 0x100
NLMSGERR_ATTR_MSG = 1
NLA_F_NESTED = 0x8000

# include/uapi/linux/lvs.h
CMD_SERVICE_NEW, CMD_SERVICE_DEL, CMD_SERVICE_GET = 1, 2, 3
CMD_DEST_NEW, CMD_DEST_DEL, CMD_DEST_GET = 4, 5, 6
CMD_SERVICE_SET, CMD_DEST_SET = 8, 9
CMD_TIMEOUT_SET, CMD_TIMEOUT_GET, CMD_CONN_GET, CMD_CONN_FLUSH = 10, 11, 12, 13
CMD_SERVICE_FLUSH, CMD_ZERO, CMD_APPLY = 14, 16, 17
ATTR_OP, ATTR_OP_CMD = 8, 9
CMD_INFO_GET, CMD_INFO_SET, ATTR_INFO = 7, 15, 3
INFO_CONN_COUNT, INFO_FAST_PATH = 2, 12
ATTR_SERVICE, ATTR_DEST, ATTR_TIMEOUTS, ATTR_DESTS = 1, 2, 4, 6
TO_PROTOCOL, TO_STATE, TO_SECONDS = 1, 2, 3
TIMEOUT_MAX = 2592000
SVC_FAMILY, SVC_PROTOCOL, SVC_ADDR, SVC_PORT, SVC_SCHED, SVC_COUNT = \
    2, 3, 4, 5, 6, 7
SVC_FALLBACK, SVC_HASH_PORT, SVC_MH_SIZE = 9, 10, 11
SVC_FWMARK, SVC_PERSIST_TIMEOUT, SVC_PERSIST_PREFIX = 12, 13, 14
SVC_FORCE, SVC_ONE_PACKET, SVC_PERSIST_DRAINED = 15, 16, 17
DEST_ADDR, DEST_PORT, DEST_FWD, DEST_WEIGHT, DEST_ACTIVE = 2, 3, 4, 5, 6
DEST_UPPER, DEST_LOWER, DEST_OVERLOADED, DEST_FORCE = 9, 10, 11, 12
DEST_FAMILY = 13
ATTR_NO_STATS, SVC_STATS, DEST_STATS = 11, 8, 8

failed = 0


def attr(atype, payload):
    hdr = struct.pack("HH", 4 + len(payload), atype)
    pad = b"\0" * ((4 - len(payload) % 4) % 4)
    return hdr + payload + pad


def nest(atype, *attrs, flag=NLA_F_NESTED):
    return attr(atype | flag, b"".join(attrs))


def u8(t, v):
    return attr(t, struct.pack("B", v))


def u16(t, v):
    return attr(t, struct.pack("H", v))


def u32(t, v):
    return attr(t, struct.pack("I", v))


def be16(t, v):
    return attr(t, struct.pack(">H", v))


def ip4(t, s):
    return attr(t, socket.inet_aton(s))


def string(t, s):
    return attr(t, s.encode() + b"\0")


def parse_attrs(data):
    out = {}
    while len(data) >= 4:
        alen, atype = struct.unpack("HH", data[:4])
        out[atype & 0x3fff] = data[4:alen]
        data = data[(alen + 3) & ~3:]
    return out


class Genl:
    def __init__(self, name="LVS"):
        self.sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW,
                                  NETLINK_GENERIC)
        self.sock.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
        self.sock.bind((0, 0))
        self.seq = 0
        reply = self.request(GENL_ID_CTRL, CTRL_CMD_GETFAMILY,
                             string(CTRL_ATTR_FAMILY_NAME, name))
        if isinstance(reply, tuple):
            raise SystemExit("%s family not found: %s" % (name, reply))
        self.family = struct.unpack(
            "H", parse_attrs(reply[0][4:])[CTRL_ATTR_FAMILY_ID])[0]

    def send(self, family, cmd, payload, flags):
        self.seq += 1
        body = struct.pack("BBH", cmd, 1, 0) + payload
        msg = struct.pack("IHHII", 16 + len(body), family,
                          NLM_F_REQUEST | flags, self.seq, 0) + body
        self.sock.send(msg)

    def request(self, family, cmd, payload, flags=NLM_F_ACK):
        """Return a list of reply payloads, or (errno, extack message)."""
        self.send(family, cmd, payload, flags)
        replies = []
        while True:
            data = self.sock.recv(65536)
            while data:
                mlen, mtype, mflags, _, _ = struct.unpack("IHHII", data[:16])
                body = data[16:mlen]
                data = data[(mlen + 3) & ~3:]
                if mtype == NLMSG_ERROR:
                    err = -struct.unpack("i", body[:4])[0]
                    if err == 0:
                        return replies
                    olen = struct.unpack("I", body[4:8])[0]
                    tlvs = body[4 + (16 if mflags & NLM_F_CAPPED else olen):]
                    msg = parse_attrs(tlvs).get(NLMSGERR_ATTR_MSG, b"")
                    return (err, msg.rstrip(b"\0").decode())
                if mtype == NLMSG_DONE:
                    err = -struct.unpack("i", body[:4])[0] if body else 0
                    if err:
                        msg = parse_attrs(body[4:]).get(NLMSGERR_ATTR_MSG,
                                                        b"")
                        return (err, msg.rstrip(b"\0").decode())
                    return replies
                replies.append(body)

    def lvs(self, cmd, *attrs, flags=NLM_F_ACK):
        return self.request(self.family, cmd, b"".join(attrs), flags)


def report(desc, ok, why=""):
    global failed
    print("TEST: %-64s [%s]" % (desc, " OK " if ok else "FAIL"))
    if not ok:
        failed += 1
        print("\t" + why)


def svc(addr="10.9.0.1", port=80, proto=6, family=2, extra=()):
    parts = [u16(SVC_FAMILY, family), u8(SVC_PROTOCOL, proto),
             ip4(SVC_ADDR, addr), be16(SVC_PORT, port)]
    return nest(ATTR_SERVICE, *(parts + list(extra)))


def dest(addr="10.9.1.2", extra=()):
    return nest(ATTR_DEST, ip4(DEST_ADDR, addr), *extra)


def dests(*entries):
    """Several destinations in one request (LVS_ATTR_DESTS)."""
    return nest(ATTR_DESTS, *entries)


def op(cmd, *attrs):
    """One change of an LVS_CMD_APPLY transaction."""
    return nest(ATTR_OP, u8(ATTR_OP_CMD, cmd), *attrs)


def dest6(addr, extra=()):
    """An IPv6 destination, naming its family."""
    return nest(ATTR_DEST, attr(DEST_ADDR, socket.inet_pton(
        socket.AF_INET6, addr)), u16(DEST_FAMILY, socket.AF_INET6), *extra)


def dest_families(g):
    """(family, address, weight) of every destination of svc()."""
    out = []
    for b in g.lvs(CMD_DEST_GET, svc(), flags=NLM_F_DUMP):
        d = parse_attrs(parse_attrs(b[4:])[ATTR_DEST])
        out.append((struct.unpack("H", d[DEST_FAMILY])[0], d[DEST_ADDR],
                    struct.unpack("I", d[DEST_WEIGHT])[0]))
    return sorted(out)


def test_dest_family(g):
    """An IPv6 TUN destination whose address starts with the bytes of the
    IPv4 one, 10.9.1.2: both live side by side, each named with its
    family."""
    v4 = socket.inet_aton("10.9.1.2")
    twin = "a09:102::1"
    v6 = socket.inet_pton(socket.AF_INET6, twin)
    ok = g.lvs(CMD_DEST_NEW, svc(), dest6(twin, [u8(DEST_FWD, 2)]))
    got = dest_families(g)
    report("netlink: an IPv6 TUN destination beside an IPv4 one, same bytes",
           ok == [] and got == [(2, v4, 3), (10, v6, 1)], "%r %r" % (ok, got))
    ok = g.lvs(CMD_DEST_SET, svc(), dest6(twin, [u32(DEST_WEIGHT, 5)]))
    got = dest_families(g)
    report("netlink: dest set with the family names the IPv6 one",
           ok == [] and got == [(2, v4, 3), (10, v6, 5)], "%r %r" % (ok, got))
    ok = g.lvs(CMD_DEST_DEL, svc(), dest6(twin))
    got = dest_families(g)
    report("netlink: dest del with the family removes the IPv6 one",
           ok == [] and got == [(2, v4, 3)], "%r %r" % (ok, got))


def dest_methods(g):
    """(family, method) of every destination of svc()."""
    out = []
    for b in g.lvs(CMD_DEST_GET, svc(), flags=NLM_F_DUMP):
        d = parse_attrs(parse_attrs(b[4:])[ATTR_DEST])
        out.append((struct.unpack("H", d[DEST_FAMILY])[0], d[DEST_FWD][0]))
    return sorted(out)


def test_dest_method(g):
    """A destination's forwarding method changes in place, as far as
    adding it that way would be allowed."""
    twin = "a09:102::1"
    ok = g.lvs(CMD_DEST_SET, svc(), dest(extra=[u8(DEST_FWD, 1)]))
    got = dest_methods(g)
    report("netlink: dest set changes the forwarding method",
           ok == [] and got == [(2, 1)], "%r %r" % (ok, got))
    ok = [g.lvs(CMD_DEST_NEW, svc(), dest6(twin, [u8(DEST_FWD, 2)]))]
    bad = g.lvs(CMD_DEST_SET, svc(), dest6(twin, [u8(DEST_FWD, 1)]))
    ok += [g.lvs(CMD_DEST_DEL, svc(), dest6(twin)),
           g.lvs(CMD_DEST_SET, svc(), dest(extra=[u8(DEST_FWD, 0)]))]
    got = dest_methods(g)
    report("netlink: dest set refuses DR to the other family",
           isinstance(bad, tuple) and bad[0] == errno.EINVAL and
           "Only TUN" in bad[1] and ok == [[], [], []] and got == [(2, 0)],
           "%r %r %r" % (bad, ok, got))


def test_dest_sets(g):
    """A service with its destinations in one request, then two more."""
    ok = g.lvs(CMD_SERVICE_NEW, svc("10.9.0.8", extra=[
        string(SVC_SCHED, "wrr")]), dests(
            dest("10.9.1.5", [u32(DEST_WEIGHT, 2)]), dest("10.9.1.6"),
            dest("10.9.1.7", [u8(DEST_FWD, 1)])))
    got = [s for s in state(g)[1:] if s[0][1] == socket.inet_aton("10.9.0.8")]
    want = [(socket.inet_aton(a), struct.pack(">H", 80), bytes([f]),
             struct.pack("I", w), b"\0" * 4, b"\0" * 4)
            for a, f, w in (("10.9.1.5", 0, 2), ("10.9.1.6", 0, 1),
                            ("10.9.1.7", 1, 1))]
    report("netlink: service add with its destinations creates them all",
           ok == [] and len(got) == 1 and got[0][1] == b"wrr\0" and
           got[0][5] == want, "%r %r" % (ok, got))
    ok = g.lvs(CMD_DEST_NEW, svc("10.9.0.8"), dests(
        dest("10.9.1.8"), dest("10.9.1.9", [u32(DEST_WEIGHT, 4)])))
    got = [s for s in state(g)[1:] if s[0][1] == socket.inet_aton("10.9.0.8")]
    report("netlink: dest add of a set adds them all",
           ok == [] and len(got) == 1 and len(got[0][5]) == 5,
           "%r %r" % (ok, got))
    ok = g.lvs(CMD_SERVICE_DEL, svc("10.9.0.8"))
    report("netlink: the service of a set is deleted", ok == [], repr(ok))


def fast_path(g):
    """The fast path's setting, as INFO_GET reports it."""
    body = g.lvs(CMD_INFO_GET)[0]
    return parse_attrs(parse_attrs(body[4:])[ATTR_INFO])[INFO_FAST_PATH][0]


def test_info_set(g):
    """The one setting: bad requests change nothing, good ones do."""
    # Off, or on where lvs was loaded with fastpath=1.
    before = fast_path(g)
    bad = [
        ("info set without settings", [], errno.EINVAL, "Missing settings"),
        ("info set without the fast path", [nest(ATTR_INFO)], errno.EINVAL,
         "Missing setting"),
        ("info set of the fast path to 2", [nest(ATTR_INFO,
                                                  u8(INFO_FAST_PATH, 2))],
         errno.ERANGE, "out of range"),
        ("info set of a counter", [nest(ATTR_INFO, u8(INFO_FAST_PATH, 1),
                                        u32(INFO_CONN_COUNT, 0))],
         errno.EINVAL, "Unsupported attribute"),
    ]
    for desc, attrs, want_err, want_msg in bad:
        got = g.lvs(CMD_INFO_SET, *attrs)
        report("netlink: refuse %s" % desc,
               isinstance(got, tuple) and got[0] == want_err and
               want_msg in got[1] and fast_path(g) == before,
               "got %r, want (%s, ...%r...), fast path still %d" %
               (got, errno.errorcode[want_err], want_msg, before))
    got = [g.lvs(CMD_INFO_SET, nest(ATTR_INFO, u8(INFO_FAST_PATH, 1))),
           fast_path(g),
           g.lvs(CMD_INFO_SET, nest(ATTR_INFO, u8(INFO_FAST_PATH, 1))),
           fast_path(g),
           g.lvs(CMD_INFO_SET, nest(ATTR_INFO, u8(INFO_FAST_PATH, 0))),
           fast_path(g)]
    report("netlink: info set turns the fast path on, again, and off",
           got == [[], 1, [], 1, [], 0], repr(got))


def timeout(proto, name, seconds):
    return nest(1, u8(TO_PROTOCOL, proto), string(TO_STATE, name),
                u32(TO_SECONDS, seconds))


def timeouts(*entries):
    return nest(ATTR_TIMEOUTS, *entries)


def get_timeouts(g):
    """{(protocol, state name): seconds}, in the kernel's order."""
    reply = g.lvs(CMD_TIMEOUT_GET)
    if isinstance(reply, tuple) or len(reply) != 1:
        return reply
    out = {}
    entries = parse_attrs(parse_attrs(reply[0][4:])[ATTR_TIMEOUTS])
    for e in entries.values():
        a = parse_attrs(e)
        out[(a[TO_PROTOCOL][0], a[TO_STATE].rstrip(b"\0").decode())] = \
            struct.unpack("I", a[TO_SECONDS])[0]
    return out


def state(g):
    """Everything configured, as comparable data."""
    services = [get_timeouts(g)]
    for body in g.lvs(CMD_SERVICE_GET, flags=NLM_F_DUMP):
        a = parse_attrs(parse_attrs(body[4:])[ATTR_SERVICE])
        key = (a[SVC_PROTOCOL], a[SVC_ADDR], a[SVC_PORT])
        dests = sorted(
            (d[DEST_ADDR], d[DEST_PORT], d[DEST_FWD], d[DEST_WEIGHT],
             d[DEST_UPPER], d[DEST_LOWER])
            for d in (parse_attrs(parse_attrs(b[4:])[ATTR_DEST])
                      for b in g.lvs(CMD_DEST_GET, svc(
                          socket.inet_ntoa(a[SVC_ADDR]),
                          struct.unpack(">H", a[SVC_PORT])[0],
                          a[SVC_PROTOCOL][0]), flags=NLM_F_DUMP)))
        services.append((key, a[SVC_SCHED], a[SVC_FALLBACK],
                         a[SVC_HASH_PORT], a[SVC_MH_SIZE], dests))
    return services[:1] + sorted(services[1:])


def test_no_stats(g):
    """SERVICE_GET and DEST_GET dumps with LVS_ATTR_NO_STATS leave the
    counters and rates out, and nothing else."""
    def dumped(cmd, *attrs):
        got = g.lvs(cmd, *attrs, flags=NLM_F_DUMP)
        if isinstance(got, tuple):
            return got
        return [parse_attrs(b[4:]) for b in got]

    def svcs(msgs):
        return [(parse_attrs(m[ATTR_SERVICE]),
                 [parse_attrs(d) for d in parse_attrs(m[ATTR_DESTS]).values()])
                for m in msgs]

    def strip(a, stats):
        return {k: v for k, v in a.items() if k != stats}

    full = dumped(CMD_SERVICE_GET, nest(ATTR_DESTS))
    bare = dumped(CMD_SERVICE_GET, nest(ATTR_DESTS), attr(ATTR_NO_STATS, b""))
    good = (not isinstance(full, tuple) and not isinstance(bare, tuple) and
            len(full) == len(bare) == 1)
    if good:
        (fs, fd), (bs, bd) = svcs(full)[0], svcs(bare)[0]
        good = (SVC_STATS in fs and SVC_STATS not in bs and
                strip(fs, SVC_STATS) == bs and len(fd) == len(bd) == 1 and
                DEST_STATS in fd[0] and DEST_STATS not in bd[0] and
                strip(fd[0], DEST_STATS) == bd[0])
    report("netlink: a service dump without counters has all else",
           good, "%r\n%r" % (full, bare))
    full = dumped(CMD_DEST_GET, svc())
    bare = dumped(CMD_DEST_GET, svc(), attr(ATTR_NO_STATS, b""))
    good = (not isinstance(full, tuple) and not isinstance(bare, tuple) and
            len(full) == len(bare) == 1)
    if good:
        fd = parse_attrs(full[0][ATTR_DEST])
        bd = parse_attrs(bare[0][ATTR_DEST])
        good = (DEST_STATS in fd and strip(fd, DEST_STATS) == bd)
    report("netlink: a destination dump without counters has all else",
           good, "%r\n%r" % (full, bare))


def main():
    g = Genl()
    ok = g.lvs(CMD_SERVICE_NEW, svc(extra=[string(SVC_SCHED, "rr")]))
    report("netlink: a valid service is accepted", ok == [], repr(ok))
    ok = g.lvs(CMD_DEST_NEW, svc(), dest(extra=[u32(DEST_WEIGHT, 3)]))
    report("netlink: a valid destination is accepted", ok == [], repr(ok))
    before = state(g)
    tcp_states = ["NONE", "SYN_RECV", "SYN_ACK", "ESTABLISHED", "FIN_WAIT",
                  "CLOSE_WAIT", "TIME_WAIT", "CLOSE"]
    tcp_secs = [2, 60, 60, 900, 120, 60, 120, 10]
    want_to = dict(((6, s), t) for s, t in zip(tcp_states, tcp_secs))
    want_to[(17, "UDP")] = 300
    got = before[0]
    report("netlink: timeout get lists every TCP and UDP state, defaults",
           isinstance(got, dict) and
           dict((k, v) for k, v in got.items() if k[0] in (6, 17)) == want_to
           and list(got)[:8] == [(6, s) for s in tcp_states],
           "got %r" % (got,))
    before = before[1:]
    want = [((b"\x06", socket.inet_aton("10.9.0.1"), struct.pack(">H", 80)),
             b"rr\0", b"\0", b"\0", struct.pack("I", 4093),
             [(socket.inet_aton("10.9.1.2"), struct.pack(">H", 80),
               b"\x00", struct.pack("I", 3), b"\0" * 4, b"\0" * 4)])]
    report("netlink: the dumps list the service and its destination",
           before == want, "got %r" % (before,))
    before = state(g)

    bad = [
        ("service add without a service", CMD_SERVICE_NEW, [],
         errno.EINVAL, "Missing service"),
        ("service add without a port", CMD_SERVICE_NEW,
         [nest(ATTR_SERVICE, u16(SVC_FAMILY, 2), u8(SVC_PROTOCOL, 6),
               ip4(SVC_ADDR, "10.9.0.2"), string(SVC_SCHED, "rr"))],
         errno.EINVAL, "Missing service port"),
        ("service add without a scheduler", CMD_SERVICE_NEW,
         [svc("10.9.0.3")], errno.EINVAL, "Missing scheduler"),
        ("service add for family AF_AX25", CMD_SERVICE_NEW,
         [svc(family=3, extra=[string(SVC_SCHED, "rr")])],
         errno.EAFNOSUPPORT, "AF_INET6"),
        ("service add for IPv6 with a 4-byte address", CMD_SERVICE_NEW,
         [svc(family=10, extra=[string(SVC_SCHED, "rr")])],
         errno.EINVAL, "does not match"),
        ("service add on an IPv6 link-local address", CMD_SERVICE_NEW,
         [nest(ATTR_SERVICE, u16(SVC_FAMILY, 10), u8(SVC_PROTOCOL, 6),
               attr(SVC_ADDR, socket.inet_pton(socket.AF_INET6, "fe80::1")),
               be16(SVC_PORT, 80), string(SVC_SCHED, "rr"))],
         errno.EINVAL, "unicast"),
        ("service add for ICMP", CMD_SERVICE_NEW,
         [svc(proto=1, extra=[string(SVC_SCHED, "rr")])],
         errno.EPROTONOSUPPORT, "TCP, UDP or SCTP"),
        ("service add with a 3-byte address", CMD_SERVICE_NEW,
         [nest(ATTR_SERVICE, u16(SVC_FAMILY, 2), u8(SVC_PROTOCOL, 6),
               attr(SVC_ADDR, b"\1\2\3"), be16(SVC_PORT, 80))],
         errno.ERANGE, "size out of range"),
        ("service add with a 16-byte address for IPv4", CMD_SERVICE_NEW,
         [nest(ATTR_SERVICE, u16(SVC_FAMILY, 2), u8(SVC_PROTOCOL, 6),
               attr(SVC_ADDR, b"\1" * 16), be16(SVC_PORT, 80),
               string(SVC_SCHED, "rr"))],
         errno.EINVAL, "does not match"),
        ("service add on 0.0.0.0", CMD_SERVICE_NEW,
         [svc("0.0.0.0", extra=[string(SVC_SCHED, "rr")])],
         errno.EINVAL, "unicast"),
        ("service add on a multicast address", CMD_SERVICE_NEW,
         [svc("224.0.0.5", extra=[string(SVC_SCHED, "rr")])],
         errno.EINVAL, "unicast"),
        ("service add with a firewall mark and a port", CMD_SERVICE_NEW,
         [nest(ATTR_SERVICE, u16(SVC_FAMILY, 2), u32(SVC_FWMARK, 7),
               be16(SVC_PORT, 80), string(SVC_SCHED, "rr"))],
         errno.EINVAL, "no protocol, address or port"),
        ("service add with firewall mark 0", CMD_SERVICE_NEW,
         [nest(ATTR_SERVICE, u16(SVC_FAMILY, 2), u32(SVC_FWMARK, 0),
               string(SVC_SCHED, "rr"))],
         errno.ERANGE, "out of range"),
        ("service add persistent for longer than 30 days", CMD_SERVICE_NEW,
         [svc("10.9.0.4", extra=[string(SVC_SCHED, "rr"),
                                 u32(SVC_PERSIST_TIMEOUT, 2592001)])],
         errno.ERANGE, "out of range"),
        ("service add with a 33-bit IPv4 persistence prefix", CMD_SERVICE_NEW,
         [svc("10.9.0.4", extra=[string(SVC_SCHED, "rr"),
                                 u8(SVC_PERSIST_PREFIX, 33)])],
         errno.EINVAL, "longer than the address"),
        ("service add with scheduler name ../x", CMD_SERVICE_NEW,
         [svc("10.9.0.4", extra=[string(SVC_SCHED, "../x")])],
         errno.EINVAL, "lowercase"),
        ("service add with an unknown scheduler", CMD_SERVICE_NEW,
         [svc("10.9.0.4", extra=[string(SVC_SCHED, "nosuch")])],
         errno.ENOENT, "Unknown scheduler"),
        ("service add with a 20-byte scheduler name", CMD_SERVICE_NEW,
         [svc("10.9.0.4", extra=[string(SVC_SCHED, "a" * 20)])],
         errno.EINVAL, "policy"),
        ("service add with a 4-byte port", CMD_SERVICE_NEW,
         [nest(ATTR_SERVICE, u16(SVC_FAMILY, 2), u8(SVC_PROTOCOL, 6),
               ip4(SVC_ADDR, "10.9.0.5"), u32(SVC_PORT, 80),
               string(SVC_SCHED, "rr"))],
         errno.EINVAL, "invalid attribute length"),
        ("service add with an output-only attribute", CMD_SERVICE_NEW,
         [svc("10.9.0.6", extra=[string(SVC_SCHED, "rr"),
                                 u32(SVC_COUNT, 1)])],
         errno.EINVAL, ""),
        ("service add with an unknown top-level attribute", CMD_SERVICE_NEW,
         [svc("10.9.0.7", extra=[string(SVC_SCHED, "rr")]),
          u32(99, 1)], errno.EINVAL, ""),
        ("service add with a nest lacking NLA_F_NESTED", CMD_SERVICE_NEW,
         [nest(ATTR_SERVICE, u16(SVC_FAMILY, 2), flag=0)],
         errno.EINVAL, "NLA_F_NESTED"),
        ("service add of an existing service", CMD_SERVICE_NEW,
         [svc(extra=[string(SVC_SCHED, "wrr")])],
         errno.EEXIST, "already exists"),
        ("service del of a missing service", CMD_SERVICE_DEL,
         [svc("10.9.9.9")], errno.ENOENT, "No such service"),
        ("dest add without a destination", CMD_DEST_NEW, [svc()],
         errno.EINVAL, "Missing destination"),
        ("dest add to a missing service", CMD_DEST_NEW,
         [svc("10.9.9.9"), dest()], errno.ENOENT, "No such service"),
        ("dest add with weight 70000", CMD_DEST_NEW,
         [svc(), dest("10.9.1.3", [u32(DEST_WEIGHT, 70000)])],
         errno.ERANGE, "out of range"),
        ("dest add with forwarding method 7", CMD_DEST_NEW,
         [svc(), dest("10.9.1.3", [u8(DEST_FWD, 7)])],
         errno.ERANGE, "out of range"),
        ("dest add with forwarding method 3", CMD_DEST_NEW,
         [svc(), dest("10.9.1.3", [u8(DEST_FWD, 3)])],
         errno.ERANGE, "out of range"),
        ("dest add with direct routing to another port", CMD_DEST_NEW,
         [svc(), dest("10.9.1.3", [u8(DEST_FWD, 1), be16(DEST_PORT, 81)])],
         errno.EINVAL, "service's own port"),
        ("dest add of an IPv6 address to an IPv4 service", CMD_DEST_NEW,
         [svc(), nest(ATTR_DEST, attr(DEST_ADDR, socket.inet_pton(
             socket.AF_INET6, "2001:db8::2")))],
         errno.EINVAL, "does not match"),
        ("dest add of AF_INET6 without a method (NAT)", CMD_DEST_NEW,
         [svc(), dest6("2001:db8::2")], errno.EINVAL,
         "needs forwarding method TUN"),
        ("dest add of AF_INET6 by NAT", CMD_DEST_NEW,
         [svc(), dest6("2001:db8::2", [u8(DEST_FWD, 0)])], errno.EINVAL,
         "Only TUN"),
        ("dest add of AF_INET6 by DR", CMD_DEST_NEW,
         [svc(), dest6("2001:db8::2", [u8(DEST_FWD, 1)])], errno.EINVAL,
         "Only TUN"),
        ("dest add of AF_INET6 with a 4-byte address", CMD_DEST_NEW,
         [svc(), dest("10.9.1.7", [u16(DEST_FAMILY, 10), u8(DEST_FWD, 2)])],
         errno.EINVAL, "does not match"),
        ("dest add of family AF_AX25", CMD_DEST_NEW,
         [svc(), dest("10.9.1.7", [u16(DEST_FAMILY, 3), u8(DEST_FWD, 2)])],
         errno.EAFNOSUPPORT, "AF_INET or AF_INET6"),
        ("dest add with a 4-byte address family", CMD_DEST_NEW,
         [svc(), dest("10.9.1.7", [u32(DEST_FAMILY, 2)])],
         errno.EINVAL, "invalid attribute length"),
        ("dest del of an AF_INET6 destination not there", CMD_DEST_DEL,
         [svc(), dest6("2001:db8::2")], errno.ENOENT,
         "No such destination"),
        ("dest add on a loopback address", CMD_DEST_NEW,
         [svc(), dest("127.0.0.1")], errno.EINVAL, "unicast"),
        ("dest add of an existing destination", CMD_DEST_NEW,
         [svc(), dest()], errno.EEXIST, "already exists"),
        ("dest add with an output-only attribute", CMD_DEST_NEW,
         [svc(), dest("10.9.1.4", [u32(DEST_ACTIVE, 1)])],
         errno.EINVAL, ""),
        ("dest del of a missing destination", CMD_DEST_DEL,
         [svc(), dest("10.9.1.9")], errno.ENOENT, "No such destination"),
        ("dest add with lower threshold above upper", CMD_DEST_NEW,
         [svc(), dest("10.9.1.5", [u32(DEST_UPPER, 5), u32(DEST_LOWER, 6)])],
         errno.EINVAL, "Lower threshold"),
        ("service set of a missing service", CMD_SERVICE_SET,
         [svc("10.9.9.9", extra=[string(SVC_SCHED, "wrr")])],
         errno.ENOENT, "No such service"),
        ("service set to an unknown scheduler", CMD_SERVICE_SET,
         [svc(extra=[string(SVC_SCHED, "nosuch")])],
         errno.ENOENT, "Unknown scheduler"),
        ("service set with a table size that is not prime", CMD_SERVICE_SET,
         [svc(extra=[string(SVC_SCHED, "wrr"), u32(SVC_MH_SIZE, 65535)])],
         errno.EINVAL, "prime"),
        ("service set with a table size below 251", CMD_SERVICE_SET,
         [svc(extra=[u32(SVC_MH_SIZE, 241)])], errno.ERANGE, "out of range"),
        ("service set with a table size above the maximum", CMD_SERVICE_SET,
         [svc(extra=[u32(SVC_MH_SIZE, 1048583)])],
         errno.ERANGE, "out of range"),
        ("service set with fallback 2", CMD_SERVICE_SET,
         [svc(extra=[u8(SVC_FALLBACK, 2)])], errno.ERANGE, "out of range"),
        ("dest set of a missing destination", CMD_DEST_SET,
         [svc(), dest("10.9.1.9", [u32(DEST_WEIGHT, 2)])],
         errno.ENOENT, "No such destination"),
        ("dest set with weight 70000", CMD_DEST_SET,
         [svc(), dest(extra=[u32(DEST_WEIGHT, 70000)])],
         errno.ERANGE, "out of range"),
        ("dest set with lower threshold above upper", CMD_DEST_SET,
         [svc(), dest(extra=[u32(DEST_WEIGHT, 9), u32(DEST_UPPER, 5),
                             u32(DEST_LOWER, 6)])],
         errno.EINVAL, "Lower threshold"),
        ("dest set with an output-only attribute", CMD_DEST_SET,
         [svc(), dest(extra=[u8(DEST_OVERLOADED, 1)])], errno.EINVAL, ""),
        ("dest add with force", CMD_DEST_NEW,
         [svc(), dest("10.9.1.6", [attr(DEST_FORCE, b"")])],
         errno.EINVAL, "deleting a destination only"),
        ("dest set with force", CMD_DEST_SET,
         [svc(), dest(extra=[u32(DEST_WEIGHT, 2), attr(DEST_FORCE, b"")])],
         errno.EINVAL, "deleting a destination only"),
        ("dest del with force of a missing destination", CMD_DEST_DEL,
         [svc(), dest("10.9.1.9", [attr(DEST_FORCE, b"")])],
         errno.ENOENT, "No such destination"),
        ("dest del with a force flag carrying data", CMD_DEST_DEL,
         [svc(), dest(extra=[u8(DEST_FORCE, 1)])], errno.ERANGE, "policy"),
        ("service set with force", CMD_SERVICE_SET,
         [svc(extra=[attr(SVC_FORCE, b"")])],
         errno.EINVAL, "deleting or flushing services only"),
        ("dest add with the service's force", CMD_DEST_NEW,
         [svc(extra=[attr(SVC_FORCE, b"")]), dest("10.9.1.6")],
         errno.EINVAL, "deleting or flushing services only"),
        ("service del with force of a missing service", CMD_SERVICE_DEL,
         [svc("10.9.0.9", extra=[attr(SVC_FORCE, b"")])],
         errno.ENOENT, "No such service"),
        ("service flush naming a service", CMD_SERVICE_FLUSH, [svc()],
         errno.EINVAL, "names no service"),
        ("service flush with a force flag carrying data", CMD_SERVICE_FLUSH,
         [nest(ATTR_SERVICE, u8(SVC_FORCE, 1))], errno.ERANGE, "policy"),
        ("timeout set without timeouts", CMD_TIMEOUT_SET, [],
         errno.EINVAL, "Missing timeouts"),
        ("timeout set with no entries", CMD_TIMEOUT_SET, [timeouts()],
         errno.EINVAL, "No timeouts given"),
        ("timeout set with a list lacking NLA_F_NESTED", CMD_TIMEOUT_SET,
         [nest(ATTR_TIMEOUTS, timeout(6, "ESTABLISHED", 5), flag=0)],
         errno.EINVAL, "NLA_F_NESTED"),
        ("timeout set without seconds", CMD_TIMEOUT_SET,
         [timeouts(nest(1, u8(TO_PROTOCOL, 6),
                        string(TO_STATE, "ESTABLISHED")))],
         errno.EINVAL, "needs a protocol, a state and seconds"),
        ("timeout set for ICMP", CMD_TIMEOUT_SET,
         [timeouts(timeout(1, "ESTABLISHED", 5))],
         errno.EPROTONOSUPPORT, "Unknown protocol"),
        ("timeout set of a TCP state for UDP", CMD_TIMEOUT_SET,
         [timeouts(timeout(17, "ESTABLISHED", 5))],
         errno.EINVAL, "Unknown state"),
        ("timeout set of a state in lower case", CMD_TIMEOUT_SET,
         [timeouts(timeout(6, "established", 5))],
         errno.EINVAL, "Unknown state"),
        ("timeout set of 0 seconds", CMD_TIMEOUT_SET,
         [timeouts(timeout(6, "ESTABLISHED", 0))],
         errno.ERANGE, "out of range"),
        ("timeout set above LVS_TIMEOUT_MAX", CMD_TIMEOUT_SET,
         [timeouts(timeout(17, "UDP", TIMEOUT_MAX + 1))],
         errno.ERANGE, "out of range"),
        ("timeout set with a 40-byte state name", CMD_TIMEOUT_SET,
         [timeouts(timeout(6, "S" * 40, 5))], errno.EINVAL, "policy"),
        ("timeout set of one state twice", CMD_TIMEOUT_SET,
         [timeouts(timeout(6, "CLOSE", 5), timeout(6, "CLOSE", 6))],
         errno.EINVAL, "given twice"),
        ("timeout set, valid entries and then a bad one", CMD_TIMEOUT_SET,
         [timeouts(timeout(6, "ESTABLISHED", 5), timeout(17, "UDP", 5),
                   timeout(6, "NO_SUCH", 5))],
         errno.EINVAL, "Unknown state"),
        ("timeout set with an unknown attribute in an entry",
         CMD_TIMEOUT_SET,
         [timeouts(nest(1, u8(TO_PROTOCOL, 6), string(TO_STATE, "CLOSE"),
                        u32(TO_SECONDS, 5), u32(9, 1)))],
         errno.EINVAL, ""),
        ("conn flush of a missing service", CMD_CONN_FLUSH,
         [svc("10.9.9.9")], errno.ENOENT, "No such service"),
        ("conn flush with a service without a port", CMD_CONN_FLUSH,
         [nest(ATTR_SERVICE, u16(SVC_FAMILY, 2), u8(SVC_PROTOCOL, 6),
               ip4(SVC_ADDR, "10.9.0.1"))],
         errno.EINVAL, "Missing service port"),
        ("conn flush with an output-only attribute", CMD_CONN_FLUSH,
         [nest(5, u16(1, 2))], errno.EINVAL, ""),
        ("zero of a missing service", CMD_ZERO,
         [svc("10.9.9.9")], errno.ENOENT, "No such service"),
        ("zero with a service without a port", CMD_ZERO,
         [nest(ATTR_SERVICE, u16(SVC_FAMILY, 2), u8(SVC_PROTOCOL, 6),
               ip4(SVC_ADDR, "10.9.0.1"))],
         errno.EINVAL, "Missing service port"),
        ("dest add of a set naming one twice", CMD_DEST_NEW,
         [svc(), dests(dest("10.9.1.5"), dest("10.9.1.5"))],
         errno.EEXIST, "given twice"),
        ("dest add of a set with an existing one", CMD_DEST_NEW,
         [svc(), dests(dest("10.9.1.5"), dest())],
         errno.EEXIST, "already exists"),
        ("dest add of a set with DR to another port", CMD_DEST_NEW,
         [svc(), dests(dest("10.9.1.5"),
                       dest("10.9.1.6", [u8(DEST_FWD, 1),
                                         be16(DEST_PORT, 81)]))],
         errno.EINVAL, "service's own port"),
        ("dest add of a set with weight 70000", CMD_DEST_NEW,
         [svc(), dests(dest("10.9.1.5"),
                       dest("10.9.1.6", [u32(DEST_WEIGHT, 70000)]))],
         errno.ERANGE, "out of range"),
        ("dest add of a set with one lacking its address", CMD_DEST_NEW,
         [svc(), dests(dest("10.9.1.5"), nest(ATTR_DEST, be16(DEST_PORT, 80)))],
         errno.EINVAL, "Missing destination address"),
        ("dest add of an empty set", CMD_DEST_NEW, [svc(), dests()],
         errno.EINVAL, "No destination"),
        ("dest add of a destination and a set", CMD_DEST_NEW,
         [svc(), dest("10.9.1.5"), dests(dest("10.9.1.6"))],
         errno.EINVAL, "either"),
        ("service add with a set naming one twice", CMD_SERVICE_NEW,
         [svc("10.9.0.8", extra=[string(SVC_SCHED, "rr")]),
          dests(dest("10.9.1.5"), dest("10.9.1.6"), dest("10.9.1.5"))],
         errno.EEXIST, "given twice"),
        ("apply adding one destination twice", CMD_APPLY,
         [op(CMD_DEST_NEW, svc(), dest("10.9.1.5")),
          op(CMD_DEST_NEW, svc(), dest("10.9.1.6")),
          op(CMD_DEST_NEW, svc(), dest("10.9.1.5"))],
         errno.EINVAL, "named twice in one transaction"),
        ("apply adding a service's destination twice", CMD_APPLY,
         [op(CMD_SERVICE_NEW, svc("10.9.0.8", extra=[
             string(SVC_SCHED, "rr")]), dests(dest("10.9.1.5"))),
          op(CMD_DEST_NEW, svc("10.9.0.8"), dest("10.9.1.5"))],
         errno.EINVAL, "named twice in one transaction"),
        ("service add with a set with a loopback one", CMD_SERVICE_NEW,
         [svc("10.9.0.8", extra=[string(SVC_SCHED, "rr")]),
          dests(dest("10.9.1.5"), dest("127.0.0.1"))],
         errno.EINVAL, "unicast"),
    ]
    for desc, cmd, attrs, want_err, want_msg in bad:
        got = g.lvs(cmd, *attrs)
        good = (isinstance(got, tuple) and got[0] == want_err and
                want_msg in got[1] and got[1] != "")
        report("netlink: refuse %s" % desc, good,
               "got %r, want (%s, ...%r...)" %
               (got, errno.errorcode[want_err], want_msg))

    after = state(g)
    report("netlink: refused requests changed nothing", before == after,
           "before %r\nafter %r" % (before, after))
    test_dest_family(g)
    test_dest_method(g)
    ok = g.lvs(CMD_SERVICE_SET, svc(extra=[
        string(SVC_SCHED, "wrr"), u8(SVC_FALLBACK, 1), u32(SVC_MH_SIZE, 251)]))
    got = state(g)
    report("netlink: service set changes scheduler and options, only those",
           ok == [] and got[1][1:5] == (b"wrr\0", b"\1", b"\0",
                                        struct.pack("I", 251)) and
           got[1][5] == before[1][5], "%r %r" % (ok, got))
    ok = g.lvs(CMD_DEST_SET, svc(), dest(extra=[u32(DEST_UPPER, 8)]))
    got = state(g)[1][5][0]
    report("netlink: dest set changes what it names, keeps the rest",
           ok == [] and got[3:] == (struct.pack("I", 3), struct.pack("I", 8),
                                    b"\0" * 4), "%r %r" % (ok, got))
    got = g.lvs(CMD_DEST_GET, svc("10.9.9.9"), flags=NLM_F_DUMP)
    report("netlink: dest dump of a missing service is refused",
           isinstance(got, tuple) and got[0] == errno.ENOENT and
           "No such service" in got[1], repr(got))
    got = g.lvs(CMD_CONN_GET, svc("10.9.9.9"), flags=NLM_F_DUMP)
    report("netlink: conn dump of a missing service is refused",
           isinstance(got, tuple) and got[0] == errno.ENOENT and
           "No such service" in got[1], repr(got))
    got = [g.lvs(CMD_CONN_GET, flags=NLM_F_DUMP),
           g.lvs(CMD_CONN_GET, svc(), flags=NLM_F_DUMP),
           g.lvs(CMD_CONN_FLUSH), g.lvs(CMD_CONN_FLUSH, svc())]
    report("netlink: conn dump and flush of an empty table succeed",
           got == [[], [], [], []], repr(got))
    ok = g.lvs(CMD_TIMEOUT_SET, timeouts(timeout(17, "UDP", 7),
                                         timeout(6, "TIME_WAIT", TIMEOUT_MAX)))
    got = get_timeouts(g)
    want_to = dict(before[0])
    want_to[(17, "UDP")] = 7
    want_to[(6, "TIME_WAIT")] = TIMEOUT_MAX
    report("netlink: timeout set changes the states it names, only those",
           ok == [] and got == want_to, "%r %r" % (ok, got))
    test_dest_sets(g)
    test_no_stats(g)
    test_info_set(g)
    ok = g.lvs(CMD_DEST_DEL, svc(), dest(extra=[attr(DEST_FORCE, b"")]))
    report("netlink: dest del with force removes the destination",
           ok == [] and state(g)[1][5] == [], repr(ok))
    ok = g.lvs(CMD_SERVICE_DEL, svc())
    report("netlink: the valid service is deleted", ok == [] and
           state(g)[1:] == [], repr(ok))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
