/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the lblc and lblcr suites share: keys as packets, picks at a chosen
 * time, a look into the cache, and the naive reference of the differential
 * test, whose cache is a plain array kept oldest first and searched
 * linearly. The suite defines, before including this, LOC_T_BUILD and
 * LOC_T_PICK (its scheduler's build() and its pick at a given time) and
 * LOC_T_SLOTS (the destinations an entry holds); the reference's entries
 * follow the scheduler's own rules, struct loc_ref_rules.
 */
#ifndef _LVS_SCHED_LOCALITY_TEST_H
#define _LVS_SCHED_LOCALITY_TEST_H

#include <linux/bottom_half.h>
#include <linux/prandom.h>

#include "sched_test.h"

static const struct lvs_sched_conf loc_t_conf = { };

/* A point in time that the tests start from, close to the wrap. */
#define LOC_T_T0	(-(unsigned long)LVS_LOC_EXPIRE)

/*
 * Key @key as a destination address. Keys 3g, 3g + 1 and 3g + 2 start
 * with the same word: an IPv4 address, an IPv6 one, and an IPv6 one that
 * differs from it only in its last word.
 */
static void loc_t_addr(u32 key, struct lvs_pkt *p)
{
	memset(p, 0, sizeof(*p));
	p->af = key % 3 ? AF_INET6 : AF_INET;
	p->daddr.ip6[0] = htonl(0xc0000200 + key / 3);
	if (key % 3 == 2)
		p->daddr.ip6[3] = htonl(1);
}

/* The index in @d of the pick for @key at @now, as on the packet path. */
static int loc_t_at(struct lvs_dest **d, unsigned int n, void *s, u32 key,
		    unsigned long now)
{
	struct lvs_dest *got;
	struct lvs_pkt p;

	loc_t_addr(key, &p);
	local_bh_disable();
	rcu_read_lock();
	got = LOC_T_PICK(s, &p, now);
	rcu_read_unlock();
	local_bh_enable();
	return sched_test_index(d, n, got);
}

static void *loc_t_build(struct kunit *test, struct lvs_dest **d,
			 unsigned int n, void *old)
{
	void *s = LOC_T_BUILD(&loc_t_conf, d, n, old);

	KUNIT_ASSERT_FALSE(test, IS_ERR(s));
	return s;
}

static struct lvs_loc_cache *loc_t_cache(void *s)
{
	return ((struct lvs_loc_state *)s)->cache;
}

/* The entry of @key, expired or not; under RCU. */
static struct lvs_loc_entry *loc_t_find(void *s, u32 key)
{
	struct lvs_pkt p;

	loc_t_addr(key, &p);
	return lvs_loc_find(loc_t_cache(s), p.af, &p.daddr);
}

/* Entries reachable through the hash table. */
static unsigned int loc_t_entries(void *s)
{
	struct lvs_loc_cache *c = loc_t_cache(s);
	struct lvs_loc_entry *e;
	unsigned int i, n = 0;

	rcu_read_lock();
	for (i = 0; i < BIT(LVS_LOC_HASH_BITS); i++)
		hlist_for_each_entry_rcu(e, &c->hash[i], node)
			n++;
	rcu_read_unlock();
	return n;
}

/* New keys spread as wlc would, then each keeps its server. */
static void loc_t_spread(struct kunit *test)
{
	static const u32 w[] = { 1, 2, 1 };
	static const int want[] = { 0, 1, 2, 1, 0, 1, 2, 1 };
	struct lvs_dest **d = sched_test_dests(test, w, 3);
	void *s = loc_t_build(test, d, 3, NULL);
	unsigned int k;

	for (k = 0; k < ARRAY_SIZE(want); k++) {
		int got = loc_t_at(d, 3, s, k, LOC_T_T0);

		KUNIT_EXPECT_EQ_MSG(test, got, want[k], "new key %u", k);
		if (got >= 0)
			atomic_inc(&d[got]->activeconns);
	}
	for (k = 0; k < ARRAY_SIZE(want); k++)
		KUNIT_EXPECT_EQ_MSG(test, loc_t_at(d, 3, s, k, LOC_T_T0 + 1),
				    want[k], "key %u again", k);
	lvs_loc_free(s);
}

/*
 * The differential test: the reference must pick as the scheduler does
 * through random loads, clock jumps, weight and overload changes and
 * rebuilds.
 */
enum {
	DIFF_POOL = 6, DIFF_KEYS = 24, DIFF_MAX = 12, DIFF_STEPS = 4000,
	DIFF_HOT = 4,	/* keys that get three picks in four */
};

struct loc_ref_entry {
	u32 key;
	int set[LOC_T_SLOTS];		/* indices in the pool */
	unsigned int ns;
	unsigned long lastuse, lastmod;
	bool used;
};

struct loc_ref;

/* The rules that tell one scheduler's reference from the other's. */
struct loc_ref_rules {
	/* The server for a live entry just used, or -1 to ask wlc. */
	int (*hit)(struct loc_ref *r, struct loc_ref_entry *e,
		   unsigned long now);
	/* Give @e, live or new, the wlc choice @w. */
	void (*record)(struct loc_ref *r, struct loc_ref_entry *e, int w,
		       unsigned long now);
};

struct loc_ref {
	struct lvs_dest **d;		/* the pool */
	bool in[DIFF_POOL];		/* in the service */
	u32 seq[DIFF_POOL];		/* when added */
	int set[DIFF_POOL];		/* the last build's, in the order added */
	unsigned int nset;
	struct loc_ref_entry e[DIFF_MAX];
	unsigned int n;
	const struct loc_ref_rules *rules;
	unsigned int hits, busy, moves, grown, shrunk, expired, evicted, none;
};

static bool loc_ref_in_set(const struct loc_ref *r, int i)
{
	unsigned int k;

	for (k = 0; k < r->nset; k++)
		if (r->set[k] == i)
			return true;
	return false;
}

static bool loc_ref_avail(const struct lvs_dest *d)
{
	return d->weight && !d->overloaded;
}

/* Is @a less loaded per weight than @b (none: -1)? Weights above 0. */
static bool loc_ref_lighter(const struct loc_ref *r, int a, int b)
{
	return b < 0 || lvs_dest_overhead(r->d[a]) * r->d[b]->weight <
			lvs_dest_overhead(r->d[b]) * r->d[a]->weight;
}

static int loc_ref_wlc(const struct loc_ref *r)
{
	int best = -1;
	unsigned int k;

	for (k = 0; k < r->nset; k++)
		if (loc_ref_avail(r->d[r->set[k]]) &&
		    loc_ref_lighter(r, r->set[k], best))
			best = r->set[k];
	return best;
}

static bool loc_ref_busy(const struct loc_ref *r, int i)
{
	unsigned int k;

	if (atomic_read(&r->d[i]->activeconns) <= (int)r->d[i]->weight)
		return false;
	for (k = 0; k < r->nset; k++) {
		const struct lvs_dest *m = r->d[r->set[k]];

		if (loc_ref_avail(m) &&
		    2 * atomic_read(&m->activeconns) < (int)m->weight)
			return true;
	}
	return false;
}

static bool loc_ref_expired(const struct loc_ref_entry *e, unsigned long now)
{
	return time_after(now, e->lastuse + LVS_LOC_EXPIRE);
}

static void loc_ref_remove(struct loc_ref *r, unsigned int i)
{
	memmove(&r->e[i], &r->e[i + 1], (r->n - i - 1) * sizeof(r->e[0]));
	r->n--;
}

static void loc_ref_reclaim(struct loc_ref *r, unsigned long now)
{
	struct loc_ref_entry head;
	unsigned int i;

	for (i = 0; i < LVS_LOC_RECLAIM && r->n; i++) {
		if (loc_ref_expired(&r->e[0], now)) {
			loc_ref_remove(r, 0);
			r->expired++;
			continue;
		}
		if (r->n < DIFF_MAX || !r->e[0].used)
			break;
		head = r->e[0];
		head.used = false;
		loc_ref_remove(r, 0);
		r->e[r->n++] = head;
	}
	if (r->n >= DIFF_MAX) {
		loc_ref_remove(r, 0);
		r->evicted++;
	}
}

static int loc_ref_pick(struct loc_ref *r, u32 key, unsigned long now)
{
	struct loc_ref_entry *e = NULL;
	unsigned int i;
	int d;

	for (i = 0; i < r->n && !e; i++)
		if (r->e[i].key == key)
			e = &r->e[i];
	if (e && !loc_ref_expired(e, now)) {
		e->lastuse = now;
		e->used = true;
		d = r->rules->hit(r, e, now);
		if (d >= 0)
			return d;
	}
	d = loc_ref_wlc(r);
	if (d < 0) {
		r->none++;
		return -1;
	}
	if (!e || loc_ref_expired(e, now)) {
		if (e) {
			loc_ref_remove(r, e - r->e);
			r->expired++;
		} else {
			loc_ref_reclaim(r, now);
		}
		e = &r->e[r->n++];
		*e = (struct loc_ref_entry){
			.key = key, .lastuse = now, .lastmod = now,
		};
	}
	r->rules->record(r, e, d, now);
	return d;
}

/* As the core: the members of weight above 0, in the order added. */
static void *loc_ref_rebuild(struct kunit *test, struct loc_ref *r, void *old)
{
	struct lvs_dest *set[DIFF_POOL];
	unsigned int i, j, n = 0;
	void *s;

	for (i = 0; i < DIFF_POOL; i++) {
		if (!r->in[i] || !r->d[i]->weight)
			continue;
		for (j = n; j > 0 && r->seq[r->set[j - 1]] > r->seq[i]; j--)
			r->set[j] = r->set[j - 1];
		r->set[j] = i;
		n++;
	}
	r->nset = n;
	for (i = 0; i < n; i++)
		set[i] = r->d[r->set[i]];
	s = loc_t_build(test, set, n, old);
	if (old)
		lvs_loc_free(old);
	else
		loc_t_cache(s)->max = DIFF_MAX;
	return s;
}

/*
 * Runs the differential test from @seed with the reference's @rules, and
 * returns the reference for its counts.
 */
static struct loc_ref *loc_t_differential(struct kunit *test, u64 seed,
					  const struct loc_ref_rules *rules)
{
	struct loc_ref *r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	unsigned long now = LOC_T_T0;
	struct rnd_state rnd;
	u32 w[DIFF_POOL], next = DIFF_POOL;
	unsigned int i, step;
	void *s;

	KUNIT_ASSERT_NOT_NULL(test, r);
	r->rules = rules;
	prandom_seed_state(&rnd, seed);
	for (i = 0; i < DIFF_POOL; i++) {
		w[i] = 1 + prandom_u32_state(&rnd) % 3;
		r->in[i] = true;
		r->seq[i] = i;
	}
	r->d = sched_test_dests(test, w, DIFF_POOL);
	s = loc_ref_rebuild(test, r, NULL);

	for (step = 0; step < DIFF_STEPS; step++) {
		u32 op = prandom_u32_state(&rnd) % 100;
		u32 x = prandom_u32_state(&rnd), y = prandom_u32_state(&rnd);
		struct lvs_dest *dd = r->d[x % DIFF_POOL];

		if (op < 50) {
			u32 key = x % 4 ? (x >> 8) % DIFF_HOT :
				  DIFF_HOT + (x >> 8) % (DIFF_KEYS - DIFF_HOT);
			int want = loc_ref_pick(r, key, now);
			int got = loc_t_at(r->d, DIFF_POOL, s, key, now);

			KUNIT_ASSERT_EQ_MSG(test, got, want, "step %u key %u",
					    step, key);
			KUNIT_ASSERT_EQ_MSG(test, loc_t_cache(s)->count, r->n,
					    "step %u", step);
			if (got >= 0)
				atomic_inc(y % 4 ? &r->d[got]->activeconns :
					   &r->d[got]->inactconns);
		} else if (op < 70) {
			if (atomic_read(&dd->activeconns) && y % 2) {
				atomic_dec(&dd->activeconns);
				atomic_inc(&dd->inactconns);
			} else if (atomic_read(&dd->inactconns)) {
				atomic_dec(&dd->inactconns);
			}
		} else if (op < 75) {
			atomic_set(&dd->activeconns, 0);
			atomic_set(&dd->inactconns, 0);
		} else if (op < 85) {
			now += y % 2 ? y % 4 : y % (LVS_LOC_EXPIRE / 2);
		} else if (op < 90) {
			dd->overloaded = !(y % 4);
		} else if (op < 95) {
			dd->weight = y % 4;
		} else {
			i = x % DIFF_POOL;
			if (op < 98 && r->in[i] != !!(y % 4)) {
				r->in[i] = !r->in[i];
				r->seq[i] = next++;
			}
			s = loc_ref_rebuild(test, r, s);
		}
	}
	lvs_loc_free(s);
	return r;
}

#endif /* _LVS_SCHED_LOCALITY_TEST_H */
