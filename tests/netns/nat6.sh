#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# NAT load balancing of TCP and UDP over IPv6 to two real servers, by lvs
# on port 80 and by the kernel's ip_vs (ipvsadm -m) on port 81.
#
#   c    2001:db8::2/64     the client, through d
#   d    2001:db8::1/64     the director; the VIP is its own 2001:db8::1
#        2001:db8:ff::100   and last, under conntrack, this one on c0
#        2001:db8:1::1/64   towards rs1
#        2001:db8:2::1/64   towards rs2
#   rs1  2001:db8:1::2/64   real servers, listening on 8080
#   rs2  2001:db8:2::2/64
#
# The real servers' default gateway is the director. They listen on 8080,
# the services on 80 and 81, so ports are rewritten as well as addresses.

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

plan 10

LVS_IPV6=1
VIP=2001:db8::1
WORK=$(mktemp -d)
trap 'cleanup; ipvs_ref && modprobe -r ip_vs_rr ip_vs 2>/dev/null
	rm -rf "$WORK"' EXIT

setup()
{
	local ns rs

	for ns in c d rs1 rs2; do
		ns_add6 $ns
	done
	link c eth0 2001:db8::2/64 d c0 2001:db8::1/64
	link d rs1 2001:db8:1::1/64 rs1 eth0 2001:db8:1::2/64
	link d rs2 2001:db8:2::1/64 rs2 eth0 2001:db8:2::2/64
	n c ip -6 route add default via 2001:db8::1
	n rs1 ip -6 route add default via 2001:db8:1::1
	n rs2 ip -6 route add default via 2001:db8:2::1
	n d sysctl -qw net.ipv6.conf.all.forwarding=1
	for rs in rs1 rs2; do
		tcp_server $rs 8080 $rs
		udp_server $rs 8080 $rs
	done
	wait_servers rs1 8080 && wait_servers rs2 8080
}

# services PORT: TCP and UDP services on [VIP]:PORT, round robin over the
# two real servers' port 8080, by lvs (port 80) or ip_vs (81).
services()
{
	local proto rs

	for proto in tcp udp; do
		if [ "$1" = 80 ]; then
			ipvsctl service add $proto "[$VIP]:80" sched rr
		else
			n d ipvsadm -A --$proto-service "[$VIP]:81" -s rr
		fi
		check_err $? "$proto service on port $1"
		for rs in 2001:db8:1::2 2001:db8:2::2; do
			if [ "$1" = 80 ]; then
				ipvsctl dest add $proto "[$VIP]:80" "[$rs]:8080" nat
			else
				n d ipvsadm -a --$proto-service "[$VIP]:81" \
					-r "[$rs]:8080" -m
			fi
			check_err $? "$proto real server $rs on port $1"
		done
	done
}

setup
check_err $? "the responders do not listen"
bg c tcpdump -n -i eth0 -w "$WORK/c.pcap" -U ip6 2>/dev/null
busywait 10000 test -s "$WORK/c.pcap"
check_err $? "tcpdump does not start"
services 80
log_test "NAT6: configure IPv6 TCP and UDP services, two real servers"

alternates tcp 80 1000 4 rs1
log_test "NAT6 TCP: small requests alternate rs1, rs2 and arrive intact"

alternates tcp 80 300000 2
log_test "NAT6 TCP: 300 kB requests (GSO/offload) arrive intact both ways"

alternates udp 80 1000 2 rs1
alternates udp 80 3000 2
log_test "NAT6 UDP: datagrams (and fragmented ones) alternate, intact"

if ipvs_ref; then
	modprobe ip_vs
	check_err $? "cannot load ip_vs"
	services 81
	alternates tcp 81 1000 2 &&
		alternates tcp 81 300000 1 &&
		alternates udp 81 1000 2 &&
		alternates udp 81 3000 2
	log_test "NAT6 ip_vs: the same through ipvsadm -m on port 81"
else
	ipvs_skip "NAT6 ip_vs: the same through ipvsadm -m on port 81"
fi

out=$(ipvsctl -j service list | python3 -c "
import json, sys
d = json.load(sys.stdin)
print(sum(s['stats']['conns'] for s in d if s['protocol'] == 'tcp'),
      min(x['stats'][k] for s in d for x in s['dests']
          for k in ('inpkts', 'outpkts', 'inbytes', 'outbytes')))")
[ "${out% *}" = 6 ] && [ "${out#* }" -gt 0 ]
check_err $? "tcp connections, least traffic counter: $out (want 6, > 0)"
log_test "NAT6: counters account connections and both directions"

# Stop the capture itself (SIGINT: it writes out what it holds) before
# reading it.
sleep 1
ns_stop c tcpdump INT
check_err $? "the client's capture did not stop"
bad=$(tcpdump -n -r "$WORK/c.pcap" 'tcp or udp' 2>/dev/null |
	awk '{print $3}' | grep -v -E '^2001:db8::(1|2)(\.|$)' | head -3)
seen=$(tcpdump -n -r "$WORK/c.pcap" 'tcp or udp' 2>/dev/null | wc -l)
[ -z "$bad" ] && [ "$seen" -gt 20 ]
check_err $? "client saw packets from: ${bad:-nothing else}, $seen packets"
log_test "NAT6: the client only ever sees the VIP"

# A UDP checksum of zero is "none" for a receiver that allows it (RFC 6935
# tunnels); NAT must keep it zero, not update it into a wrong one.
n rs1 python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_UDP, 102, 1)	# UDP_NO_CHECK6_RX
s.bind(("2001:db8:1::2", 8082))
s.settimeout(60)
open(sys.argv[1], "wb").write(s.recv(100))' "$WORK/zero.out" &
zero_rx=$!
ipvsctl service add udp "[$VIP]:82" sched rr &&
	ipvsctl dest add udp "[$VIP]:82" "[2001:db8:1::2]:8082" nat &&
	wait_listen rs1 udp 8082
check_err $? "no service or receiver on port 82"
n c python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_UDP, 101, 1)	# UDP_NO_CHECK6_TX
s.sendto(b"no checksum", (sys.argv[1], 82))' "$VIP"
wait $zero_rx && [ "$(cat "$WORK/zero.out")" = "no checksum" ]
check_err $? "a zero-checksum datagram did not arrive through NAT"
log_test "NAT6 UDP: a zero checksum (RFC 6935) stays zero through NAT"

# A TCP header cut short, behind a destination options header: the parser
# must follow the extension header to find it.
before=$(drops malformed)
n c python3 -c '
import socket, struct, sys
s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_TCP)
opts = bytes([socket.IPPROTO_TCP, 0, 1, 4, 0, 0, 0, 0])
for _ in range(3):
    s.sendmsg([struct.pack(">HHI", 40000, 80, 1)],
               [(socket.IPPROTO_IPV6, socket.IPV6_DSTOPTS, opts)],
               0, (sys.argv[1], 0))' "$VIP"
check_err $? "cannot send the packets"
busywait 3000 drops_above malformed $((before + 2))
check_err $? "malformed drops: $(drops malformed), want $((before + 3))"
log_test "NAT6: truncated TCP after an extension header, dropped, counted"

# Test the same through conntrack and a stateful ruleset as nat.sh does:
# answers established, not masqueraded. The VIP is of a prefix of its
# own, so that masquerade would pick 2001:db8::1 for the client.
VIP=2001:db8:ff::100
n d ip addr add $VIP/128 dev c0 && stateful_director c0 8080
check_err $? "cannot load the stateful ruleset"
for proto in tcp udp; do
	ipvsctl service add $proto "[$VIP]:80" sched rr &&
		ipvsctl dest add $proto "[$VIP]:80" "[2001:db8:1::2]:8080" nat &&
		ipvsctl dest add $proto "[$VIP]:80" "[2001:db8:2::2]:8080" nat
	check_err $? "$proto service on $VIP failed"
done
alternates tcp 80 1000 2 && alternates tcp 80 100000 2 &&
	alternates udp 80 1000 2
[ "$(stateful_count established)" -gt 0 ] &&
	[ "$(stateful_count invalid)$(stateful_count policy)" = 00 ] &&
	[ "$(stateful_count masquerade)" = 0 ]
check_err $? "firewall counters: $(stateful_counters)"
[ "$RET" = 0 ] || echo "# firewall counters: $(stateful_counters)"
log_test "NAT6 conntrack: TCP, UDP through a stateful ruleset, from the VIP"

exit $((FAILED > 0))
