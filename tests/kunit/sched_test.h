/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the scheduler suites: fake destinations, fixed cases,
 * and a differential run of a scheduler against a reference.
 */
#ifndef _LVS_SCHED_TEST_H
#define _LVS_SCHED_TEST_H

#include <kunit/test.h>
#include <linux/math64.h>
#include <linux/prandom.h>

#include "dest.h"
#include "sched.h"

/* @n destinations of weights @weights (all 1 if NULL), at ports 1, 2, ... */
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
		d[i]->weight = weights ? weights[i] : 1;
		d[i]->port = htons(i + 1);
		refcount_set(&d[i]->refcnt, 1);
	}
	return d;
}

/* @n counters at 0, freed with the test. */
static inline unsigned int *sched_test_counts(struct kunit *test,
					      unsigned int n)
{
	unsigned int *count = kunit_kcalloc(test, n, sizeof(*count),
					    GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, count);
	return count;
}

static inline u64 sched_test_total(const u32 *w, unsigned int n)
{
	u64 total = 0;
	unsigned int i;

	for (i = 0; i < n; i++)
		total += w[i];
	return total;
}

/* Index of @dest in @d, or -1. */
static inline int sched_test_index(struct lvs_dest *const *d, unsigned int n,
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

/*
 * Destinations 0 and 1 of weights 4, 3, 2, 1 are the first picks of every
 * scheduler here. With 0 overloaded and 1 drained after the build, none
 * of 40 picks may go to either; with 2 and 3 overloaded too, nothing can
 * be picked; and 0, once no longer overloaded, is the only pick.
 */
static inline void sched_test_unavailable(struct kunit *test,
					  const struct lvs_scheduler *s)
{
	static const struct lvs_sched_conf conf = {};
	static const u32 w[] = { 4, 3, 2, 1 };
	struct lvs_dest **d = sched_test_dests(test, w, 4);
	void *state = s->build(&conf, d, 4, NULL);
	unsigned int i;

	KUNIT_ASSERT_FALSE(test, IS_ERR(state));
	d[0]->overloaded = true;
	d[1]->weight = 0;
	for (i = 0; i < 40; i++) {
		int k = sched_test_index(d, 4, s->schedule(state, NULL));

		if (k < 2) {
			KUNIT_FAIL(test, "pick %u went to %d", i, k);
			break;
		}
		atomic_inc(&d[k]->inactconns);
	}
	d[2]->overloaded = true;
	d[3]->overloaded = true;
	KUNIT_EXPECT_NULL(test, s->schedule(state, NULL));
	d[0]->overloaded = false;
	KUNIT_EXPECT_PTR_EQ(test, s->schedule(state, NULL), d[0]);
	s->free(state);
}

/*
 * The differential run: a pool of destinations in the order they were
 * added, under a few thousand random operations (a fixed seed, so that a
 * failure repeats): new sets and weights, each rebuilt as the core does
 * (the destinations of weight above zero, the old state passed on), a
 * weight set to 0 before the rebuild, overload marks set and cleared,
 * connections opened, activated, deactivated and closed, and picks, on
 * which the scheduler and a naive reference must agree. Weights stay
 * small enough for SCHED_TEST_LCM.
 */
enum {
	SCHED_TEST_POOL = 6,
	SCHED_TEST_MAXW = 12,
	SCHED_TEST_OPS = 3000,
};

/* The least common multiple of 1 to 16: cost * LCM / weight is exact. */
#define SCHED_TEST_LCM	720720ULL

static inline void sched_test_seed(struct rnd_state *rnd)
{
	prandom_seed_state(rnd, 0x6c7673);
}

static inline u32 sched_test_below(struct rnd_state *rnd, u32 ceil)
{
	return prandom_u32_state(rnd) % ceil;
}

/* The references' own ideas of availability and cost, by definition. */
static inline bool sched_test_available(const struct lvs_dest *d)
{
	return d->weight && !d->overloaded;
}

static inline u64 sched_test_overhead(const struct lvs_dest *d)
{
	return 256ULL * atomic_read(&d->activeconns) +
	       atomic_read(&d->inactconns);
}

static inline u64 sched_test_per_weight(u64 cost, const struct lvs_dest *d)
{
	return div_u64(cost * SCHED_TEST_LCM, d->weight);
}

/*
 * The first available destination of @d with the least key(), skipping
 * those whose key is U64_MAX.
 */
static inline struct lvs_dest *
sched_test_argmin(struct lvs_dest *const *d, unsigned int n,
		  u64 (*key)(const struct lvs_dest *d))
{
	struct lvs_dest *best = NULL;
	unsigned int i;

	for (i = 0; i < n; i++)
		if (sched_test_available(d[i]) && key(d[i]) != U64_MAX &&
		    (!best || key(d[i]) < key(best)))
			best = d[i];
	return best;
}

/* A reference scheduler, embedded in a struct of its own if it keeps any. */
struct sched_test_ref {
	struct kunit *test;
	/* Optional: a state was built for the set @d, replacing the last. */
	void (*rebuild)(struct sched_test_ref *ref, struct lvs_dest *const *d,
			unsigned int n);
	/* Its pick from @d, the set of the last build. */
	struct lvs_dest *(*pick)(struct sched_test_ref *ref,
				 struct lvs_dest *const *d, unsigned int n);
	/*
	 * Optional: the real pick, called after pick(), when not the
	 * scheduler's schedule().
	 */
	struct lvs_dest *(*real)(struct sched_test_ref *ref, void *state);
};

/* A random weight, 0 (drained or absent) one time in four. */
static inline u32 sched_test_weight(struct rnd_state *rnd)
{
	if (!sched_test_below(rnd, 4))
		return 0;
	return 1 + sched_test_below(rnd, SCHED_TEST_MAXW);
}

/* One open connection of @d closed, if it has any. */
static inline void sched_test_close(struct lvs_dest *d, bool active)
{
	if (active && atomic_read(&d->activeconns))
		atomic_dec(&d->activeconns);
	else if (atomic_read(&d->inactconns))
		atomic_dec(&d->inactconns);
}

/* The set a build gets: the pool's destinations of weight above zero. */
static inline void *sched_test_build(const struct lvs_scheduler *s,
				     struct lvs_dest *const *pool,
				     struct lvs_dest **set, unsigned int *n,
				     void *old)
{
	static const struct lvs_sched_conf conf = {};
	unsigned int i;

	for (*n = 0, i = 0; i < SCHED_TEST_POOL; i++)
		if (pool[i]->weight)
			set[(*n)++] = pool[i];
	return s->build(&conf, set, *n, old);
}

static inline void sched_test_differential(struct kunit *test,
					   const struct lvs_scheduler *s,
					   struct sched_test_ref *ref)
{
	static const u32 none[SCHED_TEST_POOL];
	struct lvs_dest **pool = sched_test_dests(test, none, SCHED_TEST_POOL);
	struct lvs_dest *set[SCHED_TEST_POOL], *d, *got, *want;
	unsigned int op, i, n = 0, found = 0, refused = 0;
	struct rnd_state rnd;
	void *state = NULL, *next;

	ref->test = test;
	sched_test_seed(&rnd);
	for (op = 0; op < SCHED_TEST_OPS; op++) {
		d = pool[sched_test_below(&rnd, SCHED_TEST_POOL)];
		switch (state ? sched_test_below(&rnd, 16) : 0) {
		case 0:		/* a new set; every other one with no connection */
			for (i = 0; i < SCHED_TEST_POOL; i++) {
				pool[i]->weight = sched_test_weight(&rnd);
				if (op % 2)
					continue;
				atomic_set(&pool[i]->activeconns, 0);
				atomic_set(&pool[i]->inactconns, 0);
			}
			fallthrough;
		case 1:		/* a weight changed (0: the destination removed) */
			d->weight = sched_test_weight(&rnd);
			next = sched_test_build(s, pool, set, &n, state);
			if (IS_ERR(next)) {
				KUNIT_FAIL(test, "op %u: build failed", op);
				goto out;
			}
			if (state)
				s->free(state);
			state = next;
			if (ref->rebuild)
				ref->rebuild(ref, set, n);
			break;
		case 2:		/* drained, the rebuild yet to come */
			d->weight = 0;
			break;
		case 3:
		case 4:
			d->overloaded = !d->overloaded;
			break;
		case 5:
			atomic_inc(&d->inactconns);
			break;
		case 6:
			if (atomic_read(&d->inactconns))
				lvs_dest_conn_active(d, true);
			break;
		case 7:
			if (atomic_read(&d->activeconns))
				lvs_dest_conn_active(d, false);
			break;
		case 8:
		case 9:
			sched_test_close(d, sched_test_below(&rnd, 2));
			break;
		default:	/* a pick; half of them open a connection */
			want = ref->pick(ref, set, n);
			got = ref->real ? ref->real(ref, state) :
					  s->schedule(state, NULL);
			if (got != want) {
				KUNIT_FAIL(test, "op %u: picked %d, not %d", op,
					   sched_test_index(set, n, got),
					   sched_test_index(set, n, want));
				goto out;
			}
			if (!got) {
				refused++;
				break;
			}
			found++;
			if (sched_test_below(&rnd, 2))
				atomic_inc(sched_test_below(&rnd, 2) ?
					   &got->activeconns :
					   &got->inactconns);
		}
	}
out:
	if (state)
		s->free(state);
	/* Both outcomes were compared, and often. */
	KUNIT_EXPECT_GE(test, found, SCHED_TEST_OPS / 8);
	KUNIT_EXPECT_GE(test, refused, 10);
}

#endif /* _LVS_SCHED_TEST_H */
