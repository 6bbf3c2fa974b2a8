// SPDX-License-Identifier: GPL-2.0
/*
 * NAT forwarding. Towards the real server the director routes the
 * client's packet itself: it arrived for a local address (the VIP), so the
 * stack would otherwise deliver it to a local socket. Replies are already
 * being forwarded by the stack (the director is the real servers' gateway);
 * they only get their source turned back into the VIP.
 */

#include <net/route.h>

#include "conn.h"
#include "dest.h"
#include "nat.h"
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
	struct flowi4 fl4 = { .daddr = dest->addr.ip };
	struct rtable *rt;
	int err;

	err = lvs_xmit_route4(ln, skb, &fl4, 0, &rt);
	if (err)
		return err;
	err = lvs_nat4_rewrite(skb, pkt->l4off, pkt->protocol, true,
			       dest->addr.ip, c->out.sport);
	if (err)
		goto err_put;
	lvs_xmit_forward(ln, skb, rt);
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
