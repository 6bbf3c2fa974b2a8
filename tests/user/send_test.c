// SPDX-License-Identifier: GPL-2.0
/*
 * Test of what each command that changes something sends, and of how a
 * refusal is reported, without a kernel. This file defines every function
 * of tools/ipvsctl/nl.c, so the linker takes these and never nl.o from
 * libipvsctl.a: lvs_nl_exec() here records the request and answers with
 * the errno and extended ACK message the test chose.
 *
 * Command lines are parsed and run as main() runs them, and batch files
 * as -b does. Checked: the generic netlink command, that it is no dump,
 * the attributes of each nest in order (their bytes are req_test's), the
 * status, and for a refusal the message "ipvsctl: OBJECT VERB: REASON".
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include "check.h"
#include "ipvsctl.h"
#include "nl.h"
#include "print.h"

#define FAKE_FAMILY 0x1234
#define MAX_ATTRS 12
#define MAX_SENT 8

struct lvs_nl {
	char why[256];
};

/* One request as lvs_nl_exec() got it; type lists end with 0. */
struct sent {
	uint8_t cmd;
	bool dump;
	int svc[MAX_ATTRS];
	int dest[MAX_ATTRS];
	int dests;		/* entries of LVS_ATTR_DESTS, -1 without */
};

static struct lvs_nl fake_nl;
static struct sent sent[MAX_SENT];
static int n_sent;
static int answer_err;		/* what lvs_nl_exec() returns */
static const char *answer_why;	/* and the reason it gives, or NULL */
static unsigned int answer_only;	/* if not 0: to requests 1 << n only */

int lvs_nl_open_family(struct lvs_nl **nlp, const char *name)
{
	*nlp = &fake_nl;
	return ST_OK;
}

int lvs_nl_open(struct lvs_nl **nlp)
{
	return lvs_nl_open_family(nlp, LVS_GENL_NAME);
}

void lvs_nl_close(struct lvs_nl *nl)
{
}

struct nl_msg *lvs_nl_msg(struct lvs_nl *nl, uint8_t cmd, int flags)
{
	return lvs_nl_msg_size(nl, cmd, flags, 0);
}

struct nl_msg *lvs_nl_msg_size(struct lvs_nl *nl, uint8_t cmd, int flags,
			       size_t size)
{
	struct nl_msg *msg = size ? nlmsg_alloc_size(size + 4096) :
				    nlmsg_alloc();

	if (msg && !genlmsg_put(msg, 0, 0, FAKE_FAMILY, 0, flags, cmd,
				LVS_GENL_VERSION)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

/* The attribute types of a nest, ending with 0; { -1 } without one. */
static void record_types(struct nlattr *nest, int *types)
{
	struct nlattr *a;
	int rem, i = 0;

	if (!nest) {
		types[0] = -1;
		return;
	}
	nla_for_each_nested(a, nest, rem)
		if (i < MAX_ATTRS - 1)
			types[i++] = nla_type(a);
	types[i] = 0;
}

/* The entries of a nest of nests of LVS_ATTR_DEST, or -1 without one. */
static int count_nested(struct nlattr *nest)
{
	struct nlattr *a;
	int rem, n = 0;

	if (!nest)
		return -1;
	nla_for_each_nested(a, nest, rem)
		n += nla_type(a) == LVS_ATTR_DEST ? 1 : 1000;
	return n;
}

int lvs_nl_exec(struct lvs_nl *nl, struct nl_msg *msg, lvs_nl_reply_fn reply,
		void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct genlmsghdr *g = nlmsg_data(nlh);
	struct nlattr *tb[LVS_ATTR_MAX + 1];
	struct sent *s;

	if (n_sent < MAX_SENT &&
	    !genlmsg_parse(nlh, 0, tb, LVS_ATTR_MAX, NULL)) {
		s = &sent[n_sent++];
		s->cmd = g->cmd;
		s->dump = nlh->nlmsg_flags & NLM_F_DUMP;
		record_types(tb[LVS_ATTR_SERVICE], s->svc);
		record_types(tb[LVS_ATTR_DEST], s->dest);
		s->dests = count_nested(tb[LVS_ATTR_DESTS]);
	}
	nlmsg_free(msg);
	if (answer_only && !(answer_only & 1u << (n_sent - 1)))
		return 0;
	snprintf(nl->why, sizeof(nl->why), "%s", answer_why ? answer_why : "");
	return answer_err;
}

/* Only the monitor, which sends nothing, wants the socket. */
struct nl_sock *lvs_nl_sock(struct lvs_nl *nl)
{
	return NULL;
}

const char *lvs_nl_why(const struct lvs_nl *nl)
{
	return nl->why[0] ? nl->why : NULL;
}

int lvs_nl_ext_ack_msg(const struct nlmsghdr *nlh, char *buf, size_t size)
{
	return -1;
}

/* stderr into a temporary file, and back: what was written, to free(). */
static int saved_fd = -1;
static FILE *err_file;

static void stderr_capture(void)
{
	fflush(stderr);
	saved_fd = dup(STDERR_FILENO);
	err_file = tmpfile();
	if (saved_fd < 0 || !err_file ||
	    dup2(fileno(err_file), STDERR_FILENO) < 0)
		exit(2);
}

static char *stderr_release(void)
{
	char *buf;
	long len;

	fflush(stderr);
	dup2(saved_fd, STDERR_FILENO);
	close(saved_fd);
	len = ftell(err_file);
	buf = calloc(1, (size_t)(len > 0 ? len : 0) + 1);
	rewind(err_file);
	if (!buf || (len > 0 && fread(buf, 1, (size_t)len, err_file) !=
				(size_t)len))
		exit(2);
	fclose(err_file);
	return buf;
}

/* Run one command line as main() does, stderr captured. */
static int run_line(const char *line, char **err)
{
	char *copy = strdup(line), *argv[24], *save, *w;
	struct ctx ctx = { .nl = &fake_nl };
	struct printer pr;
	struct request req;
	int argc = 0, status;

	pr_init(&pr, stdout, false, false);
	ctx.pr = &pr;
	for (w = strtok_r(copy, " ", &save); w && argc < 24;
	     w = strtok_r(NULL, " ", &save))
		argv[argc++] = w;
	stderr_capture();
	status = cmd_parse(&req, argc, argv);
	if (!status)
		status = cmd_run(&ctx, &req);
	*err = stderr_release();
	free(copy);
	return status;
}

/* got is key and then want, or no nest when want is { -1 }. */
static bool same_types(const int *got, const int *key, const int *want)
{
	int i;

	if (want[0] < 0 || got[0] < 0)
		return want[0] == got[0];
	for (; *key; key++, got++)
		if (*got != *key)
			return false;
	for (i = 0; want[i] || got[i]; i++)
		if (got[i] != want[i])
			return false;
	return true;
}

static void print_types(const char *what, const int *types)
{
	int i;

	printf("\t%s:", what);
	for (i = 0; types[i] > 0; i++)
		printf(" %d", types[i]);
	printf("%s\n", types[0] < 0 ? " no nest" : "");
}

/* Every service nest starts with the key, every dest nest with these. */
static const int svc_key[] = { LVS_SVC_ATTR_FAMILY, LVS_SVC_ATTR_PROTOCOL,
			       LVS_SVC_ATTR_ADDR, LVS_SVC_ATTR_PORT, 0 };
static const int dest_key[] = { LVS_DEST_ATTR_ADDR, LVS_DEST_ATTR_PORT, 0 };

/* The attributes after the key; a dest list of { -1 } means no nest. */
struct send_case {
	const char *line;
	uint8_t cmd;
	int svc[MAX_ATTRS];
	int dest[MAX_ATTRS];
};

#define NO_NEST { -1 }

static const struct send_case cases[] = {
	{ "service add tcp 10.0.0.1:80 sched rr", LVS_CMD_SERVICE_NEW,
	  { LVS_SVC_ATTR_SCHED_NAME }, NO_NEST },
	{ "service add udp 10.0.0.1:53 hash-port off sched mh table-size 251 fallback on",
	  LVS_CMD_SERVICE_NEW,
	  { LVS_SVC_ATTR_SCHED_NAME, LVS_SVC_ATTR_SCHED_FALLBACK,
	    LVS_SVC_ATTR_SCHED_HASH_PORT, LVS_SVC_ATTR_MH_TABLE_SIZE },
	  NO_NEST },
	{ "service change tcp 10.0.0.1:80 sched wlc", LVS_CMD_SERVICE_SET,
	  { LVS_SVC_ATTR_SCHED_NAME }, NO_NEST },
	{ "service change tcp 10.0.0.1:80 fallback off", LVS_CMD_SERVICE_SET,
	  { LVS_SVC_ATTR_SCHED_FALLBACK }, NO_NEST },
	{ "service change udp [2001:db8::1]:53 table-size 65537 hash-port on",
	  LVS_CMD_SERVICE_SET,
	  { LVS_SVC_ATTR_SCHED_HASH_PORT, LVS_SVC_ATTR_MH_TABLE_SIZE },
	  NO_NEST },
	{ "service del tcp 10.0.0.1:80", LVS_CMD_SERVICE_DEL, { 0 }, NO_NEST },
	{ "service del tcp 10.0.0.1:80 force", LVS_CMD_SERVICE_DEL,
	  { LVS_SVC_ATTR_FORCE }, NO_NEST },
	{ "dest add tcp 10.0.0.1:80 10.0.1.2", LVS_CMD_DEST_NEW, { 0 },
	  { 0 } },
	{ "dest add tcp 10.0.0.1:80 10.0.1.2 lthreshold 75 nat uthreshold 100",
	  LVS_CMD_DEST_NEW, { 0 },
	  { LVS_DEST_ATTR_FWD_METHOD, LVS_DEST_ATTR_U_THRESHOLD,
	    LVS_DEST_ATTR_L_THRESHOLD } },
	{ "dest change tcp 10.0.0.1:80 10.0.1.2 weight 0", LVS_CMD_DEST_SET,
	  { 0 }, { LVS_DEST_ATTR_WEIGHT } },
	{ "dest change udp 10.0.0.1:53 10.0.1.2:5353 uthreshold 0",
	  LVS_CMD_DEST_SET, { 0 }, { LVS_DEST_ATTR_U_THRESHOLD } },
	{ "dest change tcp 10.0.0.1:80 10.0.1.2 lthreshold 3 weight 2 uthreshold 4",
	  LVS_CMD_DEST_SET, { 0 },
	  { LVS_DEST_ATTR_WEIGHT, LVS_DEST_ATTR_U_THRESHOLD,
	    LVS_DEST_ATTR_L_THRESHOLD } },
	{ "dest del tcp 10.0.0.1:80 10.0.1.2", LVS_CMD_DEST_DEL, { 0 },
	  { 0 } },
};

static void test_case(const struct send_case *c)
{
	const struct sent *s = &sent[0];
	int status;
	char *err;
	bool ok;

	n_sent = 0;
	answer_err = 0;
	answer_why = NULL;
	status = run_line(c->line, &err);
	ok = status == ST_OK && !err[0] && n_sent == 1 && s->cmd == c->cmd &&
	     !s->dump && same_types(s->svc, svc_key, c->svc) &&
	     same_types(s->dest, dest_key, c->dest);
	if (!check(ok, "send: %s", c->line)) {
		printf("\tstatus %d, %d sent, command %d (want %d)%s, %s\n",
		       status, n_sent, n_sent ? s->cmd : -1, c->cmd,
		       n_sent && s->dump ? ", a dump" : "", err);
		if (n_sent) {
			print_types("service", s->svc);
			print_types("dest", s->dest);
		}
	}
	free(err);
}

/* The kernel's reason, or the errno's words without one: status 1. */
static void test_refusals(void)
{
	static const struct {
		const char *line;
		int err;
		const char *why;
		const char *msg;
	} r[] = {
		{ "service change tcp 10.0.0.1:80 sched nosuch", -ENOENT,
		  "Unknown scheduler",
		  "ipvsctl: service change: Unknown scheduler\n" },
		{ "service change tcp 10.0.0.9:80 fallback on", -ENOENT, NULL,
		  "ipvsctl: service change: No such file or directory\n" },
		{ "dest change tcp 10.0.0.1:80 10.0.1.2 lthreshold 9", -EINVAL,
		  "Lower threshold must not exceed the upper threshold",
		  "ipvsctl: dest change: Lower threshold must not exceed the upper threshold\n" },
		{ "dest add tcp 10.0.0.1:80 10.0.1.2 uthreshold 5", -EEXIST,
		  NULL, "ipvsctl: dest add: File exists\n" },
	};
	char got[512], want[512], *err;
	size_t i;
	int status;

	for (i = 0; i < ARRAY_SIZE(r); i++) {
		n_sent = 0;
		answer_err = r[i].err;
		answer_why = r[i].why;
		status = run_line(r[i].line, &err);
		snprintf(got, sizeof(got), "status %d, %d sent: %s", status,
			 n_sent, err);
		snprintf(want, sizeof(want), "status 1, 1 sent: %s", r[i].msg);
		check_str(got, want, "refused: %s", r[i].line);
		free(err);
	}
}

static char *write_file(const char *text)
{
	char *path = strdup("/tmp/send_test.XXXXXX");
	FILE *f;
	int fd;

	fd = mkstemp(path);
	f = fd < 0 ? NULL : fdopen(fd, "w");
	if (!f || fputs(text, f) < 0 || fclose(f))
		exit(2);
	return path;
}

/* Run batch file path as -b does, stderr captured into *err. */
static int run_batch(const char *path, char **err)
{
	struct ctx ctx = { 0 };
	struct printer pr;
	int status;

	pr_init(&pr, stdout, false, false);
	ctx.pr = &pr;
	stderr_capture();
	status = batch(&ctx, path, false);
	*err = stderr_release();
	return status;
}

/* -b: the new verbs parse in a batch and run in order. */
static void test_batch(void)
{
	char *path, *err, want[512];
	int status;

	path = write_file("service change tcp 10.0.0.1:80 sched rr fallback off\n"
			  "dest change tcp 10.0.0.1:80 10.0.1.2 weight 3 # drain less\n"
			  "dest add tcp 10.0.0.1:80 10.0.1.3 uthreshold 9\n");
	n_sent = 0;
	answer_err = 0;
	status = run_batch(path, &err);
	check(status == ST_OK && !err[0] && n_sent == 3 &&
	      sent[0].cmd == LVS_CMD_SERVICE_SET &&
	      sent[1].cmd == LVS_CMD_DEST_SET &&
	      sent[2].cmd == LVS_CMD_DEST_NEW,
	      "batch: service change, dest change, dest add run in order");
	unlink(path);
	free(path);
	free(err);

	path = write_file("service change tcp 10.0.0.1:80 sched rr\n"
			  "dest change tcp 10.0.0.1:80 10.0.1.2\n"
			  "service change tcp 10.0.0.1:80\n");
	n_sent = 0;
	status = run_batch(path, &err);
	snprintf(want, sizeof(want),
		 "ipvsctl: %s:2: nothing to change after \"10.0.1.2\": expected nat, dr, tun, \"weight WEIGHT\", \"uthreshold UPPER\" or \"lthreshold LOWER\"\n"
		 "ipvsctl: %s:3: nothing to change after \"10.0.0.1:80\": expected \"sched SCHED\", \"fallback on|off\", \"hash-port on|off\", \"table-size SIZE\", \"persistent SECONDS\", \"netmask MASK\", \"persist-drained on|off\" or \"one-packet on|off\"\n",
		 path, path);
	check(status == ST_USAGE && n_sent == 0,
	      "batch: a change with nothing to change stops it, status 2");
	check_str(err, want, "batch: each empty change named by FILE:LINE");
	unlink(path);
	free(path);
	free(err);
}

/*
 * -b: a service's additions go in one request, and if the kernel refuses
 * it, line by line, so that the line at fault is named.
 */
static void test_bulk(void)
{
	char *path, *err, want[512];
	int status;

	path = write_file("service add tcp 10.0.0.1:80 sched rr\n"
			  "dest add tcp 10.0.0.1:80 10.0.1.2\n"
			  "dest add tcp 10.0.0.1:80 10.0.1.3 weight 2\n"
			  "dest add tcp 10.0.0.2:80 10.0.1.4\n"
			  "dest add tcp 10.0.0.2:80 10.0.1.5\n"
			  "dest add tcp 10.0.0.3:80 10.0.1.6\n"
			  "service add tcp 10.0.0.4:80 sched rr\n");
	n_sent = 0;
	answer_err = 0;
	answer_only = 0;
	status = run_batch(path, &err);
	check(status == ST_OK && !err[0] && n_sent == 4 &&
	      sent[0].cmd == LVS_CMD_SERVICE_NEW && sent[0].dests == 2 &&
	      sent[0].dest[0] == -1 &&
	      sent[1].cmd == LVS_CMD_DEST_NEW && sent[1].dests == 2 &&
	      sent[2].cmd == LVS_CMD_DEST_NEW && sent[2].dests == -1 &&
	      sent[2].dest[0] == LVS_DEST_ATTR_ADDR &&
	      sent[3].cmd == LVS_CMD_SERVICE_NEW && sent[3].dests == -1,
	      "batch: a service's additions go in one request");

	/* The joined request and then line 3 alone are refused. */
	n_sent = 0;
	answer_err = -EEXIST;
	answer_why = "Destination given twice";
	answer_only = 1u << 0 | 1u << 3;
	status = run_batch(path, &err);
	snprintf(want, sizeof(want),
		 "ipvsctl: %s:3: dest add: Destination given twice\n", path);
	check(status == ST_ERROR && n_sent == 4 && sent[0].dests == 2 &&
	      sent[1].cmd == LVS_CMD_SERVICE_NEW && sent[1].dests == -1 &&
	      sent[2].cmd == LVS_CMD_DEST_NEW && sent[2].dests == -1 &&
	      sent[3].cmd == LVS_CMD_DEST_NEW && sent[3].dests == -1,
	      "batch: a refused request runs again line by line, up to the failure");
	check_str(err, want, "batch: the line at fault is named");
	answer_only = 0;
	answer_why = NULL;
	unlink(path);
	free(path);
	free(err);
}

int main(void)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++)
		test_case(&cases[i]);
	test_refusals();
	test_batch();
	test_bulk();
	return check_exit();
}
