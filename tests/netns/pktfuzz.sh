#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Packet fuzzing: pktfuzz.py sends mutated IPv4/IPv6 TCP, UDP, SCTP and
# ICMP packets (cut, flipped, wrong lengths and checksums, odd fragments,
# options and extension headers) at the VIPs and into two tracked
# connections, from the client and from the real server. The director
# drops and counts what is malformed, the tracked connections carry their
# data intact and stay established, new connections still work, and (in
# the debug kernel) nothing is reported.
#
# LVS_PKTFUZZ_COUNT (default 1500) packets from each side; LVS_PKTFUZZ_SEED
# repeats a run.
#
#   c 10.0.0.2 2001:db8::2 -- d (VIPs 10.0.0.1, 2001:db8::1)
#                               -- rs1 10.0.1.2 2001:db8:1::2 :8080

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

plan 4

LVS_IPV6=1
VIP=10.0.0.1
VIP6=2001:db8::1
COUNT=${LVS_PKTFUZZ_COUNT:-1500}
SEED=$((10#${LVS_PKTFUZZ_SEED:-$(date +%N)}))
WORK=$(mktemp -d)
trap 'cleanup; rm -rf "$WORK"' EXIT

setup()
{
	local ns proto vip

	for ns in c d rs1; do
		ns_add6 $ns
	done
	link c eth0 10.0.0.2/24 d c0 10.0.0.1/24
	link d rs1 10.0.1.1/24 rs1 eth0 10.0.1.2/24
	n c ip addr add 2001:db8::2/64 dev eth0
	n d ip addr add 2001:db8::1/64 dev c0
	n d ip addr add 2001:db8:1::1/64 dev rs1
	n rs1 ip addr add 2001:db8:1::2/64 dev eth0
	n c ip route add default via 10.0.0.1
	n c ip -6 route add default via 2001:db8::1
	n rs1 ip route add default via 10.0.1.1
	n rs1 ip -6 route add default via 2001:db8:1::1
	n d sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
	tcp_server rs1 8080 rs1
	udp_server rs1 8080 rs1
	wait_servers rs1 8080 || return 1
	for vip in "$VIP:80" "[$VIP6]:80"; do
		for proto in tcp udp; do
			ipvsctl service add $proto "$vip" sched rr &&
				ipvsctl dest add $proto "$vip" \
					"$(rs_of "$vip")" nat || return 1
		done
	done
	ipvsctl service add sctp "$VIP:80" sched rr &&
		ipvsctl dest add sctp "$VIP:80" 10.0.1.2:8080 nat
}

rs_of()
{
	case $1 in
	\[*) echo "[2001:db8:1::2]:8080" ;;
	*) echo "10.0.1.2:8080" ;;
	esac
}

# stream ADDR NAME: a connection from port 40003 to ADDR:80 that sends
# 64 kB, a kilobyte every 2 s until $WORK/go appears, then 64 kB more,
# and checks the real server's hash of all of it; prints "NAME ok" or
# what went wrong.
stream()
{
	n c python3 -c '
import hashlib, os, socket, sys, time
addr, name, go = sys.argv[1], sys.argv[2], sys.argv[3]
fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
s = socket.socket(fam, socket.SOCK_STREAM)
if fam == socket.AF_INET6:
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
s.bind(("::" if fam == socket.AF_INET6 else "0.0.0.0", 40003))
s.settimeout(120)
s.connect((addr, 80))
data = os.urandom(65536)
s.sendall(data)
open(go + "." + name, "w").close()
# A kilobyte every 2 s: the server closes a connection silent for 60 s.
while not os.path.exists(go):
    more = os.urandom(1024)
    s.sendall(more)
    data += more
    time.sleep(2)
more = os.urandom(65536)
s.sendall(more)
data += more
s.shutdown(socket.SHUT_WR)
got = b""
while True:
    b = s.recv(4096)
    if not b:
        break
    got += b
want = "rs1\n" + hashlib.sha256(data).hexdigest() + "\n"
print(name, "ok" if got.decode() == want else "bad: %r" % got)' \
		"$1" "$2" "$WORK/go" >"$WORK/$2.out" 2>&1
}

established()
{
	ipvsctl conn list | grep -q "^tcp $1:40003 .* ESTABLISHED "
}

setup
check_err $? "setup failed: $(ipvsctl service list)"
stream "$VIP" v4 &
s4=$!
stream "$VIP6" v6 &
s6=$!
busywait 10000 test -e "$WORK/go.v4" -a -e "$WORK/go.v6" &&
	established 10.0.0.2 && established '\[2001:db8::2\]'
check_err $? "no tracked connections: $(ipvsctl conn list; cat "$WORK"/*.out)"
log_test "pktfuzz: two tracked connections, TCP, UDP, SCTP services"

before=$(drops malformed)
n c python3 "$LVS_TOP/tests/netns/pktfuzz.py" --seed "$SEED" \
	--count "$COUNT" --src4 10.0.0.2 --dst4 $VIP --src6 2001:db8::2 \
	--dst6 $VIP6 --conn 40003:80 eth0 "$(n d cat /sys/class/net/c0/address)" \
	>"$WORK/c.log" 2>&1
check_err $? "the fuzzer failed: $(cat "$WORK/c.log")"
n rs1 python3 "$LVS_TOP/tests/netns/pktfuzz.py" --seed "$((SEED + 1))" \
	--count "$COUNT" --reply --src4 10.0.1.2 --dst4 10.0.0.2 \
	--src6 2001:db8:1::2 --dst6 2001:db8::2 --conn 8080:40003 eth0 \
	"$(n d cat /sys/class/net/rs1/address)" >"$WORK/rs1.log" 2>&1
check_err $? "the fuzzer failed: $(cat "$WORK/rs1.log")"
echo "pktfuzz: client $(head -1 "$WORK/c.log"), real server" \
	"$(head -1 "$WORK/rs1.log"); malformed drops $before ->" \
	"$(drops malformed)"
drops_above malformed $((before + COUNT / 20))
check_err $? "malformed drops: $before -> $(drops malformed)"
log_test "pktfuzz: $((2 * COUNT)) mutated packets, the malformed counted"

established 10.0.0.2 && established '\[2001:db8::2\]'
check_err $? "a tracked connection moved: $(ipvsctl conn list | grep 40003)"
touch "$WORK/go"
wait $s4 && wait $s6 &&
	[ "$(cat "$WORK/v4.out" "$WORK/v6.out")" = "$(printf 'v4 ok\nv6 ok')" ]
check_err $? "seed $SEED: $(cat "$WORK/v4.out" "$WORK/v6.out")"
log_test "pktfuzz: tracked connections stay established, data intact"

[ "$(request tcp 80 1000)" = "rs1 ok" ] &&
	[ "$(request udp 80 1000)" = "rs1 ok" ] &&
	[ "$(VIP=$VIP6 request tcp 80 1000)" = "rs1 ok" ] &&
	[ "$(VIP=$VIP6 request udp 80 1000)" = "rs1 ok" ]
check_err $? "seed $SEED: new connections fail after the fuzzing"
log_test "pktfuzz: new connections work after the fuzzing"

exit $((FAILED > 0))
