/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where the kernel APIs lvs uses differ between the series it builds for
 * (Debian 12's 6.1 and 6.12): each difference once, here, so that the rest
 * of the code reads the same for both. By version, not __has_include():
 * sparse cannot evaluate that. This is the only file that may name
 * LINUX_VERSION_CODE (scripts/check).
 */
#ifndef _LVS_KCOMPAT_H
#define _LVS_KCOMPAT_H

#include <linux/version.h>
#include <net/genetlink.h>

/* The kernel built for is release MAJOR.MINOR or a later one. */
#define LVS_KERNEL_SINCE(major, minor) \
	(LINUX_VERSION_CODE >= KERNEL_VERSION(major, minor, 0))

/* get_unaligned_be32() and the rest: asm/ before 6.12, linux/ since */
#if LVS_KERNEL_SINCE(6, 12)
#include <linux/unaligned.h>
#else
#include <asm/unaligned.h>
#endif

/* skb_gso_validate_network_len(): in skbuff.h before 6.5, net/gso.h since */
#if LVS_KERNEL_SINCE(6, 5)
#include <net/gso.h>
#endif

/*
 * The request's attributes, parsed by the family's policy, in a dump's
 * callback: 6.6 replaced genl_dumpit_info's attrs by a whole genl_info.
 */
static inline struct nlattr **lvs_dump_attrs(struct netlink_callback *cb)
{
#if LVS_KERNEL_SINCE(6, 6)
	return genl_info_dump(cb)->attrs;
#else
	return genl_dumpit_info(cb)->attrs;
#endif
}

#endif /* _LVS_KCOMPAT_H */
