// SPDX-License-Identifier: GPL-2.0
/*
 * Compatibility mode (module parameter ipvs_compat): lvs also answers as
 * the kernel's ip_vs does, through its "IPVS" generic netlink family
 * (compat_nl.c) and its /proc/net/ip_vs* files (compat_proc.c). Only one
 * module can hold that family: if ip_vs holds it, lvs says so and serves
 * its own "LVS" family alone, without the files, which are ip_vs's then;
 * if lvs holds it, loading ip_vs fails.
 */

#include <linux/module.h>

#include "compat.h"
#include "compat_nl.h"
#include "compat_proc.h"

static bool ipvs_compat;
module_param(ipvs_compat, bool, 0444);
MODULE_PARM_DESC(ipvs_compat,
		 "Also serve the IPVS netlink family of ip_vs, for ipvsadm and keepalived");

static bool registered;

int __init lvs_compat_init(void)
{
	int err;

	if (!ipvs_compat)
		return 0;
	err = lvs_compat_nl_init();
	if (err == -EEXIST) {
		pr_warn("ipvs_compat: the IPVS netlink family is taken (is ip_vs loaded?); serving the LVS family only\n");
		return 0;
	}
	if (err)
		return err;
	err = lvs_compat_proc_init();
	if (err) {
		lvs_compat_nl_exit();
		return err;
	}
	registered = true;
	return 0;
}

void lvs_compat_exit(void)
{
	if (!registered)
		return;
	lvs_compat_proc_exit();
	lvs_compat_nl_exit();
}
