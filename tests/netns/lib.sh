#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Shared helpers for the netns scenarios. Each scenario sources this file,
# builds its topology with the helpers below, and reports one line per
# check:   TEST: <what>                                          [ OK ]
# Scenarios run as root inside a guest (tests/netns/run); they only use
# namespaces and addresses they create themselves.

set -u

LVS_TOP=${LVS_TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
# Where the modules to test are (the debug kernel's are built elsewhere).
LVS_KO_DIR=${LVS_KO_DIR:-$LVS_TOP}
IPVSCTL=${IPVSCTL:-$LVS_TOP/tools/ipvsctl/ipvsctl}
# The test client and servers, and the packet generator for floods
# (tests/netns/Makefile, built by run).
LVSREQ=$LVS_TOP/tests/netns/lvsreq
LVSRESP=$LVS_TOP/tests/netns/lvsresp
LVSFLOOD=$LVS_TOP/tests/netns/lvsflood
# Unique per scenario run, so leftovers can never be mistaken for ours.
PFX=${PFX:-lvs$$}
NAMESPACES=()
BG_PIDS=()
FAILED=0

RET=0
RETMSG=
VERBOSE=${VERBOSE:-0}
# LVS_CHECK_TIMES=1: before each check's line, the seconds it took (to
# find where a scenario spends its budget).
LVS_CHECK_TIMES=${LVS_CHECK_TIMES:-0}
check_t0=$SECONDS

# --- reporting -------------------------------------------------------------

check_err()
{
	local rc=$1 msg=$2

	if [ "$RET" -eq 0 ] && [ "$rc" -ne 0 ]; then
		RET=$rc
		RETMSG=$msg
	fi
}

check_fail()
{
	local rc=$1 msg=$2

	if [ "$RET" -eq 0 ] && [ "$rc" -eq 0 ]; then
		RET=1
		RETMSG=$msg
	fi
}

# check_time: with LVS_CHECK_TIMES=1, print the seconds since the last check.
check_time()
{
	[ "$LVS_CHECK_TIMES" = 1 ] && echo "# $((SECONDS - check_t0)) s"
	check_t0=$SECONDS
}

# log_test DESCRIPTION: report the checks made since the last log_test.
log_test()
{
	check_time
	if [ "$RET" -eq 0 ]; then
		printf "TEST: %-64s [ OK ]\n" "$1"
	else
		printf "TEST: %-64s [FAIL]\n" "$1"
		printf "\t%s\n" "$RETMSG"
		FAILED=$((FAILED + 1))
	fi
	RET=0
	RETMSG=
}

# plan N: this scenario reports exactly N checks (TEST lines, skipped ones
# included), whatever the kernel. tests/netns/guest-run fails a scenario
# that states no plan or reports another number, so a scenario that stops
# early, or skips a loop by accident, cannot pass with fewer checks.
plan()
{
	echo "PLAN: $1"
}

# ipvs_ref: true if this run compares lvs with the kernel's ip_vs. Those
# checks test ip_vs beside lvs, not lvs under the debug kernel's checkers,
# so tests/netns/run turns them off in the debug guest (LVS_IPVS_REF=0).
# A scenario reports them as skipped there, to keep its plan.
ipvs_ref()
{
	[ "${LVS_IPVS_REF:-1}" = 1 ]
}

# ipvs_skip DESCRIPTION: report an ip_vs comparison as skipped.
ipvs_skip()
{
	log_skip "$1" "ip_vs comparisons run in the stock guest only"
}

log_skip()
{
	check_time
	printf "TEST: %-64s [SKIP]\n" "$1"
	[ -n "${2:-}" ] && printf "\t%s\n" "$2"
	RET=0
	RETMSG=
}

# --- running things --------------------------------------------------------

# n NS CMD...: run CMD in namespace NS, echoing it first when VERBOSE=1.
# ip itself switches (ip -n): under TCG in the debug guest every exec
# costs a quarter of a second or more, and setup is mostly ip commands.
n()
{
	local ns=$1

	shift
	[ "$VERBOSE" = 1 ] && echo "[$ns] $*" >&2
	if [ "$1" = ip ] && [ "${2:-}" != netns ]; then
		shift
		ip -n "$PFX-$ns" "$@"
	else
		ip netns exec "$PFX-$ns" "$@"
	fi
}

# bg NS CMD...: like n, in the background; killed at cleanup.
bg()
{
	n "$@" &
	BG_PIDS+=($!)
}

# nap SECONDS: sleep without a process (sleep is an exec, which costs
# the debug guest a quarter of a second): read -t on a FIFO nobody writes
# to, opened at the first nap (the guest has no /dev/fd for a process
# substitution).
nap()
{
	local dir

	if [ -z "${NAP_FD:-}" ]; then
		dir=$(mktemp -d) && mkfifo "$dir/timer" &&
			exec {NAP_FD}<>"$dir/timer" && rm -r "$dir" || return 1
	fi
	read -r -t "$1" -u "$NAP_FD"
	return 0
}

# trickle: a line every 0.2 s, forever; the writer of a stream that stays
# established without taking the CPU a flood would (one process, no exec
# per line).
trickle()
{
	while echo x 2>/dev/null; do
		nap 0.2 || return 1
	done
}

# stream NS ADDR:PORT [OPTS]: in the background, a TCP connection from NS
# to ADDR:PORT (socat OPTS appended, such as ",sourceport=N") that carries a
# trickle until cleanup.
stream()
{
	trickle | n "$1" socat -u - "TCP:$2${3:-}" &
	BG_PIDS+=($!)
}

# ms_now: milliseconds since the epoch, without a process (bash 5).
ms_now()
{
	local t=${EPOCHREALTIME/[.,]/}

	echo $((t / 1000))
}

# open_conn PORT: a TCP connection from the client to $VIP:PORT that
# stays open (one at a time; its files in $WORK): conn_send DATA sends a
# line through it, and conn_close closes it and checks the answer (an
# lvsresp names itself and the sha256 of all it got). It ends when the
# last writer of its FIFO closes it: what starts in between must not
# inherit CONN_FD.
open_conn()
{
	rm -f "$WORK/conn.in" && mkfifo "$WORK/conn.in" && : >"$WORK/conn.sent"
	n c socat -t 30 -T 600 - TCP:$VIP:"$1" <"$WORK/conn.in" \
		>"$WORK/conn.out" 2>&1 &
	CONN_PID=$!
	BG_PIDS+=($!)
	exec {CONN_FD}>"$WORK/conn.in"
}

# conn_send DATA: false if the connection is gone (no SIGPIPE for the
# scenario: its trap would not run).
conn_send()
{
	(trap '' PIPE && echo "$1" >&"$CONN_FD") 2>/dev/null &&
		echo "$1" >>"$WORK/conn.sent"
}

# conn_close: true if the answer names a real server and carries the
# sha256 of all that was sent; the answer's first line in CONN_NAME.
conn_close()
{
	local sum

	exec {CONN_FD}>&-
	wait "$CONN_PID"
	CONN_NAME= sum=
	{ read -r CONN_NAME && read -r sum; } <"$WORK/conn.out"
	[ -n "$CONN_NAME" ] &&
		[ "$sum" = "$(sha256sum <"$WORK/conn.sent" | cut -d' ' -f1)" ]
}

# busywait TIMEOUT_MS CMD...: poll CMD until it succeeds or time runs out.
# Every wait is for something that must happen, so it costs nothing when
# all is well; the timeout is stretched by LVS_WAIT_SCALE (default 3)
# because a debug guest under TCG on a busy host can be that much slower.
busywait()
{
	local timeout=$(($1 * ${LVS_WAIT_SCALE:-3})) start

	shift
	start=$(ms_now)
	while true; do
		"$@" && return 0
		[ $(($(ms_now) - start)) -ge "$timeout" ] && return 1
		nap 0.1
	done
}

# --- topology --------------------------------------------------------------

ns_add()
{
	ip netns add "$PFX-$1"
	NAMESPACES+=("$1")
	n "$1" ip link set lo up
}

# link NS1 IF1 ADDR1 NS2 IF2 ADDR2: a veth pair with an address each end.
link()
{
	ip link add "$2" netns "$PFX-$1" type veth peer name "$5" \
		netns "$PFX-$4"
	printf 'addr add %s dev %s\nlink set %s up\n' "$3" "$2" "$2" |
		ip -n "$PFX-$1" -b -
	printf 'addr add %s dev %s\nlink set %s up\n' "$6" "$5" "$5" |
		ip -n "$PFX-$4" -b -
}

# ns_batch NS CMD...: the ip commands CMD, as ip -batch reads them, in
# namespace NS, in one ip.
ns_batch()
{
	local ns=$1

	shift
	printf '%s\n' "$@" | ip -n "$PFX-$ns" -batch -
}

# ns_all CMD: "ip netns CMD" on each of the scenario's namespaces, all in
# one ip (-batch, going on past an error): an exec of ip costs the debug
# guest half a second of CPU.
ns_all()
{
	local ns

	[ ${#NAMESPACES[@]} -gt 0 ] || return 0
	for ns in "${NAMESPACES[@]}"; do
		echo "netns $1 $PFX-$ns"
	done | ip -force -batch - 2>/dev/null
}

cleanup()
{
	local pid pids

	[ -z "${LVS_FASTPATH:-}" ] || fast_report
	for pid in "${BG_PIDS[@]}"; do
		kill "$pid" 2>/dev/null
	done
	# Everything in the namespaces goes before the wait: a job the
	# scenario left (a transfer waiting at a gate) would hold it forever.
	pids=$(ns_all pids)
	[ -z "$pids" ] || kill $pids 2>/dev/null
	wait 2>/dev/null
	ns_all del
	NAMESPACES=()
	BG_PIDS=()
}

# fast_report: with lvs loaded with fastpath=1 (tests/netns/run
# --fastpath), what the fast path forwarded in the scenario's namespaces,
# as a line of the log: whether the scenario put it to work.
fast_report()
{
	local ns out sum=0

	[ -e /sys/module/lvs ] || return 0
	for ns in "${NAMESPACES[@]}"; do
		out=$("$IPVSCTL" -n "$PFX-$ns" -j info 2>/dev/null) || continue
		[[ $out =~ \"fastpath\":\{[^}]*\"packets\":([0-9]+) ]] &&
			sum=$((sum + BASH_REMATCH[1]))
	done
	echo "# fast path: $sum packets forwarded"
}

# nat_topology: a client, a director and two real servers behind it.
#
#  +-------------+       +--------------------------+       +-------------+
#  | c (client)  |       | d (director)             |       | rs1         |
#  | 10.0.0.2/24 +-------+ 10.0.0.1/24  10.0.1.1/24 +-------+ 10.0.1.2/24 |
#  +-------------+       |  VIP 10.0.0.1:80 tcp+udp |       | :8080       |
#                        |              10.0.2.1/24 +---+   +-------------+
#                        +--------------------------+   |   +-------------+
#                                                       +---+ rs2         |
#                                                           | 10.0.2.2/24 |
#                                                           | :8080       |
#                                                           +-------------+
# The real servers' default gateway is the director. They listen on 8080,
# the service on 80, so ports are rewritten as well as addresses.
# The namespaces and links in one ip, each namespace's settings in one
# more: 7 processes where ns_add, link and n take 22, 7 CPU seconds less
# in the debug guest, for the 17 scenarios built on it.
nat_topology()
{
	nat_links
	ns_batch c "link set lo up" "addr add 10.0.0.2/24 dev eth0" \
		"link set eth0 up" "route add default via 10.0.0.1"
	ns_batch d "link set lo up" "addr add 10.0.0.1/24 dev c0" \
		"link set c0 up" "addr add 10.0.1.1/24 dev rs1" \
		"link set rs1 up" "addr add 10.0.2.1/24 dev rs2" "link set rs2 up"
	ns_batch rs1 "link set lo up" "addr add 10.0.1.2/24 dev eth0" \
		"link set eth0 up" "route add default via 10.0.1.1"
	ns_batch rs2 "link set lo up" "addr add 10.0.2.2/24 dev eth0" \
		"link set eth0 up" "route add default via 10.0.2.1"
	n d sysctl -qw net.ipv4.ip_forward=1
}

# --- lvs -------------------------------------------------------------------

# Install the modules where modprobe finds them, as `make install` would, so
# that scheduler modules and the netlink family alias load on demand. The
# module index comes from LVS_DEPMOD_DIR if tests/netns/run made it.
lvs_install()
{
	local top=/lib/modules/$(uname -r)

	mkdir -p "$top/updates/lvs" || return 1
	cp "$LVS_KO_DIR"/lvs.ko "$LVS_KO_DIR"/lvs_sched_*.ko \
		"$top/updates/lvs/" || return 1
	if [ -n "${LVS_DEPMOD_DIR:-}" ]; then
		cp "$LVS_DEPMOD_DIR"/modules.* "$top/"
	else
		depmod -a
	fi
}

# lvs_scheds: the lvs scheduler modules loaded, from sysfs (no process:
# busywait polls lvs_sched_idle, and an exec costs the debug guest half a
# second of CPU).
lvs_scheds()
{
	local m

	for m in /sys/module/lvs_sched_*; do
		[ -e "$m" ] && echo "${m##*/}"
	done
}

# Unload lvs and every scheduler module, in dependency order: the
# schedulers in one rmmod, then lvs.
lvs_unload()
{
	local scheds

	scheds=$(lvs_scheds)
	if [ -n "$scheds" ]; then
		rmmod $scheds || return 1
	fi
	if [ -e /sys/module/lvs ]; then
		rmmod lvs || return 1
	fi
}

# lvs_reload NAME: for the scenarios after scenario NAME, which loaded lvs
# with parameters of its own, lvs loaded with its defaults again; NAME
# exits if lvs will not unload.
lvs_reload()
{
	if ! lvs_unload_idle; then
		echo "$1: lvs would not unload: $(lsmod | grep '^lvs')" >&2
		exit 1
	fi
	modprobe lvs
}

# lvs_sched_idle: no lvs scheduler module is in use. A deleted namespace's
# services, which hold their schedulers, are freed in the background
# (cleanup_net), some time after "ip netns del" returns.
lvs_sched_idle()
{
	local m refs

	for m in /sys/module/lvs_sched_*; do
		read -r refs <"$m/refcnt" 2>/dev/null || continue
		[ "$refs" = 0 ] || return 1
	done
}

# lvs_unload_idle: once the namespaces' teardown has let go of the
# schedulers, unload lvs; true if it is gone.
lvs_unload_idle()
{
	busywait 20000 lvs_sched_idle && lvs_unload &&
		[ ! -e /sys/module/lvs ]
}

# ipvsctl ARGS...: ipvsctl in the director's namespace (its -n: no
# "ip netns exec" in between, which costs an exec more).
ipvsctl()
{
	[ "$VERBOSE" = 1 ] && echo "[d] ipvsctl $*" >&2
	"$IPVSCTL" -n "$PFX-d" "$@"
}

# dest_conns VIP:PORT ADDR [active|inactive]: how many connections real
# server ADDR of TCP service VIP:PORT has, of that kind or (default) all.
dest_conns()
{
	ipvsctl dest list tcp "$1" | awk -v rs="$2:" -v kind="${3:-}" '
		index($1, rs) == 1 {
			for (i = 2; i < NF; i++)
				if ($i == kind || (kind == "" &&
				    ($i == "active" || $i == "inactive")))
					n += $(i + 1)
		}
		END { print n + 0 }'
}

# --- traffic ---------------------------------------------------------------

# tcp_server NS PORT NAME: a TCP server on PORT in NS that answers each
# connection, once the client has shut down its side, with its NAME and the
# sha256 of what it received (the request too with LVS_ECHO); a connection
# silent for 60 s is closed unanswered. One process (lvsresp) for all
# connections: no exec per request.
tcp_server()
{
	bg "$1" "$LVSRESP" ${LVS_ECHO:+-e} ${LVS_IPV6:+-b ::} tcp "$2" "$3"
}

# udp_server NS PORT NAME [ADDR]: the UDP twin, one reply datagram per
# request datagram; bound to ADDR if given, so that the replies leave from
# it (a real server answering from the VIP for DR and TUN).
udp_server()
{
	local addr=${4:-${LVS_IPV6:+::}}

	bg "$1" "$LVSRESP" ${LVS_ECHO:+-e} ${addr:+-b "$addr"} udp "$2" "$3"
}

# rs_servers PORT: on rs1 and rs2, a TCP and a UDP server named after
# each on PORT; true once all four listen.
rs_servers()
{
	local rs

	for rs in rs1 rs2; do
		tcp_server $rs "$1" $rs
		udp_server $rs "$1" $rs
	done
	wait_servers rs1 "$1" && wait_servers rs2 "$1"
}

# vip_servers NS PORT...: in NS, a TCP and a UDP server named NS on each
# PORT, the UDP one bound to VIP: a DR or TUN real server answers the
# client itself, from the VIP.
vip_servers()
{
	local ns=$1 port

	shift
	for port in "$@"; do
		tcp_server "$ns" "$port" "$ns"
		udp_server "$ns" "$port" "$ns" "$VIP"
	done
}

# listening NS OPT PORT: true if a socket of NS listens on PORT (OPT: -tln
# for TCP, -uln for UDP).
listening()
{
	[ -n "$(ss -N "$PFX-$1" -H "$2" "sport = :$3")" ]
}

# wait_listen NS PROTO PORT: until something listens there.
wait_listen()
{
	local opt=-tln

	[ "$2" = udp ] && opt=-uln
	busywait 5000 listening "$1" "$opt" "$3"
}

# wait_servers NS PORT...: until NS listens on each PORT, TCP and UDP.
wait_servers()
{
	local ns=$1 port

	shift
	for port in "$@"; do
		wait_listen "$ns" tcp "$port" &&
			wait_listen "$ns" udp "$port" || return 1
	done
}

# request PROTO PORT SIZE: from namespace c, SIZE random bytes to VIP:PORT
# over one TCP connection or in one UDP datagram (its answer awaited for
# 10 s); prints "<server> <ok|bad>" after checking the hash the server
# returns. The scenario sets VIP. With LVS_ECHO exported before the servers
# start, they send the request back after the hash, and its sha256 must
# match as well. One process (lvsreq) does it all.
request()
{
	n c "$LVSREQ" ${LVS_ECHO:+-e} "$1" "$VIP" "$2" "$3"
}

# alternates PROTO PORT SIZE COUNT [FIRST]: COUNT requests (tcp, udp or
# sctp) arrive intact and are answered by rs1 and rs2 in turn, the first
# by FIRST if given. One lvsreq for all COUNT, which stops at the first
# wrong answer.
alternates()
{
	local i got want out

	out=$(n c "$LVSREQ" -a -n "$4" ${5:+-f "$5"} ${LVS_ECHO:+-e} \
		"$1" "$VIP" "$2" "$3") && return 0
	IFS=$'\t' read -r i got want <<<"$out"
	check_err 1 "$1 request ${i:-?} to port $2: got \"${got:-none bad}\", want \"${want:-rs1 ok or rs2 ok}\""
	return 1
}

# lvs_info KEY...: the number KEY (conn_count, or a drop counter such as
# malformed) from ipvsctl -j info, or the sum of several; its keys are
# unique. Matched in bash: busywait polls this, and a parser's start costs
# most of a second in the debug guest.
lvs_info()
{
	local out key sum=0

	out=$(ipvsctl -j info) || return 1
	for key in "$@"; do
		[[ $out =~ \"$key\":([0-9]+) ]] || return 1
		sum=$((sum + BASH_REMATCH[1]))
	done
	echo "$sum"
}

# drops KEY: the drop counter KEY.
drops()
{
	lvs_info "$1"
}

# The slab cache of lvs's connection entries (KMEM_CACHE in src/conn.c),
# there while lvs is loaded; both guests' kernels show it in sysfs. The
# guests boot with slab_nomerge (tests/netns/run): merged with other
# caches of its size it would count their objects too ("aliases" says
# how many), and its name would outlive lvs.
CONN_SLAB=/sys/kernel/slab/lvs_conn

# conn_slab ATTR: the number the cache's ATTR starts with: objects (in
# use, counting the free ones of the slabs the CPUs hold and those in
# KASAN's quarantine: see flood.sh), slab_size (bytes an object takes, its
# metadata included), aliases.
conn_slab()
{
	local v

	read -r v _ <"$CONN_SLAB/$1" && echo "$v"
}

# blackhole_spoofed: what answers the sources lvsflood spoofs by default
# (198.18.0.0/15) vanishes in d's blackhole route, silently, not as ICMP
# errors; and the real servers drop what comes from there (strict reverse
# path filter, no route back), so that their listen queues and sockets
# take no part: the debug kernel has no SYN cookies, and half-open sockets
# of spoofed clients would fill the queues.
blackhole_spoofed()
{
	local rs

	n d ip route add blackhole 198.18.0.0/15 || return 1
	for rs in rs1 rs2; do
		n $rs ip route add blackhole 198.18.0.0/15 &&
			n $rs sysctl -qw net.ipv4.conf.all.rp_filter=1 \
				net.ipv4.conf.eth0.rp_filter=1 || return 1
	done
}

# kernel_lines: how many lines the kernel log has.
kernel_lines()
{
	dmesg | wc -l
}

# kernel_reports FROM: print the problems (tests/vm/scan-log: WARNING,
# BUG, KASAN, lockdep, kmemleak...) the kernel logged after line FROM;
# false if there is one. The guest's run fails on them anyway, at its
# end: this names the check during which they came.
kernel_reports()
{
	local log rc

	log=$(mktemp) || return 1
	dmesg | tail -n +$(($1 + 1)) >"$log"
	"$LVS_TOP/tests/vm/scan-log" "$log"
	rc=$?
	rm -f "$log"
	return $rc
}

# lvs_services PORT FWD RS1 RS2: lvs TCP and UDP services on VIP:PORT, round
# robin over RS1 and RS2 on the same port, forwarded by FWD (dr, tun).
lvs_services()
{
	local proto

	for proto in tcp udp; do
		ipvsctl service add $proto "$(hostport "$VIP" "$1")" sched rr &&
			ipvsctl dest add $proto "$(hostport "$VIP" "$1")" \
				"$(hostport "$3")" "$2" &&
			ipvsctl dest add $proto "$(hostport "$VIP" "$1")" \
				"$(hostport "$4")" "$2"
		check_err $? "lvs $proto configuration failed"
	done
}

# ipvs_services PORT OPT RS1 RS2: the same in the kernel's ip_vs, OPT being
# ipvsadm's forwarding option (-g, -i).
ipvs_services()
{
	local proto

	modprobe ip_vs
	check_err $? "cannot load ip_vs"
	for proto in t u; do
		n d ipvsadm -A -$proto "$(hostport "$VIP" "$1")" -s rr &&
			n d ipvsadm -a -$proto "$(hostport "$VIP" "$1")" \
				-r "$3" "$2" &&
			n d ipvsadm -a -$proto "$(hostport "$VIP" "$1")" \
				-r "$4" "$2"
		check_err $? "ipvsadm -$proto configuration failed"
	done
}

# check_bypass: lvs counted packets to every real server and none from
# them, as when their answers reach the client without the director.
check_bypass()
{
	local out

	out=$(ipvsctl -j service list | python3 -c "
import json, sys
d = json.load(sys.stdin)
print(sum(x['stats']['outpkts'] for s in d for x in s['dests']),
      min(x['stats']['inpkts'] for s in d for x in s['dests']))")
	[ "${out% *}" = 0 ] && [ "${out#* }" -gt 0 ]
	check_err $? "real servers' outpkts, least inpkts: $out"
}

# --- IPv6 ------------------------------------------------------------------
# A scenario sets LVS_IPV6=1 before its servers start: tcp_server and
# udp_server then listen on IPv6, and VIP may be an IPv6 address.

# hostport ADDR [PORT]: ADDR, or ADDR:PORT, as ipvsctl and socat write
# them: an IPv6 address in brackets.
hostport()
{
	case $1 in
	*:*) printf '[%s]%s\n' "$1" "${2:+:$2}" ;;
	*) printf '%s%s\n' "$1" "${2:+:$2}" ;;
	esac
}

# nat_links: namespaces c, d, rs1 and rs2, and their links, in one ip:
# c's eth0 to d's c0, and d's rs1 and rs2 to each real server's eth0;
# nothing configured yet (nat_topology's shape, addressed as a scenario
# wants).
nat_links()
{
	local ns

	NAMESPACES+=(c d rs1 rs2)
	{
		for ns in c d rs1 rs2; do
			echo "netns add $PFX-$ns"
		done
		echo "link add eth0 netns $PFX-c type veth peer name c0 netns $PFX-d"
		echo "link add rs1 netns $PFX-d type veth peer name eth0 netns $PFX-rs1"
		echo "link add rs2 netns $PFX-d type veth peer name eth0 netns $PFX-rs2"
	} | ip -batch -
}

# ns_add6 NS: ns_add, with duplicate address detection off, so that the
# IPv6 addresses of the devices created in NS are usable at once.
ns_add6()
{
	ns_add "$1"
	n "$1" sysctl -qw net.ipv6.conf.all.accept_dad=0 \
		net.ipv6.conf.default.accept_dad=0
}

# --- direct routing and tunnels -------------------------------------------

# switch_port NS ADDR: NS's eth0, with ADDR, plugged into the switch, br0
# in namespace sw.
switch_port()
{
	ip link add eth0 netns "$PFX-$1" type veth peer name "p$1" \
		netns "$PFX-sw"
	printf 'addr add %s dev eth0\nlink set dev eth0 up\n' "$2" |
		ip -n "$PFX-$1" -b -
	n sw ip link set dev "p$1" master br0 up
}

# mac NS: the MAC address of NS's eth0.
mac()
{
	n "$1" cat /sys/class/net/eth0/address
}

# frames PCAP FILTER [FIELD]: what tcpdump -e shows of the matching frames,
# or only FIELD of each (2: source MAC, 4: destination MAC), sorted, unique.
frames()
{
	if [ -n "${3:-}" ]; then
		tcpdump -n -e -r "$1" "$2" 2>/dev/null |
			awk -v f="$3" '{ v = $f; sub(/,$/, "", v); print v }' |
			sort -u
	else
		tcpdump -n -e -r "$1" "$2" 2>/dev/null
	fi
}

# drops_above KEY N: is drop counter KEY above N?
drops_above()
{
	[ "$(drops "$1")" -gt "$2" ]
}

# ref_ports: the VIP's ports the DR and TUN scenarios serve: 80 (lvs), and
# 81 (ip_vs) when they compare with ip_vs (ipvs_ref).
ref_ports()
{
	if ipvs_ref; then
		echo 80 81
	else
		echo 80
	fi
}

# check_dr_answers RS_MACS: in the client's capture $WORK/c.pcap, the TCP
# and UDP answers from the VIP's ports 80 (lvs) and 81 (ip_vs, if
# ipvs_ref) came from the real servers' MACs RS_MACS (sorted, one a line),
# the director's capture $WORK/d.pcap saw none, and lvs counted none.
check_dr_answers()
{
	local answers got p word

	answers=$(frames "$WORK/c.pcap" "src host $VIP and (tcp or udp)")
	for p in $(ref_ports); do
		# TCP's summaries show "Flags [...]", UDP's "UDP, length N".
		for word in Flags UDP; do
			got=$(echo "$answers" | grep -F ": $VIP.$p > " |
				grep -F " $word" | awk '{ print $2 }' | sort -u)
			[ "$got" = "$1" ]
			check_err $? "$word answers from port $p came from MACs: $got"
		done
	done
	got=$(frames "$WORK/d.pcap" "src host $VIP and (tcp or udp)")
	[ -z "$got" ]
	check_err $? "the director saw answers: $(echo "$got" | head -3)"
	check_bypass
}

# check_relayed RS_MACS D_MAC HOPS: in the director's capture $WORK/d.pcap,
# the director (MAC D_MAC) relayed the TCP requests to the VIP's port 80 to
# the real servers' MACs RS_MACS, each with the TTL or hop limit HOPS as
# tcpdump -v shows it ("ttl 63", "hlim 63").
check_relayed()
{
	local filter="ether src $2 and dst host $VIP and tcp dst port 80" got

	got=$(frames "$WORK/d.pcap" "$filter" 4)
	[ "$got" = "$1" ]
	check_err $? "the director relayed port 80 to MACs: $got"
	got=$(tcpdump -n -v -r "$WORK/d.pcap" "$filter" 2>/dev/null |
		grep -o "${3% *} [0-9]*" | sort -u)
	[ "$got" = "$3" ]
	check_err $? "relayed with: $got, want $3 (the client sends 64)"
}

# check_tunnelled FROM OUTER RS...: in the director's capture $WORK/d.pcap,
# requests to the VIP's ports 80 and 81 (if ipvs_ref) went from FROM to
# each RS in outer packets matching the tcpdump filter OUTER, and no answer
# came back that way; lvs counted none either.
check_tunnelled()
{
	local from=$1 outer=$2 got p rs

	shift 2
	got=$(tcpdump -n -r "$WORK/d.pcap" "src host $VIP and (tcp or udp)" \
		2>/dev/null | head -3)
	[ -z "$got" ]
	check_err $? "the director saw answers: $got"
	for rs in "$@"; do
		for p in $(ref_ports); do
			tcpdump -n -r "$WORK/d.pcap" \
				"src host $from and dst host $rs and $outer" \
				2>/dev/null | grep -q "> $VIP.$p:"
			check_err $? "no tunnelled packet to $rs for port $p"
		done
	done
	check_bypass
}

# client_pmtu: the path MTU namespace c has learned for the VIP.
client_pmtu()
{
	n c ip route get "$VIP" | sed -n 's/.* mtu \([0-9]*\).*/\1/p'
}

# check_pmtu WANT [relayed]: 300 kB requests to the VIP's port 80 arrive
# intact, and the client learns the path MTU WANT; some packets are
# dropped as too big by lvs on the way, unless "relayed" says that the
# kernel may have told the client first (see check_pmtu_shrink).
check_pmtu()
{
	local before got

	before=$(drops xmit)
	alternates tcp 80 300000 2
	check_err $? "300 kB requests failed"
	got=$(client_pmtu)
	[ "$got" = "$1" ]
	check_err $? "the client's path MTU to the VIP: ${got:-none}, want $1"
	[ "${2:-}" = relayed ] && return
	drops_above xmit "$before"
	check_err $? "too-big drops stayed at $before"
}

# check_pmtu_shrink DEV WANT [relayed]: the link from router r to rs1
# shrinks to MTU 1300. The director learns it from r's ICMP error about
# an outer packet through the kernel's tunnel error handler, which wants a
# tunnel device DEV (tunl0, ip6tnl0) up on the director; then check_pmtu
# WANT. ip6tnl's handler also relays the error to the inner packet's
# source, the client, racing lvs's own too-big answer to the next
# oversized packet: "relayed" (IPv6) does not ask for lvs's drops.
check_pmtu_shrink()
{
	n d ip link set "$1" up
	n r ip link set rs1 mtu 1300
	n rs1 ip link set eth0 mtu 1300
	check_pmtu "$2" "${3:-}"
}

# --- conntrack on the director ---------------------------------------------

# stateful_director OIF PORT: load on the director the nftables ruleset of
# a careful operator, which turns conntrack on in its namespace: FORWARD
# passes only what belongs to connections conntrack has seen (or new ones
# to the real servers' PORT, for NAT) and drops what conntrack finds
# invalid; POST_ROUTING masquerades whatever else leaves by OIF (the
# client-facing link), for the real servers' own traffic, say.
stateful_director()
{
	n d nft -f - <<-EOF
	table inet stateful {
		chain forward {
			type filter hook forward priority filter; policy drop;
			ct state established,related counter accept \
				comment "established"
			ct state invalid counter drop comment "invalid"
			meta l4proto { tcp, udp } th dport $2 ct state new accept
			counter comment "policy"
		}
		chain postrouting {
			type nat hook postrouting priority srcnat;
			oifname "$1" counter masquerade comment "masquerade"
		}
	}
	EOF
}

# stateful_count NAME...: how many packets the stateful ruleset's rules
# NAME (established, invalid, policy, masquerade) counted, one number
# each ("-" for a rule not found), from one listing read in bash: the
# debug guest pays half a CPU second for each process.
stateful_count()
{
	local listing line name got out=()

	listing=$(n d nft list table inet stateful)
	for name in "$@"; do
		got=-
		while IFS= read -r line; do
			[[ $line =~ counter\ packets\ ([0-9]+)\ .*comment\ \"$name\" ]] &&
				got=${BASH_REMATCH[1]}
		done <<<"$listing"
		out+=("$got")
	done
	echo "${out[*]}"
}

# stateful_counters: all of them, for a failing check to show.
stateful_counters()
{
	local names=(established invalid policy masquerade) counts i

	read -ra counts <<<"$(stateful_count "${names[@]}")"
	for i in "${!names[@]}"; do
		printf '%s %s ' "${names[i]}" "${counts[i]}"
	done
}

# --- stopping what runs in a namespace ----------------------------------------

# ns_stop NS COMM [SIGNAL]: send SIGNAL (default TERM) to the processes
# named COMM in namespace NS, the processes themselves rather than the
# wrappers bg started them in, and wait until they are gone. Fails if
# there was none or one outlives the wait. SIGINT makes tcpdump flush and
# close its capture file.
ns_stop()
{
	local pid pids=

	for pid in $(ip netns pids "$PFX-$1" 2>/dev/null); do
		[ "$(cat /proc/"$pid"/comm 2>/dev/null)" = "$2" ] &&
			pids="$pids $pid"
	done
	[ -n "$pids" ] || return 1
	kill -"${3:-TERM}" $pids 2>/dev/null
	busywait 5000 procs_gone $pids
}

# procs_gone PID...: true when none of the processes exists any more.
procs_gone()
{
	local pid

	for pid in "$@"; do
		[ -d /proc/"$pid" ] && return 1
	done
	return 0
}

# sweep_namespaces: kill what runs in the namespaces a scenario left (a
# scenario stopped by its time limit cannot clean up) and delete them;
# prints their names. Only names of this library's form (lvsPID-NAME).
sweep_namespaces()
{
	local f ns pids

	# ip's own directory of names, read without a process.
	for f in /var/run/netns/lvs*; do
		ns=${f##*/}
		[[ $ns =~ ^lvs[0-9]+- ]] || continue
		pids=$(ip netns pids "$ns")
		[ -z "$pids" ] || kill -KILL $pids 2>/dev/null
		ip netns del "$ns"
		echo "$ns"
	done
}
