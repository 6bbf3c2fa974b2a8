// SPDX-License-Identifier: GPL-2.0
/*
 * The difference of two configurations, as the commands that make the
 * first into the second: what "ipvsctl apply" sends and, with --dry-run,
 * prints.
 *
 * Both service lists are sorted the same way (svc_list_sort()), as are
 * the destinations of each, so one walk of each pair finds what is only
 * in one and what is in both. A service or destination in both is
 * changed in place, and only in what differs: its connections, counters
 * and scheduler state stay (the kernel rebuilds a scheduler's state only
 * when its destinations or weights change). Additions and changes come
 * first, deletions last, so that new servers take traffic before old
 * ones leave.
 */
#include <arpa/inet.h>
#include <string.h>

#include "config.h"
#include "print.h"

/* The options of a service that "service change" can set. */
static bool svc_same(const struct svc_spec *a, const struct svc_spec *b)
{
	const struct sched_opts *x = &a->opts, *y = &b->opts;

	return !strcmp(a->sched, b->sched) && x->fallback == y->fallback &&
	       x->hash_port == y->hash_port &&
	       x->table_size == y->table_size && x->persist == y->persist &&
	       x->netmask == y->netmask &&
	       x->persist_drained == y->persist_drained &&
	       x->one_packet == y->one_packet;
}

/* "service change", with the options of @want that @cur lacks. */
static void svc_change(struct printer *p, const struct svc_spec *cur,
		       const struct svc_spec *want)
{
	const struct sched_opts *c = &cur->opts, *w = &want->opts;
	char mask[INET6_ADDRSTRLEN];

	pr_text(p, "service change ");
	show_svc_key(p, want);
	if (strcmp(cur->sched, want->sched))
		pr_string(p, PR_TEXT, NULL, " sched %s", want->sched);
	if (c->fallback != w->fallback)
		pr_bool(p, PR_TEXT, NULL, " fallback %s", w->fallback);
	if (c->hash_port != w->hash_port)
		pr_bool(p, PR_TEXT, NULL, " hash-port %s", w->hash_port);
	if (c->table_size != w->table_size)
		pr_uint(p, PR_TEXT, NULL, " table-size %u", w->table_size);
	if (c->persist != w->persist)
		pr_uint(p, PR_TEXT, NULL, " persistent %u", w->persist);
	if (c->netmask != w->netmask) {
		format_netmask(want->vip.family, w->netmask, mask,
			       sizeof(mask));
		pr_string(p, PR_TEXT, NULL, " netmask %s", mask);
	}
	if (c->persist_drained != w->persist_drained)
		pr_bool(p, PR_TEXT, NULL, " persist-drained %s",
			w->persist_drained);
	if (c->one_packet != w->one_packet)
		pr_bool(p, PR_TEXT, NULL, " one-packet %s", w->one_packet);
	pr_text(p, "\n");
}

static bool dest_same(const struct dest_info *a, const struct dest_info *b)
{
	return a->fwd == b->fwd && a->weight == b->weight &&
	       a->u_threshold == b->u_threshold &&
	       a->l_threshold == b->l_threshold;
}

/* "dest VERB SERVICE", then @d's address and, with @conf, its settings. */
static void dest_line(struct printer *p, const char *verb,
		      const struct svc_spec *s, const struct dest_info *d,
		      bool conf)
{
	pr_text(p, "dest ");
	pr_text(p, verb);
	pr_text(p, " ");
	show_svc_key(p, s);
	pr_text(p, " ");
	if (conf)
		show_dest_conf(p, d, !strcmp(verb, "change"));
	else
		pr_addr_port(p, &d->rip, false);
	pr_text(p, "\n");
}

/*
 * What a pass over the two configurations prints: additions and changes,
 * the weight 0 of destinations to be deleted (to drain them first), or
 * the deletions.
 */
enum pass {
	ADD_CHANGE,
	DRAIN,
	DEL,
};

/* "dest change" to weight 0, for a destination of @s that will go. */
static size_t drain_line(struct printer *p, const struct svc_spec *s,
			 const struct dest_info *d)
{
	struct dest_info zero = *d;

	if (!d->weight)
		return 0;
	zero.weight = 0;
	dest_line(p, "change", s, &zero, true);
	return 1;
}

/*
 * The destinations of @cur (NULL: a new service) into those of @want,
 * for the pass @pass.
 */
static size_t dests_diff(struct printer *p, const struct svc_info *cur,
			 const struct svc_info *want, enum pass pass)
{
	bool del = pass != ADD_CHANGE;
	size_t i = 0, j = 0, n = 0, ncur = cur ? cur->n_dests : 0;
	int c;

	while (i < ncur || j < want->n_dests) {
		if (i == ncur)
			c = 1;
		else if (j == want->n_dests)
			c = -1;
		else
			c = cmp_dest(&cur->dests[i], &want->dests[j]);
		if (c < 0) {
			if (pass == DRAIN) {
				n += drain_line(p, &want->spec, &cur->dests[i]);
			} else if (pass == DEL) {
				dest_line(p, "del", &want->spec,
					  &cur->dests[i], false);
				n++;
			}
			i++;
			continue;
		}
		if (c > 0) {
			if (!del) {
				dest_line(p, "add", &want->spec,
					  &want->dests[j], true);
				n++;
			}
			j++;
			continue;
		}
		if (!del && !dest_same(&cur->dests[i], &want->dests[j])) {
			dest_line(p, "change", &want->spec, &want->dests[j],
				  true);
			n++;
		}
		i++;
		j++;
	}
	return n;
}

/*
 * The services of @cur into those of @want, for the pass @pass. A
 * service that goes is not drained: deleted, it leaves its connections
 * to run out on their servers as a drained one would, and new clients
 * have nothing to go to either way.
 */
static size_t svcs_diff(struct printer *p, const struct svc_list *cur,
			const struct svc_list *want, enum pass pass)
{
	bool del = pass != ADD_CHANGE;
	size_t i = 0, j = 0, n = 0;
	int c;

	while (i < cur->n || j < want->n) {
		if (i == cur->n)
			c = 1;
		else if (j == want->n)
			c = -1;
		else
			c = cmp_svc(&cur->svcs[i], &want->svcs[j]);
		if (c < 0) {
			if (pass == DEL) {
				pr_text(p, "service del ");
				show_svc_key(p, &cur->svcs[i].spec);
				pr_text(p, "\n");
				n++;
			}
			i++;
		} else if (c > 0) {
			if (!del) {
				pr_text(p, "service add ");
				show_svc_conf(p, &want->svcs[j].spec, false);
				pr_text(p, "\n");
				n += 1 + dests_diff(p, NULL, &want->svcs[j],
						    ADD_CHANGE);
			}
			j++;
		} else {
			if (!del && !svc_same(&cur->svcs[i].spec,
					      &want->svcs[j].spec)) {
				svc_change(p, &cur->svcs[i].spec,
					   &want->svcs[j].spec);
				n++;
			}
			n += dests_diff(p, &cur->svcs[i], &want->svcs[j],
					pass);
			i++;
			j++;
		}
	}
	return n;
}

/* The timeouts @want sets that @cur has otherwise, on one line. */
static size_t timeouts_diff(struct printer *p, const struct timeout_list *cur,
			    const struct timeout_list *want)
{
	const struct timeout_entry *w;
	int last = -1;
	size_t i, k, n = 0;
	char num[4];

	for (i = 0; i < want->n; i++) {
		w = &want->e[i];
		k = timeout_find(cur, w->protocol, w->state);
		if (k < cur->n && cur->e[k].seconds == w->seconds)
			continue;
		if (!n)
			pr_text(p, "timeout set");
		if (w->protocol != last) {
			pr_text(p, " ");
			pr_text(p, proto_word(w->protocol, num, sizeof(num)));
			last = w->protocol;
		}
		pr_string(p, PR_TEXT, NULL, " %s", w->state);
		pr_uint(p, PR_TEXT, NULL, " %u", w->seconds);
		n++;
	}
	if (n)
		pr_text(p, "\n");
	return n;
}

size_t config_diff(FILE *f, const struct config *cur,
		   const struct config *want, const uint32_t *drain)
{
	struct printer p;
	size_t n;

	pr_init(&p, f, false, false);
	n = timeouts_diff(&p, &cur->timeouts, &want->timeouts);
	if (want->has_fast_path &&
	    (!cur->has_fast_path || cur->fast_path != want->fast_path)) {
		pr_bool(&p, PR_TEXT, NULL, "info set fastpath %s\n",
			want->fast_path);
		n++;
	}
	n += svcs_diff(&p, &cur->svcs, &want->svcs, ADD_CHANGE);
	if (drain && svcs_diff(&p, &cur->svcs, &want->svcs, DRAIN))
		pr_uint(&p, PR_TEXT, NULL,
			"# then wait up to %u s for their active connections to end\n",
			*drain);
	n += svcs_diff(&p, &cur->svcs, &want->svcs, DEL);
	return n;
}
