/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LVS_DEST_H
#define _LVS_DEST_H

#include <linux/atomic.h>
#include <linux/list.h>
#include <linux/netfilter.h>
#include <linux/netlink.h>
#include <linux/refcount.h>

#include "addr.h"
#include "estimator.h"
#include "stats.h"

struct lvs_dest_route;
struct lvs_service;

/*
 * A real server of one service. The service's list holds one reference,
 * every connection to it another, so a destination removed from its
 * service lives on (draining) until its last connection ends. It holds a
 * reference to its service for as long as it lives, and keeps the route
 * to its real server (dest_route.c) from its first packet on.
 */
struct lvs_dest {
	struct list_head list;		/* in service->dests, RCU */
	struct lvs_service *svc;
	union nf_inet_addr addr;
	__be16 port;
	u8 af;				/* the service's, or for TUN either */
	u8 fwd;				/* enum lvs_fwd_method; READ_ONCE */
	u32 weight;			/* READ_ONCE on the packet path */
	u32 u_threshold;		/* 0: no limit */
	u32 l_threshold;		/* 0: three quarters of u_threshold */
	bool overloaded;		/* READ_ONCE on the packet path */
	bool removed;			/* out of its service; READ_ONCE */
	bool leaving;			/* a transaction takes it out */
	bool staged;			/* a transaction names it */
	atomic_t activeconns;
	atomic_t inactconns;
	atomic_t persistconns;		/* templates placing clients here */
	struct lvs_cpu_stats __percpu *stats;	/* a slot of stats_block */
	struct lvs_stats_block *stats_block;
	struct lvs_est est;		/* rates, see estimator.c */
	struct lvs_stats zeroed;	/* counters when last zeroed */
	struct lvs_dest_route __rcu *route;	/* replaced by xchg() */
	struct list_head rt_node;	/* in lvs_net.rt_dests, until freed */
	refcount_t refcnt;
	struct rcu_head rcu;
};

/* What a request asks for; validated by lvs_dest_add_set(). */
struct lvs_dest_conf {
	union nf_inet_addr addr;
	__be16 port;
	u8 af;
	u8 fwd;
	u32 weight;
	u32 u_threshold;
	u32 l_threshold;
};

struct lvs_dest **lvs_dest_alloc_set(struct lvs_service *svc,
				     const struct lvs_dest_conf *confs,
				     unsigned int n, unsigned int more,
				     unsigned int *bad,
				     struct netlink_ext_ack *extack);
void lvs_dest_free_set(struct lvs_dest **set, unsigned int n);
void lvs_dest_link_set(struct lvs_service *svc, struct lvs_dest **set,
		       unsigned int n);
int lvs_dest_add_set(struct lvs_service *svc,
		     const struct lvs_dest_conf *confs, unsigned int n,
		     unsigned int *bad, struct netlink_ext_ack *extack);
int lvs_dest_add_first(struct lvs_service *svc,
		       const struct lvs_dest_conf *confs, unsigned int n,
		       unsigned int *bad, struct netlink_ext_ack *extack);
int lvs_dest_edit(struct lvs_service *svc, struct lvs_dest *dest,
		  const struct lvs_dest_conf *conf,
		  struct netlink_ext_ack *extack);
int lvs_dest_edit_check(struct lvs_service *svc, const struct lvs_dest *dest,
			const struct lvs_dest_conf *conf,
			struct netlink_ext_ack *extack);
void lvs_dest_edit_publish(struct lvs_dest *dest,
			   const struct lvs_dest_conf *conf);
void lvs_dest_remove(struct lvs_service *svc, struct lvs_dest *dest,
		     bool force);
int lvs_dest_del(struct lvs_service *svc, u8 af,
		 const union nf_inet_addr *addr, __be16 port, bool force,
		 struct netlink_ext_ack *extack);
void lvs_dest_del_all(struct lvs_service *svc);
struct lvs_dest *lvs_dest_find(struct lvs_service *svc, u8 af,
			       const union nf_inet_addr *addr, __be16 port);
void lvs_dest_put(struct lvs_dest *dest);

/* Is @dest the real server at @addr, port @port, of family @af? */
static inline bool lvs_dest_is(const struct lvs_dest *dest, u8 af,
			       const union nf_inet_addr *addr, __be16 port)
{
	return dest->port == port && dest->af == af &&
	       lvs_addr_equal(af, &dest->addr, addr);
}

static inline u32 lvs_dest_conns(const struct lvs_dest *dest)
{
	return atomic_read(&dest->activeconns) + atomic_read(&dest->inactconns);
}

/*
 * May a scheduler give @dest a new connection? Not if its weight was set
 * to 0 or it is overloaded: it reached its upper threshold and has not
 * yet come down below its lower one.
 */
static inline bool lvs_dest_available(const struct lvs_dest *dest)
{
	return READ_ONCE(dest->weight) && !READ_ONCE(dest->overloaded);
}

void lvs_dest_update_overload(struct lvs_dest *dest);

/* A new connection to @dest: false if @dest is already being freed. */
static inline bool lvs_dest_hold_conn(struct lvs_dest *dest)
{
	if (!refcount_inc_not_zero(&dest->refcnt))
		return false;
	atomic_inc(&dest->inactconns);
	if (READ_ONCE(dest->u_threshold))
		lvs_dest_update_overload(dest);
	return true;
}

static inline void lvs_dest_release_conn(struct lvs_dest *dest, bool active)
{
	atomic_dec(active ? &dest->activeconns : &dest->inactconns);
	if (READ_ONCE(dest->overloaded))
		lvs_dest_update_overload(dest);
	lvs_dest_put(dest);
}

/* A connection to @dest became active or inactive. */
static inline void lvs_dest_conn_active(struct lvs_dest *dest, bool active)
{
	if (active) {
		atomic_dec(&dest->inactconns);
		atomic_inc(&dest->activeconns);
	} else {
		atomic_dec(&dest->activeconns);
		atomic_inc(&dest->inactconns);
	}
}

/*
 * What a destination's open connections cost it, for the least-connection
 * schedulers: an active connection weighs as much as 256 inactive ones,
 * which mostly cost a table entry.
 */
static inline u64 lvs_dest_overhead(const struct lvs_dest *dest)
{
	return ((u64)atomic_read(&dest->activeconns) << 8) +
	       atomic_read(&dest->inactconns);
}

#endif /* _LVS_DEST_H */
