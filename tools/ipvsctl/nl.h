/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The netlink socket of the process and the LVS family on it.
 *
 * lvs_nl_open() connects once and resolves the family once; every request
 * then goes through lvs_nl_exec(), which sends one message and reads until
 * its acknowledgment, error or end of dump. When the kernel refuses, the
 * negative errno comes back and lvs_nl_why() holds the kernel's extended
 * ACK message, if it gave one.
 */
#ifndef IPVSCTL_NL_H
#define IPVSCTL_NL_H

#include <stddef.h>
#include <stdint.h>

#include <netlink/msg.h>

struct lvs_nl;

struct nla_policy;
/*
 * attr.c: nla_parse_nested(), faster: tb[0..max] from @nest, checked
 * against @policy: 0 or -EPROTO.
 */
int attr_parse_nested(struct nlattr **tb, int max, const struct nlattr *nest,
		      const struct nla_policy *policy);

/* One reply message; returns 0 or a negative errno. */
typedef int (*lvs_nl_reply_fn)(struct nlmsghdr *nlh, void *arg);

/* ST_OK, or ST_ERROR after saying why. */
int lvs_nl_open(struct lvs_nl **nlp);
/* The same for another family: for tests, which cannot load lvs. */
int lvs_nl_open_family(struct lvs_nl **nlp, const char *name);
void lvs_nl_close(struct lvs_nl *nl);

/* A request with the genetlink header filled in, or NULL. */
struct nl_msg *lvs_nl_msg(struct lvs_nl *nl, uint8_t cmd, int flags);
/* The same, with room for @size bytes of attributes. */
struct nl_msg *lvs_nl_msg_size(struct lvs_nl *nl, uint8_t cmd, int flags,
			       size_t size);
/* Send msg (and free it); reply gets each reply message. */
int lvs_nl_exec(struct lvs_nl *nl, struct nl_msg *msg, lvs_nl_reply_fn reply,
		void *arg);
/* The socket itself, for a listener's own receive loop (monitor.c). */
struct nl_sock *lvs_nl_sock(struct lvs_nl *nl);
/* The reason given with the last failure, or NULL. */
const char *lvs_nl_why(const struct lvs_nl *nl);

/*
 * The NLMSGERR_ATTR_MSG text of an NLMSG_ERROR or NLMSG_DONE message,
 * copied into buf; returns 0, or -1 when there is none.
 */
int lvs_nl_ext_ack_msg(const struct nlmsghdr *nlh, char *buf, size_t size);

#endif /* IPVSCTL_NL_H */
