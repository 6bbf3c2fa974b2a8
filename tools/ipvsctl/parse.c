// SPDX-License-Identifier: GPL-2.0
/*
 * Parsers for the words of a command line and the names they stand for.
 * Keywords match exactly: no abbreviations.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/lvs.h>

#include "parse.h"

struct name {
	const char *word;
	uint8_t value;
};

static const struct name protos[] = {
	{ "tcp", IPPROTO_TCP },
	{ "udp", IPPROTO_UDP },
	{ "sctp", IPPROTO_SCTP },
};

static const struct name fwds[] = {
	{ "nat", LVS_FWD_NAT },
	{ "dr", LVS_FWD_DR },
	{ "tun", LVS_FWD_TUN },
};

static const struct name families[] = {
	{ "inet", AF_INET },
	{ "inet6", AF_INET6 },
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static int lookup(const struct name *t, size_t n, const char *word,
		  uint8_t *value)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (!strcmp(t[i].word, word)) {
			*value = t[i].value;
			return 0;
		}
	}
	return -1;
}

static const char *rlookup(const struct name *t, size_t n, uint8_t value)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (t[i].value == value)
			return t[i].word;
	return NULL;
}

/* Decimal digits only: no sign, no blanks, no base prefix. */
int parse_uint(const char *word, unsigned long max, unsigned long *val)
{
	unsigned long v = 0;
	const char *c;

	if (!*word)
		return -1;
	for (c = word; *c; c++) {
		if (*c < '0' || *c > '9')
			return -1;
		v = v * 10 + (unsigned long)(*c - '0');
		if (v > max)
			return -1;
	}
	*val = v;
	return 0;
}

int parse_proto(const char *word, uint8_t *proto, char *err)
{
	if (!lookup(protos, N(protos), word, proto))
		return 0;
	snprintf(err, PARSE_ERR_MAX,
		 "invalid protocol \"%s\": expected tcp, udp or sctp", word);
	return -1;
}

int parse_fwd(const char *word, uint8_t *fwd)
{
	return lookup(fwds, N(fwds), word, fwd);
}

int parse_weight(const char *word, uint32_t *weight, char *err)
{
	unsigned long v;

	if (parse_uint(word, LVS_WEIGHT_MAX, &v)) {
		snprintf(err, PARSE_ERR_MAX,
			 "invalid weight \"%s\": expected 0-%d", word,
			 LVS_WEIGHT_MAX);
		return -1;
	}
	*weight = (uint32_t)v;
	return 0;
}

/* Names of scheduler modules: lvs_sched_NAME. */
int parse_sched(const char *word, char *name, size_t size, char *err)
{
	size_t len = strlen(word);
	const char *c;

	for (c = word; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') ||
		      *c == '_'))
			break;
	if (*c || len == 0 || len >= size) {
		snprintf(err, PARSE_ERR_MAX,
			 "invalid scheduler name \"%s\": expected 1-%zu characters of a-z, 0-9 and _",
			 word, size - 1);
		return -1;
	}
	memcpy(name, word, len + 1);
	return 0;
}

int parse_on_off(const char *key, const char *word, bool *val, char *err)
{
	if (!strcmp(word, "on") || !strcmp(word, "off")) {
		*val = word[1] == 'n';
		return 0;
	}
	snprintf(err, PARSE_ERR_MAX,
		 "invalid value \"%s\" for \"%s\": expected on or off", word,
		 key);
	return -1;
}

static bool is_prime(unsigned long n)
{
	unsigned long d;

	if (n < 2)
		return false;
	for (d = 2; d <= n / d; d++)
		if (!(n % d))
			return false;
	return true;
}

/*
 * Both bounds are prime, so a number between them that is not has a prime
 * on either side within them: name those two.
 */
int parse_table_size(const char *word, uint32_t *size, char *err)
{
	unsigned long v, below, above;

	if (parse_uint(word, LVS_MH_TABLE_MAX, &v) || v < LVS_MH_TABLE_MIN) {
		snprintf(err, PARSE_ERR_MAX,
			 "invalid table size \"%s\": expected a prime from %d to %d",
			 word, LVS_MH_TABLE_MIN, LVS_MH_TABLE_MAX);
		return -1;
	}
	if (!is_prime(v)) {
		for (below = v - 1; !is_prime(below); below--)
			;
		for (above = v + 1; !is_prime(above); above++)
			;
		snprintf(err, PARSE_ERR_MAX,
			 "invalid table size \"%s\": not a prime, the nearest are %lu and %lu",
			 word, below, above);
		return -1;
	}
	*size = (uint32_t)v;
	return 0;
}

int parse_threshold(const char *word, uint32_t *val, char *err)
{
	unsigned long v;

	if (parse_uint(word, UINT32_MAX, &v)) {
		snprintf(err, PARSE_ERR_MAX,
			 "invalid threshold \"%s\": expected 0-%u", word,
			 UINT32_MAX);
		return -1;
	}
	*val = (uint32_t)v;
	return 0;
}

/*
 * Split "ADDR[:PORT]" or "[ADDR6][:PORT]" into host and port. Returns the
 * family, or -1 after writing err.
 */
static int split(const char *word, const char **host, size_t *hlen,
		 const char **port, char *err)
{
	const char *c;

	*port = NULL;
	if (word[0] == '[') {
		c = strchr(word, ']');
		if (!c) {
			snprintf(err, PARSE_ERR_MAX,
				 "invalid address \"%s\": missing \"]\"", word);
			return -1;
		}
		*host = word + 1;
		*hlen = (size_t)(c - *host);
		if (c[1] == ':') {
			*port = c + 2;
		} else if (c[1]) {
			snprintf(err, PARSE_ERR_MAX,
				 "invalid address \"%s\": expected \":PORT\" after \"]\"",
				 word);
			return -1;
		}
		return AF_INET6;
	}

	c = strchr(word, ':');
	*host = word;
	*hlen = c ? (size_t)(c - word) : strlen(word);
	if (c && strchr(c + 1, ':') && !memchr(word, '.', *hlen)) {
		snprintf(err, PARSE_ERR_MAX,
			 "invalid address \"%s\": write IPv6 addresses in brackets, as in \"[2001:db8::1]:80\"",
			 word);
		return -1;
	}
	if (c)
		*port = c + 1;
	return AF_INET;
}

static void bad_addr(const char *word, const char *host, size_t hlen,
		     int family, char *err)
{
	bool whole = hlen == strlen(word);

	snprintf(err, PARSE_ERR_MAX,
		 "invalid %s address \"%.*s\"%s%s%s: expected %s",
		 family == AF_INET ? "IPv4" : "IPv6", (int)hlen, host,
		 whole ? "" : " in \"", whole ? "" : word, whole ? "" : "\"",
		 family == AF_INET ?
		 "a.b.c.d, or an IPv6 address in brackets" :
		 "an IPv6 address such as [2001:db8::1]");
}

int parse_endpoint(const char *word, bool port_optional, struct endpoint *ep,
		   char *err)
{
	char host[INET6_ADDRSTRLEN];
	const char *h, *port;
	unsigned long v;
	size_t hlen;
	int family;

	family = split(word, &h, &hlen, &port, err);
	if (family < 0)
		return -1;
	if (hlen == 0) {
		snprintf(err, PARSE_ERR_MAX, "missing address in \"%s\"", word);
		return -1;
	}
	memset(ep, 0, sizeof(*ep));
	ep->family = family;
	if (hlen < sizeof(host)) {
		memcpy(host, h, hlen);
		host[hlen] = '\0';
	}
	if (hlen >= sizeof(host) || inet_pton(family, host, &ep->addr) != 1) {
		bad_addr(word, h, hlen, family, err);
		return -1;
	}

	if (!port) {
		if (port_optional)
			return 0;
		snprintf(err, PARSE_ERR_MAX,
			 "missing port in \"%s\": expected ADDRESS:PORT", word);
		return -1;
	}
	if (!*port) {
		snprintf(err, PARSE_ERR_MAX,
			 "missing port after \":\" in \"%s\": expected 0-65535",
			 word);
		return -1;
	}
	if (parse_uint(port, 65535, &v)) {
		snprintf(err, PARSE_ERR_MAX,
			 "invalid port \"%s\" in \"%s\": expected 0-65535",
			 port, word);
		return -1;
	}
	ep->port = (uint16_t)v;
	return 0;
}

int parse_fwmark(const char *word, uint32_t *mark, char *err)
{
	unsigned long v;

	if (parse_uint(word, UINT32_MAX, &v) || v == 0) {
		snprintf(err, PARSE_ERR_MAX,
			 "invalid firewall mark \"%s\": expected 1-%u", word,
			 UINT32_MAX);
		return -1;
	}
	*mark = (uint32_t)v;
	return 0;
}

int parse_family(const char *word, int *family, char *err)
{
	uint8_t v;

	if (!lookup(families, N(families), word, &v)) {
		*family = v;
		return 0;
	}
	snprintf(err, PARSE_ERR_MAX,
		 "invalid family \"%s\": expected inet or inet6", word);
	return -1;
}

int parse_persist(const char *word, uint32_t *secs, char *err)
{
	unsigned long v;

	if (parse_uint(word, LVS_PERSIST_MAX, &v)) {
		snprintf(err, PARSE_ERR_MAX,
			 "invalid persistence timeout \"%s\": expected 0-%d seconds",
			 word, LVS_PERSIST_MAX);
		return -1;
	}
	*secs = (uint32_t)v;
	return 0;
}

/* The prefix length of a contiguous IPv4 mask, or -1. */
static int mask_prefix(const char *word)
{
	struct in_addr a;
	uint32_t m;
	int len;

	if (inet_pton(AF_INET, word, &a) != 1)
		return -1;
	m = ntohl(a.s_addr);
	for (len = 0; len < 32 && (m & (0x80000000u >> len)); len++)
		;
	if (len < 32 && (m << len))
		return -1;
	return len;
}

int parse_netmask(const char *word, int family, uint8_t *prefix, char *err)
{
	unsigned long max = family == AF_INET6 ? 128 : 32;
	unsigned long v;
	int len;

	if (!parse_uint(word, max, &v)) {
		*prefix = (uint8_t)v;
		return 0;
	}
	len = family == AF_INET6 ? -1 : mask_prefix(word);
	if (len >= 0) {
		*prefix = (uint8_t)len;
		return 0;
	}
	snprintf(err, PARSE_ERR_MAX, "invalid netmask \"%s\": expected %s",
		 word, family == AF_INET6 ? "a prefix length, 0-128" :
		 "a prefix length, 0-32, or a mask such as 255.255.255.0");
	return -1;
}

const char *family_name(int family)
{
	return rlookup(families, N(families), (uint8_t)family);
}

void format_netmask(int family, uint8_t prefix, char *buf, size_t size)
{
	struct in_addr a;

	if (family != AF_INET || prefix > 32) {
		snprintf(buf, size, "%u", prefix);
		return;
	}
	a.s_addr = htonl(prefix ? 0xffffffffu << (32 - prefix) : 0);
	if (!inet_ntop(AF_INET, &a, buf, (socklen_t)size))
		snprintf(buf, size, "%u", prefix);
}

const char *proto_name(uint8_t proto)
{
	return rlookup(protos, N(protos), proto);
}

const char *fwd_name(uint8_t fwd)
{
	return rlookup(fwds, N(fwds), fwd);
}

size_t family_addr_len(int family)
{
	switch (family) {
	case AF_INET:
		return sizeof(struct in_addr);
	case AF_INET6:
		return sizeof(struct in6_addr);
	}
	return 0;
}

char *format_uint(char *s, unsigned int v)
{
	char digits[10];
	int n = 0;

	do {
		digits[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		*s++ = digits[--n];
	return s;
}

/*
 * IPv4 by hand: inet_ntop() goes through sprintf(), and a save of 100,000
 * destinations spent half its time there.
 */
void format_addr(const struct endpoint *ep, char *buf, size_t size)
{
	const uint8_t *b = (const uint8_t *)&ep->addr.v4;
	char *s = buf;
	int i;

	if (ep->family == AF_INET && size >= INET_ADDRSTRLEN) {
		for (i = 0; i < 4; i++) {
			if (i)
				*s++ = '.';
			s = format_uint(s, b[i]);
		}
		*s = '\0';
		return;
	}
	if (!inet_ntop(ep->family, &ep->addr, buf, (socklen_t)size))
		snprintf(buf, size, "?");
}
