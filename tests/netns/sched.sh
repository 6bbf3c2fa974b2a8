#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Real connections through each scheduler. The load-based ones (lc, wlc,
# sed, nq) must send a new connection away from a real server that holds
# an open one; wrr must follow its weights. Topology: nat_topology
# (lib.sh), responders on port 8080 of both real servers.

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

trap cleanup EXIT

# ask PORT: the name of the real server that answers a request to VIP:PORT.
ask()
{
	local reply

	reply=$(echo hello | n c socat -t 30 -T 30 - TCP:10.0.0.1:"$1")
	echo "${reply%%$'\n'*}"
}

# active_on PORT ADDR N: true once real server ADDR of VIP:PORT has N
# active connections.
active_on()
{
	ipvsctl -j dest list tcp 10.0.0.1:"$1" | python3 -c "
import json, sys
d = [x for x in json.load(sys.stdin) if x['address'] == '$2']
sys.exit(0 if d and d[0]['active_conns'] == $3 else 1)"
}

nat_topology
for rs in rs1 rs2; do
	tcp_server $rs 8080 $rs
done
wait_listen rs1 tcp 8080 && wait_listen rs2 tcp 8080

port=100
for sched in lc wlc sed nq; do
	port=$((port + 1))
	ipvsctl service add tcp 10.0.0.1:$port sched $sched &&
		ipvsctl dest add tcp 10.0.0.1:$port 10.0.1.2:8080 nat &&
		ipvsctl dest add tcp 10.0.0.1:$port 10.0.2.2:8080 nat
	check_err $? "configuration failed"
	# Idle servers tie and the first added wins: rs1 gets a connection
	# that stays open (the responder waits for the end of the request).
	bg c sh -c "sleep 600 | socat - TCP:10.0.0.1:$port"
	busywait 10000 active_on $port 10.0.1.2 1
	check_err $? "the held connection is not active on rs1"
	got="$(ask $port) $(ask $port)"
	[ "$got" = "rs2 rs2" ]
	check_err $? "new connections went to: $got (want rs2 rs2)"
	log_test "sched $sched: new connections avoid the busy real server"
done

port=$((port + 1))
ipvsctl service add tcp 10.0.0.1:$port sched wrr &&
	ipvsctl dest add tcp 10.0.0.1:$port 10.0.1.2:8080 nat weight 2 &&
	ipvsctl dest add tcp 10.0.0.1:$port 10.0.2.2:8080 nat weight 1
check_err $? "configuration failed"
got=
for i in 1 2 3 4 5 6; do
	got="$got $(ask $port)"
done
[ "$got" = " rs1 rs1 rs2 rs1 rs1 rs2" ]
check_err $? "wrr 2:1 answers:$got"
log_test "sched wrr: weights 2:1 give rs1 rs1 rs2, repeated"

exit $((FAILED > 0))
