// SPDX-License-Identifier: GPL-2.0
/*
 * Weighted random twos choice ("the power of two choices", Mitzenmacher,
 * IEEE TPDS 12(10), 2001): draw two available destinations at random, each
 * with probability proportional to its weight, and give the new connection
 * to the one with the lower cost per unit of weight, lvs_dest_overhead() /
 * weight (the first drawn on a tie). Two draws avoid both the herd that a
 * strict least-connection choice sends to one server after a restart and
 * the blind spots of one random draw, without a scan of every counter.
 */

#include <linux/math64.h>
#include <linux/random.h>

#include "dest.h"
#include "sched.h"

static u64 twos_total(const struct lvs_sched_dests *s)
{
	u64 total = 0;
	unsigned int i;

	for (i = 0; i < s->n; i++)
		if (lvs_dest_available(s->dest[i]))
			total += READ_ONCE(s->dest[i]->weight);
	return total;
}

/*
 * The available destination that @r, a draw below the total weight, lands
 * on when each takes a span as wide as its weight; NULL if the weights
 * changed since the total was taken and @r is past them all.
 */
static struct lvs_dest *twos_draw(const struct lvs_sched_dests *s, u64 r)
{
	unsigned int i;

	for (i = 0; i < s->n; i++) {
		struct lvs_dest *d = s->dest[i];
		u32 w;

		if (!lvs_dest_available(d))
			continue;
		w = READ_ONCE(d->weight);
		if (r < w)
			return d;
		r -= w;
	}
	return NULL;
}

/* The choice between the destinations that draws @r1 and @r2 land on. */
static struct lvs_dest *twos_pick(const struct lvs_sched_dests *s,
				  u64 r1, u64 r2)
{
	struct lvs_dest *two[] = { twos_draw(s, r1), twos_draw(s, r2) };

	if (!two[0] || !two[1])
		return two[0] ?: two[1];
	return lvs_sched_min_cost(two, 2, lvs_dest_overhead, true);
}

/* A uniform draw below @total (biased by less than total / 2^64). */
static u64 twos_random_below(u64 total)
{
	return mul_u64_u64_shr(get_random_u64(), total, 64);
}

static struct lvs_dest *twos_schedule(void *state, const struct lvs_pkt *pkt)
{
	struct lvs_sched_dests *s = state;
	u64 total = twos_total(s);

	if (!total)
		return NULL;
	return twos_pick(s, twos_random_below(total),
			 twos_random_below(total));
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
MODULE_VERSION(LVS_VERSION);
MODULE_ALIAS("lvs-sched-twos");

#if IS_ENABLED(CONFIG_KUNIT)
#include "../tests/kunit/sched_twos_test.c"
#endif
