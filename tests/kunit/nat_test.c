// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: NAT rewriting keeps every checksum right, for IPv4 and IPv6
 * packets whose transport checksum is complete, partial (offloaded), or
 * absent (UDP over IPv4), each checked against a full recompute.
 */

#include <kunit/test.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <net/checksum.h>
#include <net/ip.h>
#include <net/ip6_checksum.h>

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

/* IPv6: the same packets behind a 40-byte header. */

static const struct in6_addr client6 = {{{ 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0,
					  0, 0, 0, 0, 0xc0, 0xa8, 0x0a, 0x05 }}};
static const struct in6_addr vip6 = {{{ 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0,
				       0, 0, 0, 0, 0, 0, 0, 1 }}};
/* Differs from the VIP in every 16-bit word, to exercise every carry. */
static const union nf_inet_addr rs6 = {
	.in6 = {{{ 0xfd, 0x00, 0xab, 0xcd, 0x12, 0x34, 0x56, 0x78,
		   0x9a, 0xbc, 0xde, 0xf0, 0xff, 0xff, 0x80, 0x02 }}},
};

static unsigned int l4_hdrlen(u8 protocol)
{
	return protocol == IPPROTO_TCP ? sizeof(struct tcphdr) :
					 sizeof(struct udphdr);
}

static __sum16 *l4_check(struct sk_buff *skb, unsigned int l4off,
			 u8 protocol)
{
	u8 *l4 = skb->data + l4off;

	return protocol == IPPROTO_TCP ? &((struct tcphdr *)l4)->check :
					 &((struct udphdr *)l4)->check;
}

static struct sk_buff *build6(struct kunit *test, u8 protocol, bool partial)
{
	unsigned int l4len = l4_hdrlen(protocol) + PAYLOAD;
	struct sk_buff *skb = alloc_skb(256, GFP_KERNEL);
	struct ipv6hdr *ip6h;
	__be16 *ports;
	__sum16 *check;
	unsigned int i;
	u8 *l4;

	KUNIT_ASSERT_NOT_NULL(test, skb);
	skb_reset_network_header(skb);
	ip6h = skb_put_zero(skb, sizeof(*ip6h));
	ip6h->version = 6;
	ip6h->nexthdr = protocol;
	ip6h->hop_limit = 64;
	ip6h->payload_len = htons(l4len);
	ip6h->saddr = client6;
	ip6h->daddr = vip6;

	l4 = skb_put_zero(skb, l4len);
	skb_set_transport_header(skb, sizeof(*ip6h));
	ports = (__be16 *)l4;
	ports[0] = htons(40123);
	ports[1] = htons(80);
	if (protocol == IPPROTO_TCP)
		((struct tcphdr *)l4)->doff = 5;
	else
		((struct udphdr *)l4)->len = htons(l4len);
	for (i = l4len - PAYLOAD; i < l4len; i++)
		l4[i] = i * 13;

	check = l4_check(skb, sizeof(*ip6h), protocol);
	if (partial) {
		*check = ~csum_ipv6_magic(&ip6h->saddr, &ip6h->daddr, l4len,
					  protocol, 0);
		skb->ip_summed = CHECKSUM_PARTIAL;
		skb->csum_start = skb_transport_header(skb) - skb->head;
		skb->csum_offset = (u8 *)check - l4;
	} else {
		*check = csum_ipv6_magic(&ip6h->saddr, &ip6h->daddr, l4len,
					 protocol, csum_partial(l4, l4len, 0));
	}
	return skb;
}

/* Zero when the full transport checksum verifies. */
static __sum16 l4_verify6(struct sk_buff *skb)
{
	struct ipv6hdr *ip6h = ipv6_hdr(skb);
	unsigned int len = skb->len - sizeof(*ip6h);

	return csum_ipv6_magic(&ip6h->saddr, &ip6h->daddr, len, ip6h->nexthdr,
			       csum_partial(skb->data + sizeof(*ip6h), len, 0));
}

static void check_rewritten6(struct kunit *test, struct sk_buff *skb,
			     bool dst, const union nf_inet_addr *addr,
			     __be16 port)
{
	struct ipv6hdr *ip6h = ipv6_hdr(skb);
	__be16 *ports = (__be16 *)(skb->data + sizeof(*ip6h));

	KUNIT_EXPECT_TRUE(test, ipv6_addr_equal(dst ? &ip6h->daddr :
						      &ip6h->saddr,
						&addr->in6));
	KUNIT_EXPECT_EQ(test, ports[dst ? 1 : 0], port);
}

static void nat6_full_checksums(struct kunit *test)
{
	static const u8 protos[] = { IPPROTO_TCP, IPPROTO_UDP };
	unsigned int i, dst;

	for (i = 0; i < ARRAY_SIZE(protos); i++) {
		for (dst = 0; dst < 2; dst++) {
			struct sk_buff *skb = build6(test, protos[i], false);

			KUNIT_ASSERT_EQ(test, l4_verify6(skb), 0);
			KUNIT_ASSERT_EQ(test,
					lvs_nat_rewrite(skb, AF_INET6,
							sizeof(struct ipv6hdr),
							protos[i], dst, &rs6,
							htons(8080)), 0);
			check_rewritten6(test, skb, dst, &rs6, htons(8080));
			KUNIT_EXPECT_EQ_MSG(test, l4_verify6(skb), 0,
					    "proto %u dst %u", protos[i], dst);
			kfree_skb(skb);
		}
	}
}

/* Offloaded: the header holds the pseudo-header sum for the new tuple. */
static void nat6_partial_checksum(struct kunit *test)
{
	static const u8 protos[] = { IPPROTO_TCP, IPPROTO_UDP };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(protos); i++) {
		struct sk_buff *skb = build6(test, protos[i], true);
		struct ipv6hdr *ip6h;
		__sum16 want;

		KUNIT_ASSERT_EQ(test,
				lvs_nat_rewrite(skb, AF_INET6,
						sizeof(struct ipv6hdr),
						protos[i], true, &rs6,
						htons(8080)), 0);
		ip6h = ipv6_hdr(skb);
		want = ~csum_ipv6_magic(&ip6h->saddr, &ip6h->daddr,
					skb->len - sizeof(*ip6h), protos[i], 0);
		KUNIT_EXPECT_EQ(test, *(__sum16 *)(skb->head + skb->csum_start +
						   skb->csum_offset), want);
		check_rewritten6(test, skb, true, &rs6, htons(8080));
		kfree_skb(skb);
	}
}

/*
 * A UDP checksum over IPv6 is never zero. With the port at 0, the
 * checksum field holds the complement of the sum of everything else; that
 * same value as the port makes the sum all ones, whose complement, zero,
 * must go out as CSUM_MANGLED_0.
 */
static void nat6_udp_never_zero(struct kunit *test)
{
	struct sk_buff *skb = build6(test, IPPROTO_UDP, false);
	unsigned int l4off = sizeof(struct ipv6hdr);
	__sum16 *check = l4_check(skb, l4off, IPPROTO_UDP);
	__be16 port;

	KUNIT_ASSERT_EQ(test, lvs_nat_rewrite(skb, AF_INET6, l4off,
					      IPPROTO_UDP, false, &rs6, 0), 0);
	port = (__force __be16)*check;
	KUNIT_ASSERT_EQ(test, lvs_nat_rewrite(skb, AF_INET6, l4off,
					      IPPROTO_UDP, false, &rs6, port),
			0);
	KUNIT_EXPECT_NE(test, *check, 0);
	KUNIT_EXPECT_EQ(test, l4_verify6(skb), 0);
	kfree_skb(skb);
}

/* A tunnel's zero UDP checksum (RFC 6935) is sent on as zero. */
static void nat6_udp_zero_checksum(struct kunit *test)
{
	struct sk_buff *skb = build6(test, IPPROTO_UDP, false);
	unsigned int l4off = sizeof(struct ipv6hdr);
	__sum16 *check = l4_check(skb, l4off, IPPROTO_UDP);

	*check = 0;
	KUNIT_ASSERT_EQ(test, lvs_nat_rewrite(skb, AF_INET6, l4off,
					      IPPROTO_UDP, true, &rs6,
					      htons(8080)), 0);
	KUNIT_EXPECT_EQ(test, *check, 0);
	check_rewritten6(test, skb, true, &rs6, htons(8080));
	kfree_skb(skb);
}

/* Rewriting there and back restores the packet exactly. */
static void nat6_round_trip(struct kunit *test)
{
	struct sk_buff *skb = build6(test, IPPROTO_TCP, false);
	unsigned int l4off = sizeof(struct ipv6hdr);
	union nf_inet_addr vip = { .in6 = vip6 };
	__sum16 before = *l4_check(skb, l4off, IPPROTO_TCP);

	KUNIT_ASSERT_EQ(test, lvs_nat_rewrite(skb, AF_INET6, l4off,
					      IPPROTO_TCP, true, &rs6,
					      htons(8080)), 0);
	KUNIT_ASSERT_EQ(test, lvs_nat_rewrite(skb, AF_INET6, l4off,
					      IPPROTO_TCP, true, &vip,
					      htons(80)), 0);
	KUNIT_EXPECT_EQ(test, *l4_check(skb, l4off, IPPROTO_TCP), before);
	check_rewritten6(test, skb, true, &vip, htons(80));
	kfree_skb(skb);
}

static struct kunit_case lvs_nat_cases[] = {
	KUNIT_CASE(nat_full_checksums),
	KUNIT_CASE(nat_partial_checksum),
	KUNIT_CASE(nat_udp_zero_checksum),
	KUNIT_CASE(nat_rejects),
	KUNIT_CASE(nat6_full_checksums),
	KUNIT_CASE(nat6_partial_checksum),
	KUNIT_CASE(nat6_udp_never_zero),
	KUNIT_CASE(nat6_udp_zero_checksum),
	KUNIT_CASE(nat6_round_trip),
	{}
};

static struct kunit_suite lvs_nat_suite = {
	.name		= "lvs_nat",
	.test_cases	= lvs_nat_cases,
};

kunit_test_suite(lvs_nat_suite);
