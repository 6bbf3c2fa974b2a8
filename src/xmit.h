/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LVS_XMIT_H
#define _LVS_XMIT_H

#include <linux/skbuff.h>

struct lvs_net;
struct lvs_conn;
struct lvs_dest;
struct lvs_dest_route;
struct lvs_pkt;
struct flowi4;
struct flowi6;
struct rtable;
struct dst_entry;

/*
 * Send @skb, a client's packet of connection @c, to the real server by
 * @c's forwarding method: 0, or a negative errno with @skb left to the
 * caller to drop, as each method below. With @fast (the fast path, whose
 * packets have a hop left), only along the route @c's destination keeps
 * and only if the packet fits it whole: else -EAGAIN, with @skb untouched
 * and no ICMP error sent, for the normal way to judge it.
 */
int lvs_xmit(struct lvs_net *ln, struct sk_buff *skb, struct lvs_conn *c,
	     const struct lvs_pkt *pkt, bool fast);

/*
 * Each sends @skb, a client's packet of connection @c, to the real server
 * and returns 0, or returns a negative errno and leaves @skb to the caller
 * to drop; with @fast, as lvs_xmit().
 */
int lvs_xmit_nat(struct lvs_net *ln, struct sk_buff *skb,
		 struct lvs_conn *c, const struct lvs_pkt *pkt, bool fast);
int lvs_xmit_dr(struct lvs_net *ln, struct sk_buff *skb,
		const struct lvs_conn *c, bool fast);
int lvs_xmit_tun(struct lvs_net *ln, struct sk_buff *skb,
		 const struct lvs_conn *c, bool fast);

int lvs_nat_reply(struct sk_buff *skb, struct lvs_conn *c,
		  const struct lvs_pkt *pkt);

/*
 * Before forwarding @skb, a client's packet, to fl4->daddr (with
 * FLOWI_FLAG_KNOWN_NH: as the next hop itself), the address of @dest,
 * behind an outer header of @hdr_len bytes: check the hop's TTL, take the
 * route @dest keeps, or route with @fl4 and keep that, and check the
 * route's MTU. fl4->daddr, flowi4_flags and flowi4_proto must be the same
 * for every packet to @dest. Returns 0 with the route in *@rtp, which
 * holds no reference for the caller: it stays valid until the RCU read
 * side ends, and the packet takes it with skb_dst_set_noref(); and the
 * source the route chose in fl4->saddr. Or sends the client the ICMP error
 * its packet earns, if any, and returns a negative errno. With @fast, no
 * TTL check, no lookup and no ICMP error: -EAGAIN unless @dest keeps a
 * route that the packet fits whole (lvs_xmit_fast_fits()). The client's
 * packet may be IPv6 (skb->protocol ETH_P_IPV6) when @hdr_len is that of
 * an IPv4 outer header; it is then judged as lvs_xmit_route6() judges
 * IPv6 packets.
 */
int lvs_xmit_route4(struct lvs_net *ln, struct sk_buff *skb,
		    struct lvs_dest *dest, struct flowi4 *fl4,
		    unsigned int hdr_len, bool fast, struct rtable **rtp);

/*
 * For the routing of both families, about the client's packet @skb, IPv4
 * or IPv6 by skb->protocol whatever the route's family. Has it a hop left?
 * Does it fit through @mtu, or may it be fragmented to fit, as a router
 * forwarding it would judge? When not, each sends the client the ICMP or
 * ICMPv6 error of its family and returns false.
 */
bool lvs_xmit_hops_left(struct sk_buff *skb);
bool lvs_xmit_fits(struct sk_buff *skb, unsigned int mtu);

/*
 * Does @skb fit a route of MTU @mtu behind an outer header of @hdr_len
 * bytes without being cut into fragments? Sends nothing.
 */
bool lvs_xmit_fast_fits(const struct sk_buff *skb, unsigned int mtu,
			unsigned int hdr_len);

/*
 * The MTU @skb has behind an outer header of @hdr_len bytes (0: none) on
 * a route of MTU @mtu: what the header leaves, or 0 when that cannot hold
 * a minimal IPv4 packet. An IPv6 packet is never told less than
 * IPV6_MIN_MTU: if the outer packet then exceeds the route's MTU, the
 * director fragments it.
 */
unsigned int lvs_xmit_inner_mtu(const struct sk_buff *skb, unsigned int mtu,
				unsigned int hdr_len);

/*
 * What lvs_xmit_route4() and lvs_xmit_route6() share: the route @dest
 * keeps, or on a miss (never with @fast) the one @miss looks up with @fl
 * (a flowi4 or flowi6) and keeps for it; the checks and errors as
 * lvs_xmit_route4() says. Returns the route or an ERR_PTR().
 */
typedef const struct lvs_dest_route *(*lvs_route_miss_t)(struct lvs_net *ln,
							 struct lvs_dest *dest,
							 u32 mark, void *fl);
const struct lvs_dest_route *
lvs_xmit_route(struct lvs_net *ln, struct sk_buff *skb, struct lvs_dest *dest,
	       unsigned int hdr_len, bool fast, lvs_route_miss_t miss,
	       void *fl);

/*
 * Send @skb on along @rt, a route of lvs_xmit_route4(), one hop
 * further, as a router would: without the local socket early demux may
 * have found for it on the way in, which is not its sender, and without
 * the time it arrived (skb->tstamp), which is no time to send it.
 */
void lvs_xmit_forward(struct lvs_net *ln, struct sk_buff *skb,
		      struct rtable *rt);

/*
 * lvs_xmit_route4() over IPv6, with @fl6, which leaves fl6->saddr unset:
 * the lookup picks it. The client's packet may be IPv4 (skb->protocol
 * ETH_P_IP) when @hdr_len is that of an IPv6 outer header; it gets the
 * ICMP errors of its own family. An IPv6 one is told an MTU of no less
 * than IPV6_MIN_MTU: if the outer packet then exceeds the route's MTU, the
 * caller sets skb->ignore_df (after any skb_scrub_packet()) so that the
 * director fragments it. Returns 0 with the route in *@dstp, without a
 * reference as lvs_xmit_route4()'s, and its source in fl6->saddr; or a
 * negative errno.
 */
int lvs_xmit_route6(struct lvs_net *ln, struct sk_buff *skb,
		    struct lvs_dest *dest, struct flowi6 *fl6,
		    unsigned int hdr_len, bool fast, struct dst_entry **dstp);

/*
 * Send @skb, an IPv6 packet whose header is writable, on along @dst, a
 * route of lvs_xmit_route6(), one hop further, as lvs_xmit_forward()
 * does.
 */
void lvs_xmit_forward6(struct lvs_net *ln, struct sk_buff *skb,
		       struct dst_entry *dst);

#endif /* _LVS_XMIT_H */
