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
 * transaction does not hold, follows it. The changes are requests built
 * from the difference (diff.c), sent as they are; with --dry-run they are
 * printed instead, as the commands of a batch file (plan.c). With
 * --confirm they are printed, and sent only if the operator answers yes:
 * from the terminal (/dev/tty) when the file is standard input, else
 * from standard input. The generation is read before the question, so a
 * change made while it waits makes the transaction fail. Either way the
 * last line says how many changes there were.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "print.h"

static void apply_usage(FILE *f)
{
	fputs("Usage: ipvsctl apply { FILE | - } [ --dry-run | --confirm ]\n"
	      "                     [ --drain SECONDS ] [ --generation N ]\n"
	      "       ipvsctl apply help\n"
	      "Make the services, destinations, timeouts and settings match FILE,\n"
	      "in the lines \"ipvsctl save\" prints (\"-\": standard input): add\n"
	      "what is missing, change what differs, delete services and\n"
	      "destinations the file does not have, and leave the rest alone,\n"
	      "as one transaction: all of it or nothing.\n"
	      "--dry-run prints the commands that would do it instead.\n"
	      "--confirm prints them and asks before applying them; the answer\n"
	      "is read from the terminal if FILE is \"-\", else from standard input.\n"
	      "--drain SECONDS sets destinations that go to weight 0 first and\n"
	      "deletes them once their active connections end, or SECONDS pass.\n"
	      "--generation N applies only if the configuration is still\n"
	      "generation N (\"ipvsctl info\" shows it).\n", f);
}

/* A day: a drain is for connections that end, not for ever. */
#define DRAIN_MAX 86400
/* How often a drain looks at its destinations' connections. */
#define DRAIN_POLL_MS 250

/* The number after option @opt, at most @max, given once. */
static int parse_number(struct args *a, const char *opt, bool *has,
			uint32_t *val, const char *what, unsigned long max)
{
	const char *w = args_next(a);
	unsigned long v;

	if (*has)
		return duparg(opt);
	if (!w)
		return missarg(a, what, "a number");
	if (parse_uint(w, max, &v))
		return usage_err("invalid %s \"%s\" after %s: expected 0 to %lu",
				 what, w, opt, max);
	*has = true;
	*val = (uint32_t)v;
	return 0;
}

static int parse_apply(struct request *req, struct args *a)
{
	struct apply_spec *ap = &req->apply;
	const char *w, *name;
	int status;
	FILE *f;

	while ((w = args_next(a))) {
		if (!strcmp(w, "--dry-run")) {
			if (ap->dry_run)
				return duparg(w);
			ap->dry_run = true;
		} else if (!strcmp(w, "--confirm")) {
			if (ap->confirm)
				return duparg(w);
			ap->confirm = true;
		} else if (!strcmp(w, "--drain")) {
			status = parse_number(a, w, &ap->has_drain,
					      &ap->drain, "seconds",
					      DRAIN_MAX);
			if (status)
				return status;
		} else if (!strcmp(w, "--generation")) {
			status = parse_number(a, w, &ap->has_generation,
					      &ap->generation, "a generation",
					      UINT32_MAX);
			if (status)
				return status;
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
	if (ap->dry_run && ap->confirm)
		return usage_err("--dry-run and --confirm exclude each other");

	ap->want = calloc(1, sizeof(*ap->want));
	if (!ap->want) {
		errmsg("out of memory");
		return ST_ERROR;
	}
	f = batch_open(ap->file, &name);
	if (!f)
		return ST_ERROR;
	status = config_read(f, name, ap->want);
	if (f != stdin)
		fclose(f);
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

/* Does any of the n lines delete a destination with active connections? */
static bool draining(const struct batch_line *lines, size_t n,
		     const struct svc_list *now)
{
	const struct request *r;
	struct svc_info key;
	const struct svc_info *si;
	size_t i, k;

	for (i = 0; i < n; i++) {
		r = &lines[i].req;
		if (r->verb->cmd != LVS_CMD_DEST_DEL)
			continue;
		key.spec = r->svc;
		si = bsearch(&key, now->svcs, now->n, sizeof(*si), cmp_svc);
		for (k = 0; si && k < si->n_dests; k++)
			if (!cmp_endpoint(&si->dests[k].rip, &r->dest.rip) &&
			    si->dests[k].active_conns)
				return true;
	}
	return false;
}

/*
 * Wait until the destinations the n lines delete have no active
 * connection, or @secs pass: 0 or a negative errno.
 */
static int drain_wait(struct ctx *ctx, const struct batch_line *lines,
		      size_t n, uint32_t secs)
{
	struct timespec start, now;
	struct svc_list list = { 0 };
	bool busy;
	int err;

	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		err = fetch_services_conf(ctx->nl, &list);
		if (err)
			return err;
		busy = draining(lines, n, &list);
		svc_list_free(&list);
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (!busy || now.tv_sec - start.tv_sec >= (time_t)secs)
			return 0;
		usleep(DRAIN_POLL_MS * 1000);
	}
}

/* Does any of the n lines hold a change a transaction holds? */
static bool some_txn(const struct batch_line *lines, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (txn_holds(&lines[i].req))
			return true;
	return false;
}

/*
 * Run @plan, computed from the configuration of generation @gen: one
 * transaction, or with a drain two with a wait for the destinations that
 * go between them (the deletions come last in a plan); then the settings
 * a transaction does not hold (the fast path), which move the generation
 * on.
 */
static int run_plan(struct ctx *ctx, const struct plan *pl, uint32_t gen)
{
	size_t i, first_del = pl->has_drain ? pl->del : pl->n;
	int err = 0;

	/* Each part sent only if it has changes a transaction holds. */
	if (some_txn(pl->lines, first_del))
		err = txn_run(ctx, pl->lines, first_del, &gen);
	if (!err && first_del < pl->n) {
		err = drain_wait(ctx, &pl->lines[first_del],
				 pl->n - first_del, pl->drain_secs);
		if (!err)
			err = txn_run(ctx, &pl->lines[first_del],
				      pl->n - first_del, &gen);
	}
	for (i = 0; !err && i < pl->n; i++)
		if (!txn_holds(&pl->lines[i].req))
			err = cmd_run(ctx, &pl->lines[i].req);
	return err;
}

/*
 * --confirm: the plan printed, then the question: 0 for yes, else
 * ST_ERROR (told). The answer comes from the terminal when the file
 * came from standard input.
 */
static int ask_first(struct ctx *ctx, const struct apply_spec *ap,
		     const struct plan *pl)
{
	FILE *in = stdin;
	bool yes;

	plan_print(ctx->pr->f, pl);
	if (!strcmp(ap->file, "-")) {
		in = fopen("/dev/tty", "r");
		if (!in) {
			errmsg("apply: the answer to --confirm comes from /dev/tty: %s",
			       strerror(errno));
			return ST_ERROR;
		}
	}
	yes = confirm_ask(ctx->pr->f, in, pl->changes);
	if (in != stdin)
		fclose(in);
	if (!yes) {
		errmsg("apply: not applied: the answer was not yes");
		return ST_ERROR;
	}
	return 0;
}

static int run_apply(struct ctx *ctx, const struct request *req)
{
	const struct apply_spec *ap = &req->apply;
	struct plan pl = { 0 };
	struct config cur;
	size_t n;
	int err;

	err = config_fetch(ctx->nl, &cur);
	if (!err)
		err = config_diff(&pl, &cur, ap->want,
				  ap->has_drain ? &ap->drain : NULL);
	if (err)
		goto out;
	n = pl.changes;
	if (ap->dry_run) {
		plan_print(ctx->pr->f, &pl);
		fprintf(ctx->pr->f, "# %zu change%s\n", n, n == 1 ? "" : "s");
		goto flush;
	}
	if (ap->confirm && n) {
		err = ask_first(ctx, ap, &pl);
		if (err)
			goto out;
	}
	/* The kernel refuses a generation that is not current. */
	if (n)
		err = run_plan(ctx, &pl, ap->has_generation ?
			       ap->generation : cur.generation);
	if (!err)
		fprintf(ctx->pr->f, "%zu change%s\n", n, n == 1 ? "" : "s");
flush:
	if (!err && fflush(ctx->pr->f))
		err = -errno;
out:
	plan_free(&pl);
	config_free(&cur);
	return err;
}

static const struct verb apply_verb = { "apply", parse_apply, run_apply, 0 };

const struct object apply_object = {
	.name = "apply",
	.usage = apply_usage,
	.alone = &apply_verb,
};
