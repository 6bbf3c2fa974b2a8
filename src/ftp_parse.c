// SPDX-License-Identifier: GPL-2.0
/*
 * Reading the FTP control lines that set up data connections (RFC 959,
 * RFC 2428):
 *
 *   client  PORT h1,h2,h3,h4,p1,p2          connect to me there (IPv4)
 *   client  EPRT <d>1|2<d>address<d>port<d> connect to me there (any family)
 *   server  227 text h1,h2,h3,h4,p1,p2 text  connect to me there (IPv4)
 *   server  229 text (<d><d><d>port<d>)      same address, this port
 *
 * The delimiter <d> is any printable character but the space; "|" in
 * practice. Only complete lines (ending in a line feed) count, so a
 * command cut across two segments is never half read. Nothing here
 * touches a packet: the helper (ftp.c) hands in its payload.
 */

#include <linux/ctype.h>
#include <linux/inet.h>
#include <linux/kernel.h>
#include <linux/string.h>

#include "ftp_parse.h"

/* Up to three digits worth at most @max; returns how many were read. */
static unsigned int parse_uint(const char *p, const char *end,
			       unsigned int ndigits, unsigned int max,
			       unsigned int *val)
{
	unsigned int n = 0, v = 0;

	while (p + n < end && n < ndigits && isdigit(p[n])) {
		v = v * 10 + (p[n] - '0');
		n++;
	}
	if (!n || v > max)
		return 0;
	*val = v;
	return n;
}

/* "h1,h2,h3,h4,p1,p2" at @p; returns its length or 0. */
static unsigned int parse_hostport(const char *p, const char *end,
				   struct lvs_ftp_match *m)
{
	unsigned int i, n, v[6];
	const char *q = p;

	for (i = 0; i < 6; i++) {
		if (i) {
			if (q >= end || *q != ',')
				return 0;
			q++;
		}
		n = parse_uint(q, end, 3, 255, &v[i]);
		if (!n)
			return 0;
		q += n;
	}
	/* A fourth digit would mean a number over 255; port 0 is no port. */
	if ((q < end && isdigit(*q)) || !(v[4] | v[5]))
		return 0;
	m->af = AF_INET;
	m->addr.ip = htonl(v[0] << 24 | v[1] << 16 | v[2] << 8 | v[3]);
	m->port = htons(v[4] << 8 | v[5]);
	return q - p;
}

/* A port of 1..65535 at @p followed by @delim; returns its length or 0. */
static unsigned int parse_port(const char *p, const char *end, char delim,
			       __be16 *port)
{
	unsigned int n, v;

	n = parse_uint(p, end, 5, 65535, &v);
	if (!n || !v || p + n >= end || p[n] != delim)
		return 0;
	*port = htons(v);
	return n;
}

static bool is_delim(char c)
{
	return c > ' ' && c < 0x7f;
}

/* Does the line start with @word and a space? */
static bool starts(const char *p, const char *end, const char *word)
{
	size_t n = strlen(word);

	return end - p > (ptrdiff_t)n && !strncasecmp(p, word, n) && p[n] == ' ';
}

/* "h1,h2,h3,h4,p1,p2" at @p of @line: a match of @kind, where it stands. */
static bool hostport_at(const char *line, const char *p, const char *end,
			enum lvs_ftp_kind kind, struct lvs_ftp_match *m)
{
	unsigned int len = parse_hostport(p, end, m);

	if (!len)
		return false;
	m->kind = kind;
	m->start = p - line;
	m->len = len;
	return true;
}

/* PORT h1,h2,h3,h4,p1,p2 */
static bool parse_port_cmd(const char *line, const char *end,
			   struct lvs_ftp_match *m)
{
	const char *p = line + 5;

	while (p < end && *p == ' ')
		p++;
	return hostport_at(line, p, end, LVS_FTP_PORT, m);
}

/* EPRT <d><af><d><address><d><port><d> */
static bool parse_eprt(const char *line, const char *end,
		       struct lvs_ftp_match *m)
{
	const char *p = line + 5, *aend;
	char d;

	if (end - p < 4 || !is_delim(p[0]) || p[2] != p[0])
		return false;
	d = p[0];
	p += 3;
	if (line[6] == '1') {
		if (!in4_pton(p, end - p, (u8 *)&m->addr.ip, d, &aend))
			return false;
		m->af = AF_INET;
	} else if (line[6] == '2') {
		if (!in6_pton(p, end - p, m->addr.in6.s6_addr, d, &aend))
			return false;
		m->af = AF_INET6;
	} else {
		return false;
	}
	if (aend >= end || *aend != d)
		return false;
	if (!parse_port(aend + 1, end, d, &m->port))
		return false;
	m->kind = LVS_FTP_EPRT;
	return true;
}

/* 227 <text> h1,h2,h3,h4,p1,p2 <text>: the numbers start at a digit. */
static bool parse_227(const char *line, const char *end,
		      struct lvs_ftp_match *m)
{
	const char *p;

	for (p = line + 4; p < end; p++)
		if (isdigit(*p))
			return hostport_at(line, p, end, LVS_FTP_PASV, m);
	return false;
}

/* 229 <text> (<d><d><d><port><d>) */
static bool parse_229(const char *line, const char *end,
		      struct lvs_ftp_match *m)
{
	const char *p = memchr(line, '(', end - line);
	unsigned int n;
	char d;

	if (!p || end - p < 6)
		return false;
	d = p[1];
	if (!is_delim(d) || p[2] != d || p[3] != d)
		return false;
	n = parse_port(p + 4, end, d, &m->port);
	if (!n || p + 4 + n + 1 >= end || p[4 + n + 1] != ')')
		return false;
	m->kind = LVS_FTP_EPSV;
	m->af = 0;
	return true;
}

static bool parse_line(const char *line, const char *end, bool from_client,
		       struct lvs_ftp_match *m)
{
	if (from_client) {
		if (starts(line, end, "PORT"))
			return parse_port_cmd(line, end, m);
		if (starts(line, end, "EPRT"))
			return parse_eprt(line, end, m);
		return false;
	}
	if (starts(line, end, "227"))
		return parse_227(line, end, m);
	if (starts(line, end, "229"))
		return parse_229(line, end, m);
	return false;
}

/*
 * Find the first complete line of @data (@len bytes of a control
 * connection's payload, sent by the client if @from_client) that sets up
 * a data connection, and describe it in *@m; m->start is from @data.
 * Returns false if there is none.
 */
bool lvs_ftp_parse(const char *data, unsigned int len, bool from_client,
		   struct lvs_ftp_match *m)
{
	const char *p = data, *end = data + len, *eol;

	memset(m, 0, sizeof(*m));
	for (; p < end; p = eol + 1) {
		eol = memchr(p, '\n', end - p);
		if (!eol)
			break;
		if (parse_line(p, eol, from_client, m)) {
			m->start += p - data;
			return true;
		}
	}
	memset(m, 0, sizeof(*m));
	return false;
}

/*
 * Write @addr and @port as "h1,h2,h3,h4,p1,p2" (no terminating NUL in the
 * count). Returns the length, or -ENOSPC if @size is too small.
 */
int lvs_ftp_hostport(char *buf, size_t size, __be32 addr, __be16 port)
{
	u32 a = ntohl(addr);
	u16 p = ntohs(port);
	int n;

	n = snprintf(buf, size, "%u,%u,%u,%u,%u,%u", a >> 24, (a >> 16) & 0xff,
		     (a >> 8) & 0xff, a & 0xff, p >> 8, p & 0xff);
	return (size_t)n < size ? n : -ENOSPC;
}
