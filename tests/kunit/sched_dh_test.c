// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: destination hashing. Included at the end of src/sched_dh.c so the
 * tests reach its static functions. The hash is fixed, so every count
 * below comes out the same on every run; the share tolerances (six
 * binomial standard deviations, plus what the table's rounding may add)
 * say how far a correct table may land from the weights for these flows.
 */

#include <linux/math64.h>

#include "sched_buckets_test.h"

/* dh has no options: these must change nothing. */
static const struct lvs_sched_conf dh_opts = {
	.fallback = true,
	.hash_port = true,
};

/* Index in @d of the pick for client @client asking for 198.18.x.y (@dst). */
static int dh_pick(struct lvs_dest **d, unsigned int n, void *s, u32 dst,
		   u32 client)
{
	struct lvs_pkt p = {
		.af = AF_INET,
		.saddr.ip = htonl(0xac100000 + client),
		.daddr.ip = htonl(0xc6120000 + dst),
		.sport = htons(1024 + client),
		.dport = htons(80),
	};

	return sched_test_index(d, n, dh_schedule(s, &p));
}

static void *dh_build_ok(struct kunit *test, const struct lvs_sched_conf *c,
			 struct lvs_dest **d, unsigned int n)
{
	void *s = dh_build(c, d, n, NULL);

	KUNIT_ASSERT_FALSE(test, IS_ERR(s));
	return s;
}

static const u32 dh_w5[] = { 1, 2, 3, 4, 5 };

/*
 * An address keeps its cache over picks, over a rebuild of the same set,
 * whatever order the set was given in, and whoever asks for it.
 */
static void dh_stable(struct kunit *test)
{
	struct lvs_dest **d = bkt_t_dests(test, dh_w5, 5);
	struct lvs_dest *rev[5];
	unsigned int count[5] = {}, moved = 0, i, c;
	void *s, *again, *s_rev;

	for (i = 0; i < 5; i++)
		rev[i] = d[4 - i];
	s = dh_build_ok(test, NULL, d, 5);
	again = dh_build(&dh_opts, d, 5, s);
	s_rev = dh_build(NULL, rev, 5, NULL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(again));
	KUNIT_ASSERT_FALSE(test, IS_ERR(s_rev));

	for (i = 0; i < 1000; i++) {
		int k = dh_pick(d, 5, s, i, 0);

		KUNIT_ASSERT_GE(test, k, 0);
		count[k]++;
		for (c = 1; c < 4; c++)
			moved += dh_pick(d, 5, s, i, c) != k;
		moved += dh_pick(d, 5, again, i, 9) != k;
		moved += dh_pick(d, 5, s_rev, i, 0) != k;
	}
	KUNIT_EXPECT_EQ(test, moved, 0);
	for (i = 0; i < 5; i++)
		KUNIT_EXPECT_GT_MSG(test, count[i], 0, "dest %u", i);
	dh_scheduler.free(s);
	dh_scheduler.free(again);
	dh_scheduler.free(s_rev);
}

static void dh_proportions(struct kunit *test)
{
	static const u32 w[] = { 1, 2, 3, 7 };
	enum { N = 13000 };	/* 1000 per unit of weight */
	struct lvs_dest **d = bkt_t_dests(test, w, 4);
	struct lvs_buckets *s = dh_build_ok(test, NULL, d, 4);
	unsigned int count[4] = {}, buckets[4] = {}, i;

	for (i = 0; i < N; i++) {
		int k = dh_pick(d, 4, s, i, 0);

		KUNIT_ASSERT_GE(test, k, 0);
		count[k]++;
	}
	for (i = 0; i < s->size; i++) {
		int k = sched_test_index(d, 4, s->bucket[i]);

		KUNIT_ASSERT_GE(test, k, 0);
		buckets[k]++;
	}
	for (i = 0; i < 4; i++) {
		u32 want = 1000 * w[i];
		int tol = 6 * int_sqrt(want * (N - want) / N) +
			  N / s->size + 1;

		KUNIT_EXPECT_LE_MSG(test, abs((int)count[i] - (int)want), tol,
				    "weight %u got %u of %u", w[i], count[i], N);
		KUNIT_EXPECT_GE(test, buckets[i], s->size * w[i] / 13);
		KUNIT_EXPECT_LE(test, buckets[i],
				DIV_ROUND_UP(s->size * w[i], 13));
	}
	dh_scheduler.free(s);
}

/* The cache an address maps to is down: refused, options or not. */
static void dh_unavailable(struct kunit *test)
{
	static const u32 w[] = { 1, 1, 1 };
	struct lvs_dest **d = bkt_t_dests(test, w, 3);
	void *s = dh_build_ok(test, &dh_opts, NULL, 0);
	unsigned int i;

	KUNIT_EXPECT_EQ(test, dh_pick(d, 3, s, 1, 0), -1);
	dh_scheduler.free(s);

	s = dh_build_ok(test, &dh_opts, d, 3);
	for (i = 0; i < 100; i++) {
		int k = dh_pick(d, 3, s, i, 0);

		KUNIT_ASSERT_GE(test, k, 0);
		d[k]->overloaded = true;
		KUNIT_EXPECT_EQ(test, dh_pick(d, 3, s, i, 0), -1);
		d[k]->overloaded = false;
		d[k]->weight = 0;
		KUNIT_EXPECT_EQ(test, dh_pick(d, 3, s, i, 0), -1);
		d[k]->weight = 1;
		KUNIT_EXPECT_EQ(test, dh_pick(d, 3, s, i, 0), k);
	}
	dh_scheduler.free(s);
}

/* The differential test, in sched_buckets_test.h: dh's reference. */
static struct lvs_dest *dh_ref_pick(struct bkt_model *m,
				    const struct lvs_pkt *p)
{
	struct lvs_dest *sorted[DIFF_DESTS];
	u32 w[DIFF_DESTS], size, b;
	unsigned int i;
	u64 total;

	if (!m->n)
		return NULL;
	total = bkt_ref_sort(m, sorted, w);
	size = max(1024U, 64 * m->n);
	b = ((u64)lvs_sched_hash(p->af, &p->daddr, 0, 0) * size) >> 32;
	i = bkt_ref_owner(w, total, size, b);
	return lvs_dest_available(sorted[i]) ? sorted[i] : NULL;
}

/* dh has no options: they change, and must not matter. */
static void dh_ref_options(struct bkt_model *m, struct rnd_state *rnd)
{
	m->conf.fallback = bkt_rnd_below(rnd, 2);
	m->conf.hash_port = bkt_rnd_below(rnd, 2);
}

static void dh_differential(struct kunit *test)
{
	struct bkt_model *m = kunit_kzalloc(test, sizeof(*m), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, m);
	m->sched = &dh_scheduler;
	m->ref_pick = dh_ref_pick;
	m->options = dh_ref_options;
	m->flow_daddr = true;
	bkt_t_differential(test, m, 0xd5eed);
}

static struct kunit_case lvs_sched_dh_cases[] = {
	KUNIT_CASE(dh_stable),
	KUNIT_CASE(dh_proportions),
	KUNIT_CASE(dh_unavailable),
	KUNIT_CASE(dh_differential),
	{}
};

static struct kunit_suite lvs_sched_dh_suite = {
	.name		= "lvs_sched_dh",
	.test_cases	= lvs_sched_dh_cases,
};

kunit_test_suite(lvs_sched_dh_suite);
