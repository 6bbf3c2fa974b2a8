// SPDX-License-Identifier: GPL-2.0
/*
 * Virtual services: the per-namespace table the packet path looks services
 * up in, creation and deletion, and the scheduler state each one publishes.
 */

#include <linux/slab.h>

#include <uapi/linux/lvs.h>

#include "conn.h"
#include "dest.h"
#include "limits.h"
#include "netlink_notify.h"
#include "netns.h"
#include "persist.h"
#include "proto.h"
#include "rcu.h"
#include "sched.h"
#include "service.h"

static const struct rhashtable_params svc_params = {
	.head_offset		= offsetof(struct lvs_service, node),
	.key_offset		= offsetof(struct lvs_service, key),
	.key_len		= sizeof(struct lvs_svc_key),
	.automatic_shrinking	= true,
};

int lvs_service_table_init(struct lvs_net *ln)
{
	INIT_LIST_HEAD(&ln->svc_list);
	return rhashtable_init(&ln->svc_table, &svc_params);
}

/*
 * On the packet path (RCU read side), or under ln->lock, which keeps the
 * result alive; the lookup takes its own RCU read lock for the latter.
 */
struct lvs_service *lvs_service_find(struct lvs_net *ln,
				     const struct lvs_svc_key *key)
{
	return rhashtable_lookup_fast(&ln->svc_table, key, svc_params);
}

/*
 * Packet path: the service a client's packet @pkt with mark @mark is for.
 * A firewall mark comes first, then the exact port, then all ports; the
 * counters spare the lookups that cannot match.
 */
struct lvs_service *lvs_service_lookup(struct lvs_net *ln, u32 mark,
				       const struct lvs_pkt *pkt)
{
	struct lvs_svc_key key = { .af = pkt->af };
	struct lvs_service *svc;

	if (mark && READ_ONCE(ln->svc_fwmarks)) {
		key.fwmark = mark;
		svc = lvs_service_find(ln, &key);
		if (svc)
			return svc;
		key.fwmark = 0;
	}
	key.addr = pkt->daddr;
	key.port = pkt->dport;
	key.protocol = pkt->protocol;
	svc = lvs_service_find(ln, &key);
	if (svc || !READ_ONCE(ln->svc_allports))
		return svc;
	key.port = 0;
	return lvs_service_find(ln, &key);
}

/* Under ln->lock: @svc enters (@delta 1) or leaves (-1) the table. */
static void count_service(struct lvs_net *ln, const struct lvs_svc_key *key,
			  int delta)
{
	WRITE_ONCE(ln->svc_count, ln->svc_count + delta);
	if (key->fwmark)
		WRITE_ONCE(ln->svc_fwmarks, ln->svc_fwmarks + delta);
	else if (!key->port)
		WRITE_ONCE(ln->svc_allports, ln->svc_allports + delta);
	ln->gen++;
}

static void svc_free_rcu(struct rcu_head *head)
{
	struct lvs_service *svc = container_of(head, struct lvs_service, rcu);
	struct lvs_net *ln = svc->ln;

	pr_debug("service %p freed\n", svc);
	free_percpu(svc->stats);
	kfree(svc);
	/* The namespace may be freed once this is done. */
	lvs_net_put(ln);
	lvs_rcu_done();
}

void lvs_service_put(struct lvs_service *svc)
{
	if (refcount_dec_and_test(&svc->refcnt))
		lvs_call_rcu(&svc->rcu, svc_free_rcu);
}

static void zero_one(struct lvs_service *svc)
{
	struct lvs_dest *dest;

	lvs_stats_zero(svc->stats, &svc->zeroed);
	lvs_est_zero(&svc->est);
	list_for_each_entry(dest, &svc->dests, list) {
		lvs_stats_zero(dest->stats, &dest->zeroed);
		lvs_est_zero(&dest->est);
	}
}

/*
 * Counters of @svc and its destinations from 0 again, and their rates;
 * traffic and connections are untouched. Under ln->lock.
 */
void lvs_service_zero(struct lvs_service *svc)
{
	lockdep_assert_held(&svc->ln->lock);

	zero_one(svc);
	lvs_notify_svc(svc, LVS_CMD_ZERO, false);
}

/* Every service's counters, and their destinations'. Under ln->lock. */
void lvs_service_zero_all(struct lvs_net *ln)
{
	struct lvs_service *svc;

	lockdep_assert_held(&ln->lock);

	list_for_each_entry(svc, &ln->svc_list, list)
		zero_one(svc);
	lvs_notify_all(ln, LVS_CMD_ZERO, false);
}

static void sched_state_free_rcu(struct rcu_head *head)
{
	struct lvs_sched_state *st = container_of(head, struct lvs_sched_state,
						  rcu);

	st->sched->free(st->priv);
	kfree(st);
	lvs_rcu_done();
}

/*
 * Build @sched's state with options @conf for the destination set that
 * results from adding the @nadd destinations @add and removing @remove
 * (may be NULL) and those a transaction is taking out (leaving).
 */
static struct lvs_sched_state *sched_prepare(struct lvs_service *svc,
					     struct lvs_scheduler *sched,
					     const struct lvs_sched_conf *conf,
					     struct lvs_dest **add,
					     unsigned int nadd,
					     struct lvs_dest *remove)
{
	struct lvs_sched_state *old, *st;
	struct lvs_dest **set, *d;
	unsigned int i, n = 0;
	void *old_priv = NULL;

	old = rcu_dereference_protected(svc->sched_state,
					lockdep_is_held(&svc->ln->lock));
	if (old && old->sched == sched)
		old_priv = old->priv;
	st = kzalloc(sizeof(*st), GFP_KERNEL_ACCOUNT);
	/* 8 bytes a destination: past 512k, more than kmalloc gives. */
	set = kvmalloc_array(svc->num_dests + nadd + 1, sizeof(*set),
			     GFP_KERNEL_ACCOUNT);
	if (!st || !set)
		goto nomem;

	list_for_each_entry(d, &svc->dests, list)
		if (d != remove && !d->leaving && READ_ONCE(d->weight))
			set[n++] = d;
	for (i = 0; i < nadd; i++)
		if (add[i]->weight)
			set[n++] = add[i];

	st->sched = sched;
	st->conf = *conf;
	st->priv = sched->build(conf, set, n, old_priv);
	kvfree(set);
	if (IS_ERR(st->priv)) {
		int err = PTR_ERR(st->priv);

		kfree(st);
		return ERR_PTR(err);
	}
	return st;

nomem:
	kvfree(set);
	kfree(st);
	return ERR_PTR(-ENOMEM);
}

/*
 * Build the scheduler state for the destination set that results from
 * adding the @nadd destinations @add and removing @remove (may be NULL).
 * Nothing is published: on success the caller makes its change and then
 * publishes. Called under ln->lock.
 */
struct lvs_sched_state *lvs_service_sched_prepare(struct lvs_service *svc,
						  struct lvs_dest **add,
						  unsigned int nadd,
						  struct lvs_dest *remove)
{
	return sched_prepare(svc, svc->sched, &svc->sched_conf, add, nadd,
			     remove);
}

/*
 * The same for a transaction (txn.c): @svc's state as @sched with @conf
 * will have it, with the @nadd destinations @add and without those
 * leaving.
 */
struct lvs_sched_state *lvs_service_sched_build(struct lvs_service *svc,
						struct lvs_scheduler *sched,
						const struct lvs_sched_conf *conf,
						struct lvs_dest **add,
						unsigned int nadd)
{
	return sched_prepare(svc, sched, conf, add, nadd, NULL);
}

/* Free @st, which was built but never published. */
void lvs_service_sched_drop(struct lvs_sched_state *st)
{
	st->sched->free(st->priv);
	kfree(st);
}

/* Make @state (NULL: none) the one the packet path uses. */
void lvs_service_sched_publish(struct lvs_service *svc,
			       struct lvs_sched_state *state)
{
	struct lvs_sched_state *old;

	old = rcu_replace_pointer(svc->sched_state, state,
				  lockdep_is_held(&svc->ln->lock));
	if (old)
		lvs_call_rcu(&old->rcu, sched_state_free_rcu);
}

/*
 * Packet path: pick a destination for a new connection, or NULL. With
 * persistence, *@tplp gets the template that chose it (a reference for the
 * connection to hold), else NULL.
 */
struct lvs_dest *lvs_service_schedule(struct lvs_service *svc,
				      const struct lvs_pkt *pkt,
				      struct lvs_conn **tplp)
{
	struct lvs_sched_state *st = rcu_dereference(svc->sched_state);

	*tplp = NULL;
	if (!st)
		return NULL;
	if (st->conf.persist_timeout)
		return lvs_persist_schedule(svc, st, pkt, tplp);
	return st->sched->schedule(st->priv, pkt);
}

/* Drop what the table holds of @svc: its destinations, state, itself. */
static void service_release(struct lvs_service *svc)
{
	lvs_dest_del_all(svc);
	lvs_service_sched_publish(svc, NULL);
	lvs_sched_put(svc->sched);
	lvs_service_put(svc);
}

/*
 * A new service @key with scheduler @sched_name and options @conf, and no
 * destinations nor scheduler state yet, as one of @more new services
 * still to come (for the namespace's limit): not in the table, so nobody
 * else sees it. lvs_service_enter() and lvs_service_publish() make it
 * public, lvs_service_discard() drops it. Under ln->lock.
 */
struct lvs_service *lvs_service_alloc(struct lvs_net *ln,
				      const struct lvs_svc_key *key,
				      const char *sched_name,
				      const struct lvs_sched_conf *conf,
				      unsigned int more,
				      struct netlink_ext_ack *extack)
{
	struct lvs_service *svc;
	int err;

	lockdep_assert_held(&ln->lock);

	if (lvs_service_find(ln, key)) {
		NL_SET_ERR_MSG(extack, "Service already exists");
		return ERR_PTR(-EEXIST);
	}
	err = lvs_limit_service(ln, more, extack) ?:
	      lvs_limit_mh_size(ln, sched_name, conf->mh_table_size, extack);
	if (err)
		return ERR_PTR(err);
	err = lvs_net_start(ln);
	if (err) {
		NL_SET_ERR_MSG(extack, "Cannot start the packet path");
		return ERR_PTR(err);
	}

	svc = kzalloc(sizeof(*svc), GFP_KERNEL_ACCOUNT);
	if (!svc)
		return ERR_PTR(-ENOMEM);
	svc->key = *key;
	svc->ln = ln;
	svc->proto = key->fwmark ? NULL : lvs_proto_find(key->protocol);
	svc->sched_conf = *conf;
	INIT_LIST_HEAD(&svc->dests);
	refcount_set(&svc->refcnt, 1);
	svc->stats = lvs_stats_alloc();
	if (!svc->stats) {
		err = -ENOMEM;
		goto err_free;
	}
	svc->sched = lvs_sched_get(sched_name);
	if (!svc->sched) {
		NL_SET_ERR_MSG(extack, "Unknown scheduler");
		err = -ENOENT;
		goto err_free;
	}
	/* From here on, it goes as a deleted service does. */
	lvs_net_hold(ln);
	pr_debug("service %p created\n", svc);
	return svc;

err_free:
	free_percpu(svc->stats);
	kfree(svc);
	return ERR_PTR(err);
}

/* A service lvs_service_alloc() made that will not be published. */
void lvs_service_discard(struct lvs_service *svc)
{
	service_release(svc);
}

/*
 * Put the new service @svc, complete with destinations and scheduler
 * state, into the lookup table: from now on packets find it. The one
 * step of publishing that can fail (no memory).
 */
int lvs_service_enter(struct lvs_service *svc, struct netlink_ext_ack *extack)
{
	int err;

	err = rhashtable_insert_fast(&svc->ln->svc_table, &svc->node,
				     svc_params);
	if (err)
		NL_SET_ERR_MSG(extack, "Cannot insert service into table");
	return err;
}

/* Take back lvs_service_enter(), for a transaction that failed. */
void lvs_service_unenter(struct lvs_service *svc)
{
	rhashtable_remove_fast(&svc->ln->svc_table, &svc->node, svc_params);
}

/* The rest of publishing @svc once it is in the table; announce it. */
void lvs_service_publish(struct lvs_service *svc)
{
	list_add_tail(&svc->list, &svc->ln->svc_list);
	count_service(svc->ln, &svc->key, 1);
	lvs_notify_svc_new(svc);
}

/*
 * Create the service @key with scheduler @sched_name, options @conf and
 * the @n destinations @dests, all or nothing: the packet path sees it
 * only complete. On failure *@bad is the index of the destination at
 * fault, or @n if none is.
 */
int lvs_service_add(struct lvs_net *ln, const struct lvs_svc_key *key,
		    const char *sched_name, const struct lvs_sched_conf *conf,
		    const struct lvs_dest_conf *dests, unsigned int n,
		    unsigned int *bad, struct netlink_ext_ack *extack)
{
	struct lvs_sched_state *st;
	struct lvs_service *svc;
	int err;

	*bad = n;
	svc = lvs_service_alloc(ln, key, sched_name, conf, 1, extack);
	if (IS_ERR(svc))
		return PTR_ERR(svc);
	if (n) {
		err = lvs_dest_add_first(svc, dests, n, bad, extack);
	} else {
		st = lvs_service_sched_prepare(svc, NULL, 0, NULL);
		err = PTR_ERR_OR_ZERO(st);
		if (err)
			NL_SET_ERR_MSG(extack, "Scheduler failed to initialise");
		else
			RCU_INIT_POINTER(svc->sched_state, st);
	}
	err = err ?: lvs_service_enter(svc, extack);
	if (err) {
		lvs_service_discard(svc);
		return err;
	}
	lvs_service_publish(svc);
	return 0;
}

/*
 * May @svc switch to scheduler @sched_name (NULL: keep it) with options
 * @conf? *@sched gets the scheduler to switch to: @svc's own, or another
 * with a reference for lvs_service_edit_publish() to take over or
 * lvs_service_edit_undo() to drop.
 */
int lvs_service_edit_check(struct lvs_service *svc, const char *sched_name,
			   const struct lvs_sched_conf *conf,
			   struct lvs_scheduler **sched,
			   struct netlink_ext_ack *extack)
{
	int err;

	lockdep_assert_held(&svc->ln->lock);

	*sched = svc->sched;
	err = lvs_limit_mh_size(svc->ln, sched_name ?: svc->sched->name,
				conf->mh_table_size, extack);
	if (err)
		return err;
	if (sched_name && strcmp(sched_name, svc->sched->name)) {
		*sched = lvs_sched_get(sched_name);
		if (!*sched) {
			NL_SET_ERR_MSG(extack, "Unknown scheduler");
			return -ENOENT;
		}
	}
	return 0;
}

void lvs_service_edit_undo(struct lvs_service *svc,
			   struct lvs_scheduler *sched)
{
	if (sched != svc->sched)
		lvs_sched_put(sched);
}

/*
 * Give @svc scheduler @sched (as lvs_service_edit_check() gave it),
 * options @conf and the state @st built for them; announce it.
 */
void lvs_service_edit_publish(struct lvs_service *svc,
			      struct lvs_scheduler *sched,
			      const struct lvs_sched_conf *conf,
			      struct lvs_sched_state *st)
{
	struct lvs_scheduler *old = svc->sched;

	svc->sched = sched;
	svc->sched_conf = *conf;
	lvs_service_sched_publish(svc, st);
	/*
	 * The old state is freed after a grace period by the old module's
	 * code; unloading that module waits for such frees to finish.
	 */
	if (sched != old)
		lvs_sched_put(old);
	svc->ln->gen++;
	lvs_notify_svc(svc, LVS_CMD_SERVICE_SET, false);
}

/*
 * Switch @svc to scheduler @sched_name (NULL: keep it) with options
 * @conf. Only new connections see the change: established ones keep
 * their destinations, since the connection table, not the scheduler,
 * remembers where they go. On failure nothing changes.
 */
int lvs_service_edit(struct lvs_service *svc, const char *sched_name,
		     const struct lvs_sched_conf *conf,
		     struct netlink_ext_ack *extack)
{
	struct lvs_scheduler *sched;
	struct lvs_sched_state *st;
	int err;

	err = lvs_service_edit_check(svc, sched_name, conf, &sched, extack);
	if (err)
		return err;
	st = sched_prepare(svc, sched, conf, NULL, 0, NULL);
	if (IS_ERR(st)) {
		NL_SET_ERR_MSG(extack, "Scheduler failed to initialise");
		lvs_service_edit_undo(svc, sched);
		return PTR_ERR(st);
	}
	lvs_service_edit_publish(svc, sched, conf, st);
	return 0;
}

static bool conn_of_service(const struct lvs_conn *c, const void *svc)
{
	return c->dest && c->dest->svc == svc;
}

/* Take @svc out of the table: no new connection finds it. */
static void service_unpublish(struct lvs_service *svc)
{
	struct lvs_net *ln = svc->ln;

	rhashtable_remove_fast(&ln->svc_table, &svc->node, svc_params);
	list_del(&svc->list);
	count_service(ln, &svc->key, -1);
}

/*
 * Delete @svc: once it leaves the table no new connection finds it, and
 * its destinations and scheduler state go. The connections it has run
 * out on their real servers: each holds its destination, which holds the
 * service, so the packet path still finds both (with weight 0 and no
 * scheduler state: a template places nothing new), and the service's
 * memory goes with its last connection. No grace period and no walk of
 * the table are needed for that. A packet that found the service just
 * before may still enter one more connection; it runs out like the rest.
 *
 * With @force its connections and templates are unlinked instead: once
 * such late packets are done (a grace period), one walk of the table.
 */
void lvs_service_del(struct lvs_service *svc, bool force)
{
	struct lvs_net *ln = svc->ln;

	lockdep_assert_held(&ln->lock);

	service_unpublish(svc);
	if (force) {
		synchronize_rcu();
		lvs_conn_flush(&ln->conns, conn_of_service, svc);
	}
	lvs_notify_svc(svc, LVS_CMD_SERVICE_DEL, force);
	service_release(svc);
}

static bool conn_of_cut_service(const struct lvs_conn *c, const void *unused)
{
	return c->dest && c->dest->svc->cut;
}

/*
 * Delete every service of @ln, each as lvs_service_del() does, in one
 * hold of the lock: their connections run out. With @force they are cut,
 * after one grace period for all the services and in one walk of the
 * table. Returns how many services went.
 */
static unsigned int flush(struct lvs_net *ln, bool force)
{
	struct lvs_service *svc, *tmp;
	unsigned int n = 0;
	LIST_HEAD(cut);

	lockdep_assert_held(&ln->lock);

	list_for_each_entry_safe(svc, tmp, &ln->svc_list, list) {
		service_unpublish(svc);
		n++;
		if (force) {
			/* Kept until its connections are unlinked. */
			svc->cut = true;
			list_add_tail(&svc->list, &cut);
		} else {
			service_release(svc);
		}
		cond_resched();
	}
	if (list_empty(&cut))
		return n;
	synchronize_rcu();
	lvs_conn_flush(&ln->conns, conn_of_cut_service, NULL);
	list_for_each_entry_safe(svc, tmp, &cut, list) {
		list_del(&svc->list);
		service_release(svc);
	}
	return n;
}

/* As flush(), announced as one event rather than one per service. */
unsigned int lvs_service_flush(struct lvs_net *ln, bool force)
{
	unsigned int n = flush(ln, force);

	lvs_notify_all(ln, LVS_CMD_SERVICE_FLUSH, force);
	return n;
}

/*
 * The namespace goes (or never came up). No packet reaches the tables any
 * more: the hooks went in pre_exit, and cleanup_net() waited a grace
 * period since. So the services go without one, as a flush without force
 * deletes them, unannounced (the family may be gone already); the
 * connection table is flushed once, after this.
 */
void lvs_service_table_destroy(struct lvs_net *ln)
{
	mutex_lock(&ln->lock);
	flush(ln, false);
	mutex_unlock(&ln->lock);
	rhashtable_destroy(&ln->svc_table);
}
