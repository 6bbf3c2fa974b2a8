// SPDX-License-Identifier: GPL-2.0
/*
 * Weighted least connection: a new connection goes to the available
 * destination with the lowest cost per unit of weight,
 * lvs_dest_overhead() / weight; the one added first wins a tie.
 */

#include "dest.h"
#include "sched.h"

static struct lvs_dest *wlc_schedule(void *state, const struct lvs_pkt *pkt)
{
	struct lvs_sched_dests *s = state;

	return lvs_sched_min_cost(s->dest, s->n, lvs_dest_overhead, true);
}

static struct lvs_scheduler wlc_scheduler = {
	.name		= "wlc",
	.owner		= THIS_MODULE,
	.build		= lvs_sched_dests_build,
	.free		= lvs_sched_dests_free,
	.schedule	= wlc_schedule,
};

static int __init wlc_init(void)
{
	return lvs_sched_register(&wlc_scheduler);
}

static void __exit wlc_exit(void)
{
	lvs_sched_unregister(&wlc_scheduler);
}

module_init(wlc_init);
module_exit(wlc_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("lvs weighted least-connection scheduler");
MODULE_VERSION(LVS_VERSION);
MODULE_ALIAS("lvs-sched-wlc");

#if IS_ENABLED(CONFIG_KUNIT)
#include "../tests/kunit/sched_wlc_test.c"
#endif
