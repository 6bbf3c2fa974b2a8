// SPDX-License-Identifier: GPL-2.0
/*
 * IP-in-IP tunnelling: the client's packet goes inside a new header from a
 * director address to the real server, which may be behind routers. The
 * outer header is of the real server's family, which may differ from the
 * client's packet's:
 *
 *   inner  outer  protocol / next header      real server's device
 *   IPv4   IPv4   4 (IPIP, RFC 2003)          ipip (tunl0)
 *   IPv6   IPv6   41 (IPv6, RFC 2473)         ip6tnl (ip6tnl0)
 *   IPv4   IPv6   4 (IPIP, RFC 2473)          ip6tnl, mode ipip6 or any
 *   IPv6   IPv4   41 (IPv6, RFC 4213)         sit, or ipip in mode any
 *
 * The real server takes the packet off a tunnel device holding the VIP
 * and answers the client directly.
 *
 * The inner packet loses one TTL or hop, as in direct routing. The outer
 * header inherits the inner's TTL or hop limit and DSCP, and its ECN field
 * as in RFC 6040's normal mode. An IPv4 outer header takes the DF bit of
 * an IPv4 inner packet, and sets it over an IPv6 one, which must not be
 * fragmented on the way. A packet that must not be fragmented (IPv4 with
 * DF, any IPv6 one) and does not fit the route once the outer header is
 * added earns the client an ICMP fragmentation-needed or an ICMPv6
 * packet-too-big, of its own family, with the MTU that leaves room for the
 * outer header (for IPv6 no less than 1280); otherwise the stack fragments
 * the outer packet.
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
#include "kcompat.h"
#include "netns.h"
#include "xmit.h"

/*
 * What the outer header takes from the inner one at skb->data, whichever
 * its family: the TTL or hop limit, the DS field with ECN encapsulated as
 * in RFC 6040's normal mode, and the protocol number that announces it.
 */
struct inner_hdr {
	u8 ttl;
	u8 dsfield;
	u8 proto;
};

static u8 inner_proto(const struct sk_buff *skb)
{
	return skb->protocol == htons(ETH_P_IPV6) ? IPPROTO_IPV6 : IPPROTO_IPIP;
}

static void inner_hdr(const struct sk_buff *skb, struct inner_hdr *in)
{
	in->proto = inner_proto(skb);
	if (in->proto == IPPROTO_IPV6) {
		in->ttl = ipv6_hdr(skb)->hop_limit;
		in->dsfield = ipv6_get_dsfield(ipv6_hdr(skb));
	} else {
		in->ttl = ip_hdr(skb)->ttl;
		in->dsfield = ip_hdr(skb)->tos;
	}
	in->dsfield = INET_ECN_encapsulate(in->dsfield, in->dsfield);
}

/* The outer packet's payload is the inner IP packet, L2-less. */
static void set_inner(struct sk_buff *skb, const struct inner_hdr *in)
{
	skb_reset_transport_header(skb);
	skb_reset_inner_mac_header(skb);
	skb_set_inner_ipproto(skb, in->proto);
}

/*
 * The IPv4 outer header, protocol 4 or 41, before the inner packet at
 * skb->data, with @df as its DF bit.
 */
static void push_outer(struct net *net, struct sk_buff *skb,
		       const struct flowi4 *fl4, __be16 df)
{
	struct inner_hdr in;
	struct iphdr *iph;

	inner_hdr(skb, &in);
	set_inner(skb, &in);
	skb_push(skb, sizeof(*iph));
	skb_reset_network_header(skb);
	memset(IPCB(skb), 0, sizeof(*IPCB(skb)));
	iph = ip_hdr(skb);
	iph->version = 4;
	iph->ihl = sizeof(*iph) >> 2;
	iph->tos = in.dsfield;
	iph->frag_off = df;
	iph->ttl = in.ttl;
	iph->protocol = in.proto;
	iph->saddr = fl4->saddr;
	iph->daddr = fl4->daddr;
	/* ip_local_out() fills in the length and the checksum. */
	ip_select_ident_segs(net, skb, NULL, skb_shinfo(skb)->gso_segs ?: 1);
}

/* The IPv6 outer header, next header 4 or 41, before the inner packet. */
static void push_outer6(struct net *net, struct sk_buff *skb,
			struct flowi6 *fl6)
{
	struct ipv6hdr *ip6h;
	struct inner_hdr in;

	inner_hdr(skb, &in);
	set_inner(skb, &in);
	skb_push(skb, sizeof(*ip6h));
	skb_reset_network_header(skb);
	memset(IP6CB(skb), 0, sizeof(*IP6CB(skb)));
	ip6h = ipv6_hdr(skb);
	ip6_flow_hdr(ip6h, in.dsfield,
		     ip6_make_flowlabel(net, skb, 0, true, fl6));
	ip6h->nexthdr = in.proto;
	ip6h->hop_limit = in.ttl;
	ip6h->saddr = fl6->saddr;
	ip6h->daddr = fl6->daddr;
	/* ip6_local_out() fills in the payload length. */
}

/*
 * The outer IPv4 header's DF bit over a route of MTU @mtu: an IPv4 inner
 * packet's own. IPv6 is not fragmented on the way, so over an IPv6 one
 * DF: a smaller MTU beyond reaches the director as ICMP about the outer
 * packet, and the client as the director's next packet-too-big. Unless
 * the outer packet does not fit the route here (the IPv6 minimum MTU told
 * to the client, or a packet nf_defrag_ipv6 reassembled): then the
 * director fragments it.
 */
static __be16 outer_df(const struct sk_buff *skb, unsigned int mtu)
{
	unsigned int hdr_len = sizeof(struct iphdr);

	if (skb->protocol == htons(ETH_P_IP))
		return ip_hdr(skb)->frag_off & htons(IP_DF);
	if (skb_is_gso(skb) ?
	    skb_gso_validate_network_len(skb, mtu - hdr_len) :
	    skb->len + hdr_len <= mtu)
		return htons(IP_DF);
	return 0;
}

/*
 * Make the client's packet, routed along @dst (which its destination
 * keeps), ready to become the inner packet: room for an outer header of
 * @hdr_len bytes, GSO of @gso_type, one hop less. From then on it is a
 * new packet of the director's: no input route, no conntrack entry, no
 * socket early demux found for it.
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
	/* Valid until the hook returns; see lvs_xmit_route4(). */
	skb_dst_set_noref(skb, dst);
	return 0;
}

static int xmit_tun4(struct lvs_net *ln, struct sk_buff *skb,
		     const struct lvs_conn *c, bool fast)
{
	struct flowi4 fl4 = {
		.daddr		= c->dest->addr.ip,
		.flowi4_proto	= inner_proto(skb),
	};
	struct rtable *rt;
	int err;

	err = lvs_xmit_route4(ln, skb, c->dest, &fl4, sizeof(struct iphdr),
			      fast, &rt);
	if (err)
		return err;
	err = prepare(skb, &rt->dst, sizeof(struct iphdr), SKB_GSO_IPXIP4);
	if (err)
		return err;
	push_outer(ln->net, skb, &fl4, outer_df(skb, dst_mtu(&rt->dst)));
	ip_local_out(ln->net, NULL, skb);
	return 0;
}

static int xmit_tun6(struct lvs_net *ln, struct sk_buff *skb,
		     const struct lvs_conn *c, bool fast)
{
	struct flowi6 fl6 = {
		.daddr		= c->dest->addr.in6,
		.flowi6_proto	= inner_proto(skb),
	};
	unsigned int hdr_len = sizeof(struct ipv6hdr);
	struct dst_entry *dst;
	int err;

	err = lvs_xmit_route6(ln, skb, c->dest, &fl6, hdr_len, fast, &dst);
	if (err)
		return err;
	err = prepare(skb, dst, hdr_len, SKB_GSO_IPXIP6);
	if (err)
		return err;
	/*
	 * The inner packet passed the MTU check; the outer one may still
	 * exceed the route's MTU (a reassembled packet, the IPv6 minimum
	 * MTU told to the client, an IPv4 packet without DF): the director
	 * fragments it.
	 */
	if (!skb_is_gso(skb) && skb->len + hdr_len > dst_mtu(dst))
		skb->ignore_df = 1;
	push_outer6(ln->net, skb, &fl6);
	ip6_local_out(ln->net, NULL, skb);
	return 0;
}

int lvs_xmit_tun(struct lvs_net *ln, struct sk_buff *skb,
		 const struct lvs_conn *c, bool fast)
{
	/* The destination's family, which may not be the client's. */
	if (c->dest->af == AF_INET6)
		return xmit_tun6(ln, skb, c, fast);
	return xmit_tun4(ln, skb, c, fast);
}
