/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LVS_XMIT_H
#define _LVS_XMIT_H

#include <linux/skbuff.h>

struct lvs_net;
struct lvs_conn;
struct lvs_pkt;

int lvs_xmit_nat(struct lvs_net *ln, struct sk_buff *skb,
		 const struct lvs_conn *c, const struct lvs_pkt *pkt);
int lvs_nat_reply(struct sk_buff *skb, const struct lvs_conn *c,
		  const struct lvs_pkt *pkt);

#endif /* _LVS_XMIT_H */
