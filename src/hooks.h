/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LVS_HOOKS_H
#define _LVS_HOOKS_H

#include "proto.h"

struct lvs_conn;
struct lvs_net;

int lvs_hooks_register(struct lvs_net *ln);
void lvs_hooks_unregister(struct lvs_net *ln);

/*
 * Would @pkt, going @dir through connection @c, leave it as it is: no
 * state to change, no flag to set, no checksum that must be checked
 * first? Then it only needs counting and sending (fastpath.c).
 */
bool lvs_conn_steady(const struct lvs_conn *c, const struct lvs_pkt *pkt,
		     enum lvs_dir dir);

/* Count @pkt in the counters of @c's destination and service. */
void lvs_conn_count(struct lvs_conn *c, const struct lvs_pkt *pkt, bool in);

#endif /* _LVS_HOOKS_H */
