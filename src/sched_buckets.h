/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The bucket table of the hashing schedulers sh and dh: a flow's key (an
 * address, and maybe a port) hashes to one of a fixed number of buckets,
 * each of which names a destination.
 *
 * The destinations are sorted by (family, address, port) and laid end to
 * end on a line, each as long as its weight; with W the total weight and S
 * the number of buckets, bucket b belongs to the destination under the
 * point ceil((b + 1) * W / S) - 1 of that line. So each destination owns
 * one run of buckets, within one bucket of its share S * weight / W, and
 * the table depends on nothing but the set and its weights: directors with
 * the same configuration map flows alike, whatever order they added the
 * destinations in. The table has LVS_BUCKETS_PER_DEST buckets per
 * destination, within LVS_BUCKETS_MIN and LVS_BUCKETS_MAX.
 *
 * When the destination a flow maps to cannot take it, a fallback probes
 * the buckets the key hashes to with seeds 1 to LVS_BUCKETS_PROBES: the
 * flows of an unavailable destination spread over the others in
 * proportion to their weights. Should every probe fail, it takes the first
 * available destination in sorted order from one the seed
 * LVS_BUCKETS_PROBES + 1 picks.
 */
#ifndef _LVS_SCHED_BUCKETS_H
#define _LVS_SCHED_BUCKETS_H

#include <linux/bits.h>
#include <linux/err.h>
#include <linux/math.h>
#include <linux/minmax.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>

#include "dest.h"
#include "sched.h"

#define LVS_BUCKETS_PER_DEST	64
#define LVS_BUCKETS_MIN		1024
#define LVS_BUCKETS_MAX		BIT(18)
#define LVS_BUCKETS_PROBES	8

struct lvs_buckets {
	bool fallback;
	bool hash_port;			/* sh: hash the source port too */
	unsigned int n;
	unsigned int size;		/* buckets */
	struct lvs_dest **dest;		/* the n destinations, sorted */
	struct lvs_dest *bucket[];	/* then room for dest[] */
};

static inline int lvs_buckets_cmp(const void *a, const void *b)
{
	const struct lvs_dest *x = *(struct lvs_dest *const *)a;
	const struct lvs_dest *y = *(struct lvs_dest *const *)b;
	int r;

	if (x->af != y->af)
		return x->af < y->af ? -1 : 1;
	/* Network byte order: memcmp() orders addresses numerically. */
	r = memcmp(&x->addr, &y->addr,
		   x->af == AF_INET6 ? sizeof(x->addr.in6) : sizeof(x->addr.ip));
	if (r)
		return r;
	return (int)ntohs(x->port) - (int)ntohs(y->port);
}

/*
 * The table of @n destinations, options off. Weights are at most
 * LVS_WEIGHT_MAX, so the products below stay far from 2^64 for any @n
 * that fits in memory.
 */
static inline struct lvs_buckets *lvs_buckets_build(struct lvs_dest *const *dests,
						    unsigned int n)
{
	struct lvs_buckets *s;
	unsigned int size = 0, b, i;
	u64 total = 0, end;

	if (n)
		size = clamp_t(u64, (u64)n * LVS_BUCKETS_PER_DEST,
			       LVS_BUCKETS_MIN, LVS_BUCKETS_MAX);
	s = kvzalloc(struct_size(s, bucket, (size_t)size + n),
		     GFP_KERNEL_ACCOUNT);
	if (!s)
		return ERR_PTR(-ENOMEM);
	s->n = n;
	s->size = size;
	s->dest = s->bucket + size;
	if (!n)
		return s;
	memcpy(s->dest, dests, n * sizeof(*dests));
	sort(s->dest, n, sizeof(*s->dest), lvs_buckets_cmp, NULL);

	for (i = 0; i < n; i++)
		total += s->dest[i]->weight;
	/* end: the line up to the end of dest[i], scaled by size. */
	i = 0;
	end = (u64)s->dest[0]->weight * size;
	for (b = 0; b < size; b++) {
		while (end < (u64)(b + 1) * total)
			end += (u64)s->dest[++i]->weight * size;
		s->bucket[b] = s->dest[i];
	}
	return s;
}

static inline void lvs_buckets_free(void *state)
{
	kvfree(state);
}

static inline struct lvs_dest *lvs_buckets_pick(const struct lvs_buckets *s,
						u8 af,
						const union nf_inet_addr *addr,
						__be16 port)
{
	struct lvs_dest *d;
	unsigned int k, i;

	if (!s->n)
		return NULL;
	d = s->bucket[reciprocal_scale(lvs_sched_hash(af, addr, port, 0),
				       s->size)];
	if (lvs_dest_available(d))
		return d;
	if (!s->fallback)
		return NULL;

	for (k = 1; k <= LVS_BUCKETS_PROBES; k++) {
		d = s->bucket[reciprocal_scale(lvs_sched_hash(af, addr, port, k),
					       s->size)];
		if (lvs_dest_available(d))
			return d;
	}
	/* Most of the weight is unavailable: scan. */
	i = reciprocal_scale(lvs_sched_hash(af, addr, port,
					    LVS_BUCKETS_PROBES + 1), s->n);
	for (k = 0; k < s->n; k++) {
		d = s->dest[i];
		if (lvs_dest_available(d))
			return d;
		if (++i == s->n)
			i = 0;
	}
	return NULL;
}

#endif /* _LVS_SCHED_BUCKETS_H */
