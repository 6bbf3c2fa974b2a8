// SPDX-License-Identifier: GPL-2.0
/*
 * ipvsctl apply FILE [ --dry-run ]: make the namespace hold what FILE
 * describes, in the lines "ipvsctl save" prints (config.c says which).
 *
 * The file is read and checked whole while the command line is parsed,
 * before anything is sent. Running fetches the configuration the kernel
 * has, with its generation, compares the two (diff.c) and sends the
 * difference as one transaction (txn.c): the kernel makes all of it or
 * none, and none if the configuration changed since it was fetched
 * (another apply, say). What is the same is left alone, so "ipvsctl save
 * | ipvsctl apply -" changes nothing. The fast path's setting, which a
 * transaction does not hold, follows it. With --dry-run the changes are
 * printed instead, as the commands of a batch file. Either way the last
 * line says how many changes there were.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "print.h"

static void apply_usage(FILE *f)
{
	fputs("Usage: ipvsctl apply { FILE | - } [ --dry-run ]\n"
	      "       ipvsctl apply help\n"
	      "Make the services, destinations, timeouts and settings match FILE,\n"
	      "in the lines \"ipvsctl save\" prints (\"-\": standard input): add\n"
	      "what is missing, change what differs, delete services and\n"
	      "destinations the file does not have, and leave the rest alone.\n"
	      "--dry-run prints the commands that would do it instead.\n", f);
}

static int parse_apply(struct request *req, struct args *a)
{
	struct apply_spec *ap = &req->apply;
	struct batch_line *lines = NULL;
	const char *w, *name;
	size_t n = 0;
	int status;
	FILE *f;

	while ((w = args_next(a))) {
		if (!strcmp(w, "--dry-run")) {
			if (ap->dry_run)
				return duparg(w);
			ap->dry_run = true;
		} else if (!ap->file) {
			ap->file = strdup(w);
			if (!ap->file) {
				errmsg("out of memory");
				return ST_ERROR;
			}
		} else {
			return usage_err("unexpected \"%s\" after the file \"%s\"",
					 w, ap->file);
		}
	}
	if (!ap->file)
		return usage_err("missing file: a file name, or \"-\" for standard input");

	f = batch_open(ap->file, &name);
	if (!f)
		return ST_ERROR;
	status = batch_read(f, name, &lines, &n);
	if (f != stdin)
		fclose(f);
	ap->want = calloc(1, sizeof(*ap->want));
	if (!ap->want) {
		errmsg("out of memory");
		status = ST_ERROR;
	}
	if (!status)
		status = config_from_lines(lines, n, name, ap->want);
	batch_free(lines, n);
	return status;
}

void apply_free(struct apply_spec *ap)
{
	free(ap->file);
	ap->file = NULL;
	if (ap->want) {
		config_free(ap->want);
		free(ap->want);
		ap->want = NULL;
	}
}

/*
 * Run the commands of @plan, a batch file's text computed from the
 * configuration of generation @gen: one transaction, then the settings
 * a transaction does not hold (the fast path).
 */
static int run_plan(struct ctx *ctx, char *plan, size_t len, uint32_t gen)
{
	struct batch_line *lines = NULL;
	size_t i, n = 0;
	int err;
	FILE *f;

	f = fmemopen(plan, len, "r");
	if (!f)
		return -errno;
	err = batch_read(f, "apply", &lines, &n);
	fclose(f);
	for (i = 0; !err && i < n; i++)
		if (txn_holds(&lines[i].req))
			break;
	if (!err && i < n)
		err = txn_run(ctx, lines, n, &gen);
	for (i = 0; !err && i < n; i++)
		if (!txn_holds(&lines[i].req))
			err = cmd_run(ctx, &lines[i].req);
	batch_free(lines, n);
	return err;
}

static int run_apply(struct ctx *ctx, const struct request *req)
{
	const struct apply_spec *ap = &req->apply;
	struct config cur;
	char *plan = NULL;
	size_t len = 0, n;
	FILE *f;
	int err;

	err = config_fetch(ctx->nl, &cur);
	if (err)
		goto out;
	f = open_memstream(&plan, &len);
	if (!f) {
		err = -errno;
		goto out;
	}
	n = config_diff(f, &cur, ap->want);
	if (fclose(f)) {
		err = -errno;
		goto out;
	}
	if (ap->dry_run) {
		fputs(plan, ctx->pr->f);
		fprintf(ctx->pr->f, "# %zu change%s\n", n, n == 1 ? "" : "s");
	} else {
		err = n ? run_plan(ctx, plan, len, cur.generation) : 0;
		if (!err)
			fprintf(ctx->pr->f, "%zu change%s\n", n,
				n == 1 ? "" : "s");
	}
	if (!err && fflush(ctx->pr->f))
		err = -errno;
out:
	config_free(&cur);
	free(plan);
	return err;
}

static const struct verb apply_verb = { "apply", parse_apply, run_apply, 0 };

const struct object apply_object = {
	.name = "apply",
	.usage = apply_usage,
	.alone = &apply_verb,
};
