// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: replacing payload bytes with text of another length leaves IPv4
 * and IPv6 TCP segments whole: the new text in place, the IP length and
 * header checksum updated, the TCP checksum right whether complete or left
 * to the device, with and without room in the buffer, and never touching
 * a clone's shared data.
 */

#include <kunit/test.h>

#include "mangle.h"
#include "tcp_skb.h"

static const char reply[] = "227 Entering Passive Mode (10,0,1,122,117,48).\r\n";
#define HP_START	27	/* where "10,0,1,122,117,48" starts */
#define HP_LEN		17

static unsigned int payload_off(u8 af)
{
	return tcp_skb_l4off(af) + sizeof(struct tcphdr);
}

static void check_segment(struct kunit *test, struct sk_buff *skb, u8 af,
			  bool partial, const char *want)
{
	unsigned int l4off = tcp_skb_l4off(af), plen = strlen(want);

	KUNIT_ASSERT_EQ(test, skb->len, payload_off(af) + plen);
	KUNIT_EXPECT_EQ(test, memcmp(skb->data + payload_off(af), want, plen),
			0);
	if (af == AF_INET6) {
		KUNIT_EXPECT_EQ(test, ntohs(ipv6_hdr(skb)->payload_len),
				skb->len - l4off);
	} else {
		KUNIT_EXPECT_EQ(test, ntohs(ip_hdr(skb)->tot_len), skb->len);
		KUNIT_EXPECT_EQ(test, ip_fast_csum(ip_hdr(skb), 5), 0);
	}
	if (partial)
		KUNIT_EXPECT_EQ(test, tcp_skb_th(skb, af)->check,
				(__sum16)~tcp_skb_pseudo(skb, af,
							 skb->len - l4off, 0));
	else
		KUNIT_EXPECT_EQ(test, tcp_skb_verify(skb, af), 0);
}

static void mangle_lengths(struct kunit *test)
{
	static const char *const texts[] = {
		"10,0,0,1,117,48",		/* shorter */
		"10,0,0,100,117,48",		/* as long */
		"192,168,200,100,117,48",	/* longer */
	};
	static const u8 afs[] = { AF_INET, AF_INET6 };
	unsigned int i, t;
	char want[128];

	/* Each family, text, checksum state, and with or without room. */
	for (i = 0; i < 2 * ARRAY_SIZE(texts) * 2 * 2; i++) {
		u8 af = afs[i % 2];
		bool partial = i / 2 % 2, room = i / 4 % 2;
		struct sk_buff *skb = tcp_skb(test, af, 1, NULL, 0, reply,
					      partial, room ? 64 : 0);

		t = i / 8;
		snprintf(want, sizeof(want), "%.*s%s%s", HP_START, reply,
			 texts[t], reply + HP_START + HP_LEN);
		KUNIT_ASSERT_EQ(test,
				lvs_tcp_mangle(skb, af, tcp_skb_l4off(af),
					       payload_off(af) + HP_START,
					       HP_LEN, texts[t],
					       strlen(texts[t])), 0);
		check_segment(test, skb, af, partial, want);
		kfree_skb(skb);
	}
}

/* A clone's buffer is shared: the original must stay as it was. */
static void mangle_clone(struct kunit *test)
{
	struct sk_buff *skb = tcp_skb(test, AF_INET, 1, NULL, 0, reply, false,
				      0);
	struct sk_buff *clone = skb_clone(skb, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, clone);
	KUNIT_ASSERT_EQ(test, lvs_tcp_mangle(clone, AF_INET, 20, 40 + HP_START,
					     HP_LEN, "1,2,3,4,5,6", 11), 0);
	check_segment(test, skb, AF_INET, false, reply);
	KUNIT_EXPECT_EQ(test, clone->len, skb->len - 6);
	KUNIT_EXPECT_EQ(test, tcp_skb_verify(clone, AF_INET), 0);
	kfree_skb(clone);
	kfree_skb(skb);
}

/* Nothing outside the payload is replaced; the packet stays as it was. */
static void mangle_bounds(struct kunit *test)
{
	struct sk_buff *skb = tcp_skb(test, AF_INET, 1, NULL, 0, reply, false,
				      0);
	unsigned int len = skb->len;

	KUNIT_EXPECT_EQ(test, lvs_tcp_mangle(skb, AF_INET, 20, 30, 4, "x", 1),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, lvs_tcp_mangle(skb, AF_INET, 20, len - 2, 3, "x",
					     1), -EINVAL);
	KUNIT_EXPECT_EQ(test, skb->len, len);
	check_segment(test, skb, AF_INET, false, reply);
	kfree_skb(skb);
}

static struct kunit_case lvs_mangle_cases[] = {
	KUNIT_CASE(mangle_lengths),
	KUNIT_CASE(mangle_clone),
	KUNIT_CASE(mangle_bounds),
	{}
};

static struct kunit_suite lvs_mangle_suite = {
	.name		= "lvs_mangle",
	.test_cases	= lvs_mangle_cases,
};

kunit_test_suite(lvs_mangle_suite);
