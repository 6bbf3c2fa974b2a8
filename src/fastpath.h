/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LVS_FASTPATH_H
#define _LVS_FASTPATH_H

#include <linux/list.h>
#include <linux/percpu.h>
#include <linux/types.h>

struct lvs_net;
struct sk_buff;

/* A namespace's fast path (fastpath.c). */
struct lvs_fast {
	bool on;			/* under RTNL */
	struct list_head devs;		/* struct lvs_fast_dev, under RTNL */
	u64 __percpu *packets;		/* forwarded by the fast path */
};

int lvs_fast_net_init(struct lvs_net *ln);
/* Before the namespace's devices go: every hook off. */
void lvs_fast_net_stop(struct lvs_net *ln);
void lvs_fast_net_free(struct lvs_net *ln);

/*
 * Turn @ln's fast path on or off (idempotent). Takes RTNL. Returns 0, or
 * -ENOMEM with the fast path left off.
 */
int lvs_fast_set(struct lvs_net *ln, bool on);
bool lvs_fast_on(struct lvs_net *ln);
/* The families it stands aside for now: LVS_FAST_HELD_* bits. */
u8 lvs_fast_held(struct lvs_net *ln);
u64 lvs_fast_packets(struct lvs_net *ln);

/*
 * Is @skb, as it arrives, an IPv4 or IPv6 packet the fast path may take
 * (see fastpath.c)? Returns its family, with its IP control block made
 * as ip_rcv() or ipv6_rcv() would, or 0.
 */
int lvs_fast_l3(struct sk_buff *skb);

int lvs_fast_init(void);
void lvs_fast_exit(void);

#endif /* _LVS_FASTPATH_H */
