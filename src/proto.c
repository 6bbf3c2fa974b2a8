// SPDX-License-Identifier: GPL-2.0
/* Protocol registry and the IPv4 packet parser shared by all protocols. */

#include <linux/ip.h>
#include <linux/tcp.h>
#include <net/ip.h>

#include "proto.h"

static const struct lvs_proto *const lvs_protos[LVS_PROTO_COUNT] = {
	[LVS_PROTO_TCP] = &lvs_proto_tcp,
	[LVS_PROTO_UDP] = &lvs_proto_udp,
	[LVS_PROTO_SCTP] = &lvs_proto_sctp,
};

const struct lvs_proto *lvs_proto_find(u8 protocol)
{
	unsigned int i;

	for (i = 0; i < LVS_PROTO_COUNT; i++)
		if (lvs_protos[i]->protocol == protocol)
			return lvs_protos[i];
	return NULL;
}

const struct lvs_proto *lvs_proto_by_index(unsigned int index)
{
	return index < LVS_PROTO_COUNT ? lvs_protos[index] : NULL;
}

/*
 * Fill @pkt from an IPv4 packet whose network header is at skb->data.
 * Returns 0 on success, -EPROTONOSUPPORT for protocols lvs does not handle
 * or non-first fragments (not ours to judge), -EINVAL for a malformed
 * packet, which the caller drops and counts.
 */
int lvs_pkt_parse(struct sk_buff *skb, u8 af, struct lvs_pkt *pkt)
{
	const struct lvs_proto *pp;
	const struct iphdr *iph;
	struct tcphdr _th;
	const __be16 *ports;
	const struct tcphdr *th;

	if (af != AF_INET)
		return -EPROTONOSUPPORT;

	iph = ip_hdr(skb);
	pp = lvs_proto_find(iph->protocol);
	if (!pp || ip_is_fragment(iph))
		return -EPROTONOSUPPORT;

	pkt->af = af;
	pkt->protocol = iph->protocol;
	pkt->len = skb->len;
	pkt->l4off = skb_network_offset(skb) + ip_hdrlen(skb);
	memset(&pkt->saddr, 0, sizeof(pkt->saddr));
	memset(&pkt->daddr, 0, sizeof(pkt->daddr));
	pkt->saddr.ip = iph->saddr;
	pkt->daddr.ip = iph->daddr;

	/* The ports, and what the protocol's parse() reads. */
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
