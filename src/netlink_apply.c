// SPDX-License-Identifier: GPL-2.0
/*
 * LVS_CMD_APPLY: a transaction of changes, each written as its own
 * request would be (an LVS_ATTR_OP nest), staged one by one through the
 * same handlers (lvs_nl_op()) and made together by txn.c, or not at all.
 * With LVS_ATTR_GENERATION it is made only if the configuration is still
 * the one its sender read, so two clients that both computed changes
 * from the same state cannot both apply them.
 */

#include <net/genetlink.h>

#include <uapi/linux/lvs.h>

#include "netlink.h"
#include "netlink_apply.h"
#include "netlink_notify.h"
#include "netns.h"
#include "txn.h"

/*
 * Stage the ops of the request @info in @txn; the number staged, or an
 * error with the extack at the op at fault (or within it).
 */
static int stage_ops(struct lvs_net *ln, struct lvs_txn *txn,
		     struct genl_info *info)
{
	struct netlink_ext_ack *extack = info->extack;
	struct nlattr *tb[LVS_ATTR_MAX + 1];
	struct nlattr *op;
	int n = 0, rem, err;

	nlmsg_for_each_attr(op, info->nlhdr, GENL_HDRLEN, rem) {
		if (nla_type(op) != LVS_ATTR_OP)
			continue;
		/* Validated with the request: this only finds the parts. */
		err = nla_parse_nested(tb, LVS_ATTR_MAX, op, lvs_op_policy,
				       extack);
		if (!err && lvs_nl_missing(extack, op, tb, LVS_ATTR_OP_CMD,
					   "Missing the op's command"))
			err = -EINVAL;
		if (!err)
			err = lvs_nl_op(ln, txn, nla_get_u8(tb[LVS_ATTR_OP_CMD]),
					tb, extack);
		if (err) {
			if (!extack->bad_attr)
				NL_SET_BAD_ATTR(extack, op);
			return err;
		}
		n++;
	}
	return n;
}

/* Under ln->lock: is the request's generation, if it gives one, current? */
static int check_generation(struct lvs_net *ln, struct genl_info *info)
{
	struct nlattr *gen = info->attrs[LVS_ATTR_GENERATION];

	if (!gen || nla_get_u32(gen) == ln->gen)
		return 0;
	NL_SET_ERR_MSG_ATTR(info->extack, gen,
			    "The configuration changed since this generation");
	return -ESTALE;
}

int lvs_nl_apply(struct sk_buff *skb, struct genl_info *info)
{
	struct lvs_net *ln = lvs_net(genl_info_net(info));
	struct lvs_txn *txn = NULL;
	struct sk_buff *msg;
	int n, err;
	void *hdr;
	u32 gen;

	if (!info->attrs[LVS_ATTR_OP]) {
		NL_SET_ERR_MSG(info->extack, "No changes (LVS_ATTR_OP)");
		return -EINVAL;
	}
	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;

	mutex_lock(&ln->lock);
	err = check_generation(ln, info);
	if (!err) {
		txn = lvs_txn_new(ln);
		err = txn ? 0 : -ENOMEM;
	}
	n = err ?: stage_ops(ln, txn, info);
	err = n < 0 ? n : lvs_txn_commit(txn, info->extack);
	if (txn)
		lvs_txn_free(txn);
	gen = ln->gen;
	if (!err)
		lvs_notify_apply(ln, gen, n);
	mutex_unlock(&ln->lock);

	hdr = err ? NULL : lvs_nl_put_hdr(msg, info->snd_portid, info->snd_seq,
					  0, LVS_CMD_APPLY);
	if (!err && (!hdr || nla_put_u32(msg, LVS_ATTR_GENERATION, gen)))
		err = -EMSGSIZE;
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}
