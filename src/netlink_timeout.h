/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LVS_NETLINK_TIMEOUT_H
#define _LVS_NETLINK_TIMEOUT_H

#include <net/genetlink.h>
#include <uapi/linux/lvs.h>

#include "proto.h"

struct lvs_net;

/* New timeouts in jiffies; 0 where a request keeps the old one. */
struct lvs_timeout_stage {
	unsigned long t[LVS_PROTO_COUNT][LVS_PROTO_MAX_STATES];
};

extern const struct nla_policy lvs_timeout_policy[LVS_TIMEOUT_ATTR_MAX + 1];

int lvs_nl_timeouts_stage(struct nlattr **attrs, struct lvs_timeout_stage *st,
			  struct netlink_ext_ack *extack);
int lvs_nl_timeout_set(struct sk_buff *skb, struct genl_info *info);
int lvs_nl_timeout_get(struct sk_buff *skb, struct genl_info *info);
void lvs_timeout_apply(struct lvs_net *ln, const struct lvs_timeout_stage *st);
int lvs_nl_put_timeouts(struct sk_buff *skb, struct lvs_net *ln,
			const struct lvs_timeout_stage *only);

#endif /* _LVS_NETLINK_TIMEOUT_H */
