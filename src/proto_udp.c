// SPDX-License-Identifier: GPL-2.0
/*
 * UDP has no handshake: the first datagram creates the connection and every
 * datagram in either direction keeps it alive for the UDP timeout.
 */

#include <linux/udp.h>

#include "proto.h"

enum {
	UDP_S_NORMAL,
	UDP_S_COUNT
};

static const char *const udp_state_names[UDP_S_COUNT] = {
	[UDP_S_NORMAL] = "UDP",
};

static const unsigned int udp_timeouts[UDP_S_COUNT] = {
	[UDP_S_NORMAL] = 300,
};

static bool udp_may_create(const struct lvs_pkt *pkt)
{
	return true;
}

static u8 udp_next_state(u8 state, const struct lvs_pkt *pkt, enum lvs_dir dir)
{
	return UDP_S_NORMAL;
}

const struct lvs_proto lvs_proto_udp = {
	.protocol	= IPPROTO_UDP,
	.index		= LVS_PROTO_UDP,
	.name		= "udp",
	.num_states	= UDP_S_COUNT,
	.state_names	= udp_state_names,
	.timeouts	= udp_timeouts,
	.hdrlen		= sizeof(struct udphdr),
	.may_create	= udp_may_create,
	.next_state	= udp_next_state,
};
