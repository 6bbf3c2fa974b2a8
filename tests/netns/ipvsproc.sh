#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# IPVS compatibility mode's /proc/net/ip_vs* files (lvs ipvs_compat=1)
# against the kernel's ip_vs. The same services, configured with ipvsadm
# into ip_vs and then with ipvsctl into lvs, get the same traffic; the
# files must read the same, but for what differs by right:
#  - the "size=" of ip_vs's header: ip_vs's fixed connection hash (4096
#    buckets), lvs's client-side buckets now (lvs_conn_tab_size());
#  - the order of services and destinations: ip_vs's hash order, its
#    destinations newest first; lvs's creation order (sorted here);
#  - a connection's client port (the client's ephemeral one) and its
#    seconds to expiry (when the guest ran it);
#  - rates, which depend on when the estimators last ran.
# Then, lvs alone (also in the debug guest): the files exist only with
# ipvs_compat=1, in every namespace with its own services; ip_vs_conn
# reads the same in 37-byte pieces as at once; the totals are the sums of
# the services' counters and the UDP traffic sent; reading them while
# services come and go breaks nothing; prometheus-node-exporter's ipvs
# collector reports what ipvsctl does.
#
#  +------------------+      +---------------------------+     +-------------+
#  | c (client)       |      | d (director)              |     | rs1 (NAT)   |
#  | 10.0.0.2/24      +------+ 10.0.0.1/24   10.0.1.1/24 +-----+ 10.0.1.2/24 |
#  | fd00::2/64       |      | fd00::1/64    fd01::1/64  |     | fd01::2/64  |
#  +------------------+      | VIPs: its own addresses   |     +-------------+
#                            |               10.0.2.1/24 +--+  +-------------+
#  +------------------+      +---------------------------+  +--+ rs2 (DR,    |
#  | e: a namespace   |                                        | TUN): drops |
#  | with one service |                                        | 10.0.2.2/24 |
#  +------------------+                                        +-------------+
#
# rs1 answers on 8080 (TCP, UDP), 8081 (TCP, firewall mark 7) and 5353
# (UDP). rs2 drops what reaches it: DR and TUN connections are the
# director's entries and counters only.

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

plan 11

WORK=$(mktemp -d)
PROCS="ip_vs ip_vs_conn ip_vs_stats ip_vs_stats_percpu"
HELPER="python3 $LVS_TOP/tests/netns/ipvsproc.py"
# Datagrams to the DR and the TUN service each, one a source port: more
# entries than one page of ip_vs_conn holds.
UDP_EACH=60

# restore: lvs loaded as the scenarios after this one expect it.
restore()
{
	cleanup
	lsmod | grep -q '^ip_vs ' &&
		modprobe -r ip_vs_rr ip_vs_wlc ip_vs_sh ip_vs 2>/dev/null
	lvs_reload ipvsproc
	rm -rf "$WORK"
}
trap restore EXIT

# in_ns NS: NSNET set to the /proc/PID/net of a process that sits in
# namespace NS until cleanup, which is NS's /proc/net: the files are read
# there, with no "ip netns exec" (two process starts and a mount
# namespace) per read. Its process is in NS once it runs sleep.
in_ns()
{
	local pid

	ip netns exec "$PFX-$1" sleep 3600 >/dev/null 2>&1 &
	pid=$!
	BG_PIDS+=("$pid")
	NSNET=/proc/$pid/net
	busywait 5000 sleeping "$pid"
}

# sleeping PID: PID runs sleep (read in bash: busywait polls it).
sleeping()
{
	local comm

	read -r comm <"/proc/$1/comm" 2>/dev/null && [ "$comm" = sleep ]
}

# The namespaces and links in one ip, each namespace's addresses and
# routes in one more (IPv6 addresses without duplicate detection, usable
# at once).
setup()
{
	nat_links
	ns_batch c "link set lo up" "addr add 10.0.0.2/24 dev eth0" \
		"addr add fd00::2/64 dev eth0 nodad" "link set eth0 up" \
		"route add default via 10.0.0.1" "route add default via fd00::1"
	ns_batch d "link set lo up" "addr add 10.0.0.1/24 dev c0" \
		"addr add fd00::1/64 dev c0 nodad" "link set c0 up" \
		"addr add 10.0.1.1/24 dev rs1" "addr add fd01::1/64 dev rs1 nodad" \
		"link set rs1 up" "addr add 10.0.2.1/24 dev rs2" "link set rs2 up"
	ns_batch rs1 "link set lo up" "addr add 10.0.1.2/24 dev eth0" \
		"addr add fd01::2/64 dev eth0 nodad" "link set eth0 up" \
		"route add default via 10.0.1.1" "route add default via fd01::1"
	ns_batch rs2 "link set lo up" "addr add 10.0.2.2/24 dev eth0" \
		"link set eth0 up"
	n d sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
	in_ns d && DNET=$NSNET
	# Firewall mark 7: TCP to the VIP's port 8081.
	n d nft -f - <<-EOF
	table ip fwm {
		chain pre {
			type filter hook prerouting priority mangle;
			ip daddr 10.0.0.1 tcp dport 8081 meta mark set 7
		}
	}
	EOF
	n rs2 nft -f - <<-EOF
	table inet sink {
		chain in { type filter hook input priority 0; policy drop; }
	}
	EOF
	bg rs1 "$LVSRESP" -b :: tcp 8080 rs1
	bg rs1 "$LVSRESP" -b :: udp 8080 rs1
	bg rs1 "$LVSRESP" -b :: tcp 8081 rs1
	bg rs1 "$LVSRESP" -b :: udp 5353 rs1
	wait_servers rs1 8080 && wait_listen rs1 tcp 8081 &&
		wait_listen rs1 udp 5353
	check_err $? "the real server does not listen"
}

# The services, in ipvsadm's words and in ipvsctl's, line for line.
IPVSADM=(
	"-A -t 10.0.0.1:80 -s wlc"
	"-a -t 10.0.0.1:80 -r 10.0.1.2:8080 -m -w 3 -x 100 -y 50"
	"-a -t 10.0.0.1:80 -r 10.0.2.2:80 -g -w 0"
	"-A -u 10.0.0.1:53 -s rr"
	"-a -u 10.0.0.1:53 -r 10.0.1.2:5353 -m -w 1"
	"-A -u 10.0.0.1:54 -s rr"
	"-a -u 10.0.0.1:54 -r 10.0.2.2:54 -g -w 2"
	"-A -u 10.0.0.1:55 -s rr"
	"-a -u 10.0.0.1:55 -r 10.0.2.2:55 -i -w 5 -x 1000"
	"-A -t [fd00::1]:80 -s rr"
	"-a -t [fd00::1]:80 -r [fd01::2]:8080 -m -w 1"
	"-A -u [fd00::1]:53 -s rr"
	"-a -u [fd00::1]:53 -r [fd01::2]:8080 -m -w 1"
	"-A -f 7 -s rr -p 300 -M 255.255.255.0"
	"-a -f 7 -r 10.0.1.2 -m -w 1"
	"-A -t 10.0.0.1:82 -s rr -p 120 -M 255.255.0.0"
	"-a -t 10.0.0.1:82 -r 10.0.1.2:8080 -m -w 1"
	"-A -t [fd00::1]:82 -s rr -p 60 -M 64"
	"-a -t [fd00::1]:82 -r [fd01::2]:8080 -m -w 1"
	"-A -t 10.0.0.1:83 -s sh -b sh-fallback,sh-port"
	"-a -t 10.0.0.1:83 -r 10.0.1.2:8080 -m -w 1"
)
IPVSCTL_CMDS=(
	"service add tcp 10.0.0.1:80 sched wlc"
	"dest add tcp 10.0.0.1:80 10.0.1.2:8080 nat weight 3 uthreshold 100 lthreshold 50"
	"dest add tcp 10.0.0.1:80 10.0.2.2:80 dr weight 0"
	"service add udp 10.0.0.1:53 sched rr"
	"dest add udp 10.0.0.1:53 10.0.1.2:5353 nat weight 1"
	"service add udp 10.0.0.1:54 sched rr"
	"dest add udp 10.0.0.1:54 10.0.2.2:54 dr weight 2"
	"service add udp 10.0.0.1:55 sched rr"
	"dest add udp 10.0.0.1:55 10.0.2.2:55 tun weight 5 uthreshold 1000"
	"service add tcp [fd00::1]:80 sched rr"
	"dest add tcp [fd00::1]:80 [fd01::2]:8080 nat weight 1"
	"service add udp [fd00::1]:53 sched rr"
	"dest add udp [fd00::1]:53 [fd01::2]:8080 nat weight 1"
	"service add fwmark 7 sched rr persistent 300 netmask 255.255.255.0"
	"dest add fwmark 7 10.0.1.2 nat weight 1"
	"service add tcp 10.0.0.1:82 sched rr persistent 120 netmask 255.255.0.0"
	"dest add tcp 10.0.0.1:82 10.0.1.2:8080 nat weight 1"
	"service add tcp [fd00::1]:82 sched rr persistent 60 netmask 64"
	"dest add tcp [fd00::1]:82 [fd01::2]:8080 nat weight 1"
	"service add tcp 10.0.0.1:83 sched sh fallback on hash-port on"
	"dest add tcp 10.0.0.1:83 10.0.1.2:8080 nat weight 1"
)

# traffic: the same requests for ip_vs and lvs, each answered by rs1;
# then UDP_EACH datagrams of 100 IP bytes to the DR and TUN services
# each, from source ports of their own, which nobody answers.
traffic()
{
	local out

	out=$(n c "$LVSREQ" -n 3 tcp 10.0.0.1 80 100
		n c "$LVSREQ" -n 2 udp 10.0.0.1 53 100
		n c "$LVSREQ" -n 2 tcp fd00::1 80 100
		n c "$LVSREQ" udp fd00::1 53 100
		n c "$LVSREQ" -n 2 tcp 10.0.0.1 8081 100
		n c "$LVSREQ" -n 2 tcp 10.0.0.1 82 100
		n c "$LVSREQ" tcp fd00::1 82 100
		n c "$LVSREQ" tcp 10.0.0.1 83 100)
	[ "$(echo "$out" | grep -c '^rs1 ok$')" = 14 ]
	check_err $? "requests not all answered by rs1: $(echo "$out" | sort | uniq -c)"
	n c python3 - "$UDP_EACH" <<-'EOF'
	import socket, sys
	for port in (54, 55):
	    for i in range(int(sys.argv[1])):
	        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
	        s.bind(("10.0.0.2", 40000 + i))
	        s.sendto(b"x" * 72, ("10.0.0.1", port))
	        s.close()
	EOF
	check_err $? "cannot send the UDP datagrams"
}

# capture DIR: the four files of d, as they read now.
capture()
{
	local f

	mkdir -p "$1"
	for f in $PROCS; do
		cat "$DNET/$f" >"$1/$f" || return 1
	done
}

# ipvs_folded: ip_vs has folded its per-CPU counters into its totals
# (every 2 s): ip_vs_stats_percpu's rows add up to its total row.
ipvs_folded()
{
	cat "$DNET/ip_vs_stats_percpu" >"$WORK/percpu" &&
		$HELPER percpu "$WORK/percpu" >/dev/null 2>&1
}

# udp_counted: lvs has counted all the DR and TUN datagrams.
udp_counted()
{
	[ "$(ipvsctl -s -j service list | python3 -c "
import json, sys
print(sum(s['stats']['inpkts'] for s in json.load(sys.stdin)
          if s.get('port') in (54, 55)))")" = $((2 * UDP_EACH)) ]
}

setup

# --- without ipvs_compat -------------------------------------------------

lvs_unload_idle && modprobe lvs
check_err $? "cannot reload lvs"
ipvsctl service add tcp 10.0.0.1:80 sched rr
check_err $? "cannot add a service"
for f in $PROCS; do
	[ ! -e "$DNET/$f" ]
	check_err $? "/proc/net/$f exists without ipvs_compat"
done
ipvsctl service del tcp 10.0.0.1:80
log_test "ipvsproc: no /proc/net/ip_vs* without ipvs_compat=1"

# --- ip_vs ---------------------------------------------------------------

if ipvs_ref; then
	lvs_unload_idle
	check_err $? "lvs would not unload"
	modprobe ip_vs
	check_err $? "cannot load ip_vs"
	for line in "${IPVSADM[@]}"; do
		# shellcheck disable=SC2086
		n d ipvsadm $line
		check_err $? "ipvsadm $line failed"
	done
	traffic
	busywait 5000 ipvs_folded
	check_err $? "ip_vs_stats_percpu's rows never added up to its total"
	capture "$WORK/ipvs"
	check_err $? "cannot read ip_vs's files"
	n d ipvsadm -C
	modprobe -r ip_vs_rr ip_vs_wlc ip_vs_sh ip_vs
	check_err $? "ip_vs does not unload"
	log_test "ipvsproc: ip_vs configured, its files captured, unloaded"
else
	lvs_unload_idle
	ipvs_skip "ipvsproc: ip_vs configured, its files captured, unloaded"
fi

# --- lvs with ipvs_compat=1 ----------------------------------------------

modprobe lvs ipvs_compat=1
check_err $? "cannot load lvs with ipvs_compat=1"
[ "$(cat /sys/module/lvs/parameters/ipvs_compat)" = Y ]
check_err $? "ipvs_compat reads $(cat /sys/module/lvs/parameters/ipvs_compat)"
# One ipvsctl for all: a batch stops at, and names, a line that fails.
printf '%s\n' "${IPVSCTL_CMDS[@]}" | ipvsctl -b -
check_err $? "ipvsctl -b of the services failed"
traffic
busywait 5000 udp_counted
check_err $? "lvs did not count the DR and TUN datagrams"
capture "$WORK/lvs"
check_err $? "cannot read lvs's files"
sed 's/^/# /' "$WORK/lvs/ip_vs"
modes=$(cd "$DNET" && stat -c '%n %a' $PROCS)
[ "$modes" = "$(printf '%s 444\n' $PROCS)" ]
check_err $? "modes: ${modes//$'\n'/, }"
for f in $PROCS; do
	(echo x >"$DNET/$f") 2>/dev/null
	check_fail $? "/proc/net/$f takes writes"
done
heads=$(head -n 3 "$WORK/lvs/ip_vs"; head -n 1 "$WORK/lvs/ip_vs_conn"
	head -n 2 "$WORK/lvs/ip_vs_stats"; head -n 2 "$WORK/lvs/ip_vs_stats_percpu")
want="IP Virtual Server version 1.2.1 (size=$(lvs_info buckets_in))
Prot LocalAddress:Port Scheduler Flags
  -> RemoteAddress:Port Forward Weight ActiveConn InActConn
Pro FromIP   FPrt ToIP     TPrt DestIP   DPrt State       Expires PEName PEData
   Total Incoming Outgoing         Incoming         Outgoing
   Conns  Packets  Packets            Bytes            Bytes
       Total Incoming Outgoing         Incoming         Outgoing
CPU    Conns  Packets  Packets            Bytes            Bytes"
[ "$heads" = "$want" ]
check_err $? "headers: $heads"
log_test "ipvsproc: with ipvs_compat=1 the files are there, read-only"

# compare WHAT: lvs's and ip_vs's files, normalised by the helper's WHAT.
compare()
{
	local f=$1 how=$2

	$HELPER "$how" "$WORK/ipvs/$f" >"$WORK/ipvs.$how" &&
		$HELPER "$how" "$WORK/lvs/$f" >"$WORK/lvs.$how" &&
		diff -u "$WORK/ipvs.$how" "$WORK/lvs.$how" >"$WORK/diff.$how"
	check_err $? "$f differs: $(head -n 30 "$WORK/diff.$how")"
}

if ipvs_ref; then
	compare ip_vs info
	log_test "ipvsproc: /proc/net/ip_vs reads as ip_vs's, but for size="
	compare ip_vs_conn conn
	log_test "ipvsproc: ip_vs_conn rows are ip_vs's, client port, expiry aside"
	compare ip_vs_stats shape
	compare ip_vs_stats_percpu shape
	ipvs=$($HELPER stats "$WORK/ipvs/ip_vs_stats")
	lvs=$($HELPER stats "$WORK/lvs/ip_vs_stats")
	# conns, inpkts and inbytes: outpkts and outbytes depend on which
	# ACKs the real server's stack delayed.
	[ "$(echo "$ipvs" | cut -d' ' -f1,2,4)" = \
	  "$(echo "$lvs" | cut -d' ' -f1,2,4)" ]
	check_err $? "ip_vs totals $ipvs, lvs totals $lvs"
	log_test "ipvsproc: ip_vs_stats and _percpu are ip_vs's, shape and totals"
else
	ipvs_skip "ipvsproc: /proc/net/ip_vs reads as ip_vs's, but for size="
	ipvs_skip "ipvsproc: ip_vs_conn rows are ip_vs's, client port, expiry aside"
	ipvs_skip "ipvsproc: ip_vs_stats and _percpu are ip_vs's, shape and totals"
fi

# The totals: the services' counters summed, and exactly the UDP traffic
# sent to the DR and TUN services (the requests' TCP segments vary).
ipvsctl -s -j service list >"$WORK/svcs.json"
cat "$DNET/ip_vs_stats" >"$WORK/stats"
cat "$DNET/ip_vs_stats_percpu" >"$WORK/percpu"
want=$($HELPER totals "$WORK/svcs.json")
got=$($HELPER stats "$WORK/stats" | cut -d' ' -f1-5)
[ "$got" = "$want" ]
check_err $? "ip_vs_stats totals $got, services' sums $want"
got=$($HELPER percpu "$WORK/percpu")
[ "$got" = "$want" ]
check_err $? "ip_vs_stats_percpu total row: $got, want $want"
got=$(python3 -c "
import json, sys
for s in json.load(open(sys.argv[1])):
    if s.get('port') in (54, 55):
        st = s['stats']
        print(s['port'], st['conns'], st['inpkts'], st['inbytes'],
              st['outpkts'], s['dests'][0]['inactive_conns'])" \
	"$WORK/svcs.json" | tr '\n' ' ')
u=$UDP_EACH
[ "$got" = "54 $u $u $((u * 100)) 0 $u 55 $u $u $((u * 100)) 0 $u " ]
check_err $? "DR and TUN services (port conns inpkts inbytes outpkts inactive): $got"
log_test "ipvsproc: totals add up the services and count the UDP sent"

# Read 37 bytes at a time, ip_vs_conn goes on where each read stopped.
cat "$DNET/ip_vs_conn" >"$WORK/conn.cat"
dd if="$DNET/ip_vs_conn" of="$WORK/conn.dd" bs=37 status=none
# One row an entry, templates too: none skipped or twice where a read()
# ended, over more than a page.
rows=$(($(wc -l <"$WORK/conn.cat") - 1))
[ "$rows" -gt $((2 * UDP_EACH)) ] && [ "$rows" = "$(lvs_info conn_count)" ]
check_err $? "ip_vs_conn has $rows rows, the table $(lvs_info conn_count) entries"
# Expiry seconds may tick between the reads.
for f in cat dd; do
	sort "$WORK/conn.$f" | cut -c1-58 >"$WORK/conn.$f.cut"
done
cmp -s "$WORK/conn.cat.cut" "$WORK/conn.dd.cut"
check_err $? "ip_vs_conn in pieces: $(wc -l <"$WORK/conn.dd") lines, at once $(wc -l <"$WORK/conn.cat")"
log_test "ipvsproc: ip_vs_conn read in small pieces reads whole"

# Another namespace sees its own service only.
ns_add e
in_ns e && ENET=$NSNET
"$IPVSCTL" -n "$PFX-e" service add udp 192.0.2.1:9 sched rr &&
	"$IPVSCTL" -n "$PFX-e" dest add udp 192.0.2.1:9 192.0.2.2:9 nat
check_err $? "cannot configure namespace e"
got=$(tail -n +4 "$ENET/ip_vs")
want=$(printf 'UDP  %s rr  \n  -> %s      %-7s %-6d %-10d %-10d' \
	C0000201:0009 C0000202:0009 Masq 1 0 0)
[ "$got" = "$want" ]
check_err $? "e's /proc/net/ip_vs lists: $got"
mapfile -t rows <"$ENET/ip_vs_conn"
[ "${#rows[@]}" = 1 ]
check_err $? "e's ip_vs_conn: ${rows[*]:0:3}"
cat "$ENET/ip_vs_stats" >"$WORK/e.stats"
got=$($HELPER stats "$WORK/e.stats")
[ "$got" = "0 0 0 0 0 0 0 0 0 0" ]
check_err $? "e's ip_vs_stats: $got"
grep -q C0000201 "$DNET/ip_vs"
check_fail $? "d's /proc/net/ip_vs lists e's service"
log_test "ipvsproc: another namespace shows its own services only"

# Readers while services come and go, and connections come.
from=$(kernel_lines)
# churn: 20 rounds of a service added, given a destination, and the
# round before's deleted; the rounds in one ipvsctl, again and again until
# $WORK/stop appears, so that the readers always have changes beside them.
churn()
{
	local i

	while [ ! -e "$WORK/stop" ]; do
		for ((i = 1; i <= 20; i++)); do
			echo "service add udp 10.0.9.$i:9 sched rr"
			echo "dest add udp 10.0.9.$i:9 10.0.1.2:9 nat weight $i"
			echo "service del udp 10.0.9.$((i - 1)):9"
		done | "$IPVSCTL" -n "$PFX-d" -f -b - >/dev/null 2>&1
		"$IPVSCTL" -n "$PFX-d" service del udp 10.0.9.20:9
	done
}
# readers: ten rounds of all four files read whole and ip_vs_conn in
# 50-byte pieces.
readers()
{
	local f files=()

	for f in $PROCS; do
		files+=("$DNET/$f")
	done
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		cat "${files[@]}" >/dev/null &&
			dd if="$DNET/ip_vs_conn" of=/dev/null bs=50 status=none ||
			return 1
	done
}
churn 2>/dev/null &
cpid=$!
BG_PIDS+=("$cpid")	# a scenario stopped early stops it too
readers &
rpid=$!
n c python3 - <<-'EOF' &
	import socket
	for i in range(200):
	    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
	    s.bind(("10.0.0.2", 41000 + i))
	    s.sendto(b"y", ("10.0.0.1", 54))
	    s.close()
	EOF
upid=$!
wait $rpid
check_err $? "a reader failed"
: >"$WORK/stop"
wait $cpid $upid
kernel_reports "$from"
check_err $? "the kernel reported problems"
"$IPVSCTL" -n "$PFX-d" service del udp 10.0.9.20:9 2>/dev/null
log_test "ipvsproc: reading while services come and go breaks nothing"

# prometheus-node-exporter's ipvs collector, in the director's namespace.
bg d prometheus-node-exporter --collector.disable-defaults \
	--collector.ipvs --web.listen-address=10.0.0.1:9100
busywait 20000 listening d -tln 9100
check_err $? "node_exporter does not listen"
n d curl -s -o "$WORK/metrics" http://10.0.0.1:9100/metrics
check_err $? "cannot scrape node_exporter"
ipvsctl -s -j service list >"$WORK/svcs.json"
out=$($HELPER exporter "$WORK/metrics" "$WORK/svcs.json")
check_err $? "node_exporter and ipvsctl differ: $out"
echo "# node_exporter: ${out##*$'\n'}"
log_test "ipvsproc: prometheus-node-exporter's ipvs metrics are ipvsctl's"

exit $((FAILED > 0))
