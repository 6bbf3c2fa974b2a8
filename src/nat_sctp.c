// SPDX-License-Identifier: GPL-2.0
/*
 * SCTP's half of NAT: its CRC32c covers the SCTP packet alone, no IP
 * pseudo-header, so an address rewrite leaves it valid and a port rewrite
 * must recompute it over the whole packet. A packet whose CRC is still to
 * be computed (CHECKSUM_PARTIAL with csum_not_inet, which GSO packets are)
 * is left to the device or to segmentation, which compute it from the
 * bytes as they are then. The new CRC is computed over the packet as
 * received: like a router, the director does not check the old one first.
 * The same for IPv4 and IPv6.
 */

#include <linux/crc32.h>
#include <linux/crc32c.h>
#include <linux/sctp.h>

#include "nat.h"

/*
 * CRC32c over skb data, as __skb_checksum() walks it: an __wsum carries
 * the running CRC (net/sctp/checksum.h has the same, but pulls in headers
 * that sparse warns about).
 */
static __wsum crc_update(const void *buf, int len, __wsum crc)
{
	return (__force __wsum)crc32c((__force u32)crc, buf, len);
}

static __wsum crc_combine(__wsum crc, __wsum crc2, int offset, int len)
{
	return (__force __wsum)__crc32c_le_combine((__force u32)crc,
						   (__force u32)crc2, len);
}

static const struct skb_checksum_ops crc_ops = {
	.update		= crc_update,
	.combine	= crc_combine,
};

/* The CRC32c of the SCTP packet at @l4off, its checksum field zero. */
static __le32 sctp_crc(struct sk_buff *skb, unsigned int l4off)
{
	struct sctphdr *sh = (struct sctphdr *)(skb->data + l4off);
	__wsum crc;

	sh->checksum = 0;
	crc = __skb_checksum(skb, l4off, skb->len - l4off, (__force __wsum)~0U,
			     &crc_ops);
	return cpu_to_le32(~(__force u32)crc);
}

/*
 * Set the destination (@dst true) or source port of the SCTP packet in
 * @skb, whose SCTP header starts @l4off bytes after skb->data, to @port.
 * Returns 0 or -ENOMEM, leaving the packet as it was.
 */
int lvs_nat_sctp_port(struct sk_buff *skb, unsigned int l4off, bool dst,
		      __be16 port)
{
	struct sctphdr *sh;
	__be16 *pport;

	if (skb_ensure_writable(skb, l4off + sizeof(*sh)))
		return -ENOMEM;
	sh = (struct sctphdr *)(skb->data + l4off);
	pport = dst ? &sh->dest : &sh->source;
	if (*pport == port)
		return 0;
	*pport = port;
	if (skb->ip_summed == CHECKSUM_PARTIAL && skb->csum_not_inet)
		return 0;
	sh->checksum = sctp_crc(skb, l4off);
	/* A receive sum over the old bytes is stale now. */
	if (skb->ip_summed == CHECKSUM_COMPLETE)
		skb->ip_summed = CHECKSUM_NONE;
	return 0;
}
