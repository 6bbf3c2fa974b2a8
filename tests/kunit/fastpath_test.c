// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: what the fast path may take. Which packets, as they arrive, pass
 * for IPv4 or IPv6 without anything ip_rcv() or ipv6_rcv() would act on
 * (lvs_fast_l3()), which packets leave their connection as it is
 * (lvs_conn_steady()), and that those which move it move it as the
 * normal way does (lvs_conn_fast_update()).
 */

#include <kunit/test.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <net/ip.h>
#include <net/ipv6.h>

#include <uapi/linux/lvs.h>

#include "conn.h"
#include "dest.h"
#include "fastpath.h"
#include "hooks.h"
#include "netns.h"
#include "proto.h"
#include "service.h"
#include "stats.h"

#define PAYLOAD	20

/*
 * An IPv4 packet of a 20-byte header and PAYLOAD bytes of UDP, its
 * checksum right, then @pad bytes of link-layer padding; the control
 * block full of what the driver left.
 */
static struct sk_buff *build4(struct kunit *test, unsigned int pad)
{
	struct sk_buff *skb = alloc_skb(128, GFP_KERNEL);
	struct iphdr *iph;

	KUNIT_ASSERT_NOT_NULL(test, skb);
	skb_reset_network_header(skb);
	iph = skb_put_zero(skb, sizeof(*iph) + PAYLOAD + pad);
	skb->protocol = htons(ETH_P_IP);
	skb->skb_iif = 7;
	memset(skb->cb, 0xa5, sizeof(skb->cb));
	iph->version = 4;
	iph->ihl = 5;
	iph->ttl = 64;
	iph->protocol = IPPROTO_UDP;
	iph->tot_len = htons(sizeof(*iph) + PAYLOAD);
	iph->saddr = htonl(0x0a000002);
	iph->daddr = htonl(0x0a000001);
	ip_send_check(iph);
	return skb;
}

static struct sk_buff *build6(struct kunit *test, u8 nexthdr)
{
	struct sk_buff *skb = alloc_skb(128, GFP_KERNEL);
	struct ipv6hdr *ip6h;

	KUNIT_ASSERT_NOT_NULL(test, skb);
	skb_reset_network_header(skb);
	ip6h = skb_put_zero(skb, sizeof(*ip6h) + PAYLOAD);
	skb->protocol = htons(ETH_P_IPV6);
	skb->skb_iif = 7;
	memset(skb->cb, 0xa5, sizeof(skb->cb));
	ip6h->version = 6;
	ip6h->hop_limit = 64;
	ip6h->nexthdr = nexthdr;
	ip6h->payload_len = htons(PAYLOAD);
	return skb;
}

/* Change the IPv4 header with @fn's edit, its checksum made right again. */
static int l3_edited(struct kunit *test, void (*fn)(struct iphdr *iph))
{
	struct sk_buff *skb = build4(test, 0);
	int af;

	fn(ip_hdr(skb));
	ip_send_check(ip_hdr(skb));
	af = lvs_fast_l3(skb);
	kfree_skb(skb);
	return af;
}

static void options(struct iphdr *iph)
{
	iph->ihl = 6;
}

static void last_hop(struct iphdr *iph)
{
	iph->ttl = 1;
}

static void first_fragment(struct iphdr *iph)
{
	iph->frag_off = htons(IP_MF);
}

static void later_fragment(struct iphdr *iph)
{
	iph->frag_off = htons(8);
}

static void longer_than_skb(struct iphdr *iph)
{
	iph->tot_len = htons(sizeof(*iph) + PAYLOAD + 1);
}

static void shorter_than_header(struct iphdr *iph)
{
	iph->tot_len = htons(sizeof(*iph) - 1);
}

static void version6(struct iphdr *iph)
{
	iph->version = 6;
}

/* A plain IPv4 packet passes, trimmed, with a control block of its own. */
static void ipv4_plain(struct kunit *test)
{
	struct sk_buff *skb = build4(test, 6);

	KUNIT_EXPECT_EQ(test, lvs_fast_l3(skb), AF_INET);
	KUNIT_EXPECT_EQ(test, skb->len, sizeof(struct iphdr) + PAYLOAD);
	KUNIT_EXPECT_EQ(test, IPCB(skb)->flags, 0);
	KUNIT_EXPECT_EQ(test, IPCB(skb)->frag_max_size, 0);
	KUNIT_EXPECT_EQ(test, IPCB(skb)->iif, 7);
	kfree_skb(skb);
}

static void ipv4_refused(struct kunit *test)
{
	struct sk_buff *skb = build4(test, 0);

	KUNIT_EXPECT_EQ(test, l3_edited(test, options), 0);
	KUNIT_EXPECT_EQ(test, l3_edited(test, last_hop), 0);
	KUNIT_EXPECT_EQ(test, l3_edited(test, first_fragment), 0);
	KUNIT_EXPECT_EQ(test, l3_edited(test, later_fragment), 0);
	KUNIT_EXPECT_EQ(test, l3_edited(test, longer_than_skb), 0);
	KUNIT_EXPECT_EQ(test, l3_edited(test, shorter_than_header), 0);
	KUNIT_EXPECT_EQ(test, l3_edited(test, version6), 0);

	/* A header checksum gone wrong. */
	ip_hdr(skb)->ttl--;
	KUNIT_EXPECT_EQ(test, lvs_fast_l3(skb), 0);
	kfree_skb(skb);

	/* Neither IPv4 nor IPv6. */
	skb = build4(test, 0);
	skb->protocol = htons(ETH_P_ARP);
	KUNIT_EXPECT_EQ(test, lvs_fast_l3(skb), 0);
	kfree_skb(skb);
}

static void ipv6_plain(struct kunit *test)
{
	static const u8 protos[] = { IPPROTO_TCP, IPPROTO_UDP, IPPROTO_SCTP };
	struct sk_buff *skb;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(protos); i++) {
		skb = build6(test, protos[i]);
		KUNIT_EXPECT_EQ(test, lvs_fast_l3(skb), AF_INET6);
		KUNIT_EXPECT_EQ(test, IP6CB(skb)->flags, 0);
		KUNIT_EXPECT_EQ(test, IP6CB(skb)->frag_max_size, 0);
		KUNIT_EXPECT_EQ(test, IP6CB(skb)->iif, 7);
		kfree_skb(skb);
	}
}

static void ipv6_refused(struct kunit *test)
{
	static const u8 others[] = { NEXTHDR_HOP, NEXTHDR_FRAGMENT,
				     NEXTHDR_ROUTING, NEXTHDR_DEST,
				     IPPROTO_ICMPV6, IPPROTO_GRE };
	struct sk_buff *skb;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(others); i++) {
		skb = build6(test, others[i]);
		KUNIT_EXPECT_EQ(test, lvs_fast_l3(skb), 0);
		kfree_skb(skb);
	}

	skb = build6(test, IPPROTO_UDP);
	ipv6_hdr(skb)->hop_limit = 1;
	KUNIT_EXPECT_EQ(test, lvs_fast_l3(skb), 0);
	ipv6_hdr(skb)->hop_limit = 64;
	/* A jumbogram's payload length, and one past the packet. */
	ipv6_hdr(skb)->payload_len = 0;
	KUNIT_EXPECT_EQ(test, lvs_fast_l3(skb), 0);
	ipv6_hdr(skb)->payload_len = htons(PAYLOAD + 1);
	KUNIT_EXPECT_EQ(test, lvs_fast_l3(skb), 0);
	ipv6_hdr(skb)->payload_len = htons(PAYLOAD);
	ipv6_hdr(skb)->version = 4;
	KUNIT_EXPECT_EQ(test, lvs_fast_l3(skb), 0);
	kfree_skb(skb);
}

static u8 state_of(struct kunit *test, const struct lvs_proto *pp,
		   const char *name)
{
	u8 s;

	for (s = 0; s < pp->num_states; s++)
		if (!strcmp(pp->state_names[s], name))
			return s;
	KUNIT_FAIL(test, "%s has no state %s", pp->name, name);
	return 0;
}

static bool steady(struct lvs_conn *c, u8 tcp_flags, enum lvs_dir dir)
{
	struct lvs_pkt pkt = {
		.protocol = c->in.protocol,
		.tcp_flags = tcp_flags,
	};

	return lvs_conn_steady(c, &pkt, dir);
}

/* Only segments that move nothing: no SYN, FIN or RST, and established. */
static void tcp_steady(struct kunit *test)
{
	const struct lvs_proto *pp = &lvs_proto_tcp;
	struct lvs_conn c = {
		.in.protocol = IPPROTO_TCP,
		.fwd = LVS_FWD_NAT,
		.state = state_of(test, pp, "ESTABLISHED"),
	};

	KUNIT_EXPECT_TRUE(test, steady(&c, LVS_TCP_ACK, LVS_DIR_IN));
	KUNIT_EXPECT_TRUE(test, steady(&c, LVS_TCP_ACK, LVS_DIR_OUT));
	KUNIT_EXPECT_FALSE(test, steady(&c, LVS_TCP_ACK | LVS_TCP_FIN,
					LVS_DIR_IN));
	KUNIT_EXPECT_FALSE(test, steady(&c, LVS_TCP_RST, LVS_DIR_IN));
	KUNIT_EXPECT_FALSE(test, steady(&c, LVS_TCP_SYN, LVS_DIR_IN));
	KUNIT_EXPECT_FALSE(test, steady(&c, LVS_TCP_ACK | LVS_TCP_SYN,
					LVS_DIR_OUT));

	/* The handshake's last ACK establishes the connection. */
	c.state = state_of(test, pp, "SYN_RECV");
	KUNIT_EXPECT_FALSE(test, steady(&c, LVS_TCP_ACK, LVS_DIR_IN));
}

/*
 * UDP has one state; what changes is whether the entry is a stream
 * (LVS_CONN_STREAM), which a NAT entry becomes at the client's packet
 * after an answer (LVS_CONN_ANSWERED), and an entry that sees no answers
 * at its second packet.
 */
static void udp_steady(struct kunit *test)
{
	struct lvs_conn c = {
		.in.protocol = IPPROTO_UDP,
		.fwd = LVS_FWD_NAT,
	};

	KUNIT_EXPECT_TRUE(test, steady(&c, 0, LVS_DIR_IN));
	KUNIT_EXPECT_FALSE(test, steady(&c, 0, LVS_DIR_OUT));
	lvs_conn_set(&c, LVS_CONN_ANSWERED);
	KUNIT_EXPECT_FALSE(test, steady(&c, 0, LVS_DIR_IN));
	KUNIT_EXPECT_TRUE(test, steady(&c, 0, LVS_DIR_OUT));
	lvs_conn_set(&c, LVS_CONN_STREAM);
	KUNIT_EXPECT_TRUE(test, steady(&c, 0, LVS_DIR_IN));
	KUNIT_EXPECT_TRUE(test, steady(&c, 0, LVS_DIR_OUT));

	atomic_set(&c.flags, 0);
	c.fwd = LVS_FWD_DR;
	KUNIT_EXPECT_FALSE(test, steady(&c, 0, LVS_DIR_IN));
	lvs_conn_set(&c, LVS_CONN_STREAM);
	KUNIT_EXPECT_TRUE(test, steady(&c, 0, LVS_DIR_IN));
}

/*
 * The fast path moves an entry as the normal way does
 * (lvs_conn_fast_update()): a handshake's last ACK makes a TCP entry
 * ESTABLISHED and its destination's connection active, a FIN inactive
 * again; a NAT UDP entry's client datagram after an answer makes it a
 * stream. Each packet is counted.
 */
static void fast_update(struct kunit *test)
{
	const struct lvs_proto *pp = &lvs_proto_tcp;
	struct lvs_service *svc = kunit_kzalloc(test, sizeof(*svc), GFP_KERNEL);
	struct lvs_dest *dest = kunit_kzalloc(test, sizeof(*dest), GFP_KERNEL);
	struct lvs_net *ln = kunit_kzalloc(test, sizeof(*ln), GFP_KERNEL);
	struct lvs_pkt pkt = {
		.protocol = IPPROTO_TCP,
		.tcp_flags = LVS_TCP_ACK,
		.len = 52,
	};
	struct lvs_conn c = {
		.in.protocol = IPPROTO_TCP,
		.fwd = LVS_FWD_NAT,
		.dest = dest,
	};
	struct lvs_stats sum;

	KUNIT_ASSERT_NOT_NULL(test, svc);
	KUNIT_ASSERT_NOT_NULL(test, dest);
	KUNIT_ASSERT_NOT_NULL(test, ln);
	svc->stats = lvs_stats_alloc();
	dest->stats = lvs_stats_alloc();
	KUNIT_ASSERT_NOT_NULL(test, svc->stats);
	KUNIT_ASSERT_NOT_NULL(test, dest->stats);
	dest->svc = svc;
	spin_lock_init(&c.lock);
	c.state = state_of(test, pp, "SYN_RECV");
	atomic_set(&dest->inactconns, 1);

	local_bh_disable();
	lvs_conn_fast_update(ln, &c, &pkt, LVS_DIR_IN);
	local_bh_enable();
	KUNIT_EXPECT_EQ(test, c.state, state_of(test, pp, "ESTABLISHED"));
	KUNIT_EXPECT_EQ(test, atomic_read(&dest->activeconns), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&dest->inactconns), 0);

	pkt.tcp_flags = LVS_TCP_ACK | LVS_TCP_FIN;
	local_bh_disable();
	lvs_conn_fast_update(ln, &c, &pkt, LVS_DIR_IN);
	local_bh_enable();
	KUNIT_EXPECT_EQ(test, c.state, state_of(test, pp, "FIN_WAIT"));
	KUNIT_EXPECT_EQ(test, atomic_read(&dest->activeconns), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&dest->inactconns), 1);

	c.in.protocol = IPPROTO_UDP;
	c.state = 0;
	lvs_conn_set(&c, LVS_CONN_ANSWERED);
	pkt.protocol = IPPROTO_UDP;
	local_bh_disable();
	lvs_conn_fast_update(ln, &c, &pkt, LVS_DIR_IN);
	local_bh_enable();
	KUNIT_EXPECT_TRUE(test, lvs_conn_has(&c, LVS_CONN_STREAM));

	lvs_stats_read(dest->stats, &sum);
	KUNIT_EXPECT_EQ(test, sum.inpkts, 3);
	KUNIT_EXPECT_EQ(test, sum.inbytes, 3 * 52);
	lvs_stats_read(svc->stats, &sum);
	KUNIT_EXPECT_EQ(test, sum.inpkts, 3);
	free_percpu(dest->stats);
	free_percpu(svc->stats);
}

static struct kunit_case lvs_fastpath_cases[] = {
	KUNIT_CASE(ipv4_plain),
	KUNIT_CASE(ipv4_refused),
	KUNIT_CASE(ipv6_plain),
	KUNIT_CASE(ipv6_refused),
	KUNIT_CASE(tcp_steady),
	KUNIT_CASE(udp_steady),
	KUNIT_CASE(fast_update),
	{}
};

static struct kunit_suite lvs_fastpath_suite = {
	.name		= "lvs_fastpath",
	.test_cases	= lvs_fastpath_cases,
};

kunit_test_suite(lvs_fastpath_suite);
