// SPDX-License-Identifier: GPL-2.0
/*
 * The info object: ipvsctl info [ show | set | help ]. The connection
 * table of the namespace, what the packet path dropped and what its fast
 * path forwarded, as LVS_CMD_INFO_GET gives them: fetched by fetch.c,
 * printed by show.c; and the namespace's setting, the fast path
 * (LVS_CMD_INFO_SET).
 */
#include <errno.h>
#include <string.h>

#include <netlink/attr.h>

#include "ipvsctl.h"
#include "nl.h"
#include "parse.h"
#include "print.h"
#include "show.h"

static void info_usage(FILE *f)
{
	fputs("Usage: ipvsctl info [ show [ -n ] ]\n"
	      "       ipvsctl info set fastpath { on | off }\n"
	      "       ipvsctl info help\n", f);
}

static int parse_show(struct request *req, struct args *a)
{
	return list_end(a);
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

static int parse_set(struct request *req, struct args *a)
{
	char err[PARSE_ERR_MAX];
	const char *w = args_next(a);

	if (!w)
		return missarg(a, "setting", "fastpath");
	if (strcmp(w, "fastpath"))
		return usage_err("unknown setting \"%s\": expected fastpath", w);
	if (!args_peek(a))
		return missarg(a, "value", "on or off");
	if (parse_on_off(w, args_next(a), &req->fast_path, err))
		return usage_err("%s", err);
	return args_peek(a) ? extraarg(a) : 0;
}

struct nl_msg *info_set_msg(struct lvs_nl *nl, bool fast_path)
{
	struct nl_msg *msg;
	struct nlattr *nest;

	msg = lvs_nl_msg(nl, LVS_CMD_INFO_SET, 0);
	if (!msg)
		return NULL;
	nest = nla_nest_start(msg, LVS_ATTR_INFO);
	if (!nest || nla_put_u8(msg, LVS_INFO_ATTR_FAST_PATH, fast_path)) {
		nlmsg_free(msg);
		return NULL;
	}
	nla_nest_end(msg, nest);
	return msg;
}

static int run_set(struct ctx *ctx, const struct request *req)
{
	struct nl_msg *msg = info_set_msg(ctx->nl, req->fast_path);

	return msg ? lvs_nl_exec(ctx->nl, msg, NULL, NULL) : -ENOMEM;
}

static const struct verb info_verbs[] = {
	{ "show", parse_show, run_show, 0 },
	{ "set", parse_set, run_set, 0 },
	{ .name = NULL }
};

const struct object info_object = {
	.name = "info",
	.verbs = info_verbs,
	.default_verb = "show",
	.usage = info_usage,
};
