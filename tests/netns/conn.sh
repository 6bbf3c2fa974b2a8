#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The connection table from userspace: "ipvsctl conn list" shows live
# connections as they are, "ipvsctl timeout set" changes when entries
# expire (from their next packet on), "ipvsctl conn flush" empties the
# table or one service's part, "dest del" drains a real server while
# "dest del ... force" cuts its connections at once, and "service del"
# lets a service's connections run out while "service del ... force"
# cuts them, and "service flush" does either to every service.
# Topology: nat_topology (lib.sh), TCP and UDP responders on 8080.

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

plan 12

WORK=$(mktemp -d)
trap 'exec 3>&- 2>/dev/null; cleanup; rm -rf "$WORK"' EXIT

VIP=10.0.0.1

# Listings are read once and searched in bash: in the debug guest each
# process start (a grep, an awk) costs a quarter of a second or more.

# conn_list [PROTO VIP:PORT]: LIST, the text lines of "conn list" (of the
# service); false if ipvsctl fails.
conn_list()
{
	LIST=$(ipvsctl conn list "$@")
}

# lines_with FILTER [TEXT]: MATCH, the lines of TEXT (default LIST) that
# contain FILTER, and NMATCH, how many; false if none (grep -F).
lines_with()
{
	local text=${2-$LIST} line

	MATCH= NMATCH=0
	# $(...) dropped the last newline: an empty text has no line.
	[ -n "$text" ] || return 1
	while IFS= read -r line; do
		[[ $line == *"$1"* ]] || continue
		MATCH+=${MATCH:+$'\n'}$line
		NMATCH=$((NMATCH + 1))
	done <<<"$text"
	[ "$NMATCH" -gt 0 ]
}

# lines_with_re RE TEXT: true if a line of TEXT matches the extended
# regular expression RE (grep -q -E).
lines_with_re()
{
	local line

	while IFS= read -r line; do
		[[ $line =~ $1 ]] && return 0
	done <<<"$2"
	return 1
}

# nap_until MS: nap until ms_now reaches MS.
nap_until()
{
	local left=$(($1 - $(ms_now))) secs

	[ "$left" -gt 0 ] || return 0
	printf -v secs '%d.%03d' $((left / 1000)) $((left % 1000))
	nap "$secs"
}

# conn_lines FILTER: MATCH, the lines of a fresh "conn list" that contain
# FILTER; false if none.
conn_lines()
{
	conn_list && lines_with "$1"
}

# conn_count N [PROTO VIP:PORT]: true when the table (or the service's
# part) has N entries (lines that are not empty); the listing in LIST.
conn_count()
{
	local n=$1 line count=0

	shift
	conn_list "$@"
	while IFS= read -r line; do
		[ -z "$line" ] || count=$((count + 1))
	done <<<"$LIST"
	[ "$count" = "$n" ]
}

nat_topology
rs_servers 8080
check_err $? "the responders did not start"
# add_services PROTO PORT...: a PROTO service on each port, over rs1 and
# rs2, in one ipvsctl.
add_services()
{
	local proto=$1 port cmds=()

	shift
	for port in "$@"; do
		cmds+=("service add $proto $VIP:$port sched rr"
			"dest add $proto $VIP:$port 10.0.1.2:8080"
			"dest add $proto $VIP:$port 10.0.2.2:8080")
	done
	printf '%s\n' "${cmds[@]}" | ipvsctl -b -
}

for proto in tcp udp; do
	add_services $proto 80
	check_err $? "$proto configuration failed"
done
log_test "conn: configure TCP and UDP NAT services"

# A TCP connection the test writes into through a fifo, to send a packet
# when it wants one; it goes to rs1, rr's first pick.
mkfifo "$WORK/in"
bg c sh -c "socat -T 120 - TCP:$VIP:80 < $WORK/in > $WORK/held.out"
exec 3>"$WORK/in"
echo hello >&3
# held_established: the client's connection to the VIP is established;
# ss's lines in HELD.
held_established()
{
	HELD=$(ss -N "$PFX-c" -tnH state established dst $VIP:80)
	[ -n "$HELD" ]
}
busywait 10000 held_established
check_err $? "the held connection did not establish"
# The first line's local address (its third field, after the queues).
cport=
read -r _ _ cport _ <<<"$HELD"
cport=${cport##*:}
line=
conn_lines "10.0.0.2:$cport " && line=$MATCH
set -- $line
[ "${1:-}" = tcp ] && [ "${3:-}" = vip ] && [ "${4:-}" = $VIP:80 ] &&
	[ "${5:-}" = dest ] && [ "${6:-}" = 10.0.1.2:8080 ] &&
	[ "${7:-}" = nat ] && [ "${8:-}" = ESTABLISHED ] &&
	[ "${9:-}" = expires ] && [ "${10:-0}" -gt 800 ] &&
	[ "${10:-0}" -le 900 ]
check_err $? "conn list line for client port $cport: '$line'"
ipvsctl -j conn list | python3 -c "
import json, sys
d = [c for c in json.load(sys.stdin) if c['client']['port'] == $cport]
assert len(d) == 1, d
c = d[0]
assert c['protocol'] == 'tcp' and c['client']['address'] == '10.0.0.2', c
assert c['vip'] == {'address': '$VIP', 'port': 80}, c
assert c['dest'] == {'address': '10.0.1.2', 'port': 8080}, c
assert c['fwd'] == 'nat' and c['state'] == 'ESTABLISHED', c
assert c['template'] is False and 800 < c['expires'] <= 900, c
" 2>"$WORK/py.err"
check_err $? "conn list JSON: $(<"$WORK/py.err")"
log_test "conn list: a live TCP connection with its addresses and state"

# A new TCP established timeout applies from the connection's next packet.
# The change and the listing after it in one ipvsctl.
timeouts=$(ipvsctl -b - <<<"timeout set tcp 3000
timeout show")
check_err $? "timeout set tcp 3000 failed"
lines_with_re '^tcp .* ESTABLISHED 3000 FIN_WAIT 120 ' "$timeouts"
check_err $? "timeout show: $timeouts"
conn_lines "10.0.0.2:$cport "
set -- $MATCH
[ "${10:-0}" -le 900 ]
check_err $? "the idle connection's expiry changed before a packet: ${10:-}"
echo more >&3
expiry_above()
{
	conn_lines "10.0.0.2:$cport "
	set -- $MATCH
	[ "${10:-0}" -gt 2900 ]
}
busywait 5000 expiry_above
check_err $? "expiry after a packet: $MATCH"
log_test "timeout: a new TCP timeout shows in the expiry at the next packet"

# UDP: an entry made under the default timeout keeps it; one made after
# "timeout set udp 6" is gone within seconds.
[ "$(request udp 80 100)" = "rs1 ok" ]
check_err $? "first UDP request failed"
timeouts=$(ipvsctl -b - <<<"timeout set udp 6 tcpfin 100
timeout show")
check_err $? "timeout set udp 6 failed"
lines_with_re '^udp UDP 6$' "$timeouts"
check_err $? "timeout show: $timeouts"
# The new entry must be listed at once and last about 6 s from the answer,
# the last packet: gone no sooner than 5.4 s after the request was sent.
# (6 s, not less: in a debug guest on a busy host the request and the
# listing after it can take 2 s or more.)
start=$(ms_now)
[ "$(request udp 80 100)" = "rs2 ok" ]
check_err $? "second UDP request failed"
conn_count 2 udp $VIP:80
check_err $? "the new UDP entry is not listed: $LIST"
# Polled from 4 s on: an entry gone before then is seen by the first poll,
# well before 5.4 s; each earlier poll would only cost a process.
nap_until $((start + 4000))
busywait 6000 conn_count 1 udp $VIP:80
check_err $? "the 6 s UDP entry did not expire: $LIST"
took=$(($(ms_now) - start))
[ "$took" -ge 5400 ]
check_err $? "the 6 s UDP entry was gone after $took ms"
lines_with "udp 10.0.0.2:"
set -- $MATCH
[ "${6:-}" = 10.0.1.2:8080 ] && [ "${10:-0}" -gt 200 ]
check_err $? "the default-timeout UDP entry: $*"
log_test "timeout: UDP entries expire in 6 s after the change ($took ms)"

# A flush of the UDP service leaves the TCP one's entries, then a flush
# of everything empties the table; the held connection's next segment
# then finds no entry and is dropped.
ipvsctl conn flush udp $VIP:80
check_err $? "conn flush udp failed"
conn_count 0 udp $VIP:80 && conn_count 1 tcp $VIP:80
check_err $? "after the UDP flush: $LIST"
ipvsctl conn flush
check_err $? "conn flush failed"
conn_count 0
check_err $? "after the flush: $LIST"
before=$(drops no_conn)
echo after-flush >&3
no_conn_grew()
{
	[ "$(drops no_conn)" -gt "$before" ]
}
busywait 5000 no_conn_grew
check_err $? "no_conn drops stayed at $before after the flush"
exec 3>&-
log_test "conn flush: one service's entries, then all of them"

# Flushes back to back while spoofed SYNs keep adding entries: each flush
# unlinks entries the packet path may be inserting at that moment. The
# table must stay whole: requests still get through, a last flush with
# the flood over empties it, and the debug guest reports nothing.
for ((i = 0; i < 100; i++)); do
	echo "conn flush tcp $VIP:80"
done >"$WORK/flushes"
# The real servers' answers to the spoofed sources (lvsflood's default
# 198.18.0.0/15) end at the director, silently, not as ICMP errors that
# later checks would count.
n d ip route add blackhole 198.18.0.0/15
bg c "$LVSFLOOD" -r 2000 -t 8 syn $VIP 80
flood=${BG_PIDS[-1]}
# From the table's count: listing thousands of entries takes the debug
# guest seconds of the flood's time.
flood_entries()
{
	[ "$(lvs_info conn_count)" -gt 10 ]
}
busywait 5000 flood_entries
check_err $? "the flood made no entries"
flushes=0
while kill -0 "$flood" 2>/dev/null; do
	ipvsctl -b "$WORK/flushes" || break
	flushes=$((flushes + 100))
done
wait "$flood"
check_err $? "the flood failed"
[ "$flushes" -ge 100 ]
check_err $? "only $flushes flushes made during the flood"
alternates tcp 80 100 4
# The flush and the listing after it in one ipvsctl.
LIST=$(ipvsctl -b - <<<"conn flush
conn list") && [ -z "$LIST" ]
check_err $? "after the last flush: ${LIST:0:300}"
log_test "conn flush: $flushes flushes during a SYN flood"

ipvsctl timeout set tcp 900 tcpfin 120 udp 300
check_err $? "restoring the timeouts failed"

# gated_transfer PORT OUT WAIT: 512 KiB to VIP:PORT, the first 448 KiB at
# once, the last 64 KiB when the test opens the gate (open_gate); the
# reply, awaited WAIT seconds after the last, goes to OUT. Until then the
# connection is certainly established, however slow the checks are. The
# gate is a FIFO that one cat reads between the two parts: opened and
# closed by open_gate, it gives cat its end and nothing more.
head -c $((8 * 65536)) /dev/urandom > "$WORK/payload"
head -c $((7 * 65536)) "$WORK/payload" > "$WORK/first"
tail -c 65536 "$WORK/payload" > "$WORK/last"
sum=$(sha256sum < "$WORK/payload")
sum=${sum%% *}
mkfifo "$WORK/gate"
gated_transfer()
{
	n c sh -c "cat $WORK/first $WORK/gate $WORK/last |
		socat -t $3 -T 30 - TCP:$VIP:$1 > $2"
}

# open_gate: let the transfer waiting at the gate send its last part; false
# if none comes to the gate in about 10 s (3.4 s stretched by busywait's
# LVS_WAIT_SCALE). The FIFO is opened by a subshell (no process start),
# which waits for the reader.
open_gate()
{
	local pid

	: >"$WORK/gate" &
	pid=$!
	if ! busywait 3400 procs_gone $pid; then
		kill $pid 2>/dev/null
		wait $pid
		return 1
	fi
	wait $pid
}

# on_rs1 PORT: TCP service VIP:PORT has one connection on rs1, active or
# inactive (dest_conns, read in bash).
on_rs1()
{
	local out n=0

	out=$(ipvsctl -j dest list tcp $VIP:"$1") || return 1
	[[ $out =~ \{\"address\":\"10\.0\.1\.2\",[^{}]*\"active_conns\":([0-9]+),\"inactive_conns\":([0-9]+) ]] &&
		n=$((BASH_REMATCH[1] + BASH_REMATCH[2]))
	[ "$n" = 1 ]
}

# rx_packets: the packets rs1's eth0 received (ip -s, its
# /sys/class/net statistics without a mount namespace).
rx_packets()
{
	local out

	out=$(ip -n "$PFX-rs1" -j -s link show eth0) &&
		[[ $out =~ \"rx\":\{\"bytes\":[0-9]+,\"packets\":([0-9]+) ]] &&
		echo "${BASH_REMATCH[1]}"
}

add_services tcp 90 91
check_err $? "configuration of ports 90 and 91 failed"

# Without force: rs1 drains, the transfer completes intact.
gated_transfer 90 "$WORK/drained" 15 &
transfer=$!
busywait 10000 on_rs1 90
check_err $? "the transfer did not start on rs1"
ipvsctl dest del tcp $VIP:90 10.0.1.2:8080
check_err $? "dest del failed"
conn_lines "vip $VIP:90 dest 10.0.1.2:8080 nat ESTABLISHED"
check_err $? "the drained connection is not listed: $LIST"
open_gate
check_err $? "the drained transfer was not waiting at the gate"
wait $transfer
reply=$(<"$WORK/drained")
set -- $reply
[ "${1:-}" = rs1 ] && [ "${2:-}" = "$sum" ]
check_err $? "drained transfer reply: ${reply:0:200}"
log_test "dest del: a drained real server finishes its transfer intact"

# With force: the connection is unlinked, its segments (the last part,
# sent once the gate opens) stop at the director (no_conn) and never reach
# rs1; the transfer fails. It cannot finish: the client is stopped.
gated_transfer 91 "$WORK/cut" 2 &
transfer=$!
busywait 10000 on_rs1 91
check_err $? "the transfer did not start on rs1"
before=$(drops no_conn)
ipvsctl dest del tcp $VIP:91 10.0.1.2:8080 force
check_err $? "dest del force failed"
rx=$(rx_packets)
conn_count 0 tcp $VIP:91
check_err $? "entries left after dest del force: $LIST"
open_gate
check_err $? "the cut transfer was not waiting at the gate"
busywait 5000 no_conn_grew
check_err $? "no_conn drops stayed at $before: nothing was cut"
nap 1
rx2=$(rx_packets)
[ $((rx2 - rx)) -le 1 ]
check_err $? "rs1 received $((rx2 - rx)) packets after the cut"
ns_stop c socat
wait $transfer
set -- $(<"$WORK/cut")
[ "${2:-}" != "$sum" ]
check_err $? "the cut transfer completed anyway: $*"
log_test "dest del force: the real server's connection is cut at once"

# svc_entries PORT: NMATCH, how many entries of any state VIP:PORT has
# (conn list of a service names a live one only), MATCH their lines.
svc_entries()
{
	conn_lines "vip $VIP:$1 "
}

# service_listed PORT: "service list" (in SERVICES) shows VIP:PORT, as a
# word (grep -w).
service_listed()
{
	local line w

	SERVICES=$(ipvsctl service list)
	while IFS= read -r line; do
		for w in $line; do
			[ "$w" = "$VIP:$1" ] && return 0
		done
	done <<<"$SERVICES"
	return 1
}

# refused PORT: a new connection to VIP:PORT is not forwarded: with no
# service it reaches the director's own stack, which has no listener.
refused()
{
	! n c socat -T 3 -u /dev/null TCP:$VIP:"$1",connect-timeout=3 \
		2>/dev/null
}

add_services tcp 92 93
check_err $? "configuration of ports 92 and 93 failed"

# A deleted service's connection runs out on its real server: listed
# until it ends, and intact; a new connection to the service's port is
# no longer forwarded.
gated_transfer 92 "$WORK/svcdel" 15 &
transfer=$!
busywait 10000 on_rs1 92
check_err $? "the transfer did not start on rs1"
ipvsctl service del tcp $VIP:92
check_err $? "service del failed"
! service_listed 92
check_err $? "service del left the service: $SERVICES"
conn_lines "vip $VIP:92 dest 10.0.1.2:8080 nat ESTABLISHED"
check_err $? "the deleted service's connection is not listed: $LIST"
refused 92
check_err $? "a new connection to the deleted service was accepted"
svc_entries 92
[ "$NMATCH" = 1 ]
check_err $? "the deleted service has new entries: $MATCH"
open_gate
check_err $? "the transfer was not waiting at the gate"
wait $transfer
reply=$(<"$WORK/svcdel")
set -- $reply
[ "${1:-}" = rs1 ] && [ "${2:-}" = "$sum" ]
check_err $? "transfer reply after service del: ${reply:0:200}"
log_test "service del: the service's transfer runs out intact"

# With force the entry is gone at once, and the transfer's last part
# never reaches rs1: the director's own stack resets it.
gated_transfer 93 "$WORK/svccut" 2 &
transfer=$!
busywait 10000 on_rs1 93
check_err $? "the transfer did not start on rs1"
ipvsctl service del tcp $VIP:93 force
check_err $? "service del force failed"
rx=$(rx_packets)
svc_entries 93
[ "$NMATCH" = 0 ]
check_err $? "entries left after service del force: $MATCH"
open_gate
check_err $? "the cut transfer was not waiting at the gate"
wait $transfer
rx2=$(rx_packets)
[ $((rx2 - rx)) -le 1 ]
check_err $? "rs1 received $((rx2 - rx)) packets after the cut"
set -- $(<"$WORK/svccut")
[ "${2:-}" != "$sum" ]
check_err $? "the cut transfer completed anyway: $*"
log_test "service del force: the service's connection is cut at once"

# "service flush" deletes every service, and their connections run out.
add_services tcp 94 95
check_err $? "configuration of ports 94 and 95 failed"
gated_transfer 94 "$WORK/flushed" 15 &
transfer=$!
busywait 10000 on_rs1 94
check_err $? "the transfer did not start on rs1"
ipvsctl service flush
check_err $? "service flush failed"
SERVICES=$(ipvsctl service list) && [ -z "$SERVICES" ]
check_err $? "services left after the flush: $SERVICES"
conn_lines "vip $VIP:94 dest 10.0.1.2:8080 nat ESTABLISHED"
check_err $? "the flushed service's connection is not listed: $LIST"
refused 94 && refused 80
check_err $? "a new connection to a flushed service was accepted"
open_gate
check_err $? "the transfer was not waiting at the gate"
wait $transfer
reply=$(<"$WORK/flushed")
set -- $reply
[ "${1:-}" = rs1 ] && [ "${2:-}" = "$sum" ]
check_err $? "transfer reply after service flush: ${reply:0:200}"
log_test "service flush: every service goes, their transfer runs out intact"

# "service flush force" cuts the connections of every service it deletes.
add_services tcp 96 97
check_err $? "configuration of ports 96 and 97 failed"
gated_transfer 96 "$WORK/flushcut" 2 &
transfer=$!
busywait 10000 on_rs1 96
check_err $? "the transfer did not start on rs1"
ipvsctl service flush force
check_err $? "service flush force failed"
rx=$(rx_packets)
SERVICES=$(ipvsctl service list) && [ -z "$SERVICES" ]
check_err $? "services left after the flush: $SERVICES"
svc_entries 96
[ "$NMATCH" = 0 ]
check_err $? "entries left after service flush force: $MATCH"
open_gate
check_err $? "the cut transfer was not waiting at the gate"
wait $transfer
rx2=$(rx_packets)
[ $((rx2 - rx)) -le 1 ]
check_err $? "rs1 received $((rx2 - rx)) packets after the cut"
set -- $(<"$WORK/flushcut")
[ "${2:-}" != "$sum" ]
check_err $? "the cut transfer completed anyway: $*"
log_test "service flush force: every service goes, its connection is cut"

exit $((FAILED > 0))
