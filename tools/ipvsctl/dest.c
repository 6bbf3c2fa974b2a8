// SPDX-License-Identifier: GPL-2.0
/*
 * The destination (real server) object:
 * ipvsctl dest { add | del | list | show | help } PROTO VIP:PORT ...
 *
 * A destination written without a port uses the service's port; ipvsctl
 * sends that port itself, so add and del name the same destination.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include <netlink/attr.h>

#include "ipvsctl.h"
#include "nl.h"
#include "show.h"

static void dest_usage(FILE *f)
{
	fputs("Usage: ipvsctl dest add PROTO VIP:PORT RIP[:PORT] [ METHOD ] [ weight WEIGHT ]\n"
	      "       ipvsctl dest del PROTO VIP:PORT RIP[:PORT]\n"
	      "       ipvsctl dest { list | show } PROTO VIP:PORT\n"
	      "       ipvsctl dest help\n"
	      "PROTO := { tcp | udp }\n"
	      "VIP, RIP := { IPV4-ADDRESS | [IPV6-ADDRESS] }\n"
	      "PORT := 1-65535 (default for RIP: the service's port)\n"
	      "METHOD := { nat | dr | tun } (default: nat)\n"
	      "WEIGHT := 0-65535 (default: 1)\n", f);
}

static int parse_key(struct request *req, struct args *a)
{
	char err[PARSE_ERR_MAX];
	int ret;

	ret = svc_key_parse(&req->svc, a);
	if (ret)
		return ret;
	if (!args_peek(a))
		return missarg(a, "real server address", "RIP[:PORT]");
	if (parse_endpoint(args_next(a), true, &req->dest.rip, err))
		return usage_err("%s", err);
	if (!req->dest.rip.port)
		req->dest.rip.port = req->svc.vip.port;
	return 0;
}

/* One word after the key, w: a method, or "weight" and its value. */
static int parse_add_arg(struct dest_spec *d, const char *w, struct args *a)
{
	char err[PARSE_ERR_MAX];
	uint8_t fwd;

	if (!parse_fwd(w, &fwd)) {
		if (d->has_fwd)
			return usage_err("duplicate forwarding method \"%s\": \"%s\" given before",
					 w, fwd_name(d->fwd));
		d->fwd = fwd;
		d->has_fwd = true;
		return 0;
	}
	if (!strcmp(w, "weight")) {
		if (d->has_weight)
			return duparg(w);
		if (!args_peek(a))
			return missarg(a, "weight", "0-65535");
		if (parse_weight(args_next(a), &d->weight, err))
			return usage_err("%s", err);
		d->has_weight = true;
		return 0;
	}
	return usage_err("unknown argument \"%s\": expected nat, dr, tun or \"weight WEIGHT\"",
			 w);
}

static int parse_add(struct request *req, struct args *a)
{
	const char *w;
	int ret;

	ret = parse_key(req, a);
	if (ret)
		return ret;
	while ((w = args_next(a))) {
		ret = parse_add_arg(&req->dest, w, a);
		if (ret)
			return ret;
	}
	return 0;
}

static int parse_del(struct request *req, struct args *a)
{
	int ret;

	ret = parse_key(req, a);
	if (ret)
		return ret;
	return args_peek(a) ? extraarg(a) : 0;
}

static int parse_list(struct request *req, struct args *a)
{
	int ret;

	ret = svc_key_parse(&req->svc, a);
	if (ret)
		return ret;
	return args_peek(a) ? extraarg(a) : 0;
}

/* LVS_ATTR_DEST: the address and port, and what add was given. */
int dest_put(struct nl_msg *msg, const struct dest_spec *d)
{
	const struct endpoint *rip = &d->rip;
	struct nlattr *nest;

	nest = nla_nest_start(msg, LVS_ATTR_DEST);
	if (!nest ||
	    nla_put(msg, LVS_DEST_ATTR_ADDR, (int)family_addr_len(rip->family),
		    &rip->addr) ||
	    nla_put_u16(msg, LVS_DEST_ATTR_PORT, htons(rip->port)) ||
	    (d->has_fwd &&
	     nla_put_u8(msg, LVS_DEST_ATTR_FWD_METHOD, d->fwd)) ||
	    (d->has_weight &&
	     nla_put_u32(msg, LVS_DEST_ATTR_WEIGHT, d->weight)))
		return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

static int send_dest(struct ctx *ctx, uint8_t cmd, const struct request *req)
{
	struct nl_msg *msg;
	int err;

	msg = lvs_nl_msg(ctx->nl, cmd, 0);
	if (!msg)
		return -ENOMEM;
	err = svc_put(msg, &req->svc);
	if (!err)
		err = dest_put(msg, &req->dest);
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return lvs_nl_exec(ctx->nl, msg, NULL, NULL);
}

static int run_add(struct ctx *ctx, const struct request *req)
{
	return send_dest(ctx, LVS_CMD_DEST_NEW, req);
}

static int run_del(struct ctx *ctx, const struct request *req)
{
	return send_dest(ctx, LVS_CMD_DEST_DEL, req);
}

static int run_list(struct ctx *ctx, const struct request *req)
{
	return show_run(ctx, &req->svc);
}

static const struct verb dest_verbs[] = {
	{ "add", parse_add, run_add },
	{ "del", parse_del, run_del },
	{ "list", parse_list, run_list },
	{ "show", parse_list, run_list },
	{ .name = NULL }
};

const struct object dest_object = {
	.name = "dest",
	.verbs = dest_verbs,
	.usage = dest_usage,
};
