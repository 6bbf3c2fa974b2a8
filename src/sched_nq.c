// SPDX-License-Identifier: GPL-2.0
/*
 * Never queue: a destination with no active connection takes the new one
 * at once (the first such, in the order they were added); only when every
 * destination is busy does the shortest expected delay decide, as in sed:
 * (active + 1) / weight, compared by cross-multiplication.
 */

#include "dest.h"
#include "sched.h"

static struct lvs_dest *nq_schedule(void *state, const struct lvs_pkt *pkt)
{
	struct lvs_sched_dests *s = state;
	struct lvs_dest *best = NULL;
	u64 best_delay = 0;
	u32 best_w = 0;
	unsigned int i;

	for (i = 0; i < s->n; i++) {
		struct lvs_dest *d = s->dest[i];
		u32 active = atomic_read(&d->activeconns);
		u32 w = READ_ONCE(d->weight);

		if (!w)
			continue;
		if (!active)
			return d;
		if (!best || (u64)(active + 1) * best_w < best_delay * w) {
			best = d;
			best_delay = active + 1;
			best_w = w;
		}
	}
	return best;
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
MODULE_ALIAS("lvs-sched-nq");

#if IS_ENABLED(CONFIG_KUNIT)
#include "../tests/kunit/sched_nq_test.c"
#endif
