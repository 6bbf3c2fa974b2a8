/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LVS_NETNS_H
#define _LVS_NETNS_H

#include <linux/completion.h>
#include <linux/mutex.h>
#include <linux/rhashtable.h>
#include <net/net_namespace.h>

#include "conn.h"
#include "estimator.h"
#include "fastpath.h"
#include "proto.h"

/* Why the packet path dropped a packet; counted per CPU. */
enum lvs_drop_reason {
	LVS_DROP_MALFORMED,	/* truncated or invalid headers */
	LVS_DROP_NO_DEST,	/* service had no destination to offer */
	LVS_DROP_NO_CONN,	/* mid-connection packet with no entry */
	LVS_DROP_CONN_FULL,	/* connection table full or insert failed */
	LVS_DROP_XMIT,		/* no route, TTL expired, too big, no memory */
	LVS_DROP_COUNT
};

struct lvs_drop_stats {
	unsigned long n[LVS_DROP_COUNT];
};

/* Everything lvs keeps for one network namespace. */
struct lvs_net {
	struct net *net;
	struct mutex lock;		/* serialises configuration changes */
	struct rhashtable svc_table;	/* RCU, key struct lvs_svc_key */
	struct list_head svc_list;	/* creation order, under lock */
	unsigned int svc_count;		/* READ_ONCE on the packet path */
	unsigned int svc_fwmarks;	/* firewall-mark services, likewise */
	unsigned int svc_allports;	/* port 0 services, likewise */
	unsigned int dest_count;	/* destinations of all services */
	bool started;			/* hooks on, under lock; see netns.c */
	struct mem_cgroup *memcg;	/* charged for connection entries */
	unsigned int gen;		/* bumped by every change, for dumps */
	struct lvs_conn_table conns;
	/* Per protocol and state, in jiffies; see lvs_timeout(). */
	unsigned long timeouts[LVS_PROTO_COUNT][LVS_PROTO_MAX_STATES];
	struct lvs_drop_stats __percpu *drops;
	struct lvs_fast fast;
	struct lvs_est_net est;
	spinlock_t rt_lock;		/* guards rt_dests */
	struct list_head rt_dests;	/* every destination not yet freed */
	/*
	 * One for the namespace and one for each service not yet freed,
	 * whose RCU callback is the last of its chain (a connection holds its
	 * destination, a destination its service). Teardown drops the
	 * namespace's and waits for the others: for this namespace's
	 * objects only, however busy the others are.
	 */
	atomic_t users;
	struct completion unused;
};

struct lvs_net *lvs_net(const struct net *net);
void lvs_net_users_init(struct lvs_net *ln);
void lvs_net_hold(struct lvs_net *ln);
void lvs_net_put(struct lvs_net *ln);
void lvs_net_wait_unused(struct lvs_net *ln);
int lvs_net_start(struct lvs_net *ln);
int lvs_netns_init(void);
void lvs_netns_exit(void);

static inline void lvs_drop_count(struct lvs_net *ln,
				  enum lvs_drop_reason why)
{
	this_cpu_inc(ln->drops->n[why]);
}

/*
 * The timeout of @state of protocol @pp, in jiffies. A TIMEOUT_SET request
 * may change it at any time (under ln->lock, with WRITE_ONCE).
 */
static inline unsigned long lvs_timeout(const struct lvs_net *ln,
					const struct lvs_proto *pp, u8 state)
{
	return READ_ONCE(ln->timeouts[pp->index][state]);
}

#endif /* _LVS_NETNS_H */
