#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""ipvsproc.sh's readers of the /proc/net/ip_vs* files.

ipvsproc.py info FILE          /proc/net/ip_vs, services sorted, each with
                               its destinations sorted: ip_vs lists them
                               in hash order and destinations newest first,
                               lvs in creation order
ipvsproc.py conn FILE          /proc/net/ip_vs_conn, rows sorted, with the
                               client port and the expiry normalised
ipvsproc.py stats FILE         /proc/net/ip_vs_stats: the five totals and
                               five rates, in decimal, one line
ipvsproc.py percpu FILE        /proc/net/ip_vs_stats_percpu: checks that
                               the rows add up to the total row, prints
                               the total row in decimal
ipvsproc.py shape FILE         each line's length, and where each field
                               ends: the columns the format fixes
ipvsproc.py totals JSON        the five counters summed over the services
                               of `ipvsctl -s -j service list`
ipvsproc.py exporter METRICS JSON
                               node_exporter's ipvs metrics against
                               `ipvsctl -s -j service list`; prints what
                               differs
"""

import json
import re
import sys

COUNTERS = ("conns", "inpkts", "outpkts", "inbytes", "outbytes")


def lines(path):
    with open(path) as f:
        return f.read().splitlines()


def info(path):
    text = lines(path)
    head, blocks = text[:3], []
    for line in text[3:]:
        if line.startswith("  -> "):
            blocks[-1][1].append(line)
        else:
            blocks.append((line, []))
    head[0] = re.sub(r"size=\d+", "size=N", head[0])
    print("\n".join(head))
    for svc, dests in sorted(blocks):
        print(svc)
        print("\n".join(sorted(dests)))


def conn(path):
    text = lines(path)
    print(text[0])
    rows = []
    for line in text[1:]:
        f = line.split()
        # Pro FromIP FPrt ToIP TPrt DestIP DPrt State Expires
        if len(f) != 9 or not f[8].isdigit():
            sys.exit("bad row: %r" % line)
        f[2] = "PORT" if f[2] != "0000" else f[2]
        f[8] = "E"
        rows.append(" ".join(f))
    print("\n".join(sorted(rows)))


def stats(path):
    text = lines(path)
    tot = [int(x, 16) for x in text[2].split()]
    rates = [int(x, 16) for x in text[5].split()]
    print(" ".join(str(x) for x in tot + rates))


def percpu(path):
    text = lines(path)
    rows, total = [], None
    for line in text[2:]:
        f = line.split()
        if not f:
            break
        if f[0] == "~":
            total = [int(x, 16) for x in f[1:]]
        else:
            rows.append([int(x, 16) for x in f[1:]])
    sums = [sum(col) for col in zip(*rows)]
    if total is None or sums != total:
        sys.exit("per-CPU rows add up to %s, total row %s" % (sums, total))
    print(" ".join(str(x) for x in total))


def shape(path):
    """Each line's length and where its fields end; numbers as '#'."""
    for line in lines(path):
        fields = ["%d:%s" % (m.end(), "#" if re.fullmatch(r"[0-9A-F~]+",
                                                          m.group(0))
                             else m.group(0))
                  for m in re.finditer(r"\S+", line)]
        print(len(line), " ".join(fields))


def totals(path):
    with open(path) as f:
        svcs = json.load(f)
    print(" ".join(str(sum(s["stats"][k] for s in svcs)) for k in COUNTERS))


def metrics(path):
    """{(name, frozenset(labels)): value} of the node_ipvs_ metrics."""
    out = {}
    pat = re.compile(r'^(node_ipvs_\w+)(?:\{(.*)\})? (\S+)$')
    for line in lines(path):
        m = pat.match(line)
        if not m:
            continue
        labels = dict(re.findall(r'(\w+)="([^"]*)"', m.group(2) or ""))
        out[(m.group(1), frozenset(labels.items()))] = float(m.group(3))
    return out


def exporter(mpath, jpath):
    got = metrics(mpath)
    with open(jpath) as f:
        svcs = json.load(f)
    want = {}
    tot = {k: sum(s["stats"][k] for s in svcs) for k in COUNTERS}
    for name, key in (("connections_total", "conns"),
                      ("incoming_packets_total", "inpkts"),
                      ("outgoing_packets_total", "outpkts"),
                      ("incoming_bytes_total", "inbytes"),
                      ("outgoing_bytes_total", "outbytes")):
        want[("node_ipvs_" + name, frozenset())] = tot[key]
    for s in svcs:
        if "fwmark" in s:
            local = {"local_address": "", "local_port": "0",
                     "local_mark": "%08X" % s["fwmark"], "proto": "FWM"}
        else:
            local = {"local_address": s["address"],
                     "local_port": str(s["port"]), "local_mark": "",
                     "proto": s["protocol"].upper()}
        for d in s["dests"]:
            labels = dict(local, remote_address=d["address"],
                          remote_port=str(d.get("port", 0)))
            labels = frozenset(labels.items())
            for name, key in (("weight", "weight"),
                              ("connections_active", "active_conns"),
                              ("connections_inactive", "inactive_conns")):
                want[("node_ipvs_backend_" + name, labels)] = d[key]
    bad = 0
    for k, v in sorted(want.items(), key=str):
        if got.get(k) != v:
            print("%s %s: got %s, want %s" % (k[0], dict(k[1]), got.get(k), v))
            bad += 1
    print("%d metrics compared, %d differ" % (len(want), bad))
    sys.exit(1 if bad else 0)


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    {"info": info, "conn": conn, "stats": stats, "percpu": percpu,
     "shape": shape, "totals": totals, "exporter": exporter}[cmd](*args)


if __name__ == "__main__":
    main()
