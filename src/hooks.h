/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LVS_HOOKS_H
#define _LVS_HOOKS_H

#include "proto.h"

struct lvs_conn;
struct lvs_net;
struct sk_buff;

int lvs_hooks_register(struct lvs_net *ln);
void lvs_hooks_unregister(struct lvs_net *ln);

/*
 * Would @pkt, going @dir through connection @c, leave it as it is: no
 * state to change, no flag to set? Then its expiry need not move on every
 * packet (lvs_conn_fast_update()).
 */
bool lvs_conn_steady(const struct lvs_conn *c, const struct lvs_pkt *pkt,
		     enum lvs_dir dir);

/* Count @pkt in the counters of @c's destination and service. */
void lvs_conn_count(struct lvs_conn *c, const struct lvs_pkt *pkt, bool in);

/*
 * May the fast path (fastpath.c) take @pkt, in @skb, through @c? Not a
 * packet that starts a connection afresh on a closed entry's tuple, nor
 * the next datagram of a one-packet service, nor FTP's, nor a control
 * packet (SYN, FIN, RST; SCTP's chunks other than data) with a bad
 * checksum: the normal way judges those.
 */
bool lvs_conn_fast_ok(const struct lvs_conn *c, struct sk_buff *skb,
		      const struct lvs_pkt *pkt);

/*
 * What the normal way does to @c for @pkt, for the fast path once it has
 * sent @pkt: the state machine moved and the destination's active and
 * inactive counts with it, the expiry pushed forward (at most once a
 * second while nothing changes), the packet counted.
 */
void lvs_conn_fast_update(struct lvs_net *ln, struct lvs_conn *c,
			  const struct lvs_pkt *pkt, enum lvs_dir dir);

#endif /* _LVS_HOOKS_H */
