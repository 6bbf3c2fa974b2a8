#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Raw generic netlink requests, malformed on purpose (nlraw.py), in a fresh
# namespace; then the same as a user without CAP_NET_ADMIN.

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
plan 124

trap cleanup EXIT
ns_add d
here=$(dirname "${BASH_SOURCE[0]}")
n d python3 "$here/nlraw.py" || FAILED=$((FAILED + 1))

out=$(n d setpriv --reuid=65534 --regid=65534 --clear-groups \
	"$IPVSCTL" service add tcp 10.9.0.1:80 sched rr 2>&1)
check_fail $? "an unprivileged user added a service"
echo "$out" | grep -q -i "not permitted"
check_err $? "expected 'Operation not permitted', got: $out"
log_test "netlink: requests need CAP_NET_ADMIN"

# ipvsctl relays the kernel's reason and changes nothing.
ipvsctl service add tcp 10.9.0.1:80 sched rr
before=$(ipvsctl -j service list)
out=$(ipvsctl service add tcp 10.9.0.1:80 sched wrr 2>&1)
[ $? -eq 1 ]
check_err $? "duplicate service add did not exit 1: $out"
echo "$out" | grep -q "Service already exists"
check_err $? "no kernel message in: $out"
out=$(ipvsctl dest add tcp 10.9.0.1:80 10.9.1.2:81 tun 2>&1)
[ $? -eq 1 ] && echo "$out" | grep -q "service's own port"
check_err $? "dest add tun to another port: $out"
out=$(ipvsctl service add tcp 10.9.0.2:80 sched nosuch 2>&1)
[ $? -eq 1 ] && echo "$out" | grep -q "Unknown scheduler"
check_err $? "unknown scheduler: $out"
[ "$(ipvsctl -j service list)" = "$before" ]
check_err $? "state changed: $before -> $(ipvsctl -j service list)"
log_test "ipvsctl: kernel rejections print the kernel's reason, exit 1"

# A batch sends a service's additions in one request; the kernel refuses
# it whole, and the lines then run one by one up to the one at fault.
out=$(printf '%s\n' "service add tcp 10.9.0.20:80 sched rr" \
	"dest add tcp 10.9.0.20:80 10.9.1.2" \
	"dest add tcp 10.9.0.20:80 10.9.1.2" | ipvsctl -b - 2>&1)
[ $? -eq 1 ]
check_err $? "a batch adding a server twice did not exit 1: $out"
[ "$out" = "ipvsctl: <stdin>:3: dest add: Destination already exists" ]
check_err $? "not the line at fault: $out"
[ "$(ipvsctl dest list tcp 10.9.0.20:80 | grep -c 10.9.1.2)" = 1 ]
check_err $? "lines 1 and 2 not applied: $(ipvsctl dest list tcp 10.9.0.20:80)"
ipvsctl service del tcp 10.9.0.20:80
log_test "ipvsctl -b: a refused request of joined lines names the line"

# ipvsctl -n works in the namespace named, by name or by path, and only
# there; a name that is not one is an error before anything is sent.
ns_add e
"$IPVSCTL" -n "$PFX-e" service add udp 10.9.0.3:53 sched rr
check_err $? "ipvsctl -n $PFX-e service add failed"
"$IPVSCTL" --netns "/run/netns/$PFX-e" service list | grep -q '10.9.0.3:53'
check_err $? "the service is not in $PFX-e by path"
ipvsctl service list | grep -q '10.9.0.3:53'
check_fail $? "the service of $PFX-e shows in $PFX-d"
n e "$IPVSCTL" service list | grep -q '10.9.0.3:53'
check_err $? "the service is not in $PFX-e from inside it"
out=$("$IPVSCTL" -n "$PFX-nosuch" service list 2>&1)
[ $? -eq 1 ] && echo "$out" | grep -q 'cannot open network namespace'
check_err $? "a missing namespace: $out"
log_test "ipvsctl -n: works in the named namespace only"

# ipvsctl -V names the loaded module's release, VERSION's.
out=$("$IPVSCTL" -V)
[ "$(sed -n 2p <<<"$out")" = "lvs module $(cat "$LVS_TOP/VERSION")" ]
check_err $? "not the module's version: $out"
log_test "ipvsctl -V: the loaded module's version"

exit $((FAILED > 0))
