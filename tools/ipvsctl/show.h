/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Listing: services and their destinations are first fetched whole from
 * the kernel (fetch.c), then printed (show.c). Fetching first lets an
 * interrupted dump be retried before anything is printed.
 */
#ifndef IPVSCTL_SHOW_H
#define IPVSCTL_SHOW_H

#include <stddef.h>
#include <stdint.h>

#include "ipvsctl.h"

struct nlmsghdr;

struct lvs_stats {
	uint64_t conns;
	uint64_t inpkts;
	uint64_t outpkts;
	uint64_t inbytes;
	uint64_t outbytes;
};

struct dest_info {
	struct endpoint rip;
	uint8_t fwd;
	uint32_t weight;
	uint32_t active_conns;
	uint32_t inactive_conns;
	struct lvs_stats stats;
};

struct svc_info {
	struct svc_spec spec;
	uint32_t dest_count;
	struct lvs_stats stats;
	struct dest_info *dests;
	size_t n_dests;
};

struct svc_list {
	struct svc_info *svcs;
	size_t n;
};

/* fetch.c: only, if not NULL, names the one service wanted. */
int fetch_services(struct lvs_nl *nl, const struct svc_spec *only,
		   struct svc_list *list);
void svc_list_free(struct svc_list *list);
void svc_list_sort(struct svc_list *list);
/* One reply message of SERVICE_GET or DEST_GET: 0 or -EPROTO. */
int decode_svc(struct nlmsghdr *nlh, struct svc_info *si);
int decode_dest(struct nlmsghdr *nlh, struct dest_info *di);

/* show.c */
void show_services(struct printer *p, const struct svc_list *list,
		   bool stats);
void show_dests(struct printer *p, const struct svc_info *s, bool stats);
int show_run(struct ctx *ctx, const struct svc_spec *svc);

#endif /* IPVSCTL_SHOW_H */
