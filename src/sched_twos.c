// SPDX-License-Identifier: GPL-2.0
/*
 * Weighted random twos choice ("the power of two choices", Mitzenmacher,
 * IEEE TPDS 12(10), 2001): draw two destinations at random, each with
 * probability proportional to its weight, and give the new connection to
 * the one with the lower cost per unit of weight, lvs_dest_overhead() /
 * weight (the first drawn on a tie). Two draws avoid both the herd that a
 * strict least-connection choice sends to one server after a restart and
 * the blind spots of one random draw, without a scan of every counter.
 */

#include <linux/random.h>

#include "dest.h"
#include "sched.h"

/* The destination a uniform draw below the total weight lands on. */
static struct lvs_dest *draw(struct lvs_sched_dests *s, u32 total)
{
	u32 r = get_random_u32_below(total);
	unsigned int i;

	for (i = 0; i < s->n - 1; i++) {
		u32 w = READ_ONCE(s->dest[i]->weight);

		if (r < w)
			return s->dest[i];
		r -= w;
	}
	return s->dest[s->n - 1];
}

static struct lvs_dest *twos_schedule(void *state, const struct lvs_pkt *pkt)
{
	struct lvs_sched_dests *s = state;
	struct lvs_dest *a, *b;
	u64 total = 0;
	unsigned int i;
	u32 wa, wb;

	for (i = 0; i < s->n; i++)
		total += READ_ONCE(s->dest[i]->weight);
	if (!total || total > U32_MAX)
		return s->n ? s->dest[0] : NULL;

	a = draw(s, total);
	b = draw(s, total);
	wa = READ_ONCE(a->weight);
	wb = READ_ONCE(b->weight);
	return lvs_dest_overhead(b) * wa < lvs_dest_overhead(a) * wb ? b : a;
}

static struct lvs_scheduler twos_scheduler = {
	.name		= "twos",
	.owner		= THIS_MODULE,
	.build		= lvs_sched_dests_build,
	.free		= lvs_sched_dests_free,
	.schedule	= twos_schedule,
};

static int __init twos_init(void)
{
	return lvs_sched_register(&twos_scheduler);
}

static void __exit twos_exit(void)
{
	lvs_sched_unregister(&twos_scheduler);
}

module_init(twos_init);
module_exit(twos_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("lvs weighted random twos-choice scheduler");
MODULE_ALIAS("lvs-sched-twos");

#if IS_ENABLED(CONFIG_KUNIT)
#include "../tests/kunit/sched_twos_test.c"
#endif
