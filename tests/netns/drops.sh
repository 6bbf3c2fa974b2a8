#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# What the packet path refuses is dropped and counted where the operator
# can see it (ipvsctl info): malformed packets, segments of no connection,
# connections to a service without real servers, and new connections when
# the table is full, while established ones keep flowing.
# Topology: nat_topology (lib.sh); real servers sink TCP on port 9000.

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

plan 7

# restore: what the scenario leaves behind, lvs loaded with its defaults
# for the scenarios after it; an lvs that will not unload (and would keep
# conn_max=2) fails the scenario.
restore()
{
	cleanup
	lvs_reload drops
}
trap restore EXIT

# setup: the topology, sinks on the real servers, a service over both.
setup()
{
	local rs

	nat_topology
	for rs in rs1 rs2; do
		bg $rs socat -u TCP-LISTEN:9000,reuseaddr,fork OPEN:/dev/null
	done
	wait_listen rs1 tcp 9000 && wait_listen rs2 tcp 9000
	ipvsctl service add tcp 10.0.0.1:90 sched rr &&
		ipvsctl dest add tcp 10.0.0.1:90 10.0.1.2:9000 nat &&
		ipvsctl dest add tcp 10.0.0.1:90 10.0.2.2:9000 nat
	check_err $? "configuration failed"
}

# drops_are KEY N: true once counter KEY reads N.
drops_are()
{
	[ "$(drops "$1")" = "$2" ]
}

conn_count_is()
{
	[ "$(lvs_info conn_count)" = "$1" ]
}

setup

n c python3 "$LVS_TOP/tests/netns/rawpkt.py" short 10.0.0.1 90 5
busywait 3000 drops_are malformed 5
check_err $? "malformed drops: $(drops malformed), want 5"
log_test "drops: truncated TCP headers are dropped and counted"

n c python3 "$LVS_TOP/tests/netns/rawpkt.py" ack 10.0.0.1 90 3
busywait 3000 drops_are no_conn 3
check_err $? "no_conn drops: $(drops no_conn), want 3"
log_test "drops: segments of no connection are dropped and counted"

# A RST with a bad checksum, which the real server discards, must not end
# the director's entry of the connection either.
stream c 10.0.0.1:90 ,sourceport=40003
established()
{
	ipvsctl conn list | grep -q '^tcp 10.0.0.2:40003 .* ESTABLISHED '
}
busywait 10000 established
check_err $? "no established stream: $(ipvsctl conn list)"
n c python3 "$LVS_TOP/tests/netns/rawpkt.py" rstbad 10.0.0.1 90 3
busywait 3000 drops_are malformed 8
check_err $? "malformed drops: $(drops malformed), want 8"
established
check_err $? "the entry moved on a bad RST: $(ipvsctl conn list)"
ns_stop c socat
log_test "drops: a RST with a bad checksum is dropped, counted, ignored"

ipvsctl service add tcp 10.0.0.1:91 sched rr
out=$(n c socat -u /dev/null TCP:10.0.0.1:91,connect-timeout=5 2>&1)
check_fail $? "connected to a service without real servers"
echo "$out" | grep -q -i refused
check_err $? "want connection refused (ICMP port unreachable), got: $out"
[ "$(drops no_dest)" = 1 ]
check_err $? "no_dest drops: $(drops no_dest), want 1"
log_test "drops: a service without real servers refuses, counted"
cleanup

# The module parameters below only take effect on a fresh load.
lvs_unload_idle
check_err $? "lvs would not unload: $(lsmod | grep '^lvs')"
log_test "drops: lvs unloads once the director's namespace is gone"

# A table size the hash table cannot take is refused when lvs loads, and
# the kernel log says why.
msg="conn_size 40000: at most 32768"
before=$(dmesg | grep -c "lvs: $msg")
! lsmod | grep -q '^lvs '
check_err $? "lvs is loaded already"
out=$(modprobe lvs conn_size=40000 2>&1)
check_fail $? "lvs loaded with conn_size=40000"
echo "$out" | grep -q "Invalid argument"
check_err $? "modprobe said: $out"
lsmod | grep -q '^lvs '
check_fail $? "lvs is loaded after a refused conn_size"
[ "$(dmesg | grep -c "lvs: $msg")" -gt "$before" ]
check_err $? "no \"$msg\" in the kernel log: $(dmesg | tail -n 3)"
log_test "drops: a table size over 32768 buckets is refused at load"

# A table of two entries: two streams fit, a third connection does not.
# It starts (and stays) at 4096 buckets, which changes nothing else.
! lsmod | grep -q '^lvs '
check_err $? "lvs is loaded already"
modprobe lvs conn_max=2 conn_size=4096
check_err $? "cannot reload lvs with conn_max=2 conn_size=4096"
[ "$(cat /sys/module/lvs/parameters/conn_max)" = 2 ]
check_err $? "conn_max reads $(cat /sys/module/lvs/parameters/conn_max)"
[ "$(cat /sys/module/lvs/parameters/conn_size)" = 4096 ]
check_err $? "conn_size reads $(cat /sys/module/lvs/parameters/conn_size)"
setup
stream c 10.0.0.1:90
stream c 10.0.0.1:90
busywait 10000 conn_count_is 2
check_err $? "two streams should fill the table: $(ipvsctl info)"
out=$(n c socat -u /dev/null TCP:10.0.0.1:90,connect-timeout=3 2>&1)
check_fail $? "a third connection got through a full table"
[ "$(drops conn_full)" -ge 1 ]
check_err $? "conn_full drops: $(drops conn_full)"
bytes()
{
	ipvsctl -j service list | python3 -c \
		"import json,sys; print(json.load(sys.stdin)[0]['stats']['inbytes'])"
}
b1=$(bytes)
sleep 1
b2=$(bytes)
[ "$b2" -gt "$b1" ]
check_err $? "established streams stalled: $b1 -> $b2 bytes"
log_test "drops: a full table refuses new connections, keeps established"

exit $((FAILED > 0))
