// SPDX-License-Identifier: GPL-2.0
/*
 * Change events: every change to a namespace's configuration goes out as
 * a message to the listeners of the "LVS" family's "events" multicast
 * group in that namespace, whichever family's request made it ("LVS", or
 * the "IPVS" of compat_nl.c). The model (service.c, dest.c) and the
 * handlers of the settings call in here once a change is published and
 * before ln->lock is released, so events leave in the order the changes
 * were made. A message carries the command of the request that would make
 * the change and the object as the matching GET reports it, built by the
 * same functions; include/uapi/linux/lvs.h lists them.
 *
 * With nobody listening nothing is built: a look at one bit. A message
 * that cannot be built never fails or undoes the change; its listeners
 * get ENOBUFS on their next read instead, as when their receive buffer
 * overflows, and know they missed one.
 */

#include <net/genetlink.h>

#include <uapi/linux/lvs.h>

#include "dest.h"
#include "netlink.h"
#include "netlink_info.h"
#include "netlink_notify.h"
#include "netlink_timeout.h"
#include "netns.h"
#include "service.h"

static void event_lost(struct lvs_net *ln)
{
	genl_set_err(&lvs_genl_family, ln->net, 0, LVS_NL_MCGRP_EVENTS,
		     -ENOBUFS);
}

/*
 * An event of command @cmd, its header in *@hdr; NULL if nobody listens
 * in @ln, or if there is no memory (then the listeners are told).
 */
static struct sk_buff *event_new(struct lvs_net *ln, u8 cmd, void **hdr)
{
	struct sk_buff *skb;

	lockdep_assert_held(&ln->lock);

	if (!genl_has_listeners(&lvs_genl_family, ln->net,
				LVS_NL_MCGRP_EVENTS))
		return NULL;
	skb = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (skb) {
		*hdr = lvs_nl_put_hdr(skb, 0, 0, 0, cmd);
		if (*hdr)
			return skb;
		nlmsg_free(skb);
	}
	event_lost(ln);
	return NULL;
}

/* Send the event, or if filling it failed (@err), say one was lost. */
static void event_send(struct lvs_net *ln, struct sk_buff *skb, void *hdr,
		       int err)
{
	if (err) {
		nlmsg_free(skb);
		event_lost(ln);
		return;
	}
	genlmsg_end(skb, hdr);
	/* Fails only when nobody listens, or for the one who overflowed. */
	genlmsg_multicast_netns(&lvs_genl_family, ln->net, skb, 0,
				LVS_NL_MCGRP_EVENTS, GFP_KERNEL);
}

/* @svc as SERVICE_GET reports it; @force for SERVICE_DEL. */
void lvs_notify_svc(struct lvs_service *svc, u8 cmd, bool force)
{
	struct sk_buff *skb;
	void *hdr;

	skb = event_new(svc->ln, cmd, &hdr);
	if (skb)
		event_send(svc->ln, skb, hdr,
			   lvs_nl_put_svc(skb, svc, force ? LVS_PUT_FORCE : 0));
}

/* A new service, then each of the destinations it came with. */
void lvs_notify_svc_new(struct lvs_service *svc)
{
	struct lvs_dest *dest;

	lvs_notify_svc(svc, LVS_CMD_SERVICE_NEW, false);
	list_for_each_entry(dest, &svc->dests, list)
		lvs_notify_dest(dest, LVS_CMD_DEST_NEW, false);
}

/*
 * Its service's key, and @dest as DEST_GET reports it; @force for
 * DEST_DEL.
 */
void lvs_notify_dest(struct lvs_dest *dest, u8 cmd, bool force)
{
	struct lvs_net *ln = dest->svc->ln;
	struct sk_buff *skb;
	void *hdr;

	skb = event_new(ln, cmd, &hdr);
	if (skb)
		event_send(ln, skb, hdr,
			   lvs_nl_put_svc_key(skb, dest->svc) ?:
			   lvs_nl_put_dest(skb, dest,
					   force ? LVS_PUT_FORCE : 0));
}

/*
 * A change to every service: no attributes, or with @force (SERVICE_FLUSH)
 * LVS_ATTR_SERVICE holding LVS_SVC_ATTR_FORCE, as the request has them.
 */
void lvs_notify_all(struct lvs_net *ln, u8 cmd, bool force)
{
	struct nlattr *nest;
	struct sk_buff *skb;
	void *hdr;
	int err = 0;

	skb = event_new(ln, cmd, &hdr);
	if (!skb)
		return;
	if (force) {
		nest = nla_nest_start(skb, LVS_ATTR_SERVICE);
		if (!nest || nla_put_flag(skb, LVS_SVC_ATTR_FORCE))
			err = -EMSGSIZE;
		else
			nla_nest_end(skb, nest);
	}
	event_send(ln, skb, hdr, err);
}

/* The timeouts of the states @st names, as TIMEOUT_GET reports them. */
void lvs_notify_timeouts(struct lvs_net *ln,
			 const struct lvs_timeout_stage *st)
{
	struct sk_buff *skb;
	void *hdr;

	skb = event_new(ln, LVS_CMD_TIMEOUT_SET, &hdr);
	if (skb)
		event_send(ln, skb, hdr, lvs_nl_put_timeouts(skb, ln, st));
}

/* A transaction of @ops changes, each announced already: generation @gen. */
void lvs_notify_apply(struct lvs_net *ln, u32 gen, u32 ops)
{
	struct sk_buff *skb;
	void *hdr;

	skb = event_new(ln, LVS_CMD_APPLY, &hdr);
	if (skb)
		event_send(ln, skb, hdr,
			   nla_put_u32(skb, LVS_ATTR_GENERATION, gen) ?:
			   nla_put_u32(skb, LVS_ATTR_OP_COUNT, ops));
}

/* The settings, with the rest of what INFO_GET reports. */
void lvs_notify_info(struct lvs_net *ln)
{
	struct sk_buff *skb;
	void *hdr;

	skb = event_new(ln, LVS_CMD_INFO_SET, &hdr);
	if (skb)
		event_send(ln, skb, hdr, lvs_nl_put_info(skb, ln));
}
