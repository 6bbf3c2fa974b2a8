// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: weighted round robin. Included at the end of src/sched_wrr.c so
 * the tests reach its static functions. Exact cycles for known weights,
 * then differential runs: against a naive expansion of the cycle, and
 * against a naive walk under changes and overloads.
 */

#include <linux/gcd.h>

#include "sched_test.h"

/* Expect the indices of @seq, @reps times over. */
static void expect_cycle(struct kunit *test, const u32 *w, unsigned int n,
			 const int *seq, unsigned int len, unsigned int reps)
{
	struct lvs_dest **d = sched_test_dests(test, w, n);
	void *s = wrr_build(NULL, d, n, NULL);
	unsigned int i;

	KUNIT_ASSERT_FALSE(test, IS_ERR(s));
	for (i = 0; i < len * reps; i++)
		KUNIT_EXPECT_EQ_MSG(test,
				    sched_test_index(d, n,
						     wrr_schedule(s, NULL)),
				    seq[i % len], "pick %u", i);
	wrr_free(s);
}

static void wrr_interleaved(struct kunit *test)
{
	static const u32 w[] = { 3, 2, 1 };
	static const int seq[] = { 0, 0, 1, 0, 1, 2 };

	expect_cycle(test, w, 3, seq, ARRAY_SIZE(seq), 3);
}

/* Weights 4 and 2 share the divisor 2: the cycle is 3 picks long. */
static void wrr_gcd(struct kunit *test)
{
	static const u32 w[] = { 4, 2 };
	static const int seq[] = { 0, 0, 1 };

	expect_cycle(test, w, 2, seq, ARRAY_SIZE(seq), 4);
}

static void wrr_equal_is_rr(struct kunit *test)
{
	static const u32 w[] = { 5, 5, 5, 5 };
	static const int seq[] = { 0, 1, 2, 3 };

	expect_cycle(test, w, 4, seq, ARRAY_SIZE(seq), 3);
}

static void wrr_empty(struct kunit *test)
{
	void *s = wrr_build(NULL, NULL, 0, NULL);

	KUNIT_ASSERT_FALSE(test, IS_ERR(s));
	KUNIT_EXPECT_NULL(test, wrr_schedule(s, NULL));
	wrr_free(s);
}

/*
 * The reference: the cycle by its definition. For each threshold from
 * the largest weight down to the divisor, every destination whose weight
 * reaches it, in order.
 */
static unsigned int naive_cycle(const u32 *w, unsigned int n, int *out)
{
	u32 max = 0, step = 0, cw;
	unsigned int i, len = 0;

	for (i = 0; i < n; i++) {
		max = max(max, w[i]);
		step = step ? gcd(step, w[i]) : w[i];
	}
	for (cw = max; cw >= step && cw > 0; cw -= step)
		for (i = 0; i < n; i++)
			if (w[i] >= cw)
				out[len++] = i;
	return len;
}

static u32 gcd_of(const u32 *w, unsigned int n)
{
	u32 g = 0;

	while (n--)
		g = g ? gcd(g, w[n]) : w[n];
	return g;
}

static void wrr_cycle_differential(struct kunit *test)
{
	enum { MAXN = 8, MAXW = 12, ROUNDS = 200 };
	int *cycle = kunit_kcalloc(test, MAXN * MAXW, sizeof(int), GFP_KERNEL);
	struct rnd_state rnd;
	u32 w[MAXN];
	unsigned int r, i;

	KUNIT_ASSERT_NOT_NULL(test, cycle);
	sched_test_seed(&rnd);
	for (r = 0; r < ROUNDS; r++) {
		unsigned int n = 1 + sched_test_below(&rnd, MAXN);
		unsigned int len, total = 0;
		struct lvs_dest **d;
		void *s;

		for (i = 0; i < n; i++) {
			w[i] = 1 + sched_test_below(&rnd, MAXW);
			total += w[i];
		}
		len = naive_cycle(w, n, cycle);
		/* One cycle gives every destination weight/gcd picks. */
		KUNIT_ASSERT_EQ(test, len * gcd_of(w, n), total);

		d = sched_test_dests(test, w, n);
		s = wrr_build(NULL, d, n, NULL);
		KUNIT_ASSERT_FALSE(test, IS_ERR(s));
		for (i = 0; i < 2 * len; i++)
			KUNIT_ASSERT_EQ_MSG(test,
					    sched_test_index(d, n,
							     wrr_schedule(s, NULL)),
					    cycle[i % len], "round %u pick %u",
					    r, i);
		wrr_free(s);
	}
}

static void wrr_unavailable(struct kunit *test)
{
	sched_test_unavailable(test, &wrr_scheduler);
}

/*
 * The reference: one position at a time, the threshold lowered by the
 * divisor at each wrap and back to the largest weight below 1, until an
 * available destination whose weight (as built) reaches it; the cursor
 * moves only on a pick. Two cycles and a round are enough to see every
 * destination from any start. A rebuild keeps the cursor if its position
 * is still in the set, the threshold capped at the new largest weight.
 */
struct wrr_ref {
	struct sched_test_ref ref;
	u32 w[SCHED_TEST_POOL];
	u32 max, step;
	int pos, cw;
};

static void wrr_ref_rebuild(struct sched_test_ref *ref,
			    struct lvs_dest *const *d, unsigned int n)
{
	struct wrr_ref *r = container_of(ref, struct wrr_ref, ref);
	unsigned int i;

	r->max = 0;
	for (i = 0; i < n; i++) {
		r->w[i] = d[i]->weight;
		r->max = max(r->max, r->w[i]);
	}
	r->step = gcd_of(r->w, n);
	if (r->pos >= (int)n) {
		r->pos = -1;
		r->cw = 0;
	}
	r->cw = min_t(int, r->cw, r->max);
}

static struct lvs_dest *wrr_ref_pick(struct sched_test_ref *ref,
				     struct lvs_dest *const *d, unsigned int n)
{
	struct wrr_ref *r = container_of(ref, struct wrr_ref, ref);
	int pos = r->pos, cw = r->cw;
	unsigned int k;

	if (!n)
		return NULL;
	for (k = 0; k < n * (2 * r->max / r->step + 1); k++) {
		pos = (pos + 1) % (int)n;
		if (pos == 0) {
			cw -= r->step;
			if (cw <= 0)
				cw = r->max;
		}
		if ((int)r->w[pos] >= cw && sched_test_available(d[pos])) {
			r->pos = pos;
			r->cw = cw;
			return d[pos];
		}
	}
	return NULL;
}

static void wrr_differential(struct kunit *test)
{
	struct wrr_ref r = {
		.ref = { .rebuild = wrr_ref_rebuild, .pick = wrr_ref_pick },
		.pos = -1,
	};

	sched_test_differential(test, &wrr_scheduler, &r.ref);
}

static struct kunit_case lvs_sched_wrr_cases[] = {
	KUNIT_CASE(wrr_interleaved),
	KUNIT_CASE(wrr_gcd),
	KUNIT_CASE(wrr_equal_is_rr),
	KUNIT_CASE(wrr_empty),
	KUNIT_CASE(wrr_cycle_differential),
	KUNIT_CASE(wrr_unavailable),
	KUNIT_CASE(wrr_differential),
	{}
};

static struct kunit_suite lvs_sched_wrr_suite = {
	.name		= "lvs_sched_wrr",
	.test_cases	= lvs_sched_wrr_cases,
};

kunit_test_suite(lvs_sched_wrr_suite);
