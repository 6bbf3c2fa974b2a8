// SPDX-License-Identifier: GPL-2.0
/*
 * Test of the conn and timeout objects, of "dest del ... force" and of
 * "service flush", without a kernel. Like send_test, this file defines
 * every function of tools/ipvsctl/nl.c, so nl.o is never linked:
 * lvs_nl_exec() keeps a copy of the request and answers with reply
 * messages built here as include/uapi/linux/lvs.h describes them.
 * Checked: each request's command, flags and attributes byte for byte;
 * the text and JSON printed for connections, templates and timeouts;
 * that a dump restarted by a resize (-EAGAIN) still lists each entry
 * once; that malformed replies are refused. "conn_test conn-json" and
 * "conn_test timeout-json" print the JSON for tests/user/run to check
 * with python3.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include "check.h"
#include "conn.h"
#include "ipvsctl.h"
#include "nl.h"
#include "print.h"

#define FAKE_FAMILY 0x1234
#define MAX_REPLIES 8

struct lvs_nl {
	char why[256];
};

static struct lvs_nl fake_nl;
static char sent[4096];		/* the last request */
static struct nl_msg *replies[MAX_REPLIES];
static int n_replies;
static int answer_err;

int lvs_nl_open_family(struct lvs_nl **nlp, const char *name)
{
	*nlp = &fake_nl;
	return ST_OK;
}

int lvs_nl_open(struct lvs_nl **nlp)
{
	return lvs_nl_open_family(nlp, LVS_GENL_NAME);
}

void lvs_nl_close(struct lvs_nl *nl)
{
}

struct nl_msg *lvs_nl_msg(struct lvs_nl *nl, uint8_t cmd, int flags)
{
	return lvs_nl_msg_size(nl, cmd, flags, 0);
}

struct nl_msg *lvs_nl_msg_size(struct lvs_nl *nl, uint8_t cmd, int flags,
			       size_t size)
{
	struct nl_msg *msg = size ? nlmsg_alloc_size(size + 4096) :
				    nlmsg_alloc();

	if (!(flags & NLM_F_DUMP))
		flags |= NLM_F_ACK;
	if (msg && !genlmsg_put(msg, 0, 0, FAKE_FAMILY, 0, flags, cmd,
				LVS_GENL_VERSION)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

int lvs_nl_exec(struct lvs_nl *nl, struct nl_msg *msg, lvs_nl_reply_fn reply,
		void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	int i, err = 0;

	memset(sent, 0, sizeof(sent));
	if (nlh->nlmsg_len <= sizeof(sent))
		memcpy(sent, nlh, nlh->nlmsg_len);
	nlmsg_free(msg);
	for (i = 0; i < n_replies && reply && !err; i++)
		err = reply(nlmsg_hdr(replies[i]), arg);
	nl->why[0] = '\0';
	return err ? err : answer_err;
}

/* Only the monitor, which sends nothing, wants the socket. */
struct nl_sock *lvs_nl_sock(struct lvs_nl *nl)
{
	return NULL;
}

const char *lvs_nl_why(const struct lvs_nl *nl)
{
	return nl->why[0] ? nl->why : NULL;
}

int lvs_nl_ext_ack_msg(const struct nlmsghdr *nlh, char *buf, size_t size)
{
	return -1;
}

static void drop_replies(void)
{
	while (n_replies)
		nlmsg_free(replies[--n_replies]);
	answer_err = 0;
}

static struct nl_msg *new_reply(uint8_t cmd)
{
	struct nl_msg *m = nlmsg_alloc();

	if (!m || n_replies == MAX_REPLIES ||
	    !genlmsg_put(m, 0, 0, FAKE_FAMILY, 0, NLM_F_MULTI, cmd,
			 LVS_GENL_VERSION))
		exit(2);
	replies[n_replies++] = m;
	return m;
}

/* Run one command line as main() does; what it printed, to free(). */
static int run_line(const char *line, bool json, char **out)
{
	char *copy = strdup(line), *argv[24], *save, *w;
	struct ctx ctx = { .nl = &fake_nl };
	struct printer pr;
	struct request req;
	int argc = 0, status;
	size_t len;
	FILE *f;

	f = open_memstream(out, &len);
	if (!copy || !f)
		exit(2);
	pr_init(&pr, f, json, false);
	ctx.pr = &pr;
	for (w = strtok_r(copy, " ", &save); w && argc < 24;
	     w = strtok_r(NULL, " ", &save))
		argv[argc++] = w;
	status = cmd_parse(&req, argc, argv);
	if (!status)
		status = cmd_run(&ctx, &req);
	fclose(f);
	free(copy);
	return status;
}

/* --- requests -------------------------------------------------------- */

/*
 * The expected attributes of a request, flattened: each nest as its
 * type and length, then its members. Written for a little-endian host,
 * as req_test is.
 */
struct req_case {
	const char *line;
	uint8_t cmd;
	bool dump;
	const char *attrs;
	size_t len;
};

#define SVC_KEY_TCP80 \
	"\x06\x00\x02\x00\x02\x00\x00\x00"	/* FAMILY AF_INET */ \
	"\x05\x00\x03\x00\x06\x00\x00\x00"	/* PROTOCOL TCP */ \
	"\x08\x00\x04\x00\x0a\x00\x00\x01"	/* ADDR 10.0.0.1 */ \
	"\x06\x00\x05\x00\x00\x50\x00\x00"	/* PORT 80 */
#define SVC_TCP80 "\x24\x00\x01\x80" SVC_KEY_TCP80

/* TIMEOUTS, then per entry the nest, PROTOCOL, STATE and SECONDS. */
static const struct req_case req_cases[] = {
	{ "timeout set tcp 900 tcpfin 120 udp 300", LVS_CMD_TIMEOUT_SET, false,
	  "\x68\x00\x04\x80"
	  "\x24\x00\x01\x80\x05\x00\x01\x00\x06\x00\x00\x00\x10\x00\x02\x00"	/* entry */
	  "ESTABLISHED\0"
	  "\x08\x00\x03\x00\x84\x03\x00\x00"
	  "\x24\x00\x02\x80\x05\x00\x01\x00\x06\x00\x00\x00\x0d\x00\x02\x00"	/* entry */
	  "FIN_WAIT\0\0\0\0"
	  "\x08\x00\x03\x00\x78\x00\x00\x00"
	  "\x1c\x00\x03\x80\x05\x00\x01\x00\x11\x00\x00\x00\x08\x00\x02\x00"	/* entry */
	  "UDP\0"
	  "\x08\x00\x03\x00\x2c\x01\x00\x00", 104 },
	{ "timeout set udp UDP 2592000 tcp TIME_WAIT 1 SYN_RECV 20",
	  LVS_CMD_TIMEOUT_SET, false,
	  "\x68\x00\x04\x80"
	  "\x1c\x00\x01\x80\x05\x00\x01\x00\x11\x00\x00\x00\x08\x00\x02\x00"	/* entry */
	  "UDP\0"
	  "\x08\x00\x03\x00\x00\x8d\x27\x00"
	  "\x24\x00\x02\x80\x05\x00\x01\x00\x06\x00\x00\x00\x0e\x00\x02\x00"	/* entry */
	  "TIME_WAIT\0\0\0"
	  "\x08\x00\x03\x00\x01\x00\x00\x00"
	  "\x24\x00\x03\x80\x05\x00\x01\x00\x06\x00\x00\x00\x0d\x00\x02\x00"	/* entry */
	  "SYN_RECV\0\0\0\0"
	  "\x08\x00\x03\x00\x14\x00\x00\x00", 104 },
	{ "conn list", LVS_CMD_CONN_GET, true, "", 0 },
	{ "conn", LVS_CMD_CONN_GET, true, "", 0 },
	{ "conn show tcp 10.0.0.1:80", LVS_CMD_CONN_GET, true, SVC_TCP80, 36 },
	{ "conn flush", LVS_CMD_CONN_FLUSH, false, "", 0 },
	{ "service flush", LVS_CMD_SERVICE_FLUSH, false, "", 0 },
	{ "service flush force", LVS_CMD_SERVICE_FLUSH, false,
	  "\x08\x00\x01\x80"			/* SERVICE */
	  "\x04\x00\x0f\x00", 8 },		/* FORCE */
	{ "conn flush tcp 10.0.0.1:80", LVS_CMD_CONN_FLUSH, false, SVC_TCP80,
	  36 },
	{ "dest del tcp 10.0.0.1:80 10.0.1.2 force", LVS_CMD_DEST_DEL, false,
	  SVC_TCP80
	  "\x18\x00\x02\x80"
	  "\x08\x00\x02\x00\x0a\x00\x01\x02"	/* ADDR 10.0.1.2 */
	  "\x06\x00\x03\x00\x00\x50\x00\x00"	/* PORT 80 */
	  "\x04\x00\x0c\x00", 60 },		/* FORCE */
	{ "dest del tcp 10.0.0.1:80 10.0.1.2", LVS_CMD_DEST_DEL, false,
	  SVC_TCP80
	  "\x14\x00\x02\x80"
	  "\x08\x00\x02\x00\x0a\x00\x01\x02"
	  "\x06\x00\x03\x00\x00\x50\x00\x00", 56 },
};

static void test_request(const struct req_case *c)
{
	const struct nlmsghdr *nlh = (const void *)sent;
	const struct genlmsghdr *g = (const void *)(sent + NLMSG_HDRLEN);
	size_t len;
	char *out;
	int status;

	drop_replies();
	status = run_line(c->line, false, &out);
	len = nlh->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;
	if (!check(status == ST_OK && g->cmd == c->cmd &&
		   !!(nlh->nlmsg_flags & NLM_F_DUMP) == c->dump &&
		   !(nlh->nlmsg_flags & NLM_F_ACK) == c->dump &&
		   len == c->len &&
		   !memcmp(sent + NLMSG_HDRLEN + GENL_HDRLEN, c->attrs, len),
		   "request: %s", c->line))
		printf("\tstatus %d, command %d, flags %#x, %zu bytes of attributes\n",
		       status, g->cmd, nlh->nlmsg_flags, len);
	free(out);
}

/* --- replies ----------------------------------------------------------- */

static void put_ep(struct nl_msg *m, int atype, int family, const char *addr,
		   uint16_t port)
{
	unsigned char buf[16];

	if (inet_pton(family, addr, buf) != 1)
		exit(2);
	nla_put(m, atype, family == AF_INET ? 4 : 16, buf);
	nla_put_u16(m, atype + 1, htons(port));
}

struct conn_fix {
	int family;
	uint8_t proto;
	const char *client;
	uint16_t cport;
	const char *vip;	/* NULL: fwmark */
	uint16_t vport;
	uint32_t fwmark;
	const char *dest;
	uint16_t dport;
	uint8_t fwd;
	const char *state;	/* NULL: a template */
	uint32_t expires;
};

static void conn_reply(const struct conn_fix *f)
{
	struct nl_msg *m = new_reply(LVS_CMD_CONN_GET);
	struct nlattr *n = nla_nest_start(m, LVS_ATTR_CONN);

	nla_put_u16(m, LVS_CONN_ATTR_FAMILY, (uint16_t)f->family);
	put_ep(m, LVS_CONN_ATTR_CLIENT_ADDR, f->family, f->client, f->cport);
	nla_put_u8(m, LVS_CONN_ATTR_FWD_METHOD, f->fwd);
	nla_put_u32(m, LVS_CONN_ATTR_EXPIRES, f->expires);
	nla_put_u8(m, LVS_CONN_ATTR_PROTOCOL, f->proto);
	if (f->vip)
		put_ep(m, LVS_CONN_ATTR_VIRT_ADDR, f->family, f->vip, f->vport);
	else
		nla_put_u32(m, LVS_CONN_ATTR_FWMARK, f->fwmark);
	put_ep(m, LVS_CONN_ATTR_DEST_ADDR, f->family, f->dest, f->dport);
	if (f->state)
		nla_put_string(m, LVS_CONN_ATTR_STATE, f->state);
	else
		nla_put_flag(m, LVS_CONN_ATTR_TEMPLATE);
	nla_put_u32(m, 99, 1);	/* from a newer kernel: ignored */
	nla_nest_end(m, n);
}

/* In hash order, with the first sent again after a restart. */
static const struct conn_fix conn_fixes[] = {
	{ AF_INET, IPPROTO_TCP, "10.0.0.3", 40000, "10.0.0.1", 80, 0,
	  "10.0.1.2", 8080, LVS_FWD_NAT, "ESTABLISHED", 897 },
	{ AF_INET6, IPPROTO_UDP, "2001:db8::5", 5353, "2001:db8::1", 53, 0,
	  "2001:db8::2", 53, LVS_FWD_TUN, "UDP", 12 },
	{ AF_INET, IPPROTO_TCP, "10.0.0.0", 0, "10.0.0.1", 80, 0,
	  "10.0.1.2", 8080, LVS_FWD_NAT, NULL, 300 },
	{ AF_INET, 0, "10.0.0.2", 0, NULL, 0, 7, "10.0.2.2", 0, LVS_FWD_DR,
	  NULL, 0 },
	{ AF_INET, IPPROTO_TCP, "10.0.0.2", 41000, "10.0.0.1", 80, 0,
	  "10.0.2.2", 8080, LVS_FWD_NAT, "TIME_WAIT", 1 },
	{ AF_INET, IPPROTO_TCP, "10.0.0.3", 40000, "10.0.0.1", 80, 0,
	  "10.0.1.2", 8080, LVS_FWD_NAT, "ESTABLISHED", 897 },
};

static const char want_conn_text[] =
	"ip 10.0.0.2 fwmark 7 dest 10.0.2.2 dr template expires 0\n"
	"tcp 10.0.0.0 vip 10.0.0.1:80 dest 10.0.1.2:8080 nat template expires 300\n"
	"tcp 10.0.0.2:41000 vip 10.0.0.1:80 dest 10.0.2.2:8080 nat TIME_WAIT expires 1\n"
	"tcp 10.0.0.3:40000 vip 10.0.0.1:80 dest 10.0.1.2:8080 nat ESTABLISHED expires 897\n"
	"udp [2001:db8::5]:5353 vip [2001:db8::1]:53 dest [2001:db8::2]:53 tun UDP expires 12\n";

#define EP(a, p) "{\"address\":\"" a "\",\"port\":" #p "}"
static const char *const want_conn_json[] = {
	"[{\"protocol\":\"ip\",\"client\":" EP("10.0.0.2", 0),
	",\"fwmark\":7,\"dest\":" EP("10.0.2.2", 0),
	",\"fwd\":\"dr\",\"template\":true,\"expires\":0},",
	"{\"protocol\":\"tcp\",\"client\":" EP("10.0.0.0", 0),
	",\"vip\":" EP("10.0.0.1", 80) ",\"dest\":" EP("10.0.1.2", 8080),
	",\"fwd\":\"nat\",\"template\":true,\"expires\":300},",
	"{\"protocol\":\"tcp\",\"client\":" EP("10.0.0.2", 41000),
	",\"vip\":" EP("10.0.0.1", 80) ",\"dest\":" EP("10.0.2.2", 8080),
	",\"fwd\":\"nat\",\"state\":\"TIME_WAIT\",\"template\":false,\"expires\":1},",
	"{\"protocol\":\"tcp\",\"client\":" EP("10.0.0.3", 40000),
	",\"vip\":" EP("10.0.0.1", 80) ",\"dest\":" EP("10.0.1.2", 8080),
	",\"fwd\":\"nat\",\"state\":\"ESTABLISHED\",\"template\":false,\"expires\":897},",
	"{\"protocol\":\"udp\",\"client\":" EP("2001:db8::5", 5353),
	",\"vip\":" EP("2001:db8::1", 53) ",\"dest\":" EP("2001:db8::2", 53),
	",\"fwd\":\"tun\",\"state\":\"UDP\",\"template\":false,\"expires\":12}]\n",
};

static void conn_replies(void)
{
	size_t i;

	drop_replies();
	for (i = 0; i < ARRAY_SIZE(conn_fixes); i++)
		conn_reply(&conn_fixes[i]);
	/* The dump was flagged NLM_F_DUMP_INTR: a resize restarted it. */
	answer_err = -EAGAIN;
}

static void test_conn_list(void)
{
	char *out, *want;
	int status;

	conn_replies();
	status = run_line("conn list", false, &out);
	check(status == ST_OK, "conn list: a restarted dump is no failure");
	check_str(out, want_conn_text,
		  "conn list: text, sorted, each entry once");
	free(out);

	conn_replies();
	status = run_line("conn list", true, &out);
	want = check_join(want_conn_json, ARRAY_SIZE(want_conn_json));
	check_str(out, want, "conn list: JSON");
	free(want);
	free(out);
}

static void test_conn_bad(void)
{
	struct conn_fix f = conn_fixes[0];
	struct conn_info ci;
	struct nl_msg *m;
	struct nlattr *n;

	drop_replies();
	m = new_reply(LVS_CMD_CONN_GET);
	n = nla_nest_start(m, LVS_ATTR_CONN);
	nla_put_u16(m, LVS_CONN_ATTR_FAMILY, AF_INET);
	nla_put_u8(m, LVS_CONN_ATTR_PROTOCOL, IPPROTO_TCP);
	put_ep(m, LVS_CONN_ATTR_CLIENT_ADDR, AF_INET, "10.0.0.2", 1);
	nla_nest_end(m, n);
	check(decode_conn(nlmsg_hdr(m), &ci) == -EPROTO,
	      "conn reply: without the virtual and real addresses, refused");

	f.state = NULL;
	conn_reply(&f);
	check(!decode_conn(nlmsg_hdr(replies[1]), &ci) && ci.template,
	      "conn reply: a template needs no state");
	drop_replies();
	m = new_reply(LVS_CMD_CONN_GET);
	n = nla_nest_start(m, LVS_ATTR_CONN);
	nla_put_u16(m, LVS_CONN_ATTR_FAMILY, AF_INET);
	nla_put_u8(m, LVS_CONN_ATTR_PROTOCOL, IPPROTO_TCP);
	put_ep(m, LVS_CONN_ATTR_CLIENT_ADDR, AF_INET6, "2001:db8::3", 1);
	put_ep(m, LVS_CONN_ATTR_VIRT_ADDR, AF_INET, "10.0.0.1", 80);
	put_ep(m, LVS_CONN_ATTR_DEST_ADDR, AF_INET, "10.0.1.2", 80);
	nla_put_string(m, LVS_CONN_ATTR_STATE, "CLOSE");
	nla_nest_end(m, n);
	check(decode_conn(nlmsg_hdr(m), &ci) == -EPROTO,
	      "conn reply: an address of the wrong length, refused");
	drop_replies();
	m = new_reply(LVS_CMD_CONN_GET);
	n = nla_nest_start(m, LVS_ATTR_CONN);
	nla_put_u16(m, LVS_CONN_ATTR_FAMILY, AF_INET);
	nla_put_u8(m, LVS_CONN_ATTR_PROTOCOL, IPPROTO_TCP);
	put_ep(m, LVS_CONN_ATTR_CLIENT_ADDR, AF_INET, "10.0.0.2", 1);
	put_ep(m, LVS_CONN_ATTR_VIRT_ADDR, AF_INET, "10.0.0.1", 80);
	nla_put(m, LVS_CONN_ATTR_DEST_ADDR, 5, "abcde");
	nla_put_string(m, LVS_CONN_ATTR_STATE, "CLOSE");
	nla_nest_end(m, n);
	check(decode_conn(nlmsg_hdr(m), &ci) == -EPROTO,
	      "conn reply: a real server address of 5 bytes, refused");
	drop_replies();
}

/* An IPv4 connection tunnelled to an IPv6 real server, and the reverse. */
static void test_conn_mixed(void)
{
	static const struct conn_fix f[] = {
		{ AF_INET, IPPROTO_TCP, "10.0.0.2", 40000, "10.0.0.1", 80, 0,
		  "2001:db8::2", 80, LVS_FWD_TUN, "ESTABLISHED", 5 },
		{ AF_INET6, IPPROTO_UDP, "2001:db8::5", 5353, "2001:db8::1",
		  53, 0, "192.168.1.2", 53, LVS_FWD_TUN, "UDP", 7 },
	};
	struct nl_msg *m;
	struct nlattr *n;
	char *out;
	size_t i;

	drop_replies();
	for (i = 0; i < ARRAY_SIZE(f); i++) {
		m = new_reply(LVS_CMD_CONN_GET);
		n = nla_nest_start(m, LVS_ATTR_CONN);
		nla_put_u16(m, LVS_CONN_ATTR_FAMILY, (uint16_t)f[i].family);
		nla_put_u8(m, LVS_CONN_ATTR_PROTOCOL, f[i].proto);
		put_ep(m, LVS_CONN_ATTR_CLIENT_ADDR, f[i].family, f[i].client,
		       f[i].cport);
		put_ep(m, LVS_CONN_ATTR_VIRT_ADDR, f[i].family, f[i].vip,
		       f[i].vport);
		put_ep(m, LVS_CONN_ATTR_DEST_ADDR,
		       f[i].family == AF_INET ? AF_INET6 : AF_INET, f[i].dest,
		       f[i].dport);
		nla_put_u8(m, LVS_CONN_ATTR_FWD_METHOD, f[i].fwd);
		nla_put_u32(m, LVS_CONN_ATTR_EXPIRES, f[i].expires);
		nla_put_string(m, LVS_CONN_ATTR_STATE, f[i].state);
		nla_nest_end(m, n);
	}
	run_line("conn list", false, &out);
	check_str(out,
		  "tcp 10.0.0.2:40000 vip 10.0.0.1:80 dest [2001:db8::2]:80 tun ESTABLISHED expires 5\n"
		  "udp [2001:db8::5]:5353 vip [2001:db8::1]:53 dest 192.168.1.2:53 tun UDP expires 7\n",
		  "conn list: real servers of the other family, in theirs");
	free(out);
	run_line("conn list", true, &out);
	check(out && strstr(out, "\"dest\":" EP("2001:db8::2", 80)) &&
	      strstr(out, "\"dest\":" EP("192.168.1.2", 53)),
	      "conn list: JSON, real servers of the other family");
	free(out);
	drop_replies();
}

/* Protocol 253 (for experiments) stands for one ipvsctl has no name for. */
static const struct {
	uint8_t proto;
	const char *state;
	uint32_t seconds;
} timeout_fixes[] = {
	{ IPPROTO_TCP, "NONE", 2 }, { IPPROTO_TCP, "ESTABLISHED", 900 },
	{ IPPROTO_TCP, "FIN_WAIT", 120 }, { IPPROTO_UDP, "UDP", 300 },
	{ 253, "COOKIE_ECHOED", 2592000 }, { 253, "CLOSED", 10 },
};

static void timeout_reply(const char *bad_state)
{
	struct nl_msg *m = new_reply(LVS_CMD_TIMEOUT_GET);
	struct nlattr *list = nla_nest_start(m, LVS_ATTR_TIMEOUTS), *e;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(timeout_fixes); i++) {
		e = nla_nest_start(m, (int)i + 1);
		nla_put_u8(m, LVS_TIMEOUT_ATTR_PROTOCOL, timeout_fixes[i].proto);
		nla_put_string(m, LVS_TIMEOUT_ATTR_STATE,
			       i == 2 && bad_state ? bad_state :
			       timeout_fixes[i].state);
		nla_put_u32(m, LVS_TIMEOUT_ATTR_SECONDS,
			    timeout_fixes[i].seconds);
		nla_nest_end(m, e);
	}
	nla_nest_end(m, list);
}

static const char want_timeout_text[] =
	"tcp NONE 2 ESTABLISHED 900 FIN_WAIT 120\n"
	"udp UDP 300\n"
	"253 COOKIE_ECHOED 2592000 CLOSED 10\n";

static const char *const want_timeout_json[] = {
	"{\"tcp\":{\"NONE\":2,\"ESTABLISHED\":900,\"FIN_WAIT\":120},",
	"\"udp\":{\"UDP\":300},",
	"\"253\":{\"COOKIE_ECHOED\":2592000,\"CLOSED\":10}}\n",
};

static void test_timeout_show(void)
{
	struct timeout_list list = { 0 };
	char *out, *want;
	int status, saved;

	drop_replies();
	timeout_reply(NULL);
	status = run_line("timeout", false, &out);
	check(status == ST_OK, "timeout show: status 0");
	check_str(out, want_timeout_text,
		  "timeout show: text, a line per protocol");
	free(out);
	status = run_line("timeout show", true, &out);
	want = check_join(want_timeout_json, ARRAY_SIZE(want_timeout_json));
	check_str(out, want, "timeout show: JSON, an object per protocol");
	free(want);
	free(out);

	drop_replies();
	timeout_reply("fin wait");
	check(decode_timeouts(nlmsg_hdr(replies[0]), &list) == -EPROTO,
	      "timeout reply: a state that is not a word, refused");
	free(list.e);
	drop_replies();
	fflush(stderr);
	saved = dup(STDERR_FILENO);
	if (saved < 0 || !freopen("/dev/null", "w", stderr))
		exit(2);
	status = run_line("timeout show", false, &out);
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	check(status == ST_ERROR && !out[0],
	      "timeout show: acknowledged without a reply, status 1");
	free(out);
}

#define WORD_SEP "\n "

/* The lines "timeout show" prints read back as "timeout set". */
static void test_timeout_round_trip(void)
{
	char line[256], *argv[24], *save, *w, *text;
	struct request req;
	int argc = 2;
	size_t i;

	drop_replies();
	timeout_reply(NULL);
	run_line("timeout show", false, &text);
	snprintf(line, sizeof(line), "%s", text);
	free(text);
	/* Leave out the line of protocol 253, which cannot be parsed. */
	*strstr(line, "253") = '\0';
	argv[0] = "timeout";
	argv[1] = "set";
	for (w = strtok_r(line, WORD_SEP, &save); w && argc < 24;
	     w = strtok_r(NULL, WORD_SEP, &save))
		argv[argc++] = w;
	if (!check(!cmd_parse(&req, argc, argv) && req.timeouts->n == 4,
		   "timeout show: its text reads back as \"timeout set\""))
		return;
	for (i = 0; i < 4; i++)
		check(req.timeouts->e[i].protocol == timeout_fixes[i].proto &&
		      !strcmp(req.timeouts->e[i].state, timeout_fixes[i].state) &&
		      req.timeouts->e[i].seconds == timeout_fixes[i].seconds,
		      "timeout show: read back: %s %u", timeout_fixes[i].state,
		      timeout_fixes[i].seconds);
	drop_replies();
}

int main(int argc, char **argv)
{
	struct printer pr;
	char *out;
	size_t i;

	if (argc > 1) {
		pr_init(&pr, stdout, true, true);
		drop_replies();
		if (!strcmp(argv[1], "conn-json")) {
			conn_replies();
			run_line("conn list", true, &out);
		} else {
			timeout_reply(NULL);
			run_line("timeout show", true, &out);
		}
		fputs(out, stdout);
		free(out);
		drop_replies();
		return 0;
	}
	for (i = 0; i < ARRAY_SIZE(req_cases); i++)
		test_request(&req_cases[i]);
	test_conn_list();
	test_conn_bad();
	test_conn_mixed();
	test_timeout_show();
	test_timeout_round_trip();
	drop_replies();
	return check_exit();
}
