// SPDX-License-Identifier: GPL-2.0
/*
 * The difference of two configurations, as the requests that make the
 * first into the second (a plan): what "ipvsctl apply" sends and, with
 * --dry-run, prints (plan.c). The requests are those the printed lines
 * parse into, so that what is shown is what is sent.
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
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

/* Building a plan: the verbs of its lines, and the first error. */
struct builder {
	struct plan *plan;
	const struct verb *svc_add, *svc_change, *svc_del;
	const struct verb *dest_add, *dest_change, *dest_del;
	const struct verb *timeout_set, *info_set;
	int err;
};

/* A new line of the plan, zeroed, or NULL (b->err set). */
static struct request *new_req(struct builder *b, const struct object *obj,
			       const struct verb *verb)
{
	struct plan *pl = b->plan;
	struct batch_line *l;
	struct request *req;

	if (b->err)
		return NULL;
	if (pl->n == pl->cap) {
		pl->cap = pl->cap ? 2 * pl->cap : 64;
		l = reallocarray(pl->lines, pl->cap, sizeof(*l));
		if (!l) {
			b->err = -ENOMEM;
			return NULL;
		}
		pl->lines = l;
	}
	l = &pl->lines[pl->n++];
	memset(l, 0, sizeof(*l));
	l->lineno = pl->n;
	req = &l->req;
	req->obj = obj;
	req->verb = verb;
	return req;
}

/* The key of @s alone, as "service del" or a destination's line has it. */
static void svc_key(struct svc_spec *dst, const struct svc_spec *s)
{
	memset(dst, 0, sizeof(*dst));
	dst->fwmark = s->fwmark;
	dst->protocol = s->protocol;
	dst->vip = s->vip;
}

/*
 * "service add" of @s: its options given where "service add" shows them
 * (they differ from the defaults; the table size of every mh service).
 */
static void svc_add(struct builder *b, const struct svc_spec *s)
{
	struct request *req = new_req(b, &service_object, b->svc_add);

	if (!req)
		return;
	req->svc = *s;
	req->svc.force = false;
	svc_opts_shown(s, &req->svc.opts);
}

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
static void svc_change(struct builder *b, const struct svc_spec *cur,
		       const struct svc_spec *want)
{
	struct request *req = new_req(b, &service_object, b->svc_change);
	const struct sched_opts *c = &cur->opts, *w = &want->opts;
	struct sched_opts *o;

	if (!req)
		return;
	svc_key(&req->svc, want);
	if (strcmp(cur->sched, want->sched))
		memcpy(req->svc.sched, want->sched, sizeof(req->svc.sched));
	o = &req->svc.opts;
	*o = *w;
	o->has_fallback = c->fallback != w->fallback;
	o->has_hash_port = c->hash_port != w->hash_port;
	o->has_table_size = c->table_size != w->table_size;
	o->has_persist = c->persist != w->persist;
	o->has_netmask = c->netmask != w->netmask;
	o->has_persist_drained = c->persist_drained != w->persist_drained;
	o->has_one_packet = c->one_packet != w->one_packet;
}

static void svc_del(struct builder *b, const struct svc_spec *s)
{
	struct request *req = new_req(b, &service_object, b->svc_del);

	if (req)
		svc_key(&req->svc, s);
}

static bool dest_same(const struct dest_info *a, const struct dest_info *b)
{
	return a->fwd == b->fwd && a->weight == b->weight &&
	       a->u_threshold == b->u_threshold &&
	       a->l_threshold == b->l_threshold;
}

/*
 * A line of @verb for destination @d of @s: "del" with the address
 * alone; "add" with the thresholds that are set, "change" with all.
 */
static void dest_line(struct builder *b, const struct verb *verb,
		      const struct svc_spec *s, const struct dest_info *d)
{
	struct request *req = new_req(b, &dest_object, verb);
	struct dest_spec *ds;
	bool all = verb == b->dest_change;

	if (!req)
		return;
	svc_key(&req->svc, s);
	ds = &req->dest;
	ds->rip = d->rip;
	if (verb == b->dest_del)
		return;
	ds->has_fwd = true;
	ds->fwd = d->fwd;
	ds->has_weight = true;
	ds->weight = d->weight;
	ds->has_u_threshold = all || d->u_threshold;
	ds->u_threshold = d->u_threshold;
	ds->has_l_threshold = all || d->l_threshold;
	ds->l_threshold = d->l_threshold;
}

/*
 * What a pass over the two configurations makes: additions and changes,
 * the weight 0 of destinations to be deleted (to drain them first), or
 * the deletions.
 */
enum pass {
	ADD_CHANGE,
	DRAIN,
	DEL,
};

/* "dest change" to weight 0, for a destination of @s that will go. */
static void drain_line(struct builder *b, const struct svc_spec *s,
		       const struct dest_info *d)
{
	struct dest_info zero = *d;

	if (!d->weight)
		return;
	zero.weight = 0;
	dest_line(b, b->dest_change, s, &zero);
}

/*
 * The destinations of @cur (NULL: a new service) into those of @want,
 * for the pass @pass.
 */
static void dests_diff(struct builder *b, const struct svc_info *cur,
		       const struct svc_info *want, enum pass pass)
{
	bool del = pass != ADD_CHANGE;
	size_t i = 0, j = 0, ncur = cur ? cur->n_dests : 0;
	int c;

	while (i < ncur || j < want->n_dests) {
		if (i == ncur)
			c = 1;
		else if (j == want->n_dests)
			c = -1;
		else
			c = cmp_dest(&cur->dests[i], &want->dests[j]);
		if (c < 0) {
			if (pass == DRAIN)
				drain_line(b, &want->spec, &cur->dests[i]);
			else if (pass == DEL)
				dest_line(b, b->dest_del, &want->spec,
					  &cur->dests[i]);
			i++;
			continue;
		}
		if (c > 0) {
			if (!del)
				dest_line(b, b->dest_add, &want->spec,
					  &want->dests[j]);
			j++;
			continue;
		}
		if (!del && !dest_same(&cur->dests[i], &want->dests[j]))
			dest_line(b, b->dest_change, &want->spec,
				  &want->dests[j]);
		i++;
		j++;
	}
}

/*
 * The services of @cur into those of @want, for the pass @pass. A
 * service that goes is not drained: deleted, it leaves its connections
 * to run out on their servers as a drained one would, and new clients
 * have nothing to go to either way.
 */
static void svcs_diff(struct builder *b, const struct svc_list *cur,
		      const struct svc_list *want, enum pass pass)
{
	bool del = pass != ADD_CHANGE;
	size_t i = 0, j = 0;
	int c;

	while (i < cur->n || j < want->n) {
		if (i == cur->n)
			c = 1;
		else if (j == want->n)
			c = -1;
		else
			c = cmp_svc(&cur->svcs[i], &want->svcs[j]);
		if (c < 0) {
			if (pass == DEL)
				svc_del(b, &cur->svcs[i].spec);
			i++;
		} else if (c > 0) {
			if (!del) {
				svc_add(b, &want->svcs[j].spec);
				dests_diff(b, NULL, &want->svcs[j],
					   ADD_CHANGE);
			}
			j++;
		} else {
			if (!del && !svc_same(&cur->svcs[i].spec,
					      &want->svcs[j].spec))
				svc_change(b, &cur->svcs[i].spec,
					   &want->svcs[j].spec);
			dests_diff(b, &cur->svcs[i], &want->svcs[j], pass);
			i++;
			j++;
		}
	}
}

/*
 * The timeouts @want sets that @cur has otherwise, in one "timeout set":
 * how many, each a change.
 */
static size_t timeouts_diff(struct builder *b, const struct timeout_list *cur,
			    const struct timeout_list *want)
{
	const struct timeout_entry *w;
	struct timeout_spec *ts;
	struct request *req;
	size_t i, k;

	ts = calloc(1, sizeof(*ts));
	if (!ts) {
		b->err = -ENOMEM;
		return 0;
	}
	for (i = 0; i < want->n; i++) {
		w = &want->e[i];
		k = timeout_find(cur, w->protocol, w->state);
		if (k < cur->n && cur->e[k].seconds == w->seconds)
			continue;
		if (ts->n == TIMEOUTS_MAX) {
			b->err = -E2BIG;
			break;
		}
		ts->e[ts->n++] = *w;
	}
	req = ts->n ? new_req(b, &timeout_object, b->timeout_set) : NULL;
	if (!req) {
		free(ts);
		return 0;
	}
	req->timeouts = ts;
	return ts->n;
}

int config_diff(struct plan *pl, const struct config *cur,
		const struct config *want, const uint32_t *drain)
{
	struct builder b = {
		.plan = pl,
		.svc_add = cmd_find_verb(&service_object, "add"),
		.svc_change = cmd_find_verb(&service_object, "change"),
		.svc_del = cmd_find_verb(&service_object, "del"),
		.dest_add = cmd_find_verb(&dest_object, "add"),
		.dest_change = cmd_find_verb(&dest_object, "change"),
		.dest_del = cmd_find_verb(&dest_object, "del"),
		.timeout_set = cmd_find_verb(&timeout_object, "set"),
		.info_set = cmd_find_verb(&info_object, "set"),
	};
	struct request *req;
	size_t timeouts;

	memset(pl, 0, sizeof(*pl));
	timeouts = timeouts_diff(&b, &cur->timeouts, &want->timeouts);
	if (want->has_fast_path &&
	    (!cur->has_fast_path || cur->fast_path != want->fast_path)) {
		req = new_req(&b, &info_object, b.info_set);
		if (req)
			req->fast_path = want->fast_path;
	}
	svcs_diff(&b, &cur->svcs, &want->svcs, ADD_CHANGE);
	pl->drain = pl->n;
	if (drain) {
		pl->has_drain = true;
		pl->drain_secs = *drain;
		svcs_diff(&b, &cur->svcs, &want->svcs, DRAIN);
	}
	pl->del = pl->n;
	svcs_diff(&b, &cur->svcs, &want->svcs, DEL);
	/* A "timeout set" is a change per timeout; a drain's lines none. */
	pl->changes = pl->n - (pl->del - pl->drain) + timeouts -
		      (timeouts ? 1 : 0);
	if (b.err) {
		plan_free(pl);
		return b.err;
	}
	return 0;
}

void plan_free(struct plan *pl)
{
	batch_free(pl->lines, pl->n);
	memset(pl, 0, sizeof(*pl));
}
