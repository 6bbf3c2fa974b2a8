// SPDX-License-Identifier: GPL-2.0
/*
 * What the ways of forwarding a client's packet to a real server share:
 * the hop's TTL check, the route to the real server and the MTU check,
 * each answering the client with the ICMP error it earns; and, for those
 * that do not wrap the packet, sending it on as a router would. The checks
 * judge the client's packet by its own family, which a tunnel to a real
 * server of the other family does not share with the route.
 */

#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <net/dst.h>
#include <net/flow.h>
#include <net/icmp.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/route.h>

#include <uapi/linux/lvs.h>

#include "conn.h"
#include "dest_route.h"
#include "kcompat.h"
#include "netns.h"
#include "xmit.h"

int lvs_xmit(struct lvs_net *ln, struct sk_buff *skb, struct lvs_conn *c,
	     const struct lvs_pkt *pkt, bool fast)
{
	switch (c->fwd) {
	case LVS_FWD_DR:
		return lvs_xmit_dr(ln, skb, c, fast);
	case LVS_FWD_TUN:
		return lvs_xmit_tun(ln, skb, c, fast);
	default:
		return lvs_xmit_nat(ln, skb, c, pkt, fast);
	}
}

static bool is_ipv4(const struct sk_buff *skb)
{
	return skb->protocol == htons(ETH_P_IP);
}

bool lvs_xmit_hops_left(struct sk_buff *skb)
{
	if (is_ipv4(skb)) {
		if (ip_hdr(skb)->ttl > 1)
			return true;
		icmp_send(skb, ICMP_TIME_EXCEEDED, ICMP_EXC_TTL, 0);
		return false;
	}
	if (ipv6_hdr(skb)->hop_limit > 1)
		return true;
	icmpv6_send(skb, ICMPV6_TIME_EXCEED, ICMPV6_EXC_HOPLIMIT, 0);
	return false;
}

/* Without fragmenting it (the fast path takes only that). */
static bool fits_whole(const struct sk_buff *skb, unsigned int mtu)
{
	return skb->len <= mtu ||
	       (skb_is_gso(skb) && skb_gso_validate_network_len(skb, mtu));
}

bool lvs_xmit_fits(struct sk_buff *skb, unsigned int mtu)
{
	if (is_ipv4(skb)) {
		if (!(ip_hdr(skb)->frag_off & htons(IP_DF)) ||
		    fits_whole(skb, mtu))
			return true;
		icmp_send(skb, ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED, htonl(mtu));
		return false;
	}
	/* Reassembled by nf_defrag_ipv6: it leaves in fragments this size. */
	if (IP6CB(skb)->frag_max_size) {
		if (IP6CB(skb)->frag_max_size <= mtu)
			return true;
	} else if (fits_whole(skb, mtu)) {
		return true;
	}
	icmpv6_send(skb, ICMPV6_PKT_TOOBIG, 0, mtu);
	return false;
}

unsigned int lvs_xmit_inner_mtu(const struct sk_buff *skb, unsigned int mtu,
				unsigned int hdr_len)
{
	if (!hdr_len)
		return mtu;
	if (is_ipv4(skb)) {
		/* No room for the outer header and a minimal IPv4 packet. */
		return mtu < IPV4_MIN_MTU + hdr_len ? 0 : mtu - hdr_len;
	}
	/* Every IPv6 link takes this much; the outer packet is cut. */
	return mtu < IPV6_MIN_MTU + hdr_len ? IPV6_MIN_MTU : mtu - hdr_len;
}

/* A miss: look the route up, check it and keep it for @dest. */
static const struct lvs_dest_route *route4(struct lvs_net *ln,
					   struct lvs_dest *dest, u32 mark,
					   void *fl)
{
	union nf_inet_addr saddr = {};
	struct flowi4 *fl4 = fl;
	struct rtable *rt;

	fl4->flowi4_mark = mark;
	rt = ip_route_output_key(ln->net, fl4);
	if (IS_ERR(rt))
		return ERR_CAST(rt);
	/* Unicast, and with FLOWI_FLAG_KNOWN_NH straight to fl4->daddr. */
	if (rt->rt_type != RTN_UNICAST ||
	    ((fl4->flowi4_flags & FLOWI_FLAG_KNOWN_NH) &&
	     rt->rt_uses_gateway)) {
		ip_rt_put(rt);
		return ERR_PTR(-EHOSTUNREACH);
	}
	saddr.ip = fl4->saddr;
	return lvs_dest_route_set(dest, &rt->dst, 0, &saddr, mark);
}

bool lvs_xmit_fast_fits(const struct sk_buff *skb, unsigned int mtu,
			unsigned int hdr_len)
{
	mtu = lvs_xmit_inner_mtu(skb, mtu, hdr_len);
	return mtu && fits_whole(skb, mtu);
}

const struct lvs_dest_route *
lvs_xmit_route(struct lvs_net *ln, struct sk_buff *skb, struct lvs_dest *dest,
	       unsigned int hdr_len, bool fast, lvs_route_miss_t miss,
	       void *fl)
{
	const struct lvs_dest_route *r = lvs_dest_route_get(dest, skb->mark);
	unsigned int mtu;

	if (fast) {
		if (!r || !lvs_xmit_fast_fits(skb, dst_mtu(r->dst), hdr_len))
			return ERR_PTR(-EAGAIN);
		return r;
	}
	if (!lvs_xmit_hops_left(skb))
		return ERR_PTR(-ETIMEDOUT);
	if (!r) {
		r = miss(ln, dest, skb->mark, fl);
		if (IS_ERR(r))
			return r;
	}
	mtu = lvs_xmit_inner_mtu(skb, dst_mtu(r->dst), hdr_len);
	if (!mtu || !lvs_xmit_fits(skb, mtu))
		return ERR_PTR(-EMSGSIZE);
	return r;
}

int lvs_xmit_route4(struct lvs_net *ln, struct sk_buff *skb,
		    struct lvs_dest *dest, struct flowi4 *fl4,
		    unsigned int hdr_len, bool fast, struct rtable **rtp)
{
	const struct lvs_dest_route *r;

	r = lvs_xmit_route(ln, skb, dest, hdr_len, fast, route4, fl4);
	if (IS_ERR(r))
		return PTR_ERR(r);
	fl4->saddr = r->saddr.ip;
	*rtp = container_of(r->dst, struct rtable, dst);
	return 0;
}

void lvs_xmit_forward(struct lvs_net *ln, struct sk_buff *skb,
		      struct rtable *rt)
{
	ip_decrease_ttl(ip_hdr(skb));
	skb_forward_csum(skb);
	/* Or the output path would treat the packet as that socket's. */
	skb_orphan(skb);
	/* Or fq would take the time it arrived for the time to send it. */
	skb_clear_tstamp(skb);
	skb_dst_drop(skb);
	skb_dst_set_noref(skb, &rt->dst);
	ip_local_out(ln->net, NULL, skb);
}
