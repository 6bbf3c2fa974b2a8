/* SPDX-License-Identifier: GPL-2.0 */
/*
 * KUnit helpers: an IPv4 or IPv6 TCP segment with options and payload,
 * and a check of its transport checksum by full recompute.
 */
#ifndef _LVS_KUNIT_TCP_SKB_H
#define _LVS_KUNIT_TCP_SKB_H

#include <kunit/test.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/tcp.h>
#include <net/checksum.h>
#include <net/ip.h>
#include <net/ip6_checksum.h>

static inline unsigned int tcp_skb_l4off(u8 af)
{
	return af == AF_INET6 ? sizeof(struct ipv6hdr) : sizeof(struct iphdr);
}

static inline __sum16 tcp_skb_pseudo(struct sk_buff *skb, u8 af,
				     unsigned int len, __wsum sum)
{
	if (af == AF_INET6)
		return csum_ipv6_magic(&ipv6_hdr(skb)->saddr,
				       &ipv6_hdr(skb)->daddr, len, IPPROTO_TCP,
				       sum);
	return csum_tcpudp_magic(ip_hdr(skb)->saddr, ip_hdr(skb)->daddr, len,
				 IPPROTO_TCP, sum);
}

/*
 * A segment from the real server with sequence number @seq, @optlen bytes
 * of options (a multiple of 4) and @payload, in a buffer with @room bytes
 * to spare at the end; its checksum complete, or if @partial left to the
 * device.
 */
static inline struct sk_buff *tcp_skb(struct kunit *test, u8 af, u32 seq,
				      const u8 *opts, unsigned int optlen,
				      const char *payload, bool partial,
				      unsigned int room)
{
	unsigned int l4off = tcp_skb_l4off(af), plen = strlen(payload);
	unsigned int tcplen = sizeof(struct tcphdr) + optlen + plen;
	struct sk_buff *skb = alloc_skb(l4off + tcplen + room, GFP_KERNEL);
	struct tcphdr *th;

	KUNIT_ASSERT_NOT_NULL(test, skb);
	skb_reset_network_header(skb);
	if (af == AF_INET6) {
		struct ipv6hdr *ip6h = skb_put_zero(skb, sizeof(*ip6h));

		ip6h->version = 6;
		ip6h->nexthdr = IPPROTO_TCP;
		ip6h->hop_limit = 64;
		ip6h->payload_len = htons(tcplen);
		ip6h->saddr.s6_addr32[0] = htonl(0x20010db8);
		ip6h->saddr.s6_addr32[3] = htonl(0x102);
		ip6h->daddr.s6_addr32[0] = htonl(0x20010db8);
		ip6h->daddr.s6_addr32[3] = htonl(2);
	} else {
		struct iphdr *iph = skb_put_zero(skb, sizeof(*iph));

		iph->version = 4;
		iph->ihl = 5;
		iph->ttl = 64;
		iph->protocol = IPPROTO_TCP;
		iph->saddr = htonl(0x0a00017a);
		iph->daddr = htonl(0x0a000002);
		iph->tot_len = htons(l4off + tcplen);
		ip_send_check(iph);
	}
	skb_set_transport_header(skb, l4off);
	th = skb_put_zero(skb, sizeof(*th));
	th->source = htons(21);
	th->dest = htons(40000);
	th->seq = htonl(seq);
	th->ack_seq = htonl(1000);
	th->ack = 1;
	th->psh = 1;
	th->doff = (sizeof(*th) + optlen) / 4;
	skb_put_data(skb, opts, optlen);
	skb_put_data(skb, payload, plen);

	if (partial) {
		th->check = ~tcp_skb_pseudo(skb, af, tcplen, 0);
		skb->ip_summed = CHECKSUM_PARTIAL;
		skb->csum_start = skb_transport_header(skb) - skb->head;
		skb->csum_offset = offsetof(struct tcphdr, check);
	} else {
		th->check = tcp_skb_pseudo(skb, af, tcplen,
					   csum_partial(th, tcplen, 0));
	}
	return skb;
}

/* Zero when the complete checksum of the segment in @skb verifies. */
static inline __sum16 tcp_skb_verify(struct sk_buff *skb, u8 af)
{
	unsigned int l4off = tcp_skb_l4off(af), len = skb->len - l4off;

	return tcp_skb_pseudo(skb, af, len,
			      csum_partial(skb->data + l4off, len, 0));
}

static inline struct tcphdr *tcp_skb_th(struct sk_buff *skb, u8 af)
{
	return (struct tcphdr *)(skb->data + tcp_skb_l4off(af));
}

#endif /* _LVS_KUNIT_TCP_SKB_H */
