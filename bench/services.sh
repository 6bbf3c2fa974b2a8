#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The control-plane benchmark, in the guest (bench/forward runs it after
# conns.sh): LVS_BENCH_SERVICES TCP services (default 10000) of
# LVS_BENCH_DESTS NAT destinations each (default 10), in a namespace of
# their own, loaded and deleted by lvs and by the kernel's ip_vs in turn,
# LVS_BENCH_ROUNDS times (default 5):
#
#   svc_load_ms   loading them: "ipvsctl -b" of a "service add" line and
#                 its "dest add" lines per service; "ipvsadm -R" of the
#                 same configuration
#   svc_flush_ms  deleting them all: "ipvsctl service flush"; "ipvsadm -C"
#
# Each result is a line "bench: METRIC 4 nat SETUP ROUND VALUE". Between
# the two, lvs loads them again and deletes them by a batch of one
# "service del" line a service, printed as "bench: lvs del lines: MS ms",
# and loads them again to time "ipvsctl save", "ipvsctl apply" of the
# saved file into an empty namespace and of it with 1 % of the
# destinations changed ("bench: lvs save: MS ms" and so on).
#
# lvs logs each service and destination it creates and frees at debug
# level, which the test run turns on; at 10,000 services that logging
# would be most of what is timed, so lvs is loaded here without it, and
# the run's created/freed count is skipped (/run/lvs-no-object-log).

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ROUNDS=${LVS_BENCH_ROUNDS:-5}
SERVICES=${LVS_BENCH_SERVICES:-10000}
DESTS=${LVS_BENCH_DESTS:-10}
WORK=$(mktemp -d)
trap 'cleanup; rm -rf "$WORK"; modprobe -r ip_vs_rr ip_vs 2>/dev/null' EXIT

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

# timed VAR CMD...: run CMD; VAR gets how long it took, in milliseconds.
timed()
{
	local -n ms=$1
	local start=$(ms_now)

	shift
	"$@" || return 1
	ms=$(($(ms_now) - start))
}

# apply_round: with the services loaded, how long "ipvsctl save" takes,
# then "ipvsctl apply" of that file into an empty namespace, and of the
# file with one destination in a hundred given another weight.
apply_round()
{
	local t

	timed t ipvsctl save >"$WORK/saved" &&
		echo "bench: lvs save: $t ms" &&
		ipvsctl service flush &&
		timed t ipvsctl apply "$WORK/saved" >/dev/null &&
		echo "bench: lvs apply into an empty namespace: $t ms" &&
		awk '/^dest add/ && ++n % 100 == 0 { sub(/weight 1$/, "weight 2") }
			{ print }' "$WORK/saved" >"$WORK/changed" &&
		timed t ipvsctl apply "$WORK/changed" >"$WORK/applied" &&
		echo "bench: lvs apply of 1 % changed: $t ms ($(cat "$WORK/applied"))"
}

# round R: lvs then ip_vs, each loading and deleting the services.
round()
{
	local r=$1 t

	timed t ipvsctl -b "$WORK/add" &&
		echo "bench: svc_load_ms 4 nat lvs $r $t" &&
		timed t ipvsctl -b "$WORK/del" &&
		[ -z "$(ipvsctl service list)" ] &&
		echo "bench: lvs del lines: $t ms" &&
		ipvsctl -b "$WORK/add" &&
		apply_round &&
		timed t ipvsctl service flush &&
		[ -z "$(ipvsctl service list)" ] &&
		echo "bench: svc_flush_ms 4 nat lvs $r $t" || return 1

	# ip_vs keeps deleted destinations in a trash that every later
	# "-a" searches: a load after a flush took six times as long.
	# Each round starts from a fresh ip_vs, as lvs has no such list.
	modprobe -r ip_vs_rr ip_vs && modprobe ip_vs &&
		timed t n d ipvsadm -R <"$WORK/ipvs" &&
		echo "bench: svc_load_ms 4 nat ip_vs $r $t" &&
		timed t n d ipvsadm -C &&
		[ "$(n d ipvsadm -Sn | grep -c .)" = 0 ] &&
		echo "bench: svc_flush_ms 4 nat ip_vs $r $t"
}

# Without the test run's object logging (see the top).
touch /run/lvs-no-object-log
rm -f /etc/modprobe.d/lvs-test.conf
lvs_unload_idle && modprobe lvs && modprobe ip_vs && ns_add d
check_err $? "setup failed"
for r in $(seq 1 "$ROUNDS"); do
	[ "$RET" = 0 ] || break
	round "$r"
	check_err $? "round $r failed"
done
log_test "bench: $ROUNDS rounds of $SERVICES services of $DESTS destinations"

exit $((FAILED > 0))
