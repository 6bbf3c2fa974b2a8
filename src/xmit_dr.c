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

#include <linux/icmp.h>
#include <linux/ip.h>
#include <net/dst.h>
#include <net/flow.h>
#include <net/icmp.h>
#include <net/ip.h>
#include <net/route.h>

#include "conn.h"
#include "dest.h"
#include "netns.h"
#include "xmit.h"

int lvs_xmit_dr(struct lvs_net *ln, struct sk_buff *skb,
		const struct lvs_conn *c)
{
	/*
	 * The real server is the next hop. Without the flag, a route to a
	 * directly connected network would resolve the packet's own
	 * destination, the VIP, which is ours.
	 */
	struct flowi4 fl4 = {
		.daddr		= c->dest->addr.ip,
		.flowi4_mark	= skb->mark,
		.flowi4_flags	= FLOWI_FLAG_KNOWN_NH,
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
	/* A gateway would route the VIP straight back to us. */
	if (rt->rt_type != RTN_UNICAST || rt->rt_uses_gateway) {
		err = -EHOSTUNREACH;
		goto err_put;
	}
	mtu = dst_mtu(&rt->dst);
	if (!lvs_xmit_fits_mtu(skb, mtu)) {
		icmp_send(skb, ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED, htonl(mtu));
		err = -EMSGSIZE;
		goto err_put;
	}
	if (skb_ensure_writable(skb, sizeof(struct iphdr))) {
		err = -ENOMEM;
		goto err_put;
	}

	ip_decrease_ttl(ip_hdr(skb));
	/* A socket early demux found on the way in is not the sender. */
	skb_orphan(skb);
	skb_forward_csum(skb);
	skb_clear_tstamp(skb);
	skb_dst_drop(skb);
	skb_dst_set(skb, &rt->dst);
	ip_local_out(ln->net, NULL, skb);
	return 0;

err_put:
	ip_rt_put(rt);
	return err;
}
