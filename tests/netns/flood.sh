#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# A full table makes room instead of refusing: spoofed SYNs and UDP
# datagrams from new sources fill a table of 300 entries, and while they
# go on, new clients still get in (each evicting an entry not established),
# established transfers go on intact, and lvs's connection entries never
# take more memory than 300 of them do; the most they took is printed.
# Topology: nat_topology (lib.sh), TCP and UDP responders on port 80;
# lvsflood in c sends from 198.18.0.0/15, which d routes to a blackhole,
# so any answer to the spoofed sources vanishes there; the real servers
# drop what comes from there (blackhole_spoofed).

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

plan 7

WORK=$(mktemp -d)
VIP=10.0.0.1
MAX=300

# restore: lvs loaded with its defaults for the scenarios after this one.
restore()
{
	cleanup
	rm -rf "$WORK"
	lvs_reload flood
}
trap restore EXIT

# count: entries in the table; evicted: how many it evicted.
count()
{
	ipvsctl info | awk '$1 == "connections" { print $2 }'
}

evicted()
{
	ipvsctl info | grep -o 'evicted [0-9]*' | cut -d ' ' -f 2
}

# offered N: the flood has offered N entries or more: in the table,
# evicted from it, or refused.
offered()
{
	[ "$(lvs_info conn_count evicted conn_full)" -ge "$1" ]
}

# slab_peak: twice a second, until killed, the most objects lvs's
# connection cache has held, into $WORK/peak; by builtins only, so that
# sampling starts no process. Each sample shrinks the cache first, which
# gives back the free objects of the slabs the CPU holds (which "objects"
# counts as in use) and, in the debug kernel, the freed ones that KASAN's
# quarantine holds back (1,248 objects at a table of 300, unshrunk): what
# is left is live.
slab_peak()
{
	local peak=0 objs

	while echo 1 >"$CONN_SLAB/shrink" &&
		read -r objs _ <"$CONN_SLAB/objects"; do
		if [ "$objs" -gt "$peak" ]; then
			peak=$objs
			echo "$peak" >"$WORK/peak"
		fi
		nap 0.5
	done
}

# established N: the table holds N established TCP connections.
established()
{
	[ "$(ipvsctl conn list tcp $VIP:80 | grep -c ESTABLISHED)" = "$1" ]
}

# full: the table is (nearly) full.
full()
{
	[ "$(count)" -ge $((MAX - 10)) ]
}

# transfer I: from c through the VIP, 4 kB of random data five times a
# second, until $WORK/over exists (so the real server, which closes a
# connection silent for 60 s, never sees it idle); what was sent goes to
# $WORK/sentI, the server's answer (its name and the sha256 of what it
# got) to $WORK/outI.
transfer()
{
	while [ ! -e "$WORK/over" ]; do
		head -c 4096 /dev/urandom
		sleep 0.2
	done | tee "$WORK/sent$1" | n c socat -t 60 - TCP:$VIP:80 >"$WORK/out$1"
}

# answered PROTO: of 10 new requests to the VIP, how many were answered
# intact; what lvsreq printed goes to $WORK/PROTO.
answered()
{
	timeout 120 ip netns exec "$PFX-c" "$LVSREQ" -n 10 "$1" $VIP 80 1000 \
		>"$WORK/$1" 2>&1
	grep -c ' ok$' "$WORK/$1"
}

# test that lvs loads with a small table
lvs_unload_idle
check_err $? "lvs would not unload: $(lsmod | grep '^lvs')"
modprobe lvs conn_max=$MAX
check_err $? "cannot load lvs with conn_max=$MAX"
log_test "flood: lvs loads with conn_max=$MAX"

nat_topology
rs_servers 80
check_err $? "the real servers do not listen"
lvs_services 80 nat 10.0.1.2 10.0.2.2
blackhole_spoofed
check_err $? "the spoofed prefix's routes failed"

# test that two transfers are established before the flood
transfer 1 &
t1=$!
transfer 2 &
t2=$!
busywait 10000 established 2
check_err $? "want 2 established: $(ipvsctl conn list)"
log_test "flood: two transfers are established"

# test that the flood fills the table and new entries evict others
slab_peak &
sampler=$!
BG_PIDS+=("$sampler")
flood_start=$(ms_now)
bg c "$LVSFLOOD" -r 50 -t 600 syn $VIP 80
bg c "$LVSFLOOD" -r 15 -t 600 udp $VIP 80
busywait 30000 full
check_err $? "the flood did not fill the table: $(ipvsctl info)"
[ "$(evicted)" -gt 0 ]
check_err $? "nothing evicted: $(ipvsctl info)"
log_test "flood: spoofed SYNs and datagrams fill the table, evicting"

# test that new clients get in during the flood
got=$(answered tcp)
[ "$got" = 10 ]
check_err $? "$got of 10 new TCP connections answered: $(ipvsctl info) $(tr '\n' ' ' <"$WORK/tcp")"
got=$(answered udp)
[ "$got" = 10 ]
check_err $? "$got of 10 new UDP requests answered: $(ipvsctl info) $(tr '\n' ' ' <"$WORK/udp")"
full
check_err $? "the flood stopped filling the table: $(ipvsctl info)"
log_test "flood: 10 of 10 new TCP and UDP clients answered meanwhile"

# test that established transfers were kept
established 2
check_err $? "want 2 established: $(ipvsctl conn list tcp $VIP:80 |
	grep -v -e SYN -e NONE)"
log_test "flood: a full table keeps established connections"

# test that the full table takes no more memory than conn_max allows:
# once the flood has offered three times the table's worth of entries (a
# table without bounds would hold them all: none expires so soon), the
# most lvs's connection cache held is within MAX entries and some slack
# (entries unlinked, waiting for their grace period)
busywait 60000 offered $((3 * MAX))
check_err $? "the flood offered $(lvs_info conn_count evicted conn_full) entries, want $((3 * MAX))"
kill $sampler
wait $sampler 2>/dev/null
peak=$(cat "$WORK/peak" 2>/dev/null)
size=$(conn_slab slab_size)
[ "$(conn_slab aliases)" = 0 ]
check_err $? "lvs's cache shares its slabs with $(conn_slab aliases) other caches"
echo "flood: high-water mark ${peak:-?} entries, $((${peak:-0} * ${size:-0} / 1024))" \
	"KiB (${size:-?} bytes each), $(($(ms_now) - flood_start)) ms into the" \
	"flood, $(lvs_info evicted) evicted; conn_max $MAX"
[ "${peak:-0}" -gt 0 ] && [ "$peak" -le $((MAX * 3 / 2)) ]
check_err $? "lvs's connection cache held ${peak:-no} entries, want 1 to $((MAX * 3 / 2))"
log_test "flood: the table's memory stays within conn_max"

# test that the transfers, which sent all along, finish intact
ns_stop c lvsflood
touch "$WORK/over"
wait $t1 && wait $t2
check_err $? "a transfer failed"
for i in 1 2; do
	want=$(sha256sum "$WORK/sent$i" | cut -d ' ' -f 1)
	[ "$(sed -n 2p "$WORK/out$i")" = "$want" ]
	check_err $? "transfer $i: the server got $(sed -n 2p "$WORK/out$i"), want $want"
done
log_test "flood: established transfers finish intact"

exit $((FAILED > 0))
