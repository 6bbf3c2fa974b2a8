// SPDX-License-Identifier: GPL-2.0
/*
 * Real servers (destinations) of a service: add, remove (draining, or
 * with force cutting its connections), and drain.
 *
 * Every change first builds the scheduler state for the new set and only
 * then changes the list and publishes that state, so a failure leaves the
 * service exactly as it was.
 */

#include <linux/slab.h>

#include <uapi/linux/lvs.h>

#include "addr.h"
#include "conn.h"
#include "dest.h"
#include "dest_route.h"
#include "limits.h"
#include "netlink_notify.h"
#include "netns.h"
#include "rcu.h"
#include "sched.h"
#include "service.h"

/*
 * Under ln->lock, or RCU read side. The family is part of the name: an
 * IPv4 service may have 10.0.0.2 and a TUN destination whose IPv6
 * address starts with the same four bytes.
 */
struct lvs_dest *lvs_dest_find(struct lvs_service *svc, u8 af,
			       const union nf_inet_addr *addr, __be16 port)
{
	struct lvs_dest *d;

	list_for_each_entry_rcu(d, &svc->dests, list,
				lockdep_is_held(&svc->ln->lock))
		if (lvs_dest_is(d, af, addr, port))
			return d;
	return NULL;
}

static void dest_free_rcu(struct rcu_head *head)
{
	struct lvs_dest *dest = container_of(head, struct lvs_dest, rcu);

	pr_debug("dest %p freed\n", dest);
	lvs_dest_route_del(dest);
	lvs_stats_block_put(dest->stats_block);
	lvs_service_put(dest->svc);
	kfree(dest);
	lvs_rcu_done();
}

void lvs_dest_put(struct lvs_dest *dest)
{
	if (refcount_dec_and_test(&dest->refcnt))
		lvs_call_rcu(&dest->rcu, dest_free_rcu);
}

/* An upper threshold of 0 means no limit, and then any lower one goes. */
static bool thresholds_valid(const struct lvs_dest_conf *conf,
			     struct netlink_ext_ack *extack)
{
	if (conf->u_threshold && conf->l_threshold > conf->u_threshold) {
		NL_SET_ERR_MSG(extack,
			       "Lower threshold must not exceed the upper threshold");
		return false;
	}
	return true;
}

static bool same_dest(const struct lvs_dest_conf *a,
		      const struct lvs_dest_conf *b)
{
	return a->af == b->af && a->port == b->port &&
	       lvs_addr_equal(a->af, &a->addr, &b->addr);
}

/* May destination @i of @confs join @svc, beside those before it? */
static int dest_check(struct lvs_service *svc,
		      const struct lvs_dest_conf *confs, unsigned int i,
		      struct netlink_ext_ack *extack)
{
	const struct lvs_dest_conf *conf = &confs[i];
	unsigned int j;

	/* DR and TUN leave the packet's destination as the client sent it. */
	if (conf->fwd != LVS_FWD_NAT && conf->port != svc->key.port) {
		NL_SET_ERR_MSG(extack,
			       "DR and TUN forward to the service's own port");
		return -EINVAL;
	}
	/* Only a tunnel carries a packet to another family (netlink.c). */
	if (WARN_ON_ONCE(conf->af != svc->key.af && conf->fwd != LVS_FWD_TUN))
		return -EINVAL;
	if (!thresholds_valid(conf, extack))
		return -EINVAL;
	if (lvs_dest_find(svc, conf->af, &conf->addr, conf->port)) {
		NL_SET_ERR_MSG(extack, "Destination already exists");
		return -EEXIST;
	}
	for (j = 0; j < i; j++) {
		if (same_dest(&confs[j], conf)) {
			NL_SET_ERR_MSG(extack, "Destination given twice");
			return -EEXIST;
		}
	}
	return 0;
}

/* A new destination, counting in slot @slot of @block. */
static struct lvs_dest *dest_new(struct lvs_service *svc,
				 const struct lvs_dest_conf *conf,
				 struct lvs_stats_block *block,
				 unsigned int slot)
{
	struct lvs_dest *dest;

	dest = kzalloc(sizeof(*dest), GFP_KERNEL_ACCOUNT);
	if (!dest)
		return NULL;
	dest->stats = lvs_stats_block_get(block, slot);
	dest->stats_block = block;
	dest->svc = svc;
	dest->addr = conf->addr;
	dest->port = conf->port;
	dest->af = conf->af;
	dest->fwd = conf->fwd;
	dest->weight = conf->weight;
	dest->u_threshold = conf->u_threshold;
	dest->l_threshold = conf->l_threshold;
	refcount_set(&dest->refcnt, 1);
	return dest;
}

/* A destination dest_new() made that never joined its service. */
static void dest_free_new(struct lvs_dest *dest)
{
	lvs_stats_block_put(dest->stats_block);
	kfree(dest);
}

static void dest_link(struct lvs_service *svc, struct lvs_dest *dest)
{
	refcount_inc(&svc->refcnt);
	lvs_dest_route_add(svc->ln, dest);
	list_add_tail_rcu(&dest->list, &svc->dests);
	svc->num_dests++;
	svc->ln->dest_count++;
	pr_debug("dest %p created\n", dest);
}

/*
 * The @n destinations @confs for @svc, checked and made but not linked,
 * as @n of @more new destinations (for the namespace's limit): an array
 * for lvs_dest_link_set() or lvs_dest_free_set(), or an ERR_PTR(). On
 * failure *@bad is the index of the destination at fault, or @n if none
 * is (memory).
 */
struct lvs_dest **lvs_dest_alloc_set(struct lvs_service *svc,
				     const struct lvs_dest_conf *confs,
				     unsigned int n, unsigned int more,
				     unsigned int *bad,
				     struct netlink_ext_ack *extack)
{
	struct lvs_stats_block *block = NULL;
	struct lvs_dest **set;
	unsigned int i;
	int err;

	lockdep_assert_held(&svc->ln->lock);

	*bad = n;
	for (i = 0; i < n; i++) {
		err = dest_check(svc, confs, i, extack);
		if (err) {
			*bad = i;
			return ERR_PTR(err);
		}
	}
	err = lvs_limit_dest(svc->ln, more, extack);
	if (err)
		return ERR_PTR(err);

	set = kvmalloc_array(n, sizeof(*set), GFP_KERNEL_ACCOUNT);
	if (!set)
		return ERR_PTR(-ENOMEM);
	for (i = 0; i < n; i++) {
		if (!(i % LVS_STATS_BLOCK)) {
			lvs_stats_block_put(block);
			block = lvs_stats_block_alloc(min_t(unsigned int, n - i,
							    LVS_STATS_BLOCK));
			if (!block)
				goto nomem;
		}
		set[i] = dest_new(svc, &confs[i], block, i % LVS_STATS_BLOCK);
		if (!set[i])
			goto nomem;
	}
	/* Only the destinations hold the blocks now. */
	lvs_stats_block_put(block);
	return set;

nomem:
	lvs_stats_block_put(block);
	lvs_dest_free_set(set, i);
	return ERR_PTR(-ENOMEM);
}

/* Destinations lvs_dest_alloc_set() made that will not be linked. */
void lvs_dest_free_set(struct lvs_dest **set, unsigned int n)
{
	while (n--)
		dest_free_new(set[n]);
	kvfree(set);
}

/*
 * Link the @n destinations @set made for @svc; the array is left to the
 * caller. The scheduler state that has them comes next.
 */
void lvs_dest_link_set(struct lvs_service *svc, struct lvs_dest **set,
		       unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		dest_link(svc, set[i]);
	svc->ln->gen++;
}

/*
 * Add the @n destinations @confs to @svc, all or none, with one scheduler
 * state built for the whole set, and with @announce announce them. On
 * failure *@bad is the index of the destination at fault, or @n if none
 * is (memory, the scheduler).
 */
static int add_set(struct lvs_service *svc, const struct lvs_dest_conf *confs,
		   unsigned int n, unsigned int *bad, bool announce,
		   struct netlink_ext_ack *extack)
{
	struct lvs_sched_state *st;
	struct lvs_dest **set;
	unsigned int i;

	set = lvs_dest_alloc_set(svc, confs, n, n, bad, extack);
	if (IS_ERR(set))
		return PTR_ERR(set);
	st = lvs_service_sched_prepare(svc, set, n, NULL);
	if (IS_ERR(st)) {
		NL_SET_ERR_MSG(extack, "Scheduler cannot take the destination");
		lvs_dest_free_set(set, n);
		return PTR_ERR(st);
	}
	lvs_dest_link_set(svc, set, n);
	lvs_service_sched_publish(svc, st);
	for (i = 0; announce && i < n; i++)
		lvs_notify_dest(set[i], LVS_CMD_DEST_NEW, false);
	kvfree(set);
	return 0;
}

/* Add destinations to @svc, as add_set() does, and announce them. */
int lvs_dest_add_set(struct lvs_service *svc,
		     const struct lvs_dest_conf *confs, unsigned int n,
		     unsigned int *bad, struct netlink_ext_ack *extack)
{
	return add_set(svc, confs, n, bad, true, extack);
}

/*
 * The destinations of a service not yet in the table, unannounced:
 * lvs_service_add() announces them with the service once it is there.
 */
int lvs_dest_add_first(struct lvs_service *svc,
		       const struct lvs_dest_conf *confs, unsigned int n,
		       unsigned int *bad, struct netlink_ext_ack *extack)
{
	return add_set(svc, confs, n, bad, false, extack);
}

/*
 * Set or clear @dest's overload mark from its connection count. Callers
 * race on the packet path: a destination may briefly go a connection or
 * two past its upper threshold, but every connection that ends looks
 * again, so the mark cannot stay set once the count is below the lower
 * threshold.
 */
void lvs_dest_update_overload(struct lvs_dest *dest)
{
	u32 upper = READ_ONCE(dest->u_threshold);
	u32 lower = READ_ONCE(dest->l_threshold);
	u32 conns = lvs_dest_conns(dest);
	bool over = READ_ONCE(dest->overloaded);

	if (!upper)
		over = false;
	else if (conns >= upper)
		over = true;
	else if (over)
		over = lower ? conns >= lower : (u64)conns * 4 >= (u64)upper * 3;
	if (over != READ_ONCE(dest->overloaded))
		WRITE_ONCE(dest->overloaded, over);
}
EXPORT_SYMBOL_GPL(lvs_dest_update_overload);

/* May @dest of @svc forward by @fwd from now on? */
static int fwd_check(struct lvs_service *svc, const struct lvs_dest *dest,
		     u8 fwd, struct netlink_ext_ack *extack)
{
	if (fwd != LVS_FWD_NAT && dest->port != svc->key.port) {
		NL_SET_ERR_MSG(extack,
			       "DR and TUN forward to the service's own port");
		return -EINVAL;
	}
	if (fwd != LVS_FWD_TUN && dest->af != svc->key.af) {
		NL_SET_ERR_MSG(extack,
			       "Only TUN forwards to a destination of another family than the service's");
		return -EINVAL;
	}
	return 0;
}

/* May @dest of @svc take the forwarding method and thresholds of @conf? */
int lvs_dest_edit_check(struct lvs_service *svc, const struct lvs_dest *dest,
			const struct lvs_dest_conf *conf,
			struct netlink_ext_ack *extack)
{
	if (!thresholds_valid(conf, extack))
		return -EINVAL;
	if (conf->fwd != dest->fwd)
		return fwd_check(svc, dest, conf->fwd, extack);
	return 0;
}

/*
 * Give @dest the method, weight and thresholds of @conf, once the state
 * of its service's scheduler has the weight; announce it.
 */
void lvs_dest_edit_publish(struct lvs_dest *dest,
			   const struct lvs_dest_conf *conf)
{
	WRITE_ONCE(dest->weight, conf->weight);
	WRITE_ONCE(dest->fwd, conf->fwd);
	WRITE_ONCE(dest->u_threshold, conf->u_threshold);
	WRITE_ONCE(dest->l_threshold, conf->l_threshold);
	lvs_dest_update_overload(dest);
	dest->svc->ln->gen++;
	lvs_notify_dest(dest, LVS_CMD_DEST_SET, false);
}

/*
 * Give @dest the forwarding method, weight and thresholds of @conf. A
 * weight change rebuilds the scheduler state; if that fails nothing
 * changes. Connections are never touched: a weight of 0 only stops new
 * ones, and a new method is for new connections, each of which keeps
 * the method it was made with.
 */
int lvs_dest_edit(struct lvs_service *svc, struct lvs_dest *dest,
		  const struct lvs_dest_conf *conf,
		  struct netlink_ext_ack *extack)
{
	u32 old_weight = dest->weight;
	struct lvs_sched_state *st = NULL;
	int err;

	lockdep_assert_held(&svc->ln->lock);

	err = lvs_dest_edit_check(svc, dest, conf, extack);
	if (err)
		return err;
	if (conf->weight != old_weight) {
		/*
		 * The packet path may see the new weight before the new
		 * state; every scheduler re-reads weights, so that is safe.
		 */
		WRITE_ONCE(dest->weight, conf->weight);
		st = lvs_service_sched_prepare(svc, NULL, 0, NULL);
		if (IS_ERR(st)) {
			WRITE_ONCE(dest->weight, old_weight);
			NL_SET_ERR_MSG(extack,
				       "Scheduler cannot take the new weight");
			return PTR_ERR(st);
		}
	}
	if (st)
		lvs_service_sched_publish(svc, st);
	lvs_dest_edit_publish(dest, conf);
	return 0;
}

/*
 * Take @dest out of its service; its connections keep it alive. Weight 0
 * tells a scheduler state still being read not to give it connections,
 * the flag tells whoever still holds it (a persistence template, which
 * may keep clients on a destination at weight 0) the same.
 */
static void dest_unlink(struct lvs_service *svc, struct lvs_dest *dest)
{
	WRITE_ONCE(dest->removed, true);
	WRITE_ONCE(dest->weight, 0);
	list_del_rcu(&dest->list);
	svc->num_dests--;
	svc->ln->dest_count--;
	svc->ln->gen++;
	lvs_dest_put(dest);
}

static bool conn_of_dest(const struct lvs_conn *c, const void *dest)
{
	return c->dest == dest;
}

/*
 * Unlink the connections and templates of @dest, which has left its
 * service. Packets that found it through the old scheduler state or a
 * template have inserted their connections after a grace period.
 */
static void dest_cut(struct lvs_dest *dest)
{
	synchronize_rcu();
	lvs_conn_flush(&dest->svc->ln->conns, conn_of_dest, dest);
}

/*
 * Take @dest out of @svc once a scheduler state without it is published,
 * and announce it; its connections keep flowing until they end
 * (draining) or, with @force, are unlinked at once.
 */
void lvs_dest_remove(struct lvs_service *svc, struct lvs_dest *dest,
		     bool force)
{
	/* Keep @dest while its connections go. */
	refcount_inc(&dest->refcnt);
	dest_unlink(svc, dest);
	if (force)
		dest_cut(dest);
	lvs_notify_dest(dest, LVS_CMD_DEST_DEL, force);
	lvs_dest_put(dest);
}

/* Remove @dest from @svc, as lvs_dest_remove() does. */
int lvs_dest_del(struct lvs_service *svc, u8 af,
		 const union nf_inet_addr *addr, __be16 port, bool force,
		 struct netlink_ext_ack *extack)
{
	struct lvs_sched_state *st;
	struct lvs_dest *dest;

	lockdep_assert_held(&svc->ln->lock);

	dest = lvs_dest_find(svc, af, addr, port);
	if (!dest) {
		NL_SET_ERR_MSG(extack, "No such destination");
		return -ENOENT;
	}
	st = lvs_service_sched_prepare(svc, NULL, 0, dest);
	if (IS_ERR(st)) {
		NL_SET_ERR_MSG(extack, "Scheduler cannot drop the destination");
		return PTR_ERR(st);
	}
	lvs_service_sched_publish(svc, st);
	lvs_dest_remove(svc, dest, force);
	return 0;
}

/* For service deletion: the caller has already unpublished the service. */
void lvs_dest_del_all(struct lvs_service *svc)
{
	struct lvs_dest *dest, *tmp;

	lockdep_assert_held(&svc->ln->lock);

	list_for_each_entry_safe(dest, tmp, &svc->dests, list)
		dest_unlink(svc, dest);
}
