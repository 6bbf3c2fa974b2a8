// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: packet parsing and the protocol state machines, table-driven:
 * each case is a packet sequence and the state named after every packet.
 */

#include <kunit/test.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <net/ipv6.h>

#include "proto.h"

struct step {
	enum lvs_dir dir;
	u8 flags;
	const char *state;	/* expected afterwards */
};

struct tcp_case {
	const char *name;
	const struct step *steps;
	unsigned int n;
};

#define IN	LVS_DIR_IN
#define OUT	LVS_DIR_OUT
#define SYN	LVS_TCP_SYN
#define ACK	LVS_TCP_ACK
#define FIN	LVS_TCP_FIN
#define RST	LVS_TCP_RST

static const struct step nat_client_closes[] = {
	{ IN,  SYN,	  "SYN_RECV" },
	{ OUT, SYN | ACK, "SYN_ACK" },
	{ IN,  ACK,	  "ESTABLISHED" },
	{ OUT, ACK,	  "ESTABLISHED" },
	{ IN,  FIN | ACK, "FIN_WAIT" },
	{ OUT, ACK,	  "FIN_WAIT" },
	{ OUT, FIN | ACK, "TIME_WAIT" },
	{ IN,  ACK,	  "TIME_WAIT" },
};

static const struct step nat_server_closes[] = {
	{ IN,  SYN,	  "SYN_RECV" },
	{ OUT, SYN | ACK, "SYN_ACK" },
	{ IN,  ACK,	  "ESTABLISHED" },
	{ OUT, FIN | ACK, "CLOSE_WAIT" },
	{ IN,  ACK,	  "CLOSE_WAIT" },
	{ IN,  FIN | ACK, "TIME_WAIT" },
};

/* DR and TUN: the director sees only the client's half. */
static const struct step one_way[] = {
	{ IN, SYN,	 "SYN_RECV" },
	{ IN, SYN,	 "SYN_RECV" },	/* retransmitted SYN */
	{ IN, ACK,	 "ESTABLISHED" },
	{ IN, ACK,	 "ESTABLISHED" },
	{ IN, FIN | ACK, "FIN_WAIT" },
	{ IN, ACK,	 "FIN_WAIT" },
};

static const struct step reset[] = {
	{ IN,  SYN,	  "SYN_RECV" },
	{ OUT, RST | ACK, "CLOSE" },
	{ IN,  ACK,	  "CLOSE" },
	{ IN,  SYN,	  "SYN_RECV" },
};

static const struct step reset_established[] = {
	{ IN, SYN,	 "SYN_RECV" },
	{ IN, ACK,	 "ESTABLISHED" },
	{ IN, RST,	 "CLOSE" },
};

/* An active FTP data connection: the real server opens it. */
static const struct step server_opens[] = {
	{ OUT, SYN,	  "SYN_RECV" },
	{ IN,  SYN | ACK, "SYN_RECV" },
	{ OUT, ACK,	  "SYN_RECV" },
	{ IN,  ACK,	  "ESTABLISHED" },
	{ OUT, FIN | ACK, "CLOSE_WAIT" },
	{ IN,  FIN | ACK, "TIME_WAIT" },
};

static const struct tcp_case tcp_cases[] = {
	{ "nat client closes", nat_client_closes,
	  ARRAY_SIZE(nat_client_closes) },
	{ "nat server closes", nat_server_closes,
	  ARRAY_SIZE(nat_server_closes) },
	{ "one way", one_way, ARRAY_SIZE(one_way) },
	{ "reset in handshake", reset, ARRAY_SIZE(reset) },
	{ "reset established", reset_established,
	  ARRAY_SIZE(reset_established) },
	{ "server opens", server_opens, ARRAY_SIZE(server_opens) },
};

static void tcp_sequences(struct kunit *test)
{
	const struct lvs_proto *pp = &lvs_proto_tcp;
	unsigned int i, j;

	for (i = 0; i < ARRAY_SIZE(tcp_cases); i++) {
		const struct tcp_case *tc = &tcp_cases[i];
		u8 state = 0;

		for (j = 0; j < tc->n; j++) {
			struct lvs_pkt pkt = { .tcp_flags = tc->steps[j].flags };

			state = pp->next_state(state, &pkt, tc->steps[j].dir);
			KUNIT_ASSERT_LT(test, state, pp->num_states);
			KUNIT_EXPECT_STREQ_MSG(test, pp->state_names[state],
					       tc->steps[j].state,
					       "case \"%s\" step %u", tc->name,
					       j);
		}
	}
}

static void tcp_classes(struct kunit *test)
{
	const struct lvs_proto *pp = &lvs_proto_tcp;
	struct lvs_pkt pkt = {};
	unsigned int s, est = 0, closed = 0;

	pkt.tcp_flags = SYN;
	KUNIT_EXPECT_TRUE(test, pp->may_create(&pkt));
	pkt.tcp_flags = SYN | ACK;
	KUNIT_EXPECT_FALSE(test, pp->may_create(&pkt));
	pkt.tcp_flags = ACK;
	KUNIT_EXPECT_FALSE(test, pp->may_create(&pkt));
	pkt.tcp_flags = SYN | FIN;
	KUNIT_EXPECT_FALSE(test, pp->may_create(&pkt));

	/* What must carry a good checksum: SYN, FIN and RST, not ACK. */
	KUNIT_EXPECT_TRUE(test, pp->control(&pkt));
	pkt.tcp_flags = RST | ACK;
	KUNIT_EXPECT_TRUE(test, pp->control(&pkt));
	pkt.tcp_flags = FIN | ACK;
	KUNIT_EXPECT_TRUE(test, pp->control(&pkt));
	pkt.tcp_flags = ACK;
	KUNIT_EXPECT_FALSE(test, pp->control(&pkt));
	pkt.tcp_flags = 0;
	KUNIT_EXPECT_FALSE(test, pp->control(&pkt));

	for (s = 0; s < pp->num_states; s++) {
		KUNIT_EXPECT_NOT_NULL(test, pp->state_names[s]);
		KUNIT_EXPECT_GT(test, pp->timeouts[s], 0);
		if (lvs_proto_state_active(pp, s)) {
			est++;
			KUNIT_EXPECT_STREQ(test, pp->state_names[s],
					   "ESTABLISHED");
		}
		closed += lvs_proto_state_closed(pp, s);
	}
	KUNIT_EXPECT_EQ(test, est, 1);
	KUNIT_EXPECT_EQ(test, closed, 4);
	KUNIT_EXPECT_LE(test, pp->num_states, LVS_PROTO_MAX_STATES);
}

static void udp_single_state(struct kunit *test)
{
	const struct lvs_proto *pp = &lvs_proto_udp;
	struct lvs_pkt pkt = {};

	KUNIT_EXPECT_TRUE(test, pp->may_create(&pkt));
	KUNIT_EXPECT_EQ(test, pp->next_state(0, &pkt, LVS_DIR_IN), 0);
	KUNIT_EXPECT_EQ(test, pp->next_state(0, &pkt, LVS_DIR_OUT), 0);
	KUNIT_EXPECT_FALSE(test, lvs_proto_state_active(pp, 0));
	KUNIT_EXPECT_EQ(test, pp->timeouts[0], 300);
}

/* An IPv4 packet: header plus @l4len bytes of transport header. */
static struct sk_buff *build_ip(struct kunit *test, u8 protocol,
				unsigned int l4len, __be16 frag_off)
{
	struct sk_buff *skb = alloc_skb(128, GFP_KERNEL);
	struct iphdr *iph;

	KUNIT_ASSERT_NOT_NULL(test, skb);
	skb_reset_network_header(skb);
	iph = skb_put_zero(skb, sizeof(*iph));
	iph->version = 4;
	iph->ihl = 5;
	iph->ttl = 64;
	iph->protocol = protocol;
	iph->frag_off = frag_off;
	iph->saddr = htonl(0xc0a80001);
	iph->daddr = htonl(0x0a000001);
	iph->tot_len = htons(sizeof(*iph) + l4len);
	skb_put_zero(skb, l4len);
	return skb;
}

static void parse_tcp(struct kunit *test)
{
	struct sk_buff *skb = build_ip(test, IPPROTO_TCP, sizeof(struct tcphdr), 0);
	struct tcphdr *th = (struct tcphdr *)(skb->data + sizeof(struct iphdr));
	struct lvs_pkt pkt;

	th->source = htons(40000);
	th->dest = htons(80);
	th->syn = 1;
	KUNIT_ASSERT_EQ(test, lvs_pkt_parse(skb, AF_INET, &pkt), 0);
	KUNIT_EXPECT_EQ(test, pkt.protocol, IPPROTO_TCP);
	KUNIT_EXPECT_EQ(test, ntohs(pkt.sport), 40000);
	KUNIT_EXPECT_EQ(test, ntohs(pkt.dport), 80);
	KUNIT_EXPECT_EQ(test, ntohl(pkt.saddr.ip), 0xc0a80001);
	KUNIT_EXPECT_EQ(test, ntohl(pkt.daddr.ip), 0x0a000001);
	KUNIT_EXPECT_EQ(test, pkt.tcp_flags, LVS_TCP_SYN);
	KUNIT_EXPECT_EQ(test, pkt.l4off, sizeof(struct iphdr));
	kfree_skb(skb);
}

static void parse_rejects(struct kunit *test)
{
	struct sk_buff *skb;
	struct lvs_pkt pkt;

	/* Truncated TCP header: malformed. */
	skb = build_ip(test, IPPROTO_TCP, 10, 0);
	KUNIT_EXPECT_EQ(test, lvs_pkt_parse(skb, AF_INET, &pkt), -EINVAL);
	kfree_skb(skb);

	/* Truncated UDP header: malformed. */
	skb = build_ip(test, IPPROTO_UDP, 4, 0);
	KUNIT_EXPECT_EQ(test, lvs_pkt_parse(skb, AF_INET, &pkt), -EINVAL);
	kfree_skb(skb);

	/* A later fragment has no ports to look at. */
	skb = build_ip(test, IPPROTO_UDP, 8, htons(100));
	KUNIT_EXPECT_EQ(test, lvs_pkt_parse(skb, AF_INET, &pkt),
			-EPROTONOSUPPORT);
	kfree_skb(skb);

	/* ICMP is not a service protocol. */
	skb = build_ip(test, IPPROTO_ICMP, 8, 0);
	KUNIT_EXPECT_EQ(test, lvs_pkt_parse(skb, AF_INET, &pkt),
			-EPROTONOSUPPORT);
	kfree_skb(skb);
}

/*
 * IPv6: a packet whose extension headers (each 8 bytes; a fragment header
 * carries @frag_off) come before @l4len bytes of transport header.
 */
struct parse6_case {
	const char *name;
	unsigned int n_ext;
	u8 exthdrs[3];		/* NEXTHDR_* in order */
	u8 protocol;
	unsigned int l4len;
	__be16 frag_off;
	int err;		/* what lvs_pkt_parse() returns */
	unsigned int l4off;	/* on success */
};

static const struct parse6_case parse6_cases[] = {
	{ "tcp", 0, { }, IPPROTO_TCP, 20, 0, 0, 40 },
	{ "dstopts, tcp", 1, { NEXTHDR_DEST }, IPPROTO_TCP, 20, 0, 0, 48 },
	{ "hop, dstopts, udp", 2, { NEXTHDR_HOP, NEXTHDR_DEST }, IPPROTO_UDP,
	  8, 0, 0, 56 },
	{ "first fragment, udp", 1, { NEXTHDR_FRAGMENT }, IPPROTO_UDP, 8,
	  htons(IP6_MF), 0, 48 },
	{ "later fragment", 1, { NEXTHDR_FRAGMENT }, IPPROTO_UDP, 8,
	  htons(1448), -EPROTONOSUPPORT },
	{ "dstopts, truncated tcp", 1, { NEXTHDR_DEST }, IPPROTO_TCP, 8, 0,
	  -EINVAL },
	{ "truncated extension header", 1, { NEXTHDR_DEST }, IPPROTO_TCP, 0,
	  0, -EPROTONOSUPPORT },
	{ "icmpv6", 0, { }, IPPROTO_ICMPV6, 8, 0, -EPROTONOSUPPORT },
};

static struct sk_buff *build_ip6(struct kunit *test,
				 const struct parse6_case *pc)
{
	struct sk_buff *skb = alloc_skb(256, GFP_KERNEL);
	struct ipv6hdr *ip6h;
	u8 *nexthdr;
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, skb);
	skb_reset_network_header(skb);
	ip6h = skb_put_zero(skb, sizeof(*ip6h));
	ip6h->version = 6;
	ip6h->hop_limit = 64;
	ip6h->saddr.s6_addr[0] = 0x20;
	ip6h->saddr.s6_addr[15] = 2;
	ip6h->daddr.s6_addr[0] = 0x20;
	ip6h->daddr.s6_addr[15] = 1;
	nexthdr = &ip6h->nexthdr;
	for (i = 0; i < pc->n_ext; i++) {
		u8 *ext = skb_put_zero(skb, 8);

		*nexthdr = pc->exthdrs[i];
		nexthdr = ext;
		if (pc->exthdrs[i] == NEXTHDR_FRAGMENT)
			((struct frag_hdr *)ext)->frag_off = pc->frag_off;
	}
	*nexthdr = pc->protocol;
	if (pc->l4len) {
		__be16 *ports = skb_put_zero(skb, pc->l4len);

		ports[0] = htons(40000);
		ports[1] = htons(80);
	} else {
		/* Not even the last extension header's first two bytes. */
		skb_trim(skb, skb->len - 7);
	}
	ip6h->payload_len = htons(skb->len - sizeof(*ip6h));
	return skb;
}

static void parse_ipv6(struct kunit *test)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(parse6_cases); i++) {
		const struct parse6_case *pc = &parse6_cases[i];
		struct sk_buff *skb = build_ip6(test, pc);
		struct lvs_pkt pkt;
		int err = lvs_pkt_parse(skb, AF_INET6, &pkt);

		KUNIT_EXPECT_EQ_MSG(test, err, pc->err, "%s", pc->name);
		if (!err && !pc->err) {
			KUNIT_EXPECT_EQ_MSG(test, pkt.l4off, pc->l4off, "%s",
					    pc->name);
			KUNIT_EXPECT_EQ(test, pkt.protocol, pc->protocol);
			KUNIT_EXPECT_EQ(test, pkt.af, AF_INET6);
			KUNIT_EXPECT_EQ(test, ntohs(pkt.sport), 40000);
			KUNIT_EXPECT_EQ(test, ntohs(pkt.dport), 80);
			KUNIT_EXPECT_TRUE(test,
					  ipv6_addr_equal(&pkt.daddr.in6,
							  &ipv6_hdr(skb)->daddr));
		}
		kfree_skb(skb);
	}
}

/* lvs_proto_find() names every protocol of the table, and nothing else. */
static void find_by_number(struct kunit *test)
{
	const struct lvs_proto *pp;
	unsigned int i;

	for (i = 0; (pp = lvs_proto_by_index(i)); i++)
		KUNIT_EXPECT_PTR_EQ(test, lvs_proto_find(pp->protocol), pp);
	KUNIT_EXPECT_EQ(test, i, (unsigned int)LVS_PROTO_COUNT);
	KUNIT_EXPECT_NULL(test, lvs_proto_find(0));
	KUNIT_EXPECT_NULL(test, lvs_proto_find(IPPROTO_ICMP));
	KUNIT_EXPECT_NULL(test, lvs_proto_find(IPPROTO_ICMPV6));
}

static struct kunit_case lvs_proto_cases[] = {
	KUNIT_CASE(find_by_number),
	KUNIT_CASE(tcp_sequences),
	KUNIT_CASE(tcp_classes),
	KUNIT_CASE(udp_single_state),
	KUNIT_CASE(parse_tcp),
	KUNIT_CASE(parse_rejects),
	KUNIT_CASE(parse_ipv6),
	{}
};

static struct kunit_suite lvs_proto_suite = {
	.name		= "lvs_proto",
	.test_cases	= lvs_proto_cases,
};

kunit_test_suite(lvs_proto_suite);
