/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LVS_NETLINK_INFO_H
#define _LVS_NETLINK_INFO_H

#include <net/genetlink.h>
#include <uapi/linux/lvs.h>

struct lvs_net;

extern const struct nla_policy lvs_info_policy[LVS_INFO_ATTR_MAX + 1];

int lvs_nl_info_get(struct sk_buff *skb, struct genl_info *info);
int lvs_nl_info_set(struct sk_buff *skb, struct genl_info *info);
int lvs_nl_put_info(struct sk_buff *skb, struct lvs_net *ln);

#endif /* _LVS_NETLINK_INFO_H */
