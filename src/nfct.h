/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LVS_NFCT_H
#define _LVS_NFCT_H

#include <linux/skbuff.h>
#include <net/netfilter/nf_conntrack.h>

#include "conn.h"

/*
 * What lvs tells conntrack (nfct.c). Without conntrack in the namespace
 * each costs a test of the packet's conntrack field (and a request a
 * store to it).
 */
#if IS_ENABLED(CONFIG_NF_CONNTRACK)
void __lvs_nfct_nat(struct sk_buff *skb, struct lvs_conn *c, bool request);
void __lvs_nfct_untrack(struct sk_buff *skb);
void __lvs_nfct_conn_free(const struct lvs_conn *c);

/*
 * @skb, a packet of NAT connection @c, is a client's request (@request)
 * or a real server's answer: a new entry is to expect the other direction
 * from where it will come, and @c remembers it. A request without an
 * entry (conntrack off, or the packet invalid to it) leaves untracked:
 * conntrack would otherwise track it anew at LOCAL_OUT, as client -> real
 * server, whose reply side is the connection's entry's, and drop it for
 * the clash.
 */
static inline void lvs_nfct_nat(struct sk_buff *skb, struct lvs_conn *c,
				bool request)
{
	if (skb_nfct(skb))
		__lvs_nfct_nat(skb, c, request);
	else if (request)
		nf_ct_set(skb, NULL, IP_CT_UNTRACKED);
}

/* @skb, a client's packet, goes to its real server by direct routing. */
static inline void lvs_nfct_untrack(struct sk_buff *skb)
{
	if (skb_nfct(skb))
		__lvs_nfct_untrack(skb);
}

/*
 * @c is being freed, a grace period after it left the table: the
 * conntrack entry it told, if any, goes too while it still says what
 * lvs told it.
 */
static inline void lvs_nfct_conn_free(const struct lvs_conn *c)
{
	if (lvs_conn_has(c, LVS_CONN_NFCT))
		__lvs_nfct_conn_free(c);
}
#else
static inline void lvs_nfct_nat(struct sk_buff *skb, struct lvs_conn *c,
				bool request)
{
}

static inline void lvs_nfct_untrack(struct sk_buff *skb)
{
}

static inline void lvs_nfct_conn_free(const struct lvs_conn *c)
{
}
#endif

#endif /* _LVS_NFCT_H */
