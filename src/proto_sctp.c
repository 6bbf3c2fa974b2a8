// SPDX-License-Identifier: GPL-2.0
/*
 * SCTP associations as the director sees them (RFC 9260).
 *
 * An SCTP packet is a common header (ports, verification tag, CRC32c)
 * followed by chunks. The machine is driven by the type of the first chunk,
 * which is the one that carries a packet's meaning: INIT, INIT ACK and
 * SHUTDOWN COMPLETE travel alone, and COOKIE ECHO and COOKIE ACK come first
 * when DATA is bundled with them. Every chunk type the table does not name
 * (DATA, SACK, HEARTBEAT and its ACK, ...) is a DATA event: it shows that
 * the sender holds an association.
 *
 * The states are named after what the director saw last:
 *
 *   INIT         an INIT opened the connection (only an INIT may)
 *   INIT_ACK     the answer to an INIT
 *   COOKIE_ECHO  the cookie went back to the INIT ACK's sender
 *   ESTABLISHED  COOKIE ACK, or anything else after COOKIE ECHO: its sender
 *                sends nothing else until the cookie is acknowledged
 *   SHUTDOWN     one side has begun a graceful close
 *   SHUTDOWN_ACK the other side agreed; SHUTDOWN COMPLETE ends it
 *   CLOSED       SHUTDOWN COMPLETE or ABORT
 *
 * For NAT the director sees both directions; for DR and TUN only the
 * client's, which is enough: INIT, COOKIE ECHO, then DATA establishes, and
 * a client's SHUTDOWN then SHUTDOWN COMPLETE, or its SHUTDOWN ACK to the
 * server's SHUTDOWN, close. The handshake columns are the same both ways,
 * so an INIT collision, where the real server's INIT crosses the client's
 * and the client answers it, also reaches ESTABLISHED. Once established, a
 * handshake chunk changes nothing: a client that restarts its association
 * (RFC 9260 5.2.2) keeps its real server, which holds the old one. During
 * a handshake, SHUTDOWN ACK and SHUTDOWN COMPLETE are ignored: they are
 * what an endpoint sends about an association it does not have.
 *
 * A connection is active while established. In SHUTDOWN, SHUTDOWN_ACK and
 * CLOSED a client's new INIT ends the old entry and is scheduled afresh,
 * as a SYN is for a closing TCP connection (see closed_states).
 *
 * Associations are seen per address pair: a multi-homed client's packets
 * from a second address open no connection and are dropped.
 *
 * A packet whose first chunk the table names (sctp_control()) counts only
 * with a good CRC32c: the real server discards it otherwise, and a forged
 * ABORT must not end the entry of an association that goes on. DATA
 * events are left to their receiver, so the CRC is computed for a few
 * packets per association. The CRC itself is at the end of this file,
 * shared with NAT (nat_sctp.c).
 */

#include <linux/crc32.h>
#include <linux/crc32c.h>
#include <linux/sctp.h>

#include "proto.h"

enum {
	SCTP_S_NONE,
	SCTP_S_INIT,
	SCTP_S_INIT_ACK,
	SCTP_S_COOKIE_ECHO,
	SCTP_S_ESTABLISHED,
	SCTP_S_SHUTDOWN,
	SCTP_S_SHUTDOWN_ACK,
	SCTP_S_CLOSED,
	SCTP_S_COUNT
};

enum {
	SCTP_E_DATA,		/* 0: every chunk type not named below */
	SCTP_E_INIT,
	SCTP_E_INIT_ACK,
	SCTP_E_COOKIE_ECHO,
	SCTP_E_COOKIE_ACK,
	SCTP_E_SHUTDOWN,
	SCTP_E_SHUTDOWN_ACK,
	SCTP_E_SHUTDOWN_COMPLETE,
	SCTP_E_ABORT,
	SCTP_E_ERROR,
	SCTP_E_COUNT
};

static const u8 sctp_events[256] = {
	[SCTP_CID_INIT]			= SCTP_E_INIT,
	[SCTP_CID_INIT_ACK]		= SCTP_E_INIT_ACK,
	[SCTP_CID_COOKIE_ECHO]		= SCTP_E_COOKIE_ECHO,
	[SCTP_CID_COOKIE_ACK]		= SCTP_E_COOKIE_ACK,
	[SCTP_CID_SHUTDOWN]		= SCTP_E_SHUTDOWN,
	[SCTP_CID_SHUTDOWN_ACK]		= SCTP_E_SHUTDOWN_ACK,
	[SCTP_CID_SHUTDOWN_COMPLETE]	= SCTP_E_SHUTDOWN_COMPLETE,
	[SCTP_CID_ABORT]		= SCTP_E_ABORT,
	[SCTP_CID_ERROR]		= SCTP_E_ERROR,
};

static const char *const sctp_state_names[SCTP_S_COUNT] = {
	[SCTP_S_NONE]		= "NONE",
	[SCTP_S_INIT]		= "INIT",
	[SCTP_S_INIT_ACK]	= "INIT_ACK",
	[SCTP_S_COOKIE_ECHO]	= "COOKIE_ECHO",
	[SCTP_S_ESTABLISHED]	= "ESTABLISHED",
	[SCTP_S_SHUTDOWN]	= "SHUTDOWN",
	[SCTP_S_SHUTDOWN_ACK]	= "SHUTDOWN_ACK",
	[SCTP_S_CLOSED]		= "CLOSED",
};

/* RTO.Max is 60 s: a handshake or shutdown retransmission may take that. */
static const unsigned int sctp_timeouts[SCTP_S_COUNT] = {
	[SCTP_S_NONE]		= 2,
	[SCTP_S_INIT]		= 60,
	[SCTP_S_INIT_ACK]	= 60,
	[SCTP_S_COOKIE_ECHO]	= 60,
	[SCTP_S_ESTABLISHED]	= 900,
	[SCTP_S_SHUTDOWN]	= 60,
	[SCTP_S_SHUTDOWN_ACK]	= 60,
	[SCTP_S_CLOSED]		= 10,
};

#define S_NO SCTP_S_NONE
#define S_IN SCTP_S_INIT
#define S_IA SCTP_S_INIT_ACK
#define S_CE SCTP_S_COOKIE_ECHO
#define S_ES SCTP_S_ESTABLISHED
#define S_SH SCTP_S_SHUTDOWN
#define S_SA SCTP_S_SHUTDOWN_ACK
#define S_CL SCTP_S_CLOSED

/*
 * next[direction][state][event]. The directions differ only where a
 * connection starts: the client's INIT starts it, and a closing one
 * again (the packet path makes that a new connection).
 */
static const u8 sctp_next[2][SCTP_S_COUNT][SCTP_E_COUNT] = {
	[LVS_DIR_IN] = {
		/*	 DATA  INIT  IACK  CECHO CACK  SHUT  SACK  SCOMP ABORT ERROR */
		[S_NO] = { S_CL, S_IN, S_CL, S_CL, S_CL, S_CL, S_CL, S_CL, S_CL, S_CL },
		[S_IN] = { S_IN, S_IN, S_IA, S_CE, S_ES, S_IN, S_IN, S_IN, S_CL, S_IN },
		[S_IA] = { S_IA, S_IN, S_IA, S_CE, S_ES, S_IA, S_IA, S_IA, S_CL, S_IA },
		[S_CE] = { S_ES, S_IN, S_CE, S_CE, S_ES, S_SH, S_SA, S_CE, S_CL, S_CE },
		[S_ES] = { S_ES, S_ES, S_ES, S_ES, S_ES, S_SH, S_SA, S_CL, S_CL, S_ES },
		[S_SH] = { S_SH, S_IN, S_SH, S_SH, S_SH, S_SH, S_SA, S_CL, S_CL, S_SH },
		[S_SA] = { S_SA, S_IN, S_SA, S_SA, S_SA, S_SA, S_SA, S_CL, S_CL, S_SA },
		[S_CL] = { S_CL, S_IN, S_CL, S_CL, S_CL, S_CL, S_CL, S_CL, S_CL, S_CL },
	},
	[LVS_DIR_OUT] = {
		/*	 DATA  INIT  IACK  CECHO CACK  SHUT  SACK  SCOMP ABORT ERROR */
		[S_NO] = { S_NO, S_NO, S_NO, S_NO, S_NO, S_NO, S_NO, S_NO, S_CL, S_NO },
		[S_IN] = { S_IN, S_IN, S_IA, S_CE, S_ES, S_IN, S_IN, S_IN, S_CL, S_IN },
		[S_IA] = { S_IA, S_IN, S_IA, S_CE, S_ES, S_IA, S_IA, S_IA, S_CL, S_IA },
		[S_CE] = { S_ES, S_IN, S_CE, S_CE, S_ES, S_SH, S_SA, S_CE, S_CL, S_CE },
		[S_ES] = { S_ES, S_ES, S_ES, S_ES, S_ES, S_SH, S_SA, S_CL, S_CL, S_ES },
		[S_SH] = { S_SH, S_SH, S_SH, S_SH, S_SH, S_SH, S_SA, S_CL, S_CL, S_SH },
		[S_SA] = { S_SA, S_SA, S_SA, S_SA, S_SA, S_SA, S_SA, S_CL, S_CL, S_SA },
		[S_CL] = { S_CL, S_CL, S_CL, S_CL, S_CL, S_CL, S_CL, S_CL, S_CL, S_CL },
	},
};

/* The common header and the first chunk's header. */
#define SCTP_HDRLEN (sizeof(struct sctphdr) + sizeof(struct sctp_chunkhdr))

/* proto.c reads hdrlen bytes into a buffer the size of a TCP header. */
static_assert(SCTP_HDRLEN <= 20);

static void sctp_parse(const void *hdr, struct lvs_pkt *pkt)
{
	const struct sctp_chunkhdr *ch = hdr + sizeof(struct sctphdr);

	pkt->sctp_chunk = ch->type;
}

static bool sctp_may_create(const struct lvs_pkt *pkt)
{
	return pkt->sctp_chunk == SCTP_CID_INIT;
}

/*
 * Every chunk type the table names, ERROR too, which leaves every state
 * but NONE as it is: the rest are DATA events, which move no further than
 * DATA does.
 */
static bool sctp_control(const struct lvs_pkt *pkt)
{
	return sctp_events[pkt->sctp_chunk] != SCTP_E_DATA;
}

static u8 sctp_next_state(u8 state, const struct lvs_pkt *pkt,
			  enum lvs_dir dir)
{
	if (state >= SCTP_S_COUNT)
		return SCTP_S_CLOSED;
	return sctp_next[dir][state][sctp_events[pkt->sctp_chunk]];
}

const struct lvs_proto lvs_proto_sctp = {
	.protocol	= IPPROTO_SCTP,
	.index		= LVS_PROTO_SCTP,
	.name		= "sctp",
	.num_states	= SCTP_S_COUNT,
	.state_names	= sctp_state_names,
	.timeouts	= sctp_timeouts,
	.active_states	= BIT(SCTP_S_ESTABLISHED),
	.closed_states	= BIT(SCTP_S_SHUTDOWN) | BIT(SCTP_S_SHUTDOWN_ACK) |
			  BIT(SCTP_S_CLOSED),
	.evict_states	= BIT(SCTP_S_NONE) | BIT(SCTP_S_INIT) |
			  BIT(SCTP_S_INIT_ACK) | BIT(SCTP_S_COOKIE_ECHO) |
			  BIT(SCTP_S_SHUTDOWN_ACK) | BIT(SCTP_S_CLOSED),
	.hdrlen		= SCTP_HDRLEN,
	.parse		= sctp_parse,
	.may_create	= sctp_may_create,
	.control	= sctp_control,
	.next_state	= sctp_next_state,
};

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

/*
 * The CRC32c of the SCTP packet at @off in @skb, whose common header is
 * @sh (in the skb, or a copy of it), with the checksum field taken as
 * zero. Nothing is written: a clone of the packet may be read elsewhere.
 */
__le32 lvs_sctp_crc(const struct sk_buff *skb, unsigned int off,
		    const struct sctphdr *sh)
{
	static const u8 zero[sizeof(sh->checksum)];
	unsigned int len = offsetof(struct sctphdr, checksum);
	u32 crc;

	crc = crc32c(~0U, sh, len);
	crc = crc32c(crc, zero, sizeof(zero));
	len = sizeof(*sh);
	crc = (__force u32)__skb_checksum(skb, off + len, skb->len - off - len,
					  (__force __wsum)crc, &crc_ops);
	return cpu_to_le32(~crc);
}

/*
 * Whether the CRC32c of the SCTP packet at @off in @skb is right. Like
 * sctp_rcv(), believe a packet made on this host whose CRC is left to the
 * device (CHECKSUM_PARTIAL, every GSO packet among them), and one whose
 * device or conntrack checked it (CHECKSUM_UNNECESSARY). csum_valid and
 * CHECKSUM_COMPLETE speak of an Internet checksum, perhaps of an outer
 * header, and say nothing of the CRC.
 */
bool lvs_sctp_crc_ok(const struct sk_buff *skb, unsigned int off)
{
	const struct sctphdr *sh;
	struct sctphdr _sh;

	if (skb->ip_summed == CHECKSUM_UNNECESSARY ||
	    skb->ip_summed == CHECKSUM_PARTIAL)
		return true;
	sh = skb_header_pointer(skb, off, sizeof(_sh), &_sh);
	return sh && sh->checksum == lvs_sctp_crc(skb, off, sh);
}
