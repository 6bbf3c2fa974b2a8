// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: overflow connection. Included at the end of src/sched_ovf.c so
 * the tests reach its static functions.
 */

#include "sched_test.h"

static const struct sched_case ovf_cases[] = {
	{ "the highest weight with room", 2, { 1, 3 }, { 0, 0 }, { 0, 0 }, 1 },
	{ "full: overflow to the next", 2, { 1, 3 }, { 0, 3 }, { 0, 0 }, 0 },
	{ "all full: none", 2, { 1, 3 }, { 1, 3 }, { 0, 0 }, -1 },
	{ "equal weights: the first with room", 2, { 2, 2 }, { 2, 1 },
	  { 0, 0 }, 1 },
	{ "inactive do not count", 1, { 1 }, { 0 }, { 50 }, 0 },
};

static void ovf_picks(struct kunit *test)
{
	sched_test_cases(test, &ovf_scheduler, ovf_cases,
			 ARRAY_SIZE(ovf_cases));
}

/* Connections that never end fill each destination to its weight. */
static void ovf_fill(struct kunit *test)
{
	static const u32 w[] = { 2, 5, 3 };
	struct lvs_dest **d = sched_test_dests(test, w, 3);
	void *s = ovf_scheduler.build(NULL, d, 3, NULL);
	static const int order[] = { 1, 1, 1, 1, 1, 2, 2, 2, 0, 0 };
	struct lvs_dest *pick;
	unsigned int i;

	KUNIT_ASSERT_FALSE(test, IS_ERR(s));
	for (i = 0; i < ARRAY_SIZE(order); i++) {
		pick = ovf_scheduler.schedule(s, NULL);
		KUNIT_ASSERT_EQ_MSG(test, sched_test_index(d, 3, pick),
				    order[i], "pick %u", i);
		atomic_inc(&pick->activeconns);
	}
	KUNIT_EXPECT_NULL(test, ovf_scheduler.schedule(s, NULL));
	ovf_scheduler.free(s);
}

static void ovf_unavailable(struct kunit *test)
{
	sched_test_unavailable(test, &ovf_scheduler);
}

/* The reference: the first of the highest weight among those not full. */
static u64 ovf_ref_key(const struct lvs_dest *d)
{
	if (atomic_read(&d->activeconns) >= d->weight)
		return U64_MAX;
	return U32_MAX - d->weight;
}

static struct lvs_dest *ovf_ref_pick(struct sched_test_ref *ref,
				     struct lvs_dest *const *d, unsigned int n)
{
	return sched_test_argmin(d, n, ovf_ref_key);
}

static void ovf_differential(struct kunit *test)
{
	struct sched_test_ref ref = { .pick = ovf_ref_pick };

	sched_test_differential(test, &ovf_scheduler, &ref);
}

static struct kunit_case lvs_sched_ovf_cases[] = {
	KUNIT_CASE(ovf_picks),
	KUNIT_CASE(ovf_fill),
	KUNIT_CASE(ovf_unavailable),
	KUNIT_CASE(ovf_differential),
	{}
};

static struct kunit_suite lvs_sched_ovf_suite = {
	.name		= "lvs_sched_ovf",
	.test_cases	= lvs_sched_ovf_cases,
};

kunit_test_suite(lvs_sched_ovf_suite);
