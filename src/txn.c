// SPDX-License-Identifier: GPL-2.0
/*
 * Transactions: many changes to a namespace's services, destinations and
 * timeouts made together, or none of them (LVS_CMD_APPLY).
 *
 * Staging checks each change as it comes and makes what it can in
 * advance: new services and destinations are allocated but not linked,
 * schedulers are loaded, new values are kept aside. Each service the
 * transaction touches has one record, so that however many changes name
 * it, its scheduler state is built once. Committing then goes in three
 * steps:
 *  1. prepare: build the scheduler state of every service that changes
 *     (new weights are written first, since schedulers read them; a
 *     destination that goes is marked so that the build leaves it out);
 *     a new service gets its destinations and state, still unseen;
 *  2. enter the new services into the lookup table: the one step of
 *     publishing that can fail (no memory), taken back whole if it does;
 *  3. publish, which cannot fail: new services; for the others their
 *     new destinations, state, options and settings; timeouts; then the
 *     destinations and services that go, which drain as a lone request's
 *     do. Each change is announced as its own request would announce it.
 * A failure in 1 or 2 undoes what 1 wrote and drops what staging made,
 * so the namespace is as it was.
 *
 * Everything runs under ln->lock, held by the caller from lvs_txn_new()
 * to lvs_txn_free(); a service or destination the transaction names
 * points back at its record meanwhile (svc->txn, dest->staged), which
 * lvs_txn_free() clears.
 */

#include <linux/hashtable.h>
#include <linux/jhash.h>
#include <linux/slab.h>

#include <uapi/linux/lvs.h>

#include "dest.h"
#include "netlink_notify.h"
#include "netlink_timeout.h"
#include "netns.h"
#include "sched.h"
#include "service.h"
#include "txn.h"

/* What a transaction does to one service. */
struct lvs_txn_svc {
	struct list_head list;		/* in lvs_txn.svcs, first named first */
	struct hlist_node node;		/* an added one, in lvs_txn.added */
	struct lvs_service *svc;	/* NULL once deleted by the commit */
	bool added;			/* made by this transaction */
	bool edited;			/* new scheduler or options */
	bool deleted;
	bool rebuild;			/* its scheduler state changes */
	bool done;			/* published */
	struct lvs_scheduler *sched;	/* edited: as edit_check() gave it */
	struct lvs_sched_conf conf;	/* edited: the new options */
	struct lvs_dest **add;		/* made, not linked yet */
	unsigned int nadd;
	struct list_head dests;		/* struct txn_dest, changed or going */
	struct lvs_sched_state *st;	/* built, not published yet */
};

/* What a transaction does to one destination of a service of the table. */
struct txn_dest {
	struct list_head list;		/* in lvs_txn_svc.dests */
	struct lvs_dest *dest;		/* NULL once removed by the commit */
	struct lvs_dest_conf conf;	/* new settings, unless del */
	u32 old_weight;			/* while prepare has written conf's */
	bool weighted;
	bool del;
};

#define TXN_ADDED_BITS 10

struct lvs_txn {
	struct lvs_net *ln;
	struct list_head svcs;
	DECLARE_HASHTABLE(added, TXN_ADDED_BITS);	/* by key */
	unsigned int new_svcs;		/* for the namespace's limits */
	unsigned int new_dests;
	struct lvs_timeout_stage *timeouts;
};

struct lvs_txn *lvs_txn_new(struct lvs_net *ln)
{
	struct lvs_txn *txn;

	lockdep_assert_held(&ln->lock);

	txn = kzalloc(sizeof(*txn), GFP_KERNEL);
	if (!txn)
		return NULL;
	txn->ln = ln;
	INIT_LIST_HEAD(&txn->svcs);
	hash_init(txn->added);
	return txn;
}

static u32 key_hash(const struct lvs_svc_key *key)
{
	return jhash(key, sizeof(*key), 0);
}

static struct lvs_txn_svc *find_added(struct lvs_txn *txn,
				      const struct lvs_svc_key *key)
{
	struct lvs_txn_svc *ts;

	hash_for_each_possible(txn->added, ts, node, key_hash(key))
		if (!memcmp(&ts->svc->key, key, sizeof(*key)))
			return ts;
	return NULL;
}

/* The record of @svc, made on first use; NULL if out of memory. */
static struct lvs_txn_svc *svc_record(struct lvs_txn *txn,
				      struct lvs_service *svc)
{
	struct lvs_txn_svc *ts = svc->txn;

	if (ts)
		return ts;
	ts = kzalloc(sizeof(*ts), GFP_KERNEL);
	if (!ts)
		return NULL;
	ts->svc = svc;
	ts->sched = svc->sched;
	ts->conf = svc->sched_conf;
	INIT_LIST_HEAD(&ts->dests);
	list_add_tail(&ts->list, &txn->svcs);
	svc->txn = ts;
	return ts;
}

struct lvs_service *lvs_txn_svc(struct lvs_txn *txn,
				const struct lvs_svc_key *key,
				struct netlink_ext_ack *extack)
{
	struct lvs_txn_svc *ts = find_added(txn, key);
	struct lvs_service *svc;

	if (ts)
		return ts->svc;
	svc = lvs_service_find(txn->ln, key);
	if (!svc) {
		NL_SET_ERR_MSG(extack, "No such service");
		return NULL;
	}
	if (svc->txn && svc->txn->deleted) {
		NL_SET_ERR_MSG(extack,
			       "Service deleted earlier in this transaction");
		return NULL;
	}
	return svc;
}

int lvs_txn_svc_add(struct lvs_txn *txn, const struct lvs_svc_key *key,
		    const char *sched_name, const struct lvs_sched_conf *conf,
		    const struct lvs_dest_conf *dests, unsigned int n,
		    unsigned int *bad, struct netlink_ext_ack *extack)
{
	struct lvs_service *svc;
	struct lvs_txn_svc *ts;

	*bad = n;
	if (find_added(txn, key)) {
		NL_SET_ERR_MSG(extack, "Service named twice in one transaction");
		return -EINVAL;
	}
	svc = lvs_service_alloc(txn->ln, key, sched_name, conf,
				txn->new_svcs + 1, extack);
	if (IS_ERR(svc))
		return PTR_ERR(svc);
	ts = svc_record(txn, svc);
	if (!ts) {
		lvs_service_discard(svc);
		return -ENOMEM;
	}
	ts->added = true;
	ts->rebuild = true;
	hash_add(txn->added, &ts->node, key_hash(key));
	txn->new_svcs++;
	return n ? lvs_txn_dest_add(txn, svc, dests, n, bad, extack) : 0;
}

int lvs_txn_svc_edit(struct lvs_txn *txn, struct lvs_service *svc,
		     const char *sched_name, const struct lvs_sched_conf *conf,
		     struct netlink_ext_ack *extack)
{
	struct lvs_scheduler *sched;
	struct lvs_txn_svc *ts;
	int err;

	ts = svc->txn;
	if (ts && (ts->added || ts->edited || ts->deleted)) {
		NL_SET_ERR_MSG(extack, "Service named twice in one transaction");
		return -EINVAL;
	}
	err = lvs_service_edit_check(svc, sched_name, conf, &sched, extack);
	if (err)
		return err;
	ts = svc_record(txn, svc);
	if (!ts) {
		lvs_service_edit_undo(svc, sched);
		return -ENOMEM;
	}
	ts->sched = sched;
	ts->conf = *conf;
	ts->edited = true;
	ts->rebuild = true;
	return 0;
}

int lvs_txn_svc_del(struct lvs_txn *txn, struct lvs_service *svc,
		    struct netlink_ext_ack *extack)
{
	struct lvs_txn_svc *ts;

	if (svc->txn) {
		NL_SET_ERR_MSG(extack, "Service named twice in one transaction");
		return -EINVAL;
	}
	ts = svc_record(txn, svc);
	if (!ts)
		return -ENOMEM;
	ts->deleted = true;
	return 0;
}

/* Is @conf one of the destinations @ts adds already? */
static bool added_before(const struct lvs_txn_svc *ts,
			 const struct lvs_dest_conf *conf)
{
	unsigned int i;

	for (i = 0; i < ts->nadd; i++)
		if (lvs_dest_is(ts->add[i], conf->af, &conf->addr,
				conf->port))
			return true;
	return false;
}

int lvs_txn_dest_add(struct lvs_txn *txn, struct lvs_service *svc,
		     const struct lvs_dest_conf *confs, unsigned int n,
		     unsigned int *bad, struct netlink_ext_ack *extack)
{
	struct lvs_dest **set, **all;
	struct lvs_txn_svc *ts;
	unsigned int i;

	ts = svc_record(txn, svc);
	if (!ts)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		if (added_before(ts, &confs[i])) {
			*bad = i;
			NL_SET_ERR_MSG(extack,
				       "Destination named twice in one transaction");
			return -EINVAL;
		}
	}
	set = lvs_dest_alloc_set(svc, confs, n, txn->new_dests + n, bad,
				 extack);
	if (IS_ERR(set))
		return PTR_ERR(set);
	all = kvmalloc_array(ts->nadd + n, sizeof(*all), GFP_KERNEL);
	if (!all) {
		lvs_dest_free_set(set, n);
		return -ENOMEM;
	}
	if (ts->nadd)
		memcpy(all, ts->add, ts->nadd * sizeof(*all));
	memcpy(all + ts->nadd, set, n * sizeof(*all));
	kvfree(ts->add);
	kvfree(set);
	ts->add = all;
	ts->nadd += n;
	ts->rebuild = true;
	txn->new_dests += n;
	return 0;
}

/* A record for a change to @dest, of a service of the table. */
static struct txn_dest *dest_record(struct lvs_txn *txn, struct lvs_dest *dest,
				    struct netlink_ext_ack *extack)
{
	struct lvs_txn_svc *ts;
	struct txn_dest *td;

	if (dest->staged) {
		NL_SET_ERR_MSG(extack,
			       "Destination named twice in one transaction");
		return ERR_PTR(-EINVAL);
	}
	ts = svc_record(txn, dest->svc);
	td = kzalloc(sizeof(*td), GFP_KERNEL);
	if (!ts || !td) {
		kfree(td);
		return ERR_PTR(-ENOMEM);
	}
	td->dest = dest;
	list_add_tail(&td->list, &ts->dests);
	dest->staged = true;
	return td;
}

int lvs_txn_dest_edit(struct lvs_txn *txn, struct lvs_dest *dest,
		      const struct lvs_dest_conf *conf,
		      struct netlink_ext_ack *extack)
{
	struct txn_dest *td;
	int err;

	err = lvs_dest_edit_check(dest->svc, dest, conf, extack);
	if (err)
		return err;
	td = dest_record(txn, dest, extack);
	if (IS_ERR(td))
		return PTR_ERR(td);
	td->conf = *conf;
	if (conf->weight != dest->weight)
		dest->svc->txn->rebuild = true;
	return 0;
}

int lvs_txn_dest_del(struct lvs_txn *txn, struct lvs_dest *dest,
		     struct netlink_ext_ack *extack)
{
	struct txn_dest *td = dest_record(txn, dest, extack);

	if (IS_ERR(td))
		return PTR_ERR(td);
	td->del = true;
	dest->svc->txn->rebuild = true;
	return 0;
}

/* The timeouts the transaction sets, to stage more in; NULL: no memory. */
struct lvs_timeout_stage *lvs_txn_timeouts(struct lvs_txn *txn)
{
	if (!txn->timeouts)
		txn->timeouts = kzalloc(sizeof(*txn->timeouts), GFP_KERNEL);
	return txn->timeouts;
}

/* Undo what prepare() wrote, and drop the states it built. */
static void unprepare(struct lvs_txn *txn)
{
	struct lvs_txn_svc *ts;
	struct txn_dest *td;

	list_for_each_entry(ts, &txn->svcs, list) {
		list_for_each_entry(td, &ts->dests, list) {
			td->dest->leaving = false;
			if (td->weighted)
				WRITE_ONCE(td->dest->weight, td->old_weight);
			td->weighted = false;
		}
		if (ts->st)
			lvs_service_sched_drop(ts->st);
		ts->st = NULL;
	}
}

/*
 * Step 1: every scheduler state that changes, built. A new service gets
 * its destinations and state at once: nobody sees it yet.
 */
static int prepare(struct lvs_txn *txn, struct netlink_ext_ack *extack)
{
	struct lvs_sched_state *st;
	struct lvs_txn_svc *ts;
	struct txn_dest *td;

	list_for_each_entry(ts, &txn->svcs, list) {
		if (ts->deleted || !ts->rebuild)
			continue;
		list_for_each_entry(td, &ts->dests, list) {
			if (td->del) {
				td->dest->leaving = true;
			} else if (td->conf.weight != td->dest->weight) {
				td->old_weight = td->dest->weight;
				td->weighted = true;
				WRITE_ONCE(td->dest->weight, td->conf.weight);
			}
		}
		st = lvs_service_sched_build(ts->svc, ts->sched, &ts->conf,
					     ts->add, ts->nadd);
		if (IS_ERR(st)) {
			NL_SET_ERR_MSG(extack,
				       "Scheduler cannot take the service's new destinations or options");
			return PTR_ERR(st);
		}
		ts->st = st;
		if (!ts->added)
			continue;
		lvs_dest_link_set(ts->svc, ts->add, ts->nadd);
		kvfree(ts->add);
		ts->add = NULL;
		ts->nadd = 0;
		RCU_INIT_POINTER(ts->svc->sched_state, st);
		ts->st = NULL;
	}
	return 0;
}

/* Step 2: the new services into the lookup table, all or none. */
static int enter(struct lvs_txn *txn, struct netlink_ext_ack *extack)
{
	struct lvs_txn_svc *ts, *failed = NULL;
	int err = 0;

	list_for_each_entry(ts, &txn->svcs, list) {
		if (!ts->added)
			continue;
		err = lvs_service_enter(ts->svc, extack);
		if (err) {
			failed = ts;
			break;
		}
	}
	if (!failed)
		return 0;
	list_for_each_entry(ts, &txn->svcs, list) {
		if (ts == failed)
			break;
		if (ts->added)
			lvs_service_unenter(ts->svc);
	}
	return err;
}

/* Step 3 for a service of the table that stays: all but what goes. */
static void publish_changes(struct lvs_txn_svc *ts)
{
	struct lvs_service *svc = ts->svc;
	struct txn_dest *td;
	unsigned int i;

	lvs_dest_link_set(svc, ts->add, ts->nadd);
	if (ts->edited)
		lvs_service_edit_publish(svc, ts->sched, &ts->conf, ts->st);
	else if (ts->st)
		lvs_service_sched_publish(svc, ts->st);
	ts->st = NULL;
	for (i = 0; i < ts->nadd; i++)
		lvs_notify_dest(ts->add[i], LVS_CMD_DEST_NEW, false);
	kvfree(ts->add);
	ts->add = NULL;
	ts->nadd = 0;
	list_for_each_entry(td, &ts->dests, list)
		if (!td->del)
			lvs_dest_edit_publish(td->dest, &td->conf);
}

/* Step 3 for what goes: destinations, then services. */
static void publish_removals(struct lvs_txn *txn)
{
	struct lvs_txn_svc *ts;
	struct txn_dest *td;

	list_for_each_entry(ts, &txn->svcs, list) {
		if (ts->deleted)
			continue;
		list_for_each_entry(td, &ts->dests, list) {
			if (!td->del)
				continue;
			td->dest->staged = false;
			lvs_dest_remove(ts->svc, td->dest, false);
			td->dest = NULL;
		}
	}
	list_for_each_entry(ts, &txn->svcs, list) {
		if (!ts->deleted)
			continue;
		ts->svc->txn = NULL;
		lvs_service_del(ts->svc, false);
		ts->svc = NULL;
	}
}

/* Step 3: everything, in the order the file's header says. */
static void publish(struct lvs_txn *txn)
{
	struct lvs_txn_svc *ts;

	list_for_each_entry(ts, &txn->svcs, list) {
		ts->done = true;
		if (ts->added)
			lvs_service_publish(ts->svc);
		else if (!ts->deleted)
			publish_changes(ts);
	}
	if (txn->timeouts)
		lvs_timeout_apply(txn->ln, txn->timeouts);
	publish_removals(txn);
}

int lvs_txn_commit(struct lvs_txn *txn, struct netlink_ext_ack *extack)
{
	int err;

	lockdep_assert_held(&txn->ln->lock);

	err = prepare(txn, extack) ?: enter(txn, extack);
	if (err) {
		unprepare(txn);
		return err;
	}
	publish(txn);
	return 0;
}

/* Drop what was not published, and every mark on what was named. */
void lvs_txn_free(struct lvs_txn *txn)
{
	struct lvs_txn_svc *ts, *tmp;
	struct txn_dest *td, *tdn;

	list_for_each_entry_safe(ts, tmp, &txn->svcs, list) {
		list_for_each_entry_safe(td, tdn, &ts->dests, list) {
			if (td->dest)
				td->dest->staged = false;
			kfree(td);
		}
		if (ts->svc) {
			ts->svc->txn = NULL;
			if (ts->nadd)
				lvs_dest_free_set(ts->add, ts->nadd);
			else
				kvfree(ts->add);
			if (!ts->done && ts->added)
				lvs_service_discard(ts->svc);
			else if (!ts->done && ts->edited)
				lvs_service_edit_undo(ts->svc, ts->sched);
		}
		kfree(ts);
	}
	kfree(txn->timeouts);
	kfree(txn);
}
