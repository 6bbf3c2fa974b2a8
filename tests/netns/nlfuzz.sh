#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Netlink fuzzing (nlfuzz.py): random and mutated requests to every command
# of the family in a fresh namespace, each verdict and the configuration
# checked against a model. The test run sends a bounded number; the long
# mode runs for LVS_NLFUZZ_SECONDS:
#
#   LVS_NLFUZZ_SECONDS=600 tests/netns/run --kernel debug nlfuzz.sh
#
# LVS_NLFUZZ_SEED replays a run (with LVS_NLFUZZ_REQUESTS, the count it
# printed). The guest fails the run on any kernel report (KASAN, lockdep,
# kmemleak, WARNING).

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
plan 6

trap cleanup EXIT
ns_add d
here=$(dirname "${BASH_SOURCE[0]}")
args=(--requests "${LVS_NLFUZZ_REQUESTS:-200}")
if [ -n "${LVS_NLFUZZ_SECONDS:-}" ]; then
	args=(--seconds "$LVS_NLFUZZ_SECONDS" --progress 2000)
fi
[ -n "${LVS_NLFUZZ_SEED:-}" ] && args+=(--seed "$LVS_NLFUZZ_SEED")
n d python3 "$here/nlfuzz.py" "${args[@]}" || FAILED=$((FAILED + 1))

exit $((FAILED > 0))
