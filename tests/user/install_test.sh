# SPDX-License-Identifier: GPL-2.0
#
# make install DESTDIR=...: every file lands under DESTDIR, with the paths
# of PREFIX in the unit and its helper, and nothing is written anywhere
# else. Sourced by tests/user/run (log_test, $TOP, $TMP), after ipvsctl
# is built.
#
# The kernel's build system is a stand-in (KDIR): it installs one module
# under INSTALL_MOD_PATH and refuses to run without it, so the test needs
# no kernel headers and no module build. make runs in a mount namespace
# where every mount but DESTDIR is read-only: a write anywhere else fails
# the install.

# install_files PREFIX: the files make install puts under DESTDIR.
install_files()
{
	printf '%s\n' etc/default/lvs etc/lvs/lvs.conf etc/modprobe.d/lvs.conf \
		etc/modules-load.d/lvs.conf lib/modules/fake/updates/lvs.ko \
		"$1/lib/systemd/system/lvs.service" "$1/libexec/lvs/lvs-service" \
		"$1/sbin/ipvsctl" "$1/share/bash-completion/completions/ipvsctl" \
		"$1/share/man/man8/ipvsctl.8" | sed 's|^/||' | sort
}

# install_ro DESTDIR MAKEARGS...: make install into DESTDIR, everything
# else read-only; output in $TMP/install.log.
install_ro()
{
	local dest=$1

	shift
	unshare -m --propagation private sh -c '
		top=$1 dest=$2
		shift 2
		mount --bind "$dest" "$dest" || exit 1
		for mp in $(awk "{ print \$5 }" /proc/self/mountinfo | sort -u); do
			case $mp in
			"$dest" | /proc | /proc/* | /sys | /sys/* | /dev | /dev/*) ;;
			*) mount -o remount,bind,ro "$mp" 2>/dev/null ;;
			esac
		done
		if [ -w / ]; then
			echo "install_ro: / is still writable" >&2
			exit 1
		fi
		make -C "$top" install DESTDIR="$dest" "$@"
	' _ "$TOP" "$dest" "$@" >"$TMP/install.log" 2>&1
}

install_tests()
{
	local dest=$TMP/destdir kdir=$TMP/fake-kdir got

	if ! unshare -m true 2>/dev/null; then
		log_skip "install: make install DESTDIR=..." "no mount namespace"
		return
	fi
	mkdir -p "$dest" "$kdir"
	printf '%s\n' 'modules:' '	@:' 'modules_install:' \
		'	test -n "$(INSTALL_MOD_PATH)"' \
		'	install -D -m 0644 /dev/null $(INSTALL_MOD_PATH)/lib/modules/fake/updates/lvs.ko' \
		>"$kdir/Makefile"

	install_ro "$dest" KDIR="$kdir" PREFIX=/usr
	log_test $? "install: make install DESTDIR, all else read-only" \
		"$(tail -5 "$TMP/install.log")"
	got=$(cd "$dest" && find . -type f | sed 's|^\./||' | sort)
	[ "$got" = "$(install_files /usr)" ]
	log_test $? "install: the files under DESTDIR, and only those" \
		"$(diff <(echo "$got") <(install_files /usr) | grep '^[<>]')"
	grep -qx 'ExecStart=/usr/libexec/lvs/lvs-service start' \
		"$dest/usr/lib/systemd/system/lvs.service" &&
		grep -q '@SBINDIR@/ipvsctl' "$TOP/tools/systemd/lvs-service.in" &&
		grep -qF '/usr/sbin/ipvsctl' "$dest/usr/libexec/lvs/lvs-service" &&
		! grep -q '@[A-Z]*@' "$dest/usr/lib/systemd/system/lvs.service" \
			"$dest/usr/libexec/lvs/lvs-service"
	log_test $? "install: the unit and its helper name PREFIX's paths"

	echo "service add tcp 10.0.0.1:80 sched rr" >"$dest/etc/lvs/lvs.conf"
	rm -rf "${dest:?}/usr"
	install_ro "$dest" KDIR="$kdir" &&
		grep -q '^service add' "$dest/etc/lvs/lvs.conf" &&
		[ -x "$dest/usr/local/sbin/ipvsctl" ]
	log_test $? "install: PREFIX defaults to /usr/local, lvs.conf is kept" \
		"$(tail -5 "$TMP/install.log")"
}
