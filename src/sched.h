/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LVS_SCHED_H
#define _LVS_SCHED_H

#include <linux/list.h>
#include <linux/module.h>

struct lvs_service;
struct lvs_dest;
struct lvs_pkt;

/*
 * A scheduler picks the destination of each new connection of a service.
 *
 * Its per-service state is immutable once built: whenever the service's
 * set of destinations or their weights change, the core calls build() with
 * the new set (the destinations with a weight above zero, in the order
 * they were added) and publishes the result with RCU; the old state is
 * freed after a grace period. build() runs in process context and may
 * sleep; if it fails, the change is refused and nothing changes. It is
 * given the state it replaces (or NULL) so that a cursor can carry over.
 *
 * schedule() runs on the packet path, under rcu_read_lock() with bottom
 * halves off: it must not sleep, and it should not take locks shared by
 * all CPUs. It returns NULL when no destination can take the connection.
 */
struct lvs_scheduler {
	struct list_head list;
	const char *name;
	struct module *owner;
	void *(*build)(struct lvs_service *svc, struct lvs_dest *const *dests,
		       unsigned int n, void *old);
	void (*free)(void *state);
	struct lvs_dest *(*schedule)(void *state, const struct lvs_pkt *pkt);
};

/*
 * The state of schedulers that need nothing but the destinations: build,
 * free and a view for schedule(). Schedulers that keep more embed their
 * own.
 */
struct lvs_sched_dests {
	unsigned int n;
	struct lvs_dest *dest[];
};

void *lvs_sched_dests_build(struct lvs_service *svc,
			    struct lvs_dest *const *dests, unsigned int n,
			    void *old);
void lvs_sched_dests_free(void *state);

int lvs_sched_register(struct lvs_scheduler *sched);
void lvs_sched_unregister(struct lvs_scheduler *sched);

/* Find a scheduler by name, loading its module; takes a module reference. */
struct lvs_scheduler *lvs_sched_get(const char *name);
void lvs_sched_put(struct lvs_scheduler *sched);

#endif /* _LVS_SCHED_H */
