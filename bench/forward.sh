#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The forwarding benchmark, in the guest (bench/forward runs it through
# tests/netns/run). Three setups measured in turn, round after round, on
# one topology built anew for each measurement, so that none inherits
# another's connections, routes or neighbours:
#
#   plain  the director routes the client's packets to the real server's
#          own address: no load balancer at all
#   ip_vs  the kernel's ip_vs, configured with ipvsadm
#   lvs    lvs, configured with ipvsctl
#
# for NAT, DR and TUN (plain has no method), IPv4 and IPv6:
#
#   +-----------+     +-----------------------+     +-----------------+
#   | c         |     | d                     |     | r               |
#   | 10.0.0.2  +-----+ 10.0.0.1     10.0.1.1 +-----+ 10.0.1.2        |
#   | fd00::2   | c0  | fd00::1      fd01::1  | r0  | fd01::2         |
#   +-----------+     | VIP 10.0.0.100        |     | VIP on lo (DR,  |
#                     |     fd00::100 on c0   |     | TUN: tunl0,     |
#                     +-----------------------+     | ip6tnl0)        |
#                                                   +-----------------+
#
# The real server's answers go back through the director, its default
# gateway (which accepts their VIP source, accept_local); for DR and TUN
# they are routed, for NAT rewritten. Per measurement:
#
#   udp_kpps   64-byte frames (UDP with 8 bytes of data), unpaced, from
#              64 client ports: thousands of packets a second that reach
#              the real server's interface
#   udp_cpu    guest CPU microseconds per packet with the same flows paced
#              at LVS_BENCH_RATE (default 4000/s), below every setup's
#              ceiling, so that the cost shows and not the generator's cap;
#              the sender and the receiver cost the same in every setup,
#              the difference is the director's
#   tcp_mbps   one TCP stream's throughput, megabytes a second received
#   crr        new TCP connections a second (connect, request, answer,
#              close; one at a time), and conn_cpu the guest CPU
#              microseconds per connection
#   udp_hook_ns, conn_hook_us
#              CPU time spent inside netfilter hooks (where ip_vs and lvs
#              work, sending the packets they take over included) per
#              packet of the paced flood, per connection of crr, each run
#              once more under perf (bench/lib.sh costs); none without
#              perf
#   udp_dir_ns, conn_dir_us
#              from the same perf runs, the director's own CPU time,
#              which the guest-wide figures bury under the client's and
#              the server's, and the hook times miss outside the hooks:
#              the director's packets steered to a CPU of their own, the
#              time from each packet's receive to its transmit, per
#              packet the director sent on, per connection
#
# Each result is printed as a line
#   bench: METRIC FAMILY METHOD SETUP ROUND VALUE
# which bench/forward gathers. LVS_BENCH_ROUNDS (default 5) rounds of
# LVS_BENCH_SECONDS (default 4) per measurement; LVS_BENCH_ONLY restricts
# the methods (for example "nat dr"), LVS_BENCH_METRICS the measurements:
# udp (udp_*), tcp (tcp_mbps), crr (crr and conn_*); default all three.

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ROUNDS=${LVS_BENCH_ROUNDS:-5}
SECS=${LVS_BENCH_SECONDS:-4}
RATE=${LVS_BENCH_RATE:-4000}
METHODS=${LVS_BENCH_ONLY:-nat dr tun}
CONNS=${LVS_BENCH_CONNS:-300}
METRICS=" ${LVS_BENCH_METRICS:-udp tcp crr} "

# want GROUP: is GROUP (udp, tcp, crr) among the measurements asked for?
want()
{
	[[ $METRICS == *" $1 "* ]]
}

plan 1
trap 'cleanup; modprobe -r ip_vs_rr ip_vs 2>/dev/null' EXIT

# measure SETUP FAMILY METHOD ROUND: every metric of one setup, on a
# topology of its own.
measure()
{
	local setup=$1 fam=$2 method=$3 round=$4 dst src six=''

	topology || { echo "bench: topology failed" >&2; return 1; }
	configure "$setup" "$fam" "$method" ||
		{ echo "bench: $setup $method configuration failed" >&2; return 1; }
	dst=$(addr "$fam" vip)
	[ "$setup" = plain ] && dst=$(addr "$fam" r)
	[ "$fam" = 6 ] && six=-6
	src=$(addr "$fam" c)/$([ "$fam" = 4 ] && echo 32 || echo 128)

	want udp && measure_udp
	want tcp && measure_tcp
	want crr && measure_crr
	cleanup
}

# measure_udp, measure_tcp, measure_crr: one group of measure()'s metrics,
# with its variables.
measure_udp()
{
	local p0 p1 b0 b1 s0 s1 h

	# unpaced 64-byte UDP
	report_kpps udp_kpps

	# paced 64-byte UDP: CPU per packet
	p0=$(rx_of packets)
	b0=$(busy)
	flood -r "$RATE"
	b1=$(busy)
	p1=$(rx_of packets)
	report udp_cpu $(((b1 - b0) * 10000 / (p1 - p0 + 1)))
	p0=$(rx_of packets)
	s0=$(sent_on)
	h=$(costs "$LVSFLOOD" $six -s "$src" -p 20000-20063 -t "$SECS" \
		-r "$RATE" udp "$dst" $UDP_PORT)
	p1=$(rx_of packets)
	s1=$(sent_on)
	if [ -n "$h" ]; then
		report udp_hook_ns $((${h% *} / (p1 - p0 + 1)))
		report udp_dir_ns $((${h#* } / (s1 - s0 + 1)))
	fi
}

measure_tcp()
{
	local by0 by1 t0 t1

	# one TCP stream
	by0=$(rx_of bytes)
	t0=$(ms_now)
	n c timeout "$SECS" socat -u /dev/zero "TCP:$(hostport "$dst"):$TCP_PORT" \
		2>/dev/null
	t1=$(ms_now)
	by1=$(rx_of bytes)
	report tcp_mbps $(((by1 - by0) / 1000 / (t1 - t0)))
}

measure_crr()
{
	local b0 b1 t0 t1 rc h

	# new connections, one at a time
	b0=$(busy)
	t0=$(ms_now)
	n c "$LVSREQ" -n "$CONNS" tcp "$dst" $CRR_PORT 100 >/dev/null
	rc=$?
	t1=$(ms_now)
	b1=$(busy)
	if [ $rc = 0 ]; then
		report crr $((CONNS * 1000 / (t1 - t0)))
		report conn_cpu $(((b1 - b0) * 10000 / CONNS))
	else
		echo "bench: $setup $fam $method: connections failed" >&2
	fi
	h=$(costs "$LVSREQ" -n "$CONNS" tcp "$dst" $CRR_PORT 100)
	if [ -n "$h" ]; then
		report conn_hook_us $((${h% *} / 1000 / CONNS))
		report conn_dir_us $((${h#* } / 1000 / CONNS))
	fi
}

modprobe ip_vs && modprobe ip_vs_rr && modprobe lvs && modprobe lvs_sched_rr
check_err $? "cannot load ip_vs and lvs"
modprobe ipip && modprobe ip6_tunnel
check_err $? "cannot load the tunnel drivers"
for round in $(seq "$ROUNDS"); do
	for fam in 4 6; do
		measure plain "$fam" - "$round" || check_err 1 "plain $fam failed"
		for method in $METHODS; do
			for setup in ip_vs lvs; do
				measure "$setup" "$fam" "$method" "$round" ||
					check_err 1 "$setup $fam $method failed"
			done
		done
	done
done
log_test "bench: $ROUNDS rounds of every setup"
exit $((FAILED > 0))
