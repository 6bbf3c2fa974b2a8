// SPDX-License-Identifier: GPL-2.0
/*
 * The numbers of ip_vs's netlink family (linux/ip_vs.h) translated to
 * lvs's model and back: service flags, persistence netmasks and
 * forwarding methods. Pure functions, so that the translation is tested
 * on its own (tests/kunit/compat_conv_test.c); compat_nl.c parses the
 * attributes and says what was wrong.
 */

#include <linux/errno.h>
#include <linux/inetdevice.h>
#include <linux/socket.h>

#include <uapi/linux/lvs.h>

#include "compat_conv.h"
#include "sched.h"

/* The service flags lvs knows; HASHED only ever describes ip_vs's table. */
#define SVC_FLAGS_KNOWN	(IP_VS_SVC_F_PERSISTENT | IP_VS_SVC_F_HASHED | \
			 IP_VS_SVC_F_ONEPACKET | \
			 IP_VS_SVC_F_SCHED_SH_FALLBACK | \
			 IP_VS_SVC_F_SCHED_SH_PORT)

/* ip_vs's flags for what @conf sets. */
u32 lvs_compat_svc_flags(const struct lvs_sched_conf *conf)
{
	return IP_VS_SVC_F_HASHED |
	       (conf->persist_timeout ? IP_VS_SVC_F_PERSISTENT : 0) |
	       (conf->one_packet ? IP_VS_SVC_F_ONEPACKET : 0) |
	       (conf->fallback ? IP_VS_SVC_F_SCHED_SH_FALLBACK : 0) |
	       (conf->hash_port ? IP_VS_SVC_F_SCHED_SH_PORT : 0);
}

/*
 * In *@flags, the flags a request leaves a service of @conf with: those
 * under @f's mask from @f, the rest as they are. False if one of them
 * means nothing to lvs.
 */
bool lvs_compat_flags_merge(const struct lvs_sched_conf *conf,
			    const struct ip_vs_flags *f, u32 *flags)
{
	*flags = (lvs_compat_svc_flags(conf) & ~f->mask) |
		 (f->flags & f->mask);
	return !(*flags & ~SVC_FLAGS_KNOWN);
}

/* Give @conf the options of @flags; @timeout counts only if persistent. */
void lvs_compat_conf_set(struct lvs_sched_conf *conf, u32 flags, u32 timeout)
{
	conf->persist_timeout = flags & IP_VS_SVC_F_PERSISTENT ? timeout : 0;
	conf->one_packet = flags & IP_VS_SVC_F_ONEPACKET;
	conf->fallback = flags & IP_VS_SVC_F_SCHED_SH_FALLBACK;
	conf->hash_port = flags & IP_VS_SVC_F_SCHED_SH_PORT;
}

/*
 * The persistence netmask as a prefix length: for IPv4 a mask in network
 * order, which must be contiguous; for IPv6 a prefix length, 1 to 128.
 */
bool lvs_compat_netmask_prefix(u8 af, u32 netmask, u8 *prefix)
{
	if (af == AF_INET) {
		if (bad_mask((__force __be32)netmask, 0))
			return false;
		*prefix = inet_mask_len((__force __be32)netmask);
		return true;
	}
	if (netmask < 1 || netmask > 128)
		return false;
	*prefix = netmask;
	return true;
}

/* And back: ip_vs's netmask of a prefix length. */
u32 lvs_compat_netmask(u8 af, u8 prefix)
{
	if (af == AF_INET)
		return (__force u32)inet_make_mask(prefix);
	return prefix;
}

/*
 * The method of ip_vs's IP_VS_CONN_F_* @method (other bits ignored, as
 * ip_vs ignores them): -EOPNOTSUPP for local delivery, which lvs leaves
 * to NAT to a local address, -EINVAL for what is no method.
 */
int lvs_compat_fwd_from(u32 method, u8 *fwd)
{
	switch (method & IP_VS_CONN_F_FWD_MASK) {
	case IP_VS_CONN_F_MASQ:
		*fwd = LVS_FWD_NAT;
		return 0;
	case IP_VS_CONN_F_TUNNEL:
		*fwd = LVS_FWD_TUN;
		return 0;
	case IP_VS_CONN_F_DROUTE:
		*fwd = LVS_FWD_DR;
		return 0;
	case IP_VS_CONN_F_LOCALNODE:
		return -EOPNOTSUPP;
	default:
		return -EINVAL;
	}
}

u32 lvs_compat_fwd_to(u8 fwd)
{
	switch (fwd) {
	case LVS_FWD_DR:
		return IP_VS_CONN_F_DROUTE;
	case LVS_FWD_TUN:
		return IP_VS_CONN_F_TUNNEL;
	default:
		return IP_VS_CONN_F_MASQ;
	}
}
