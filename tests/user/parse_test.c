// SPDX-License-Identifier: GPL-2.0
/*
 * Unit test of tools/ipvsctl/parse.c: every accepted form with its exact
 * value, and every rejected one with the exact message. Command lines as
 * a whole are tested by tests/user/run.
 */
#include <arpa/inet.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/lvs.h>

#include "check.h"
#include "parse.h"

struct good_ep {
	const char *word;
	bool port_optional;
	int family;
	const char *addr;
	uint16_t port;
};

static const struct good_ep good_eps[] = {
	{ "10.0.0.1:80", false, AF_INET, "10.0.0.1", 80 },
	{ "0.0.0.0:1", false, AF_INET, "0.0.0.0", 1 },
	{ "255.255.255.255:65535", false, AF_INET, "255.255.255.255", 65535 },
	{ "10.0.0.1:0080", false, AF_INET, "10.0.0.1", 80 },
	{ "[2001:db8::1]:80", false, AF_INET6, "2001:db8::1", 80 },
	{ "[::1]:443", false, AF_INET6, "::1", 443 },
	{ "[::ffff:10.0.0.1]:8080", false, AF_INET6, "::ffff:10.0.0.1", 8080 },
	{ "[2001:DB8:0:0:0:0:0:2]:1", false, AF_INET6, "2001:db8::2", 1 },
	{ "10.0.0.1:0", false, AF_INET, "10.0.0.1", 0 },
	{ "[2001:db8::1]:0", false, AF_INET6, "2001:db8::1", 0 },
	{ "10.0.1.2:0", true, AF_INET, "10.0.1.2", 0 },
	{ "10.0.1.2", true, AF_INET, "10.0.1.2", 0 },
	{ "10.0.1.2:8080", true, AF_INET, "10.0.1.2", 8080 },
	{ "[2001:db8::2]", true, AF_INET6, "2001:db8::2", 0 },
	{ "[2001:db8::2]:53", true, AF_INET6, "2001:db8::2", 53 },
};

struct bad {
	const char *word;
	bool port_optional;
	const char *msg;
};

/* How the messages end. */
#define WANT_PORT ": expected 0-65535"
#define WANT_V4 ": expected a.b.c.d, or an IPv6 address in brackets"
#define WANT_V6 ": expected an IPv6 address such as [2001:db8::1]"
#define WANT_BRACKETS ": write IPv6 addresses in brackets, as in \"[2001:db8::1]:80\""
/* 10 * 2^64, which is 0 modulo 2^64 */
#define HUGE_PORT "184467440737095516160"
/* Eleven groups, three more than an IPv6 address has */
#define LONG_V6 "1111:2222:3333:4444:5555:6666:7777:8888:9999:aaaa:bbbb"

static const struct bad bad_eps[] = {
	{ "10.0.0.1:99999", false,
	  "invalid port \"99999\" in \"10.0.0.1:99999\"" WANT_PORT },
	{ "10.0.0.1:65536", false,
	  "invalid port \"65536\" in \"10.0.0.1:65536\"" WANT_PORT },
	{ "10.0.0.1:-1", false,
	  "invalid port \"-1\" in \"10.0.0.1:-1\"" WANT_PORT },
	{ "10.0.0.1:+80", false,
	  "invalid port \"+80\" in \"10.0.0.1:+80\"" WANT_PORT },
	{ "10.0.0.1: 80", false,
	  "invalid port \" 80\" in \"10.0.0.1: 80\"" WANT_PORT },
	{ "10.0.0.1:80a", false,
	  "invalid port \"80a\" in \"10.0.0.1:80a\"" WANT_PORT },
	{ "10.0.0.1:0x50", false,
	  "invalid port \"0x50\" in \"10.0.0.1:0x50\"" WANT_PORT },
	{ "10.0.0.1:" HUGE_PORT, false,
	  "invalid port \"" HUGE_PORT "\" in \"10.0.0.1:" HUGE_PORT "\""
	  WANT_PORT },
	{ "1.2.3.4:80:90", false,
	  "invalid port \"80:90\" in \"1.2.3.4:80:90\"" WANT_PORT },
	{ "10.0.0.1:", false,
	  "missing port after \":\" in \"10.0.0.1:\"" WANT_PORT },
	{ "10.0.0.1", false,
	  "missing port in \"10.0.0.1\": expected ADDRESS:PORT" },
	{ "[::1]", false, "missing port in \"[::1]\": expected ADDRESS:PORT" },
	{ "[::1]:", true,
	  "missing port after \":\" in \"[::1]:\"" WANT_PORT },
	{ "[::1]:65536", false,
	  "invalid port \"65536\" in \"[::1]:65536\"" WANT_PORT },
	{ "10.0.0.256:80", false,
	  "invalid IPv4 address \"10.0.0.256\" in \"10.0.0.256:80\"" WANT_V4 },
	{ "10.0.0:80", false,
	  "invalid IPv4 address \"10.0.0\" in \"10.0.0:80\"" WANT_V4 },
	{ "010.0.0.1:80", false,
	  "invalid IPv4 address \"010.0.0.1\" in \"010.0.0.1:80\"" WANT_V4 },
	{ "localhost:80", false,
	  "invalid IPv4 address \"localhost\" in \"localhost:80\"" WANT_V4 },
	{ "10.0.1.256", true,
	  "invalid IPv4 address \"10.0.1.256\"" WANT_V4 },
	{ "[::g]", true,
	  "invalid IPv6 address \"::g\" in \"[::g]\"" WANT_V6 },
	{ "", true, "missing address in \"\"" },
	{ ":80", false, "missing address in \":80\"" },
	{ "[]:80", false, "missing address in \"[]:80\"" },
	{ "2001:db8::1:80", false,
	  "invalid address \"2001:db8::1:80\"" WANT_BRACKETS },
	{ "::1", true,
	  "invalid address \"::1\"" WANT_BRACKETS },
	{ "[2001:db8::1:80", false,
	  "invalid address \"[2001:db8::1:80\": missing \"]\"" },
	{ "[2001:db8::1]80", false,
	  "invalid address \"[2001:db8::1]80\": expected \":PORT\" after \"]\"" },
	{ "[10.0.0.1]:80", false,
	  "invalid IPv6 address \"10.0.0.1\" in \"[10.0.0.1]:80\"" WANT_V6 },
	{ "[fe80::1%eth0]:80", false,
	  "invalid IPv6 address \"fe80::1%eth0\" in \"[fe80::1%eth0]:80\""
	  WANT_V6 },
	{ "[" LONG_V6 "]:1", false,
	  "invalid IPv6 address \"" LONG_V6 "\" in \"[" LONG_V6 "]:1\""
	  WANT_V6 },
};

static void test_endpoints(void)
{
	char err[PARSE_ERR_MAX], addr[INET6_ADDRSTRLEN];
	struct endpoint ep;
	size_t i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(good_eps); i++) {
		const struct good_ep *g = &good_eps[i];

		ret = parse_endpoint(g->word, g->port_optional, &ep, err);
		if (!ret)
			format_addr(&ep, addr, sizeof(addr));
		check(!ret && ep.family == g->family &&
		      !strcmp(addr, g->addr) && ep.port == g->port,
		      "endpoint \"%s\"%s is %s port %u", g->word,
		      g->port_optional ? " (port optional)" : "", g->addr,
		      g->port);
	}

	for (i = 0; i < ARRAY_SIZE(bad_eps); i++) {
		const struct bad *b = &bad_eps[i];

		err[0] = '\0';
		ret = parse_endpoint(b->word, b->port_optional, &ep, err);
		check_str(ret ? err : "(accepted)", b->msg,
			  "endpoint \"%s\" is refused", b->word);
	}
}

static void test_protos(void)
{
	static const char *const bad[] = { "TCP", "SCTP", "tc", "tcpx", "",
					   "6", "132", "sctp4" };
	char err[PARSE_ERR_MAX], want[PARSE_ERR_MAX];
	uint8_t p;
	size_t i;

	check(!parse_proto("tcp", &p, err) && p == IPPROTO_TCP,
	      "protocol \"tcp\" is %d", IPPROTO_TCP);
	check(!parse_proto("udp", &p, err) && p == IPPROTO_UDP,
	      "protocol \"udp\" is %d", IPPROTO_UDP);
	check(!parse_proto("sctp", &p, err) && p == IPPROTO_SCTP,
	      "protocol \"sctp\" is %d", IPPROTO_SCTP);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		snprintf(want, sizeof(want),
			 "invalid protocol \"%s\": expected tcp, udp or sctp",
			 bad[i]);
		check_str(parse_proto(bad[i], &p, err) ? err : "(accepted)",
			  want, "protocol \"%s\" is refused", bad[i]);
	}
	check_str(proto_name(IPPROTO_TCP), "tcp", "name of protocol 6");
	check_str(proto_name(IPPROTO_UDP), "udp", "name of protocol 17");
	check_str(proto_name(IPPROTO_SCTP), "sctp", "name of protocol 132");
	check(!proto_name(IPPROTO_ICMP), "protocol 1 has no name");
}

static void test_weights(void)
{
	static const char *const bad[] = { "65536", "-1", "", "1.5", "0x10",
					   " 1", "1 ", "+1",
					   "99999999999999999999999" };
	static const struct {
		const char *word;
		uint32_t value;
	} good[] = { { "0", 0 }, { "1", 1 }, { "65535", 65535 },
		     { "007", 7 } };
	char err[PARSE_ERR_MAX], want[PARSE_ERR_MAX];
	uint32_t w;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(good); i++)
		check(!parse_weight(good[i].word, &w, err) &&
		      w == good[i].value, "weight \"%s\" is %u", good[i].word,
		      good[i].value);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		snprintf(want, sizeof(want),
			 "invalid weight \"%s\": expected 0-65535", bad[i]);
		check_str(parse_weight(bad[i], &w, err) ? err : "(accepted)",
			  want, "weight \"%s\" is refused", bad[i]);
	}
}

static void test_scheds(void)
{
	static const char *const good[] = { "rr", "wlc", "a_b2",
					    "abcdefghijklmno" };
	static const char *const bad[] = { "", "abcdefghijklmnop", "RR",
					   "r-r", "r r", "../x", "rr\n" };
	char err[PARSE_ERR_MAX], want[PARSE_ERR_MAX];
	char name[LVS_SCHED_NAME_MAX];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(good); i++)
		check(!parse_sched(good[i], name, sizeof(name), err) &&
		      !strcmp(name, good[i]), "scheduler \"%s\"", good[i]);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		snprintf(want, sizeof(want),
			 "invalid scheduler name \"%s\": expected 1-15 characters of a-z, 0-9 and _",
			 bad[i]);
		check_str(parse_sched(bad[i], name, sizeof(name), err) ?
			  err : "(accepted)", want,
			  "scheduler \"%.*s\"%s is refused",
			  (int)strcspn(bad[i], "\n"), bad[i],
			  strchr(bad[i], '\n') ? " + newline" : "");
	}
}

static void test_fwds(void)
{
	static const char *const bad[] = { "NAT", "route", "", "masq",
					   "na" };
	uint8_t f;
	size_t i;

	check(!parse_fwd("nat", &f) && f == LVS_FWD_NAT, "method nat");
	check(!parse_fwd("dr", &f) && f == LVS_FWD_DR, "method dr");
	check(!parse_fwd("tun", &f) && f == LVS_FWD_TUN, "method tun");
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		check(parse_fwd(bad[i], &f) == -1,
		      "method \"%s\" is no method", bad[i]);
	check_str(fwd_name(LVS_FWD_TUN), "tun", "name of method 2");
	check(!fwd_name(LVS_FWD_MAX + 1), "method 3 has no name");
}

static void test_on_off(void)
{
	static const char *const bad[] = { "ON", "Off", "yes", "1", "", "onn",
					   "of", "on " };
	char err[PARSE_ERR_MAX], want[PARSE_ERR_MAX];
	bool v = false;
	size_t i;

	check(!parse_on_off("fallback", "on", &v, err) && v, "on is true");
	check(!parse_on_off("fallback", "off", &v, err) && !v,
	      "off is false");
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		snprintf(want, sizeof(want),
			 "invalid value \"%s\" for \"hash-port\": expected on or off",
			 bad[i]);
		check_str(parse_on_off("hash-port", bad[i], &v, err) ?
			  err : "(accepted)", want, "on/off \"%s\" is refused",
			  bad[i]);
	}
}

static void test_table_sizes(void)
{
	static const struct {
		const char *word;
		uint32_t value;
	} good[] = { { "251", 251 }, { "4093", 4093 }, { "65537", 65537 },
		     { "1048573", 1048573 }, { "04093", 4093 } };
	static const char *const out_of_range[] = {
		"250", "0", "2", "1048574", "1048583", "4294967311", "", "-251",
		"4093 ", "0x1009", "99999999999999999999999"
	};
	static const struct {
		const char *word;
		const char *nearest;
	} composite[] = { { "252", "251 and 257" }, { "4096", "4093 and 4099" },
			  { "65536", "65521 and 65537" },
			  { "1048572", "1048571 and 1048573" } };
	char err[PARSE_ERR_MAX], want[PARSE_ERR_MAX];
	uint32_t v;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(good); i++)
		check(!parse_table_size(good[i].word, &v, err) &&
		      v == good[i].value, "table size \"%s\" is %u",
		      good[i].word, good[i].value);
	for (i = 0; i < ARRAY_SIZE(out_of_range); i++) {
		snprintf(want, sizeof(want),
			 "invalid table size \"%s\": expected a prime from 251 to 1048573",
			 out_of_range[i]);
		check_str(parse_table_size(out_of_range[i], &v, err) ?
			  err : "(accepted)", want,
			  "table size \"%s\" is refused", out_of_range[i]);
	}
	for (i = 0; i < ARRAY_SIZE(composite); i++) {
		snprintf(want, sizeof(want),
			 "invalid table size \"%s\": not a prime, the nearest are %s",
			 composite[i].word, composite[i].nearest);
		check_str(parse_table_size(composite[i].word, &v, err) ?
			  err : "(accepted)", want,
			  "table size \"%s\" is no prime", composite[i].word);
	}
}

static void test_thresholds(void)
{
	static const char *const bad[] = { "4294967296", "-1", "", "1e3",
					   " 1", "0x10", "1.0",
					   "99999999999999999999999" };
	static const struct {
		const char *word;
		uint32_t value;
	} good[] = { { "0", 0 }, { "1", 1 }, { "4294967295", UINT32_MAX },
		     { "0100", 100 } };
	char err[PARSE_ERR_MAX], want[PARSE_ERR_MAX];
	uint32_t v;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(good); i++)
		check(!parse_threshold(good[i].word, &v, err) &&
		      v == good[i].value, "threshold \"%s\" is %u",
		      good[i].word, good[i].value);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		snprintf(want, sizeof(want),
			 "invalid threshold \"%s\": expected 0-4294967295",
			 bad[i]);
		check_str(parse_threshold(bad[i], &v, err) ? err : "(accepted)",
			  want, "threshold \"%s\" is refused", bad[i]);
	}
}

static void test_netmasks(void)
{
	static const struct {
		const char *word;
		int family;
		uint8_t prefix;
		const char *shown;	/* as format_netmask() prints it */
	} good[] = {
		{ "255.255.255.0", AF_INET, 24, "255.255.255.0" },
		{ "24", AF_INET, 24, "255.255.255.0" },
		{ "0.0.0.0", AF_INET, 0, "0.0.0.0" },
		{ "0", AF_INET, 0, "0.0.0.0" },
		{ "255.255.255.255", AF_INET, 32, "255.255.255.255" },
		{ "255.255.128.0", AF_INET, 17, "255.255.128.0" },
		{ "64", AF_INET6, 64, "64" },
		{ "128", AF_INET6, 128, "128" },
		{ "0", AF_INET6, 0, "0" },
	};
	static const struct {
		const char *word;
		int family;
	} bad[] = {
		{ "33", AF_INET }, { "255.0.255.0", AF_INET },
		{ "255.255.255.1", AF_INET }, { "-1", AF_INET }, { "", AF_INET },
		{ "/24", AF_INET }, { "129", AF_INET6 },
		{ "255.255.255.0", AF_INET6 }, { "ffff::", AF_INET6 },
	};
	char err[PARSE_ERR_MAX], shown[64];
	uint8_t v;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(good); i++) {
		v = 255;
		check(!parse_netmask(good[i].word, good[i].family, &v, err) &&
		      v == good[i].prefix, "netmask \"%s\" is /%u",
		      good[i].word, good[i].prefix);
		format_netmask(good[i].family, good[i].prefix, shown,
			       sizeof(shown));
		check_str(shown, good[i].shown, "netmask /%u shows as %s",
			  good[i].prefix, good[i].shown);
	}
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		check(parse_netmask(bad[i].word, bad[i].family, &v, err) == -1 &&
		      strstr(err, "invalid netmask"),
		      "netmask \"%s\" is refused for %s", bad[i].word,
		      family_name(bad[i].family));
}

static void test_fwmarks(void)
{
	char err[PARSE_ERR_MAX];
	uint32_t v;
	int f;

	check(!parse_fwmark("1", &v, err) && v == 1, "fwmark \"1\"");
	check(!parse_fwmark("4294967295", &v, err) && v == UINT32_MAX,
	      "fwmark \"4294967295\"");
	check(parse_fwmark("0", &v, err) == -1, "fwmark \"0\" is refused");
	check(!parse_family("inet6", &f, err) && f == AF_INET6,
	      "family \"inet6\"");
	check(parse_family("INET", &f, err) == -1, "family \"INET\" is refused");
	check(!parse_persist("2592000", &v, err) && v == 2592000,
	      "persistent \"2592000\"");
	check(parse_persist("2592001", &v, err) == -1,
	      "persistent \"2592001\" is refused");
}

static void test_uint(void)
{
	unsigned long v;

	check(!parse_uint("0", 0, &v) && v == 0, "uint \"0\" up to 0");
	check(parse_uint("1", 0, &v) == -1, "uint \"1\" above max 0");
	check(!parse_uint("4294967295", 4294967295UL, &v) &&
	      v == 4294967295UL, "uint \"4294967295\" up to its max");
}

int main(void)
{
	test_endpoints();
	test_protos();
	test_weights();
	test_scheds();
	test_fwds();
	test_on_off();
	test_table_sizes();
	test_thresholds();
	test_netmasks();
	test_fwmarks();
	test_uint();
	return check_exit();
}
