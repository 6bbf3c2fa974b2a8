// SPDX-License-Identifier: GPL-2.0
/*
 * Least connection: a new connection goes to the destination whose open
 * connections cost it least (lvs_dest_overhead()) among the available
 * ones; the one added first wins a tie. Weights only decide who takes part
 * (0 does not).
 */

#include "dest.h"
#include "sched.h"

static struct lvs_dest *lc_schedule(void *state, const struct lvs_pkt *pkt)
{
	struct lvs_sched_dests *s = state;

	return lvs_sched_min_cost(s->dest, s->n, lvs_dest_overhead, false);
}

static struct lvs_scheduler lc_scheduler = {
	.name		= "lc",
	.owner		= THIS_MODULE,
	.build		= lvs_sched_dests_build,
	.free		= lvs_sched_dests_free,
	.schedule	= lc_schedule,
};

static int __init lc_init(void)
{
	return lvs_sched_register(&lc_scheduler);
}

static void __exit lc_exit(void)
{
	lvs_sched_unregister(&lc_scheduler);
}

module_init(lc_init);
module_exit(lc_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("lvs least-connection scheduler");
MODULE_VERSION(LVS_VERSION);
MODULE_ALIAS("lvs-sched-lc");

#if IS_ENABLED(CONFIG_KUNIT)
#include "../tests/kunit/sched_lc_test.c"
#endif
