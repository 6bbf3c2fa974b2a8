// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: weighted random twos choice. Included at the end of
 * src/sched_twos.c so the tests reach its static functions. The choice is
 * random, so the shares are checked within six standard deviations: a
 * correct scheduler fails about once in a billion runs.
 */

#include "sched_test.h"

enum { PICKS = 400 };

/* How many of PICKS picks went to each destination, loads unchanged. */
static void picks(struct kunit *test, const u32 *w, const u32 *active,
		  unsigned int n, unsigned int *count)
{
	struct lvs_dest **d = sched_test_dests(test, w, n);
	void *s;
	unsigned int i;

	for (i = 0; i < n; i++) {
		atomic_set(&d[i]->activeconns, active[i]);
		count[i] = 0;
	}
	s = twos_scheduler.build(NULL, d, n, NULL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(s));
	for (i = 0; i < PICKS; i++) {
		int k = sched_test_index(d, n, twos_scheduler.schedule(s, NULL));

		KUNIT_ASSERT_GE(test, k, 0);
		count[k]++;
	}
	twos_scheduler.free(s);
}

/* Equal loads: the first draw wins, so shares follow the weights (3/4). */
static void twos_weights(struct kunit *test)
{
	static const u32 w[] = { 1, 3 }, active[] = { 0, 0 };
	unsigned int count[2];

	picks(test, w, active, 2, count);
	KUNIT_EXPECT_LE_MSG(test, abs((int)count[1] - 300), 52,
			    "heavier got %u of %u", count[1], PICKS);
}

/* A loaded one wins only when both draws pick it (1/4). */
static void twos_avoids_load(struct kunit *test)
{
	static const u32 w[] = { 1, 1 }, active[] = { 1000, 0 };
	unsigned int count[2];

	picks(test, w, active, 2, count);
	KUNIT_EXPECT_LE_MSG(test, abs((int)count[0] - 100), 52,
			    "loaded got %u of %u", count[0], PICKS);
}

static void twos_single_and_empty(struct kunit *test)
{
	static const u32 w[] = { 7 }, active[] = { 5 };
	unsigned int count[1];
	void *s;

	picks(test, w, active, 1, count);
	KUNIT_EXPECT_EQ(test, count[0], PICKS);

	s = twos_scheduler.build(NULL, NULL, 0, NULL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(s));
	KUNIT_EXPECT_NULL(test, twos_scheduler.schedule(s, NULL));
	twos_scheduler.free(s);
}

static struct kunit_case lvs_sched_twos_cases[] = {
	KUNIT_CASE(twos_weights),
	KUNIT_CASE(twos_avoids_load),
	KUNIT_CASE(twos_single_and_empty),
	{}
};

static struct kunit_suite lvs_sched_twos_suite = {
	.name		= "lvs_sched_twos",
	.test_cases	= lvs_sched_twos_cases,
};

kunit_test_suite(lvs_sched_twos_suite);
