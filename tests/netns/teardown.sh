#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Tearing lvs down under traffic: deleting the director's namespace, and
# unloading the module, while TCP streams and a UDP flood run through NAT.
# Topology: nat_topology (lib.sh); the real servers sink on port 9000.

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
plan 6

trap cleanup EXIT

# start_traffic: two TCP streams (one per real server) and a UDP flood.
start_traffic()
{
	local rs

	nat_topology
	for rs in rs1 rs2; do
		bg $rs socat -u TCP-LISTEN:9000,reuseaddr,fork OPEN:/dev/null
		bg $rs socat -u UDP-RECV:9000 OPEN:/dev/null
	done
	wait_listen rs1 tcp 9000 && wait_listen rs2 tcp 9000
	ipvsctl service add tcp 10.0.0.1:90 sched rr &&
		ipvsctl dest add tcp 10.0.0.1:90 10.0.1.2:9000 nat &&
		ipvsctl dest add tcp 10.0.0.1:90 10.0.2.2:9000 nat &&
		ipvsctl service add udp 10.0.0.1:90 sched wrr &&
		ipvsctl dest add udp 10.0.0.1:90 10.0.1.2:9000 nat weight 2 &&
		ipvsctl dest add udp 10.0.0.1:90 10.0.2.2:9000 nat weight 1
	check_err $? "configuration failed"
	bg c socat -u /dev/zero TCP:10.0.0.1:90
	bg c socat -u /dev/zero TCP:10.0.0.1:90
	bg c socat -u /dev/zero UDP:10.0.0.1:90
}

active_conns()
{
	ipvsctl -j dest list tcp 10.0.0.1:90 | python3 -c \
		"import json,sys; print(sum(d['active_conns'] for d in json.load(sys.stdin)))"
}

active_conns_are()
{
	[ "$(active_conns)" = "$1" ]
}

# sched_refs NAME: how many users scheduler module lvs_sched_NAME has.
sched_refs()
{
	lsmod | awk -v m="lvs_sched_$1" '$1 == m {print $3}'
}

sched_unused()
{
	[ "$(sched_refs "$1")" = 0 ]
}

# churn NS FILE: three processes change weights back and forth for ever,
# as fast as they can; each change replaces a service's scheduler state,
# which is freed by RCU, so the namespace queues RCU callbacks all the
# time. Three, so that none of them starting anew leaves a pause in which
# every queued callback could run.
churn()
{
	local i p

	for p in 81 82 83; do
		n "$1" "$IPVSCTL" service add tcp 10.9.0.1:$p sched wrr &&
			n "$1" "$IPVSCTL" dest add tcp 10.9.0.1:$p 10.9.1.2 &&
			n "$1" "$IPVSCTL" dest add tcp 10.9.0.1:$p 10.9.1.3 &&
			n "$1" "$IPVSCTL" dest change tcp 10.9.0.1:$p \
				10.9.1.2 weight 2 || return 1
	done
	for i in $(seq 5000); do
		echo "dest change tcp 10.9.0.1:$((i % 3 + 81)) 10.9.1.2 weight $((i % 2 + 1))"
	done >"$2"
	for p in 81 82 83; do
		bg "$1" sh -c "while $IPVSCTL -b $2; do :; done"
	done
}

start_traffic
busywait 10000 active_conns_are 2
check_err $? "want 2 active TCP connections, have $(active_conns)"
log_test "teardown: two streams and a flood run through the director"

rmmod lvs_sched_rr 2>/dev/null
check_fail $? "the rr scheduler unloaded while a service uses it"
lsmod | grep -q '^lvs_sched_rr '
check_err $? "lvs_sched_rr is gone"
[ "$(active_conns)" = 2 ]
check_err $? "connections lost after the refused unload"
log_test "teardown: a scheduler in use refuses to unload"

# The namespace's state goes in the background, after the last user.
ip netns del "$PFX-d"
NAMESPACES=(c rs1 rs2)
busywait 20000 sched_unused rr
check_err $? "the deleted namespace still holds its scheduler"
log_test "teardown: deleting the director namespace under traffic"
cleanup

# A namespace's teardown waits for its own objects, not for everyone's:
# namespaces go one batch at a time, so one held by another namespace's
# steady RCU callbacks would hold every later one too. Here "o" churns
# while "g1" and then "g2" go; g2 has the only service using sed.
ns_add o
ns_add g1
ns_add g2
batch=$(mktemp)
churn o "$batch"
check_err $? "the churn does not start"
n g1 "$IPVSCTL" service add tcp 10.9.0.1:80 sched rr &&
	n g2 "$IPVSCTL" service add tcp 10.9.0.1:80 sched sed
check_err $? "configuration failed"
sleep 1
ip netns del "$PFX-g1"
sleep 1
ip netns del "$PFX-g2"
NAMESPACES=(o)
start=$(ms_now)
busywait 5000 sched_unused sed
check_err $? "g2 still holds sed after $(($(ms_now) - start)) ms, refs $(sched_refs sed)"
kill -0 "${BG_PIDS[@]}"
check_err $? "the churn stopped"
log_test "teardown: namespaces go while another one churns"
cleanup
rm -f "$batch"

start_traffic
sleep 1
ipvsctl service del tcp 10.0.0.1:90 && ipvsctl service del udp 10.0.0.1:90
check_err $? "service del failed"
# The streams and the flood still knock on the VIP while lvs goes away.
lvs_unload
check_err $? "unload failed: $(lsmod | grep lvs)"
! lsmod | grep -q '^lvs'
check_err $? "modules left: $(lsmod | grep lvs)"
log_test "teardown: unloading lvs under traffic"
cleanup

modprobe lvs
check_err $? "lvs does not load again"
log_test "teardown: lvs loads again after the unload"

exit $((FAILED > 0))
