// SPDX-License-Identifier: GPL-2.0
/*
 * Protocol registry, and the IPv4/IPv6 packet parser and checksum check
 * all protocols share.
 */

#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/tcp.h>
#include <net/checksum.h>
#include <net/ip.h>
#include <net/ip6_checksum.h>
#include <net/ipv6.h>

#include "proto.h"

static const struct lvs_proto *const lvs_protos[LVS_PROTO_COUNT] = {
	[LVS_PROTO_TCP] = &lvs_proto_tcp,
	[LVS_PROTO_UDP] = &lvs_proto_udp,
	[LVS_PROTO_SCTP] = &lvs_proto_sctp,
};

const struct lvs_proto *lvs_proto_by_index(unsigned int index)
{
	return index < LVS_PROTO_COUNT ? lvs_protos[index] : NULL;
}

/* The state of @pp named @name, or -ENOENT. */
int lvs_proto_state_find(const struct lvs_proto *pp, const char *name)
{
	unsigned int s;

	for (s = 0; s < pp->num_states; s++)
		if (!strcmp(pp->state_names[s], name))
			return s;
	return -ENOENT;
}

/* The IPv4 step: addresses, protocol and where the transport header is. */
static int parse_ipv4(struct sk_buff *skb, struct lvs_pkt *pkt)
{
	const struct iphdr *iph = ip_hdr(skb);

	if (ip_is_fragment(iph))
		return -EPROTONOSUPPORT;
	pkt->protocol = iph->protocol;
	pkt->l4off = skb_network_offset(skb) + ip_hdrlen(skb);
	pkt->saddr.ip = iph->saddr;
	pkt->daddr.ip = iph->daddr;
	return 0;
}

/*
 * The IPv6 step: the transport header follows any extension headers. A
 * packet whose chain cannot be followed, or a fragment other than the
 * first, goes on to the stack, which judges it.
 */
static int parse_ipv6(struct sk_buff *skb, struct lvs_pkt *pkt)
{
	const struct ipv6hdr *ip6h = ipv6_hdr(skb);
	u8 nexthdr = ip6h->nexthdr;
	__be16 frag_off;
	int off;

	off = ipv6_skip_exthdr(skb, skb_network_offset(skb) + sizeof(*ip6h),
			       &nexthdr, &frag_off);
	if (off < 0 || (frag_off & htons(IP6_OFFSET)))
		return -EPROTONOSUPPORT;
	pkt->protocol = nexthdr;
	pkt->l4off = off;
	pkt->saddr.in6 = ip6h->saddr;
	pkt->daddr.in6 = ip6h->daddr;
	return 0;
}

/* The transport step: the ports, and what the protocol's parse() reads. */
static int parse_l4(struct sk_buff *skb, const struct lvs_proto *pp,
		    struct lvs_pkt *pkt)
{
	struct tcphdr _th;
	const __be16 *ports;
	const struct tcphdr *th;

	th = skb_header_pointer(skb, pkt->l4off, pp->hdrlen, &_th);
	if (!th)
		return -EINVAL;
	ports = (const __be16 *)th;
	pkt->sport = ports[0];
	pkt->dport = ports[1];
	if (pp->parse)
		pp->parse(th, pkt);
	return 0;
}

/*
 * Fill @pkt from an IPv4 or IPv6 (@af) packet whose network header is at
 * skb->data. Returns 0 on success, -EPROTONOSUPPORT for protocols lvs does
 * not handle or non-first fragments (not ours to judge), -EINVAL for a
 * malformed packet, which the caller drops and counts.
 */
int lvs_pkt_parse(struct sk_buff *skb, u8 af, struct lvs_pkt *pkt)
{
	const struct lvs_proto *pp;
	int err;

	memset(&pkt->saddr, 0, sizeof(pkt->saddr));
	memset(&pkt->daddr, 0, sizeof(pkt->daddr));
	if (af == AF_INET)
		err = parse_ipv4(skb, pkt);
	else if (af == AF_INET6)
		err = parse_ipv6(skb, pkt);
	else
		err = -EPROTONOSUPPORT;
	if (err)
		return err;
	pp = lvs_proto_find(pkt->protocol);
	if (!pp)
		return -EPROTONOSUPPORT;
	pkt->af = af;
	pkt->len = skb->len;
	return parse_l4(skb, pp, pkt);
}

/*
 * Whether the checksum of the @protocol header at @off in @skb, an IPv4 or
 * IPv6 (@af) packet, is right. TCP, UDP and ICMPv6 sum a pseudo-header as
 * well; ICMP does not; SCTP has a CRC32c (lvs_sctp_crc_ok()). Computed in
 * software unless the device or the stack has vouched for the packet
 * already, and the skb is left as it was.
 */
bool lvs_l4_csum_ok(struct sk_buff *skb, u8 af, u8 protocol,
		    unsigned int off)
{
	unsigned int len = skb->len - off;
	__wsum sum;

	if (protocol == IPPROTO_SCTP)
		return lvs_sctp_crc_ok(skb, off);
	if (skb_csum_unnecessary(skb))
		return true;
	sum = skb_checksum(skb, off, len, 0);
	if (protocol == IPPROTO_ICMP)
		return !csum_fold(sum);
	if (af == AF_INET6)
		return !csum_ipv6_magic(&ipv6_hdr(skb)->saddr,
					&ipv6_hdr(skb)->daddr, len, protocol,
					sum);
	return !csum_tcpudp_magic(ip_hdr(skb)->saddr, ip_hdr(skb)->daddr, len,
				  protocol, sum);
}
