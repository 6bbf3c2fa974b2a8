// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: weighted failover. Included at the end of src/sched_fo.c so the
 * tests reach its static functions.
 */

#include "sched_test.h"

static const struct sched_case fo_cases[] = {
	{ "the highest weight", 3, { 1, 3, 2 }, { 0, 0, 0 }, { 0, 0, 0 }, 1 },
	{ "equal weights: the first", 2, { 2, 2 }, { 0, 0 }, { 0, 0 }, 0 },
	{ "load does not matter", 2, { 1, 3 }, { 0, 50 }, { 0, 9 }, 1 },
};

static void fo_picks(struct kunit *test)
{
	sched_test_cases(test, &fo_scheduler, fo_cases, ARRAY_SIZE(fo_cases));
}

/* Everything goes to the heaviest while it is there. */
static void fo_share(struct kunit *test)
{
	static const u32 w[] = { 1, 3, 2 };
	unsigned int count[3];

	sched_test_share(test, &fo_scheduler, w, 3, 100, count);
	KUNIT_EXPECT_EQ(test, count[0], 0);
	KUNIT_EXPECT_EQ(test, count[1], 100);
	KUNIT_EXPECT_EQ(test, count[2], 0);
}

static void fo_empty(struct kunit *test)
{
	void *s = fo_scheduler.build(NULL, NULL, 0, NULL);

	KUNIT_ASSERT_FALSE(test, IS_ERR(s));
	KUNIT_EXPECT_NULL(test, fo_scheduler.schedule(s, NULL));
	fo_scheduler.free(s);
}

static void fo_unavailable(struct kunit *test)
{
	sched_test_unavailable(test, &fo_scheduler);
}

/* The reference: the first of the highest weight. */
static u64 fo_ref_key(const struct lvs_dest *d)
{
	return U32_MAX - d->weight;
}

static struct lvs_dest *fo_ref_pick(struct sched_test_ref *ref,
				    struct lvs_dest *const *d, unsigned int n)
{
	return sched_test_argmin(d, n, fo_ref_key);
}

static void fo_differential(struct kunit *test)
{
	struct sched_test_ref ref = { .pick = fo_ref_pick };

	sched_test_differential(test, &fo_scheduler, &ref);
}

static struct kunit_case lvs_sched_fo_cases[] = {
	KUNIT_CASE(fo_picks),
	KUNIT_CASE(fo_share),
	KUNIT_CASE(fo_empty),
	KUNIT_CASE(fo_unavailable),
	KUNIT_CASE(fo_differential),
	{}
};

static struct kunit_suite lvs_sched_fo_suite = {
	.name		= "lvs_sched_fo",
	.test_cases	= lvs_sched_fo_cases,
};

kunit_test_suite(lvs_sched_fo_suite);
