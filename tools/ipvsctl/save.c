// SPDX-License-Identifier: GPL-2.0
/*
 * ipvsctl save: the configuration of the network namespace as a batch
 * file, one command a line, that "ipvsctl -b FILE" reads back:
 *
 *   # ipvsctl 0.1 save: restore with "ipvsctl -b FILE"
 *   timeout set tcp NONE 2 SYN_RECV 60 ... CLOSE 10
 *   timeout set udp UDP 300
 *   info set fastpath off
 *   service add tcp 10.0.0.1:80 sched rr persistent 300
 *   dest add tcp 10.0.0.1:80 10.0.1.2:8080 nat weight 1
 *
 * Every timeout of every protocol is saved, defaults included: the
 * kernel knows the defaults, ipvsctl does not, and a file that says them
 * all gives the same timeouts whatever the namespace had before. The
 * fast path's switch is saved too, as a setting that ipvsctl makes.
 * Services and destinations are in the order "service list" prints them,
 * each destination after its service, and a service's options where they
 * differ from the defaults (and the table size of every mh service), so
 * that the same configuration saves to the same bytes. Counters,
 * connections and overload marks are state, not configuration: they are
 * left out, and so is anything of the module's parameters.
 *
 * The data comes from the fetch code of the listings (fetch.c, timeout.c);
 * the words from the printer of "service list" (show.c), in text mode
 * whatever -j asks.
 */
#include <errno.h>
#include <stdlib.h>

#include "conn.h"
#include "print.h"
#include "show.h"

static void save_usage(FILE *f)
{
	fputs("Usage: ipvsctl save\n"
	      "       ipvsctl save help\n"
	      "Print the timeouts, the fast path's setting, the services and their\n"
	      "destinations as commands, one a line, that \"ipvsctl -b FILE\" reads\n"
	      "back into a namespace without services.\n", f);
}

static int parse_save(struct request *req, struct args *a)
{
	return args_peek(a) ? extraarg(a) : 0;
}

/* A line of "timeout set" per protocol; entries come grouped by it. */
static void save_timeouts(struct printer *p, const struct timeout_list *t)
{
	const struct timeout_entry *e;
	char num[4];
	size_t i;

	for (i = 0; i < t->n; i++) {
		e = &t->e[i];
		if (!i || t->e[i - 1].protocol != e->protocol) {
			pr_text(p, "timeout set ");
			pr_text(p, proto_word(e->protocol, num, sizeof(num)));
		}
		pr_text(p, " ");
		pr_text(p, e->state);
		pr_uint(p, PR_TEXT, NULL, " %u", e->seconds);
		if (i + 1 == t->n || t->e[i + 1].protocol != e->protocol)
			pr_text(p, "\n");
	}
}

static void save_service(struct printer *p, const struct svc_info *s)
{
	size_t i;

	pr_text(p, "service add ");
	show_svc_conf(p, &s->spec, false);
	pr_text(p, "\n");
	for (i = 0; i < s->n_dests; i++) {
		pr_text(p, "dest add ");
		show_svc_key(p, &s->spec);
		pr_text(p, " ");
		show_dest_conf(p, &s->dests[i], false);
		pr_text(p, "\n");
	}
}

void save_print(FILE *f, const struct timeout_list *t,
		const struct lvs_info *info, const struct svc_list *l)
{
	struct printer p;
	size_t i;

	pr_init(&p, f, false, false);
	pr_text(&p, "# ipvsctl " IPVSCTL_VERSION
		" save: restore with \"ipvsctl -b FILE\"\n");
	save_timeouts(&p, t);
	pr_bool(&p, PR_TEXT, NULL, "info set fastpath %s\n", info->fast_path);
	for (i = 0; i < l->n; i++)
		save_service(&p, &l->svcs[i]);
}

static int run_save(struct ctx *ctx, const struct request *req)
{
	struct timeout_list t = { 0 };
	struct svc_list l = { 0 };
	struct lvs_info info;
	int err;

	err = fetch_timeouts(ctx->nl, &t);
	if (!err)
		err = fetch_info(ctx->nl, &info);
	if (!err)
		err = fetch_services_conf(ctx->nl, &l);
	if (!err) {
		save_print(ctx->pr->f, &t, &info, &l);
		err = fflush(ctx->pr->f) ? -errno : 0;
	}
	svc_list_free(&l);
	free(t.e);
	return err;
}

static const struct verb save_verb = { "save", parse_save, run_save, 0 };

const struct object save_object = {
	.name = "save",
	.usage = save_usage,
	.alone = &save_verb,
};
