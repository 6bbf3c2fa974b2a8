/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LVS_NETLINK_NOTIFY_H
#define _LVS_NETLINK_NOTIFY_H

#include <linux/types.h>

struct lvs_dest;
struct lvs_net;
struct lvs_service;
struct lvs_timeout_stage;

/* The multicast groups of the "LVS" family, numbered within it. */
enum lvs_nl_mcgrp {
	LVS_NL_MCGRP_EVENTS,
};

/* Each under ln->lock, once the change is published. */
void lvs_notify_svc(struct lvs_service *svc, u8 cmd, bool force);
void lvs_notify_svc_new(struct lvs_service *svc);
void lvs_notify_dest(struct lvs_dest *dest, u8 cmd, bool force);
void lvs_notify_all(struct lvs_net *ln, u8 cmd, bool force);
void lvs_notify_timeouts(struct lvs_net *ln,
			 const struct lvs_timeout_stage *st);
void lvs_notify_info(struct lvs_net *ln);
void lvs_notify_apply(struct lvs_net *ln, u32 gen, u32 ops);

#endif /* _LVS_NETLINK_NOTIFY_H */
