#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Services of more than one port: firewall marks, all ports of a VIP
# (port 0), and persistence, which keeps a client on one real server
# across connections and ports. The topology is nat_topology in lib.sh,
# with more addresses on the director's client side:
#
#   10.0.0.100  fwmark 7: TCP 80 and 443 marked by nftables, rr
#   10.0.0.101  tcp and udp port 0 (all ports), rr; tcp 443 on its own
#   10.0.0.102  fwmark 8: TCP 80 and 443, rr, persistent
#   10.0.0.103  the same through the kernel's ip_vs (fwmark 9, ipvsadm)
#
# The client also holds 10.0.0.3, a second client address. Each real
# server answers on ports 80, 443 and 5353 (UDP) with its name and port,
# so every answer shows where the connection went and that the port was
# kept. The director answers on TCP 8080 itself, as "director": what no
# service takes reaches it.

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

plan 16

WORK=$(mktemp -d)
trap 'cleanup; ipvs_ref && modprobe -r ip_vs_rr ip_vs 2>/dev/null
	rm -rf "$WORK"' EXIT

setup()
{
	local rs port

	nat_topology
	ns_batch d "addr add 10.0.0.100/32 dev c0" \
		"addr add 10.0.0.101/32 dev c0" "addr add 10.0.0.102/32 dev c0" \
		"addr add 10.0.0.103/32 dev c0"
	n c ip addr add 10.0.0.3/24 dev eth0
	for rs in rs1 rs2; do
		for port in 80 443; do
			tcp_server $rs $port $rs-$port
		done
		udp_server $rs 5353 $rs-5353
	done
	tcp_server d 8080 director
	n d nft -f - <<-EOF
	table ip lvstest {
		chain pre {
			type filter hook prerouting priority mangle;
			ip daddr 10.0.0.100 tcp dport { 80, 443 } meta mark set 7
			ip daddr 10.0.0.102 tcp dport { 80, 443 } meta mark set 8
			ip daddr 10.0.0.103 tcp dport { 80, 443 } meta mark set 9
		}
	}
	EOF
	check_err $? "nftables marking rules failed"
	for rs in rs1 rs2; do
		busywait 5000 rs_listening $rs
		check_err $? "$rs is not listening on TCP 80, 443 and UDP 5353"
	done
	wait_listen d tcp 8080
	check_err $? "the director is not listening on TCP 8080"
	log_test "multiport: topology, servers and marking rules are up"
}

# rs_listening RS: RS listens on TCP 80 and 443 and UDP 5353 (one ss).
rs_listening()
{
	local out line tcp80= tcp443= udp=

	out=$(ss -N "$PFX-$1" -Htuln) || return 1
	while read -r line; do
		case $line in
		tcp\ *:80\ *) tcp80=1 ;;
		tcp\ *:443\ *) tcp443=1 ;;
		udp\ *:5353\ *) udp=1 ;;
		esac
	done <<<"$out"
	[ -n "$tcp80" ] && [ -n "$tcp443" ] && [ -n "$udp" ]
}

# ask PROTO VIP PORT [SRC]: one request of 2000 random bytes from the
# client (over TCP from address SRC if given); prints
# "<server>-<port> <ok|bad>". One lvsreq, which checks the sha256 the
# server returns ("none bad" without an answer).
ask()
{
	n c "$LVSREQ" ${4:+-b "$4"} "$1" "$2" "$3" 2000
}

# answers PROTO VIP SRC PORT...: the answers to one request per PORT, in
# order, on one line; all from one lvsreq, which takes the ports as a list.
answers()
{
	local proto=$1 vip=$2 src=$3 ports out

	shift 3
	ports=$*
	out=$(n c "$LVSREQ" ${src:+-b "$src"} "$proto" "$vip" "${ports// /,}" \
		2000)
	echo "${out//$'\n'/ }"
}

# expect WHAT GOT WANT
expect()
{
	[ "$2" = "$3" ]
	check_err $? "$1: got \"$2\", want \"$3\""
}

# placed VIP WHO: persistence at the fwmark service of VIP (WHO: lvs or
# ip_vs) keeps client 10.0.0.2 on one server across four connections to
# ports 80 and 443, and client 10.0.0.3 on the other across two.
placed()
{
	local a b first other

	a=$(answers tcp "$1" 10.0.0.2 80 443 80 443)
	first=${a%%-*}
	expect "$2, client 10.0.0.2, four connections" "$a" \
		"$first-80 ok $first-443 ok $first-80 ok $first-443 ok"
	b=$(answers tcp "$1" 10.0.0.3 443 80)
	other=${b%%-*}
	expect "$2, client 10.0.0.3, two connections" "$b" \
		"$other-443 ok $other-80 ok"
	[ "$first" != "$other" ]
	check_err $? "$2: both clients went to $first: the second was not scheduled"
}

setup

# --- firewall marks ---------------------------------------------------------

printf '%s\n' "service add fwmark 7 sched rr" \
	"dest add fwmark 7 10.0.1.2 nat" "dest add fwmark 7 10.0.2.2 nat" |
	ipvsctl -b -
check_err $? "fwmark 7 configuration failed"
out=$(ipvsctl service list)
[[ $'\n'$out$'\n' == *$'\n'"fwmark 7 sched rr"$'\n'* ]]
check_err $? "service list shows: $out"
log_test "fwmark: a firewall-mark service with two real servers"

got=$(answers tcp 10.0.0.100 "" 80 443 80)
expect "fwmark 7, ports 80 443 80" "$got" "rs1-80 ok rs2-443 ok rs1-80 ok"
log_test "fwmark: marked ports share one rr service, each port kept"

# Taken by the service, it would go to a real server's 8080, where nothing
# listens; left alone, it reaches the director's own 8080. Either way the
# service must not count it nor hold an entry for it.
fwmark_conns()
{
	local out line

	out=$(ipvsctl -s service list) || return 1
	while IFS= read -r line; do
		[[ $line =~ ^fwmark\ 7\ .*\ conns\ ([0-9]+) ]] &&
			echo "${BASH_REMATCH[1]}" && return 0
	done <<<"$out"
	return 1
}
before=$(fwmark_conns)
got=$(ask tcp 10.0.0.100 8080)
[ "$got" = "director ok" ]
check_err $? "unmarked port 8080 answered: $got, want director ok"
after=$(fwmark_conns)
[ -n "$before" ] && [ "$before" = "$after" ]
check_err $? "fwmark 7 counted connections: $before before, $after after"
out=$(ipvsctl conn list)
[[ $out != *":8080 "* ]]
check_err $? "entries for port 8080: $out"
log_test "fwmark: an unmarked port is not the service's"

# --- all ports ---------------------------------------------------------------

printf '%s\n' "service add tcp 10.0.0.101:0 sched rr" \
	"dest add tcp 10.0.0.101:0 10.0.1.2" \
	"dest add tcp 10.0.0.101:0 10.0.2.2" \
	"service add udp 10.0.0.101:0 sched rr" \
	"dest add udp 10.0.0.101:0 10.0.1.2" \
	"dest add udp 10.0.0.101:0 10.0.2.2" | ipvsctl -b -
check_err $? "port 0 configuration failed"
got=$(answers tcp 10.0.0.101 "" 80 443)
expect "tcp 10.0.0.101:0, ports 80 443" "$got" "rs1-80 ok rs2-443 ok"
got=$(answers udp 10.0.0.101 "" 5353 5353)
expect "udp 10.0.0.101:0, port 5353 twice" "$got" \
	"rs1-5353 ok rs2-5353 ok"
log_test "all ports: port 0 takes every port, TCP and UDP, ports kept"

# The director's own connection from the same address: the answers of
# the server it calls belong to no lvs connection and cannot open one,
# and the every-port service must leave them to the local stack.
tcp_server c 7000 client
wait_listen c tcp 7000
check_err $? "the client is not listening on TCP 7000"
got=$(n d socat -T 10 - TCP:10.0.0.2:7000,bind=10.0.0.101 <<<x 2>&1 |
	head -n 1)
[ "$got" = client ]
check_err $? "the director's own connection from 10.0.0.101 got: $got"
log_test "all ports: the director's own connections from the VIP work"

printf '%s\n' "service add tcp 10.0.0.101:443 sched rr" \
	"dest add tcp 10.0.0.101:443 10.0.2.2" | ipvsctl -b -
check_err $? "tcp 10.0.0.101:443 configuration failed"
got=$(answers tcp 10.0.0.101 "" 443 80 443 80)
expect "443 on its own, 80 to all ports" "$got" \
	"rs2-443 ok rs1-80 ok rs2-443 ok rs2-80 ok"
log_test "all ports: a service of its own port comes first"

# --- persistence --------------------------------------------------------------

printf '%s\n' "service add fwmark 8 sched rr persistent 600" \
	"dest add fwmark 8 10.0.1.2" "dest add fwmark 8 10.0.2.2" |
	ipvsctl -b -
check_err $? "fwmark 8 configuration failed"
placed 10.0.0.102 lvs
log_test "persistence: each client stays on one server across ports"

# Both clients now count as one; templates keyed by the old mask lapse.
ipvsctl service change fwmark 8 netmask 255.255.255.0
check_err $? "netmask change failed"
out=$(ipvsctl service list)
[[ $'\n'$out$'\n' == *$'\n'"fwmark 8 sched rr persistent 600 netmask 255.255.255.0"$'\n'* ]]
check_err $? "service list shows: $out"
a=$(answers tcp 10.0.0.102 10.0.0.2 80 443)
b=$(answers tcp 10.0.0.102 10.0.0.3 80 443)
first=${a%%-*}
expect "10.0.0.0/24 as one client" "$a $b" \
	"$first-80 ok $first-443 ok $first-80 ok $first-443 ok"
log_test "persistence: a netmask makes a subnet one client"

# Draining the server the subnet is bound to moves it on: no new
# connections for a drained server, persistent clients included.
addr=10.0.1.2
[ "$first" = rs2 ] && addr=10.0.2.2
ipvsctl dest change fwmark 8 $addr weight 0
check_err $? "drain of $addr failed"
a=$(answers tcp 10.0.0.102 10.0.0.2 80 443)
moved=${a%%-*}
expect "after draining $first" "$a" "$moved-80 ok $moved-443 ok"
[ "$moved" != "$first" ]
check_err $? "the client stayed on drained $first"
log_test "persistence: a drained server's clients are scheduled afresh"

# With persist-drained on (ip_vs's default, checked below), a drained
# server keeps the clients bound to it; removed, it loses them.
maddr=10.0.1.2
[ "$moved" = rs2 ] && maddr=10.0.2.2
printf '%s\n' "service change fwmark 8 persist-drained on" \
	"dest change fwmark 8 $addr weight 1" \
	"dest change fwmark 8 $maddr weight 0" | ipvsctl -b -
check_err $? "persist-drained on and drain of $maddr failed"
out=$(ipvsctl service list)
[[ $'\n'$out$'\n' =~ $'\n'"fwmark 8 "[^$'\n']*" persist-drained on"$'\n' ]]
check_err $? "service list shows: $out"
a=$(answers tcp 10.0.0.102 10.0.0.2 80 443)
expect "persist-drained on, $moved drained" "$a" "$moved-80 ok $moved-443 ok"
ipvsctl dest del fwmark 8 $maddr
check_err $? "removing $maddr failed"
a=$(answers tcp 10.0.0.102 10.0.0.2 80 443)
expect "persist-drained on, $moved removed" "$a" "$first-80 ok $first-443 ok"
printf '%s\n' "service change fwmark 8 persist-drained off" \
	"dest add fwmark 8 $maddr" | ipvsctl -b -
check_err $? "restoring $maddr failed"
log_test "persist-drained: a drained server keeps clients, a removed one not"

ipvsctl service change fwmark 8 persistent 0
check_err $? "turning persistence off failed"
ipvsctl dest change fwmark 8 $addr weight 1
got=$(answers tcp 10.0.0.102 10.0.0.2 80 80)
case $got in
"rs1-80 ok rs2-80 ok" | "rs2-80 ok rs1-80 ok") ;;
*) check_err 1 "without persistence: got \"$got\"" ;;
esac
log_test "persistence: turned off, the same client is balanced again"

# Persistence outlives the client's last connection by its timeout, then
# ends. Closing TCP states end fast here, so the template is soon alone;
# the connections of the tests above (which would hold it for their own
# TIME_WAIT) are flushed first. 8 s, so that the template outlives the
# gap between the two connections even in a debug guest on a busy host
# (3 s did not).
printf '%s\n' "conn flush fwmark 8" \
	"timeout set tcp FIN_WAIT 1 CLOSE_WAIT 1 TIME_WAIT 1 CLOSE 1" \
	"service change fwmark 8 persistent 8" | ipvsctl -b -
check_err $? "short timeouts failed"
a=$(answers tcp 10.0.0.102 10.0.0.2 80 443)
first=${a%%-*}
expect "persistent 8, two connections" "$a" "$first-80 ok $first-443 ok"
out=$(ipvsctl conn list)
[[ $out == *" template "* ]]
check_err $? "no template after the connections: $out"
# no_template: neither a template nor an entry of 10.0.0.102 is left.
no_template()
{
	out=$(ipvsctl conn list) &&
		[[ $out != *" template "* && $out != *" vip 10.0.0.102:"* ]]
}
# The template outlives the connections by 8 s: polling before 5 s of
# them would only cost processes.
nap 5
busywait 20000 no_template
check_err $? "the template did not expire: $out"
b=$(answers tcp 10.0.0.102 10.0.0.2 80)
[ "${b%%-*}" != "$first" ] && [ "${b#* }" = ok ]
check_err $? "after expiry the client was not scheduled afresh: $b"
log_test "persistence: the binding ends its timeout after the last connection"

# --- the kernel's ip_vs, side by side ---------------------------------------

if ipvs_ref; then
	modprobe -a ip_vs ip_vs_rr
	check_err $? "cannot load ip_vs"
	printf '%s\n' "-A -f 9 -s rr -p 600" "-a -f 9 -r 10.0.1.2 -m" \
		"-a -f 9 -r 10.0.2.2 -m" | n d ipvsadm -R
	check_err $? "ipvsadm configuration failed"
	placed 10.0.0.103 ip_vs
	log_test "ip_vs: the same fwmark persistence gives the same placement"

	# ip_vs's default (expire_quiescent_template 0) is persist-drained.
	a=$(answers tcp 10.0.0.103 10.0.0.2 80)
	first=${a%%-*}
	addr=10.0.1.2
	[ "$first" = rs2 ] && addr=10.0.2.2
	n d ipvsadm -e -f 9 -r $addr -m -w 0
	check_err $? "ipvsadm -e -w 0 failed"
	a=$(answers tcp 10.0.0.103 10.0.0.2 80 443)
	expect "ip_vs, $first drained" "$a" "$first-80 ok $first-443 ok"
	n d ipvsadm -d -f 9 -r $addr
	check_err $? "ipvsadm -d failed"
	a=$(answers tcp 10.0.0.103 10.0.0.2 80)
	[ "${a%%-*}" != "$first" ] && [ "${a#* }" = ok ]
	check_err $? "ip_vs, $first removed: the client got $a"
	log_test "ip_vs: a drained server keeps persistent clients, a removed one not"
	n d ipvsadm -C
else
	ipvs_skip "ip_vs: the same fwmark persistence gives the same placement"
	ipvs_skip "ip_vs: a drained server keeps persistent clients, a removed one not"
fi

# Deleted without force their connections and templates would run out.
printf 'service del %s force\n' "fwmark 7" "fwmark 8" "tcp 10.0.0.101:0" \
	"udp 10.0.0.101:0" "tcp 10.0.0.101:443" | ipvsctl -b -
check_err $? "service del failed"
out=$(ipvsctl -j info)
[[ $out == *'"conn_count":0'[,}]* ]]
check_err $? "entries left after deleting every service: $out"
log_test "multiport: deleting the services with force frees entries and templates"

exit $((FAILED > 0))
