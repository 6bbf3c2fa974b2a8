// SPDX-License-Identifier: GPL-2.0
/*
 * Print services and destinations. The text output uses the words that
 * "service add" and "dest add" accept. "service list" prints one line per
 * service followed by its destinations, indented by a tab, with their
 * counters:
 *
 *   tcp 10.0.0.1:80 sched mh fallback on table-size 4093
 *           10.0.1.2:80 nat weight 1 uthreshold 100 active 100 inactive 0 overloaded
 *
 * and in JSON an array of service objects, each with its "dests" array.
 * "dest list" prints the destination lines of one service alone, not
 * indented, and in JSON an array of destination objects. Text shows the
 * scheduler options and thresholds that differ from the defaults (and the
 * table size of every mh service), JSON shows them all. JSON always has
 * the traffic counters and their rates ("stats"), which text output shows
 * only with -s.
 *
 * "info" prints two lines, the connection table (with the buckets of
 * its two sides) and the drop counters (with the entries a full table
 * evicted),
 *
 *   connections 12 max 1048576 buckets-in 64 buckets-out 64
 *   drops malformed 0 no-dest 0 no-conn 3 conn-full 0 xmit 0 evicted 0
 *
 * and in JSON one object, the drop counters nested in "drops".
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "print.h"
#include "show.h"

static void show_stats(struct printer *p, const struct lvs_stats *s,
		       bool text)
{
	enum pr_kind k = text ? PR_ANY : PR_JSON;

	pr_open_object(p, "stats");
	pr_u64(p, k, "conns", " conns %" PRIu64, s->conns);
	pr_u64(p, k, "inpkts", " inpkts %" PRIu64, s->inpkts);
	pr_u64(p, k, "outpkts", " outpkts %" PRIu64, s->outpkts);
	pr_u64(p, k, "inbytes", " inbytes %" PRIu64, s->inbytes);
	pr_u64(p, k, "outbytes", " outbytes %" PRIu64, s->outbytes);
	pr_u64(p, k, "cps", " cps %" PRIu64, s->cps);
	pr_u64(p, k, "inpps", " inpps %" PRIu64, s->inpps);
	pr_u64(p, k, "outpps", " outpps %" PRIu64, s->outpps);
	pr_u64(p, k, "inbps", " inbps %" PRIu64, s->inbps);
	pr_u64(p, k, "outbps", " outbps %" PRIu64, s->outbps);
	pr_close_object(p);
}

/* A name, or the number for values newer than this program. */
static const char *name_or_number(const char *name, unsigned int v,
				  char *buf, size_t size)
{
	if (name)
		return name;
	snprintf(buf, size, "%u", v);
	return buf;
}

/*
 * What "dest add" takes: address, method, weight and the thresholds set,
 * or with all every threshold.
 */
void show_dest_conf(struct printer *p, const struct dest_info *d, bool all)
{
	enum pr_kind set = all ? PR_ANY : PR_JSON;
	char num[4];

	pr_addr_port(p, &d->rip, false);
	pr_string(p, PR_ANY, "fwd", " %s",
		  name_or_number(fwd_name(d->fwd), d->fwd, num, sizeof(num)));
	pr_uint(p, PR_ANY, "weight", " weight %u", d->weight);
	pr_uint(p, d->u_threshold ? PR_ANY : set, "uthreshold",
		" uthreshold %u", d->u_threshold);
	pr_uint(p, d->l_threshold ? PR_ANY : set, "lthreshold",
		" lthreshold %u", d->l_threshold);
}

static void show_dest(struct printer *p, const struct dest_info *d,
		      const char *indent, bool stats)
{
	pr_open_object(p, NULL);
	pr_text(p, indent);
	show_dest_conf(p, d, false);
	pr_uint(p, PR_ANY, "active_conns", " active %u", d->active_conns);
	pr_uint(p, PR_ANY, "inactive_conns", " inactive %u",
		d->inactive_conns);
	pr_bool(p, d->overloaded ? PR_ANY : PR_JSON, "overloaded",
		" overloaded", d->overloaded);
	show_stats(p, &d->stats, stats);
	pr_text(p, "\n");
	pr_close_object(p);
}

void svc_opts_shown(const struct svc_spec *s, struct sched_opts *o)
{
	*o = s->opts;
	o->has_fallback = o->fallback;
	o->has_hash_port = o->hash_port;
	o->has_table_size = !strcmp(s->sched, "mh") ||
			    o->table_size != LVS_MH_TABLE_DEFAULT;
	o->has_persist = o->persist;
	o->has_netmask = o->netmask != family_addr_len(s->vip.family) * 8;
	o->has_persist_drained = o->persist_drained;
	o->has_one_packet = o->one_packet;
}

/* In text the options @o marks, or with all every one. */
static void show_sched_opts(struct printer *p, const struct sched_opts *o,
			    bool all)
{
	enum pr_kind set = all ? PR_ANY : PR_JSON;

	pr_bool(p, o->has_fallback ? PR_ANY : set, "fallback",
		" fallback %s", o->fallback);
	pr_bool(p, o->has_hash_port ? PR_ANY : set, "hash_port",
		" hash-port %s", o->hash_port);
	pr_uint(p, o->has_table_size ? PR_ANY : set, "table_size",
		" table-size %u", o->table_size);
}

/*
 * Persistence and the options beside it, in text those @o marks, or with
 * all every one.
 */
static void show_persist(struct printer *p, const struct svc_spec *s,
			 const struct sched_opts *o, bool all)
{
	enum pr_kind set = all ? PR_ANY : PR_JSON;
	char mask[INET_ADDRSTRLEN];

	pr_uint(p, o->has_persist ? PR_ANY : set, "persistent",
		" persistent %u", o->persist);
	pr_uint(p, PR_JSON, "netmask", "", o->netmask);
	if (o->has_netmask || all) {
		format_netmask(s->vip.family, o->netmask, mask, sizeof(mask));
		pr_string(p, PR_TEXT, "netmask", " netmask %s", mask);
	}
	pr_bool(p, o->has_persist_drained ? PR_ANY : set, "persist_drained",
		" persist-drained %s", o->persist_drained);
	pr_bool(p, o->has_one_packet ? PR_ANY : set, "one_packet",
		" one-packet %s", o->one_packet);
}

/* "tcp 10.0.0.1:80", or "fwmark 7" and for IPv6 "family inet6". */
void show_svc_key(struct printer *p, const struct svc_spec *s)
{
	char num[4];

	if (s->fwmark) {
		pr_uint(p, PR_ANY, "fwmark", "fwmark %u", s->fwmark);
		pr_string(p, s->vip.family == AF_INET ? PR_JSON : PR_ANY,
			  "family", " family %s", family_name(s->vip.family));
		return;
	}
	pr_string(p, PR_ANY, "protocol", "%s",
		  name_or_number(proto_name(s->protocol), s->protocol, num,
				 sizeof(num)));
	pr_text(p, " ");
	pr_addr_port(p, &s->vip, true);
}

void show_svc_opts(struct printer *p, const struct svc_spec *s,
		   const struct sched_opts *o, bool all)
{
	pr_string(p, s->sched[0] ? PR_ANY : PR_JSON, "sched", " sched %s",
		  s->sched);
	show_sched_opts(p, o, all);
	show_persist(p, s, o, all);
}

/* What "service add" takes; with all every option, in text too. */
void show_svc_conf(struct printer *p, const struct svc_spec *s, bool all)
{
	struct sched_opts shown;

	svc_opts_shown(s, &shown);
	show_svc_key(p, s);
	show_svc_opts(p, s, &shown, all);
}

static void show_service(struct printer *p, const struct svc_info *s,
			 bool stats)
{
	size_t i;

	pr_open_object(p, NULL);
	show_svc_conf(p, &s->spec, false);
	show_stats(p, &s->stats, stats);
	pr_text(p, "\n");
	pr_open_array(p, "dests");
	for (i = 0; i < s->n_dests; i++)
		show_dest(p, &s->dests[i], "\t", stats);
	pr_close_array(p);
	pr_close_object(p);
}

void show_services(struct printer *p, const struct svc_list *list,
		   bool stats)
{
	size_t i;

	pr_open_array(p, NULL);
	for (i = 0; i < list->n; i++)
		show_service(p, &list->svcs[i], stats);
	pr_close_array(p);
}

void show_dests(struct printer *p, const struct svc_info *s, bool stats)
{
	size_t i;

	pr_open_array(p, NULL);
	for (i = 0; s && i < s->n_dests; i++)
		show_dest(p, &s->dests[i], "", stats);
	pr_close_array(p);
}

void show_info(struct printer *p, const struct lvs_info *info)
{
	pr_open_object(p, NULL);
	pr_uint(p, PR_ANY, "conn_count", "connections %u", info->conn_count);
	pr_uint(p, PR_ANY, "conn_max", " max %u", info->conn_max);
	pr_uint(p, PR_ANY, "buckets_in", " buckets-in %u", info->buckets_in);
	pr_uint(p, PR_ANY, "buckets_out", " buckets-out %u",
		info->buckets_out);
	pr_text(p, "\ndrops");
	pr_open_object(p, "drops");
	pr_u64(p, PR_ANY, "malformed", " malformed %" PRIu64,
	       info->drop_malformed);
	pr_u64(p, PR_ANY, "no_dest", " no-dest %" PRIu64, info->drop_no_dest);
	pr_u64(p, PR_ANY, "no_conn", " no-conn %" PRIu64, info->drop_no_conn);
	pr_u64(p, PR_ANY, "conn_full", " conn-full %" PRIu64,
	       info->drop_conn_full);
	pr_u64(p, PR_ANY, "xmit", " xmit %" PRIu64, info->drop_xmit);
	pr_u64(p, PR_ANY, "evicted", " evicted %" PRIu64, info->conn_evicted);
	pr_close_object(p);
	pr_text(p, "\nfastpath");
	pr_open_object(p, "fastpath");
	pr_bool(p, PR_ANY, "on", " %s", info->fast_path);
	pr_bool(p, PR_ANY, "held_inet", " held-inet %s",
		info->fast_held & LVS_FAST_HELD_INET);
	pr_bool(p, PR_ANY, "held_inet6", " held-inet6 %s",
		info->fast_held & LVS_FAST_HELD_INET6);
	pr_u64(p, PR_ANY, "packets", " packets %" PRIu64, info->fast_packets);
	pr_close_object(p);
	pr_text(p, "\n");
	if (info->has_generation)
		pr_uint(p, PR_ANY, "generation", "generation %u\n",
			info->generation);
	pr_close_object(p);
}

/* "service list" without svc, "dest list" with the service named. */
int show_run(struct ctx *ctx, const struct svc_spec *svc)
{
	struct svc_list list = { 0 };
	int err;

	err = fetch_services(ctx->nl, svc, &list);
	if (err)
		return err;
	if (svc)
		show_dests(ctx->pr, list.n ? &list.svcs[0] : NULL,
			   ctx->stats);
	else
		show_services(ctx->pr, &list, ctx->stats);
	svc_list_free(&list);
	return fflush(ctx->pr->f) ? -errno : 0;
}
