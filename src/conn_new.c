// SPDX-License-Identifier: GPL-2.0
/*
 * A new connection: a packet that opens one asks its service's scheduler
 * for a real server, and the connection enters the table with a
 * reference to it.
 *
 * The scheduler state is read under RCU, so it may be one that a
 * configuration change has just replaced, naming a destination whose
 * last reference has gone since (its memory stays until a grace period
 * ends). Taking a reference then fails; the state that replaced it was
 * published before the destination's last reference was dropped, so a
 * second pick, after a read barrier, reads it. A connection never goes
 * to a destination that has left its service, and no packet is dropped
 * for the race.
 */

#include <linux/slab.h>

#include "conn.h"
#include "conn_new.h"
#include "dest.h"
#include "ftp.h"
#include "netns.h"
#include "proto.h"
#include "service.h"
#include "stats.h"

/*
 * Schedule a new connection of @svc, protocol @pp, for @pkt and enter it
 * in the table.
 */
struct lvs_conn *lvs_conn_new(struct lvs_net *ln, struct lvs_service *svc,
			      const struct lvs_proto *pp,
			      const struct lvs_pkt *pkt,
			      enum lvs_drop_reason *why)
{
	struct lvs_conn_key in;
	struct lvs_conn *c, *old, *tpl;
	struct lvs_dest *dest;
	struct lvs_ftp *ftp;
	bool again = false;
	int err;

schedule:
	*why = LVS_DROP_CONN_FULL;
	dest = lvs_service_schedule(svc, pkt, &tpl);
	if (IS_ERR(dest))
		return NULL;
	if (!dest) {
		*why = LVS_DROP_NO_DEST;
		return NULL;
	}
	ftp = lvs_ftp_alloc(pp, dest, pkt, &err);
	if (err)
		goto err_tpl;

	lvs_conn_key_from_pkt(&in, pkt);
	/* Port 0: the service's, or for all ports or a mark, the client's. */
	c = lvs_conn_alloc(&in, dest->port ?: pkt->dport, READ_ONCE(dest->fwd),
			   dest);
	if (!c) {
		kfree(ftp);
		if (refcount_read(&dest->refcnt))
			goto err_tpl;
		/* @dest has left its service: pick again, once. */
		if (tpl)
			lvs_conn_tpl_put(tpl);
		*why = LVS_DROP_NO_DEST;
		if (again)
			return NULL;
		again = true;
		/*
		 * The scheduler state read above predates the removal of
		 * @dest; its successor was published before @dest's last
		 * reference went, which we saw: read it after that.
		 */
		smp_rmb();
		goto schedule;
	}
	if (ftp) {
		lvs_ftp_hold_tpl(ftp, tpl);
		c->ftp = ftp;
		lvs_conn_set(c, LVS_CONN_FTP);
	} else {
		c->tpl = tpl;
	}
	if (lvs_service_one_packet(svc, pkt))
		lvs_conn_set(c, LVS_CONN_ONE_PACKET);
	lvs_conn_set_timeout(c, lvs_timeout(ln, pp, 0));
	old = lvs_conn_insert(&ln->conns, c);
	if (IS_ERR(old))
		return NULL;
	if (old == c) {
		lvs_stats_conn(svc->stats);
		lvs_stats_conn(dest->stats);
	}
	return old;

err_tpl:
	if (tpl)
		lvs_conn_tpl_put(tpl);
	return NULL;
}
