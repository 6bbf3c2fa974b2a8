// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the MTU a tunnel leaves a client's packet, of either family
 * behind an outer header of either family, and whether the packet fits
 * it, as xmit.c judges both for lvs_xmit_route4() and lvs_xmit_route6(),
 * on the normal way and on the fast path.
 */

#include <kunit/test.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/tcp.h>
#include <net/ip.h>
#include <net/ipv6.h>

#include "xmit.h"

#define V4_HDR	sizeof(struct iphdr)
#define V6_HDR	sizeof(struct ipv6hdr)

/* A packet of @len bytes, IPv4 with @df or IPv6, at its network header. */
static struct sk_buff *build(struct kunit *test, bool v6, unsigned int len,
			     bool df)
{
	struct sk_buff *skb = alloc_skb(len, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, skb);
	skb_reset_network_header(skb);
	skb_put_zero(skb, len);
	if (v6) {
		skb->protocol = htons(ETH_P_IPV6);
		ipv6_hdr(skb)->version = 6;
		ipv6_hdr(skb)->hop_limit = 64;
	} else {
		skb->protocol = htons(ETH_P_IP);
		ip_hdr(skb)->version = 4;
		ip_hdr(skb)->ihl = 5;
		ip_hdr(skb)->ttl = 64;
		ip_hdr(skb)->frag_off = df ? htons(IP_DF) : 0;
	}
	return skb;
}

/* Same family or not, the outer header's size comes off the route's MTU. */
static void inner_mtu_of_route(struct kunit *test)
{
	struct sk_buff *v4 = build(test, false, 100, true);
	struct sk_buff *v6 = build(test, true, 100, false);

	KUNIT_EXPECT_EQ(test, lvs_xmit_inner_mtu(v4, 1500, 0), 1500);
	KUNIT_EXPECT_EQ(test, lvs_xmit_inner_mtu(v4, 1500, V4_HDR), 1480);
	KUNIT_EXPECT_EQ(test, lvs_xmit_inner_mtu(v4, 1500, V6_HDR), 1460);
	KUNIT_EXPECT_EQ(test, lvs_xmit_inner_mtu(v4, 1400, V6_HDR), 1360);
	KUNIT_EXPECT_EQ(test, lvs_xmit_inner_mtu(v6, 1500, 0), 1500);
	KUNIT_EXPECT_EQ(test, lvs_xmit_inner_mtu(v6, 1500, V6_HDR), 1460);
	KUNIT_EXPECT_EQ(test, lvs_xmit_inner_mtu(v6, 1500, V4_HDR), 1480);
	KUNIT_EXPECT_EQ(test, lvs_xmit_inner_mtu(v6, 1400, V4_HDR), 1380);
	kfree_skb(v4);
	kfree_skb(v6);
}

/*
 * An IPv6 packet is never told less than 1280, however small the route;
 * an IPv4 one is told down to 68, and below that there is no room at all.
 */
static void inner_mtu_floors(struct kunit *test)
{
	struct sk_buff *v4 = build(test, false, 100, true);
	struct sk_buff *v6 = build(test, true, 100, false);

	KUNIT_EXPECT_EQ(test, lvs_xmit_inner_mtu(v6, 1320, V6_HDR), 1280);
	KUNIT_EXPECT_EQ(test, lvs_xmit_inner_mtu(v6, 1300, V6_HDR), 1280);
	KUNIT_EXPECT_EQ(test, lvs_xmit_inner_mtu(v6, 1300, V4_HDR), 1280);
	KUNIT_EXPECT_EQ(test, lvs_xmit_inner_mtu(v6, 1299, V4_HDR), 1280);
	KUNIT_EXPECT_EQ(test, lvs_xmit_inner_mtu(v6, 576, V4_HDR), 1280);
	KUNIT_EXPECT_EQ(test, lvs_xmit_inner_mtu(v4, 576, V4_HDR), 556);
	KUNIT_EXPECT_EQ(test, lvs_xmit_inner_mtu(v4, 88, V4_HDR), 68);
	KUNIT_EXPECT_EQ(test, lvs_xmit_inner_mtu(v4, 87, V4_HDR), 0);
	KUNIT_EXPECT_EQ(test, lvs_xmit_inner_mtu(v4, 107, V6_HDR), 0);
	KUNIT_EXPECT_EQ(test, lvs_xmit_inner_mtu(v4, 1280, V6_HDR), 1240);
	kfree_skb(v4);
	kfree_skb(v6);
}

/*
 * What fits: anything small enough, an IPv4 packet without DF whatever
 * its size (it may be fragmented), and a reassembled IPv6 packet whose
 * largest fragment fits. An IPv4 packet with DF that is too big does not
 * (the ICMP error it earns goes nowhere: the packet has no route).
 */
static void fits(struct kunit *test)
{
	struct sk_buff *df = build(test, false, 1400, true);
	struct sk_buff *nodf = build(test, false, 1400, false);
	struct sk_buff *v6 = build(test, true, 1400, false);

	KUNIT_EXPECT_TRUE(test, lvs_xmit_fits(df, 1400));
	KUNIT_EXPECT_FALSE(test, lvs_xmit_fits(df, 1360));
	KUNIT_EXPECT_TRUE(test, lvs_xmit_fits(nodf, 1360));
	KUNIT_EXPECT_TRUE(test, lvs_xmit_fits(v6, 1400));
	IP6CB(v6)->frag_max_size = 1280;
	KUNIT_EXPECT_TRUE(test, lvs_xmit_fits(v6, 1360));
	kfree_skb(df);
	kfree_skb(nodf);
	kfree_skb(v6);
}

/*
 * What does not fit in IPv6, where no router fragments: a packet too big,
 * and a reassembled one whose largest fragment is too big, however small
 * the whole (its fragments are sent as they came). The packet-too-big
 * each earns goes nowhere: the packet has no device.
 */
static void fits_not_v6(struct kunit *test)
{
	struct sk_buff *v6 = build(test, true, 1400, false);
	struct sk_buff *frags = build(test, true, 1400, false);

	KUNIT_EXPECT_FALSE(test, lvs_xmit_fits(v6, 1399));
	KUNIT_EXPECT_FALSE(test, lvs_xmit_fits(v6, 1280));
	IP6CB(frags)->frag_max_size = 1361;
	KUNIT_EXPECT_FALSE(test, lvs_xmit_fits(frags, 1360));
	KUNIT_EXPECT_TRUE(test, lvs_xmit_fits(frags, 1361));
	/* The largest fragment decides, not the whole's length. */
	IP6CB(frags)->frag_max_size = 1404;
	KUNIT_EXPECT_FALSE(test, lvs_xmit_fits(frags, 1400));
	kfree_skb(v6);
	kfree_skb(frags);
}

/*
 * A GSO packet (TCP over IPv6, 20-byte TCP header) fits if each segment
 * does: 40 + 20 + gso_size bytes.
 */
static void fits_gso_v6(struct kunit *test)
{
	struct sk_buff *v6 = build(test, true, 3000, false);
	struct tcphdr *th;

	skb_set_transport_header(v6, V6_HDR);
	th = tcp_hdr(v6);
	th->doff = sizeof(*th) / 4;
	skb_shinfo(v6)->gso_type = SKB_GSO_TCPV6;
	skb_shinfo(v6)->gso_size = 1300;
	KUNIT_EXPECT_TRUE(test, lvs_xmit_fits(v6, 1360));
	KUNIT_EXPECT_FALSE(test, lvs_xmit_fits(v6, 1359));
	kfree_skb(v6);
}

/*
 * The fast path takes only what fits whole, less a tunnel's outer header:
 * an IPv4 packet without DF that the normal way would fragment, an IPv6
 * one the normal way would tell the IPv6 minimum, a GSO one whose
 * segments are too big: none. It sends nothing either way.
 */
static void fast_fits(struct kunit *test)
{
	struct sk_buff *df = build(test, false, 1400, true);
	struct sk_buff *nodf = build(test, false, 1400, false);
	struct sk_buff *v6 = build(test, true, 1400, false);
	struct sk_buff *gso = build(test, true, 3000, false);
	struct tcphdr *th;

	KUNIT_EXPECT_TRUE(test, lvs_xmit_fast_fits(df, 1400, 0));
	KUNIT_EXPECT_FALSE(test, lvs_xmit_fast_fits(df, 1399, 0));
	KUNIT_EXPECT_TRUE(test, lvs_xmit_fast_fits(df, 1420, V4_HDR));
	KUNIT_EXPECT_FALSE(test, lvs_xmit_fast_fits(df, 1420, V6_HDR));
	KUNIT_EXPECT_FALSE(test, lvs_xmit_fast_fits(nodf, 1360, 0));
	KUNIT_EXPECT_TRUE(test, lvs_xmit_fast_fits(v6, 1440, V6_HDR));
	/* Told 1280 on the normal way, then cut: not the fast path's. */
	KUNIT_EXPECT_FALSE(test, lvs_xmit_fast_fits(v6, 1300, V6_HDR));
	/* A route too small for the outer header and a minimal packet. */
	KUNIT_EXPECT_FALSE(test, lvs_xmit_fast_fits(df, 80, V4_HDR));

	skb_set_transport_header(gso, V6_HDR);
	th = tcp_hdr(gso);
	th->doff = sizeof(*th) / 4;
	skb_shinfo(gso)->gso_type = SKB_GSO_TCPV6;
	skb_shinfo(gso)->gso_size = 1300;
	KUNIT_EXPECT_TRUE(test, lvs_xmit_fast_fits(gso, 1360, 0));
	KUNIT_EXPECT_FALSE(test, lvs_xmit_fast_fits(gso, 1359, 0));
	kfree_skb(df);
	kfree_skb(nodf);
	kfree_skb(v6);
	kfree_skb(gso);
}

static struct kunit_case lvs_xmit_cases[] = {
	KUNIT_CASE(inner_mtu_of_route),
	KUNIT_CASE(inner_mtu_floors),
	KUNIT_CASE(fits),
	KUNIT_CASE(fits_not_v6),
	KUNIT_CASE(fits_gso_v6),
	KUNIT_CASE(fast_fits),
	{}
};

static struct kunit_suite lvs_xmit_suite = {
	.name		= "lvs_xmit",
	.test_cases	= lvs_xmit_cases,
};

kunit_test_suite(lvs_xmit_suite);
