/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LVS_ESTIMATOR_H
#define _LVS_ESTIMATOR_H

#include <linux/types.h>
#include <linux/workqueue.h>

#include "stats.h"

struct lvs_net;

/* How often a namespace's counters are read for their rates. */
#define LVS_EST_PERIOD		(2 * HZ)
/* The averages' fixed point: 1/1024 of a unit a second. */
#define LVS_EST_SHIFT		10

/* The counters of struct lvs_stats, in an order to loop over. */
enum lvs_est_counter {
	LVS_EST_CONNS,
	LVS_EST_INPKTS,
	LVS_EST_OUTPKTS,
	LVS_EST_INBYTES,
	LVS_EST_OUTBYTES,
	LVS_EST_COUNT
};

/*
 * The rates of one service's or destination's counters. Only the
 * namespace's estimator writes it; readers take avg[] with READ_ONCE().
 */
struct lvs_est {
	u64 last[LVS_EST_COUNT];	/* the counters at the last reading */
	u64 avg[LVS_EST_COUNT];		/* per second, << LVS_EST_SHIFT */
};

/* Rates a second, rounded: what netlink reports. */
struct lvs_rates {
	u64 cps;
	u64 inpps;
	u64 outpps;
	u64 inbps;
	u64 outbps;
};

/*
 * Fold the counters @now, read @elapsed jiffies after the last reading,
 * into @e: the rate since then weighs a quarter in each average, so a
 * steady rate shows two thirds of itself after 8 s (four readings) and
 * nine tenths after 16 s, and one that stops fades as fast. Pure
 * arithmetic, for the estimator and KUnit.
 */
void lvs_est_fold(struct lvs_est *e, const struct lvs_stats *now,
		  unsigned long elapsed);
void lvs_est_read(const struct lvs_est *e, struct lvs_rates *r);
/* Rates from 0 again, as counters are zeroed; under the namespace's lock. */
void lvs_est_zero(struct lvs_est *e);

/* A namespace's estimator: a work item every LVS_EST_PERIOD. */
struct lvs_est_net {
	struct delayed_work work;
	unsigned long last;		/* jiffies of the last reading */
};

void lvs_est_net_init(struct lvs_net *ln);
/* Under ln->lock, with the packet path (lvs_net_start()). */
void lvs_est_start(struct lvs_net *ln);
/* Before the namespace's services go; ln->lock not held. */
void lvs_est_stop(struct lvs_net *ln);

#endif /* _LVS_ESTIMATOR_H */
