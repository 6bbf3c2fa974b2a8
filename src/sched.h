/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LVS_SCHED_H
#define _LVS_SCHED_H

#include <linux/jhash.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/netfilter.h>
#include <linux/socket.h>

#include "dest.h"

struct lvs_dest;
struct lvs_pkt;

/*
 * A service's scheduler options. Each is an attribute of its own in the
 * uapi; a scheduler reads those that mean something to it and ignores the
 * rest, so a service keeps its options across a change of scheduler.
 */
struct lvs_sched_conf {
	u32 mh_table_size;	/* Maglev lookup table entries, a prime */
	bool fallback;		/* sh, mh: pick another if the one hashed to
				 * cannot take the connection
				 */
	bool hash_port;		/* sh, mh: hash the source port too */
	/* Not the scheduler's: the service's persistence (persist.c). */
	u32 persist_timeout;	/* seconds, 0: off */
	u8 persist_prefix;	/* client address bits that count */
	bool persist_drained;	/* clients stay on a destination at weight 0 */
	/* Nor this: schedule every UDP datagram on its own (hooks.c). */
	bool one_packet;
};

/*
 * A scheduler picks the destination of each new connection of a service.
 *
 * Its per-service state is immutable once built: whenever the service's
 * set of destinations or their weights change, the core calls build() with
 * the new set (the destinations with a weight above zero, in the order
 * they were added) and the service's options, and publishes the result
 * with RCU; the old state is freed after a grace period. build() runs in
 * process context and may sleep; if it fails, the change is refused and
 * nothing changes. It is given the state it replaces (or NULL, and NULL
 * too when the service switches from another scheduler) so that a cursor
 * can carry over.
 *
 * schedule() runs on the packet path, under rcu_read_lock() with bottom
 * halves off: it must not sleep, and it should not take locks shared by
 * all CPUs. It must skip destinations that lvs_dest_available() refuses
 * (weight set to 0 or overloaded since the build), and return NULL when
 * no destination can take the connection.
 */
struct lvs_scheduler {
	struct list_head list;
	const char *name;
	struct module *owner;
	void *(*build)(const struct lvs_sched_conf *conf,
		       struct lvs_dest *const *dests, unsigned int n,
		       void *old);
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

void *lvs_sched_dests_build(const struct lvs_sched_conf *conf,
			    struct lvs_dest *const *dests, unsigned int n,
			    void *old);
void lvs_sched_dests_free(void *state);

int lvs_sched_register(struct lvs_scheduler *sched);
void lvs_sched_unregister(struct lvs_scheduler *sched);

/* Find a scheduler by name, loading its module; takes a module reference. */
struct lvs_scheduler *lvs_sched_get(const char *name);
void lvs_sched_put(struct lvs_scheduler *sched);

/*
 * The hash of an address (and a port, 0 for none) that the hashing
 * schedulers map flows with. It depends on nothing but its arguments, so
 * directors with the same configuration hash a flow alike.
 */
static inline u32 lvs_sched_hash(u8 af, const union nf_inet_addr *addr,
				 __be16 port, u32 seed)
{
	if (af == AF_INET6)
		return jhash2((const u32 *)addr->ip6, 4,
			      seed ^ (__force u32)port);
	return jhash_2words((__force u32)addr->ip, (__force u32)port, seed);
}

/*
 * The available destination of @dests with the lowest cost(dest) per unit
 * of weight, or, with @weighted false, the lowest cost(dest); the first
 * wins a tie, and NULL means none is available. The cost-based schedulers
 * share it so that they compare alike: a / wa < b / wb is computed as
 * a * wb < b * wa, exact while costs stay below 2^48 (weights are below
 * 2^16). Always inlined, so that cost() is a direct call.
 */
static __always_inline struct lvs_dest *
lvs_sched_min_cost(struct lvs_dest *const *dests, unsigned int n,
		   u64 (*cost)(const struct lvs_dest *dest), bool weighted)
{
	struct lvs_dest *best = NULL;
	u64 best_cost = 0;
	u32 best_w = 0;
	unsigned int i;

	for (i = 0; i < n; i++) {
		struct lvs_dest *d = dests[i];
		u64 c;
		u32 w;

		if (!lvs_dest_available(d))
			continue;
		c = cost(d);
		/* Nothing beats a cost of 0, and the first wins a tie. */
		if (!c)
			return d;
		w = weighted ? READ_ONCE(d->weight) : 1;
		if (!best || c * best_w < best_cost * w) {
			best = d;
			best_cost = c;
			best_w = w;
		}
	}
	return best;
}

/* For Maglev table sizes, which must be prime (at most ~2^20: cheap). */
static inline bool lvs_sched_is_prime(u32 n)
{
	u32 d;

	if (n < 2)
		return false;
	for (d = 2; d <= n / d; d++)
		if (!(n % d))
			return false;
	return true;
}

#endif /* _LVS_SCHED_H */
