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

#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <net/dst.h>
#include <net/icmp.h>
#include <net/ip.h>
#include <net/ip6_route.h>
#include <net/ipv6.h>

#include "netns.h"
#include "xmit.h"

static bool is_ipv4(const struct sk_buff *skb)
{
	return skb->protocol == htons(ETH_P_IP);
}

/* Would the client's packet run out of hops here? Then tell the client. */
static bool hops_expired(struct sk_buff *skb)
{
	if (is_ipv4(skb)) {
		if (ip_hdr(skb)->ttl > 1)
			return false;
		icmp_send(skb, ICMP_TIME_EXCEEDED, ICMP_EXC_TTL, 0);
		return true;
	}
	if (ipv6_hdr(skb)->hop_limit > 1)
		return false;
	icmpv6_send(skb, ICMPV6_TIME_EXCEED, ICMPV6_EXC_HOPLIMIT, 0);
	return true;
}

/*
 * Does the client's packet fit through @mtu, as a router forwarding it
 * would judge? If not, tell the client the MTU.
 */
static bool fits_mtu(struct sk_buff *skb, unsigned int mtu)
{
	if (is_ipv4(skb)) {
		if (!(ip_hdr(skb)->frag_off & htons(IP_DF)) || skb->len <= mtu ||
		    (skb_is_gso(skb) && skb_gso_validate_network_len(skb, mtu)))
			return true;
		icmp_send(skb, ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED, htonl(mtu));
		return false;
	}
	/* Reassembled by nf_defrag_ipv6: it leaves in fragments this size. */
	if (IP6CB(skb)->frag_max_size) {
		if (IP6CB(skb)->frag_max_size <= mtu)
			return true;
	} else if (skb->len <= mtu ||
		   (skb_is_gso(skb) && skb_gso_validate_network_len(skb, mtu))) {
		return true;
	}
	icmpv6_send(skb, ICMPV6_PKT_TOOBIG, 0, mtu);
	return false;
}

int lvs_xmit_route6(struct lvs_net *ln, struct sk_buff *skb,
		    struct flowi6 *fl6, unsigned int hdr_len,
		    struct dst_entry **dstp)
{
	struct dst_entry *dst;
	struct rt6_info *rt;
	unsigned int mtu;
	int err;

	if (hops_expired(skb))
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

	mtu = dst_mtu(dst);
	if (hdr_len) {
		if (mtu < hdr_len + (is_ipv4(skb) ? IPV4_MIN_MTU : 0)) {
			err = -EMSGSIZE;
			goto err_put;
		}
		mtu -= hdr_len;
		/* Every IPv6 link takes this much; the outer packet is cut. */
		if (!is_ipv4(skb) && mtu < IPV6_MIN_MTU)
			mtu = IPV6_MIN_MTU;
	}
	if (!fits_mtu(skb, mtu)) {
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
	skb_dst_drop(skb);
	skb_dst_set(skb, dst);
	ip6_local_out(ln->net, NULL, skb);
}
