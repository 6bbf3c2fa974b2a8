/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LVS_NETLINK_CONN_H
#define _LVS_NETLINK_CONN_H

#include <net/genetlink.h>

int lvs_nl_conn_dump_start(struct netlink_callback *cb);
int lvs_nl_conn_dump(struct sk_buff *skb, struct netlink_callback *cb);
int lvs_nl_conn_dump_done(struct netlink_callback *cb);
int lvs_nl_conn_flush(struct sk_buff *skb, struct genl_info *info);

#endif /* _LVS_NETLINK_CONN_H */
