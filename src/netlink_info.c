// SPDX-License-Identifier: GPL-2.0
/*
 * LVS_CMD_INFO_GET: what the namespace's packet path holds and counts,
 * its connection table and its drops.
 */

#include <net/genetlink.h>

#include <uapi/linux/lvs.h>

#include "netlink.h"
#include "netlink_info.h"
#include "netns.h"

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

static int fill_info(struct sk_buff *skb, struct lvs_net *ln)
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
			lvs_conn_buckets(&ln->conns.in)) ||
	    nla_put_u32(skb, LVS_INFO_ATTR_CONN_BUCKETS_OUT,
			lvs_conn_buckets(&ln->conns.out)))
		return -EMSGSIZE;
	for (i = 0; i < LVS_DROP_COUNT; i++)
		if (put_u64(skb, drop_attrs[i], sum.n[i]))
			return -EMSGSIZE;
	if (put_u64(skb, LVS_INFO_ATTR_CONN_EVICTED,
		    atomic64_read(&ln->conns.evicted)))
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
	if (!hdr || fill_info(msg, ln)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}
