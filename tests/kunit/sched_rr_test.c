// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: round robin. Included at the end of src/sched_rr.c so the tests
 * reach its static functions.
 */

#include "sched_test.h"

static const u32 rr_w[] = { 1, 1, 1 };

static void rr_sequence(struct kunit *test)
{
	struct lvs_dest **d = sched_test_dests(test, rr_w, 3);
	void *s = rr_build(NULL, d, 3, NULL);
	unsigned int i;

	KUNIT_ASSERT_FALSE(test, IS_ERR(s));
	for (i = 0; i < 9; i++)
		KUNIT_EXPECT_EQ(test, sched_test_index(d, 3,
						       rr_schedule(s, NULL)),
				i % 3);
	rr_free(s);
}

static void rr_empty(struct kunit *test)
{
	void *s = rr_build(NULL, NULL, 0, NULL);

	KUNIT_ASSERT_FALSE(test, IS_ERR(s));
	KUNIT_EXPECT_NULL(test, rr_schedule(s, NULL));
	rr_free(s);
}

/* A rebuilt set continues the cycle instead of starting over. */
static void rr_rebuild_keeps_cursor(struct kunit *test)
{
	struct lvs_dest **d = sched_test_dests(test, rr_w, 3);
	void *s1 = rr_build(NULL, d, 3, NULL), *s2;

	KUNIT_ASSERT_FALSE(test, IS_ERR(s1));
	KUNIT_EXPECT_PTR_EQ(test, rr_schedule(s1, NULL), d[0]);
	/* d[1] removed: the set is now d[0], d[2]. */
	d[1] = d[2];
	s2 = rr_build(NULL, d, 2, s1);
	KUNIT_ASSERT_FALSE(test, IS_ERR(s2));
	rr_free(s1);
	KUNIT_EXPECT_PTR_EQ(test, rr_schedule(s2, NULL), d[1]);
	KUNIT_EXPECT_PTR_EQ(test, rr_schedule(s2, NULL), d[0]);
	KUNIT_EXPECT_PTR_EQ(test, rr_schedule(s2, NULL), d[1]);
	rr_free(s2);
}

static void rr_unavailable(struct kunit *test)
{
	sched_test_unavailable(test, &rr_scheduler);
}

/*
 * The reference: the next available destination from the cursor, which
 * then points past it; a rebuild keeps the cursor modulo the new size.
 */
struct rr_ref {
	struct sched_test_ref ref;
	unsigned int next;
};

static void rr_ref_rebuild(struct sched_test_ref *ref,
			   struct lvs_dest *const *d, unsigned int n)
{
	struct rr_ref *r = container_of(ref, struct rr_ref, ref);

	r->next = n ? r->next % n : 0;
}

static struct lvs_dest *rr_ref_pick(struct sched_test_ref *ref,
				    struct lvs_dest *const *d, unsigned int n)
{
	struct rr_ref *r = container_of(ref, struct rr_ref, ref);
	unsigned int i, k;

	for (k = 0; k < n; k++) {
		i = (r->next + k) % n;
		if (sched_test_available(d[i])) {
			r->next = (i + 1) % n;
			return d[i];
		}
	}
	return NULL;
}

static void rr_differential(struct kunit *test)
{
	struct rr_ref r = {
		.ref = { .rebuild = rr_ref_rebuild, .pick = rr_ref_pick },
	};

	sched_test_differential(test, &rr_scheduler, &r.ref);
}

static struct kunit_case lvs_sched_rr_cases[] = {
	KUNIT_CASE(rr_sequence),
	KUNIT_CASE(rr_empty),
	KUNIT_CASE(rr_rebuild_keeps_cursor),
	KUNIT_CASE(rr_unavailable),
	KUNIT_CASE(rr_differential),
	{}
};

static struct kunit_suite lvs_sched_rr_suite = {
	.name		= "lvs_sched_rr",
	.test_cases	= lvs_sched_rr_cases,
};

kunit_test_suite(lvs_sched_rr_suite);
