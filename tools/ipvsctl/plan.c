// SPDX-License-Identifier: GPL-2.0
/*
 * A plan (diff.c) as text: each request as the command line that parses
 * into it, one a line, in the words "ipvsctl -b" reads. "apply --dry-run"
 * and "apply --confirm" print it; a plan with a drain has a comment
 * before its deletions that says how long apply waits.
 */
#include <string.h>

#include "config.h"
#include "print.h"

static void svc_print(struct printer *p, const struct request *req)
{
	const char *verb = req->verb->name;

	show_svc_key(p, &req->svc);
	/* diff.c marks the options each add or change names (has_ flags). */
	if (strcmp(verb, "del"))
		show_svc_opts(p, &req->svc, &req->svc.opts, false);
}

static void dest_print(struct printer *p, const struct request *req)
{
	const struct dest_spec *d = &req->dest;
	struct dest_info di = {
		.rip = d->rip,
		.fwd = d->fwd,
		.weight = d->weight,
		.u_threshold = d->u_threshold,
		.l_threshold = d->l_threshold,
	};

	show_svc_key(p, &req->svc);
	pr_text(p, " ");
	if (!strcmp(req->verb->name, "del"))
		pr_addr_port(p, &d->rip, false);
	else
		show_dest_conf(p, &di, !strcmp(req->verb->name, "change"));
}

/* "timeout set", each protocol named before its first state. */
static void timeouts_print(struct printer *p, const struct timeout_spec *t)
{
	const struct timeout_entry *e;
	int last = -1;
	char num[4];
	size_t i;

	for (i = 0; i < t->n; i++) {
		e = &t->e[i];
		if (e->protocol != last) {
			pr_text(p, " ");
			pr_text(p, proto_word(e->protocol, num, sizeof(num)));
			last = e->protocol;
		}
		pr_string(p, PR_TEXT, NULL, " %s", e->state);
		pr_uint(p, PR_TEXT, NULL, " %u", e->seconds);
	}
}

static void line_print(struct printer *p, const struct request *req)
{
	pr_text(p, req->obj->name);
	pr_text(p, " ");
	pr_text(p, req->verb->name);
	if (req->obj == &info_object) {
		pr_bool(p, PR_TEXT, NULL, " fastpath %s", req->fast_path);
	} else if (req->obj == &timeout_object) {
		timeouts_print(p, req->timeouts);
	} else {
		pr_text(p, " ");
		if (req->obj == &service_object)
			svc_print(p, req);
		else
			dest_print(p, req);
	}
	pr_text(p, "\n");
}

void plan_print(FILE *f, const struct plan *pl)
{
	struct printer p;
	size_t i;

	pr_init(&p, f, false, false);
	for (i = 0; i < pl->n; i++) {
		if (i == pl->del && pl->del > pl->drain)
			pr_uint(&p, PR_TEXT, NULL,
				"# then wait up to %u s for their active connections to end\n",
				pl->drain_secs);
		line_print(&p, &pl->lines[i].req);
	}
}
