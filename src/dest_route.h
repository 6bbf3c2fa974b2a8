/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LVS_DEST_ROUTE_H
#define _LVS_DEST_ROUTE_H

#include <linux/netfilter.h>
#include <linux/rcupdate.h>
#include <linux/types.h>

struct dst_entry;
struct lvs_dest;
struct lvs_net;

/*
 * A destination's route to its real server, kept for the packets that
 * follow (dest_route.c). Never changed once published: a new lookup
 * replaces it whole, and the old one lives on until a grace period ends.
 */
struct lvs_dest_route {
	struct dst_entry *dst;		/* holds a reference */
	union nf_inet_addr saddr;	/* the source the lookup chose */
	u32 cookie;			/* IPv6 routes: for dst_check() */
	u32 mark;			/* the skb->mark it was looked up for */
	struct rcu_head rcu;
};

/*
 * Under RCU, from the packet path: the route @dest keeps for packets of
 * mark @mark, if it is still valid, else NULL. Its dst may be given to a
 * packet without a reference (skb_dst_set_noref()) until the read side
 * ends.
 */
const struct lvs_dest_route *lvs_dest_route_get(struct lvs_dest *dest,
						u32 mark);

/*
 * Under RCU, from the packet path: keep @dst, whose reference it takes,
 * as @dest's route for packets of mark @mark, with the source address
 * @saddr (NULL: none) and, for IPv6, its @cookie, in place of any other.
 * Returns the route, valid as lvs_dest_route_get()'s, or ERR_PTR(-ENOMEM)
 * (@dst then released).
 */
const struct lvs_dest_route *
lvs_dest_route_set(struct lvs_dest *dest, struct dst_entry *dst, u32 cookie,
		   const union nf_inet_addr *saddr, u32 mark);

/* A new destination of @ln, and its end (its last RCU callback). */
void lvs_dest_route_add(struct lvs_net *ln, struct lvs_dest *dest);
void lvs_dest_route_del(struct lvs_dest *dest);

void lvs_dest_route_net_init(struct lvs_net *ln);
int lvs_dest_route_init(void);
void lvs_dest_route_exit(void);

#endif /* _LVS_DEST_ROUTE_H */
