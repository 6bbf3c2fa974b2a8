// SPDX-License-Identifier: GPL-2.0
/*
 * Shortest expected delay: a new connection goes to the destination where
 * it would wait least if each served its active connections in turn at a
 * speed given by its weight: (active + 1) / weight. Inactive connections
 * do not count. The one added first wins a tie; the comparison is a
 * cross-multiplication, as in wlc.
 */

#include "dest.h"
#include "sched.h"

static struct lvs_dest *sed_schedule(void *state, const struct lvs_pkt *pkt)
{
	struct lvs_sched_dests *s = state;
	struct lvs_dest *best = NULL;
	u64 best_delay = 0;
	u32 best_w = 0;
	unsigned int i;

	for (i = 0; i < s->n; i++) {
		struct lvs_dest *d = s->dest[i];
		u64 delay = (u64)atomic_read(&d->activeconns) + 1;
		u32 w = READ_ONCE(d->weight);

		if (!w)
			continue;
		if (!best || delay * best_w < best_delay * w) {
			best = d;
			best_delay = delay;
			best_w = w;
		}
	}
	return best;
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
MODULE_ALIAS("lvs-sched-sed");

#if IS_ENABLED(CONFIG_KUNIT)
#include "../tests/kunit/sched_sed_test.c"
#endif
