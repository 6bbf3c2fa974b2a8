// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: weighted least connection. Included at the end of src/sched_wlc.c so the tests
 * reach its static functions.
 */

#include "sched_test.h"

static const struct sched_case wlc_cases[] = {
	{ "idle: the first", 2, { 1, 3 }, { 0, 0 }, { 0, 0 }, 0 },
	{ "cost per weight", 2, { 1, 3 }, { 1, 2 }, { 0, 0 }, 1 },
	{ "equal cost per weight: the first", 2, { 1, 2 }, { 1, 2 },
	  { 0, 0 }, 0 },
	{ "inactive count too", 2, { 1, 1 }, { 1, 1 }, { 3, 2 }, 1 },
};

static void wlc_picks(struct kunit *test)
{
	sched_test_cases(test, &wlc_scheduler, wlc_cases,
			 ARRAY_SIZE(wlc_cases));
}

/* Connections that never end pile up in proportion to the weights. */
static void wlc_share(struct kunit *test)
{
	static const u32 w[] = { 1, 2, 3 };
	unsigned int count[3], i;

	sched_test_share(test, &wlc_scheduler, w, 3, 600, count);
	for (i = 0; i < 3; i++)
		KUNIT_EXPECT_LE_MSG(test, abs((int)count[i] - 100 * (int)w[i]), 1,
				    "destination %u got %u", i, count[i]);
}

static void wlc_empty(struct kunit *test)
{
	void *s = wlc_scheduler.build(NULL, NULL, 0, NULL);

	KUNIT_ASSERT_FALSE(test, IS_ERR(s));
	KUNIT_EXPECT_NULL(test, wlc_scheduler.schedule(s, NULL));
	wlc_scheduler.free(s);
}

static void wlc_unavailable(struct kunit *test)
{
	sched_test_unavailable(test, &wlc_scheduler);
}

/* The reference: the first of the lowest overhead / weight. */
static u64 wlc_ref_key(const struct lvs_dest *d)
{
	return sched_test_per_weight(sched_test_overhead(d), d);
}

static struct lvs_dest *wlc_ref_pick(struct sched_test_ref *ref,
				     struct lvs_dest *const *d, unsigned int n)
{
	return sched_test_argmin(d, n, wlc_ref_key);
}

static void wlc_differential(struct kunit *test)
{
	struct sched_test_ref ref = { .pick = wlc_ref_pick };

	sched_test_differential(test, &wlc_scheduler, &ref);
}

static struct kunit_case lvs_sched_wlc_cases[] = {
	KUNIT_CASE(wlc_picks),
	KUNIT_CASE(wlc_share),
	KUNIT_CASE(wlc_empty),
	KUNIT_CASE(wlc_unavailable),
	KUNIT_CASE(wlc_differential),
	{}
};

static struct kunit_suite lvs_sched_wlc_suite = {
	.name		= "lvs_sched_wlc",
	.test_cases	= lvs_sched_wlc_cases,
};

kunit_test_suite(lvs_sched_wlc_suite);
