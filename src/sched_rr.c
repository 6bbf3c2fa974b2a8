// SPDX-License-Identifier: GPL-2.0
/*
 * Round robin: each new connection goes to the next destination in the
 * order they were added, skipping none (destinations of weight 0 are not
 * in the set). A shared counter is the only thing written per connection.
 */

#include <linux/slab.h>

#include "dest.h"
#include "sched.h"

struct rr_state {
	atomic_t next;
	unsigned int n;
	struct lvs_dest *dests[];
};

static void *rr_build(const struct lvs_sched_conf *conf,
		      struct lvs_dest *const *dests, unsigned int n,
		      void *old)
{
	struct rr_state *prev = old, *s;

	s = kzalloc(struct_size(s, dests, n), GFP_KERNEL);
	if (!s)
		return ERR_PTR(-ENOMEM);
	s->n = n;
	memcpy(s->dests, dests, n * sizeof(*dests));
	/* Carry the cursor over so a change does not restart the cycle. */
	if (prev && n)
		atomic_set(&s->next, (unsigned int)atomic_read(&prev->next) % n);
	return s;
}

static void rr_free(void *state)
{
	kfree(state);
}

static struct lvs_dest *rr_schedule(void *state, const struct lvs_pkt *pkt)
{
	struct rr_state *s = state;
	unsigned int i;

	if (!s->n)
		return NULL;
	i = (unsigned int)atomic_fetch_inc(&s->next);
	return s->dests[i % s->n];
}

static struct lvs_scheduler rr_scheduler = {
	.name		= "rr",
	.owner		= THIS_MODULE,
	.build		= rr_build,
	.free		= rr_free,
	.schedule	= rr_schedule,
};

static int __init rr_init(void)
{
	return lvs_sched_register(&rr_scheduler);
}

static void __exit rr_exit(void)
{
	lvs_sched_unregister(&rr_scheduler);
}

module_init(rr_init);
module_exit(rr_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("lvs round-robin scheduler");
MODULE_ALIAS("lvs-sched-rr");

#if IS_ENABLED(CONFIG_KUNIT)
#include "../tests/kunit/sched_rr_test.c"
#endif
