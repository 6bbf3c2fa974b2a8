// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: least connection. Included at the end of src/sched_lc.c so the tests
 * reach its static functions.
 */

#include "sched_test.h"

static const struct sched_case lc_cases[] = {
	{ "idle: the first", 3, { 1, 1, 1 }, { 0, 0, 0 }, { 0, 0, 0 }, 0 },
	{ "fewest active", 3, { 1, 1, 1 }, { 2, 1, 1 }, { 0, 5, 0 }, 2 },
	{ "an active outweighs 255 inactive", 2, { 1, 1 }, { 1, 0 },
	  { 0, 255 }, 1 },
	{ "an active ties 256 inactive: the first", 2, { 1, 1 }, { 1, 0 },
	  { 0, 256 }, 0 },
	{ "weight does not count", 2, { 1, 100 }, { 0, 1 }, { 0, 0 }, 0 },
};

static void lc_picks(struct kunit *test)
{
	sched_test_cases(test, &lc_scheduler, lc_cases,
			 ARRAY_SIZE(lc_cases));
}

/* Connections that never end pile up evenly, whatever the weights. */
static void lc_share(struct kunit *test)
{
	static const u32 w[] = { 1, 2, 3 };
	unsigned int count[3], i;

	sched_test_share(test, &lc_scheduler, w, 3, 600, count);
	for (i = 0; i < 3; i++)
		KUNIT_EXPECT_LE_MSG(test, abs((int)count[i] - 200), 1,
				    "destination %u got %u", i, count[i]);
}

static void lc_empty(struct kunit *test)
{
	void *s = lc_scheduler.build(NULL, NULL, 0, NULL);

	KUNIT_ASSERT_FALSE(test, IS_ERR(s));
	KUNIT_EXPECT_NULL(test, lc_scheduler.schedule(s, NULL));
	lc_scheduler.free(s);
}

static void lc_unavailable(struct kunit *test)
{
	sched_test_unavailable(test, &lc_scheduler);
}

/* The reference: the first of the lowest overhead. */
static struct lvs_dest *lc_ref_pick(struct sched_test_ref *ref,
				    struct lvs_dest *const *d, unsigned int n)
{
	return sched_test_argmin(d, n, sched_test_overhead);
}

static void lc_differential(struct kunit *test)
{
	struct sched_test_ref ref = { .pick = lc_ref_pick };

	sched_test_differential(test, &lc_scheduler, &ref);
}

static struct kunit_case lvs_sched_lc_cases[] = {
	KUNIT_CASE(lc_picks),
	KUNIT_CASE(lc_share),
	KUNIT_CASE(lc_empty),
	KUNIT_CASE(lc_unavailable),
	KUNIT_CASE(lc_differential),
	{}
};

static struct kunit_suite lvs_sched_lc_suite = {
	.name		= "lvs_sched_lc",
	.test_cases	= lvs_sched_lc_cases,
};

kunit_test_suite(lvs_sched_lc_suite);
