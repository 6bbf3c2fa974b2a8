// SPDX-License-Identifier: GPL-2.0
/*
 * LVS_CMD_CONN_GET and _FLUSH: the connection table listed and emptied
 * from userspace.
 *
 * A dump walks the table's client side with an rhashtable iterator that
 * lives from .start to .done, so each part of the dump goes on where the
 * last one stopped: the entry that did not fit comes first
 * (rhashtable_walk_peek()). Packets are never held up. A resize makes the
 * walk start over on the new table; the messages from then on carry
 * NLM_F_DUMP_INTR, since entries already sent may come again.
 */

#include <linux/slab.h>
#include <net/genetlink.h>
#include <net/sock.h>

#include <uapi/linux/lvs.h>

#include "addr.h"
#include "conn.h"
#include "dest.h"
#include "kcompat.h"
#include "netlink.h"
#include "netlink_conn.h"
#include "netlink_notify.h"
#include "netns.h"
#include "proto.h"
#include "service.h"

/* A dump's state, in cb->ctx. */
struct conn_dump_ctx {
	struct rhashtable_iter *iter;
	struct lvs_svc_key key;		/* only this service's entries... */
	bool filter;			/* ...if set */
	bool checked;			/* the request was checked */
	bool restarted;			/* a resize restarted the walk */
};

static bool conn_of_key(const struct lvs_conn *c,
			const struct lvs_svc_key *key)
{
	return c->dest && !memcmp(&c->dest->svc->key, key, sizeof(*key));
}

static bool conn_of_svc(const struct lvs_conn *c, const void *svc)
{
	return c->dest && c->dest->svc == svc;
}

static int put_addr_port(struct sk_buff *skb, int addr_type, int port_type,
			 u8 af, const union nf_inet_addr *addr, __be16 port)
{
	if (nla_put(skb, addr_type, lvs_addr_len(af), addr) ||
	    nla_put_be16(skb, port_type, port))
		return -EMSGSIZE;
	return 0;
}

/* Whole seconds until @c expires, rounded up; 0 once it has. */
static u32 expires_in(const struct lvs_conn *c)
{
	long left = lvs_conn_left(c, jiffies);

	return left > 0 ? DIV_ROUND_UP(left, HZ) : 0;
}

/*
 * A connection: where the client sent it and where it goes, the latter in
 * the destination's family, which a tunnel may change.
 */
static int put_conn_tuple(struct sk_buff *skb, const struct lvs_conn *c)
{
	u8 dest_af = c->dest ? c->dest->af : c->in.af;
	u8 state = READ_ONCE(c->state);
	struct lvs_conn_key out;

	lvs_conn_out_key(c, &out);

	if (nla_put_u8(skb, LVS_CONN_ATTR_PROTOCOL, c->in.protocol) ||
	    put_addr_port(skb, LVS_CONN_ATTR_VIRT_ADDR,
			  LVS_CONN_ATTR_VIRT_PORT, c->in.af,
			  &c->in.daddr, c->in.dport) ||
	    put_addr_port(skb, LVS_CONN_ATTR_DEST_ADDR,
			  LVS_CONN_ATTR_DEST_PORT, dest_af,
			  &out.saddr, out.sport) ||
	    nla_put_string(skb, LVS_CONN_ATTR_STATE,
			   lvs_conn_proto(c)->state_names[state]))
		return -EMSGSIZE;
	return 0;
}

/*
 * A persistence template: its key holds no virtual address (persist.c),
 * its destination's service does.
 */
static int put_tpl(struct sk_buff *skb, const struct lvs_conn *c)
{
	const struct lvs_dest *dest = c->dest;
	const struct lvs_svc_key *key = &dest->svc->key;

	if (nla_put_flag(skb, LVS_CONN_ATTR_TEMPLATE) ||
	    nla_put_u8(skb, LVS_CONN_ATTR_PROTOCOL, key->protocol) ||
	    put_addr_port(skb, LVS_CONN_ATTR_DEST_ADDR,
			  LVS_CONN_ATTR_DEST_PORT, dest->af, &dest->addr,
			  dest->port))
		return -EMSGSIZE;
	if (key->fwmark)
		return nla_put_u32(skb, LVS_CONN_ATTR_FWMARK, key->fwmark);
	return put_addr_port(skb, LVS_CONN_ATTR_VIRT_ADDR,
			     LVS_CONN_ATTR_VIRT_PORT, key->af, &key->addr,
			     key->port);
}

static int fill_conn(struct sk_buff *skb, const struct lvs_conn *c,
		     struct netlink_callback *cb, bool intr)
{
	struct nlattr *nest;
	void *hdr;

	hdr = lvs_nl_put_hdr(skb, NETLINK_CB(cb->skb).portid,
			     cb->nlh->nlmsg_seq, NLM_F_MULTI,
			     LVS_CMD_CONN_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (intr)
		genlmsg_nlhdr(hdr)->nlmsg_flags |= NLM_F_DUMP_INTR;
	nest = nla_nest_start(skb, LVS_ATTR_CONN);
	if (!nest ||
	    nla_put_u16(skb, LVS_CONN_ATTR_FAMILY, c->in.af) ||
	    put_addr_port(skb, LVS_CONN_ATTR_CLIENT_ADDR,
			  LVS_CONN_ATTR_CLIENT_PORT, c->in.af,
			  &c->in.saddr, c->in.sport) ||
	    nla_put_u8(skb, LVS_CONN_ATTR_FWD_METHOD, c->fwd) ||
	    nla_put_u32(skb, LVS_CONN_ATTR_EXPIRES, expires_in(c)) ||
	    (lvs_conn_is_tpl(c) ? put_tpl(skb, c) : put_conn_tuple(skb, c)))
		goto cancel;
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	return 0;

cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

int lvs_nl_conn_dump_start(struct netlink_callback *cb)
{
	struct conn_dump_ctx *ctx = (struct conn_dump_ctx *)cb->ctx;
	struct lvs_net *ln = lvs_net(sock_net(cb->skb->sk));

	BUILD_BUG_ON(sizeof(*ctx) > sizeof(cb->ctx));
	ctx->iter = kmalloc(sizeof(*ctx->iter), GFP_KERNEL_ACCOUNT);
	if (!ctx->iter)
		return -ENOMEM;
	lvs_conn_walk_enter(&ln->conns, ctx->iter);
	return 0;
}

/*
 * The service a dump is about, if any, which must exist. Checked in the
 * first part of the dump rather than in .start: only there does 6.1 pass
 * an extack, for the reason to reach userspace.
 */
static int dump_check(struct netlink_callback *cb, struct conn_dump_ctx *ctx)
{
	struct lvs_net *ln = lvs_net(sock_net(cb->skb->sk));
	struct nlattr *svc = lvs_dump_attrs(cb)[LVS_ATTR_SERVICE];
	int err;

	if (!svc)
		return 0;
	err = lvs_nl_parse_svc_key(svc, &ctx->key, cb->extack);
	if (err)
		return err;
	if (!lvs_service_find(ln, &ctx->key)) {
		NL_SET_ERR_MSG_ATTR(cb->extack, svc, "No such service");
		return -ENOENT;
	}
	ctx->filter = true;
	return 0;
}

int lvs_nl_conn_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct conn_dump_ctx *ctx = (struct conn_dump_ctx *)cb->ctx;
	struct lvs_conn *c;
	int err;

	if (!ctx->checked) {
		err = dump_check(cb, ctx);
		if (err)
			return err;
		ctx->checked = true;
	}

	if (rhashtable_walk_start_check(ctx->iter) == -EAGAIN)
		ctx->restarted = true;
	for (c = rhashtable_walk_peek(ctx->iter); c;
	     c = rhashtable_walk_next(ctx->iter)) {
		if (IS_ERR(c)) {
			/* -EAGAIN: a resize, the walk goes on from the top. */
			ctx->restarted = true;
			continue;
		}
		if (ctx->filter && !conn_of_key(c, &ctx->key))
			continue;
		/* Full: this entry is the walk's current one, peeked next. */
		if (fill_conn(skb, c, cb, ctx->restarted))
			break;
	}
	rhashtable_walk_stop(ctx->iter);
	return skb->len;
}

int lvs_nl_conn_dump_done(struct netlink_callback *cb)
{
	struct conn_dump_ctx *ctx = (struct conn_dump_ctx *)cb->ctx;

	rhashtable_walk_exit(ctx->iter);
	kfree(ctx->iter);
	return 0;
}

int lvs_nl_conn_flush(struct sk_buff *skb, struct genl_info *info)
{
	struct lvs_net *ln = lvs_net(genl_info_net(info));
	struct nlattr *nest = info->attrs[LVS_ATTR_SERVICE];
	struct lvs_service *svc = NULL;
	struct lvs_svc_key key;
	int err;

	if (nest) {
		err = lvs_nl_parse_svc_key(nest, &key, info->extack);
		if (err)
			return err;
	}
	mutex_lock(&ln->lock);
	if (nest) {
		svc = lvs_service_find(ln, &key);
		if (!svc) {
			NL_SET_ERR_MSG_ATTR(info->extack, nest,
					    "No such service");
			mutex_unlock(&ln->lock);
			return -ENOENT;
		}
	}
	lvs_conn_flush(&ln->conns, svc ? conn_of_svc : NULL, svc);
	if (svc)
		lvs_notify_svc(svc, LVS_CMD_CONN_FLUSH, false);
	else
		lvs_notify_all(ln, LVS_CMD_CONN_FLUSH, false);
	mutex_unlock(&ln->lock);
	return 0;
}
