/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LVS_COMPAT_CONV_H
#define _LVS_COMPAT_CONV_H

#include <linux/types.h>

#include <uapi/linux/ip_vs.h>

struct lvs_sched_conf;

/*
 * ip_vs's numbers for what lvs's model holds, and back (compat_conv.c):
 * the pure part of the IPVS family's translation.
 */
u32 lvs_compat_svc_flags(const struct lvs_sched_conf *conf);
bool lvs_compat_flags_merge(const struct lvs_sched_conf *conf,
			    const struct ip_vs_flags *f, u32 *flags);
void lvs_compat_conf_set(struct lvs_sched_conf *conf, u32 flags,
			 u32 timeout);
bool lvs_compat_netmask_prefix(u8 af, u32 netmask, u8 *prefix);
u32 lvs_compat_netmask(u8 af, u8 prefix);
int lvs_compat_fwd_from(u32 method, u8 *fwd);
u32 lvs_compat_fwd_to(u8 fwd);

#endif /* _LVS_COMPAT_CONV_H */
