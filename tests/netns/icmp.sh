#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# ICMP errors about NAT connections reach the end that sent the packet
# they are about, rewritten to match what that end sent. The topology is
# nat_topology in lib.sh; rs1 answers UDP on 8080 and has nothing on 8081.
#
#   outward  udp 10.0.0.1:53 goes to rs1:8081, which answers with port
#            unreachable; the client's socket, connected to the VIP, must
#            see it as a refusal. The same through the kernel's ip_vs, udp
#            10.0.0.1:54, for comparison. The director itself answers on
#            these ports (as "director"), so a datagram the service failed
#            to take gets an answer, not a refusal from the director's own
#            stack.
#   inward   the client sends the VIP an error about an answer it got from
#            udp 10.0.0.1:80 (rs1:8080); rs1 must get it about the packet
#            it sent, from its own address and port, checksums right.
#
# Then the same over IPv6: the client fd00::2, the VIP fd00::1 and rs1
# fd01::2 beside the IPv4 addresses, udp [fd00::1]:53 going to
# [fd01::2]:8081, where nothing listens. Outward, the client's socket sees
# the refusal; inward, a packet-too-big the client sends the VIP about
# the connection reaches rs1, about the packet rs1 would have sent.

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

plan 8

VIP=10.0.0.1
WORK=$(mktemp -d)
trap 'cleanup; ipvs_ref && modprobe -r ip_vs_rr ip_vs 2>/dev/null
	rm -rf "$WORK"' EXIT

# refused PORT [VIP]: send a datagram from the client to VIP:PORT on a
# connected socket and print what came back: "refused", "answer" or
# "timeout".
refused()
{
	n c python3 - "${2:-$VIP}" "$1" <<-'EOF'
	import socket, sys
	s = socket.socket(socket.AF_INET6 if ":" in sys.argv[1] else
	                  socket.AF_INET, socket.SOCK_DGRAM)
	s.settimeout(5)
	s.connect((sys.argv[1], int(sys.argv[2])))
	s.send(b"hello")
	try:
	    s.recv(100)
	    print("answer")
	except ConnectionRefusedError:
	    print("refused")
	except socket.timeout:
	    print("timeout")
	EOF
}

nat_topology
udp_server rs1 8080 rs1
# The director's own answer, IPv4 and IPv6, to what lvs or ip_vs leaves.
udp_server d 53 director ::
ipvs_ref && udp_server d 54 director ::
ipvsctl service add udp $VIP:53 sched rr &&
	ipvsctl dest add udp $VIP:53 10.0.1.2:8081 &&
	ipvsctl service add udp $VIP:80 sched rr &&
	ipvsctl dest add udp $VIP:80 10.0.1.2:8080
check_err $? "lvs configuration failed"
wait_listen rs1 udp 8080 && wait_listen d udp 53 &&
	{ ! ipvs_ref || wait_listen d udp 54; }
check_err $? "rs1 or the director is not listening"
log_test "ICMP: topology and services are up"

got=$(refused 53)
[ "$got" = refused ]
check_err $? "client got: $got"
log_test "ICMP out: a real server's port unreachable reaches the client"

if ipvs_ref; then
	modprobe ip_vs && modprobe ip_vs_rr &&
		n d ipvsadm -A -u $VIP:54 -s rr &&
		n d ipvsadm -a -u $VIP:54 -r 10.0.1.2:8081 -m
	check_err $? "ipvsadm configuration failed"
	got=$(refused 54)
	[ "$got" = refused ]
	check_err $? "through ip_vs the client got: $got"
	log_test "ICMP out: the kernel's ip_vs gives the same refusal"
	n d ipvsadm -C
else
	ipvs_skip "ICMP out: the kernel's ip_vs gives the same refusal"
fi

# An answer from rs1, then an error about it from the client's side.
got=$(n c socat -t 5 -T 5 - UDP:$VIP:80,sourceport=40000 <<<"x" | head -n 1)
[ "$got" = rs1 ]
check_err $? "no answer from rs1 through udp $VIP:80: $got"
bg rs1 tcpdump -n -vv -l -i eth0 icmp or icmp6 >"$WORK/rs1.txt" \
	2>"$WORK/rs1.err"
busywait 5000 grep -q "listening on" "$WORK/rs1.err"
check_err $? "tcpdump did not start: $(cat "$WORK/rs1.err")"
n c "$LVS_TOP/tests/netns/icmperr.py" $VIP udp $VIP 80 10.0.0.2 40000 1300
check_err $? "sending the error failed"
busywait 5000 grep -q "10.0.1.2.8080 > 10.0.0.2.40000" "$WORK/rs1.txt"
check_err $? "rs1 saw: $(cat "$WORK/rs1.txt")"
grep -q "10.0.0.2 > 10.0.1.2: ICMP 10.0.0.2 unreachable - need to frag (mtu 1300)" \
	"$WORK/rs1.txt"
check_err $? "rs1 saw: $(cat "$WORK/rs1.txt")"
grep -qi "wrong\|bad cksum" "$WORK/rs1.txt"
check_fail $? "checksum errors: $(cat "$WORK/rs1.txt")"
log_test "ICMP in: an error about a NAT answer reaches its real server"

# The same error with a checksum one off, then one from rs1 to the client
# about the request: NAT would rewrite either and compute a checksum that
# makes it look sound, so lvs drops them and counts them.
before=$(drops malformed)
n c "$LVS_TOP/tests/netns/icmperr.py" $VIP udp $VIP 80 10.0.0.2 40000 1200 bad
check_err $? "sending the error failed"
busywait 5000 drops_above malformed "$before"
check_err $? "malformed drops stayed at $before"
n rs1 "$LVS_TOP/tests/netns/icmperr.py" 10.0.0.2 udp 10.0.0.2 40000 \
	10.0.1.2 8080 1200 bad
check_err $? "sending the error failed"
busywait 5000 drops_above malformed $((before + 1))
check_err $? "malformed drops: $(drops malformed), want $((before + 2))"
# (rs1's capture shows what it sent too.)
! grep "mtu 1200" "$WORK/rs1.txt" | grep -q "> 10.0.1.2: ICMP"
check_err $? "rs1 got the corrupt error: $(grep "mtu 1200" "$WORK/rs1.txt")"
log_test "ICMP in, out: errors with wrong checksums are dropped, counted"

n c ip addr add fd00::2/64 dev eth0 nodad &&
	n d ip addr add fd00::1/64 dev c0 nodad &&
	n d ip addr add fd01::1/64 dev rs1 nodad &&
	n rs1 ip addr add fd01::2/64 dev eth0 nodad &&
	n c ip -6 route add default via fd00::1 &&
	n rs1 ip -6 route add default via fd01::1 &&
	n d sysctl -qw net.ipv6.conf.all.forwarding=1 &&
	ipvsctl service add udp '[fd00::1]:53' sched rr &&
	ipvsctl dest add udp '[fd00::1]:53' '[fd01::2]:8081'
check_err $? "IPv6 configuration failed"
got=$(refused 53 fd00::1)
[ "$got" = refused ]
check_err $? "client got: $got"
log_test "ICMPv6 out: a real server's port unreachable reaches the client"

# The entry of the client's port 40000, then an error about it. tcpdump
# does not decode the packet a packet-too-big quotes: look for its source
# fd01::2 and ports 8081 (1f91) and 40000 (9c40) in the bytes.
bg rs1 tcpdump -n -vv -x -l -i eth0 "icmp6 and ip6[40] == 2" \
	>"$WORK/ptb.txt" 2>"$WORK/ptb.err"
busywait 5000 grep -q "listening on" "$WORK/ptb.err"
check_err $? "tcpdump did not start: $(cat "$WORK/ptb.err")"
n c socat -T 2 - UDP6:[fd00::1]:53,sourceport=40000 <<<"x" >/dev/null 2>&1
n c "$LVS_TOP/tests/netns/icmperr.py" fd00::1 udp fd00::1 53 fd00::2 40000 \
	1300
check_err $? "sending the error failed"
busywait 5000 grep -q "packet too big, mtu 1300" "$WORK/ptb.txt"
check_err $? "rs1 saw: $(cat "$WORK/ptb.txt")"
grep "packet too big" "$WORK/ptb.txt" | grep -q "fd00::2 > fd01::2: \[icmp6 sum ok\]"
check_err $? "outer header or checksum: $(cat "$WORK/ptb.txt")"
hex=$(sed -n 's/^[[:space:]]*0x[0-9a-f]*:[[:space:]]*//p' "$WORK/ptb.txt" |
	tr -d ' \n')
quote=fd010000000000000000000000000002fd0000000000000000000000000000021f919c40
[[ $hex == *$quote* ]]
check_err $? "quoted packet is not fd01::2.8081 > fd00::2.40000: $hex"
log_test "ICMPv6 in: packet too big about a NAT answer reaches its server"

before=$(drops malformed)
n c "$LVS_TOP/tests/netns/icmperr.py" fd00::1 udp fd00::1 53 fd00::2 40000 \
	1200 bad
check_err $? "sending the error failed"
busywait 5000 drops_above malformed "$before"
check_err $? "malformed drops stayed at $before"
! grep -q "mtu 1200" "$WORK/ptb.txt"
check_err $? "rs1 got the corrupt error: $(grep "mtu 1200" "$WORK/ptb.txt")"
log_test "ICMPv6 in: an error with a wrong checksum is dropped, counted"

exit $((FAILED > 0))
