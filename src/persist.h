/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LVS_PERSIST_H
#define _LVS_PERSIST_H

struct lvs_conn;
struct lvs_dest;
struct lvs_pkt;
struct lvs_sched_state;
struct lvs_service;

struct lvs_dest *lvs_persist_schedule(struct lvs_service *svc,
				      const struct lvs_sched_state *st,
				      const struct lvs_pkt *pkt,
				      struct lvs_conn **tplp);
void lvs_persist_touch(struct lvs_conn *tpl);

#endif /* _LVS_PERSIST_H */
