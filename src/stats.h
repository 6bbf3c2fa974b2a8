/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LVS_STATS_H
#define _LVS_STATS_H

#include <linux/percpu.h>
#include <linux/refcount.h>
#include <linux/u64_stats_sync.h>

/*
 * Per-CPU traffic counters of a service or a destination. The packet path
 * only ever touches its own CPU's copy; readers add them up.
 */
struct lvs_cpu_stats {
	u64_stats_t conns;
	u64_stats_t inpkts;
	u64_stats_t inbytes;
	u64_stats_t outpkts;
	u64_stats_t outbytes;
	struct u64_stats_sync syncp;
};

struct lvs_stats {
	u64 conns;
	u64 inpkts;
	u64 inbytes;
	u64 outpkts;
	u64 outbytes;
};

struct lvs_cpu_stats __percpu *lvs_stats_alloc(void);

/*
 * Counters of up to LVS_STATS_BLOCK objects in one per-CPU allocation:
 * pcpu_alloc() is the dearest step of creating a destination, and one
 * request may create hundreds. Each object using a slot holds a
 * reference; the last lvs_stats_block_put() frees the block.
 */
#define LVS_STATS_BLOCK 64

struct lvs_stats_block {
	refcount_t refcnt;
	struct lvs_cpu_stats __percpu *pcpu;
};

struct lvs_stats_block *lvs_stats_block_alloc(unsigned int n);
void lvs_stats_block_put(struct lvs_stats_block *b);

/* Slot @i of @b, with a reference for its user. */
static inline struct lvs_cpu_stats __percpu *
lvs_stats_block_get(struct lvs_stats_block *b, unsigned int i)
{
	refcount_inc(&b->refcnt);
	return b->pcpu + i;
}

void lvs_stats_read(struct lvs_cpu_stats __percpu *pcpu, struct lvs_stats *sum);
void lvs_stats_add_cpu(struct lvs_cpu_stats __percpu *pcpu, int cpu,
		       struct lvs_stats *sum);

/*
 * Zeroing (the ZERO commands): the per-CPU counters only ever grow, and
 * each object keeps what they read when it was last zeroed, @base, to
 * report what it counted since. Both under the namespace's lock.
 */
void lvs_stats_read_since(struct lvs_cpu_stats __percpu *pcpu,
			  const struct lvs_stats *base, struct lvs_stats *sum);
void lvs_stats_zero(struct lvs_cpu_stats __percpu *pcpu,
		    struct lvs_stats *base);

static inline void lvs_stats_conn(struct lvs_cpu_stats __percpu *pcpu)
{
	struct lvs_cpu_stats *s = this_cpu_ptr(pcpu);

	u64_stats_update_begin(&s->syncp);
	u64_stats_inc(&s->conns);
	u64_stats_update_end(&s->syncp);
}

static inline void lvs_stats_packet(struct lvs_cpu_stats __percpu *pcpu,
				    bool in, unsigned int len)
{
	struct lvs_cpu_stats *s = this_cpu_ptr(pcpu);

	u64_stats_update_begin(&s->syncp);
	if (in) {
		u64_stats_inc(&s->inpkts);
		u64_stats_add(&s->inbytes, len);
	} else {
		u64_stats_inc(&s->outpkts);
		u64_stats_add(&s->outbytes, len);
	}
	u64_stats_update_end(&s->syncp);
}

#endif /* _LVS_STATS_H */
