// SPDX-License-Identifier: GPL-2.0
/*
 * NAT forwarding. Towards the real server the director routes the
 * client's packet itself: it arrived for a local address (the VIP), so the
 * stack would otherwise deliver it to a local socket. Replies are already
 * being forwarded by the stack (the director is the real servers' gateway);
 * they only get their source turned back into the VIP.
 */

#include <net/dst.h>
#include <net/ip6_route.h>
#include <net/route.h>

#include "conn.h"
#include "dest.h"
#include "nat.h"
#include "nfct.h"
#include "proto.h"
#include "xmit.h"

static int xmit_nat4(struct lvs_net *ln, struct sk_buff *skb,
		     struct lvs_conn *c, const struct lvs_pkt *pkt, bool fast)
{
	struct lvs_dest *dest = c->dest;
	struct flowi4 fl4 = { .daddr = dest->addr.ip };
	struct rtable *rt;
	int err;

	err = lvs_xmit_route4(ln, skb, dest, &fl4, 0, fast, &rt);
	if (err)
		return err;
	err = lvs_nat_rewrite(skb, AF_INET, pkt->l4off, pkt->protocol, true,
			      &dest->addr, lvs_conn_rport(c));
	if (err)
		return err;
	lvs_nfct_nat(skb, c, true);
	lvs_xmit_forward(ln, skb, rt);
	return 0;
}

static int xmit_nat6(struct lvs_net *ln, struct sk_buff *skb,
		     struct lvs_conn *c, const struct lvs_pkt *pkt, bool fast)
{
	struct lvs_dest *dest = c->dest;
	struct flowi6 fl6 = { .daddr = dest->addr.in6 };
	struct dst_entry *dst;
	int err;

	err = lvs_xmit_route6(ln, skb, dest, &fl6, 0, fast, &dst);
	if (err)
		return err;
	/* Also makes the IPv6 header writable for the hop limit. */
	err = lvs_nat_rewrite(skb, AF_INET6, pkt->l4off, pkt->protocol, true,
			      &dest->addr, lvs_conn_rport(c));
	if (err)
		return err;
	lvs_nfct_nat(skb, c, true);
	lvs_xmit_forward6(ln, skb, dst);
	return 0;
}

int lvs_xmit_nat(struct lvs_net *ln, struct sk_buff *skb,
		 struct lvs_conn *c, const struct lvs_pkt *pkt, bool fast)
{
	if (pkt->af == AF_INET6)
		return xmit_nat6(ln, skb, c, pkt, fast);
	return xmit_nat4(ln, skb, c, pkt, fast);
}

/* Make a real server's reply come from the virtual service. */
int lvs_nat_reply(struct sk_buff *skb, struct lvs_conn *c,
		  const struct lvs_pkt *pkt)
{
	int err = lvs_nat_rewrite(skb, pkt->af, pkt->l4off, pkt->protocol,
				  false, &c->in.daddr, c->in.dport);

	if (!err)
		lvs_nfct_nat(skb, c, false);
	return err;
}
