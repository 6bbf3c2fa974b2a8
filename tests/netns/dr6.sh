#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Direct routing of TCP and UDP over IPv6 to two real servers, by lvs on
# port 80 and by the kernel's ip_vs (ipvsadm -g) on port 81, side by side.
#
# Everyone is on one switch, a bridge in namespace sw:
#
#   c    2001:db8::2     the client
#   d    2001:db8::1     the director, with the VIP 2001:db8::100 on eth0
#   rs1  2001:db8::11    real servers, with the VIP on lo: a Linux host
#   rs2  2001:db8::12    answers neighbour solicitations only for the
#                        addresses of the device they arrive on
#
# The director passes the client's frames on to a real server's MAC, and
# the real server answers the client straight over the switch.

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
plan 9

LVS_IPV6=1
VIP=2001:db8::100
WORK=$(mktemp -d)
trap 'cleanup; modprobe -r ip_vs_rr ip_vs 2>/dev/null; rm -rf "$WORK"' EXIT

setup()
{
	local ns rs

	for ns in sw c d rs1 rs2; do
		ns_add6 $ns
	done
	for rs in rs1 rs2; do
		n $rs ip addr add $VIP/128 dev lo
		vip_servers $rs $(ref_ports)
	done
	n sw ip link add br0 type bridge mcast_snooping 0
	n sw ip link set br0 up
	switch_port c 2001:db8::2/64
	switch_port d 2001:db8::1/64
	switch_port rs1 2001:db8::11/64
	switch_port rs2 2001:db8::12/64
	n d ip addr add $VIP/128 dev eth0
	wait_servers rs1 $(ref_ports) && wait_servers rs2 $(ref_ports)
}

setup
check_err $? "the responders do not listen"
rs_macs=$(printf '%s\n' "$(mac rs1)" "$(mac rs2)" | sort)
d_mac=$(mac d)
bg c tcpdump -n -i eth0 -w "$WORK/c.pcap" -U 2>/dev/null
bg d tcpdump -n -i eth0 -w "$WORK/d.pcap" -U 2>/dev/null
busywait 10000 test -s "$WORK/c.pcap" && busywait 10000 test -s "$WORK/d.pcap"
check_err $? "tcpdump does not start"

lvs_services 80 dr 2001:db8::11 2001:db8::12
log_test "DR6: configure IPv6 TCP and UDP services, two real servers"

alternates tcp 80 1000 3
log_test "DR6 TCP: small requests alternate rs1, rs2 and arrive intact"

alternates tcp 80 300000 2
log_test "DR6 TCP: 300 kB requests (GSO) arrive intact both ways"

alternates udp 80 1000 2
alternates udp 80 3000 2
log_test "DR6 UDP: datagrams (and fragmented ones) alternate, intact"

if ipvs_ref; then
	ipvs_services 81 -g 2001:db8::11 2001:db8::12
	alternates tcp 81 1000 2 &&
		alternates tcp 81 300000 1 &&
		alternates udp 81 1000 2 &&
		alternates udp 81 3000 2
	log_test "DR6 ip_vs: the same through ipvsadm -g on port 81"
else
	ipvs_skip "DR6 ip_vs: the same through ipvsadm -g on port 81"
fi

# Let the captures catch up before reading them.
sleep 1
check_dr_answers "$rs_macs"
log_test "DR6: answers leave from real servers' MACs, bypass the director"

check_relayed "$rs_macs" "$d_mac" "hlim 63"
log_test "DR6: lvs relays the client's packets to the real servers' MACs"

before=$(drops xmit)
n c python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_UNICAST_HOPS, 1)
s.sendto(b"hops", (sys.argv[1], 80))' $VIP
busywait 5000 drops_above xmit "$before"
check_err $? "xmit drops stayed at $before"
busywait 5000 sh -c "tcpdump -n -r $WORK/c.pcap \
	'src host $VIP and icmp6 and ip6[40] = 3' 2>/dev/null | grep -q ."
check_err $? "the client got no ICMPv6 time exceeded"
log_test "DR6: a packet with hop limit 1 earns ICMPv6 time exceeded"

# A real server behind a gateway: the gateway would send the VIP back.
ipvsctl service add udp "[$VIP]:82" sched rr &&
	ipvsctl dest add udp "[$VIP]:82" "[2001:db8::11]" dr &&
	n d ip -6 route add 2001:db8::11/128 via 2001:db8::2
check_err $? "configuration failed"
before=$(drops xmit)
echo gw | n c socat -u - "UDP6:[$VIP]:82"
busywait 5000 drops_above xmit "$before"
check_err $? "xmit drops stayed at $before"
sleep 1
got=$(frames "$WORK/c.pcap" "ether src $d_mac and udp dst port 82")
[ -z "$got" ]
check_err $? "the director sent the packet to the gateway: $got"
log_test "DR6: a real server reached through a gateway is refused, counted"

exit $((FAILED > 0))
