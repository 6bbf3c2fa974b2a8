// SPDX-License-Identifier: GPL-2.0
/*
 * The connection object:
 * ipvsctl conn { list | show | flush | help } [ SERVICE ].
 *
 * "list" dumps the connection table of the namespace, or the part of one
 * service, sorts it and prints one line per entry:
 *
 *   tcp 10.0.0.2:41234 vip 10.0.0.1:80 dest 10.0.1.2:8080 nat ESTABLISHED expires 897
 *   tcp 10.0.0.0 vip 10.0.0.1:80 dest 10.0.1.2:8080 nat template expires 300
 *
 * the second a persistence template: the client's address masked by the
 * service's persistence prefix, and no port. A template of a
 * firewall-mark service reads "ip 10.0.0.2 fwmark 7 dest ...". In JSON,
 * an array of objects. "flush" unlinks every entry, or one service's.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include "conn.h"
#include "nl.h"
#include "print.h"

static void conn_usage(FILE *f)
{
	fputs("Usage: ipvsctl conn [ { list | show } [ SERVICE ] [ -n ] ]\n"
	      "       ipvsctl conn flush [ SERVICE ]\n"
	      "       ipvsctl conn help\n"
	      "SERVICE := { PROTO VIP:PORT | fwmark MARK [ family FAMILY ] }\n"
	      "PROTO := { tcp | udp | sctp }\n"
	      "VIP := { IPV4-ADDRESS | [IPV6-ADDRESS] }\n"
	      "PORT := 0-65535 (0: the service of every port of VIP)\n"
	      "MARK := 1-4294967295\n"
	      "FAMILY := { inet | inet6 } (default: inet)\n", f);
}

static int parse_list(struct request *req, struct args *a)
{
	return svc_opt_parse(req, a, true);
}

static int parse_flush(struct request *req, struct args *a)
{
	return svc_opt_parse(req, a, false);
}

static const struct nla_policy conn_policy[LVS_CONN_ATTR_MAX + 1] = {
	[LVS_CONN_ATTR_FAMILY] = { .type = NLA_U16 },
	[LVS_CONN_ATTR_PROTOCOL] = { .type = NLA_U8 },
	[LVS_CONN_ATTR_CLIENT_PORT] = { .type = NLA_U16 },
	[LVS_CONN_ATTR_VIRT_PORT] = { .type = NLA_U16 },
	[LVS_CONN_ATTR_FWMARK] = { .type = NLA_U32 },
	[LVS_CONN_ATTR_DEST_PORT] = { .type = NLA_U16 },
	[LVS_CONN_ATTR_FWD_METHOD] = { .type = NLA_U8 },
	[LVS_CONN_ATTR_STATE] = { .type = NLA_STRING },
	[LVS_CONN_ATTR_EXPIRES] = { .type = NLA_U32 },
	[LVS_CONN_ATTR_TEMPLATE] = { .type = NLA_FLAG },
};

static uint16_t port_of(struct nlattr *a)
{
	return a ? ntohs(nla_get_u16(a)) : 0;
}

/* The addresses of an entry; the virtual one or a firewall mark. */
static int decode_endpoints(struct nlattr **tb, struct conn_info *ci)
{
	int family;

	if (!tb[LVS_CONN_ATTR_FAMILY] || !tb[LVS_CONN_ATTR_CLIENT_ADDR] ||
	    !tb[LVS_CONN_ATTR_DEST_ADDR] ||
	    (!tb[LVS_CONN_ATTR_VIRT_ADDR] && !tb[LVS_CONN_ATTR_FWMARK]))
		return -EPROTO;
	family = nla_get_u16(tb[LVS_CONN_ATTR_FAMILY]);
	/* The real server's family may be the other one (TUN). */
	if (decode_addr(tb[LVS_CONN_ATTR_CLIENT_ADDR], family, &ci->client) ||
	    decode_addr(tb[LVS_CONN_ATTR_DEST_ADDR], 0, &ci->dest))
		return -EPROTO;
	if (tb[LVS_CONN_ATTR_FWMARK])
		ci->fwmark = nla_get_u32(tb[LVS_CONN_ATTR_FWMARK]);
	else if (decode_addr(tb[LVS_CONN_ATTR_VIRT_ADDR], family, &ci->vip))
		return -EPROTO;
	ci->client.port = port_of(tb[LVS_CONN_ATTR_CLIENT_PORT]);
	ci->vip.port = port_of(tb[LVS_CONN_ATTR_VIRT_PORT]);
	ci->dest.port = port_of(tb[LVS_CONN_ATTR_DEST_PORT]);
	return 0;
}

int decode_conn(struct nlmsghdr *nlh, struct conn_info *ci)
{
	struct nlattr *top[LVS_ATTR_MAX + 1], *tb[LVS_CONN_ATTR_MAX + 1];

	memset(ci, 0, sizeof(*ci));
	if (genlmsg_parse(nlh, 0, top, LVS_ATTR_MAX, NULL) < 0 ||
	    !top[LVS_ATTR_CONN] ||
	    nla_parse_nested(tb, LVS_CONN_ATTR_MAX, top[LVS_ATTR_CONN],
			     conn_policy) < 0 ||
	    !tb[LVS_CONN_ATTR_PROTOCOL] || decode_endpoints(tb, ci))
		return -EPROTO;
	ci->protocol = nla_get_u8(tb[LVS_CONN_ATTR_PROTOCOL]);
	ci->template = tb[LVS_CONN_ATTR_TEMPLATE];
	if (!ci->template && !tb[LVS_CONN_ATTR_STATE])
		return -EPROTO;
	if (tb[LVS_CONN_ATTR_STATE])
		nla_strlcpy(ci->state, tb[LVS_CONN_ATTR_STATE],
			    sizeof(ci->state));
	if (tb[LVS_CONN_ATTR_FWD_METHOD])
		ci->fwd = nla_get_u8(tb[LVS_CONN_ATTR_FWD_METHOD]);
	if (tb[LVS_CONN_ATTR_EXPIRES])
		ci->expires = nla_get_u32(tb[LVS_CONN_ATTR_EXPIRES]);
	return 0;
}

/* By service, then client; connections before templates. */
static int cmp_conn(const void *x, const void *y)
{
	const struct conn_info *a = x, *b = y;
	int c;

	if (a->protocol != b->protocol)
		return (int)a->protocol - (int)b->protocol;
	if (a->fwmark != b->fwmark)
		return a->fwmark < b->fwmark ? -1 : 1;
	c = a->fwmark ? 0 : cmp_endpoint(&a->vip, &b->vip);
	if (!c)
		c = cmp_endpoint(&a->client, &b->client);
	return c ? c : (int)a->template - (int)b->template;
}

void conn_list_sort(struct conn_list *list)
{
	size_t i, n = 0;

	if (!list->n)
		return;
	qsort(list->conns, list->n, sizeof(*list->conns), cmp_conn);
	for (i = 0; i < list->n; i++)
		if (!n || cmp_conn(&list->conns[n - 1], &list->conns[i]))
			list->conns[n++] = list->conns[i];
	list->n = n;
}

const char *proto_word(uint8_t proto, char *buf, size_t size)
{
	const char *name = proto_name(proto);

	if (name)
		return name;
	snprintf(buf, size, "%u", proto);
	return buf;
}

static void show_conn(struct printer *p, const struct conn_info *c)
{
	const char *fwd = fwd_name(c->fwd);
	char num[4];

	pr_open_object(p, NULL);
	pr_string(p, PR_ANY, "protocol", "%s ", c->protocol ?
		  proto_word(c->protocol, num, sizeof(num)) : "ip");
	pr_endpoint(p, "client", &c->client);
	if (c->fwmark) {
		pr_uint(p, PR_ANY, "fwmark", " fwmark %u", c->fwmark);
	} else {
		pr_text(p, " vip ");
		pr_endpoint(p, "vip", &c->vip);
	}
	pr_text(p, " dest ");
	pr_endpoint(p, "dest", &c->dest);
	pr_string(p, PR_ANY, "fwd", " %s", fwd ? fwd : "?");
	pr_string(p, c->template ? PR_TEXT : PR_ANY, "state", " %s",
		  c->template ? "template" : c->state);
	pr_bool(p, PR_JSON, "template", NULL, c->template);
	pr_uint(p, PR_ANY, "expires", " expires %u", c->expires);
	pr_text(p, "\n");
	pr_close_object(p);
}

void show_conns(struct printer *p, const struct conn_list *list)
{
	size_t i;

	pr_open_array(p, NULL);
	for (i = 0; i < list->n; i++)
		show_conn(p, &list->conns[i]);
	pr_close_array(p);
}

static int conn_reply(struct nlmsghdr *nlh, void *arg)
{
	struct conn_list *list = arg;
	struct conn_info *v;
	int err;

	v = array_grow(list->conns, &list->n, sizeof(*v));
	if (!v)
		return -ENOMEM;
	list->conns = v;
	err = decode_conn(nlh, &v[list->n - 1]);
	if (err)
		list->n--;
	return err;
}

static int run_list(struct ctx *ctx, const struct request *req)
{
	struct conn_list list = { 0 };
	struct nl_msg *msg;
	int err;

	msg = svc_opt_msg(ctx->nl, LVS_CMD_CONN_GET, NLM_F_DUMP, req);
	if (!msg)
		return -ENOMEM;
	err = lvs_nl_exec(ctx->nl, msg, conn_reply, &list);
	/* A resize restarted the walk: sorting drops what came twice. */
	if (err == -EAGAIN)
		err = 0;
	if (!err) {
		conn_list_sort(&list);
		show_conns(ctx->pr, &list);
		err = fflush(ctx->pr->f) ? -errno : 0;
	}
	free(list.conns);
	return err;
}

static int run_flush(struct ctx *ctx, const struct request *req)
{
	struct nl_msg *msg;

	msg = svc_opt_msg(ctx->nl, LVS_CMD_CONN_FLUSH, 0, req);
	if (!msg)
		return -ENOMEM;
	return lvs_nl_exec(ctx->nl, msg, NULL, NULL);
}

static const struct verb conn_verbs[] = {
	{ "list", parse_list, run_list, 0 },
	{ "show", parse_list, run_list, 0 },
	{ "flush", parse_flush, run_flush, 0 },
	{ .name = NULL }
};

const struct object conn_object = {
	.name = "conn",
	.verbs = conn_verbs,
	.default_verb = "list",
	.usage = conn_usage,
};
