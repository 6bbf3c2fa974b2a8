/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LVS_NETLINK_H
#define _LVS_NETLINK_H

#include <net/netlink.h>

struct lvs_svc_key;

int lvs_netlink_init(void);
void lvs_netlink_exit(void);

void *lvs_nl_put_hdr(struct sk_buff *skb, u32 portid, u32 seq, int flags,
		     u8 cmd);
int lvs_nl_parse_svc_key(const struct nlattr *nest, struct lvs_svc_key *key,
			 struct netlink_ext_ack *extack);

#endif /* _LVS_NETLINK_H */
