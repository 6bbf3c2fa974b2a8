// SPDX-License-Identifier: GPL-2.0
/* Waiting for chains of RCU callbacks: see rcu.h. */

#include "rcu.h"

atomic_t lvs_rcu_pending = ATOMIC_INIT(0);

/*
 * Return once no lvs RCU callback is queued or running. Only when nothing
 * queues new ones any more: after every namespace's lvs state is gone.
 * The first barrier waits for the uncounted callbacks, queued before it.
 */
void lvs_rcu_drain(void)
{
	do {
		rcu_barrier();
	} while (atomic_read(&lvs_rcu_pending));
}
