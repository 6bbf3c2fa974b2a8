/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One printer for text and JSON output.
 *
 * Each field is printed by one call that carries both its JSON key and its
 * text format, so the two outputs come from the same code. In text mode a
 * call prints its format (which holds its own leading blank) and objects
 * and arrays print nothing; in JSON mode a call prints "key": value and
 * pr_text prints nothing. The kind of a call restricts it to one mode.
 */
#ifndef IPVSCTL_PRINT_H
#define IPVSCTL_PRINT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define PR_MAX_DEPTH 8

enum pr_kind {
	PR_ANY,		/* both outputs */
	PR_JSON,	/* JSON only */
	PR_TEXT,	/* text only */
};

struct printer {
	FILE *f;
	bool json;
	bool pretty;
	int depth;
	bool nonempty[PR_MAX_DEPTH + 1];
};

void pr_init(struct printer *p, FILE *f, bool json, bool pretty);

/* key is NULL inside arrays and at the top level. */
void pr_open_object(struct printer *p, const char *key);
void pr_close_object(struct printer *p);
void pr_open_array(struct printer *p, const char *key);
void pr_close_array(struct printer *p);

void pr_string(struct printer *p, enum pr_kind kind, const char *key,
	       const char *fmt, const char *val);
void pr_uint(struct printer *p, enum pr_kind kind, const char *key,
	     const char *fmt, unsigned int val);
void pr_u64(struct printer *p, enum pr_kind kind, const char *key,
	    const char *fmt, uint64_t val);
/* JSON true or false; in text, fmt gets "on" or "off" for a %s. */
void pr_bool(struct printer *p, enum pr_kind kind, const char *key,
	     const char *fmt, bool val);
/* Literal text, text mode only: blanks, line ends. */
void pr_text(struct printer *p, const char *s);

struct endpoint;
/*
 * The fields "address" and "port"; in text "ADDR:PORT", IPv6 in brackets,
 * without the port when it is 0 unless @port0 says it means something.
 */
void pr_addr_port(struct printer *p, const struct endpoint *ep, bool port0);
/* The same as an object of its own, under key, port 0 left out. */
void pr_endpoint(struct printer *p, const char *key,
		 const struct endpoint *ep);

#endif /* IPVSCTL_PRINT_H */
