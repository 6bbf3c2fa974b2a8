// SPDX-License-Identifier: GPL-2.0
/*
 * The service object:
 * ipvsctl service { add | change | del | flush | zero | list | show | help }.
 * It also owns the service key, PROTO VIP:PORT or fwmark MARK [family
 * FAMILY], which dest.c, conn.c and fetch.c use to name a service.
 *
 * "change" sends only what it was given: the kernel keeps the rest, and
 * the connections the service has keep their destinations. "del" lets
 * them run out, or with "force" cuts them; "flush" does that to every
 * service in one request. "zero" zeroes the counters of one service and
 * its destinations, or of every service.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include <netlink/attr.h>

#include "ipvsctl.h"
#include "nl.h"
#include "show.h"

#define STR(x) #x
#define XSTR(x) STR(x)
#define TABLE_SIZES "a prime from " XSTR(LVS_MH_TABLE_MIN) " to " \
	XSTR(LVS_MH_TABLE_MAX)
#define SVC_ARGS "\"sched SCHED\", \"fallback on|off\", \"hash-port on|off\", \"table-size SIZE\", \"persistent SECONDS\", \"netmask MASK\", \"persist-drained on|off\" or \"one-packet on|off\""

static void service_usage(FILE *f)
{
	fputs("Usage: ipvsctl service add SERVICE sched SCHED [ OPTION ]...\n"
	      "       ipvsctl service change SERVICE { sched SCHED | OPTION }...\n"
	      "       ipvsctl service del SERVICE [ force ]\n"
	      "       ipvsctl service flush [ force ]\n"
	      "       ipvsctl service zero [ SERVICE ]\n"
	      "       ipvsctl service [ { list | show } [ -n ] ]\n"
	      "       ipvsctl service help\n"
	      "SERVICE := { PROTO VIP:PORT | fwmark MARK [ family FAMILY ] }\n"
	      "PROTO := { tcp | udp | sctp }\n"
	      "VIP := { IPV4-ADDRESS | [IPV6-ADDRESS] }\n"
	      "PORT := 0-65535 (0: every port of VIP)\n"
	      "MARK := 1-4294967295\n"
	      "FAMILY := { inet | inet6 } (default: inet)\n"
	      "SCHED := name of a scheduler, such as rr\n"
	      "OPTION := { fallback { on | off } | hash-port { on | off } |\n"
	      "            table-size SIZE | persistent SECONDS | netmask MASK |\n"
	      "            persist-drained { on | off } | one-packet { on | off } }\n"
	      "SIZE := " TABLE_SIZES " (default: "
	      XSTR(LVS_MH_TABLE_DEFAULT) ")\n"
	      "SECONDS := 0-" XSTR(LVS_PERSIST_MAX) " (default: 0, not persistent)\n"
	      "MASK := prefix length, or an IPv4 mask such as 255.255.255.0\n"
	      "        (default: the whole address)\n", f);
}

/* "fwmark MARK [family FAMILY]", the first word consumed already. */
static int fwmark_key_parse(struct svc_spec *svc, struct args *a)
{
	char err[PARSE_ERR_MAX];

	if (!args_peek(a))
		return missarg(a, "firewall mark", "1-4294967295");
	if (parse_fwmark(args_next(a), &svc->fwmark, err))
		return usage_err("%s", err);
	svc->vip.family = AF_INET;
	if (!args_peek(a) || strcmp(args_peek(a), "family"))
		return 0;
	args_next(a);
	if (!args_peek(a))
		return missarg(a, "family", "inet or inet6");
	if (parse_family(args_next(a), &svc->vip.family, err))
		return usage_err("%s", err);
	return 0;
}

int svc_key_parse(struct svc_spec *svc, struct args *a)
{
	char err[PARSE_ERR_MAX];

	if (!args_peek(a))
		return missarg(a, "protocol", "tcp, udp, sctp or fwmark MARK");
	if (!strcmp(args_peek(a), "fwmark")) {
		args_next(a);
		return fwmark_key_parse(svc, a);
	}
	if (parse_proto(args_next(a), &svc->protocol, err))
		return usage_err("%s", err);
	if (!args_peek(a))
		return missarg(a, "virtual service address", "VIP:PORT");
	if (parse_endpoint(args_next(a), false, &svc->vip, err))
		return usage_err("%s", err);
	return 0;
}

int svc_opt_parse(struct request *req, struct args *a, bool list)
{
	int ret;

	if (args_peek(a) && !(list && is_numeric_opt(args_peek(a)))) {
		ret = svc_key_parse(&req->svc, a);
		if (ret)
			return ret;
		req->has_svc = true;
	}
	if (list)
		return list_end(a);
	return args_peek(a) ? extraarg(a) : 0;
}

/* The key after the family: a firewall mark, or protocol, VIP and port. */
static int put_key(struct nl_msg *msg, const struct svc_spec *svc)
{
	const struct endpoint *vip = &svc->vip;

	if (svc->fwmark)
		return nla_put_u32(msg, LVS_SVC_ATTR_FWMARK, svc->fwmark);
	if (nla_put_u8(msg, LVS_SVC_ATTR_PROTOCOL, svc->protocol) ||
	    nla_put(msg, LVS_SVC_ATTR_ADDR, (int)family_addr_len(vip->family),
		    &vip->addr) ||
	    nla_put_u16(msg, LVS_SVC_ATTR_PORT, htons(vip->port)))
		return -EMSGSIZE;
	return 0;
}

/* LVS_ATTR_SERVICE: the key, and the scheduler and options given. */
int svc_put(struct nl_msg *msg, const struct svc_spec *svc)
{
	const struct sched_opts *o = &svc->opts;
	struct nlattr *nest;

	nest = nla_nest_start(msg, LVS_ATTR_SERVICE);
	if (!nest ||
	    nla_put_u16(msg, LVS_SVC_ATTR_FAMILY, (uint16_t)svc->vip.family) ||
	    put_key(msg, svc) ||
	    (svc->sched[0] &&
	     nla_put_string(msg, LVS_SVC_ATTR_SCHED_NAME, svc->sched)) ||
	    (o->has_fallback &&
	     nla_put_u8(msg, LVS_SVC_ATTR_SCHED_FALLBACK, o->fallback)) ||
	    (o->has_hash_port &&
	     nla_put_u8(msg, LVS_SVC_ATTR_SCHED_HASH_PORT, o->hash_port)) ||
	    (o->has_table_size &&
	     nla_put_u32(msg, LVS_SVC_ATTR_MH_TABLE_SIZE, o->table_size)) ||
	    (o->has_persist &&
	     nla_put_u32(msg, LVS_SVC_ATTR_PERSIST_TIMEOUT, o->persist)) ||
	    (o->has_netmask &&
	     nla_put_u8(msg, LVS_SVC_ATTR_PERSIST_PREFIX, o->netmask)) ||
	    (svc->force && nla_put_flag(msg, LVS_SVC_ATTR_FORCE)) ||
	    (o->has_one_packet &&
	     nla_put_u8(msg, LVS_SVC_ATTR_ONE_PACKET, o->one_packet)) ||
	    (o->has_persist_drained &&
	     nla_put_u8(msg, LVS_SVC_ATTR_PERSIST_DRAINED,
			o->persist_drained)))
		return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

struct nl_msg *svc_opt_msg(struct lvs_nl *nl, uint8_t cmd, int flags,
			   const struct request *req)
{
	struct nl_msg *msg;

	msg = lvs_nl_msg(nl, cmd, flags);
	if (msg && req->has_svc && svc_put(msg, &req->svc)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

/* An on|off option: w is its keyword, the value comes next. */
static int parse_flag(const char *w, bool *has, bool *val, struct args *a)
{
	char err[PARSE_ERR_MAX];

	if (*has)
		return duparg(w);
	if (!args_peek(a))
		return missarg(a, "value", "on or off");
	if (parse_on_off(w, args_next(a), val, err))
		return usage_err("%s", err);
	*has = true;
	return 0;
}

/* One word after the key, w, and its value: the scheduler or an option. */
static int parse_svc_arg(struct svc_spec *svc, const char *w, struct args *a)
{
	struct sched_opts *o = &svc->opts;
	char err[PARSE_ERR_MAX];

	if (!strcmp(w, "sched")) {
		if (svc->sched[0])
			return duparg(w);
		if (!args_peek(a))
			return missarg(a, "scheduler name", "a name such as rr");
		if (parse_sched(args_next(a), svc->sched, sizeof(svc->sched),
				err))
			return usage_err("%s", err);
		return 0;
	}
	if (!strcmp(w, "fallback"))
		return parse_flag(w, &o->has_fallback, &o->fallback, a);
	if (!strcmp(w, "hash-port"))
		return parse_flag(w, &o->has_hash_port, &o->hash_port, a);
	if (!strcmp(w, "one-packet"))
		return parse_flag(w, &o->has_one_packet, &o->one_packet, a);
	if (!strcmp(w, "persist-drained"))
		return parse_flag(w, &o->has_persist_drained,
				  &o->persist_drained, a);
	if (!strcmp(w, "table-size")) {
		if (o->has_table_size)
			return duparg(w);
		if (!args_peek(a))
			return missarg(a, "table size", TABLE_SIZES);
		if (parse_table_size(args_next(a), &o->table_size, err))
			return usage_err("%s", err);
		o->has_table_size = true;
		return 0;
	}
	if (!strcmp(w, "persistent")) {
		if (o->has_persist)
			return duparg(w);
		if (!args_peek(a))
			return missarg(a, "persistence timeout", "seconds");
		if (parse_persist(args_next(a), &o->persist, err))
			return usage_err("%s", err);
		o->has_persist = true;
		return 0;
	}
	if (!strcmp(w, "netmask")) {
		if (o->has_netmask)
			return duparg(w);
		if (!args_peek(a))
			return missarg(a, "netmask", "a prefix length");
		if (parse_netmask(args_next(a), svc->vip.family, &o->netmask,
				  err))
			return usage_err("%s", err);
		o->has_netmask = true;
		return 0;
	}
	return usage_err("unknown argument \"%s\": expected " SVC_ARGS, w);
}

static int parse_args(struct request *req, struct args *a)
{
	const char *w;
	int ret;

	ret = svc_key_parse(&req->svc, a);
	if (ret)
		return ret;
	while ((w = args_next(a))) {
		ret = parse_svc_arg(&req->svc, w, a);
		if (ret)
			return ret;
	}
	return 0;
}

static int parse_add(struct request *req, struct args *a)
{
	int ret;

	ret = parse_args(req, a);
	if (ret)
		return ret;
	if (!req->svc.sched[0])
		return usage_err("missing argument \"sched SCHED\" after \"%s\"",
				 a->last);
	return 0;
}

static int parse_change(struct request *req, struct args *a)
{
	const struct sched_opts *o = &req->svc.opts;
	int ret;

	ret = parse_args(req, a);
	if (ret)
		return ret;
	if (!req->svc.sched[0] && !o->has_fallback && !o->has_hash_port &&
	    !o->has_table_size && !o->has_persist && !o->has_netmask &&
	    !o->has_one_packet && !o->has_persist_drained)
		return usage_err("nothing to change after \"%s\": expected "
				 SVC_ARGS, a->last);
	return 0;
}

/* An optional "force" after what was parsed: cut connections at once. */
static int parse_force(struct request *req, struct args *a)
{
	const char *w;

	w = args_peek(a);
	if (w && !strcmp(w, "--force"))
		return usage_err("unexpected argument \"--force\" after \"%s\": %s",
				 a->last, "write \"force\"");
	if (w && !strcmp(w, "force")) {
		args_next(a);
		req->svc.force = true;
	}
	return args_peek(a) ? extraarg(a) : 0;
}

/* "del SERVICE [force]" */
static int parse_del(struct request *req, struct args *a)
{
	int ret;

	ret = svc_key_parse(&req->svc, a);
	if (ret)
		return ret;
	return parse_force(req, a);
}

static int parse_list(struct request *req, struct args *a)
{
	return list_end(a);
}

/* "zero [SERVICE]" */
static int parse_zero(struct request *req, struct args *a)
{
	return svc_opt_parse(req, a, false);
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

static int run_change(struct ctx *ctx, const struct request *req)
{
	return send_svc(ctx, LVS_CMD_SERVICE_SET, &req->svc);
}

static int run_del(struct ctx *ctx, const struct request *req)
{
	return send_svc(ctx, LVS_CMD_SERVICE_DEL, &req->svc);
}

/* SERVICE_FLUSH names no service: its nest holds FORCE or is left out. */
static int run_flush(struct ctx *ctx, const struct request *req)
{
	struct nlattr *nest;
	struct nl_msg *msg;

	msg = lvs_nl_msg(ctx->nl, LVS_CMD_SERVICE_FLUSH, 0);
	if (!msg)
		return -ENOMEM;
	if (req->svc.force) {
		nest = nla_nest_start(msg, LVS_ATTR_SERVICE);
		if (!nest || nla_put_flag(msg, LVS_SVC_ATTR_FORCE)) {
			nlmsg_free(msg);
			return -EMSGSIZE;
		}
		nla_nest_end(msg, nest);
	}
	return lvs_nl_exec(ctx->nl, msg, NULL, NULL);
}

/* LVS_CMD_ZERO: one service's counters and its destinations', or all. */
static int run_zero(struct ctx *ctx, const struct request *req)
{
	struct nl_msg *msg;

	msg = svc_opt_msg(ctx->nl, LVS_CMD_ZERO, 0, req);
	if (!msg)
		return -ENOMEM;
	return lvs_nl_exec(ctx->nl, msg, NULL, NULL);
}

static int run_list(struct ctx *ctx, const struct request *req)
{
	return show_run(ctx, NULL);
}

bool svc_req_is_add(const struct request *req)
{
	return req->verb && req->verb->run == run_add;
}

static const struct verb service_verbs[] = {
	{ "add", parse_add, run_add, LVS_CMD_SERVICE_NEW },
	{ "change", parse_change, run_change, LVS_CMD_SERVICE_SET },
	{ "del", parse_del, run_del, LVS_CMD_SERVICE_DEL },
	{ "flush", parse_force, run_flush, 0 },
	{ "zero", parse_zero, run_zero, 0 },
	{ "list", parse_list, run_list, 0 },
	{ "show", parse_list, run_list, 0 },
	{ .name = NULL }
};

const struct object service_object = {
	.name = "service",
	.verbs = service_verbs,
	.default_verb = "list",
	.usage = service_usage,
};
