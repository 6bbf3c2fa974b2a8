// SPDX-License-Identifier: GPL-2.0
/*
 * The parsed lines of a plan as one transaction (LVS_CMD_APPLY): each
 * line a change (an LVS_ATTR_OP nest holding what its own request would),
 * "service add" with the "dest add" lines after it in one op as a batch
 * joins them (bulk.c). The kernel checks all of it, then makes all of it
 * or none; with a generation, only if nothing changed since that
 * generation was read. Lines of no kernel change a transaction can hold
 * ("info set") are left for the caller to run after it.
 */
#include <errno.h>

#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include "ipvsctl.h"
#include "nl.h"

/* Attribute bytes a line can take, at most: a service and a destination. */
#define LINE_BYTES 256
#define TIMEOUT_BYTES 48

/* Can @req be part of a transaction? */
bool txn_holds(const struct request *req)
{
	return req->verb && req->verb->cmd;
}

/* The lines lines[0..k) as one op: a lone change, or joined additions. */
static int put_op(struct nl_msg *msg, const struct batch_line *lines,
		  size_t k)
{
	const struct request *req = &lines[0].req;
	uint8_t cmd = req->verb->cmd;
	struct nlattr *op, *list;
	size_t i;

	op = nla_nest_start(msg, LVS_ATTR_OP);
	if (!op || nla_put_u8(msg, LVS_ATTR_OP_CMD, cmd))
		return -EMSGSIZE;
	if (cmd == LVS_CMD_TIMEOUT_SET) {
		if (timeouts_put(msg, req->timeouts))
			return -EMSGSIZE;
	} else if (svc_put(msg, &req->svc)) {
		return -EMSGSIZE;
	}
	if (cmd == LVS_CMD_SERVICE_NEW || cmd == LVS_CMD_DEST_NEW) {
		/* A service's first line is itself, a destination's not. */
		i = cmd == LVS_CMD_SERVICE_NEW ? 1 : 0;
		list = nla_nest_start(msg, LVS_ATTR_DESTS);
		if (!list)
			return -EMSGSIZE;
		for (; i < k; i++)
			if (dest_put(msg, &lines[i].req.dest,
				     req->svc.vip.family))
				return -EMSGSIZE;
		nla_nest_end(msg, list);
	} else if (cmd == LVS_CMD_DEST_SET || cmd == LVS_CMD_DEST_DEL) {
		if (dest_put(msg, &req->dest, req->svc.vip.family))
			return -EMSGSIZE;
	}
	nla_nest_end(msg, op);
	return 0;
}

/* Room for the attributes of the n lines, at most. */
static size_t txn_size(const struct batch_line *lines, size_t n)
{
	size_t i, size = 0;

	for (i = 0; i < n; i++) {
		size += LINE_BYTES;
		if (lines[i].req.timeouts)
			size += lines[i].req.timeouts->n * TIMEOUT_BYTES;
	}
	return size;
}

static const struct nla_policy reply_policy[LVS_ATTR_MAX + 1] = {
	[LVS_ATTR_GENERATION] = { .type = NLA_U32 },
};

static int gen_reply(struct nlmsghdr *nlh, void *arg)
{
	struct nlattr *tb[LVS_ATTR_MAX + 1];

	if (genlmsg_parse(nlh, 0, tb, LVS_ATTR_MAX, reply_policy) < 0 ||
	    !tb[LVS_ATTR_GENERATION])
		return -EPROTO;
	*(uint32_t *)arg = nla_get_u32(tb[LVS_ATTR_GENERATION]);
	return 0;
}

/*
 * Send the n lines that txn_holds() as one transaction, checked against
 * generation *@gen if @gen is not NULL, which then gets the generation
 * after it. 0 or a negative errno.
 */
int txn_run(struct ctx *ctx, const struct batch_line *lines, size_t n,
	    uint32_t *gen)
{
	uint32_t after = 0;
	struct nl_msg *msg;
	size_t i, k;
	int err = 0;

	msg = lvs_nl_msg_size(ctx->nl, LVS_CMD_APPLY, 0, txn_size(lines, n));
	if (!msg)
		return -ENOMEM;
	if (gen && nla_put_u32(msg, LVS_ATTR_GENERATION, *gen))
		err = -EMSGSIZE;
	for (i = 0; !err && i < n; i += k) {
		k = 1;
		if (!txn_holds(&lines[i].req))
			continue;
		k = bulk_span(&lines[i], n - i);
		err = put_op(msg, &lines[i], k);
	}
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	err = lvs_nl_exec(ctx->nl, msg, gen_reply, &after);
	if (!err && gen)
		*gen = after;
	return err;
}
