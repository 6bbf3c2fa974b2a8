// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: NAT rewriting keeps every checksum right, for packets whose
 * transport checksum is complete, partial (offloaded), or absent (UDP).
 */

#include <kunit/test.h>
#include <linux/ip.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <net/checksum.h>
#include <net/ip.h>

#include "nat.h"

#define PAYLOAD	37	/* odd, to exercise checksum folding */

static struct sk_buff *build(struct kunit *test, u8 protocol, bool partial,
			     bool zero_udp)
{
	unsigned int l4len = (protocol == IPPROTO_TCP ? sizeof(struct tcphdr) :
			      sizeof(struct udphdr)) + PAYLOAD;
	struct sk_buff *skb = alloc_skb(256, GFP_KERNEL);
	__be16 *ports;
	__sum16 *check;
	struct iphdr *iph;
	u8 *l4;
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, skb);
	skb_reset_network_header(skb);
	iph = skb_put_zero(skb, sizeof(*iph));
	iph->version = 4;
	iph->ihl = 5;
	iph->ttl = 64;
	iph->protocol = protocol;
	iph->saddr = htonl(0xc0a80a05);
	iph->daddr = htonl(0x0a000001);
	iph->tot_len = htons(sizeof(*iph) + l4len);
	ip_send_check(iph);

	l4 = skb_put_zero(skb, l4len);
	skb_set_transport_header(skb, sizeof(*iph));
	ports = (__be16 *)l4;
	ports[0] = htons(40123);
	ports[1] = htons(80);
	if (protocol == IPPROTO_TCP) {
		check = &((struct tcphdr *)l4)->check;
		((struct tcphdr *)l4)->doff = 5;
	} else {
		check = &((struct udphdr *)l4)->check;
		((struct udphdr *)l4)->len = htons(l4len);
	}
	for (i = l4len - PAYLOAD; i < l4len; i++)
		l4[i] = i * 7;

	if (partial) {
		/* What a sender with checksum offload leaves in the header. */
		*check = ~csum_tcpudp_magic(iph->saddr, iph->daddr, l4len,
					    protocol, 0);
		skb->ip_summed = CHECKSUM_PARTIAL;
		skb->csum_start = skb_transport_header(skb) - skb->head;
		skb->csum_offset = (u8 *)check - l4;
	} else if (!zero_udp) {
		*check = csum_tcpudp_magic(iph->saddr, iph->daddr, l4len,
					   protocol, csum_partial(l4, l4len, 0));
	}
	return skb;
}

static unsigned int l4_len(struct sk_buff *skb)
{
	return skb->len - sizeof(struct iphdr);
}

/* Zero when the full transport checksum verifies. */
static __sum16 l4_verify(struct sk_buff *skb)
{
	struct iphdr *iph = ip_hdr(skb);

	return csum_tcpudp_magic(iph->saddr, iph->daddr, l4_len(skb),
				 iph->protocol,
				 csum_partial(skb->data + sizeof(*iph),
					      l4_len(skb), 0));
}

static void check_rewritten(struct kunit *test, struct sk_buff *skb,
			    bool dst, __be32 addr, __be16 port)
{
	struct iphdr *iph = ip_hdr(skb);
	__be16 *ports = (__be16 *)(skb->data + sizeof(*iph));

	KUNIT_EXPECT_EQ(test, dst ? iph->daddr : iph->saddr, addr);
	KUNIT_EXPECT_EQ(test, ports[dst ? 1 : 0], port);
	KUNIT_EXPECT_EQ(test, ip_fast_csum(iph, iph->ihl), 0);
}

static void nat_full_checksums(struct kunit *test)
{
	static const u8 protos[] = { IPPROTO_TCP, IPPROTO_UDP };
	unsigned int i, dst;

	for (i = 0; i < ARRAY_SIZE(protos); i++) {
		for (dst = 0; dst < 2; dst++) {
			struct sk_buff *skb = build(test, protos[i], false,
						    false);
			__be32 addr = htonl(0x0a000102);
			__be16 port = htons(8080);

			KUNIT_ASSERT_EQ(test, l4_verify(skb), 0);
			KUNIT_ASSERT_EQ(test,
					lvs_nat4_rewrite(skb,
							 sizeof(struct iphdr),
							 protos[i], dst, addr,
							 port), 0);
			check_rewritten(test, skb, dst, addr, port);
			KUNIT_EXPECT_EQ_MSG(test, l4_verify(skb), 0,
					    "proto %u dst %u", protos[i], dst);
			kfree_skb(skb);
		}
	}
}

/* Offloaded: the header holds the pseudo-header sum for the new tuple. */
static void nat_partial_checksum(struct kunit *test)
{
	static const u8 protos[] = { IPPROTO_TCP, IPPROTO_UDP };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(protos); i++) {
		struct sk_buff *skb = build(test, protos[i], true, false);
		__be32 addr = htonl(0x0a000102);
		__sum16 *check, want;
		struct iphdr *iph;

		KUNIT_ASSERT_EQ(test,
				lvs_nat4_rewrite(skb, sizeof(struct iphdr),
						 protos[i], true, addr,
						 htons(8080)), 0);
		iph = ip_hdr(skb);
		check = (__sum16 *)(skb->head + skb->csum_start +
				    skb->csum_offset);
		want = ~csum_tcpudp_magic(iph->saddr, iph->daddr, l4_len(skb),
					  protos[i], 0);
		KUNIT_EXPECT_EQ(test, *check, want);
		check_rewritten(test, skb, true, addr, htons(8080));
		kfree_skb(skb);
	}
}

static void nat_udp_zero_checksum(struct kunit *test)
{
	struct sk_buff *skb = build(test, IPPROTO_UDP, false, true);
	struct udphdr *uh;

	KUNIT_ASSERT_EQ(test, lvs_nat4_rewrite(skb, sizeof(struct iphdr),
					       IPPROTO_UDP, false,
					       htonl(0x0a000001), htons(53)),
			0);
	uh = (struct udphdr *)(skb->data + sizeof(struct iphdr));
	KUNIT_EXPECT_EQ(test, uh->check, 0);
	check_rewritten(test, skb, false, htonl(0x0a000001), htons(53));
	kfree_skb(skb);
}

static void nat_rejects(struct kunit *test)
{
	struct sk_buff *skb = build(test, IPPROTO_TCP, false, false);

	KUNIT_EXPECT_EQ(test, lvs_nat4_rewrite(skb, sizeof(struct iphdr),
					       IPPROTO_ICMP, true, 0, 0),
			-EPROTONOSUPPORT);
	/* A header that ends before the checksum field. */
	KUNIT_EXPECT_LT(test, lvs_nat4_rewrite(skb, skb->len - 4, IPPROTO_TCP,
					       true, 0, 0), 0);
	KUNIT_EXPECT_EQ(test, l4_verify(skb), 0);
	kfree_skb(skb);
}

static struct kunit_case lvs_nat_cases[] = {
	KUNIT_CASE(nat_full_checksums),
	KUNIT_CASE(nat_partial_checksum),
	KUNIT_CASE(nat_udp_zero_checksum),
	KUNIT_CASE(nat_rejects),
	{}
};

static struct kunit_suite lvs_nat_suite = {
	.name		= "lvs_nat",
	.test_cases	= lvs_nat_cases,
};

kunit_test_suite(lvs_nat_suite);
