/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LVS_RCU_H
#define _LVS_RCU_H

#include <linux/atomic.h>
#include <linux/rcupdate.h>

/*
 * Objects are freed by RCU callbacks that may queue further callbacks (a
 * connection's frees its destination's, which frees its service's), and
 * rcu_barrier() waits only for callbacks queued before it. So every lvs
 * callback is counted, and unloading the module (and the KUnit suites)
 * waits until the count is zero, before the code and the connection cache
 * the callbacks use go away.
 *
 * The count is the whole module's: waiting for it while any namespace
 * still has lvs objects may never end. A namespace going away waits for
 * its own services instead (netns.c).
 */
extern atomic_t lvs_rcu_pending;

static inline void lvs_call_rcu(struct rcu_head *head, rcu_callback_t func)
{
	atomic_inc(&lvs_rcu_pending);
	call_rcu(head, func);
}

/* The last thing each lvs RCU callback does. */
static inline void lvs_rcu_done(void)
{
	atomic_dec(&lvs_rcu_pending);
}

void lvs_rcu_drain(void);

#endif /* _LVS_RCU_H */
