// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: per-CPU counters in blocks. Each slot of a block counts apart
 * from the others, and the block lives as long as a slot's user does.
 */

#include <kunit/test.h>

#include "stats.h"

static void stats_block_slots_apart(struct kunit *test)
{
	struct lvs_cpu_stats __percpu *slot[3];
	struct lvs_stats_block *b = lvs_stats_block_alloc(3);
	struct lvs_stats sum;
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, b);
	for (i = 0; i < 3; i++)
		slot[i] = lvs_stats_block_get(b, i);
	KUNIT_EXPECT_EQ(test, refcount_read(&b->refcnt), 4);

	preempt_disable();
	lvs_stats_conn(slot[1]);
	lvs_stats_conn(slot[1]);
	lvs_stats_packet(slot[2], true, 100);
	lvs_stats_packet(slot[0], false, 60);
	preempt_enable();

	lvs_stats_read(slot[0], &sum);
	KUNIT_EXPECT_EQ(test, sum.conns, 0);
	KUNIT_EXPECT_EQ(test, sum.inpkts, 0);
	KUNIT_EXPECT_EQ(test, sum.outpkts, 1);
	KUNIT_EXPECT_EQ(test, sum.outbytes, 60);
	lvs_stats_read(slot[1], &sum);
	KUNIT_EXPECT_EQ(test, sum.conns, 2);
	KUNIT_EXPECT_EQ(test, sum.inpkts + sum.outpkts, 0);
	lvs_stats_read(slot[2], &sum);
	KUNIT_EXPECT_EQ(test, sum.conns, 0);
	KUNIT_EXPECT_EQ(test, sum.inpkts, 1);
	KUNIT_EXPECT_EQ(test, sum.inbytes, 100);

	/* The creator lets go first; the last user frees it (kmemleak). */
	lvs_stats_block_put(b);
	for (i = 0; i < 3; i++) {
		KUNIT_EXPECT_EQ(test, refcount_read(&b->refcnt), 3 - i);
		lvs_stats_block_put(b);
	}
}

/*
 * Zeroing: what is read since counts from the reading at the zeroing, in
 * each counter, while the per-CPU counters go on growing.
 */
static void stats_zero_since(struct kunit *test)
{
	struct lvs_stats_block *b = lvs_stats_block_alloc(1);
	struct lvs_cpu_stats __percpu *pcpu;
	struct lvs_stats base, sum;

	KUNIT_ASSERT_NOT_NULL(test, b);
	pcpu = b->pcpu;
	memset(&base, 0, sizeof(base));
	preempt_disable();
	lvs_stats_conn(pcpu);
	lvs_stats_packet(pcpu, true, 100);
	lvs_stats_packet(pcpu, false, 40);
	preempt_enable();
	lvs_stats_read_since(pcpu, &base, &sum);
	KUNIT_EXPECT_EQ(test, sum.conns, 1);
	KUNIT_EXPECT_EQ(test, sum.inbytes, 100);

	lvs_stats_zero(pcpu, &base);
	lvs_stats_read_since(pcpu, &base, &sum);
	KUNIT_EXPECT_EQ(test, sum.conns + sum.inpkts + sum.inbytes +
			      sum.outpkts + sum.outbytes, 0);

	preempt_disable();
	lvs_stats_conn(pcpu);
	lvs_stats_conn(pcpu);
	lvs_stats_packet(pcpu, true, 7);
	lvs_stats_packet(pcpu, false, 9);
	lvs_stats_packet(pcpu, false, 9);
	preempt_enable();
	lvs_stats_read_since(pcpu, &base, &sum);
	KUNIT_EXPECT_EQ(test, sum.conns, 2);
	KUNIT_EXPECT_EQ(test, sum.inpkts, 1);
	KUNIT_EXPECT_EQ(test, sum.inbytes, 7);
	KUNIT_EXPECT_EQ(test, sum.outpkts, 2);
	KUNIT_EXPECT_EQ(test, sum.outbytes, 18);
	lvs_stats_read(pcpu, &sum);
	KUNIT_EXPECT_EQ(test, sum.conns, 3);
	lvs_stats_block_put(b);
}

/* More slots than a block holds is refused, not a per-CPU overrun. */
static void stats_block_too_big(struct kunit *test)
{
	KUNIT_EXPECT_NULL(test, lvs_stats_block_alloc(LVS_STATS_BLOCK + 1));
	KUNIT_EXPECT_NULL(test, lvs_stats_block_alloc(0));
}

static struct kunit_case lvs_stats_cases[] = {
	KUNIT_CASE(stats_block_slots_apart),
	KUNIT_CASE(stats_block_too_big),
	KUNIT_CASE(stats_zero_since),
	{}
};

static struct kunit_suite lvs_stats_suite = {
	.name = "lvs_stats",
	.test_cases = lvs_stats_cases,
};

kunit_test_suite(lvs_stats_suite);
