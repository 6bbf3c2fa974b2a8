/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LVS_TXN_H
#define _LVS_TXN_H

#include <linux/netlink.h>
#include <linux/types.h>

struct lvs_dest;
struct lvs_dest_conf;
struct lvs_net;
struct lvs_sched_conf;
struct lvs_service;
struct lvs_svc_key;
struct lvs_timeout_stage;
struct lvs_txn;

/*
 * A transaction (txn.c): changes staged one by one, checked as they come,
 * then made together by lvs_txn_commit(), or none of them. All of it
 * under ln->lock, which the caller holds from lvs_txn_new() to
 * lvs_txn_free().
 */
struct lvs_txn *lvs_txn_new(struct lvs_net *ln);
void lvs_txn_free(struct lvs_txn *txn);
int lvs_txn_commit(struct lvs_txn *txn, struct netlink_ext_ack *extack);

/*
 * The service @key as the transaction leaves it so far, for a
 * destination op: a new one it adds, or one of the table it neither
 * adds nor deletes. NULL with the reason in @extack otherwise.
 */
struct lvs_service *lvs_txn_svc(struct lvs_txn *txn,
				const struct lvs_svc_key *key,
				struct netlink_ext_ack *extack);

int lvs_txn_svc_add(struct lvs_txn *txn, const struct lvs_svc_key *key,
		    const char *sched_name, const struct lvs_sched_conf *conf,
		    const struct lvs_dest_conf *dests, unsigned int n,
		    unsigned int *bad, struct netlink_ext_ack *extack);
int lvs_txn_svc_edit(struct lvs_txn *txn, struct lvs_service *svc,
		     const char *sched_name, const struct lvs_sched_conf *conf,
		     struct netlink_ext_ack *extack);
int lvs_txn_svc_del(struct lvs_txn *txn, struct lvs_service *svc,
		    struct netlink_ext_ack *extack);
int lvs_txn_dest_add(struct lvs_txn *txn, struct lvs_service *svc,
		     const struct lvs_dest_conf *confs, unsigned int n,
		     unsigned int *bad, struct netlink_ext_ack *extack);
int lvs_txn_dest_edit(struct lvs_txn *txn, struct lvs_dest *dest,
		      const struct lvs_dest_conf *conf,
		      struct netlink_ext_ack *extack);
int lvs_txn_dest_del(struct lvs_txn *txn, struct lvs_dest *dest,
		     struct netlink_ext_ack *extack);
struct lvs_timeout_stage *lvs_txn_timeouts(struct lvs_txn *txn);

#endif /* _LVS_TXN_H */
