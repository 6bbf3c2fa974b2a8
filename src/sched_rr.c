// SPDX-License-Identifier: GPL-2.0
/*
 * Round robin: each new connection goes to the next available destination
 * in the order they were added. The cursor, the index of the next one to
 * try, is the only thing written per connection; a compare-and-exchange
 * moves it past the pick, so concurrent picks take turns as sequential
 * ones would. A rebuilt set keeps the cursor, modulo its new size.
 */

#include <linux/slab.h>

#include "dest.h"
#include "sched.h"

struct rr_state {
	atomic_t next;		/* below n, or 0 */
	unsigned int n;
	struct lvs_dest *dests[];
};

static void *rr_build(const struct lvs_sched_conf *conf,
		      struct lvs_dest *const *dests, unsigned int n,
		      void *old)
{
	struct rr_state *prev = old, *s;

	s = kvzalloc(struct_size(s, dests, n), GFP_KERNEL_ACCOUNT);
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
	kvfree(state);
}

static unsigned int rr_after(const struct rr_state *s, unsigned int i)
{
	return i + 1 < s->n ? i + 1 : 0;
}

static struct lvs_dest *rr_schedule(void *state, const struct lvs_pkt *pkt)
{
	struct rr_state *s = state;
	int next = atomic_read(&s->next);
	unsigned int i, k;

	do {
		for (i = next, k = 0; k < s->n; i = rr_after(s, i), k++)
			if (lvs_dest_available(s->dests[i]))
				break;
		if (k == s->n)
			return NULL;
	} while (!atomic_try_cmpxchg_relaxed(&s->next, &next, rr_after(s, i)));
	return s->dests[i];
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
MODULE_VERSION(LVS_VERSION);
MODULE_ALIAS("lvs-sched-rr");

#if IS_ENABLED(CONFIG_KUNIT)
#include "../tests/kunit/sched_rr_test.c"
#endif
