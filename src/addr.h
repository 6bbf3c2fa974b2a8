/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LVS_ADDR_H
#define _LVS_ADDR_H

#include <linux/netfilter.h>
#include <linux/socket.h>
#include <linux/string.h>

/* Bytes an address of family @af occupies in union nf_inet_addr. */
static inline unsigned int lvs_addr_len(u8 af)
{
	return af == AF_INET6 ? sizeof(struct in6_addr) : sizeof(__be32);
}

static inline bool lvs_addr_equal(u8 af, const union nf_inet_addr *a,
				  const union nf_inet_addr *b)
{
	return !memcmp(a, b, lvs_addr_len(af));
}

#endif /* _LVS_ADDR_H */
