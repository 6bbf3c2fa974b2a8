#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# SCTP associations through lvs by DR, TUN and NAT, and the same through
# the kernel's ip_vs (ipvsadm --sctp-service) side by side, on one switch
# (a bridge in namespace sw):
#
#   c    10.0.0.2    the client
#   d    10.0.0.1    the director, with the VIP 10.0.0.100 on eth0
#   rs1  10.0.0.11   real servers, with the VIP on lo (no ARP for it) and
#   rs2  10.0.0.12   tunl0 up; what they send from their own address (NAT
#                    answers) goes through the director, what they send
#                    from the VIP (DR and TUN answers) straight to c
#
#   method  lvs           ip_vs         real servers listen on
#   DR      VIP:80        VIP:81        the VIP, same port
#   TUN     VIP:82        VIP:83        the VIP, same port
#   NAT     VIP:84        VIP:85        their address, 8080 (lvs), 8081
#
# The ip_vs side (and its listeners) only when ipvs_ref: the debug guest
# tests lvs alone and reports the ip_vs checks as skipped.
#
# Each listener is bound to one address: a socket with several lists them
# in its INIT ACK, and the client would try them behind the director.

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
plan 19

VIP=10.0.0.100
# Requests come back with the answer: checked both ways (lvsreq -e).
LVS_ECHO=1
RS1=10.0.0.11
RS2=10.0.0.12
WORK=$(mktemp -d)
trap 'cleanup; modprobe -r ip_vs_rr ip_vs ipip 2>/dev/null; rm -rf "$WORK"' \
	EXIT

# sctp_server NS ADDR PORT: answers associations to ADDR:PORT with its
# name, the sha256 of the request and the request (lvsresp).
sctp_server()
{
	bg "$1" "$LVSRESP" -e -b "$2" sctp "$3" "$1"
}

# The listeners' ports on the VIP and on the real server's own address:
# lvs's, and ip_vs's when comparing with it.
VIP_PORTS="80 82"
RS_PORTS=8080
if ipvs_ref; then
	VIP_PORTS="80 81 82 83"
	RS_PORTS="8080 8081"
fi

# listeners NS: true once NS listens on all those ports (ss's lines
# counted in bash: no grep, no wc).
listeners()
{
	local want=($VIP_PORTS $RS_PORTS) out line count=0

	out=$(ss -N "$PFX-$1" -S -l -n) || return 1
	while IFS= read -r line; do
		[[ $line == *LISTEN* ]] && count=$((count + 1))
	done <<<"$out"
	[ "$count" -ge ${#want[@]} ]
}

setup()
{
	local ns rs addr p

	modprobe sctp && modprobe ipip || return 1
	# The namespaces and each one's eth0, its peer pNS on the switch, in
	# one ip; each namespace's addresses and routes in one more (ns_add,
	# a function per port and n took 27 processes).
	NAMESPACES+=(sw c d rs1 rs2)
	{
		for ns in sw c d rs1 rs2; do
			echo "netns add $PFX-$ns"
		done
		for ns in c d rs1 rs2; do
			echo "link add eth0 netns $PFX-$ns type veth peer name p$ns netns $PFX-sw"
		done
	} | ip -batch -
	ns_batch sw "link set lo up" "link add br0 type bridge" \
		"link set br0 up" "link set dev pc master br0 up" \
		"link set dev pd master br0 up" \
		"link set dev prs1 master br0 up" \
		"link set dev prs2 master br0 up"
	ns_batch c "link set lo up" "addr add 10.0.0.2/24 dev eth0" \
		"link set dev eth0 up"
	ns_batch d "link set lo up" "addr add 10.0.0.1/24 dev eth0" \
		"link set dev eth0 up" "addr add $VIP/32 dev eth0"
	# NAT answers leave by the port they came in: no redirects.
	n d sysctl -qw net.ipv4.ip_forward=1 \
		net.ipv4.conf.all.send_redirects=0 \
		net.ipv4.conf.eth0.send_redirects=0
	for rs in rs1 rs2; do
		addr=$RS1
		[ $rs = rs2 ] && addr=$RS2
		n $rs sysctl -qw net.ipv4.conf.all.arp_ignore=1 \
			net.ipv4.conf.all.arp_announce=2 \
			net.ipv4.conf.all.rp_filter=0 \
			net.ipv4.conf.tunl0.rp_filter=0
		ns_batch $rs "link set lo up" "addr add $addr/24 dev eth0" \
			"link set dev eth0 up" "addr add $VIP/32 dev lo" \
			"link set tunl0 up" "rule add from $addr table 100" \
			"route add default via 10.0.0.1 table 100"
		for p in $VIP_PORTS; do
			sctp_server $rs $VIP $p
		done
		for p in $RS_PORTS; do
			sctp_server $rs $addr $p
		done
	done
	busywait 10000 listeners rs1 && busywait 10000 listeners rs2
}

# conns lvs|ipvs PORT: "ACTIVE INACTIVE", summed over the real servers of
# the SCTP service VIP:PORT. The lines are read in bash: busywait polls
# this, and an awk per poll costs the debug guest a quarter of a second.
conns()
{
	local out f i a=0 b=0 arrow addr

	if [ "$1" = lvs ]; then
		out=$(ipvsctl dest list sctp "$VIP:$2")
		while read -r -a f; do
			for ((i = 1; i < ${#f[@]} - 1; i++)); do
				[ "${f[i]}" = active ] && a=$((a + f[i + 1]))
				[ "${f[i]}" = inactive ] && b=$((b + f[i + 1]))
			done
		done <<<"$out"
	else
		out=$(n d ipvsadm -L -n --sctp-service "$VIP:$2")
		while read -r arrow addr _ _ i f _; do
			[ "$arrow" = "->" ] && [ "$addr" != RemoteAddress:Port ] &&
				a=$((a + i)) b=$((b + f))
		done <<<"$out"
	fi
	echo "$a $b"
}

active_is()
{
	local c

	c=$(conns "$1" "$2")
	[ "${c% *}" = "$3" ]
}

# held IMPL PORT: an association that has sent data counts as active
# until the client closes it, then as inactive.
held()
{
	local impl=$1 port=$2 pid c

	# The counts in a message only when it is a failure's.
	busywait 5000 active_is "$impl" "$port" 0 ||
		check_err 1 "$impl port $port: $(conns "$impl" "$port") before, want 0 active"
	# The server waits for 100 bytes: the association stays open. No
	# function or pipe around socat, so that $! is socat.
	printf '100\nhello' > "$WORK/hold"
	ip netns exec "$PFX-c" socat -t 60 - \
		SCTP4-CONNECT:"$VIP:$port",shut-none \
		< "$WORK/hold" >/dev/null 2>&1 &
	pid=$!
	busywait 10000 active_is "$impl" "$port" 1 ||
		check_err 1 "$impl port $port: open association: $(conns "$impl" "$port"), want 1 active"
	kill "$pid"
	wait "$pid" 2>/dev/null
	busywait 10000 active_is "$impl" "$port" 0
	c=$(conns "$impl" "$port")
	[ "${c% *}" = 0 ] && [ "${c#* }" -ge 1 ]
	check_err $? "$impl port $port: after SHUTDOWN: $c, want 0 active, some inactive"
}

lvs_service()
{
	local port=$1 fwd=$2 rport=${3:-}

	# One ipvsctl for the three commands.
	printf '%s\n' "service add sctp $VIP:$port sched rr" \
		"dest add sctp $VIP:$port $RS1${rport:+:$rport} $fwd" \
		"dest add sctp $VIP:$port $RS2${rport:+:$rport} $fwd" |
		ipvsctl -b -
	check_err $? "lvs sctp $fwd service on port $port failed"
}

ipvs_service()
{
	local port=$1 opt=$2 rport=${3:-}

	# One ipvsadm (-R reads its command lines from stdin), not three.
	printf '%s\n' "-A --sctp-service $VIP:$port -s rr" \
		"-a --sctp-service $VIP:$port -r $RS1${rport:+:$rport} $opt" \
		"-a --sctp-service $VIP:$port -r $RS2${rport:+:$rport} $opt" |
		n d ipvsadm -R
	check_err $? "ipvsadm sctp $opt service on port $port failed"
}

# sctp_crc_offload on|off: whether c and the real servers leave the CRC to
# their (virtual) devices; off, every packet carries a computed CRC, which
# NAT must recompute and the receiver checks.
sctp_crc_offload()
{
	local ns

	for ns in c rs1 rs2; do
		n $ns ethtool -K eth0 tx-checksum-sctp "$1" >/dev/null ||
			return 1
	done
}

setup
check_err $? "the SCTP servers do not listen"
lvs_service 80 dr
lvs_service 82 tun
lvs_service 84 nat 8080
log_test "SCTP: configure lvs services for DR, TUN and NAT"

if ipvs_ref; then
	modprobe ip_vs
	check_err $? "cannot load ip_vs"
	ipvs_service 81 -g
	ipvs_service 83 -i
	ipvs_service 85 -m 8081
	log_test "SCTP: configure ip_vs services for DR, TUN and NAT"
else
	ipvs_skip "SCTP: configure ip_vs services for DR, TUN and NAT"
fi

for m in "DR 80 81" "TUN 82 83" "NAT 84 85"; do
	set -- $m
	alternates sctp "$2" 30000 3
	log_test "$1 SCTP: lvs alternates rs1, rs2; 30 kB intact both ways"

	if ipvs_ref; then
		alternates sctp "$3" 30000 2
		log_test "$1 SCTP: the same through ip_vs"
	else
		ipvs_skip "$1 SCTP: the same through ip_vs"
	fi
done

sctp_crc_offload off
crc_off=$?
check_err $crc_off "cannot turn SCTP CRC offload off"
alternates sctp 84 30000 2
log_test "NAT SCTP: computed CRCs right after lvs's port rewrite"
if ipvs_ref; then
	check_err $crc_off "cannot turn SCTP CRC offload off"
	alternates sctp 85 30000 1
	log_test "NAT SCTP: computed CRCs right after ip_vs's port rewrite"
else
	ipvs_skip "NAT SCTP: computed CRCs right after ip_vs's port rewrite"
fi
sctp_crc_offload on

for m in "DR 80 81" "TUN 82 83" "NAT 84 85"; do
	set -- $m
	held lvs "$2"
	log_test "$1 SCTP: lvs counts an association active until SHUTDOWN"
	if ipvs_ref; then
		held ipvs "$3"
		log_test "$1 SCTP: ip_vs the same"
	else
		ipvs_skip "$1 SCTP: ip_vs the same"
	fi
done

# Not xmit: TUN's first large packets are too big for the tunnel and
# teach the client the path MTU, as in tun.sh.
for why in malformed no_conn; do
	got=$(drops $why)
	[ "$got" = 0 ]
	check_err $? "lvs dropped $got packets as $why"
done
log_test "SCTP: no packet malformed or without a connection"

# An ABORT or INIT with a bad CRC32c, which the real server discards, must
# not end or open an entry either (rawpkt.py: an ABORT from port 40004, an
# INIT from 40005). The same with a good CRC does: only the CRC was wrong.
# The ABORT's tag is not the association's: lvs does not read tags, the
# real server discards it, and the association goes on.
drops_are()
{
	[ "$(drops "$1")" = "$2" ]
}
# conn_line GLOB: true if a line of ipvsctl conn list matches GLOB
# (matched in bash: no grep a poll).
conn_line()
{
	local out line

	out=$(ipvsctl conn list) || return 1
	while IFS= read -r line; do
		[[ $line == $1 ]] && return 0
	done <<<"$out"
	return 1
}
entry_is()
{
	conn_line "sctp 10.0.0.2:$1 * $2 *"
}
no_entry()
{
	! conn_line "sctp 10.0.0.2:$1 *"
}
printf '100\nhello' > "$WORK/hold"
ip netns exec "$PFX-c" socat -t 60 - \
	SCTP4-CONNECT:"$VIP:80",bind=10.0.0.2:40004,shut-none \
	< "$WORK/hold" >/dev/null 2>&1 &
pid=$!
busywait 10000 entry_is 40004 ESTABLISHED ||
	check_err 1 "no established association: $(ipvsctl conn list)"
before=$(drops malformed)
n c python3 "$LVS_TOP/tests/netns/rawpkt.py" sctpbad $VIP 80 3
busywait 3000 drops_are malformed $((before + 6)) ||
	check_err 1 "malformed drops: $(drops malformed), want $((before + 6))"
entry_is 40004 ESTABLISHED ||
	check_err 1 "the entry moved on a bad ABORT: $(ipvsctl conn list)"
no_entry 40005 ||
	check_err 1 "a bad INIT opened an entry: $(ipvsctl conn list)"
log_test "SCTP: an ABORT or INIT with a bad CRC32c is dropped, counted"

n c python3 "$LVS_TOP/tests/netns/rawpkt.py" sctpgood $VIP 80
busywait 3000 entry_is 40004 CLOSED ||
	check_err 1 "a good ABORT left: $(ipvsctl conn list)"
no_entry 40005 &&
	check_fail 0 "a good INIT opened no entry: $(ipvsctl conn list)"
drops_are malformed $((before + 6)) ||
	check_err 1 "malformed drops: $(drops malformed), want $((before + 6))"
kill "$pid"
wait "$pid" 2>/dev/null
log_test "SCTP: the same with a good CRC32c closes and opens entries"

exit $((FAILED > 0))
