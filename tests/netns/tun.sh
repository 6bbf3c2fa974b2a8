#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# IP-in-IP tunnelling of TCP and UDP to two real servers on other subnets,
# by lvs on port 80 and by the kernel's ip_vs (ipvsadm -i) on port 81.
#
# Everyone hangs off one router, r:
#
#   c    10.0.0.2/24   the client
#   d    10.0.1.2/24   the director; the VIP 10.0.9.100 on lo (r routes
#                      it to d)
#   rs1  10.0.2.2/24   real servers, with the VIP on tunl0; they answer
#   rs2  10.0.3.2/24   the client through r, not through the director
#
# Then the link from r to rs1 shrinks to MTU 1300: the director learns it
# from r, and the client from the director.

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
plan 9

VIP=10.0.9.100
WORK=$(mktemp -d)
trap 'cleanup; modprobe -r ip_vs_rr ip_vs ipip 2>/dev/null; rm -rf "$WORK"' \
	EXIT

setup()
{
	local ns rs

	modprobe ipip || return 1
	for ns in c r d rs1 rs2; do
		ns_add $ns
	done
	for rs in rs1 rs2; do
		n $rs ip link set tunl0 up
		n $rs ip addr add $VIP/32 dev tunl0
		n $rs sysctl -qw net.ipv4.conf.all.rp_filter=0 \
			net.ipv4.conf.tunl0.rp_filter=0
		vip_servers $rs $(ref_ports)
	done
	link c eth0 10.0.0.2/24 r c0 10.0.0.1/24
	link d eth0 10.0.1.2/24 r d0 10.0.1.1/24
	link rs1 eth0 10.0.2.2/24 r rs1 10.0.2.1/24
	link rs2 eth0 10.0.3.2/24 r rs2 10.0.3.1/24
	n r sysctl -qw net.ipv4.ip_forward=1 net.ipv4.conf.all.rp_filter=0
	n r ip route add $VIP/32 via 10.0.1.2
	n d ip addr add $VIP/32 dev lo
	n c ip route add default via 10.0.0.1
	n d ip route add default via 10.0.1.1
	n rs1 ip route add default via 10.0.2.1
	n rs2 ip route add default via 10.0.3.1
	wait_servers rs1 $(ref_ports) && wait_servers rs2 $(ref_ports)
}

setup
check_err $? "the responders do not listen"
bg d tcpdump -n -i eth0 -w "$WORK/d.pcap" -U 2>/dev/null
busywait 10000 test -s "$WORK/d.pcap"
check_err $? "tcpdump does not start"
lvs_services 80 tun 10.0.2.2 10.0.3.2
log_test "TUN: configure a TCP and a UDP service with two real servers"

alternates tcp 80 1000 3
log_test "TUN TCP: small requests alternate rs1, rs2 and arrive intact"

check_pmtu 1480
log_test "TUN TCP: 300 kB requests intact, client learns MTU 1500 - 20"

alternates udp 80 1000 2
alternates udp 80 3000 2
log_test "TUN UDP: datagrams (and fragmented ones) alternate, intact"

if ipvs_ref; then
	ipvs_services 81 -i 10.0.2.2 10.0.3.2
	alternates tcp 81 1000 2
	alternates udp 81 1000 2
	log_test "TUN ip_vs: the same through ipvsadm -i on port 81"
else
	ipvs_skip "TUN ip_vs: the same through ipvsadm -i on port 81"
fi

sleep 1
check_tunnelled 10.0.1.2 "ip proto 4" 10.0.2.2 10.0.3.2
log_test "TUN: requests go tunnelled, answers bypass the director"

# The first tunnelled SYN and its inner packet, as tcpdump -v shows them.
# The client sends TTL 64; r takes one, the director another.
hdrs=$(tcpdump -n -v -c 1 -r "$WORK/d.pcap" \
	"ip proto 4 and ip[20+9] = 6 and ip[20+20+13] = 2" 2>/dev/null)
outer=$(echo "$hdrs" | sed -n 1p)
inner=$(echo "$hdrs" | sed -n 2p)
echo "$outer" | grep -q "ttl 62, .*flags \[DF\], proto IPIP (4)" &&
	echo "$inner" | grep -q "ttl 62, .*flags \[DF\], proto TCP (6)"
check_err $? "headers: $hdrs"
frags=$(tcpdump -n -r "$WORK/d.pcap" \
	"ip proto 4 and dst host 10.0.2.2 and ip[6:2] & 0x3fff != 0" \
	2>/dev/null | wc -l)
[ "$frags" -gt 0 ]
check_err $? "no fragmented outer packet for the 3000-byte datagrams"
log_test "TUN: outer header takes DF and TTL (one less) from the inner"

# rs1's link shrinks behind the router.
check_pmtu_shrink tunl0 1280
log_test "TUN: a smaller MTU behind a router reaches the client (PMTUD)"

# Test that conntrack on the director, under a stateful ruleset that
# masquerades what leaves by eth0 (the one link), changes nothing: the
# outer packets are the director's own, tracked and masqueraded as such
# (to the address they already have), and the client's packets inside
# are left alone.
stateful_director eth0 80
check_err $? "cannot load the stateful ruleset"
alternates tcp 80 1000 2 && alternates udp 80 1000 2
check_err $? "requests failed"
[ "$(stateful_count established)" = 0 ]
check_err $? "answers passed the director"
[ "$RET" = 0 ] || echo "# firewall counters: $(stateful_counters)"
log_test "TUN conntrack: a masquerading, stateful ruleset changes nothing"

exit $((FAILED > 0))
