// SPDX-License-Identifier: GPL-2.0
/*
 * Address and port rewriting with incremental checksum updates.
 *
 * The transport checksum covers a pseudo-header with the addresses, so an
 * address change updates it as a pseudo-header field (4 bytes for IPv4,
 * 16 for IPv6) and a port change as a plain one. inet_proto_csum_replace*()
 * handle the three checksum states a packet can arrive in: complete
 * (checksum in the header), partial (only the pseudo-header sum is in the
 * header, the device finishes it), and CHECKSUM_COMPLETE receive sums,
 * which are kept consistent.
 */

#include <linux/ip.h>
#include <linux/ipv6.h>
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

/*
 * The network step: put @addr in the destination (@dst) or source address
 * of the IPv4 or IPv6 (@af) header, and return the one it replaces in
 * *@old.
 */
static void l3_rewrite(struct sk_buff *skb, u8 af, bool dst,
		       const union nf_inet_addr *addr, union nf_inet_addr *old)
{
	if (af == AF_INET6) {
		struct ipv6hdr *ip6h = ipv6_hdr(skb);
		struct in6_addr *paddr = dst ? &ip6h->daddr : &ip6h->saddr;

		old->in6 = *paddr;
		*paddr = addr->in6;
	} else {
		struct iphdr *iph = ip_hdr(skb);
		__be32 *paddr = dst ? &iph->daddr : &iph->saddr;

		old->ip = *paddr;
		*paddr = addr->ip;
		csum_replace4(&iph->check, old->ip, addr->ip);
	}
}

/*
 * The transport step: put @port in *@pport and update the checksum at
 * @check for it and for the address change from @old to @addr, which is
 * part of the pseudo-header.
 */
static void l4_rewrite(struct sk_buff *skb, u8 af, u8 protocol,
		       __be16 *pport, __sum16 *check,
		       const union nf_inet_addr *old,
		       const union nf_inet_addr *addr, __be16 port)
{
	bool partial = skb->ip_summed == CHECKSUM_PARTIAL;

	/*
	 * A UDP checksum of zero means "none": always over IPv4, and over
	 * IPv6 where the receiver allows it (RFC 6935 tunnels). Keep it that
	 * way; an update would turn it into a wrong checksum.
	 */
	if (protocol == IPPROTO_UDP && !*check && !partial) {
		*pport = port;
		return;
	}
	if (af == AF_INET6)
		inet_proto_csum_replace16(check, skb, old->ip6, addr->ip6,
					  true);
	else
		inet_proto_csum_replace4(check, skb, old->ip, addr->ip, true);
	inet_proto_csum_replace2(check, skb, *pport, port, false);
	/* A computed zero is sent as all ones: zero would mean "none". */
	if (protocol == IPPROTO_UDP && !*check && !partial)
		*check = CSUM_MANGLED_0;
	*pport = port;
}

/*
 * Rewrite the destination (@dst true) or source address and port of the
 * IPv4 or IPv6 (@af) packet in @skb, whose transport header starts @l4off
 * bytes after skb->data. Returns 0 or a negative errno; on error the
 * packet is as it was.
 */
int lvs_nat_rewrite(struct sk_buff *skb, u8 af, unsigned int l4off,
		    u8 protocol, bool dst, const union nf_inet_addr *addr,
		    __be16 port)
{
	int coff = csum_offset(protocol);
	union nf_inet_addr old;
	__sum16 *check;
	__be16 *pport;
	int err;

	/* SCTP's checksum covers no addresses: its port is its own. */
	if (protocol == IPPROTO_SCTP) {
		err = lvs_nat_sctp_port(skb, l4off, dst, port);
		if (!err)
			l3_rewrite(skb, af, dst, addr, &old);
		return err;
	}
	if (coff < 0)
		return coff;
	if (skb_ensure_writable(skb, l4off + coff + sizeof(__sum16)))
		return -ENOMEM;

	pport = (__be16 *)(skb->data + l4off) + (dst ? 1 : 0);
	check = (__sum16 *)(skb->data + l4off + coff);
	l3_rewrite(skb, af, dst, addr, &old);
	l4_rewrite(skb, af, protocol, pport, check, &old, addr, port);
	return 0;
}
