/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LVS_SERVICE_H
#define _LVS_SERVICE_H

#include <linux/list.h>
#include <linux/netfilter.h>
#include <linux/netlink.h>
#include <linux/refcount.h>
#include <linux/rhashtable.h>

#include "estimator.h"
#include "sched.h"
#include "stats.h"

struct lvs_net;
struct lvs_conn;
struct lvs_dest;
struct lvs_pkt;
struct lvs_proto;
struct lvs_txn_svc;

/*
 * What identifies a service; padding-free so it hashes as bytes. A
 * firewall-mark service has only af and fwmark, the others no fwmark; port
 * 0 takes every port of addr.
 */
struct lvs_svc_key {
	union nf_inet_addr addr;
	__be16 port;
	u8 af;
	u8 protocol;
	u32 fwmark;
};

/*
 * A scheduler's state for one service, as published to the packet path,
 * with the options it was built with.
 */
struct lvs_sched_state {
	struct lvs_scheduler *sched;
	void *priv;
	struct lvs_sched_conf conf;
	struct rcu_head rcu;
};

/*
 * A virtual service. The namespace's table holds one reference and each of
 * its destinations another. Configuration changes happen under the
 * namespace's lock; the packet path reads under RCU.
 */
struct lvs_service {
	struct rhash_head node;		/* in lvs_net.svc_table */
	struct list_head list;		/* in lvs_net.svc_list */
	struct lvs_svc_key key;
	struct lvs_net *ln;
	const struct lvs_proto *proto;	/* NULL for a firewall mark */
	struct list_head dests;		/* RCU; changed under ln->lock */
	unsigned int num_dests;
	struct lvs_scheduler *sched;	/* holds its module */
	struct lvs_sched_conf sched_conf;
	struct lvs_sched_state __rcu *sched_state;
	struct lvs_cpu_stats __percpu *stats;
	struct lvs_est est;		/* rates, see estimator.c */
	struct lvs_stats zeroed;	/* counters when last zeroed */
	refcount_t refcnt;
	bool cut;			/* flushed with force: cut its conns */
	struct lvs_txn_svc *txn;	/* a transaction's, under ln->lock */
	struct rcu_head rcu;
};

int lvs_service_table_init(struct lvs_net *ln);
void lvs_service_table_destroy(struct lvs_net *ln);

struct lvs_service *lvs_service_find(struct lvs_net *ln,
				     const struct lvs_svc_key *key);
struct lvs_service *lvs_service_lookup(struct lvs_net *ln, u32 mark,
				       const struct lvs_pkt *pkt);
struct lvs_service *lvs_service_alloc(struct lvs_net *ln,
				      const struct lvs_svc_key *key,
				      const char *sched_name,
				      const struct lvs_sched_conf *conf,
				      unsigned int more,
				      struct netlink_ext_ack *extack);
void lvs_service_discard(struct lvs_service *svc);
int lvs_service_enter(struct lvs_service *svc, struct netlink_ext_ack *extack);
void lvs_service_unenter(struct lvs_service *svc);
void lvs_service_publish(struct lvs_service *svc);
int lvs_service_add(struct lvs_net *ln, const struct lvs_svc_key *key,
		    const char *sched_name, const struct lvs_sched_conf *conf,
		    const struct lvs_dest_conf *dests, unsigned int n,
		    unsigned int *bad, struct netlink_ext_ack *extack);
int lvs_service_edit(struct lvs_service *svc, const char *sched_name,
		     const struct lvs_sched_conf *conf,
		     struct netlink_ext_ack *extack);
int lvs_service_edit_check(struct lvs_service *svc, const char *sched_name,
			   const struct lvs_sched_conf *conf,
			   struct lvs_scheduler **sched,
			   struct netlink_ext_ack *extack);
void lvs_service_edit_undo(struct lvs_service *svc,
			   struct lvs_scheduler *sched);
void lvs_service_edit_publish(struct lvs_service *svc,
			      struct lvs_scheduler *sched,
			      const struct lvs_sched_conf *conf,
			      struct lvs_sched_state *st);
void lvs_service_del(struct lvs_service *svc, bool force);
unsigned int lvs_service_flush(struct lvs_net *ln, bool force);
void lvs_service_put(struct lvs_service *svc);
void lvs_service_zero(struct lvs_service *svc);
void lvs_service_zero_all(struct lvs_net *ln);

struct lvs_sched_state *lvs_service_sched_prepare(struct lvs_service *svc,
						  struct lvs_dest **add,
						  unsigned int nadd,
						  struct lvs_dest *remove);
struct lvs_sched_state *lvs_service_sched_build(struct lvs_service *svc,
						struct lvs_scheduler *sched,
						const struct lvs_sched_conf *conf,
						struct lvs_dest **add,
						unsigned int nadd);
void lvs_service_sched_drop(struct lvs_sched_state *st);
void lvs_service_sched_publish(struct lvs_service *svc,
			       struct lvs_sched_state *state);
/* Packet path: is @pkt, which opens a connection of @svc, one packet? */
static inline bool lvs_service_one_packet(struct lvs_service *svc,
					  const struct lvs_pkt *pkt)
{
	struct lvs_sched_state *st = rcu_dereference(svc->sched_state);

	return st && st->conf.one_packet && pkt->protocol == IPPROTO_UDP;
}

struct lvs_dest *lvs_service_schedule(struct lvs_service *svc,
				      const struct lvs_pkt *pkt,
				      struct lvs_conn **tplp);

#endif /* _LVS_SERVICE_H */
