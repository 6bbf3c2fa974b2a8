// SPDX-License-Identifier: GPL-2.0
/*
 * Rate estimation. The packet path only counts, on its own CPU (stats.h).
 * Every LVS_EST_PERIOD a namespace's work item sums each service's and
 * each destination's counters and folds the rates since the previous
 * reading into a moving average per counter: connections, packets and
 * bytes a second, in and out.
 *
 * The walk holds the namespace's lock, which keeps the lists of services
 * and destinations still, and yields the CPU between services; a
 * configuration request waits for it at most one walk. The averages are
 * written by the walk alone and read by netlink dumps with READ_ONCE().
 */

#include <linux/math64.h>
#include <linux/mutex.h>
#include <linux/sched.h>

#include "dest.h"
#include "estimator.h"
#include "netns.h"
#include "service.h"

void lvs_est_fold(struct lvs_est *e, const struct lvs_stats *now,
		  unsigned long elapsed)
{
	const u64 v[LVS_EST_COUNT] = {
		[LVS_EST_CONNS]		= now->conns,
		[LVS_EST_INPKTS]	= now->inpkts,
		[LVS_EST_OUTPKTS]	= now->outpkts,
		[LVS_EST_INBYTES]	= now->inbytes,
		[LVS_EST_OUTBYTES]	= now->outbytes,
	};
	u64 rate, avg;
	int i;

	for (i = 0; i < LVS_EST_COUNT; i++) {
		rate = v[i] - e->last[i];
		e->last[i] = v[i];
		/* No time passed: nothing to average over. */
		if (!elapsed)
			continue;
		rate = mul_u64_u64_div_u64(rate << LVS_EST_SHIFT, HZ, elapsed);
		avg = e->avg[i];
		if (rate >= avg)
			avg += (rate - avg) >> 2;
		else
			avg -= (avg - rate) >> 2;
		WRITE_ONCE(e->avg[i], avg);
	}
}

static u64 rate_of(const struct lvs_est *e, enum lvs_est_counter i)
{
	return (READ_ONCE(e->avg[i]) + (1 << (LVS_EST_SHIFT - 1))) >>
	       LVS_EST_SHIFT;
}

void lvs_est_read(const struct lvs_est *e, struct lvs_rates *r)
{
	r->cps = rate_of(e, LVS_EST_CONNS);
	r->inpps = rate_of(e, LVS_EST_INPKTS);
	r->outpps = rate_of(e, LVS_EST_OUTPKTS);
	r->inbps = rate_of(e, LVS_EST_INBYTES);
	r->outbps = rate_of(e, LVS_EST_OUTBYTES);
}

void lvs_est_zero(struct lvs_est *e)
{
	unsigned int i;

	for (i = 0; i < LVS_EST_COUNT; i++)
		WRITE_ONCE(e->avg[i], 0);
}

static void fold(struct lvs_est *e, struct lvs_cpu_stats __percpu *pcpu,
		 unsigned long elapsed)
{
	struct lvs_stats s;

	lvs_stats_read(pcpu, &s);
	lvs_est_fold(e, &s, elapsed);
}

static void est_work(struct work_struct *work)
{
	struct lvs_est_net *en = container_of(to_delayed_work(work),
					      struct lvs_est_net, work);
	struct lvs_net *ln = container_of(en, struct lvs_net, est);
	struct lvs_service *svc;
	struct lvs_dest *dest;
	unsigned long now;

	mutex_lock(&ln->lock);
	now = jiffies;
	list_for_each_entry(svc, &ln->svc_list, list) {
		fold(&svc->est, svc->stats, now - en->last);
		list_for_each_entry(dest, &svc->dests, list)
			fold(&dest->est, dest->stats, now - en->last);
		cond_resched();
	}
	en->last = now;
	mutex_unlock(&ln->lock);
	queue_delayed_work(system_long_wq, &en->work, LVS_EST_PERIOD);
}

void lvs_est_net_init(struct lvs_net *ln)
{
	INIT_DELAYED_WORK(&ln->est.work, est_work);
}

void lvs_est_start(struct lvs_net *ln)
{
	lockdep_assert_held(&ln->lock);
	ln->est.last = jiffies;
	queue_delayed_work(system_long_wq, &ln->est.work, LVS_EST_PERIOD);
}

void lvs_est_stop(struct lvs_net *ln)
{
	cancel_delayed_work_sync(&ln->est.work);
}
