#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# How long deleting many services takes, beside the kernel's ip_vs: each
# mode loads LVS_BENCH_SERVICES services (default 10000) of
# LVS_BENCH_DESTS NAT destinations each (default 10) with "ipvsctl -b"
# into a namespace of its own, then times their deletion:
#   del          one "service del" line a service, in one ipvsctl -b
#   flush        "ipvsctl service flush"
#   flushforce   "ipvsctl service flush force"
#   ipvs         ip_vs: the same configuration by "ipvsadm -R", then
#                "ipvsadm -C"
# LVS_BENCH_MODES picks them (default all four). A benchmark, run in the
# stock guest by path (Documentation/benchmarks.md):
#   tests/netns/run --kernel stock "$PWD/bench/service-delete.sh"
# It fails only if a step fails. With 10,000 services the kernel log
# overflows, so the guest's count of services created and freed that
# ends every run does not match: ignore that line.

source "$(dirname "${BASH_SOURCE[0]}")/../tests/netns/lib.sh"

SERVICES=${LVS_BENCH_SERVICES:-10000}
DESTS=${LVS_BENCH_DESTS:-10}
MODES=${LVS_BENCH_MODES:-del flush flushforce ipvs}
WORK=$(mktemp -d)
trap 'cleanup; rm -rf "$WORK"' EXIT

plan 1

# The configuration, as ipvsctl -b and ipvsadm -R lines, and the deletions.
awk -v n="$SERVICES" -v d="$DESTS" -v w="$WORK" 'BEGIN {
	for (i = 0; i < n; i++) {
		vip = sprintf("10.%d.%d.%d:80", 1 + int(i / 62500),
			      int(i / 250) % 250, i % 250 + 1)
		print "service add tcp " vip " sched rr" > (w "/add")
		print "service del tcp " vip > (w "/del")
		print "-A -t " vip " -s rr" > (w "/ipvs")
		for (j = 1; j <= d; j++) {
			print "dest add tcp " vip " 10.200.0." j ":8080 nat" \
				> (w "/add")
			print "-a -t " vip " -r 10.200.0." j ":8080 -m -w 1" \
				> (w "/ipvs")
		}
	}
}'

# load: the configuration into lvs; prints how long it took.
load()
{
	local start=$(ms_now)

	ipvsctl -b "$WORK/add" || return 1
	echo "bench: load $SERVICES x $DESTS: $(($(ms_now) - start)) ms"
}

# timed WHAT CMD...: run CMD, print how long it took, and fail unless it
# left no service.
timed()
{
	local what=$1 start=$(ms_now)

	shift
	"$@" || return 1
	echo "bench: $what: $(($(ms_now) - start)) ms"
	[ -z "$(ipvsctl service list)" ]
}

lvs_install && ns_add d
check_err $? "setup failed"
for mode in $MODES; do
	[ "$RET" = 0 ] || break
	case $mode in
	del)
		load && timed "service del x $SERVICES" ipvsctl -b "$WORK/del"
		;;
	flush)
		load && timed "service flush" ipvsctl service flush
		;;
	flushforce)
		load && timed "service flush force" ipvsctl service flush force
		;;
	ipvs)
		modprobe ip_vs &&
			n d ipvsadm -R < "$WORK/ipvs" &&
			start=$(ms_now) &&
			n d ipvsadm -C &&
			echo "bench: ipvsadm -C: $(($(ms_now) - start)) ms" &&
			[ "$(n d ipvsadm -Sn | grep -c .)" = 0 ]
		;;
	*)
		false
		;;
	esac
	check_err $? "mode $mode failed"
done
log_test "bench: $SERVICES services of $DESTS destinations deleted"

exit $((FAILED > 0))
