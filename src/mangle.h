/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LVS_MANGLE_H
#define _LVS_MANGLE_H

#include <linux/skbuff.h>

int lvs_tcp_mangle(struct sk_buff *skb, u8 af, unsigned int l4off,
		   unsigned int off, unsigned int len, const char *rep,
		   unsigned int rep_len);

#endif /* _LVS_MANGLE_H */
