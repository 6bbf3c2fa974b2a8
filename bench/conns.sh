#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The connection-table benchmark, in the guest (bench/forward runs it
# after forward.sh): ip_vs and lvs, in turn, on the topology of
# forward.sh with a NAT service of UDP port 9, its table filled with
# COUNT connections from spoofed sources (lvsflood -q: each packet a
# connection of its own, kept 15 minutes), for each COUNT of
# LVS_BENCH_COUNTS (default "1000 100000 1000000"):
#
#   conn_bytes_N  bytes per connection: what an object of the connection
#                 cache takes of its slab's pages (/sys/kernel/slab: the
#                 slab's bytes over its objects), plus the table's
#                 buckets (8 bytes each; lvs's two sides grow with the
#                 table, ip_vs's table is fixed, 2^conn_tab_bits) over
#                 the connections in the table
#   udp_kpps_N    the forwarding rate beside them: 64-byte UDP from the
#                 client's 64 ports, unpaced, as udp_kpps of forward.sh
#
# N is 1k, 100k or 1m. Each result is a line "bench: METRIC 4 nat SETUP
# ROUND VALUE". LVS_BENCH_ROUNDS (default 5) rounds, LVS_BENCH_SECONDS
# (default 4) of flood per rate.

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ROUNDS=${LVS_BENCH_ROUNDS:-5}
SECS=${LVS_BENCH_SECONDS:-4}
COUNTS=${LVS_BENCH_COUNTS:-1000 100000 1000000}
# The spoofed connections' timeout, in seconds: longer than any round.
UDP_TIMEOUT=900

plan 1
trap 'cleanup; modprobe -r ip_vs_rr ip_vs 2>/dev/null' EXIT

# count_name N: 1k, 100k, 1m.
count_name()
{
	if [ $(($1 % 1000000)) = 0 ]; then
		echo "$(($1 / 1000000))m"
	elif [ $(($1 % 1000)) = 0 ]; then
		echo "$(($1 / 1000))k"
	else
		echo "$1"
	fi
}

# object_bytes CACHE: the bytes an object of slab cache CACHE takes of
# its slab's pages. (Counting the pages a fill added would count the free
# objects that earlier rounds left in the cache as nothing.)
object_bytes()
{
	local dir=/sys/kernel/slab/$1

	echo $(((4096 << $(cat "$dir/order")) / $(cat "$dir/objs_per_slab")))
}

# entries SETUP: connections in the director's table.
entries()
{
	if [ "$1" = lvs ]; then
		lvs_info conn_count
	else
		n d ipvsadm -L -n -u "$(addr 4 vip):$UDP_PORT" | awk '
			$1 == "->" { n += $5 + $6 } END { print n + 0 }'
	fi
}

entries_reach()
{
	[ "$(entries "$1")" -ge "$2" ]
}

# bucket_bytes SETUP: what the table's buckets take, in bytes.
bucket_bytes()
{
	if [ "$1" = lvs ]; then
		echo $((8 * $(lvs_info buckets_in buckets_out)))
	else
		echo $((8 << $(cat /sys/module/ip_vs/parameters/conn_tab_bits)))
	fi
}

# measure SETUP COUNT ROUND
measure()
{
	local setup=$1 count=$2 round=$3 fam=4 method=nat six=''
	local cache=ip_vs_conn name dst src got

	name=$(count_name "$count")
	[ "$setup" = lvs ] && cache=lvs_conn
	topology || { echo "bench: topology failed" >&2; return 1; }
	configure "$setup" 4 nat ||
		{ echo "bench: $setup configuration failed" >&2; return 1; }
	if [ "$setup" = lvs ]; then
		ipvsctl timeout set udp $UDP_TIMEOUT
	else
		n d ipvsadm --set 0 0 $UDP_TIMEOUT
	fi || { echo "bench: $setup timeout failed" >&2; return 1; }
	n d sysctl -qw net.ipv4.conf.c0.rp_filter=0
	dst=$(addr 4 vip)
	src=$(addr 4 c)/32

	n c "$LVSFLOOD" -q -n "$count" udp "$dst" $UDP_PORT >/dev/null
	if ! busywait 60000 entries_reach "$setup" "$count"; then
		echo "bench: $setup: $(entries "$setup") of $count entries" >&2
		cleanup
		return 1
	fi
	got=$(entries "$setup")
	report "conn_bytes_$name" \
		$(($(object_bytes $cache) + $(bucket_bytes "$setup") / got))

	report_kpps "udp_kpps_$name"
	cleanup
}

# Room for the largest count beside the client's flows.
modprobe ip_vs && modprobe ip_vs_rr && modprobe lvs conn_max=4194304 &&
	modprobe lvs_sched_rr
check_err $? "cannot load ip_vs and lvs"
for round in $(seq "$ROUNDS"); do
	for count in $COUNTS; do
		for setup in ip_vs lvs; do
			measure "$setup" "$count" "$round" ||
				check_err 1 "$setup $count failed"
		done
	done
done
log_test "bench: $ROUNDS rounds of the connection table at $COUNTS"
exit $((FAILED > 0))
