/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A tiny harness for the C tests: one line per check, as kernel selftests
 * print them, "TEST: <description>   [ OK ]" or "[FAIL]" followed by the
 * reason, indented. check_exit() is the exit status: 1 on any failure.
 */
#ifndef CHECK_H
#define CHECK_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* As ipvsctl.h has it, for the tests that do not include it. */
#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

static int check_failed;

static inline void check_line(bool ok, const char *fmt, va_list ap)
{
	char desc[256];

	vsnprintf(desc, sizeof(desc), fmt, ap);
	printf("TEST: %-66s [%s]\n", desc, ok ? " OK " : "FAIL");
	if (!ok)
		check_failed = 1;
}

static inline bool check(bool ok, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static inline bool check(bool ok, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	check_line(ok, fmt, ap);
	va_end(ap);
	return ok;
}

/* Strings equal; on failure show both. */
static inline bool check_str(const char *got, const char *want,
			     const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static inline bool check_str(const char *got, const char *want,
			     const char *fmt, ...)
{
	bool ok = got && !strcmp(got, want);
	va_list ap;

	va_start(ap, fmt);
	check_line(ok, fmt, ap);
	va_end(ap);
	if (!ok)
		printf("\twant: \"%s\"\n\tgot:  \"%s\"\n", want,
		       got ? got : "(null)");
	return ok;
}

/*
 * The n parts concatenated, in memory to free(): an expected output line
 * too long for one line of source is written as an array of its parts.
 */
static inline char *check_join(const char *const *parts, size_t n)
{
	size_t i, len = 0;
	char *s;

	for (i = 0; i < n; i++)
		len += strlen(parts[i]);
	s = malloc(len + 1);
	if (!s)
		exit(2);
	s[0] = '\0';
	for (i = 0; i < n; i++)
		strcat(s, parts[i]);
	return s;
}

static inline int check_exit(void)
{
	return check_failed;
}

#endif /* CHECK_H */
