// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: NAT of SCTP packets. After a port rewrite the CRC32c must equal
 * one computed afresh over the whole packet, linear or paged; an address
 * rewrite leaves it alone, and so does a packet whose CRC the device is
 * still to compute.
 */

#include <kunit/test.h>
#include <linux/crc32c.h>
#include <linux/ip.h>
#include <linux/sctp.h>
#include <net/ip.h>

#include "nat.h"

#define PAYLOAD	61	/* DATA chunk bytes after the chunk header */
#define L4OFF	sizeof(struct iphdr)

/* The CRC32c of the SCTP packet in @skb, computed from a flat copy. */
static __le32 crc_of(struct kunit *test, struct sk_buff *skb)
{
	unsigned int len = skb->len - L4OFF;
	u8 *buf = kunit_kzalloc(test, len, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_ASSERT_EQ(test, skb_copy_bits(skb, L4OFF, buf, len), 0);
	memset(buf + offsetof(struct sctphdr, checksum), 0, 4);
	return cpu_to_le32(~crc32c(~0, buf, len));
}

static struct sctphdr *sctp_of(struct sk_buff *skb)
{
	return (struct sctphdr *)(skb->data + L4OFF);
}

/*
 * IPv4 + SCTP common header + a DATA chunk header in the linear part; the
 * payload there too, or (@paged) in a page fragment. The CRC is right.
 */
static struct sk_buff *build(struct kunit *test, bool paged)
{
	unsigned int hlen = sizeof(struct sctphdr) + sizeof(struct sctp_chunkhdr);
	struct sk_buff *skb = alloc_skb(256, GFP_KERNEL);
	struct sctp_chunkhdr *ch;
	struct sctphdr *sh;
	struct iphdr *iph;
	u8 *payload;
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, skb);
	skb_reset_network_header(skb);
	iph = skb_put_zero(skb, sizeof(*iph));
	iph->version = 4;
	iph->ihl = 5;
	iph->ttl = 64;
	iph->protocol = IPPROTO_SCTP;
	iph->saddr = htonl(0xc0a80a05);
	iph->daddr = htonl(0x0a000001);
	iph->tot_len = htons(sizeof(*iph) + hlen + PAYLOAD);
	ip_send_check(iph);

	sh = skb_put_zero(skb, hlen);
	skb_set_transport_header(skb, L4OFF);
	sh->source = htons(40123);
	sh->dest = htons(3868);
	sh->vtag = htonl(0x12345678);
	ch = (struct sctp_chunkhdr *)(sh + 1);
	ch->type = SCTP_CID_DATA;
	ch->length = htons(sizeof(*ch) + PAYLOAD);

	if (paged) {
		struct page *page = alloc_page(GFP_KERNEL);

		KUNIT_ASSERT_NOT_NULL(test, page);
		payload = page_address(page);
		skb_add_rx_frag(skb, 0, page, 0, PAYLOAD, PAGE_SIZE);
	} else {
		payload = skb_put(skb, PAYLOAD);
	}
	for (i = 0; i < PAYLOAD; i++)
		payload[i] = i * 13;
	sh->checksum = crc_of(test, skb);
	return skb;
}

static void check_ip(struct kunit *test, struct sk_buff *skb, bool dst,
		     __be32 addr)
{
	struct iphdr *iph = ip_hdr(skb);

	KUNIT_EXPECT_EQ(test, dst ? iph->daddr : iph->saddr, addr);
	KUNIT_EXPECT_EQ(test, ip_fast_csum(iph, iph->ihl), 0);
}

/* Both ways, linear and paged: the CRC is what a full recompute gives. */
static void nat_sctp_port_crc(struct kunit *test)
{
	unsigned int dst, paged;

	for (paged = 0; paged < 2; paged++) {
		for (dst = 0; dst < 2; dst++) {
			struct sk_buff *skb = build(test, paged);
			__be32 addr = htonl(0x0a000102);
			__be16 port = htons(8080);
			__le32 before = sctp_of(skb)->checksum;

			KUNIT_ASSERT_EQ(test, lvs_nat4_rewrite(skb, L4OFF,
							       IPPROTO_SCTP,
							       dst, addr,
							       port), 0);
			check_ip(test, skb, dst, addr);
			KUNIT_EXPECT_EQ(test, dst ? sctp_of(skb)->dest :
					sctp_of(skb)->source, port);
			KUNIT_EXPECT_NE(test, sctp_of(skb)->checksum, before);
			KUNIT_EXPECT_EQ_MSG(test, sctp_of(skb)->checksum,
					    crc_of(test, skb),
					    "dst %u paged %u", dst, paged);
			kfree_skb(skb);
		}
	}
}

/* No pseudo-header: a new address alone keeps the CRC as it was. */
static void nat_sctp_addr_only(struct kunit *test)
{
	struct sk_buff *skb = build(test, false);
	__le32 before = sctp_of(skb)->checksum;
	__be32 addr = htonl(0x0a000102);

	KUNIT_ASSERT_EQ(test, lvs_nat4_rewrite(skb, L4OFF, IPPROTO_SCTP, true,
					       addr, sctp_of(skb)->dest), 0);
	check_ip(test, skb, true, addr);
	KUNIT_EXPECT_EQ(test, sctp_of(skb)->checksum, before);
	KUNIT_EXPECT_EQ(test, sctp_of(skb)->checksum, crc_of(test, skb));
	kfree_skb(skb);
}

/* The device (or GSO) computes the CRC later: leave the field alone. */
static void nat_sctp_partial(struct kunit *test)
{
	struct sk_buff *skb = build(test, false);
	u8 summed;

	sctp_of(skb)->checksum = 0;
	skb->ip_summed = CHECKSUM_PARTIAL;
	skb->csum_not_inet = 1;
	skb->csum_start = skb_transport_header(skb) - skb->head;
	skb->csum_offset = offsetof(struct sctphdr, checksum);
	KUNIT_ASSERT_EQ(test, lvs_nat4_rewrite(skb, L4OFF, IPPROTO_SCTP, false,
					       htonl(0x0a000001), htons(80)),
			0);
	KUNIT_EXPECT_EQ(test, sctp_of(skb)->source, htons(80));
	KUNIT_EXPECT_EQ(test, sctp_of(skb)->checksum, 0);
	summed = skb->ip_summed;
	KUNIT_EXPECT_EQ(test, summed, CHECKSUM_PARTIAL);
	check_ip(test, skb, false, htonl(0x0a000001));
	kfree_skb(skb);
}

/* A receive sum over the old bytes must not outlive them. */
static void nat_sctp_complete(struct kunit *test)
{
	struct sk_buff *skb = build(test, false);
	u8 summed;

	skb->ip_summed = CHECKSUM_COMPLETE;
	KUNIT_ASSERT_EQ(test, lvs_nat4_rewrite(skb, L4OFF, IPPROTO_SCTP, true,
					       htonl(0x0a000102), htons(8080)),
			0);
	summed = skb->ip_summed;
	KUNIT_EXPECT_EQ(test, summed, CHECKSUM_NONE);
	KUNIT_EXPECT_EQ(test, sctp_of(skb)->checksum, crc_of(test, skb));
	kfree_skb(skb);
}

/* A header that ends before the CRC: refused, nothing changed. */
static void nat_sctp_truncated(struct kunit *test)
{
	struct sk_buff *skb = build(test, false);
	struct iphdr before = *ip_hdr(skb);

	KUNIT_EXPECT_LT(test, lvs_nat4_rewrite(skb, skb->len - 8, IPPROTO_SCTP,
					       true, htonl(0x0a000102),
					       htons(8080)), 0);
	KUNIT_EXPECT_EQ(test, memcmp(ip_hdr(skb), &before, sizeof(before)), 0);
	KUNIT_EXPECT_EQ(test, sctp_of(skb)->checksum, crc_of(test, skb));
	kfree_skb(skb);
}

static struct kunit_case lvs_nat_sctp_cases[] = {
	KUNIT_CASE(nat_sctp_port_crc),
	KUNIT_CASE(nat_sctp_addr_only),
	KUNIT_CASE(nat_sctp_partial),
	KUNIT_CASE(nat_sctp_complete),
	KUNIT_CASE(nat_sctp_truncated),
	{}
};

static struct kunit_suite lvs_nat_sctp_suite = {
	.name		= "lvs_nat_sctp",
	.test_cases	= lvs_nat_sctp_cases,
};

kunit_test_suite(lvs_nat_sctp_suite);
