#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Compatibility mode (lvs ipvs_compat=1): Debian's ipvsadm, unmodified,
# drives lvs through the "IPVS" netlink family. One script of ipvsadm
# commands (some of them wrong on purpose) runs against the kernel's ip_vs
# and then against lvs in this guest; every command's exit code and
# message, and what ipvsadm lists and saves afterwards, must be the same.
# Then real traffic through a service ipvsadm made, and the two front ends
# seeing each other's services. Topology: nat_topology (lib.sh).

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
plan 47

WORK=$(mktemp -d)

# ipvs_unload: ip_vs and its scheduler modules gone.
ipvs_unload()
{
	local m

	for m in $(lsmod | awk '/^ip_vs_/ {print $1}'); do
		rmmod "$m" || return 1
	done
	! lsmod | grep -q '^ip_vs ' || modprobe -r ip_vs
}

restore()
{
	n d ipvsadm -C 2>/dev/null
	cleanup
	rm -f /etc/modprobe.d/lvs.conf
	ipvs_unload 2>/dev/null
	lvs_reload ipvsadm
	rm -rf "$WORK"
}
trap restore EXIT

# The script: ipvsadm's arguments, one command a line.
cat >"$WORK/script" <<'EOF'
-A -t 10.0.0.1:80 -s rr
-a -t 10.0.0.1:80 -r 10.0.1.2:8080 -m -w 2
-a -t 10.0.0.1:80 -r 10.0.2.2:8080 -m -w 1 -x 100 -y 50
-A -t 10.0.0.1:80 -s rr
-a -t 10.0.0.1:80 -r 10.0.1.2:8080 -m
-A -u 10.0.0.1:53 -s wrr
-a -u 10.0.0.1:53 -r 10.0.1.2:8080 -m
-a -u 10.0.0.1:53 -r 10.0.2.2:8080 -m -w 0
-A -u 10.0.0.1:54 -s rr -o
-a -u 10.0.0.1:54 -r 10.0.1.2:8080 -m
-a -u 10.0.0.1:54 -r 10.0.2.2:8080 -m
-A -t 10.0.0.1:8443 -s wlc -o -p 30
-A -t 10.0.0.1:9001 -s sed
-a -t 10.0.0.1:9001 -r 10.0.1.2:9001 -m
-A -t 10.0.0.1:9002 -s nq
-A -t 10.0.0.1:9003 -s dh
-A -u 10.0.0.1:9004 -s lblc
-a -u 10.0.0.1:9004 -r 10.0.2.2:9004 -m -x 9 -y 3
-A -t 10.0.0.1:9005 -s lblcr
-A -t 10.0.0.1:9006 -s fo
-A -t 10.0.0.1:9007 -s ovf
-a -t 10.0.0.1:9007 -r 10.0.2.2 -m -w 8
-A -t 10.0.0.1:9008 -s mh -b mh-fallback,mh-port
-A -t 10.0.0.1:443 -s sh -b sh-fallback,sh-port -p 300 -M 255.255.255.0
-a -t 10.0.0.1:443 -r 10.0.1.2 -g
-a -t 10.0.0.1:443 -r 10.0.2.2 -i -w 4
-A -t 10.0.0.1:0 -s lc -p
-a -t 10.0.0.1:0 -r 10.0.1.2 -g
-A -f 7 -s lc -p 60
-a -f 7 -r 10.0.2.2 -g -w 3
-A -f 8 -6 -s mh -b mh-port
-a -f 8 -6 -r 2001:db8:2::2 -i
-A -t [2001:db8::1]:80 -s wlc -p 120 -M 64
-a -t [2001:db8::1]:80 -r [2001:db8:1::2]:8080 -m -w 7
-a -t [2001:db8::1]:80 -r [2001:db8:2::2]:8080 -m
-E -t 10.0.0.1:80 -s wrr
-e -t 10.0.0.1:80 -r 10.0.2.2:8080 -m -w 5
-e -t 10.0.0.1:80 -r 10.0.1.2:8080 -m -w 2 -x 10 -y 20
-E -t 10.0.0.1:443 -s sh -b sh-port
-e -t 10.0.0.1:443 -r 10.0.2.2 -g -w 4
-d -u 10.0.0.1:53 -r 10.0.1.2:8080
-d -u 10.0.0.1:53 -r 10.9.9.9:8080
-e -u 10.0.0.1:53 -r 10.9.9.9:8080 -m
-D -t 10.0.0.9:80
-E -t 10.0.0.9:80 -s rr
-a -t 10.0.0.9:80 -r 10.0.1.2:8080 -m
-A -t 10.0.0.1:99 -s nosuch
-D -t [2001:db8::1]:80
-A -t [2001:db8::1]:80 -s wlc
--set 1000 100 200
-Z
-Z -t 10.0.0.1:80
-Z -t 10.0.0.9:80
EOF

# script_lines: each line of the script on stdin run by ipvsadm, printed
# with its exit status and its message on one line. Run in the director's
# namespace by one bash: no "ip netns exec" and no tr per command.
script_lines()
{
	local args rc msg line

	while read -r args; do
		# shellcheck disable=SC2086
		ipvsadm $args >"$WORK/msg" 2>&1
		rc=$?
		msg=
		while IFS= read -r line || [ -n "$line" ]; do
			msg+="$line "
		done <"$WORK/msg"
		printf '%s => %s: %s\n' "$args" "$rc" "$msg"
	done
}

# run_script OUT: the script, then what ipvsadm shows, into OUT.
run_script()
{
	local listing

	n d bash -c "WORK=$WORK; $(declare -f script_lines); script_lines" \
		<"$WORK/script" >"$1"
	# The listings are compared with ip_vs's, in the stock guest only:
	# under the debug kernel every exec costs, and they change nothing.
	ipvs_ref || return 0
	for listing in "-Ln" "-Sn" "-Ln --timeout" "-Ln --thresholds" \
		"-Ln --persistent-conn" "-Ln --stats --exact" "-Ln --rate" \
		"-Ln --sort" \
		"-Ln -t 10.0.0.1:80" "-Ln -f 7"; do
		echo "## ipvsadm $listing"
		# shellcheck disable=SC2086
		n d ipvsadm $listing 2>&1
	done >>"$1"
	# A round trip: what -S saves, -R restores, the same again.
	n d ipvsadm -Sn >"$WORK/saved" && n d ipvsadm -C &&
		n d ipvsadm -R <"$WORK/saved" && n d ipvsadm -Sn |
		diff -u "$WORK/saved" - >>"$1" && echo "## -S, -C, -R: same" >>"$1"
	# ip_vs's connection table has a fixed size, lvs's grows.
	sed -i 's/(size=[0-9]*)/(size=N)/' "$1"
}

nat_topology
rs_servers 8080
lvs_unload_idle
check_err $? "cannot unload lvs: $(lsmod | grep '^lvs')"

if ipvs_ref; then
	modprobe ip_vs
	check_err $? "cannot load ip_vs"
	run_script "$WORK/ipvs"
	n d ipvsadm -C
	# Compatibility mode with ip_vs loaded: lvs loads, says why it
	# serves "LVS" only, and ipvsadm still reaches ip_vs.
	dmesg -C
	modprobe lvs ipvs_compat=1
	check_err $? "lvs does not load beside ip_vs"
	dmesg | grep -q 'ipvs_compat: the IPVS netlink family is taken'
	check_err $? "no message saying why compatibility mode is off"
	ipvsctl service list >/dev/null
	check_err $? "lvs's own family does not answer"
	n d ipvsadm -Ln | grep -q 'size=N\|size=4096'
	check_err $? "ipvsadm no longer reaches ip_vs"
	lvs_unload && ipvs_unload
	check_err $? "cannot unload lvs and ip_vs"
	log_test "ipvsadm: with ip_vs loaded, ipvs_compat=1 stands aside"
else
	ipvs_skip "ipvsadm: with ip_vs loaded, ipvs_compat=1 stands aside"
fi

# From here on make install's /etc/modprobe.d/lvs.conf is in place, and
# nothing is loaded: a lookup of the IPVS family loads lvs with
# ipvs_compat=1, and so does the "modprobe ip_vs" ipvsadm runs when it
# finds no family.
cp "$LVS_TOP/etc/modprobe.d/lvs.conf" /etc/modprobe.d/lvs.conf
n d genl ctrl get name IPVS >/dev/null 2>&1
lsmod | grep -q '^lvs ' && ! lsmod | grep -q '^ip_vs ' &&
	[ "$(cat /sys/module/lvs/parameters/ipvs_compat)" = Y ]
check_err $? "the IPVS family's lookup did not load lvs with ipvs_compat=1: $(lsmod | grep 'lvs\|ip_vs')"
lvs_unload_idle
out=$(n d ipvsadm -Ln 2>&1)
check_err $? "ipvsadm with nothing loaded: $out"
lsmod | grep -q '^lvs ' && ! lsmod | grep -q '^ip_vs ' &&
	[ "$(cat /sys/module/lvs/parameters/ipvs_compat)" = Y ]
check_err $? "ipvsadm did not get lvs with ipvs_compat=1: $(lsmod | grep 'lvs\|ip_vs')"
log_test "ipvsadm: with lvs.conf, ip_vs's family and module name load lvs"

# Bad requests of every kind straight to the family (38 checks).
n d python3 "$(dirname "${BASH_SOURCE[0]}")/ipvsraw.py" ||
	FAILED=$((FAILED + 1))

run_script "$WORK/lvs"
[ "${LVS_VERBOSE:-0}" = 1 ] && cat "$WORK/lvs"
if ipvs_ref; then
	diff -u "$WORK/ipvs" "$WORK/lvs" >"$WORK/diff"
	check_err $? "ipvsadm said or listed otherwise with lvs: $(cat "$WORK/diff")"
	log_test "ipvsadm: one script, the same answers and lists as ip_vs"
else
	# Still every command of the script must have done what it does
	# with ip_vs: the wrong ones fail, the rest succeed.
	fails=$(grep -c '=> [1-9]' "$WORK/lvs")
	[ "$fails" = 11 ]
	check_err $? "$fails commands failed, want 11: $(cat "$WORK/lvs")"
	log_test "ipvsadm: one script, the same answers and lists as ip_vs"
fi

# ip_vs loaded now would find its family and files taken: lvs.conf
# refuses it, and says why.
out=$(modprobe ip_vs 2>&1)
check_fail $? "modprobe ip_vs succeeded with lvs loaded"
grep -q 'not loading ip_vs: lvs is loaded' <<<"$out"
check_err $? "modprobe ip_vs said: $out"
! lsmod | grep -q '^ip_vs '
check_err $? "ip_vs is loaded"
log_test "ipvsadm: with lvs loaded, lvs.conf refuses modprobe ip_vs"

# Traffic through what ipvsadm set up: weights 2 and 5 (wrr).
VIP=10.0.0.1
# Seven connections from one lvsreq, each answer counted in bash.
answers=$(n c "$LVSREQ" -n 7 tcp "$VIP" 80 100)
rs1=0 rs2=0
while read -r a; do
	case $a in
	"rs1 ok") rs1=$((rs1 + 1)) ;;
	"rs2 ok") rs2=$((rs2 + 1)) ;;
	esac
done <<<"$answers"
[ "$rs1" = 2 ] && [ "$rs2" = 5 ]
check_err $? "answers: ${answers//$'\n'/ } (want 2 from rs1, 5 from rs2)"
log_test "ipvsadm: a service it made balances real traffic by weight"

# ipvsadm's counters are lvs's: connections and packets.
read -r conns inpkts <<<"$(n d ipvsadm -Ln --stats --exact \
	-t 10.0.0.1:80 | awk '$1 == "TCP" {print $3, $4}')"
read -r lconns linpkts <<<"$(ipvsctl -j -s service list | python3 -c '
import json, sys
for s in json.load(sys.stdin):
    if s.get("port") == 80 and s.get("protocol") == "tcp" and ":" not in s["address"]:
        print(s["stats"]["conns"], s["stats"]["inpkts"])')"
[ "$conns" = 7 ] && [ "$conns" = "$lconns" ] && [ "$inpkts" = "$linpkts" ]
check_err $? "ipvsadm: $conns conns $inpkts packets; ipvsctl: $lconns conns $linpkts packets"
# -c reads /proc/net/ip_vs_conn: the same seven entries as ipvsctl's.
lc=$(n d ipvsadm -Lnc | grep -c ' 10.0.0.1:80 ')
ic=$(ipvsctl conn list tcp 10.0.0.1:80 | wc -l)
[ "$lc" = 7 ] && [ "$ic" = 7 ]
check_err $? "ipvsadm -Lnc lists $lc entries, ipvsctl $ic (want 7)"
n d ipvsadm -Z -t 10.0.0.1:80
check_err $? "ipvsadm -Z failed"
zeroed=$(n d ipvsadm -Ln --stats --exact -t 10.0.0.1:80 |
	awk '($1 == "TCP" || $1 == "->") && $3 ~ /^[0-9]+$/ {print $3, $4}' | tr '\n' ' ')
[ "$zeroed" = "0 0 0 0 0 0 " ]
check_err $? "after ipvsadm -Z: $zeroed"
ipvsctl -j -s service list | grep -q '"conns":[1-9]'
check_fail $? "ipvsctl still shows connections after ipvsadm -Z"
log_test "ipvsadm: --stats and -c show lvs's counters and table, -Z zeroes"

# Persistence (-p): one client's connections go to one server, and
# --persistent-conn counts the template that sends it there.
n d ipvsadm -A -t 10.0.0.1:81 -s rr -p 60 &&
	n d ipvsadm -a -t 10.0.0.1:81 -r 10.0.1.2:8080 -m &&
	n d ipvsadm -a -t 10.0.0.1:81 -r 10.0.2.2:8080 -m
check_err $? "cannot add a persistent service"
answers=$(n c "$LVSREQ" -n 4 tcp "$VIP" 81 64 | sort | uniq -c |
	awk '{print $1, $2, $3}')
[ "$answers" = "4 rs1 ok" ] || [ "$answers" = "4 rs2 ok" ]
check_err $? "a persistent client's connections went to: $answers"
pconns=$(n d ipvsadm -Ln --persistent-conn -t 10.0.0.1:81 |
	awk '$1 == "->" && $4 ~ /^[0-9]+$/ {print $4}' | sort | tr '\n' ' ')
[ "$pconns" = "0 1 " ]
check_err $? "PersistConn of the two servers: $pconns (want 0 and 1)"
# As with ip_vs, weight 0 keeps the client where it is bound.
rip=10.0.1.2
[ "$answers" = "4 rs2 ok" ] && rip=10.0.2.2
n d ipvsadm -e -t 10.0.0.1:81 -r $rip:8080 -m -w 0
check_err $? "ipvsadm -e -w 0 failed"
again=$(n c "$LVSREQ" -n 2 tcp "$VIP" 81 64 | sort | uniq -c |
	awk '{print $1, $2, $3}')
[ "$again" = "2 ${answers#4 }" ]
check_err $? "after weight 0 on $rip, the client went to: $again"
n d ipvsadm -D -t 10.0.0.1:81
log_test "ipvsadm: -p keeps a client on one server, counted as PersistConn"

# One-packet scheduling (-o): six datagrams from one client port are
# scheduled one by one, and each NAT entry ends with its answer. Without
# it (-E replaces every field), they all follow the first.
out=$(n c "$LVSREQ" -a -n 6 -p 5300 udp "$VIP" 54 64)
check_err $? "one-packet datagrams did not alternate: $out"
entries=$(ipvsctl conn list udp 10.0.0.1:54)
[ -z "$entries" ]
check_err $? "one-packet entries left: $entries"
n d ipvsadm -E -u 10.0.0.1:54 -s rr
answers=$(n c "$LVSREQ" -n 6 -p 5301 udp "$VIP" 54 64 | sort -u)
[ "$answers" = "rs1 ok" ] || [ "$answers" = "rs2 ok" ]
check_err $? "without -o, one client port's datagrams went to: $answers"
log_test "ipvsadm: -o schedules every datagram on its own"

# One model, two front ends.
ipvsctl service add tcp 10.0.0.1:81 sched rr &&
	ipvsctl dest add tcp 10.0.0.1:81 10.0.1.2:8080 nat
check_err $? "ipvsctl cannot add a service"
n d ipvsadm -Ln | grep -A1 '^TCP  10.0.0.1:81 rr' | grep -q '10.0.1.2:8080'
check_err $? "ipvsadm does not list the service ipvsctl added"
ipvsctl service list | grep -q '10.0.0.1:80'
check_err $? "ipvsctl does not list the service ipvsadm added"
n d ipvsadm -C
[ -z "$(ipvsctl service list)" ]
check_err $? "ipvsadm -C left services: $(ipvsctl service list)"
log_test "ipvsadm: ipvsadm and ipvsctl see and change the same services"

exit $((FAILED > 0))
