// SPDX-License-Identifier: GPL-2.0
/*
 * TCP connection states as the director sees them.
 *
 * For NAT the director sees both directions; for DR and TUN only the
 * client's. The table below therefore advances on either direction alone:
 * a client ACK after its SYN establishes the connection even when the
 * server's SYN-ACK went past the director. A connection is "active" while
 * established, which is what least-connection schedulers weigh.
 *
 * A connection the real server opens (an active FTP data connection that
 * the FTP helper entered beforehand) starts with the server's SYN and
 * then moves on like any other when the client acknowledges.
 *
 * A SYN that arrives for a connection in a closing state means the client
 * reused its source port for a new connection: the packet path ends the old
 * entry and schedules the SYN afresh (see closed_states).
 */

#include <linux/tcp.h>

#include "proto.h"

enum {
	TCP_S_NONE,
	TCP_S_SYN_RECV,
	TCP_S_SYN_ACK,
	TCP_S_ESTABLISHED,
	TCP_S_FIN_WAIT,
	TCP_S_CLOSE_WAIT,
	TCP_S_TIME_WAIT,
	TCP_S_CLOSE,
	TCP_S_COUNT
};

enum {
	TCP_E_SYN,
	TCP_E_SYNACK,
	TCP_E_FIN,
	TCP_E_ACK,
	TCP_E_RST,
	TCP_E_COUNT
};

static const char *const tcp_state_names[TCP_S_COUNT] = {
	[TCP_S_NONE]		= "NONE",
	[TCP_S_SYN_RECV]	= "SYN_RECV",
	[TCP_S_SYN_ACK]		= "SYN_ACK",
	[TCP_S_ESTABLISHED]	= "ESTABLISHED",
	[TCP_S_FIN_WAIT]	= "FIN_WAIT",
	[TCP_S_CLOSE_WAIT]	= "CLOSE_WAIT",
	[TCP_S_TIME_WAIT]	= "TIME_WAIT",
	[TCP_S_CLOSE]		= "CLOSE",
};

static const unsigned int tcp_timeouts[TCP_S_COUNT] = {
	[TCP_S_NONE]		= 2,
	[TCP_S_SYN_RECV]	= 60,
	[TCP_S_SYN_ACK]		= 60,
	[TCP_S_ESTABLISHED]	= 900,
	[TCP_S_FIN_WAIT]	= 120,
	[TCP_S_CLOSE_WAIT]	= 60,
	[TCP_S_TIME_WAIT]	= 120,
	[TCP_S_CLOSE]		= 10,
};

#define S_NO TCP_S_NONE
#define S_SR TCP_S_SYN_RECV
#define S_SA TCP_S_SYN_ACK
#define S_ES TCP_S_ESTABLISHED
#define S_FW TCP_S_FIN_WAIT
#define S_CW TCP_S_CLOSE_WAIT
#define S_TW TCP_S_TIME_WAIT
#define S_CL TCP_S_CLOSE

/* next[direction][state][event] */
static const u8 tcp_next[2][TCP_S_COUNT][TCP_E_COUNT] = {
	[LVS_DIR_IN] = {
		/*	 SYN   SYNACK FIN   ACK   RST */
		[S_NO] =	{ S_SR, S_CL, S_CL, S_CL, S_CL },
		[S_SR] =	{ S_SR, S_SR, S_FW, S_ES, S_CL },
		[S_SA] =	{ S_SR, S_SA, S_FW, S_ES, S_CL },
		[S_ES] =	{ S_ES, S_ES, S_FW, S_ES, S_CL },
		[S_FW] =	{ S_FW, S_FW, S_FW, S_FW, S_CL },
		[S_CW] =	{ S_CW, S_CW, S_TW, S_CW, S_CL },
		[S_TW] =	{ S_SR, S_TW, S_TW, S_TW, S_CL },
		[S_CL] =	{ S_SR, S_CL, S_CL, S_CL, S_CL },
	},
	[LVS_DIR_OUT] = {
		/*	 SYN   SYNACK FIN   ACK   RST */
		[S_NO] =	{ S_SR, S_NO, S_NO, S_NO, S_CL },
		[S_SR] =	{ S_SR, S_SA, S_CW, S_SR, S_CL },
		[S_SA] =	{ S_SA, S_SA, S_CW, S_SA, S_CL },
		[S_ES] =	{ S_ES, S_ES, S_CW, S_ES, S_CL },
		[S_FW] =	{ S_FW, S_FW, S_TW, S_FW, S_CL },
		[S_CW] =	{ S_CW, S_CW, S_CW, S_CW, S_CL },
		[S_TW] =	{ S_TW, S_TW, S_TW, S_TW, S_CL },
		[S_CL] =	{ S_CL, S_CL, S_CL, S_CL, S_CL },
	},
};

static unsigned int tcp_event(u8 flags)
{
	if (flags & LVS_TCP_RST)
		return TCP_E_RST;
	if (flags & LVS_TCP_SYN)
		return flags & LVS_TCP_ACK ? TCP_E_SYNACK : TCP_E_SYN;
	if (flags & LVS_TCP_FIN)
		return TCP_E_FIN;
	return TCP_E_ACK;
}

static void tcp_parse(const void *hdr, struct lvs_pkt *pkt)
{
	const struct tcphdr *th = hdr;

	pkt->tcp_flags = (th->fin ? LVS_TCP_FIN : 0) |
			 (th->syn ? LVS_TCP_SYN : 0) |
			 (th->rst ? LVS_TCP_RST : 0) |
			 (th->ack ? LVS_TCP_ACK : 0);
}

/* Only a bare SYN opens a connection; anything else needs one already. */
static bool tcp_may_create(const struct lvs_pkt *pkt)
{
	return (pkt->tcp_flags & (LVS_TCP_SYN | LVS_TCP_ACK | LVS_TCP_RST |
				  LVS_TCP_FIN)) == LVS_TCP_SYN;
}

/* SYN, FIN and RST open, end or reset a connection; data and ACKs do not. */
static bool tcp_control(const struct lvs_pkt *pkt)
{
	return pkt->tcp_flags & (LVS_TCP_SYN | LVS_TCP_FIN | LVS_TCP_RST);
}

static u8 tcp_next_state(u8 state, const struct lvs_pkt *pkt, enum lvs_dir dir)
{
	if (state >= TCP_S_COUNT)
		return TCP_S_CLOSE;
	return tcp_next[dir][state][tcp_event(pkt->tcp_flags)];
}

const struct lvs_proto lvs_proto_tcp = {
	.protocol	= IPPROTO_TCP,
	.index		= LVS_PROTO_TCP,
	.name		= "tcp",
	.num_states	= TCP_S_COUNT,
	.state_names	= tcp_state_names,
	.timeouts	= tcp_timeouts,
	.active_states	= BIT(TCP_S_ESTABLISHED),
	.closed_states	= BIT(TCP_S_FIN_WAIT) | BIT(TCP_S_CLOSE_WAIT) |
			  BIT(TCP_S_TIME_WAIT) | BIT(TCP_S_CLOSE),
	/* Half-closed connections still carry data one way: kept. */
	.evict_states	= BIT(TCP_S_NONE) | BIT(TCP_S_SYN_RECV) |
			  BIT(TCP_S_SYN_ACK) | BIT(TCP_S_TIME_WAIT) |
			  BIT(TCP_S_CLOSE),
	.hdrlen		= sizeof(struct tcphdr),
	.parse		= tcp_parse,
	.may_create	= tcp_may_create,
	.control	= tcp_control,
	.next_state	= tcp_next_state,
};
