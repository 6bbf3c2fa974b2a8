// SPDX-License-Identifier: GPL-2.0
/*
 * SCTP's half of NAT: its CRC32c covers the SCTP packet alone, no IP
 * pseudo-header, so an address rewrite leaves it valid and a port rewrite
 * must recompute it over the whole packet. A packet whose CRC is still to
 * be computed (CHECKSUM_PARTIAL with csum_not_inet, which GSO packets are)
 * is left to the device or to segmentation, which compute it from the
 * bytes as they are then. The new CRC (lvs_sctp_crc(), proto_sctp.c) is
 * computed over the packet as received: the packet path checked the old
 * one only if the first chunk moves the state machine, DATA it does not.
 * The same for IPv4 and IPv6.
 */

#include <linux/sctp.h>

#include "nat.h"
#include "proto.h"

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
	sh->checksum = lvs_sctp_crc(skb, l4off, sh);
	/* A receive sum over the old bytes is stale now. */
	if (skb->ip_summed == CHECKSUM_COMPLETE)
		skb->ip_summed = CHECKSUM_NONE;
	return 0;
}
