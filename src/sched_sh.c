// SPDX-License-Identifier: GPL-2.0
/*
 * Source hashing: a new connection goes to the destination that the hash
 * of the client's address (and source port, with the hash_port option)
 * maps to, through a table of buckets shared out in proportion to the
 * weights (see sched_buckets.h), so a client keeps its destination while
 * the set does not change. With the fallback option, a flow whose
 * destination cannot take it goes to another; without, it is refused.
 */

#include "proto.h"
#include "sched_buckets.h"

static void *sh_build(const struct lvs_sched_conf *conf,
		      struct lvs_dest *const *dests, unsigned int n,
		      void *old)
{
	struct lvs_buckets *s = lvs_buckets_build(dests, n);

	if (!IS_ERR(s) && conf) {
		s->fallback = conf->fallback;
		s->hash_port = conf->hash_port;
	}
	return s;
}

static struct lvs_dest *sh_schedule(void *state, const struct lvs_pkt *pkt)
{
	const struct lvs_buckets *s = state;

	return lvs_buckets_pick(s, pkt->af, &pkt->saddr,
				s->hash_port ? pkt->sport : 0);
}

static struct lvs_scheduler sh_scheduler = {
	.name		= "sh",
	.owner		= THIS_MODULE,
	.build		= sh_build,
	.free		= lvs_buckets_free,
	.schedule	= sh_schedule,
};

static int __init sh_init(void)
{
	return lvs_sched_register(&sh_scheduler);
}

static void __exit sh_exit(void)
{
	lvs_sched_unregister(&sh_scheduler);
}

module_init(sh_init);
module_exit(sh_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("lvs source hashing scheduler");
MODULE_VERSION(LVS_VERSION);
MODULE_ALIAS("lvs-sched-sh");

#if IS_ENABLED(CONFIG_KUNIT)
#include "../tests/kunit/sched_sh_test.c"
#endif
