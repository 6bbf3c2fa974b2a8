# SPDX-License-Identifier: GPL-2.0
#
# What the benchmarks in the guest share (bench/forward.sh, bench/conns.sh):
# the topology drawn in forward.sh, the load balancers on it, and how to
# count what arrives and what it costs. It sources the scenarios' lib.sh.
# report() and flood() read the caller's fam, method, setup and round, and
# src, dst and six.

source "$(dirname "${BASH_SOURCE[0]}")/../tests/netns/lib.sh"

UDP_PORT=9
TCP_PORT=5001
CRR_PORT=5002

# addr FAMILY WHAT: the address WHAT (c, d, d_r, r, vip) in FAMILY (4, 6).
addr()
{
	local -A a4=([c]=10.0.0.2 [d]=10.0.0.1 [d_r]=10.0.1.1 [r]=10.0.1.2
		[vip]=10.0.0.100)
	local -A a6=([c]=fd00::2 [d]=fd00::1 [d_r]=fd01::1 [r]=fd01::2
		[vip]=fd00::100)

	if [ "$1" = 4 ]; then
		echo "${a4[$2]}"
	else
		echo "${a6[$2]}"
	fi
}

# topology: c, d and r as drawn above, both families; r sinks TCP on
# TCP_PORT and answers requests on CRR_PORT.
topology()
{
	ns_add c
	ns_add d
	ns_add r
	link c eth0 "10.0.0.2/24" d c0 "10.0.0.1/24"
	link d r0 "10.0.1.1/24" r eth0 "10.0.1.2/24"
	n c ip addr add fd00::2/64 dev eth0 nodad
	n d ip addr add fd00::1/64 dev c0 nodad
	n d ip addr add fd01::1/64 dev r0 nodad
	n r ip addr add fd01::2/64 dev eth0 nodad
	n d ip addr add 10.0.0.100/32 dev c0
	n d ip addr add fd00::100/128 dev c0 nodad
	n c ip route add default via 10.0.0.1
	n c ip -6 route add default via fd00::1
	n r ip route add default via 10.0.1.1
	n r ip -6 route add default via fd01::1
	n r ip addr add 10.0.0.100/32 dev lo
	n r ip addr add fd00::100/128 dev lo
	n r ip link set tunl0 up
	n r ip link set ip6tnl0 up
	n d sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1 \
		net.ipv4.conf.all.accept_local=1 net.ipv4.conf.r0.accept_local=1 \
		net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.r0.rp_filter=0 \
		net.ipv4.conf.all.send_redirects=0
	n r sysctl -qw net.ipv4.conf.all.rp_filter=0 \
		net.ipv4.conf.tunl0.rp_filter=0 net.ipv4.conf.eth0.rp_filter=0
	bg r socat -u TCP6-LISTEN:$TCP_PORT,reuseaddr,fork,ipv6only=0 OPEN:/dev/null
	bg r "$LVSRESP" -1 -b :: tcp $CRR_PORT r
	wait_listen r tcp $TCP_PORT && wait_listen r tcp $CRR_PORT
}

# configure SETUP FAMILY METHOD: the load balancer of SETUP for METHOD
# (nat, dr, tun) in the director, one real server, UDP and both TCP ports;
# lvs with its fast path on unless LVS_BENCH_FASTPATH=off.
configure()
{
	local setup=$1 vip rs port proto opt

	vip=$(hostport "$(addr "$2" vip)")
	rs=$(hostport "$(addr "$2" r)")
	for port in $UDP_PORT $TCP_PORT $CRR_PORT; do
		proto=tcp
		[ "$port" = $UDP_PORT ] && proto=udp
		case $setup in
		lvs)
			ipvsctl service add $proto "$vip:$port" sched rr &&
				ipvsctl dest add $proto "$vip:$port" \
					"$rs:$port" "$3" || return 1
			;;
		ip_vs)
			opt=-m
			[ "$3" = dr ] && opt=-g
			[ "$3" = tun ] && opt=-i
			n d ipvsadm -A -${proto:0:1} "$vip:$port" -s rr &&
				n d ipvsadm -a -${proto:0:1} "$vip:$port" \
					-r "$rs:$port" $opt || return 1
			;;
		esac
	done
	[ "$setup" != lvs ] ||
		ipvsctl info set fastpath "${LVS_BENCH_FASTPATH:-on}"
}

# busy: the guest's busy CPU time so far, in ticks of 10 ms (/proc/stat:
# user, nice, system, idle, iowait, irq, softirq, steal...).
busy()
{
	local user nice system irq softirq steal

	read -r _ user nice system _ _ irq softirq steal _ </proc/stat
	echo $((user + nice + system + irq + softirq + steal))
}

# rx_of WHAT: r's eth0 counter rx_WHAT (packets, bytes), read in r.
rx_of()
{
	n r cat "/sys/class/net/eth0/statistics/rx_$1"
}

# sent_on: what the director sent on towards the real server, r0's
# packets (veth counts those it could not queue at r as dropped).
sent_on()
{
	local p d

	p=$(n d cat /sys/class/net/r0/statistics/tx_packets) &&
		d=$(n d cat /sys/class/net/r0/statistics/tx_dropped) &&
		echo $((p + d))
}

# report METRIC VALUE: one result of the setup measure() is at.
report()
{
	echo "bench: $1 $fam $method $setup $round $2"
}

# report_kpps METRIC: an unpaced flood(), reported as METRIC: thousands of
# packets a second that reached the real server.
report_kpps()
{
	local p0 p1 t0 t1

	p0=$(rx_of packets)
	t0=$(ms_now)
	flood
	t1=$(ms_now)
	p1=$(rx_of packets)
	report "$1" $(((p1 - p0) / (t1 - t0)))
}

# flood [-r RATE]: 64-byte UDP from the client's 64 ports to measure()'s
# destination for SECS seconds, unpaced or at RATE.
flood()
{
	n c "$LVSFLOOD" $six -s "$src" -p 20000-20063 -t "$SECS" "$@" \
		udp "$dst" $UDP_PORT >/dev/null
}

# The sampling period of costs(), in nanoseconds of CPU time.
HOOK_PERIOD_NS=100000

# The director on a CPU of its own: receive packet steering hands every
# packet the director receives (on c0 from the client, on r0 from the
# real server) to CPU 1, and every packet the client or the real server
# receives to CPU 0, where the client and everything else of the
# benchmark runs. Veth devices receive through netif_rx(), which steers.

# rps NS DEV MASK: steer what DEV in NS receives to the CPUs of MASK (0:
# none, the CPU that sent it).
rps()
{
	n "$1" sh -c "echo $3 >/sys/class/net/$2/queues/rx-0/rps_cpus"
}

# steer on|off
steer()
{
	local dir=0 back=0

	[ "$1" = on ] && dir=2 back=1
	rps d c0 $dir && rps d r0 $dir && rps c eth0 $back && rps r eth0 $back
}

# costs CMD...: run CMD in namespace c on CPU 0, the director steered to
# CPU 1, under perf sampling every CPU every HOOK_PERIOD_NS of its time
# with call chains. Prints two figures in nanoseconds:
#  - the samples taken inside a netfilter hook on any CPU (nf_hook_slow()
#    on the stack): where ip_vs and lvs do all their work, sending the
#    packets they take over included; plain forwarding has none;
#  - the samples of CPU 1 taken in the director's handling of a packet
#    (__netif_receive_skb() on the stack: from the device's receive to
#    the next device's queue, routing and every hook included), whatever
#    the setup; not its waking from idle and entering the softirq for
#    each packet, which under TCG costs about as much again, the same in
#    every setup.
# Nothing without perf, or if perf fails.
costs()
{
	local data

	command -v perf >/dev/null || return 0
	# The kernel's symbols, which a non-zero kptr_restrict hides.
	echo 0 >/proc/sys/kernel/kptr_restrict || return 0
	data=$(mktemp)
	if steer on && taskset -c 0 perf record -q -a -g -e cpu-clock \
		-c "$HOOK_PERIOD_NS" -o "$data" -- \
		ip netns exec "$PFX-c" "$@" >/dev/null 2>&1; then
		# One blank-line separated block of callchain per sample,
		# its first line the CPU.
		perf script -i "$data" -F cpu,ip,sym 2>/dev/null |
			awk -v RS= -v p="$HOOK_PERIOD_NS" '
				/[ \t]nf_hook_slow([^_a-z]|$)/ { h++ }
				/^[ \t]*\[001\]/ &&
				/[ \t]__netif_receive_skb/ { d++ }
				END { print h * p, d * p }'
	fi
	steer off
	rm -f "$data"
}
