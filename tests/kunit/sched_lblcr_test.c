// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: locality-based least connection with replication. Included at the
 * end of src/sched_lblcr.c so the tests reach its static functions. They
 * pass the time to lblcr_pick() themselves, so days go by in no time.
 */

#define LOC_T_BUILD	lblcr_build
#define LOC_T_PICK	lblcr_pick
#define LOC_T_SLOTS	LBLCR_SET_MAX
#include "sched_locality_test.h"

/*
 * The set of @key as a bit mask of indices in @d, bit 30 for a member not
 * in @d; -1 if @key has no entry.
 */
static int lblcr_t_set(struct lvs_dest **d, unsigned int n, void *s, u32 key)
{
	struct lvs_loc_entry *e;
	unsigned int i;
	int mask = -1;

	rcu_read_lock();
	e = loc_t_find(s, key);
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

/* A key stays with its server while it holds up to its weight. */
static void lblcr_locality(struct kunit *test)
{
	static const u32 w[] = { 4, 4, 4 };
	struct lvs_dest **d = sched_test_dests(test, w, 3);
	void *s = loc_t_build(test, d, 3, NULL);
	unsigned int i;

	for (i = 0; i <= 4; i++) {
		KUNIT_EXPECT_EQ_MSG(test, loc_t_at(d, 3, s, 0, LOC_T_T0), 0,
				    "with %u active", i);
		atomic_inc(&d[0]->activeconns);
	}
	KUNIT_EXPECT_EQ(test, lblcr_t_set(d, 3, s, 0), BIT(0));
	/* Another key goes where wlc says. */
	KUNIT_EXPECT_EQ(test, loc_t_at(d, 3, s, 1, LOC_T_T0), 1);
	lvs_loc_free(s);
}

static void lblcr_spread(struct kunit *test)
{
	loc_t_spread(test);
}

/*
 * An overloaded set grows by the wlc choice, serves from its least loaded
 * member, and after LBLCR_SHRINK without change loses its most loaded.
 */
static void lblcr_replicate(struct kunit *test)
{
	static const u32 w[] = { 1, 1, 1 };
	struct lvs_dest **d = sched_test_dests(test, w, 3);
	void *s = loc_t_build(test, d, 3, NULL);
	unsigned long t = LOC_T_T0;

	KUNIT_EXPECT_EQ(test, loc_t_at(d, 3, s, 0, t), 0);
	atomic_set(&d[0]->activeconns, 2);
	atomic_set(&d[1]->activeconns, 1);
	atomic_set(&d[2]->activeconns, 1);
	/* Nobody is below half of its weight: it stays. */
	KUNIT_EXPECT_EQ(test, loc_t_at(d, 3, s, 0, t), 0);
	atomic_set(&d[1]->activeconns, 0);
	KUNIT_EXPECT_EQ(test, loc_t_at(d, 3, s, 0, t), 1);
	KUNIT_EXPECT_EQ(test, lblcr_t_set(d, 3, s, 0), BIT(0) | BIT(1));
	atomic_set(&d[1]->activeconns, 1);
	atomic_set(&d[2]->activeconns, 0);
	/* d1 does not exceed its weight: no third member. */
	KUNIT_EXPECT_EQ(test, loc_t_at(d, 3, s, 0, t), 1);

	t += LBLCR_SHRINK / 2;
	KUNIT_EXPECT_EQ(test, loc_t_at(d, 3, s, 0, t), 1);
	KUNIT_EXPECT_EQ(test, lblcr_t_set(d, 3, s, 0), BIT(0) | BIT(1));
	t += LBLCR_SHRINK / 2 + 1;
	KUNIT_EXPECT_EQ(test, loc_t_at(d, 3, s, 0, t), 1);
	KUNIT_EXPECT_EQ(test, lblcr_t_set(d, 3, s, 0), BIT(1));
	/* Were d0 still a member, it would be chosen now. */
	atomic_set(&d[0]->activeconns, 0);
	KUNIT_EXPECT_EQ(test, loc_t_at(d, 3, s, 0, t), 1);
	/* A set of one never shrinks. */
	t += LBLCR_SHRINK / 2 + 1;
	KUNIT_EXPECT_EQ(test, loc_t_at(d, 3, s, 0, t), 1);
	t += LBLCR_SHRINK / 2 + 1;
	KUNIT_EXPECT_EQ(test, loc_t_at(d, 3, s, 0, t), 1);
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
	s = loc_t_build(test, d, N, NULL);
	for (i = 0; i < N; i++) {
		KUNIT_EXPECT_EQ(test, loc_t_at(d, N, s, 0, LOC_T_T0), i);
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

	s1 = loc_t_build(test, d, 2, NULL);
	KUNIT_EXPECT_EQ(test, loc_t_at(d, 3, s1, 0, LOC_T_T0), 0);
	atomic_set(&d[0]->activeconns, 2);

	s2 = loc_t_build(test, d, 3, s1);
	/* Through the old state, where wlc over d0, d1 says d1. */
	KUNIT_EXPECT_EQ(test, loc_t_at(d, 3, s1, 0, LOC_T_T0), 1);
	lvs_loc_free(s1);
	KUNIT_EXPECT_EQ(test, lblcr_t_set(d, 3, s2, 0), BIT(0) | BIT(1));
	atomic_set(&d[0]->activeconns, 1);
	atomic_set(&d[1]->activeconns, 1);
	/* The least loaded of the set, though wlc would say d2. */
	KUNIT_EXPECT_EQ(test, loc_t_at(d, 3, s2, 0, LOC_T_T0), 0);

	s3 = loc_t_build(test, d + 1, 2, s2);
	lvs_loc_free(s2);
	kunit_kfree(test, d[0]);
	KUNIT_EXPECT_EQ(test, loc_t_at(d, 3, s3, 0, LOC_T_T0), 1);
	for (k = 0; k < 12; k++)
		KUNIT_EXPECT_GT(test, loc_t_at(d, 3, s3, k, LOC_T_T0), 0);
	/* Growing the set drops the member that left the service. */
	atomic_set(&d[1]->activeconns, 2);
	KUNIT_EXPECT_EQ(test, loc_t_at(d, 3, s3, 0, LOC_T_T0), 2);
	KUNIT_EXPECT_EQ(test, lblcr_t_set(d + 1, 2, s3, 0), BIT(0) | BIT(1));
	lvs_loc_free(s3);
}

static void lblcr_unavailable(struct kunit *test)
{
	static const u32 w[] = { 1, 1 };
	struct lvs_dest **d = sched_test_dests(test, w, 2);
	void *s = loc_t_build(test, d, 2, NULL);

	KUNIT_EXPECT_EQ(test, loc_t_at(d, 2, s, 0, LOC_T_T0), 0);
	atomic_set(&d[0]->activeconns, 2);
	KUNIT_EXPECT_EQ(test, loc_t_at(d, 2, s, 0, LOC_T_T0), 1);
	atomic_set(&d[0]->activeconns, 0);
	atomic_set(&d[1]->activeconns, 1);
	KUNIT_EXPECT_EQ(test, loc_t_at(d, 2, s, 0, LOC_T_T0), 0);
	d[0]->overloaded = true;
	KUNIT_EXPECT_EQ(test, loc_t_at(d, 2, s, 0, LOC_T_T0), 1);
	d[1]->weight = 0;
	KUNIT_EXPECT_EQ(test, loc_t_at(d, 2, s, 0, LOC_T_T0), -1);
	KUNIT_EXPECT_EQ(test, loc_t_at(d, 2, s, 1, LOC_T_T0), -1);
	d[0]->overloaded = false;
	KUNIT_EXPECT_EQ(test, loc_t_at(d, 2, s, 0, LOC_T_T0), 0);
	lvs_loc_free(s);

	s = loc_t_build(test, NULL, 0, NULL);
	KUNIT_EXPECT_EQ(test, loc_t_at(d, 2, s, 0, LOC_T_T0), -1);
	lvs_loc_free(s);
}

/* An entry lasts LVS_LOC_EXPIRE from its last use, and no longer. */
static void lblcr_expire(struct kunit *test)
{
	static const u32 w[] = { 1, 1 };
	struct lvs_dest **d = sched_test_dests(test, w, 2);
	void *s = loc_t_build(test, d, 2, NULL);
	unsigned long t = LOC_T_T0;

	KUNIT_EXPECT_EQ(test, loc_t_at(d, 2, s, 0, t), 0);
	atomic_inc(&d[0]->activeconns);
	t += LVS_LOC_EXPIRE;
	KUNIT_EXPECT_EQ(test, loc_t_at(d, 2, s, 0, t), 0);
	t += LVS_LOC_EXPIRE + 1;
	KUNIT_EXPECT_EQ(test, loc_t_at(d, 2, s, 0, t), 1);
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
	void *s = loc_t_build(test, d, 1, NULL);
	struct lvs_loc_cache *c = loc_t_cache(s);
	unsigned int k;

	c->max = 16;
	for (k = 1; k < 100; k++) {
		KUNIT_ASSERT_EQ(test, loc_t_at(d, 1, s, k, LOC_T_T0), 0);
		KUNIT_ASSERT_EQ(test, loc_t_at(d, 1, s, 0, LOC_T_T0), 0);
		KUNIT_ASSERT_LE(test, c->count, 16);
	}
	KUNIT_EXPECT_EQ(test, c->count, 16);
	KUNIT_EXPECT_EQ(test, loc_t_entries(s), 16);
	KUNIT_EXPECT_EQ(test, lblcr_t_set(d, 1, s, 0), BIT(0));
	KUNIT_EXPECT_EQ(test, lblcr_t_set(d, 1, s, 84), -1);
	for (k = 85; k < 100; k++)
		KUNIT_EXPECT_EQ_MSG(test, lblcr_t_set(d, 1, s, k), BIT(0),
				    "key %u", k);

	KUNIT_EXPECT_EQ(test, loc_t_at(d, 1, s, 100,
				       LOC_T_T0 + LVS_LOC_EXPIRE + 1), 0);
	KUNIT_EXPECT_EQ(test, c->count, 16 - LVS_LOC_RECLAIM + 1);
	KUNIT_EXPECT_EQ(test, loc_t_entries(s), c->count);
	lvs_loc_free(s);
}

/* lblcr's reference: an entry's set is set[0..ns). */
static unsigned int ref_members(const struct loc_ref *r,
				const struct loc_ref_entry *e)
{
	unsigned int k, n = 0;

	for (k = 0; k < e->ns; k++)
		n += loc_ref_in_set(r, e->set[k]);
	return n;
}

static int ref_min(const struct loc_ref *r, const struct loc_ref_entry *e)
{
	int best = -1;
	unsigned int k;

	for (k = 0; k < e->ns; k++)
		if (loc_ref_in_set(r, e->set[k]) &&
		    loc_ref_avail(r->d[e->set[k]]) &&
		    loc_ref_lighter(r, e->set[k], best))
			best = e->set[k];
	return best;
}

static int ref_max(const struct loc_ref *r, const struct loc_ref_entry *e)
{
	int worst = -1;
	unsigned int k;

	for (k = 0; k < e->ns; k++)
		if (loc_ref_in_set(r, e->set[k]) && r->d[e->set[k]]->weight &&
		    (worst < 0 || loc_ref_lighter(r, worst, e->set[k])))
			worst = e->set[k];
	return worst;
}

/* Keep the members still in the service's set but @drop. */
static void ref_keep(const struct loc_ref *r, struct loc_ref_entry *e,
		     int drop)
{
	unsigned int k, n = 0;

	for (k = 0; k < e->ns; k++)
		if (e->set[k] != drop && loc_ref_in_set(r, e->set[k]))
			e->set[n++] = e->set[k];
	e->ns = n;
}

static void ref_add(struct loc_ref *r, struct loc_ref_entry *e, int w,
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

static int lblcr_ref_hit(struct loc_ref *r, struct loc_ref_entry *e,
			 unsigned long now)
{
	int d;

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
	if (d >= 0 && !loc_ref_busy(r, d)) {
		r->hits++;
		return d;
	}
	return -1;
}

static const struct loc_ref_rules lblcr_ref_rules = {
	.hit	= lblcr_ref_hit,
	.record	= ref_add,
};

static void lblcr_differential(struct kunit *test)
{
	struct loc_ref *r = loc_t_differential(test, 0x1b1c7,
					       &lblcr_ref_rules);

	/* Every rule had its turn. */
	kunit_info(test, "hits %u grown %u shrunk %u expired %u evicted %u none %u\n",
		   r->hits, r->grown, r->shrunk, r->expired, r->evicted,
		   r->none);
	KUNIT_EXPECT_GT(test, r->hits, 100);
	KUNIT_EXPECT_GT(test, r->grown, 10);
	KUNIT_EXPECT_GT(test, r->shrunk, 5);
	KUNIT_EXPECT_GT(test, r->expired, 10);
	KUNIT_EXPECT_GT(test, r->evicted, 10);
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
