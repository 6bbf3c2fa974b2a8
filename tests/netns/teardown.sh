#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Tearing lvs down under traffic: deleting the director's namespace, and
# unloading the module, while its table holds many connections and TCP
# streams, a UDP flood and spoofed SYNs run through NAT.
# Topology: nat_topology (lib.sh); the real servers sink on port 9000.
#
# LVS_TEARDOWN_ROUNDS rounds (default 2, at least 2) fill the table with
# LVS_TEARDOWN_CONNS connections (default 100000 in the stock guest;
# 2000 in the debug guest, where KASAN and kmemleak make each packet cost
# about fifty times as much) and tear it down, the odd rounds by
# deleting the namespace, the even ones by deleting the services and
# unloading lvs. Long mode (Documentation/reliability.md):
#   LVS_TEARDOWN_ROUNDS=100 LVS_SCENARIO_TIMEOUT=7200 \
#	tests/netns/run teardown.sh

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
plan 7

ROUNDS=${LVS_TEARDOWN_ROUNDS:-2}
if [ "${LVS_KERNEL:-stock}" = debug ]; then
	CONNS=${LVS_TEARDOWN_CONNS:-2000}
else
	CONNS=${LVS_TEARDOWN_CONNS:-100000}
fi
if ! [ "$ROUNDS" -ge 2 ] 2>/dev/null || ! [ "$CONNS" -ge 1 ] 2>/dev/null; then
	echo "teardown: LVS_TEARDOWN_ROUNDS=$ROUNDS (want 2 or more)," \
		"LVS_TEARDOWN_CONNS=$CONNS (want 1 or more)" >&2
	exit 1
fi
# The spoofed SYNs' entries stay this long (SYN_RECV, 60 s by default):
# long enough for the slowest fill, 100,000 entries in the debug guest.
SYN_SECONDS=600
WORK=$(mktemp -d)
trap 'cleanup; rm -rf "$WORK"' EXIT

# sched_refs NAME: REFS, how many users scheduler module lvs_sched_NAME
# has (lsmod's count, read from sysfs: busywait polls this, and each
# process start costs the debug guest a quarter of a second or more).
sched_refs()
{
	REFS=
	read -r REFS <"/sys/module/lvs_sched_$1/refcnt" 2>/dev/null
}

sched_unused()
{
	sched_refs "$1"
	[ "$REFS" = 0 ]
}

# churn NS FILE: three processes change weights back and forth for ever,
# as fast as they can; each change replaces a service's scheduler state,
# which is freed by RCU, so the namespace queues RCU callbacks all the
# time. Three, so that none of them starting anew leaves a pause in which
# every queued callback could run.
churn()
{
	local i p

	# The services in one ipvsctl.
	for p in 81 82 83; do
		echo "service add tcp 10.9.0.1:$p sched wrr"
		echo "dest add tcp 10.9.0.1:$p 10.9.1.2"
		echo "dest add tcp 10.9.0.1:$p 10.9.1.3"
		echo "dest change tcp 10.9.0.1:$p 10.9.1.2 weight 2"
	done | "$IPVSCTL" -n "$PFX-$1" -b - || return 1
	for ((i = 1; i <= 5000; i++)); do
		echo "dest change tcp 10.9.0.1:$((i % 3 + 81)) 10.9.1.2 weight $((i % 2 + 1))"
	done >"$2"
	for p in 81 82 83; do
		bg "$1" sh -c "while $IPVSCTL -b $2; do :; done"
	done
}

# active_conns: ACTIVE, the TCP service's active connections, on either
# server (summed in bash from one ipvsctl).
active_conns()
{
	local rest

	ACTIVE=0
	rest=$(ipvsctl -j dest list tcp 10.0.0.1:90) || return 1
	while [[ $rest =~ \"active_conns\":([0-9]+)(.*) ]]; do
		ACTIVE=$((ACTIVE + BASH_REMATCH[1]))
		rest=${BASH_REMATCH[2]}
	done
}

active_conns_are()
{
	active_conns
	[ "$ACTIVE" = "$1" ]
}

# conns_reach N: the table holds N entries or more; COUNT, how many.
conns_reach()
{
	COUNT=$(lvs_info conn_count) && [ "$COUNT" -ge "$1" ]
}

# The rounds. What failed goes to fill_err (making the table and the
# traffic) or down_err[I % 2] (tearing round I down); the first failure
# ends them. klog: the kernel log's length when the round began.
fill_err=
down_err=("" "")
klog=0

failed()
{
	[ -n "$fill_err${down_err[0]}${down_err[1]}" ]
}

# round_up I: the director of round I, its table filled with CONNS
# connections from spoofed sources (-q: one source over every port, then
# the next source, so each SYN is a connection of its own), before the
# traffic, which would slow the flood down until its first entries expire
# (SYN_SECONDS); then the traffic: SYNs from other sources, two TCP streams,
# once they are established a UDP flood. Prints how long the filling took.
round_up()
{
	local i=$1 rs start got

	klog=$(kernel_lines)
	nat_topology
	for rs in rs1 rs2; do
		bg $rs socat -u TCP-LISTEN:9000,reuseaddr,fork OPEN:/dev/null
		bg $rs socat -u UDP-RECV:9000 OPEN:/dev/null
	done
	# The services and the timeout in one ipvsctl.
	wait_listen rs1 tcp 9000 && wait_listen rs2 tcp 9000 &&
		ipvsctl -b - <<-EOF && blackhole_spoofed
		service add tcp 10.0.0.1:90 sched rr
		dest add tcp 10.0.0.1:90 10.0.1.2:9000 nat
		dest add tcp 10.0.0.1:90 10.0.2.2:9000 nat
		service add udp 10.0.0.1:90 sched wrr
		dest add udp 10.0.0.1:90 10.0.1.2:9000 nat weight 2
		dest add udp 10.0.0.1:90 10.0.2.2:9000 nat weight 1
		timeout set tcp SYN_RECV $SYN_SECONDS
		EOF
	if [ $? != 0 ]; then
		fill_err="round $i: configuration failed"
		return 1
	fi
	start=$(ms_now)
	n c "$LVSFLOOD" -q -n "$CONNS" syn 10.0.0.1 90 >/dev/null
	if ! busywait 10000 conns_reach "$CONNS"; then
		fill_err="round $i: the table reached $(lvs_info conn_count) of $CONNS entries: $(ipvsctl info)"
		return 1
	fi
	# The count the wait ended on.
	got=$COUNT
	echo "teardown: round $i of $ROUNDS: $got entries in $(($(ms_now) - start)) ms"
	bg c "$LVSFLOOD" -r 50 -t 600 syn 10.0.0.1 90 >/dev/null 2>&1
	bg c socat -u /dev/zero TCP:10.0.0.1:90
	bg c socat -u /dev/zero TCP:10.0.0.1:90
	# On one real server or two: SYNs between them move round robin on.
	if ! busywait 10000 active_conns_are 2; then
		fill_err="round $i: want 2 streams established, have $ACTIVE"
		return 1
	fi
	bg c socat -u /dev/zero UDP:10.0.0.1:90
	busywait 5000 conns_reach $((got + 10)) ||
		fill_err="round $i: the SYNs during the traffic make no entries: $(ipvsctl info)"
	[ -z "$fill_err" ]
}

# teardown_ns: delete the director's namespace; its state goes in the
# background (cleanup_net), the services first, and with them their
# schedulers. Then unload lvs, which waits for the namespace's teardown
# to end: that waits until every entry, destination and service of the
# namespace is freed.
teardown_ns()
{
	ip netns del "$PFX-d"
	NAMESPACES=(c rs1 rs2)
	lvs_unload_idle
}

# teardown_unload: delete the services (service flush), which lets go of
# the schedulers and leaves their entries to run out (their traffic goes
# on), and unload lvs at once, its hooks still in d's path: the unload
# unlinks the entries of the deleted services. While services hold their
# schedulers' modules lvs cannot unload at all.
teardown_unload()
{
	ipvsctl service flush && lvs_unload
}

# round_down I: tear round I down under its traffic, by teardown_ns (I
# odd) or teardown_unload. That must leave no entry in lvs's cache (which
# would then outlive the unload) and nothing in the kernel's log. Prints
# how long it took.
round_down()
{
	local i=$1 how=teardown_ns what="namespace deleted" start ms

	[ $((i % 2)) = 0 ] && how=teardown_unload what="services deleted"
	start=$(ms_now)
	if ! $how; then
		down_err[i % 2]="round $i: $what, lvs would not unload: $(lsmod | grep '^lvs')"
	fi
	ms=$(($(ms_now) - start))
	if failed; then
		:
	elif [ -e "$CONN_SLAB" ]; then
		down_err[i % 2]="round $i: lvs's connection cache outlived the unload, $(conn_slab objects) objects"
	elif ! kernel_reports "$klog" >"$WORK/reports"; then
		down_err[i % 2]="round $i: the kernel reported: $(head -n 5 "$WORK/reports")"
	fi
	cleanup
	echo "teardown: round $i of $ROUNDS: $what, lvs unloaded in $ms ms"
}

# A namespace's teardown waits for its own objects, not for everyone's:
# namespaces go one batch at a time, so one held by another namespace's
# steady RCU callbacks would hold every later one too. Here "o" churns
# while "g1" and then "g2" go; g2 has the only service using sed.
# The namespaces in one ip, their loopbacks up in one more each.
NAMESPACES+=(o g1 g2)
printf 'netns add %s\n' "$PFX-o" "$PFX-g1" "$PFX-g2" | ip -batch -
for ns in o g1 g2; do
	n $ns ip link set lo up
done
churn o "$WORK/batch"
check_err $? "the churn does not start"
"$IPVSCTL" -n "$PFX-g1" service add tcp 10.9.0.1:80 sched rr &&
	"$IPVSCTL" -n "$PFX-g2" service add tcp 10.9.0.1:80 sched sed
check_err $? "configuration failed"
nap 1
ip netns del "$PFX-g1"
nap 1
ip netns del "$PFX-g2"
NAMESPACES=(o)
start=$(ms_now)
busywait 5000 sched_unused sed
check_err $? "g2 still holds sed after $(($(ms_now) - start)) ms, refs $REFS"
kill -0 "${BG_PIDS[@]}"
check_err $? "the churn stopped"
log_test "teardown: namespaces go while another one churns"
cleanup

# test that the traffic runs through a director with CONNS entries
start=$(ms_now)
round_up 1
check_err $? "$fill_err"
log_test "teardown: two streams and floods run through $CONNS entries"

# test that a scheduler in use refuses to unload
rmmod lvs_sched_rr 2>/dev/null
check_fail $? "the rr scheduler unloaded while a service uses it"
# Loaded: lsmod lists what /sys/module holds of the modules.
[ -e /sys/module/lvs_sched_rr ]
check_err $? "lvs_sched_rr is gone"
active_conns_are 2
check_err $? "connections lost after the refused unload"
log_test "teardown: a scheduler in use refuses to unload"

# test that the namespace can be deleted, or the services and lvs, under
# traffic, time and again, and that everything goes
round_down 1
i=1
while ! failed && [ "$i" -lt "$ROUNDS" ]; do
	i=$((i + 1))
	round_up $i
	round_down $i
done
ms=$(($(ms_now) - start))
echo "teardown: $i rounds of $CONNS entries in $((ms / 1000)) s," \
	"$((ms / i)) ms a round"
[ -z "$fill_err" ]
check_err $? "$fill_err"
log_test "teardown: $ROUNDS times a table of $CONNS entries under traffic"

[ -z "${down_err[1]}" ]
check_err $? "${down_err[1]}"
log_test "teardown: namespace deleted, lvs unloaded, all freed (odd rounds)"

[ -z "${down_err[0]}" ]
check_err $? "${down_err[0]}"
log_test "teardown: services deleted, lvs unloaded, all freed (even rounds)"

modprobe lvs
check_err $? "lvs does not load again"
log_test "teardown: lvs loads again after the unload"

exit $((FAILED > 0))
