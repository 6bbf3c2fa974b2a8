// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: locality-based least connection. Included at the end of
 * src/sched_lblc.c so the tests reach its static functions. They pass
 * the time to lblc_pick() themselves, so days go by in no time.
 */

#include <linux/bottom_half.h>
#include <linux/prandom.h>

#include "sched_test.h"

static const struct lvs_sched_conf lblc_conf = { };

/* A point in time that the tests start from, close to the wrap. */
#define LBLC_T0	(-(unsigned long)LVS_LOC_EXPIRE)

/*
 * Key @key as a destination address. Keys 3g, 3g + 1 and 3g + 2 start
 * with the same word: an IPv4 address, an IPv6 one, and an IPv6 one that
 * differs from it only in its last word.
 */
static void lblc_t_addr(u32 key, struct lvs_pkt *p)
{
	memset(p, 0, sizeof(*p));
	p->af = key % 3 ? AF_INET6 : AF_INET;
	p->daddr.ip6[0] = htonl(0xc0000200 + key / 3);
	if (key % 3 == 2)
		p->daddr.ip6[3] = htonl(1);
}

/* The index in @d of the pick for @key at @now, as on the packet path. */
static int lblc_at(struct lvs_dest **d, unsigned int n, void *s, u32 key,
		   unsigned long now)
{
	struct lvs_dest *got;
	struct lvs_pkt p;

	lblc_t_addr(key, &p);
	local_bh_disable();
	rcu_read_lock();
	got = lblc_pick(s, &p, now);
	rcu_read_unlock();
	local_bh_enable();
	return sched_test_index(d, n, got);
}

static void *lblc_t_build(struct kunit *test, struct lvs_dest **d,
			  unsigned int n, void *old)
{
	void *s = lblc_build(&lblc_conf, d, n, old);

	KUNIT_ASSERT_FALSE(test, IS_ERR(s));
	return s;
}

static struct lvs_loc_cache *lblc_t_cache(void *s)
{
	return ((struct lvs_loc_state *)s)->cache;
}

static bool lblc_t_cached(void *s, u32 key)
{
	struct lvs_loc_entry *e;
	struct lvs_pkt p;

	lblc_t_addr(key, &p);
	rcu_read_lock();
	e = lvs_loc_find(lblc_t_cache(s), p.af, &p.daddr);
	rcu_read_unlock();
	return e;
}

/* Entries reachable through the hash table. */
static unsigned int lblc_t_entries(void *s)
{
	struct lvs_loc_cache *c = lblc_t_cache(s);
	struct lvs_loc_entry *e;
	unsigned int i, n = 0;

	rcu_read_lock();
	for (i = 0; i < BIT(LVS_LOC_HASH_BITS); i++)
		hlist_for_each_entry_rcu(e, &c->hash[i], node)
			n++;
	rcu_read_unlock();
	return n;
}

/* A key stays with its server while it holds up to its weight. */
static void lblc_locality(struct kunit *test)
{
	static const u32 w[] = { 4, 4, 4 };
	struct lvs_dest **d = sched_test_dests(test, w, 3);
	void *s = lblc_t_build(test, d, 3, NULL);
	unsigned int i;

	for (i = 0; i <= 4; i++) {
		KUNIT_EXPECT_EQ_MSG(test, lblc_at(d, 3, s, 0, LBLC_T0), 0,
				    "with %u active", i);
		atomic_inc(&d[0]->activeconns);
	}
	/* Another key goes where wlc says. */
	KUNIT_EXPECT_EQ(test, lblc_at(d, 3, s, 1, LBLC_T0), 1);
	lvs_loc_free(s);
}

/* New keys spread as wlc would, then each keeps its server. */
static void lblc_spread(struct kunit *test)
{
	static const u32 w[] = { 1, 2, 1 };
	static const int want[] = { 0, 1, 2, 1, 0, 1, 2, 1 };
	struct lvs_dest **d = sched_test_dests(test, w, 3);
	void *s = lblc_t_build(test, d, 3, NULL);
	unsigned int k;

	for (k = 0; k < ARRAY_SIZE(want); k++) {
		int got = lblc_at(d, 3, s, k, LBLC_T0);

		KUNIT_EXPECT_EQ_MSG(test, got, want[k], "new key %u", k);
		if (got >= 0)
			atomic_inc(&d[got]->activeconns);
	}
	for (k = 0; k < ARRAY_SIZE(want); k++)
		KUNIT_EXPECT_EQ_MSG(test, lblc_at(d, 3, s, k, LBLC_T0 + 1),
				    want[k], "key %u again", k);
	lvs_loc_free(s);
}

/*
 * A key leaves a server with more active connections than its weight only
 * for one below half of its own, and then sticks to the new one.
 */
static void lblc_overload(struct kunit *test)
{
	static const u32 w[] = { 2, 2 };
	struct lvs_dest **d = sched_test_dests(test, w, 2);
	void *s = lblc_t_build(test, d, 2, NULL);

	KUNIT_EXPECT_EQ(test, lblc_at(d, 2, s, 0, LBLC_T0), 0);
	atomic_set(&d[0]->activeconns, 3);
	atomic_set(&d[1]->activeconns, 1);
	KUNIT_EXPECT_EQ(test, lblc_at(d, 2, s, 0, LBLC_T0), 0);
	atomic_set(&d[1]->activeconns, 0);
	KUNIT_EXPECT_EQ(test, lblc_at(d, 2, s, 0, LBLC_T0), 1);
	atomic_set(&d[0]->activeconns, 0);
	atomic_set(&d[1]->activeconns, 1);
	KUNIT_EXPECT_EQ(test, lblc_at(d, 2, s, 0, LBLC_T0), 1);
	lvs_loc_free(s);
}

/*
 * The cache outlives rebuilds and is shared while the old state lives; a
 * removed destination is never returned, nor touched: it is freed here.
 */
static void lblc_rebuild(struct kunit *test)
{
	static const u32 w[] = { 1, 1, 1 };
	struct lvs_dest **d = sched_test_dests(test, w, 3);
	void *s1, *s2, *s3;
	unsigned int k;

	s1 = lblc_t_build(test, d, 2, NULL);
	KUNIT_EXPECT_EQ(test, lblc_at(d, 3, s1, 0, LBLC_T0), 0);
	atomic_inc(&d[0]->activeconns);

	s2 = lblc_t_build(test, d, 3, s1);
	/* Through the old state, which wlc over d0, d1 sends to d1. */
	KUNIT_EXPECT_EQ(test, lblc_at(d, 3, s1, 1, LBLC_T0), 1);
	atomic_inc(&d[1]->activeconns);
	lvs_loc_free(s1);
	/* wlc would now say d2 for both. */
	KUNIT_EXPECT_EQ(test, lblc_at(d, 3, s2, 0, LBLC_T0), 0);
	KUNIT_EXPECT_EQ(test, lblc_at(d, 3, s2, 1, LBLC_T0), 1);

	s3 = lblc_t_build(test, d + 1, 2, s2);
	lvs_loc_free(s2);
	kunit_kfree(test, d[0]);
	KUNIT_EXPECT_EQ(test, lblc_at(d, 3, s3, 0, LBLC_T0), 2);
	for (k = 0; k < 12; k++)
		KUNIT_EXPECT_GT(test, lblc_at(d, 3, s3, k, LBLC_T0), 0);
	lvs_loc_free(s3);
}

static void lblc_unavailable(struct kunit *test)
{
	static const u32 w[] = { 1, 1 };
	struct lvs_dest **d = sched_test_dests(test, w, 2);
	void *s = lblc_t_build(test, d, 2, NULL);

	KUNIT_EXPECT_EQ(test, lblc_at(d, 2, s, 0, LBLC_T0), 0);
	d[0]->overloaded = true;
	KUNIT_EXPECT_EQ(test, lblc_at(d, 2, s, 0, LBLC_T0), 1);
	d[0]->overloaded = false;
	d[1]->weight = 0;
	KUNIT_EXPECT_EQ(test, lblc_at(d, 2, s, 0, LBLC_T0), 0);
	d[0]->overloaded = true;
	KUNIT_EXPECT_EQ(test, lblc_at(d, 2, s, 0, LBLC_T0), -1);
	KUNIT_EXPECT_EQ(test, lblc_at(d, 2, s, 1, LBLC_T0), -1);
	lvs_loc_free(s);

	s = lblc_t_build(test, NULL, 0, NULL);
	KUNIT_EXPECT_EQ(test, lblc_at(d, 2, s, 0, LBLC_T0), -1);
	lvs_loc_free(s);
}

/* An entry lasts LVS_LOC_EXPIRE from its last use, and no longer. */
static void lblc_expire(struct kunit *test)
{
	static const u32 w[] = { 1, 1 };
	struct lvs_dest **d = sched_test_dests(test, w, 2);
	void *s = lblc_t_build(test, d, 2, NULL);
	unsigned long t = LBLC_T0;

	KUNIT_EXPECT_EQ(test, lblc_at(d, 2, s, 0, t), 0);
	atomic_inc(&d[0]->activeconns);
	t += LVS_LOC_EXPIRE;
	KUNIT_EXPECT_EQ(test, lblc_at(d, 2, s, 0, t), 0);
	t += LVS_LOC_EXPIRE;
	KUNIT_EXPECT_EQ(test, lblc_at(d, 2, s, 0, t), 0);
	t += LVS_LOC_EXPIRE + 1;
	KUNIT_EXPECT_EQ(test, lblc_at(d, 2, s, 0, t), 1);
	lvs_loc_free(s);
}

/*
 * The cache never holds more than its maximum: a full cache evicts the
 * oldest entry not used since it was queued, and a new entry frees the
 * expired ones at the head of the queue.
 */
static void lblc_bound(struct kunit *test)
{
	static const u32 w[] = { 1 };
	struct lvs_dest **d = sched_test_dests(test, w, 1);
	void *s = lblc_t_build(test, d, 1, NULL);
	struct lvs_loc_cache *c = lblc_t_cache(s);
	unsigned int k;

	c->max = 16;
	for (k = 1; k < 100; k++) {
		KUNIT_ASSERT_EQ(test, lblc_at(d, 1, s, k, LBLC_T0), 0);
		KUNIT_ASSERT_EQ(test, lblc_at(d, 1, s, 0, LBLC_T0), 0);
		KUNIT_ASSERT_LE(test, c->count, 16);
	}
	KUNIT_EXPECT_EQ(test, c->count, 16);
	KUNIT_EXPECT_EQ(test, lblc_t_entries(s), 16);
	KUNIT_EXPECT_TRUE(test, lblc_t_cached(s, 0));
	KUNIT_EXPECT_FALSE(test, lblc_t_cached(s, 84));
	for (k = 85; k < 100; k++)
		KUNIT_EXPECT_TRUE_MSG(test, lblc_t_cached(s, k), "key %u", k);

	KUNIT_EXPECT_EQ(test, lblc_at(d, 1, s, 100,
				      LBLC_T0 + LVS_LOC_EXPIRE + 1), 0);
	KUNIT_EXPECT_EQ(test, c->count, 16 - LVS_LOC_RECLAIM + 1);
	KUNIT_EXPECT_EQ(test, lblc_t_entries(s), c->count);
	lvs_loc_free(s);
}

/*
 * The differential test: a plain array kept oldest first, searched
 * linearly, with the same rules, must pick as the scheduler does through
 * random loads, clock jumps, weight and overload changes and rebuilds.
 */
enum {
	DIFF_POOL = 6, DIFF_KEYS = 24, DIFF_MAX = 12, DIFF_STEPS = 4000,
	DIFF_HOT = 4,	/* keys that get three picks in four */
};

struct lblc_ref_entry {
	u32 key;
	int dest;
	unsigned long lastuse;
	bool used;
};

struct lblc_ref {
	struct lvs_dest **d;		/* the pool */
	bool in[DIFF_POOL];		/* in the service */
	u32 seq[DIFF_POOL];		/* when added */
	int set[DIFF_POOL];		/* the last build's, in the order added */
	unsigned int nset;
	struct lblc_ref_entry e[DIFF_MAX];
	unsigned int n;
	unsigned int hits, busy, moves, expired, evicted, none;
};

static bool ref_in_set(const struct lblc_ref *r, int i)
{
	unsigned int k;

	for (k = 0; k < r->nset; k++)
		if (r->set[k] == i)
			return true;
	return false;
}

static bool ref_avail(const struct lvs_dest *d)
{
	return d->weight && !d->overloaded;
}

static int ref_wlc(const struct lblc_ref *r)
{
	int best = -1;
	unsigned int k;

	for (k = 0; k < r->nset; k++) {
		const struct lvs_dest *d = r->d[r->set[k]];

		if (ref_avail(d) &&
		    (best < 0 || lvs_dest_overhead(d) * r->d[best]->weight <
				 lvs_dest_overhead(r->d[best]) * d->weight))
			best = r->set[k];
	}
	return best;
}

static bool ref_busy(const struct lblc_ref *r, int i)
{
	unsigned int k;

	if (atomic_read(&r->d[i]->activeconns) <= (int)r->d[i]->weight)
		return false;
	for (k = 0; k < r->nset; k++) {
		const struct lvs_dest *m = r->d[r->set[k]];

		if (ref_avail(m) &&
		    2 * atomic_read(&m->activeconns) < (int)m->weight)
			return true;
	}
	return false;
}

static bool ref_expired(const struct lblc_ref_entry *e, unsigned long now)
{
	return time_after(now, e->lastuse + LVS_LOC_EXPIRE);
}

static void ref_remove(struct lblc_ref *r, unsigned int i)
{
	memmove(&r->e[i], &r->e[i + 1], (r->n - i - 1) * sizeof(r->e[0]));
	r->n--;
}

static void ref_reclaim(struct lblc_ref *r, unsigned long now)
{
	struct lblc_ref_entry head;
	unsigned int i;

	for (i = 0; i < LVS_LOC_RECLAIM && r->n; i++) {
		if (ref_expired(&r->e[0], now)) {
			ref_remove(r, 0);
			r->expired++;
			continue;
		}
		if (r->n < DIFF_MAX || !r->e[0].used)
			break;
		head = r->e[0];
		head.used = false;
		ref_remove(r, 0);
		r->e[r->n++] = head;
	}
	if (r->n >= DIFF_MAX) {
		ref_remove(r, 0);
		r->evicted++;
	}
}

static int ref_pick(struct lblc_ref *r, u32 key, unsigned long now)
{
	struct lblc_ref_entry *e = NULL;
	unsigned int i;
	int w;

	for (i = 0; i < r->n && !e; i++)
		if (r->e[i].key == key)
			e = &r->e[i];
	if (e && !ref_expired(e, now)) {
		e->lastuse = now;
		e->used = true;
		if (ref_in_set(r, e->dest) && ref_avail(r->d[e->dest])) {
			if (!ref_busy(r, e->dest)) {
				r->hits++;
				return e->dest;
			}
			r->busy++;
		}
	}
	w = ref_wlc(r);
	if (w < 0) {
		r->none++;
		return -1;
	}
	if (e && !ref_expired(e, now)) {
		r->moves += e->dest != w;
		e->dest = w;
		return w;
	}
	if (e) {
		ref_remove(r, e - r->e);
		r->expired++;
	} else {
		ref_reclaim(r, now);
	}
	r->e[r->n++] = (struct lblc_ref_entry){
		.key = key, .dest = w, .lastuse = now,
	};
	return w;
}

/* As the core: the members of weight above 0, in the order added. */
static void *ref_rebuild(struct kunit *test, struct lblc_ref *r, void *old)
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
	s = lblc_t_build(test, set, n, old);
	if (old)
		lvs_loc_free(old);
	else
		lblc_t_cache(s)->max = DIFF_MAX;
	return s;
}

static void lblc_differential(struct kunit *test)
{
	struct lblc_ref *r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	unsigned long now = LBLC_T0;
	struct rnd_state rnd;
	u32 w[DIFF_POOL], next = DIFF_POOL;
	unsigned int i, step;
	void *s;

	KUNIT_ASSERT_NOT_NULL(test, r);
	prandom_seed_state(&rnd, 0x1b1c);
	for (i = 0; i < DIFF_POOL; i++) {
		w[i] = 1 + prandom_u32_state(&rnd) % 3;
		r->in[i] = true;
		r->seq[i] = i;
	}
	r->d = sched_test_dests(test, w, DIFF_POOL);
	s = ref_rebuild(test, r, NULL);

	for (step = 0; step < DIFF_STEPS; step++) {
		u32 op = prandom_u32_state(&rnd) % 100;
		u32 x = prandom_u32_state(&rnd), y = prandom_u32_state(&rnd);
		struct lvs_dest *dd = r->d[x % DIFF_POOL];

		if (op < 50) {
			u32 key = x % 4 ? (x >> 8) % DIFF_HOT :
				  DIFF_HOT + (x >> 8) % (DIFF_KEYS - DIFF_HOT);
			int want = ref_pick(r, key, now);
			int got = lblc_at(r->d, DIFF_POOL, s, key, now);

			KUNIT_ASSERT_EQ_MSG(test, got, want, "step %u key %u",
					    step, key);
			KUNIT_ASSERT_EQ_MSG(test, lblc_t_cache(s)->count, r->n,
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
			s = ref_rebuild(test, r, s);
		}
	}
	/* Every rule had its turn. */
	kunit_info(test, "hits %u busy %u moves %u expired %u evicted %u none %u\n",
		   r->hits, r->busy, r->moves, r->expired, r->evicted, r->none);
	KUNIT_EXPECT_GT(test, r->hits, 100);
	KUNIT_EXPECT_GT(test, r->busy, 10);
	KUNIT_EXPECT_GT(test, r->moves, 10);
	KUNIT_EXPECT_GT(test, r->expired, 10);
	KUNIT_EXPECT_GT(test, r->evicted, 10);
	lvs_loc_free(s);
}

static struct kunit_case lvs_sched_lblc_cases[] = {
	KUNIT_CASE(lblc_locality),
	KUNIT_CASE(lblc_spread),
	KUNIT_CASE(lblc_overload),
	KUNIT_CASE(lblc_rebuild),
	KUNIT_CASE(lblc_unavailable),
	KUNIT_CASE(lblc_expire),
	KUNIT_CASE(lblc_bound),
	KUNIT_CASE(lblc_differential),
	{}
};

static struct kunit_suite lvs_sched_lblc_suite = {
	.name		= "lvs_sched_lblc",
	.test_cases	= lvs_sched_lblc_cases,
};

kunit_test_suite(lvs_sched_lblc_suite);
