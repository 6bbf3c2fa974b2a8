// SPDX-License-Identifier: GPL-2.0
/*
 * Direct routing. The real server shares a link with the director and
 * holds the VIP on a device that does not answer ARP for it. The director
 * sends the client's packet, still addressed to the VIP, to the real
 * server's MAC address; the real server answers the client directly.
 *
 * Only the TTL (IPv6: hop limit) changes: the director is a hop like any
 * router, and a real server without the VIP would route the packet back to
 * the director, a loop that must end. Over IPv6 the real server does not
 * answer neighbour solicitations for a VIP on lo or a dummy device, so
 * nothing more is needed there.
 */

#include <linux/ip.h>
#include <linux/ipv6.h>
#include <net/dst.h>
#include <net/flow.h>
#include <net/route.h>

#include "conn.h"
#include "dest.h"
#include "nfct.h"
#include "xmit.h"

/*
 * The real server is the next hop. Without FLOWI_FLAG_KNOWN_NH, a route to
 * a directly connected network would resolve the packet's own destination,
 * the VIP, which is ours. With it, a route through a gateway, which would
 * send the VIP straight back to us, is refused.
 */
static int xmit_dr4(struct lvs_net *ln, struct sk_buff *skb,
		    const struct lvs_conn *c, bool fast)
{
	struct flowi4 fl4 = {
		.daddr		= c->dest->addr.ip,
		.flowi4_flags	= FLOWI_FLAG_KNOWN_NH,
	};
	struct rtable *rt;
	int err;

	err = lvs_xmit_route4(ln, skb, c->dest, &fl4, 0, fast, &rt);
	if (err)
		return err;
	if (skb_ensure_writable(skb, sizeof(struct iphdr)))
		return -ENOMEM;
	lvs_nfct_untrack(skb);
	lvs_xmit_forward(ln, skb, rt);
	return 0;
}

static int xmit_dr6(struct lvs_net *ln, struct sk_buff *skb,
		    const struct lvs_conn *c, bool fast)
{
	struct flowi6 fl6 = {
		.daddr		= c->dest->addr.in6,
		.flowi6_flags	= FLOWI_FLAG_KNOWN_NH,
	};
	struct dst_entry *dst;
	int err;

	err = lvs_xmit_route6(ln, skb, c->dest, &fl6, 0, fast, &dst);
	if (err)
		return err;
	if (skb_ensure_writable(skb, sizeof(struct ipv6hdr)))
		return -ENOMEM;
	lvs_nfct_untrack(skb);
	lvs_xmit_forward6(ln, skb, dst);
	return 0;
}

int lvs_xmit_dr(struct lvs_net *ln, struct sk_buff *skb,
		const struct lvs_conn *c, bool fast)
{
	if (c->in.af == AF_INET6)
		return xmit_dr6(ln, skb, c, fast);
	return xmit_dr4(ln, skb, c, fast);
}
