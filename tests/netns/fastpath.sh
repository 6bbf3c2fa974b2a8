#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The fast path (ipvsctl info set fastpath on): every forwarding method,
# IPv4 and IPv6, with it off and on; what it must leave to the normal way;
# other netfilter hooks holding it off; devices that come and go; and lvs
# unloading while it forwards.
#
#   c    10.0.0.2  fd00::2   the client
#   d    10.0.0.1  fd00::1   the director; the VIPs 10.0.9.1 and fd09::1
#                            on lo, the real servers' default gateway
#   rs1  10.0.1.2  fd01::2   NAT real server (port 80)
#   rs2  10.0.2.2  fd02::2   DR real server (port 81), the VIPs on lo
#   rs3  10.0.3.2  fd03::2   TUN real server (port 82), the VIPs on tunl0
#                            and ip6tnl0
#
# DR and TUN answers come back through the director as routed packets.

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
plan 20

VIP4=10.0.9.1
VIP6=fd09::1
ICMPBACK=$(dirname "${BASH_SOURCE[0]}")/icmpback.py
trap 'cleanup; modprobe -r ipip ip6_tunnel 2>/dev/null' EXIT

METHODS=(nat dr tun)

setup()
{
	local i proto ns

	modprobe ipip && modprobe ip6_tunnel || return 1
	for ns in c d rs1 rs2 rs3; do
		ns_add6 $ns
	done
	link c eth0 10.0.0.2/24 d c0 10.0.0.1/24
	n c ip addr add fd00::2/64 dev eth0 nodad
	n d ip addr add fd00::1/64 dev c0 nodad
	n c ip route add default via 10.0.0.1
	n c ip -6 route add default via fd00::1
	for i in 1 2 3; do
		link d r$i 10.0.$i.1/24 rs$i eth0 10.0.$i.2/24
		n d ip addr add fd0$i::1/64 dev r$i nodad
		n rs$i ip addr add fd0$i::2/64 dev eth0 nodad
		n rs$i ip route add default via 10.0.$i.1
		n rs$i ip -6 route add default via fd0$i::1
	done
	n d ip addr add $VIP4/32 dev lo
	n d ip addr add $VIP6/128 dev lo
	# DR and TUN answers come from the VIPs, which d holds too.
	n d sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1 \
		net.ipv4.conf.all.accept_local=1 net.ipv4.conf.all.rp_filter=0 \
		net.ipv4.conf.r2.accept_local=1 net.ipv4.conf.r3.accept_local=1 \
		net.ipv4.conf.r2.rp_filter=0 net.ipv4.conf.r3.rp_filter=0 \
		net.ipv4.conf.all.send_redirects=0
	n rs2 ip addr add $VIP4/32 dev lo
	n rs2 ip addr add $VIP6/128 dev lo
	n rs3 ip link set tunl0 up
	n rs3 ip link set ip6tnl0 up
	n rs3 ip addr add $VIP4/32 dev tunl0
	n rs3 ip addr add $VIP6/128 dev ip6tnl0 nodad
	n rs3 sysctl -qw net.ipv4.conf.all.rp_filter=0 \
		net.ipv4.conf.tunl0.rp_filter=0
	for i in 1 2 3; do
		bg rs$i "$LVSRESP" -b :: tcp 8$((i - 1)) rs$i
	done
	# rs1, NAT, sees its own address as the destination; the others
	# answer from the VIPs.
	bg rs1 "$LVSRESP" -b :: udp 80 rs1
	for i in 2 3; do
		bg rs$i "$LVSRESP" -b $VIP4 udp 8$((i - 1)) rs$i
		bg rs$i "$LVSRESP" -b $VIP6 udp 8$((i - 1)) rs$i
	done
	# Ports 80, 81, 82: NAT to rs1, DR to rs2, TUN to rs3.
	for i in 1 2 3; do
		for proto in tcp udp; do
			echo "service add $proto $VIP4:8$((i - 1)) sched rr"
			echo "dest add $proto $VIP4:8$((i - 1))" \
				"10.0.$i.2:8$((i - 1)) ${METHODS[i - 1]}"
			echo "service add $proto [$VIP6]:8$((i - 1)) sched rr"
			echo "dest add $proto [$VIP6]:8$((i - 1))" \
				"[fd0$i::2]:8$((i - 1)) ${METHODS[i - 1]}"
		done
	done | ipvsctl -b - || return 1
	wait_listen rs1 udp 80 && wait_listen rs3 udp 82 &&
		wait_listen rs3 tcp 82
}

fast()
{
	lvs_info packets
}

# inpkts PROTO VIP:PORT: packets from clients its one destination counted.
inpkts()
{
	[[ $(ipvsctl -j -s dest list "$1" "$2") =~ \"inpkts\":([0-9]+) ]] &&
		echo "${BASH_REMATCH[1]}"
}

# conn_state VIP PORT: the state of the client's one TCP connection there.
conn_state()
{
	ipvsctl conn list tcp "$(hostport "$1" "$2")" |
		awk '{ for (i = 1; i < NF; i++) if ($i == "expires") print $(i - 1) }'
}

SPORT=20000

# conns PROTO VIP:PORT: the one destination's active and inactive
# connections, as "ACTIVE INACTIVE".
conns()
{
	local j

	j=$(ipvsctl -j dest list "$1" "$2")
	[[ $j =~ \"active_conns\":([0-9]+) ]] && echo -n "${BASH_REMATCH[1]} "
	[[ $j =~ \"inactive_conns\":([0-9]+) ]] && echo "${BASH_REMATCH[1]}"
}

# flows VIP PORT RS ON: ten UDP datagrams of one flow and 100 kB over one
# TCP connection to VIP:PORT arrive at RS and are answered; every UDP
# datagram is counted; with ON, all UDP datagrams but the first (which
# creates the entry; the second makes it a stream) and every TCP segment of
# the client but its SYN go the fast path, its handshake's ACK and its
# FIN included, which move the entry on as the normal way does; without,
# none does.
flows()
{
	local vip=$1 port=$2 rs=$3 on=$4 f0 f1 f2 p0 p1 out state

	SPORT=$((SPORT + 1))
	f0=$(fast)
	p0=$(inpkts udp "$(hostport "$vip" "$port")")
	out=$(n c "$LVSREQ" -n 10 -p $SPORT udp "$vip" "$port" 64 | sort | uniq -c)
	[ "$(echo $out)" = "10 $rs ok" ]
	check_err $? "udp to $vip:$port: got \"$out\", want 10 answers from $rs"
	f1=$(fast)
	p1=$(inpkts udp "$(hostport "$vip" "$port")")
	[ $((p1 - p0)) -eq 10 ]
	check_err $? "udp to $vip:$port: $((p1 - p0)) packets counted, want 10"
	if [ "$on" = on ]; then
		[ $((f1 - f0)) -eq 9 ]
		check_err $? "udp to $vip:$port: $((f1 - f0)) fast packets, want 9"
	else
		[ "$f1" -eq "$f0" ]
		check_err $? "udp to $vip:$port: $((f1 - f0)) fast packets, want none"
	fi

	p0=$(inpkts tcp "$(hostport "$vip" "$port")")
	out=$(n c "$LVSREQ" tcp "$vip" "$port" 100000)
	[ "$out" = "$rs ok" ]
	check_err $? "tcp to $vip:$port: got \"$out\", want \"$rs ok\""
	f2=$(fast)
	p1=$(inpkts tcp "$(hostport "$vip" "$port")")
	if [ "$on" = on ]; then
		[ $((f2 - f1)) -eq $((p1 - p0 - 1)) ]
		check_err $? "tcp to $vip:$port: $((f2 - f1)) fast of $((p1 - p0)) segments, want all but the SYN"
	else
		[ "$f2" -eq "$f1" ]
		check_err $? "tcp to $vip:$port: $((f2 - f1)) fast packets, want none"
	fi
	state=$(conn_state "$vip" "$port")
	[[ $state =~ ^(FIN_WAIT|CLOSE_WAIT|TIME_WAIT|CLOSE)$ ]]
	check_err $? "tcp to $vip:$port: entry in state \"$state\" after the close"
	out=$(conns tcp "$(hostport "$vip" "$port")")
	[ "$out" = "0 1" ]
	check_err $? "tcp to $vip:$port: \"$out\" active and inactive, want \"0 1\""
	ipvsctl conn flush
}

# methods ON: flows() through NAT, DR and TUN, IPv4 and IPv6.
methods()
{
	local port rs method fam vip

	for fam in 4 6; do
		vip=$VIP4
		[ $fam = 6 ] && vip=$VIP6
		for port in 80 81 82; do
			rs=rs$((port - 79))
			case $port in
			80) method=NAT ;;
			81) method=DR ;;
			82) method=TUN ;;
			esac
			flows $vip $port $rs "$1"
			log_test "fast path $1: $method IPv$fam, UDP and TCP forwarded and counted"
		done
	done
}

setup
check_err $? "setup failed"
log_test "fast path: topology and services"

# Off, whatever lvs was loaded with (tests/netns/run --fastpath).
ipvsctl info set fastpath off
methods off
ipvsctl info set fastpath on
check_err $? "cannot turn the fast path on"
[[ $(ipvsctl -j info) =~ \"fastpath\":\{\"on\":true,\"held_inet\":false,\"held_inet6\":false ]]
check_err $? "info does not show it on and free: $(ipvsctl info | tail -n 1)"
log_test "fast path: turned on, info shows it"
methods on

# What the fast path leaves to the normal way: a last hop, and a packet
# too big for the route that must not be fragmented, both answered with
# ICMP errors that only the normal way can send.
n d ip link set r1 mtu 1300
for vip in $VIP4 $VIP6; do
	SPORT=$((SPORT + 1))
	f0=$(fast)
	out=$(n c python3 "$ICMPBACK" ttl "$vip" 80 $SPORT)
	[ "$out" = EHOSTUNREACH ]
	check_err $? "ttl 1 to $vip: got \"$out\", want EHOSTUNREACH"
	SPORT=$((SPORT + 1))
	out=$(n c python3 "$ICMPBACK" big "$vip" 80 $SPORT)
	[ "$out" = EMSGSIZE ]
	check_err $? "1400 bytes to $vip over MTU 1300: got \"$out\", want EMSGSIZE"
	f1=$(fast)
	# Each flow: 4 datagrams, the last 3 fast; then the one refused.
	[ $((f1 - f0)) -eq 6 ]
	check_err $? "$vip: $((f1 - f0)) fast packets, want 6"
done
n d ip link set r1 mtu 1500
log_test "fast path: last hop and too big go the normal way, ICMP sent"

# An nftables chain at PREROUTING would see nothing of the fast path's
# packets: while it exists, the fast path stands aside.
n d nft -f - <<-EOF
table inet fptest {
	chain pre {
		type filter hook prerouting priority 0; policy accept;
		udp dport 80 counter
	}
}
EOF
check_err $? "cannot add the nftables chain"
[[ $(ipvsctl -j info) =~ \"held_inet\":true,\"held_inet6\":true ]]
check_err $? "info does not show the fast path held"
SPORT=$((SPORT + 1))
f0=$(fast)
out=$(n c "$LVSREQ" -n 10 -p $SPORT udp $VIP4 80 64 | sort | uniq -c)
[ "$(echo $out)" = "10 rs1 ok" ]
check_err $? "udp with the chain: got \"$out\""
[ "$(fast)" -eq "$f0" ]
check_err $? "the fast path forwarded $(($(fast) - f0)) packets past the chain"
[[ $(n d nft list chain inet fptest pre) =~ counter\ packets\ ([0-9]+) ]] &&
	[ "${BASH_REMATCH[1]}" -eq 10 ]
check_err $? "the chain counted ${BASH_REMATCH[1]:-nothing}, want 10"
n d nft delete table inet fptest
SPORT=$((SPORT + 1))
n c "$LVSREQ" -n 10 -p $SPORT udp $VIP4 80 64 >/dev/null &&
	[ $(($(fast) - f0)) -eq 9 ]
check_err $? "the fast path does not come back after the chain goes"
log_test "fast path: held while an nftables chain hooks PREROUTING"

# A device that comes after the switch gets its hook; one that goes
# takes it along.
link c eth1 10.0.5.2/24 d c5 10.0.5.1/24
n c ip route add $VIP4/32 via 10.0.5.1 dev eth1
SPORT=$((SPORT + 1))
f0=$(fast)
out=$(n c "$LVSREQ" -n 10 -p $SPORT udp $VIP4 80 64 | sort | uniq -c)
[ "$(echo $out)" = "10 rs1 ok" ] && [ $(($(fast) - f0)) -eq 9 ]
check_err $? "a new device: got \"$out\", $(($(fast) - f0)) fast packets"
n d ip link del c5
check_err $? "cannot delete the new device"
SPORT=$((SPORT + 1))
out=$(n c "$LVSREQ" -n 3 -p $SPORT udp $VIP4 80 64 | sort | uniq -c)
[ "$(echo $out)" = "3 rs1 ok" ]
check_err $? "after the device went: got \"$out\""
log_test "fast path: a device added later is hooked, and goes cleanly"

# Off again: nothing goes the fast path, everything arrives.
ipvsctl info set fastpath off
[[ $(ipvsctl -j info) =~ \"fastpath\":\{\"on\":false ]]
check_err $? "info does not show it off"
flows $VIP4 81 rs2 off
log_test "fast path: turned off again, DR IPv4 forwarded the normal way"

# The namespace goes, then lvs unloads, each while the fast path forwards.
# fast_flow PORT SPORT: in the background, UDP requests to VIP4:PORT from
# SPORT, one after the other, until cleanup or the first unanswered.
fast_flow()
{
	bg c sh -c "$LVSREQ -n 100000 -p $2 udp $VIP4 $1 64 >/dev/null"
}

ipvsctl info set fastpath on
f0=$(fast)
fast_flow 80 30080
fast_flow 81 30081
busywait 5000 eval '[ "$(fast)" -gt $((f0 + 100)) ]'
check_err $? "the flows do not go the fast path"
ipvsctl service flush
check_err $? "cannot flush the services"
f0=$(fast)
busywait 5000 eval '[ "$(fast)" -gt $((f0 + 50)) ]'
check_err $? "the flows stop when their services go"
lvs_unload
check_err $? "lvs does not unload under the fast path's traffic"
log_test "fast path: services flushed and lvs unloaded while it forwards"

# Loaded with fastpath=1, the namespaces there before and those made
# after start with it on, their devices hooked.
modprobe lvs fastpath=1
check_err $? "lvs does not load again with fastpath=1"
ns_add e
for ns in d e; do
	[[ $("$IPVSCTL" -n "$PFX-$ns" -j info) =~ \"fastpath\":\{\"on\":true ]]
	check_err $? "fastpath=1: namespace $ns starts with the fast path off"
done
ipvsctl service add udp $VIP4:80 sched rr &&
	ipvsctl dest add udp $VIP4:80 10.0.1.2:80 nat
check_err $? "cannot configure lvs again"
fast_flow 80 31000
busywait 5000 eval '[ "$(fast)" -gt 100 ]'
check_err $? "the flow does not go the fast path"
ip netns del "$PFX-d"
check_err $? "cannot delete the director's namespace"
NAMESPACES=(c rs1 rs2 rs3 e)
busywait 20000 lvs_sched_idle
check_err $? "the namespace's services are not freed"
log_test "fast path: on from load (fastpath=1); namespace deleted while it forwards"

exit $((FAILED > 0))
