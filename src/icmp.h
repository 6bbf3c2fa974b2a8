/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LVS_ICMP_H
#define _LVS_ICMP_H

#include <linux/skbuff.h>

struct lvs_net;

/* Is @skb, a packet of family @af, an ICMP (ICMPv6) one? */
bool lvs_icmp_is(const struct sk_buff *skb, u8 af);

/*
 * The hooks' verdicts on an ICMP packet of family @af: lvs_icmp_in() for
 * one sent to a local address, lvs_icmp_out() for one being forwarded. An
 * error about a connection of lvs is sent on to the real server (in) or
 * made to come from the VIP (out); anything else goes on untouched.
 */
unsigned int lvs_icmp_in(struct lvs_net *ln, struct sk_buff *skb, u8 af);
unsigned int lvs_icmp_out(struct lvs_net *ln, struct sk_buff *skb, u8 af);

#endif /* _LVS_ICMP_H */
