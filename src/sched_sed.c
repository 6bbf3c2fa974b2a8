// SPDX-License-Identifier: GPL-2.0
/*
 * Shortest expected delay: a new connection goes to the available
 * destination where it would wait least if each served its active
 * connections in turn at a speed given by its weight: (active + 1) /
 * weight. Inactive connections do not count. The one added first wins a
 * tie.
 */

#include "dest.h"
#include "sched.h"

static u64 sed_delay(const struct lvs_dest *d)
{
	return (u64)(u32)atomic_read(&d->activeconns) + 1;
}

static struct lvs_dest *sed_schedule(void *state, const struct lvs_pkt *pkt)
{
	struct lvs_sched_dests *s = state;

	return lvs_sched_min_cost(s->dest, s->n, sed_delay, true);
}

static struct lvs_scheduler sed_scheduler = {
	.name		= "sed",
	.owner		= THIS_MODULE,
	.build		= lvs_sched_dests_build,
	.free		= lvs_sched_dests_free,
	.schedule	= sed_schedule,
};

static int __init sed_init(void)
{
	return lvs_sched_register(&sed_scheduler);
}

static void __exit sed_exit(void)
{
	lvs_sched_unregister(&sed_scheduler);
}

module_init(sed_init);
module_exit(sed_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("lvs shortest-expected-delay scheduler");
MODULE_VERSION(LVS_VERSION);
MODULE_ALIAS("lvs-sched-sed");

#if IS_ENABLED(CONFIG_KUNIT)
#include "../tests/kunit/sched_sed_test.c"
#endif
