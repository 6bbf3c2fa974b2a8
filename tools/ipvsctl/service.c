// SPDX-License-Identifier: GPL-2.0
/*
 * The service object: ipvsctl service { add | del | list | show | help }.
 * It also owns the service key, PROTO VIP:PORT, which dest.c and fetch.c
 * use to name a service.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include <netlink/attr.h>

#include "ipvsctl.h"
#include "nl.h"
#include "show.h"

static void service_usage(FILE *f)
{
	fputs("Usage: ipvsctl service add PROTO VIP:PORT sched SCHED\n"
	      "       ipvsctl service del PROTO VIP:PORT\n"
	      "       ipvsctl service { list | show }\n"
	      "       ipvsctl service help\n"
	      "PROTO := { tcp | udp }\n"
	      "VIP := { IPV4-ADDRESS | [IPV6-ADDRESS] }\n"
	      "PORT := 1-65535\n"
	      "SCHED := name of a scheduler, such as rr\n", f);
}

int svc_key_parse(struct svc_spec *svc, struct args *a)
{
	char err[PARSE_ERR_MAX];

	if (!args_peek(a))
		return missarg(a, "protocol", "tcp or udp");
	if (parse_proto(args_next(a), &svc->protocol, err))
		return usage_err("%s", err);
	if (!args_peek(a))
		return missarg(a, "virtual service address", "VIP:PORT");
	if (parse_endpoint(args_next(a), false, &svc->vip, err))
		return usage_err("%s", err);
	return 0;
}

/* LVS_ATTR_SERVICE: the key, and the scheduler if one was given. */
int svc_put(struct nl_msg *msg, const struct svc_spec *svc)
{
	const struct endpoint *vip = &svc->vip;
	struct nlattr *nest;

	nest = nla_nest_start(msg, LVS_ATTR_SERVICE);
	if (!nest ||
	    nla_put_u16(msg, LVS_SVC_ATTR_FAMILY, (uint16_t)vip->family) ||
	    nla_put_u8(msg, LVS_SVC_ATTR_PROTOCOL, svc->protocol) ||
	    nla_put(msg, LVS_SVC_ATTR_ADDR, (int)family_addr_len(vip->family),
		    &vip->addr) ||
	    nla_put_u16(msg, LVS_SVC_ATTR_PORT, htons(vip->port)) ||
	    (svc->sched[0] &&
	     nla_put_string(msg, LVS_SVC_ATTR_SCHED_NAME, svc->sched)))
		return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

static int parse_add(struct request *req, struct args *a)
{
	char err[PARSE_ERR_MAX];
	const char *w;
	int ret;

	ret = svc_key_parse(&req->svc, a);
	if (ret)
		return ret;
	while ((w = args_next(a))) {
		if (strcmp(w, "sched"))
			return usage_err("unknown argument \"%s\": expected \"sched SCHED\"",
					 w);
		if (req->svc.sched[0])
			return duparg(w);
		if (!args_peek(a))
			return missarg(a, "scheduler name", "a name such as rr");
		if (parse_sched(args_next(a), req->svc.sched,
				sizeof(req->svc.sched), err))
			return usage_err("%s", err);
	}
	if (!req->svc.sched[0])
		return usage_err("missing argument \"sched SCHED\" after \"%s\"",
				 a->last);
	return 0;
}

static int parse_key_only(struct request *req, struct args *a)
{
	int ret;

	ret = svc_key_parse(&req->svc, a);
	if (ret)
		return ret;
	return args_peek(a) ? extraarg(a) : 0;
}

static int parse_none(struct request *req, struct args *a)
{
	return args_peek(a) ? extraarg(a) : 0;
}

static int send_svc(struct ctx *ctx, uint8_t cmd, const struct svc_spec *svc)
{
	struct nl_msg *msg;
	int err;

	msg = lvs_nl_msg(ctx->nl, cmd, 0);
	if (!msg)
		return -ENOMEM;
	err = svc_put(msg, svc);
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return lvs_nl_exec(ctx->nl, msg, NULL, NULL);
}

static int run_add(struct ctx *ctx, const struct request *req)
{
	return send_svc(ctx, LVS_CMD_SERVICE_NEW, &req->svc);
}

static int run_del(struct ctx *ctx, const struct request *req)
{
	return send_svc(ctx, LVS_CMD_SERVICE_DEL, &req->svc);
}

static int run_list(struct ctx *ctx, const struct request *req)
{
	return show_run(ctx, NULL);
}

static const struct verb service_verbs[] = {
	{ "add", parse_add, run_add },
	{ "del", parse_key_only, run_del },
	{ "list", parse_none, run_list },
	{ "show", parse_none, run_list },
	{ .name = NULL }
};

const struct object service_object = {
	.name = "service",
	.verbs = service_verbs,
	.default_verb = "list",
	.usage = service_usage,
};
