// SPDX-License-Identifier: GPL-2.0
/*
 * Never queue: an available destination with no active connection takes
 * the new one at once (the first such, in the order they were added); only
 * when every available destination is busy does the shortest expected
 * delay decide, as in sed: (active + 1) / weight.
 */

#include "dest.h"
#include "sched.h"

/* The delay of sed, but none at all when idle: the first idle one wins. */
static u64 nq_delay(const struct lvs_dest *d)
{
	u32 active = atomic_read(&d->activeconns);

	return active ? (u64)active + 1 : 0;
}

static struct lvs_dest *nq_schedule(void *state, const struct lvs_pkt *pkt)
{
	struct lvs_sched_dests *s = state;

	return lvs_sched_min_cost(s->dest, s->n, nq_delay, true);
}

static struct lvs_scheduler nq_scheduler = {
	.name		= "nq",
	.owner		= THIS_MODULE,
	.build		= lvs_sched_dests_build,
	.free		= lvs_sched_dests_free,
	.schedule	= nq_schedule,
};

static int __init nq_init(void)
{
	return lvs_sched_register(&nq_scheduler);
}

static void __exit nq_exit(void)
{
	lvs_sched_unregister(&nq_scheduler);
}

module_init(nq_init);
module_exit(nq_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("lvs never-queue scheduler");
MODULE_VERSION(LVS_VERSION);
MODULE_ALIAS("lvs-sched-nq");

#if IS_ENABLED(CONFIG_KUNIT)
#include "../tests/kunit/sched_nq_test.c"
#endif
