// SPDX-License-Identifier: GPL-2.0
/*
 * Weighted least connection: a new connection goes to the destination with
 * the lowest cost per unit of weight, lvs_dest_overhead() / weight; the one
 * added first wins a tie. The division is done as a cross-multiplication:
 * cost_a / w_a < cost_b / w_b  <=>  cost_a * w_b < cost_b * w_a, which
 * fits in 64 bits (cost < 2^41, weight < 2^16).
 */

#include "dest.h"
#include "sched.h"

static struct lvs_dest *wlc_schedule(void *state, const struct lvs_pkt *pkt)
{
	struct lvs_sched_dests *s = state;
	struct lvs_dest *best = NULL;
	u64 best_cost = 0;
	u32 best_w = 0;
	unsigned int i;

	for (i = 0; i < s->n; i++) {
		struct lvs_dest *d = s->dest[i];
		u64 cost = lvs_dest_overhead(d);
		u32 w = READ_ONCE(d->weight);

		if (!w)
			continue;
		if (!best || cost * best_w < best_cost * w) {
			best = d;
			best_cost = cost;
			best_w = w;
		}
	}
	return best;
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
MODULE_ALIAS("lvs-sched-wlc");

#if IS_ENABLED(CONFIG_KUNIT)
#include "../tests/kunit/sched_wlc_test.c"
#endif
