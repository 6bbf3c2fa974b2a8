// SPDX-License-Identifier: GPL-2.0
/*
 * Weighted failover: every new connection goes to the available
 * destination with the highest weight (the first added, among equals). The
 * others stand by: they take over when it is drained (weight 0),
 * overloaded or removed. Existing connections stay where they are.
 */

#include "dest.h"
#include "sched.h"

static struct lvs_dest *fo_schedule(void *state, const struct lvs_pkt *pkt)
{
	struct lvs_sched_dests *s = state;
	struct lvs_dest *best = NULL;
	u32 best_w = 0;
	unsigned int i;

	for (i = 0; i < s->n; i++) {
		u32 w = READ_ONCE(s->dest[i]->weight);

		if (w > best_w && lvs_dest_available(s->dest[i])) {
			best = s->dest[i];
			best_w = w;
		}
	}
	return best;
}

static struct lvs_scheduler fo_scheduler = {
	.name		= "fo",
	.owner		= THIS_MODULE,
	.build		= lvs_sched_dests_build,
	.free		= lvs_sched_dests_free,
	.schedule	= fo_schedule,
};

static int __init fo_init(void)
{
	return lvs_sched_register(&fo_scheduler);
}

static void __exit fo_exit(void)
{
	lvs_sched_unregister(&fo_scheduler);
}

module_init(fo_init);
module_exit(fo_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("lvs weighted failover scheduler");
MODULE_VERSION(LVS_VERSION);
MODULE_ALIAS("lvs-sched-fo");

#if IS_ENABLED(CONFIG_KUNIT)
#include "../tests/kunit/sched_fo_test.c"
#endif
