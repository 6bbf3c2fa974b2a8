/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the sh and dh suites share: their destinations, and the
 * differential test, but for the reference's pick and how the options
 * change, which each suite gives.
 */
#ifndef _LVS_SCHED_BUCKETS_TEST_H
#define _LVS_SCHED_BUCKETS_TEST_H

#include <linux/math64.h>
#include <linux/prandom.h>

#include "sched_test.h"

/* Destinations of weights @w at 10.0.0.1:1, 10.0.0.2:2, ... */
static struct lvs_dest **bkt_t_dests(struct kunit *test, const u32 *w,
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

/*
 * The differential test: random changes to a service and random flows,
 * each flow picked by the scheduler and by a naive reference that works
 * the definition in sched_buckets.h out from scratch on every pick.
 */
enum { DIFF_DESTS = 8, DIFF_OPS = 3000, DIFF_PICKS = 4 };

struct bkt_model {
	const struct lvs_scheduler *sched;
	/* The reference's pick for @p, from what the last build was given. */
	struct lvs_dest *(*ref_pick)(struct bkt_model *m,
				     const struct lvs_pkt *p);
	/* Change m->conf at random. */
	void (*options)(struct bkt_model *m, struct rnd_state *rnd);
	bool flow_daddr;		/* flows have random daddrs too */
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
	struct lvs_sched_conf built;
	/* sh: how often the reference probed, and scanned. */
	unsigned int probed, scanned;
};

static bool bkt_ref_before(const struct lvs_dest *a, const struct lvs_dest *b)
{
	if (a->addr.ip != b->addr.ip)
		return ntohl(a->addr.ip) < ntohl(b->addr.ip);
	return ntohs(a->port) < ntohs(b->port);
}

/*
 * What the last build was given, sorted by address and port into @sorted
 * and their weights @w; returns the sum of the weights.
 */
static u64 bkt_ref_sort(const struct bkt_model *m, struct lvs_dest **sorted,
			u32 *w)
{
	bool taken[DIFF_DESTS] = {};
	unsigned int i, j, min;
	u64 total = 0;

	for (i = 0; i < m->n; i++) {
		min = DIFF_DESTS;
		for (j = 0; j < m->n; j++)
			if (!taken[j] && (min == DIFF_DESTS ||
					  bkt_ref_before(m->set[j],
							 m->set[min])))
				min = j;
		taken[min] = true;
		sorted[i] = m->set[min];
		w[i] = m->w[min];
		total += w[i];
	}
	return total;
}

/* The index of the owner of bucket @b of @size, weights @w summing @total. */
static unsigned int bkt_ref_owner(const u32 *w, u64 total, u32 size, u32 b)
{
	u64 point = DIV64_U64_ROUND_UP((u64)(b + 1) * total, size) - 1;
	u64 start = 0;
	unsigned int i;

	for (i = 0; point >= start + w[i]; i++)
		start += w[i];
	return i;
}

/* What the core does after a change: build for the set, then swap. */
static void bkt_model_rebuild(struct kunit *test, struct bkt_model *m)
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
	s = m->sched->build(&m->conf, m->set, m->n, m->state);
	KUNIT_ASSERT_FALSE(test, IS_ERR(s));
	if (m->state)
		m->sched->free(m->state);
	m->state = s;
	m->built = m->conf;
}

static u32 bkt_rnd_below(struct rnd_state *rnd, u32 n)
{
	return prandom_u32_state(rnd) % n;
}

static u32 bkt_rnd_weight(struct rnd_state *rnd)
{
	switch (bkt_rnd_below(rnd, 8)) {
	case 0:
		return 65535;
	case 1:
		return 1 + bkt_rnd_below(rnd, 65535);
	default:
		return 1 + bkt_rnd_below(rnd, 4);
	}
}

/* A random present (@present) or absent destination, or -1 if none. */
static int bkt_rnd_dest(struct rnd_state *rnd, struct bkt_model *m,
			bool present)
{
	unsigned int i, start = bkt_rnd_below(rnd, DIFF_DESTS);

	for (i = 0; i < DIFF_DESTS; i++) {
		unsigned int j = (start + i) % DIFF_DESTS;

		if (m->present[j] == present)
			return j;
	}
	return -1;
}

static void bkt_model_op(struct kunit *test, struct bkt_model *m,
			 struct rnd_state *rnd)
{
	unsigned int op = bkt_rnd_below(rnd, 100), i;
	int j = bkt_rnd_dest(rnd, m, op >= 15);

	if (j < 0)
		return;
	if (op < 15) {			/* add */
		m->d[j]->weight = bkt_rnd_weight(rnd);
		m->d[j]->overloaded = false;
		m->present[j] = true;
		m->order[m->norder++] = j;
		bkt_model_rebuild(test, m);
	} else if (op < 25) {		/* remove */
		for (i = 0; m->order[i] != j; i++)
			;
		memmove(&m->order[i], &m->order[i + 1],
			(--m->norder - i) * sizeof(m->order[0]));
		m->present[j] = false;
		bkt_model_rebuild(test, m);
	} else if (op < 45) {		/* weight, rebuilt or not yet */
		WRITE_ONCE(m->d[j]->weight,
			   bkt_rnd_below(rnd, 5) ? bkt_rnd_weight(rnd) : 0);
		if (bkt_rnd_below(rnd, 5))
			bkt_model_rebuild(test, m);
	} else if (op < 60) {		/* overload comes or goes */
		m->d[j]->overloaded = !m->d[j]->overloaded;
	} else if (op < 65) {		/* options */
		m->options(m, rnd);
		bkt_model_rebuild(test, m);
	}
}

static void bkt_rnd_flow(struct bkt_model *m, struct rnd_state *rnd,
			 struct lvs_pkt *p)
{
	unsigned int i;

	memset(p, 0, sizeof(*p));
	p->af = bkt_rnd_below(rnd, 8) ? AF_INET : AF_INET6;
	for (i = 0; i < (p->af == AF_INET ? 1 : 4); i++) {
		p->saddr.all[i] = prandom_u32_state(rnd);
		if (m->flow_daddr)
			p->daddr.all[i] = prandom_u32_state(rnd);
	}
	p->sport = (__force __be16)(u16)prandom_u32_state(rnd);
	p->dport = htons(80);
}

/*
 * Runs the differential test of @m from @seed; false if the scheduler and
 * the reference disagreed (a failure reported). Either way, @m->state is
 * freed.
 */
static bool bkt_t_differential(struct kunit *test, struct bkt_model *m,
			       u64 seed)
{
	unsigned int op, i, picked = 0, refused = 0;
	struct rnd_state rnd;
	bool ok = true;

	prandom_seed_state(&rnd, seed);
	/* Addresses repeat, so ports decide some of the order. */
	for (i = 0; i < DIFF_DESTS; i++) {
		m->d[i] = kunit_kzalloc(test, sizeof(*m->d[i]), GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, m->d[i]);
		m->d[i]->af = AF_INET;
		m->d[i]->addr.ip = htonl(0x0a000001 + bkt_rnd_below(&rnd, 3));
		m->d[i]->port = htons(i + 1 + 100 * bkt_rnd_below(&rnd, 3));
	}
	bkt_model_rebuild(test, m);

	for (op = 0; op < DIFF_OPS && ok; op++) {
		bkt_model_op(test, m, &rnd);
		for (i = 0; i < DIFF_PICKS && ok; i++) {
			struct lvs_dest *got, *want;
			struct lvs_pkt p;

			bkt_rnd_flow(m, &rnd, &p);
			got = m->sched->schedule(m->state, &p);
			want = m->ref_pick(m, &p);
			if (got != want) {
				KUNIT_FAIL(test, "op %u: got dest %d, want %d",
					   op, sched_test_index(m->d, DIFF_DESTS, got),
					   sched_test_index(m->d, DIFF_DESTS, want));
				ok = false;
			}
			picked += !!got;
			refused += !got;
		}
	}
	m->sched->free(m->state);
	if (ok) {
		/* The walk went through every kind of answer. */
		KUNIT_EXPECT_GT(test, picked, 0);
		KUNIT_EXPECT_GT(test, refused, 0);
	}
	return ok;
}

#endif /* _LVS_SCHED_BUCKETS_TEST_H */
