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

# ask_to VIP PORT N ADDR...: in $got, the names of the real servers that
# answer N connections to VIP:PORT from each client address ADDR in turn,
# separated by spaces ("none" for a connection without an answer). One
# lvsreq for all the addresses, its lines read in bash (no cut).
ask_to()
{
	local vip=$1 port=$2 count=$3 addr out name opts=()

	shift 3
	for addr in "$@"; do
		opts+=(-b "$addr")
	done
	out=$(n c "$LVSREQ" -n "$count" "${opts[@]}" tcp "$vip" "$port" 16)
	got=
	while read -r name _; do
		got+=" $name"
	done <<<"$out"
	got=${got# }
}

# ask PORT [N]: the same to 10.0.0.1, N (default 1) connections from the
# client's own address.
ask()
{
	ask_to 10.0.0.1 "$1" "${2:-1}" 10.0.0.2
}

# active_on PORT ADDR N: true once real server ADDR of VIP:PORT has N
# active connections. One ipvsctl a poll, its lines read in bash (lib.sh
# dest_conns takes an awk more).
active_on()
{
	local out line

	out=$(ipvsctl dest list tcp 10.0.0.1:"$1") || return 1
	while read -r line; do
		[[ $line =~ ^"$2":[0-9]+\ .*\ active\ ([0-9]+) ]] &&
			[ "${BASH_REMATCH[1]}" = "$3" ] && return 0
	done <<<"$out"
	return 1
}

# service PORT SCHED [W1 W2]: a service over rs1 and rs2, with those
# weights if given; one ipvsctl for the three commands.
service()
{
	printf '%s\n' "service add tcp 10.0.0.1:$1 sched $2" \
		"dest add tcp 10.0.0.1:$1 10.0.1.2:8080 nat${3:+ weight $3}" \
		"dest add tcp 10.0.0.1:$1 10.0.2.2:8080 nat${4:+ weight $4}" |
		ipvsctl -b -
}

# hold PORT: open a connection to VIP:PORT that stays open: socat reads
# nap's FIFO, which nobody writes to (no "sleep | socat" in a shell, two
# processes more). Not through bg: a job started with & reads /dev/null
# unless its own command line redirects it.
hold()
{
	nap 0 || return 1
	n c socat - TCP:10.0.0.1:"$1" <&"$NAP_FD" &
	BG_PIDS+=($!)
}

nat_topology
for rs in rs1 rs2; do
	tcp_server $rs 8080 $rs
done
wait_listen rs1 tcp 8080 && wait_listen rs2 tcp 8080

port=100
for sched in lc wlc sed nq; do
	port=$((port + 1))
	service $port $sched
	check_err $? "configuration failed"
	# Idle servers tie and the first added wins: rs1 gets a connection
	# that stays open (the responder waits for the end of the request).
	hold $port
	busywait 10000 active_on $port 10.0.1.2 1
	check_err $? "the held connection is not active on rs1"
	ask $port 2
	# The real servers' counts only when they explain a failure.
	[ "$got" = "rs2 rs2" ] ||
		check_err 1 "new connections went to: $got (want rs2 rs2); \
$(ipvsctl dest list tcp 10.0.0.1:$port)"
	log_test "sched $sched: new connections avoid the busy real server"
done

port=$((port + 1))
service $port wrr 2 1
check_err $? "configuration failed"
ask $port 6
[ "$got" = "rs1 rs1 rs2 rs1 rs1 rs2" ]
check_err $? "wrr 2:1 answers:$got"
log_test "sched wrr: weights 2:1 give rs1 rs1 rs2, repeated"

port=$((port + 1))
service $port fo 1 2
check_err $? "configuration of fo failed"
ask $port 3
[ "$got" = "rs2 rs2 rs2" ]
check_err $? "fo answers: $got"
ipvsctl dest del tcp 10.0.0.1:$port 10.0.2.2:8080
ask $port
[ "$got" = rs1 ]
check_err $? "after removing rs2, fo answered: $got"
log_test "sched fo: the heaviest takes all, the next takes over"

# ovf: rs2 takes two active connections, then rs1 one, then nobody.
port=$((port + 1))
service $port ovf 1 2
check_err $? "configuration of ovf failed"
hold $port
hold $port
busywait 10000 active_on $port 10.0.2.2 2
check_err $? "rs2 should hold two connections"
hold $port
busywait 10000 active_on $port 10.0.1.2 1
check_err $? "the third connection should overflow to rs1"
out=$(n c socat -u /dev/null TCP:10.0.0.1:$port,connect-timeout=5 2>&1)
check_fail $? "a fourth connection was accepted beyond capacity"
[[ ${out,,} == *refused* ]]
check_err $? "want connection refused, got: $out"
log_test "sched ovf: fills by weight, overflows, then refuses"

port=$((port + 1))
service $port twos 1 1
check_err $? "configuration of twos failed"
ask $port 8
seen=$got words=($got)
[ ${#words[@]} = 8 ] && [[ $seen == *rs1* && $seen == *rs2* ]] &&
	[[ $seen != *none* ]]
check_err $? "twos answers: $seen"
log_test "sched twos: every connection answered, by both servers"

# The hashing schedulers, from eight client addresses.
cmds=()
for i in {10..17}; do
	cmds+=("addr add 10.0.0.$i/24 dev eth0")
done
ns_batch c "${cmds[@]}"

# Each client sticks to one real server; the clients spread over both.
for sched in sh mh; do
	port=$((port + 1))
	service $port $sched 1 1
	check_err $? "configuration of $sched failed"
	# Two connections from each client, client after client.
	ask_to 10.0.0.1 $port 2 10.0.0.{10..17}
	words=($got)
	seen=
	for i in {10..17}; do
		pair="${words[2 * (i - 10)]:-} ${words[2 * (i - 10) + 1]:-}"
		case $pair in
		"rs1 rs1" | "rs2 rs2") ;;
		*) check_err 1 "client 10.0.0.$i got: \"$pair\"" ;;
		esac
		seen="$seen ${pair% *}"
	done
	[[ $seen == *rs1* && $seen == *rs2* ]]
	check_err $? "clients went to:$seen"
	log_test "sched $sched: a client sticks to one real server"
done

# With the source port in the hash, one client spreads too.
ipvsctl service change tcp 10.0.0.1:$port hash-port on
check_err $? "hash-port on failed"
ask_to 10.0.0.1 $port 16 10.0.0.10
seen=$got words=($got)
[ ${#words[@]} = 16 ] && [[ $seen == *rs1* && $seen == *rs2* ]] &&
	[[ $seen != *none* ]]
check_err $? "one client's connections went to: $seen"
log_test "sched mh: hash-port spreads one client's connections"

# The destination-keyed ones: every client of one destination address
# gets one server, and two addresses get both. One firewall-mark service
# per scheduler takes two VIPs of the director, 10.0.0.5 and 10.0.0.18
# (which dh's hash maps to rs2 and rs1), so that its scheduler sees both
# addresses; lblc and lblcr give the second address the server that the
# first one's connections left the less loaded.
ns_batch d "addr add 10.0.0.5/32 dev c0" "addr add 10.0.0.18/32 dev c0" &&
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
	printf '%s\n' "service add fwmark $mark sched $sched" \
		"dest add fwmark $mark 10.0.1.2:8080 nat" \
		"dest add fwmark $mark 10.0.2.2:8080 nat" | ipvsctl -b -
	check_err $? "configuration of $sched failed"
	seen=
	for vip in 10.0.0.18 10.0.0.5; do
		# One connection from each of three clients, in turn.
		ask_to $vip $((79 + mark)) 1 10.0.0.10 10.0.0.11 10.0.0.12
		case $got in
		"rs1 rs1 rs1" | "rs2 rs2 rs2") ;;
		*) check_err 1 "$sched, clients of $vip went to: $got" ;;
		esac
		seen="$seen ${got##* }"
	done
	[ "$seen" = " rs1 rs2" ] || [ "$seen" = " rs2 rs1" ]
	check_err $? "$sched sent the two addresses to:$seen"
	log_test "sched $sched: each destination address sticks to one server"
done

exit $((FAILED > 0))
