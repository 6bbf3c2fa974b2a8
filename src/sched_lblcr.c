// SPDX-License-Identifier: GPL-2.0
/*
 * Locality-based least connection with replication, for clusters of caches
 * (W. Zhang, "Linux Virtual Server for Scalable Network Services", Ottawa
 * Linux Symposium, 2000): a destination address maps to a set of real
 * servers, and its connections go to the one of the set with the fewest
 * connections per unit of weight. When none of the set can take one, or
 * that one has more active connections than its weight while another
 * server is below half of its own, the weighted least-connection server
 * (as wlc) takes it and joins the set: a hot address is replicated. A set
 * of more than one that has not changed for LBLCR_SHRINK loses its most
 * loaded member, so replication ebbs with the load. The address table is
 * in sched_locality.h.
 */

#include "sched_locality.h"

/* Servers one address can be replicated on. */
#define LBLCR_SET_MAX	8
/* IPVS's default lblcr_expiration. */
#define LBLCR_SHRINK	(24 * 60 * 60 * HZ)

static void *lblcr_build(const struct lvs_sched_conf *conf,
			 struct lvs_dest *const *dests, unsigned int n,
			 void *old)
{
	return lvs_loc_build(dests, n, old, LBLCR_SET_MAX);
}

/*
 * The members of the set that are among @s's destinations, in their order,
 * into @m; returns how many. The others do not count: the set drops them
 * when it next changes. The set is packed, so the first empty slot ends it.
 */
static unsigned int lblcr_members(const struct lvs_loc_state *s,
				  const struct lvs_loc_entry *e,
				  struct lvs_dest **m)
{
	unsigned int i, k = 0;

	for (i = 0; i < LBLCR_SET_MAX; i++) {
		struct lvs_dest *d = READ_ONCE(e->dest[i]);

		if (!d)
			break;
		if (lvs_loc_current(s, d))
			m[k++] = d;
	}
	return k;
}

/*
 * The member of @m with the lowest (@least) or highest load per weight,
 * the first on a tie. The least loaded must be able to take a connection;
 * the most loaded needs only a weight above 0.
 */
static struct lvs_dest *lblcr_extreme(struct lvs_dest *const *m,
				      unsigned int k, bool least)
{
	struct lvs_dest *pick = NULL;
	u64 pick_cost = 0;
	u32 pick_w = 0;
	unsigned int i;

	for (i = 0; i < k; i++) {
		u64 cost = lvs_dest_overhead(m[i]);
		u32 w = least ? lvs_loc_weight(m[i]) : READ_ONCE(m[i]->weight);

		if (w && (!pick || (least ? cost * pick_w < pick_cost * w :
				    pick_cost * w < cost * pick_w))) {
			pick = m[i];
			pick_cost = cost;
			pick_w = w;
		}
	}
	return pick;
}

/*
 * Under the lock: keep the members that are among @s's destinations, but
 * @drop, packed at the front in their order. A reader racing with this may
 * see a member twice or miss one, which costs it nothing but a choice.
 */
static void lblcr_keep(const struct lvs_loc_state *s, struct lvs_loc_entry *e,
		       const struct lvs_dest *drop)
{
	unsigned int i, k = 0;

	for (i = 0; i < LBLCR_SET_MAX; i++) {
		struct lvs_dest *d = e->dest[i];

		if (d != drop && lvs_loc_current(s, d))
			WRITE_ONCE(e->dest[k++], d);
	}
	while (k < LBLCR_SET_MAX)
		WRITE_ONCE(e->dest[k++], NULL);
}

static bool lblcr_stale(const struct lvs_loc_entry *e, unsigned long now)
{
	return time_after(now, READ_ONCE(e->lastmod) + LBLCR_SHRINK);
}

/* A set of more than one unchanged for LBLCR_SHRINK loses its most loaded. */
static void lblcr_shrink(const struct lvs_loc_state *s,
			 struct lvs_loc_entry *e, unsigned long now)
{
	struct lvs_dest *m[LBLCR_SET_MAX], *d;
	unsigned int k;

	spin_lock(&s->cache->lock);
	k = lblcr_members(s, e, m);
	d = lblcr_extreme(m, k, false);
	if (d && k > 1 && lblcr_stale(e, now)) {
		lblcr_keep(s, e, d);
		WRITE_ONCE(e->lastmod, now);
	}
	spin_unlock(&s->cache->lock);
}

/* Under the lock: add @d to the set, unless it is in or the set is full. */
static void lblcr_add(const struct lvs_loc_state *s, struct lvs_loc_entry *e,
		      struct lvs_dest *d, unsigned long now)
{
	unsigned int i;

	lblcr_keep(s, e, NULL);
	for (i = 0; i < LBLCR_SET_MAX && e->dest[i]; i++)
		if (e->dest[i] == d)
			return;
	if (i < LBLCR_SET_MAX) {
		WRITE_ONCE(e->dest[i], d);
		WRITE_ONCE(e->lastmod, now);
	}
}

/* lblcr_schedule() at time @now (jiffies), which the tests choose. */
static struct lvs_dest *lblcr_pick(struct lvs_loc_state *s,
				   const struct lvs_pkt *pkt, unsigned long now)
{
	struct lvs_loc_entry *e = lvs_loc_lookup(s->cache, pkt->af,
						 &pkt->daddr, now);

	if (e) {
		struct lvs_dest *m[LBLCR_SET_MAX], *d;

		if (lblcr_stale(e, now))
			lblcr_shrink(s, e, now);
		d = lblcr_extreme(m, lblcr_members(s, e, m), true);
		if (d && !lvs_loc_busy(s, d))
			return d;
	}
	return lvs_loc_miss(s, pkt, now, lblcr_add);
}

static struct lvs_dest *lblcr_schedule(void *state, const struct lvs_pkt *pkt)
{
	return lblcr_pick(state, pkt, jiffies);
}

static struct lvs_scheduler lblcr_scheduler = {
	.name		= "lblcr",
	.owner		= THIS_MODULE,
	.build		= lblcr_build,
	.free		= lvs_loc_free,
	.schedule	= lblcr_schedule,
};

static int __init lblcr_init(void)
{
	return lvs_sched_register(&lblcr_scheduler);
}

static void __exit lblcr_exit(void)
{
	lvs_sched_unregister(&lblcr_scheduler);
}

module_init(lblcr_init);
module_exit(lblcr_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("lvs locality-based least-connection scheduler with replication");
MODULE_VERSION(LVS_VERSION);
MODULE_ALIAS("lvs-sched-lblcr");

#if IS_ENABLED(CONFIG_KUNIT)
#include "../tests/kunit/sched_lblcr_test.c"
#endif
