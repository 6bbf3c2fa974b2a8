// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: source hashing. Included at the end of src/sched_sh.c so the
 * tests reach its static functions. The hash is fixed, so every count
 * below comes out the same on every run; the share tolerances (six
 * binomial standard deviations, plus what the table's rounding may add)
 * say how far a correct table may land from the weights for these flows.
 */

#include <linux/math64.h>
#include <linux/prandom.h>

#include "sched_buckets_test.h"

static const struct lvs_sched_conf sh_plain = { };
static const struct lvs_sched_conf sh_fallback = { .fallback = true };
static const struct lvs_sched_conf sh_ports = { .hash_port = true };

/* Index in @d of the pick for client 172.16.x.y (@client), port @port. */
static int sh_pick(struct lvs_dest **d, unsigned int n, void *s, u32 client,
		   u16 port)
{
	struct lvs_pkt p = {
		.af = AF_INET,
		.saddr.ip = htonl(0xac100000 + client),
		.daddr.ip = htonl(0xc0000201),
		.sport = htons(port),
		.dport = htons(80),
	};

	return sched_test_index(d, n, sh_schedule(s, &p));
}

static void *sh_build_ok(struct kunit *test, const struct lvs_sched_conf *c,
			 struct lvs_dest **d, unsigned int n)
{
	void *s = sh_build(c, d, n, NULL);

	KUNIT_ASSERT_FALSE(test, IS_ERR(s));
	return s;
}

enum { SH_FLOWS = 1000 };

static const u32 sh_w5[] = { 1, 2, 3, 4, 5 };

/*
 * A client keeps its destination over picks, over a rebuild of the same
 * set, and whatever order the set was given in.
 */
static void sh_stable(struct kunit *test)
{
	struct lvs_dest **d = bkt_t_dests(test, sh_w5, 5);
	struct lvs_dest *rev[5], *mixed[5];
	unsigned int count[5] = {}, moved = 0, i;
	void *s, *again, *s_rev, *s_mixed;

	for (i = 0; i < 5; i++) {
		rev[i] = d[4 - i];
		mixed[i] = d[(i * 3 + 2) % 5];
	}
	s = sh_build_ok(test, &sh_plain, d, 5);
	again = sh_build(&sh_plain, d, 5, s);
	s_rev = sh_build(&sh_plain, rev, 5, NULL);
	s_mixed = sh_build(&sh_plain, mixed, 5, NULL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(again));
	KUNIT_ASSERT_FALSE(test, IS_ERR(s_rev));
	KUNIT_ASSERT_FALSE(test, IS_ERR(s_mixed));

	for (i = 0; i < SH_FLOWS; i++) {
		int k = sh_pick(d, 5, s, i, 1000);

		KUNIT_ASSERT_GE(test, k, 0);
		count[k]++;
		moved += sh_pick(d, 5, s, i, 1000) != k;
		moved += sh_pick(d, 5, again, i, 1000) != k;
		moved += sh_pick(d, 5, s_rev, i, 1000) != k;
		moved += sh_pick(d, 5, s_mixed, i, 1000) != k;
	}
	KUNIT_EXPECT_EQ(test, moved, 0);
	/* Not trivially stable: every destination has clients. */
	for (i = 0; i < 5; i++)
		KUNIT_EXPECT_GT_MSG(test, count[i], 0, "dest %u", i);
	sh_scheduler.free(s);
	sh_scheduler.free(again);
	sh_scheduler.free(s_rev);
	sh_scheduler.free(s_mixed);
}

/*
 * Every destination owns within one bucket of its exact share of the
 * table.
 */
static void sh_check_table(struct kunit *test, struct lvs_dest **d,
			   const u32 *w, unsigned int n)
{
	struct lvs_buckets *s = sh_build_ok(test, &sh_plain, d, n);
	unsigned int *count = sched_test_counts(test, n);
	u64 total = sched_test_total(w, n);
	unsigned int i;

	for (i = 0; i < s->size; i++) {
		int k = sched_test_index(d, n, s->bucket[i]);

		KUNIT_ASSERT_GE(test, k, 0);
		count[k]++;
	}
	for (i = 0; i < n; i++) {
		u64 exact = (u64)s->size * w[i];

		KUNIT_EXPECT_GE_MSG(test, (u64)count[i], div64_u64(exact, total),
				    "dest %u of weight %u", i, w[i]);
		KUNIT_EXPECT_LE_MSG(test, (u64)count[i],
				    DIV64_U64_ROUND_UP(exact, total),
				    "dest %u of weight %u", i, w[i]);
	}
	sh_scheduler.free(s);
}

static void sh_proportions(struct kunit *test)
{
	static const u32 w[] = { 1, 2, 3, 7 };
	enum { N = 13000 };	/* 1000 per unit of weight */
	struct lvs_dest **d = bkt_t_dests(test, w, 4);
	struct lvs_buckets *s = sh_build_ok(test, &sh_plain, d, 4);
	unsigned int count[4] = {}, i;
	struct rnd_state rnd;
	u32 *wide;

	for (i = 0; i < N; i++) {
		int k = sh_pick(d, 4, s, i, 0);

		KUNIT_ASSERT_GE(test, k, 0);
		count[k]++;
	}
	for (i = 0; i < 4; i++) {
		u32 want = 1000 * w[i];
		int tol = 6 * int_sqrt(want * (N - want) / N) +
			  N / s->size + 1;

		KUNIT_EXPECT_LE_MSG(test, abs((int)count[i] - (int)want), tol,
				    "weight %u got %u of %u", w[i], count[i], N);
	}
	sh_scheduler.free(s);

	sh_check_table(test, d, w, 4);
	/* Many destinations of any weight, so many sizes of run. */
	prandom_seed_state(&rnd, 12345);
	wide = kunit_kcalloc(test, 100, sizeof(*wide), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, wide);
	for (i = 0; i < 100; i++)
		wide[i] = 1 + prandom_u32_state(&rnd) % (i < 50 ? 10 : 65535);
	sh_check_table(test, bkt_t_dests(test, wide, 100), wide, 100);
}

/* hash_port spreads one client's connections; without it, they stay. */
static void sh_hash_port(struct kunit *test)
{
	static const u32 w[] = { 1, 1, 1, 1 };
	enum { PORTS = 2000 };
	struct lvs_dest **d = bkt_t_dests(test, w, 4);
	void *plain = sh_build_ok(test, &sh_plain, d, 4);
	void *ports = sh_build_ok(test, &sh_ports, d, 4);
	unsigned int count[4] = {}, moved = 0, i;
	int first = sh_pick(d, 4, plain, 7, 1024);

	KUNIT_ASSERT_GE(test, first, 0);
	for (i = 0; i < PORTS; i++) {
		int k = sh_pick(d, 4, ports, 7, 1024 + i);

		KUNIT_ASSERT_GE(test, k, 0);
		count[k]++;
		moved += sh_pick(d, 4, plain, 7, 1024 + i) != first;
	}
	KUNIT_EXPECT_EQ(test, moved, 0);
	/* 500 expected each; sigma is 19.4. */
	for (i = 0; i < 4; i++)
		KUNIT_EXPECT_GE_MSG(test, count[i], 383U, "dest %u", i);
	sh_scheduler.free(plain);
	sh_scheduler.free(ports);
}

/*
 * Client @c's destination @k is unavailable: refused without fallback;
 * with it, the same available other one every time. Returns that one.
 */
static int sh_check_fallback(struct kunit *test, struct lvs_dest **d,
			     void *plain, void *fb, u32 c, int k)
{
	int j = sh_pick(d, 4, fb, c, 0);

	KUNIT_EXPECT_EQ(test, sh_pick(d, 4, plain, c, 0), -1);
	KUNIT_EXPECT_GE(test, j, 0);
	KUNIT_EXPECT_NE(test, j, k);
	if (j >= 0)
		KUNIT_EXPECT_TRUE(test, lvs_dest_available(d[j]));
	KUNIT_EXPECT_EQ(test, sh_pick(d, 4, fb, c, 0), j);
	return j;
}

static void sh_fallback_test(struct kunit *test)
{
	static const u32 w[] = { 1, 2, 3, 4 };
	struct lvs_dest **d = bkt_t_dests(test, w, 4);
	void *plain = sh_build_ok(test, &sh_plain, d, 4);
	void *fb = sh_build_ok(test, &sh_fallback, d, 4);
	unsigned int moved_to[4] = {}, refused = 0, i;

	for (i = 0; i < 400; i++) {
		int k = sh_pick(d, 4, plain, i, 0), j;

		KUNIT_ASSERT_GE(test, k, 0);
		KUNIT_EXPECT_EQ(test, sh_pick(d, 4, fb, i, 0), k);

		d[k]->overloaded = true;
		j = sh_check_fallback(test, d, plain, fb, i, k);
		d[k]->overloaded = false;
		if (k == 3 && j >= 0)
			moved_to[j]++;

		d[k]->weight = 0;
		sh_check_fallback(test, d, plain, fb, i, k);
		d[k]->weight = w[k];
	}
	/* The clients of one destination spread over all the others. */
	for (i = 0; i < 3; i++)
		KUNIT_EXPECT_GT_MSG(test, moved_to[i], 0, "dest %u", i);

	/* One left: fallback sends everyone there. */
	for (i = 0; i < 3; i++)
		d[i]->overloaded = true;
	for (i = 0; i < 400; i++) {
		int k = sh_pick(d, 4, plain, i, 0);

		KUNIT_EXPECT_EQ(test, sh_pick(d, 4, fb, i, 0), 3);
		KUNIT_EXPECT_TRUE(test, k == 3 || k == -1);
		refused += k == -1;
	}
	KUNIT_EXPECT_GT(test, refused, 0);

	/* None left. */
	d[3]->weight = 0;
	for (i = 0; i < 100; i++) {
		KUNIT_EXPECT_EQ(test, sh_pick(d, 4, plain, i, 0), -1);
		KUNIT_EXPECT_EQ(test, sh_pick(d, 4, fb, i, 0), -1);
	}
	sh_scheduler.free(plain);
	sh_scheduler.free(fb);
}

/* No destinations; and a NULL conf means every option off. */
static void sh_empty_and_defaults(struct kunit *test)
{
	static const u32 w[] = { 1, 1, 1 };
	struct lvs_dest **d = bkt_t_dests(test, w, 3);
	void *s = sh_build_ok(test, &sh_fallback, NULL, 0);
	unsigned int i;
	int k;

	KUNIT_EXPECT_EQ(test, sh_pick(d, 3, s, 1, 0), -1);
	sh_scheduler.free(s);

	s = sh_build_ok(test, NULL, d, 3);
	k = sh_pick(d, 3, s, 1, 0);
	KUNIT_ASSERT_GE(test, k, 0);
	for (i = 1; i < 100; i++)
		KUNIT_EXPECT_EQ(test, sh_pick(d, 3, s, 1, i), k);
	d[k]->overloaded = true;
	KUNIT_EXPECT_EQ(test, sh_pick(d, 3, s, 1, 0), -1);
	sh_scheduler.free(s);
}

/* The differential test, in sched_buckets_test.h: sh's reference. */
static struct lvs_dest *sh_ref_pick(struct bkt_model *m,
				    const struct lvs_pkt *p)
{
	struct lvs_dest *sorted[DIFF_DESTS], *d;
	u32 w[DIFF_DESTS], size, b, h;
	__be16 port = m->built.hash_port ? p->sport : 0;
	unsigned int i, j, k;
	u64 total;

	if (!m->n)
		return NULL;
	total = bkt_ref_sort(m, sorted, w);
	size = max(1024U, 64 * m->n);

	for (k = 0; k <= (m->built.fallback ? 8 : 0); k++) {
		h = lvs_sched_hash(p->af, &p->saddr, port, k);
		b = ((u64)h * size) >> 32;
		i = bkt_ref_owner(w, total, size, b);
		if (lvs_dest_available(sorted[i])) {
			m->probed += k > 0;
			return sorted[i];
		}
	}
	if (!m->built.fallback)
		return NULL;
	m->scanned++;
	h = lvs_sched_hash(p->af, &p->saddr, port, 9);
	j = ((u64)h * m->n) >> 32;
	for (i = 0; i < m->n; i++) {
		d = sorted[(j + i) % m->n];
		if (lvs_dest_available(d))
			return d;
	}
	return NULL;
}

static void sh_ref_options(struct bkt_model *m, struct rnd_state *rnd)
{
	if (bkt_rnd_below(rnd, 2))
		m->conf.fallback = !m->conf.fallback;
	else
		m->conf.hash_port = !m->conf.hash_port;
}

static void sh_differential(struct kunit *test)
{
	struct bkt_model *m = kunit_kzalloc(test, sizeof(*m), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, m);
	m->sched = &sh_scheduler;
	m->ref_pick = sh_ref_pick;
	m->options = sh_ref_options;
	if (!bkt_t_differential(test, m, 0x5eed5))
		return;
	KUNIT_EXPECT_GT(test, m->probed, 0);
	KUNIT_EXPECT_GT(test, m->scanned, 0);
}

static struct kunit_case lvs_sched_sh_cases[] = {
	KUNIT_CASE(sh_stable),
	KUNIT_CASE(sh_proportions),
	KUNIT_CASE(sh_hash_port),
	KUNIT_CASE(sh_fallback_test),
	KUNIT_CASE(sh_empty_and_defaults),
	KUNIT_CASE(sh_differential),
	{}
};

static struct kunit_suite lvs_sched_sh_suite = {
	.name		= "lvs_sched_sh",
	.test_cases	= lvs_sched_sh_cases,
};

kunit_test_suite(lvs_sched_sh_suite);
