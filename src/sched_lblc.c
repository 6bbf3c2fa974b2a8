// SPDX-License-Identifier: GPL-2.0
/*
 * Locality-based least connection, for clusters of caches (W. Zhang,
 * "Linux Virtual Server for Scalable Network Services", Ottawa Linux
 * Symposium, 2000): connections to one destination address go to the real
 * server that address was given to, so that its objects are cached once.
 * An address without a server, or whose server cannot take the connection
 * or has more active connections than its weight while another is below
 * half of its own, goes to the weighted least-connection server (as wlc),
 * which it then sticks to. The address table is in sched_locality.h.
 */

#include "sched_locality.h"

static void *lblc_build(const struct lvs_sched_conf *conf,
			struct lvs_dest *const *dests, unsigned int n,
			void *old)
{
	return lvs_loc_build(dests, n, old, 1);
}

static void lblc_record(const struct lvs_loc_state *s, struct lvs_loc_entry *e,
			struct lvs_dest *d, unsigned long now)
{
	WRITE_ONCE(e->dest[0], d);
}

/* lblc_schedule() at time @now (jiffies), which the tests choose. */
static struct lvs_dest *lblc_pick(struct lvs_loc_state *s,
				  const struct lvs_pkt *pkt, unsigned long now)
{
	struct lvs_loc_entry *e = lvs_loc_lookup(s->cache, pkt->af,
						 &pkt->daddr, now);

	if (e) {
		struct lvs_dest *d = READ_ONCE(e->dest[0]);

		if (lvs_loc_current(s, d) && lvs_loc_weight(d) &&
		    !lvs_loc_busy(s, d))
			return d;
	}
	return lvs_loc_miss(s, pkt, now, lblc_record);
}

static struct lvs_dest *lblc_schedule(void *state, const struct lvs_pkt *pkt)
{
	return lblc_pick(state, pkt, jiffies);
}

static struct lvs_scheduler lblc_scheduler = {
	.name		= "lblc",
	.owner		= THIS_MODULE,
	.build		= lblc_build,
	.free		= lvs_loc_free,
	.schedule	= lblc_schedule,
};

static int __init lblc_init(void)
{
	return lvs_sched_register(&lblc_scheduler);
}

static void __exit lblc_exit(void)
{
	lvs_sched_unregister(&lblc_scheduler);
}

module_init(lblc_init);
module_exit(lblc_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("lvs locality-based least-connection scheduler");
MODULE_VERSION(LVS_VERSION);
MODULE_ALIAS("lvs-sched-lblc");

#if IS_ENABLED(CONFIG_KUNIT)
#include "../tests/kunit/sched_lblc_test.c"
#endif
