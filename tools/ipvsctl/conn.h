/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The connection table (conn.c) and its timeouts (timeout.c): fetched
 * whole from the kernel, then printed, as services are (show.h).
 */
#ifndef IPVSCTL_CONN_H
#define IPVSCTL_CONN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ipvsctl.h"

struct nlmsghdr;

/* One entry of LVS_CMD_CONN_GET. */
struct conn_info {
	uint8_t protocol;	/* 0: a template of a firewall-mark service */
	struct endpoint client;
	struct endpoint vip;	/* when fwmark is 0 */
	uint32_t fwmark;
	struct endpoint dest;
	uint8_t fwd;
	char state[LVS_STATE_NAME_MAX];	/* "" for a template */
	uint32_t expires;	/* seconds */
	bool template;
};

struct conn_list {
	struct conn_info *conns;
	size_t n;
};

/* LVS_CMD_TIMEOUT_GET: every state of every protocol, in kernel order. */
struct timeout_list {
	struct timeout_entry *e;
	size_t n;
};

/* conn.c; proto_word: the name of proto, or its number in buf. */
const char *proto_word(uint8_t proto, char *buf, size_t size);
int decode_conn(struct nlmsghdr *nlh, struct conn_info *ci);
/* Sort in a stable order and drop entries a restarted dump sent twice. */
void conn_list_sort(struct conn_list *list);
void show_conns(struct printer *p, const struct conn_list *list);

/* timeout.c; fetch_timeouts: list->e is the caller's to free. */
int fetch_timeouts(struct lvs_nl *nl, struct timeout_list *list);
int decode_timeouts(struct nlmsghdr *nlh, struct timeout_list *list);
void show_timeouts(struct printer *p, const struct timeout_list *list);
void show_timeouts_inline(struct printer *p, const char *key,
			  const struct timeout_list *list);

#endif /* IPVSCTL_CONN_H */
