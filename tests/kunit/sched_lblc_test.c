// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: locality-based least connection. Included at the end of
 * src/sched_lblc.c so the tests reach its static functions. They pass
 * the time to lblc_pick() themselves, so days go by in no time.
 */

#define LOC_T_BUILD	lblc_build
#define LOC_T_PICK	lblc_pick
#define LOC_T_SLOTS	1
#include "sched_locality_test.h"

static bool lblc_t_cached(void *s, u32 key)
{
	struct lvs_loc_entry *e;

	rcu_read_lock();
	e = loc_t_find(s, key);
	rcu_read_unlock();
	return e;
}

/* A key stays with its server while it holds up to its weight. */
static void lblc_locality(struct kunit *test)
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
	/* Another key goes where wlc says. */
	KUNIT_EXPECT_EQ(test, loc_t_at(d, 3, s, 1, LOC_T_T0), 1);
	lvs_loc_free(s);
}

static void lblc_spread(struct kunit *test)
{
	loc_t_spread(test);
}

/*
 * A key leaves a server with more active connections than its weight only
 * for one below half of its own, and then sticks to the new one.
 */
static void lblc_overload(struct kunit *test)
{
	static const u32 w[] = { 2, 2 };
	struct lvs_dest **d = sched_test_dests(test, w, 2);
	void *s = loc_t_build(test, d, 2, NULL);

	KUNIT_EXPECT_EQ(test, loc_t_at(d, 2, s, 0, LOC_T_T0), 0);
	atomic_set(&d[0]->activeconns, 3);
	atomic_set(&d[1]->activeconns, 1);
	KUNIT_EXPECT_EQ(test, loc_t_at(d, 2, s, 0, LOC_T_T0), 0);
	atomic_set(&d[1]->activeconns, 0);
	KUNIT_EXPECT_EQ(test, loc_t_at(d, 2, s, 0, LOC_T_T0), 1);
	atomic_set(&d[0]->activeconns, 0);
	atomic_set(&d[1]->activeconns, 1);
	KUNIT_EXPECT_EQ(test, loc_t_at(d, 2, s, 0, LOC_T_T0), 1);
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

	s1 = loc_t_build(test, d, 2, NULL);
	KUNIT_EXPECT_EQ(test, loc_t_at(d, 3, s1, 0, LOC_T_T0), 0);
	atomic_inc(&d[0]->activeconns);

	s2 = loc_t_build(test, d, 3, s1);
	/* Through the old state, which wlc over d0, d1 sends to d1. */
	KUNIT_EXPECT_EQ(test, loc_t_at(d, 3, s1, 1, LOC_T_T0), 1);
	atomic_inc(&d[1]->activeconns);
	lvs_loc_free(s1);
	/* wlc would now say d2 for both. */
	KUNIT_EXPECT_EQ(test, loc_t_at(d, 3, s2, 0, LOC_T_T0), 0);
	KUNIT_EXPECT_EQ(test, loc_t_at(d, 3, s2, 1, LOC_T_T0), 1);

	s3 = loc_t_build(test, d + 1, 2, s2);
	lvs_loc_free(s2);
	kunit_kfree(test, d[0]);
	KUNIT_EXPECT_EQ(test, loc_t_at(d, 3, s3, 0, LOC_T_T0), 2);
	for (k = 0; k < 12; k++)
		KUNIT_EXPECT_GT(test, loc_t_at(d, 3, s3, k, LOC_T_T0), 0);
	lvs_loc_free(s3);
}

static void lblc_unavailable(struct kunit *test)
{
	static const u32 w[] = { 1, 1 };
	struct lvs_dest **d = sched_test_dests(test, w, 2);
	void *s = loc_t_build(test, d, 2, NULL);

	KUNIT_EXPECT_EQ(test, loc_t_at(d, 2, s, 0, LOC_T_T0), 0);
	d[0]->overloaded = true;
	KUNIT_EXPECT_EQ(test, loc_t_at(d, 2, s, 0, LOC_T_T0), 1);
	d[0]->overloaded = false;
	d[1]->weight = 0;
	KUNIT_EXPECT_EQ(test, loc_t_at(d, 2, s, 0, LOC_T_T0), 0);
	d[0]->overloaded = true;
	KUNIT_EXPECT_EQ(test, loc_t_at(d, 2, s, 0, LOC_T_T0), -1);
	KUNIT_EXPECT_EQ(test, loc_t_at(d, 2, s, 1, LOC_T_T0), -1);
	lvs_loc_free(s);

	s = loc_t_build(test, NULL, 0, NULL);
	KUNIT_EXPECT_EQ(test, loc_t_at(d, 2, s, 0, LOC_T_T0), -1);
	lvs_loc_free(s);
}

/* An entry lasts LVS_LOC_EXPIRE from its last use, and no longer. */
static void lblc_expire(struct kunit *test)
{
	static const u32 w[] = { 1, 1 };
	struct lvs_dest **d = sched_test_dests(test, w, 2);
	void *s = loc_t_build(test, d, 2, NULL);
	unsigned long t = LOC_T_T0;

	KUNIT_EXPECT_EQ(test, loc_t_at(d, 2, s, 0, t), 0);
	atomic_inc(&d[0]->activeconns);
	t += LVS_LOC_EXPIRE;
	KUNIT_EXPECT_EQ(test, loc_t_at(d, 2, s, 0, t), 0);
	t += LVS_LOC_EXPIRE;
	KUNIT_EXPECT_EQ(test, loc_t_at(d, 2, s, 0, t), 0);
	t += LVS_LOC_EXPIRE + 1;
	KUNIT_EXPECT_EQ(test, loc_t_at(d, 2, s, 0, t), 1);
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
	KUNIT_EXPECT_TRUE(test, lblc_t_cached(s, 0));
	KUNIT_EXPECT_FALSE(test, lblc_t_cached(s, 84));
	for (k = 85; k < 100; k++)
		KUNIT_EXPECT_TRUE_MSG(test, lblc_t_cached(s, k), "key %u", k);

	KUNIT_EXPECT_EQ(test, loc_t_at(d, 1, s, 100,
				       LOC_T_T0 + LVS_LOC_EXPIRE + 1), 0);
	KUNIT_EXPECT_EQ(test, c->count, 16 - LVS_LOC_RECLAIM + 1);
	KUNIT_EXPECT_EQ(test, loc_t_entries(s), c->count);
	lvs_loc_free(s);
}

/* lblc's reference: an entry's server is set[0]. */
static int lblc_ref_hit(struct loc_ref *r, struct loc_ref_entry *e,
			unsigned long now)
{
	int d = e->set[0];

	if (loc_ref_in_set(r, d) && loc_ref_avail(r->d[d])) {
		if (!loc_ref_busy(r, d)) {
			r->hits++;
			return d;
		}
		r->busy++;
	}
	return -1;
}

static void lblc_ref_record(struct loc_ref *r, struct loc_ref_entry *e,
			    int w, unsigned long now)
{
	r->moves += e->ns && e->set[0] != w;
	e->set[0] = w;
	e->ns = 1;
}

static const struct loc_ref_rules lblc_ref_rules = {
	.hit	= lblc_ref_hit,
	.record	= lblc_ref_record,
};

static void lblc_differential(struct kunit *test)
{
	struct loc_ref *r = loc_t_differential(test, 0x1b1c, &lblc_ref_rules);

	/* Every rule had its turn. */
	kunit_info(test, "hits %u busy %u moves %u expired %u evicted %u none %u\n",
		   r->hits, r->busy, r->moves, r->expired, r->evicted, r->none);
	KUNIT_EXPECT_GT(test, r->hits, 100);
	KUNIT_EXPECT_GT(test, r->busy, 10);
	KUNIT_EXPECT_GT(test, r->moves, 10);
	KUNIT_EXPECT_GT(test, r->expired, 10);
	KUNIT_EXPECT_GT(test, r->evicted, 10);
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
