#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Compatibility mode (lvs ipvs_compat=1): Debian's keepalived, unmodified,
# runs the director through the "IPVS" netlink family. Its health checker
# alone (-C) runs in the director's namespace with a configuration of four
# virtual servers on the VIP, each checked with real traffic from the
# client:
#   80  rr NAT, two real servers under TCP_CHECK;
#   81  rr NAT, two real servers under HTTP_GET (busybox httpd);
#   82  two real servers that never answer, and a sorry server;
#   83  two real servers with inhibit_on_failure, checked on another port
#       than the one they serve (connect_port), so that a failed check
#       leaves the service itself running.
# Topology: nat_topology (lib.sh).

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
plan 8

WORK=$(mktemp -d)
VIP=10.0.0.1
CONF=$WORK/keepalived.conf
KLOG=$WORK/keepalived.log

restore()
{
	# keepalived removes what it made when it stops.
	[ -z "${KEEPALIVED:-}" ] || ns_stop d keepalived
	n d ipvsadm -C 2>/dev/null
	if [ "$FAILED" -gt 0 ] || [ "${LVS_VERBOSE:-0}" = 1 ]; then
		echo "# keepalived's log:"
		sed 's/^/# /' "$KLOG" 2>/dev/null
	fi
	cleanup
	lvs_reload keepalived
	rm -rf "$WORK"
}
trap restore EXIT

# real_server ADDR PORT WEIGHT CHECK [OPTIONS]: a real_server block
# (printf: a here-document through cat would be a process).
real_server()
{
	printf '%s\n' "    real_server $1 $2 {" "        weight $3" \
		"        ${5:-}" "        $4" "    }"
}

# virtual_server PORT DELAY [OPTIONS]: the head of a NAT rr
# virtual_server on the VIP, checked every DELAY seconds; its real servers
# and a closing brace follow. Each check is a connection, and each answer
# a fork on a real server: the debug guest has no CPU to spare.
virtual_server()
{
	printf '%s\n' "virtual_server $VIP $1 {" "    delay_loop $2" \
		"    lb_algo rr" "    lb_kind NAT" "    protocol TCP" "    ${3:-}"
}

TCP_CHECK='TCP_CHECK { connect_timeout 1 retry 0 }'
HTTP_GET='HTTP_GET { url { path /index.html status_code 200 } connect_timeout 1 retry 0 }'
HEALTH='TCP_CHECK { connect_port 9083 connect_timeout 1 retry 0 }'

# write_conf [WEIGHT81]: keepalived's configuration, the weight of rs1's
# HTTP real server WEIGHT81 (default 1).
write_conf()
{
	{
		virtual_server 80 1
		real_server 10.0.1.2 8080 1 "$TCP_CHECK"
		real_server 10.0.2.2 8080 1 "$TCP_CHECK"
		echo "}"
		virtual_server 81 2
		real_server 10.0.1.2 8081 "${1:-1}" "$HTTP_GET"
		real_server 10.0.2.2 8081 1 "$HTTP_GET"
		echo "}"
		virtual_server 82 2 "sorry_server 10.0.2.2 8090"
		real_server 10.0.1.2 8082 1 "$TCP_CHECK"
		real_server 10.0.2.2 8082 1 "$TCP_CHECK"
		echo "}"
		virtual_server 83 1
		real_server 10.0.1.2 8080 1 "$HEALTH" inhibit_on_failure
		real_server 10.0.2.2 8080 1 "$HEALTH" inhibit_on_failure
		echo "}"
	} >"$CONF.new" && mv "$CONF.new" "$CONF"
}

# dests PORT: the real servers of VIP:PORT as "ADDR:PORT WEIGHT ACTIVE
# CONNS" lines: a destination removed and added again starts its counter
# of connections from 0, and has none active. Read in bash: busywait
# polls it, and each process costs the debug guest a good part of a
# second.
dests()
{
	local out line w a c word

	out=$(ipvsctl -s dest list tcp $VIP:"$1" 2>/dev/null) || return 0
	while read -ra line; do
		[ ${#line[@]} -gt 0 ] || continue
		w= a= c=
		for ((word = 1; word < ${#line[@]} - 1; word++)); do
			case ${line[word]} in
			weight) w=${line[word + 1]} ;;
			active) a=${line[word + 1]} ;;
			conns) c=${line[word + 1]} ;;
			esac
		done
		echo "${line[0]} $w $a $c"
	done <<<"$out"
}

# dest_addrs PORT: the real servers of VIP:PORT, "ADDR:PORT" sorted on
# one line (each followed by a space).
dest_addrs()
{
	local addrs=() addr rest i j t

	while read -r addr rest; do
		[ -n "$addr" ] && addrs+=("$addr")
	done <<<"$(dests "$1")"
	# An insertion sort: a few real servers.
	for ((i = 1; i < ${#addrs[@]}; i++)); do
		for ((j = i; j > 0; j--)); do
			[[ ${addrs[j - 1]} > ${addrs[j]} ]] || break
			t=${addrs[j]} addrs[j]=${addrs[j - 1]} addrs[j - 1]=$t
		done
	done
	[ ${#addrs[@]} -eq 0 ] || printf '%s ' "${addrs[@]}"
}

# has_dests PORT "ADDR:PORT ...": true once those (sorted) are VIP:PORT's
# real servers.
has_dests()
{
	[ "$(dest_addrs "$1")" = "$2" ]
}

# ipvsadm_dests PORT: what ipvsadm -Ln lists of VIP:PORT's real servers:
# "ADDR:PORT FORWARD WEIGHT" lines.
ipvsadm_dests()
{
	local out arrow addr fwd weight rest

	out=$(n d ipvsadm -Ln -t $VIP:"$1") || return 0
	while read -r arrow addr fwd weight rest; do
		[ "$arrow" = "->" ] && [ "$addr" != RemoteAddress:Port ] &&
			echo "$addr $fwd $weight"
	done <<<"$out"
}

# has_active PORT N: true once VIP:PORT's real servers have N active
# connections in all.
has_active()
{
	local addr w a c sum=0

	while read -r addr w a c; do
		sum=$((sum + ${a:-0}))
	done <<<"$(dests "$1")"
	[ "$sum" = "$2" ]
}

# has_weight PORT ADDR:PORT WEIGHT: true once ipvsadm lists that real
# server of VIP:PORT with WEIGHT.
has_weight()
{
	local line got=

	while IFS= read -r line; do
		[[ $line == "$2 "* ]] && got="$got${got:+$'\n'}$line"
	done <<<"$(ipvsadm_dests "$1")"
	[ "$got" = "$2 Masq $3" ]
}

# listener NS PORT: the process that listens on TCP PORT in NS.
listener()
{
	local out

	out=$(ss -N "$PFX-$1" -Htlnp "sport = :$2") &&
		[[ $out =~ pid=([0-9]+), ]] && echo "${BASH_REMATCH[1]}"
}

# stop_listener NS PORT: the server on TCP PORT in NS stops (its
# connections in progress, served by its children, go on).
stop_listener()
{
	local pid

	pid=$(listener "$1" "$2")
	[ -n "$pid" ] && kill "$pid" && busywait 5000 procs_gone "$pid"
}

# reloaded N: true once keepalived's checker has been through N reloads
# and made its changes to the virtual servers.
reloaded()
{
	local line count=0

	while IFS= read -r line; do
		[[ $line == *"Reload complete"* ]] && count=$((count + 1))
	done <"$KLOG"
	[ "$count" -ge "$1" ]
}

# servers_listening NS PORT...: NS listens on each TCP PORT (one ss).
servers_listening()
{
	local ns=$1 out port

	shift
	out=$(ss -N "$PFX-$ns" -Htln) || return 1
	for port in "$@"; do
		[[ $out == *":$port "* ]] || return 1
	done
}

nat_topology
mkdir "$WORK/rs1" "$WORK/rs2"
for rs in rs1 rs2; do
	tcp_server $rs 8080 $rs
	# One connection after the other: no fork per check.
	bg $rs "$LVSRESP" -1 tcp 9083 health
	echo "$rs" >"$WORK/$rs/index.html"
	bg $rs busybox httpd -f -p 8081 -h "$WORK/$rs"
done
tcp_server rs2 8090 sorry
busywait 5000 servers_listening rs1 8080 9083 8081 &&
	busywait 5000 servers_listening rs2 8080 9083 8081
check_err $? "the real servers do not listen on 8080, 9083 and 8081"
busywait 5000 servers_listening rs2 8090
check_err $? "the sorry server does not listen"

lvs_unload_idle || check_err $? "cannot unload lvs: $(lsmod | grep '^lvs')"
modprobe lvs ipvs_compat=1
check_err $? "cannot load lvs with ipvs_compat=1"

# keepalived configures lvs: ipvsctl and ipvsadm list its services, and
# both real servers answer on ports 80 and 81.
write_conf
bg d keepalived -n -C -l -D -G -f "$CONF" -p "$WORK/keepalived.pid" \
	-c "$WORK/checkers.pid" >"$KLOG" 2>&1
KEEPALIVED=1
busywait 10000 has_dests 80 "10.0.1.2:8080 10.0.2.2:8080 " &&
	busywait 10000 has_dests 81 "10.0.1.2:8081 10.0.2.2:8081 " &&
	busywait 10000 has_dests 83 "10.0.1.2:8080 10.0.2.2:8080 " ||
	check_err $? "keepalived did not set up the services: $(dests 80; dests 81; dests 83)"
out=$'\n'$(ipvsctl service list)
for port in 80 81 83; do
	[[ $out == *$'\n'"tcp $VIP:$port sched rr"* ]]
	check_err $? "ipvsctl does not list service $port: $out"
done
got=$(ipvsadm_dests 80; ipvsadm_dests 81)
want="10.0.1.2:8080 Masq 1
10.0.2.2:8080 Masq 1
10.0.1.2:8081 Masq 1
10.0.2.2:8081 Masq 1"
[ "$got" = "$want" ]
check_err $? "ipvsadm lists: $got"
alternates tcp 80 1000 4
got=$(n c curl -s -m 10 http://$VIP:81/ http://$VIP:81/)
# Either order: "rs1 rs2 ", as sorted.
case $got in
$'rs1\nrs2' | $'rs2\nrs1') got="rs1 rs2 " ;;
*) got=${got//$'\n'/ } ;;
esac
[ "$got" = "rs1 rs2 " ]
check_err $? "HTTP answers from port 81: $got"
log_test "keepalived: configures lvs, both real servers answer"

# A reload with the configuration unchanged: an established
# connection to port 80 goes on, and no real server was removed and added
# again (their counters go on). Then one that changes a weight of port
# 81's: port 80's connection goes on as well.
open_conn 80
conn_send "before the reload"
busywait 5000 has_active 80 1 ||
	check_err $? "the connection is not established: $(dests 80)"
before=$(dests 80; dests 81)
read -r pid <"$WORK/keepalived.pid"
kill -HUP "$pid"
busywait 10000 reloaded 1 ||
	check_err $? "keepalived did not reload: $(tail -n 5 "$KLOG")"
conn_send "after the reload"
after=$(dests 80; dests 81)
[ "$before" = "$after" ]
check_err $? "real servers before the reload: $before; after: $after"
conn_close
check_err $? "the connection to port 80 broke at the reload ($CONN_NAME)"
log_test "keepalived: a reload keeps real servers and connections"

open_conn 80
conn_send "before the reload"
busywait 5000 has_active 80 1 ||
	check_err $? "the connection is not established: $(dests 80)"
before=$(dests 80)
write_conf 5
kill -HUP "$pid"
busywait 10000 has_weight 81 10.0.1.2:8081 5 ||
	check_err $? "the weight did not change: $(ipvsadm_dests 81)"
conn_send "after the reload"
after=$(dests 80)
[ "$before" = "$after" ]
check_err $? "port 80's real servers before the reload: $before; after: $after"
conn_close
check_err $? "the connection to port 80 broke at the reload ($CONN_NAME)"
log_test "keepalived: a reload changing port 81 keeps port 80's connection"

# rs1's server on port 80 stops: keepalived removes it. Requests in the
# meantime fail only when sent to rs1 (rs2 answers every connection it
# gets), and those after it all reach rs2. Then rs1 comes back.
# rs2_conns: rs2's count of connections to port 80.
rs2_conns()
{
	local addr w a c

	while read -r addr w a c; do
		[ "$addr" = 10.0.2.2:8080 ] && echo "$c"
	done <<<"$(dests 80)"
}
rs2_before=$(rs2_conns)
stop_listener rs1 8080
check_err $? "cannot stop rs1's server"
answers=
t0=$(ms_now)
while ! has_dests 80 "10.0.2.2:8080 " &&
	[ $(($(ms_now) - t0)) -lt 30000 ]; do
	answers="$answers $(request tcp 80 100)"
done
has_dests 80 "10.0.2.2:8080 " ||
	check_err $? "rs1 was not removed: $(dests 80)"
# The answers are "NAME ok" or "NAME bad" pairs: count rs2's oks and
# any other server's.
ok=0 others=0
set -- $answers
while [ $# -ge 2 ]; do
	if [ "$2" = ok ]; then
		if [ "$1" = rs2 ]; then
			ok=$((ok + 1))
		else
			others=$((others + 1))
		fi
	fi
	shift 2
done
rs2_after=$(rs2_conns)
[ "$ok" = $((rs2_after - rs2_before)) ]
check_err $? "rs2 got $((rs2_after - rs2_before)) connections, answered $ok:$answers"
[ "$others" = 0 ]
check_err $? "answers from another server than rs2:$answers"
answers=$(n c "$LVSREQ" -n 4 tcp $VIP 80 100)
answers="${answers//$'\n'/ } "
[ "$answers" = "rs2 ok rs2 ok rs2 ok rs2 ok " ]
check_err $? "answers after rs1's removal: $answers"
got=$(ipvsadm_dests 80)
[ "$got" = "10.0.2.2:8080 Masq 1" ]
check_err $? "ipvsadm lists: $got"
log_test "keepalived: a real server that stops answering is removed"

tcp_server rs1 8080 rs1
busywait 10000 has_dests 80 "10.0.1.2:8080 10.0.2.2:8080 " ||
	check_err $? "rs1 did not come back: $(dests 80)"
out=$(n c "$LVSREQ" -n 4 tcp $VIP 80 100)
# Two answers of each, in any order.
rs1=0 rs2=0
while IFS= read -r line; do
	case $line in
	"rs1 ok") rs1=$((rs1 + 1)) ;;
	"rs2 ok") rs2=$((rs2 + 1)) ;;
	*) rs1=-99 ;;
	esac
done <<<"$out"
[ "$rs1 $rs2" = "2 2" ]
check_err $? "answers once rs1 is back: ${out//$'\n'/, }"
log_test "keepalived: a real server that answers again comes back"

# sorry_server: port 82's real servers never answer, so keepalived
# removes them and puts the sorry server in their place.
busywait 10000 has_dests 82 "10.0.2.2:8090 " ||
	check_err $? "no sorry server in port 82: $(dests 82)"
got=$(ipvsadm_dests 82)
[ "$got" = "10.0.2.2:8090 Masq 1" ]
check_err $? "ipvsadm lists: $got"
out=$(n c "$LVSREQ" -n 2 tcp $VIP 82 100)
out="${out//$'\n'/ } "
[ "$out" = "sorry ok sorry ok " ]
check_err $? "answers from port 82: $out"
log_test "keepalived: sorry_server takes the requests when all fail"

# inhibit_on_failure: the health check of the real server holding a
# connection to port 83 fails; it stays with weight 0, the connection
# goes on, new ones go to the other one.
open_conn 83
conn_send "before the check fails"
busywait 5000 has_active 83 1 ||
	check_err $? "the connection is not established: $(dests 83)"
held= other=
while read -r addr w a c; do
	[ "$a" = 1 ] && held="$held${held:+$'\n'}$addr"
	[ "$a" = 0 ] && other="$other${other:+$'\n'}$addr"
done <<<"$(dests 83)"
ns=rs1
[ "$held" = 10.0.2.2:8080 ] && ns=rs2
stop_listener $ns 9083
check_err $? "cannot stop $ns's health check server"
busywait 10000 has_weight 83 "$held" 0 ||
	check_err $? "ipvsadm lists: $(ipvsadm_dests 83)"
out=$(n c "$LVSREQ" -n 2 tcp $VIP 83 100)
out="${out//$'\n'/ } "
want=rs1
[ "$other" = 10.0.2.2:8080 ] && want=rs2
[ "$out" = "$want ok $want ok " ]
check_err $? "answers from port 83: $out, want $want's"
conn_send "after the check failed"
conn_close
check_err $? "the connection to $held was cut ($CONN_NAME)"
log_test "keepalived: inhibit_on_failure sets weight 0, keeps connections"

# All of it through lvs: the kernel's ip_vs was never loaded.
# lsmod's list, read in bash.
loaded=
while read -r mod rest; do
	[[ $mod == ip_vs* ]] && loaded="$loaded $mod"
done </proc/modules
[ -z "$loaded" ]
check_err $? "ip_vs was loaded:$loaded"
log_test "keepalived: ip_vs was never loaded"

exit $((FAILED > 0))
