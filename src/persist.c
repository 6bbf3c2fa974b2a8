// SPDX-License-Identifier: GPL-2.0
/*
 * Persistence: a client of a persistent service goes to the destination
 * its earlier connections went to, on whatever port of the service, for as
 * long as it has a connection there or had one less than the service's
 * timeout ago. Clients whose addresses share the service's prefix count
 * as one.
 *
 * What a client is bound to is a template: an entry of the connection
 * table (so expiry, flushing and teardown treat it like any other) keyed
 * by the masked client address and the service, with protocol 0, which no
 * packet's key has. Lookups take no lock; a new client costs one insert.
 *
 * A template whose destination was removed is replaced by a fresh
 * scheduling decision. So is one whose destination was set to weight 0:
 * draining means no new connections, for persistent clients too, unless
 * the service keeps them there (persist_drained, ip_vs's default) until
 * the template expires. An overloaded destination keeps its clients.
 */

#include <net/ipv6.h>
#include <linux/inetdevice.h>

#include "conn.h"
#include "dest.h"
#include "netns.h"
#include "persist.h"
#include "proto.h"
#include "service.h"

static void tpl_key(struct lvs_conn_key *key, const struct lvs_service *svc,
		    u8 prefix, const union nf_inet_addr *caddr)
{
	memset(key, 0, sizeof(*key));
	key->af = svc->key.af;
	/*
	 * The service is named by its address in memory: its templates hold
	 * it (through their destination), so no other service gets it while
	 * they exist.
	 */
	memcpy(&key->daddr, &svc, sizeof(svc));
	if (key->af == AF_INET6)
		ipv6_addr_prefix(&key->saddr.in6, &caddr->in6, prefix);
	else
		key->saddr.ip = caddr->ip & inet_make_mask(prefix);
}

/* The template's timeout restarts now. Under RCU or in its callback. */
void lvs_persist_touch(struct lvs_conn *tpl)
{
	const struct lvs_sched_state *st;
	unsigned long timeout = 0;

	rcu_read_lock();
	st = rcu_dereference(tpl->dest->svc->sched_state);
	if (st)
		timeout = (unsigned long)st->conf.persist_timeout * HZ;
	rcu_read_unlock();
	lvs_conn_set_timeout(tpl, timeout);
}

/* May @tpl place one more connection of its client? */
static bool tpl_usable(const struct lvs_conn *tpl,
		       const struct lvs_sched_state *st)
{
	const struct lvs_dest *dest = tpl->dest;

	if (READ_ONCE(dest->removed))
		return false;
	return st->conf.persist_drained || READ_ONCE(dest->weight);
}

/*
 * Packet path: the destination of the client of @pkt under @svc's
 * persistence (@st has it on), and in *@tplp a reference to the template
 * that binds it, or NULL if no template could be made. Returns NULL if
 * nothing can take the client, ERR_PTR(-ENOSPC) if the table is full.
 */
struct lvs_dest *lvs_persist_schedule(struct lvs_service *svc,
				      const struct lvs_sched_state *st,
				      const struct lvs_pkt *pkt,
				      struct lvs_conn **tplp)
{
	struct lvs_conn_table *t = &svc->ln->conns;
	unsigned long timeout;
	struct lvs_conn_key key;
	struct lvs_conn *tpl, *old;
	struct lvs_dest *dest;

	timeout = (unsigned long)st->conf.persist_timeout * HZ;
	tpl_key(&key, svc, st->conf.persist_prefix, &pkt->saddr);
	tpl = lvs_conn_lookup_in(t, &key);
	if (tpl) {
		if (tpl_usable(tpl, st) && refcount_inc_not_zero(&tpl->ctl)) {
			lvs_conn_set_timeout(tpl, timeout);
			*tplp = tpl;
			return tpl->dest;
		}
		/* Removed or drained (or going): choose again. */
		lvs_conn_unlink(t, tpl);
	}

	dest = st->sched->schedule(st->priv, pkt);
	if (!dest)
		return NULL;
	tpl = lvs_conn_alloc(&key, dest->port, READ_ONCE(dest->fwd), dest);
	if (!tpl)
		return dest;
	/* The table's reference and the new connection's. */
	refcount_set(&tpl->ctl, 2);
	lvs_conn_set_timeout(tpl, timeout);
	old = lvs_conn_insert(t, tpl);
	if (IS_ERR(old))
		return ERR_CAST(old);
	if (old != tpl) {
		/* Another CPU bound this client first: follow it. */
		if (!refcount_inc_not_zero(&old->ctl))
			return dest;
		tpl = old;
	}
	*tplp = tpl;
	return tpl->dest;
}
