/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LVS_FTP_H
#define _LVS_FTP_H

#include <linux/skbuff.h>

struct lvs_conn;
struct lvs_conn_key;
struct lvs_dest;
struct lvs_ftp;
struct lvs_net;
struct lvs_pkt;
struct lvs_proto;

void lvs_ftp_hold_tpl(struct lvs_ftp *ftp, struct lvs_conn *tpl);
struct lvs_conn *lvs_ftp_free(struct lvs_ftp *ftp);
struct lvs_ftp *lvs_ftp_alloc(const struct lvs_proto *pp,
			      const struct lvs_dest *dest,
			      const struct lvs_pkt *pkt, int *err);
int lvs_ftp_in(struct lvs_net *ln, struct sk_buff *skb, struct lvs_conn *c,
	       const struct lvs_pkt *pkt);
int lvs_ftp_out(struct lvs_net *ln, struct sk_buff *skb, struct lvs_conn *c,
		const struct lvs_pkt *pkt);
struct lvs_conn *lvs_ftp_expected(struct lvs_net *ln,
				  const struct lvs_conn_key *key,
				  const struct lvs_pkt *pkt);

#endif /* _LVS_FTP_H */
