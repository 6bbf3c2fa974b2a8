// SPDX-License-Identifier: GPL-2.0
/* Per-CPU traffic counters: allocation and summing. */

#include "stats.h"

struct lvs_cpu_stats __percpu *lvs_stats_alloc(void)
{
	struct lvs_cpu_stats __percpu *pcpu;
	int cpu;

	pcpu = alloc_percpu_gfp(struct lvs_cpu_stats, GFP_KERNEL_ACCOUNT);
	if (!pcpu)
		return NULL;
	for_each_possible_cpu(cpu)
		u64_stats_init(&per_cpu_ptr(pcpu, cpu)->syncp);
	return pcpu;
}

void lvs_stats_read(struct lvs_cpu_stats __percpu *pcpu, struct lvs_stats *sum)
{
	int cpu;

	memset(sum, 0, sizeof(*sum));
	for_each_possible_cpu(cpu) {
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
}
