// SPDX-License-Identifier: GPL-2.0
/*
 * Replacing bytes of a TCP payload with text of another length.
 *
 * The packet grows or shrinks at the end, so the IP length changes and
 * the transport checksum is computed afresh: over the whole segment when
 * the packet carries a complete checksum, and as the pseudo-header sum
 * alone when the device is to finish it (CHECKSUM_PARTIAL). Only the
 * FTP helper's control connections come here; their segments are short.
 */

#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/tcp.h>
#include <net/checksum.h>
#include <net/ip.h>
#include <net/ip6_checksum.h>

#include "mangle.h"

/* The pseudo-header sum of a @len-byte TCP segment plus @sum. */
static __sum16 pseudo(const struct sk_buff *skb, u8 af, unsigned int len,
		      __wsum sum)
{
	if (af == AF_INET6)
		return csum_ipv6_magic(&ipv6_hdr(skb)->saddr,
				       &ipv6_hdr(skb)->daddr, len,
				       IPPROTO_TCP, sum);
	return csum_tcpudp_magic(ip_hdr(skb)->saddr, ip_hdr(skb)->daddr, len,
				 IPPROTO_TCP, sum);
}

static void set_ip_len(struct sk_buff *skb, u8 af, int diff)
{
	if (af == AF_INET6) {
		struct ipv6hdr *ip6h = ipv6_hdr(skb);

		ip6h->payload_len = htons(ntohs(ip6h->payload_len) + diff);
	} else {
		struct iphdr *iph = ip_hdr(skb);

		iph->tot_len = htons(ntohs(iph->tot_len) + diff);
		ip_send_check(iph);
	}
}

/*
 * In the IPv4 or IPv6 (@af) TCP packet in @skb, whose network header is
 * at skb->data and TCP header @l4off bytes on, replace the @len bytes at
 * @off (from skb->data) with the @rep_len bytes at @rep. Returns 0, or a
 * negative errno with the packet as it was.
 */
int lvs_tcp_mangle(struct sk_buff *skb, u8 af, unsigned int l4off,
		   unsigned int off, unsigned int len, const char *rep,
		   unsigned int rep_len)
{
	int diff = (int)rep_len - (int)len;
	unsigned int tail, tcplen;
	struct tcphdr *th;
	u8 *p;

	if (off < l4off + sizeof(*th) || off + len > skb->len ||
	    skb_is_gso(skb))
		return -EINVAL;
	tail = skb->len - off - len;
	if (skb_ensure_writable(skb, skb->len))
		return -ENOMEM;
	if (diff > 0 && skb_tailroom(skb) < diff &&
	    pskb_expand_head(skb, 0, diff - skb_tailroom(skb), GFP_ATOMIC))
		return -ENOMEM;

	if (diff > 0)
		skb_put(skb, diff);
	p = skb->data + off;
	memmove(p + rep_len, p + len, tail);
	memcpy(p, rep, rep_len);
	if (diff < 0)
		skb_trim(skb, skb->len + diff);
	set_ip_len(skb, af, diff);

	tcplen = skb->len - l4off;
	th = (struct tcphdr *)(skb->data + l4off);
	if (skb->ip_summed == CHECKSUM_PARTIAL) {
		th->check = ~pseudo(skb, af, tcplen, 0);
	} else {
		th->check = 0;
		th->check = pseudo(skb, af, tcplen, csum_partial(th, tcplen, 0));
		skb->ip_summed = CHECKSUM_NONE;
	}
	return 0;
}
