// SPDX-License-Identifier: GPL-2.0
/*
 * Test of the requests ipvsctl sends: command lines are parsed as main()
 * does, encoded with svc_put() and dest_put(), and each nest is compared
 * attribute by attribute (type, length, bytes, order, nothing extra) with
 * what include/uapi/linux/lvs.h specifies. The kernel validates strictly,
 * so an extra attribute or a wrong byte order would be refused there.
 * INFO_GET is built by info_msg() on a socket of the kernel's "nlctrl"
 * family, as lvs cannot be loaded here, and must be the genetlink header
 * alone: command, version, a doit (not a dump), no attributes.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/genetlink.h>

#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include "check.h"
#include "ipvsctl.h"
#include "nl.h"
#include "show.h"

struct want {
	int type;
	int len;
	const char *data;
};

/*
 * Ports and addresses are big-endian; u16 and u32 are in host order, here
 * written for a little-endian host.
 */
#define A(t, l, d) { t, l, d }
#define FAMILY4 A(LVS_SVC_ATTR_FAMILY, 2, "\x02\x00")
#define FAMILY6 A(LVS_SVC_ATTR_FAMILY, 2, "\x0a\x00")
#define TCP A(LVS_SVC_ATTR_PROTOCOL, 1, "\x06")
#define UDP A(LVS_SVC_ATTR_PROTOCOL, 1, "\x11")
#define SCTP A(LVS_SVC_ATTR_PROTOCOL, 1, "\x84")
#define VIP4 A(LVS_SVC_ATTR_ADDR, 4, "\x0a\x00\x00\x01")
#define VIP6 A(LVS_SVC_ATTR_ADDR, 16, \
	       "\x20\x01\x0d\xb8\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01")
#define PORT80 A(LVS_SVC_ATTR_PORT, 2, "\x00\x50")
#define FALLBACK(v) A(LVS_SVC_ATTR_SCHED_FALLBACK, 1, v)
#define HASH_PORT(v) A(LVS_SVC_ATTR_SCHED_HASH_PORT, 1, v)
#define ONE_PACKET(v) A(LVS_SVC_ATTR_ONE_PACKET, 1, v)
#define DRAINED(v) A(LVS_SVC_ATTR_PERSIST_DRAINED, 1, v)
#define TABLE_SIZE(v) A(LVS_SVC_ATTR_MH_TABLE_SIZE, 4, v)
#define FWMARK(v) A(LVS_SVC_ATTR_FWMARK, 4, v)
#define PERSIST(v) A(LVS_SVC_ATTR_PERSIST_TIMEOUT, 4, v)
#define PREFIX(v) A(LVS_SVC_ATTR_PERSIST_PREFIX, 1, v)
#define RIP4 A(LVS_DEST_ATTR_ADDR, 4, "\x0a\x00\x01\x02")
#define RIP6 A(LVS_DEST_ATTR_ADDR, 16, \
	       "\x20\x01\x0d\xb8\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02")
#define RPORT80 A(LVS_DEST_ATTR_PORT, 2, "\x00\x50")
#define U_THRESH(v) A(LVS_DEST_ATTR_U_THRESHOLD, 4, v)
#define L_THRESH(v) A(LVS_DEST_ATTR_L_THRESHOLD, 4, v)

struct req_case {
	const char *line;
	struct want svc[9];
	struct want dest[7];
};

#define NONE { A(0, 0, NULL) }

static const struct req_case cases[] = {
	{ "service add tcp 10.0.0.1:80 sched rr",
	  { FAMILY4, TCP, VIP4, PORT80,
	    A(LVS_SVC_ATTR_SCHED_NAME, 3, "rr\0") }, NONE },
	{ "service del udp [2001:db8::1]:65535",
	  { FAMILY6, UDP, VIP6, A(LVS_SVC_ATTR_PORT, 2, "\xff\xff") }, NONE },
	{ "service del tcp 10.0.0.1:80 force",
	  { FAMILY4, TCP, VIP4, PORT80, A(LVS_SVC_ATTR_FORCE, 0, "") }, NONE },
	{ "service del fwmark 7 family inet6 force",
	  { FAMILY6, FWMARK("\x07\x00\x00\x00"), A(LVS_SVC_ATTR_FORCE, 0, "") },
	  NONE },
	{ "service list", NONE, NONE },
	{ "service add sctp 10.0.0.1:80 sched rr",
	  { FAMILY4, SCTP, VIP4, PORT80,
	    A(LVS_SVC_ATTR_SCHED_NAME, 3, "rr\0") }, NONE },
	{ "dest add sctp 10.0.0.1:80 10.0.1.2:3868 nat",
	  { FAMILY4, SCTP, VIP4, PORT80 },
	  { A(LVS_DEST_ATTR_ADDR, 4, "\x0a\x00\x01\x02"),
	    A(LVS_DEST_ATTR_PORT, 2, "\x0f\x1c"),
	    A(LVS_DEST_ATTR_FWD_METHOD, 1, "\x00") } },
	{ "dest add tcp 10.0.0.1:80 10.0.1.2:8080 nat weight 1",
	  { FAMILY4, TCP, VIP4, PORT80 },
	  { A(LVS_DEST_ATTR_ADDR, 4, "\x0a\x00\x01\x02"),
	    A(LVS_DEST_ATTR_PORT, 2, "\x1f\x90"),
	    A(LVS_DEST_ATTR_FWD_METHOD, 1, "\x00"),
	    A(LVS_DEST_ATTR_WEIGHT, 4, "\x01\x00\x00\x00") } },
	{ "dest add tcp 10.0.0.1:80 10.0.1.2 weight 65535 tun",
	  { FAMILY4, TCP, VIP4, PORT80 },
	  { A(LVS_DEST_ATTR_ADDR, 4, "\x0a\x00\x01\x02"),
	    A(LVS_DEST_ATTR_PORT, 2, "\x00\x50"),
	    A(LVS_DEST_ATTR_FWD_METHOD, 1, "\x02"),
	    A(LVS_DEST_ATTR_WEIGHT, 4, "\xff\xff\x00\x00") } },
	{ "dest add tcp 10.0.0.1:80 10.0.1.2 dr",
	  { FAMILY4, TCP, VIP4, PORT80 },
	  { A(LVS_DEST_ATTR_ADDR, 4, "\x0a\x00\x01\x02"),
	    A(LVS_DEST_ATTR_PORT, 2, "\x00\x50"),
	    A(LVS_DEST_ATTR_FWD_METHOD, 1, "\x01") } },
	{ "dest add tcp 10.0.0.1:80 10.0.1.2 weight 0",
	  { FAMILY4, TCP, VIP4, PORT80 },
	  { A(LVS_DEST_ATTR_ADDR, 4, "\x0a\x00\x01\x02"),
	    A(LVS_DEST_ATTR_PORT, 2, "\x00\x50"),
	    A(LVS_DEST_ATTR_WEIGHT, 4, "\x00\x00\x00\x00") } },
	{ "dest del udp [2001:db8::1]:53 [2001:db8::2]",
	  { FAMILY6, UDP, VIP6, A(LVS_SVC_ATTR_PORT, 2, "\x00\x35") },
	  { A(LVS_DEST_ATTR_ADDR, 16,
	      "\x20\x01\x0d\xb8\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02"),
	    A(LVS_DEST_ATTR_PORT, 2, "\x00\x35") } },
	{ "dest list tcp 10.0.0.1:80",
	  { FAMILY4, TCP, VIP4, PORT80 }, NONE },
	/* A tunnel to the other family: the family goes with the address. */
	{ "dest add tcp 10.0.0.1:80 [2001:db8::2] tun",
	  { FAMILY4, TCP, VIP4, PORT80 },
	  { RIP6, A(LVS_DEST_ATTR_ADDR_FAMILY, 2, "\x0a\x00"), RPORT80,
	    A(LVS_DEST_ATTR_FWD_METHOD, 1, "\x02") } },
	{ "dest add udp [2001:db8::1]:80 192.168.1.2 weight 3 tun",
	  { FAMILY6, UDP, VIP6, PORT80 },
	  { A(LVS_DEST_ATTR_ADDR, 4, "\xc0\xa8\x01\x02"),
	    A(LVS_DEST_ATTR_ADDR_FAMILY, 2, "\x02\x00"), RPORT80,
	    A(LVS_DEST_ATTR_FWD_METHOD, 1, "\x02"),
	    A(LVS_DEST_ATTR_WEIGHT, 4, "\x03\x00\x00\x00") } },
	{ "dest change tcp 10.0.0.1:80 [2001:db8::2] weight 0",
	  { FAMILY4, TCP, VIP4, PORT80 },
	  { RIP6, A(LVS_DEST_ATTR_ADDR_FAMILY, 2, "\x0a\x00"), RPORT80,
	    A(LVS_DEST_ATTR_WEIGHT, 4, "\x00\x00\x00\x00") } },
	{ "dest del tcp 10.0.0.1:80 [2001:db8::2]:80 force",
	  { FAMILY4, TCP, VIP4, PORT80 },
	  { RIP6, A(LVS_DEST_ATTR_ADDR_FAMILY, 2, "\x0a\x00"), RPORT80,
	    A(LVS_DEST_ATTR_FORCE, 0, "") } },
	{ "dest add fwmark 7 family inet6 10.0.1.2 tun",
	  { FAMILY6, FWMARK("\x07\x00\x00\x00") },
	  { RIP4, A(LVS_DEST_ATTR_ADDR_FAMILY, 2, "\x02\x00"),
	    A(LVS_DEST_ATTR_PORT, 2, "\x00\x00"),
	    A(LVS_DEST_ATTR_FWD_METHOD, 1, "\x02") } },

	/* Options in any order; sent in the order of lvs.h. */
	{ "service add tcp 10.0.0.1:80 table-size 65537 hash-port off sched mh fallback on",
	  { FAMILY4, TCP, VIP4, PORT80,
	    A(LVS_SVC_ATTR_SCHED_NAME, 3, "mh\0"), FALLBACK("\x01"),
	    HASH_PORT("\x00"), TABLE_SIZE("\x01\x00\x01\x00") }, NONE },
	{ "service add udp 10.0.0.1:80 sched sh hash-port on",
	  { FAMILY4, UDP, VIP4, PORT80,
	    A(LVS_SVC_ATTR_SCHED_NAME, 3, "sh\0"), HASH_PORT("\x01") },
	  NONE },
	{ "service add udp 10.0.0.1:80 one-packet on sched rr hash-port on",
	  { FAMILY4, UDP, VIP4, PORT80,
	    A(LVS_SVC_ATTR_SCHED_NAME, 3, "rr\0"), HASH_PORT("\x01"),
	    ONE_PACKET("\x01") }, NONE },
	{ "service change udp 10.0.0.1:80 one-packet off",
	  { FAMILY4, UDP, VIP4, PORT80, ONE_PACKET("\x00") }, NONE },
	{ "service change tcp 10.0.0.1:80 persist-drained on persistent 60",
	  { FAMILY4, TCP, VIP4, PORT80, A(LVS_SVC_ATTR_PERSIST_TIMEOUT, 4,
	    "\x3c\x00\x00\x00"), DRAINED("\x01") }, NONE },
	{ "service add tcp 10.0.0.1:80 sched rr persist-drained off",
	  { FAMILY4, TCP, VIP4, PORT80, A(LVS_SVC_ATTR_SCHED_NAME, 3, "rr\0"),
	    DRAINED("\x00") }, NONE },
	{ "service change tcp 10.0.0.1:80 sched wlc",
	  { FAMILY4, TCP, VIP4, PORT80,
	    A(LVS_SVC_ATTR_SCHED_NAME, 4, "wlc\0") }, NONE },
	{ "service change udp [2001:db8::1]:80 fallback off",
	  { FAMILY6, UDP, VIP6, PORT80, FALLBACK("\x00") }, NONE },
	{ "service change tcp 10.0.0.1:80 table-size 1048573 fallback on",
	  { FAMILY4, TCP, VIP4, PORT80, FALLBACK("\x01"),
	    TABLE_SIZE("\xfd\xff\x0f\x00") }, NONE },
	/* Firewall marks, all ports and persistence. */
	{ "service add fwmark 7 sched rr persistent 300 netmask 255.255.255.0",
	  { FAMILY4, FWMARK("\x07\x00\x00\x00"),
	    A(LVS_SVC_ATTR_SCHED_NAME, 3, "rr\0"),
	    PERSIST("\x2c\x01\x00\x00"), PREFIX("\x18") }, NONE },
	{ "service del fwmark 4294967295 family inet6",
	  { FAMILY6, FWMARK("\xff\xff\xff\xff") }, NONE },
	{ "service change fwmark 1 family inet persistent 0",
	  { FAMILY4, FWMARK("\x01\x00\x00\x00"),
	    PERSIST("\x00\x00\x00\x00") }, NONE },
	{ "service add tcp 10.0.0.1:0 sched wlc netmask 0",
	  { FAMILY4, TCP, VIP4, A(LVS_SVC_ATTR_PORT, 2, "\x00\x00"),
	    A(LVS_SVC_ATTR_SCHED_NAME, 4, "wlc\0"), PREFIX("\x00") },
	  NONE },
	{ "service change udp [2001:db8::1]:80 netmask 64 persistent 2592000",
	  { FAMILY6, UDP, VIP6, PORT80, PERSIST("\x00\x8d\x27\x00"),
	    PREFIX("\x40") }, NONE },
	{ "dest add fwmark 7 10.0.1.2 dr",
	  { FAMILY4, FWMARK("\x07\x00\x00\x00") },
	  { RIP4, A(LVS_DEST_ATTR_PORT, 2, "\x00\x00"),
	    A(LVS_DEST_ATTR_FWD_METHOD, 1, "\x01") } },
	{ "dest add tcp 10.0.0.1:80 10.0.1.2 lthreshold 75 uthreshold 100",
	  { FAMILY4, TCP, VIP4, PORT80 },
	  { RIP4, RPORT80, U_THRESH("\x64\x00\x00\x00"),
	    L_THRESH("\x4b\x00\x00\x00") } },
	{ "dest add tcp 10.0.0.1:80 10.0.1.2:8080 nat weight 2 uthreshold 4294967295",
	  { FAMILY4, TCP, VIP4, PORT80 },
	  { RIP4, A(LVS_DEST_ATTR_PORT, 2, "\x1f\x90"),
	    A(LVS_DEST_ATTR_FWD_METHOD, 1, "\x00"),
	    A(LVS_DEST_ATTR_WEIGHT, 4, "\x02\x00\x00\x00"),
	    U_THRESH("\xff\xff\xff\xff") } },
	{ "dest change tcp 10.0.0.1:80 10.0.1.2 dr",
	  { FAMILY4, TCP, VIP4, PORT80 },
	  { RIP4, RPORT80, A(LVS_DEST_ATTR_FWD_METHOD, 1, "\x01") } },
	{ "dest change tcp 10.0.0.1:80 10.0.1.2 weight 0",
	  { FAMILY4, TCP, VIP4, PORT80 },
	  { RIP4, RPORT80, A(LVS_DEST_ATTR_WEIGHT, 4, "\x00\x00\x00\x00") } },
	{ "dest change tcp 10.0.0.1:80 10.0.1.2 lthreshold 10",
	  { FAMILY4, TCP, VIP4, PORT80 },
	  { RIP4, RPORT80, L_THRESH("\x0a\x00\x00\x00") } },
	/* An upper threshold of 0, no limit, allows any lower one. */
	{ "dest change tcp 10.0.0.1:80 10.0.1.2 lthreshold 5 uthreshold 0 weight 3",
	  { FAMILY4, TCP, VIP4, PORT80 },
	  { RIP4, RPORT80, A(LVS_DEST_ATTR_WEIGHT, 4, "\x03\x00\x00\x00"),
	    U_THRESH("\x00\x00\x00\x00"), L_THRESH("\x05\x00\x00\x00") } },
	{ "dest change tcp 10.0.0.1:80 10.0.1.2 uthreshold 10 lthreshold 10",
	  { FAMILY4, TCP, VIP4, PORT80 },
	  { RIP4, RPORT80, U_THRESH("\x0a\x00\x00\x00"),
	    L_THRESH("\x0a\x00\x00\x00") } },
};

static char why[128];

/* Type 0 ends a list of wanted attributes. */
static bool same_nest(struct nlattr *nest, const struct want *w,
		      const char *what)
{
	struct nlattr *a;
	int rem, i = 0;

	if (!w[0].type)
		return !nest;
	if (!nest || !(nest->nla_type & NLA_F_NESTED)) {
		snprintf(why, sizeof(why),
			 "%s: no nest, or NLA_F_NESTED not set", what);
		return false;
	}
	nla_for_each_nested(a, nest, rem) {
		if (!w[i].type || nla_type(a) != w[i].type ||
		    nla_len(a) != w[i].len ||
		    memcmp(nla_data(a), w[i].data, (size_t)w[i].len)) {
			snprintf(why, sizeof(why),
				 "%s: attribute %d is type %d, length %d",
				 what, i, nla_type(a), nla_len(a));
			return false;
		}
		i++;
	}
	if (w[i].type || rem) {
		snprintf(why, sizeof(why), "%s: attribute %d missing", what,
			 i);
		return false;
	}
	return true;
}

static void test_case(const struct req_case *c)
{
	struct nlattr *tb[LVS_ATTR_MAX + 1];
	char *copy = strdup(c->line), *argv[24], *save, *w;
	struct request req;
	struct nl_msg *m;
	int argc = 0;
	bool ok;

	why[0] = '\0';
	for (w = strtok_r(copy, " ", &save); w; w = strtok_r(NULL, " ", &save))
		argv[argc++] = w;
	m = nlmsg_alloc();
	genlmsg_put(m, 0, 0, 0x1234, 0, 0, 0, LVS_GENL_VERSION);
	ok = !cmd_parse(&req, argc, argv);
	if (ok && c->svc[0].type)
		ok = !svc_put(m, &req.svc);
	if (ok && c->dest[0].type)
		ok = !dest_put(m, &req.dest, req.svc.vip.family);
	ok = ok && !genlmsg_parse(nlmsg_hdr(m), 0, tb, LVS_ATTR_MAX, NULL) &&
	     same_nest(tb[LVS_ATTR_SERVICE], c->svc, "service") &&
	     same_nest(tb[LVS_ATTR_DEST], c->dest, "dest");
	if (!check(ok, "request: %s", c->line) && why[0])
		printf("\t%s\n", why);
	nlmsg_free(m);
	free(copy);
}

/*
 * "info set fastpath on|off" parses to the setting, and INFO_SET carries
 * it in LVS_ATTR_INFO, alone.
 */
static void test_info_set(struct lvs_nl *nl)
{
	struct nlattr *tb[LVS_ATTR_MAX + 1], *in[LVS_INFO_ATTR_MAX + 1];
	char *lines[][4] = { { "info", "set", "fastpath", "on" },
			     { "info", "set", "fastpath", "off" } };
	struct request req;
	struct nl_msg *m;
	int i;

	check(!cmd_parse(&req, 4, lines[0]) && req.verb &&
	      !strcmp(req.verb->name, "set") && req.fast_path &&
	      cmd_needs_kernel(&req), "request: info set fastpath on");
	check(!cmd_parse(&req, 4, lines[1]) && req.verb && !req.fast_path,
	      "request: info set fastpath off");
	for (i = 0; i < 2; i++) {
		m = info_set_msg(nl, !i);
		if (!check(m, "request: info set: INFO_SET is built"))
			return;
		check(genlmsg_hdr(nlmsg_hdr(m))->cmd == LVS_CMD_INFO_SET &&
		      !genlmsg_parse(nlmsg_hdr(m), 0, tb, LVS_ATTR_MAX, NULL) &&
		      tb[LVS_ATTR_INFO] && !tb[LVS_ATTR_SERVICE] &&
		      !nla_parse_nested(in, LVS_INFO_ATTR_MAX, tb[LVS_ATTR_INFO],
					NULL) &&
		      in[LVS_INFO_ATTR_FAST_PATH] &&
		      nla_get_u8(in[LVS_INFO_ATTR_FAST_PATH]) == !i &&
		      nla_len(tb[LVS_ATTR_INFO]) == NLA_HDRLEN + 4,
		      "request: info set: LVS_INFO_ATTR_FAST_PATH %d alone", !i);
		nlmsg_free(m);
	}
}

/* "info" and "info show" parse to the one verb, which sends INFO_GET. */
static void test_info(void)
{
	char *lines[][2] = { { "info" }, { "info", "show" } };
	struct genlmsghdr *g;
	struct nlmsghdr *nlh;
	struct request req;
	struct lvs_nl *nl;
	struct nl_msg *m;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(lines); i++)
		check(!cmd_parse(&req, lines[i][1] ? 2 : 1, lines[i]) &&
		      req.obj == &info_object && req.verb &&
		      !strcmp(req.verb->name, "show") && cmd_needs_kernel(&req),
		      "request: %s%s%s parses to \"info show\"", lines[i][0],
		      lines[i][1] ? " " : "", lines[i][1] ? lines[i][1] : "");

	if (lvs_nl_open_family(&nl, "nlctrl")) {
		printf("TEST: %-66s [SKIP]\n",
		       "request: info: no generic netlink here");
		return;
	}
	m = info_msg(nl);
	if (!check(m, "request: info: INFO_GET is built")) {
		lvs_nl_close(nl);
		return;
	}
	nlh = nlmsg_hdr(m);
	g = nlmsg_data(nlh);
	check(nlh->nlmsg_type == GENL_ID_CTRL && g->cmd == LVS_CMD_INFO_GET &&
	      g->version == LVS_GENL_VERSION,
	      "request: info: LVS_CMD_INFO_GET, version %d", LVS_GENL_VERSION);
	check((nlh->nlmsg_flags & NLM_F_ACK) &&
	      !(nlh->nlmsg_flags & NLM_F_DUMP),
	      "request: info: a doit with NLM_F_ACK, not a dump");
	if (!check(nlh->nlmsg_len == NLMSG_HDRLEN + GENL_HDRLEN &&
		   genlmsg_attrlen(g, 0) == 0,
		   "request: info: no attributes"))
		printf("\tmessage length %u\n", nlh->nlmsg_len);
	nlmsg_free(m);
	test_info_set(nl);
	lvs_nl_close(nl);
}

int main(void)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++)
		test_case(&cases[i]);
	test_info();
	return check_exit();
}
