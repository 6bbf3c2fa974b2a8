// SPDX-License-Identifier: GPL-2.0
/*
 * What the ways of forwarding a client's packet to a real server share:
 * the hop's TTL check, the route to the real server and the MTU check,
 * each answering the client with the ICMP error it earns; and, for those
 * that do not wrap the packet, sending it on as a router would.
 */

#include <linux/icmp.h>
#include <linux/ip.h>
#include <net/dst.h>
#include <net/flow.h>
#include <net/icmp.h>
#include <net/ip.h>
#include <net/route.h>

#include "netns.h"
#include "xmit.h"

/* Does @skb fit through @mtu, or may it be fragmented to fit? */
static bool fits_mtu(const struct sk_buff *skb, unsigned int mtu)
{
	if (!(ip_hdr(skb)->frag_off & htons(IP_DF)) || skb->len <= mtu)
		return true;
	return skb_is_gso(skb) && skb_gso_validate_network_len(skb, mtu);
}

int lvs_xmit_route4(struct lvs_net *ln, struct sk_buff *skb,
		    struct flowi4 *fl4, unsigned int hdr_len,
		    struct rtable **rtp)
{
	struct rtable *rt;
	unsigned int mtu;
	int err;

	if (ip_hdr(skb)->ttl <= 1) {
		icmp_send(skb, ICMP_TIME_EXCEEDED, ICMP_EXC_TTL, 0);
		return -ETIMEDOUT;
	}

	fl4->flowi4_mark = skb->mark;
	rt = ip_route_output_key(ln->net, fl4);
	if (IS_ERR(rt))
		return PTR_ERR(rt);
	/* Unicast, and with FLOWI_FLAG_KNOWN_NH straight to fl4->daddr. */
	if (rt->rt_type != RTN_UNICAST ||
	    ((fl4->flowi4_flags & FLOWI_FLAG_KNOWN_NH) &&
	     rt->rt_uses_gateway)) {
		err = -EHOSTUNREACH;
		goto err_put;
	}
	mtu = dst_mtu(&rt->dst);
	if (hdr_len) {
		/* No room for the outer header and a minimal inner packet. */
		if (mtu < IPV4_MIN_MTU + hdr_len) {
			err = -EMSGSIZE;
			goto err_put;
		}
		mtu -= hdr_len;
	}
	if (!fits_mtu(skb, mtu)) {
		icmp_send(skb, ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED, htonl(mtu));
		err = -EMSGSIZE;
		goto err_put;
	}
	*rtp = rt;
	return 0;

err_put:
	ip_rt_put(rt);
	return err;
}

void lvs_xmit_forward(struct lvs_net *ln, struct sk_buff *skb,
		      struct rtable *rt)
{
	ip_decrease_ttl(ip_hdr(skb));
	skb_forward_csum(skb);
	skb_dst_drop(skb);
	skb_dst_set(skb, &rt->dst);
	ip_local_out(ln->net, NULL, skb);
}
