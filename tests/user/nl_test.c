// SPDX-License-Identifier: GPL-2.0
/*
 * Test of tools/ipvsctl/nl.c.
 *
 * The extended-ACK parser is fed hand-made NLMSG_ERROR and NLMSG_DONE
 * messages, capped and not. Then, since lvs cannot be loaded here, the
 * request machinery runs against the kernel's own "nlctrl" family: a
 * request the kernel refuses with a policy error must come back with its
 * extended ACK message, a dump must deliver every part, and the socket
 * must stay usable after each failure.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include <netlink/attr.h>
#include <netlink/msg.h>

#include "check.h"
#include "ipvsctl.h"
#include "nl.h"

static unsigned char buf[512] __attribute__((aligned(4)));

static void put_tlv(size_t *off, int type, const char *text)
{
	struct nlattr *a = (struct nlattr *)(buf + *off);

	a->nla_type = (uint16_t)type;
	a->nla_len = (uint16_t)(NLA_HDRLEN + strlen(text) + 1);
	strcpy((char *)a + NLA_HDRLEN, text);
	*off += NLA_ALIGN(a->nla_len);
}

/*
 * An NLMSG_ERROR for a request whose payload held a decoy MSG attribute:
 * reading the TLVs from the wrong offset finds "decoy".
 */
static const struct nlmsghdr *error_msg(bool capped, bool tlvs,
					const char *text)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
	struct nlmsgerr *e = NLMSG_DATA(nlh);
	size_t off, orig = 12;

	memset(buf, 0, sizeof(buf));
	nlh->nlmsg_type = NLMSG_ERROR;
	nlh->nlmsg_flags = (capped ? NLM_F_CAPPED : 0) |
			   (tlvs ? NLM_F_ACK_TLVS : 0);
	e->error = -EINVAL;
	e->msg.nlmsg_len = (uint32_t)(NLMSG_HDRLEN + orig);
	off = NLMSG_HDRLEN + sizeof(*e);
	if (!capped)
		put_tlv(&off, NLMSGERR_ATTR_MSG, "decoy");
	off = NLMSG_ALIGN(off);
	if (text)
		put_tlv(&off, NLMSGERR_ATTR_MSG, text);
	put_tlv(&off, NLMSGERR_ATTR_MAX + 5, "from the future");
	nlh->nlmsg_len = (uint32_t)off;
	return nlh;
}

static const struct nlmsghdr *done_msg(int err, const char *text)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
	size_t off = NLMSG_HDRLEN + sizeof(int);

	memset(buf, 0, sizeof(buf));
	nlh->nlmsg_type = NLMSG_DONE;
	nlh->nlmsg_flags = NLM_F_MULTI | NLM_F_ACK_TLVS;
	memcpy(NLMSG_DATA(nlh), &err, sizeof(err));
	put_tlv(&off, NLMSGERR_ATTR_MSG, text);
	nlh->nlmsg_len = (uint32_t)off;
	return nlh;
}

static void test_ext_ack(void)
{
	char msg[64];
	struct nlmsghdr *nlh;
	int ret;

	ret = lvs_nl_ext_ack_msg(error_msg(false, true, "no such scheduler"),
				 msg, sizeof(msg));
	check_str(ret ? NULL : msg, "no such scheduler",
		  "extack: message behind the echoed request");
	ret = lvs_nl_ext_ack_msg(error_msg(true, true, "service exists"),
				 msg, sizeof(msg));
	check_str(ret ? NULL : msg, "service exists",
		  "extack: message of a capped error");
	check(lvs_nl_ext_ack_msg(error_msg(true, false, "x"), msg,
				 sizeof(msg)) == -1,
	      "extack: none without NLM_F_ACK_TLVS");
	check(lvs_nl_ext_ack_msg(error_msg(false, true, NULL), msg,
				 sizeof(msg)) == -1,
	      "extack: none when only other TLVs came");
	ret = lvs_nl_ext_ack_msg(done_msg(-ENOENT, "no such service"), msg,
				 sizeof(msg));
	check_str(ret ? NULL : msg, "no such service",
		  "extack: message of a failed dump's NLMSG_DONE");
	ret = lvs_nl_ext_ack_msg(error_msg(true, true,
					   "a long message cut to the buffer"),
				 msg, 7);
	check_str(ret ? NULL : msg, "a long", "extack: cut to the buffer");

	nlh = (struct nlmsghdr *)error_msg(true, true, "truncated");
	nlh->nlmsg_len = NLMSG_HDRLEN + sizeof(struct nlmsgerr) + 8;
	check(lvs_nl_ext_ack_msg(nlh, msg, sizeof(msg)) == -1,
	      "extack: none from a truncated attribute");
	nlh->nlmsg_len = NLMSG_HDRLEN + 2;
	check(lvs_nl_ext_ack_msg(nlh, msg, sizeof(msg)) == -1,
	      "extack: none from a truncated error");
}

static int count(struct nlmsghdr *nlh, void *arg)
{
	(*(int *)arg)++;
	return 0;
}

static int fail(struct nlmsghdr *nlh, void *arg)
{
	return -ENOMEM;
}

static int get_family(struct lvs_nl *nl, const char *name,
		      lvs_nl_reply_fn fn, int *n)
{
	struct nl_msg *m = lvs_nl_msg(nl, CTRL_CMD_GETFAMILY, 0);

	nla_put_string(m, CTRL_ATTR_FAMILY_NAME, name);
	return lvs_nl_exec(nl, m, fn, n);
}

static void test_kernel(void)
{
	char big[100];
	struct lvs_nl *nl;
	int n = 0, ret;

	if (lvs_nl_open_family(&nl, "nlctrl")) {
		printf("TEST: %-66s [SKIP]\n",
		       "netlink: no generic netlink here");
		return;
	}

	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	ret = get_family(nl, big, count, &n);
	check(ret == -EINVAL && lvs_nl_why(nl) && n == 0,
	      "netlink: policy error comes with the kernel's message");
	if (lvs_nl_why(nl))
		printf("\t(the kernel said \"%s\")\n", lvs_nl_why(nl));

	n = 0;
	ret = get_family(nl, "nlctrl", count, &n);
	check(ret == 0 && n == 1 && !lvs_nl_why(nl),
	      "netlink: the socket works after an error, one reply");

	n = 0;
	ret = get_family(nl, "nosuchfamily", count, &n);
	check(ret == -ENOENT && n == 0, "netlink: ENOENT is passed on");

	n = 0;
	ret = lvs_nl_exec(nl, lvs_nl_msg(nl, CTRL_CMD_GETFAMILY, NLM_F_DUMP),
			  count, &n);
	check(ret == 0 && n > 1, "netlink: a dump delivers every part");

	ret = lvs_nl_exec(nl, lvs_nl_msg(nl, CTRL_CMD_GETFAMILY, NLM_F_DUMP),
			  fail, NULL);
	check(ret == -ENOMEM, "netlink: a failing reply handler fails the dump");

	n = 0;
	ret = get_family(nl, "nlctrl", count, &n);
	check(ret == 0 && n == 1,
	      "netlink: the socket works after an abandoned dump");
	lvs_nl_close(nl);
}

int main(void)
{
	test_ext_ack();
	test_kernel();
	return check_exit();
}
