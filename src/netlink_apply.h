/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LVS_NETLINK_APPLY_H
#define _LVS_NETLINK_APPLY_H

#include <net/genetlink.h>

int lvs_nl_apply(struct sk_buff *skb, struct genl_info *info);

#endif /* _LVS_NETLINK_APPLY_H */
