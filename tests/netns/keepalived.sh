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

# real_server ADDR PORT WEIGHT CHECK [OPTIONS]: a real_server block.
real_server()
{
	cat <<-EOF
	    real_server $1 $2 {
	        weight $3
	        ${5:-}
	        $4
	    }
	EOF
}

# virtual_server PORT DELAY [OPTIONS]: the head of a NAT rr
# virtual_server on the VIP, checked every DELAY seconds; its real servers
# and a closing brace follow. Each check is a connection, and each answer
# a fork on a real server: the debug guest has no CPU to spare.
virtual_server()
{
	cat <<-EOF
	virtual_server $VIP $1 {
	    delay_loop $2
	    lb_algo rr
	    lb_kind NAT
	    protocol TCP
	    ${3:-}
	EOF
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
# of connections from 0, and has none active.
dests()
{
	ipvsctl -s dest list tcp $VIP:"$1" 2>/dev/null | awk '{
		for (i = 2; i < NF; i++) {
			if ($i == "weight") w = $(i + 1)
			if ($i == "active") a = $(i + 1)
			if ($i == "conns") c = $(i + 1)
		}
		print $1, w, a, c }'
}

# dest_addrs PORT: the real servers of VIP:PORT, "ADDR:PORT" sorted on
# one line.
dest_addrs()
{
	dests "$1" | sort | awk '{ printf "%s ", $1 }'
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
	n d ipvsadm -Ln -t $VIP:"$1" | awk '$1 == "->" && $2 != "RemoteAddress:Port" {
		print $2, $3, $4 }'
}

# has_active PORT N: true once VIP:PORT's real servers have N active
# connections in all.
has_active()
{
	[ "$(dests "$1" | awk '{ n += $3 } END { print n + 0 }')" = "$2" ]
}

# has_weight PORT ADDR:PORT WEIGHT: true once ipvsadm lists that real
# server of VIP:PORT with WEIGHT.
has_weight()
{
	[ "$(ipvsadm_dests "$1" | grep "^$2 ")" = "$2 Masq $3" ]
}

# listener NS PORT: the process that listens on TCP PORT in NS.
listener()
{
	ss -N "$PFX-$1" -Htlnp "sport = :$2" |
		sed -n 's/.*pid=\([0-9]*\),.*/\1/p' | head -n 1
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
	[ "$(grep -c 'Reload complete' "$KLOG")" -ge "$1" ]
}

nat_topology
for rs in rs1 rs2; do
	tcp_server $rs 8080 $rs
	# One connection after the other: no fork per check.
	bg $rs "$LVSRESP" -1 tcp 9083 health
	mkdir "$WORK/$rs"
	echo "$rs" >"$WORK/$rs/index.html"
	bg $rs busybox httpd -f -p 8081 -h "$WORK/$rs"
done
tcp_server rs2 8090 sorry
for port in 8080 9083 8081; do
	wait_listen rs1 tcp $port && wait_listen rs2 tcp $port
	check_err $? "the real servers do not listen on $port"
done
wait_listen rs2 tcp 8090
check_err $? "the sorry server does not listen"

lvs_unload_idle
check_err $? "cannot unload lvs: $(lsmod | grep '^lvs')"
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
	busywait 10000 has_dests 83 "10.0.1.2:8080 10.0.2.2:8080 "
check_err $? "keepalived did not set up the services: $(dests 80; dests 81; dests 83)"
for port in 80 81 83; do
	ipvsctl service list | grep -q "^tcp $VIP:$port sched rr"
	check_err $? "ipvsctl does not list service $port: $(ipvsctl service list)"
done
got=$(ipvsadm_dests 80; ipvsadm_dests 81)
want="10.0.1.2:8080 Masq 1
10.0.2.2:8080 Masq 1
10.0.1.2:8081 Masq 1
10.0.2.2:8081 Masq 1"
[ "$got" = "$want" ]
check_err $? "ipvsadm lists: $got"
alternates tcp 80 1000 4
got=$(n c curl -s -m 10 http://$VIP:81/ http://$VIP:81/ | sort | tr '\n' ' ')
[ "$got" = "rs1 rs2 " ]
check_err $? "HTTP answers from port 81: $got"
log_test "keepalived: configures lvs, both real servers answer"

# A reload with the configuration unchanged: an established
# connection to port 80 goes on, and no real server was removed and added
# again (their counters go on). Then one that changes a weight of port
# 81's: port 80's connection goes on as well.
open_conn 80
conn_send "before the reload"
busywait 5000 has_active 80 1
check_err $? "the connection is not established: $(dests 80)"
before=$(dests 80; dests 81)
kill -HUP "$(cat "$WORK/keepalived.pid")"
busywait 10000 reloaded 1
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
busywait 5000 has_active 80 1
check_err $? "the connection is not established: $(dests 80)"
before=$(dests 80)
write_conf 5
kill -HUP "$(cat "$WORK/keepalived.pid")"
busywait 10000 has_weight 81 10.0.1.2:8081 5
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
read -r _ _ _ rs2_before <<<"$(dests 80 | grep 10.0.2.2)"
stop_listener rs1 8080
check_err $? "cannot stop rs1's server"
answers=
t0=$(ms_now)
while ! has_dests 80 "10.0.2.2:8080 " &&
	[ $(($(ms_now) - t0)) -lt 30000 ]; do
	answers="$answers $(request tcp 80 100)"
done
has_dests 80 "10.0.2.2:8080 "
check_err $? "rs1 was not removed: $(dests 80)"
ok=$(grep -o 'rs2 ok' <<<"$answers" | wc -l)
read -r _ _ _ rs2_after <<<"$(dests 80 | grep 10.0.2.2)"
[ "$ok" = $((rs2_after - rs2_before)) ]
check_err $? "rs2 got $((rs2_after - rs2_before)) connections, answered $ok:$answers"
grep -o '[a-z0-9]* ok' <<<"$answers" | grep -vq 'rs2 ok'
check_fail $? "answers from another server than rs2:$answers"
answers=$(n c "$LVSREQ" -n 4 tcp $VIP 80 100 | tr '\n' ' ')
[ "$answers" = "rs2 ok rs2 ok rs2 ok rs2 ok " ]
check_err $? "answers after rs1's removal: $answers"
[ "$(ipvsadm_dests 80)" = "10.0.2.2:8080 Masq 1" ]
check_err $? "ipvsadm lists: $(ipvsadm_dests 80)"
log_test "keepalived: a real server that stops answering is removed"

tcp_server rs1 8080 rs1
busywait 10000 has_dests 80 "10.0.1.2:8080 10.0.2.2:8080 "
check_err $? "rs1 did not come back: $(dests 80)"
out=$(n c "$LVSREQ" -n 4 tcp $VIP 80 100 | sort | uniq -c | tr -s ' \n' ' ')
[ "$out" = " 2 rs1 ok 2 rs2 ok " ]
check_err $? "answers once rs1 is back: $out"
log_test "keepalived: a real server that answers again comes back"

# sorry_server: port 82's real servers never answer, so keepalived
# removes them and puts the sorry server in their place.
busywait 10000 has_dests 82 "10.0.2.2:8090 "
check_err $? "no sorry server in port 82: $(dests 82)"
[ "$(ipvsadm_dests 82)" = "10.0.2.2:8090 Masq 1" ]
check_err $? "ipvsadm lists: $(ipvsadm_dests 82)"
out=$(n c "$LVSREQ" -n 2 tcp $VIP 82 100 | tr '\n' ' ')
[ "$out" = "sorry ok sorry ok " ]
check_err $? "answers from port 82: $out"
log_test "keepalived: sorry_server takes the requests when all fail"

# inhibit_on_failure: the health check of the real server holding a
# connection to port 83 fails; it stays with weight 0, the connection
# goes on, new ones go to the other one.
open_conn 83
conn_send "before the check fails"
busywait 5000 has_active 83 1
check_err $? "the connection is not established: $(dests 83)"
held=$(dests 83 | awk '$3 == 1 { print $1 }')
other=$(dests 83 | awk '$3 == 0 { print $1 }')
ns=rs1
[ "$held" = 10.0.2.2:8080 ] && ns=rs2
stop_listener $ns 9083
check_err $? "cannot stop $ns's health check server"
busywait 10000 has_weight 83 "$held" 0
check_err $? "ipvsadm lists: $(ipvsadm_dests 83)"
out=$(n c "$LVSREQ" -n 2 tcp $VIP 83 100 | tr '\n' ' ')
want=rs1
[ "$other" = 10.0.2.2:8080 ] && want=rs2
[ "$out" = "$want ok $want ok " ]
check_err $? "answers from port 83: $out, want $want's"
conn_send "after the check failed"
conn_close
check_err $? "the connection to $held was cut ($CONN_NAME)"
log_test "keepalived: inhibit_on_failure sets weight 0, keeps connections"

# All of it through lvs: the kernel's ip_vs was never loaded.
! lsmod | grep -q '^ip_vs'
check_err $? "ip_vs was loaded: $(lsmod | grep '^ip_vs')"
log_test "keepalived: ip_vs was never loaded"

exit $((FAILED > 0))
