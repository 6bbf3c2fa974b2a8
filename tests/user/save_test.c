// SPDX-License-Identifier: GPL-2.0
/*
 * Test of "ipvsctl save" without a kernel: a configuration with every
 * kind of service, option, destination and timeout is printed by
 * save_print() and compared exactly; then every line is split as a batch
 * file's and parsed back (cmd_parse), and the request must make the
 * object it was printed from. The same configuration given in another
 * order saves to the same bytes, and one without services to a header,
 * the timeouts and the fast path alone. What apply reads of the saved
 * text (config_from_lines()) is the configuration it was saved from:
 * every option, threshold and timeout kept, so the plan from one to the
 * other is empty. "save_test file" writes the
 * saved text for tests/user/run to read back with "ipvsctl -b".
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "check.h"
#include "config.h"
#include "conn.h"
#include "ipvsctl.h"
#include "show.h"

struct svc_fix {
	const char *key;	/* as the parser reads it */
	const char *sched;
	struct sched_opts opts;	/* has_* set: not the default */
};

struct dest_fix {
	size_t svc;		/* index in svc_fixes */
	const char *rip;
	uint8_t fwd;
	uint32_t weight;
	uint32_t upper;
	uint32_t lower;
};

static const struct svc_fix svc_fixes[] = {
	{ "udp [2001:db8::1]:53", "wrr",
	  { .has_one_packet = true, .one_packet = true } },
	{ "fwmark 7 family inet6", "rr",
	  { .has_persist = true, .persist = 3600,
	    .has_netmask = true, .netmask = 64,
	    .has_persist_drained = true, .persist_drained = true } },
	{ "sctp 10.0.0.1:3868", "rr", { 0 } },
	{ "tcp 10.0.0.3:0", "sh",
	  { .has_persist = true, .persist = 300,
	    .has_netmask = true, .netmask = 24 } },
	{ "tcp 10.0.0.2:80", "mh",
	  { .has_fallback = true, .fallback = true,
	    .has_hash_port = true, .hash_port = true,
	    .has_table_size = true, .table_size = 251 } },
	{ "fwmark 3", "wlc", { 0 } },
	{ "udp [2001:db8::1]:0", "rr", { 0 } },
	{ "tcp 10.0.0.1:80", "rr", { 0 } },
	{ "tcp 10.0.0.4:443", "mh", { 0 } },
};

static const struct dest_fix dest_fixes[] = {
	{ 7, "10.0.1.3:80", LVS_FWD_DR, 0, 0, 0 },
	{ 7, "10.0.1.2:8080", LVS_FWD_NAT, 1, 10, 5 },
	{ 7, "[2001:db8::2]:80", LVS_FWD_TUN, 65535, UINT32_MAX, 100 },
	{ 7, "10.0.1.4:80", LVS_FWD_NAT, 3, 7, 0 },
	{ 3, "10.0.1.5", LVS_FWD_NAT, 1, 0, 0 },
	{ 0, "192.168.1.2:53", LVS_FWD_TUN, 1, 0, 0 },
	{ 0, "[2001:db8::5]:53", LVS_FWD_DR, 2, 0, 0 },
	{ 2, "10.0.1.2:3868", LVS_FWD_NAT, 1, 0, 0 },
	{ 1, "[2001:db8::7]", LVS_FWD_DR, 1, 0, 0 },
	{ 5, "10.0.1.9", LVS_FWD_TUN, 2, 0, 0 },
};

static const struct timeout_entry timeout_fixes[] = {
	{ IPPROTO_TCP, "NONE", 2 },
	{ IPPROTO_TCP, "ESTABLISHED", 900 },
	{ IPPROTO_TCP, "TIME_WAIT", 30 },
	{ IPPROTO_UDP, "UDP", 300 },
	{ IPPROTO_SCTP, "INIT", 10 },
	{ IPPROTO_SCTP, "SHUTDOWN_ACK", 2592000 },
};

#define HEADER "# ipvsctl " IPVSCTL_VERSION \
	" save: restore with \"ipvsctl -b FILE\"\n"
#define SETTINGS \
	"timeout set tcp NONE 2 ESTABLISHED 900 TIME_WAIT 30\n" \
	"timeout set udp UDP 300\n" \
	"timeout set sctp INIT 10 SHUTDOWN_ACK 2592000\n" \
	"info set fastpath on\n"

static const char want[] = HEADER SETTINGS
	"service add tcp 10.0.0.1:80 sched rr\n"
	"dest add tcp 10.0.0.1:80 10.0.1.2:8080 nat weight 1 uthreshold 10 lthreshold 5\n"
	"dest add tcp 10.0.0.1:80 10.0.1.3:80 dr weight 0\n"
	"dest add tcp 10.0.0.1:80 10.0.1.4:80 nat weight 3 uthreshold 7\n"
	"dest add tcp 10.0.0.1:80 [2001:db8::2]:80 tun weight 65535 uthreshold 4294967295 lthreshold 100\n"
	"service add tcp 10.0.0.2:80 sched mh fallback on hash-port on table-size 251\n"
	"service add tcp 10.0.0.3:0 sched sh persistent 300 netmask 255.255.255.0\n"
	"dest add tcp 10.0.0.3:0 10.0.1.5 nat weight 1\n"
	"service add tcp 10.0.0.4:443 sched mh table-size 4093\n"
	"service add udp [2001:db8::1]:0 sched rr\n"
	"service add udp [2001:db8::1]:53 sched wrr one-packet on\n"
	"dest add udp [2001:db8::1]:53 192.168.1.2:53 tun weight 1\n"
	"dest add udp [2001:db8::1]:53 [2001:db8::5]:53 dr weight 2\n"
	"service add sctp 10.0.0.1:3868 sched rr\n"
	"dest add sctp 10.0.0.1:3868 10.0.1.2:3868 nat weight 1\n"
	"service add fwmark 3 sched wlc\n"
	"dest add fwmark 3 10.0.1.9 tun weight 2\n"
	"service add fwmark 7 family inet6 sched rr persistent 3600 netmask 64 persist-drained on\n"
	"dest add fwmark 7 family inet6 [2001:db8::7] dr weight 1\n";

static int split(char *s, char **argv, int max)
{
	char *save, *w;
	int n = 0;

	for (w = strtok_r(s, " \t", &save); w && w[0] != '#' && n < max;
	     w = strtok_r(NULL, " \t", &save))
		argv[n++] = w;
	return n;
}

/* The key of a fixture, as the parser makes it. */
static void parse_key(const char *key, struct svc_spec *spec)
{
	char buf[64], *argv[4];
	struct args a = { .argv = argv, .last = "key" };

	snprintf(buf, sizeof(buf), "%s", key);
	a.argc = split(buf, argv, 4);
	if (svc_key_parse(spec, &a) || a.argc)
		exit(2);
}

/*
 * The services as fetch.c leaves them: every option set, the defaults
 * where the fixture has none; has_* false. With reverse, the services
 * and the destinations of each come in the opposite order.
 */
static void build(struct svc_list *l, bool reverse)
{
	size_t ns = ARRAY_SIZE(svc_fixes), i, j, k;
	const struct svc_fix *f;
	struct sched_opts *o;
	struct dest_info *d;
	struct svc_info *s;
	char err[PARSE_ERR_MAX];

	l->n = ns;
	l->svcs = calloc(ns, sizeof(*l->svcs));
	if (!l->svcs)
		exit(2);
	for (i = 0; i < ns; i++) {
		f = &svc_fixes[reverse ? ns - 1 - i : i];
		s = &l->svcs[i];
		parse_key(f->key, &s->spec);
		snprintf(s->spec.sched, sizeof(s->spec.sched), "%s", f->sched);
		o = &s->spec.opts;
		o->fallback = f->opts.fallback;
		o->hash_port = f->opts.hash_port;
		o->one_packet = f->opts.one_packet;
		o->persist = f->opts.persist;
		o->persist_drained = f->opts.persist_drained;
		o->table_size = f->opts.has_table_size ? f->opts.table_size :
				LVS_MH_TABLE_DEFAULT;
		o->netmask = f->opts.has_netmask ? f->opts.netmask :
			     family_addr_len(s->spec.vip.family) * 8;

		for (j = 0; j < ARRAY_SIZE(dest_fixes); j++) {
			k = reverse ? ARRAY_SIZE(dest_fixes) - 1 - j : j;
			if (svc_fixes + dest_fixes[k].svc != f)
				continue;
			d = array_grow(s->dests, &s->n_dests, sizeof(*d));
			if (!d)
				exit(2);
			s->dests = d;
			d += s->n_dests - 1;
			if (parse_endpoint(dest_fixes[k].rip, true, &d->rip,
					   err))
				exit(2);
			d->fwd = dest_fixes[k].fwd;
			d->weight = dest_fixes[k].weight;
			d->u_threshold = dest_fixes[k].upper;
			d->l_threshold = dest_fixes[k].lower;
			d->active_conns = 5;	/* state: not saved */
			d->overloaded = true;
		}
	}
	svc_list_sort(l);
}

static char *render(const struct timeout_list *t, const struct lvs_info *in,
		    const struct svc_list *l)
{
	size_t len;
	char *buf;
	FILE *f;

	f = open_memstream(&buf, &len);
	if (!f)
		exit(2);
	save_print(f, t, in, l);
	fclose(f);
	return buf;
}

static bool same_key(const struct svc_spec *a, const struct svc_spec *b)
{
	return a->fwmark == b->fwmark && a->protocol == b->protocol &&
	       !cmp_endpoint(&a->vip, &b->vip);
}

/* What a "service add" request makes is what the service has. */
static bool same_svc(const struct svc_spec *req, const struct svc_spec *s)
{
	const struct sched_opts *r = &req->opts, *o = &s->opts;
	int family = s->vip.family;

	return same_key(req, s) && !strcmp(req->sched, s->sched) &&
	       (r->has_fallback && r->fallback) == o->fallback &&
	       (r->has_hash_port && r->hash_port) == o->hash_port &&
	       (r->has_one_packet && r->one_packet) == o->one_packet &&
	       (r->has_table_size ? r->table_size :
		LVS_MH_TABLE_DEFAULT) == o->table_size &&
	       (r->has_persist ? r->persist : 0) == o->persist &&
	       (r->has_persist_drained && r->persist_drained) ==
	       o->persist_drained &&
	       (r->has_netmask ? r->netmask :
		family_addr_len(family) * 8) == o->netmask;
}

/* The same for "dest add" and a destination. */
static bool same_dest(const struct dest_spec *r, const struct dest_info *d)
{
	return !cmp_endpoint(&r->rip, &d->rip) &&
	       (r->has_fwd ? r->fwd : LVS_FWD_NAT) == d->fwd &&
	       (r->has_weight ? r->weight : 1) == d->weight &&
	       (r->has_u_threshold ? r->u_threshold : 0) == d->u_threshold &&
	       (r->has_l_threshold ? r->l_threshold : 0) == d->l_threshold;
}

/* The n timeouts of t from *next on, a protocol's, are those of the line. */
static bool same_timeouts(const struct timeout_spec *r,
			  const struct timeout_list *t, size_t *next)
{
	size_t i;

	if (!r || *next + r->n > t->n)
		return false;
	for (i = 0; i < r->n; i++) {
		const struct timeout_entry *e = &t->e[*next + i];

		if (r->e[i].protocol != e->protocol ||
		    strcmp(r->e[i].state, e->state) ||
		    r->e[i].seconds != e->seconds)
			return false;
	}
	*next += r->n;
	return true;
}

static bool is(const struct request *req, const char *obj, const char *verb)
{
	return req->obj && req->verb && !strcmp(req->obj->name, obj) &&
	       !strcmp(req->verb->name, verb);
}

/*
 * The saved @text, read as apply reads a file, is the configuration it
 * was saved from: no change between the two.
 */
static void test_apply_reads(const char *text, const struct timeout_list *t,
			     const struct lvs_info *in,
			     const struct svc_list *l, const char *what)
{
	struct config saved = {
		.timeouts = *t,
		.has_fast_path = true,
		.fast_path = in->fast_path,
		.svcs = *l,
	}, read;
	struct plan pl = { 0 };
	int status;
	FILE *f;

	f = fmemopen((void *)text, strlen(text), "r");
	if (!f)
		exit(2);
	status = config_read(f, "saved", &read);
	fclose(f);
	if (!check(!status, "save: %s: apply reads it", what))
		return;
	status = config_diff(&pl, &saved, &read, NULL);
	check(!status && !pl.changes && !pl.n,
	      "save: %s: apply reads it as what was saved (%zu changes)",
	      what, pl.changes);
	if (pl.n)
		plan_print(stdout, &pl);
	plan_free(&pl);
	config_free(&read);
}

/*
 * Every line read back as a batch reads it: the requests, in order, make
 * the timeouts, the setting, each service and then its destinations.
 */
static void test_read_back(const char *text, const struct timeout_list *t,
			   const struct lvs_info *in, const struct svc_list *l,
			   const char *what)
{
	char *copy = strdup(text), *line, *save, *argv[64];
	size_t next_t = 0, si = 0, di = 0, dests = 0, bad = 0;
	const struct svc_info *s = NULL;
	struct request req;
	bool ok, fast = false;
	int argc;

	for (line = strtok_r(copy, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		argc = split(line, argv, 64);
		if (!argc)
			continue;
		if (cmd_parse(&req, argc, argv)) {
			bad++;
			continue;
		}
		if (is(&req, "timeout", "set")) {
			ok = same_timeouts(req.timeouts, t, &next_t);
		} else if (is(&req, "info", "set")) {
			ok = !fast && req.fast_path == in->fast_path;
			fast = true;
		} else if (is(&req, "service", "add")) {
			ok = si < l->n && same_svc(&req.svc, &l->svcs[si].spec);
			s = &l->svcs[si++];
			di = 0;
		} else if (is(&req, "dest", "add")) {
			ok = s && di < s->n_dests &&
			     same_key(&req.svc, &s->spec) &&
			     same_dest(&req.dest, &s->dests[di++]);
			dests++;
		} else {
			ok = false;
		}
		if (!ok) {
			printf("\tnot what it was saved from: %s ...\n", argv[0]);
			bad++;
		}
		cmd_free(&req);
	}
	for (s = l->svcs; s && s < l->svcs + l->n; s++)
		dests -= s->n_dests;
	check(!bad && next_t == t->n && fast && si == l->n && !dests,
	      "save: %s: every line reads back to what it was saved from",
	      what);
	free(copy);
}

int main(int argc, char **argv)
{
	struct timeout_list t = {
		.e = (struct timeout_entry *)timeout_fixes,
		.n = ARRAY_SIZE(timeout_fixes),
	};
	struct lvs_info in = { .fast_path = true, .conn_count = 9 };
	struct svc_list l = { 0 }, r = { 0 }, empty = { 0 };
	char *out, *again;

	build(&l, false);
	if (argc == 2 && !strcmp(argv[1], "file")) {
		out = render(&t, &in, &l);
		fputs(out, stdout);
		free(out);
		svc_list_free(&l);
		return 0;
	}

	out = render(&t, &in, &l);
	check_str(out, want, "save: every kind of service, option and dest");
	test_read_back(out, &t, &in, &l, "every kind");
	test_apply_reads(out, &t, &in, &l, "every kind");

	build(&r, true);
	again = render(&t, &in, &r);
	check_str(again, out, "save: another order saves the same bytes");
	free(again);
	free(out);

	in.fast_path = false;
	out = render(&t, &in, &empty);
	check_str(out, HEADER "timeout set tcp NONE 2 ESTABLISHED 900 TIME_WAIT 30\n"
		  "timeout set udp UDP 300\n"
		  "timeout set sctp INIT 10 SHUTDOWN_ACK 2592000\n"
		  "info set fastpath off\n",
		  "save: no services: header, timeouts and fast path only");
	test_read_back(out, &t, &in, &empty, "no services");
	test_apply_reads(out, &t, &in, &empty, "no services");
	free(out);

	svc_list_free(&l);
	svc_list_free(&r);
	return check_exit();
}
