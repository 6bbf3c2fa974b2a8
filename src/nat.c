// SPDX-License-Identifier: GPL-2.0
/*
 * Address and port rewriting with incremental checksum updates.
 *
 * The transport checksum covers a pseudo-header with the addresses, so an
 * address change updates it as a pseudo-header field and a port change as
 * a plain one. inet_proto_csum_replace*() handle the three checksum states
 * a packet can arrive in: complete (checksum in the header), partial (only
 * the pseudo-header sum is in the header, the device finishes it), and
 * CHECKSUM_COMPLETE receive sums, which are kept consistent.
 */

#include <linux/ip.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <net/checksum.h>
#include <net/ip.h>

#include "nat.h"

/* Where a transport protocol keeps its checksum, from its header start. */
static int csum_offset(u8 protocol)
{
	switch (protocol) {
	case IPPROTO_TCP:
		return offsetof(struct tcphdr, check);
	case IPPROTO_UDP:
		return offsetof(struct udphdr, check);
	default:
		return -EPROTONOSUPPORT;
	}
}

/* Set the destination (@dst true) or source address of an IPv4 header. */
static void nat4_addr(struct sk_buff *skb, bool dst, __be32 addr)
{
	struct iphdr *iph = ip_hdr(skb);
	__be32 *paddr = dst ? &iph->daddr : &iph->saddr;

	csum_replace4(&iph->check, *paddr, addr);
	*paddr = addr;
}

/*
 * Rewrite the destination (@dst true) or source address and port of the
 * IPv4 packet in @skb, whose transport header starts @l4off bytes after
 * skb->data. Returns 0 or a negative errno; on error the packet is as it
 * was.
 */
int lvs_nat4_rewrite(struct sk_buff *skb, unsigned int l4off, u8 protocol,
		     bool dst, __be32 addr, __be16 port)
{
	int coff = csum_offset(protocol);
	__be16 *pport, old_port;
	__be32 *paddr, old_addr;
	struct iphdr *iph;
	__sum16 *check;
	int err;

	/* SCTP's checksum covers no addresses: its port is its own. */
	if (protocol == IPPROTO_SCTP) {
		err = lvs_nat_sctp_port(skb, l4off, dst, port);
		if (!err)
			nat4_addr(skb, dst, addr);
		return err;
	}
	if (coff < 0)
		return coff;
	if (skb_ensure_writable(skb, l4off + coff + sizeof(__sum16)))
		return -ENOMEM;

	iph = ip_hdr(skb);
	paddr = dst ? &iph->daddr : &iph->saddr;
	pport = (__be16 *)(skb->data + l4off) + (dst ? 1 : 0);
	check = (__sum16 *)(skb->data + l4off + coff);
	old_addr = *paddr;
	old_port = *pport;

	/* A UDP checksum of zero means "none": keep it that way. */
	if (protocol != IPPROTO_UDP || *check ||
	    skb->ip_summed == CHECKSUM_PARTIAL) {
		inet_proto_csum_replace4(check, skb, old_addr, addr, true);
		inet_proto_csum_replace2(check, skb, old_port, port, false);
		if (protocol == IPPROTO_UDP && !*check &&
		    skb->ip_summed != CHECKSUM_PARTIAL)
			*check = CSUM_MANGLED_0;
	}
	*pport = port;
	*paddr = addr;
	csum_replace4(&iph->check, old_addr, addr);
	return 0;
}
