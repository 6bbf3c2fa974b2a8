// SPDX-License-Identifier: GPL-2.0
/*
 * The timeout object: ipvsctl timeout { show | set | help }.
 *
 * "set" takes ipvsadm's three values, any of them in any order,
 *
 *   ipvsctl timeout set tcp 900 tcpfin 120 udp 300
 *
 * (tcp: ESTABLISHED, tcpfin: TCP's FIN_WAIT, udp: UDP's one state) and
 * any state of any protocol by its name, several after one protocol:
 *
 *   ipvsctl timeout set tcp TIME_WAIT 30 SYN_RECV 20 udp UDP 60
 *
 * State names are the kernel's, which "show" prints: ipvsctl checks
 * their spelling, the kernel that they exist. "show" prints a line per
 * protocol in the words "set" accepts,
 *
 *   tcp NONE 2 SYN_RECV 60 SYN_ACK 60 ESTABLISHED 900 ... CLOSE 10
 *   udp UDP 300
 *
 * and in JSON one object: { "tcp": { "NONE": 2, ... }, "udp": { ... } }.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include "conn.h"
#include "nl.h"
#include "print.h"

#define STR(x) #x
#define XSTR(x) STR(x)
#define SECONDS_RANGE "1-" XSTR(LVS_TIMEOUT_MAX) " seconds"
#define SET_ARGS "tcp, tcpfin, udp or a protocol and a state"
#define STATE_WORD "a state name as \"ipvsctl timeout show\" prints it, such as ESTABLISHED"

static void timeout_usage(FILE *f)
{
	fputs("Usage: ipvsctl timeout [ show [ -n ] ]\n"
	      "       ipvsctl timeout set { tcp SECONDS | tcpfin SECONDS | udp SECONDS |\n"
	      "                             PROTO STATE SECONDS [ STATE SECONDS ]... }...\n"
	      "       ipvsctl timeout help\n"
	      "PROTO := { tcp | udp | sctp }\n"
	      "STATE := a state of PROTO as \"ipvsctl timeout show\" prints it\n"
	      "SECONDS := " SECONDS_RANGE "\n", f);
}

/* As the kernel names states: a capital, then capitals, digits, _. */
static bool state_word(const char *w)
{
	size_t len = strlen(w), i;

	if (len == 0 || len >= LVS_STATE_NAME_MAX || w[0] < 'A' || w[0] > 'Z')
		return false;
	for (i = 1; i < len; i++)
		if (!((w[i] >= 'A' && w[i] <= 'Z') ||
		      (w[i] >= '0' && w[i] <= '9') || w[i] == '_'))
			return false;
	return true;
}

/* Add PROTO STATE and the value that comes next. */
static int add_timeout(struct timeout_spec *t, uint8_t proto,
		       const char *state, struct args *a)
{
	struct timeout_entry *e;
	unsigned long v;
	const char *w;
	size_t i;

	for (i = 0; i < t->n; i++)
		if (t->e[i].protocol == proto && !strcmp(t->e[i].state, state))
			return usage_err("duplicate timeout \"%s %s\": given twice",
					 proto_name(proto), state);
	if (t->n == TIMEOUTS_MAX)
		return usage_err("too many timeouts: at most %d", TIMEOUTS_MAX);
	w = args_next(a);
	if (!w)
		return missarg(a, "timeout", SECONDS_RANGE);
	if (parse_uint(w, LVS_TIMEOUT_MAX, &v) || v == 0)
		return usage_err("invalid timeout \"%s\": expected " SECONDS_RANGE,
				 w);
	e = &t->e[t->n++];
	e->protocol = proto;
	snprintf(e->state, sizeof(e->state), "%s", state);
	e->seconds = (uint32_t)v;
	return 0;
}

/* After "tcp" or "udp": the value of its ipvsadm state. */
static int add_shortcut(struct timeout_spec *t, uint8_t proto, struct args *a)
{
	switch (proto) {
	case IPPROTO_TCP:
		return add_timeout(t, proto, "ESTABLISHED", a);
	case IPPROTO_UDP:
		return add_timeout(t, proto, "UDP", a);
	}
	return usage_err("missing state after \"%s\": expected STATE SECONDS",
			 a->last);
}

/* After a protocol: SECONDS, or one or more STATE SECONDS. */
static int parse_proto_timeouts(struct timeout_spec *t, uint8_t proto,
				struct args *a)
{
	const char *w = args_peek(a);
	int ret;

	if (!w)
		return missarg(a, "timeout", "SECONDS or STATE SECONDS");
	if (w[0] >= '0' && w[0] <= '9')
		return add_shortcut(t, proto, a);
	do {
		w = args_next(a);
		if (!state_word(w))
			return usage_err("invalid state \"%s\": expected "
					 STATE_WORD, w);
		ret = add_timeout(t, proto, w, a);
		if (ret)
			return ret;
		w = args_peek(a);
	} while (w && w[0] >= 'A' && w[0] <= 'Z');
	return 0;
}

static int parse_show(struct request *req, struct args *a)
{
	return list_end(a);
}

static int parse_set(struct request *req, struct args *a)
{
	char err[PARSE_ERR_MAX];
	uint8_t proto;
	const char *w;
	int ret;

	if (!args_peek(a))
		return missarg(a, "timeout", SET_ARGS);
	req->timeouts = calloc(1, sizeof(*req->timeouts));
	if (!req->timeouts) {
		errmsg("out of memory");
		return ST_ERROR;
	}
	while ((w = args_next(a))) {
		if (!strcmp(w, "tcpfin"))
			ret = add_timeout(req->timeouts, IPPROTO_TCP,
					  "FIN_WAIT", a);
		else if (!parse_proto(w, &proto, err))
			ret = parse_proto_timeouts(req->timeouts, proto, a);
		else
			ret = usage_err("unknown argument \"%s\": expected "
					SET_ARGS, w);
		if (ret)
			return ret;
	}
	return 0;
}

/* LVS_ATTR_TIMEOUTS with an entry nest, numbered from 1, per timeout. */
int timeouts_put(struct nl_msg *msg, const struct timeout_spec *t)
{
	struct nlattr *list, *entry;
	size_t i;

	list = nla_nest_start(msg, LVS_ATTR_TIMEOUTS);
	if (!list)
		return -EMSGSIZE;
	for (i = 0; i < t->n; i++) {
		entry = nla_nest_start(msg, (int)i + 1);
		if (!entry ||
		    nla_put_u8(msg, LVS_TIMEOUT_ATTR_PROTOCOL,
			       t->e[i].protocol) ||
		    nla_put_string(msg, LVS_TIMEOUT_ATTR_STATE,
				   t->e[i].state) ||
		    nla_put_u32(msg, LVS_TIMEOUT_ATTR_SECONDS,
				t->e[i].seconds))
			return -EMSGSIZE;
		nla_nest_end(msg, entry);
	}
	nla_nest_end(msg, list);
	return 0;
}

static int run_set(struct ctx *ctx, const struct request *req)
{
	struct nl_msg *msg;

	msg = lvs_nl_msg(ctx->nl, LVS_CMD_TIMEOUT_SET, 0);
	if (!msg)
		return -ENOMEM;
	if (timeouts_put(msg, req->timeouts)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	return lvs_nl_exec(ctx->nl, msg, NULL, NULL);
}

static const struct nla_policy entry_policy[LVS_TIMEOUT_ATTR_MAX + 1] = {
	[LVS_TIMEOUT_ATTR_PROTOCOL] = { .type = NLA_U8 },
	[LVS_TIMEOUT_ATTR_STATE] = { .type = NLA_STRING },
	[LVS_TIMEOUT_ATTR_SECONDS] = { .type = NLA_U32 },
};

static int decode_entry(struct nlattr *nest, struct timeout_entry *e)
{
	struct nlattr *tb[LVS_TIMEOUT_ATTR_MAX + 1];

	if (nla_parse_nested(tb, LVS_TIMEOUT_ATTR_MAX, nest, entry_policy) < 0 ||
	    !tb[LVS_TIMEOUT_ATTR_PROTOCOL] || !tb[LVS_TIMEOUT_ATTR_STATE] ||
	    !tb[LVS_TIMEOUT_ATTR_SECONDS])
		return -EPROTO;
	e->protocol = nla_get_u8(tb[LVS_TIMEOUT_ATTR_PROTOCOL]);
	nla_strlcpy(e->state, tb[LVS_TIMEOUT_ATTR_STATE], sizeof(e->state));
	e->seconds = nla_get_u32(tb[LVS_TIMEOUT_ATTR_SECONDS]);
	/* Printed as words of "set": they must read back as a state. */
	return state_word(e->state) ? 0 : -EPROTO;
}

/* The reply of TIMEOUT_GET, appended to list: 0 or -EPROTO. */
int decode_timeouts(struct nlmsghdr *nlh, struct timeout_list *list)
{
	struct nlattr *top[LVS_ATTR_MAX + 1], *nest;
	struct timeout_entry *v;
	int rem;

	if (genlmsg_parse(nlh, 0, top, LVS_ATTR_MAX, NULL) < 0 ||
	    !top[LVS_ATTR_TIMEOUTS])
		return -EPROTO;
	nla_for_each_nested(nest, top[LVS_ATTR_TIMEOUTS], rem) {
		v = array_grow(list->e, &list->n, sizeof(*v));
		if (!v)
			return -ENOMEM;
		list->e = v;
		if (decode_entry(nest, &v[list->n - 1])) {
			list->n--;
			return -EPROTO;
		}
	}
	return 0;
}

/*
 * Entries come grouped by protocol: an object per group, in text each
 * group between open and close.
 */
static void print_timeouts(struct printer *p, const char *key,
			   const struct timeout_list *list, const char *open,
			   const char *close)
{
	const struct timeout_entry *e;
	char num[4];
	size_t i;

	pr_open_object(p, key);
	for (i = 0; i < list->n; i++) {
		e = &list->e[i];
		if (!i || list->e[i - 1].protocol != e->protocol) {
			pr_text(p, open);
			pr_text(p, proto_word(e->protocol, num, sizeof(num)));
			pr_open_object(p, proto_word(e->protocol, num,
						     sizeof(num)));
		}
		pr_text(p, " ");
		pr_text(p, e->state);
		pr_uint(p, PR_ANY, e->state, " %u", e->seconds);
		if (i + 1 == list->n || list->e[i + 1].protocol != e->protocol) {
			pr_close_object(p);
			pr_text(p, close);
		}
	}
	pr_close_object(p);
}

/* A line per protocol. */
void show_timeouts(struct printer *p, const struct timeout_list *list)
{
	print_timeouts(p, NULL, list, "", "\n");
}

/* The words after "timeout set", on the current line: " tcp NONE 2 ...". */
void show_timeouts_inline(struct printer *p, const char *key,
			  const struct timeout_list *list)
{
	print_timeouts(p, key, list, " ", "");
}

struct show_reply {
	struct timeout_list list;
	bool got;
};

static int show_reply(struct nlmsghdr *nlh, void *arg)
{
	struct show_reply *r = arg;

	if (r->got)
		return -EPROTO;
	r->got = true;
	return decode_timeouts(nlh, &r->list);
}

int fetch_timeouts(struct lvs_nl *nl, struct timeout_list *list)
{
	struct show_reply r = { 0 };
	struct nl_msg *msg;
	int err;

	msg = lvs_nl_msg(nl, LVS_CMD_TIMEOUT_GET, 0);
	if (!msg)
		return -ENOMEM;
	err = lvs_nl_exec(nl, msg, show_reply, &r);
	if (!err && !r.got)
		err = -EPROTO;	/* acknowledged without a reply */
	if (err) {
		free(r.list.e);
		return err;
	}
	*list = r.list;
	return 0;
}

static int run_show(struct ctx *ctx, const struct request *req)
{
	struct timeout_list list;
	int err;

	err = fetch_timeouts(ctx->nl, &list);
	if (err)
		return err;
	show_timeouts(ctx->pr, &list);
	free(list.e);
	return fflush(ctx->pr->f) ? -errno : 0;
}

static const struct verb timeout_verbs[] = {
	{ "show", parse_show, run_show, 0 },
	{ "set", parse_set, run_set, LVS_CMD_TIMEOUT_SET },
	{ .name = NULL }
};

const struct object timeout_object = {
	.name = "timeout",
	.verbs = timeout_verbs,
	.default_verb = "show",
	.usage = timeout_usage,
};
