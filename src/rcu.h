/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LVS_RCU_H
#define _LVS_RCU_H

#include <linux/atomic.h>
#include <linux/rcupdate.h>

/*
 * Objects are freed by RCU callbacks that may queue further callbacks (a
 * connection's frees its destination's, which frees its service's), and
 * rcu_barrier() waits only for callbacks queued before it. So every lvs
 * callback that may be queued from inside another one is counted, and
 * unloading the module (and the KUnit suites) waits until the count is
 * zero, before the code and the connection cache the callbacks use go
 * away.
 *
 * A callback only ever queued from ordinary context needs no count: the
 * drain starts after everything else has stopped, so its first
 * rcu_barrier() waits for it. Connections are freed that way
 * (lvs_call_rcu_plain()), so that a new connection touches no counter
 * shared by the whole module.
 *
 * The count is the whole module's: waiting for it while any namespace
 * still has lvs objects may never end. A namespace going away waits for
 * its own services instead (netns.c).
 */
extern atomic_t lvs_rcu_pending;

/* For a callback that may be queued from inside another lvs callback. */
static inline void lvs_call_rcu(struct rcu_head *head, rcu_callback_t func)
{
	atomic_inc(&lvs_rcu_pending);
	call_rcu(head, func);
}

/* The last thing each callback queued by lvs_call_rcu() does. */
static inline void lvs_rcu_done(void)
{
	atomic_dec(&lvs_rcu_pending);
}

/*
 * For a callback never queued from inside an lvs callback. Its function
 * must not call lvs_rcu_done().
 */
static inline void lvs_call_rcu_plain(struct rcu_head *head,
				      rcu_callback_t func)
{
	call_rcu(head, func);
}

void lvs_rcu_drain(void);

#endif /* _LVS_RCU_H */
