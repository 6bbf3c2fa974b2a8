// SPDX-License-Identifier: GPL-2.0
/*
 * IP-in-IP tunnelling (RFC 2003). The client's packet goes inside a new
 * IPv4 header from a director address to the real server, which may be
 * behind routers. The real server takes it off an ipip device holding the
 * VIP and answers the client directly.
 *
 * The inner packet loses one TTL, as in direct routing. The outer header
 * inherits the inner's TTL, DSCP and DF bit, and its ECN field as in
 * RFC 6040's normal mode. With DF set, a packet that does not fit the
 * route once the outer header is added earns the client an ICMP
 * fragmentation-needed with the MTU that leaves room for it; without DF
 * the stack fragments the outer packet.
 */

#include <linux/ip.h>
#include <net/dst.h>
#include <net/inet_ecn.h>
#include <net/ip.h>
#include <net/ip_tunnels.h>
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

int lvs_xmit_tun(struct lvs_net *ln, struct sk_buff *skb,
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
	/* Room for the outer header, and the inner one made writable. */
	err = skb_cow_head(skb, LL_RESERVED_SPACE(rt->dst.dev) +
				rt->dst.header_len + sizeof(struct iphdr));
	if (err)
		goto err_put;
	err = iptunnel_handle_offloads(skb, SKB_GSO_IPXIP4);
	if (err)
		goto err_put;

	ip_decrease_ttl(ip_hdr(skb));
	/*
	 * From here on this is a new packet of the director's: no input
	 * route, no conntrack entry, no socket early demux found for it.
	 */
	skb_orphan(skb);
	skb_scrub_packet(skb, false);
	skb_clear_tstamp(skb);
	skb_dst_set(skb, &rt->dst);
	push_outer(ln->net, skb, &fl4);
	ip_local_out(ln->net, NULL, skb);
	return 0;

err_put:
	ip_rt_put(rt);
	return err;
}
