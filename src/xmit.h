/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LVS_XMIT_H
#define _LVS_XMIT_H

#include <linux/ip.h>
#include <linux/skbuff.h>

struct lvs_net;
struct lvs_conn;
struct lvs_pkt;

/*
 * Each sends @skb, a client's packet of connection @c, to the real server
 * and returns 0, or returns a negative errno and leaves @skb to the caller
 * to drop.
 */
int lvs_xmit_nat(struct lvs_net *ln, struct sk_buff *skb,
		 const struct lvs_conn *c, const struct lvs_pkt *pkt);
int lvs_xmit_dr(struct lvs_net *ln, struct sk_buff *skb,
		const struct lvs_conn *c);
int lvs_xmit_tun(struct lvs_net *ln, struct sk_buff *skb,
		 const struct lvs_conn *c);

int lvs_nat_reply(struct sk_buff *skb, const struct lvs_conn *c,
		  const struct lvs_pkt *pkt);

/* Does @skb fit through @mtu, or may it be fragmented to fit? */
static inline bool lvs_xmit_fits_mtu(const struct sk_buff *skb,
				     unsigned int mtu)
{
	if (!(ip_hdr(skb)->frag_off & htons(IP_DF)) || skb->len <= mtu)
		return true;
	return skb_is_gso(skb) && skb_gso_validate_network_len(skb, mtu);
}

#endif /* _LVS_XMIT_H */
