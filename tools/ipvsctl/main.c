// SPDX-License-Identifier: GPL-2.0
/*
 * ipvsctl: configure lvs, the IP virtual server, over generic netlink.
 *
 * main() reads the global options, parses the command (or a batch file)
 * completely, and only then opens the one netlink socket of the process.
 * Options match exactly, as keywords do.
 */
#include <errno.h>
#include <string.h>

#include "ipvsctl.h"
#include "nl.h"
#include "print.h"

struct opts {
	bool json;
	bool pretty;
	bool stats;
	bool force;
	const char *batch;
	const char *netns;
};

static bool is(const char *word, const char *short_opt, const char *long_opt)
{
	return !strcmp(word, short_opt) || !strcmp(word, long_opt);
}

/*
 * opt_value: the value of the option at argv[*i] into *val, once: true, or
 * false with the exit status in *status.
 */
static bool opt_value(int argc, char **argv, int *i, const char **val,
		      const char *what, int *status)
{
	const char *w = argv[*i];

	if (*val) {
		*status = duparg(w);
		return false;
	}
	if (*i + 1 >= argc) {
		*status = usage_err("missing %s after \"%s\"", what, w);
		return false;
	}
	*val = argv[++*i];
	return true;
}

/*
 * Returns the index of the first word after the options, or 0 when there
 * is nothing more to do, with the exit status in *status.
 */
static int parse_opts(int argc, char **argv, struct opts *o, int *status)
{
	const char *w;
	int i;

	for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		w = argv[i];
		if (!strcmp(w, "--")) {
			i++;
			break;
		}
		if (is(w, "-V", "--version")) {
			print_version();
			*status = ST_OK;
			return 0;
		}
		if (is(w, "-h", "--help")) {
			usage(stdout);
			*status = ST_OK;
			return 0;
		}
		if (is(w, "-j", "--json")) {
			o->json = true;
		} else if (is(w, "-p", "--pretty")) {
			o->json = true;
			o->pretty = true;
		} else if (is(w, "-s", "--stats")) {
			o->stats = true;
		} else if (is(w, "-f", "--force")) {
			o->force = true;
		} else if (is(w, "-b", "--batch")) {
			if (!opt_value(argc, argv, &i, &o->batch, "file name",
				       status))
				return 0;
		} else if (is(w, "-n", "--netns")) {
			if (!opt_value(argc, argv, &i, &o->netns,
				       "network namespace", status))
				return 0;
		} else {
			*status = usage_err("unknown option \"%s\", try \"ipvsctl help\"",
					    w);
			return 0;
		}
	}
	if (o->force && !o->batch) {
		*status = usage_err("option \"-f\" needs \"-b FILE\"");
		return 0;
	}
	return i;
}

static int run_one(struct ctx *ctx, int argc, char **argv)
{
	struct request req;
	int status;

	status = cmd_parse(&req, argc, argv);
	if (!status && cmd_needs_kernel(&req))
		status = ctx_connect(ctx);
	if (!status)
		status = cmd_run(ctx, &req);
	cmd_free(&req);
	return status;
}

int main(int argc, char **argv)
{
	struct ctx ctx = { 0 };
	struct opts o = { 0 };
	struct printer pr;
	int status, i;

	i = parse_opts(argc, argv, &o, &status);
	if (!i)
		return status;

	pr_init(&pr, stdout, o.json, o.pretty);
	ctx.pr = &pr;
	ctx.stats = o.stats;
	ctx.netns = o.netns;

	if (o.batch && i < argc)
		return usage_err("unexpected argument \"%s\" after \"-b %s\"",
				 argv[i], o.batch);
	if (!o.batch && i >= argc) {
		usage(stderr);
		return ST_USAGE;
	}
	if (o.batch)
		status = batch(&ctx, o.batch, o.force);
	else
		status = run_one(&ctx, argc - i, argv + i);
	lvs_nl_close(ctx.nl);

	if (fflush(stdout) || ferror(stdout)) {
		errmsg("cannot write the output: %s", strerror(errno));
		return ST_ERROR;
	}
	return status;
}
