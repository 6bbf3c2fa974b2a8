/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LVS_CONN_NEW_H
#define _LVS_CONN_NEW_H

#include "conn.h"
#include "netns.h"
#include "proto.h"
#include "service.h"

struct lvs_conn *lvs_conn_new(struct lvs_net *ln, struct lvs_service *svc,
			      const struct lvs_proto *pp,
			      const struct lvs_pkt *pkt,
			      enum lvs_drop_reason *why);

#endif
