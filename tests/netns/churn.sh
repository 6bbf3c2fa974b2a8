#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Configuration churn under traffic: while TCP and UDP requests run
# through the director, a batch of changes is applied over and over, as
# fast as ipvsctl goes: weights of one real server, deletion and addition
# of the other (without force, so its connections run out), scheduler
# switches. No request may fail: the real server that stays always has a
# weight, and a deleted one keeps its connections. The rate of changes
# is printed.
# Topology: nat_topology (lib.sh), both real servers on port 8080.

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

plan 3

VIP=10.0.0.1
REQUESTS=${LVS_CHURN_REQUESTS:-200}
# Changes in a batch: enough that starting ipvsctl (about 60 ms) is a
# small part of applying it.
BATCH=2000
WORK=$(mktemp -d)
trap 'cleanup; rm -rf "$WORK"' EXIT

setup()
{
	local proto rs

	nat_topology
	for rs in rs1 rs2; do
		tcp_server $rs 8080 $rs
		udp_server $rs 8080 $rs
	done
	wait_servers rs1 8080 && wait_servers rs2 8080 || return 1
	# Each service with its servers in one request (a batch joins them).
	for proto in tcp udp; do
		echo "service add $proto $VIP:80 sched wrr"
		echo "dest add $proto $VIP:80 10.0.1.2:8080 nat"
		echo "dest add $proto $VIP:80 10.0.2.2:8080 nat"
	done | ipvsctl -b -
}

# The batch: BATCH / 2 changes to each service, ending where it started.
batch()
{
	local i proto sched=(rr wlc wrr)

	for proto in tcp udp; do
		for i in $(seq 0 $((BATCH / 8 - 1))); do
			echo "dest change $proto $VIP:80 10.0.1.2:8080 weight $((i % 7 + 1))"
			echo "dest del $proto $VIP:80 10.0.2.2:8080"
			echo "dest add $proto $VIP:80 10.0.2.2:8080 nat weight $((i % 5 + 1))"
			echo "service change $proto $VIP:80 sched ${sched[i % 3]}"
		done
	done
}

setup
check_err $? "setup failed: $(ipvsctl service list)"
batch >"$WORK/batch"
n d "$IPVSCTL" -b "$WORK/batch"
check_err $? "the batch does not apply"
log_test "churn: TCP and UDP services, a batch of $BATCH changes applies"

# Apply the batch until told to stop; count the rounds.
n d sh -c 'n=0
	while [ ! -e "$1/stop" ]; do
		"$2" -b "$1/batch" || exit 1
		n=$((n + 1))
		echo $n >"$1/rounds"
	done' churn "$WORK" "$IPVSCTL" &
churner=$!
start=$(ms_now)
n c "$LVSREQ" -n "$REQUESTS" tcp $VIP 80 1000 >"$WORK/tcp.out" &
tcp=$!
n c "$LVSREQ" -n "$REQUESTS" udp $VIP 80 1000 >"$WORK/udp.out"
wait $tcp
touch "$WORK/stop"
wait $churner
check_err $? "a change failed during the churn"
ms=$(($(ms_now) - start))
changes=$(($(cat "$WORK/rounds" 2>/dev/null || echo 0) * BATCH))
rate=$((changes * 1000 / (ms + 1)))
echo "churn: $changes changes in $ms ms ($rate/s) beside $REQUESTS TCP and" \
	"$REQUESTS UDP requests"
[ "$changes" -ge $((2 * BATCH)) ]
check_err $? "only $changes changes were made"
log_test "churn: $changes changes ($rate/s) applied during the traffic"

ok=$(cat "$WORK/tcp.out" "$WORK/udp.out" | grep -c -E '^rs[12] ok$')
[ "$ok" = $((2 * REQUESTS)) ]
check_err $? "$ok of $((2 * REQUESTS)) requests answered intact: $(grep -v ' ok$' "$WORK"/*.out | head -3)"
grep -q '^rs2 ok$' "$WORK/tcp.out" && grep -q '^rs1 ok$' "$WORK/tcp.out"
check_err $? "requests did not reach both real servers"
log_test "churn: every request during the churn answered intact"

exit $((FAILED > 0))
