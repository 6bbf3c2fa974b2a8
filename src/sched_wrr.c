// SPDX-License-Identifier: GPL-2.0
/*
 * Weighted round robin, interleaved: the scheduler walks the destinations
 * in rounds, lowering a threshold from the largest weight by the greatest
 * common divisor of all weights each time the walk wraps, and picks every
 * destination whose weight reaches the threshold. Weights 3, 2, 1 give the
 * cycle A A B A B C: each destination's share is its weight, and heavy ones
 * are spread through the cycle rather than bunched at its start.
 *
 * The walk passes over destinations that are not available, and skips
 * whole rounds in which none that is reaches the threshold: a pick walks
 * at most the rest of one round and one more. When none is available, the
 * cursor stays where it was.
 *
 * The cursor (position and threshold) changes on every pick, so it sits
 * under a per-service lock, taken once per new connection. A rebuilt set
 * keeps it if the position is still in the set, with the threshold capped
 * at the new largest weight.
 */

#include <linux/gcd.h>
#include <linux/math.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#include "dest.h"
#include "sched.h"

struct wrr_state {
	spinlock_t lock;	/* protects pos and cw */
	int pos;		/* last picked index, -1 before the first */
	u32 cw;			/* current threshold, 0 before the first */
	u32 max_weight;
	u32 step;		/* gcd of all weights */
	unsigned int n;
	struct {
		struct lvs_dest *dest;
		u32 weight;
	} d[];
};

static void *wrr_build(const struct lvs_sched_conf *conf,
		       struct lvs_dest *const *dests, unsigned int n,
		       void *old)
{
	struct wrr_state *prev = old, *s;
	unsigned int i;

	s = kvzalloc(struct_size(s, d, n), GFP_KERNEL_ACCOUNT);
	if (!s)
		return ERR_PTR(-ENOMEM);
	spin_lock_init(&s->lock);
	s->n = n;
	s->pos = -1;
	for (i = 0; i < n; i++) {
		u32 w = READ_ONCE(dests[i]->weight);

		s->d[i].dest = dests[i];
		s->d[i].weight = w;
		s->max_weight = max(s->max_weight, w);
		s->step = s->step ? gcd(s->step, w) : w;
	}
	if (prev && n) {
		spin_lock_bh(&prev->lock);
		if (prev->pos < (int)n) {
			s->pos = prev->pos;
			s->cw = min(prev->cw, s->max_weight);
		}
		spin_unlock_bh(&prev->lock);
	}
	return s;
}

static void wrr_free(void *state)
{
	kvfree(state);
}

/*
 * The threshold of the round after one at @cw: step lower, or the largest
 * weight after the lowest; then lower still, by whole steps, until an
 * available destination reaches it. 0 if none is available.
 */
static u32 wrr_next_cw(const struct wrr_state *s, u32 cw)
{
	u32 top = 0;
	unsigned int i;

	for (i = 0; i < s->n; i++)
		if (s->d[i].weight > top && lvs_dest_available(s->d[i].dest))
			top = s->d[i].weight;
	if (!top)
		return 0;
	cw = cw > s->step ? cw - s->step : s->max_weight;
	if (cw > top)
		cw -= roundup(cw - top, s->step);
	return cw;
}

static struct lvs_dest *wrr_schedule(void *state, const struct lvs_pkt *pkt)
{
	struct wrr_state *s = state;
	struct lvs_dest *dest = NULL;
	unsigned int tries;
	u32 cw;
	int pos;

	spin_lock_bh(&s->lock);
	pos = s->pos;
	cw = s->cw;
	for (tries = 0; tries < 2 * s->n; tries++) {
		pos = pos + 1 < (int)s->n ? pos + 1 : 0;
		if (!pos) {
			cw = wrr_next_cw(s, cw);
			if (!cw)
				break;
		}
		if (s->d[pos].weight >= cw &&
		    lvs_dest_available(s->d[pos].dest)) {
			s->pos = pos;
			s->cw = cw;
			dest = s->d[pos].dest;
			break;
		}
	}
	spin_unlock_bh(&s->lock);
	return dest;
}

static struct lvs_scheduler wrr_scheduler = {
	.name		= "wrr",
	.owner		= THIS_MODULE,
	.build		= wrr_build,
	.free		= wrr_free,
	.schedule	= wrr_schedule,
};

static int __init wrr_init(void)
{
	return lvs_sched_register(&wrr_scheduler);
}

static void __exit wrr_exit(void)
{
	lvs_sched_unregister(&wrr_scheduler);
}

module_init(wrr_init);
module_exit(wrr_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("lvs weighted round-robin scheduler");
MODULE_VERSION(LVS_VERSION);
MODULE_ALIAS("lvs-sched-wrr");

#if IS_ENABLED(CONFIG_KUNIT)
#include "../tests/kunit/sched_wrr_test.c"
#endif
