/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LVS_COMPAT_NL_H
#define _LVS_COMPAT_NL_H

#include <net/genetlink.h>

#include <uapi/linux/ip_vs.h>

/* The "IPVS" family (compat_nl.c). */
int lvs_compat_nl_init(void);
void lvs_compat_nl_exit(void);
void *lvs_compat_put_hdr(struct sk_buff *skb, u32 portid, u32 seq, int flags,
			 u8 cmd);
void *lvs_compat_put_reply(struct sk_buff *skb, struct genl_info *info,
			   u8 cmd);
struct lvs_net;
/* A reply of command @cmd whose attributes fill() puts, under ln->lock. */
int lvs_compat_reply(struct genl_info *info, u8 cmd,
		     int (*fill)(struct sk_buff *msg, struct lvs_net *ln,
				 struct genl_info *info));

/* Its settings and counters (compat_nl_config.c). */
extern const struct nla_policy lvs_compat_cmd_policy[IPVS_CMD_ATTR_MAX + 1];
int lvs_compat_daemon_set(struct sk_buff *skb, struct genl_info *info);
int lvs_compat_daemon_dump(struct sk_buff *skb, struct netlink_callback *cb);
int lvs_compat_config_set(struct sk_buff *skb, struct genl_info *info);
int lvs_compat_config_get(struct sk_buff *skb, struct genl_info *info);
int lvs_compat_info_get(struct sk_buff *skb, struct genl_info *info);

#endif /* _LVS_COMPAT_NL_H */
