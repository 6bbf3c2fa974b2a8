#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Who may configure lvs where, and where a service forwards. Namespaces d
# (a director with services) and e (the same addresses, no service) belong
# to the host; an unprivileged user (uid 65534) makes a user namespace and a
# network namespace of its own with unshare, as any user may on Debian.
#
#  c  10.0.0.2 --- 10.0.0.1  d  10.0.1.1 --- 10.0.1.2  rs1 (:8080)
#                  VIP 10.0.0.1:80 -> rs1, NAT
#  c2 10.0.0.2 --- 10.0.0.1  e  (a server of its own on :80)
#     fd00::2      fd00::1

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
plan 5

params=/sys/module/lvs/parameters
caps="userns_max_services userns_max_dests userns_mh_max_size"
saved=()

# restore: the caps as they were, for the scenarios after this one.
restore()
{
	local p i=0

	cleanup
	for p in $caps; do
		[ -n "${saved[i]:-}" ] && echo "${saved[i]}" >"$params/$p"
		i=$((i + 1))
	done
}
trap restore EXIT

# nobody NS CMD...: CMD in NS as uid 65534, without any capability.
nobody()
{
	local ns=$1

	shift
	n "$ns" setpriv --reuid=65534 --regid=65534 --clear-groups "$@"
}

ns_add c
ns_add d
ns_add rs1
ns_add6 c2
ns_add6 e
link c eth0 10.0.0.2/24 d c0 10.0.0.1/24
link d rs1 10.0.1.1/24 rs1 eth0 10.0.1.2/24
link c2 eth0 10.0.0.2/24 e c0 10.0.0.1/24
n c2 ip addr add fd00::2/64 dev eth0
n e ip addr add fd00::1/64 dev c0
n c ip route add default via 10.0.0.1
n rs1 ip route add default via 10.0.1.1
n d sysctl -qw net.ipv4.ip_forward=1
tcp_server rs1 8080 rs1
tcp_server e 80 e

# Caps small enough to reach; root of the host may change them any time.
modprobe lvs
check_err $? "cannot load lvs"
for p in $caps; do
	saved+=("$(cat "$params/$p")")
done
echo 2 >$params/userns_max_services &&
	echo 3 >$params/userns_max_dests &&
	echo 1021 >$params/userns_mh_max_size
check_err $? "cannot set the userns_* parameters"
# The host's namespaces have no cap: three services.
ipvsctl service add tcp 10.0.0.1:80 sched rr &&
	ipvsctl dest add tcp 10.0.0.1:80 10.0.1.2:8080 nat &&
	ipvsctl service add udp 10.0.0.1:80 sched rr &&
	ipvsctl service add tcp 10.0.0.1:81 sched mh table-size 2039
check_err $? "lvs configuration of d failed"
host=$(ipvsctl -j service list)

out=$(nobody d "$IPVSCTL" service list 2>&1)
check_fail $? "an unprivileged user listed d's services: $out"
echo "$out" | grep -q "not permitted"
check_err $? "service list: expected 'Operation not permitted', got: $out"
out=$(nobody d "$IPVSCTL" service del tcp 10.0.0.1:80 2>&1)
check_fail $? "an unprivileged user deleted a service of d"
echo "$out" | grep -q "not permitted"
check_err $? "service del: expected 'Operation not permitted', got: $out"
log_test "isolation: an unprivileged user can neither see nor change"

# Root of its own user namespace, still in d, which the host owns.
for cmd in "service list" "service del tcp 10.0.0.1:80" \
	"dest add tcp 10.0.0.1:80 10.0.1.3:8080 nat" "conn flush"; do
	out=$(nobody d unshare -U -r "$IPVSCTL" $cmd 2>&1)
	check_fail $? "userns root: '$cmd' in d succeeded: $out"
	echo "$out" | grep -q "not permitted"
	check_err $? "userns root: '$cmd' in d said: $out"
done
[ "$(ipvsctl -j service list)" = "$host" ]
check_err $? "d's services changed: $(ipvsctl -j service list)"
log_test "isolation: userns root cannot see or change the host's services"

# Root of its own user and network namespaces: everything in there, up
# to the caps; the host's namespace d keeps its three services.
out=$(nobody d unshare -U -r -n bash -c '
	ipvsctl() { echo "> $*"; "$0" "$@" 2>&1; echo "= $?"; }
	ipvsctl -j service list
	ipvsctl service add tcp 10.9.0.1:80 sched rr
	ipvsctl service add tcp 10.9.0.1:81 sched mh table-size 2039
	ipvsctl service add tcp 10.9.0.1:81 sched mh table-size 1021
	ipvsctl service add tcp 10.9.0.1:82 sched rr
	ipvsctl service change tcp 10.9.0.1:81 sched mh table-size 2039
	ipvsctl dest add tcp 10.9.0.1:80 10.9.1.1:80 nat
	ipvsctl dest add tcp 10.9.0.1:80 10.9.1.2:80 nat
	ipvsctl dest add tcp 10.9.0.1:81 10.9.1.1:81 nat
	ipvsctl dest add tcp 10.9.0.1:81 10.9.1.2:81 nat
	ipvsctl dest del tcp 10.9.0.1:80 10.9.1.1:80
	ipvsctl dest add tcp 10.9.0.1:81 10.9.1.3:81 nat
	echo JSON
	"$0" -j service list
' "$IPVSCTL" 2>&1)
want='> -j service list
[]
= 0
> service add tcp 10.9.0.1:80 sched rr
= 0
> service add tcp 10.9.0.1:81 sched mh table-size 2039
ipvsctl: service add: Maglev table too large for a namespace of another user namespace (lvs userns_mh_max_size)
= 1
> service add tcp 10.9.0.1:81 sched mh table-size 1021
= 0
> service add tcp 10.9.0.1:82 sched rr
ipvsctl: service add: Too many services for a namespace of another user namespace (lvs userns_max_services)
= 1
> service change tcp 10.9.0.1:81 sched mh table-size 2039
ipvsctl: service change: Maglev table too large for a namespace of another user namespace (lvs userns_mh_max_size)
= 1
> dest add tcp 10.9.0.1:80 10.9.1.1:80 nat
= 0
> dest add tcp 10.9.0.1:80 10.9.1.2:80 nat
= 0
> dest add tcp 10.9.0.1:81 10.9.1.1:81 nat
= 0
> dest add tcp 10.9.0.1:81 10.9.1.2:81 nat
ipvsctl: dest add: Too many destinations for a namespace of another user namespace (lvs userns_max_dests)
= 1
> dest del tcp 10.9.0.1:80 10.9.1.1:80
= 0
> dest add tcp 10.9.0.1:81 10.9.1.3:81 nat
= 0'
[ "${out%%$'\n'JSON*}" = "$want" ]
check_err $? "in its own namespaces, userns root got:
$out"
got=$(echo "${out#*JSON$'\n'}" | python3 -c '
import json, sys
d = json.load(sys.stdin)
print(len(d), sum(len(s["dests"]) for s in d))')
[ "$got" = "2 3" ]
check_err $? "its namespace should end with 2 services, 3 destinations: $got"
[ "$(ipvsctl -j service list)" = "$host" ]
check_err $? "d's services changed: $(ipvsctl -j service list)"
log_test "isolation: userns root has its own services, within the caps"

# A namespace without a service has no lvs hooks and no IPv6 reassembly
# before them: its own ruleset sees the fragments of a large ping as
# they came. Once it has a service, it sees them reassembled.
frags()
{
	n e nft list chain ip6 t pre | awk '/counter/ { print $(NF - 2) }'
}

n e nft -f - <<'EOF'
table ip6 t {
	chain pre {
		type filter hook prerouting priority 0;
		exthdr frag exists counter
	}
}
EOF
check_err $? "nft ruleset for e failed"
n c2 ping -6 -q -c 1 -W 5 -s 3000 fd00::1 >/dev/null
check_err $? "large ping to e failed"
before=$(frags)
[ "${before:-0}" -ge 2 ]
check_err $? "e's ruleset saw ${before:-no} fragments, want 2 or more"
n e "$IPVSCTL" service add tcp '[fd00::1]:80' sched rr
check_err $? "lvs configuration of e failed"
n c2 ping -6 -q -c 1 -W 5 -s 3000 fd00::1 >/dev/null
check_err $? "large ping to e failed once it had a service"
[ "$(frags)" = "$before" ]
check_err $? "e's ruleset saw fragments after its first service: $before, then $(frags)"
log_test "isolation: the packet path starts with a namespace's first service"

# d's service takes c's connections to 10.0.0.1:80; in e, whose packet
# path now runs for a service of its own, the same address and port are
# e's own.
wait_listen rs1 tcp 8080 && wait_listen e tcp 80
check_err $? "servers did not start"
got=$(n c "$LVSREQ" tcp 10.0.0.1 80 100)
[ "$got" = "rs1 ok" ]
check_err $? "in d, 10.0.0.1:80 answered: '$got', want 'rs1 ok'"
got=$(n c2 "$LVSREQ" tcp 10.0.0.1 80 100)
[ "$got" = "e ok" ]
check_err $? "in e, 10.0.0.1:80 answered: '$got', want 'e ok'"
log_test "isolation: a service forwards in its own namespace only"

exit $((FAILED > 0))
