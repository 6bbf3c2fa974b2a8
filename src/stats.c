// SPDX-License-Identifier: GPL-2.0
/* Per-CPU traffic counters: allocation and summing. */

#include <linux/slab.h>

#include "stats.h"

static struct lvs_cpu_stats __percpu *stats_alloc(unsigned int n)
{
	struct lvs_cpu_stats __percpu *pcpu;
	unsigned int i;
	int cpu;

	pcpu = __alloc_percpu_gfp(n * sizeof(*pcpu),
				  __alignof__(struct lvs_cpu_stats),
				  GFP_KERNEL_ACCOUNT);
	if (!pcpu)
		return NULL;
	for_each_possible_cpu(cpu)
		for (i = 0; i < n; i++)
			u64_stats_init(&per_cpu_ptr(pcpu + i, cpu)->syncp);
	return pcpu;
}

struct lvs_cpu_stats __percpu *lvs_stats_alloc(void)
{
	return stats_alloc(1);
}

/* A block of @n slots (at most LVS_STATS_BLOCK), the caller's reference. */
struct lvs_stats_block *lvs_stats_block_alloc(unsigned int n)
{
	struct lvs_stats_block *b;

	if (!n || n > LVS_STATS_BLOCK)
		return NULL;
	b = kmalloc(sizeof(*b), GFP_KERNEL_ACCOUNT);
	if (!b)
		return NULL;
	b->pcpu = stats_alloc(n);
	if (!b->pcpu) {
		kfree(b);
		return NULL;
	}
	refcount_set(&b->refcnt, 1);
	return b;
}

/* May be called from an RCU callback; NULL does nothing. */
void lvs_stats_block_put(struct lvs_stats_block *b)
{
	if (b && refcount_dec_and_test(&b->refcnt)) {
		free_percpu(b->pcpu);
		kfree(b);
	}
}

/* Add CPU @cpu's counters of @pcpu to @sum. */
void lvs_stats_add_cpu(struct lvs_cpu_stats __percpu *pcpu, int cpu,
		       struct lvs_stats *sum)
{
	const struct lvs_cpu_stats *s = per_cpu_ptr(pcpu, cpu);
	u64 conns, inpkts, inbytes, outpkts, outbytes;
	unsigned int start;

	do {
		start = u64_stats_fetch_begin(&s->syncp);
		conns = u64_stats_read(&s->conns);
		inpkts = u64_stats_read(&s->inpkts);
		inbytes = u64_stats_read(&s->inbytes);
		outpkts = u64_stats_read(&s->outpkts);
		outbytes = u64_stats_read(&s->outbytes);
	} while (u64_stats_fetch_retry(&s->syncp, start));

	sum->conns += conns;
	sum->inpkts += inpkts;
	sum->inbytes += inbytes;
	sum->outpkts += outpkts;
	sum->outbytes += outbytes;
}

void lvs_stats_read(struct lvs_cpu_stats __percpu *pcpu, struct lvs_stats *sum)
{
	int cpu;

	memset(sum, 0, sizeof(*sum));
	for_each_possible_cpu(cpu)
		lvs_stats_add_cpu(pcpu, cpu, sum);
}

void lvs_stats_read_since(struct lvs_cpu_stats __percpu *pcpu,
			  const struct lvs_stats *base, struct lvs_stats *sum)
{
	lvs_stats_read(pcpu, sum);
	sum->conns -= base->conns;
	sum->inpkts -= base->inpkts;
	sum->inbytes -= base->inbytes;
	sum->outpkts -= base->outpkts;
	sum->outbytes -= base->outbytes;
}

void lvs_stats_zero(struct lvs_cpu_stats __percpu *pcpu,
		    struct lvs_stats *base)
{
	lvs_stats_read(pcpu, base);
}
