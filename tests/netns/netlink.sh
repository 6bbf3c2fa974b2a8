#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Raw generic netlink requests, malformed on purpose (nlraw.py), in a fresh
# namespace; then the same as a user without CAP_NET_ADMIN.

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

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

exit $((FAILED > 0))
