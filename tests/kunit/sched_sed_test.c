// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: shortest expected delay. Included at the end of src/sched_sed.c so the tests
 * reach its static functions.
 */

#include "sched_test.h"

static const struct sched_case sed_cases[] = {
	{ "idle: the heaviest", 2, { 1, 2 }, { 0, 0 }, { 0, 0 }, 1 },
	{ "delay tie: the first", 2, { 1, 2 }, { 0, 1 }, { 0, 0 }, 0 },
	{ "lower (active + 1) / weight", 2, { 1, 2 }, { 1, 1 }, { 0, 0 }, 1 },
	{ "inactive do not count", 2, { 1, 1 }, { 0, 0 }, { 9, 0 }, 0 },
};

static void sed_picks(struct kunit *test)
{
	sched_test_cases(test, &sed_scheduler, sed_cases,
			 ARRAY_SIZE(sed_cases));
}

/* Connections that never end pile up in proportion to the weights. */
static void sed_share(struct kunit *test)
{
	static const u32 w[] = { 1, 2, 3 };
	unsigned int count[3], i;

	sched_test_share(test, &sed_scheduler, w, 3, 600, count);
	for (i = 0; i < 3; i++)
		KUNIT_EXPECT_LE_MSG(test, abs((int)count[i] - 100 * (int)w[i]), 1,
				    "destination %u got %u", i, count[i]);
}

static void sed_empty(struct kunit *test)
{
	void *s = sed_scheduler.build(NULL, NULL, 0, NULL);

	KUNIT_ASSERT_FALSE(test, IS_ERR(s));
	KUNIT_EXPECT_NULL(test, sed_scheduler.schedule(s, NULL));
	sed_scheduler.free(s);
}

static void sed_unavailable(struct kunit *test)
{
	sched_test_unavailable(test, &sed_scheduler);
}

/* The reference: the first of the lowest (active + 1) / weight. */
static u64 sed_ref_key(const struct lvs_dest *d)
{
	return sched_test_per_weight(atomic_read(&d->activeconns) + 1, d);
}

static struct lvs_dest *sed_ref_pick(struct sched_test_ref *ref,
				     struct lvs_dest *const *d, unsigned int n)
{
	return sched_test_argmin(d, n, sed_ref_key);
}

static void sed_differential(struct kunit *test)
{
	struct sched_test_ref ref = { .pick = sed_ref_pick };

	sched_test_differential(test, &sed_scheduler, &ref);
}

static struct kunit_case lvs_sched_sed_cases[] = {
	KUNIT_CASE(sed_picks),
	KUNIT_CASE(sed_share),
	KUNIT_CASE(sed_empty),
	KUNIT_CASE(sed_unavailable),
	KUNIT_CASE(sed_differential),
	{}
};

static struct kunit_suite lvs_sched_sed_suite = {
	.name		= "lvs_sched_sed",
	.test_cases	= lvs_sched_sed_cases,
};

kunit_test_suite(lvs_sched_sed_suite);
