// SPDX-License-Identifier: GPL-2.0
/*
 * lvs: IP virtual server. Subsystems come up in order and go down in
 * exactly the reverse order.
 */

#include <linux/module.h>
#include <net/genetlink.h>

#include <uapi/linux/lvs.h>

#include "compat.h"
#include "conn.h"
#include "dest_route.h"
#include "fastpath.h"
#include "netlink.h"
#include "netns.h"
#include "rcu.h"

static int __init lvs_init(void)
{
	int err;

	err = lvs_conn_cache_init();
	if (err)
		return err;
	err = lvs_netns_init();
	if (err)
		goto err_cache;
	err = lvs_dest_route_init();
	if (err)
		goto err_netns;
	err = lvs_fast_init();
	if (err)
		goto err_route;
	err = lvs_netlink_init();
	if (err)
		goto err_fast;
	err = lvs_compat_init();
	if (err)
		goto err_netlink;
	pr_info("IP virtual server loaded\n");
	return 0;

err_netlink:
	lvs_netlink_exit();
err_fast:
	lvs_fast_exit();
err_route:
	lvs_dest_route_exit();
err_netns:
	lvs_netns_exit();
err_cache:
	lvs_rcu_drain();
	lvs_conn_cache_exit();
	return err;
}

static void __exit lvs_exit(void)
{
	lvs_compat_exit();
	lvs_netlink_exit();
	lvs_fast_exit();
	lvs_dest_route_exit();
	lvs_netns_exit();
	/* Entries freed by RCU callbacks live in the cache. */
	lvs_rcu_drain();
	lvs_conn_cache_exit();
	pr_info("IP virtual server unloaded\n");
}

module_init(lvs_init);
module_exit(lvs_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("lvs: IP virtual server");
MODULE_VERSION(LVS_VERSION);
MODULE_ALIAS_GENL_FAMILY(LVS_GENL_NAME);
