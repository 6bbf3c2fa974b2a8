// SPDX-License-Identifier: GPL-2.0
/*
 * LVS_CMD_INFO_GET and _SET: what the namespace's packet path holds and
 * counts (its connection table, its drops, the fast path's packets), and
 * its one setting, the fast path (fastpath.c).
 */

#include <net/genetlink.h>

#include <uapi/linux/lvs.h>

#include "fastpath.h"
#include "netlink.h"
#include "netlink_info.h"
#include "netlink_notify.h"
#include "netns.h"

/* Only the settings: every other attribute of the nest is "out". */
const struct nla_policy lvs_info_policy[LVS_INFO_ATTR_MAX + 1] = {
	[LVS_INFO_ATTR_FAST_PATH] = NLA_POLICY_MAX(NLA_U8, 1),
};

/* The packet path's drop reasons, in the order of enum lvs_drop_reason. */
static const int drop_attrs[LVS_DROP_COUNT] = {
	[LVS_DROP_MALFORMED]	= LVS_INFO_ATTR_DROP_MALFORMED,
	[LVS_DROP_NO_DEST]	= LVS_INFO_ATTR_DROP_NO_DEST,
	[LVS_DROP_NO_CONN]	= LVS_INFO_ATTR_DROP_NO_CONN,
	[LVS_DROP_CONN_FULL]	= LVS_INFO_ATTR_DROP_CONN_FULL,
	[LVS_DROP_XMIT]		= LVS_INFO_ATTR_DROP_XMIT,
};

static int put_u64(struct sk_buff *skb, int type, u64 value)
{
	return nla_put_u64_64bit(skb, type, value, LVS_INFO_ATTR_PAD);
}

/* LVS_ATTR_INFO as INFO_GET reports it. */
int lvs_nl_put_info(struct sk_buff *skb, struct lvs_net *ln)
{
	struct lvs_drop_stats sum = {};
	struct nlattr *nest;
	int cpu, i;

	for_each_possible_cpu(cpu)
		for (i = 0; i < LVS_DROP_COUNT; i++)
			sum.n[i] += per_cpu_ptr(ln->drops, cpu)->n[i];

	nest = nla_nest_start(skb, LVS_ATTR_INFO);
	if (!nest ||
	    nla_put_u32(skb, LVS_INFO_ATTR_CONN_COUNT,
			atomic_read(&ln->conns.count)) ||
	    nla_put_u32(skb, LVS_INFO_ATTR_CONN_MAX, ln->conns.max) ||
	    nla_put_u32(skb, LVS_INFO_ATTR_CONN_BUCKETS_IN,
			lvs_conn_tab_size(&ln->conns)) ||
	    nla_put_u32(skb, LVS_INFO_ATTR_CONN_BUCKETS_OUT,
			lvs_conn_buckets(&ln->conns.out)))
		return -EMSGSIZE;
	for (i = 0; i < LVS_DROP_COUNT; i++)
		if (put_u64(skb, drop_attrs[i], sum.n[i]))
			return -EMSGSIZE;
	if (put_u64(skb, LVS_INFO_ATTR_CONN_EVICTED,
		    atomic64_read(&ln->conns.evicted)) ||
	    nla_put_u8(skb, LVS_INFO_ATTR_FAST_PATH, lvs_fast_on(ln)) ||
	    nla_put_u8(skb, LVS_INFO_ATTR_FAST_PATH_HELD, lvs_fast_held(ln)) ||
	    put_u64(skb, LVS_INFO_ATTR_FAST_PACKETS, lvs_fast_packets(ln)) ||
	    nla_put_u32(skb, LVS_INFO_ATTR_GENERATION, READ_ONCE(ln->gen)))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

int lvs_nl_info_get(struct sk_buff *skb, struct genl_info *info)
{
	struct lvs_net *ln = lvs_net(genl_info_net(info));
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = lvs_nl_put_hdr(msg, info->snd_portid, info->snd_seq, 0,
			     LVS_CMD_INFO_GET);
	if (!hdr || lvs_nl_put_info(msg, ln)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

int lvs_nl_info_set(struct sk_buff *skb, struct genl_info *info)
{
	struct lvs_net *ln = lvs_net(genl_info_net(info));
	struct nlattr *tb[LVS_INFO_ATTR_MAX + 1];
	int err;

	if (GENL_REQ_ATTR_CHECK(info, LVS_ATTR_INFO)) {
		NL_SET_ERR_MSG(info->extack, "Missing settings (LVS_ATTR_INFO)");
		return -EINVAL;
	}
	err = nla_parse_nested(tb, LVS_INFO_ATTR_MAX, info->attrs[LVS_ATTR_INFO],
			       lvs_info_policy, info->extack);
	if (err)
		return err;
	if (!tb[LVS_INFO_ATTR_FAST_PATH]) {
		NL_SET_ERR_MSG(info->extack,
			       "Missing setting (LVS_INFO_ATTR_FAST_PATH)");
		NL_SET_ERR_ATTR_MISS(info->extack, info->attrs[LVS_ATTR_INFO],
				     LVS_INFO_ATTR_FAST_PATH);
		return -EINVAL;
	}
	/* The lock orders the announcements as the settings. */
	mutex_lock(&ln->lock);
	err = lvs_fast_set(ln, nla_get_u8(tb[LVS_INFO_ATTR_FAST_PATH]));
	if (err) {
		NL_SET_ERR_MSG(info->extack, "No memory to hook the devices");
	} else {
		ln->gen++;
		lvs_notify_info(ln);
	}
	mutex_unlock(&ln->lock);
	return err;
}
