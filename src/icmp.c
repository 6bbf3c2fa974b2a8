// SPDX-License-Identifier: GPL-2.0
/*
 * ICMP and ICMPv6 errors about lvs's connections. An error quotes the
 * start of the packet it is about; the quote names the connection, and the
 * error goes to whichever end sent that packet:
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
 * anyway, stays as it was (receivers do not check it), while the quoted
 * IPv4 header's checksum and the ICMP checksum are made right; an error
 * whose ICMP checksum was wrong when it came is dropped, not made right.
 * An ICMPv6 error is recognised when it follows the IPv6 header directly.
 */

#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <net/checksum.h>
#include <net/ip.h>
#include <net/ip6_checksum.h>
#include <net/ipv6.h>
#include <net/route.h>

#include <uapi/linux/lvs.h>

#include "conn.h"
#include "dest.h"
#include "icmp.h"
#include "netns.h"
#include "proto.h"
#include "xmit.h"

/* Where the parts of an error are, from skb->data, and the key it gives. */
struct quote {
	unsigned int icmp;	/* the ICMP header */
	unsigned int ip;	/* the quoted IP header */
	unsigned int ports;	/* the quoted ports */
	struct lvs_conn_key key;
};

bool lvs_icmp_is(const struct sk_buff *skb, u8 af)
{
	if (af == AF_INET6)
		return ipv6_hdr(skb)->nexthdr == IPPROTO_ICMPV6;
	return ip_hdr(skb)->protocol == IPPROTO_ICMP;
}

/* The quoted ports at q->ports: the rest of the key. */
static int quote_ports(struct sk_buff *skb, struct quote *q)
{
	__be16 _ports[2];
	const __be16 *ports;

	ports = skb_header_pointer(skb, q->ports, sizeof(_ports), _ports);
	if (!ports)
		return -EINVAL;
	q->key.sport = ports[1];
	q->key.dport = ports[0];
	return 0;
}

static int quote_parse4(struct sk_buff *skb, struct quote *q)
{
	struct iphdr _iph;
	const struct iphdr *iph;
	struct icmphdr _ih;
	const struct icmphdr *ih;

	if (ip_is_fragment(ip_hdr(skb)))
		return -EPROTONOSUPPORT;
	q->icmp = skb_network_offset(skb) + ip_hdrlen(skb);
	ih = skb_header_pointer(skb, q->icmp, sizeof(_ih), &_ih);
	if (!ih)
		return -EINVAL;
	if (!icmp_is_err(ih->type))
		return -EPROTONOSUPPORT;
	q->ip = q->icmp + sizeof(_ih);
	iph = skb_header_pointer(skb, q->ip, sizeof(_iph), &_iph);
	if (!iph || iph->version != 4 || iph->ihl < 5)
		return -EINVAL;
	if (!lvs_proto_find(iph->protocol) ||
	    (iph->frag_off & htons(IP_OFFSET)))
		return -EPROTONOSUPPORT;
	q->ports = q->ip + iph->ihl * 4;
	q->key.protocol = iph->protocol;
	q->key.saddr.ip = iph->daddr;
	q->key.daddr.ip = iph->saddr;
	return quote_ports(skb, q);
}

static int quote_parse6(struct sk_buff *skb, struct quote *q)
{
	struct ipv6hdr _iph;
	const struct ipv6hdr *iph;
	struct icmp6hdr _ih;
	const struct icmp6hdr *ih;
	__be16 frag_off;
	u8 nexthdr;
	int off;

	q->icmp = skb_network_offset(skb) + sizeof(struct ipv6hdr);
	ih = skb_header_pointer(skb, q->icmp, sizeof(_ih), &_ih);
	if (!ih)
		return -EINVAL;
	if (!icmpv6_is_err(ih->icmp6_type))
		return -EPROTONOSUPPORT;
	q->ip = q->icmp + sizeof(_ih);
	iph = skb_header_pointer(skb, q->ip, sizeof(_iph), &_iph);
	if (!iph || iph->version != 6)
		return -EINVAL;
	nexthdr = iph->nexthdr;
	off = ipv6_skip_exthdr(skb, q->ip + sizeof(_iph), &nexthdr, &frag_off);
	if (off < 0 || !lvs_proto_find(nexthdr) || (frag_off & htons(~0x7)))
		return -EPROTONOSUPPORT;
	q->ports = off;
	q->key.protocol = nexthdr;
	q->key.saddr.in6 = iph->daddr;
	q->key.daddr.in6 = iph->saddr;
	return quote_ports(skb, q);
}

/*
 * Parse the ICMP error in @skb, a packet of family @af at skb->data.
 * Returns 0, or -EPROTONOSUPPORT if it is no whole error about the first
 * fragment of a packet of a protocol lvs tracks, or -EINVAL if it is cut
 * short.
 */
static int quote_parse(struct sk_buff *skb, u8 af, struct quote *q)
{
	memset(&q->key, 0, sizeof(q->key));
	q->key.af = af;
	return af == AF_INET6 ? quote_parse6(skb, q) : quote_parse4(skb, q);
}

/* The ICMP checksum over @len bytes at @ih, after a change. */
static void icmp_csum(struct sk_buff *skb, void *ih, unsigned int len)
{
	struct ipv6hdr *ip6 = ipv6_hdr(skb);
	struct icmp6hdr *ih6 = ih;
	struct icmphdr *ih4 = ih;

	if (skb->protocol == htons(ETH_P_IPV6)) {
		ih6->icmp6_cksum = 0;
		ih6->icmp6_cksum = csum_ipv6_magic(&ip6->saddr, &ip6->daddr,
						   len, IPPROTO_ICMPV6,
						   csum_partial(ih, len, 0));
	} else {
		ih4->checksum = 0;
		ih4->checksum = ip_compute_csum(ih, len);
	}
}

/*
 * Whether the error's ICMP checksum is right. NAT rewrites the error and
 * computes its checksum anew, which would make a corrupt one look sound
 * to its receiver, so it is checked first.
 */
static bool icmp_csum_ok(struct sk_buff *skb, const struct quote *q)
{
	bool v6 = skb->protocol == htons(ETH_P_IPV6);

	return lvs_l4_csum_ok(skb, v6 ? AF_INET6 : AF_INET,
			      v6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP, q->icmp);
}

/* Set an address of an IPv4 or IPv6 header, the IPv4 checksum with it. */
static void set_addr(struct sk_buff *skb, unsigned int off, bool src,
		     const union nf_inet_addr *addr)
{
	struct ipv6hdr *ip6 = (struct ipv6hdr *)(skb->data + off);
	struct iphdr *ip4 = (struct iphdr *)(skb->data + off);
	__be32 *a4 = src ? &ip4->saddr : &ip4->daddr;

	if (skb->protocol == htons(ETH_P_IPV6)) {
		if (src)
			ip6->saddr = addr->in6;
		else
			ip6->daddr = addr->in6;
		return;
	}
	csum_replace4(&ip4->check, *a4, addr->ip);
	*a4 = addr->ip;
}

/*
 * Rewrite the quoted packet's source (@inward) or destination address and
 * port to @addr and @port, and the outer destination (@inward) or source
 * to @addr, with every checksum that covers them.
 */
static int quote_nat(struct sk_buff *skb, const struct quote *q, bool inward,
		     const union nf_inet_addr *addr, __be16 port)
{
	__be16 *ports;

	/* The whole error: it is short, and its checksum covers it all. */
	if (skb_ensure_writable(skb, skb->len))
		return -ENOMEM;
	set_addr(skb, q->ip, inward, addr);
	ports = (__be16 *)(skb->data + q->ports);
	ports[inward ? 0 : 1] = port;
	set_addr(skb, skb_network_offset(skb), !inward, addr);
	icmp_csum(skb, skb->data + q->icmp, skb->len - q->icmp);
	/* Any receive checksum is stale; the ICMP one is complete. */
	skb->ip_summed = CHECKSUM_NONE;
	return 0;
}

/* Send an inward error for NAT connection @c on to its real server. */
static int xmit_nat(struct lvs_net *ln, struct sk_buff *skb,
		    const struct lvs_conn *c, const struct quote *q)
{
	const union nf_inet_addr *rs = &c->dest->addr;
	struct flowi6 fl6 = { .daddr = rs->in6 };
	struct flowi4 fl4 = { .daddr = rs->ip };
	struct dst_entry *dst;
	struct rtable *rt;
	int err;

	if (c->in.af == AF_INET6) {
		err = lvs_xmit_route6(ln, skb, c->dest, &fl6, 0, false, &dst);
		if (err)
			return err;
		err = quote_nat(skb, q, true, rs, lvs_conn_rport(c));
		if (err)
			return err;
		lvs_xmit_forward6(ln, skb, dst);
		return 0;
	}
	err = lvs_xmit_route4(ln, skb, c->dest, &fl4, 0, false, &rt);
	if (err)
		return err;
	err = quote_nat(skb, q, true, rs, lvs_conn_rport(c));
	if (err)
		return err;
	lvs_xmit_forward(ln, skb, rt);
	return 0;
}

unsigned int lvs_icmp_in(struct lvs_net *ln, struct sk_buff *skb, u8 af)
{
	struct lvs_conn *c;
	struct quote q;
	int err;

	err = quote_parse(skb, af, &q);
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
		err = lvs_xmit_dr(ln, skb, c, false);
		break;
	case LVS_FWD_TUN:
		err = lvs_xmit_tun(ln, skb, c, false);
		break;
	default:
		if (!icmp_csum_ok(skb, &q)) {
			lvs_drop_count(ln, LVS_DROP_MALFORMED);
			return NF_DROP;
		}
		err = xmit_nat(ln, skb, c, &q);
	}
	if (err) {
		lvs_drop_count(ln, LVS_DROP_XMIT);
		return NF_DROP;
	}
	return NF_STOLEN;
}

unsigned int lvs_icmp_out(struct lvs_net *ln, struct sk_buff *skb, u8 af)
{
	struct lvs_conn *c;
	struct quote q;

	if (quote_parse(skb, af, &q))
		return NF_ACCEPT;
	c = lvs_conn_lookup_out(&ln->conns, &q.key);
	if (!c)
		return NF_ACCEPT;
	if (!icmp_csum_ok(skb, &q)) {
		lvs_drop_count(ln, LVS_DROP_MALFORMED);
		return NF_DROP;
	}
	if (quote_nat(skb, &q, false, &c->in.daddr, c->in.dport)) {
		lvs_drop_count(ln, LVS_DROP_XMIT);
		return NF_DROP;
	}
	return NF_ACCEPT;
}
