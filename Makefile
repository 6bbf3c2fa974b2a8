# SPDX-License-Identifier: GPL-2.0
#
# make            build lvs.ko, the scheduler modules and ipvsctl
# make W=1        the same with extra warnings (must stay warning-free)
# make check      checkpatch --strict and sparse over our code
# make test       every test (see README.md); ends with "N passed, N failed"
# make demo       the NAT demo in a guest
# make bench      forwarding and schedulers beside ip_vs and plain forwarding,
#                 in a guest (bench/forward, bench/sched)
# make install    install modules (KDIR's kernel), ipvsctl (with its man page
#                 and bash completion) and the modprobe configuration that
#                 puts lvs in ip_vs's place
# KDIR=DIR        build against another kernel tree (default: the headers
#                 of Debian's stock kernel, scripts/kver)

KVER ?= $(shell scripts/kver 2>/dev/null)
KDIR ?= /usr/src/linux-headers-$(KVER)
PREFIX ?= /usr/local

# The debug kernel's tree, and where modules for it are built (a copy of
# the sources, so its objects never mix with the stock build's).
DEBUG_OUT ?= $(CURDIR)/.build/debug
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

install: all
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules_install
	$(MAKE) -C tools/ipvsctl install PREFIX=$(PREFIX)
	install -D -m 0644 etc/modprobe.d/lvs.conf \
		$(DESTDIR)/etc/modprobe.d/lvs.conf

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	$(MAKE) -C tools/ipvsctl clean
	$(MAKE) -C tests/netns clean
	rm -rf .build

.PHONY: all modules ipvsctl modules-debug check test demo bench install clean
