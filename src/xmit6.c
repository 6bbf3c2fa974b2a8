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

#include "dest_route.h"
#include "netns.h"
#include "xmit.h"

/* A miss: look the route up, check it and keep it for @dest. */
static const struct lvs_dest_route *route6(struct lvs_net *ln,
					   struct lvs_dest *dest, u32 mark,
					   void *fl)
{
	union nf_inet_addr saddr = {};
	struct flowi6 *fl6 = fl;
	struct dst_entry *dst;
	struct rt6_info *rt;
	u32 cookie = 0;

	fl6->flowi6_mark = mark;
	/* Also picks fl6->saddr when it is unset, as for a local sender. */
	dst = ip6_dst_lookup_flow(ln->net, NULL, fl6, NULL);
	if (IS_ERR(dst))
		return ERR_CAST(dst);
	rt = dst_rt6_info(dst);
	/* Unicast, and with FLOWI_FLAG_KNOWN_NH straight to fl6->daddr. */
	if (ipv6_addr_is_multicast(&fl6->daddr) ||
	    (rt->rt6i_flags & (RTF_LOCAL | RTF_ANYCAST)) ||
	    ((fl6->flowi6_flags & FLOWI_FLAG_KNOWN_NH) &&
	     (rt->rt6i_flags & RTF_GATEWAY))) {
		dst_release(dst);
		return ERR_PTR(-EHOSTUNREACH);
	}
	/* An IPsec bundle is no rt6_info, and checks itself. */
	if (!dst_xfrm(dst))
		cookie = rt6_get_cookie(rt);
	saddr.in6 = fl6->saddr;
	return lvs_dest_route_set(dest, dst, cookie, &saddr, mark);
}

int lvs_xmit_route6(struct lvs_net *ln, struct sk_buff *skb,
		    struct lvs_dest *dest, struct flowi6 *fl6,
		    unsigned int hdr_len, bool fast, struct dst_entry **dstp)
{
	const struct lvs_dest_route *r;

	r = lvs_xmit_route(ln, skb, dest, hdr_len, fast, route6, fl6);
	if (IS_ERR(r))
		return PTR_ERR(r);
	fl6->saddr = r->saddr.in6;
	*dstp = r->dst;
	return 0;
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
	skb_dst_set_noref(skb, dst);
	ip6_local_out(ln->net, NULL, skb);
}
