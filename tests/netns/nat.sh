#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# NAT load balancing of TCP and UDP to two real servers.
#
# The topology is nat_topology in lib.sh. The real servers also answer UDP
# on port 8081 with the request itself (lvsresp -e), for the VIP's port 81;
# their links shrink to MTU 1280 for the datagrams that cross them in
# fragments. Last, the director gets conntrack, a stateful ruleset and a
# second VIP, 10.0.0.100 on c0.

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

plan 16

VIP=10.0.0.1
WORK=$(mktemp -d)

setup()
{
	nat_topology
	for rs in rs1 rs2; do
		tcp_server $rs 8080 $rs
		udp_server $rs 8080 $rs
		LVS_ECHO=1 udp_server $rs 8081 $rs
	done
	wait_listen rs1 tcp 8080 && wait_listen rs2 tcp 8080 &&
		wait_listen rs2 udp 8081
}

json_field()
{
	python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"
}

# demux_socket: in the director, a UDP socket bound to VIP:80 and
# connected to the client's port 40000, as a local program's could be;
# it only ever waits. It asks for receive timestamps (SO_TIMESTAMP),
# which from then on every packet the guest receives gets.
demux_socket()
{
	bg d python3 -c "
import socket, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, 29, 1)
s.bind(('$VIP', 80))
s.connect(('10.0.0.2', 40000))
open('$WORK/demux', 'w').close()
time.sleep(900)"
	busywait 5000 test -e "$WORK/demux"
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

# Test that datagrams too big for the real servers' links cross them in
# fragments both ways. The director gets a request reassembled by its
# stack and cuts it for the link; it must put a real server's fragmented
# answer together to give it the VIP, and cut it again for the client.
for rs in rs1 rs2; do
	n d ip link set $rs mtu 1280 && n $rs ip link set eth0 mtu 1280
	check_err $? "cannot set the MTU of $rs's link"
done
alternates udp 80 3000 2
log_test "NAT UDP: 3000-byte requests reach the servers in fragments"

# Its servers added by one request (a batch's run of "dest add" lines).
ipvsctl service add udp 10.0.0.1:81 sched rr &&
	printf '%s\n' "dest add udp 10.0.0.1:81 10.0.1.2:8081 nat" \
		"dest add udp 10.0.0.1:81 10.0.2.2:8081 nat" | ipvsctl -b -
check_err $? "udp echo service configuration failed"
LVS_ECHO=1 alternates udp 81 3000 4
log_test "NAT UDP: 3000-byte answers in fragments reach the client intact"

# Test that forwarded fragments the director cannot put together (they
# overlap) are dropped and counted, not sent on as they are.
before=$(drops malformed)
n rs1 python3 "$LVS_TOP/tests/netns/rawpkt.py" overlap 10.0.0.2 40000
busywait 3000 drops_above malformed "$before"
got=$(drops malformed)
[ "$got" = $((before + 1)) ]
check_err $? "malformed drops: $got, want $((before + 1))"
log_test "NAT: fragments that cannot be reassembled are dropped, counted"

# Test that a local socket early demux finds for a client's datagram stays
# behind: the datagram goes to a real server, not out of that socket. The
# director's nftables would take it for the socket's (root's, for "meta
# skuid"), as would whatever else looks at a packet's socket on the way
# out (fq's per-socket pacing, the accounting of fragments).
demux_socket
check_err $? "the director's socket did not start"
n d nft -f - <<-EOF
	table ip owned {
		chain post {
			type filter hook postrouting priority 0;
			udp dport 8080 meta skuid 0 counter
		}
	}
EOF
check_err $? "nftables counting rule failed"
got=$(n c "$LVSREQ" -p 40000 udp "$VIP" 80 100)
[[ $got == rs?" ok" ]]
check_err $? "request from port 40000 answered: $got"
owned=$(n d nft list chain ip owned post | grep -o 'packets [0-9]*')
[ "$owned" = "packets 0" ]
check_err $? "the director sent the request as its socket's: $owned"
log_test "NAT: a request leaves without the socket early demux gave it"

# Test that a request leaves without the time it arrived, now that
# packets get one: fq on the director's link to rs1 would take that
# wall-clock time for a time to send it, far beyond its horizon, and
# drop the request. The debug kernel has no fq.
what="NAT: a request leaves without its receive time (fq on the way)"
if n d tc qdisc add dev rs1 root fq 2>/dev/null; then
	alternates udp 80 100 2
	late=$(n d tc -s qdisc show dev rs1 |
		sed -n 's/.*horizon_drops \([0-9]*\).*/\1/p')
	[ -z "$late" ]
	check_err $? "fq dropped $late beyond its horizon"
	n d tc qdisc del dev rs1 root
	log_test "$what"
else
	log_skip "$what" "no fq qdisc in this kernel"
fi

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
# reading it. Fragments after the first show addresses without ports.
ns_stop c tcpdump INT
check_err $? "the client's capture did not stop"
bad=$(tcpdump -n -r "$WORK/client.pcap" 2>/dev/null |
	awk '{print $3}' | grep -v -E '^10\.0\.0\.(1|2)(\.[0-9]+)?$' | head -3)
seen=$(tcpdump -n -r "$WORK/client.pcap" 2>/dev/null | wc -l)
[ -z "$bad" ] && [ "$seen" -gt 20 ]
check_err $? "client saw packets from: ${bad:-nothing else}, $seen packets"
log_test "NAT: the client only ever sees the VIP"

# The answers' fragments, cut at 1280 bytes by the real servers, may not
# grow on the client's link of 1500.
sizes=$(tcpdump -n -v -r "$WORK/client.pcap" \
	'src host 10.0.0.1 and ip[6:2] & 0x3fff != 0' 2>/dev/null |
	sed -n 's/.*proto UDP (17), length \([0-9]*\)).*/\1/p' | sort -n -u)
[ -n "$sizes" ] && [ "$(echo "$sizes" | tail -n 1)" -le 1280 ]
check_err $? "sizes of the answers' fragments: $(echo ${sizes:-none})"
log_test "NAT: answers leave in fragments no larger than they came in"

ipvsctl service del tcp 10.0.0.1:80
check_err $? "service del failed"
out=$(n c socat -T 2 - TCP:10.0.0.1:80,connect-timeout=2 </dev/null 2>&1)
check_fail $? "connection still accepted after delete: $out"
echo "$out" | grep -q -i refused
check_err $? "expected connection refused, got: $out"
request udp 80 100 | grep -q '^rs. ok'
check_err $? "the other (UDP) service stopped working"
log_test "NAT: deleting a service stops its forwarding, not others'"

# Test that conntrack on the director, under a stateful ruleset, changes
# nothing: lvs tells conntrack that a connection's answers come from its
# real server, so they are established to the FORWARD policy, and
# masquerade, looked up for a connection's first packet only, never sees
# them. The VIP 10.0.0.100 is not the address masquerade would give the
# answers (10.0.0.1, c0's first).
VIP=10.0.0.100
n d ip addr add $VIP/24 dev c0 && stateful_director c0 8080
check_err $? "cannot load the stateful ruleset"
for proto in tcp udp; do
	ipvsctl service add $proto $VIP:80 sched rr &&
		ipvsctl dest add $proto $VIP:80 10.0.1.2:8080 nat &&
		ipvsctl dest add $proto $VIP:80 10.0.2.2:8080 nat
	check_err $? "$proto service on $VIP failed"
done
alternates tcp 80 1000 2 && alternates tcp 80 100000 2 &&
	alternates udp 80 1000 2
read -r est inv pol masq \
	<<<"$(stateful_count established invalid policy masquerade)"
[ "$est" -gt 0 ] && [ "$inv $pol $masq" = "0 0 0" ]
check_err $? "firewall counters: $(stateful_counters)"
[ "$RET" = 0 ] || echo "# firewall counters: $(stateful_counters)"
log_test "NAT conntrack: TCP, UDP through a stateful ruleset, answers from VIP"

# unwanted: what the stateful ruleset counted invalid, dropped by its
# policy and masqueraded.
unwanted()
{
	stateful_count invalid policy masquerade
}

# reused RS: a datagram from the client's fixed port 40053 to $VIP:53 is
# answered by real server RS (lvsreq waits 10 s for an answer), and the
# stateful ruleset counted nothing unwanted since the check began (base).
reused()
{
	local got

	got=$(n c "$LVSREQ" -p 40053 udp "$VIP" 53 100)
	[ "$got" = "$1 ok" ]
	check_err $? "from port 40053: got \"$got\", want \"$1 ok\""
	[ "$(unwanted)" = "$base" ]
	check_err $? "firewall counters: $(stateful_counters), were $base"
}

conns_gone()
{
	[ "$(lvs_info conn_count)" = 0 ]
}

# Test that a client reusing its source port once its lvs entry is gone,
# as a resolver with a fixed port does, is answered by the next real
# server: the conntrack entry lvs told to expect answers from the old
# one goes with the lvs entry, so the new one's answers are established
# again rather than new connections from a real server, which the
# ruleset drops. First the entry is flushed, then it expires.
ipvsctl service add udp $VIP:53 sched rr &&
	ipvsctl dest add udp $VIP:53 10.0.1.2:8080 nat &&
	ipvsctl dest add udp $VIP:53 10.0.2.2:8080 nat
check_err $? "udp service on $VIP:53 failed"
base=$(unwanted)
reused rs1
ipvsctl conn flush
check_err $? "conn flush failed"
reused rs2
log_test "NAT conntrack: a client port reused after a flush, answered by rs2"

base=$(unwanted)
ipvsctl timeout set udp 2
check_err $? "timeout set udp 2 failed"
ipvsctl conn flush
check_err $? "conn flush failed"
reused rs1
busywait 10000 conns_gone
check_err $? "the 2 s UDP entry did not expire: $(lvs_info conn_count) left"
reused rs2
log_test "NAT conntrack: a client port reused after expiry, answered by rs2"

exit $((FAILED > 0))
