/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LVS_LIMITS_H
#define _LVS_LIMITS_H

#include <linux/netlink.h>
#include <linux/types.h>

struct lvs_net;

int lvs_limit_service(const struct lvs_net *ln, unsigned int n,
		      struct netlink_ext_ack *extack);
int lvs_limit_dest(const struct lvs_net *ln, unsigned int n,
		   struct netlink_ext_ack *extack);
int lvs_limit_mh_size(const struct lvs_net *ln, const char *sched,
		      u32 size, struct netlink_ext_ack *extack);

#endif /* _LVS_LIMITS_H */
