// SPDX-License-Identifier: GPL-2.0
/*
 * The info object: ipvsctl info [ show | help ]. The connection table of
 * the namespace and what the packet path dropped, as LVS_CMD_INFO_GET
 * gives them: fetched by fetch.c, printed by show.c.
 */
#include <errno.h>

#include "ipvsctl.h"
#include "print.h"
#include "show.h"

static void info_usage(FILE *f)
{
	fputs("Usage: ipvsctl info [ show ]\n"
	      "       ipvsctl info help\n", f);
}

static int parse_none(struct request *req, struct args *a)
{
	return args_peek(a) ? extraarg(a) : 0;
}

static int run_show(struct ctx *ctx, const struct request *req)
{
	struct lvs_info info;
	int err;

	err = fetch_info(ctx->nl, &info);
	if (err)
		return err;
	show_info(ctx->pr, &info);
	return fflush(ctx->pr->f) ? -errno : 0;
}

static const struct verb info_verbs[] = {
	{ "show", parse_none, run_show },
	{ .name = NULL }
};

const struct object info_object = {
	.name = "info",
	.verbs = info_verbs,
	.default_verb = "show",
	.usage = info_usage,
};
