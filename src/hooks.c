// SPDX-License-Identifier: GPL-2.0
/*
 * The packet path: netfilter hooks of one namespace.
 *
 *   LOCAL_IN  a client's packet to a local address. If it belongs to a
 *             connection, or opens one to a virtual service, it is
 *             accounted and sent on to its real server by the
 *             connection's forwarding method (the stack never delivers it
 *             locally). A packet of no connection that cannot open one is
 *             dropped if its service is of one port; of every port or of
 *             a firewall mark, the service may share its address with
 *             the director's own connections, and it goes on. Anything
 *             else goes on untouched.
 *   FORWARD   a packet the director routes. If it is a real server's
 *             reply on a NAT connection, its source becomes the VIP. DR
 *             and TUN replies go to the client without the director.
 *             IPv4 fragments of TCP, UDP and SCTP are reassembled first
 *             (see defrag4()).
 *
 * With the fast path on (fastpath.c), a client's packets after the one
 * that opened its connection are forwarded before they reach LOCAL_IN,
 * with the helpers below that it shares: lvs_conn_fast_ok(),
 * lvs_conn_fast_update().
 *
 * Each is registered for IPv4 and for IPv6 with the same function: only
 * parsing (proto.c), ICMP errors and the forwarding methods' routing look at
 * the family. Both run under rcu_read_lock() with bottom halves off, and
 * touch only RCU-protected tables, the connection's own cache lines and
 * per-CPU counters.
 */

#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/ip.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <linux/slab.h>
#include <net/icmp.h>
#include <net/ip.h>

#include <uapi/linux/lvs.h>

#include "conn.h"
#include "conn_new.h"
#include "dest.h"
#include "ftp.h"
#include "hooks.h"
#include "icmp.h"
#include "netns.h"
#include "proto.h"
#include "service.h"
#include "xmit.h"

/*
 * For a protocol without an established state: is @c, which @pkt (the
 * first of @c if @fresh) goes through, a stream (LVS_CONN_STREAM)?
 */
static void conn_stream(struct lvs_conn *c, enum lvs_dir dir, bool fresh)
{
	if (lvs_conn_has(c, LVS_CONN_STREAM))
		return;
	if (dir == LVS_DIR_OUT) {
		if (!lvs_conn_has(c, LVS_CONN_ANSWERED)) {
			lvs_conn_set(c, LVS_CONN_ANSWERED);
			lvs_conn_assure_tpl(c);
		}
	} else if (!fresh && (c->fwd != LVS_FWD_NAT ||
			      lvs_conn_has(c, LVS_CONN_ANSWERED))) {
		lvs_conn_set(c, LVS_CONN_STREAM);
	}
}

/*
 * Advance the state machine of @c by @pkt and push its expiry forward.
 * @fresh: @pkt made @c.
 */
static void conn_update(struct lvs_net *ln, struct lvs_conn *c,
			const struct lvs_pkt *pkt, enum lvs_dir dir,
			bool fresh)
{
	const struct lvs_proto *pp = lvs_conn_proto(c);
	u8 state = READ_ONCE(c->state);
	u8 next = pp->next_state(state, pkt, dir);

	if (!pp->active_states)
		conn_stream(c, dir, fresh);

	if (next != state) {
		spin_lock(&c->lock);
		state = c->state;
		next = pp->next_state(state, pkt, dir);
		if (next != state) {
			bool active = lvs_proto_state_active(pp, next);

			WRITE_ONCE(c->state, next);
			if (c->dest &&
			    lvs_proto_state_active(pp, state) != active)
				lvs_dest_conn_active(c->dest, active);
			if (active)
				lvs_conn_assure_tpl(c);
		}
		spin_unlock(&c->lock);
	}
	lvs_conn_set_timeout(c, lvs_timeout(ln, pp, next));
}

/*
 * A packet that can open, move or end an entry in ways data cannot (TCP:
 * SYN, FIN or RST; SCTP: a chunk other than DATA, SACK, HEARTBEAT...)
 * counts only with a good checksum. The real server discards a corrupt or
 * forged one, so the entry must not move on it either: a RST or an ABORT
 * with a bad checksum would otherwise end the entry of a connection that
 * goes on. Data is left to its receiver, so this sums a few packets per
 * connection.
 */
static bool control_ok(struct sk_buff *skb, const struct lvs_proto *pp,
		       const struct lvs_pkt *pkt)
{
	if (!pp->control || !pp->control(pkt))
		return true;
	return lvs_l4_csum_ok(skb, pkt->af, pkt->protocol, pkt->l4off);
}

/*
 * Does @pkt start a new connection in @c's place: a new connection on a
 * closing entry's tuple, or the next datagram of a one-packet service?
 * The normal way replaces the entry then (lvs_hook_in()).
 */
static bool conn_starts_afresh(const struct lvs_conn *c,
			       const struct lvs_proto *pp,
			       const struct lvs_pkt *pkt)
{
	return lvs_conn_has(c, LVS_CONN_ONE_PACKET) ||
	       (lvs_proto_state_closed(pp, READ_ONCE(c->state)) &&
		pp->may_create(pkt));
}

bool lvs_conn_steady(const struct lvs_conn *c, const struct lvs_pkt *pkt,
		     enum lvs_dir dir)
{
	const struct lvs_proto *pp = lvs_conn_proto(c);
	u8 state = READ_ONCE(c->state);

	if (conn_starts_afresh(c, pp, pkt) ||
	    (pp->control && pp->control(pkt)) ||
	    pp->next_state(state, pkt, dir) != state)
		return false;
	if (pp->active_states || lvs_conn_has(c, LVS_CONN_STREAM))
		return true;
	/* What conn_stream() would leave as it is. */
	if (dir == LVS_DIR_OUT)
		return lvs_conn_has(c, LVS_CONN_ANSWERED);
	return c->fwd == LVS_FWD_NAT && !lvs_conn_has(c, LVS_CONN_ANSWERED);
}

void lvs_conn_count(struct lvs_conn *c, const struct lvs_pkt *pkt, bool in)
{
	lvs_stats_packet(c->dest->stats, in, pkt->len);
	lvs_stats_packet(c->dest->svc->stats, in, pkt->len);
}

bool lvs_conn_fast_ok(const struct lvs_conn *c, struct sk_buff *skb,
		      const struct lvs_pkt *pkt)
{
	const struct lvs_proto *pp = lvs_conn_proto(c);

	if (!c->dest || lvs_conn_ftp(c) || conn_starts_afresh(c, pp, pkt))
		return false;
	return control_ok(skb, pp, pkt);
}

/*
 * Push @c's expiry forward to its state's timeout, if that moves it by a
 * second or more: most packets then write nothing to the entry.
 */
static void refresh(struct lvs_net *ln, struct lvs_conn *c,
		    const struct lvs_proto *pp)
{
	long timeout = lvs_timeout(ln, pp, READ_ONCE(c->state));
	long moved = timeout - lvs_conn_left(c, jiffies);

	if (moved >= HZ || moved < 0)
		lvs_conn_set_timeout(c, timeout);
}

void lvs_conn_fast_update(struct lvs_net *ln, struct lvs_conn *c,
			  const struct lvs_pkt *pkt, enum lvs_dir dir)
{
	if (lvs_conn_steady(c, pkt, dir))
		refresh(ln, c, lvs_conn_proto(c));
	else
		conn_update(ln, c, pkt, dir, false);
	lvs_conn_count(c, pkt, dir == LVS_DIR_IN);
}

static unsigned int drop(struct lvs_net *ln, enum lvs_drop_reason why)
{
	lvs_drop_count(ln, why);
	return NF_DROP;
}

/*
 * A packet for service @svc that belongs to no connection and cannot
 * start one. A service of one port owns it: drop it. One of every port of
 * its address, or of a firewall mark, shares the address with the
 * director's own connections, whose packets go on to the local stack.
 */
static unsigned int no_conn(struct lvs_net *ln,
			    const struct lvs_service *svc)
{
	if (svc->key.fwmark || !svc->key.port)
		return NF_ACCEPT;
	return drop(ln, LVS_DROP_NO_CONN);
}

/* Tell the client no real server can take its connection. */
static void port_unreachable(struct sk_buff *skb, u8 af)
{
	if (af == AF_INET6)
		icmpv6_send(skb, ICMPV6_DEST_UNREACH, ICMPV6_PORT_UNREACH, 0);
	else
		icmp_send(skb, ICMP_DEST_UNREACH, ICMP_PORT_UNREACH, 0);
}

static unsigned int lvs_hook_in(void *priv, struct sk_buff *skb,
				const struct nf_hook_state *state)
{
	struct lvs_net *ln = lvs_net(state->net);
	const struct lvs_proto *pp;
	enum lvs_drop_reason why;
	struct lvs_service *svc;
	struct lvs_conn_key key;
	struct lvs_pkt pkt;
	struct lvs_conn *c;
	bool fresh = false;
	int err;

	if (!READ_ONCE(ln->svc_count) && !atomic_read(&ln->conns.count))
		return NF_ACCEPT;
	/* NFPROTO_IPV4 and NFPROTO_IPV6 are AF_INET and AF_INET6. */
	if (lvs_icmp_is(skb, state->pf))
		return lvs_icmp_in(ln, skb, state->pf);

	err = lvs_pkt_parse(skb, state->pf, &pkt);
	if (err)
		return err == -EINVAL ? drop(ln, LVS_DROP_MALFORMED) :
					NF_ACCEPT;

	lvs_conn_key_from_pkt(&key, &pkt);
	c = lvs_conn_lookup_in(&ln->conns, &key);
	pp = lvs_proto_find(pkt.protocol);
	if (c && !control_ok(skb, pp, &pkt))
		return drop(ln, LVS_DROP_MALFORMED);
	if (c && conn_starts_afresh(c, pp, &pkt)) {
		lvs_conn_unlink(&ln->conns, c);
		c = NULL;
	}
	if (!c) {
		c = lvs_ftp_expected(ln, &key, &pkt);
		fresh = true;
	}

	if (!c) {
		svc = lvs_service_lookup(ln, skb->mark, &pkt);
		if (!svc)
			return NF_ACCEPT;
		if (!pp->may_create(&pkt))
			return no_conn(ln, svc);
		if (!control_ok(skb, pp, &pkt))
			return drop(ln, LVS_DROP_MALFORMED);
		c = lvs_conn_new(ln, svc, pp, &pkt, &why);
		if (!c) {
			if (why == LVS_DROP_NO_DEST)
				port_unreachable(skb, pkt.af);
			return drop(ln, why);
		}
	}

	conn_update(ln, c, &pkt, LVS_DIR_IN, fresh);
	lvs_conn_count(c, &pkt, true);
	if (lvs_conn_ftp(c) && lvs_ftp_in(ln, skb, c, &pkt))
		return drop(ln, LVS_DROP_XMIT);

	if (lvs_xmit(ln, skb, c, &pkt, false))
		return drop(ln, LVS_DROP_XMIT);
	/* One packet: only a NAT entry has an answer to wait for. */
	if (lvs_conn_has(c, LVS_CONN_ONE_PACKET) && c->fwd != LVS_FWD_NAT)
		lvs_conn_unlink(&ln->conns, c);
	return NF_STOLEN;
}

/*
 * Put a forwarded IPv4 fragment's datagram together. Only the first
 * fragment of a real server's reply holds its ports, and every fragment
 * must get the VIP as its source, so a fragment cannot be judged alone;
 * and unlike IPv6 (nf_defrag_ipv6) nothing reassembles before FORWARD.
 * Returns true when @skb has become the whole datagram; false when it was
 * kept until the rest arrives, or dropped (counted). On the way out
 * ip_finish_output() cuts the datagram again, into fragments no larger
 * than the largest that came (frag_max_size). If that one had DF, so do
 * the new ones: ignore_df lets them through, as nf_defrag_ipv4 does, where
 * ip_fragment() would drop the datagram and tell its source, by then
 * perhaps the VIP.
 */
static bool defrag4(struct lvs_net *ln, struct sk_buff *skb)
{
	int err = ip_defrag(ln->net, skb, IP_DEFRAG_VS_FWD);

	if (err) {
		if (err != -EINPROGRESS)
			lvs_drop_count(ln, LVS_DROP_MALFORMED);
		return false;
	}
	skb->ignore_df = 1;
	return true;
}

static unsigned int lvs_hook_fwd(void *priv, struct sk_buff *skb,
				 const struct nf_hook_state *state)
{
	struct lvs_net *ln = lvs_net(state->net);
	struct lvs_conn_key key;
	struct lvs_pkt pkt;
	struct lvs_conn *c;

	/*
	 * Only NAT entries are on the "out" side: without them, nothing
	 * here is ours, DR and TUN replies and routed traffic alike.
	 */
	if (!lvs_conn_out_count(&ln->conns))
		return NF_ACCEPT;
	if (lvs_icmp_is(skb, state->pf))
		return lvs_icmp_out(ln, skb, state->pf);
	if (state->pf == NFPROTO_IPV4 && unlikely(ip_is_fragment(ip_hdr(skb))) &&
	    lvs_proto_find(ip_hdr(skb)->protocol) && !defrag4(ln, skb))
		return NF_STOLEN;
	/* Forwarded traffic that is not ours is not ours to judge. */
	if (lvs_pkt_parse(skb, state->pf, &pkt))
		return NF_ACCEPT;

	lvs_conn_key_from_pkt(&key, &pkt);
	c = lvs_conn_lookup_out(&ln->conns, &key);
	if (!c)
		return NF_ACCEPT;
	if (!control_ok(skb, lvs_conn_proto(c), &pkt))
		return drop(ln, LVS_DROP_MALFORMED);

	conn_update(ln, c, &pkt, LVS_DIR_OUT, false);
	lvs_conn_count(c, &pkt, false);
	if (lvs_conn_ftp(c) && lvs_ftp_out(ln, skb, c, &pkt))
		return drop(ln, LVS_DROP_XMIT);
	if (lvs_nat_reply(skb, c, &pkt))
		return drop(ln, LVS_DROP_XMIT);
	if (lvs_conn_has(c, LVS_CONN_ONE_PACKET))
		lvs_conn_unlink(&ln->conns, c);
	return NF_ACCEPT;
}

/*
 * Before the kernel's ip_vs at the same points (NF_IP_PRI_NAT_SRC - 2, and
 * the same for IPv6), though the two never claim the same packets unless
 * configured to. IPv4 fragments reach LOCAL_IN reassembled by the stack
 * (ip_local_deliver()), FORWARD as they came. IPv6 fragments reach both
 * reassembled: netns.c turns on nf_defrag_ipv6 for the namespace.
 */
#define LVS_HOOK(fn, family, point, prio)	\
	{					\
		.hook		= fn,		\
		.pf		= family,	\
		.hooknum	= point,	\
		.priority	= prio,		\
	}

static const struct nf_hook_ops lvs_hook_ops[] = {
	LVS_HOOK(lvs_hook_in, NFPROTO_IPV4, NF_INET_LOCAL_IN,
		 NF_IP_PRI_NAT_SRC - 3),
	LVS_HOOK(lvs_hook_fwd, NFPROTO_IPV4, NF_INET_FORWARD,
		 NF_IP_PRI_NAT_SRC - 3),
	LVS_HOOK(lvs_hook_in, NFPROTO_IPV6, NF_INET_LOCAL_IN,
		 NF_IP6_PRI_NAT_SRC - 3),
	LVS_HOOK(lvs_hook_fwd, NFPROTO_IPV6, NF_INET_FORWARD,
		 NF_IP6_PRI_NAT_SRC - 3),
};

int lvs_hooks_register(struct lvs_net *ln)
{
	return nf_register_net_hooks(ln->net, lvs_hook_ops,
				     ARRAY_SIZE(lvs_hook_ops));
}

void lvs_hooks_unregister(struct lvs_net *ln)
{
	nf_unregister_net_hooks(ln->net, lvs_hook_ops,
				ARRAY_SIZE(lvs_hook_ops));
}
