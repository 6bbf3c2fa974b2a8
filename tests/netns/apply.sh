#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# ipvsctl apply: a file of "service add", "dest add", "timeout set" and
# "info set" lines made real. Applied to an empty namespace it builds the
# services, which answer; "save | apply -" then changes nothing, and
# --dry-run says so and sends nothing. A file with a bad last line is
# refused before anything changes. An apply that changes the service of
# a connection held open through it, a threshold and a timeout, adds a
# server and removes the connection's keeps the connection carrying data
# on the same server, and the services' counters. An apply is one
# transaction: one the kernel refuses at its last change makes none of
# the others; one computed for a generation that is no longer current is
# refused; two racing applies leave one file's configuration, never a mix
# of both; an apply --confirm that waits for its answer while another
# apply is made is refused, and leaves that other's configuration; a
# monitor sees the transaction's generation. With --drain a
# server that goes takes no new connections, and is deleted once its
# held connection ends (or the time is up) while it carries on.
# Topology: nat_topology (lib.sh), lvsresp on 8080 on rs1 and rs2.

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

plan 11

WORK=$(mktemp -d)
trap 'cleanup; rm -rf "$WORK"' EXIT

VIP=10.0.0.1

nat_topology
rs_servers 8080
check_err $? "the real servers do not listen"

cat >"$WORK/v1" <<EOF
# two services
timeout set tcp 900 udp 300
service add tcp $VIP:80 sched rr
dest add tcp $VIP:80 10.0.1.2:8080
dest add tcp $VIP:80 10.0.2.2:8080
service add udp $VIP:80 sched rr
dest add udp $VIP:80 10.0.1.2:8080 weight 2
dest add udp $VIP:80 10.0.2.2:8080
EOF
out=$(ipvsctl apply "$WORK/v1")
check_err $? "apply to an empty namespace failed: $out"
[ "$out" = "6 changes" ]
check_err $? "apply said: $out (want 6 changes)"
alternates tcp 80 100 4 && alternates udp 80 100 2
check_err $? "the services applied do not answer from both servers"
log_test "apply: builds the services of a file, which answer"

ipvsctl save >"$WORK/saved"
out=$(ipvsctl apply - <"$WORK/saved")
[ "$out" = "0 changes" ]
check_err $? "save | apply said: $out"
out=$(ipvsctl apply "$WORK/v1" --dry-run)
[ "$out" = "# 0 changes" ]
check_err $? "apply --dry-run of the same file printed: $out"
ipvsctl save | cmp -s - "$WORK/saved"
check_err $? "applying the same configuration changed it"
log_test "apply: save | apply - and the same file change nothing"

# v2 FILE REMOVED: the second file, from the first: a tcp timeout, an
# option of the tcp service and a threshold of the udp one, a server
# added to the tcp service and REMOVED taken from it, an sctp service.
v2()
{
	sed -e "s/^dest add udp $VIP:80 10.0.1.2:8080 weight 2/& uthreshold 50/" \
		-e "s/^timeout set tcp 900/timeout set tcp 901/" \
		-e "s/^service add tcp $VIP:80 sched rr/& persist-drained on/" \
		-e "/^dest add tcp $VIP:80 $2/d" "$WORK/v1" >"$1"
	echo "dest add tcp $VIP:80 10.0.2.3:8080 weight 3" >>"$1"
	echo "service add sctp $VIP:80 sched rr" >>"$1"
}

# A dry run prints the plan and changes nothing; with a bad last line
# nothing is applied either.
v2 "$WORK/v2" 10.0.1.2:8080
cat "$WORK/v2" - >"$WORK/bad" <<<"dest add sctp $VIP:80 10.0.1.2 weight x"
out=$(ipvsctl apply "$WORK/bad" 2>&1)
[ $? = 2 ] && [[ $out == *"/bad:10: "* ]]
check_err $? "a bad last line: $out"
out=$(ipvsctl apply "$WORK/v2" --dry-run)
want="timeout set tcp ESTABLISHED 901
service change tcp $VIP:80 persist-drained on
dest add tcp $VIP:80 10.0.2.3:8080 nat weight 3
dest change udp $VIP:80 10.0.1.2:8080 nat weight 2 uthreshold 50 lthreshold 0
service add sctp $VIP:80 sched rr
dest del tcp $VIP:80 10.0.1.2:8080
# 6 changes"
[ "$out" = "$want" ]
check_err $? "the plan: $out"
ipvsctl save | cmp -s - "$WORK/saved"
check_err $? "a refused or dry-run apply changed the configuration"
log_test "apply: --dry-run and a bad last line change nothing"

# svc_counts: each service's connections and packets in, on one line.
svc_counts()
{
	ipvsctl -j -s service list | python3 -c '
import json, sys
print(" ".join("%d/%d" % (s["stats"]["conns"], s["stats"]["inpkts"])
               for s in json.load(sys.stdin) if s.get("protocol") != "sctp"))'
}

# A connection held through an apply that changes its service, removes
# its server (which drains) and changes things around it.
# hold DATA: open a connection to port 80, send DATA, and once it is
# established, its real server in held.
hold()
{
	open_conn 80
	conn_send "$1"
	busywait 5000 sh -c "ip netns exec $PFX-d $IPVSCTL conn list tcp $VIP:80 |
		grep -q ESTABLISHED"
	check_err $? "the held connection is not established"
	held=$(ipvsctl conn list tcp $VIP:80 | grep ESTABLISHED |
		grep -o '10\.0\.[12]\.2:8080')
}

hold "before"
v2 "$WORK/v3" "$held"
before=$(svc_counts)
out=$(ipvsctl apply "$WORK/v3")
check_err $? "the apply failed: $out"
[ "$out" = "6 changes" ]
check_err $? "apply said: $out"
after=$(svc_counts)
conn_send "after"
conn_close
check_err $? "the held connection to $held was cut (answered: $CONN_NAME)"
case "$CONN_NAME $held" in
"rs1 10.0.1.2:8080" | "rs2 10.0.2.2:8080") true ;;
*) false ;;
esac
check_err $? "answered by $CONN_NAME, held to $held"
log_test "apply: a connection held through it goes on to its server"

[ "$before" = "$after" ]
check_err $? "counters changed: $before, then $after"
out=$(ipvsctl apply "$WORK/v3")
[ "$out" = "0 changes" ]
check_err $? "applied twice, the second said: $out"
log_test "apply: counters kept, and a second apply changes nothing"

# generation: the configuration's generation, as "ipvsctl info" says.
generation()
{
	ipvsctl -j info | python3 -c 'import json, sys
print(json.load(sys.stdin)["generation"])'
}

# A transaction the kernel refuses at its last change (an unknown
# scheduler) after changes, an addition and a deletion: none is made,
# and nothing is announced.
ipvsctl save >"$WORK/before"
ipvsctl monitor >"$WORK/events" 2>&1 &
MON=$!
BG_PIDS+=($!)
# weight W FILE: FILE with the weight of 10.0.2.2 in the udp service W.
weight()
{
	sed -e "s/^\(dest add udp $VIP:80 10.0.2.2:8080 nat weight\) [0-9]*/\1 $1/" \
		"$2"
}

weight 7 "$WORK/before" | sed -e "/^dest add udp $VIP:80 10.0.1.2/d" \
	>"$WORK/refused"
echo "service add tcp $VIP:81 sched nosuch" >>"$WORK/refused"
out=$(ipvsctl apply "$WORK/refused" 2>&1)
[ $? = 1 ] && [[ $out == *"Unknown scheduler"* ]]
check_err $? "the kernel's refusal: $out"
ipvsctl save | cmp -s - "$WORK/before"
check_err $? "a refused transaction changed the configuration"
log_test "apply: a transaction the kernel refuses at its end changes nothing"

# Two applies computed for the same generation: the second is refused by
# the kernel, and the monitor saw only the first, with its generation.
gen=$(generation)
weight 4 "$WORK/before" >"$WORK/a"
weight 5 "$WORK/before" >"$WORK/b"
out=$(ipvsctl apply --generation "$gen" "$WORK/a" 2>&1)
check_err $? "an apply for the current generation failed: $out"
out=$(ipvsctl apply --generation "$gen" "$WORK/b" 2>&1)
[ $? = 1 ] && [[ $out == *"changed since this generation"* ]]
check_err $? "an apply for an old generation: $out"
ipvsctl save | grep -q "10.0.2.2:8080 nat weight 4"
check_err $? "the second apply changed the configuration"
gen=$(generation)
busywait 5000 grep -q "^apply generation $gen changes 1$" "$WORK/events"
check_err $? "the monitor did not see the transaction of generation $gen: $(cat "$WORK/events")"
[ "$(grep -c '^apply ' "$WORK/events")" = 1 ] &&
	[ "$(grep -c '^dest change ' "$WORK/events")" = 1 ]
check_err $? "the monitor saw more: $(cat "$WORK/events")"
kill "$MON"
log_test "apply: a plan for an old generation is refused; events say which"

# Racing applies of two 40-service files: each ends applied or refused
# for its generation, and the configuration is one file's, whole.
# Files a, b and c differ in their servers' weight: 2, 3 and 4.
for f in a:2 b:3 c:4; do
	for i in $(seq 1 40); do
		echo "service add tcp $VIP:$((1000 + i)) sched rr"
		echo "dest add tcp $VIP:$((1000 + i)) 10.0.1.2:8080 weight ${f#*:}"
	done >"$WORK/race_${f%:*}"
	ipvsctl apply "$WORK/race_${f%:*}" >/dev/null
	ipvsctl save >"$WORK/saved_${f%:*}"
done
refusals=0
start=$(ms_now)
for round in 1 2 3 4; do
	n d "$IPVSCTL" apply "$WORK/race_a" >"$WORK/out_a" 2>&1 &
	pa=$!
	n d "$IPVSCTL" apply "$WORK/race_b" >"$WORK/out_b" 2>&1 &
	pb=$!
	wait "$pa"; ra=$?
	wait "$pb"; rb=$?
	for f in a b; do
		grep -q "changed since this generation" "$WORK/out_$f" &&
			refusals=$((refusals + 1))
	done
	{ [ $ra = 0 ] || grep -q "changed since this generation" "$WORK/out_a"; } &&
		{ [ $rb = 0 ] || grep -q "changed since this generation" "$WORK/out_b"; }
	check_err $? "round $round: $(cat "$WORK/out_a" "$WORK/out_b")"
	ipvsctl save >"$WORK/now"
	cmp -s "$WORK/now" "$WORK/saved_a" || cmp -s "$WORK/now" "$WORK/saved_b"
	check_err $? "round $round: a mix of both files"
done
echo "# racing applies: $refusals refused for their generation in 4 rounds, $(($(ms_now) - start)) ms"
log_test "apply: racing applies leave one file's configuration whole"

# --confirm: the plan is printed and the generation read before the
# question, so an apply made while it waits makes its yes too late. The
# answer comes on standard input, here a fifo held open for writing.
ipvsctl apply "$WORK/race_a" >/dev/null
out=$(ipvsctl apply --confirm "$WORK/race_b" 2>&1 <<<"n")
[ $? = 1 ] && [[ $out == *"not applied: the answer was not yes"* ]]
check_err $? "a no: $out"
ipvsctl save | cmp -s - "$WORK/saved_a"
check_err $? "an apply --confirm answered no changed the configuration"
mkfifo "$WORK/answer"
n d "$IPVSCTL" apply --confirm "$WORK/race_b" <"$WORK/answer" \
	>"$WORK/confirm_out" 2>&1 &
CONFIRM=$!
BG_PIDS+=($!)
exec {ANSWER}>"$WORK/answer"
busywait 5000 grep -q '^Apply 40 changes? \[y/N\] $' "$WORK/confirm_out"
check_err $? "apply --confirm did not ask: $(cat "$WORK/confirm_out")"
grep -q "^dest change tcp $VIP:1001 10.0.1.2:8080 nat weight 3 " \
	"$WORK/confirm_out"
check_err $? "apply --confirm did not print its plan: $(cat "$WORK/confirm_out")"
out=$(ipvsctl apply "$WORK/race_c" 2>&1)
check_err $? "an apply while another waits for its answer failed: $out"
echo y >&"$ANSWER"
exec {ANSWER}>&-
wait "$CONFIRM"
rc=$?
[ $rc = 1 ] && grep -q "changed since this generation" "$WORK/confirm_out"
check_err $? "the apply answered yes after another: $rc, $(cat "$WORK/confirm_out")"
ipvsctl save | cmp -s - "$WORK/saved_c"
check_err $? "the configuration is not the second apply's: $(ipvsctl save | diff "$WORK/saved_c" -)"
log_test "apply: --confirm answered after another apply is refused"

# --drain: the server of a held connection goes. It is set to weight 0
# at once, so new connections go to the other; apply waits while the
# connection is open, and deletes the server once it closed.
ipvsctl apply "$WORK/v1" >/dev/null
opened=$(ms_now)
hold "draining"
sed -e "/^dest add tcp $VIP:80 $held/d" "$WORK/v1" >"$WORK/drained"
# Not holding the connection's input open: that is for conn_close.
n d "$IPVSCTL" apply --drain 120 "$WORK/drained" >"$WORK/drain_out" 2>&1 \
	{CONN_FD}>&- &
DRAIN=$!
BG_PIDS+=($!)
busywait 5000 sh -c "ip netns exec $PFX-d $IPVSCTL dest list tcp $VIP:80 |
	grep -q '$held nat weight 0'"
check_err $? "the server that goes is not at weight 0 while draining"
conn_send "weight 0"
others=$(for i in 1 2 3 4; do request tcp 80 100; done | sort -u)
[ "$others" = "$( [ "$held" = 10.0.1.2:8080 ] && echo rs2 || echo rs1) ok" ]
check_err $? "new connections while draining went to: $others"
kill -0 "$DRAIN" 2>/dev/null
check_err $? "apply --drain ended while the held connection was open"
echo "# held connection open for $(($(ms_now) - opened)) ms"
conn_send "drained"
conn_close
check_err $? "the held connection to $held was cut (answered: $CONN_NAME)"
start=$(ms_now)
wait "$DRAIN"
check_err $? "apply --drain failed: $(cat "$WORK/drain_out")"
[ $(($(ms_now) - start)) -lt 30000 ]
check_err $? "apply --drain waited on after the connection closed"
ipvsctl dest list tcp $VIP:80 | grep -q "$held"
check_fail $? "the drained server was not deleted"
log_test "apply: --drain holds the server at weight 0 until its connection ends"

# --drain 1 with the connection still open: deleted when the time is up,
# the connection going on as a deleted server's do.
ipvsctl apply "$WORK/v1" >/dev/null
hold "timed"
sed -e "/^dest add tcp $VIP:80 $held/d" "$WORK/v1" >"$WORK/drained"
out=$(ipvsctl apply --drain 1 "$WORK/drained" 2>&1)
check_err $? "apply --drain 1: $out"
ipvsctl dest list tcp $VIP:80 | grep -q "$held"
check_fail $? "the server was not deleted when the time was up"
conn_send "after"
conn_close
check_err $? "the held connection to $held was cut (answered: $CONN_NAME)"
log_test "apply: --drain deletes when its time is up, connections drain on"

exit $((FAILED > 0))
