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
 *
 * A NAT connection remembers the entry it told (zone and id), and when
 * it is freed, whatever removed it (expiry, flush, a destination's forced
 * removal, eviction), a grace period later in an RCU callback and so off
 * the packet path, that entry goes too if it still holds the
 * connection's two directions as lvs made them: looked up by the real
 * server's side and checked by its id and its other side, lest another's
 * go. Otherwise it would outlive the connection by conntrack's own
 * timeouts, and a client reusing its port for a new connection, which
 * lvs may give another real server, would find it: the new server's
 * answers would not belong to it (new, or invalid, to a stateful
 * ruleset). ip_vs drops the entry when its connection expires likewise.
 * An entry whose reply side a source NAT rule changed (the request
 * masqueraded towards its real server) is no longer lvs's and stays.
 */

#include <net/netfilter/nf_conntrack.h>
#include <net/netfilter/nf_conntrack_core.h>
#include <net/netfilter/nf_conntrack_zones.h>

#include "conn.h"
#include "dest.h"
#include "netns.h"
#include "nfct.h"
#include "service.h"

#if IS_ENABLED(CONFIG_NF_CONNTRACK)

void __lvs_nfct_nat(struct sk_buff *skb, struct lvs_conn *c, bool request)
{
	struct nf_conntrack_tuple reply;
	enum ip_conntrack_info ctinfo;
	struct nf_conn *ct = nf_ct_get(skb, &ctinfo);
	u32 id;

	if (!ct || nf_ct_is_confirmed(ct) ||
	    CTINFO2DIR(ctinfo) != IP_CT_DIR_ORIGINAL)
		return;

	reply = ct->tuplehash[IP_CT_DIR_REPLY].tuple;
	if (request) {
		reply.src.u3 = c->dest->addr;
		reply.src.u.all = lvs_conn_rport(c);
	} else {
		reply.dst.u3 = c->in.daddr;
		reply.dst.u.all = c->in.dport;
	}
	nf_conntrack_alter_reply(ct, &reply);

	id = nf_ct_get_id(ct);
	spin_lock(&c->lock);
	c->ct_zone = *nf_ct_zone(ct);
	c->ct_id = id;
	lvs_conn_set(c, LVS_CONN_NFCT);
	spin_unlock(&c->lock);
}

/* @key, one direction of a connection, as conntrack's tuple. */
static void key_tuple(struct nf_conntrack_tuple *t,
		      const struct lvs_conn_key *key)
{
	memset(t, 0, sizeof(*t));
	t->src.u3 = key->saddr;
	t->src.u.all = key->sport;
	t->src.l3num = key->af;
	t->dst.u3 = key->daddr;
	t->dst.u.all = key->dport;
	t->dst.protonum = key->protocol;
}

void __lvs_nfct_conn_free(const struct lvs_conn *c)
{
	struct net *net = c->dest->svc->ln->net;
	struct nf_conntrack_tuple_hash *h;
	struct nf_conntrack_tuple in, out;
	struct lvs_conn_key reply;
	struct nf_conn *ct;

	lvs_conn_out_key(c, &reply);
	key_tuple(&in, &c->in);
	key_tuple(&out, &reply);
	h = nf_conntrack_find_get(net, &c->ct_zone, &out);
	if (!h)
		return;
	ct = nf_ct_tuplehash_to_ctrack(h);
	if (nf_ct_get_id(ct) == c->ct_id &&
	    nf_ct_tuple_equal(&ct->tuplehash[!NF_CT_DIRECTION(h)].tuple, &in))
		nf_ct_delete(ct, 0, 0);
	nf_ct_put(ct);
}

void __lvs_nfct_untrack(struct sk_buff *skb)
{
	nf_reset_ct(skb);
	nf_ct_set(skb, NULL, IP_CT_UNTRACKED);
}

#endif
