// SPDX-License-Identifier: GPL-2.0
/*
 * Overflow connection: the weight of a destination is its capacity in
 * active connections. A new connection goes to the available destination
 * with the highest weight that is still below its capacity (the first
 * added, among equals), so traffic overflows to the next one only when the
 * preferred one is full. When all are full, none is chosen: the client is
 * refused rather than queued.
 */

#include "dest.h"
#include "sched.h"

static struct lvs_dest *ovf_schedule(void *state, const struct lvs_pkt *pkt)
{
	struct lvs_sched_dests *s = state;
	struct lvs_dest *best = NULL;
	u32 best_w = 0;
	unsigned int i;

	for (i = 0; i < s->n; i++) {
		struct lvs_dest *d = s->dest[i];
		u32 w = READ_ONCE(d->weight);

		if (w > best_w && (u32)atomic_read(&d->activeconns) < w &&
		    lvs_dest_available(d)) {
			best = d;
			best_w = w;
		}
	}
	return best;
}

static struct lvs_scheduler ovf_scheduler = {
	.name		= "ovf",
	.owner		= THIS_MODULE,
	.build		= lvs_sched_dests_build,
	.free		= lvs_sched_dests_free,
	.schedule	= ovf_schedule,
};

static int __init ovf_init(void)
{
	return lvs_sched_register(&ovf_scheduler);
}

static void __exit ovf_exit(void)
{
	lvs_sched_unregister(&ovf_scheduler);
}

module_init(ovf_init);
module_exit(ovf_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("lvs overflow-connection scheduler");
MODULE_VERSION(LVS_VERSION);
MODULE_ALIAS("lvs-sched-ovf");

#if IS_ENABLED(CONFIG_KUNIT)
#include "../tests/kunit/sched_ovf_test.c"
#endif
