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

# nodad DEV...: NODAD, the sysctl settings that turn duplicate address
# detection off in a namespace, for its devices DEV (made already, not up
# yet) and those to come (as ns_add6 does), so that IPv6 addresses are
# usable at once.
nodad()
{
	local dev

	NODAD=()
	for dev in all default "$@"; do
		NODAD+=("net.ipv6.conf.$dev.accept_dad=0")
	done
}

# The namespaces and links in one ip, each namespace's sysctl settings in
# one sysctl and its addresses and routes in one ip -batch: in the debug
# guest each process start costs a quarter of a second or more.
setup()
{
	local i proto ns vips

	modprobe -a ipip ip6_tunnel || return 1
	NAMESPACES+=(c d rs1 rs2 rs3)
	{
		for ns in c d rs1 rs2 rs3; do
			echo "netns add $PFX-$ns"
		done
		echo "link add eth0 netns $PFX-c type veth peer name c0 netns $PFX-d"
		for i in 1 2 3; do
			echo "link add r$i netns $PFX-d type veth" \
				"peer name eth0 netns $PFX-rs$i"
		done
	} | ip -batch - || return 1
	nodad eth0
	for ns in c rs1 rs2; do
		n $ns sysctl -qw "${NODAD[@]}" || return 1
	done
	n rs3 sysctl -qw "${NODAD[@]}" net.ipv4.conf.all.rp_filter=0 \
		net.ipv4.conf.tunl0.rp_filter=0 || return 1
	# DR and TUN answers come from the VIPs, which d holds too.
	nodad c0 r1 r2 r3
	n d sysctl -qw "${NODAD[@]}" net.ipv4.ip_forward=1 \
		net.ipv6.conf.all.forwarding=1 \
		net.ipv4.conf.all.accept_local=1 net.ipv4.conf.all.rp_filter=0 \
		net.ipv4.conf.r2.accept_local=1 net.ipv4.conf.r3.accept_local=1 \
		net.ipv4.conf.r2.rp_filter=0 net.ipv4.conf.r3.rp_filter=0 \
		net.ipv4.conf.all.send_redirects=0 || return 1
	ns_batch c "link set lo up" "addr add 10.0.0.2/24 dev eth0" \
		"addr add fd00::2/64 dev eth0 nodad" "link set eth0 up" \
		"route add default via 10.0.0.1" \
		"route add ::/0 via fd00::1" || return 1
	ns_batch d "link set lo up" "addr add 10.0.0.1/24 dev c0" \
		"addr add fd00::1/64 dev c0 nodad" "link set c0 up" \
		"addr add 10.0.1.1/24 dev r1" "addr add fd01::1/64 dev r1 nodad" \
		"link set r1 up" \
		"addr add 10.0.2.1/24 dev r2" "addr add fd02::1/64 dev r2 nodad" \
		"link set r2 up" \
		"addr add 10.0.3.1/24 dev r3" "addr add fd03::1/64 dev r3 nodad" \
		"link set r3 up" \
		"addr add $VIP4/32 dev lo" "addr add $VIP6/128 dev lo" || return 1
	# rs2 (DR) holds the VIPs on lo, rs3 (TUN) on its tunnel devices.
	vips=([2]="addr add $VIP4/32 dev lo
addr add $VIP6/128 dev lo"
		[3]="link set tunl0 up
link set ip6tnl0 up
addr add $VIP4/32 dev tunl0
addr add $VIP6/128 dev ip6tnl0 nodad")
	for i in 1 2 3; do
		ns_batch rs$i "link set lo up" "addr add 10.0.$i.2/24 dev eth0" \
			"addr add fd0$i::2/64 dev eth0 nodad" "link set eth0 up" \
			"route add default via 10.0.$i.1" \
			"route add ::/0 via fd0$i::1" ${vips[i]:+"${vips[i]}"} ||
			return 1
	done
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

# ipvsctl_json CMD...: the ipvsctl commands CMD in one ipvsctl -j (a batch,
# a line each); JSON[i]: the i-th document they printed, one line each
# ("info set" and "conn flush" print none). What a check reads at one
# moment comes from one process: each costs the debug guest a quarter of a
# second or more.
ipvsctl_json()
{
	local IFS=$'\n' out

	JSON=()
	out=$(ipvsctl -j -b - <<<"$*") || return 1
	mapfile -t JSON <<<"$out"
}

# json_num VAR KEY JSON: VAR set to KEY's number, its first in JSON: with
# info, "packets" is what the fast path forwarded; with "dest list" of a
# service of one destination, "inpkts" the packets from clients it
# counted, "active_conns" and "inactive_conns" its connections.
json_num()
{
	[[ $3 =~ \"$2\":([0-9]+) ]] && printf -v "$1" %s "${BASH_REMATCH[1]}"
}

# json_states JSON: STATES, the states of the connections of a "conn list"
# document, blank-separated.
json_states()
{
	local rest=$1

	STATES=
	while [[ $rest =~ \"state\":\"([^\"]*)\"(.*) ]]; do
		STATES+=${STATES:+ }${BASH_REMATCH[1]}
		rest=${BASH_REMATCH[2]}
	done
}

# answered OUT N RS: OUT, what lvsreq printed, is N lines "RS ok".
answered()
{
	local line n=0

	while IFS= read -r line; do
		[ "$line" = "$3 ok" ] || return 1
		n=$((n + 1))
	done <<<"$1"
	[ "$n" = "$2" ]
}

SPORT=20000

# flows VIP PORT RS ON: ten UDP datagrams of one flow and 100 kB over one
# TCP connection to VIP:PORT arrive at RS and are answered; every UDP
# datagram is counted; with ON, all UDP datagrams but the first (which
# creates the entry; the second makes it a stream) and every TCP segment of
# the client but its SYN go the fast path, its handshake's ACK and its
# FIN included, which move the entry on as the normal way does; without,
# none does.
flows()
{
	local vip=$1 port=$2 rs=$3 on=$4 svc=$1:$2 f0= f1= f2= p0= p1= a= i=
	local out

	[[ $vip = *:* ]] && svc=[$vip]:$port
	SPORT=$((SPORT + 1))
	ipvsctl_json info "dest list udp $svc" &&
		json_num f0 packets "${JSON[0]:-}" &&
		json_num p0 inpkts "${JSON[1]:-}"
	check_err $? "cannot read the counters: ${JSON[*]}"
	out=$(n c "$LVSREQ" -n 10 -p $SPORT udp "$vip" "$port" 64)
	answered "$out" 10 "$rs"
	check_err $? "udp to $vip:$port: got \"${out//$'\n'/, }\", want 10 answers from $rs"
	# The UDP flow's counts, and the TCP service's before its request.
	ipvsctl_json info "dest list udp $svc" "dest list tcp $svc" &&
		json_num f1 packets "${JSON[0]:-}" &&
		json_num p1 inpkts "${JSON[1]:-}"
	check_err $? "cannot read the counters: ${JSON[*]}"
	[ $((p1 - p0)) -eq 10 ]
	check_err $? "udp to $vip:$port: $((p1 - p0)) packets counted, want 10"
	if [ "$on" = on ]; then
		[ $((f1 - f0)) -eq 9 ]
		check_err $? "udp to $vip:$port: $((f1 - f0)) fast packets, want 9"
	else
		[ "$f1" -eq "$f0" ]
		check_err $? "udp to $vip:$port: $((f1 - f0)) fast packets, want none"
	fi

	json_num p0 inpkts "${JSON[2]:-}"
	out=$(n c "$LVSREQ" tcp "$vip" "$port" 100000)
	[ "$out" = "$rs ok" ]
	check_err $? "tcp to $vip:$port: got \"$out\", want \"$rs ok\""
	# Counts, entry and connections read at once, then the table emptied.
	ipvsctl_json info "dest list tcp $svc" "conn list tcp $svc" \
		"conn flush" && json_num f2 packets "${JSON[0]:-}" &&
		json_num p1 inpkts "${JSON[1]:-}" && json_num a active_conns \
		"${JSON[1]:-}" && json_num i inactive_conns "${JSON[1]:-}"
	check_err $? "cannot read the counters: ${JSON[*]}"
	if [ "$on" = on ]; then
		[ $((f2 - f1)) -eq $((p1 - p0 - 1)) ]
		check_err $? "tcp to $vip:$port: $((f2 - f1)) fast of $((p1 - p0)) segments, want all but the SYN"
	else
		[ "$f2" -eq "$f1" ]
		check_err $? "tcp to $vip:$port: $((f2 - f1)) fast packets, want none"
	fi
	json_states "${JSON[2]:-}"
	[[ $STATES =~ ^(FIN_WAIT|CLOSE_WAIT|TIME_WAIT|CLOSE)$ ]]
	check_err $? "tcp to $vip:$port: entry in state \"$STATES\" after the close"
	[ "$a $i" = "0 1" ]
	check_err $? "tcp to $vip:$port: \"$a $i\" active and inactive, want \"0 1\""
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
ipvsctl_json "info set fastpath on" info
check_err $? "cannot turn the fast path on"
[[ ${JSON[0]:-} =~ \"fastpath\":\{\"on\":true,\"held_inet\":false,\"held_inet6\":false ]]
check_err $? "info does not show it on and free: ${JSON[0]:-}"
log_test "fast path: turned on, info shows it"
methods on

# What the fast path leaves to the normal way: a last hop, and a packet
# too big for the route that must not be fragmented, both answered with
# ICMP errors that only the normal way can send.
n d ip link set r1 mtu 1300
for vip in $VIP4 $VIP6; do
	f0=$(fast)
	# Both flows in one python3, each from a port of its own.
	out=$(n c python3 "$ICMPBACK" ttl "$vip" 80 $((SPORT + 1)) \
		big "$vip" 80 $((SPORT + 2)))
	SPORT=$((SPORT + 2))
	ttl= big=
	{ read -r ttl; read -r big; } <<<"$out"
	[ "$ttl" = EHOSTUNREACH ]
	check_err $? "ttl 1 to $vip: got \"$ttl\", want EHOSTUNREACH"
	[ "$big" = EMSGSIZE ]
	check_err $? "1400 bytes to $vip over MTU 1300: got \"$big\", want EMSGSIZE"
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
f0=
ipvsctl_json info && json_num f0 packets "${JSON[0]:-}"
[[ ${JSON[0]:-} =~ \"held_inet\":true,\"held_inet6\":true ]]
check_err $? "info does not show the fast path held"
SPORT=$((SPORT + 1))
out=$(n c "$LVSREQ" -n 10 -p $SPORT udp $VIP4 80 64)
answered "$out" 10 rs1
check_err $? "udp with the chain: got \"${out//$'\n'/, }\""
f1=$(fast)
[ "$f1" -eq "$f0" ]
check_err $? "the fast path forwarded $((f1 - f0)) packets past the chain"
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
# d's end up first: c's route wants its link's carrier.
ip link add eth1 netns "$PFX-c" type veth peer name c5 netns "$PFX-d" &&
	ns_batch d "addr add 10.0.5.1/24 dev c5" "link set c5 up" &&
	ns_batch c "addr add 10.0.5.2/24 dev eth1" "link set eth1 up" \
		"route add $VIP4/32 via 10.0.5.1 dev eth1"
check_err $? "cannot add the new device"
SPORT=$((SPORT + 1))
f0=$(fast)
out=$(n c "$LVSREQ" -n 10 -p $SPORT udp $VIP4 80 64)
f1=$(fast)
answered "$out" 10 rs1 && [ $((f1 - f0)) -eq 9 ]
check_err $? "a new device: got \"${out//$'\n'/, }\", $((f1 - f0)) fast packets"
n d ip link del c5
check_err $? "cannot delete the new device"
SPORT=$((SPORT + 1))
out=$(n c "$LVSREQ" -n 3 -p $SPORT udp $VIP4 80 64)
answered "$out" 3 rs1
check_err $? "after the device went: got \"${out//$'\n'/, }\""
log_test "fast path: a device added later is hooked, and goes cleanly"

# Off again: nothing goes the fast path, everything arrives.
ipvsctl_json "info set fastpath off" info
[[ ${JSON[0]:-} =~ \"fastpath\":\{\"on\":false ]]
check_err $? "info does not show it off"
flows $VIP4 81 rs2 off
log_test "fast path: turned off again, DR IPv4 forwarded the normal way"

# The namespace goes, then lvs unloads, each while the fast path forwards.
# fast_flow PORT SPORT: in the background, UDP requests to VIP4:PORT from
# SPORT, one after the other, until cleanup or the first unanswered.
fast_flow()
{
	bg c "$LVSREQ" -n 100000 -p "$2" udp $VIP4 "$1" 64 >/dev/null
}

f0=
ipvsctl_json "info set fastpath on" info && json_num f0 packets "${JSON[0]:-}"
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
ipvsctl -b - <<<"service add udp $VIP4:80 sched rr
dest add udp $VIP4:80 10.0.1.2:80 nat"
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
