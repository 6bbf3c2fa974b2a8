// SPDX-License-Identifier: GPL-2.0
/*
 * Test of "ipvsctl apply" without a kernel: configurations are read from
 * text as a file for apply is (config_from_lines()), and the commands
 * of the plan config_diff() builds to make one into the other, as
 * plan_print() prints them, are compared exactly: nothing for the same
 * configuration, however its lines leave defaults out; additions and
 * changes before deletions; a change says only what differs; timeouts
 * and the fast path only where they differ. Every line printed parses
 * into the request the plan holds, to the bytes of its netlink
 * attributes: what --dry-run shows is what apply sends. Files that do
 * not describe a configuration are refused.
 */
#include <stdlib.h>
#include <string.h>

#include <netlink/msg.h>

#include "check.h"
#include "config.h"
#include "ipvsctl.h"

/* The configuration of @text, or the status that refused it. */
static int cfg(const char *text, struct config *c)
{
	int status;
	FILE *f;

	memset(c, 0, sizeof(*c));
	f = fmemopen((void *)text, strlen(text), "r");
	if (!f)
		exit(2);
	status = config_read(f, "test", c);
	fclose(f);
	return status;
}

/* The attributes of @req as txn.c sends them, or NULL. */
static struct nl_msg *attrs(const struct request *req)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (!msg)
		exit(2);
	if (req->timeouts && timeouts_put(msg, req->timeouts))
		exit(2);
	if (!req->timeouts &&
	    (svc_put(msg, &req->svc) ||
	     dest_put(msg, &req->dest, req->svc.vip.family)))
		exit(2);
	return msg;
}

/* Do @a and @b send the same: the same verb, the same attributes? */
static bool same_req(const struct request *a, const struct request *b)
{
	struct nl_msg *x, *y;
	bool same;

	if (a->obj != b->obj || a->verb != b->verb ||
	    a->fast_path != b->fast_path)
		return false;
	x = attrs(a);
	y = attrs(b);
	same = nlmsg_hdr(x)->nlmsg_len == nlmsg_hdr(y)->nlmsg_len &&
	       !memcmp(nlmsg_hdr(x), nlmsg_hdr(y), nlmsg_hdr(x)->nlmsg_len);
	nlmsg_free(x);
	nlmsg_free(y);
	return same;
}

/* Every line of @text parses into the request of @pl in its place. */
static bool parses(const char *text, const struct plan *pl)
{
	char *copy = strdup(text), *line, *save, *w, *sv, *argv[64];
	struct request req;
	bool ok = true;
	size_t i = 0;
	int argc;

	for (line = strtok_r(copy, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		argc = 0;
		/* As a batch reads it: a word starting with # ends a line. */
		for (w = strtok_r(line, " ", &sv); w && w[0] != '#' &&
		     argc < 64; w = strtok_r(NULL, " ", &sv))
			argv[argc++] = w;
		if (!argc)
			continue;
		if (cmd_parse(&req, argc, argv) || i == pl->n ||
		    !same_req(&req, &pl->lines[i].req))
			ok = false;
		cmd_free(&req);
		i++;
	}
	free(copy);
	return ok && i == pl->n;
}

/*
 * The plan from @from to @to (with @drain, if not NULL) is @want, of
 * @count changes.
 */
static void plan_drain(const char *from, const char *to,
		       const uint32_t *drain, const char *want, size_t count,
		       const char *what)
{
	struct config a, b;
	struct plan pl;
	char *buf = NULL;
	size_t len;
	FILE *f;

	if (!check(!cfg(from, &a) && !cfg(to, &b), "diff: %s: read", what))
		return;
	if (!check(!config_diff(&pl, &a, &b, drain), "diff: %s: plan", what))
		return;
	f = open_memstream(&buf, &len);
	if (!f)
		exit(2);
	plan_print(f, &pl);
	fclose(f);
	check_str(buf, want, "diff: %s", what);
	check(pl.changes == count && parses(buf, &pl),
	      "diff: %s: %zu changes (want %zu), each line the request sent",
	      what, pl.changes, count);
	free(buf);
	plan_free(&pl);
	config_free(&a);
	config_free(&b);
}

static void plan(const char *from, const char *to, const char *want,
		 size_t count, const char *what)
{
	plan_drain(from, to, NULL, want, count, what);
}

static const char cur[] =
	"timeout set tcp ESTABLISHED 900 FIN_WAIT 120\n"
	"timeout set udp UDP 300\n"
	"info set fastpath off\n"
	"service add tcp 10.0.0.1:80 sched rr\n"
	"dest add tcp 10.0.0.1:80 10.0.1.2:80 nat weight 1\n"
	"dest add tcp 10.0.0.1:80 10.0.1.3:80 nat weight 1\n"
	"service add udp 10.0.0.1:53 sched wrr persistent 60\n"
	"dest add udp 10.0.0.1:53 10.0.1.2:53 dr weight 2\n"
	"service add fwmark 7 sched mh table-size 4093\n"
	"dest add fwmark 7 10.0.1.4 dr weight 1\n";

/* The same, in another order and with the defaults left out. */
static const char same[] =
	"service add fwmark 7 sched mh\n"
	"dest add fwmark 7 10.0.1.4 dr\n"
	"service add udp 10.0.0.1:53 persistent 60 sched wrr\n"
	"dest add udp 10.0.0.1:53 10.0.1.2 dr weight 2\n"
	"service add tcp 10.0.0.1:80 sched rr netmask 32\n"
	"dest add tcp 10.0.0.1:80 10.0.1.3\n"
	"dest add tcp 10.0.0.1:80 10.0.1.2:80\n"
	"timeout set udp UDP 300\n";

static const char changed[] =
	"timeout set tcp ESTABLISHED 900 FIN_WAIT 60\n"
	"info set fastpath on\n"
	"service add tcp 10.0.0.1:80 sched rr persist-drained on\n"
	"dest add tcp 10.0.0.1:80 10.0.1.2 weight 5\n"
	"dest add tcp 10.0.0.1:80 10.0.1.5\n"
	"service add tcp 10.0.0.2:443 sched wlc\n"
	"dest add tcp 10.0.0.2:443 [2001:db8::2] tun\n"
	"service add udp 10.0.0.1:53 sched sh persistent 60\n"
	"dest add udp 10.0.0.1:53 10.0.1.2:53 dr weight 2 uthreshold 100\n";

static const char changed_plan[] =
	"timeout set tcp FIN_WAIT 60\n"
	"info set fastpath on\n"
	"service change tcp 10.0.0.1:80 persist-drained on\n"
	"dest change tcp 10.0.0.1:80 10.0.1.2:80 nat weight 5 uthreshold 0 lthreshold 0\n"
	"dest add tcp 10.0.0.1:80 10.0.1.5:80 nat weight 1\n"
	"service add tcp 10.0.0.2:443 sched wlc\n"
	"dest add tcp 10.0.0.2:443 [2001:db8::2]:443 tun weight 1\n"
	"service change udp 10.0.0.1:53 sched sh\n"
	"dest change udp 10.0.0.1:53 10.0.1.2:53 dr weight 2 uthreshold 100 lthreshold 0\n"
	"dest del tcp 10.0.0.1:80 10.0.1.3:80\n"
	"service del fwmark 7\n";

/* The same with --drain 30: the server that goes is drained first. */
static const char drain_plan[] =
	"timeout set tcp FIN_WAIT 60\n"
	"info set fastpath on\n"
	"service change tcp 10.0.0.1:80 persist-drained on\n"
	"dest change tcp 10.0.0.1:80 10.0.1.2:80 nat weight 5 uthreshold 0 lthreshold 0\n"
	"dest add tcp 10.0.0.1:80 10.0.1.5:80 nat weight 1\n"
	"service add tcp 10.0.0.2:443 sched wlc\n"
	"dest add tcp 10.0.0.2:443 [2001:db8::2]:443 tun weight 1\n"
	"service change udp 10.0.0.1:53 sched sh\n"
	"dest change udp 10.0.0.1:53 10.0.1.2:53 dr weight 2 uthreshold 100 lthreshold 0\n"
	"dest change tcp 10.0.0.1:80 10.0.1.3:80 nat weight 0 uthreshold 0 lthreshold 0\n"
	"# then wait up to 30 s for their active connections to end\n"
	"dest del tcp 10.0.0.1:80 10.0.1.3:80\n"
	"service del fwmark 7\n";

static const char *const refused[][2] = {
	{ "dest add tcp 10.0.0.1:80 10.0.1.2\n", "a destination before its service" },
	{ "service add tcp 10.0.0.1:80 sched rr\nservice add tcp 10.0.0.1:80 sched wrr\n",
	  "a service twice" },
	{ "service add tcp 10.0.0.1:80 sched rr\ndest add tcp 10.0.0.1:80 10.0.1.2\n"
	  "dest add tcp 10.0.0.1:80 10.0.1.2:80 weight 2\n",
	  "a destination twice, once with its port left out" },
	{ "service del tcp 10.0.0.1:80\n", "a deletion" },
	{ "conn flush\n", "a connection flush" },
	{ "service add tcp 10.0.0.1:80 sched\n", "a malformed line" },
};

int main(void)
{
	struct config c;
	size_t i;

	plan(cur, cur, "", 0, "the same configuration: nothing");
	plan(cur, same, "", 0, "the same, defaults left out, another order");
	plan("", cur,
	     "timeout set tcp ESTABLISHED 900 FIN_WAIT 120 udp UDP 300\n"
	     "info set fastpath off\n"
	     "service add tcp 10.0.0.1:80 sched rr\n"
	     "dest add tcp 10.0.0.1:80 10.0.1.2:80 nat weight 1\n"
	     "dest add tcp 10.0.0.1:80 10.0.1.3:80 nat weight 1\n"
	     "service add udp 10.0.0.1:53 sched wrr persistent 60\n"
	     "dest add udp 10.0.0.1:53 10.0.1.2:53 dr weight 2\n"
	     "service add fwmark 7 sched mh table-size 4093\n"
	     "dest add fwmark 7 10.0.1.4 dr weight 1\n",
	     11, "from nothing: every object added");
	plan(cur, changed, changed_plan, 11,
	     "changes in place, additions first, deletions last");
	plan_drain(cur, changed, &(const uint32_t){ 30 }, drain_plan, 11,
		   "--drain: weight 0 for what goes, then the deletions");
	plan(cur, "", "service del tcp 10.0.0.1:80\n"
	     "service del udp 10.0.0.1:53\nservice del fwmark 7\n", 3,
	     "to nothing: services deleted, timeouts left alone");

	for (i = 0; i < ARRAY_SIZE(refused); i++) {
		check(cfg(refused[i][0], &c) == ST_USAGE,
		      "diff: refuses %s", refused[i][1]);
		config_free(&c);
	}
	return check_exit();
}
