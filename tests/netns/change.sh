#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Changes to a live service: a transfer in flight survives scheduler
# switches and weight changes, and only new connections follow them;
# connection thresholds keep new connections off an overloaded real
# server. Topology: nat_topology (lib.sh), responders on 8080.

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

plan 2

WORK=$(mktemp -d)
trap 'cleanup; rm -rf "$WORK"' EXIT

VIP=10.0.0.1

# ask PORT: the name of the real server that answers a request to VIP:PORT.
ask()
{
	local reply

	reply=$(echo hello | n c socat -t 30 -T 30 - TCP:$VIP:"$1")
	echo "${reply%%$'\n'*}"
}

# conns_on PORT ADDR N: true once real server ADDR of VIP:PORT has N
# connections (active or not).
conns_on()
{
	[ "$(dest_conns $VIP:"$1" "$2")" = "$3" ]
}

nat_topology
for rs in rs1 rs2; do
	tcp_server $rs 8080 $rs
done
wait_listen rs1 tcp 8080 && wait_listen rs2 tcp 8080

# A transfer of 24 chunks of 32 KiB to rs1 (rr's first pick), while the
# service is reconfigured under it: 23 chunks, one every 0.25 s, then the
# last once the test opens the gate (makes a file) after the changes. So
# the transfer cannot end before they are all made, however slow they
# are, and the gate cannot miss a sender that is slower still.
port=90
ipvsctl service add tcp $VIP:$port sched rr &&
	ipvsctl dest add tcp $VIP:$port 10.0.1.2:8080 nat &&
	ipvsctl dest add tcp $VIP:$port 10.0.2.2:8080 nat
check_err $? "configuration failed"
head -c $((24 * 32768)) /dev/urandom > "$WORK/payload"
sum=$(sha256sum < "$WORK/payload" | cut -d' ' -f1)
n c sh -c "{ for i in \$(seq 0 22); do
		dd if=$WORK/payload bs=32768 skip=\$i count=1 status=none
		sleep 0.25
	done
	while [ ! -e $WORK/gate ]; do sleep 0.1; done
	dd if=$WORK/payload bs=32768 skip=23 count=1 status=none
	} | socat -t 30 -T 600 - TCP:$VIP:$port > $WORK/reply" &
transfer=$!
busywait 10000 conns_on $port 10.0.1.2 1
check_err $? "the transfer did not start on rs1"

for change in "service change tcp $VIP:$port sched wrr" \
	"dest change tcp $VIP:$port 10.0.1.2:8080 weight 5" \
	"service change tcp $VIP:$port sched wlc" \
	"dest change tcp $VIP:$port 10.0.1.2:8080 weight 0"; do
	ipvsctl $change
	check_err $? "ipvsctl $change failed"
done
ipvsctl -j service list | grep -q '"wlc"'
check_err $? "the scheduler is not wlc: $(ipvsctl service list)"
# rs1 drains: new connections go to rs2 while the transfer goes on.
got="$(ask $port) $(ask $port) $(ask $port)"
[ "$got" = "rs2 rs2 rs2" ]
check_err $? "with rs1 at weight 0, new connections went to: $got"
ipvsctl service change tcp $VIP:$port sched mh &&
	ipvsctl dest change tcp $VIP:$port 10.0.1.2:8080 weight 1
check_err $? "switch to mh failed"

# Still in flight after the last change: the gate lets the last chunk go.
# It opens whatever the check says, so the transfer always ends.
kill -0 $transfer 2>/dev/null && conns_on $port 10.0.1.2 1
check_err $? "the transfer ended before the changes were done"
touch "$WORK/gate"
wait $transfer
set -- $(cat "$WORK/reply")
[ "${1:-}" = rs1 ] && [ "${2:-}" = "$sum" ]
check_err $? "transfer reply: $(head -c 200 "$WORK/reply"), want rs1 $sum"
log_test "change: a transfer survives scheduler and weight changes"

# Thresholds: rs1 takes one connection at most; with it held, rr sends
# every new connection to rs2; lifting the limit brings rs1 back.
port=91
ipvsctl service add tcp $VIP:$port sched rr &&
	ipvsctl dest add tcp $VIP:$port 10.0.1.2:8080 nat uthreshold 1 &&
	ipvsctl dest add tcp $VIP:$port 10.0.2.2:8080 nat
check_err $? "configuration failed"
bg c sh -c "sleep 600 | socat - TCP:$VIP:$port"
busywait 10000 conns_on $port 10.0.1.2 1
check_err $? "the held connection is not on rs1"
ipvsctl -j dest list tcp $VIP:$port | grep -q '"overloaded": *true'
check_err $? "rs1 is not marked overloaded: $(ipvsctl dest list tcp $VIP:$port)"
got="$(ask $port) $(ask $port) $(ask $port)"
[ "$got" = "rs2 rs2 rs2" ]
check_err $? "with rs1 overloaded, new connections went to: $got"
ipvsctl dest change tcp $VIP:$port 10.0.1.2:8080 uthreshold 0
check_err $? "lifting the threshold failed"
got="$(ask $port) $(ask $port)"
echo "$got" | grep -q rs1
check_err $? "rs1 got nothing once its threshold was lifted: $got"
log_test "change: an overloaded real server gets no new connections"

exit $((FAILED > 0))
