// SPDX-License-Identifier: GPL-2.0
/*
 * Messages to the user. All go to stderr as "ipvsctl: [FILE:LINE: ]text";
 * the usage errors name the offending word and say what was expected.
 */
#include <stdarg.h>
#include <stdio.h>

#include "ipvsctl.h"

/* Kept as given and formatted only for a message: a batch has many lines. */
static const char *where_file;
static unsigned long where_line;

void report_where(const char *file, unsigned long line)
{
	where_file = file;
	where_line = line;
}

static void vreport(const char *fmt, va_list ap)
{
	fputs("ipvsctl: ", stderr);
	if (where_file)
		fprintf(stderr, "%s:%lu: ", where_file, where_line);
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
