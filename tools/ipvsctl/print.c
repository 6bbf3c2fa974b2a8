// SPDX-License-Identifier: GPL-2.0
/*
 * Text and JSON printer. JSON is written as it goes: a stack of "has this
 * container got a member yet" flags decides where commas go, and closing
 * the outermost container ends the document with a newline. Pretty output
 * indents by four blanks per level, as python3 -m json.tool does.
 */
#include <arpa/inet.h>
#include <assert.h>
#include <inttypes.h>
#include <string.h>
#include <sys/socket.h>

#include "parse.h"
#include "print.h"

void pr_init(struct printer *p, FILE *f, bool json, bool pretty)
{
	p->f = f;
	p->json = json;
	p->pretty = json && pretty;
	p->depth = 0;
	p->nonempty[0] = false;
}

static void newline(struct printer *p)
{
	int i;

	fputc('\n', p->f);
	for (i = 0; i < p->depth; i++)
		fputs("    ", p->f);
}

static void json_string(struct printer *p, const char *s)
{
	const unsigned char *c;

	fputc('"', p->f);
	for (c = (const unsigned char *)s; *c; c++) {
		switch (*c) {
		case '"':
			fputs("\\\"", p->f);
			break;
		case '\\':
			fputs("\\\\", p->f);
			break;
		case '\b':
			fputs("\\b", p->f);
			break;
		case '\f':
			fputs("\\f", p->f);
			break;
		case '\n':
			fputs("\\n", p->f);
			break;
		case '\r':
			fputs("\\r", p->f);
			break;
		case '\t':
			fputs("\\t", p->f);
			break;
		default:
			if (*c < 0x20 || *c == 0x7f)
				fprintf(p->f, "\\u%04x", *c);
			else
				fputc(*c, p->f);
		}
	}
	fputc('"', p->f);
}

/* Start a member: comma, line break, key. */
static void json_member(struct printer *p, const char *key)
{
	if (p->depth > 0) {
		if (p->nonempty[p->depth])
			fputc(',', p->f);
		p->nonempty[p->depth] = true;
		if (p->pretty)
			newline(p);
	}
	if (key) {
		json_string(p, key);
		fputs(p->pretty ? ": " : ":", p->f);
	}
}

static void json_open(struct printer *p, const char *key, char bracket)
{
	if (!p->json)
		return;
	assert(p->depth < PR_MAX_DEPTH);
	json_member(p, key);
	fputc(bracket, p->f);
	p->nonempty[++p->depth] = false;
}

static void json_close(struct printer *p, char bracket)
{
	bool nonempty;

	if (!p->json)
		return;
	assert(p->depth > 0);
	nonempty = p->nonempty[p->depth--];
	if (p->pretty && nonempty)
		newline(p);
	fputc(bracket, p->f);
	if (p->depth == 0)
		fputc('\n', p->f);
}

void pr_open_object(struct printer *p, const char *key)
{
	json_open(p, key, '{');
}

void pr_close_object(struct printer *p)
{
	json_close(p, '}');
}

void pr_open_array(struct printer *p, const char *key)
{
	json_open(p, key, '[');
}

void pr_close_array(struct printer *p)
{
	json_close(p, ']');
}

/* Whether a call of this kind prints in the current mode. */
static bool shown(const struct printer *p, enum pr_kind kind)
{
	return kind == PR_ANY || (kind == PR_JSON) == p->json;
}

void pr_string(struct printer *p, enum pr_kind kind, const char *key,
	       const char *fmt, const char *val)
{
	if (!shown(p, kind))
		return;
	if (p->json) {
		json_member(p, key);
		json_string(p, val);
	} else {
		fprintf(p->f, fmt, val);
	}
}

/*
 * A text format whose one conversion is %u, written without printf()
 * (saves and plans print 100,000s); false for any other format.
 */
static bool text_uint(struct printer *p, const char *fmt, unsigned int val)
{
	const char *pct = strchr(fmt, '%');
	char digits[10];

	if (!pct || pct[1] != 'u' || strchr(pct + 2, '%'))
		return false;
	fwrite(fmt, 1, (size_t)(pct - fmt), p->f);
	fwrite(digits, 1, (size_t)(format_uint(digits, val) - digits), p->f);
	fputs(pct + 2, p->f);
	return true;
}

void pr_uint(struct printer *p, enum pr_kind kind, const char *key,
	     const char *fmt, unsigned int val)
{
	if (!shown(p, kind))
		return;
	if (p->json) {
		json_member(p, key);
		fprintf(p->f, "%u", val);
	} else if (!text_uint(p, fmt, val)) {
		fprintf(p->f, fmt, val);
	}
}

void pr_u64(struct printer *p, enum pr_kind kind, const char *key,
	    const char *fmt, uint64_t val)
{
	if (!shown(p, kind))
		return;
	if (p->json) {
		json_member(p, key);
		fprintf(p->f, "%" PRIu64, val);
	} else {
		fprintf(p->f, fmt, val);
	}
}

void pr_bool(struct printer *p, enum pr_kind kind, const char *key,
	     const char *fmt, bool val)
{
	if (!shown(p, kind))
		return;
	if (p->json) {
		json_member(p, key);
		fputs(val ? "true" : "false", p->f);
	} else {
		fprintf(p->f, fmt, val ? "on" : "off");
	}
}

void pr_text(struct printer *p, const char *s)
{
	if (!p->json)
		fputs(s, p->f);
}

/* In text, written by hand: a save prints 100,000s of these. */
static void text_addr_port(struct printer *p, const struct endpoint *ep,
			   bool port0)
{
	char buf[INET6_ADDRSTRLEN + sizeof("[]:65535")], *s = buf;
	bool v6 = ep->family == AF_INET6;

	if (v6)
		*s++ = '[';
	format_addr(ep, s, INET6_ADDRSTRLEN);
	s += strlen(s);
	if (v6)
		*s++ = ']';
	if (ep->port || port0) {
		*s++ = ':';
		s = format_uint(s, ep->port);
	}
	*s = '\0';
	fputs(buf, p->f);
}

void pr_addr_port(struct printer *p, const struct endpoint *ep, bool port0)
{
	char addr[INET6_ADDRSTRLEN];

	if (!p->json) {
		text_addr_port(p, ep, port0);
		return;
	}
	format_addr(ep, addr, sizeof(addr));
	pr_string(p, PR_ANY, "address",
		  ep->family == AF_INET6 ? "[%s]" : "%s", addr);
	pr_uint(p, ep->port || port0 ? PR_ANY : PR_JSON, "port", ":%u",
		ep->port);
}

void pr_endpoint(struct printer *p, const char *key, const struct endpoint *ep)
{
	pr_open_object(p, key);
	pr_addr_port(p, ep, false);
	pr_close_object(p);
}
