// SPDX-License-Identifier: GPL-2.0
/*
 * The stats object: ipvsctl stats [ show | watch | help ]. Every service
 * and its destinations with their rates (connections, packets and bytes a
 * second, in and out, as the kernel's estimator gives them) and
 * connections (active and inactive), sorted by one of those or by name.
 *
 * "show" prints the table once (JSON: the services as "service list"
 * prints them, in that order); "watch" keeps it on the terminal, refreshed
 * (watch.c). The table itself is table.c's.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ipvsctl.h"
#include "print.h"
#include "stats.h"

#define KEYS "name, cps, inpps, outpps, inbps, outbps, active or inactive"
#define NO_TERMINAL "\"stats watch\" needs a terminal on its standard input and output; \"stats show\" prints the table once"

static const char *const key_names[STATS_KEYS] = {
	[STATS_NAME] = "name",
	[STATS_CPS] = "cps",
	[STATS_INPPS] = "inpps",
	[STATS_OUTPPS] = "outpps",
	[STATS_INBPS] = "inbps",
	[STATS_OUTBPS] = "outbps",
	[STATS_ACTIVE] = "active",
	[STATS_INACTIVE] = "inactive",
};

static void stats_usage(FILE *f)
{
	fputs("Usage: ipvsctl stats [ show [ sort KEY ] ]\n"
	      "       ipvsctl stats watch [ interval SECONDS ] [ sort KEY ]\n"
	      "       ipvsctl stats help\n"
	      "KEY := { name | cps | inpps | outpps | inbps | outbps | active |\n"
	      "         inactive }   (default: inpps)\n"
	      "SECONDS := 1-3600   (default: 2)\n"
	      "Keys in watch: < > (or left, right) sort by the column before\n"
	      "or after, r reverses, space refreshes, q or Ctrl-C quits.\n", f);
}

const char *stats_key_name(enum stats_key key)
{
	return key_names[key];
}

static int parse_key(struct stats_spec *s, const char *w, struct args *a)
{
	const char *v;
	uint8_t k;

	if (s->has_sort)
		return duparg(w);
	v = args_next(a);
	if (!v)
		return missarg(a, "sort key", KEYS);
	for (k = 0; k < STATS_KEYS; k++) {
		if (!strcmp(v, key_names[k])) {
			s->has_sort = true;
			s->sort = k;
			return 0;
		}
	}
	return usage_err("invalid sort key \"%s\": expected " KEYS, v);
}

static int parse_interval(struct stats_spec *s, const char *w,
			  struct args *a)
{
	unsigned long v;
	const char *n;

	if (s->interval)
		return duparg(w);
	n = args_next(a);
	if (!n)
		return missarg(a, "seconds", "1-3600");
	if (parse_uint(n, STATS_INTERVAL_MAX, &v) || !v)
		return usage_err("invalid interval \"%s\": expected 1-3600 seconds",
				 n);
	s->interval = (uint32_t)v;
	return 0;
}

/* [ interval SECONDS ] (watch only) [ sort KEY ], in any order. */
static int parse_opts(struct request *req, struct args *a, bool watch)
{
	const char *w;
	int ret;

	while ((w = args_next(a))) {
		if (!strcmp(w, "sort"))
			ret = parse_key(&req->stats, w, a);
		else if (watch && !strcmp(w, "interval"))
			ret = parse_interval(&req->stats, w, a);
		else
			return usage_err("unknown argument \"%s\": expected %s",
					 w, watch ? "\"interval SECONDS\" or \"sort KEY\"" :
					 "\"sort KEY\"");
		if (ret)
			return ret;
	}
	return 0;
}

static int parse_show(struct request *req, struct args *a)
{
	return parse_opts(req, a, false);
}

/*
 * A table refreshed in place needs a terminal to show it and to read the
 * keys from; without one, say so before anything is sent.
 */
static int parse_watch(struct request *req, struct args *a)
{
	int ret = parse_opts(req, a, true);

	if (ret)
		return ret;
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		return usage_err(NO_TERMINAL);
	return 0;
}

static uint64_t rate(const struct lvs_stats *st, enum stats_key key)
{
	switch (key) {
	case STATS_CPS:
		return st->cps;
	case STATS_INPPS:
		return st->inpps;
	case STATS_OUTPPS:
		return st->outpps;
	case STATS_INBPS:
		return st->inbps;
	case STATS_OUTBPS:
		return st->outbps;
	default:
		return 0;
	}
}

uint64_t stats_dest_value(const struct dest_info *d, enum stats_key key)
{
	if (key == STATS_ACTIVE)
		return d->active_conns;
	if (key == STATS_INACTIVE)
		return d->inactive_conns;
	return rate(&d->stats, key);
}

uint64_t stats_svc_value(const struct svc_info *s, enum stats_key key)
{
	uint64_t sum = 0;
	size_t i;

	if (key != STATS_ACTIVE && key != STATS_INACTIVE)
		return rate(&s->stats, key);
	for (i = 0; i < s->n_dests; i++)
		sum += stats_dest_value(&s->dests[i], key);
	return sum;
}

/* Largest first, ties (and STATS_NAME) in the listing's order. */
static int by_value(uint64_t a, uint64_t b, int by_name,
		    const struct stats_order *o)
{
	int c = a > b ? -1 : a < b ? 1 : by_name;

	return o->reverse ? -c : c;
}

static int cmp_svc_by(const void *x, const void *y, void *arg)
{
	const struct stats_order *o = arg;

	return by_value(stats_svc_value(x, o->key), stats_svc_value(y, o->key),
			cmp_svc(x, y), o);
}

static int cmp_dest_by(const void *x, const void *y, void *arg)
{
	const struct stats_order *o = arg;

	return by_value(stats_dest_value(x, o->key),
			stats_dest_value(y, o->key), cmp_dest(x, y), o);
}

void stats_sort(struct svc_list *list, const struct stats_order *o)
{
	struct stats_order order = *o;
	struct svc_info *s;
	size_t i;

	if (list->n)
		qsort_r(list->svcs, list->n, sizeof(*list->svcs), cmp_svc_by,
			&order);
	for (i = 0; i < list->n; i++) {
		s = &list->svcs[i];
		if (s->n_dests)
			qsort_r(s->dests, s->n_dests, sizeof(*s->dests),
				cmp_dest_by, &order);
	}
}

static struct stats_order spec_order(const struct stats_spec *spec)
{
	struct stats_order o = { .key = STATS_DEFAULT_KEY };

	if (spec->has_sort)
		o.key = spec->sort;
	return o;
}

static int run_show(struct ctx *ctx, const struct request *req)
{
	struct stats_order o = spec_order(&req->stats);
	struct svc_list list = { 0 };
	int err;

	err = fetch_services(ctx->nl, NULL, &list);
	if (err)
		return err;
	stats_sort(&list, &o);
	if (ctx->pr->json) {
		show_services(ctx->pr, &list, true);
	} else {
		stats_table_head(ctx->pr->f, &o, 0, false);
		stats_table_rows(ctx->pr->f, &list, stats_table_count(&list),
				 0, false);
	}
	svc_list_free(&list);
	return fflush(ctx->pr->f) ? -errno : 0;
}

static int run_watch(struct ctx *ctx, const struct request *req)
{
	struct stats_spec spec = req->stats;

	if (ctx->pr->json) {
		errmsg("\"stats watch\" prints no JSON: try \"-j stats show\"");
		return ST_USAGE;
	}
	if (!spec.has_sort) {
		spec.has_sort = true;
		spec.sort = STATS_DEFAULT_KEY;
	}
	if (!spec.interval)
		spec.interval = STATS_DEFAULT_INTERVAL;
	return stats_watch(ctx, &spec);
}

static const struct verb stats_verbs[] = {
	{ "show", parse_show, run_show, 0 },
	{ "watch", parse_watch, run_watch, 0 },
	{ .name = NULL }
};

const struct object stats_object = {
	.name = "stats",
	.verbs = stats_verbs,
	.default_verb = "show",
	.usage = stats_usage,
};
