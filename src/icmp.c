// SPDX-License-Identifier: GPL-2.0
/*
 * ICMP errors about lvs's connections. An error quotes the start of the
 * packet it is about; the quote names the connection, and the error goes
 * to whichever end sent that packet:
 *
 *   inward   (LOCAL_IN) an error sent to a VIP, about a packet the VIP
 *            sent a client: a real server's answer. For NAT the director
 *            rewrote it, and now rewrites the error back: the outer
 *            destination and the quoted source become the real server's.
 *            For DR and TUN the real server sent it from the VIP itself,
 *            and the error goes to it unchanged the way the connection's
 *            packets go. This is how a real server learns the path MTU to
 *            its clients, or that one is unreachable.
 *   outward  (FORWARD) an error a real server, or a router on its side,
 *            sends a client about a packet of a NAT connection: the quoted
 *            destination and the outer source become the VIP, so that the
 *            client's socket, which only knows the VIP, gets it.
 *
 * The quote is the client's tuple reversed on the "in" side and the real
 * server's on the "out" side, so one key serves both lookups. Only the
 * addresses and ports change: the quoted transport checksum, often cut off
 * anyway, stays as it was (receivers do not check it), while the quoted IP
 * header's checksum and the ICMP checksum are made right.
 */

#include <linux/icmp.h>
#include <linux/ip.h>
#include <net/checksum.h>
#include <net/ip.h>
#include <net/route.h>

#include <uapi/linux/lvs.h>

#include "conn.h"
#include "dest.h"
#include "icmp.h"
#include "netns.h"
#include "proto.h"
#include "xmit.h"

/* Where the quoted packet starts, and the lookup key it gives. */
struct quote {
	unsigned int off;	/* its IP header, from skb->data */
	struct lvs_conn_key key;
};

/*
 * Parse the ICMP error in @skb, an IPv4 packet at skb->data. Returns 0,
 * or -EPROTONOSUPPORT if it is no whole error about the first fragment of
 * a packet of a protocol lvs tracks, or -EINVAL if it is cut short.
 */
static int quote_parse(struct sk_buff *skb, struct quote *q)
{
	unsigned int off = skb_network_offset(skb) + ip_hdrlen(skb);
	struct iphdr _iph;
	const struct iphdr *iph;
	struct icmphdr _ih;
	const struct icmphdr *ih;
	__be16 _ports[2];
	const __be16 *ports;

	if (ip_is_fragment(ip_hdr(skb)))
		return -EPROTONOSUPPORT;
	ih = skb_header_pointer(skb, off, sizeof(_ih), &_ih);
	if (!ih)
		return -EINVAL;
	if (!icmp_is_err(ih->type))
		return -EPROTONOSUPPORT;
	off += sizeof(_ih);
	iph = skb_header_pointer(skb, off, sizeof(_iph), &_iph);
	if (!iph || iph->version != 4 || iph->ihl < 5)
		return -EINVAL;
	if (!lvs_proto_find(iph->protocol) ||
	    (iph->frag_off & htons(IP_OFFSET)))
		return -EPROTONOSUPPORT;
	ports = skb_header_pointer(skb, off + iph->ihl * 4, sizeof(_ports),
				   _ports);
	if (!ports)
		return -EINVAL;

	q->off = off;
	memset(&q->key, 0, sizeof(q->key));
	q->key.af = AF_INET;
	q->key.protocol = iph->protocol;
	q->key.saddr.ip = iph->daddr;
	q->key.daddr.ip = iph->saddr;
	q->key.sport = ports[1];
	q->key.dport = ports[0];
	return 0;
}

/*
 * Rewrite the quoted packet's source (@inward) or destination address and
 * port to @addr and @port, and the outer destination (@inward) or source
 * to @addr, with every checksum that covers them.
 */
static int quote_nat(struct sk_buff *skb, const struct quote *q, bool inward,
		     __be32 addr, __be16 port)
{
	unsigned int ihl = ip_hdrlen(skb);
	struct icmphdr *ih;
	struct iphdr *iph, *inner;
	__be32 *outer_addr;
	__be16 *pport;

	/* The whole error: it is short, and its checksum covers it all. */
	if (skb_ensure_writable(skb, skb->len))
		return -ENOMEM;
	iph = ip_hdr(skb);
	ih = (struct icmphdr *)(skb->data + ihl);
	inner = (struct iphdr *)(skb->data + q->off);
	pport = (__be16 *)((u8 *)inner + inner->ihl * 4) + (inward ? 0 : 1);

	if (inward) {
		csum_replace4(&inner->check, inner->saddr, addr);
		inner->saddr = addr;
	} else {
		csum_replace4(&inner->check, inner->daddr, addr);
		inner->daddr = addr;
	}
	*pport = port;
	ih->checksum = 0;
	ih->checksum = ip_compute_csum(ih, skb->len - ihl);

	outer_addr = inward ? &iph->daddr : &iph->saddr;
	csum_replace4(&iph->check, *outer_addr, addr);
	*outer_addr = addr;
	/* Any receive checksum is stale; the ICMP one is complete. */
	skb->ip_summed = CHECKSUM_NONE;
	return 0;
}

/* Send an inward error for NAT connection @c on to its real server. */
static int xmit_nat(struct lvs_net *ln, struct sk_buff *skb,
		    const struct lvs_conn *c, const struct quote *q)
{
	struct flowi4 fl4 = { .daddr = c->dest->addr.ip };
	struct rtable *rt;
	int err;

	err = lvs_xmit_route4(ln, skb, &fl4, 0, &rt);
	if (err)
		return err;
	err = quote_nat(skb, q, true, c->dest->addr.ip, c->out.sport);
	if (err) {
		ip_rt_put(rt);
		return err;
	}
	lvs_xmit_forward(ln, skb, rt);
	return 0;
}

unsigned int lvs_icmp_in(struct lvs_net *ln, struct sk_buff *skb)
{
	struct lvs_conn *c;
	struct quote q;
	int err;

	err = quote_parse(skb, &q);
	if (err == -EINVAL) {
		lvs_drop_count(ln, LVS_DROP_MALFORMED);
		return NF_DROP;
	}
	if (err)
		return NF_ACCEPT;
	c = lvs_conn_lookup_in(&ln->conns, &q.key);
	if (!c)
		return NF_ACCEPT;

	switch (c->fwd) {
	case LVS_FWD_DR:
		err = lvs_xmit_dr(ln, skb, c);
		break;
	case LVS_FWD_TUN:
		err = lvs_xmit_tun(ln, skb, c);
		break;
	default:
		err = xmit_nat(ln, skb, c, &q);
	}
	if (err) {
		lvs_drop_count(ln, LVS_DROP_XMIT);
		return NF_DROP;
	}
	return NF_STOLEN;
}

unsigned int lvs_icmp_out(struct lvs_net *ln, struct sk_buff *skb)
{
	struct lvs_conn *c;
	struct quote q;
	int err;

	err = quote_parse(skb, &q);
	if (err)
		return NF_ACCEPT;
	c = lvs_conn_lookup_out(&ln->conns, &q.key);
	if (!c)
		return NF_ACCEPT;
	if (quote_nat(skb, &q, false, c->in.daddr.ip, c->in.dport)) {
		lvs_drop_count(ln, LVS_DROP_XMIT);
		return NF_DROP;
	}
	return NF_ACCEPT;
}
