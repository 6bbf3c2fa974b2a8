/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LVS_PROTO_H
#define _LVS_PROTO_H

#include <linux/netfilter.h>
#include <linux/skbuff.h>

struct sctphdr;

/* Which way a packet travels relative to its connection. */
enum lvs_dir {
	LVS_DIR_IN,	/* client to virtual service */
	LVS_DIR_OUT,	/* real server to client (seen for NAT only) */
};

/* TCP flags the state machines look at. */
#define LVS_TCP_FIN	0x01
#define LVS_TCP_SYN	0x02
#define LVS_TCP_RST	0x04
#define LVS_TCP_ACK	0x10

/* What the packet path parsed out of one packet. */
struct lvs_pkt {
	union nf_inet_addr saddr;
	union nf_inet_addr daddr;
	__be16 sport;
	__be16 dport;
	u8 af;
	u8 protocol;
	/* For the protocol's state machine, filled in by its parse(). */
	union {
		u8 tcp_flags;	/* LVS_TCP_* */
		u8 sctp_chunk;	/* type of the first chunk */
	};
	unsigned int l4off;	/* from skb->data */
	unsigned int len;	/* IP bytes */
};

/* Index of each supported protocol, for per-protocol tables. */
enum lvs_proto_index {
	LVS_PROTO_TCP,
	LVS_PROTO_UDP,
	LVS_PROTO_SCTP,
	LVS_PROTO_COUNT
};

/*
 * A transport protocol: its state machine as data. States are small
 * integers below num_states; state 0 is the state of a connection that has
 * just been created, before its first packet is accounted.
 */
struct lvs_proto {
	u8 protocol;
	u8 index;		/* enum lvs_proto_index */
	u8 num_states;
	const char *name;
	const char *const *state_names;
	/* Default timeout of each state, in seconds. */
	const unsigned int *timeouts;
	/* Connections in these states count as active (bit per state). */
	u32 active_states;
	/* Connections in these states end when a new one reuses their key. */
	u32 closed_states;
	/*
	 * Connections in these states carry no data, not yet or no more: a
	 * full table may evict them (a protocol without active states has
	 * its own rule, see LVS_CONN_STREAM).
	 */
	u32 evict_states;
	/*
	 * Minimum bytes of transport header the packet path must see (at
	 * most a TCP header's 20); fewer make the packet malformed.
	 */
	unsigned int hdrlen;
	/* Optional: read what next_state() needs from those @hdr bytes. */
	void (*parse)(const void *hdr, struct lvs_pkt *pkt);
	/* May this packet open a new connection? */
	bool (*may_create)(const struct lvs_pkt *pkt);
	/*
	 * Optional: may @pkt open, move or end a connection in ways data
	 * cannot? Such a packet counts only with a good checksum (see
	 * lvs_l4_csum_ok()); without the hook, every packet counts.
	 */
	bool (*control)(const struct lvs_pkt *pkt);
	/* The state after @pkt moves through a connection in @state. */
	u8 (*next_state)(u8 state, const struct lvs_pkt *pkt, enum lvs_dir dir);
};

extern const struct lvs_proto lvs_proto_tcp;
extern const struct lvs_proto lvs_proto_udp;
extern const struct lvs_proto lvs_proto_sctp;

/* The most states any protocol has, to size per-state tables. */
#define LVS_PROTO_MAX_STATES	16

/* The protocol of number @protocol, or NULL if lvs does not handle it. */
static inline const struct lvs_proto *lvs_proto_find(u8 protocol)
{
	switch (protocol) {
	case IPPROTO_TCP:
		return &lvs_proto_tcp;
	case IPPROTO_UDP:
		return &lvs_proto_udp;
	case IPPROTO_SCTP:
		return &lvs_proto_sctp;
	}
	return NULL;
}

const struct lvs_proto *lvs_proto_by_index(unsigned int index);
int lvs_proto_state_find(const struct lvs_proto *pp, const char *name);
int lvs_pkt_parse(struct sk_buff *skb, u8 af, struct lvs_pkt *pkt);
bool lvs_l4_csum_ok(struct sk_buff *skb, u8 af, u8 protocol,
		    unsigned int off);
__le32 lvs_sctp_crc(const struct sk_buff *skb, unsigned int off,
		    const struct sctphdr *sh);
bool lvs_sctp_crc_ok(const struct sk_buff *skb, unsigned int off);

static inline bool lvs_proto_state_active(const struct lvs_proto *pp, u8 state)
{
	return pp->active_states & BIT(state);
}

static inline bool lvs_proto_state_closed(const struct lvs_proto *pp, u8 state)
{
	return pp->closed_states & BIT(state);
}

#endif /* _LVS_PROTO_H */
