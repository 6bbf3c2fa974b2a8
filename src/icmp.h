/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LVS_ICMP_H
#define _LVS_ICMP_H

#include <linux/skbuff.h>

struct lvs_net;

/*
 * The hooks' verdicts on an IPv4 ICMP packet: lvs_icmp_in() for one sent
 * to a local address, lvs_icmp_out() for one being forwarded. An error
 * about a connection of lvs is sent on to the real server (in) or made to
 * come from the VIP (out); anything else goes on untouched.
 */
unsigned int lvs_icmp_in(struct lvs_net *ln, struct sk_buff *skb);
unsigned int lvs_icmp_out(struct lvs_net *ln, struct sk_buff *skb);

#endif /* _LVS_ICMP_H */
