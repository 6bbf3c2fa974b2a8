// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the FTP helper reads PORT, EPRT, 227 and 229 lines right, finds
 * them among other lines, and refuses anything malformed or incomplete.
 */

#include <kunit/test.h>
#include <linux/inet.h>

#include "ftp_parse.h"

struct parse_case {
	const char *text;
	bool from_client;
	enum lvs_ftp_kind kind;		/* LVS_FTP_NONE: refused */
	const char *addr;		/* NULL: none */
	u16 port;
	const char *hostport;		/* text at start/len, or NULL */
};

static const struct parse_case parse_cases[] = {
	{ "PORT 10,0,0,2,195,80\r\n", true, LVS_FTP_PORT, "10.0.0.2",
	  50000, "10,0,0,2,195,80" },
	{ "port 192,168,100,200,0,21\r\n", true, LVS_FTP_PORT,
	  "192.168.100.200", 21, "192,168,100,200,0,21" },
	{ "NOOP\r\nPORT 1,2,3,4,5,6\r\n", true, LVS_FTP_PORT, "1.2.3.4",
	  1286, "1,2,3,4,5,6" },
	{ "EPRT |1|132.235.1.2|6275|\r\n", true, LVS_FTP_EPRT,
	  "132.235.1.2", 6275, NULL },
	{ "EPRT |2|1080::8:800:200C:417A|5282|\r\n", true, LVS_FTP_EPRT,
	  "1080::8:800:200c:417a", 5282, NULL },
	{ "EPRT !2!2001:db8::2!65535!\r\n", true, LVS_FTP_EPRT,
	  "2001:db8::2", 65535, NULL },
	{ "227 Entering Passive Mode (10,0,1,122,117,48).\r\n", false,
	  LVS_FTP_PASV, "10.0.1.122", 30000, "10,0,1,122,117,48" },
	{ "227 =10,0,1,2,0,1\r\n", false, LVS_FTP_PASV, "10.0.1.2", 1,
	  "10,0,1,2,0,1" },
	{ "229 Entering Extended Passive Mode (|||6446|)\r\n", false,
	  LVS_FTP_EPSV, NULL, 6446, NULL },
	{ "150 Here comes the listing.\r\n226 Done.\r\n229 x (###21#)\r\n",
	  false, LVS_FTP_EPSV, NULL, 21, NULL },

	/* Incomplete lines: the rest may be in the next segment. */
	{ "PORT 10,0,0,2,195,8", true, },
	{ "227 Entering Passive Mode (10,0,1,2,117", false, },
	/* Out of range, too few, too many digits. */
	{ "PORT 10,0,0,256,195,80\r\n", true, },
	{ "PORT 10,0,0,2,195\r\n", true, },
	{ "PORT 10,0,0,2,195,0080\r\n", true, },
	{ "227 Entering Passive Mode (10,0,1,2,1,2000).\r\n", false, },
	/* Port 0: no connection can come from or go to it. */
	{ "PORT 10,0,0,2,0,0\r\n", true, },
	{ "227 Entering Passive Mode (10,0,1,2,0,0).\r\n", false, },
	{ "EPRT |1|10.0.0.2|0|\r\n", true, },
	{ "EPRT |1|10.0.0.2|65536|\r\n", true, },
	{ "EPRT |3|10.0.0.2|21|\r\n", true, },
	{ "EPRT |1|10.0.0.2.5|21|\r\n", true, },
	{ "EPRT |2|10.0.0.2|21|\r\n", true, },
	{ "EPRT |1|10.0.0.2|21\r\n", true, },
	{ "EPRT  1 10.0.0.2 21 \r\n", true, },
	{ "229 Entering Extended Passive Mode (||6446|)\r\n", false, },
	{ "229 Entering Extended Passive Mode (|||6446|\r\n", false, },
	{ "229 Entering Extended Passive Mode\r\n", false, },
	/* The wrong side, or another command. */
	{ "227 Entering Passive Mode (10,0,1,2,117,48).\r\n", true, },
	{ "PORT 10,0,0,2,195,80\r\n", false, },
	{ "PASV\r\n", true, },
	{ "2270 (10,0,1,2,117,48)\r\n", false, },
	{ "", true, },
};

static void ftp_parse_table(struct kunit *test)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(parse_cases); i++) {
		const struct parse_case *pc = &parse_cases[i];
		union nf_inet_addr want = {};
		struct lvs_ftp_match m;
		bool found;

		found = lvs_ftp_parse(pc->text, strlen(pc->text),
				      pc->from_client, &m);
		KUNIT_EXPECT_EQ_MSG(test, found, pc->kind != LVS_FTP_NONE,
				    "case %u: %s", i, pc->text);
		KUNIT_EXPECT_EQ_MSG(test, m.kind, pc->kind, "case %u", i);
		if (!found)
			continue;
		KUNIT_EXPECT_EQ_MSG(test, ntohs(m.port), pc->port, "case %u",
				    i);
		if (!pc->addr) {
			KUNIT_EXPECT_EQ_MSG(test, m.af, 0, "case %u", i);
		} else if (strchr(pc->addr, ':')) {
			KUNIT_ASSERT_TRUE(test, in6_pton(pc->addr, -1,
							 want.in6.s6_addr, -1,
							 NULL));
			KUNIT_EXPECT_EQ_MSG(test, m.af, AF_INET6, "case %u", i);
			KUNIT_EXPECT_TRUE_MSG(test, nf_inet_addr_cmp(&m.addr,
								     &want),
					      "case %u", i);
		} else {
			KUNIT_ASSERT_TRUE(test, in4_pton(pc->addr, -1,
							 (u8 *)&want.ip, -1,
							 NULL));
			KUNIT_EXPECT_EQ_MSG(test, m.af, AF_INET, "case %u", i);
			KUNIT_EXPECT_EQ_MSG(test, m.addr.ip, want.ip, "case %u",
					    i);
		}
		if (pc->hostport) {
			KUNIT_EXPECT_EQ_MSG(test, m.len, strlen(pc->hostport),
					    "case %u", i);
			KUNIT_EXPECT_EQ_MSG(test,
					    memcmp(pc->text + m.start,
						   pc->hostport, m.len), 0,
					    "case %u", i);
		}
	}
}

/* Every prefix of a valid line is refused, never read past its end. */
static void ftp_parse_prefixes(struct kunit *test)
{
	static const char *const lines[] = {
		"PORT 10,0,0,2,195,80\r\n",
		"EPRT |2|2001:db8::2|21|\r\n",
		"227 Entering Passive Mode (10,0,1,122,117,48).\r\n",
		"229 Entering Extended Passive Mode (|||6446|)\r\n",
	};
	struct lvs_ftp_match m;
	unsigned int i, len;
	char *buf;

	for (i = 0; i < ARRAY_SIZE(lines); i++) {
		bool client = lines[i][0] > '9';

		for (len = 0; len < strlen(lines[i]); len++) {
			/* Its own allocation, so KASAN sees an overrun. */
			buf = kunit_kmalloc(test, len ?: 1, GFP_KERNEL);
			KUNIT_ASSERT_NOT_NULL(test, buf);
			memcpy(buf, lines[i], len);
			KUNIT_EXPECT_FALSE_MSG(test,
					       lvs_ftp_parse(buf, len, client,
							     &m),
					       "line %u cut at %u", i, len);
		}
	}
}

static void ftp_hostport_format(struct kunit *test)
{
	char buf[LVS_FTP_HOSTPORT_MAX];
	int n;

	n = lvs_ftp_hostport(buf, sizeof(buf), htonl(0xffffffff), htons(65535));
	KUNIT_EXPECT_EQ(test, n, (int)strlen("255,255,255,255,255,255"));
	KUNIT_EXPECT_STREQ(test, buf, "255,255,255,255,255,255");
	n = lvs_ftp_hostport(buf, sizeof(buf), htonl(0x0a000001), htons(30000));
	KUNIT_EXPECT_STREQ(test, buf, "10,0,0,1,117,48");
	KUNIT_EXPECT_EQ(test, n, 15);
	KUNIT_EXPECT_EQ(test, lvs_ftp_hostport(buf, 8, htonl(0x0a000001),
					       htons(1)), -ENOSPC);
}

static struct kunit_case lvs_ftp_parse_cases[] = {
	KUNIT_CASE(ftp_parse_table),
	KUNIT_CASE(ftp_parse_prefixes),
	KUNIT_CASE(ftp_hostport_format),
	{}
};

static struct kunit_suite lvs_ftp_parse_suite = {
	.name		= "lvs_ftp_parse",
	.test_cases	= lvs_ftp_parse_cases,
};

kunit_test_suite(lvs_ftp_parse_suite);
