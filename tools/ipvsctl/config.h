/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A whole configuration of a namespace: what "ipvsctl save" prints and
 * "ipvsctl apply" reads. config.c builds one from the lines of a file,
 * fetches the running one, and diff.c compares two.
 */
#ifndef IPVSCTL_CONFIG_H
#define IPVSCTL_CONFIG_H

#include <stdbool.h>
#include <stdio.h>

#include "conn.h"
#include "show.h"

struct config {
	struct timeout_list timeouts;	/* those set; all when fetched */
	bool has_fast_path;
	bool fast_path;
	struct svc_list svcs;		/* sorted as svc_list_sort() does */
	uint32_t generation;		/* fetched: the kernel's, read first */
};

/*
 * The configuration that the "service add", "dest add", "timeout set" and
 * "info set" lines of a file describe, the defaults filled in: 0, or
 * ST_USAGE after saying which line is wrong and why.
 */
int config_from_lines(const struct batch_line *lines, size_t n,
		      const char *name, struct config *c);
/* The same from the lines of @f, read whole (batch_read()). */
int config_read(FILE *f, const char *name, struct config *c);
/* The running configuration: 0 or a negative errno. */
int config_fetch(struct lvs_nl *nl, struct config *c);
void config_free(struct config *c);
size_t timeout_find(const struct timeout_list *t, uint8_t proto,
		    const char *state);

/*
 * An apply's plan: the requests that make one configuration into another,
 * as the lines of a batch file would parse into. Lines [0, drain) add
 * and change; with a drain, lines [drain, del) set the destinations that
 * go to weight 0; lines [del, n) delete.
 */
struct plan {
	struct batch_line *lines;
	size_t n;
	size_t cap;
	size_t drain;
	size_t del;
	size_t changes;		/* the changes: a timeout each, no drain */
	bool has_drain;
	uint32_t drain_secs;	/* how long apply waits between */
};

/*
 * diff.c: the plan that makes @cur into @want: 0 or a negative errno.
 * Additions and changes come first, so that traffic has somewhere to go
 * before what it leaves is deleted; timeouts and settings that @want
 * does not name stay as they are. With @drain (seconds), the
 * destinations that go are set to weight 0 before the deletions; those
 * lines are not counted as changes: they are a way to the same result.
 */
int config_diff(struct plan *plan, const struct config *cur,
		const struct config *want, const uint32_t *drain);
void plan_free(struct plan *plan);
/* plan.c: the plan as the commands of a batch file, one a line. */
void plan_print(FILE *f, const struct plan *plan);

#endif /* IPVSCTL_CONFIG_H */
