#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Rates (the estimator): connections, packets and bytes a second per
# service and per destination, in and out, rise with traffic and fall
# when it stops; a service without traffic shows none.
#
# nat_topology (lib.sh): UDP 10.0.0.1:80 and TCP 10.0.0.1:80 to rs1:8080
# by NAT, whose answers come back through the director; TCP 10.0.0.1:81
# to rs2:8080 gets nothing.

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
plan 5

# Datagrams a second: what the debug guest's client sends and its real
# server answers on time, with another guest beside it.
RATE=200
trap cleanup EXIT

# rates PROTO VIP:PORT: the rates of the service and of its one
# destination, all from one dump (the kernel may take a new reading
# between two): "inpps outpps inbps cps" of the service, then the same
# of the destination.
rates()
{
	local json

	json=$(ipvsctl -j service list) || return 1
	python3 -c '
import json, sys
proto, vip = sys.argv[1:3]
svc = [o for o in json.loads(sys.stdin.read())
       if o.get("protocol") == proto and
       "%s:%d" % (o.get("address"), o.get("port")) == vip][0]
keys = ("inpps", "outpps", "inbps", "cps")
print(" ".join(str(o["stats"][k]) for o in (svc, svc["dests"][0])
               for k in keys))' "$1" "$2" <<<"$json"
}

# rate PROTO VIP:PORT KEY: one rate of the service.
rate()
{
	local r

	r=($(rates "$1" "$2")) || return 1
	case $3 in
	inpps) echo "${r[0]}" ;;
	cps) echo "${r[3]}" ;;
	esac
}

nat_topology
bg rs1 "$LVSRESP" udp 8080 rs1
bg rs1 "$LVSRESP" tcp 8080 rs1
bg rs2 "$LVSRESP" tcp 8080 rs2
ipvsctl -b - <<-EOF
	service add udp 10.0.0.1:80 sched rr
	dest add udp 10.0.0.1:80 10.0.1.2:8080 nat
	service add tcp 10.0.0.1:80 sched rr
	dest add tcp 10.0.0.1:80 10.0.1.2:8080 nat
	service add tcp 10.0.0.1:81 sched rr
	dest add tcp 10.0.0.1:81 10.0.2.2:8080 nat
EOF
check_err $? "cannot configure the services"
wait_listen rs1 udp 8080 && wait_listen rs1 tcp 8080 &&
	wait_listen rs2 tcp 8080
check_err $? "the servers do not listen"
[ "$(rates udp 10.0.0.1:80)" = "0 0 0 0 0 0 0 0" ]
check_err $? "rates before any traffic: $(ipvsctl -s service list)"
log_test "rates: services start at 0"

# RATE datagrams a second for 12 s from 16 ports, each answered: after
# 8 s the averages hold about two thirds of it (68 %), in and out. The
# client has no socket for the answers: its port unreachables, which lvs
# would relay to rs1 as packets in, are dropped before they leave.
n c nft -f - <<-EOF
	table inet rates {
		chain out {
			type filter hook output priority 0; policy accept;
			icmp type destination-unreachable drop
		}
	}
EOF
check_err $? "cannot add the client's nftables chain"
bg c "$LVSFLOOD" -s 10.0.0.2/32 -p 20000-20015 -r $RATE -t 12 udp 10.0.0.1 80
nap 9
read -r in out bps _ din _ <<<"$(rates udp 10.0.0.1:80)"
[ "${in:-0}" -ge $((RATE / 3)) ] && [ "$in" -le $((RATE * 11 / 10)) ]
check_err $? "inpps $in after 9 s of $RATE datagrams a second"
[ "${out:-0}" -ge $((RATE / 3)) ] && [ "$out" -le $((RATE * 11 / 10)) ]
check_err $? "outpps $out after 9 s of $RATE answers a second"
# 36 IP bytes a datagram: 20 of header, 8 of UDP, 8 of data.
[ "${bps:-0}" -ge $((in * 35)) ] && [ "$bps" -le $((in * 37)) ]
check_err $? "inbps $bps for $in packets a second"
# Its one destination's rate is the service's.
[ "$din" = "$in" ]
check_err $? "the destination's inpps $din, the service's $in"
log_test "rates: $RATE datagrams a second show as $in in, $out out ($bps bytes)"

[ "$(rates tcp 10.0.0.1:81)" = "0 0 0 0 0 0 0 0" ]
check_err $? "a service without traffic shows rates: $(ipvsctl -s service list)"
log_test "rates: a service without traffic stays at 0"

# Stopped: each reading keeps three quarters, below a quarter in 10 s.
peak=$in
busywait 16000 eval '[ "$(rate udp 10.0.0.1:80 inpps)" -lt $((peak / 4)) ]'
check_err $? "inpps still $(rate udp 10.0.0.1:80 inpps) of $peak after the flood"
log_test "rates: they fall when the traffic stops"

# New TCP connections: connections a second rise above 0.
n c "$LVSREQ" -n 40 tcp 10.0.0.1 80 100 >/dev/null
check_err $? "the connections failed"
busywait 5000 eval '[ "$(rate tcp 10.0.0.1:80 cps)" -gt 0 ]'
read -r _ _ _ cps _ _ _ dcps <<<"$(rates tcp 10.0.0.1:80)"
[ "${cps:-0}" -gt 0 ] && [ "$dcps" = "$cps" ]
check_err $? "40 connections: cps $cps, the destination's $dcps"
log_test "rates: new connections show in cps"

exit $((FAILED > 0))
