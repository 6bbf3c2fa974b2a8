// SPDX-License-Identifier: GPL-2.0
/*
 * The IPv6 side of what the forwarding methods share: the route to a real
 * server over IPv6 with the hop limit and MTU checks of the client's
 * packet, which may itself be IPv4 when it is tunnelled, and sending an
 * IPv6 packet on as a router would.
 *
 * With FLOWI_FLAG_KNOWN_NH, for a directly connected destination the IPv6
 * route lookup returns a private RTF_CACHE copy of the route whose
 * destination is fl6->daddr, and rt6_nexthop() takes that as the next hop
 * whatever address the packet carries: direct routing sends a packet
 * addressed to the VIP to the real server that way.
 */

#include <linux/ipv6.h>
#include <net/dst.h>
#include <net/ip6_route.h>
#include <net/ipv6.h>

#include "netns.h"
#include "xmit.h"

int lvs_xmit_route6(struct lvs_net *ln, struct sk_buff *skb,
		    struct flowi6 *fl6, unsigned int hdr_len,
		    struct dst_entry **dstp)
{
	struct dst_entry *dst;
	struct rt6_info *rt;
	unsigned int mtu;
	int err;

	if (!lvs_xmit_hops_left(skb))
		return -ETIMEDOUT;

	fl6->flowi6_mark = skb->mark;
	/* Also picks fl6->saddr when it is unset, as for a local sender. */
	dst = ip6_dst_lookup_flow(ln->net, NULL, fl6, NULL);
	if (IS_ERR(dst))
		return PTR_ERR(dst);
	rt = dst_rt6_info(dst);
	/* Unicast, and with FLOWI_FLAG_KNOWN_NH straight to fl6->daddr. */
	if (ipv6_addr_is_multicast(&fl6->daddr) ||
	    (rt->rt6i_flags & (RTF_LOCAL | RTF_ANYCAST)) ||
	    ((fl6->flowi6_flags & FLOWI_FLAG_KNOWN_NH) &&
	     (rt->rt6i_flags & RTF_GATEWAY))) {
		err = -EHOSTUNREACH;
		goto err_put;
	}

	mtu = lvs_xmit_inner_mtu(skb, dst_mtu(dst), hdr_len);
	if (!mtu || !lvs_xmit_fits(skb, mtu)) {
		err = -EMSGSIZE;
		goto err_put;
	}
	*dstp = dst;
	return 0;

err_put:
	dst_release(dst);
	return err;
}

void lvs_xmit_forward6(struct lvs_net *ln, struct sk_buff *skb,
		       struct dst_entry *dst)
{
	ipv6_hdr(skb)->hop_limit--;
	skb_forward_csum(skb);
	/* Or the output path would treat the packet as that socket's. */
	skb_orphan(skb);
	/* Or fq would take the time it arrived for the time to send it. */
	skb_clear_tstamp(skb);
	skb_dst_drop(skb);
	skb_dst_set(skb, dst);
	ip6_local_out(ln->net, NULL, skb);
}
