// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: after payload length changes, sequence numbers of the changed
 * direction move by the right offset on each side of the last change, the
 * peer's acknowledgments and SACK edges move back, retransmissions are
 * not counted twice, all across sequence number wraparound, and the TCP
 * checksum stays right.
 */

#include <kunit/test.h>

#include "kcompat.h"
#include "seqadj.h"
#include "tcp_skb.h"

struct seq_case {
	u32 seq;	/* sender's number */
	u32 seen;	/* the peer's */
};

static void expect_map(struct kunit *test, const struct lvs_seqadj *a,
		       const struct seq_case *cases, unsigned int n, u32 base)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		KUNIT_EXPECT_EQ_MSG(test, lvs_seqadj_seq(&a->p, cases[i].seq),
				    cases[i].seen, "base %u case %u", base, i);
		/* An acknowledgment of up to there maps back. */
		KUNIT_EXPECT_EQ_MSG(test, lvs_seqadj_ack(&a->p, cases[i].seen),
				    cases[i].seq, "base %u case %u", base, i);
	}
}

/*
 * The 48-byte segment at @base shrinks by 2, then the one at @base + 1000
 * grows by 3. Only the last change is remembered, so what maps right is
 * what a peer can still acknowledge: the bytes after the earlier change.
 */
static void seqadj_two_changes(struct kunit *test, u32 base)
{
	const struct seq_case first[] = {
		{ base - 1, base - 1 },
		{ base, base },			/* the changed segment */
		{ base + 48, base + 46 },
	};
	const struct seq_case second[] = {
		{ base + 48, base + 46 },
		{ base + 1000, base + 998 },	/* the second changed one */
		{ base + 1001, base + 1002 },
	};
	struct lvs_seqadj a;

	lvs_seqadj_init(&a);
	lvs_seqadj_record(&a, base, -2);
	lvs_seqadj_record(&a, base, -2);	/* retransmitted */
	expect_map(test, &a, first, ARRAY_SIZE(first), base);
	lvs_seqadj_record(&a, base + 1000, 3);
	lvs_seqadj_record(&a, base + 48, 7);	/* older: already counted */
	expect_map(test, &a, second, ARRAY_SIZE(second), base);
}

static void seqadj_offsets(struct kunit *test)
{
	seqadj_two_changes(test, 5000);
	seqadj_two_changes(test, 0xfffffe00);	/* wraps between changes */
	seqadj_two_changes(test, 0xffffffff);
}

/* The segment that changed at 1000 by -2 was 48 bytes, now 46. */
static void seqadj_ack_of_changed(struct kunit *test)
{
	struct lvs_seqadj a;

	lvs_seqadj_init(&a);
	lvs_seqadj_record(&a, 1000, -2);
	KUNIT_EXPECT_EQ(test, lvs_seqadj_ack(&a.p, 1046), 1048);
	lvs_seqadj_init(&a);
	lvs_seqadj_record(&a, 1000, 5);
	KUNIT_EXPECT_EQ(test, lvs_seqadj_ack(&a.p, 1053), 1048);
	KUNIT_EXPECT_EQ(test, lvs_seqadj_ack(&a.p, 1000), 1000);
}

static void seqadj_sender_skb(struct kunit *test)
{
	struct lvs_seqadj a;
	struct sk_buff *skb;
	unsigned int partial;

	lvs_seqadj_init(&a);
	for (partial = 0; partial < 2; partial++) {
		skb = tcp_skb(test, AF_INET, 7000, NULL, 0, "data", partial, 0);
		/* Unchanged connection: nothing moves. */
		KUNIT_ASSERT_EQ(test, lvs_seqadj_sender(&a, skb, 20), 0);
		KUNIT_EXPECT_EQ(test, ntohl(tcp_skb_th(skb, AF_INET)->seq),
				7000);
		kfree_skb(skb);
	}
	lvs_seqadj_record(&a, 1000, -2);
	for (partial = 0; partial < 2; partial++) {
		skb = tcp_skb(test, AF_INET6, 7000, NULL, 0, "data", partial,
			      0);
		KUNIT_ASSERT_EQ(test, lvs_seqadj_sender(&a, skb, 40), 0);
		KUNIT_EXPECT_EQ(test, ntohl(tcp_skb_th(skb, AF_INET6)->seq),
				6998);
		if (partial)
			KUNIT_EXPECT_EQ(test, tcp_skb_th(skb, AF_INET6)->check,
					(__sum16)~tcp_skb_pseudo(skb, AF_INET6,
								 skb->len - 40,
								 0));
		else
			KUNIT_EXPECT_EQ(test, tcp_skb_verify(skb, AF_INET6),
					0);
		kfree_skb(skb);
	}
}

static void seqadj_peer_skb(struct kunit *test)
{
	/* NOP, NOP, SACK with two blocks (after the change), NOP x 4. */
	static const u8 opts[24] = {
		1, 1, 5, 18,
		0, 0, 0x0b, 0xb8,	/* 3000 */
		0, 0, 0x0f, 0xa0,	/* 4000 */
		0, 0, 0x03, 0xe8,	/* 1000: the change itself */
		0, 0, 0x04, 0x00,	/* 1024 */
		1, 1, 1, 1,
	};
	struct lvs_seqadj a;
	struct sk_buff *skb;
	u8 *o;

	lvs_seqadj_init(&a);
	lvs_seqadj_record(&a, 1000, 4);
	skb = tcp_skb(test, AF_INET, 1, opts, sizeof(opts), "", false, 0);
	tcp_skb_th(skb, AF_INET)->ack_seq = htonl(2000);
	csum_replace4(&tcp_skb_th(skb, AF_INET)->check, htonl(1000),
		      htonl(2000));
	KUNIT_ASSERT_EQ(test, tcp_skb_verify(skb, AF_INET), 0);

	KUNIT_ASSERT_EQ(test, lvs_seqadj_peer(&a, skb, 20), 0);
	KUNIT_EXPECT_EQ(test, ntohl(tcp_skb_th(skb, AF_INET)->ack_seq), 1996);
	o = skb->data + 40;
	KUNIT_EXPECT_EQ(test, get_unaligned_be32(o + 4), 2996);
	KUNIT_EXPECT_EQ(test, get_unaligned_be32(o + 8), 3996);
	KUNIT_EXPECT_EQ(test, get_unaligned_be32(o + 12), 1000);
	KUNIT_EXPECT_EQ(test, get_unaligned_be32(o + 16), 1020);
	KUNIT_EXPECT_EQ(test, o[20], 1);
	KUNIT_EXPECT_EQ(test, tcp_skb_verify(skb, AF_INET), 0);
	kfree_skb(skb);
}

static struct kunit_case lvs_seqadj_cases[] = {
	KUNIT_CASE(seqadj_offsets),
	KUNIT_CASE(seqadj_ack_of_changed),
	KUNIT_CASE(seqadj_sender_skb),
	KUNIT_CASE(seqadj_peer_skb),
	{}
};

static struct kunit_suite lvs_seqadj_suite = {
	.name		= "lvs_seqadj",
	.test_cases	= lvs_seqadj_cases,
};

kunit_test_suite(lvs_seqadj_suite);
