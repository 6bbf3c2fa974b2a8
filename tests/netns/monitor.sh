#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Change events: "ipvsctl monitor" (text and -j) in the director's
# namespace, while ipvsctl and ipvsadm (through the IPVS family: lvs with
# ipvs_compat=1) make every kind of change and some refused ones. Each
# change must be printed once, in order, in the words of the command that
# makes it; nothing for a refused request, nothing from another namespace.
#
#   +---------------------------+   +---------------------------+
#   | d: monitor, monitor -j    |   | e: monitor                |
#   | services 10.9.0.x (no     |   | one service, made last    |
#   | traffic, no interfaces)   |   |                           |
#   +---------------------------+   +---------------------------+

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
plan 7

W=$(mktemp -d)
restore()
{
	cleanup
	lvs_reload monitor
	rm -rf "$W"
}
trap restore EXIT

lvs_unload_idle || { echo "lvs would not unload" >&2; exit 1; }
modprobe lvs ipvs_compat=1
ns_add d
ns_add e

# holds FILE TEXT: FILE holds TEXT (builtins only: no exec to wait on).
holds()
{
	local all

	read -r -d '' all <"$1"
	[[ $all == *"$2"* ]]
}

# A monitor's first lines are the sentinel "timeout set udp UDP 301",
# made until each monitor printed it: then it listens.
SENTINEL='timeout set udp UDP 301'
sentinel_seen()
{
	local ns=$1 f

	shift
	"$IPVSCTL" -n "$PFX-$ns" timeout set udp UDP 301 || return 1
	for f in "$@"; do
		holds "$f" "$SENTINEL" || holds "$f" '"UDP":301' || return 1
	done
}

# events FILE: what FILE holds after the sentinel lines.
events()
{
	awk -v s="$SENTINEL" 'go || ($0 != s && $0 !~ /"UDP":301/) { go = 1; print }' "$1"
}

# Job control: background jobs take SIGINT (else bash ignores it for them).
set -m
"$IPVSCTL" -n "$PFX-d" monitor >"$W/text" 2>"$W/text.err" &
mon_text=$!
"$IPVSCTL" -n "$PFX-d" -j monitor >"$W/json" 2>"$W/json.err" &
mon_json=$!
"$IPVSCTL" -n "$PFX-e" monitor >"$W/other" 2>"$W/other.err" &
mon_other=$!
# A monitor whose reader stops after one line.
{
	"$IPVSCTL" -n "$PFX-d" monitor 2>"$W/head.err" | head -n 1 >/dev/null
	echo "${PIPESTATUS[0]}" >"$W/head.rc"
} &
set +m
busywait 5000 sentinel_seen d "$W/text" "$W/json" &&
	busywait 5000 sentinel_seen e "$W/other"
check_err $? "the monitors did not start: $(cat "$W"/*.err)"

# The reader of one monitor gone (after a line): its next event ends it.
epipe_done()
{
	ipvsctl timeout set udp UDP 301 && [ -s "$W/head.rc" ]
}
busywait 5000 epipe_done
check_err $? "a monitor whose reader went did not end"
[ "$(cat "$W/head.rc" 2>/dev/null)" = 0 ] && [ ! -s "$W/head.err" ]
check_err $? "after EPIPE: status $(cat "$W/head.rc"), $(cat "$W/head.err")"
log_test "monitor: starts listening; ends with status 0 on EPIPE"

# pairs BATCH EXPECT: from stdin's lines "COMMAND[|PRINTED]", the commands
# into BATCH and what a monitor prints for each (COMMAND itself if no
# PRINTED) into EXPECT.
pairs()
{
	local cmd printed

	while IFS='|' read -r cmd printed; do
		echo "$cmd" >&3
		echo "${printed:-$cmd}" >&4
	done 3>"$1" 4>"$2"
}

# Changes through the LVS family, in one batch (ipvsctl -b joins a
# service's additions into one request), and what each prints.
pairs "$W/batch" "$W/expect.lvs" <<'EOF'
service add tcp 10.9.0.1:80 sched rr
dest add tcp 10.9.0.1:80 10.9.1.2:8080 weight 2|dest add tcp 10.9.0.1:80 10.9.1.2:8080 nat weight 2
dest change tcp 10.9.0.1:80 10.9.1.2:8080 weight 3 uthreshold 100|dest change tcp 10.9.0.1:80 10.9.1.2:8080 nat weight 3 uthreshold 100 lthreshold 0
service change tcp 10.9.0.1:80 sched wrr persistent 60|service change tcp 10.9.0.1:80 sched wrr fallback off hash-port off table-size 4093 persistent 60 netmask 255.255.255.255 persist-drained off one-packet off
dest add tcp 10.9.0.1:80 10.9.1.3:8080|dest add tcp 10.9.0.1:80 10.9.1.3:8080 nat weight 1
dest add tcp 10.9.0.1:80 10.9.1.4:8080 weight 5|dest add tcp 10.9.0.1:80 10.9.1.4:8080 nat weight 5
service add udp 10.9.0.2:53 sched sh fallback on
dest add udp 10.9.0.2:53 10.9.1.2|dest add udp 10.9.0.2:53 10.9.1.2:53 nat weight 1
dest add udp 10.9.0.2:53 10.9.1.3 dr|dest add udp 10.9.0.2:53 10.9.1.3:53 dr weight 1
timeout set tcp 100 udp UDP 60|timeout set tcp ESTABLISHED 100 udp UDP 60
info set fastpath on
conn flush tcp 10.9.0.1:80
conn flush
dest del tcp 10.9.0.1:80 10.9.1.2:8080 force
service del udp 10.9.0.2:53
service add fwmark 7 family inet6 sched rr
service flush force
EOF
ipvsctl -b "$W/batch"
check_err $? "an ipvsctl change failed"

# Refused requests, of both families; then a marker.
out=$(ipvsctl -f -b - 2>&1 <<'EOF'
service add tcp 10.9.0.5:80 sched nosuch
dest add tcp 10.9.0.9:80 10.9.1.2
timeout set tcp NOSUCH 10
EOF
)
[ $? = 1 ] && [ "$(grep -c '^ipvsctl: <stdin>:[123]: ' <<<"$out")" = 3 ]
check_err $? "ipvsctl's refused requests: $out"
! n d ipvsadm -A -t 10.9.0.5:80 -s nosuch 2>/dev/null &&
	! n d ipvsadm -a -t 10.9.0.9:80 -r 10.9.1.2 -m 2>/dev/null &&
	ipvsctl timeout set udp UDP 302
check_err $? "a refused request was not refused, or the marker failed"

# Changes through the IPVS family (ipvsadm), and what each prints.
pairs "$W/ipvsadm" "$W/expect.ipvs" <<'EOF'
-A -t 10.9.0.3:80 -s rr|service add tcp 10.9.0.3:80 sched rr persist-drained on
-a -t 10.9.0.3:80 -r 10.9.1.2:8080 -m -w 2|dest add tcp 10.9.0.3:80 10.9.1.2:8080 nat weight 2
-e -t 10.9.0.3:80 -r 10.9.1.2:8080 -m -w 4|dest change tcp 10.9.0.3:80 10.9.1.2:8080 nat weight 4 uthreshold 0 lthreshold 0
-E -t 10.9.0.3:80 -s wlc -p 30|service change tcp 10.9.0.3:80 sched wlc fallback off hash-port off table-size 4093 persistent 30 netmask 255.255.255.255 persist-drained on one-packet off
--set 100 0 0|timeout set tcp ESTABLISHED 100
-Z -t 10.9.0.3:80|service zero tcp 10.9.0.3:80
-Z|service zero
-d -t 10.9.0.3:80 -r 10.9.1.2:8080|dest del tcp 10.9.0.3:80 10.9.1.2:8080
-D -t 10.9.0.3:80|service del tcp 10.9.0.3:80
-A -u 10.9.0.4:53 -s rr|service add udp 10.9.0.4:53 sched rr persist-drained on
-C|service flush
EOF
n d ipvsadm -R <"$W/ipvsadm"
check_err $? "ipvsadm -R failed"

# A change in e, then a last marker in d.
"$IPVSCTL" -n "$PFX-e" service add tcp 10.9.9.9:80 sched rr &&
	ipvsctl timeout set udp UDP 303
check_err $? "the last changes failed"
busywait 5000 holds "$W/text" 'UDP 303' &&
	busywait 5000 holds "$W/json" '"UDP":303' &&
	busywait 5000 holds "$W/other" 10.9.9.9
check_err $? "the monitors did not print the last changes"

events "$W/text" >"$W/got"
nl=$(wc -l <"$W/expect.lvs")
head -n "$nl" "$W/got" | diff -u "$W/expect.lvs" - >"$W/diff"
check_err $? "ipvsctl's changes: $(cat "$W/diff")"
log_test "monitor: each ipvsctl change once, in order, in its words"

[ "$(sed -n "$((nl + 1))p" "$W/got")" = "timeout set udp UDP 302" ]
check_err $? "refused requests printed: $(sed -n "$((nl + 1))p" "$W/got")"
log_test "monitor: refused requests announce nothing"

echo "timeout set udp UDP 303" >>"$W/expect.ipvs"
sed -n "$((nl + 2)),\$p" "$W/got" | diff -u "$W/expect.ipvs" - >"$W/diff"
check_err $? "ipvsadm's changes (IPVS family): $(cat "$W/diff")"
log_test "monitor: ipvsadm's changes (IPVS family) announced the same"

[ "$(events "$W/other")" = "service add tcp 10.9.9.9:80 sched rr" ]
check_err $? "the monitor of e printed: $(events "$W/other")"
log_test "monitor: a monitor sees its own namespace's changes only"

# -j: the same events, one JSON object a line; some members checked.
events "$W/json" >"$W/got.json"
cat "$W/expect.lvs" - "$W/expect.ipvs" >"$W/expect" <<'EOF'
timeout set udp UDP 302
EOF
out=$(python3 - "$W/got.json" "$W/expect" <<'EOF' 2>&1
import json, sys
got = [json.loads(line) for line in open(sys.argv[1])]
want = [' '.join(line.split()[:2]) for line in open(sys.argv[2])]
assert [e['event'] for e in got] == want, [e['event'] for e in got]
def has(e, **kv):
    assert all(e.get(k) == v for k, v in kv.items()), e
has(got[0], event='service add', protocol='tcp', address='10.9.0.1',
    port=80, sched='rr', persistent=0)
has(got[1], service={'protocol': 'tcp', 'address': '10.9.0.1', 'port': 80},
    address='10.9.1.2', port=8080, fwd='nat', weight=2)
has(got[9], timeouts={'tcp': {'ESTABLISHED': 100}, 'udp': {'UDP': 60}})
has(got[10], fastpath=True)
has(got[13], event='dest del', force=True)
has(got[16], event='service flush', force=True)
has(got[23], event='service zero', protocol='tcp', port=80)
EOF
)
check_err $? "monitor -j: $out"
log_test "monitor -j: the same events, one JSON object a line"

kill -INT "$mon_text" && kill -TERM "$mon_json" "$mon_other"
check_err $? "cannot signal the monitors"
for pid in "$mon_text" "$mon_json" "$mon_other"; do
	wait "$pid"
	rc=$?
	check_err $rc "a monitor ended with status $rc on SIGINT or SIGTERM"
done
for f in text json other; do
	[ ! -s "$W/$f.err" ]
	check_err $? "monitor ($f) said: $(cat "$W/$f.err")"
done
log_test "monitor: ends with status 0 on SIGINT and SIGTERM"
exit "$FAILED"
