// SPDX-License-Identifier: GPL-2.0
/*
 * lvs and the kernel's connection tracking (conntrack).
 *
 * Conntrack runs in a namespace once something there needs it: a ruleset
 * matching "ct state", a NAT rule. A packet then reaches lvs with the
 * entry conntrack found or made for it at PRE_ROUTING. A new connection's
 * entry is unconfirmed, the packet's own until the last hook it passes on
 * the director confirms it into the table. lvs rewrites or reroutes the
 * packet behind conntrack's back, so it tells conntrack what it did, by
 * forwarding method:
 *
 *   NAT  The request's new entry says client -> VIP, as the packet came,
 *        and expects answers from the VIP. lvs makes its reply side the
 *        real server's address and port towards the client: one entry
 *        then holds both directions as they cross the director. Answers
 *        are "established" to a stateful FORWARD policy, and a source
 *        NAT rule (masquerade), which conntrack looks up for the first
 *        packet of an entry only, is looked up for the request leaving
 *        towards its real server and never for an answer. An answer that
 *        comes with a new entry (conntrack began after the connection, or
 *        the request's entry expired) has that entry's reply side made the
 *        client towards the VIP likewise. A request without an entry
 *        (conntrack off, or the packet invalid to it) leaves untracked
 *        (nfct.h). This is what ip_vs does with its conntrack sysctl
 *        set; with the sysctl clear (its default) it takes both
 *        directions out of tracking, which a stateful FORWARD policy
 *        then drops.
 *   DR   The packet leaves as it came and the answers do not pass the
 *        director: an entry would see one direction only (a TCP client's
 *        second packet would be invalid to it), and a source NAT rule on
 *        the real servers' link would rewrite the client's address. The
 *        packet leaves untracked, as in ip_vs by default.
 *   TUN  The packet becomes the inner one of a packet of the director's
 *        own, which xmit_tun.c strips of the entry (skb_scrub_packet()):
 *        the outer packet is tracked as the director's.
 *
 * An entry already confirmed is left alone: an earlier packet's, told
 * then. Nothing here runs when the packet has no entry.
 */

#include <net/netfilter/nf_conntrack.h>

#include "conn.h"
#include "nfct.h"

#if IS_ENABLED(CONFIG_NF_CONNTRACK)

void __lvs_nfct_nat(struct sk_buff *skb, const struct lvs_conn *c,
		    bool request)
{
	struct nf_conntrack_tuple reply;
	enum ip_conntrack_info ctinfo;
	struct nf_conn *ct = nf_ct_get(skb, &ctinfo);

	if (!ct || nf_ct_is_confirmed(ct) ||
	    CTINFO2DIR(ctinfo) != IP_CT_DIR_ORIGINAL)
		return;

	reply = ct->tuplehash[IP_CT_DIR_REPLY].tuple;
	if (request) {
		reply.src.u3 = c->out.saddr;
		reply.src.u.all = c->out.sport;
	} else {
		reply.dst.u3 = c->in.daddr;
		reply.dst.u.all = c->in.dport;
	}
	nf_conntrack_alter_reply(ct, &reply);
}

void __lvs_nfct_untrack(struct sk_buff *skb)
{
	nf_reset_ct(skb);
	nf_ct_set(skb, NULL, IP_CT_UNTRACKED);
}

#endif
