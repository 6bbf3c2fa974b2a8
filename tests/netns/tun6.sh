#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# IPv6-in-IPv6 tunnelling of TCP and UDP to two real servers on other
# subnets, by lvs on port 80 and by the kernel's ip_vs (ipvsadm -i) on
# port 81.
#
# Everyone hangs off one router, r:
#
#   c    2001:db8::2/64     the client
#   d    2001:db8:1::2/64   the director; the VIP 2001:db8:9::100 on lo
#                           (r routes it to d)
#   rs1  2001:db8:2::2/64   real servers, with the VIP on ip6tnl0; they
#   rs2  2001:db8:3::2/64   answer the client through r, not the director
#
# Then the link from r to rs1 shrinks to MTU 1300: the director learns it
# from r, and the client from the director, though never below IPv6's
# minimum of 1280: the director fragments the outer packets instead.

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
plan 8

LVS_IPV6=1
VIP=2001:db8:9::100
WORK=$(mktemp -d)
trap 'cleanup; modprobe -r ip_vs_rr ip_vs ip6_tunnel 2>/dev/null
	rm -rf "$WORK"' EXIT

setup()
{
	local ns rs

	modprobe ip6_tunnel || return 1
	for ns in c r d rs1 rs2; do
		ns_add6 $ns
	done
	for rs in rs1 rs2; do
		n $rs ip link set ip6tnl0 up
		n $rs ip addr add $VIP/128 dev ip6tnl0 nodad
		vip_servers $rs $(ref_ports)
	done
	link c eth0 2001:db8::2/64 r c0 2001:db8::1/64
	link d eth0 2001:db8:1::2/64 r d0 2001:db8:1::1/64
	link rs1 eth0 2001:db8:2::2/64 r rs1 2001:db8:2::1/64
	link rs2 eth0 2001:db8:3::2/64 r rs2 2001:db8:3::1/64
	n r sysctl -qw net.ipv6.conf.all.forwarding=1
	n r ip -6 route add $VIP/128 via 2001:db8:1::2
	n d ip addr add $VIP/128 dev lo
	n c ip -6 route add default via 2001:db8::1
	n d ip -6 route add default via 2001:db8:1::1
	n rs1 ip -6 route add default via 2001:db8:2::1
	n rs2 ip -6 route add default via 2001:db8:3::1
	wait_servers rs1 $(ref_ports) && wait_servers rs2 $(ref_ports)
}

setup
check_err $? "the responders do not listen"
bg d tcpdump -n -i eth0 -w "$WORK/d.pcap" -U 2>/dev/null
busywait 10000 test -s "$WORK/d.pcap"
check_err $? "tcpdump does not start"
lvs_services 80 tun 2001:db8:2::2 2001:db8:3::2
log_test "TUN6: configure IPv6 TCP and UDP services, two real servers"

alternates tcp 80 1000 3
log_test "TUN6 TCP: small requests alternate rs1, rs2 and arrive intact"

check_pmtu 1460
log_test "TUN6 TCP: 300 kB intact, packet-too-big teaches the client 1460"

alternates udp 80 1000 2
alternates udp 80 3000 2
log_test "TUN6 UDP: datagrams (and fragmented ones) alternate, intact"

if ipvs_ref; then
	ipvs_services 81 -i 2001:db8:2::2 2001:db8:3::2
	alternates tcp 81 1000 2 &&
		alternates tcp 81 300000 1 &&
		alternates udp 81 1000 2 &&
		alternates udp 81 3000 2
	log_test "TUN6 ip_vs: the same through ipvsadm -i on port 81"
else
	ipvs_skip "TUN6 ip_vs: the same through ipvsadm -i on port 81"
fi

sleep 1
check_tunnelled 2001:db8:1::2 "ip6[6] = 41" 2001:db8:2::2 2001:db8:3::2
log_test "TUN6: requests go tunnelled, answers bypass the director"

# The first tunnelled SYN and its inner packet, as tcpdump -v shows them.
# The client sends hop limit 64; r takes one, the director another.
hdrs=$(tcpdump -n -v -c 1 -r "$WORK/d.pcap" \
	"ip6[6] = 41 and ip6[40 + 6] = 6 and ip6[40 + 40 + 13] = 2" \
	2>/dev/null)
echo "$hdrs" | grep -q "hlim 62, next-header IPv6 (41)" &&
	echo "$hdrs" | grep -q "hlim 62, next-header TCP (6)"
check_err $? "headers: $hdrs"
frags=$(tcpdump -n -r "$WORK/d.pcap" \
	"src host 2001:db8:1::2 and dst host 2001:db8:2::2 and ip6[6] = 44" \
	2>/dev/null | wc -l)
[ "$frags" -gt 0 ]
check_err $? "no fragmented outer packet for the 3000-byte datagrams"
log_test "TUN6: outer header takes the hop limit (one less) from the inner"

# rs1's link shrinks behind the router; the client is told no less
# than 1280.
check_pmtu_shrink ip6tnl0 1280 relayed
log_test "TUN6: a smaller MTU behind a router reaches the client (PMTUD)"

exit $((FAILED > 0))
