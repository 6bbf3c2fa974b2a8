#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# ipvsctl save and service zero. A configuration of every kind (TCP, UDP,
# SCTP, IPv4 and IPv6, port 0, firewall marks, persistence, scheduler
# options, nat, dr and tun, thresholds, changed timeouts) is saved,
# flushed, restored with -b and saved again: the two files must be the
# same bytes, and the restored NAT services must answer from both real
# servers. Then zeroing one service's counters leaves the others', and
# zeroing all clears them; and a namespace without services saves to a
# file that reads back. Topology: nat_topology (lib.sh), responders on
# 8080 on rs1 and rs2; only the NAT services carry traffic.

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

plan 4

WORK=$(mktemp -d)
trap 'cleanup; rm -rf "$WORK"' EXIT

VIP=10.0.0.1

# The helpers are bash: an exec costs the debug guest a quarter of a
# second.

# starting WORDS: how many lines of stdin start with WORDS.
starting()
{
	local line n=0

	while IFS= read -r line; do
		[[ $line == "$1 "* ]] && n=$((n + 1))
	done
	echo $n
}

# counts KEY [FIELDS]: in $LIST (ipvsctl -s service list), the sum of
# FIELDS (default: conns inpkts outpkts) of the service whose line starts
# with KEY ("udp 10.0.0.1:80 ") and of its destinations; of all services
# with KEY "".
counts()
{
	local key=$1 fields=" ${2:-conns inpkts outpkts} " line on=0 n=0 i w

	while IFS= read -r line; do
		if [[ $line != $'\t'* ]]; then
			on=0
			[[ $line == "$key"* ]] && on=1
		fi
		[ $on = 1 ] || continue
		read -ra w <<<"$line"
		for ((i = 0; i + 1 < ${#w[@]}; i++)); do
			[[ $fields == *" ${w[i]} "* ]] && n=$((n + w[i + 1]))
		done
	done <<<"$LIST"
	echo $n
}

nat_topology
rs_servers 8080
check_err $? "the real servers do not listen"

cat >"$WORK/config" <<EOF
timeout set tcp 901 tcpfin 121 udp 301 sctp ESTABLISHED 899 INIT 7
service add tcp $VIP:80 sched rr
dest add tcp $VIP:80 10.0.1.2:8080 nat
dest add tcp $VIP:80 10.0.2.2:8080 nat uthreshold 1000 lthreshold 10
service add udp $VIP:80 sched rr
dest add udp $VIP:80 10.0.1.2:8080 nat
dest add udp $VIP:80 10.0.2.2:8080 nat
service add tcp $VIP:0 sched mh fallback on hash-port on persistent 300 netmask 24
dest add tcp $VIP:0 10.0.1.2 dr weight 3
dest add tcp $VIP:0 [2001:db8:1::2] tun
service add sctp $VIP:3868 sched rr
dest add sctp $VIP:3868 10.0.1.2:3868 tun weight 5 uthreshold 7
service add udp [2001:db8::1]:53 sched rr table-size 251 one-packet on
dest add udp [2001:db8::1]:53 [2001:db8:1::2]:53 dr
dest add udp [2001:db8::1]:53 10.0.2.2:53 tun
service add fwmark 7 sched rr persistent 60
dest add fwmark 7 10.0.1.2 nat weight 0
service add fwmark 9 family inet6 sched rr
dest add fwmark 9 family inet6 [2001:db8:1::3] dr
EOF
ipvsctl -b "$WORK/config"
check_err $? "configuration failed"
saved=$(ipvsctl save)
check_err $? "save failed"
tcp_re=$'\ntimeout set tcp [^\n]* ESTABLISHED 901 FIN_WAIT 121 '
sctp_re=$'\ntimeout set sctp [^\n]* INIT 7 [^\n]* ESTABLISHED 899 '
[[ $saved =~ $tcp_re ]] && [[ $saved =~ $sctp_re ]] &&
	[ "$(starting "service add" <<<"$saved")" = 7 ] &&
	[ "$(starting "dest add" <<<"$saved")" = 11 ]
check_err $? "the save misses something: $saved"
# Timeouts changed after the save: the restore must set them back.
printf '%s\n' 'service flush' 'timeout set tcp 5 udp 5' 'service list' |
	ipvsctl -b - >"$WORK/flushed" && [ ! -s "$WORK/flushed" ]
check_err $? "flush failed: $(cat "$WORK/flushed")"
again=$(ipvsctl -b - <<<"$saved" && ipvsctl save)
check_err $? "restore failed"
[ "$saved" = "$again" ]
check_err $? "saved again, it differs: $again"
log_test "save: every kind of service restores to the same save"

alternates tcp 80 1000 4 && alternates udp 80 100 4
log_test "save: restored NAT services answer from both real servers"

# UDP for the service zeroed by name: no late packet follows its answers.
# Of the TCP service, only the connections scheduled are checked at 0: a
# late FIN cannot add to them.
LIST=$(ipvsctl -s service list)
[ "$(counts "udp $VIP:80 ")" -gt 0 ] && [ "$(counts "tcp $VIP:80 ")" -gt 0 ]
check_err $? "no traffic counted: $LIST"
LIST=$(ipvsctl service zero udp $VIP:80 && ipvsctl -s service list)
check_err $? "service zero udp $VIP:80 failed"
[ "$(counts "udp $VIP:80 ")" = 0 ] && [ "$(counts "tcp $VIP:80 ")" -gt 0 ]
check_err $? "zeroing udp $VIP:80: $LIST"
LIST=$(ipvsctl service zero && ipvsctl -s service list)
check_err $? "service zero failed"
[ "$(counts "" conns)" = 0 ] && [ "$(counts "udp $VIP:80 ")" = 0 ]
check_err $? "zeroing all: $LIST"
log_test "zero: one service's counters, then every service's"

empty=$(ipvsctl service flush && ipvsctl save)
check_err $? "flush or save failed"
svc_re=$'(^|\n)(service|dest) '
fast_re=$'\ninfo set fastpath (on|off)$'
[[ $empty == "# ipvsctl "*" save"* && ! $empty =~ $svc_re &&
   $empty =~ $fast_re ]]
check_err $? "empty save: $empty"
ipvsctl -b - <<<"$empty" && [ -z "$(ipvsctl service list)" ]
check_err $? "the empty save does not read back: $empty"
log_test "save: no services saves a file that reads back"

exit $((FAILED > 0))
