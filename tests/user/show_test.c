// SPDX-License-Identifier: GPL-2.0
/*
 * Test of listing without a kernel: reply messages are built here as the
 * lvs.h comment describes them, then decoded (fetch.c), sorted and printed
 * (show.c) as text, text with -s, and JSON, and compared exactly, both
 * as "service list" and as "dest list" print them. The replies carry
 * scheduler options, default and not, and destination thresholds and
 * overload marks, which text shows only where they are not the default.
 * The text lines are then fed back to the parser, to check that they are
 * in the words "service add" and "dest add" accept and give the same
 * values. An INFO_GET reply is built, decoded and printed the same way.
 * "show_test json", "show_test dests-json" and "show_test info-json"
 * write the JSON of each for tests/user/run to check.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include "check.h"
#include "ipvsctl.h"
#include "print.h"
#include "show.h"

#define FAKE_FAMILY 0x1234

static struct nl_msg *new_msg(uint8_t cmd)
{
	struct nl_msg *m = nlmsg_alloc();

	if (!m || !genlmsg_put(m, 0, 0, FAKE_FAMILY, 0, NLM_F_MULTI, cmd,
			       LVS_GENL_VERSION))
		exit(2);
	return m;
}

static void put_addr(struct nl_msg *m, int type, int family, const char *s)
{
	unsigned char buf[16];

	if (inet_pton(family, s, buf) != 1)
		exit(2);
	nla_put(m, type, family == AF_INET ? 4 : 16, buf);
}

/*
 * Counters base+1 .. base+5 and rates base+6 .. base+9 and base, behind a
 * PAD as the kernel may send.
 */
static void put_stats(struct nl_msg *m, int type, uint64_t base)
{
	struct nlattr *n = nla_nest_start(m, type);

	nla_put(m, LVS_STATS_ATTR_PAD, 0, NULL);
	nla_put_u64(m, LVS_STATS_ATTR_CONNS, base + 1);
	nla_put_u64(m, LVS_STATS_ATTR_INPKTS, base + 2);
	nla_put_u64(m, LVS_STATS_ATTR_OUTPKTS, base + 3);
	nla_put_u64(m, LVS_STATS_ATTR_INBYTES, base + 4);
	nla_put_u64(m, LVS_STATS_ATTR_OUTBYTES, base + 5);
	nla_put_u64(m, LVS_STATS_ATTR_CPS, base + 6);
	nla_put_u64(m, LVS_STATS_ATTR_INPPS, base + 7);
	nla_put_u64(m, LVS_STATS_ATTR_OUTPPS, base + 8);
	nla_put_u64(m, LVS_STATS_ATTR_INBPS, base + 9);
	nla_put_u64(m, LVS_STATS_ATTR_OUTBPS, base);
	nla_nest_end(m, n);
}

/* A service reply: the key, the scheduler, its options and counters. */
struct svc_fix {
	uint8_t proto;
	int family;
	const char *addr;
	uint16_t port;
	const char *sched;
	bool fallback;
	bool hash_port;
	uint32_t table_size;	/* 0: no option attributes at all */
	uint64_t stats;
	uint32_t fwmark;	/* nonzero: instead of proto, addr, port */
	uint32_t persist;	/* nonzero: with prefix, as sent */
	uint8_t prefix;
	bool one_packet;	/* sent only if set */
	bool drained;		/* persist_drained, sent only if set */
};

/* A destination reply. */
struct dest_fix {
	int family;
	const char *addr;
	uint16_t port;
	uint8_t fwd;
	uint32_t weight;
	uint32_t act;
	uint32_t inact;
	uint32_t upper;
	uint32_t lower;
	bool overloaded;
	uint64_t stats;
};

static int svc(struct svc_info *si, const struct svc_fix *f)
{
	struct nl_msg *m = new_msg(LVS_CMD_SERVICE_GET);
	struct nlattr *n = nla_nest_start(m, LVS_ATTR_SERVICE);
	int ret;

	nla_put_u16(m, LVS_SVC_ATTR_FAMILY, (uint16_t)f->family);
	if (f->fwmark) {
		nla_put_u32(m, LVS_SVC_ATTR_FWMARK, f->fwmark);
	} else {
		nla_put_u8(m, LVS_SVC_ATTR_PROTOCOL, f->proto);
		put_addr(m, LVS_SVC_ATTR_ADDR, f->family, f->addr);
		nla_put_u16(m, LVS_SVC_ATTR_PORT, htons(f->port));
	}
	nla_put_string(m, LVS_SVC_ATTR_SCHED_NAME, f->sched);
	if (f->persist) {
		nla_put_u32(m, LVS_SVC_ATTR_PERSIST_TIMEOUT, f->persist);
		nla_put_u8(m, LVS_SVC_ATTR_PERSIST_PREFIX, f->prefix);
	}
	if (f->one_packet)
		nla_put_u8(m, LVS_SVC_ATTR_ONE_PACKET, 1);
	if (f->drained)
		nla_put_u8(m, LVS_SVC_ATTR_PERSIST_DRAINED, 1);
	if (f->table_size) {
		nla_put_u8(m, LVS_SVC_ATTR_SCHED_FALLBACK, f->fallback);
		nla_put_u8(m, LVS_SVC_ATTR_SCHED_HASH_PORT, f->hash_port);
		nla_put_u32(m, LVS_SVC_ATTR_MH_TABLE_SIZE, f->table_size);
	}
	nla_put_u32(m, LVS_SVC_ATTR_DEST_COUNT, 0);
	nla_put_u32(m, 99, 7);	/* from a newer kernel: ignored */
	put_stats(m, LVS_SVC_ATTR_STATS, f->stats);
	nla_nest_end(m, n);
	ret = decode_svc(nlmsg_hdr(m), si);
	nlmsg_free(m);
	return ret;
}

static int dest(struct dest_info *di, const struct dest_fix *f)
{
	struct nl_msg *m = new_msg(LVS_CMD_DEST_GET);
	struct nlattr *n = nla_nest_start(m, LVS_ATTR_DEST);
	int ret;

	nla_put_u16(m, LVS_DEST_ATTR_ADDR_FAMILY, (uint16_t)f->family);
	put_addr(m, LVS_DEST_ATTR_ADDR, f->family, f->addr);
	nla_put_u16(m, LVS_DEST_ATTR_PORT, htons(f->port));
	nla_put_u8(m, LVS_DEST_ATTR_FWD_METHOD, f->fwd);
	nla_put_u32(m, LVS_DEST_ATTR_WEIGHT, f->weight);
	nla_put_u32(m, LVS_DEST_ATTR_ACTIVE_CONNS, f->act);
	nla_put_u32(m, LVS_DEST_ATTR_INACTIVE_CONNS, f->inact);
	nla_put_u32(m, LVS_DEST_ATTR_U_THRESHOLD, f->upper);
	nla_put_u32(m, LVS_DEST_ATTR_L_THRESHOLD, f->lower);
	nla_put_u8(m, LVS_DEST_ATTR_OVERLOADED, f->overloaded);
	put_stats(m, LVS_DEST_ATTR_STATS, f->stats);
	nla_nest_end(m, n);
	ret = decode_dest(nlmsg_hdr(m), di);
	nlmsg_free(m);
	return ret;
}

/*
 * Six services, given out of order as a hash table would: one with the
 * default options, an mh one with fallback on, one with hash-port on, a
 * table size that is not the default and one-packet scheduling, a
 * persistent one of all ports
 * with a netmask, an SCTP one and a persistent IPv6 firewall-mark one
 * that keeps its clients on drained servers.
 * The first (the last here) has three destinations: at its thresholds
 * (overloaded), without any, and with the largest ones.
 */
static const struct svc_fix svc_fixes[] = {
	{ IPPROTO_UDP, AF_INET6, "2001:db8::1", 53, "wrr", false, true, 65537,
	  100, 0, 0, 0, true, false },
	{ 0, AF_INET6, NULL, 0, "rr", false, false, 4093, 400, 7, 3600, 64,
	  false, true },
	{ IPPROTO_SCTP, AF_INET, "10.0.0.1", 3868, "rr", false, false, 4093,
	  500, 0, 0, 0, false, false },
	{ IPPROTO_TCP, AF_INET, "10.0.0.3", 0, "sh", false, false, 4093, 300,
	  0, 300, 24, false, false },
	{ IPPROTO_TCP, AF_INET, "10.0.0.2", 80, "mh", true, false, 4093, 200,
	  0, 0, 0, false, false },
	{ IPPROTO_TCP, AF_INET, "10.0.0.1", 80, "rr", false, false, 4093, 0,
	  0, 0, 0, false, false },
};

static const struct dest_fix dest_fixes[] = {
	{ AF_INET, "10.0.1.3", 80, LVS_FWD_DR, 0, 0, 0, 0, 0, false, 20 },
	{ AF_INET, "10.0.1.2", 8080, LVS_FWD_NAT, 1, 3, 4, 7, 0, true, 10 },
	{ AF_INET6, "2001:db8::2", 80, LVS_FWD_TUN, 65535, 0, 0, UINT32_MAX,
	  100, false, 30 },
};

static int build(struct svc_list *l)
{
	size_t n = ARRAY_SIZE(svc_fixes), i;
	struct svc_info *s;
	int bad = 0;

	l->n = n;
	l->svcs = calloc(n, sizeof(*l->svcs));
	for (i = 0; i < n; i++)
		bad |= svc(&l->svcs[i], &svc_fixes[i]);
	s = &l->svcs[n - 1];
	s->n_dests = ARRAY_SIZE(dest_fixes);
	s->dests = calloc(s->n_dests, sizeof(*s->dests));
	for (i = 0; i < s->n_dests; i++)
		bad |= dest(&s->dests[i], &dest_fixes[i]);
	svc_list_sort(l);
	return bad;
}

/* As "service list" prints, or with dests as "dest list" prints them. */
static char *render(const struct svc_list *l, const struct svc_info *dests,
		    bool json, bool stats)
{
	struct printer p;
	size_t len;
	char *buf;
	FILE *f;

	f = open_memstream(&buf, &len);
	if (!f)
		exit(2);
	pr_init(&p, f, json, false);
	if (l)
		show_services(&p, l, stats);
	else
		show_dests(&p, dests, stats);
	fclose(f);
	return buf;
}

/* The destinations of tcp 10.0.0.1:80 in text, sorted. */
#define DEST1 "10.0.1.2:8080 nat weight 1 uthreshold 7 active 3 inactive 4 overloaded"
#define DEST2 "10.0.1.3:80 dr weight 0 active 0 inactive 0"
#define DEST3 "[2001:db8::2]:80 tun weight 65535 uthreshold 4294967295 " \
	"lthreshold 100 active 0 inactive 0"
#define SVC2 "tcp 10.0.0.2:80 sched mh fallback on table-size 4093"
#define SVC3 "udp [2001:db8::1]:53 sched wrr hash-port on table-size 65537 " \
	"one-packet on"
#define SVC4 "tcp 10.0.0.3:0 sched sh persistent 300 netmask 255.255.255.0"
#define SVC5 "fwmark 7 family inet6 sched rr persistent 3600 netmask 64 " \
	"persist-drained on"
#define SVC6 "sctp 10.0.0.1:3868 sched rr"

static const char want_text[] =
	"tcp 10.0.0.1:80 sched rr\n"
	"\t" DEST1 "\n"
	"\t" DEST2 "\n"
	"\t" DEST3 "\n"
	SVC2 "\n"
	SVC4 "\n"
	SVC3 "\n"
	SVC6 "\n"
	SVC5 "\n";

/* The counters of put_stats(), as text and as JSON. */
#define TEXT_STATS(a) " conns " #a "1 inpkts " #a "2 outpkts " #a "3" \
	" inbytes " #a "4 outbytes " #a "5 cps " #a "6 inpps " #a "7" \
	" outpps " #a "8 inbps " #a "9 outbps " #a "0"
#define JSON_STATS(a) "\"stats\":{\"conns\":" #a "1,\"inpkts\":" #a "2," \
	"\"outpkts\":" #a "3,\"inbytes\":" #a "4,\"outbytes\":" #a "5," \
	"\"cps\":" #a "6,\"inpps\":" #a "7,\"outpps\":" #a "8," \
	"\"inbps\":" #a "9,\"outbps\":" #a "0}"

/* The first service's, base 0. */
#define SVC1_STATS " conns 1 inpkts 2 outpkts 3 inbytes 4 outbytes 5" \
	" cps 6 inpps 7 outpps 8 inbps 9 outbps 0"

static const char want_stats[] =
	"tcp 10.0.0.1:80 sched rr" SVC1_STATS "\n"
	"\t" DEST1 TEXT_STATS(1) "\n"
	"\t" DEST2 TEXT_STATS(2) "\n"
	"\t" DEST3 TEXT_STATS(3) "\n"
	SVC2 TEXT_STATS(20) "\n"
	SVC4 TEXT_STATS(30) "\n"
	SVC3 TEXT_STATS(10) "\n"
	SVC6 TEXT_STATS(50) "\n"
	SVC5 TEXT_STATS(40) "\n";

static const char want_dests_text[] =
	DEST1 "\n"
	DEST2 "\n"
	DEST3 "\n";

static const char want_dests_stats[] =
	DEST1 TEXT_STATS(1) "\n"
	DEST2 TEXT_STATS(2) "\n"
	DEST3 TEXT_STATS(3) "\n";

/* The destinations of tcp 10.0.0.1:80 in JSON, without the brackets. */
#define JSON_DESTS \
	"{\"address\":\"10.0.1.2\",\"port\":8080,\"fwd\":\"nat\",\"weight\":1," \
	"\"uthreshold\":7,\"lthreshold\":0,\"active_conns\":3," \
	"\"inactive_conns\":4,\"overloaded\":true," JSON_STATS(1) "}," \
	"{\"address\":\"10.0.1.3\",\"port\":80,\"fwd\":\"dr\",\"weight\":0," \
	"\"uthreshold\":0,\"lthreshold\":0,\"active_conns\":0," \
	"\"inactive_conns\":0,\"overloaded\":false," JSON_STATS(2) "}," \
	"{\"address\":\"2001:db8::2\",\"port\":80,\"fwd\":\"tun\"," \
	"\"weight\":65535,\"uthreshold\":4294967295,\"lthreshold\":100," \
	"\"active_conns\":0,\"inactive_conns\":0,\"overloaded\":false," \
	JSON_STATS(3) "}"

/* The JSON is one line, in parts: check_join() puts them together. */
static const char *const want_json[] = {
	"[{\"protocol\":\"tcp\",\"address\":\"10.0.0.1\",\"port\":80,",
	"\"sched\":\"rr\",\"fallback\":false,\"hash_port\":false,",
	"\"table_size\":4093,\"persistent\":0,\"netmask\":32,",
	"\"persist_drained\":false,\"one_packet\":false,",
	"\"stats\":{\"conns\":1,\"inpkts\":2,",
	"\"outpkts\":3,\"inbytes\":4,\"outbytes\":5,",
	"\"cps\":6,\"inpps\":7,\"outpps\":8,\"inbps\":9,\"outbps\":0},",
	"\"dests\":[",
	JSON_DESTS "]},",
	"{\"protocol\":\"tcp\",\"address\":\"10.0.0.2\",\"port\":80,",
	"\"sched\":\"mh\",\"fallback\":true,\"hash_port\":false,",
	"\"table_size\":4093,\"persistent\":0,\"netmask\":32,",
	"\"persist_drained\":false,\"one_packet\":false,",
	JSON_STATS(20) ",\"dests\":[]},",
	"{\"protocol\":\"tcp\",\"address\":\"10.0.0.3\",\"port\":0,",
	"\"sched\":\"sh\",\"fallback\":false,\"hash_port\":false,",
	"\"table_size\":4093,\"persistent\":300,\"netmask\":24,",
	"\"persist_drained\":false,\"one_packet\":false,",
	JSON_STATS(30) ",\"dests\":[]},",
	"{\"protocol\":\"udp\",\"address\":\"2001:db8::1\",\"port\":53,",
	"\"sched\":\"wrr\",\"fallback\":false,\"hash_port\":true,",
	"\"table_size\":65537,\"persistent\":0,\"netmask\":128,",
	"\"persist_drained\":false,\"one_packet\":true,",
	JSON_STATS(10) ",\"dests\":[]},",
	"{\"protocol\":\"sctp\",\"address\":\"10.0.0.1\",\"port\":3868,",
	"\"sched\":\"rr\",\"fallback\":false,\"hash_port\":false,",
	"\"table_size\":4093,\"persistent\":0,\"netmask\":32,",
	"\"persist_drained\":false,\"one_packet\":false,",
	JSON_STATS(50) ",\"dests\":[]},",
	"{\"fwmark\":7,\"family\":\"inet6\",",
	"\"sched\":\"rr\",\"fallback\":false,\"hash_port\":false,",
	"\"table_size\":4093,\"persistent\":3600,\"netmask\":64,",
	"\"persist_drained\":true,\"one_packet\":false,",
	JSON_STATS(40) ",\"dests\":[]}]\n",
};

static const char want_dests_json[] = "[" JSON_DESTS "]\n";

static int split(char *s, char **argv, int max)
{
	char *save, *w;
	int n = 0;

	for (w = strtok_r(s, " \t", &save); w && n < max;
	     w = strtok_r(NULL, " \t", &save))
		argv[n++] = w;
	return n;
}

static bool same_endpoint(const struct endpoint *a, const struct endpoint *b)
{
	return a->family == b->family && a->port == b->port &&
	       !memcmp(&a->addr, &b->addr, family_addr_len(a->family));
}

/*
 * The options a request for a service of family gives, the defaults for
 * the rest, are o's.
 */
static bool same_opts(const struct sched_opts *req, const struct sched_opts *o,
		      int family)
{
	return (req->has_persist ? req->persist : 0) == o->persist &&
	       (req->has_netmask ? req->netmask :
		family_addr_len(family) * 8) == o->netmask &&
	       (req->has_fallback && req->fallback) == o->fallback &&
	       (req->has_hash_port && req->hash_port) == o->hash_port &&
	       (req->has_table_size ? req->table_size :
		LVS_MH_TABLE_DEFAULT) == o->table_size;
}

/* The same for the thresholds, 0 by default. */
static bool same_thresholds(const struct dest_spec *req,
			    const struct dest_info *d)
{
	return (req->has_u_threshold ? req->u_threshold : 0) ==
	       d->u_threshold &&
	       (req->has_l_threshold ? req->l_threshold : 0) == d->l_threshold;
}

/*
 * Every line of the text output, fed back to "service add"/"dest add".
 * Without services (dest list), the lines are the destinations of svc.
 */
static void test_round_trip(const struct svc_list *l,
			    const struct svc_info *svc, const char *text)
{
	char *copy = strdup(text), *line, *save, *argv[32];
	char proto[8] = "", vip[64] = "";
	const struct svc_info *s = svc;
	const struct dest_info *d;
	struct request req;
	size_t si = 0, di = 0;
	int argc, i;
	bool ok;

	if (svc) {
		snprintf(proto, sizeof(proto), "%s",
			 proto_name(svc->spec.protocol));
		char addr[INET6_ADDRSTRLEN];
		bool v6 = svc->spec.vip.family == AF_INET6;

		format_addr(&svc->spec.vip, addr, sizeof(addr));
		snprintf(vip, sizeof(vip), "%s%s%s:%u", v6 ? "[" : "", addr,
			 v6 ? "]" : "", svc->spec.vip.port);
	}
	for (line = strtok_r(copy, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		bool is_dest = svc || line[0] == '\t';

		argv[0] = is_dest ? "dest" : "service";
		argv[1] = "add";
		argc = 2;
		if (is_dest) {
			argv[argc++] = proto;
			argv[argc++] = vip;
		}
		argc += split(line, argv + argc, 28);
		for (i = 2; i < argc; i++)
			if (!strcmp(argv[i], "active"))
				argc = i;
		if (!is_dest) {
			snprintf(proto, sizeof(proto), "%s", argv[2]);
			snprintf(vip, sizeof(vip), "%s", argv[3]);
			s = &l->svcs[si++];
			di = 0;
			ok = !cmd_parse(&req, argc, argv) &&
			     req.svc.fwmark == s->spec.fwmark &&
			     req.svc.protocol == s->spec.protocol &&
			     same_endpoint(&req.svc.vip, &s->spec.vip) &&
			     !strcmp(req.svc.sched, s->spec.sched) &&
			     same_opts(&req.svc.opts, &s->spec.opts,
				       s->spec.vip.family);
			check(ok, "show: \"service add %s %s ...\" reads back",
			      proto, vip);
			continue;
		}
		d = &s->dests[di++];
		ok = !cmd_parse(&req, argc, argv) &&
		     same_endpoint(&req.dest.rip, &d->rip) &&
		     req.dest.has_fwd && req.dest.fwd == d->fwd &&
		     req.dest.has_weight && req.dest.weight == d->weight &&
		     same_thresholds(&req.dest, d);
		check(ok, "show: \"dest add %s %s %s ...\" reads back", proto,
		      vip, argv[4]);
	}
	free(copy);
}

static void test_bad_replies(void)
{
	struct svc_info si;
	struct dest_info di;
	struct nl_msg *m;
	struct nlattr *n;

	m = new_msg(LVS_CMD_SERVICE_GET);
	n = nla_nest_start(m, LVS_ATTR_SERVICE);
	nla_put_u16(m, LVS_SVC_ATTR_FAMILY, AF_INET);
	nla_put_u8(m, LVS_SVC_ATTR_PROTOCOL, IPPROTO_TCP);
	nla_put_u16(m, LVS_SVC_ATTR_PORT, htons(80));
	nla_nest_end(m, n);
	check(decode_svc(nlmsg_hdr(m), &si) == -EPROTO,
	      "show: a service without address is refused");
	nlmsg_free(m);

	m = new_msg(LVS_CMD_SERVICE_GET);
	n = nla_nest_start(m, LVS_ATTR_SERVICE);
	nla_put_u16(m, LVS_SVC_ATTR_FAMILY, AF_INET);
	nla_put_u8(m, LVS_SVC_ATTR_PROTOCOL, IPPROTO_TCP);
	put_addr(m, LVS_SVC_ATTR_ADDR, AF_INET6, "::1");
	nla_put_u16(m, LVS_SVC_ATTR_PORT, htons(80));
	nla_nest_end(m, n);
	check(decode_svc(nlmsg_hdr(m), &si) == -EPROTO,
	      "show: an AF_INET service with a 16-byte address is refused");
	nlmsg_free(m);

	m = new_msg(LVS_CMD_SERVICE_GET);
	check(decode_svc(nlmsg_hdr(m), &si) == -EPROTO,
	      "show: a reply without LVS_ATTR_SERVICE is refused");
	nlmsg_free(m);

	m = new_msg(LVS_CMD_DEST_GET);
	n = nla_nest_start(m, LVS_ATTR_DEST);
	nla_put(m, LVS_DEST_ATTR_ADDR, 5, "abcde");
	nla_nest_end(m, n);
	check(decode_dest(nlmsg_hdr(m), &di) == -EPROTO,
	      "show: a destination with a 5-byte address is refused");
	nlmsg_free(m);

	m = new_msg(LVS_CMD_DEST_GET);
	n = nla_nest_start(m, LVS_ATTR_DEST);
	put_addr(m, LVS_DEST_ATTR_ADDR, AF_INET, "10.0.0.9");
	nla_nest_end(m, n);
	check(!decode_dest(nlmsg_hdr(m), &di) && di.rip.family == AF_INET &&
	      di.rip.port == 0 && di.weight == 0 && di.u_threshold == 0 &&
	      di.l_threshold == 0 && !di.overloaded,
	      "show: a destination with only an address decodes");
	nlmsg_free(m);

	m = new_msg(LVS_CMD_DEST_GET);
	n = nla_nest_start(m, LVS_ATTR_DEST);
	put_addr(m, LVS_DEST_ATTR_ADDR, AF_INET, "10.0.0.9");
	nla_put_u16(m, LVS_DEST_ATTR_U_THRESHOLD, 7);
	nla_nest_end(m, n);
	check(decode_dest(nlmsg_hdr(m), &di) == -EPROTO,
	      "show: a 2-byte U_THRESHOLD is refused");
	nlmsg_free(m);

	m = new_msg(LVS_CMD_SERVICE_GET);
	n = nla_nest_start(m, LVS_ATTR_SERVICE);
	nla_put_u16(m, LVS_SVC_ATTR_FAMILY, AF_INET);
	nla_put_u8(m, LVS_SVC_ATTR_PROTOCOL, IPPROTO_TCP);
	put_addr(m, LVS_SVC_ATTR_ADDR, AF_INET, "10.0.0.1");
	nla_put_u16(m, LVS_SVC_ATTR_PORT, htons(80));
	nla_put_u16(m, LVS_SVC_ATTR_MH_TABLE_SIZE, 251);
	nla_nest_end(m, n);
	check(decode_svc(nlmsg_hdr(m), &si) == -EPROTO,
	      "show: a 2-byte MH_TABLE_SIZE is refused");
	nlmsg_free(m);
}

/*
 * A destination's own family, LVS_DEST_ATTR_ADDR_FAMILY, when it is not
 * its service's: an IPv4 real server of an IPv6 service lists in IPv4
 * and reads back as "dest add" with "tun". A family that does not match
 * the address, or is neither, is refused.
 */
static void test_dest_family(void)
{
	static const struct dest_fix v4 = {
		AF_INET, "192.168.1.2", 53, LVS_FWD_TUN, 1, 0, 0, 0, 0, false,
		0
	};
	static const struct svc_fix v6svc = {
		IPPROTO_UDP, AF_INET6, "2001:db8::1", 53, "rr", false, false,
		4093, 0, 0, 0, 0, false, false
	};
	static const char *const words[] = { "dest", "add", "udp",
		"[2001:db8::1]:53", "192.168.1.2:53", "tun", "weight", "1" };
	char *argv[ARRAY_SIZE(words)];
	struct svc_info si = { 0 };
	struct request req;
	struct dest_info di;
	struct nl_msg *m;
	struct nlattr *n;
	char *out;
	size_t i;

	if (!check(!svc(&si, &v6svc) && !dest(&di, &v4) &&
		   di.rip.family == AF_INET,
		   "show: an IPv4 destination of an IPv6 service decodes"))
		return;
	si.dests = &di;
	si.n_dests = 1;
	out = render(NULL, &si, false, false);
	check_str(out, "192.168.1.2:53 tun weight 1 active 0 inactive 0\n",
		  "show: it lists in its own family");
	free(out);
	out = render(NULL, &si, true, false);
	check(out && strstr(out, "\"address\":\"192.168.1.2\",\"port\":53,"),
	      "show: and in JSON");
	free(out);
	for (i = 0; i < ARRAY_SIZE(words); i++)
		argv[i] = (char *)words[i];
	check(!cmd_parse(&req, ARRAY_SIZE(argv), argv) &&
	      req.dest.rip.family == AF_INET && req.dest.fwd == LVS_FWD_TUN,
	      "show: and reads back as \"dest add ... tun\"");

	m = new_msg(LVS_CMD_DEST_GET);
	n = nla_nest_start(m, LVS_ATTR_DEST);
	nla_put_u16(m, LVS_DEST_ATTR_ADDR_FAMILY, AF_INET6);
	put_addr(m, LVS_DEST_ATTR_ADDR, AF_INET, "10.0.0.9");
	nla_nest_end(m, n);
	check(decode_dest(nlmsg_hdr(m), &di) == -EPROTO,
	      "show: an AF_INET6 destination with a 4-byte address is refused");
	nlmsg_free(m);

	m = new_msg(LVS_CMD_DEST_GET);
	n = nla_nest_start(m, LVS_ATTR_DEST);
	nla_put_u16(m, LVS_DEST_ATTR_ADDR_FAMILY, 99);
	put_addr(m, LVS_DEST_ATTR_ADDR, AF_INET, "10.0.0.9");
	nla_nest_end(m, n);
	check(decode_dest(nlmsg_hdr(m), &di) == -EPROTO,
	      "show: a destination of family 99 is refused");
	nlmsg_free(m);
}

/*
 * A service reply without the option attributes reads as the defaults,
 * which text leaves out. Decoded options are not "given": svc_put() of
 * a listed service, as the DEST_GET of a listing does, sends none.
 */
static void test_default_opts(void)
{
	static const struct svc_fix bare = {
		IPPROTO_TCP, AF_INET, "10.0.0.1", 80, "rr", true, true, 0, 0,
		0, 0, 0, false, false
	};
	struct nlattr *tb[LVS_ATTR_MAX + 1], *a;
	struct svc_list l = { 0 };
	struct svc_info si;
	struct nl_msg *m;
	char *out;
	int rem;
	bool ok;

	ok = !svc(&si, &bare) && !si.spec.opts.fallback &&
	     !si.spec.opts.hash_port &&
	     si.spec.opts.table_size == LVS_MH_TABLE_DEFAULT;
	check(ok, "show: a service without options has the defaults");
	l.svcs = &si;
	l.n = 1;
	out = render(&l, NULL, false, false);
	check_str(out, "tcp 10.0.0.1:80 sched rr\n",
		  "show: text leaves the default options out");
	free(out);

	strcpy(si.spec.sched, "mh");
	out = render(&l, NULL, false, false);
	check_str(out, "tcp 10.0.0.1:80 sched mh table-size 4093\n",
		  "show: text gives the table size of an mh service");
	free(out);

	m = new_msg(LVS_CMD_DEST_GET);
	ok = !svc_put(m, &si.spec) &&
	     !genlmsg_parse(nlmsg_hdr(m), 0, tb, LVS_ATTR_MAX, NULL) &&
	     tb[LVS_ATTR_SERVICE];
	nla_for_each_nested(a, tb[LVS_ATTR_SERVICE], rem)
		if (nla_type(a) >= LVS_SVC_ATTR_SCHED_FALLBACK)
			ok = false;
	check(ok, "show: the key of a listed service carries no options");
	nlmsg_free(m);
}

/*
 * An INFO_GET reply, with PADs and an attribute from a newer kernel; the
 * fast path on, held for IPv6 (with @big: for both), with @count + 1
 * packets (@big: UINT64_MAX - 1).
 */
static struct nl_msg *info_reply(uint32_t count, uint32_t max,
				 const uint64_t drops[6])
{
	bool big = count == UINT32_MAX;
	struct nl_msg *m = new_msg(LVS_CMD_INFO_GET);
	struct nlattr *n = nla_nest_start(m, LVS_ATTR_INFO);
	int i;

	nla_put_u32(m, LVS_INFO_ATTR_CONN_COUNT, count);
	nla_put_u32(m, LVS_INFO_ATTR_CONN_MAX, max);
	nla_put_u32(m, LVS_INFO_ATTR_CONN_BUCKETS_IN, 64);
	nla_put_u32(m, LVS_INFO_ATTR_CONN_BUCKETS_OUT, 128);
	for (i = 0; i < 6; i++) {
		nla_put(m, LVS_INFO_ATTR_PAD, 0, NULL);
		nla_put_u64(m, LVS_INFO_ATTR_DROP_MALFORMED + i, drops[i]);
	}
	nla_put_u8(m, LVS_INFO_ATTR_FAST_PATH, 1);
	nla_put_u8(m, LVS_INFO_ATTR_FAST_PATH_HELD, big ? 3 : 2);
	nla_put(m, LVS_INFO_ATTR_PAD, 0, NULL);
	nla_put_u64(m, LVS_INFO_ATTR_FAST_PACKETS,
		    big ? UINT64_MAX - 1 : count + 1);
	nla_put_u32(m, LVS_INFO_ATTR_MAX + 1, 7);
	nla_nest_end(m, n);
	return m;
}

static int info(struct lvs_info *info, uint32_t count, uint32_t max,
		const uint64_t drops[6])
{
	struct nl_msg *m = info_reply(count, max, drops);
	int ret;

	ret = decode_info(nlmsg_hdr(m), info);
	nlmsg_free(m);
	return ret;
}

static char *render_info(const struct lvs_info *info, bool json,
			 bool pretty)
{
	struct printer p;
	size_t len;
	char *buf;
	FILE *f;

	f = open_memstream(&buf, &len);
	if (!f)
		exit(2);
	pr_init(&p, f, json, pretty);
	show_info(&p, info);
	fclose(f);
	return buf;
}

static const uint64_t info_drops[6] = { 0, 0, 3, 0, 0, 0 };

static const char want_info_text[] =
	"connections 12 max 1048576 buckets-in 64 buckets-out 128\n"
	"drops malformed 0 no-dest 0 no-conn 3 conn-full 0 xmit 0 evicted 0\n"
	"fastpath on held-inet off held-inet6 on packets 13\n";

static const char *const want_info_json[] = {
	"{\"conn_count\":12,\"conn_max\":1048576,\"buckets_in\":64,",
	"\"buckets_out\":128,\"drops\":{",
	"\"malformed\":0,\"no_dest\":0,\"no_conn\":3,\"conn_full\":0,",
	"\"xmit\":0,\"evicted\":0},\"fastpath\":{\"on\":true,",
	"\"held_inet\":false,\"held_inet6\":true,\"packets\":13}}\n",
};

static const char want_info_pretty[] =
	"{\n"
	"    \"conn_count\": 12,\n"
	"    \"conn_max\": 1048576,\n"
	"    \"buckets_in\": 64,\n"
	"    \"buckets_out\": 128,\n"
	"    \"drops\": {\n"
	"        \"malformed\": 0,\n"
	"        \"no_dest\": 0,\n"
	"        \"no_conn\": 3,\n"
	"        \"conn_full\": 0,\n"
	"        \"xmit\": 0,\n"
	"        \"evicted\": 0\n"
	"    },\n"
	"    \"fastpath\": {\n"
	"        \"on\": true,\n"
	"        \"held_inet\": false,\n"
	"        \"held_inet6\": true,\n"
	"        \"packets\": 13\n"
	"    }\n"
	"}\n";

/* Every counter different, the largest values: none read as another. */
static const uint64_t info_big[6] = { 1, 2, 3, 4, UINT64_MAX, 6 };

static const char want_info_big[] =
	"connections 4294967295 max 4294967294 buckets-in 64 buckets-out 128\n"
	"drops malformed 1 no-dest 2 no-conn 3 conn-full 4 xmit 18446744073709551615 evicted 6\n"
	"fastpath on held-inet on held-inet6 on packets 18446744073709551614\n";

static void test_info(void)
{
	struct lvs_info in;
	struct nl_msg *m;
	struct nlattr *n;
	char *out, *want;

	check(!info(&in, 12, 1048576, info_drops),
	      "info: decode a well-formed reply");
	out = render_info(&in, false, false);
	check_str(out, want_info_text, "info: text");
	free(out);
	out = render_info(&in, true, false);
	want = check_join(want_info_json, ARRAY_SIZE(want_info_json));
	check_str(out, want, "info: JSON");
	free(want);
	free(out);
	out = render_info(&in, true, true);
	check_str(out, want_info_pretty, "info: pretty JSON");
	free(out);

	check(!info(&in, UINT32_MAX, UINT32_MAX - 1, info_big),
	      "info: decode a reply with the largest values");
	out = render_info(&in, false, false);
	check_str(out, want_info_big, "info: text, each counter in its place");
	free(out);

	m = new_msg(LVS_CMD_INFO_GET);
	n = nla_nest_start(m, LVS_ATTR_INFO);
	nla_put_u32(m, LVS_INFO_ATTR_GENERATION, 4000000000u);
	nla_nest_end(m, n);
	check(!decode_info(nlmsg_hdr(m), &in) && in.has_generation &&
	      in.generation == 4000000000u,
	      "info: the configuration's generation is read");
	nlmsg_free(m);
	out = render_info(&in, false, false);
	check(strstr(out, "\ngeneration 4000000000\n"),
	      "info: text shows the generation");
	free(out);
	out = render_info(&in, true, false);
	check(strstr(out, "\"generation\":4000000000}"),
	      "info: JSON has the generation");
	free(out);

	m = new_msg(LVS_CMD_INFO_GET);
	n = nla_nest_start(m, LVS_ATTR_INFO);
	nla_put_u32(m, LVS_INFO_ATTR_CONN_MAX, 5);
	nla_nest_end(m, n);
	check(!decode_info(nlmsg_hdr(m), &in) && in.conn_max == 5 &&
	      !in.conn_count && !in.drop_malformed && !in.drop_xmit &&
	      !in.conn_evicted && !in.buckets_in && !in.buckets_out &&
	      !in.fast_path && !in.fast_held && !in.fast_packets,
	      "info: counters left out of a reply read as 0");
	nlmsg_free(m);

	m = new_msg(LVS_CMD_INFO_GET);
	check(decode_info(nlmsg_hdr(m), &in) == -EPROTO,
	      "info: a reply without LVS_ATTR_INFO is refused");
	nlmsg_free(m);

	m = new_msg(LVS_CMD_INFO_GET);
	n = nla_nest_start(m, LVS_ATTR_INFO);
	nla_put_u16(m, LVS_INFO_ATTR_CONN_COUNT, 12);
	nla_nest_end(m, n);
	check(decode_info(nlmsg_hdr(m), &in) == -EPROTO,
	      "info: a 2-byte CONN_COUNT is refused");
	nlmsg_free(m);

	m = new_msg(LVS_CMD_INFO_GET);
	n = nla_nest_start(m, LVS_ATTR_INFO);
	nla_put_u32(m, LVS_INFO_ATTR_DROP_XMIT, 3);
	nla_nest_end(m, n);
	check(decode_info(nlmsg_hdr(m), &in) == -EPROTO,
	      "info: a 4-byte drop counter is refused");
	nlmsg_free(m);

	m = new_msg(LVS_CMD_INFO_GET);
	n = nla_nest_start(m, LVS_ATTR_INFO);
	nla_put_u32(m, LVS_INFO_ATTR_FAST_PACKETS, 3);
	nla_nest_end(m, n);
	check(decode_info(nlmsg_hdr(m), &in) == -EPROTO,
	      "info: a 4-byte fast path packet count is refused");
	nlmsg_free(m);
}

int main(int argc, char **argv)
{
	struct svc_list l = { 0 };
	struct svc_list empty = { 0 };
	struct lvs_info in;
	char *out, *want;
	int ret;

	ret = build(&l);
	if (argc == 2) {
		if (!strcmp(argv[1], "info-json")) {
			ret |= info(&in, 12, 1048576, info_drops);
			out = render_info(&in, true, false);
		} else if (strcmp(argv[1], "json")) {
			out = render(NULL, &l.svcs[0], true, false);
		} else {
			out = render(&l, NULL, true, false);
		}
		fputs(out, stdout);
		free(out);
		return ret ? 1 : 0;
	}

	check(!ret, "show: decode well-formed replies");
	out = render(&l, NULL, false, false);
	check_str(out, want_text, "show: service list: text, sorted");
	test_round_trip(&l, NULL, out);
	free(out);
	out = render(&l, NULL, false, true);
	check_str(out, want_stats, "show: service list: text with -s");
	free(out);
	out = render(&l, NULL, true, false);
	want = check_join(want_json, ARRAY_SIZE(want_json));
	check_str(out, want, "show: service list: JSON");
	free(want);
	free(out);
	out = render(&empty, NULL, false, false);
	check_str(out, "", "show: service list: none, no text");
	free(out);
	out = render(&empty, NULL, true, false);
	check_str(out, "[]\n", "show: service list: none, empty JSON array");
	free(out);

	out = render(NULL, &l.svcs[0], false, false);
	check_str(out, want_dests_text, "show: dest list: text, sorted");
	test_round_trip(NULL, &l.svcs[0], out);
	free(out);
	out = render(NULL, &l.svcs[0], false, true);
	check_str(out, want_dests_stats, "show: dest list: text with -s");
	free(out);
	out = render(NULL, &l.svcs[0], true, false);
	check_str(out, want_dests_json, "show: dest list: JSON");
	free(out);
	out = render(NULL, &l.svcs[1], true, false);
	check_str(out, "[]\n", "show: dest list: none, empty JSON array");
	free(out);
	test_bad_replies();
	test_dest_family();
	test_default_opts();
	test_info();
	svc_list_free(&l);
	return check_exit();
}
