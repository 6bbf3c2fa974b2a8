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
# on the same server, and the services' counters. Topology: nat_topology
# (lib.sh), lvsresp on 8080 on rs1 and rs2.

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

plan 5

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
open_conn 80
conn_send "before"
busywait 5000 sh -c "ip netns exec $PFX-d $IPVSCTL conn list tcp $VIP:80 |
	grep -q ESTABLISHED"
check_err $? "the held connection is not established"
held=$(ipvsctl conn list tcp $VIP:80 | grep ESTABLISHED |
	grep -o '10\.0\.[12]\.2:8080')
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

exit $((FAILED > 0))
