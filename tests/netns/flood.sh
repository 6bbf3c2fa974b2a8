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

# count: entries in the table; evicted: how many it evicted (read in
# bash by lvs_info: busywait polls count).
count()
{
	lvs_info conn_count
}

evicted()
{
	lvs_info evicted
}

# evicting: the table has evicted an entry for a new one. A table just
# full has not yet: the next entry offered evicts.
evicting()
{
	[ "$(evicted)" -gt 0 ]
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

# established N: the table holds N established TCP connections (its
# lines counted in bash: busywait polls this).
established()
{
	local out line n=0

	out=$(ipvsctl conn list tcp $VIP:80) || return 1
	while IFS= read -r line; do
		[[ $line == *ESTABLISHED* ]] && n=$((n + 1))
	done <<<"$out"
	[ "$n" = "$1" ]
}

# full: the table is (nearly) full.
full()
{
	[ "$(count)" -ge $((MAX - 10)) ]
}

# transfer I: from c through the VIP, a line of 4 kB five times a
# second, until $WORK/over exists (so the real server, which closes a
# connection silent for 60 s, never sees it idle); what was sent goes to
# $WORK/sentI, the server's answer (its name and the sha256 of what it
# got) to $WORK/outI. The lines are made and paced in bash: a head and a
# sleep per line were 20 processes a second. Each is a random rotation
# of 4 kB of random hex digits, with its number and a random number in
# front, so that no two are alike.
transfer()
{
	local data= line i=0 off

	for ((off = 0; off < 512; off++)); do
		printf -v line '%08x' $((SRANDOM))
		data+=$line
	done
	while [ ! -e "$WORK/over" ]; do
		i=$((i + 1)) off=$((SRANDOM % 4096))
		line="$i $SRANDOM ${data:off}${data:0:off}"
		echo "$line" >>"$WORK/sent$1"
		echo "$line"
		nap 0.2
	done | n c socat -t 60 - TCP:$VIP:80 >"$WORK/out$1"
}

# answered PROTO: of 10 new requests to the VIP, how many were answered
# intact; what lvsreq printed goes to $WORK/PROTO.
answered()
{
	local out line n=0

	timeout 120 ip netns exec "$PFX-c" "$LVSREQ" -n 10 "$1" $VIP 80 1000 \
		>"$WORK/$1" 2>&1
	# Counted in bash, not by a grep.
	out=$(<"$WORK/$1")
	while IFS= read -r line; do
		[[ $line == *" ok" ]] && n=$((n + 1))
	done <<<"$out"
	echo "$n"
}

# test that lvs loads with a small table
# (Messages that take a process are made only for a failure.)
lvs_unload_idle ||
	check_err 1 "lvs would not unload: $(lsmod | grep '^lvs')"
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
nap 0	# its FIFO, for the transfers' naps
transfer 1 &
t1=$!
transfer 2 &
t2=$!
busywait 10000 established 2 ||
	check_err 1 "want 2 established: $(ipvsctl conn list)"
log_test "flood: two transfers are established"

# test that the flood fills the table and new entries evict others
slab_peak &
sampler=$!
BG_PIDS+=("$sampler")
flood_start=$(ms_now)
bg c "$LVSFLOOD" -r 50 -t 600 syn $VIP 80
bg c "$LVSFLOOD" -r 15 -t 600 udp $VIP 80
busywait 30000 full ||
	check_err 1 "the flood did not fill the table: $(ipvsctl info)"
busywait 10000 evicting ||
	check_err 1 "nothing evicted: $(ipvsctl info)"
log_test "flood: spoofed SYNs and datagrams fill the table, evicting"

# test that new clients get in during the flood
got=$(answered tcp)
[ "$got" = 10 ] ||
	check_err 1 "$got of 10 new TCP connections answered: $(ipvsctl info) $(tr '\n' ' ' <"$WORK/tcp")"
got=$(answered udp)
[ "$got" = 10 ] ||
	check_err 1 "$got of 10 new UDP requests answered: $(ipvsctl info) $(tr '\n' ' ' <"$WORK/udp")"
full ||
	check_err 1 "the flood stopped filling the table: $(ipvsctl info)"
log_test "flood: 10 of 10 new TCP and UDP clients answered meanwhile"

# test that established transfers were kept
established 2 ||
	check_err 1 "want 2 established: $(ipvsctl conn list tcp $VIP:80 |
		grep -v -e SYN -e NONE)"
log_test "flood: a full table keeps established connections"

# test that the full table takes no more memory than conn_max allows:
# once the flood has offered three times the table's worth of entries (a
# table without bounds would hold them all: none expires so soon), the
# most lvs's connection cache held is within MAX entries and some slack
# (entries unlinked, waiting for their grace period)
busywait 60000 offered $((3 * MAX)) ||
	check_err 1 "the flood offered $(lvs_info conn_count evicted conn_full) entries, want $((3 * MAX))"
kill $sampler
wait $sampler 2>/dev/null
peak=
read -r peak 2>/dev/null <"$WORK/peak"
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
	# The server's sha256 is its answer's second line (read in bash).
	want=$(sha256sum "$WORK/sent$i") got=
	{ read -r _ && read -r got; } <"$WORK/out$i"
	[ "$got" = "${want%% *}" ]
	check_err $? "transfer $i: the server got $got, want ${want%% *}"
done
log_test "flood: established transfers finish intact"

exit $((FAILED > 0))
