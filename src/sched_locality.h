/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the locality-based schedulers lblc and lblcr share: a cache that
 * maps the destination address of a connection (for a cluster of caches,
 * the origin server whose objects are cached) to the real servers that
 * serve it, and the state they build for each set of destinations.
 *
 * The state is rebuilt on every change of destinations or weights; the
 * cache is not. It is refcounted, each build takes it over from the state
 * it replaces, and both share it until the old one is freed.
 *
 * Lookups are lock-free (RCU). Inserts and changes take the cache's lock,
 * one per service, with bottom halves already off on the packet path.
 *
 * An entry keeps pointers to destinations, which may be freed while it
 * still names them: a destination removed from its service lives only as
 * long as its connections. So a cached pointer is compared, never
 * followed, until a binary search finds it among the current state's
 * destinations (kept sorted by address for this), which the state keeps
 * alive for as long as the packet path can see it. Should a freed
 * destination's memory come back as a new destination of the service, the
 * entry names the new one, as if the key had been moved to it.
 *
 * Nothing runs in the background. An entry not used for LVS_LOC_EXPIRE
 * counts as gone, and its memory is reused when its key comes back. The
 * entries wait in a queue, oldest first; before adding one, the cache
 * frees a few expired entries from the head and, when it is full, evicts
 * one: the first not used since it last came to the head, sending those
 * that were to the tail for a second chance (the clock algorithm: F. J.
 * Corbató, "A paging experiment with the Multics system", 1968). So the
 * work per new entry is bounded, and so is the number of entries.
 */
#ifndef _LVS_SCHED_LOCALITY_H
#define _LVS_SCHED_LOCALITY_H

#include <linux/bits.h>
#include <linux/err.h>
#include <linux/jiffies.h>
#include <linux/overflow.h>
#include <linux/random.h>
#include <linux/rculist.h>
#include <linux/refcount.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/spinlock.h>

#include "addr.h"
#include "dest.h"
#include "proto.h"
#include "sched.h"

#define LVS_LOC_HASH_BITS	10
/* As many entries as IPVS allows before it collects idle ones. */
#define LVS_LOC_MAX		(16 << LVS_LOC_HASH_BITS)
/* IPVS's default lblc_expiration and lblcr_expiration. */
#define LVS_LOC_EXPIRE		(24 * 60 * 60 * HZ)
/* Queue heads that adding an entry looks at, at most. */
#define LVS_LOC_RECLAIM		8

struct lvs_loc_entry {
	struct hlist_node node;		/* in cache->hash, RCU */
	struct list_head queue;		/* in cache->queue, under its lock */
	struct rcu_head rcu;
	union nf_inet_addr addr;
	u8 af;
	bool used;			/* since it last came to the head */
	unsigned long lastuse;
	unsigned long lastmod;		/* lblcr: when dest[] last changed */
	/* cache->slots of them; packed at the front, NULL after */
	struct lvs_dest *dest[];
};

struct lvs_loc_cache {
	refcount_t ref;			/* one per state that uses it */
	spinlock_t lock;		/* entries' changes, queue, count */
	unsigned int slots;		/* dest[] of each entry */
	unsigned int count;
	unsigned int max;		/* entries; at least 1 */
	u32 seed;
	struct list_head queue;
	struct hlist_head *hash;
};

struct lvs_loc_state {
	struct lvs_loc_cache *cache;
	unsigned int n;
	/* The n destinations in the order added, then sorted by address. */
	struct lvs_dest *dest[];
};

static inline struct lvs_loc_cache *lvs_loc_cache_new(unsigned int slots)
{
	struct lvs_loc_cache *c = kmalloc(sizeof(*c), GFP_KERNEL_ACCOUNT);

	if (!c)
		return NULL;
	c->hash = kcalloc(BIT(LVS_LOC_HASH_BITS), sizeof(*c->hash),
			  GFP_KERNEL_ACCOUNT);
	if (!c->hash) {
		kfree(c);
		return NULL;
	}
	refcount_set(&c->ref, 1);
	spin_lock_init(&c->lock);
	c->slots = slots;
	c->count = 0;
	c->max = LVS_LOC_MAX;
	c->seed = get_random_u32();
	INIT_LIST_HEAD(&c->queue);
	return c;
}

static inline void lvs_loc_cache_put(struct lvs_loc_cache *c)
{
	struct lvs_loc_entry *e, *next;

	if (!refcount_dec_and_test(&c->ref))
		return;
	/* The last state that could reach the cache is past its grace period. */
	list_for_each_entry_safe(e, next, &c->queue, queue)
		kfree(e);
	kfree(c->hash);
	kfree(c);
}

static inline int lvs_loc_cmp(const void *a, const void *b)
{
	unsigned long x = (unsigned long)*(struct lvs_dest *const *)a;
	unsigned long y = (unsigned long)*(struct lvs_dest *const *)b;

	return (x > y) - (x < y);
}

/* build() of a scheduler whose entries hold @slots destinations. */
static inline void *lvs_loc_build(struct lvs_dest *const *dests,
				  unsigned int n, void *old,
				  unsigned int slots)
{
	struct lvs_loc_state *prev = old, *s;

	s = kvmalloc(struct_size(s, dest, 2 * (size_t)n), GFP_KERNEL_ACCOUNT);
	if (!s)
		return ERR_PTR(-ENOMEM);
	if (prev) {
		s->cache = prev->cache;
		refcount_inc(&s->cache->ref);
	} else {
		s->cache = lvs_loc_cache_new(slots);
		if (!s->cache) {
			kvfree(s);
			return ERR_PTR(-ENOMEM);
		}
	}
	s->n = n;
	memcpy(s->dest, dests, n * sizeof(*dests));
	memcpy(s->dest + n, dests, n * sizeof(*dests));
	sort(s->dest + n, n, sizeof(*dests), lvs_loc_cmp, NULL);
	return s;
}

/* free(); may run in an RCU callback. */
static inline void lvs_loc_free(void *state)
{
	struct lvs_loc_state *s = state;

	lvs_loc_cache_put(s->cache);
	kvfree(s);
}

/* Is @d (any pointer, NULL too) one of @s's destinations? */
static inline bool lvs_loc_current(const struct lvs_loc_state *s,
				   const struct lvs_dest *d)
{
	struct lvs_dest *const *sorted = s->dest + s->n;
	unsigned int lo = 0, hi = s->n;

	if (!d)
		return false;
	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;
		unsigned long m = (unsigned long)sorted[mid];

		if (m == (unsigned long)d)
			return true;
		if (m < (unsigned long)d)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

/*
 * @d's weight if it may take a new connection (lvs_dest_available()), else
 * 0; the weight is read once, so it cannot turn 0 after the check.
 */
static inline u32 lvs_loc_weight(const struct lvs_dest *d)
{
	u32 w = READ_ONCE(d->weight);

	return READ_ONCE(d->overloaded) ? 0 : w;
}

/*
 * Weighted least connection, as wlc: the lowest lvs_dest_overhead() per
 * unit of weight among those that may take a connection, the first added
 * on a tie.
 */
static inline struct lvs_dest *lvs_loc_wlc(const struct lvs_loc_state *s)
{
	struct lvs_dest *best = NULL;
	u64 best_cost = 0;
	u32 best_w = 0;
	unsigned int i;

	for (i = 0; i < s->n; i++) {
		struct lvs_dest *d = s->dest[i];
		u64 cost = lvs_dest_overhead(d);
		u32 w = lvs_loc_weight(d);

		if (w && (!best || cost * best_w < best_cost * w)) {
			best = d;
			best_cost = cost;
			best_w = w;
		}
	}
	return best;
}

/*
 * Should a key leave @d, which may take connections? Only if @d has more
 * active connections than its weight while another destination is below
 * half of its own: locality is worth some imbalance, not an overload.
 */
static inline bool lvs_loc_busy(const struct lvs_loc_state *s,
				const struct lvs_dest *d)
{
	unsigned int i;

	if ((u32)atomic_read(&d->activeconns) <= READ_ONCE(d->weight))
		return false;
	for (i = 0; i < s->n; i++) {
		const struct lvs_dest *m = s->dest[i];

		if (2 * (u64)(u32)atomic_read(&m->activeconns) <
		    lvs_loc_weight(m))
			return true;
	}
	return false;
}

static inline struct hlist_head *lvs_loc_bucket(const struct lvs_loc_cache *c,
						u8 af,
						const union nf_inet_addr *addr)
{
	u32 h = lvs_sched_hash(af, addr, 0, c->seed);

	return &c->hash[h & (BIT(LVS_LOC_HASH_BITS) - 1)];
}

/* The entry of a key, expired or not; under RCU or the cache's lock. */
static inline struct lvs_loc_entry *
lvs_loc_find(struct lvs_loc_cache *c, u8 af, const union nf_inet_addr *addr)
{
	struct lvs_loc_entry *e;

	hlist_for_each_entry_rcu(e, lvs_loc_bucket(c, af, addr), node,
				 lockdep_is_held(&c->lock))
		if (e->af == af && lvs_addr_equal(af, &e->addr, addr))
			return e;
	return NULL;
}

static inline bool lvs_loc_expired(const struct lvs_loc_entry *e,
				   unsigned long now)
{
	return time_after(now, READ_ONCE(e->lastuse) + LVS_LOC_EXPIRE);
}

/*
 * The packet path's lookup: the key's entry if it has not expired, marked
 * used at @now. The marks are written without the lock: a lost one costs
 * at most a tick of age or a second chance.
 */
static inline struct lvs_loc_entry *
lvs_loc_lookup(struct lvs_loc_cache *c, u8 af, const union nf_inet_addr *addr,
	       unsigned long now)
{
	struct lvs_loc_entry *e = lvs_loc_find(c, af, addr);

	if (!e || lvs_loc_expired(e, now))
		return NULL;
	/* Spare the cache line when nothing changes. */
	if (READ_ONCE(e->lastuse) != now)
		WRITE_ONCE(e->lastuse, now);
	if (!READ_ONCE(e->used))
		WRITE_ONCE(e->used, true);
	return e;
}

static inline void lvs_loc_del(struct lvs_loc_cache *c,
			       struct lvs_loc_entry *e)
{
	hlist_del_rcu(&e->node);
	list_del(&e->queue);
	c->count--;
	kfree_rcu(e, rcu);
}

/* Under the lock: make room for one more entry; see the top of the file. */
static inline void lvs_loc_reclaim(struct lvs_loc_cache *c, unsigned long now)
{
	struct lvs_loc_entry *e;
	unsigned int i;

	for (i = 0; i < LVS_LOC_RECLAIM && c->count; i++) {
		e = list_first_entry(&c->queue, struct lvs_loc_entry, queue);
		if (lvs_loc_expired(e, now)) {
			lvs_loc_del(c, e);
			continue;
		}
		if (c->count < c->max || !READ_ONCE(e->used))
			break;
		WRITE_ONCE(e->used, false);
		list_move_tail(&e->queue, &c->queue);
	}
	if (c->count && c->count >= c->max)
		lvs_loc_del(c, list_first_entry(&c->queue,
						struct lvs_loc_entry, queue));
}

static inline void lvs_loc_reset(struct lvs_loc_cache *c,
				 struct lvs_loc_entry *e, unsigned long now)
{
	unsigned int i;

	WRITE_ONCE(e->lastuse, now);
	WRITE_ONCE(e->lastmod, now);
	WRITE_ONCE(e->used, false);
	for (i = 0; i < c->slots; i++)
		WRITE_ONCE(e->dest[i], NULL);
}

/*
 * Under the lock: the key's entry if it has not expired, else a new one,
 * last in the queue, unused and with no destination (an expired entry of
 * the key is recycled as one); NULL if out of memory.
 */
static inline struct lvs_loc_entry *
lvs_loc_get(struct lvs_loc_cache *c, u8 af, const union nf_inet_addr *addr,
	    unsigned long now)
{
	struct lvs_loc_entry *e = lvs_loc_find(c, af, addr);

	if (e) {
		if (!lvs_loc_expired(e, now))
			return e;
		list_move_tail(&e->queue, &c->queue);
		lvs_loc_reset(c, e, now);
		return e;
	}
	lvs_loc_reclaim(c, now);
	e = kmalloc(struct_size(e, dest, c->slots), GFP_ATOMIC | __GFP_NOWARN);
	if (!e)
		return NULL;
	e->addr = *addr;
	e->af = af;
	lvs_loc_reset(c, e, now);
	hlist_add_head_rcu(&e->node, lvs_loc_bucket(c, af, addr));
	list_add_tail(&e->queue, &c->queue);
	c->count++;
	return e;
}

/*
 * A pick that found no server in the key's entry: the wlc choice, which
 * @record then writes into the entry (made if need be) under the lock;
 * NULL if no destination may take the connection.
 */
static inline struct lvs_dest *
lvs_loc_miss(struct lvs_loc_state *s, const struct lvs_pkt *pkt,
	     unsigned long now,
	     void (*record)(const struct lvs_loc_state *s,
			    struct lvs_loc_entry *e, struct lvs_dest *d,
			    unsigned long now))
{
	struct lvs_loc_cache *c = s->cache;
	struct lvs_dest *d = lvs_loc_wlc(s);
	struct lvs_loc_entry *e;

	if (!d)
		return NULL;
	spin_lock(&c->lock);
	e = lvs_loc_get(c, pkt->af, &pkt->daddr, now);
	if (e)
		record(s, e, d, now);
	spin_unlock(&c->lock);
	return d;
}

#endif /* _LVS_SCHED_LOCALITY_H */
