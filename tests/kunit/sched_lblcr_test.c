// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: locality-based least connection with replication. Included at the
 * end of src/sched_lblcr.c so the tests reach its static functions. They
 * pass the time to lblcr_pick() themselves, so days go by in no time.
 */

#include <linux/bottom_half.h>
#include <linux/prandom.h>

#include "sched_test.h"

static const struct lvs_sched_conf lblcr_conf = { };

/* A point in time that the tests start from, close to the wrap. */
#define LBLCR_T0	(-(unsigned long)LVS_LOC_EXPIRE)

/*
 * Key @key as a destination address. Keys 3g, 3g + 1 and 3g + 2 start
 * with the same word: an IPv4 address, an IPv6 one, and an IPv6 one that
 * differs from it only in its last word.
 */
static void lblcr_t_addr(u32 key, struct lvs_pkt *p)
{
	memset(p, 0, sizeof(*p));
	p->af = key % 3 ? AF_INET6 : AF_INET;
	p->daddr.ip6[0] = htonl(0xc0000200 + key / 3);
	if (key % 3 == 2)
		p->daddr.ip6[3] = htonl(1);
}

/* The index in @d of the pick for @key at @now, as on the packet path. */
static int lblcr_at(struct lvs_dest **d, unsigned int n, void *s, u32 key,
		    unsigned long now)
{
	struct lvs_dest *got;
	struct lvs_pkt p;

	lblcr_t_addr(key, &p);
	local_bh_disable();
	rcu_read_lock();
	got = lblcr_pick(s, &p, now);
	rcu_read_unlock();
	local_bh_enable();
	return sched_test_index(d, n, got);
}

static void *lblcr_t_build(struct kunit *test, struct lvs_dest **d,
			   unsigned int n, void *old)
{
	void *s = lblcr_build(&lblcr_conf, d, n, old);

	KUNIT_ASSERT_FALSE(test, IS_ERR(s));
	return s;
}

static struct lvs_loc_cache *lblcr_t_cache(void *s)
{
	return ((struct lvs_loc_state *)s)->cache;
}

/*
 * The set of @key as a bit mask of indices in @d, bit 30 for a member not
 * in @d; -1 if @key has no entry.
 */
static int lblcr_t_set(struct lvs_dest **d, unsigned int n, void *s, u32 key)
{
	struct lvs_loc_entry *e;
	struct lvs_pkt p;
	unsigned int i;
	int mask = -1;

	lblcr_t_addr(key, &p);
	rcu_read_lock();
	e = lvs_loc_find(lblcr_t_cache(s), p.af, &p.daddr);
	if (e) {
		mask = 0;
		for (i = 0; i < LBLCR_SET_MAX && e->dest[i]; i++) {
			int k = sched_test_index(d, n, e->dest[i]);

			mask |= BIT(k < 0 ? 30 : k);
		}
	}
	rcu_read_unlock();
	return mask;
}

/* Entries reachable through the hash table. */
static unsigned int lblcr_t_entries(void *s)
{
	struct lvs_loc_cache *c = lblcr_t_cache(s);
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
static void lblcr_locality(struct kunit *test)
{
	static const u32 w[] = { 4, 4, 4 };
	struct lvs_dest **d = sched_test_dests(test, w, 3);
	void *s = lblcr_t_build(test, d, 3, NULL);
	unsigned int i;

	for (i = 0; i <= 4; i++) {
		KUNIT_EXPECT_EQ_MSG(test, lblcr_at(d, 3, s, 0, LBLCR_T0), 0,
				    "with %u active", i);
		atomic_inc(&d[0]->activeconns);
	}
	KUNIT_EXPECT_EQ(test, lblcr_t_set(d, 3, s, 0), BIT(0));
	/* Another key goes where wlc says. */
	KUNIT_EXPECT_EQ(test, lblcr_at(d, 3, s, 1, LBLCR_T0), 1);
	lvs_loc_free(s);
}

/* New keys spread as wlc would, then each keeps its server. */
static void lblcr_spread(struct kunit *test)
{
	static const u32 w[] = { 1, 2, 1 };
	static const int want[] = { 0, 1, 2, 1, 0, 1, 2, 1 };
	struct lvs_dest **d = sched_test_dests(test, w, 3);
	void *s = lblcr_t_build(test, d, 3, NULL);
	unsigned int k;

	for (k = 0; k < ARRAY_SIZE(want); k++) {
		int got = lblcr_at(d, 3, s, k, LBLCR_T0);

		KUNIT_EXPECT_EQ_MSG(test, got, want[k], "new key %u", k);
		if (got >= 0)
			atomic_inc(&d[got]->activeconns);
	}
	for (k = 0; k < ARRAY_SIZE(want); k++)
		KUNIT_EXPECT_EQ_MSG(test, lblcr_at(d, 3, s, k, LBLCR_T0 + 1),
				    want[k], "key %u again", k);
	lvs_loc_free(s);
}

/*
 * An overloaded set grows by the wlc choice, serves from its least loaded
 * member, and after LBLCR_SHRINK without change loses its most loaded.
 */
static void lblcr_replicate(struct kunit *test)
{
	static const u32 w[] = { 1, 1, 1 };
	struct lvs_dest **d = sched_test_dests(test, w, 3);
	void *s = lblcr_t_build(test, d, 3, NULL);
	unsigned long t = LBLCR_T0;

	KUNIT_EXPECT_EQ(test, lblcr_at(d, 3, s, 0, t), 0);
	atomic_set(&d[0]->activeconns, 2);
	atomic_set(&d[1]->activeconns, 1);
	atomic_set(&d[2]->activeconns, 1);
	/* Nobody is below half of its weight: it stays. */
	KUNIT_EXPECT_EQ(test, lblcr_at(d, 3, s, 0, t), 0);
	atomic_set(&d[1]->activeconns, 0);
	KUNIT_EXPECT_EQ(test, lblcr_at(d, 3, s, 0, t), 1);
	KUNIT_EXPECT_EQ(test, lblcr_t_set(d, 3, s, 0), BIT(0) | BIT(1));
	atomic_set(&d[1]->activeconns, 1);
	atomic_set(&d[2]->activeconns, 0);
	/* d1 does not exceed its weight: no third member. */
	KUNIT_EXPECT_EQ(test, lblcr_at(d, 3, s, 0, t), 1);

	t += LBLCR_SHRINK / 2;
	KUNIT_EXPECT_EQ(test, lblcr_at(d, 3, s, 0, t), 1);
	KUNIT_EXPECT_EQ(test, lblcr_t_set(d, 3, s, 0), BIT(0) | BIT(1));
	t += LBLCR_SHRINK / 2 + 1;
	KUNIT_EXPECT_EQ(test, lblcr_at(d, 3, s, 0, t), 1);
	KUNIT_EXPECT_EQ(test, lblcr_t_set(d, 3, s, 0), BIT(1));
	/* Were d0 still a member, it would be chosen now. */
	atomic_set(&d[0]->activeconns, 0);
	KUNIT_EXPECT_EQ(test, lblcr_at(d, 3, s, 0, t), 1);
	/* A set of one never shrinks. */
	t += LBLCR_SHRINK / 2 + 1;
	KUNIT_EXPECT_EQ(test, lblcr_at(d, 3, s, 0, t), 1);
	t += LBLCR_SHRINK / 2 + 1;
	KUNIT_EXPECT_EQ(test, lblcr_at(d, 3, s, 0, t), 1);
	KUNIT_EXPECT_EQ(test, lblcr_t_set(d, 3, s, 0), BIT(1));
	lvs_loc_free(s);
}

/* A set holds LBLCR_SET_MAX servers at most; beyond, wlc serves alone. */
static void lblcr_set_full(struct kunit *test)
{
	enum { N = LBLCR_SET_MAX + 2 };
	u32 w[N];
	struct lvs_dest **d;
	unsigned int i;
	void *s;

	for (i = 0; i < N; i++)
		w[i] = 1;
	d = sched_test_dests(test, w, N);
	s = lblcr_t_build(test, d, N, NULL);
	for (i = 0; i < N; i++) {
		KUNIT_EXPECT_EQ(test, lblcr_at(d, N, s, 0, LBLCR_T0), i);
		atomic_set(&d[i]->activeconns, 2);
	}
	KUNIT_EXPECT_EQ(test, lblcr_t_set(d, N, s, 0),
			BIT(LBLCR_SET_MAX) - 1);
	lvs_loc_free(s);
}

/*
 * The cache outlives rebuilds and is shared while the old state lives; a
 * removed destination is never returned, nor touched: it is freed here.
 */
static void lblcr_rebuild(struct kunit *test)
{
	static const u32 w[] = { 1, 1, 1 };
	struct lvs_dest **d = sched_test_dests(test, w, 3);
	void *s1, *s2, *s3;
	unsigned int k;

	s1 = lblcr_t_build(test, d, 2, NULL);
	KUNIT_EXPECT_EQ(test, lblcr_at(d, 3, s1, 0, LBLCR_T0), 0);
	atomic_set(&d[0]->activeconns, 2);

	s2 = lblcr_t_build(test, d, 3, s1);
	/* Through the old state, where wlc over d0, d1 says d1. */
	KUNIT_EXPECT_EQ(test, lblcr_at(d, 3, s1, 0, LBLCR_T0), 1);
	lvs_loc_free(s1);
	KUNIT_EXPECT_EQ(test, lblcr_t_set(d, 3, s2, 0), BIT(0) | BIT(1));
	atomic_set(&d[0]->activeconns, 1);
	atomic_set(&d[1]->activeconns, 1);
	/* The least loaded of the set, though wlc would say d2. */
	KUNIT_EXPECT_EQ(test, lblcr_at(d, 3, s2, 0, LBLCR_T0), 0);

	s3 = lblcr_t_build(test, d + 1, 2, s2);
	lvs_loc_free(s2);
	kunit_kfree(test, d[0]);
	KUNIT_EXPECT_EQ(test, lblcr_at(d, 3, s3, 0, LBLCR_T0), 1);
	for (k = 0; k < 12; k++)
		KUNIT_EXPECT_GT(test, lblcr_at(d, 3, s3, k, LBLCR_T0), 0);
	/* Growing the set drops the member that left the service. */
	atomic_set(&d[1]->activeconns, 2);
	KUNIT_EXPECT_EQ(test, lblcr_at(d, 3, s3, 0, LBLCR_T0), 2);
	KUNIT_EXPECT_EQ(test, lblcr_t_set(d + 1, 2, s3, 0), BIT(0) | BIT(1));
	lvs_loc_free(s3);
}

static void lblcr_unavailable(struct kunit *test)
{
	static const u32 w[] = { 1, 1 };
	struct lvs_dest **d = sched_test_dests(test, w, 2);
	void *s = lblcr_t_build(test, d, 2, NULL);

	KUNIT_EXPECT_EQ(test, lblcr_at(d, 2, s, 0, LBLCR_T0), 0);
	atomic_set(&d[0]->activeconns, 2);
	KUNIT_EXPECT_EQ(test, lblcr_at(d, 2, s, 0, LBLCR_T0), 1);
	atomic_set(&d[0]->activeconns, 0);
	atomic_set(&d[1]->activeconns, 1);
	KUNIT_EXPECT_EQ(test, lblcr_at(d, 2, s, 0, LBLCR_T0), 0);
	d[0]->overloaded = true;
	KUNIT_EXPECT_EQ(test, lblcr_at(d, 2, s, 0, LBLCR_T0), 1);
	d[1]->weight = 0;
	KUNIT_EXPECT_EQ(test, lblcr_at(d, 2, s, 0, LBLCR_T0), -1);
	KUNIT_EXPECT_EQ(test, lblcr_at(d, 2, s, 1, LBLCR_T0), -1);
	d[0]->overloaded = false;
	KUNIT_EXPECT_EQ(test, lblcr_at(d, 2, s, 0, LBLCR_T0), 0);
	lvs_loc_free(s);

	s = lblcr_t_build(test, NULL, 0, NULL);
	KUNIT_EXPECT_EQ(test, lblcr_at(d, 2, s, 0, LBLCR_T0), -1);
	lvs_loc_free(s);
}

/* An entry lasts LVS_LOC_EXPIRE from its last use, and no longer. */
static void lblcr_expire(struct kunit *test)
{
	static const u32 w[] = { 1, 1 };
	struct lvs_dest **d = sched_test_dests(test, w, 2);
	void *s = lblcr_t_build(test, d, 2, NULL);
	unsigned long t = LBLCR_T0;

	KUNIT_EXPECT_EQ(test, lblcr_at(d, 2, s, 0, t), 0);
	atomic_inc(&d[0]->activeconns);
	t += LVS_LOC_EXPIRE;
	KUNIT_EXPECT_EQ(test, lblcr_at(d, 2, s, 0, t), 0);
	t += LVS_LOC_EXPIRE + 1;
	KUNIT_EXPECT_EQ(test, lblcr_at(d, 2, s, 0, t), 1);
	KUNIT_EXPECT_EQ(test, lblcr_t_set(d, 2, s, 0), BIT(1));
	lvs_loc_free(s);
}

/*
 * The cache never holds more than its maximum: a full cache evicts the
 * oldest entry not used since it was queued, and a new entry frees the
 * expired ones at the head of the queue.
 */
static void lblcr_bound(struct kunit *test)
{
	static const u32 w[] = { 1 };
	struct lvs_dest **d = sched_test_dests(test, w, 1);
	void *s = lblcr_t_build(test, d, 1, NULL);
	struct lvs_loc_cache *c = lblcr_t_cache(s);
	unsigned int k;

	c->max = 16;
	for (k = 1; k < 100; k++) {
		KUNIT_ASSERT_EQ(test, lblcr_at(d, 1, s, k, LBLCR_T0), 0);
		KUNIT_ASSERT_EQ(test, lblcr_at(d, 1, s, 0, LBLCR_T0), 0);
		KUNIT_ASSERT_LE(test, c->count, 16);
	}
	KUNIT_EXPECT_EQ(test, c->count, 16);
	KUNIT_EXPECT_EQ(test, lblcr_t_entries(s), 16);
	KUNIT_EXPECT_EQ(test, lblcr_t_set(d, 1, s, 0), BIT(0));
	KUNIT_EXPECT_EQ(test, lblcr_t_set(d, 1, s, 84), -1);
	for (k = 85; k < 100; k++)
		KUNIT_EXPECT_EQ_MSG(test, lblcr_t_set(d, 1, s, k), BIT(0),
				    "key %u", k);

	KUNIT_EXPECT_EQ(test, lblcr_at(d, 1, s, 100,
				       LBLCR_T0 + LVS_LOC_EXPIRE + 1), 0);
	KUNIT_EXPECT_EQ(test, c->count, 16 - LVS_LOC_RECLAIM + 1);
	KUNIT_EXPECT_EQ(test, lblcr_t_entries(s), c->count);
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

struct lblcr_ref_entry {
	u32 key;
	int set[LBLCR_SET_MAX];
	unsigned int ns;
	unsigned long lastuse, lastmod;
	bool used;
};

struct lblcr_ref {
	struct lvs_dest **d;		/* the pool */
	bool in[DIFF_POOL];		/* in the service */
	u32 seq[DIFF_POOL];		/* when added */
	int set[DIFF_POOL];		/* the last build's, in the order added */
	unsigned int nset;
	struct lblcr_ref_entry e[DIFF_MAX];
	unsigned int n;
	unsigned int hits, grown, shrunk, expired, evicted, none;
};

static bool ref_in_set(const struct lblcr_ref *r, int i)
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

/* Is @a less loaded per weight than @b (none: -1)? Weights above 0. */
static bool ref_lighter(const struct lblcr_ref *r, int a, int b)
{
	return b < 0 || lvs_dest_overhead(r->d[a]) * r->d[b]->weight <
			lvs_dest_overhead(r->d[b]) * r->d[a]->weight;
}

static int ref_wlc(const struct lblcr_ref *r)
{
	int best = -1;
	unsigned int k;

	for (k = 0; k < r->nset; k++)
		if (ref_avail(r->d[r->set[k]]) && ref_lighter(r, r->set[k], best))
			best = r->set[k];
	return best;
}

static bool ref_busy(const struct lblcr_ref *r, int i)
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

static unsigned int ref_members(const struct lblcr_ref *r,
				const struct lblcr_ref_entry *e)
{
	unsigned int k, n = 0;

	for (k = 0; k < e->ns; k++)
		n += ref_in_set(r, e->set[k]);
	return n;
}

static int ref_min(const struct lblcr_ref *r, const struct lblcr_ref_entry *e)
{
	int best = -1;
	unsigned int k;

	for (k = 0; k < e->ns; k++)
		if (ref_in_set(r, e->set[k]) && ref_avail(r->d[e->set[k]]) &&
		    ref_lighter(r, e->set[k], best))
			best = e->set[k];
	return best;
}

static int ref_max(const struct lblcr_ref *r, const struct lblcr_ref_entry *e)
{
	int worst = -1;
	unsigned int k;

	for (k = 0; k < e->ns; k++)
		if (ref_in_set(r, e->set[k]) && r->d[e->set[k]]->weight &&
		    (worst < 0 || ref_lighter(r, worst, e->set[k])))
			worst = e->set[k];
	return worst;
}

/* Keep the members still in the service's set but @drop. */
static void ref_keep(const struct lblcr_ref *r, struct lblcr_ref_entry *e,
		     int drop)
{
	unsigned int k, n = 0;

	for (k = 0; k < e->ns; k++)
		if (e->set[k] != drop && ref_in_set(r, e->set[k]))
			e->set[n++] = e->set[k];
	e->ns = n;
}

static void ref_add(struct lblcr_ref *r, struct lblcr_ref_entry *e, int w,
		    unsigned long now)
{
	unsigned int k;

	ref_keep(r, e, -1);
	for (k = 0; k < e->ns; k++)
		if (e->set[k] == w)
			return;
	if (e->ns < LBLCR_SET_MAX) {
		r->grown += e->ns > 0;
		e->set[e->ns++] = w;
		e->lastmod = now;
	}
}

static bool ref_expired(const struct lblcr_ref_entry *e, unsigned long now)
{
	return time_after(now, e->lastuse + LVS_LOC_EXPIRE);
}

static void ref_remove(struct lblcr_ref *r, unsigned int i)
{
	memmove(&r->e[i], &r->e[i + 1], (r->n - i - 1) * sizeof(r->e[0]));
	r->n--;
}

static void ref_reclaim(struct lblcr_ref *r, unsigned long now)
{
	struct lblcr_ref_entry head;
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

static int ref_pick(struct lblcr_ref *r, u32 key, unsigned long now)
{
	struct lblcr_ref_entry *e = NULL;
	unsigned int i;
	int d;

	for (i = 0; i < r->n && !e; i++)
		if (r->e[i].key == key)
			e = &r->e[i];
	if (e && !ref_expired(e, now)) {
		e->lastuse = now;
		e->used = true;
		if (ref_members(r, e) > 1 &&
		    time_after(now, e->lastmod + LBLCR_SHRINK)) {
			d = ref_max(r, e);
			if (d >= 0) {
				ref_keep(r, e, d);
				e->lastmod = now;
				r->shrunk++;
			}
		}
		d = ref_min(r, e);
		if (d >= 0 && !ref_busy(r, d)) {
			r->hits++;
			return d;
		}
	}
	d = ref_wlc(r);
	if (d < 0) {
		r->none++;
		return -1;
	}
	if (e && !ref_expired(e, now)) {
		ref_add(r, e, d, now);
		return d;
	}
	if (e) {
		ref_remove(r, e - r->e);
		r->expired++;
	} else {
		ref_reclaim(r, now);
	}
	e = &r->e[r->n++];
	*e = (struct lblcr_ref_entry){
		.key = key, .lastuse = now, .lastmod = now,
	};
	ref_add(r, e, d, now);
	return d;
}

/* As the core: the members of weight above 0, in the order added. */
static void *ref_rebuild(struct kunit *test, struct lblcr_ref *r, void *old)
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
	s = lblcr_t_build(test, set, n, old);
	if (old)
		lvs_loc_free(old);
	else
		lblcr_t_cache(s)->max = DIFF_MAX;
	return s;
}

static void lblcr_differential(struct kunit *test)
{
	struct lblcr_ref *r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	unsigned long now = LBLCR_T0;
	struct rnd_state rnd;
	u32 w[DIFF_POOL], next = DIFF_POOL;
	unsigned int i, step;
	void *s;

	KUNIT_ASSERT_NOT_NULL(test, r);
	prandom_seed_state(&rnd, 0x1b1c7);
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
			int got = lblcr_at(r->d, DIFF_POOL, s, key, now);

			KUNIT_ASSERT_EQ_MSG(test, got, want, "step %u key %u",
					    step, key);
			KUNIT_ASSERT_EQ_MSG(test, lblcr_t_cache(s)->count, r->n,
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
	kunit_info(test, "hits %u grown %u shrunk %u expired %u evicted %u none %u\n",
		   r->hits, r->grown, r->shrunk, r->expired, r->evicted,
		   r->none);
	KUNIT_EXPECT_GT(test, r->hits, 100);
	KUNIT_EXPECT_GT(test, r->grown, 10);
	KUNIT_EXPECT_GT(test, r->shrunk, 5);
	KUNIT_EXPECT_GT(test, r->expired, 10);
	KUNIT_EXPECT_GT(test, r->evicted, 10);
	lvs_loc_free(s);
}

static struct kunit_case lvs_sched_lblcr_cases[] = {
	KUNIT_CASE(lblcr_locality),
	KUNIT_CASE(lblcr_spread),
	KUNIT_CASE(lblcr_replicate),
	KUNIT_CASE(lblcr_set_full),
	KUNIT_CASE(lblcr_rebuild),
	KUNIT_CASE(lblcr_unavailable),
	KUNIT_CASE(lblcr_expire),
	KUNIT_CASE(lblcr_bound),
	KUNIT_CASE(lblcr_differential),
	{}
};

static struct kunit_suite lvs_sched_lblcr_suite = {
	.name		= "lvs_sched_lblcr",
	.test_cases	= lvs_sched_lblcr_cases,
};

kunit_test_suite(lvs_sched_lblcr_suite);
