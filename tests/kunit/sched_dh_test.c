// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: destination hashing. Included at the end of src/sched_dh.c so the
 * tests reach its static functions. The hash is fixed, so every count
 * below comes out the same on every run; the share tolerances (six
 * binomial standard deviations, plus what the table's rounding may add)
 * say how far a correct table may land from the weights for these flows.
 */

#include <linux/math64.h>
#include <linux/prandom.h>

#include "sched_test.h"

/* dh has no options: these must change nothing. */
static const struct lvs_sched_conf dh_opts = {
	.fallback = true,
	.hash_port = true,
};

/* Caches of weights @w at 10.0.0.1:1, 10.0.0.2:2, ... */
static struct lvs_dest **dh_dests(struct kunit *test, const u32 *w,
				  unsigned int n)
{
	struct lvs_dest **d = sched_test_dests(test, w, n);
	unsigned int i;

	for (i = 0; i < n; i++) {
		d[i]->af = AF_INET;
		d[i]->addr.ip = htonl(0x0a000001 + i);
	}
	return d;
}

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
	struct lvs_dest **d = dh_dests(test, dh_w5, 5);
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
	struct lvs_dest **d = dh_dests(test, w, 4);
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
	struct lvs_dest **d = dh_dests(test, w, 3);
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

/*
 * The differential test: random changes to a service and random flows,
 * each flow picked by the scheduler and by a naive reference that works
 * the definition in sched_buckets.h out from scratch on every pick. The
 * options change too, and must not matter.
 */
enum { DIFF_DESTS = 8, DIFF_OPS = 3000, DIFF_PICKS = 4 };

struct dh_model {
	struct lvs_dest *d[DIFF_DESTS];
	bool present[DIFF_DESTS];
	unsigned int order[DIFF_DESTS];		/* present ones, as added */
	unsigned int norder;
	struct lvs_sched_conf conf;
	void *state;
	/* What the last build was given. */
	unsigned int n;
	struct lvs_dest *set[DIFF_DESTS];
	u32 w[DIFF_DESTS];
};

static bool ref_before(const struct lvs_dest *a, const struct lvs_dest *b)
{
	if (a->addr.ip != b->addr.ip)
		return ntohl(a->addr.ip) < ntohl(b->addr.ip);
	return ntohs(a->port) < ntohs(b->port);
}

/* The reference's pick for @p, from what the last build was given. */
static struct lvs_dest *ref_pick(const struct dh_model *m,
				 const struct lvs_pkt *p)
{
	struct lvs_dest *sorted[DIFF_DESTS];
	bool taken[DIFF_DESTS] = {};
	unsigned int i, j, min;
	u32 w[DIFF_DESTS], size, b;
	u64 total = 0, point, start = 0;

	if (!m->n)
		return NULL;
	for (i = 0; i < m->n; i++) {
		min = DIFF_DESTS;
		for (j = 0; j < m->n; j++)
			if (!taken[j] && (min == DIFF_DESTS ||
					  ref_before(m->set[j], m->set[min])))
				min = j;
		taken[min] = true;
		sorted[i] = m->set[min];
		w[i] = m->w[min];
		total += w[i];
	}
	size = max(1024U, 64 * m->n);
	b = ((u64)lvs_sched_hash(p->af, &p->daddr, 0, 0) * size) >> 32;
	point = DIV64_U64_ROUND_UP((u64)(b + 1) * total, size) - 1;
	for (i = 0; point >= start + w[i]; i++)
		start += w[i];
	return lvs_dest_available(sorted[i]) ? sorted[i] : NULL;
}

/* What the core does after a change: build for the set, then swap. */
static void model_rebuild(struct kunit *test, struct dh_model *m)
{
	unsigned int i;
	void *s;

	m->n = 0;
	for (i = 0; i < m->norder; i++) {
		struct lvs_dest *d = m->d[m->order[i]];

		if (d->weight) {
			m->set[m->n] = d;
			m->w[m->n++] = d->weight;
		}
	}
	s = dh_build(&m->conf, m->set, m->n, m->state);
	KUNIT_ASSERT_FALSE(test, IS_ERR(s));
	if (m->state)
		dh_scheduler.free(m->state);
	m->state = s;
}

static u32 rnd_below(struct rnd_state *rnd, u32 n)
{
	return prandom_u32_state(rnd) % n;
}

static u32 rnd_weight(struct rnd_state *rnd)
{
	switch (rnd_below(rnd, 8)) {
	case 0:
		return 65535;
	case 1:
		return 1 + rnd_below(rnd, 65535);
	default:
		return 1 + rnd_below(rnd, 4);
	}
}

/* A random present (@present) or absent destination, or -1 if none. */
static int rnd_dest(struct rnd_state *rnd, struct dh_model *m, bool present)
{
	unsigned int i, start = rnd_below(rnd, DIFF_DESTS);

	for (i = 0; i < DIFF_DESTS; i++) {
		unsigned int j = (start + i) % DIFF_DESTS;

		if (m->present[j] == present)
			return j;
	}
	return -1;
}

static void model_op(struct kunit *test, struct dh_model *m,
		     struct rnd_state *rnd)
{
	unsigned int op = rnd_below(rnd, 100), i;
	int j = rnd_dest(rnd, m, op >= 15);

	if (j < 0)
		return;
	if (op < 15) {			/* add */
		m->d[j]->weight = rnd_weight(rnd);
		m->d[j]->overloaded = false;
		m->present[j] = true;
		m->order[m->norder++] = j;
		model_rebuild(test, m);
	} else if (op < 25) {		/* remove */
		for (i = 0; m->order[i] != j; i++)
			;
		memmove(&m->order[i], &m->order[i + 1],
			(--m->norder - i) * sizeof(m->order[0]));
		m->present[j] = false;
		model_rebuild(test, m);
	} else if (op < 45) {		/* weight, rebuilt or not yet */
		WRITE_ONCE(m->d[j]->weight,
			   rnd_below(rnd, 5) ? rnd_weight(rnd) : 0);
		if (rnd_below(rnd, 5))
			model_rebuild(test, m);
	} else if (op < 60) {		/* overload comes or goes */
		m->d[j]->overloaded = !m->d[j]->overloaded;
	} else if (op < 65) {		/* options, which dh ignores */
		m->conf.fallback = rnd_below(rnd, 2);
		m->conf.hash_port = rnd_below(rnd, 2);
		model_rebuild(test, m);
	}
}

static void rnd_flow(struct rnd_state *rnd, struct lvs_pkt *p)
{
	unsigned int i;

	memset(p, 0, sizeof(*p));
	p->af = rnd_below(rnd, 8) ? AF_INET : AF_INET6;
	for (i = 0; i < (p->af == AF_INET ? 1 : 4); i++) {
		p->saddr.all[i] = prandom_u32_state(rnd);
		p->daddr.all[i] = prandom_u32_state(rnd);
	}
	p->sport = (__force __be16)(u16)prandom_u32_state(rnd);
	p->dport = htons(80);
}

static void dh_differential(struct kunit *test)
{
	struct dh_model *m = kunit_kzalloc(test, sizeof(*m), GFP_KERNEL);
	unsigned int op, i, picked = 0, refused = 0;
	struct rnd_state rnd;

	KUNIT_ASSERT_NOT_NULL(test, m);
	prandom_seed_state(&rnd, 0xd5eed);
	/* Addresses repeat, so ports decide some of the order. */
	for (i = 0; i < DIFF_DESTS; i++) {
		m->d[i] = kunit_kzalloc(test, sizeof(*m->d[i]), GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, m->d[i]);
		m->d[i]->af = AF_INET;
		m->d[i]->addr.ip = htonl(0x0a000001 + rnd_below(&rnd, 3));
		m->d[i]->port = htons(i + 1 + 100 * rnd_below(&rnd, 3));
	}
	model_rebuild(test, m);

	for (op = 0; op < DIFF_OPS; op++) {
		model_op(test, m, &rnd);
		for (i = 0; i < DIFF_PICKS; i++) {
			struct lvs_dest *got, *want;
			struct lvs_pkt p;

			rnd_flow(&rnd, &p);
			got = dh_schedule(m->state, &p);
			want = ref_pick(m, &p);
			if (got != want) {
				KUNIT_FAIL(test, "op %u: got dest %d, want %d",
					   op, sched_test_index(m->d, DIFF_DESTS, got),
					   sched_test_index(m->d, DIFF_DESTS, want));
				goto out;
			}
			picked += !!got;
			refused += !got;
		}
	}
	KUNIT_EXPECT_GT(test, picked, 0);
	KUNIT_EXPECT_GT(test, refused, 0);
out:
	dh_scheduler.free(m->state);
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
