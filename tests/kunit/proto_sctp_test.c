// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the SCTP state machine, table-driven: each case is a sequence of
 * packets, named by direction and first chunk, and the state after each;
 * then the machine's classes and timeouts, the SCTP header parser, which
 * packets must carry a good CRC32c, and the CRC check itself on crafted
 * packets.
 */

#include <kunit/test.h>
#include <linux/ip.h>
#include <linux/sctp.h>

#include "proto.h"

struct sctp_step {
	enum lvs_dir dir;
	u8 chunk;
	const char *state;	/* expected afterwards */
};

struct sctp_case {
	const char *name;
	const struct sctp_step *steps;
	unsigned int n;
};

#define IN	LVS_DIR_IN
#define OUT	LVS_DIR_OUT
#define C_DATA	SCTP_CID_DATA
#define C_INIT	SCTP_CID_INIT
#define C_IACK	SCTP_CID_INIT_ACK
#define C_SACK	SCTP_CID_SACK
#define C_HB	SCTP_CID_HEARTBEAT
#define C_HBACK	SCTP_CID_HEARTBEAT_ACK
#define C_ABORT	SCTP_CID_ABORT
#define C_SHUT	SCTP_CID_SHUTDOWN
#define C_SHUTACK	SCTP_CID_SHUTDOWN_ACK
#define C_ERROR	SCTP_CID_ERROR
#define C_CECHO	SCTP_CID_COOKIE_ECHO
#define C_CACK	SCTP_CID_COOKIE_ACK
#define C_SCOMP	SCTP_CID_SHUTDOWN_COMPLETE

/* NAT: the director sees both directions. */
static const struct sctp_step nat_client_closes[] = {
	{ IN,  C_INIT,    "INIT" },
	{ OUT, C_IACK,    "INIT_ACK" },
	{ IN,  C_CECHO,   "COOKIE_ECHO" },
	{ OUT, C_CACK,    "ESTABLISHED" },
	{ IN,  C_DATA,    "ESTABLISHED" },
	{ OUT, C_SACK,    "ESTABLISHED" },
	{ IN,  C_HB,      "ESTABLISHED" },
	{ OUT, C_HBACK,   "ESTABLISHED" },
	{ IN,  C_SHUT,    "SHUTDOWN" },
	{ OUT, C_DATA,    "SHUTDOWN" },	/* the server flushes what it has */
	{ OUT, C_SHUTACK, "SHUTDOWN_ACK" },
	{ IN,  C_SCOMP,   "CLOSED" },
	{ IN,  C_DATA,    "CLOSED" },
};

static const struct sctp_step nat_server_closes[] = {
	{ IN,  C_INIT,    "INIT" },
	{ OUT, C_IACK,    "INIT_ACK" },
	{ IN,  C_CECHO,   "COOKIE_ECHO" },
	{ OUT, C_CACK,    "ESTABLISHED" },
	{ OUT, C_SHUT,    "SHUTDOWN" },
	{ IN,  C_SACK,    "SHUTDOWN" },
	{ IN,  C_SHUTACK, "SHUTDOWN_ACK" },
	{ OUT, C_SHUTACK, "SHUTDOWN_ACK" },	/* retransmitted */
	{ OUT, C_SCOMP,   "CLOSED" },
};

/* The server's first DATA establishes as its COOKIE ACK would. */
static const struct sctp_step nat_server_data[] = {
	{ IN,  C_INIT,    "INIT" },
	{ OUT, C_IACK,    "INIT_ACK" },
	{ IN,  C_DATA,    "INIT_ACK" },
	{ IN,  C_CECHO,   "COOKIE_ECHO" },
	{ OUT, C_DATA,    "ESTABLISHED" },
};

/* DR and TUN: only the client's half. */
static const struct sctp_step one_way_client_closes[] = {
	{ IN,  C_INIT,    "INIT" },
	{ IN,  C_INIT,    "INIT" },		/* retransmitted */
	{ IN,  C_CECHO,   "COOKIE_ECHO" },
	{ IN,  C_CECHO,   "COOKIE_ECHO" },	/* retransmitted */
	{ IN,  C_DATA,    "ESTABLISHED" },
	{ IN,  C_SACK,    "ESTABLISHED" },
	{ IN,  C_SHUT,    "SHUTDOWN" },
	{ IN,  C_SHUT,    "SHUTDOWN" },
	{ IN,  C_SCOMP,   "CLOSED" },
};

static const struct sctp_step one_way_server_closes[] = {
	{ IN,  C_INIT,    "INIT" },
	{ IN,  C_CECHO,   "COOKIE_ECHO" },
	{ IN,  C_SACK,    "ESTABLISHED" },
	{ IN,  C_HBACK,   "ESTABLISHED" },
	{ IN,  C_SHUTACK, "SHUTDOWN_ACK" },
	{ IN,  C_SACK,    "SHUTDOWN_ACK" },
};

/* A client that closes before sending anything goes through SHUTDOWN. */
static const struct sctp_step one_way_no_data[] = {
	{ IN,  C_INIT,    "INIT" },
	{ IN,  C_CECHO,   "COOKIE_ECHO" },
	{ IN,  C_SHUT,    "SHUTDOWN" },
	{ IN,  C_SCOMP,   "CLOSED" },
};

/* The real server's INIT crosses the client's; the client answers it. */
static const struct sctp_step init_collision[] = {
	{ IN,  C_INIT,    "INIT" },
	{ OUT, C_INIT,    "INIT" },
	{ IN,  C_IACK,    "INIT_ACK" },
	{ OUT, C_CECHO,   "COOKIE_ECHO" },
	{ IN,  C_CACK,    "ESTABLISHED" },
};

/* The same seen from the client's half only. */
static const struct sctp_step init_collision_one_way[] = {
	{ IN,  C_INIT,    "INIT" },
	{ IN,  C_IACK,    "INIT_ACK" },
	{ IN,  C_CACK,    "ESTABLISHED" },
};

static const struct sctp_step abort_handshake[] = {
	{ IN,  C_INIT,    "INIT" },
	{ OUT, C_ABORT,   "CLOSED" },
	{ IN,  C_CECHO,   "CLOSED" },
	{ IN,  C_INIT,    "INIT" },	/* the packet path makes it a new one */
};

static const struct sctp_step abort_established[] = {
	{ IN,  C_INIT,    "INIT" },
	{ IN,  C_CECHO,   "COOKIE_ECHO" },
	{ IN,  C_DATA,    "ESTABLISHED" },
	{ IN,  C_ABORT,   "CLOSED" },
	{ OUT, C_ABORT,   "CLOSED" },
};

/* Stale cookie: the server's ERROR, then the client starts over. */
static const struct sctp_step stale_cookie[] = {
	{ IN,  C_INIT,    "INIT" },
	{ OUT, C_IACK,    "INIT_ACK" },
	{ IN,  C_CECHO,   "COOKIE_ECHO" },
	{ OUT, C_ERROR,   "COOKIE_ECHO" },
	{ IN,  C_INIT,    "INIT" },
	{ OUT, C_IACK,    "INIT_ACK" },
	{ IN,  C_CECHO,   "COOKIE_ECHO" },
	{ OUT, C_CACK,    "ESTABLISHED" },
};

/* A restart (new INIT on a live association) keeps it established. */
static const struct sctp_step restart[] = {
	{ IN,  C_INIT,    "INIT" },
	{ IN,  C_CECHO,   "COOKIE_ECHO" },
	{ IN,  C_DATA,    "ESTABLISHED" },
	{ IN,  C_INIT,    "ESTABLISHED" },
	{ OUT, C_IACK,    "ESTABLISHED" },
	{ IN,  C_CECHO,   "ESTABLISHED" },
	{ OUT, C_CACK,    "ESTABLISHED" },
	{ OUT, C_ERROR,   "ESTABLISHED" },
};

/* Replies about an association someone does not have. */
static const struct sctp_step ootb_in_handshake[] = {
	{ IN,  C_INIT,    "INIT" },
	{ IN,  C_SCOMP,   "INIT" },
	{ OUT, C_SHUTACK, "INIT" },
	{ IN,  C_CECHO,   "COOKIE_ECHO" },
	{ IN,  C_SCOMP,   "COOKIE_ECHO" },
	{ IN,  C_DATA,    "ESTABLISHED" },
};

/* Nothing but an INIT starts a connection, from either side. */
static const struct sctp_step out_first[] = {
	{ OUT, C_INIT,    "NONE" },
	{ OUT, C_DATA,    "NONE" },
	{ IN,  C_INIT,    "INIT" },
};

static const struct sctp_step closed_init_out[] = {
	{ IN,  C_INIT,    "INIT" },
	{ IN,  C_ABORT,   "CLOSED" },
	{ OUT, C_INIT,    "CLOSED" },
	{ IN,  C_INIT,    "INIT" },
};

static const struct sctp_case sctp_cases[] = {
	{ "nat client closes", nat_client_closes,
	  ARRAY_SIZE(nat_client_closes) },
	{ "nat server closes", nat_server_closes,
	  ARRAY_SIZE(nat_server_closes) },
	{ "nat server data", nat_server_data,
	  ARRAY_SIZE(nat_server_data) },
	{ "one way client closes", one_way_client_closes,
	  ARRAY_SIZE(one_way_client_closes) },
	{ "one way server closes", one_way_server_closes,
	  ARRAY_SIZE(one_way_server_closes) },
	{ "one way no data", one_way_no_data,
	  ARRAY_SIZE(one_way_no_data) },
	{ "init collision", init_collision,
	  ARRAY_SIZE(init_collision) },
	{ "init collision one way", init_collision_one_way,
	  ARRAY_SIZE(init_collision_one_way) },
	{ "abort handshake", abort_handshake,
	  ARRAY_SIZE(abort_handshake) },
	{ "abort established", abort_established,
	  ARRAY_SIZE(abort_established) },
	{ "stale cookie", stale_cookie,
	  ARRAY_SIZE(stale_cookie) },
	{ "restart", restart,
	  ARRAY_SIZE(restart) },
	{ "ootb in handshake", ootb_in_handshake,
	  ARRAY_SIZE(ootb_in_handshake) },
	{ "out first", out_first,
	  ARRAY_SIZE(out_first) },
	{ "closed init out", closed_init_out,
	  ARRAY_SIZE(closed_init_out) },
};

static const struct lvs_proto *pp = &lvs_proto_sctp;

static int state_by_name(const char *name)
{
	unsigned int s;

	for (s = 0; s < pp->num_states; s++)
		if (!strcmp(pp->state_names[s], name))
			return s;
	return -1;
}

static void sctp_sequences(struct kunit *test)
{
	unsigned int i, j;

	for (i = 0; i < ARRAY_SIZE(sctp_cases); i++) {
		const struct sctp_case *tc = &sctp_cases[i];
		u8 state = 0;

		for (j = 0; j < tc->n; j++) {
			struct lvs_pkt pkt = {
				.sctp_chunk = tc->steps[j].chunk
			};

			state = pp->next_state(state, &pkt, tc->steps[j].dir);
			KUNIT_ASSERT_LT(test, state, pp->num_states);
			KUNIT_EXPECT_STREQ_MSG(test, pp->state_names[state],
					       tc->steps[j].state,
					       "case %s step %u", tc->name, j);
		}
	}
}

/* Every state, direction and chunk type leads to a state. */
static void sctp_total(struct kunit *test)
{
	unsigned int s, dir, chunk;

	for (dir = 0; dir < 2; dir++)
		for (s = 0; s < pp->num_states; s++)
			for (chunk = 0; chunk < 256; chunk++) {
				struct lvs_pkt pkt = { .sctp_chunk = chunk };

				KUNIT_EXPECT_LT(test,
						pp->next_state(s, &pkt, dir),
						pp->num_states);
			}
}

static void sctp_may_create(struct kunit *test)
{
	unsigned int chunk, n = 0;

	for (chunk = 0; chunk < 256; chunk++) {
		struct lvs_pkt pkt = { .sctp_chunk = chunk };

		if (pp->may_create(&pkt)) {
			KUNIT_EXPECT_EQ(test, chunk, SCTP_CID_INIT);
			n++;
		}
	}
	KUNIT_EXPECT_EQ(test, n, 1);
}

/*
 * Per state: its default timeout, whether it is active, and whether a
 * client's INIT there ends the entry and opens a new connection.
 */
static const struct {
	const char *state;
	unsigned int timeout;
	bool active;
	bool closed;
} sctp_classes[] = {
	{ "NONE",	  2,   false, false },
	{ "INIT",	  60,  false, false },
	{ "INIT_ACK",	  60,  false, false },
	{ "COOKIE_ECHO",  60,  false, false },
	{ "ESTABLISHED",  900, true,  false },
	{ "SHUTDOWN",	  60,  false, true },
	{ "SHUTDOWN_ACK", 60,  false, true },
	{ "CLOSED",	  10,  false, true },
};

static void sctp_states(struct kunit *test)
{
	struct lvs_pkt init = { .sctp_chunk = SCTP_CID_INIT };
	unsigned int i;

	KUNIT_EXPECT_EQ(test, pp->num_states, ARRAY_SIZE(sctp_classes));
	KUNIT_EXPECT_LE(test, pp->num_states, LVS_PROTO_MAX_STATES);
	for (i = 0; i < ARRAY_SIZE(sctp_classes); i++) {
		int s = state_by_name(sctp_classes[i].state);

		KUNIT_ASSERT_GE_MSG(test, s, 0, "%s", sctp_classes[i].state);
		KUNIT_EXPECT_EQ_MSG(test, pp->timeouts[s],
				    sctp_classes[i].timeout, "%s",
				    sctp_classes[i].state);
		KUNIT_EXPECT_EQ_MSG(test, lvs_proto_state_active(pp, s),
				    sctp_classes[i].active, "%s",
				    sctp_classes[i].state);
		KUNIT_EXPECT_EQ_MSG(test, lvs_proto_state_closed(pp, s) &&
				    pp->may_create(&init),
				    sctp_classes[i].closed, "%s",
				    sctp_classes[i].state);
	}
}

/* SCTP is found by number and by index, as netns.c fills timeouts. */
static void sctp_registered(struct kunit *test)
{
	KUNIT_EXPECT_PTR_EQ(test, lvs_proto_find(IPPROTO_SCTP), pp);
	KUNIT_EXPECT_PTR_EQ(test, lvs_proto_by_index(LVS_PROTO_SCTP), pp);
	KUNIT_EXPECT_EQ(test, pp->index, LVS_PROTO_SCTP);
	KUNIT_EXPECT_STREQ(test, pp->name, "sctp");
}

/* An IPv4 packet with @l4len bytes of SCTP: ports, then @chunk first. */
static struct sk_buff *build_sctp(struct kunit *test, unsigned int l4len,
				  u8 chunk)
{
	struct sk_buff *skb = alloc_skb(128, GFP_KERNEL);
	struct iphdr *iph;
	u8 *l4;

	KUNIT_ASSERT_NOT_NULL(test, skb);
	skb_reset_network_header(skb);
	iph = skb_put_zero(skb, sizeof(*iph));
	iph->version = 4;
	iph->ihl = 5;
	iph->ttl = 64;
	iph->protocol = IPPROTO_SCTP;
	iph->saddr = htonl(0xc0a80001);
	iph->daddr = htonl(0x0a000001);
	iph->tot_len = htons(sizeof(*iph) + l4len);
	l4 = skb_put_zero(skb, l4len);
	if (l4len >= 4) {
		((__be16 *)l4)[0] = htons(40000);
		((__be16 *)l4)[1] = htons(3868);
	}
	if (l4len > sizeof(struct sctphdr))
		l4[sizeof(struct sctphdr)] = chunk;
	return skb;
}

static void parse_sctp(struct kunit *test)
{
	static const u8 chunks[] = { SCTP_CID_INIT, SCTP_CID_DATA,
				     SCTP_CID_SHUTDOWN_COMPLETE, 0xc1 };
	struct lvs_pkt pkt;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(chunks); i++) {
		struct sk_buff *skb = build_sctp(test, 32, chunks[i]);

		KUNIT_ASSERT_EQ(test, lvs_pkt_parse(skb, AF_INET, &pkt), 0);
		KUNIT_EXPECT_EQ(test, pkt.protocol, IPPROTO_SCTP);
		KUNIT_EXPECT_EQ(test, ntohs(pkt.sport), 40000);
		KUNIT_EXPECT_EQ(test, ntohs(pkt.dport), 3868);
		KUNIT_EXPECT_EQ(test, pkt.sctp_chunk, chunks[i]);
		KUNIT_EXPECT_EQ(test, pkt.l4off, sizeof(struct iphdr));
		kfree_skb(skb);
	}
}

/* No common header, or no chunk after it: malformed. */
static void parse_sctp_truncated(struct kunit *test)
{
	static const unsigned int lens[] = { 0, 4, 11, 12, 15 };
	struct lvs_pkt pkt;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(lens); i++) {
		struct sk_buff *skb = build_sctp(test, lens[i], SCTP_CID_INIT);

		KUNIT_EXPECT_EQ_MSG(test, lvs_pkt_parse(skb, AF_INET, &pkt),
				    -EINVAL, "%u bytes", lens[i]);
		kfree_skb(skb);
	}
}

/*
 * The chunks that must carry a good CRC are those the table names; every
 * other one moves a connection no further than DATA does, in any state.
 */
static void sctp_control(struct kunit *test)
{
	static const u8 named[] = {
		SCTP_CID_INIT, SCTP_CID_INIT_ACK, SCTP_CID_COOKIE_ECHO,
		SCTP_CID_COOKIE_ACK, SCTP_CID_SHUTDOWN, SCTP_CID_SHUTDOWN_ACK,
		SCTP_CID_SHUTDOWN_COMPLETE, SCTP_CID_ABORT, SCTP_CID_ERROR,
	};
	struct lvs_pkt data = { .sctp_chunk = SCTP_CID_DATA };
	unsigned int chunk, i, s, dir, n = 0;

	KUNIT_ASSERT_NOT_NULL(test, pp->control);
	for (i = 0; i < ARRAY_SIZE(named); i++) {
		struct lvs_pkt pkt = { .sctp_chunk = named[i] };

		KUNIT_EXPECT_TRUE_MSG(test, pp->control(&pkt), "chunk %u",
				      named[i]);
	}
	for (chunk = 0; chunk < 256; chunk++) {
		struct lvs_pkt pkt = { .sctp_chunk = chunk };

		if (pp->control(&pkt)) {
			n++;
			continue;
		}
		for (dir = 0; dir < 2; dir++)
			for (s = 0; s < pp->num_states; s++)
				KUNIT_EXPECT_EQ_MSG(test,
						    pp->next_state(s, &pkt, dir),
						    pp->next_state(s, &data, dir),
						    "chunk %u state %u dir %u",
						    chunk, s, dir);
	}
	KUNIT_EXPECT_EQ(test, n, ARRAY_SIZE(named));
}

/*
 * Two SCTP packets with their CRC32c as an independent implementation
 * computed it (its check value for "123456789" is 0xe3069283): an ABORT
 * from port 40004 to 80, tag 0x12345678, and an INIT from port 40005.
 */
static const u8 abort_pkt[] = {
	0x9c, 0x44, 0x00, 0x50, 0x12, 0x34, 0x56, 0x78,
	0x78, 0x98, 0x6c, 0x97,
	0x06, 0x00, 0x00, 0x04,
};

static const u8 init_pkt[] = {
	0x9c, 0x45, 0x00, 0x50, 0x00, 0x00, 0x00, 0x00,
	0xbe, 0x0f, 0x87, 0x5e,
	0x01, 0x00, 0x00, 0x14, 0x0b, 0xad, 0xca, 0xfe,
	0x00, 0x01, 0x00, 0x00, 0x00, 0x0a, 0xff, 0xff,
	0x00, 0x00, 0x00, 0x01,
};

#define L4OFF	sizeof(struct iphdr)

/*
 * An IPv4 packet carrying the @len bytes of SCTP at @l4: the first @lin of
 * them after the IP header, the rest in a page fragment.
 */
static struct sk_buff *build_crafted(struct kunit *test, const u8 *l4,
				     unsigned int len, unsigned int lin)
{
	struct sk_buff *skb = build_sctp(test, 0, 0);

	skb_put_data(skb, l4, lin);
	ip_hdr(skb)->tot_len = htons(L4OFF + len);
	if (lin < len) {
		struct page *page = alloc_page(GFP_KERNEL);

		KUNIT_ASSERT_NOT_NULL(test, page);
		memcpy(page_address(page), l4 + lin, len - lin);
		skb_add_rx_frag(skb, 0, page, 0, len - lin, PAGE_SIZE);
	}
	return skb;
}

/* lvs_l4_csum_ok() on @skb, which must leave its bytes as @l4 has them. */
static bool crc_ok(struct kunit *test, struct sk_buff *skb, const u8 *l4,
		   unsigned int len)
{
	u8 *copy = kunit_kzalloc(test, len, GFP_KERNEL);
	bool ok;

	KUNIT_ASSERT_NOT_NULL(test, copy);
	ok = lvs_l4_csum_ok(skb, AF_INET, IPPROTO_SCTP, L4OFF);
	KUNIT_ASSERT_EQ(test, skb_copy_bits(skb, L4OFF, copy, len), 0);
	KUNIT_EXPECT_EQ(test, memcmp(copy, l4, len), 0);
	return ok;
}

static const struct {
	const char *name;
	const u8 *bytes;
	unsigned int len;
} crafted[] = {
	{ "abort", abort_pkt, sizeof(abort_pkt) },
	{ "init", init_pkt, sizeof(init_pkt) },
};

/* Linear, and with the chunks or the INIT's body in a page: good. */
static void sctp_crc_good(struct kunit *test)
{
	unsigned int i, lin;

	for (i = 0; i < ARRAY_SIZE(crafted); i++) {
		for (lin = 12; lin <= crafted[i].len; lin += 4) {
			struct sk_buff *skb = build_crafted(test,
							    crafted[i].bytes,
							    crafted[i].len,
							    lin);
			struct sctphdr sh;

			memcpy(&sh, crafted[i].bytes, sizeof(sh));
			KUNIT_EXPECT_EQ_MSG(test, lvs_sctp_crc(skb, L4OFF, &sh),
					    sh.checksum, "%s linear %u",
					    crafted[i].name, lin);
			KUNIT_EXPECT_TRUE_MSG(test, crc_ok(test, skb,
							   crafted[i].bytes,
							   crafted[i].len),
					      "%s linear %u", crafted[i].name,
					      lin);
			kfree_skb(skb);
		}
	}
}

/* Any one bit flipped, CRC field or not, linear or paged: bad. */
static void sctp_crc_bad(struct kunit *test)
{
	unsigned int i, bit;
	u8 buf[64];

	for (i = 0; i < ARRAY_SIZE(crafted); i++) {
		unsigned int len = crafted[i].len;

		KUNIT_ASSERT_LE(test, len, sizeof(buf));
		for (bit = 0; bit < len * 8; bit++) {
			struct sk_buff *skb;

			memcpy(buf, crafted[i].bytes, len);
			buf[bit / 8] ^= 1 << (bit % 8);
			skb = build_crafted(test, buf, len,
					    bit % 2 ? len : 12);
			KUNIT_EXPECT_FALSE_MSG(test, crc_ok(test, skb, buf, len),
					       "%s bit %u", crafted[i].name,
					       bit);
			kfree_skb(skb);
		}
	}
}

/*
 * A CRC left to the device (CHECKSUM_PARTIAL) or checked by it
 * (CHECKSUM_UNNECESSARY) is believed; an Internet checksum's verdict
 * (CHECKSUM_COMPLETE, csum_valid) says nothing of it.
 */
static void sctp_crc_vouched(struct kunit *test)
{
	static const struct {
		u8 ip_summed;
		bool csum_valid;
		bool ok;
	} cases[] = {
		{ CHECKSUM_NONE,	false,	false },
		{ CHECKSUM_UNNECESSARY,	false,	true },
		{ CHECKSUM_PARTIAL,	false,	true },
		{ CHECKSUM_COMPLETE,	false,	false },
		{ CHECKSUM_NONE,	true,	false },
	};
	unsigned int i;
	u8 buf[sizeof(abort_pkt)];

	memcpy(buf, abort_pkt, sizeof(buf));
	buf[offsetof(struct sctphdr, checksum)] ^= 1;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct sk_buff *skb = build_crafted(test, buf, sizeof(buf),
						    sizeof(buf));

		skb->ip_summed = cases[i].ip_summed;
		skb->csum_valid = cases[i].csum_valid;
		if (skb->ip_summed == CHECKSUM_PARTIAL) {
			skb->csum_not_inet = 1;
			skb->csum_start = skb_network_header(skb) + L4OFF -
					  skb->head;
			skb->csum_offset = offsetof(struct sctphdr, checksum);
		}
		KUNIT_EXPECT_EQ_MSG(test, crc_ok(test, skb, buf, sizeof(buf)),
				    cases[i].ok, "case %u", i);
		kfree_skb(skb);
	}
}

static struct kunit_case lvs_proto_sctp_cases[] = {
	KUNIT_CASE(sctp_sequences),
	KUNIT_CASE(sctp_total),
	KUNIT_CASE(sctp_may_create),
	KUNIT_CASE(sctp_states),
	KUNIT_CASE(sctp_registered),
	KUNIT_CASE(parse_sctp),
	KUNIT_CASE(parse_sctp_truncated),
	KUNIT_CASE(sctp_control),
	KUNIT_CASE(sctp_crc_good),
	KUNIT_CASE(sctp_crc_bad),
	KUNIT_CASE(sctp_crc_vouched),
	{}
};

static struct kunit_suite lvs_proto_sctp_suite = {
	.name		= "lvs_proto_sctp",
	.test_cases	= lvs_proto_sctp_cases,
};

kunit_test_suite(lvs_proto_sctp_suite);
