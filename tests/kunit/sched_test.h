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

#endif /* _LVS_SCHED_TEST_H */
