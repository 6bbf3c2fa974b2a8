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

#include "proto.h"
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
 * Members of the set that are not among @s's destinations do not count;
 * the set drops them when it next changes.
 */
static unsigned int lblcr_members(const struct lvs_loc_state *s,
				  const struct lvs_loc_entry *e)
{
	unsigned int i, k = 0;

	for (i = 0; i < LBLCR_SET_MAX; i++)
		k += lvs_loc_current(s, READ_ONCE(e->dest[i]));
	return k;
}

/* The least loaded member per weight that may take a connection. */
static struct lvs_dest *lblcr_min(const struct lvs_loc_state *s,
				  const struct lvs_loc_entry *e)
{
	struct lvs_dest *best = NULL;
	u64 best_cost = 0;
	u32 best_w = 0;
	unsigned int i;

	for (i = 0; i < LBLCR_SET_MAX; i++) {
		struct lvs_dest *d = READ_ONCE(e->dest[i]);
		u64 cost;
		u32 w;

		if (!lvs_loc_current(s, d))
			continue;
		cost = lvs_dest_overhead(d);
		w = lvs_loc_weight(d);
		if (w && (!best || cost * best_w < best_cost * w)) {
			best = d;
			best_cost = cost;
			best_w = w;
		}
	}
	return best;
}

/* Under the lock: the most loaded member per weight, overloaded or not. */
static struct lvs_dest *lblcr_max(const struct lvs_loc_state *s,
				  const struct lvs_loc_entry *e)
{
	struct lvs_dest *worst = NULL;
	u64 worst_cost = 0;
	u32 worst_w = 0;
	unsigned int i;

	for (i = 0; i < LBLCR_SET_MAX; i++) {
		struct lvs_dest *d = e->dest[i];
		u64 cost;
		u32 w;

		if (!lvs_loc_current(s, d))
			continue;
		cost = lvs_dest_overhead(d);
		w = READ_ONCE(d->weight);
		if (w && (!worst || worst_cost * w < cost * worst_w)) {
			worst = d;
			worst_cost = cost;
			worst_w = w;
		}
	}
	return worst;
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

static bool lblcr_shrinks(const struct lvs_loc_state *s,
			  const struct lvs_loc_entry *e, unsigned long now)
{
	return lblcr_members(s, e) > 1 &&
	       time_after(now, READ_ONCE(e->lastmod) + LBLCR_SHRINK);
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
	struct lvs_loc_cache *c = s->cache;
	struct lvs_loc_entry *e;
	struct lvs_dest *d;

	e = lvs_loc_lookup(c, pkt->af, &pkt->daddr, now);
	if (e) {
		if (lblcr_shrinks(s, e, now)) {
			spin_lock(&c->lock);
			d = lblcr_max(s, e);
			if (d && lblcr_shrinks(s, e, now)) {
				lblcr_keep(s, e, d);
				WRITE_ONCE(e->lastmod, now);
			}
			spin_unlock(&c->lock);
		}
		d = lblcr_min(s, e);
		if (d && !lvs_loc_busy(s, d))
			return d;
	}
	d = lvs_loc_wlc(s);
	if (!d)
		return NULL;
	spin_lock(&c->lock);
	e = lvs_loc_get(c, pkt->af, &pkt->daddr, now);
	if (e)
		lblcr_add(s, e, d, now);
	spin_unlock(&c->lock);
	return d;
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
MODULE_ALIAS("lvs-sched-lblcr");

#if IS_ENABLED(CONFIG_KUNIT)
#include "../tests/kunit/sched_lblcr_test.c"
#endif
