// SPDX-License-Identifier: GPL-2.0
/*
 * NAT forwarding. Towards the real server the director routes the
 * client's packet itself: it arrived for a local address (the VIP), so the
 * stack would otherwise deliver it to a local socket. Replies are already
 * being forwarded by the stack (the director is the real servers' gateway);
 * they only get their source turned back into the VIP.
 */

#include <linux/icmp.h>
#include <linux/ip.h>
#include <net/dst.h>
#include <net/icmp.h>
#include <net/ip.h>
#include <net/route.h>

#include "conn.h"
#include "dest.h"
#include "nat.h"
#include "netns.h"
#include "proto.h"
#include "xmit.h"

/*
 * Send @skb, a client's packet of connection @c, to the real server.
 * Returns 0 when the packet was sent (consumed), or a negative errno and
 * leaves @skb to the caller to drop.
 */
int lvs_xmit_nat(struct lvs_net *ln, struct sk_buff *skb,
		 const struct lvs_conn *c, const struct lvs_pkt *pkt)
{
	const struct lvs_dest *dest = c->dest;
	struct flowi4 fl4 = {
		.daddr		= dest->addr.ip,
		.flowi4_mark	= skb->mark,
	};
	struct rtable *rt;
	unsigned int mtu;
	int err;

	if (ip_hdr(skb)->ttl <= 1) {
		icmp_send(skb, ICMP_TIME_EXCEEDED, ICMP_EXC_TTL, 0);
		return -ETIMEDOUT;
	}

	rt = ip_route_output_key(ln->net, &fl4);
	if (IS_ERR(rt))
		return PTR_ERR(rt);
	if (rt->rt_type != RTN_UNICAST) {
		err = -EHOSTUNREACH;
		goto err_put;
	}
	mtu = dst_mtu(&rt->dst);
	if (!lvs_xmit_fits_mtu(skb, mtu)) {
		icmp_send(skb, ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED, htonl(mtu));
		err = -EMSGSIZE;
		goto err_put;
	}

	err = lvs_nat4_rewrite(skb, pkt->l4off, pkt->protocol, true,
			       dest->addr.ip, dest->port);
	if (err)
		goto err_put;
	ip_decrease_ttl(ip_hdr(skb));
	skb_forward_csum(skb);
	skb_dst_drop(skb);
	skb_dst_set(skb, &rt->dst);
	ip_local_out(ln->net, NULL, skb);
	return 0;

err_put:
	ip_rt_put(rt);
	return err;
}

/* Make a real server's reply come from the virtual service. */
int lvs_nat_reply(struct sk_buff *skb, const struct lvs_conn *c,
		  const struct lvs_pkt *pkt)
{
	return lvs_nat4_rewrite(skb, pkt->l4off, pkt->protocol, false,
				c->in.daddr.ip, c->in.dport);
}
