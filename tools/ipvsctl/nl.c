// SPDX-License-Identifier: GPL-2.0
/*
 * The netlink socket, the LVS family and one request at a time.
 *
 * libnl 3.7 has no helper for extended ACKs, so the socket asks for them
 * with NETLINK_EXT_ACK and our own error callback reads the message out of
 * the TLVs behind struct nlmsgerr. Acknowledgements are requested by hand
 * (auto-ack off) so that dumps never ask for one, and replies are matched
 * to the request by sequence number, skipping any stale ones.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/netlink.h>

#include <netlink/attr.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/socket.h>

#include "ipvsctl.h"
#include "nl.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

#define RECV_BUF_SIZE (64 * 1024)

struct lvs_nl {
	struct nl_sock *sk;
	int family;
	char why[256];	/* extended ACK or libnl reason, "" when none */
};

/* The state of one request while its replies come in. */
struct exec {
	struct lvs_nl *nl;
	lvs_nl_reply_fn reply;
	void *arg;
	uint32_t seq;
	int err;	/* first failure, negative errno */
	bool done;
	bool intr;	/* a dump part was flagged NLM_F_DUMP_INTR */
};

int lvs_nl_ext_ack_msg(const struct nlmsghdr *nlh, char *buf, size_t size)
{
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	const struct nlmsgerr *e;
	size_t len, off;

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS) ||
	    nlh->nlmsg_len < NLMSG_HDRLEN)
		return -1;
	len = nlh->nlmsg_len - NLMSG_HDRLEN;

	switch (nlh->nlmsg_type) {
	case NLMSG_ERROR:
		/* The request comes back behind the error unless capped. */
		e = NLMSG_DATA(nlh);
		if (len < sizeof(*e))
			return -1;
		off = sizeof(*e);
		if (!(nlh->nlmsg_flags & NLM_F_CAPPED)) {
			if (e->msg.nlmsg_len < NLMSG_HDRLEN)
				return -1;
			off += e->msg.nlmsg_len - NLMSG_HDRLEN;
		}
		break;
	case NLMSG_DONE:
		off = sizeof(int);
		break;
	default:
		return -1;
	}

	off = NLMSG_ALIGN(off);
	if (off >= len)
		return -1;
	if (nla_parse(tb, NLMSGERR_ATTR_MAX,
		      (struct nlattr *)((char *)NLMSG_DATA(nlh) + off),
		      (int)(len - off), NULL) < 0)
		return -1;
	if (!tb[NLMSGERR_ATTR_MSG] || size == 0)
		return -1;
	nla_strlcpy(buf, tb[NLMSGERR_ATTR_MSG], size);
	return buf[0] ? 0 : -1;
}

static void set_err(struct exec *x, int err, const struct nlmsghdr *nlh)
{
	if (x->err)
		return;
	x->err = err < 0 ? err : -EPROTO;
	if (nlh && lvs_nl_ext_ack_msg(nlh, x->nl->why, sizeof(x->nl->why)))
		x->nl->why[0] = '\0';
}

static int on_seq(struct nl_msg *msg, void *arg)
{
	struct exec *x = arg;

	return nlmsg_hdr(msg)->nlmsg_seq == x->seq ? NL_OK : NL_SKIP;
}

static int on_valid(struct nl_msg *msg, void *arg)
{
	struct exec *x = arg;
	int err;

	/* After a failure keep reading, to leave the socket clean. */
	if (x->err || !x->reply)
		return NL_OK;
	err = x->reply(nlmsg_hdr(msg), x->arg);
	if (err)
		set_err(x, err, NULL);
	return NL_OK;
}

static int on_intr(struct nl_msg *msg, void *arg)
{
	struct exec *x = arg;

	x->intr = true;
	return NL_OK;
}

static int on_ack(struct nl_msg *msg, void *arg)
{
	struct exec *x = arg;

	x->done = true;
	return NL_STOP;
}

/* A dump ends with NLMSG_DONE, which carries the dump's own errno. */
static int on_finish(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct exec *x = arg;
	int err;

	if (nlmsg_datalen(nlh) >= (int)sizeof(err)) {
		memcpy(&err, nlmsg_data(nlh), sizeof(err));
		if (err)
			set_err(x, err, nlh);
	}
	x->done = true;
	return NL_STOP;
}

static int on_error(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	const struct nlmsghdr *nlh;
	struct exec *x = arg;

	nlh = (const struct nlmsghdr *)((const char *)e - NLMSG_HDRLEN);
	if (nlh->nlmsg_seq != x->seq)
		return NL_SKIP;
	set_err(x, e->error, nlh);
	x->done = true;
	return NL_STOP;
}

/* A failure inside libnl: keep its words, return an errno. */
static int lib_err(struct lvs_nl *nl, int nlerr)
{
	snprintf(nl->why, sizeof(nl->why), "netlink: %s", nl_geterror(nlerr));
	return nlerr == -NLE_NOMEM ? -ENOMEM : -EIO;
}

/*
 * Make room in the socket's send buffer for a message of @len bytes, as
 * a transaction can be: beyond the system's limit where the caller may
 * (CAP_NET_ADMIN), else as far as it goes; the kernel refuses a message
 * that still does not fit.
 */
static void sndbuf_fit(struct lvs_nl *nl, size_t len)
{
	int fd = nl_socket_get_fd(nl->sk);
	int size = (int)len + 4096;

	if (len < 64 * 1024 || len > 1 << 30)
		return;
	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &size, sizeof(size)))
		(void)setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size,
				 sizeof(size));
}

int lvs_nl_exec(struct lvs_nl *nl, struct nl_msg *msg, lvs_nl_reply_fn reply,
		void *arg)
{
	struct exec x = { .nl = nl, .reply = reply, .arg = arg };
	struct nl_cb *cb;
	int ret;

	nl->why[0] = '\0';
	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!cb) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	nl_cb_set(cb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, on_seq, &x);
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_valid, &x);
	nl_cb_set(cb, NL_CB_DUMP_INTR, NL_CB_CUSTOM, on_intr, &x);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, on_ack, &x);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, on_finish, &x);
	nl_cb_err(cb, NL_CB_CUSTOM, on_error, &x);

	sndbuf_fit(nl, nlmsg_hdr(msg)->nlmsg_len);
	ret = nl_send_auto(nl->sk, msg);
	x.seq = nlmsg_hdr(msg)->nlmsg_seq;
	nlmsg_free(msg);
	if (ret < 0) {
		x.err = lib_err(nl, ret);
		goto out;
	}

	while (!x.done) {
		ret = nl_recvmsgs(nl->sk, cb);
		if (ret < 0 && !x.done) {
			if (!x.err)
				x.err = lib_err(nl, ret);
			break;
		}
	}

	if (!x.err && x.intr) {
		snprintf(nl->why, sizeof(nl->why),
			 "the dump was interrupted by concurrent changes");
		x.err = -EAGAIN;
	}
out:
	nl_cb_put(cb);
	return x.err;
}

struct nl_msg *lvs_nl_msg(struct lvs_nl *nl, uint8_t cmd, int flags)
{
	return lvs_nl_msg_size(nl, cmd, flags, 0);
}

struct nl_msg *lvs_nl_msg_size(struct lvs_nl *nl, uint8_t cmd, int flags,
			       size_t size)
{
	struct nl_msg *msg;

	nl->why[0] = '\0';
	msg = size ? nlmsg_alloc_size(NLMSG_SPACE(GENL_HDRLEN + size)) :
		     nlmsg_alloc();
	if (!msg)
		return NULL;
	if (!(flags & NLM_F_DUMP))
		flags |= NLM_F_ACK;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, nl->family, 0, flags,
			 cmd, LVS_GENL_VERSION)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

struct nl_sock *lvs_nl_sock(struct lvs_nl *nl)
{
	return nl->sk;
}

const char *lvs_nl_why(const struct lvs_nl *nl)
{
	return nl->why[0] ? nl->why : NULL;
}

int lvs_nl_open_family(struct lvs_nl **nlp, const char *name)
{
	struct lvs_nl *nl;
	int one = 1;
	int err;

	nl = calloc(1, sizeof(*nl));
	if (nl)
		nl->sk = nl_socket_alloc();
	if (!nl || !nl->sk) {
		errmsg("out of memory");
		free(nl);
		return ST_ERROR;
	}
	err = genl_connect(nl->sk);
	if (err < 0) {
		errmsg("cannot open a generic netlink socket: %s",
		       nl_geterror(err));
		goto fail;
	}
	/*
	 * Older kernels lack them; then errors come without reasons, or
	 * with the whole request copied behind.
	 */
	(void)setsockopt(nl_socket_get_fd(nl->sk), SOL_NETLINK,
			 NETLINK_EXT_ACK, &one, sizeof(one));
	(void)setsockopt(nl_socket_get_fd(nl->sk), SOL_NETLINK,
			 NETLINK_CAP_ACK, &one, sizeof(one));
	/*
	 * One read a reply, into a buffer bigger than any message the kernel
	 * sends (a dump part is at most 32 KiB), rather than a peek at its
	 * size first: a batch waits for one reply a request.
	 */
	err = nl_socket_set_msg_buf_size(nl->sk, RECV_BUF_SIZE);
	if (err < 0) {
		errmsg("cannot size the netlink buffer: %s", nl_geterror(err));
		goto fail;
	}
	nl_socket_disable_msg_peek(nl->sk);

	err = genl_ctrl_resolve(nl->sk, name);
	if (err == -NLE_OBJ_NOTFOUND) {
		errmsg("the lvs module is not loaded (generic netlink family \"%s\" not found)",
		       name);
		goto fail;
	}
	if (err < 0) {
		errmsg("cannot resolve generic netlink family \"%s\": %s",
		       name, nl_geterror(err));
		goto fail;
	}
	nl->family = err;
	nl_socket_disable_auto_ack(nl->sk);
	*nlp = nl;
	return ST_OK;

fail:
	lvs_nl_close(nl);
	return ST_ERROR;
}

int lvs_nl_open(struct lvs_nl **nlp)
{
	return lvs_nl_open_family(nlp, LVS_GENL_NAME);
}

void lvs_nl_close(struct lvs_nl *nl)
{
	if (!nl)
		return;
	nl_socket_free(nl->sk);
	free(nl);
}
