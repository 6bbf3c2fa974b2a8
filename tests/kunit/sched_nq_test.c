// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: never queue. Included at the end of src/sched_nq.c so the tests
 * reach its static functions.
 */

#include "sched_test.h"

static const struct sched_case nq_cases[] = {
	{ "an idle one at once, even light", 2, { 9, 1 }, { 3, 0 },
	  { 0, 0 }, 1 },
	{ "the first idle one", 3, { 1, 1, 1 }, { 1, 0, 0 }, { 0, 0, 0 }, 1 },
	{ "all busy: shortest delay", 2, { 1, 2 }, { 1, 1 }, { 0, 0 }, 1 },
	{ "all busy, tie: the first", 2, { 1, 2 }, { 1, 3 }, { 0, 0 }, 0 },
};

static void nq_picks(struct kunit *test)
{
	sched_test_cases(test, &nq_scheduler, nq_cases,
			 ARRAY_SIZE(nq_cases));
}

/* Connections that never end pile up in proportion to the weights once none is idle. */
static void nq_share(struct kunit *test)
{
	static const u32 w[] = { 1, 2, 3 };
	unsigned int count[3], i;

	sched_test_share(test, &nq_scheduler, w, 3, 600, count);
	for (i = 0; i < 3; i++)
		KUNIT_EXPECT_LE_MSG(test, abs((int)count[i] - 100 * (int)w[i]), 1,
				    "destination %u got %u", i, count[i]);
}

static void nq_empty(struct kunit *test)
{
	void *s = nq_scheduler.build(NULL, NULL, 0, NULL);

	KUNIT_ASSERT_FALSE(test, IS_ERR(s));
	KUNIT_EXPECT_NULL(test, nq_scheduler.schedule(s, NULL));
	nq_scheduler.free(s);
}

static void nq_unavailable(struct kunit *test)
{
	sched_test_unavailable(test, &nq_scheduler);
}

/*
 * The reference: the first available idle one, else the first of the
 * lowest (active + 1) / weight.
 */
static u64 nq_ref_delay(const struct lvs_dest *d)
{
	return sched_test_per_weight(atomic_read(&d->activeconns) + 1, d);
}

static struct lvs_dest *nq_ref_pick(struct sched_test_ref *ref,
				    struct lvs_dest *const *d, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (sched_test_available(d[i]) &&
		    !atomic_read(&d[i]->activeconns))
			return d[i];
	return sched_test_argmin(d, n, nq_ref_delay);
}

static void nq_differential(struct kunit *test)
{
	struct sched_test_ref ref = { .pick = nq_ref_pick };

	sched_test_differential(test, &nq_scheduler, &ref);
}

static struct kunit_case lvs_sched_nq_cases[] = {
	KUNIT_CASE(nq_picks),
	KUNIT_CASE(nq_share),
	KUNIT_CASE(nq_empty),
	KUNIT_CASE(nq_unavailable),
	KUNIT_CASE(nq_differential),
	{}
};

static struct kunit_suite lvs_sched_nq_suite = {
	.name		= "lvs_sched_nq",
	.test_cases	= lvs_sched_nq_cases,
};

kunit_test_suite(lvs_sched_nq_suite);
