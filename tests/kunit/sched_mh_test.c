// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: Maglev hashing. Included at the end of src/sched_mh.c so the
 * tests reach its static functions and look into the tables it builds.
 * Everything is deterministic: the hashes have fixed seeds and the random
 * sets come from a PRNG with a fixed seed, so a failure reproduces.
 */

#include <linux/ktime.h>
#include <linux/prandom.h>

#include "sched_test.h"

#define MH_T_BIG	65537

/* @n destinations of weight @w[i] (1 if @w is NULL), 10.0.x.y:80+i. */
static struct lvs_dest **mh_t_dests(struct kunit *test, const u32 *w,
				    unsigned int n)
{
	struct lvs_dest **d = sched_test_dests(test, w, n);
	unsigned int i;

	for (i = 0; i < n; i++) {
		d[i]->af = AF_INET;
		d[i]->addr.ip = htonl(0x0a000000 + i / 3);
		d[i]->port = htons(80 + i % 3);
	}
	return d;
}

static struct mh_state *mh_t_build(struct kunit *test, u32 size,
				   struct lvs_dest **d, unsigned int n,
				   bool fallback, bool hash_port)
{
	struct lvs_sched_conf conf = {
		.mh_table_size	= size,
		.fallback	= fallback,
		.hash_port	= hash_port,
	};
	void *s = mh_scheduler.build(&conf, d, n, NULL);

	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(s), "size %u, %u dests: %ld",
			       size, n, PTR_ERR(s));
	return s;
}

static struct lvs_dest *mh_t_owner(const struct mh_state *s, u32 slot)
{
	return s->dest[s->table[slot]];
}

/* Slots per destination of @s, by its (sorted) index; false if corrupt. */
static bool mh_t_count(const struct mh_state *s, unsigned int *count)
{
	u32 i;

	memset(count, 0, s->n * sizeof(*count));
	for (i = 0; i < s->size; i++) {
		if (s->table[i] >= s->n)
			return false;
		count[s->table[i]]++;
	}
	return true;
}

static void mh_t_shuffle(struct lvs_dest **d, unsigned int n,
			 struct rnd_state *rnd)
{
	unsigned int i, j;

	for (i = n; i > 1; i--) {
		j = prandom_u32_state(rnd) % i;
		swap(d[i - 1], d[j]);
	}
}

static struct lvs_pkt mh_t_pkt(u32 client, u16 sport)
{
	struct lvs_pkt p = {
		.af		= AF_INET,
		.saddr.ip	= htonl(0xc0a80000 + client),
		.sport		= htons(sport),
	};

	return p;
}

/*
 * Equal weights: the paper's round robin. Its balance, max / mean at most
 * 1.05; mh_t_size() checks the stricter property, shares within one slot.
 */
static void mh_balance(struct kunit *test)
{
	enum { N = 100 };
	struct lvs_dest **d = mh_t_dests(test, NULL, N);
	struct mh_state *s = mh_t_build(test, MH_T_BIG, d, N, false, false);
	unsigned int count[N], lo = UINT_MAX, hi = 0, i;

	KUNIT_EXPECT_TRUE(test, mh_t_count(s, count));
	for (i = 0; i < N; i++) {
		lo = min(lo, count[i]);
		hi = max(hi, count[i]);
	}
	/* max / mean <= 1.05 */
	KUNIT_EXPECT_LE_MSG(test, hi * N * 100, MH_T_BIG * 105,
			    "slots per destination %u..%u", lo, hi);
	KUNIT_EXPECT_GE(test, lo, MH_T_BIG / N);
	mh_free(s);
}

/* Each share within 1% (or 2 slots) of its weight's. */
static void mh_t_shares(struct kunit *test, const u32 *w, unsigned int n)
{
	struct lvs_dest **d = mh_t_dests(test, w, n);
	struct mh_state *s = mh_t_build(test, MH_T_BIG, d, n, false, false);
	unsigned int *count = sched_test_counts(test, n);
	u64 total = sched_test_total(w, n);
	unsigned int i;

	KUNIT_EXPECT_TRUE(test, mh_t_count(s, count));
	for (i = 0; i < n; i++) {
		u32 want = div64_u64((u64)MH_T_BIG * s->dest[i]->weight, total);

		KUNIT_EXPECT_LE_MSG(test, abs((int)count[i] - (int)want),
				    max(want / 100, 2U),
				    "weight %u of %llu: %u slots, want %u",
				    s->dest[i]->weight, total, count[i], want);
	}
	mh_free(s);
}

static void mh_weighted(struct kunit *test)
{
	static const u32 w1[] = { 1, 2, 3, 4 };
	static const u32 w2[] = { 7000, 7, 700, 70, 1, 65535 };

	mh_t_shares(test, w1, ARRAY_SIZE(w1));
	mh_t_shares(test, w2, ARRAY_SIZE(w2));
}

/*
 * Slots whose owner differs between @a and @b, not counting those that
 * @skip owns in either.
 */
static u32 mh_t_moved(const struct mh_state *a, const struct mh_state *b,
		      const struct lvs_dest *skip, u32 *skipped)
{
	u32 i, moved = 0;

	*skipped = 0;
	for (i = 0; i < a->size; i++) {
		const struct lvs_dest *x = mh_t_owner(a, i);
		const struct lvs_dest *y = mh_t_owner(b, i);

		if (x == skip || y == skip)
			(*skipped)++;
		else if (x != y)
			moved++;
	}
	return moved;
}

/* One destination more or less moves at most 1% of the other slots. */
static void mh_disruption(struct kunit *test)
{
	enum { N = 100, GONE = 37 };
	struct lvs_dest **d = mh_t_dests(test, NULL, N + 1);
	struct lvs_dest *gone = d[GONE];
	struct mh_state *a, *b, *c;
	u32 moved, own;

	a = mh_t_build(test, MH_T_BIG, d, N, false, false);
	d[GONE] = d[N - 1];
	b = mh_t_build(test, MH_T_BIG, d, N - 1, false, false);
	moved = mh_t_moved(a, b, gone, &own);
	kunit_info(test, "removing one of %u moved %u of %u other slots\n",
		   N, moved, MH_T_BIG - own);
	KUNIT_EXPECT_GE(test, own, MH_T_BIG / N);
	KUNIT_EXPECT_LE_MSG(test, moved * 100, MH_T_BIG - own,
			    "removing one moved %u other slots", moved);

	d[GONE] = gone;
	c = mh_t_build(test, MH_T_BIG, d, N + 1, false, false);
	moved = mh_t_moved(a, c, d[N], &own);
	kunit_info(test, "adding one to %u moved %u of %u other slots\n",
		   N, moved, MH_T_BIG - own);
	KUNIT_EXPECT_GE(test, own, MH_T_BIG / (N + 1));
	KUNIT_EXPECT_LE(test, own, MH_T_BIG / (N + 1) + 1);
	KUNIT_EXPECT_LE_MSG(test, moved * 100, MH_T_BIG - own,
			    "adding one moved %u other slots", moved);
	mh_free(a);
	mh_free(b);
	mh_free(c);
}

/*
 * The same set in another order gives the same table. It mixes families
 * and ports of one address, and uses the default size (NULL conf).
 */
static void mh_order(struct kunit *test)
{
	enum { N = 40 };
	struct lvs_dest **d = mh_t_dests(test, NULL, N);
	struct lvs_dest **p = kunit_kcalloc(test, N, sizeof(*p), GFP_KERNEL);
	struct mh_state *a, *b;
	struct rnd_state rnd;
	unsigned int i, diff = 0;

	KUNIT_ASSERT_NOT_NULL(test, p);
	for (i = 0; i < N; i++) {
		d[i]->weight = 1 + i * 7 % 5;
		if (i % 4 == 1) {
			d[i]->af = AF_INET6;
			d[i]->addr.ip6[0] = htonl(0x20010db8);
			d[i]->addr.ip6[3] = htonl(i / 2);
		}
	}
	prandom_seed_state(&rnd, 4093);
	memcpy(p, d, N * sizeof(*p));
	mh_t_shuffle(p, N, &rnd);

	a = mh_scheduler.build(NULL, d, N, NULL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(a));
	b = mh_scheduler.build(NULL, p, N, NULL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(b));
	KUNIT_EXPECT_EQ(test, a->size, LVS_MH_TABLE_DEFAULT);
	KUNIT_EXPECT_EQ(test, b->size, LVS_MH_TABLE_DEFAULT);
	for (i = 0; i < a->size; i++)
		diff += mh_t_owner(a, i) != mh_t_owner(b, i);
	KUNIT_EXPECT_EQ_MSG(test, diff, 0, "of %u slots", a->size);
	mh_free(a);
	mh_free(b);
}

/* Shares of @n equal destinations in a table of @size differ by one. */
static void mh_t_size(struct kunit *test, u32 size, unsigned int n)
{
	struct lvs_dest **d = mh_t_dests(test, NULL, n);
	struct mh_state *s = mh_t_build(test, size, d, n, false, false);
	unsigned int *count = sched_test_counts(test, n);
	unsigned int i;

	KUNIT_EXPECT_EQ(test, s->size, size);
	KUNIT_EXPECT_TRUE(test, mh_t_count(s, count));
	for (i = 0; i < n; i++)
		KUNIT_EXPECT_LE_MSG(test, count[i] - size / n, 1U,
				    "size %u: %u slots of %u", size,
				    count[i], n);
	for (i = 0; i < 100; i++) {
		struct lvs_pkt pkt = mh_t_pkt(i, 0);

		KUNIT_EXPECT_GE(test, sched_test_index(d, n,
						       mh_schedule(s, &pkt)),
				0);
	}
	mh_free(s);
}

static void mh_sizes(struct kunit *test)
{
	static const u32 bad[] = { 1000, 241, LVS_MH_TABLE_MAX + 2 };
	struct lvs_sched_conf conf = {};
	struct lvs_dest **d = mh_t_dests(test, NULL, 3);
	struct mh_state *s;
	unsigned int i;

	mh_t_size(test, LVS_MH_TABLE_MIN, 10);
	/* More destinations than slots: a slot each for the first M. */
	mh_t_size(test, LVS_MH_TABLE_MIN, 300);
	mh_t_size(test, LVS_MH_TABLE_MAX, 10);

	s = mh_scheduler.build(&conf, d, 3, NULL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(s));
	KUNIT_EXPECT_EQ(test, s->size, LVS_MH_TABLE_DEFAULT);
	mh_free(s);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		conf.mh_table_size = bad[i];
		KUNIT_EXPECT_EQ_MSG(test,
				    PTR_ERR(mh_scheduler.build(&conf, d, 3,
							       NULL)),
				    -EINVAL, "size %u", bad[i]);
	}
}

static void mh_empty(struct kunit *test)
{
	struct lvs_pkt pkt = mh_t_pkt(1, 1);
	struct mh_state *s = mh_t_build(test, 0, NULL, 0, true, true);

	KUNIT_EXPECT_NULL(test, mh_schedule(s, &pkt));
	mh_free(s);
}

/*
 * A client sticks to one destination, clients spread over all, and with
 * hash_port so do the ports of one client.
 */
static void mh_flows(struct kunit *test)
{
	enum { N = 4, FLOWS = 1000 };
	struct lvs_dest **d = mh_t_dests(test, NULL, N);
	struct mh_state *s = mh_t_build(test, 0, d, N, false, false);
	struct mh_state *sp = mh_t_build(test, 0, d, N, false, true);
	unsigned int by_client[N] = {}, by_port[N] = {}, i;
	struct lvs_dest *first;
	struct lvs_pkt pkt;
	int k;

	for (i = 0; i < FLOWS; i++) {
		pkt = mh_t_pkt(i, 1000 + i);
		k = sched_test_index(d, N, mh_schedule(s, &pkt));
		KUNIT_ASSERT_GE(test, k, 0);
		by_client[k]++;
		pkt.sport = htons(1);
		KUNIT_EXPECT_PTR_EQ(test, mh_schedule(s, &pkt), d[k]);
	}

	pkt = mh_t_pkt(7, 0);
	first = mh_schedule(s, &pkt);
	for (i = 0; i < FLOWS; i++) {
		pkt.sport = htons(1024 + i);
		KUNIT_EXPECT_PTR_EQ(test, mh_schedule(s, &pkt), first);
		k = sched_test_index(d, N, mh_schedule(sp, &pkt));
		KUNIT_ASSERT_GE(test, k, 0);
		by_port[k]++;
		KUNIT_EXPECT_PTR_EQ(test, mh_schedule(sp, &pkt), d[k]);
	}

	for (i = 0; i < N; i++) {
		KUNIT_EXPECT_GE_MSG(test, by_client[i], FLOWS / N / 2,
				    "destination %u: %u of %u clients", i,
				    by_client[i], FLOWS);
		KUNIT_EXPECT_GE_MSG(test, by_port[i], FLOWS / N / 2,
				    "destination %u: %u of %u ports", i,
				    by_port[i], FLOWS);
	}
	mh_free(s);
	mh_free(sp);
}

/*
 * The destination a client maps to becomes unavailable: nothing without
 * fallback, and with it another one, always the same, never one that is
 * unavailable.
 */
static void mh_fallback(struct kunit *test)
{
	enum { N = 10, CLIENTS = 200 };
	struct lvs_dest **d = mh_t_dests(test, NULL, N);
	struct mh_state *s = mh_t_build(test, 0, d, N, false, false);
	struct mh_state *f = mh_t_build(test, 0, d, N, true, false);
	struct lvs_dest *home, *alt;
	unsigned int i, j;

	for (i = 0; i < CLIENTS; i++) {
		struct lvs_pkt pkt = mh_t_pkt(i, 0);

		home = mh_schedule(s, &pkt);
		KUNIT_ASSERT_NOT_NULL(test, home);
		KUNIT_EXPECT_PTR_EQ(test, mh_schedule(f, &pkt), home);

		if (i % 2)
			home->overloaded = true;
		else
			home->weight = 0;
		KUNIT_EXPECT_NULL(test, mh_schedule(s, &pkt));
		alt = mh_schedule(f, &pkt);
		KUNIT_EXPECT_TRUE(test, alt && lvs_dest_available(alt));
		KUNIT_EXPECT_PTR_NE(test, alt, home);
		KUNIT_EXPECT_PTR_EQ(test, mh_schedule(f, &pkt), alt);
		home->overloaded = false;
		home->weight = 1;
	}

	/* One left: rehashing seldom finds it, the scan always does. */
	for (j = 0; j < N; j++) {
		for (i = 0; i < N; i++)
			d[i]->overloaded = i != j;
		for (i = 0; i < CLIENTS; i++) {
			struct lvs_pkt pkt = mh_t_pkt(i, 0);

			KUNIT_EXPECT_PTR_EQ(test, mh_schedule(f, &pkt), d[j]);
		}
	}
	for (i = 0; i < N; i++)
		d[i]->overloaded = true;
	for (i = 0; i < CLIENTS; i++) {
		struct lvs_pkt pkt = mh_t_pkt(i, 0);

		KUNIT_EXPECT_NULL(test, mh_schedule(f, &pkt));
	}
	mh_free(s);
	mh_free(f);
}

/*
 * The reference for the differential test: the population as the paper's
 * pseudocode writes it, with weighted turns. Every permutation is spelt
 * out, each turn scans all destinations for the one due first, and the
 * (af, address, port) order is a rank counted pair by pair. Slow but
 * plain. @owner[slot] gets an index into @d.
 */
struct mh_ref {
	u32 *perm;		/* MAXN rows of MAXM */
	u32 *next, *claims, *rank;
	int *owner;
};

enum { MH_REF_MAXN = 24, MH_REF_MAXM = 1021 };

static void mh_ref_key(const struct lvs_dest *d, u8 *key)
{
	key[0] = d->af;
	memcpy(key + 1, &d->addr, sizeof(d->addr));
	memcpy(key + 1 + sizeof(d->addr), &d->port, sizeof(d->port));
}

static void mh_ref_populate(struct mh_ref *r, struct lvs_dest **d,
			    unsigned int n, u32 m)
{
	u8 ki[19], kj[19];
	unsigned int i, j, filled;

	for (i = 0; i < n; i++) {
		u32 offset = lvs_sched_hash(d[i]->af, &d[i]->addr,
					    d[i]->port, MH_SEED_OFFSET) % m;
		u32 skip = lvs_sched_hash(d[i]->af, &d[i]->addr, d[i]->port,
					  MH_SEED_SKIP) % (m - 1) + 1;

		for (j = 0; j < m; j++)
			r->perm[i * m + j] = (offset + (u64)j * skip) % m;
		r->next[i] = 0;
		r->claims[i] = 0;
		r->rank[i] = 0;
		mh_ref_key(d[i], ki);
		for (j = 0; j < n; j++) {
			mh_ref_key(d[j], kj);
			if (memcmp(kj, ki, sizeof(ki)) < 0)
				r->rank[i]++;
		}
	}
	for (j = 0; j < m; j++)
		r->owner[j] = -1;

	for (filled = 0; filled < m; filled++) {
		unsigned int best = 0;
		u32 c;

		for (i = 1; i < n; i++) {
			u64 ti = (u64)(r->claims[i] + 1) * d[best]->weight;
			u64 tb = (u64)(r->claims[best] + 1) * d[i]->weight;

			if (ti < tb || (ti == tb && r->rank[i] < r->rank[best]))
				best = i;
		}
		c = r->perm[best * m + r->next[best]];
		while (r->owner[c] >= 0) {
			r->next[best]++;
			c = r->perm[best * m + r->next[best]];
		}
		r->owner[c] = best;
		r->next[best]++;
		r->claims[best]++;
	}
}

/* Random sets, weights and input orders, compared slot by slot. */
static void mh_differential(struct kunit *test)
{
	enum { TRIALS = 300 };
	static const u32 wmax[] = { 1, 4, 100, 65535 };
	struct lvs_dest *pool = kunit_kcalloc(test, MH_REF_MAXN,
					      sizeof(*pool), GFP_KERNEL);
	struct lvs_dest **d = kunit_kcalloc(test, MH_REF_MAXN, sizeof(*d),
					    GFP_KERNEL);
	struct mh_ref r = {
		.perm	= kunit_kmalloc_array(test, MH_REF_MAXN * MH_REF_MAXM,
					      sizeof(u32), GFP_KERNEL),
		.next	= kunit_kcalloc(test, MH_REF_MAXN, sizeof(u32),
					GFP_KERNEL),
		.claims	= kunit_kcalloc(test, MH_REF_MAXN, sizeof(u32),
					GFP_KERNEL),
		.rank	= kunit_kcalloc(test, MH_REF_MAXN, sizeof(u32),
					GFP_KERNEL),
		.owner	= kunit_kcalloc(test, MH_REF_MAXM, sizeof(int),
					GFP_KERNEL),
	};
	union nf_inet_addr addrs[4] = {};
	struct rnd_state rnd;
	unsigned int t, i;

	KUNIT_ASSERT_NOT_NULL(test, pool);
	KUNIT_ASSERT_NOT_NULL(test, d);
	KUNIT_ASSERT_NOT_NULL(test, r.perm);
	KUNIT_ASSERT_NOT_NULL(test, r.next);
	KUNIT_ASSERT_NOT_NULL(test, r.claims);
	KUNIT_ASSERT_NOT_NULL(test, r.rank);
	KUNIT_ASSERT_NOT_NULL(test, r.owner);
	prandom_seed_state(&rnd, 20160316);

	for (t = 0; t < TRIALS; t++) {
		u32 m = t % 3 ? LVS_MH_TABLE_MIN : MH_REF_MAXM;
		unsigned int n = 1 + prandom_u32_state(&rnd) % MH_REF_MAXN;
		struct mh_state *s;
		unsigned int diff = 0;

		/* Three IPv4 addresses and one IPv6, several ports each. */
		for (i = 0; i < 3; i++)
			prandom_bytes_state(&rnd, &addrs[i].ip,
					    sizeof(addrs[i].ip));
		prandom_bytes_state(&rnd, &addrs[3], sizeof(addrs[3]));
		for (i = 0; i < n; i++) {
			struct lvs_dest *x = &pool[i];
			unsigned int a = prandom_u32_state(&rnd) % 4;

			memset(x, 0, sizeof(*x));
			x->af = a == 3 ? AF_INET6 : AF_INET;
			x->addr = addrs[a];
			x->port = htons(1 + i);
			x->weight = 1 + prandom_u32_state(&rnd) % wmax[t % 4];
			refcount_set(&x->refcnt, 1);
			d[i] = x;
		}
		mh_t_shuffle(d, n, &rnd);

		s = mh_t_build(test, m, d, n, false, false);
		mh_ref_populate(&r, d, n, m);
		for (i = 0; i < m; i++)
			diff += mh_t_owner(s, i) != d[r.owner[i]];
		mh_free(s);
		KUNIT_ASSERT_EQ_MSG(test, diff, 0,
				    "trial %u: %u destinations, size %u: %u of the slots differ",
				    t, n, m, diff);
	}
}

/*
 * The work of a build of the paper's table size for many destinations,
 * counted, as a guest under KASAN and TCG runs at no predictable speed:
 * the slots the walks look at, about M (H(M) + 1) as the walks go on from
 * where they stopped, plus at most log2 N heap levels a turn (weights
 * only). It must stay under M (log2 M + 2) + (M + N) log2 N. A build whose
 * walks start again from their offsets looks at several times more slots.
 * The time is only shown.
 */
static void mh_t_build_work(struct kunit *test, const u32 *w, unsigned int n)
{
	struct lvs_sched_conf conf = { .mh_table_size = MH_T_BIG };
	struct lvs_dest **d = mh_t_dests(test, w, n);
	unsigned int *count = sched_test_counts(test, n);
	u64 total = w ? sched_test_total(w, n) : n;
	u64 work, bound;
	struct mh_state *s;
	unsigned int i;
	ktime_t t0;
	s64 us;

	bound = (u64)MH_T_BIG * (ilog2(MH_T_BIG) + 2) +
		(u64)(MH_T_BIG + n) * ilog2(n);
	t0 = ktime_get();
	s = mh_build_work(&conf, d, n, &work);
	us = ktime_us_delta(ktime_get(), t0);
	KUNIT_ASSERT_FALSE(test, IS_ERR(s));
	kunit_info(test,
		   "size %u, %u destinations%s: work %llu (%llu per slot, at most %llu), %lld us\n",
		   MH_T_BIG, n, w ? " weighted" : "", work,
		   div_u64(work, MH_T_BIG), bound, us);
	/* Every slot is looked at once at least: the count is not idle. */
	KUNIT_EXPECT_GE(test, work, (u64)MH_T_BIG);
	KUNIT_EXPECT_LE(test, work, bound);

	KUNIT_EXPECT_TRUE(test, mh_t_count(s, count));
	for (i = 0; i < n; i++) {
		u32 want = div64_u64((u64)MH_T_BIG * s->dest[i]->weight, total);

		/* Equal weights: shares differ by one slot. */
		KUNIT_EXPECT_LE_MSG(test, abs((int)count[i] - (int)want),
				    w ? max(want / 100, 2U) : 1U,
				    "weight %u: %u slots, want %u",
				    s->dest[i]->weight, count[i], want);
	}
	mh_free(s);
}

static void mh_build_cost(struct kunit *test)
{
	enum { N = 1000 };
	u32 *w = sched_test_counts(test, N);
	unsigned int i;

	mh_t_build_work(test, NULL, N);
	for (i = 0; i < N; i++)
		w[i] = 1 + i % 4;
	mh_t_build_work(test, w, N);
}

static struct kunit_case lvs_sched_mh_cases[] = {
	KUNIT_CASE(mh_balance),
	KUNIT_CASE(mh_weighted),
	KUNIT_CASE(mh_disruption),
	KUNIT_CASE(mh_order),
	KUNIT_CASE(mh_sizes),
	KUNIT_CASE(mh_empty),
	KUNIT_CASE(mh_flows),
	KUNIT_CASE(mh_fallback),
	KUNIT_CASE(mh_differential),
	KUNIT_CASE(mh_build_cost),
	{}
};

static struct kunit_suite lvs_sched_mh_suite = {
	.name		= "lvs_sched_mh",
	.test_cases	= lvs_sched_mh_cases,
};

kunit_test_suite(lvs_sched_mh_suite);
