/* SPDX-License-Identifier: GPL-2.0 */
/* Helpers shared by the scheduler suites: fake destinations. */
#ifndef _LVS_SCHED_TEST_H
#define _LVS_SCHED_TEST_H

#include <kunit/test.h>

#include "dest.h"

static inline struct lvs_dest **sched_test_dests(struct kunit *test,
						 const u32 *weights,
						 unsigned int n)
{
	struct lvs_dest **d = kunit_kcalloc(test, n, sizeof(*d), GFP_KERNEL);
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, d);
	for (i = 0; i < n; i++) {
		d[i] = kunit_kzalloc(test, sizeof(**d), GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, d[i]);
		d[i]->weight = weights[i];
		d[i]->port = htons(i + 1);
		refcount_set(&d[i]->refcnt, 1);
	}
	return d;
}

/* Index of @dest in @d, or -1. */
static inline int sched_test_index(struct lvs_dest **d, unsigned int n,
				   const struct lvs_dest *dest)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (d[i] == dest)
			return i;
	return -1;
}

/* One pick under given loads: the index of the destination it must be. */
struct sched_case {
	const char *name;
	unsigned int n;
	u32 weight[4];
	u32 active[4];
	u32 inactive[4];
	int want;		/* -1: no destination */
};

static inline void sched_test_cases(struct kunit *test,
				    const struct lvs_scheduler *s,
				    const struct sched_case *cases,
				    unsigned int ncases)
{
	unsigned int c, i;

	for (c = 0; c < ncases; c++) {
		const struct sched_case *sc = &cases[c];
		struct lvs_dest **d = sched_test_dests(test, sc->weight, sc->n);
		void *state;

		for (i = 0; i < sc->n; i++) {
			atomic_set(&d[i]->activeconns, sc->active[i]);
			atomic_set(&d[i]->inactconns, sc->inactive[i]);
		}
		state = s->build(NULL, d, sc->n, NULL);
		KUNIT_ASSERT_FALSE(test, IS_ERR(state));
		KUNIT_EXPECT_EQ_MSG(test,
				    sched_test_index(d, sc->n,
						     s->schedule(state, NULL)),
				    sc->want, "case \"%s\"", sc->name);
		s->free(state);
	}
}

/*
 * @picks new connections that all stay active: how many each destination
 * of weights @w got, in @count.
 */
static inline void sched_test_share(struct kunit *test,
				    const struct lvs_scheduler *s,
				    const u32 *w, unsigned int n,
				    unsigned int picks, unsigned int *count)
{
	struct lvs_dest **d = sched_test_dests(test, w, n);
	void *state = s->build(NULL, d, n, NULL);
	unsigned int i;

	KUNIT_ASSERT_FALSE(test, IS_ERR(state));
	memset(count, 0, n * sizeof(*count));
	for (i = 0; i < picks; i++) {
		int k = sched_test_index(d, n, s->schedule(state, NULL));

		KUNIT_ASSERT_GE(test, k, 0);
		atomic_inc(&d[k]->activeconns);
		count[k]++;
	}
	s->free(state);
}

#endif /* _LVS_SCHED_TEST_H */
