/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Listing: services and their destinations are first fetched whole from
 * the kernel (fetch.c), then printed (show.c). Fetching first lets an
 * interrupted dump be retried before anything is printed. "info" goes the
 * same way: one INFO_GET reply is fetched, then printed.
 */
#ifndef IPVSCTL_SHOW_H
#define IPVSCTL_SHOW_H

#include <stdbool.h>
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
	/* A second, averaged by the kernel (0 from a kernel without them). */
	uint64_t cps;
	uint64_t inpps;
	uint64_t outpps;
	uint64_t inbps;
	uint64_t outbps;
};

struct dest_info {
	struct endpoint rip;
	uint8_t fwd;
	uint32_t weight;
	uint32_t active_conns;
	uint32_t inactive_conns;
	uint32_t u_threshold;	/* 0: no limit */
	uint32_t l_threshold;	/* 0: three quarters of u_threshold */
	bool overloaded;
	struct lvs_stats stats;
};

/* spec.opts holds the options the service has. */
struct svc_info {
	struct svc_spec spec;
	uint32_t dest_count;
	struct lvs_stats stats;
	struct dest_info *dests;
	size_t n_dests;
	size_t dests_cap;	/* fetch.c: room in dests */
};

struct svc_list {
	struct svc_info *svcs;
	size_t n;
};

/* LVS_CMD_INFO_GET: the connection table and the packet path's drops. */
struct lvs_info {
	uint32_t conn_count;
	uint32_t conn_max;
	uint32_t buckets_in;
	uint32_t buckets_out;
	uint64_t drop_malformed;
	uint64_t drop_no_dest;
	uint64_t drop_no_conn;
	uint64_t drop_conn_full;
	uint64_t drop_xmit;
	uint64_t conn_evicted;
	bool fast_path;
	uint8_t fast_held;	/* LVS_FAST_HELD_* bits */
	uint64_t fast_packets;
	bool has_generation;
	uint32_t generation;	/* of the configuration, for apply */
};

/* fetch.c: only, if not NULL, names the one service wanted. */
int fetch_services(struct lvs_nl *nl, const struct svc_spec *only,
		   struct svc_list *list);
/* Every service, without counters and rates (zero): a configuration. */
int fetch_services_conf(struct lvs_nl *nl, struct svc_list *list);
void svc_list_free(struct svc_list *list);
void svc_list_sort(struct svc_list *list);
/* A top-level nest of a reply or an event, or NULL. */
struct nlattr *reply_nest(struct nlmsghdr *nlh, int type);
/* The order it sorts in: of two struct svc_info, of two struct dest_info. */
int cmp_svc(const void *x, const void *y);
int cmp_dest(const void *x, const void *y);
/* One reply message of SERVICE_GET or DEST_GET: 0 or -EPROTO. */
int decode_svc(struct nlmsghdr *nlh, struct svc_info *si);
int decode_dest(struct nlmsghdr *nlh, struct dest_info *di);
/* The INFO_GET request, no attributes: the message, or NULL. */
struct nl_msg *info_msg(struct lvs_nl *nl);
int fetch_info(struct lvs_nl *nl, struct lvs_info *info);
/* info.c: the INFO_SET request of the fast path's setting, or NULL. */
struct nl_msg *info_set_msg(struct lvs_nl *nl, bool fast_path);
/* The reply of INFO_GET: 0 or -EPROTO. */
int decode_info(struct nlmsghdr *nlh, struct lvs_info *info);

/* show.c; the words of "add", with all every option in text too. */
void show_svc_key(struct printer *p, const struct svc_spec *s);
void show_svc_conf(struct printer *p, const struct svc_spec *s, bool all);
/*
 * The scheduler of @s, if named, and the options @o marks (has_ flags),
 * in the order "service add" takes them; with all every option, in text
 * too. JSON has every one.
 */
void show_svc_opts(struct printer *p, const struct svc_spec *s,
		   const struct sched_opts *o, bool all);
/*
 * @s's options, with the has_ flags of those show_svc_conf() prints
 * without @all: those that differ from the defaults, and the table size
 * of every mh service.
 */
void svc_opts_shown(const struct svc_spec *s, struct sched_opts *o);
void show_dest_conf(struct printer *p, const struct dest_info *d, bool all);
void show_services(struct printer *p, const struct svc_list *list,
		   bool stats);
void show_dests(struct printer *p, const struct svc_info *s, bool stats);
int show_run(struct ctx *ctx, const struct svc_spec *svc);
void show_info(struct printer *p, const struct lvs_info *info);

/*
 * save.c: the timeouts (timeout_list of conn.h), the fast path's setting
 * and the services with their destinations, as lines of a batch file.
 */
struct timeout_list;
void save_print(FILE *f, const struct timeout_list *t,
		const struct lvs_info *info, const struct svc_list *l);

#endif /* IPVSCTL_SHOW_H */
