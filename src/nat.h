/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LVS_NAT_H
#define _LVS_NAT_H

#include <linux/netfilter.h>
#include <linux/skbuff.h>

int lvs_nat_rewrite(struct sk_buff *skb, u8 af, unsigned int l4off,
		    u8 protocol, bool dst, const union nf_inet_addr *addr,
		    __be16 port);
int lvs_nat_sctp_port(struct sk_buff *skb, unsigned int l4off, bool dst,
		      __be16 port);

static inline int lvs_nat4_rewrite(struct sk_buff *skb, unsigned int l4off,
				   u8 protocol, bool dst, __be32 addr,
				   __be16 port)
{
	union nf_inet_addr a = { .ip = addr };

	return lvs_nat_rewrite(skb, AF_INET, l4off, protocol, dst, &a, port);
}

#endif /* _LVS_NAT_H */
