// SPDX-License-Identifier: GPL-2.0
/*
 * Messages to the user. All go to stderr as "ipvsctl: [FILE:LINE: ]text";
 * the usage errors name the offending word and say what was expected.
 */
#include <stdarg.h>
#include <stdio.h>

#include "ipvsctl.h"

static const char *location;

void report_where(const char *where)
{
	location = where;
}

static void vreport(const char *fmt, va_list ap)
{
	fputs("ipvsctl: ", stderr);
	if (location)
		fprintf(stderr, "%s: ", location);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void errmsg(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(fmt, ap);
	va_end(ap);
}

int usage_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(fmt, ap);
	va_end(ap);
	return ST_USAGE;
}

int missarg(const struct args *a, const char *what, const char *expected)
{
	return usage_err("missing %s after \"%s\"%s%s", what, a->last,
			 expected ? ": expected " : "",
			 expected ? expected : "");
}

int duparg(const char *word)
{
	return usage_err("duplicate argument \"%s\": given twice", word);
}

int extraarg(const struct args *a)
{
	return usage_err("unexpected argument \"%s\" after \"%s\"",
			 args_peek(a), a->last);
}
