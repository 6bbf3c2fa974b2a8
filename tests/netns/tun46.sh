#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Tunnelling across families: an IPv4 service to IPv6 real servers (IPv4
# in IPv6, next header 4) and an IPv6 service to IPv4 real servers (IPv6
# in IPv4, protocol 41), TCP and UDP, by lvs on port 80 and by the
# kernel's ip_vs (ipvsadm -i, which takes a real server of the other
# family since ipvsadm 1.28 and Linux 3.18) on port 81.
#
# Everyone hangs off one router, r, over IPv4 and IPv6:
#
#   c    10.0.0.2/24  2001:db8::2/64     the client
#   d    10.0.1.2/24  2001:db8:1::2/64   the director; the VIPs 10.0.9.100
#                                        and 2001:db8:9::100 on lo (r
#                                        routes them to d)
#   rs1  10.0.2.2/24  2001:db8:2::2/64   real servers, with VIP4 on tnl46
#   rs2  10.0.3.2/24  2001:db8:3::2/64   (ip6tnl, mode any) and VIP6 on
#                                        sit46 (sit); they answer the
#                                        client through r, not the director
#
# Every answer carries the request back (LVS_ECHO): payloads are checked
# by sha256 both ways. Then the director's IPv6 route to rs1 shrinks to
# MTU 1400: an IPv4 client sending with DF learns 1400 - 40. Last, the
# link from r to rs1 shrinks to 1300: the director learns it from r, and
# the clients from the director (IPv4: 1300 - 40, IPv6: 1300 - 20).

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
plan 18

LVS_IPV6=1
export LVS_ECHO=1
VIP4=10.0.9.100
VIP6=2001:db8:9::100
WORK=$(mktemp -d)
trap 'cleanup; modprobe -r ip_vs_rr ip_vs ip6_tunnel sit 2>/dev/null
	rm -rf "$WORK"' EXIT

# host NS ADDR4 ADDR6 GW4 GW6 [CMD...]: NS's eth0 to r up, with its
# addresses and default routes via r (lo up too), then the ip commands
# CMD, all in one ip (after r's batch: r's end is up, the link has its
# carrier when the routes go in).
host()
{
	local ns=$1 a4=$2 a6=$3 gw4=$4 gw6=$5

	shift 5
	ns_batch "$ns" "link set lo up" "addr add $a4/24 dev eth0" \
		"link set eth0 up" "addr add $a6/64 dev eth0" \
		"route add default via $gw4" "route add ::/0 via $gw6" "$@"
}

# rs_host NS ADDR4 ADDR6 GW4 GW6: host, with the decapsulating devices of
# a real server, bound to its own addresses, each holding the VIP of the
# inner family (ip6tnl and sit as ip -6 tunnel and ip tunnel make them).
rs_host()
{
	host "$@" "link add tnl46 type ip6tnl mode any local $3" \
		"link set tnl46 up" "addr add $VIP4/32 dev tnl46" \
		"link add sit46 type sit mode ip6ip local $2" \
		"link set sit46 up" "addr add $VIP6/128 dev sit46 nodad" &&
		n "$1" sysctl -qw net.ipv4.conf.all.rp_filter=0 \
			net.ipv4.conf.tnl46.rp_filter=0
}

# The namespaces in one ip, DAD off in each before its devices come
# (ns_add6), the links to r in one more ip, and each namespace's
# addresses and routes in one more: ns_add6, link and n took 90
# processes.
setup()
{
	local ns rs port

	modprobe ip6_tunnel && modprobe sit || return 1
	NAMESPACES+=(c r d rs1 rs2)
	for ns in c r d rs1 rs2; do
		echo "netns add $PFX-$ns"
	done | ip -batch - || return 1
	for ns in c d rs1 rs2; do
		n $ns sysctl -qw net.ipv6.conf.all.accept_dad=0 \
			net.ipv6.conf.default.accept_dad=0
	done
	n r sysctl -qw net.ipv6.conf.all.accept_dad=0 \
		net.ipv6.conf.default.accept_dad=0 net.ipv4.ip_forward=1 \
		net.ipv4.conf.all.rp_filter=0 net.ipv6.conf.all.forwarding=1
	printf "link add eth0 netns $PFX-%s type veth peer name %s netns $PFX-r\n" \
		c c0 d d0 rs1 rs1 rs2 rs2 | ip -batch - || return 1
	ns_batch r "link set lo up" \
		"addr add 10.0.0.1/24 dev c0" "link set c0 up" \
		"addr add 10.0.1.1/24 dev d0" "link set d0 up" \
		"addr add 10.0.2.1/24 dev rs1" "link set rs1 up" \
		"addr add 10.0.3.1/24 dev rs2" "link set rs2 up" \
		"addr add 2001:db8::1/64 dev c0" "addr add 2001:db8:1::1/64 dev d0" \
		"addr add 2001:db8:2::1/64 dev rs1" \
		"addr add 2001:db8:3::1/64 dev rs2" \
		"route add $VIP4/32 via 10.0.1.2" \
		"route add $VIP6/128 via 2001:db8:1::2"
	host c 10.0.0.2 2001:db8::2 10.0.0.1 2001:db8::1
	host d 10.0.1.2 2001:db8:1::2 10.0.1.1 2001:db8:1::1 \
		"addr add $VIP4/32 dev lo" "addr add $VIP6/128 dev lo"
	rs_host rs1 10.0.2.2 2001:db8:2::2 10.0.2.1 2001:db8:2::1 &&
		rs_host rs2 10.0.3.2 2001:db8:3::2 10.0.3.1 2001:db8:3::1 ||
		return 1
	for rs in rs1 rs2; do
		for port in $(ref_ports); do
			tcp_server $rs $port $rs
			udp_server $rs $port $rs $VIP4
			udp_server $rs $port $rs $VIP6
		done
	done
	wait_servers rs1 $(ref_ports) && wait_servers rs2 $(ref_ports)
}

# mixed_ipvs PORT: ip_vs TCP and UDP services on VIP:PORT, round robin
# over RS1 and RS2 (of the other family), tunnelled.
mixed_ipvs()
{
	local proto rs

	modprobe ip_vs
	check_err $? "cannot load ip_vs"
	# One ipvsadm (-R reads its command lines from stdin), not six.
	for proto in t u; do
		echo "-A -$proto $(hostport "$VIP" "$1") -s rr"
		for rs in "$2" "$3"; do
			echo "-a -$proto $(hostport "$VIP" "$1")" \
				"-r $(hostport "$rs" "$1") -i"
		done
	done | n d ipvsadm -R
	check_err $? "ipvsadm -R of -A -t, -A -u and their -a -i failed"
}

# services PORT METHOD RS1 RS2: lib.sh lvs_services (TCP and UDP services
# on VIP:PORT, round robin over RS1 and RS2), in one ipvsctl, not six.
services()
{
	local proto vip rs1 rs2

	vip=$(hostport "$VIP" "$1") rs1=$(hostport "$3") rs2=$(hostport "$4")
	for proto in tcp udp; do
		echo "service add $proto $vip sched rr"
		echo "dest add $proto $vip $rs1 $2"
		echo "dest add $proto $vip $rs2 $2"
	done | ipvsctl -b -
	check_err $? "lvs configuration failed"
}

# outer_hdrs FILTER: tcpdump -v of the first tunnelled SYN in d's capture.
outer_hdrs()
{
	tcpdump -n -v -c 1 -r "$WORK/d.pcap" "$1" 2>/dev/null
}

# captured FILTER: true if d's capture holds a packet matching FILTER.
# What was just sent may not be in it yet: libpcap hands tcpdump the
# packets a buffer at a time, up to a second late, so the checks of the
# last packets sent wait for them (busywait).
captured()
{
	[ -n "$(tcpdump -n -r "$WORK/d.pcap" "$1" 2>/dev/null)" ]
}

setup
check_err $? "the tunnels or responders do not come up"
bg d tcpdump -n -i eth0 -w "$WORK/d.pcap" -U 2>/dev/null
busywait 10000 test -s "$WORK/d.pcap"
check_err $? "tcpdump does not start"

# --- IPv4 in IPv6 ----------------------------------------------------------
VIP=$VIP4
services 80 tun 2001:db8:2::2 2001:db8:3::2
# Output captured once, its lines matched in bash (no grep each).
out=$(ipvsctl dest list tcp $VIP4:80)
[[ $'\n'$out == *$'\n[2001:db8:2::2]:80 tun weight 1 '* &&
	$'\n'$out == *$'\n[2001:db8:3::2]:80 tun weight 1 '* ]]
check_err $? "dest list: $out"
log_test "TUN46: an IPv4 service takes IPv6 tunnel destinations"

# ipvsctl refuses these itself (the kernel's refusals: netlink.sh).
for m in nat dr; do
	err=$(ipvsctl dest add tcp $VIP4:80 '[2001:db8:4::2]' $m 2>&1 \
		>/dev/null)
	[ $? -eq 2 ] && [[ $err == *"invalid method \"$m\""* ]]
	check_err $? "ipvsctl: $err"
done
out=$(ipvsctl dest list tcp $VIP4:80)
mapfile -t lines <<<"$out"
[ ${#lines[@]} -eq 2 ]
check_err $? "destinations: $out"
log_test "TUN46: NAT and DR to the other family are refused"

alternates tcp 80 1000 3
log_test "TUN46 4in6 TCP: requests alternate rs1, rs2, intact both ways"

check_pmtu 1460
log_test "TUN46 4in6 TCP: 300 kB intact, frag-needed teaches 1500 - 40"

alternates udp 80 1000 2
alternates udp 80 3000 2
log_test "TUN46 4in6 UDP: datagrams (and fragmented ones), intact"

conns=$(ipvsctl conn list)
mapfile -t lines <<<"$conns"
# A line that starts so (the newline before it anchors the match).
re=$'\n'"tcp 10\\.0\\.0\\.2:[0-9]* vip ${VIP4//./\\.}:80 dest \\[2001:db8:[23]::2\\]:80 tun "
[[ $'\n'$conns =~ $re ]]
check_err $? "conn list: $(printf '%s\n' "${lines[@]:0:3}")"
log_test "TUN46 4in6: conn list shows IPv6 real servers"

if ipvs_ref; then
	mixed_ipvs 81 2001:db8:2::2 2001:db8:3::2
	if [ "$RET" -eq 0 ]; then
		alternates tcp 81 1000 2 &&
			alternates tcp 81 300000 1 &&
			alternates udp 81 1000 2 &&
			alternates udp 81 3000 2
	fi
	log_test "TUN46 4in6 ip_vs: the same through ipvsadm -i on port 81"
else
	ipvs_skip "TUN46 4in6 ip_vs: the same through ipvsadm -i on port 81"
fi

# The client sends TTL 64; r takes one, the director another.
hdrs=$(outer_hdrs "ip6[6] = 4 and ip6[40 + 9] = 6 and ip6[40 + 20 + 13] = 2")
[[ $hdrs == *"hlim 62, next-header IPIP (4)"* &&
	$hdrs =~ "ttl 62, "[^$'\n']*"flags [DF], proto TCP (6)" ]]
check_err $? "headers: $hdrs"
busywait 5000 captured \
	"src host 2001:db8:1::2 and dst host 2001:db8:2::2 and ip6[6] = 44"
check_err $? "no fragmented outer packet for the 3000-byte datagrams"
log_test "TUN46 4in6: next header 4, hop limit from the inner TTL"

# --- IPv6 in IPv4 ----------------------------------------------------------
VIP=$VIP6
services 80 tun 10.0.2.2 10.0.3.2
out=$(ipvsctl -j dest list tcp "[$VIP6]:80")
[[ $out == *'"address":"10.0.2.2","port":80,"fwd":"tun"'* ]]
check_err $? "dest list: $out"
log_test "TUN46: an IPv6 service takes IPv4 tunnel destinations"

alternates tcp 80 1000 3
log_test "TUN46 6in4 TCP: requests alternate rs1, rs2, intact both ways"

check_pmtu 1480
log_test "TUN46 6in4 TCP: 300 kB intact, packet-too-big teaches 1480"

alternates udp 80 1000 2
alternates udp 80 3000 2
log_test "TUN46 6in4 UDP: datagrams (and fragmented ones), intact"

if ipvs_ref; then
	mixed_ipvs 81 10.0.2.2 10.0.3.2
	if [ "$RET" -eq 0 ]; then
		alternates tcp 81 1000 2 &&
			alternates tcp 81 300000 1 &&
			alternates udp 81 1000 2 &&
			alternates udp 81 3000 2
	fi
	log_test "TUN46 6in4 ip_vs: the same through ipvsadm -i on port 81"
else
	ipvs_skip "TUN46 6in4 ip_vs: the same through ipvsadm -i on port 81"
fi

hdrs=$(outer_hdrs "ip proto 41 and ip[20 + 6] = 6 and ip[20 + 40 + 13] = 2")
[[ $hdrs =~ "ttl 62, "[^$'\n']*"flags [DF], proto IPv6 (41)" &&
	$hdrs == *"hlim 62, next-header TCP (6)"* ]]
check_err $? "headers: $hdrs"
busywait 5000 captured \
	"ip proto 41 and dst host 10.0.2.2 and ip[6:2] & 0x3fff != 0"
check_err $? "no fragmented outer packet for the 3000-byte datagrams"
log_test "TUN46 6in4: protocol 41, DF, TTL from the inner hop limit"

nap 1
VIP=$VIP4 check_tunnelled 2001:db8:1::2 "ip6[6] = 4" 2001:db8:2::2 \
	2001:db8:3::2
VIP=$VIP6 check_tunnelled 10.0.1.2 "ip proto 41" 10.0.2.2 10.0.3.2
log_test "TUN46: requests go tunnelled, answers bypass the director"

# --- path MTU through smaller links ---------------------------------------
# pmtu_becomes WANT: 300 kB requests to VIP:80 until the client's path MTU
# to VIP is WANT (a few rounds: the first too-big packets only teach the
# director), with too-big drops on the way.
pmtu_becomes()
{
	local before got i

	before=$(drops xmit)
	for i in 1 2 3 4; do
		alternates tcp 80 300000 2 || return 1
		got=$(client_pmtu)
		[ "$got" = "$1" ] && break
	done
	[ "$got" = "$1" ]
	check_err $? "the client's path MTU to $VIP: ${got:-none}, want $1"
	drops_above xmit "$before"
	check_err $? "too-big drops stayed at $before"
}

VIP=$VIP4
n d ip -6 route add 2001:db8:2::2/128 via 2001:db8:1::1 mtu 1400
pmtu_becomes 1360
log_test "TUN46 4in6: outer MTU 1400, the IPv4 client is told 1400 - 40"
n d ip -6 route del 2001:db8:2::2/128

# rs1's link shrinks behind the router. The director learns it from r's
# error about an outer packet through the kernel's tunnel error handlers,
# which want a device that takes the inner protocol up on the director:
# ip6tnl0 in mode any for next header 4, sit0 for protocol 41.
n d ip -6 tunnel change ip6tnl0 mode any
ns_batch d "link set ip6tnl0 up" "link set sit0 up"
n r ip link set rs1 mtu 1300
n rs1 ip link set eth0 mtu 1300
pmtu_becomes 1260
log_test "TUN46 4in6: MTU 1300 behind a router, the client is told 1260"
VIP=$VIP6
pmtu_becomes 1280
log_test "TUN46 6in4: MTU 1300 behind a router, the client is told 1280"

exit $((FAILED > 0))
