// SPDX-License-Identifier: GPL-2.0
/*
 * ipvsctl -b FILE: one command per line, written as after "ipvsctl" on a
 * command line but without options. Words are separated by blanks; a word
 * starting with # ends the line, so blank and comment lines do nothing.
 *
 * Every line is parsed before the first one runs: a bad line 40 stops the
 * batch before line 1 changes anything, and every bad line is reported.
 * Then the lines run in order over one socket, a service's additions in
 * one request where they can (bulk.c); the first failure stops the batch
 * unless -f was given.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ipvsctl.h"
#include "nl.h"

#define MAX_WORDS 64

/* Split s in place; returns the number of words, or -1 if too many. */
static int split(char *s, char **argv)
{
	char *save, *w;
	int n = 0;

	for (w = strtok_r(s, " \t\r\n", &save); w && w[0] != '#';
	     w = strtok_r(NULL, " \t\r\n", &save)) {
		if (n == MAX_WORDS)
			return -1;
		argv[n++] = w;
	}
	return n;
}

/* Parse every line into *linesp; returns ST_OK or the worst status. */
int batch_read(FILE *f, const char *name, struct batch_line **linesp,
	       size_t *np)
{
	char *argv[MAX_WORDS], *buf = NULL;
	unsigned long lineno = 0;
	struct batch_line *lines = NULL, *l;
	int argc, status = ST_OK;
	size_t cap = 0, n = 0, max = 0;

	while (getline(&buf, &cap, f) >= 0) {
		report_where(name, ++lineno);
		argc = split(buf, argv);
		if (argc < 0) {
			status = usage_err("too many words: at most %d",
					   MAX_WORDS);
			continue;
		}
		if (argc == 0)
			continue;
		/* Doubling: a batch may hold hundreds of thousands of lines. */
		if (n == max) {
			max = max ? 2 * max : 64;
			l = reallocarray(lines, max, sizeof(*lines));
			if (!l) {
				errmsg("out of memory");
				status = ST_ERROR;
				break;
			}
			lines = l;
		}
		if (cmd_parse(&lines[n].req, argc, argv)) {
			cmd_free(&lines[n].req);
			status = status == ST_OK ? ST_USAGE : status;
			continue;
		}
		lines[n++].lineno = lineno;
	}
	report_where(NULL, 0);
	if (ferror(f)) {
		errmsg("cannot read \"%s\": %s", name, strerror(errno));
		status = ST_ERROR;
	}
	free(buf);
	*linesp = lines;
	*np = n;
	return status;
}

/*
 * Run the n parsed lines in order, joined where they can be; the first
 * failure stops them unless @force. ST_OK, or ST_ERROR (told).
 */
int batch_exec(struct ctx *ctx, const char *name,
	       const struct batch_line *lines, size_t n, bool force)
{
	int status = ST_OK;
	size_t i, j, k;

	for (i = 0; i < n; i += k) {
		k = bulk_span(&lines[i], n - i);
		if (k > 1 && !bulk_run(ctx, &lines[i], k))
			continue;
		/* Alone, or refused together: the line at fault says so. */
		for (j = i; j < i + k; j++) {
			report_where(name, lines[j].lineno);
			if (cmd_run(ctx, &lines[j].req)) {
				status = ST_ERROR;
				if (!force)
					goto done;
			}
		}
	}
done:
	report_where(NULL, 0);
	return status;
}

void batch_free(struct batch_line *lines, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		cmd_free(&lines[i].req);
	free(lines);
}

/* An open file of @file, or stdin for "-": NULL after saying why not. */
FILE *batch_open(const char *file, const char **name)
{
	FILE *f;

	*name = strcmp(file, "-") ? file : "<stdin>";
	f = strcmp(file, "-") ? fopen(file, "r") : stdin;
	if (!f)
		errmsg("cannot open \"%s\": %s", file, strerror(errno));
	return f;
}

int batch(struct ctx *ctx, const char *file, bool force)
{
	struct batch_line *lines = NULL;
	bool kernel = false;
	const char *name;
	int status;
	size_t i, n = 0;
	FILE *f;

	f = batch_open(file, &name);
	if (!f)
		return ST_ERROR;
	status = batch_read(f, name, &lines, &n);
	if (f != stdin)
		fclose(f);
	for (i = 0; i < n; i++)
		kernel |= cmd_needs_kernel(&lines[i].req);
	if (!status && kernel)
		status = ctx_connect(ctx);
	if (!status)
		status = batch_exec(ctx, name, lines, n, force);
	batch_free(lines, n);
	return status;
}
