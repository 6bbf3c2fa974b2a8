# SPDX-License-Identifier: GPL-2.0
#
# lvs.service: the unit passes systemd-analyze verify, and its helper
# (tools/systemd/lvs-service.in) applies /etc/lvs/lvs.conf, leaves the
# running configuration alone without one, and saves on stop only when
# /etc/default/lvs says so. Sourced by tests/user/run (log_test, $TOP,
# $TMP). The helper runs against a fake ipvsctl that logs its calls and
# prints a saved configuration.

SVC_IN=$TOP/tools/systemd

# svc VERB [VAR=VALUE...]: the helper with the fake ipvsctl; status in
# $rc, output in $TMP/svc.out, the fake's calls in $TMP/svc.calls.
svc()
{
	local verb=$1

	shift
	rm -f "$TMP/svc.calls"
	env IPVSCTL="$TMP/svc/ipvsctl" LVS_CONF="$TMP/svc/lvs.conf" "$@" \
		sh "$TMP/svc/lvs-service" "$verb" >"$TMP/svc.out" 2>&1
	rc=$?
	touch "$TMP/svc.calls"
}

# fake_svc_ipvsctl: logs its arguments; FAKE_FAIL makes it fail; save
# prints one service.
fake_svc_ipvsctl()
{
	printf '%s\n' '#!/bin/sh' \
		"echo \"\$*\" >>\"$TMP/svc.calls\"" \
		'[ -z "${FAKE_FAIL:-}" ] || exit 1' \
		'[ "$1" != save ] || echo "service add tcp 10.0.0.9:80 sched rr"' \
		>"$TMP/svc/ipvsctl"
	chmod +x "$TMP/svc/ipvsctl"
}

service_tests()
{
	local conf=$TMP/svc/lvs.conf unit out want

	mkdir -p "$TMP/svc"
	cp "$SVC_IN/lvs-service.in" "$TMP/svc/lvs-service"
	chmod +x "$TMP/svc/lvs-service"
	fake_svc_ipvsctl

	svc start
	[ "$rc" -eq 0 ] && [ ! -s "$TMP/svc.calls" ] &&
		grep -q "no $conf: the running configuration is left" \
			"$TMP/svc.out"
	log_test $? "service: no lvs.conf: start changes nothing, says so" \
		"status $rc: $(cat "$TMP/svc.out" "$TMP/svc.calls")"

	cp "$TOP/etc/lvs/lvs.conf" "$conf"
	svc reload
	[ "$rc" -eq 0 ] && [ ! -s "$TMP/svc.calls" ] &&
		grep -q "has no command" "$TMP/svc.out"
	log_test $? "service: the example lvs.conf (comments) changes nothing" \
		"status $rc: $(cat "$TMP/svc.out" "$TMP/svc.calls")"

	echo "service add tcp 10.0.0.1:80 sched rr" >>"$conf"
	svc start
	[ "$rc" -eq 0 ] && [ "$(cat "$TMP/svc.calls")" = "apply $conf" ]
	log_test $? "service: start and reload run ipvsctl apply lvs.conf" \
		"status $rc: $(cat "$TMP/svc.out" "$TMP/svc.calls")"
	svc reload FAKE_FAIL=1
	[ "$rc" -ne 0 ]
	log_test $? "service: a refused apply fails the start or reload" \
		"status $rc: $(cat "$TMP/svc.out")"

	cp "$conf" "$TMP/svc/before"
	svc stop
	out=$rc
	svc stop LVS_SAVE_ON_STOP=no
	[ "$out" -eq 0 ] && [ "$rc" -eq 0 ] && [ ! -s "$TMP/svc.calls" ] &&
		cmp -s "$conf" "$TMP/svc/before"
	log_test $? "service: stop saves nothing by default" \
		"status $rc: $(cat "$TMP/svc.out" "$TMP/svc.calls")"
	svc stop LVS_SAVE_ON_STOP=yes FAKE_FAIL=1
	[ "$rc" -ne 0 ] && cmp -s "$conf" "$TMP/svc/before" &&
		[ ! -e "$conf.new" ]
	log_test $? "service: a failed save leaves lvs.conf as it was" \
		"status $rc: $(cat "$TMP/svc.out")"
	svc stop LVS_SAVE_ON_STOP=maybe
	[ "$rc" -ne 0 ] && [ ! -s "$TMP/svc.calls" ]
	log_test $? "service: LVS_SAVE_ON_STOP neither yes nor no: an error" \
		"status $rc: $(cat "$TMP/svc.out")"
	svc stop LVS_SAVE_ON_STOP=yes
	[ "$rc" -eq 0 ] && [ "$(cat "$TMP/svc.calls")" = save ] &&
		[ "$(cat "$conf")" = "service add tcp 10.0.0.9:80 sched rr" ]
	log_test $? "service: LVS_SAVE_ON_STOP=yes: stop saves over lvs.conf" \
		"status $rc: $(cat "$TMP/svc.out" "$conf")"

	grep -qx 'LVS_SAVE_ON_STOP=no' "$TOP/etc/default/lvs"
	log_test $? "service: /etc/default/lvs names the switch, off"

	if ! command -v systemd-analyze >/dev/null; then
		log_skip "service: systemd-analyze verify lvs.service" \
			"no systemd-analyze"
		return
	fi
	# The unit as installed, its helper and man page where it says.
	mkdir -p "$TMP/svc/man/man8"
	cp "$TOP/Documentation/ipvsctl.8" "$TMP/svc/man/man8/"
	unit=$TMP/svc/lvs.service
	sed "s|@LIBEXECDIR@|$TMP/svc|g" "$SVC_IN/lvs.service.in" >"$unit"
	out=$(MANPATH=$TMP/svc/man systemd-analyze verify "$unit" 2>&1)
	rc=$?
	[ "$rc" -eq 0 ] && [ -z "$out" ]
	log_test $? "service: systemd-analyze verify lvs.service" \
		"status $rc: $out"
	out=
	for want in Type=oneshot RemainAfterExit=yes \
		Before=keepalived.service After=network-online.target \
		'ExecStartPre=/sbin/modprobe lvs' \
		"ExecReload=$TMP/svc/lvs-service reload" \
		"ExecStop=$TMP/svc/lvs-service stop" \
		EnvironmentFile=-/etc/default/lvs; do
		grep -qxF "$want" "$unit" || out="$out missing $want;"
	done
	[ -z "$out" ]
	log_test $? "service: oneshot, before keepalived, reload and stop" "$out"
}
