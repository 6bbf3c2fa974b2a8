#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# lvs and the kernel's own ip_vs loaded together on one director, each
# balancing its own service: neither takes the other's packets.
# Topology: nat_topology (lib.sh). lvs serves 10.0.0.1:80, ip_vs (set up
# with ipvsadm) serves 10.0.0.1:81, both over the same real servers.

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
plan 4

WORK=$(mktemp -d)
trap 'cleanup; n_ipvsadm_clear; rm -rf "$WORK"' EXIT

n_ipvsadm_clear()
{
	ip netns exec "$PFX-d" ipvsadm -C 2>/dev/null
}

# ask PORT: the name of the server that answers a request to VIP:PORT.
ask()
{
	local reply

	reply=$(echo hello | n c socat -t 30 -T 30 - TCP:10.0.0.1:"$1")
	echo "${reply%%$'\n'*}"
}

nat_topology
for rs in rs1 rs2; do
	tcp_server $rs 8080 $rs
done
wait_listen rs1 tcp 8080 && wait_listen rs2 tcp 8080

modprobe ip_vs
check_err $? "cannot load ip_vs"
ipvsctl service add tcp 10.0.0.1:80 sched rr &&
	ipvsctl dest add tcp 10.0.0.1:80 10.0.1.2:8080 nat &&
	ipvsctl dest add tcp 10.0.0.1:80 10.0.2.2:8080 nat
check_err $? "lvs configuration failed"
n d ipvsadm -A -t 10.0.0.1:81 -s rr &&
	n d ipvsadm -a -t 10.0.0.1:81 -r 10.0.1.2:8080 -m &&
	n d ipvsadm -a -t 10.0.0.1:81 -r 10.0.2.2:8080 -m
check_err $? "ip_vs configuration failed"
lsmod | grep -q '^ip_vs ' && lsmod | grep -q '^lvs '
check_err $? "both modules should be loaded"
log_test "coexist: lvs and ip_vs load and take a service each"

# lvs's rr follows the order destinations were added; ip_vs's starts
# from the one added last. Either way each must alternate.
lvs= ipvs=
for i in 1 2 3 4; do
	lvs="$lvs $(ask 80)"
	ipvs="$ipvs $(ask 81)"
done
[ "$lvs" = " rs1 rs2 rs1 rs2" ]
check_err $? "lvs answers:$lvs"
[ "$ipvs" = " rs1 rs2 rs1 rs2" ] || [ "$ipvs" = " rs2 rs1 rs2 rs1" ]
check_err $? "ip_vs answers:$ipvs"
log_test "coexist: both balance round robin, interleaved, side by side"

ipvs_conns()
{
	n d ipvsadm -L -n --stats -t 10.0.0.1:81 | awk '$1 == "TCP" {print $3}'
}

ipvs_conns_are()
{
	[ "$(ipvs_conns)" = "$1" ]
}

lvs_conns=$(ipvsctl -j service list | python3 -c \
	"import json,sys; print(json.load(sys.stdin)[0]['stats']['conns'])")
# ip_vs folds its per-CPU counters into what ipvsadm shows every 2 s; lvs
# adds them up when asked.
busywait 5000 ipvs_conns_are 4
ipvs_conns=$(ipvs_conns)
[ "$lvs_conns" = 4 ] && [ "$ipvs_conns" = 4 ]
check_err $? "lvs counted $lvs_conns, ip_vs counted $ipvs_conns (want 4 each)"
log_test "coexist: each counts only its own connections"

n_ipvsadm_clear
ipvsctl service del tcp 10.0.0.1:80
modprobe -r ip_vs_rr ip_vs
check_err $? "ip_vs does not unload"
log_test "coexist: ip_vs unloads while lvs stays"

exit $((FAILED > 0))
