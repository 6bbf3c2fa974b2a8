/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The stats object: services and their destinations as a table of their
 * rates and connections, sorted by one column. stats.c holds the object,
 * the sort keys and the order; table.c prints the table; watch.c keeps it
 * on a terminal, refreshed in place ("stats watch").
 */
#ifndef IPVSCTL_STATS_H
#define IPVSCTL_STATS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "show.h"

/* The columns a table sorts by, in the order they appear in it. */
enum stats_key {
	STATS_NAME,	/* the listing's order: service, then address */
	STATS_CPS,
	STATS_INPPS,
	STATS_OUTPPS,
	STATS_INBPS,
	STATS_OUTBPS,
	STATS_ACTIVE,
	STATS_INACTIVE,
	STATS_KEYS
};

#define STATS_DEFAULT_KEY STATS_INPPS
#define STATS_DEFAULT_INTERVAL 2	/* seconds: the kernel's estimator */
#define STATS_INTERVAL_MAX 3600

/* Numbers largest first, names in the listing's order; or the reverse. */
struct stats_order {
	enum stats_key key;
	bool reverse;
};

/* stats.c */
const char *stats_key_name(enum stats_key key);
/*
 * A service's value of a column (its connections are the sum of its
 * destinations'), a destination's; 0 for STATS_NAME.
 */
uint64_t stats_svc_value(const struct svc_info *s, enum stats_key key);
uint64_t stats_dest_value(const struct dest_info *d, enum stats_key key);
/* Services in that order, and each one's destinations. */
void stats_sort(struct svc_list *list, const struct stats_order *o);

/*
 * table.c: one line each, no wider than width (0: no limit), escape
 * sequences taking no width; on a terminal (tty) each ends by clearing
 * the rest of its line. stats_line() prints such a line of text.
 */
void stats_line(FILE *f, const char *s, unsigned int width, bool tty);
void stats_table_head(FILE *f, const struct stats_order *o,
		      unsigned int width, bool tty);
/*
 * The rows of list, services each followed by their destinations, at
 * most max_rows of them; returns the number printed.
 */
size_t stats_table_rows(FILE *f, const struct svc_list *list,
			size_t max_rows, unsigned int width, bool tty);
/* The rows of list: services and destinations. */
size_t stats_table_count(const struct svc_list *list);

/* watch.c: "stats watch": 0, a negative errno or an exit status (told). */
int stats_watch(struct ctx *ctx, const struct stats_spec *spec);

#endif /* IPVSCTL_STATS_H */
