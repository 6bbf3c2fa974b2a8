// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the rate estimator's arithmetic (lvs_est_fold(), lvs_est_read()):
 * a steady rate is approached by a quarter of the gap each reading, one
 * that stops fades likewise, the time between readings is what it
 * divides by, and the largest counters do not overflow it.
 */

#include <kunit/test.h>

#include "estimator.h"

/* Every counter grows by @per_s a second for @secs seconds. */
static void advance(struct lvs_stats *s, u64 per_s, unsigned int secs)
{
	s->conns += per_s * secs;
	s->inpkts += per_s * secs;
	s->outpkts += per_s * secs;
	s->inbytes += per_s * secs * 100;
	s->outbytes += per_s * secs * 100;
}

static void fold_secs(struct lvs_est *e, struct lvs_stats *s, u64 per_s,
		      unsigned int secs)
{
	advance(s, per_s, secs);
	lvs_est_fold(e, s, secs * HZ);
}

/* 1000 a second: 250, 438, 578, 684 (68 %) ... up to 1000 at last. */
static void est_rises(struct kunit *test)
{
	struct lvs_stats s = {};
	struct lvs_est e = {};
	struct lvs_rates r;
	int i;

	fold_secs(&e, &s, 1000, 2);
	lvs_est_read(&e, &r);
	KUNIT_EXPECT_EQ(test, r.cps, 250);
	KUNIT_EXPECT_EQ(test, r.inpps, 250);
	KUNIT_EXPECT_EQ(test, r.outpps, 250);
	KUNIT_EXPECT_EQ(test, r.inbps, 25000);
	KUNIT_EXPECT_EQ(test, r.outbps, 25000);
	for (i = 0; i < 3; i++)
		fold_secs(&e, &s, 1000, 2);
	lvs_est_read(&e, &r);
	KUNIT_EXPECT_EQ(test, r.inpps, 684);
	for (i = 0; i < 60; i++)
		fold_secs(&e, &s, 1000, 2);
	lvs_est_read(&e, &r);
	KUNIT_EXPECT_EQ(test, r.inpps, 1000);
	KUNIT_EXPECT_EQ(test, r.inbps, 100000);
}

/* Stopped: three quarters of the average remain each reading, then 0. */
static void est_fades(struct kunit *test)
{
	struct lvs_stats s = {};
	struct lvs_est e = {};
	struct lvs_rates r;
	int i;

	for (i = 0; i < 60; i++)
		fold_secs(&e, &s, 1000, 2);
	fold_secs(&e, &s, 0, 2);
	lvs_est_read(&e, &r);
	KUNIT_EXPECT_EQ(test, r.cps, 750);
	for (i = 0; i < 60; i++)
		fold_secs(&e, &s, 0, 2);
	lvs_est_read(&e, &r);
	KUNIT_EXPECT_EQ(test, r.cps, 0);
	KUNIT_EXPECT_EQ(test, r.outbps, 0);
}

/*
 * A late reading divides by the time that passed: 1000 a second over
 * 4 s is the same rate as over 2 s. No time passed: nothing moves, and
 * the counters taken are not counted again.
 */
static void est_elapsed(struct kunit *test)
{
	struct lvs_stats s = {};
	struct lvs_est a = {}, b = {};
	struct lvs_rates ra, rb;

	fold_secs(&a, &s, 1000, 4);
	s = (struct lvs_stats){};
	fold_secs(&b, &s, 1000, 2);
	lvs_est_read(&a, &ra);
	lvs_est_read(&b, &rb);
	KUNIT_EXPECT_EQ(test, ra.inpps, rb.inpps);

	advance(&s, 1000, 2);
	lvs_est_fold(&b, &s, 0);
	lvs_est_read(&b, &rb);
	KUNIT_EXPECT_EQ(test, rb.inpps, 250);
	lvs_est_fold(&b, &s, 2 * HZ);
	lvs_est_read(&b, &rb);
	/* A rate of 0 since: a quarter less. */
	KUNIT_EXPECT_EQ(test, rb.inpps, 188);
}

/*
 * One connection a second shows (the average stops 3/1024 short of it,
 * where a quarter of the gap rounds to nothing), and so do 100 Gbit/s,
 * once their gap has shrunk that far: about 110 readings.
 */
static void est_range(struct kunit *test)
{
	struct lvs_stats s = {};
	struct lvs_est e = {};
	struct lvs_rates r;
	int i;

	for (i = 0; i < 120; i++) {
		s.conns += 2;
		s.inbytes += 12500000000ULL * 2;
		lvs_est_fold(&e, &s, 2 * HZ);
	}
	lvs_est_read(&e, &r);
	KUNIT_EXPECT_EQ(test, r.cps, 1);
	KUNIT_EXPECT_EQ(test, e.avg[LVS_EST_CONNS], (1ULL << LVS_EST_SHIFT) - 3);
	KUNIT_EXPECT_EQ(test, r.inbps, 12500000000ULL);
}

/*
 * Zeroing clears every rate but not the last reading: the next fold
 * counts only what came since, not the whole counter as new.
 */
static void est_zero(struct kunit *test)
{
	struct lvs_stats s = {};
	struct lvs_est e = {};
	struct lvs_rates r;
	int i;

	for (i = 0; i < 20; i++) {
		s.inpkts += 2000;
		s.outbytes += 400;
		lvs_est_fold(&e, &s, 2 * HZ);
	}
	lvs_est_zero(&e);
	lvs_est_read(&e, &r);
	KUNIT_EXPECT_EQ(test, r.inpps + r.outbps + r.cps, 0);
	s.inpkts += 800;
	lvs_est_fold(&e, &s, 2 * HZ);
	lvs_est_read(&e, &r);
	/* A quarter of 400 a second. */
	KUNIT_EXPECT_EQ(test, r.inpps, 100);
	KUNIT_EXPECT_EQ(test, r.outbps, 0);
}

static struct kunit_case lvs_estimator_cases[] = {
	KUNIT_CASE(est_rises),
	KUNIT_CASE(est_fades),
	KUNIT_CASE(est_elapsed),
	KUNIT_CASE(est_zero),
	KUNIT_CASE(est_range),
	{}
};

static struct kunit_suite lvs_estimator_suite = {
	.name		= "lvs_estimator",
	.test_cases	= lvs_estimator_cases,
};

kunit_test_suite(lvs_estimator_suite);
