// SPDX-License-Identifier: GPL-2.0
/*
 * Direct routing. The real server shares a link with the director and
 * holds the VIP on a device that does not answer ARP for it. The director
 * sends the client's packet, still addressed to the VIP, to the real
 * server's MAC address; the real server answers the client directly.
 *
 * Only the TTL changes: the director is a hop like any router, and a real
 * server without the VIP would route the packet back to the director, a
 * loop that must end.
 */

#include <linux/ip.h>
#include <net/flow.h>
#include <net/route.h>

#include "conn.h"
#include "dest.h"
#include "xmit.h"

int lvs_xmit_dr(struct lvs_net *ln, struct sk_buff *skb,
		const struct lvs_conn *c)
{
	/*
	 * The real server is the next hop. Without the flag, a route to a
	 * directly connected network would resolve the packet's own
	 * destination, the VIP, which is ours. With it, a route through a
	 * gateway, which would send the VIP straight back to us, is refused.
	 */
	struct flowi4 fl4 = {
		.daddr		= c->dest->addr.ip,
		.flowi4_flags	= FLOWI_FLAG_KNOWN_NH,
	};
	struct rtable *rt;
	int err;

	err = lvs_xmit_route4(ln, skb, &fl4, 0, &rt);
	if (err)
		return err;
	if (skb_ensure_writable(skb, sizeof(struct iphdr))) {
		err = -ENOMEM;
		goto err_put;
	}

	/* A socket early demux found on the way in is not the sender. */
	skb_orphan(skb);
	skb_clear_tstamp(skb);
	lvs_xmit_forward(ln, skb, rt);
	return 0;

err_put:
	ip_rt_put(rt);
	return err;
}
