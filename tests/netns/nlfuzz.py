#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Netlink fuzzing of the LVS family, checked against a model.

A seeded generator builds a valid request for a random command (services,
destinations, timeouts, dumps, flushes), then most of the time mutates it:
attributes dropped, duplicated, truncated, extended, retyped, given values
out of range, nests filled with garbage, unknown attributes, NLA_F_NESTED
flipped, huge repeat counts, other commands, bad nlmsg flags, a bad genl
header, a wrong nlmsg_len, several requests in one datagram.

The model reads the bytes that were sent the way include/uapi/linux/lvs.h
and the 6.1 netlink core say the kernel must: strict policy validation
(lib/nlattr.c), then each command's checks. It predicts every verdict, and
applies a request to its services, destinations and timeouts only once the
kernel has acknowledged it. Checked:
  - every rejection carries an errno and an extack message; only the
    netlink core's own refusals before the family sees the message (no
    such command, no handler of that kind, a header cut short, no such
    family) may come without one, and then with the errno the core uses;
  - the kernel accepts a request exactly when the model says it is valid;
  - replies to gets and dumps, and the whole configuration dumped every
    --check requests and at the end, equal the model.

Prints the seed; --seed S --requests N replays a run. Prints TEST lines for
tests/netns/nlfuzz.sh. Run as root in a fresh namespace.
"""

import argparse
import errno
import os
import random
import socket
import struct
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import nlraw as nr  # noqa: E402

NLM_F_ROOT, NLM_F_MATCH, NLM_F_ECHO = 0x100, 0x200, 0x8
NLM_F_CREATE, NLM_F_EXCL = 0x400, 0x200
NLA_F_BYTEORDER = 0x4000
NLA_TYPE_MASK = 0x3fff

C = {"SERVICE_NEW": 1, "SERVICE_DEL": 2, "SERVICE_GET": 3, "DEST_NEW": 4,
     "DEST_DEL": 5, "DEST_GET": 6, "INFO_GET": 7, "SERVICE_SET": 8,
     "DEST_SET": 9, "TIMEOUT_SET": 10, "TIMEOUT_GET": 11, "CONN_GET": 12,
     "CONN_FLUSH": 13, "SERVICE_FLUSH": 14, "INFO_SET": 15, "ZERO": 16,
     "APPLY": 17}
CMD_NAME = dict((v, k) for k, v in C.items())
DOIT = {1, 2, 3, 4, 5, 7, 8, 9, 10, 11, 13, 14, 15, 16, 17}
# The changes a transaction (APPLY) may hold.
TXN_CMDS = {1, 2, 4, 5, 8, 9, 10}
DUMPIT = {3, 6, 12}

SCHEDULERS = ["rr", "wrr", "lc", "wlc", "sed", "nq", "fo", "ovf", "twos",
              "sh", "dh", "mh", "lblc", "lblcr"]
PERSIST_MAX = TIMEOUT_MAX = 2592000
MH_MIN, MH_DEFAULT, MH_MAX = 251, 4093, 1048573
LVS_PROTOS = (6, 17, 132)

ATTR_INFO = 3   # include/uapi/linux/lvs.h, not in nlraw
ATTR_GENERATION, ATTR_OP, ATTR_OP_CMD = 7, 8, 9
ATTR_MAX = nr.ATTR_NO_STATS
INFO_FAST_PATH, INFO_MAX = 12, 14

# Policy kinds, as in src/netlink*.c.
NEST, ARRAY, U8, U16, U32, BE16, STR, BIN, FLAG = range(9)
EXACT_LEN = {U8: 1, U16: 2, U32: 4, BE16: 2}
# A policy is (maximum type, {type: (kind, argument)}), the argument a
# range (lo, hi), a string's longest length or a nested policy. A type up to
# the maximum but not listed has no policy (NLA_UNSPEC): rejected.
SVC_POL = (nr.SVC_PERSIST_DRAINED, {
    nr.SVC_FAMILY: (U16, None), nr.SVC_PROTOCOL: (U8, None),
    nr.SVC_ADDR: (BIN, (4, 16)), nr.SVC_PORT: (BE16, None),
    nr.SVC_SCHED: (STR, 15), nr.SVC_FALLBACK: (U8, (0, 1)),
    nr.SVC_HASH_PORT: (U8, (0, 1)), nr.SVC_MH_SIZE: (U32, (MH_MIN, MH_MAX)),
    nr.SVC_FWMARK: (U32, (1, 2 ** 32 - 1)),
    nr.SVC_PERSIST_TIMEOUT: (U32, (0, PERSIST_MAX)),
    nr.SVC_PERSIST_PREFIX: (U8, (0, 128)), nr.SVC_FORCE: (FLAG, None),
    nr.SVC_ONE_PACKET: (U8, (0, 1)), nr.SVC_PERSIST_DRAINED: (U8, (0, 1))})
DEST_POL = (nr.DEST_FAMILY, {
    nr.DEST_ADDR: (BIN, (4, 16)), nr.DEST_PORT: (BE16, None),
    nr.DEST_FWD: (U8, (0, 2)), nr.DEST_WEIGHT: (U32, (0, 65535)),
    nr.DEST_UPPER: (U32, None), nr.DEST_LOWER: (U32, None),
    nr.DEST_FORCE: (FLAG, None), nr.DEST_FAMILY: (U16, None)})
TO_POL = (nr.TO_SECONDS, {
    nr.TO_PROTOCOL: (U8, None), nr.TO_STATE: (STR, 31),
    nr.TO_SECONDS: (U32, (1, TIMEOUT_MAX))})
# The info nest: only its one setting may be in a request.
INFO_POL = (INFO_MAX, {INFO_FAST_PATH: (U8, (0, 1))})
OP_POL = (ATTR_MAX, {ATTR_OP_CMD: (U8, None),
                     nr.ATTR_SERVICE: (NEST, SVC_POL),
                     nr.ATTR_DEST: (NEST, DEST_POL),
                     nr.ATTR_DESTS: (ARRAY, DEST_POL),
                     nr.ATTR_TIMEOUTS: (ARRAY, TO_POL)})
TOP_POL = (ATTR_MAX, {nr.ATTR_SERVICE: (NEST, SVC_POL),
                      nr.ATTR_DEST: (NEST, DEST_POL),
                      ATTR_INFO: (NEST, INFO_POL),
                      nr.ATTR_TIMEOUTS: (ARRAY, TO_POL),
                      nr.ATTR_DESTS: (ARRAY, DEST_POL),
                      ATTR_GENERATION: (U32, None),
                      ATTR_OP: (NEST, OP_POL),
                      nr.ATTR_NO_STATS: (FLAG, None)})

V4_VIPS = ["10.20.0.1", "10.20.0.2", "192.0.2.9"]
V6_VIPS = ["2001:db8::1", "2001:db8::2", "fd00::9"]
V4_RIPS = ["10.21.0.1", "10.21.0.2", "10.21.0.3", "172.16.5.5"]
V6_RIPS = ["2001:db8:1::1", "2001:db8:1::2", "fd00:1::3"]
BAD_V4 = ["0.0.0.0", "127.0.0.1", "224.0.0.1", "255.255.255.255", "0.1.2.3"]
BAD_V6 = ["::", "::1", "fe80::1", "ff02::1", "::ffff:10.0.0.1"]


class Reject(Exception):
    """The model's reason for a rejection."""


class Core(Exception):
    """A refusal by the netlink core, which has no extack to give."""

    def __init__(self, err, why):
        super().__init__(why)
        self.err = err


# --- attribute trees, mutated before they are encoded ------------------------

class A:
    """One attribute: a leaf (bytes) or a nest (list of A)."""

    def __init__(self, t, v, f=0, hlen=None):
        self.t, self.v, self.f, self.hlen = t, v, f, hlen

    def copy(self):
        v = self.v if isinstance(self.v, bytes) else [a.copy() for a in self.v]
        return A(self.t, v, self.f, self.hlen)

    def encode(self):
        p = self.v if isinstance(self.v, bytes) else enc(self.v)
        hlen = (4 + len(p) if self.hlen is None else self.hlen) & 0xffff
        return struct.pack("HH", hlen, (self.t | self.f) & 0xffff) + p + \
            b"\0" * ((4 - len(p) % 4) % 4)


def enc(attrs):
    return b"".join(a.encode() for a in attrs)


def u8(v):
    return struct.pack("B", v & 0xff)


def u16(v):
    return struct.pack("H", v & 0xffff)


def u32(v):
    return struct.pack("I", v & 0xffffffff)


def be16(v):
    return struct.pack(">H", v & 0xffff)


def addr_bytes(af, s):
    return socket.inet_pton(socket.AF_INET if af == 2 else socket.AF_INET6, s)


def svc_attrs(key):
    if key[1] == "fw":
        return [A(nr.SVC_FAMILY, u16(key[0])), A(nr.SVC_FWMARK, u32(key[2]))]
    return [A(nr.SVC_FAMILY, u16(key[0])), A(nr.SVC_PROTOCOL, u8(key[1])),
            A(nr.SVC_ADDR, key[2]), A(nr.SVC_PORT, be16(key[3]))]


def svc_nest(key, extra=()):
    return A(nr.ATTR_SERVICE, svc_attrs(key) + list(extra), nr.NLA_F_NESTED)


class Req:
    """A request: command, nlmsg flags, attributes and header faults."""

    def __init__(self, cmd, attrs, flags=nr.NLM_F_REQUEST | nr.NLM_F_ACK):
        self.cmd, self.attrs, self.flags = cmd, attrs, flags
        self.version, self.reserved = 1, 0
        self.family = None      # another nlmsg_type
        self.body_len = None    # cut the message after this many bytes
        self.len_delta = 0      # nlmsg_len off by this much
        self.muts = []

    def encode(self, family, seq):
        family = family if self.family is None else self.family
        body = struct.pack("BBH", self.cmd & 0xff, self.version,
                           self.reserved) + enc(self.attrs)
        if self.body_len is not None:
            body = body[:self.body_len]
        n = 16 + len(body)
        # Padded, as the next message of a datagram starts aligned.
        return struct.pack("IHHII", max(n + self.len_delta, 0), family,
                           self.flags & 0xffff, seq, 0) + body + \
            b"\0" * (-n % 4), n

    def raw(self):
        return self.len_delta != 0


# --- the model: policy validation -------------------------------------------

def check_policy(kind, arg, atype, p, depth):
    """validate_nla() of 6.1 for one attribute of our policies."""
    if kind in EXACT_LEN and len(p) != EXACT_LEN[kind]:
        raise Reject("invalid attribute length")
    nested = atype & nr.NLA_F_NESTED
    if kind in (NEST, ARRAY) and not nested:
        raise Reject("NLA_F_NESTED is missing")
    if kind not in (NEST, ARRAY, None) and nested:
        raise Reject("NLA_F_NESTED not expected")
    if kind is None:
        raise Reject("Unsupported attribute")
    if kind == FLAG and p:
        raise Reject("flag with data")
    if kind == STR:
        lim = min(len(p), arg + 1)
        if not lim or b"\0" not in p[:lim]:
            raise Reject("string without NUL")
        if len(p) - (p[-1] == 0) > arg:
            raise Reject("string too long")
    if kind == NEST and p:
        if len(p) < 4:
            raise Reject("nest too short")
        parse(p, arg, depth + 1)
    if kind == ARRAY and p:
        if len(p) < 4:
            raise Reject("array too short")
        for _, e in attrs_of(p)[0]:
            if e and len(e) < 4:
                raise Reject("Array element too short")
            if e:
                parse(e, arg, depth + 2)
    if kind not in (NEST, ARRAY) and isinstance(arg, tuple):
        lo, hi = arg
        v = len(p) if kind == BIN else int.from_bytes(p, "little")
        if not lo <= v <= hi:
            raise Reject("out of range")


def attrs_of(buf):
    """[(nla_type with flags, payload)] while nla_ok(), and the length
    left after them."""
    out, off = [], 0
    while len(buf) - off >= 4:
        alen, atype = struct.unpack_from("HH", buf, off)
        if alen < 4 or alen > len(buf) - off:
            break
        out.append((atype, buf[off + 4:off + alen]))
        off += (alen + 3) & ~3
    return out, len(buf) - off


def parse(buf, pol, depth=0):
    """Strict parse (NL_VALIDATE_STRICT): {type: (type with flags, data)}."""
    maxtype, table = pol
    tb = {}
    attrs, left = attrs_of(buf)
    for atype, p in attrs:
        t = atype & NLA_TYPE_MASK
        if t == 0 or t > maxtype:
            raise Reject("Unknown attribute type")
        kind, arg = table.get(t, (None, None))
        check_policy(kind, arg, atype, p, depth)
        tb[t] = (atype, p)
    if left > 0:
        raise Reject("bytes leftover after parsing attributes")
    return tb


def get(tb, t):
    return tb[t][1] if t in tb else None


def uint(p):
    return int.from_bytes(p, "little")


def addr_usable(af, a):
    if af == 2:
        # ipv4_is_zeronet() is 0.0.0.0 alone in 6.1.
        return a != b"\0" * 4 and a[0] != 127 and not 224 <= a[0] <= 239 \
            and a != b"\xff" * 4
    w = struct.unpack(">IIII", a)
    if w[0] & 0xe0000000 not in (0, 0xe0000000):
        return True
    if w[0] >> 24 == 0xff or w[0] & 0xffc00000 == 0xfe800000:
        return False
    if w[0] & 0xffc00000 == 0xfec00000 or w[0] & 0xfe000000 == 0xfc000000:
        return True
    if w[0] | w[1] == 0:
        if w[2] == 0:
            return w[3] not in (0, 1)
        if w[2] == 0xffff:
            return False
    return True


# --- the model: configuration and commands -----------------------------------

class Model:
    def __init__(self, timeouts):
        self.services = {}
        self.timeouts = dict(timeouts)
        self.fast_path = 0
        self.states = {}
        for (proto, name) in timeouts:
            self.states.setdefault(proto, []).append(name)

    def judge(self, msg):
        """What the kernel must do with one nlmsg: returns ("accept",
        apply, reply check), ("ignored",), ("silent",); raises Reject or
        Core."""
        nlen, _, flags, _, _ = struct.unpack_from("IHHII", msg)
        if nlen < 16 or nlen > len(msg):
            return ("silent",)
        if not flags & nr.NLM_F_REQUEST:
            return ("ignored",)
        if not self.family_ok_of(msg):
            raise Core(errno.ENOENT, "no such family")
        body = msg[16:nlen]
        if len(body) < 4:
            raise Core(errno.EINVAL, "genl header cut short")
        cmd, _, reserved = struct.unpack_from("BBH", body)
        if reserved:
            raise Reject("genlmsghdr.reserved field is not 0")
        f = flags
        if f & nr.NLM_F_DUMP == nr.NLM_F_DUMP:
            f &= ~nr.NLM_F_DUMP
        if f & ~(nr.NLM_F_REQUEST | nr.NLM_F_ACK | NLM_F_ECHO):
            raise Reject("ambiguous or reserved bits set in nlmsg_flags")
        if cmd not in CMD_NAME:
            raise Core(errno.EOPNOTSUPP, "no such command")
        dump = flags & nr.NLM_F_DUMP == nr.NLM_F_DUMP
        if cmd not in (DUMPIT if dump else DOIT):
            raise Core(errno.EOPNOTSUPP, "no %s handler" %
                       ("dump" if dump else "do"))
        tb = parse(body[4:], TOP_POL)
        handler = getattr(self, ("dump_" if dump else "do_") +
                          CMD_NAME[cmd].lower())
        return handler(tb)

    def family_ok_of(self, msg):
        return struct.unpack_from("H", msg, 4)[0] == self.family_id

    # Service key and options (parse_svc, parse_sched_conf).
    def svc_key(self, tb, force_ok=False):
        if nr.ATTR_SERVICE not in tb:
            raise Reject("Missing service")
        s = parse(get(tb, nr.ATTR_SERVICE), SVC_POL)
        if nr.SVC_FORCE in s and not force_ok:
            raise Reject("Force applies to deleting or flushing services only")
        if nr.SVC_FAMILY not in s:
            raise Reject("Missing service address family")
        af = uint(get(s, nr.SVC_FAMILY))
        if af not in (2, 10):
            raise Reject("service family")
        if nr.SVC_FWMARK in s:
            if any(t in s for t in (nr.SVC_PROTOCOL, nr.SVC_ADDR,
                                    nr.SVC_PORT)):
                raise Reject("fwmark with address")
            return (af, "fw", uint(get(s, nr.SVC_FWMARK))), s
        for t in (nr.SVC_PROTOCOL, nr.SVC_ADDR, nr.SVC_PORT):
            if t not in s:
                raise Reject("missing key attribute %d" % t)
        proto = get(s, nr.SVC_PROTOCOL)[0]
        if proto not in LVS_PROTOS:
            raise Reject("protocol")
        addr = self.addr(af, get(s, nr.SVC_ADDR))
        port = struct.unpack(">H", get(s, nr.SVC_PORT))[0]
        return (af, proto, addr, port), s

    @staticmethod
    def addr(af, a):
        if len(a) != (4 if af == 2 else 16) or not addr_usable(af, a):
            raise Reject("address")
        return a

    def find(self, tb, force_ok=False):
        key, s = self.svc_key(tb, force_ok)
        if key not in self.services:
            raise Reject("No such service")
        return key, s

    @staticmethod
    def sched_name(s):
        if nr.SVC_SCHED not in s:
            return None
        name = get(s, nr.SVC_SCHED).split(b"\0")[0]
        if not name or any(not (97 <= c <= 122 or 48 <= c <= 57 or c == 95
                                or 223 <= c <= 255 and c != 247)
                           for c in name):
            raise Reject("scheduler name")
        return name.decode("latin-1")

    @staticmethod
    def sched_conf(s, af, conf):
        conf = dict(conf)
        if nr.SVC_PERSIST_PREFIX in s:
            v = get(s, nr.SVC_PERSIST_PREFIX)[0]
            if v > (32 if af == 2 else 128):
                raise Reject("prefix longer than the address")
            conf["prefix"] = v
        for t, k in ((nr.SVC_PERSIST_TIMEOUT, "timeout"),
                     (nr.SVC_FALLBACK, "fallback"),
                     (nr.SVC_HASH_PORT, "hash_port"),
                     (nr.SVC_ONE_PACKET, "one_packet"),
                     (nr.SVC_PERSIST_DRAINED, "drained"),
                     (nr.SVC_MH_SIZE, "mh")):
            if t in s:
                conf[k] = uint(get(s, t))
        if nr.SVC_MH_SIZE in s and not is_prime(conf["mh"]):
            raise Reject("not prime")
        return conf

    def do_service_new(self, tb):
        key, s = self.svc_key(tb)
        name = self.sched_name(s)
        if name is None:
            raise Reject("Missing scheduler name")
        conf = self.sched_conf(s, key[0], {
            "timeout": 0, "prefix": 32 if key[0] == 2 else 128,
            "fallback": 0, "hash_port": 0, "one_packet": 0,
            "drained": 0, "mh": MH_DEFAULT})
        if key in self.services:
            raise Reject("Service already exists")
        if name not in SCHEDULERS:
            raise Reject("Unknown scheduler")

        def apply():
            self.services[key] = {"sched": name, "conf": conf, "dests": {}}
        return ("accept", apply, None)

    def do_service_set(self, tb):
        key, s = self.find(tb)
        name = self.sched_name(s)
        svc = self.services[key]
        conf = self.sched_conf(s, key[0], svc["conf"])
        if name is not None and name != svc["sched"] and \
                name not in SCHEDULERS:
            raise Reject("Unknown scheduler")

        def apply():
            svc["conf"] = conf
            if name is not None:
                svc["sched"] = name
        return ("accept", apply, None)

    def do_service_del(self, tb):
        key, _ = self.find(tb, True)
        return ("accept", lambda: self.services.pop(key), None)

    def do_service_flush(self, tb):
        if nr.ATTR_SERVICE in tb:
            s = parse(get(tb, nr.ATTR_SERVICE), SVC_POL)
            if any(t != nr.SVC_FORCE for t in s):
                raise Reject("Service flush names no service")
        return ("accept", self.services.clear, None)

    def do_service_get(self, tb):
        key, _ = self.find(tb)
        return ("accept", None, lambda r: self.check_services(r, [key]))

    def dump_service_get(self, tb):
        return ("accept", None,
                lambda r: self.check_services(r, list(self.services)))

    def dest_tb(self, tb):
        if nr.ATTR_DEST not in tb:
            raise Reject("Missing destination")
        d = parse(get(tb, nr.ATTR_DEST), DEST_POL)
        if nr.DEST_ADDR not in d:
            raise Reject("Missing destination address")
        if nr.DEST_FAMILY in d and uint(get(d, nr.DEST_FAMILY)) not in (2, 10):
            raise Reject("Destination family must be AF_INET or AF_INET6")
        return d

    def dest_key(self, key, d):
        daf = uint(get(d, nr.DEST_FAMILY)) if nr.DEST_FAMILY in d else key[0]
        addr = self.addr(daf, get(d, nr.DEST_ADDR))
        port = struct.unpack(">H", get(d, nr.DEST_PORT))[0] \
            if nr.DEST_PORT in d else 0
        svc_port = 0 if key[1] == "fw" else key[3]
        return (daf, addr, port or svc_port), svc_port

    @staticmethod
    def limits(d, conf):
        conf = dict(conf)
        for t, k in ((nr.DEST_WEIGHT, "weight"), (nr.DEST_UPPER, "u"),
                     (nr.DEST_LOWER, "l")):
            if t in d:
                conf[k] = uint(get(d, t))
        if conf["u"] and conf["l"] > conf["u"]:
            raise Reject("Lower threshold above upper")
        return conf

    def do_dest_new(self, tb):
        d = self.dest_tb(tb)
        if nr.DEST_FORCE in d:
            raise Reject("force")
        fwd = get(d, nr.DEST_FWD)[0] if nr.DEST_FWD in d else 0
        key, _ = self.find(tb)
        dkey, svc_port = self.dest_key(key, d)
        if dkey[0] != key[0] and (nr.DEST_FWD not in d or fwd != 2):
            raise Reject("other family without TUN")
        if fwd != 0 and dkey[2] != svc_port:
            raise Reject("DR and TUN forward to the service's own port")
        conf = self.limits(d, {"fwd": fwd, "weight": 1, "u": 0, "l": 0})
        dests = self.services[key]["dests"]
        if dkey in dests:
            raise Reject("Destination already exists")

        def apply():
            dests[dkey] = conf
        return ("accept", apply, None)

    def do_dest_set(self, tb):
        d = self.dest_tb(tb)
        if nr.DEST_FORCE in d:
            raise Reject("force")
        key, _ = self.find(tb)
        dkey, svc_port = self.dest_key(key, d)
        dests = self.services[key]["dests"]
        if dkey not in dests:
            raise Reject("No such destination")
        conf = self.limits(d, dests[dkey])
        if nr.DEST_FWD in d:
            conf["fwd"] = get(d, nr.DEST_FWD)[0]
            if conf["fwd"] != 0 and dkey[2] != svc_port:
                raise Reject("DR and TUN forward to the service's own port")
            if dkey[0] != key[0] and conf["fwd"] != 2:
                raise Reject("other family without TUN")

        def apply():
            dests[dkey] = conf
        return ("accept", apply, None)

    def do_dest_del(self, tb):
        d = self.dest_tb(tb)
        key, _ = self.find(tb)
        dkey, _ = self.dest_key(key, d)
        dests = self.services[key]["dests"]
        if dkey not in dests:
            raise Reject("No such destination")
        return ("accept", lambda: dests.pop(dkey), None)

    def dump_dest_get(self, tb):
        key, _ = self.find(tb)
        return ("accept", None, lambda r: self.check_dests(r, key))

    def do_info_get(self, tb):
        return ("accept", None, self.check_info)

    def do_apply(self, tb):
        """LVS_CMD_APPLY. The fuzzer's transactions are mutations of other
        requests: with no op, or with one, which does what its request
        alone would do, but for FORCE. A generation it gives is one the
        configuration does not have (2^-32 of the time it is)."""
        if ATTR_OP not in tb:
            raise Reject("No changes")
        if ATTR_GENERATION in tb:
            raise Reject("The configuration changed since this generation")
        op = parse(get(tb, ATTR_OP), OP_POL)
        if ATTR_OP_CMD not in op:
            raise Reject("Missing the op's command")
        cmd = get(op, ATTR_OP_CMD)[0]
        if cmd not in TXN_CMDS:
            raise Reject("Command cannot be part of a transaction")
        for t, force in ((nr.ATTR_SERVICE, nr.SVC_FORCE),
                         (nr.ATTR_DEST, nr.DEST_FORCE)):
            if t in op and cmd in (2, 5):
                nest = parse(get(op, t), SVC_POL if t == nr.ATTR_SERVICE
                             else DEST_POL)
                if force in nest:
                    raise Reject("Force in a transaction")
        return getattr(self, "do_" + CMD_NAME[cmd].lower())(op)

    def do_info_set(self, tb):
        if ATTR_INFO not in tb:
            raise Reject("Missing settings")
        i = parse(get(tb, ATTR_INFO), INFO_POL)
        if INFO_FAST_PATH not in i:
            raise Reject("Missing setting")
        on = get(i, INFO_FAST_PATH)[0]

        def apply():
            self.fast_path = on
        return ("accept", apply, None)

    def do_timeout_get(self, tb):
        return ("accept", None, self.check_timeouts)

    def do_timeout_set(self, tb):
        if nr.ATTR_TIMEOUTS not in tb:
            raise Reject("Missing timeouts")
        staged = {}
        for atype, e in attrs_of(get(tb, nr.ATTR_TIMEOUTS))[0]:
            if not atype & nr.NLA_F_NESTED:
                raise Reject("entry without NLA_F_NESTED")
            t = parse(e, TO_POL)
            if any(k not in t for k in (nr.TO_PROTOCOL, nr.TO_STATE,
                                         nr.TO_SECONDS)):
                raise Reject("timeout entry incomplete")
            proto = get(t, nr.TO_PROTOCOL)[0]
            if proto not in self.states:
                raise Reject("Unknown protocol")
            name = get(t, nr.TO_STATE).split(b"\0")[0].decode("latin-1")
            if name not in self.states[proto]:
                raise Reject("Unknown state")
            if (proto, name) in staged:
                raise Reject("given twice")
            staged[(proto, name)] = uint(get(t, nr.TO_SECONDS))
        if not staged:
            raise Reject("No timeouts given")
        return ("accept", lambda: self.timeouts.update(staged), None)

    def dump_conn_get(self, tb):
        if nr.ATTR_SERVICE in tb:
            self.find(tb)
        return ("accept", None, lambda r: [] if not r else
                ["%d connections listed, none made" % len(r)])

    def do_conn_flush(self, tb):
        if nr.ATTR_SERVICE in tb:
            self.find(tb)
        return ("accept", None, None)

    do_zero = do_conn_flush

    # Replies, compared with the model: a list of differences.
    def check_services(self, replies, keys):
        got = {}
        for b in replies:
            a = nr.parse_attrs(nr.parse_attrs(b[4:]).get(nr.ATTR_SERVICE,
                                                          b""))
            key, svc = decode_service(a)
            got[key] = svc
        want = dict((k, self.summary(k)) for k in keys)
        return diff("service", want, got)

    def summary(self, key):
        s = self.services[key]
        return (s["sched"], tuple(sorted(s["conf"].items())), len(s["dests"]))

    def check_dests(self, replies, key):
        got = dict(decode_dest(b) for b in replies)
        return diff("dest of %s" % fmt_key(key),
                    self.services[key]["dests"], got)

    def check_timeouts(self, replies):
        got = decode_timeouts(replies)
        return diff("timeout", self.timeouts, got)

    def check_info(self, replies):
        a = nr.parse_attrs(nr.parse_attrs(replies[0][4:])[ATTR_INFO]) \
            if len(replies) == 1 else {}
        return [] if a.get(2) == u32(0) and \
            a.get(INFO_FAST_PATH) == bytes([self.fast_path]) \
            else ["info reply %r" % (replies,)]


def is_prime(n):
    if n < 2:
        return False
    i = 2
    while i * i <= n:
        if n % i == 0:
            return False
        i += 1
    return True


def fmt_key(key):
    if key[1] == "fw":
        return "fwmark %d/%d" % (key[2], key[0])
    fam = socket.AF_INET if key[0] == 2 else socket.AF_INET6
    return "%d %s:%d" % (key[1], socket.inet_ntop(fam, key[2]), key[3])


def decode_service(a):
    af = uint(a[nr.SVC_FAMILY])
    if nr.SVC_FWMARK in a:
        key = (af, "fw", uint(a[nr.SVC_FWMARK]))
    else:
        key = (af, a[nr.SVC_PROTOCOL][0], a[nr.SVC_ADDR],
               struct.unpack(">H", a[nr.SVC_PORT])[0])
    conf = {"timeout": uint(a[nr.SVC_PERSIST_TIMEOUT]),
            "prefix": a[nr.SVC_PERSIST_PREFIX][0],
            "fallback": a[nr.SVC_FALLBACK][0],
            "hash_port": a[nr.SVC_HASH_PORT][0],
            "one_packet": a[nr.SVC_ONE_PACKET][0],
            "drained": a[nr.SVC_PERSIST_DRAINED][0],
            "mh": uint(a[nr.SVC_MH_SIZE])}
    return key, (a[nr.SVC_SCHED].rstrip(b"\0").decode(),
                 tuple(sorted(conf.items())), uint(a[nr.SVC_COUNT]))


def decode_dest(body):
    d = nr.parse_attrs(nr.parse_attrs(body[4:])[nr.ATTR_DEST])
    key = (uint(d[nr.DEST_FAMILY]), d[nr.DEST_ADDR],
           struct.unpack(">H", d[nr.DEST_PORT])[0])
    return key, {"fwd": d[nr.DEST_FWD][0], "weight": uint(d[nr.DEST_WEIGHT]),
                 "u": uint(d[nr.DEST_UPPER]), "l": uint(d[nr.DEST_LOWER])}


def decode_timeouts(replies):
    out = {}
    if len(replies) != 1:
        return {"replies": len(replies)}
    for e in nr.parse_attrs(nr.parse_attrs(
            replies[0][4:])[nr.ATTR_TIMEOUTS]).values():
        a = nr.parse_attrs(e)
        out[(a[nr.TO_PROTOCOL][0],
             a[nr.TO_STATE].rstrip(b"\0").decode())] = uint(a[nr.TO_SECONDS])
    return out


def diff(what, want, got):
    """One line per key whose value differs between model and kernel."""
    out = []
    for k in sorted(set(want) | set(got), key=repr):
        if want.get(k) != got.get(k):
            out.append("%s %s: model %r, kernel %r" % (
                what, fmt_key(k) if what == "service" else repr(k),
                want.get(k), got.get(k)))
    return out


# --- the generator -----------------------------------------------------------

class Gen:
    def __init__(self, rnd, model):
        self.r, self.m = rnd, model

    def pick(self, seq):
        return seq[self.r.randrange(len(seq))]

    def key(self):
        r = self.r
        if self.m.services and r.random() < 0.75:
            return self.pick(sorted(self.m.services, key=repr))
        af = 2 if r.random() < 0.7 else 10
        if r.random() < 0.15:
            return (af, "fw", r.randint(1, 3))
        vip = self.pick(V4_VIPS if af == 2 else V6_VIPS)
        return (af, self.pick(LVS_PROTOS), addr_bytes(af, vip),
                self.pick([0, 80, 443]))

    def sched_opts(self, af, new):
        r, out = self.r, []
        if new or r.random() < 0.5:
            out.append(A(nr.SVC_SCHED, self.pick(SCHEDULERS).encode() + b"\0"))
        if r.random() < 0.3:
            out.append(A(nr.SVC_FALLBACK, u8(r.randint(0, 1))))
        if r.random() < 0.3:
            out.append(A(nr.SVC_HASH_PORT, u8(r.randint(0, 1))))
        if r.random() < 0.2:
            out.append(A(nr.SVC_ONE_PACKET, u8(r.randint(0, 1))))
        if r.random() < 0.2:
            out.append(A(nr.SVC_PERSIST_DRAINED, u8(r.randint(0, 1))))
        if r.random() < 0.3:
            size = self.pick([251, 257, 4093, 65521]) \
                if r.random() < 0.98 else MH_MAX
            out.append(A(nr.SVC_MH_SIZE, u32(size)))
        if r.random() < 0.3:
            out.append(A(nr.SVC_PERSIST_TIMEOUT,
                         u32(self.pick([0, 1, 300, PERSIST_MAX]))))
        if r.random() < 0.3:
            out.append(A(nr.SVC_PERSIST_PREFIX,
                         u8(r.randint(0, 32 if af == 2 else 128))))
        r.shuffle(out)
        return out

    def dest(self, key, new):
        r = self.r
        dests = self.m.services.get(key, {}).get("dests", {})
        svc_port = 0 if key[1] == "fw" else key[3]
        extra = []
        if dests and r.random() < (0.4 if new else 0.85):
            daf, addr, port = self.pick(sorted(dests, key=repr))
            fwd = dests[(daf, addr, port)]["fwd"]
        else:
            daf = key[0] if r.random() < 0.85 else 12 - key[0]
            addr = addr_bytes(daf, self.pick(V4_RIPS if daf == 2
                                             else V6_RIPS))
            fwd = 2 if daf != key[0] else r.randint(0, 2)
            port = self.pick([0, 80, 8080]) if fwd == 0 else svc_port
        if daf != key[0] or r.random() < 0.2:
            extra.append(A(nr.DEST_FAMILY, u16(daf)))
        if port != svc_port or r.random() < 0.3:
            extra.append(A(nr.DEST_PORT, be16(port)))
        if new and (fwd or daf != key[0] or r.random() < 0.3):
            extra.append(A(nr.DEST_FWD, u8(fwd)))
        if r.random() < 0.6:
            extra.append(A(nr.DEST_WEIGHT, u32(self.pick(
                [0, 1, 2, 5, 100, 65535]))))
        if r.random() < 0.3:
            u = self.pick([0, 3, 100, 2 ** 32 - 1])
            extra.append(A(nr.DEST_UPPER, u32(u)))
            if r.random() < 0.5:
                extra.append(A(nr.DEST_LOWER, u32(r.randint(0, u))))
        r.shuffle(extra)
        return A(nr.ATTR_DEST, [A(nr.DEST_ADDR, addr)] + extra,
                 nr.NLA_F_NESTED)

    def timeouts(self):
        r = self.r
        names = sorted(self.m.timeouts)
        entries = []
        for proto, state in r.sample(names, r.randint(1, min(4, len(names)))):
            secs = self.pick([1, 2, 10, 300, 900, TIMEOUT_MAX]) \
                if r.random() < 0.7 else r.randint(1, TIMEOUT_MAX)
            entries.append(A(r.randint(0, 3), [
                A(nr.TO_PROTOCOL, u8(proto)),
                A(nr.TO_STATE, state.encode() + b"\0"),
                A(nr.TO_SECONDS, u32(secs))], nr.NLA_F_NESTED))
        return A(nr.ATTR_TIMEOUTS, entries, nr.NLA_F_NESTED)

    CMDS = [("SERVICE_NEW", 14), ("SERVICE_SET", 9), ("SERVICE_DEL", 4),
            ("SERVICE_GET", 4), ("SERVICE_DUMP", 2), ("DEST_NEW", 16),
            ("DEST_SET", 10), ("DEST_DEL", 6), ("DEST_GET", 4),
            ("INFO_GET", 1), ("TIMEOUT_SET", 6), ("TIMEOUT_GET", 2),
            ("CONN_GET", 2), ("CONN_FLUSH", 2), ("SERVICE_FLUSH", 1),
            ("INFO_SET", 1), ("ZERO", 1)]

    def valid(self):
        r = self.r
        total = sum(w for _, w in self.CMDS)
        x = r.randrange(total)
        for name, w in self.CMDS:
            if x < w:
                break
            x -= w
        # Keep the configuration small: delete more once it is big.
        if len(self.m.services) > 30 and r.random() < 0.3:
            name = "SERVICE_DEL"
        key = self.key()
        dump = nr.NLM_F_REQUEST | nr.NLM_F_DUMP
        if name == "SERVICE_NEW":
            return Req(C[name], [svc_nest(key, self.sched_opts(key[0], 1))])
        if name == "SERVICE_SET":
            return Req(C[name], [svc_nest(key, self.sched_opts(key[0], 0))])
        if name == "SERVICE_DEL" and r.random() < 0.3:
            return Req(C[name], [svc_nest(key, [A(nr.SVC_FORCE, b"")])])
        if name in ("SERVICE_DEL", "SERVICE_GET"):
            return Req(C[name], [svc_nest(key)])
        if name == "SERVICE_FLUSH":
            force = A(nr.ATTR_SERVICE, [A(nr.SVC_FORCE, b"")],
                      nr.NLA_F_NESTED)
            return Req(C[name], [force] if r.random() < 0.5 else [])
        if name == "SERVICE_DUMP":
            return Req(C["SERVICE_GET"], [], dump)
        if name in ("DEST_NEW", "DEST_SET", "DEST_DEL"):
            attrs = [svc_nest(key), self.dest(key, name == "DEST_NEW")]
            if name == "DEST_DEL" and r.random() < 0.3:
                attrs[1].v.append(A(nr.DEST_FORCE, b""))
            r.shuffle(attrs)
            return Req(C[name], attrs)
        if name == "DEST_GET":
            return Req(C[name], [svc_nest(key)], dump)
        if name == "TIMEOUT_SET":
            return Req(C[name], [self.timeouts()])
        if name == "INFO_SET":
            return Req(C[name], [A(ATTR_INFO, [A(INFO_FAST_PATH, u8(
                r.randint(0, 1)))], nr.NLA_F_NESTED)])
        if name == "CONN_GET":
            return Req(C[name], [svc_nest(key)] if r.random() < 0.5 else [],
                       dump)
        if name in ("CONN_FLUSH", "ZERO"):
            return Req(C[name], [svc_nest(key)] if r.random() < 0.5 else [])
        return Req(C[name], [])

    # Mutations: each changes the request in place and names itself.
    def nodes(self, attrs, depth=0):
        out = []
        for a in attrs:
            out.append((attrs, a, depth))
            if not isinstance(a.v, bytes):
                out += self.nodes(a.v, depth + 1)
        return out

    def lists(self, req):
        out = [req.attrs]
        out += [a.v for _, a, _ in self.nodes(req.attrs)
                if not isinstance(a.v, bytes)]
        return out

    def any_node(self, req):
        n = self.nodes(req.attrs)
        return self.pick(n) if n else None

    def leaf(self, req):
        n = [x for x in self.nodes(req.attrs) if isinstance(x[1].v, bytes)]
        return self.pick(n) if n else None

    def mut_drop(self, req):
        x = self.any_node(req)
        if x:
            x[0].remove(x[1])

    def mut_dup(self, req):
        x = self.any_node(req)
        if x:
            c = x[1].copy()
            if isinstance(c.v, bytes) and c.v and self.r.random() < 0.5:
                c.v = self.value(len(c.v))
            x[0].insert(self.r.randint(0, len(x[0])), c)

    def mut_truncate(self, req):
        x = self.leaf(req)
        if x and x[1].v:
            x[1].v = x[1].v[:self.r.randrange(len(x[1].v))]

    def mut_extend(self, req):
        x = self.leaf(req)
        if x:
            x[1].v += self.rand_bytes(self.r.randint(1, 8))

    def mut_retype(self, req):
        x = self.any_node(req)
        if x:
            x[1].t = self.pick([0, self.r.randint(1, 15), 16, 99, 0x3fff])

    def mut_flags(self, req):
        x = self.any_node(req)
        if x:
            x[1].f ^= self.pick([nr.NLA_F_NESTED, NLA_F_BYTEORDER])

    def mut_value(self, req):
        x = self.leaf(req)
        if x and len(x[1].v) in (1, 2, 4):
            x[1].v = self.value(len(x[1].v))

    def value(self, n):
        picks = {1: [0, 1, 2, 3, 4, 6, 10, 17, 32, 33, 128, 129, 132, 255],
                 2: [0, 1, 2, 3, 10, 80, 0xffff, 0x0a00, 0x0200],
                 4: [0, 1, 250, 251, 252, 4093, 65535, 65536, MH_MAX,
                     MH_MAX + 10, TIMEOUT_MAX, TIMEOUT_MAX + 1, 2 ** 31,
                     2 ** 32 - 1]}.get(n)
        if picks is None or self.r.random() < 0.2:
            return self.rand_bytes(n)
        return self.pick(picks).to_bytes(n, "little")

    def rand_bytes(self, n):
        return bytes(self.r.getrandbits(8) for _ in range(n))

    def mut_garbage(self, req):
        nests = [a for _, a, _ in self.nodes(req.attrs)
                 if not isinstance(a.v, bytes)]
        if nests:
            a = self.pick(nests)
            a.v = self.rand_bytes(self.r.randint(0, 40)) \
                if self.r.random() < 0.5 else \
                a.v + [A(self.r.randint(0, 20),
                         self.rand_bytes(self.r.randint(0, 12)))]

    def mut_unknown(self, req):
        lst = self.pick(self.lists(req))
        lst.insert(self.r.randint(0, len(lst)),
                   A(self.pick([0, 15, 16, 99, 0x3fff]),
                     self.rand_bytes(self.r.randint(0, 8))))

    def mut_string(self, req):
        x = [n for n in self.nodes(req.attrs) if isinstance(n[1].v, bytes)
             and n[1].v.endswith(b"\0") and len(n[1].v) > 1]
        if x:
            a = self.pick(x)[1]
            a.v = self.pick([a.v[:-1], b"", b"\0", a.v.upper(),
                             b"x" * 16 + b"\0", b"x" * 15 + b"\0",
                             b"S" * 31 + b"\0", b"S" * 32 + b"\0",
                             a.v + b"junk\0", b"../x\0", b"r\xe9\0",
                             b"nosuch\0"])

    def mut_hlen(self, req):
        x = self.any_node(req)
        if x:
            real = len(x[1].encode()) - (4 - len(x[1].encode()) % 4) % 4
            x[1].hlen = max(0, real + self.pick([-5, -4, -1, 1, 3, 4, 8, 200]))

    def mut_huge(self, req):
        r = self.r
        if req.cmd == C["TIMEOUT_SET"] and r.random() < 0.5:
            names = sorted(self.m.timeouts)
            entries = [A(1, [A(nr.TO_PROTOCOL, u8(p)),
                             A(nr.TO_STATE, s.encode() + b"\0"),
                             A(nr.TO_SECONDS, u32(r.randint(1, 100)))],
                         nr.NLA_F_NESTED)
                       for p, s in names]
            # Up to about 48 KiB: the list's length is 16 bits.
            most = max(1, 48000 // len(enc(entries)))
            entries *= min(most, r.choice([1, 1, 20, 200]))
            req.attrs = [A(nr.ATTR_TIMEOUTS, entries, nr.NLA_F_NESTED)]
            return
        x = self.any_node(req)
        if x:
            # Up to about 48 KiB: an attribute's length is 16 bits.
            i = x[0].index(x[1])
            most = max(1, 48000 // len(x[1].encode()))
            x[0][i:i + 1] = [x[1].copy() for _ in
                             range(min(most, r.randint(100, 1500)))]

    def mut_nlflags(self, req):
        req.flags = self.pick([
            0, nr.NLM_F_ACK, nr.NLM_F_REQUEST,
            nr.NLM_F_REQUEST | nr.NLM_F_ACK | NLM_F_ECHO,
            nr.NLM_F_REQUEST | nr.NLM_F_ACK | NLM_F_ROOT,
            nr.NLM_F_REQUEST | nr.NLM_F_ACK | NLM_F_MATCH,
            nr.NLM_F_REQUEST | nr.NLM_F_ACK | nr.NLM_F_DUMP,
            nr.NLM_F_REQUEST | nr.NLM_F_DUMP,
            nr.NLM_F_REQUEST | nr.NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL,
            nr.NLM_F_REQUEST | self.r.getrandbits(16)])

    def mut_cmd(self, req):
        req.cmd = self.pick([0, 16, 17, 18, 99, 255] + list(CMD_NAME))

    def mut_genlhdr(self, req):
        r = self.r
        c = r.randrange(3)
        if c == 0:
            req.reserved = r.randint(1, 0xffff)
        elif c == 1:
            req.version = r.randint(0, 255)
        else:
            req.body_len = r.randint(0, 3)

    def mut_nlmsg(self, req):
        r = self.r
        c = r.randrange(3)
        if c == 0:
            req.len_delta = r.randint(1, 64)
        elif c == 1:
            req.len_delta = -r.randint(1, 12)
        else:
            req.family = 0xfffe

    MUTS = [("drop", 10), ("dup", 8), ("truncate", 8), ("extend", 6),
            ("retype", 6), ("flags", 5), ("value", 14), ("garbage", 5),
            ("unknown", 5), ("string", 4), ("hlen", 4), ("huge", 2),
            ("nlflags", 4), ("cmd", 3), ("genlhdr", 2), ("nlmsg", 2)]

    def mutate(self, req):
        total = sum(w for _, w in self.MUTS)
        for _ in range(1 if self.r.random() < 0.6 else
                       self.r.randint(2, 3)):
            x = self.r.randrange(total)
            for name, w in self.MUTS:
                if x < w:
                    break
                x -= w
            getattr(self, "mut_" + name)(req)
            req.muts.append(name)
        return req


# --- sending, receiving, checking --------------------------------------------

class Fuzzer:
    def __init__(self, args):
        self.g = nr.Genl()
        self.g.sock.settimeout(60)
        self.args = args
        self.seq = 1000
        self.stats = {"sent": 0, "accepted": 0, "rejected": 0, "core": 0,
                      "ignored": 0, "silent": 0, "mutated": 0, "checks": 0}
        self.errnos = {}
        self.msgs = {}
        self.fails = {"extack": [], "verdict": [], "state": [], "reply": []}
        to = self.g.lvs(nr.CMD_TIMEOUT_GET)
        self.model = Model(decode_timeouts(to))
        # Off, or on where lvs was loaded with fastpath=1.
        self.model.fast_path = nr.fast_path(self.g)
        self.model.family_id = self.g.family
        self.gen = Gen(random.Random(args.seed), self.model)

    def fail(self, kind, text):
        self.fails[kind].append(text)
        if len(self.fails[kind]) <= 10:
            print("FAIL %s: request %d: %s" % (kind, self.stats["sent"], text),
                  flush=True)

    def exchange(self, reqs):
        """Send @reqs in one datagram; {seq: (final, data replies)}, final
        being None (no final message), ("ack",), ("done",) or
        ("err", errno, extack)."""
        flags_of, datagram, lens = {}, b"", []
        self.seq = max(self.seq, self.g.seq)
        for req in reqs:
            self.seq += 1
            msg, n = req.encode(self.g.family, self.seq)
            # An nlmsg_len shorter than a header or longer than the
            # datagram: the kernel drops the datagram unanswered.
            nlen = struct.unpack_from("I", msg)[0]
            flags_of[self.seq] = req.flags if 16 <= nlen <= len(msg) else 0
            datagram += msg
            lens.append(n)
        self.g.sock.send(datagram)
        out = dict((s, [None, []]) for s in flags_of)
        # A final message is certain for a request with NLM_F_ACK, and for
        # one with NLM_F_REQUEST and dump bits (a dump, or refused for the
        # bits); for others a harmless request behind them tells when
        # they are done.
        need, barrier = set(), None
        for s, f in flags_of.items():
            if f & nr.NLM_F_ACK or \
                    f & nr.NLM_F_REQUEST and f & nr.NLM_F_DUMP:
                need.add(s)
            else:
                barrier = True
        if barrier:
            self.seq += 1
            barrier = self.seq
            self.g.seq = self.seq - 1
            self.g.send(self.g.family, C["INFO_GET"], b"", nr.NLM_F_ACK)
            need.add(barrier)
        while need:
            try:
                data = self.g.sock.recv(1 << 20)
            except socket.timeout:
                self.fail("reply", "no reply in %d s to %s" % (
                    self.g.sock.gettimeout(), "; ".join(
                        describe(q) for q in reqs)))
                break
            while len(data) >= 16:
                mlen, mtype, mflags, seq, _ = struct.unpack("IHHII",
                                                             data[:16])
                body = data[16:mlen]
                data = data[(mlen + 3) & ~3:]
                if seq == barrier:
                    if mtype == nr.NLMSG_ERROR:
                        need.discard(seq)
                    continue
                if seq not in out:
                    self.fail("reply", "message for unknown seq %d" % seq)
                    continue
                final = None
                if mtype == nr.NLMSG_ERROR:
                    err = -struct.unpack("i", body[:4])[0]
                    final = ("ack",) if not err else \
                        ("err", err, extack(body, mflags, True))
                elif mtype == nr.NLMSG_DONE:
                    err = -struct.unpack("i", body[:4])[0] if body else 0
                    final = ("done",) if not err else \
                        ("err", err, extack(body, mflags, False))
                else:
                    out[seq][1].append(body)
                if final:
                    if out[seq][0]:
                        self.fail("reply", "two final messages for one "
                                  "request: %r %r" % (out[seq][0], final))
                    out[seq][0] = final
                    need.discard(seq)
        return [out[s] for s in sorted(out)], lens

    def run_one(self, reqs, quiet=False):
        """Send, judge, compare, apply. Returns the number of problems."""
        msgs = []
        for req in reqs:
            msg, _ = req.encode(self.g.family, 0)
            msgs.append(msg)
        results, _ = self.exchange(reqs)
        problems = 0
        for req, msg, (final, data) in zip(reqs, msgs, results):
            what = "%s%s" % (CMD_NAME.get(req.cmd, "cmd %d" % req.cmd),
                             " [%s]" % ",".join(req.muts) if req.muts else "")
            self.stats["sent"] += 1
            try:
                verdict = self.model.judge(msg)
                core = None
            except Reject as e:
                verdict, core = ("reject", str(e)), None
            except Core as e:
                verdict, core = ("core", str(e)), e.err
            rejected = final and final[0] == "err"
            if verdict[0] in ("silent", "ignored"):
                self.stats[verdict[0]] += 1
                if rejected or data or (final and verdict[0] == "silent"):
                    self.fail("verdict", "%s: model: %s, kernel: %r" %
                              (what, verdict[0], final))
                    problems += 1
                continue
            if rejected:
                err, text = final[1], final[2]
                self.errnos[err] = self.errnos.get(err, 0) + 1
                self.msgs[text] = self.msgs.get(text, 0) + 1
                if core is not None:
                    self.stats["core"] += 1
                    if err != core:
                        self.fail("verdict", "%s: the core should refuse "
                                  "(%s) with %s, got %s %r" %
                                  (what, verdict[1], errno.errorcode[core],
                                   errno.errorcode.get(err, err), text))
                        problems += 1
                    continue
                self.stats["rejected"] += 1
                if not text:
                    self.fail("extack", "%s: %s without a message "
                              "(model: %s)" % (what, errno.errorcode.get(
                                  err, err), verdict[1]))
                    problems += 1
                if verdict[0] == "accept":
                    self.fail("verdict", "%s: model accepts, kernel "
                              "refused: %s %r" % (what, errno.errorcode.get(
                                  err, err), text))
                    problems += 1
                continue
            self.stats["accepted"] += 1
            if verdict[0] != "accept":
                self.fail("verdict", "%s: kernel accepted, model: %s" %
                          (what, verdict[1]))
                problems += 1
                continue
            _, apply, check = verdict
            if check:
                d = check(data)
                for line in d[:5]:
                    self.fail("reply", "%s: %s" % (what, line))
                problems += len(d)
            if apply and self.args.skip_update != self.stats["accepted"]:
                apply()
        return problems

    def state_check(self):
        """Dump everything and compare; resync the model on a difference."""
        self.stats["checks"] += 1
        d = []
        svcs = self.g.lvs(nr.CMD_SERVICE_GET, flags=nr.NLM_F_DUMP)
        got = {}
        for b in svcs:
            key, summary = decode_service(nr.parse_attrs(
                nr.parse_attrs(b[4:])[nr.ATTR_SERVICE]))
            dests = self.g.lvs(nr.CMD_DEST_GET, svc_nest(key).encode(),
                               flags=nr.NLM_F_DUMP)
            got[key] = (summary, dict(decode_dest(x) for x in dests))
        want = dict((k, (self.model.summary(k), s["dests"]))
                    for k, s in self.model.services.items())
        d += diff("service", want, got)
        to = decode_timeouts(self.g.lvs(nr.CMD_TIMEOUT_GET))
        d += diff("timeout", self.model.timeouts, to)
        for line in d[:10]:
            self.fail("state", "after %d requests: %s" %
                      (self.stats["sent"], line))
        if d:
            self.resync(got, to)
        return not d

    def resync(self, got, to):
        self.model.services = {}
        for key, ((sched, conf, _), dests) in got.items():
            self.model.services[key] = {"sched": sched, "conf": dict(conf),
                                        "dests": dests}
        self.model.timeouts = to

    def run(self):
        a, r = self.args, self.gen.r
        start = time.monotonic()
        n = 0
        while True:
            if a.requests and n >= a.requests:
                break
            if a.seconds and time.monotonic() - start >= a.seconds:
                break
            if r.random() < 0.05:
                # A few doit requests in one datagram, applied in order.
                reqs = []
                while len(reqs) < r.randint(2, 3):
                    req = self.gen.valid()
                    if req.flags & nr.NLM_F_DUMP:
                        continue
                    if r.random() < 0.5:
                        self.gen.mutate(req)
                        if req.raw() or req.flags & nr.NLM_F_DUMP:
                            continue
                    reqs.append(req)
            else:
                req = self.gen.valid()
                if r.random() < a.mutate:
                    self.gen.mutate(req)
                reqs = [req]
            self.stats["mutated"] += sum(1 for q in reqs if q.muts)
            self.run_one(reqs)
            n += len(reqs)
            if n // a.check != (n - len(reqs)) // a.check:
                self.state_check()
            if a.progress and n // a.progress != (n - len(reqs)) // a.progress:
                print("nlfuzz: %d requests, %d s, %d services" %
                      (n, time.monotonic() - start,
                       len(self.model.services)), flush=True)
        self.state_check()
        self.elapsed = time.monotonic() - start

    def teardown(self):
        """Delete what the run made, by the model, and check it is gone."""
        for key in list(self.model.services):
            self.run_one([Req(C["SERVICE_DEL"], [svc_nest(key)])])
        return self.g.lvs(nr.CMD_SERVICE_GET, flags=nr.NLM_F_DUMP) == []


def describe(req):
    """A request, for a failure report."""
    msg, _ = req.encode(0, 0)
    return "%s flags %#x [%s] %s%s" % (
        CMD_NAME.get(req.cmd, "cmd %d" % req.cmd), req.flags,
        ",".join(req.muts), msg[:96].hex(), "..." if len(msg) > 96 else "")


def extack(body, mflags, is_error):
    """The extack message of an NLMSG_ERROR or NLMSG_DONE body, or ""."""
    if not is_error:
        tlvs = body[4:]
    elif mflags & nr.NLM_F_CAPPED:
        tlvs = body[4 + 16:]
    else:
        # The request comes back whole, padded, before the TLVs.
        olen = struct.unpack("I", body[4:8])[0]
        tlvs = body[4 + 16 + ((olen - 16 + 3) & ~3):]
    msg = nr.parse_attrs(tlvs).get(nr.NLMSGERR_ATTR_MSG, b"")
    return msg.rstrip(b"\0").decode(errors="replace")


def report(desc, ok, why=""):
    print("TEST: %-64s [%s]" % (desc, " OK " if ok else "FAIL"))
    if not ok:
        print("\t" + why)
    return ok


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--seed", type=int, default=None)
    p.add_argument("--requests", type=int, default=0,
                   help="stop after this many requests")
    p.add_argument("--seconds", type=float, default=0,
                   help="stop after this long")
    p.add_argument("--check", type=int, default=100,
                   help="compare the whole configuration this often")
    p.add_argument("--mutate", type=float, default=0.7,
                   help="share of requests mutated")
    p.add_argument("--progress", type=int, default=0)
    p.add_argument("--skip-update", type=int, default=0, metavar="N",
                   help="leave the Nth accepted request out of the model, "
                   "to see the state check fail")
    a = p.parse_args()
    if not a.requests and not a.seconds:
        a.requests = 1000
    if a.seed is None:
        a.seed = random.SystemRandom().randrange(1 << 32)
    print("nlfuzz: seed %d (replay with --seed %d%s)" % (
        a.seed, a.seed, " --requests N" if a.seconds else
        " --requests %d" % a.requests), flush=True)
    f = Fuzzer(a)
    f.run()
    gone = f.teardown()
    s = f.stats
    print("nlfuzz: %d requests in %.0f s (%d mutated): %d accepted, "
          "%d rejected with extack, %d refused by the netlink core, "
          "%d ignored (no NLM_F_REQUEST), %d dropped (bad nlmsg_len); "
          "%d state checks" % (s["sent"], f.elapsed, s["mutated"],
                               s["accepted"], s["rejected"], s["core"],
                               s["ignored"], s["silent"], s["checks"]))
    print("nlfuzz: errnos: %s" % ", ".join(
        "%s %d" % (errno.errorcode.get(e, e), n)
        for e, n in sorted(f.errnos.items(), key=lambda x: -x[1])))
    print("nlfuzz: %d distinct extack messages, most common:" % len(f.msgs))
    for m, n in sorted(f.msgs.items(), key=lambda x: -x[1])[:12]:
        print("\t%6d %s" % (n, m or "(none)"))
    ok = report("nlfuzz: every rejection has an errno and an extack message",
                not f.fails["extack"], "%d without" % len(f.fails["extack"]))
    ok &= report("nlfuzz: the kernel accepts exactly what the model accepts",
                 not f.fails["verdict"], "%d differ" % len(f.fails["verdict"]))
    ok &= report("nlfuzz: gets and dumps answer what the model holds",
                 not f.fails["reply"], "%d differ" % len(f.fails["reply"]))
    ok &= report("nlfuzz: the configuration equals the model at every check",
                 not f.fails["state"] and s["checks"] > 0,
                 "%d differences" % len(f.fails["state"]))
    ok &= report("nlfuzz: every service made is deleted again", gone)
    ok &= report("nlfuzz: requests were accepted and rejected",
                 s["accepted"] > 0 and s["rejected"] > 0, repr(s))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
