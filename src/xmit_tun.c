// SPDX-License-Identifier: GPL-2.0
/*
 * IP-in-IP tunnelling: the client's packet goes inside a new header from a
 * director address to the real server, which may be behind routers. An
 * IPv4 packet gets an IPv4 header (protocol 4, RFC 2003), an IPv6 one an
 * IPv6 header (next header 41, RFC 2473). The real server takes it off a
 * tunnel device holding the VIP (ipip's tunl0, ip6tnl's ip6tnl0) and
 * answers the client directly.
 *
 * The inner packet loses one TTL or hop, as in direct routing. The outer
 * header inherits the inner's TTL or hop limit and DSCP, its ECN field as
 * in RFC 6040's normal mode, and over IPv4 the DF bit. A packet that must
 * not be fragmented (IPv4 with DF, any IPv6 one) and does not fit the
 * route once the outer header is added earns the client an ICMP
 * fragmentation-needed or packet-too-big with the MTU that leaves room for
 * it; otherwise the stack fragments the outer packet.
 */

#include <linux/ip.h>
#include <linux/ipv6.h>
#include <net/dsfield.h>
#include <net/dst.h>
#include <net/inet_ecn.h>
#include <net/ip.h>
#include <net/ip6_route.h>
#include <net/ip_tunnels.h>
#include <net/ipv6.h>
#include <net/route.h>

#include "conn.h"
#include "dest.h"
#include "netns.h"
#include "xmit.h"

/* Put the outer header in front of the inner packet at skb->data. */
static void push_outer(struct net *net, struct sk_buff *skb,
		       const struct flowi4 *fl4)
{
	const struct iphdr *inner = ip_hdr(skb);
	__be16 df = inner->frag_off & htons(IP_DF);
	u8 tos = INET_ECN_encapsulate(inner->tos, inner->tos);
	u8 ttl = inner->ttl;
	struct iphdr *iph;

	/* The outer packet's payload is the inner IP packet, L2-less. */
	skb_reset_transport_header(skb);
	skb_reset_inner_mac_header(skb);
	skb_set_inner_ipproto(skb, IPPROTO_IPIP);

	skb_push(skb, sizeof(*iph));
	skb_reset_network_header(skb);
	memset(IPCB(skb), 0, sizeof(*IPCB(skb)));
	iph = ip_hdr(skb);
	iph->version = 4;
	iph->ihl = sizeof(*iph) >> 2;
	iph->tos = tos;
	iph->frag_off = df;
	iph->ttl = ttl;
	iph->protocol = IPPROTO_IPIP;
	iph->saddr = fl4->saddr;
	iph->daddr = fl4->daddr;
	/* ip_local_out() fills in the length and the checksum. */
	ip_select_ident_segs(net, skb, NULL, skb_shinfo(skb)->gso_segs ?: 1);
}

/* The IPv6 outer header, next header 41 (IPv6), before the inner one. */
static void push_outer6(struct net *net, struct sk_buff *skb,
			struct flowi6 *fl6)
{
	const struct ipv6hdr *inner = ipv6_hdr(skb);
	u8 dsfield = ipv6_get_dsfield(inner);
	u8 hop_limit = inner->hop_limit;
	struct ipv6hdr *ip6h;

	skb_reset_transport_header(skb);
	skb_reset_inner_mac_header(skb);
	skb_set_inner_ipproto(skb, IPPROTO_IPV6);

	skb_push(skb, sizeof(*ip6h));
	skb_reset_network_header(skb);
	memset(IP6CB(skb), 0, sizeof(*IP6CB(skb)));
	ip6h = ipv6_hdr(skb);
	ip6_flow_hdr(ip6h, INET_ECN_encapsulate(dsfield, dsfield),
		     ip6_make_flowlabel(net, skb, 0, true, fl6));
	ip6h->nexthdr = IPPROTO_IPV6;
	ip6h->hop_limit = hop_limit;
	ip6h->saddr = fl6->saddr;
	ip6h->daddr = fl6->daddr;
	/* ip6_local_out() fills in the payload length. */
}

/*
 * Make the client's packet, routed along @dst, ready to become the inner
 * packet: room for an outer header of @hdr_len bytes, GSO of @gso_type,
 * one hop less. From then on it is a new packet of the director's: no
 * input route, no conntrack entry, no socket early demux found for it.
 */
static int prepare(struct sk_buff *skb, struct dst_entry *dst,
		   unsigned int hdr_len, int gso_type)
{
	int err;

	/* Room for the outer header, and the inner one made writable. */
	err = skb_cow_head(skb, LL_RESERVED_SPACE(dst->dev) + dst->header_len +
				hdr_len);
	if (err)
		return err;
	err = iptunnel_handle_offloads(skb, gso_type);
	if (err)
		return err;
	if (skb->protocol == htons(ETH_P_IPV6))
		ipv6_hdr(skb)->hop_limit--;
	else
		ip_decrease_ttl(ip_hdr(skb));
	skb_orphan(skb);
	skb_scrub_packet(skb, false);
	skb_clear_tstamp(skb);
	skb_dst_set(skb, dst);
	return 0;
}

static int xmit_tun4(struct lvs_net *ln, struct sk_buff *skb,
		     const struct lvs_conn *c)
{
	struct flowi4 fl4 = {
		.daddr		= c->dest->addr.ip,
		.flowi4_proto	= IPPROTO_IPIP,
	};
	struct rtable *rt;
	int err;

	err = lvs_xmit_route4(ln, skb, &fl4, sizeof(struct iphdr), &rt);
	if (err)
		return err;
	err = prepare(skb, &rt->dst, sizeof(struct iphdr), SKB_GSO_IPXIP4);
	if (err) {
		ip_rt_put(rt);
		return err;
	}
	push_outer(ln->net, skb, &fl4);
	ip_local_out(ln->net, NULL, skb);
	return 0;
}

static int xmit_tun6(struct lvs_net *ln, struct sk_buff *skb,
		     const struct lvs_conn *c)
{
	struct flowi6 fl6 = {
		.daddr		= c->dest->addr.in6,
		.flowi6_proto	= IPPROTO_IPV6,
	};
	unsigned int hdr_len = sizeof(struct ipv6hdr);
	struct dst_entry *dst;
	int err;

	err = lvs_xmit_route6(ln, skb, &fl6, hdr_len, &dst);
	if (err)
		return err;
	err = prepare(skb, dst, hdr_len, SKB_GSO_IPXIP6);
	if (err) {
		dst_release(dst);
		return err;
	}
	/*
	 * The inner packet passed the MTU check; the outer one may still
	 * exceed the route's MTU (a reassembled packet, or the IPv6 minimum
	 * MTU told to the client): the director fragments it.
	 */
	if (!skb_is_gso(skb) && skb->len + hdr_len > dst_mtu(dst))
		skb->ignore_df = 1;
	push_outer6(ln->net, skb, &fl6);
	ip6_local_out(ln->net, NULL, skb);
	return 0;
}

int lvs_xmit_tun(struct lvs_net *ln, struct sk_buff *skb,
		 const struct lvs_conn *c)
{
	if (c->in.af == AF_INET6)
		return xmit_tun6(ln, skb, c);
	return xmit_tun4(ln, skb, c);
}
