// SPDX-License-Identifier: GPL-2.0
/*
 * Destination hashing, for cache clusters: a new connection goes to the
 * destination that the hash of the address the client asked for maps to,
 * through a table of buckets shared out in proportion to the weights (see
 * sched_buckets.h), so each address is served by one cache while the set
 * does not change. A flow whose destination cannot take it is refused:
 * another cache would miss. There are no options.
 */

#include "proto.h"
#include "sched_buckets.h"

static void *dh_build(const struct lvs_sched_conf *conf,
		      struct lvs_dest *const *dests, unsigned int n,
		      void *old)
{
	return lvs_buckets_build(dests, n);
}

static struct lvs_dest *dh_schedule(void *state, const struct lvs_pkt *pkt)
{
	return lvs_buckets_pick(state, pkt->af, &pkt->daddr, 0);
}

static struct lvs_scheduler dh_scheduler = {
	.name		= "dh",
	.owner		= THIS_MODULE,
	.build		= dh_build,
	.free		= lvs_buckets_free,
	.schedule	= dh_schedule,
};

static int __init dh_init(void)
{
	return lvs_sched_register(&dh_scheduler);
}

static void __exit dh_exit(void)
{
	lvs_sched_unregister(&dh_scheduler);
}

module_init(dh_init);
module_exit(dh_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("lvs destination hashing scheduler");
MODULE_VERSION(LVS_VERSION);
MODULE_ALIAS("lvs-sched-dh");

#if IS_ENABLED(CONFIG_KUNIT)
#include "../tests/kunit/sched_dh_test.c"
#endif
