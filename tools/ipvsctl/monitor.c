// SPDX-License-Identifier: GPL-2.0
/*
 * The monitor object: ipvsctl monitor [ all | help ].
 *
 * It joins the "events" multicast group of the LVS family and prints each
 * change to the namespace's configuration as the kernel announces it, one
 * line per event, in the words of the command that makes such a change:
 *
 *   service add tcp 10.0.0.1:80 sched rr
 *   dest add tcp 10.0.0.1:80 10.0.1.2:80 nat weight 1
 *   dest change tcp 10.0.0.1:80 10.0.1.2:80 nat weight 3 uthreshold 0 lthreshold 0
 *   service flush force
 *
 * An "add" prints what "list" prints of the object; a "change" prints
 * every option, so that the line sets all that the change left; "del" and
 * the others print what names the object. With -j each event is one JSON
 * object on a line, its "event" the command's words ("service add"), its
 * other members those "list" prints, the service of a destination in
 * "service".
 *
 * Each event is flushed as it is printed. SIGINT and SIGTERM end the
 * monitor with status 0, as does an output closed by its reader (EPIPE).
 * Lost events (the kernel's ENOBUFS: the monitor read too slowly, or the
 * kernel lacked memory) are reported on stderr, and the monitor goes on.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <netlink/attr.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/socket.h>

#include "conn.h"
#include "nl.h"
#include "print.h"
#include "show.h"

/* Room for bursts, such as a service added with many destinations. */
#define EVENT_BUF_SIZE (4 * 1024 * 1024)

/* What an event prints of its object. */
enum part {
	CONF,	/* what "add" takes, as "list" prints it */
	ALL,	/* the same with every option */
	KEY,	/* what names it */
};

struct event {
	uint8_t cmd;
	const char *words;
	/* Decode nlh, then print the event: 0 or -EPROTO (nothing printed). */
	int (*print)(struct printer *p, const struct event *ev,
		     struct nlmsghdr *nlh);
	enum part part;
};

/* The event's object in JSON, and its words in both outputs. */
static void begin(struct printer *p, const struct event *ev)
{
	pr_open_object(p, NULL);
	pr_string(p, PR_ANY, "event", "%s", ev->words);
}

/* Attribute flag of the top-level nest type, as "force". */
static void print_force(struct printer *p, struct nlmsghdr *nlh, int type,
			int flag)
{
	struct nlattr *nest = reply_nest(nlh, type);
	struct nlattr *a = nest ? nla_find(nla_data(nest), nla_len(nest),
					   flag) : NULL;

	pr_bool(p, a ? PR_ANY : PR_JSON, "force", " force", a);
}

static int print_svc(struct printer *p, const struct event *ev,
		     struct nlmsghdr *nlh)
{
	struct svc_info si;

	if (decode_svc(nlh, &si))
		return -EPROTO;
	begin(p, ev);
	pr_text(p, " ");
	if (ev->part == KEY)
		show_svc_key(p, &si.spec);
	else
		show_svc_conf(p, &si.spec, ev->part == ALL);
	if (ev->cmd == LVS_CMD_SERVICE_DEL)
		print_force(p, nlh, LVS_ATTR_SERVICE, LVS_SVC_ATTR_FORCE);
	return 0;
}

static int print_dest(struct printer *p, const struct event *ev,
		      struct nlmsghdr *nlh)
{
	struct dest_info di;
	struct svc_info si;

	if (decode_svc(nlh, &si) || decode_dest(nlh, &di))
		return -EPROTO;
	begin(p, ev);
	pr_text(p, " ");
	pr_open_object(p, "service");
	show_svc_key(p, &si.spec);
	pr_close_object(p);
	pr_text(p, " ");
	if (ev->part == KEY)
		pr_addr_port(p, &di.rip, false);
	else
		show_dest_conf(p, &di, ev->part == ALL);
	if (ev->cmd == LVS_CMD_DEST_DEL)
		print_force(p, nlh, LVS_ATTR_DEST, LVS_DEST_ATTR_FORCE);
	return 0;
}

/* A change to one service, or without LVS_ATTR_SERVICE to all. */
static int print_svc_or_all(struct printer *p, const struct event *ev,
			    struct nlmsghdr *nlh)
{
	if (reply_nest(nlh, LVS_ATTR_SERVICE))
		return print_svc(p, ev, nlh);
	begin(p, ev);
	return 0;
}

static int print_flush(struct printer *p, const struct event *ev,
		       struct nlmsghdr *nlh)
{
	begin(p, ev);
	print_force(p, nlh, LVS_ATTR_SERVICE, LVS_SVC_ATTR_FORCE);
	return 0;
}

static int print_timeouts(struct printer *p, const struct event *ev,
			  struct nlmsghdr *nlh)
{
	struct timeout_list list = { 0 };
	int err;

	err = decode_timeouts(nlh, &list);
	if (!err) {
		begin(p, ev);
		show_timeouts_inline(p, "timeouts", &list);
	}
	free(list.e);
	return err;
}

static int print_info(struct printer *p, const struct event *ev,
		      struct nlmsghdr *nlh)
{
	struct lvs_info info;

	if (decode_info(nlh, &info))
		return -EPROTO;
	begin(p, ev);
	pr_bool(p, PR_ANY, "fastpath", " fastpath %s", info.fast_path);
	return 0;
}

static const struct nla_policy apply_policy[LVS_ATTR_MAX + 1] = {
	[LVS_ATTR_GENERATION] = { .type = NLA_U32 },
	[LVS_ATTR_OP_COUNT] = { .type = NLA_U32 },
};

/* A transaction, after the events of its changes. */
static int print_apply(struct printer *p, const struct event *ev,
		       struct nlmsghdr *nlh)
{
	struct nlattr *tb[LVS_ATTR_MAX + 1];

	if (genlmsg_parse(nlh, 0, tb, LVS_ATTR_MAX, apply_policy) < 0 ||
	    !tb[LVS_ATTR_GENERATION] || !tb[LVS_ATTR_OP_COUNT])
		return -EPROTO;
	begin(p, ev);
	pr_uint(p, PR_ANY, "generation", " generation %u",
		nla_get_u32(tb[LVS_ATTR_GENERATION]));
	pr_uint(p, PR_ANY, "changes", " changes %u",
		nla_get_u32(tb[LVS_ATTR_OP_COUNT]));
	return 0;
}

static const struct event events[] = {
	{ LVS_CMD_SERVICE_NEW, "service add", print_svc, CONF },
	{ LVS_CMD_SERVICE_SET, "service change", print_svc, ALL },
	{ LVS_CMD_SERVICE_DEL, "service del", print_svc, KEY },
	{ LVS_CMD_SERVICE_FLUSH, "service flush", print_flush, KEY },
	{ LVS_CMD_DEST_NEW, "dest add", print_dest, CONF },
	{ LVS_CMD_DEST_SET, "dest change", print_dest, ALL },
	{ LVS_CMD_DEST_DEL, "dest del", print_dest, KEY },
	{ LVS_CMD_ZERO, "service zero", print_svc_or_all, KEY },
	{ LVS_CMD_CONN_FLUSH, "conn flush", print_svc_or_all, KEY },
	{ LVS_CMD_TIMEOUT_SET, "timeout set", print_timeouts, CONF },
	{ LVS_CMD_INFO_SET, "info set", print_info, CONF },
	{ LVS_CMD_APPLY, "apply", print_apply, CONF },
};

/* The listener's state, for the receive callback. */
struct monitor {
	struct printer pr;
	int err;	/* negative errno of the output */
	bool closed;	/* the output's reader went away */
};

/* Print one event; one the kernel's newer than us as its number. */
static void print_event(struct printer *p, struct nlmsghdr *nlh)
{
	const struct genlmsghdr *g = nlmsg_data(nlh);
	size_t i;

	for (i = 0; i < ARRAY_SIZE(events); i++) {
		if (events[i].cmd != g->cmd)
			continue;
		if (events[i].print(p, &events[i], nlh)) {
			errmsg("malformed event %u ignored", g->cmd);
			return;
		}
		break;
	}
	if (i == ARRAY_SIZE(events)) {
		pr_open_object(p, NULL);
		pr_string(p, PR_JSON, "event", "", "unknown");
		pr_uint(p, PR_ANY, "command", "unknown event %u", g->cmd);
	}
	pr_close_object(p);
	pr_text(p, "\n");
}

static int on_event(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct monitor *m = arg;

	if (!genlmsg_valid_hdr(nlh, 0))
		return NL_SKIP;
	print_event(&m->pr, nlh);
	if (fflush(m->pr.f) == 0)
		return NL_OK;
	if (errno == EPIPE)
		m->closed = true;
	else
		m->err = -errno;
	return NL_STOP;
}

/* Events come unasked: no sequence numbers to match. */
static int on_seq(struct nl_msg *msg, void *arg)
{
	return NL_OK;
}

/* Join the events group; receive buffer as large as we may get. */
static int join_events(struct lvs_nl *nl)
{
	struct nl_sock *sk = lvs_nl_sock(nl);
	int size = EVENT_BUF_SIZE;
	int grp, err;

	grp = genl_ctrl_resolve_grp(sk, LVS_GENL_NAME, LVS_MCGRP_EVENTS);
	if (grp == -NLE_OBJ_NOTFOUND) {
		errmsg("this lvs module announces no changes (no multicast group \"%s\")",
		       LVS_MCGRP_EVENTS);
		return -EOPNOTSUPP;
	}
	if (grp < 0) {
		errmsg("cannot resolve multicast group \"%s\": %s",
		       LVS_MCGRP_EVENTS, nl_geterror(grp));
		return -EIO;
	}
	err = nl_socket_add_membership(sk, grp);
	if (err < 0) {
		errmsg("cannot join multicast group \"%s\": %s",
		       LVS_MCGRP_EVENTS, nl_geterror(err));
		return err == -NLE_PERM ? -EPERM : -EIO;
	}
	/* Past net.core.rmem_max with CAP_NET_ADMIN, else up to it. */
	if (setsockopt(nl_socket_get_fd(sk), SOL_SOCKET, SO_RCVBUFFORCE,
		       &size, sizeof(size)))
		(void)setsockopt(nl_socket_get_fd(sk), SOL_SOCKET, SO_RCVBUF,
				 &size, sizeof(size));
	err = nl_socket_set_nonblocking(sk);
	return err < 0 ? -EIO : 0;
}

/*
 * Read what has come: 0 once there is nothing more, or a negative errno.
 * Lost events are said and the reading goes on.
 */
static int drain(struct nl_sock *sk, struct nl_cb *cb, struct monitor *m)
{
	int err;

	for (;;) {
		err = nl_recvmsgs(sk, cb);
		if (m->err || m->closed)
			return m->err;
		if (err == -NLE_AGAIN)
			return 0;
		if (err == -NLE_NOMEM)
			errmsg("events lost: the kernel could not deliver them all");
		else if (err < 0)
			return -EIO;
	}
}

/* Until SIGINT or SIGTERM (blocked, and read from sig) or EPIPE. */
static int listen_loop(struct lvs_nl *nl, int sig, struct monitor *m)
{
	struct nl_sock *sk = lvs_nl_sock(nl);
	struct pollfd fds[2] = {
		{ .fd = nl_socket_get_fd(sk), .events = POLLIN },
		{ .fd = sig, .events = POLLIN },
	};
	struct signalfd_siginfo si;
	struct nl_cb *cb;
	int err = 0;

	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!cb)
		return -ENOMEM;
	nl_cb_set(cb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, on_seq, NULL);
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_event, m);
	while (!err && !m->closed) {
		if (poll(fds, ARRAY_SIZE(fds), -1) < 0) {
			if (errno == EINTR)
				continue;
			err = -errno;
			break;
		}
		if (fds[1].revents) {
			/* Taken, so that unblocking it does not kill us. */
			(void)!read(sig, &si, sizeof(si));
			break;
		}
		if (fds[0].revents)
			err = drain(sk, cb, m);
	}
	nl_cb_put(cb);
	return err;
}

static int parse_none(struct request *req, struct args *a)
{
	return args_peek(a) ? extraarg(a) : 0;
}

/*
 * The events go to a stream of their own on standard output's file, so
 * that a reader gone (EPIPE) ends the monitor without leaving stdout in
 * error.
 */
static int run_monitor(struct ctx *ctx, const struct request *req)
{
	struct monitor m = { 0 };
	sigset_t stop, old;
	FILE *out;
	int sig, fd, err;

	err = join_events(ctx->nl);
	if (err)
		return err;
	if (fflush(ctx->pr->f))
		return -errno;
	fd = dup(fileno(ctx->pr->f));
	out = fd < 0 ? NULL : fdopen(fd, "w");
	if (!out) {
		err = -errno;
		if (fd >= 0)
			close(fd);
		return err;
	}
	pr_init(&m.pr, out, ctx->pr->json, ctx->pr->pretty);

	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	sigprocmask(SIG_BLOCK, &stop, &old);
	sig = signalfd(-1, &stop, SFD_CLOEXEC);
	if (sig < 0) {
		err = -errno;
	} else {
		err = listen_loop(ctx->nl, sig, &m);
		close(sig);
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	/* Everything was flushed: a failure here is the reader gone. */
	fclose(out);
	return err;
}

static void monitor_usage(FILE *f)
{
	fputs("Usage: ipvsctl [ -j ] monitor [ all ]\n"
	      "       ipvsctl monitor help\n"
	      "Prints every change to the configuration as it happens, one line\n"
	      "per change, until interrupted.\n", f);
}

static const struct verb monitor_verbs[] = {
	{ "all", parse_none, run_monitor, 0 },
	{ .name = NULL }
};

const struct object monitor_object = {
	.name = "monitor",
	.verbs = monitor_verbs,
	.default_verb = "all",
	.usage = monitor_usage,
};
