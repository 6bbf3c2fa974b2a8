/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LVS_NETLINK_H
#define _LVS_NETLINK_H

#include <net/netlink.h>

#include <linux/netfilter.h>

struct genl_family;
struct lvs_dest;
struct lvs_service;
struct lvs_svc_key;

/* The "LVS" family, for the files that send its messages. */
extern struct genl_family lvs_genl_family;

int lvs_netlink_init(void);
void lvs_netlink_exit(void);

/*
 * A required attribute: true, with @msg and the missing type reported, if
 * it is absent. A macro because extack messages must be string literals.
 */
#define lvs_nl_missing(extack, nest, tb, type, msg) ({			\
	struct netlink_ext_ack *__ack = (extack);			\
	unsigned int __type = (type);					\
	bool __missing = !(tb)[__type];					\
									\
	if (__missing) {						\
		NL_SET_ERR_MSG(__ack, msg);				\
		NL_SET_ERR_ATTR_MISS(__ack, nest, __type);		\
	}								\
	__missing;							\
})

void *lvs_nl_put_hdr(struct sk_buff *skb, u32 portid, u32 seq, int flags,
		     u8 cmd);
/* What lvs_nl_put_svc() and lvs_nl_put_dest() put beside the object. */
enum {
	LVS_PUT_FORCE		= BIT(0),	/* the FORCE flag of a deletion */
	LVS_PUT_NO_STATS	= BIT(1),	/* no counters, no rates */
};

int lvs_nl_put_svc(struct sk_buff *skb, struct lvs_service *svc,
		   unsigned int put);
int lvs_nl_put_svc_key(struct sk_buff *skb, struct lvs_service *svc);
int lvs_nl_put_dest(struct sk_buff *skb, struct lvs_dest *dest,
		    unsigned int put);
bool lvs_nl_addr_usable(u8 af, const union nf_inet_addr *a);
bool lvs_nl_sched_name_valid(const char *name);
struct lvs_net;
struct lvs_txn;

/* A change within a transaction: see netlink_apply.c. */
extern const struct nla_policy lvs_op_policy[];
int lvs_nl_op(struct lvs_net *ln, struct lvs_txn *txn, u8 cmd,
	      struct nlattr **attrs, struct netlink_ext_ack *extack);
int lvs_nl_parse_svc_key(const struct nlattr *nest, struct lvs_svc_key *key,
			 struct netlink_ext_ack *extack);

#endif /* _LVS_NETLINK_H */
