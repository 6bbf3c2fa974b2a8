#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# NAT load balancing of TCP and UDP to two real servers.
#
# The topology is nat_topology in lib.sh.

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

plan 7

VIP=10.0.0.1
WORK=$(mktemp -d)

setup()
{
	nat_topology
	for rs in rs1 rs2; do
		tcp_server $rs 8080 $rs
		udp_server $rs 8080 $rs
	done
	wait_listen rs1 tcp 8080 && wait_listen rs2 tcp 8080
}

json_field()
{
	python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"
}

trap 'cleanup; rm -rf "$WORK"' EXIT
setup

# Capture what the client receives for the whole run.
bg c tcpdump -n -i eth0 -w "$WORK/client.pcap" -U ip 2>/dev/null
busywait 3000 test -s "$WORK/client.pcap"

ipvsctl service add tcp 10.0.0.1:80 sched rr
check_err $? "service add tcp failed"
ipvsctl dest add tcp 10.0.0.1:80 10.0.1.2:8080 nat weight 1 &&
	ipvsctl dest add tcp 10.0.0.1:80 10.0.2.2:8080 nat weight 1
check_err $? "dest add tcp failed"
log_test "NAT: configure a TCP service with two real servers"

alternates tcp 80 1000 4 rs1
log_test "NAT TCP: small requests alternate rs1, rs2 and arrive intact"

alternates tcp 80 300000 2 rs1
log_test "NAT TCP: 300 kB requests (GSO/offload) arrive intact both ways"

ipvsctl service add udp 10.0.0.1:80 sched rr &&
	ipvsctl dest add udp 10.0.0.1:80 10.0.1.2:8080 nat &&
	ipvsctl dest add udp 10.0.0.1:80 10.0.2.2:8080 nat
check_err $? "udp configuration failed"
alternates udp 80 1000 4 rs1
log_test "NAT UDP: datagrams alternate rs1, rs2 and arrive intact"

stats=$(ipvsctl -j service list)
check_err $? "service list -j failed"
conns=$(echo "$stats" | json_field \
	"[s for s in d if s['protocol']=='tcp'][0]['stats']['conns']")
[ "$conns" = 6 ]
check_err $? "tcp service counted $conns connections, want 6"
out=$(echo "$stats" | json_field \
	"min(x['stats'][k] for x in d for k in ('inpkts','outpkts','inbytes','outbytes'))")
[ "${out:-0}" -gt 0 ]
check_err $? "a traffic counter is zero: $stats"
log_test "NAT: service counters account connections and both directions"

# Stop the capture itself (SIGINT: it writes out what it holds) before
# reading it.
ns_stop c tcpdump INT
check_err $? "the client's capture did not stop"
bad=$(tcpdump -n -r "$WORK/client.pcap" 2>/dev/null |
	awk '{print $3}' | grep -v -E '^10\.0\.0\.(1|2)\.' | head -3)
seen=$(tcpdump -n -r "$WORK/client.pcap" 2>/dev/null | wc -l)
[ -z "$bad" ] && [ "$seen" -gt 20 ]
check_err $? "client saw packets from: ${bad:-nothing else}, $seen packets"
log_test "NAT: the client only ever sees the VIP"

ipvsctl service del tcp 10.0.0.1:80
check_err $? "service del failed"
out=$(n c socat -T 2 - TCP:10.0.0.1:80,connect-timeout=2 </dev/null 2>&1)
check_fail $? "connection still accepted after delete: $out"
echo "$out" | grep -q -i refused
check_err $? "expected connection refused, got: $out"
request udp 80 100 | grep -q '^rs. ok'
check_err $? "the other (UDP) service stopped working"
log_test "NAT: deleting a service stops its forwarding, not others'"

exit $((FAILED > 0))
