// SPDX-License-Identifier: GPL-2.0
/*
 * Maglev hashing (Eisenbud et al., "Maglev: A Fast and Reliable Software
 * Network Load Balancer", NSDI 2016, section 3.4): a lookup table of M
 * slots, M prime, maps the hash of a client to a destination.
 *
 * Each destination walks the slots in an order of its own: offset,
 * offset + skip, offset + 2 skip... modulo M, where offset and skip come
 * from two hashes of its address and port. As M is prime and skip is in
 * 1..M-1, the walk reaches every slot. The destinations take turns, and
 * at each turn one claims the first slot of its walk still free, until
 * the table is full. Shares come out almost even, and a change of the set
 * moves few slots besides those of the destination that came or went.
 *
 * Weights set how often each destination takes a turn: its k-th turn is
 * due at time k / weight, and turns are taken in time order, a tie going
 * to the destination first in (address, port) order. With equal weights
 * this is the paper's round robin. Sorting the destinations first makes
 * the table depend only on the set, its weights and fixed hash seeds, so
 * directors with the same configuration send a client to the same place.
 *
 * A new connection goes to the owner of the slot that its client's
 * address (and port, with hash_port) hashes to. If that one cannot take
 * it, fallback tries a few other slots of the client's, then the
 * destinations in turn from one the client picks.
 */

#include <linux/mm.h>
#include <linux/sort.h>
#include <uapi/linux/lvs.h>

#include "dest.h"
#include "proto.h"
#include "sched.h"

#define MH_SEED_OFFSET	0x6d61676c
#define MH_SEED_SKIP	0x65763136
#define MH_SEED_CLIENT	0x636c6e74
/* With fallback: slots tried after the first, before the scan. */
#define MH_REHASH	8
#define MH_FREE		U32_MAX

struct mh_state {
	u32 size;			/* M */
	bool fallback;
	bool hash_port;
	unsigned int n;
	u32 *table;			/* M indices into dest[] */
	struct lvs_dest *dest[];	/* sorted by af, address, port */
};

/* One destination's progress through its walk while the table fills. */
struct mh_turn {
	u32 pos;
	u32 skip;
	u32 claims;
	u32 weight;
};

static int mh_cmp(const void *a, const void *b)
{
	const struct lvs_dest *x = *(struct lvs_dest *const *)a;
	const struct lvs_dest *y = *(struct lvs_dest *const *)b;
	int r;

	if (x->af != y->af)
		return x->af < y->af ? -1 : 1;
	r = memcmp(&x->addr, &y->addr, x->af == AF_INET6 ?
		   sizeof(x->addr.in6) : sizeof(x->addr.ip));
	if (r)
		return r;
	return (int)ntohs(x->port) - (int)ntohs(y->port);
}

/* Is @a's next turn due before @b's? Cross-multiplied, fits in 64 bits. */
static bool mh_before(const struct mh_turn *t, u32 a, u32 b)
{
	u64 ta = (u64)(t[a].claims + 1) * t[b].weight;
	u64 tb = (u64)(t[b].claims + 1) * t[a].weight;

	return ta < tb || (ta == tb && a < b);
}

/*
 * Move heap[i] down the min-heap of turns to its place. Returns the levels
 * it went down, for the tests to count the work of a build.
 */
static u32 mh_sift(const struct mh_turn *t, u32 *heap, u32 n, u32 i)
{
	u32 top = heap[i], c, levels = 0;

	while ((c = 2 * i + 1) < n) {
		levels++;
		if (c + 1 < n && mh_before(t, heap[c + 1], heap[c]))
			c++;
		if (!mh_before(t, heap[c], top))
			break;
		heap[i] = heap[c];
		i = c;
	}
	heap[i] = top;
	return levels;
}

/*
 * Destination @d claims the first slot of its walk @x still free. Returns
 * the slots it looked at, for the tests to count the work of a build.
 */
static u32 mh_claim(struct mh_state *s, struct mh_turn *x, u32 d)
{
	u32 probes = 1;

	while (s->table[x->pos] != MH_FREE) {
		x->pos += x->skip;
		if (x->pos >= s->size)
			x->pos -= s->size;
		probes++;
	}
	s->table[x->pos] = d;
	x->claims++;
	return probes;
}

static bool mh_equal_weights(const struct mh_turn *t, u32 n)
{
	u32 i;

	for (i = 1; i < n; i++)
		if (t[i].weight != t[0].weight)
			return false;
	return true;
}

/*
 * Each turn costs O(log n) for the heap plus the steps of a walk; the
 * walks add up to about M ln M steps, as a slot is free with probability
 * (free slots) / M. Equal weights, the common case, need no heap: the
 * turns then go round in destination order. Returns the work done: the
 * slots looked at plus the heap levels gone down.
 */
static u64 mh_populate(struct mh_state *s, struct mh_turn *t, u32 *heap)
{
	u32 m = s->size, i, d = 0;
	u64 work = 0;

	memset32(s->table, MH_FREE, m);
	if (mh_equal_weights(t, s->n)) {
		for (i = 0; i < m; i++) {
			work += mh_claim(s, &t[d], d);
			if (++d == s->n)
				d = 0;
			if (!(i % 1024))
				cond_resched();
		}
		return work;
	}

	for (i = 0; i < s->n; i++)
		heap[i] = i;
	for (i = s->n / 2; i-- > 0;)
		work += mh_sift(t, heap, s->n, i);
	for (i = 0; i < m; i++) {
		work += mh_claim(s, &t[heap[0]], heap[0]);
		work += mh_sift(t, heap, s->n, 0);
		if (!(i % 1024))
			cond_resched();
	}
	return work;
}

/* mh_build(), also telling the tests the work it took (mh_populate()). */
static void *mh_build_work(const struct lvs_sched_conf *conf,
			   struct lvs_dest *const *dests, unsigned int n,
			   u64 *work)
{
	u32 m = conf && conf->mh_table_size ? conf->mh_table_size :
		LVS_MH_TABLE_DEFAULT;
	struct mh_turn *t = NULL;
	struct mh_state *s;
	u32 *heap = NULL;
	unsigned int i;

	*work = 0;
	/* A size that is not prime would leave walks that never end. */
	if (m < LVS_MH_TABLE_MIN || m > LVS_MH_TABLE_MAX ||
	    !lvs_sched_is_prime(m))
		return ERR_PTR(-EINVAL);
	s = kvmalloc(size_add(struct_size(s, dest, n),
			      n ? array_size(m, sizeof(u32)) : 0),
		     GFP_KERNEL_ACCOUNT);
	if (!s)
		return ERR_PTR(-ENOMEM);
	s->size = m;
	s->fallback = conf && conf->fallback;
	s->hash_port = conf && conf->hash_port;
	s->n = n;
	s->table = (u32 *)&s->dest[n];
	if (!n)
		return s;

	memcpy(s->dest, dests, n * sizeof(*dests));
	sort(s->dest, n, sizeof(*s->dest), mh_cmp, NULL);

	t = kvmalloc_array(n, sizeof(*t), GFP_KERNEL_ACCOUNT);
	heap = kvmalloc_array(n, sizeof(*heap), GFP_KERNEL_ACCOUNT);
	if (!t || !heap) {
		kvfree(t);
		kvfree(heap);
		kvfree(s);
		return ERR_PTR(-ENOMEM);
	}
	for (i = 0; i < n; i++) {
		const struct lvs_dest *d = s->dest[i];

		t[i].pos = lvs_sched_hash(d->af, &d->addr, d->port,
					  MH_SEED_OFFSET) % m;
		t[i].skip = lvs_sched_hash(d->af, &d->addr, d->port,
					   MH_SEED_SKIP) % (m - 1) + 1;
		t[i].claims = 0;
		t[i].weight = READ_ONCE(d->weight);
	}
	*work = mh_populate(s, t, heap);
	kvfree(t);
	kvfree(heap);
	return s;
}

static void *mh_build(const struct lvs_sched_conf *conf,
		      struct lvs_dest *const *dests, unsigned int n,
		      void *old)
{
	u64 work;

	return mh_build_work(conf, dests, n, &work);
}

static void mh_free(void *state)
{
	kvfree(state);
}

static u32 mh_hash(const struct mh_state *s, const struct lvs_pkt *pkt,
		   u32 seed)
{
	return lvs_sched_hash(pkt->af, &pkt->saddr,
			      s->hash_port ? pkt->sport : 0, seed);
}

/* The destination of @hash's slot; a multiply rather than a division. */
static struct lvs_dest *mh_lookup(const struct mh_state *s, u32 hash)
{
	return s->dest[s->table[reciprocal_scale(hash, s->size)]];
}

static struct lvs_dest *mh_schedule(void *state, const struct lvs_pkt *pkt)
{
	struct mh_state *s = state;
	struct lvs_dest *d;
	unsigned int i, k;
	u32 hash;

	if (!s->n)
		return NULL;
	hash = mh_hash(s, pkt, MH_SEED_CLIENT);
	d = mh_lookup(s, hash);
	if (lvs_dest_available(d))
		return d;
	if (!s->fallback)
		return NULL;

	/* Other slots of the client's own, the same on every director. */
	for (i = 1; i <= MH_REHASH; i++) {
		hash = mh_hash(s, pkt, MH_SEED_CLIENT + i);
		d = mh_lookup(s, hash);
		if (lvs_dest_available(d))
			return d;
	}
	k = reciprocal_scale(hash, s->n);
	for (i = 0; i < s->n; i++) {
		d = s->dest[k];
		if (lvs_dest_available(d))
			return d;
		if (++k == s->n)
			k = 0;
	}
	return NULL;
}

static struct lvs_scheduler mh_scheduler = {
	.name		= "mh",
	.owner		= THIS_MODULE,
	.build		= mh_build,
	.free		= mh_free,
	.schedule	= mh_schedule,
};

static int __init mh_init(void)
{
	return lvs_sched_register(&mh_scheduler);
}

static void __exit mh_exit(void)
{
	lvs_sched_unregister(&mh_scheduler);
}

module_init(mh_init);
module_exit(mh_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("lvs Maglev hashing scheduler");
MODULE_VERSION(LVS_VERSION);
MODULE_ALIAS("lvs-sched-mh");

#if IS_ENABLED(CONFIG_KUNIT)
#include "../tests/kunit/sched_mh_test.c"
#endif
