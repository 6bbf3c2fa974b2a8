// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: weighted random twos choice. Included at the end of
 * src/sched_twos.c so the tests reach its static functions. The choice is
 * random, so the shares are checked within six standard deviations: a
 * correct scheduler fails about once in a billion runs. Given its draws,
 * it is not: twos_pick() is compared with a reference given the same ones,
 * and where each draw lands is checked for every value.
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

static void twos_unavailable(struct kunit *test)
{
	sched_test_unavailable(test, &twos_scheduler);
}

/*
 * Every draw below the total lands on an available destination, each on
 * as many as its weight; a draw at the total lands on none.
 */
static void twos_draw_spans(struct kunit *test)
{
	static const struct lvs_sched_conf conf = {};
	static const u32 w[] = { 3, 1, 4, 1, 5 };
	struct lvs_dest **d = sched_test_dests(test, w, 5);
	void *s = twos_scheduler.build(&conf, d, 5, NULL);
	unsigned int count[5] = {}, i;
	u64 total, r;

	KUNIT_ASSERT_FALSE(test, IS_ERR(s));
	d[2]->overloaded = true;
	d[3]->weight = 0;
	total = twos_total(s);
	KUNIT_EXPECT_EQ(test, total, 3 + 1 + 5);
	for (r = 0; r < total; r++) {
		int k = sched_test_index(d, 5, twos_draw(s, r));

		KUNIT_EXPECT_GE(test, k, 0);
		if (k >= 0)
			count[k]++;
	}
	for (i = 0; i < 5; i++)
		KUNIT_EXPECT_EQ_MSG(test, count[i],
				    sched_test_available(d[i]) ? w[i] : 0,
				    "destination %u", i);
	KUNIT_EXPECT_NULL(test, twos_draw(s, total));
	twos_scheduler.free(s);
}

/*
 * The reference: each available destination holds as many tickets as its
 * weight; two tickets drawn, the lower overhead / weight of the two wins,
 * the first on a tie. twos_pick() gets the same two draws.
 */
struct twos_ref {
	struct sched_test_ref ref;
	struct rnd_state rnd;
	unsigned int total, r1, r2;
};

static struct lvs_dest *twos_ref_pick(struct sched_test_ref *ref,
				      struct lvs_dest *const *d,
				      unsigned int n)
{
	struct twos_ref *t = container_of(ref, struct twos_ref, ref);
	struct lvs_dest *ticket[SCHED_TEST_POOL * SCHED_TEST_MAXW], *a, *b;
	unsigned int i, k;

	t->total = 0;
	for (i = 0; i < n; i++)
		for (k = 0; sched_test_available(d[i]) && k < d[i]->weight; k++)
			ticket[t->total++] = d[i];
	if (!t->total)
		return NULL;
	t->r1 = sched_test_below(&t->rnd, t->total);
	t->r2 = sched_test_below(&t->rnd, t->total);
	a = ticket[t->r1];
	b = ticket[t->r2];
	if (sched_test_per_weight(sched_test_overhead(b), b) <
	    sched_test_per_weight(sched_test_overhead(a), a))
		return b;
	return a;
}

static struct lvs_dest *twos_ref_real(struct sched_test_ref *ref, void *s)
{
	struct twos_ref *t = container_of(ref, struct twos_ref, ref);

	KUNIT_EXPECT_EQ(ref->test, twos_total(s), t->total);
	if (!t->total)
		return twos_schedule(s, NULL);
	return twos_pick(s, t->r1, t->r2);
}

static void twos_differential(struct kunit *test)
{
	struct twos_ref t = {
		.ref = { .pick = twos_ref_pick, .real = twos_ref_real },
	};

	sched_test_seed(&t.rnd);
	sched_test_differential(test, &twos_scheduler, &t.ref);
}

static struct kunit_case lvs_sched_twos_cases[] = {
	KUNIT_CASE(twos_weights),
	KUNIT_CASE(twos_avoids_load),
	KUNIT_CASE(twos_single_and_empty),
	KUNIT_CASE(twos_unavailable),
	KUNIT_CASE(twos_draw_spans),
	KUNIT_CASE(twos_differential),
	{}
};

static struct kunit_suite lvs_sched_twos_suite = {
	.name		= "lvs_sched_twos",
	.test_cases	= lvs_sched_twos_cases,
};

kunit_test_suite(lvs_sched_twos_suite);
