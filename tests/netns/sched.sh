#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Real connections through each scheduler. The load-based ones (lc, wlc,
# sed, nq) must send a new connection away from a real server that holds
# an open one; wrr must follow its weights. Topology: nat_topology
# (lib.sh), responders on port 8080 of both real servers.

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

plan 14

trap cleanup EXIT

# ask_from ADDR PORT [N]: the names of the real servers that answer N
# (default 1) connections to VIP:PORT from client address ADDR, one line
# each ("none" for a connection without an answer).
ask_from()
{
	ask_to 10.0.0.1 "$@"
}

# ask_to VIP ADDR PORT [N]: the same to address VIP.
ask_to()
{
	n c "$LVSREQ" -n "${4:-1}" -b "$2" tcp "$1" "$3" 16 |
		cut -d ' ' -f 1
}

# ask PORT [N]: the same from the client's own address.
ask()
{
	ask_from 10.0.0.2 "$@"
}

# words: the lines of the standard input on one line.
words()
{
	echo $(cat)
}

# active_on PORT ADDR N: true once real server ADDR of VIP:PORT has N
# active connections.
active_on()
{
	[ "$(dest_conns 10.0.0.1:"$1" "$2" active)" = "$3" ]
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
	got=$(ask $port 2 | words)
	[ "$got" = "rs2 rs2" ]
	check_err $? "new connections went to: $got (want rs2 rs2); \
$(ipvsctl dest list tcp 10.0.0.1:$port)"
	log_test "sched $sched: new connections avoid the busy real server"
done

port=$((port + 1))
ipvsctl service add tcp 10.0.0.1:$port sched wrr &&
	ipvsctl dest add tcp 10.0.0.1:$port 10.0.1.2:8080 nat weight 2 &&
	ipvsctl dest add tcp 10.0.0.1:$port 10.0.2.2:8080 nat weight 1
check_err $? "configuration failed"
got=$(ask $port 6 | words)
[ "$got" = "rs1 rs1 rs2 rs1 rs1 rs2" ]
check_err $? "wrr 2:1 answers:$got"
log_test "sched wrr: weights 2:1 give rs1 rs1 rs2, repeated"

# service PORT SCHED W1 W2: a service over rs1 and rs2 with those weights.
service()
{
	ipvsctl service add tcp 10.0.0.1:"$1" sched "$2" &&
		ipvsctl dest add tcp 10.0.0.1:"$1" 10.0.1.2:8080 nat weight "$3" &&
		ipvsctl dest add tcp 10.0.0.1:"$1" 10.0.2.2:8080 nat weight "$4"
	check_err $? "configuration of $2 failed"
}

# hold PORT: open a connection to VIP:PORT that stays open.
hold()
{
	bg c sh -c "sleep 600 | socat - TCP:10.0.0.1:$1"
}

port=$((port + 1))
service $port fo 1 2
got=$(ask $port 3 | words)
[ "$got" = "rs2 rs2 rs2" ]
check_err $? "fo answers: $got"
ipvsctl dest del tcp 10.0.0.1:$port 10.0.2.2:8080
got=$(ask $port)
[ "$got" = rs1 ]
check_err $? "after removing rs2, fo answered: $got"
log_test "sched fo: the heaviest takes all, the next takes over"

# ovf: rs2 takes two active connections, then rs1 one, then nobody.
port=$((port + 1))
service $port ovf 1 2
hold $port
hold $port
busywait 10000 active_on $port 10.0.2.2 2
check_err $? "rs2 should hold two connections"
hold $port
busywait 10000 active_on $port 10.0.1.2 1
check_err $? "the third connection should overflow to rs1"
out=$(n c socat -u /dev/null TCP:10.0.0.1:$port,connect-timeout=5 2>&1)
check_fail $? "a fourth connection was accepted beyond capacity"
echo "$out" | grep -q -i refused
check_err $? "want connection refused, got: $out"
log_test "sched ovf: fills by weight, overflows, then refuses"

port=$((port + 1))
service $port twos 1 1
seen=$(ask $port 8 | words)
[ "$(wc -w <<<"$seen")" = 8 ] && grep -q rs1 <<<"$seen" &&
	grep -q rs2 <<<"$seen" && ! grep -q none <<<"$seen"
check_err $? "twos answers: $seen"
log_test "sched twos: every connection answered, by both servers"

# The hashing schedulers, from eight client addresses.
for i in $(seq 10 17); do
	n c ip addr add 10.0.0.$i/24 dev eth0
done

# Each client sticks to one real server; the clients spread over both.
for sched in sh mh; do
	port=$((port + 1))
	service $port $sched 1 1
	seen=
	for i in $(seq 10 17); do
		got=$(ask_from 10.0.0.$i $port 2 | words)
		case $got in
		"rs1 rs1" | "rs2 rs2") ;;
		*) check_err 1 "client 10.0.0.$i got: \"$got\"" ;;
		esac
		seen="$seen ${got% *}"
	done
	echo "$seen" | grep -q rs1 && echo "$seen" | grep -q rs2
	check_err $? "clients went to:$seen"
	log_test "sched $sched: a client sticks to one real server"
done

# With the source port in the hash, one client spreads too.
ipvsctl service change tcp 10.0.0.1:$port hash-port on
check_err $? "hash-port on failed"
seen=$(ask_from 10.0.0.10 $port 16 | words)
[ "$(wc -w <<<"$seen")" = 16 ] && grep -q rs1 <<<"$seen" &&
	grep -q rs2 <<<"$seen" && ! grep -q none <<<"$seen"
check_err $? "one client's connections went to: $seen"
log_test "sched mh: hash-port spreads one client's connections"

# The destination-keyed ones: every client of one destination address
# gets one server, and two addresses get both. One firewall-mark service
# per scheduler takes two VIPs of the director, 10.0.0.5 and 10.0.0.18
# (which dh's hash maps to rs2 and rs1), so that its scheduler sees both
# addresses; lblc and lblcr give the second address the server that the
# first one's connections left the less loaded.
n d ip addr add 10.0.0.5/32 dev c0 &&
	n d ip addr add 10.0.0.18/32 dev c0 &&
	n d nft -f - <<-EOF
	table ip lvstest {
		chain pre {
			type filter hook prerouting priority mangle;
			ip daddr { 10.0.0.5, 10.0.0.18 } tcp dport 80 meta mark set 1
			ip daddr { 10.0.0.5, 10.0.0.18 } tcp dport 81 meta mark set 2
			ip daddr { 10.0.0.5, 10.0.0.18 } tcp dport 82 meta mark set 3
		}
	}
	EOF
check_err $? "the VIPs or the marking rules failed"
mark=0
for sched in dh lblc lblcr; do
	mark=$((mark + 1))
	ipvsctl service add fwmark $mark sched $sched &&
		ipvsctl dest add fwmark $mark 10.0.1.2:8080 nat &&
		ipvsctl dest add fwmark $mark 10.0.2.2:8080 nat
	check_err $? "configuration of $sched failed"
	seen=
	for vip in 10.0.0.18 10.0.0.5; do
		got=$(for i in 10 11 12; do
			ask_to $vip 10.0.0.$i $((79 + mark))
		done | sort | uniq -c | awk '{ print $1, $2 }')
		case $got in
		"3 rs1" | "3 rs2") ;;
		*) check_err 1 "$sched, clients of $vip went to: $(echo $got)" ;;
		esac
		seen="$seen ${got#* }"
	done
	[ "$seen" = " rs1 rs2" ] || [ "$seen" = " rs2 rs1" ]
	check_err $? "$sched sent the two addresses to:$seen"
	log_test "sched $sched: each destination address sticks to one server"
done

exit $((FAILED > 0))
