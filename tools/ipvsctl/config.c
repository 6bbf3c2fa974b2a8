// SPDX-License-Identifier: GPL-2.0
/*
 * A configuration from the lines of a file, or from the kernel.
 *
 * A file for "ipvsctl apply" says what the namespace is to hold, in the
 * lines "ipvsctl save" prints: "service add" with the service's options,
 * "dest add" after its service, "timeout set" and "info set". What a line
 * leaves out takes its default, as "service add" and "dest add" would
 * give it, so that the result compares with what the kernel reports.
 * Other commands make no sense in a description and are refused.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "print.h"

static bool is(const struct request *req, const struct object *obj,
	       const char *verb)
{
	return req->obj == obj && req->verb && !strcmp(req->verb->name, verb);
}

/* What the options of a "service add" leave a service with. */
static void svc_defaults(struct svc_spec *s)
{
	struct sched_opts *o = &s->opts;

	if (!o->has_table_size)
		o->table_size = LVS_MH_TABLE_DEFAULT;
	if (!o->has_netmask)
		o->netmask = family_addr_len(s->vip.family) * 8;
	/* The others are off or 0 unless given, as parsed. */
	o->has_fallback = false;
	o->has_hash_port = false;
	o->has_one_packet = false;
	o->has_table_size = false;
	o->has_persist = false;
	o->has_netmask = false;
	o->has_persist_drained = false;
	s->force = false;
}

static int add_svc(struct svc_list *l, size_t *cap, const struct svc_spec *s)
{
	struct svc_info *si;

	if (l->n == *cap) {
		*cap = *cap ? 2 * *cap : 64;
		si = reallocarray(l->svcs, *cap, sizeof(*si));
		if (!si)
			return -ENOMEM;
		l->svcs = si;
	}
	si = &l->svcs[l->n++];
	memset(si, 0, sizeof(*si));
	si->spec = *s;
	svc_defaults(&si->spec);
	return 0;
}

/* The service of a "dest add": in a saved file, the one added last. */
static struct svc_info *find_svc(struct svc_list *l, const struct svc_spec *s)
{
	size_t i;

	if (l->n && !cmp_svc_key(&l->svcs[l->n - 1].spec, s))
		return &l->svcs[l->n - 1];
	for (i = 0; i < l->n; i++)
		if (!cmp_svc_key(&l->svcs[i].spec, s))
			return &l->svcs[i];
	return NULL;
}

/* A "dest add" to @si, the defaults of "dest add" filled in. */
static int add_dest(struct svc_info *si, const struct dest_spec *d)
{
	struct endpoint rip = d->rip;
	struct dest_info *di;
	size_t i;

	if (!rip.port)
		rip.port = si->spec.vip.port;
	for (i = 0; i < si->n_dests; i++)
		if (!cmp_endpoint(&si->dests[i].rip, &rip))
			return -EEXIST;
	di = reallocarray(si->dests, si->n_dests + 1, sizeof(*di));
	if (!di)
		return -ENOMEM;
	si->dests = di;
	di = &si->dests[si->n_dests++];
	memset(di, 0, sizeof(*di));
	di->rip = rip;
	if (d->has_fwd)
		di->fwd = d->fwd;
	else
		di->fwd = d->rip.family == si->spec.vip.family ? LVS_FWD_NAT :
			  LVS_FWD_TUN;
	di->weight = d->has_weight ? d->weight : 1;
	di->u_threshold = d->u_threshold;
	di->l_threshold = d->l_threshold;
	return 0;
}

/* The index of @proto's @state in @t, or t->n if it has none. */
size_t timeout_find(const struct timeout_list *t, uint8_t proto,
		    const char *state)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		if (t->e[i].protocol == proto && !strcmp(t->e[i].state, state))
			break;
	return i;
}

/* A "timeout set": each state once, the last value given. */
static int add_timeouts(struct timeout_list *t, const struct timeout_spec *ts)
{
	struct timeout_entry *e;
	size_t i, j;

	for (i = 0; i < ts->n; i++) {
		j = timeout_find(t, ts->e[i].protocol, ts->e[i].state);
		if (j == t->n) {
			e = reallocarray(t->e, t->n + 1, sizeof(*e));
			if (!e)
				return -ENOMEM;
			t->e = e;
			t->n++;
		}
		t->e[j] = ts->e[i];
	}
	return 0;
}

static int line_err(const char *name, const struct batch_line *line,
		    int err, const char *what)
{
	report_where(name, line->lineno);
	if (err == -ENOMEM)
		errmsg("out of memory");
	else
		usage_err("%s", what);
	report_where(NULL, 0);
	return err == -ENOMEM ? ST_ERROR : ST_USAGE;
}

int config_from_lines(const struct batch_line *lines, size_t n,
		      const char *name, struct config *c)
{
	const struct request *req;
	struct svc_info *si;
	size_t i, cap = 0;
	int err;

	memset(c, 0, sizeof(*c));
	for (i = 0; i < n; i++) {
		req = &lines[i].req;
		if (is(req, &service_object, "add")) {
			err = add_svc(&c->svcs, &cap, &req->svc);
		} else if (is(req, &dest_object, "add")) {
			si = find_svc(&c->svcs, &req->svc);
			if (!si)
				return line_err(name, &lines[i], 0,
						"the destination's service is not added before it");
			err = add_dest(si, &req->dest);
			if (err == -EEXIST)
				return line_err(name, &lines[i], err,
						"the destination is added twice");
		} else if (is(req, &timeout_object, "set")) {
			err = add_timeouts(&c->timeouts, req->timeouts);
		} else if (is(req, &info_object, "set")) {
			c->has_fast_path = true;
			c->fast_path = req->fast_path;
			err = 0;
		} else {
			return line_err(name, &lines[i], 0,
					"a configuration holds only \"service add\", \"dest add\", \"timeout set\" and \"info set\" lines");
		}
		if (err)
			return line_err(name, &lines[i], err, "");
	}
	svc_list_sort(&c->svcs);
	for (i = 1; i < c->svcs.n; i++)
		if (!cmp_svc_key(&c->svcs.svcs[i - 1].spec,
				 &c->svcs.svcs[i].spec)) {
			usage_err("%s: a service is added twice", name);
			return ST_USAGE;
		}
	return 0;
}

int config_read(FILE *f, const char *name, struct config *c)
{
	struct batch_line *lines = NULL;
	size_t n = 0;
	int status;

	memset(c, 0, sizeof(*c));
	status = batch_read(f, name, &lines, &n);
	if (!status)
		status = config_from_lines(lines, n, name, c);
	batch_free(lines, n);
	return status;
}

int config_fetch(struct lvs_nl *nl, struct config *c)
{
	struct lvs_info info;
	int err;

	memset(c, 0, sizeof(*c));
	/*
	 * The generation first: a change made while the rest is read makes
	 * a transaction computed from it fail, never pass unseen.
	 */
	err = fetch_info(nl, &info);
	if (!err && !info.has_generation)
		err = -EPROTO;
	if (err)
		return err;
	c->generation = info.generation;
	c->has_fast_path = true;
	c->fast_path = info.fast_path;
	return fetch_timeouts(nl, &c->timeouts) ?:
	       fetch_services_conf(nl, &c->svcs);
}

void config_free(struct config *c)
{
	svc_list_free(&c->svcs);
	free(c->timeouts.e);
	c->timeouts.e = NULL;
	c->timeouts.n = 0;
}
