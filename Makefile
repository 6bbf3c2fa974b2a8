# SPDX-License-Identifier: GPL-2.0
#
# make            build lvs.ko, the scheduler modules and ipvsctl
# make W=1        the same with extra warnings (must stay warning-free)
# make modules-6.12
#                 the modules for Debian's 6.12 kernel, in .build/6.12
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

# Modules for another kernel than KDIR's are built in a copy of the
# sources, so that their objects never mix with the stock build's: the
# debug kernel's (DEBUG_KDIR) in DEBUG_OUT, the 6.12 series' in K612_OUT.
DEBUG_OUT ?= $(CURDIR)/.build/debug
# What a module build needs (with dkms.conf, the DKMS source tree).
MOD_SRCS := Kbuild VERSION src include tests/kunit
K612_KDIR ?= /usr/src/linux-headers-$(shell scripts/kver 6.12 2>/dev/null)
K612_OUT ?= $(CURDIR)/.build/6.12

all: modules ipvsctl

modules:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

ipvsctl:
	$(MAKE) -C tools/ipvsctl

# modules_in OUT KDIR: copy the module's sources to OUT, build them there
modules_in = rm -rf $(1) && mkdir -p $(1) && \
	cp -r --parents $(MOD_SRCS) $(1)/ && $(MAKE) -C $(2) M=$(1) modules

modules-debug:
	@test -n "$(DEBUG_KDIR)" || { echo "set DEBUG_KDIR" >&2; exit 1; }
	$(call modules_in,$(DEBUG_OUT),$(DEBUG_KDIR))

modules-6.12:
	@test -d "$(K612_KDIR)" || { echo "no 6.12 headers" >&2; exit 1; }
	$(call modules_in,$(K612_OUT),$(K612_KDIR))

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

.PHONY: all modules ipvsctl modules-debug modules-6.12 check test demo bench \
	install install-conf install-tool install-service install-dkms deb clean
