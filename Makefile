# SPDX-License-Identifier: GPL-2.0
#
# make            build lvs.ko, the scheduler modules and ipvsctl
# make W=1        the same with extra warnings (must stay warning-free)
# make check      checkpatch --strict and sparse over our code
# make test       every test (see README.md); ends with "N passed, N failed"
# make demo       the NAT demo in a guest
# make bench      forwarding and schedulers beside ip_vs and plain forwarding,
#                 in a guest (bench/forward, bench/sched)
# make install    install everything under DESTDIR (default: none, the live
#                 system) and PREFIX (default /usr/local): the modules
#                 (KDIR's kernel), then install-conf, install-tool and
#                 install-service
#   install-conf     the modprobe configuration that puts lvs in ip_vs's
#                    place, and the modules-load.d file that loads it at boot
#   install-tool     ipvsctl, its man page and its bash completion
#   install-service  lvs.service, its helper, and /etc/lvs/lvs.conf and
#                    /etc/default/lvs unless they exist
#   install-dkms     the module's sources and dkms.conf, for DKMS, in
#                    /usr/src/lvs-VERSION
# make deb        the Debian packages, in .build/deb (scripts/deb)
# KDIR=DIR        build against another kernel tree (default: the headers
#                 of Debian's stock kernel, scripts/kver)

KVER ?= $(shell scripts/kver 2>/dev/null)
KDIR ?= /usr/src/linux-headers-$(KVER)
PREFIX ?= /usr/local
SBINDIR ?= $(PREFIX)/sbin
LIBEXECDIR ?= $(PREFIX)/libexec/lvs
UNITDIR ?= $(PREFIX)/lib/systemd/system
# The release: the one place that names it (see Kbuild).
VERSION := $(shell cat VERSION)

# The debug kernel's tree, and where modules for it are built (a copy of
# the sources, so its objects never mix with the stock build's).
DEBUG_OUT ?= $(CURDIR)/.build/debug
# What a module build needs (with dkms.conf, the DKMS source tree).
MOD_SRCS := Kbuild VERSION src include tests/kunit

all: modules ipvsctl

modules:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

ipvsctl:
	$(MAKE) -C tools/ipvsctl

modules-debug:
	@test -n "$(DEBUG_KDIR)" || { echo "set DEBUG_KDIR" >&2; exit 1; }
	rm -rf $(DEBUG_OUT) && mkdir -p $(DEBUG_OUT)/tests
	cp -r Kbuild VERSION src include $(DEBUG_OUT)/
	cp -r tests/kunit $(DEBUG_OUT)/tests/
	$(MAKE) -C $(DEBUG_KDIR) M=$(DEBUG_OUT) modules

check:
	scripts/check

test: all
	tests/run-all

demo: all
	scripts/demo

bench:
	bench/forward
	bench/sched

install: all install-conf install-tool install-service
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules_install \
		INSTALL_MOD_PATH=$(DESTDIR)

install-conf:
	install -D -m 0644 etc/modprobe.d/lvs.conf \
		$(DESTDIR)/etc/modprobe.d/lvs.conf
	install -D -m 0644 etc/modules-load.d/lvs.conf \
		$(DESTDIR)/etc/modules-load.d/lvs.conf

install-tool: ipvsctl
	$(MAKE) -C tools/ipvsctl install DESTDIR=$(DESTDIR) PREFIX=$(PREFIX) \
		SBINDIR=$(SBINDIR)

# The unit and its helper name the paths they were installed with; an
# administrator's configuration is never overwritten.
install-service:
	mkdir -p $(DESTDIR)$(UNITDIR) $(DESTDIR)$(LIBEXECDIR)
	sed 's|@LIBEXECDIR@|$(LIBEXECDIR)|g' tools/systemd/lvs.service.in \
		>$(DESTDIR)$(UNITDIR)/lvs.service
	chmod 0644 $(DESTDIR)$(UNITDIR)/lvs.service
	sed 's|@SBINDIR@|$(SBINDIR)|g' tools/systemd/lvs-service.in \
		>$(DESTDIR)$(LIBEXECDIR)/lvs-service
	chmod 0755 $(DESTDIR)$(LIBEXECDIR)/lvs-service
	for f in lvs/lvs.conf default/lvs; do \
		[ -e $(DESTDIR)/etc/$$f ] || \
		install -D -m 0644 etc/$$f $(DESTDIR)/etc/$$f || exit; \
	done

# Sources only: a tree that has built the modules holds their objects too.
install-dkms:
	mkdir -p $(DESTDIR)/usr/src/lvs-$(VERSION)
	cp --parents dkms.conf $$(find $(MOD_SRCS) -type f \( -name Kbuild \
		-o -name VERSION -o -name '*.[ch]' \) ! -name '*.mod.c') \
		$(DESTDIR)/usr/src/lvs-$(VERSION)/

deb:
	scripts/deb

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	$(MAKE) -C tools/ipvsctl clean
	$(MAKE) -C tests/netns clean
	rm -rf .build

.PHONY: all modules ipvsctl modules-debug check test demo bench install \
	install-conf install-tool install-service install-dkms deb clean
