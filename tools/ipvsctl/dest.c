// SPDX-License-Identifier: GPL-2.0
/*
 * The destination (real server) object:
 * ipvsctl dest { add | change | del | list | show | help } SERVICE ...
 *
 * A destination written without a port uses the service's port; ipvsctl
 * sends that port itself, so add, change and del name the same
 * destination. "change" sends only what it was given. "del" drains the
 * destination, or with "force" cuts its connections.
 *
 * A destination's family is its address's. One of the other family than
 * the service's is reached through a tunnel only: "add" wants "tun" for
 * it, and every request names it with LVS_DEST_ATTR_ADDR_FAMILY.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include <netlink/attr.h>

#include "ipvsctl.h"
#include "nl.h"
#include "show.h"

#define DEST_ARGS "\"weight WEIGHT\", \"uthreshold UPPER\" or \"lthreshold LOWER\""
#define OTHER_FAMILY "%s real server \"%s\" of an %s service: " \
	"only tun forwards to the other family"

static void dest_usage(FILE *f)
{
	fputs("Usage: ipvsctl dest add SERVICE RIP[:PORT] [ METHOD ] [ weight WEIGHT ]\n"
	      "                      [ uthreshold UPPER ] [ lthreshold LOWER ]\n"
	      "       ipvsctl dest change SERVICE RIP[:PORT] { METHOD |\n"
	      "                      weight WEIGHT | uthreshold UPPER | lthreshold LOWER }...\n"
	      "       ipvsctl dest del SERVICE RIP[:PORT] [ force ]\n"
	      "       ipvsctl dest { list | show } SERVICE [ -n ]\n"
	      "       ipvsctl dest help\n"
	      "SERVICE := { PROTO VIP:PORT | fwmark MARK [ family FAMILY ] }\n"
	      "PROTO := { tcp | udp | sctp }\n"
	      "VIP, RIP := { IPV4-ADDRESS | [IPV6-ADDRESS] }\n"
	      "PORT := 0-65535 (0 for VIP: every port of VIP; default for RIP, and 0:\n"
	      "        the service's port, or the port each client connected to\n"
	      "        for a service of every port or a firewall mark)\n"
	      "MARK := 1-4294967295\n"
	      "FAMILY := { inet | inet6 } (default: inet)\n"
	      "METHOD := { nat | dr | tun } (default: nat; tun for a RIP of the\n"
	      "          other family than the service's: IPv4 in IPv6, IPv6 in IPv4)\n"
	      "WEIGHT := 0-65535 (default: 1)\n"
	      "UPPER := 0-4294967295 connections (default: 0, no limit)\n"
	      "LOWER := 0-UPPER connections (default: 0, three quarters of UPPER)\n",
	      f);
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

/* A threshold: w is its keyword, the value comes next. */
static int parse_thresh(const char *w, bool *has, uint32_t *val,
			struct args *a)
{
	char err[PARSE_ERR_MAX];

	if (*has)
		return duparg(w);
	if (!args_peek(a))
		return missarg(a, "threshold", "0-4294967295");
	if (parse_threshold(args_next(a), val, err))
		return usage_err("%s", err);
	*has = true;
	return 0;
}

/*
 * One word after the key, w, and its value if it takes one: a method, the
 * weight or a threshold.
 */
static int parse_dest_arg(struct dest_spec *d, const char *w, struct args *a)
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
	if (!strcmp(w, "uthreshold"))
		return parse_thresh(w, &d->has_u_threshold, &d->u_threshold, a);
	if (!strcmp(w, "lthreshold"))
		return parse_thresh(w, &d->has_l_threshold, &d->l_threshold, a);
	return usage_err("unknown argument \"%s\": expected nat, dr, tun, "
			 DEST_ARGS, w);
}

static const char *family_word(int family)
{
	return family == AF_INET6 ? "IPv6" : "IPv4";
}

/*
 * Only a tunnel forwards to a real server of the other family than the
 * service's, and "add" must say so, as its default is nat.
 */
static int check_family(const struct request *req)
{
	const struct dest_spec *d = &req->dest;
	char addr[INET6_ADDRSTRLEN], rip[INET6_ADDRSTRLEN + 2];
	int svc = req->svc.vip.family;

	if (d->rip.family == svc || (d->has_fwd && d->fwd == LVS_FWD_TUN))
		return 0;
	format_addr(&d->rip, addr, sizeof(addr));
	snprintf(rip, sizeof(rip), d->rip.family == AF_INET6 ? "[%s]" : "%s",
		 addr);
	if (!d->has_fwd)
		return usage_err("missing \"tun\" after " OTHER_FAMILY,
				 family_word(d->rip.family), rip,
				 family_word(svc));
	return usage_err("invalid method \"%s\" for " OTHER_FAMILY,
			 fwd_name(d->fwd), family_word(d->rip.family), rip,
			 family_word(svc));
}

static int parse_args(struct request *req, struct args *a, bool add)
{
	const struct dest_spec *d = &req->dest;
	const char *w;
	int ret;

	ret = parse_key(req, a);
	if (ret)
		return ret;
	while ((w = args_next(a))) {
		ret = parse_dest_arg(&req->dest, w, a);
		if (ret)
			return ret;
	}
	if (!add && !d->has_fwd && !d->has_weight && !d->has_u_threshold &&
	    !d->has_l_threshold)
		return usage_err("nothing to change after \"%s\": expected nat, dr, tun, "
				 DEST_ARGS, a->last);
	if (add || d->has_fwd) {
		ret = check_family(req);
		if (ret)
			return ret;
	}
	/* As the kernel checks it: uthreshold 0, no limit, allows any. */
	if (d->has_u_threshold && d->has_l_threshold && d->u_threshold &&
	    d->l_threshold > d->u_threshold)
		return usage_err("invalid thresholds: lthreshold %u exceeds uthreshold %u",
				 d->l_threshold, d->u_threshold);
	return 0;
}

static int parse_add(struct request *req, struct args *a)
{
	return parse_args(req, a, true);
}

static int parse_change(struct request *req, struct args *a)
{
	return parse_args(req, a, false);
}

static int parse_del(struct request *req, struct args *a)
{
	const char *w;
	int ret;

	ret = parse_key(req, a);
	if (ret)
		return ret;
	w = args_peek(a);
	if (w && !strcmp(w, "--force"))
		return usage_err("unexpected argument \"--force\" after \"%s\": %s",
				 a->last, "write \"force\"");
	if (w && !strcmp(w, "force")) {
		args_next(a);
		req->dest.force = true;
	}
	return args_peek(a) ? extraarg(a) : 0;
}

static int parse_list(struct request *req, struct args *a)
{
	int ret;

	ret = svc_key_parse(&req->svc, a);
	if (ret)
		return ret;
	return list_end(a);
}

/*
 * LVS_ATTR_DEST: the address (with its family, when not svc_family, the
 * service's) and port, and what add or change was given.
 */
int dest_put(struct nl_msg *msg, const struct dest_spec *d, int svc_family)
{
	const struct endpoint *rip = &d->rip;
	struct nlattr *nest;

	nest = nla_nest_start(msg, LVS_ATTR_DEST);
	if (!nest ||
	    nla_put(msg, LVS_DEST_ATTR_ADDR, (int)family_addr_len(rip->family),
		    &rip->addr) ||
	    (rip->family != svc_family &&
	     nla_put_u16(msg, LVS_DEST_ATTR_ADDR_FAMILY,
			 (uint16_t)rip->family)) ||
	    nla_put_u16(msg, LVS_DEST_ATTR_PORT, htons(rip->port)) ||
	    (d->has_fwd &&
	     nla_put_u8(msg, LVS_DEST_ATTR_FWD_METHOD, d->fwd)) ||
	    (d->has_weight &&
	     nla_put_u32(msg, LVS_DEST_ATTR_WEIGHT, d->weight)) ||
	    (d->has_u_threshold &&
	     nla_put_u32(msg, LVS_DEST_ATTR_U_THRESHOLD, d->u_threshold)) ||
	    (d->has_l_threshold &&
	     nla_put_u32(msg, LVS_DEST_ATTR_L_THRESHOLD, d->l_threshold)) ||
	    (d->force && nla_put_flag(msg, LVS_DEST_ATTR_FORCE)))
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
		err = dest_put(msg, &req->dest, req->svc.vip.family);
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

static int run_change(struct ctx *ctx, const struct request *req)
{
	return send_dest(ctx, LVS_CMD_DEST_SET, req);
}

static int run_del(struct ctx *ctx, const struct request *req)
{
	return send_dest(ctx, LVS_CMD_DEST_DEL, req);
}

static int run_list(struct ctx *ctx, const struct request *req)
{
	return show_run(ctx, &req->svc);
}

bool dest_req_is_add(const struct request *req)
{
	return req->verb && req->verb->run == run_add;
}

static const struct verb dest_verbs[] = {
	{ "add", parse_add, run_add, LVS_CMD_DEST_NEW },
	{ "change", parse_change, run_change, LVS_CMD_DEST_SET },
	{ "del", parse_del, run_del, LVS_CMD_DEST_DEL },
	{ "list", parse_list, run_list, 0 },
	{ "show", parse_list, run_list, 0 },
	{ .name = NULL }
};

const struct object dest_object = {
	.name = "dest",
	.verbs = dest_verbs,
	.usage = dest_usage,
};
