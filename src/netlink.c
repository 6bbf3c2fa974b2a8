// SPDX-License-Identifier: GPL-2.0
/*
 * The "LVS" generic netlink family: one handler per command, one policy per
 * nesting level, strict validation, and an extack message (pointing at the
 * attribute at fault where there is one) for every rejection. See
 * include/uapi/linux/lvs.h for the protocol.
 */

#include <linux/inetdevice.h>
#include <net/genetlink.h>
#include <net/ipv6.h>
#include <net/sock.h>

#include <uapi/linux/lvs.h>

#include "addr.h"
#include "dest.h"
#include "kcompat.h"
#include "netlink.h"
#include "netlink_apply.h"
#include "netlink_conn.h"
#include "netlink_info.h"
#include "netlink_notify.h"
#include "netlink_timeout.h"
#include "netns.h"
#include "proto.h"
#include "sched.h"
#include "service.h"
#include "txn.h"

static struct netlink_range_validation weight_range = {
	.max = LVS_WEIGHT_MAX,
};

static struct netlink_range_validation persist_range = {
	.max = LVS_PERSIST_MAX,
};

static struct netlink_range_validation mh_size_range = {
	.min = LVS_MH_TABLE_MIN,
	.max = LVS_MH_TABLE_MAX,
};

static const struct nla_policy svc_policy[LVS_SVC_ATTR_MAX + 1] = {
	[LVS_SVC_ATTR_FAMILY]	  = { .type = NLA_U16 },
	[LVS_SVC_ATTR_PROTOCOL]	  = { .type = NLA_U8 },
	[LVS_SVC_ATTR_ADDR]	  = NLA_POLICY_RANGE(NLA_BINARY,
						     sizeof(struct in_addr),
						     sizeof(struct in6_addr)),
	[LVS_SVC_ATTR_PORT]	  = { .type = NLA_BE16 },
	[LVS_SVC_ATTR_SCHED_NAME] = { .type = NLA_NUL_STRING,
				      .len = LVS_SCHED_NAME_MAX - 1 },
	[LVS_SVC_ATTR_SCHED_FALLBACK]  = NLA_POLICY_MAX(NLA_U8, 1),
	[LVS_SVC_ATTR_SCHED_HASH_PORT] = NLA_POLICY_MAX(NLA_U8, 1),
	[LVS_SVC_ATTR_ONE_PACKET]      = NLA_POLICY_MAX(NLA_U8, 1),
	[LVS_SVC_ATTR_PERSIST_DRAINED] = NLA_POLICY_MAX(NLA_U8, 1),
	[LVS_SVC_ATTR_MH_TABLE_SIZE]   = NLA_POLICY_FULL_RANGE(NLA_U32,
							       &mh_size_range),
	[LVS_SVC_ATTR_FWMARK]	       = NLA_POLICY_MIN(NLA_U32, 1),
	[LVS_SVC_ATTR_PERSIST_TIMEOUT] = NLA_POLICY_FULL_RANGE(NLA_U32,
							       &persist_range),
	[LVS_SVC_ATTR_PERSIST_PREFIX]  = NLA_POLICY_MAX(NLA_U8, 128),
	[LVS_SVC_ATTR_FORCE]	       = { .type = NLA_FLAG },
};

static const struct nla_policy dest_policy[LVS_DEST_ATTR_MAX + 1] = {
	[LVS_DEST_ATTR_ADDR]	   = NLA_POLICY_RANGE(NLA_BINARY,
						      sizeof(struct in_addr),
						      sizeof(struct in6_addr)),
	[LVS_DEST_ATTR_PORT]	   = { .type = NLA_BE16 },
	[LVS_DEST_ATTR_FWD_METHOD] = NLA_POLICY_MAX(NLA_U8, LVS_FWD_MAX),
	[LVS_DEST_ATTR_WEIGHT]	   = NLA_POLICY_FULL_RANGE(NLA_U32,
							   &weight_range),
	[LVS_DEST_ATTR_U_THRESHOLD] = { .type = NLA_U32 },
	[LVS_DEST_ATTR_L_THRESHOLD] = { .type = NLA_U32 },
	[LVS_DEST_ATTR_FORCE]	    = { .type = NLA_FLAG },
	/*
	 * Checked in parse_dest(), not by a validation callback: 6.1 writes
	 * the policy of an attribute at fault into the extack, and there
	 * reads a callback's pointer as a range (a WARNING in
	 * nla_get_range_unsigned()).
	 */
	[LVS_DEST_ATTR_ADDR_FAMILY] = { .type = NLA_U16 },
};

/* One change of a transaction (LVS_CMD_APPLY): a request within it. */
const struct nla_policy lvs_op_policy[LVS_ATTR_MAX + 1] = {
	[LVS_ATTR_OP_CMD]	= { .type = NLA_U8 },
	[LVS_ATTR_SERVICE]	= NLA_POLICY_NESTED(svc_policy),
	[LVS_ATTR_DEST]		= NLA_POLICY_NESTED(dest_policy),
	[LVS_ATTR_DESTS]	= NLA_POLICY_NESTED_ARRAY(dest_policy),
	[LVS_ATTR_TIMEOUTS]	= NLA_POLICY_NESTED_ARRAY(lvs_timeout_policy),
};

static const struct nla_policy lvs_policy[LVS_ATTR_MAX + 1] = {
	[LVS_ATTR_SERVICE]	= NLA_POLICY_NESTED(svc_policy),
	[LVS_ATTR_DEST]		= NLA_POLICY_NESTED(dest_policy),
	[LVS_ATTR_DESTS]	= NLA_POLICY_NESTED_ARRAY(dest_policy),
	[LVS_ATTR_TIMEOUTS]	= NLA_POLICY_NESTED_ARRAY(lvs_timeout_policy),
	[LVS_ATTR_INFO]		= NLA_POLICY_NESTED(lvs_info_policy),
	[LVS_ATTR_GENERATION]	= { .type = NLA_U32 },
	[LVS_ATTR_OP]		= NLA_POLICY_NESTED(lvs_op_policy),
	[LVS_ATTR_NO_STATS]	= { .type = NLA_FLAG },
};

/*
 * Addresses a virtual service or a real server may have. An IPv6 one is
 * global or unique local: a link-local address needs a device to mean
 * anything, and a v4-mapped one belongs to an IPv4 service.
 */
bool lvs_nl_addr_usable(u8 af, const union nf_inet_addr *a)
{
	if (af == AF_INET6) {
		int type = ipv6_addr_type(&a->in6);

		return (type & IPV6_ADDR_UNICAST) &&
		       !(type & (IPV6_ADDR_LOOPBACK | IPV6_ADDR_LINKLOCAL |
				 IPV6_ADDR_MAPPED));
	}
	return !ipv4_is_zeronet(a->ip) && !ipv4_is_multicast(a->ip) &&
	       !ipv4_is_lbcast(a->ip) && !ipv4_is_loopback(a->ip);
}

static int parse_addr(const struct nlattr *attr, u8 af,
		      union nf_inet_addr *addr, struct netlink_ext_ack *extack)
{
	if (nla_len(attr) != lvs_addr_len(af)) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "Address length does not match the address family");
		return -EINVAL;
	}
	memset(addr, 0, sizeof(*addr));
	nla_memcpy(addr, attr, sizeof(*addr));
	if (!lvs_nl_addr_usable(af, addr)) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "Address must be a unicast, non-loopback address");
		return -EINVAL;
	}
	return 0;
}

/* The key of a firewall-mark service: a mark and nothing of an address. */
static int parse_svc_mark(const struct nlattr *nest, struct nlattr **tb,
			  struct lvs_svc_key *key,
			  struct netlink_ext_ack *extack)
{
	static const int addr_attrs[] = {
		LVS_SVC_ATTR_PROTOCOL, LVS_SVC_ATTR_ADDR, LVS_SVC_ATTR_PORT,
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(addr_attrs); i++) {
		if (tb[addr_attrs[i]]) {
			NL_SET_ERR_MSG_ATTR(extack, tb[addr_attrs[i]],
					    "A firewall-mark service has no protocol, address or port");
			return -EINVAL;
		}
	}
	key->fwmark = nla_get_u32(tb[LVS_SVC_ATTR_FWMARK]);
	return 0;
}

/* FORCE means something to SERVICE_DEL (and SERVICE_FLUSH) only. */
static int refuse_svc_force(struct nlattr **tb, struct netlink_ext_ack *extack)
{
	if (!tb[LVS_SVC_ATTR_FORCE])
		return 0;
	NL_SET_ERR_MSG_ATTR(extack, tb[LVS_SVC_ATTR_FORCE],
			    "Force applies to deleting or flushing services only");
	return -EINVAL;
}

/*
 * Parse the service nest @nest into @tb and its key into @key; FORCE only
 * if @force_ok.
 */
static int parse_svc_nest(const struct nlattr *nest, struct nlattr **tb,
			  struct lvs_svc_key *key, bool force_ok,
			  struct netlink_ext_ack *extack)
{
	u16 af;
	int err;

	if (!nest) {
		NL_SET_ERR_MSG(extack, "Missing service (LVS_ATTR_SERVICE)");
		return -EINVAL;
	}
	err = nla_parse_nested(tb, LVS_SVC_ATTR_MAX, nest, svc_policy, extack);
	if (err)
		return err;
	if (!force_ok) {
		err = refuse_svc_force(tb, extack);
		if (err)
			return err;
	}
	if (lvs_nl_missing(extack, nest, tb, LVS_SVC_ATTR_FAMILY,
			   "Missing service address family"))
		return -EINVAL;

	memset(key, 0, sizeof(*key));
	af = nla_get_u16(tb[LVS_SVC_ATTR_FAMILY]);
	if (af != AF_INET && af != AF_INET6) {
		NL_SET_ERR_MSG_ATTR(extack, tb[LVS_SVC_ATTR_FAMILY],
				    "Family must be AF_INET or AF_INET6");
		return -EAFNOSUPPORT;
	}
	key->af = af;
	if (tb[LVS_SVC_ATTR_FWMARK])
		return parse_svc_mark(nest, tb, key, extack);
	if (lvs_nl_missing(extack, nest, tb, LVS_SVC_ATTR_PROTOCOL,
			   "Missing service protocol") ||
	    lvs_nl_missing(extack, nest, tb, LVS_SVC_ATTR_ADDR,
			   "Missing service address") ||
	    lvs_nl_missing(extack, nest, tb, LVS_SVC_ATTR_PORT,
			   "Missing service port"))
		return -EINVAL;
	key->protocol = nla_get_u8(tb[LVS_SVC_ATTR_PROTOCOL]);
	if (!lvs_proto_find(key->protocol)) {
		NL_SET_ERR_MSG_ATTR(extack, tb[LVS_SVC_ATTR_PROTOCOL],
				    "Protocol must be TCP, UDP or SCTP");
		return -EPROTONOSUPPORT;
	}
	err = parse_addr(tb[LVS_SVC_ATTR_ADDR], key->af, &key->addr, extack);
	if (err)
		return err;
	key->port = nla_get_be16(tb[LVS_SVC_ATTR_PORT]);
	return 0;
}

static int parse_svc(const struct nlattr *nest, struct nlattr **tb,
		     struct lvs_svc_key *key, struct netlink_ext_ack *extack)
{
	return parse_svc_nest(nest, tb, key, false, extack);
}

/* Under ln->lock: the service with @key, or NULL and an error on @attr. */
static struct lvs_service *find_svc(struct lvs_net *ln,
				    const struct lvs_svc_key *key,
				    const struct nlattr *attr,
				    struct netlink_ext_ack *extack)
{
	struct lvs_service *svc = lvs_service_find(ln, key);

	if (!svc)
		NL_SET_ERR_MSG_ATTR(extack, attr, "No such service");
	return svc;
}

/*
 * Under ln->lock: the service @key a request names (its nest @attr),
 * which must exist; within transaction @txn, as @txn leaves it so far.
 */
static struct lvs_service *op_svc(struct lvs_net *ln, struct lvs_txn *txn,
				  const struct lvs_svc_key *key,
				  const struct nlattr *attr,
				  struct netlink_ext_ack *extack)
{
	struct lvs_service *svc;

	if (!txn)
		return find_svc(ln, key, attr, extack);
	svc = lvs_txn_svc(txn, key, extack);
	if (!svc)
		NL_SET_BAD_ATTR(extack, attr);
	return svc;
}

/* Under ln->lock: the service a request names, which must exist. */
static struct lvs_service *request_svc(struct lvs_net *ln,
				       struct lvs_txn *txn,
				       struct nlattr **attrs,
				       struct netlink_ext_ack *extack,
				       int *err)
{
	struct nlattr *tb[LVS_SVC_ATTR_MAX + 1];
	struct lvs_service *svc;
	struct lvs_svc_key key;

	*err = parse_svc(attrs[LVS_ATTR_SERVICE], tb, &key, extack);
	if (*err)
		return NULL;
	svc = op_svc(ln, txn, &key, attrs[LVS_ATTR_SERVICE], extack);
	if (!svc)
		*err = -ENOENT;
	return svc;
}

/* Scheduler names become module names: keep them to [a-z0-9_]. */
bool lvs_nl_sched_name_valid(const char *name)
{
	if (!*name)
		return false;
	for (; *name; name++)
		if (!islower(*name) && !isdigit(*name) && *name != '_')
			return false;
	return true;
}

/* The scheduler name of a request, if any, checked; NULL if absent. */
static int parse_sched_name(struct nlattr **tb, const char **name,
			    struct netlink_ext_ack *extack)
{
	*name = NULL;
	if (!tb[LVS_SVC_ATTR_SCHED_NAME])
		return 0;
	*name = nla_data(tb[LVS_SVC_ATTR_SCHED_NAME]);
	if (!lvs_nl_sched_name_valid(*name)) {
		NL_SET_ERR_MSG_ATTR(extack, tb[LVS_SVC_ATTR_SCHED_NAME],
				    "Scheduler name must be lowercase letters, digits or '_'");
		return -EINVAL;
	}
	return 0;
}

/*
 * Apply the scheduler and persistence options a request carries to @conf,
 * that of a service of family @af.
 */
static int parse_sched_conf(struct nlattr **tb, u8 af,
			    struct lvs_sched_conf *conf,
			    struct netlink_ext_ack *extack)
{
	struct nlattr *prefix = tb[LVS_SVC_ATTR_PERSIST_PREFIX];
	struct nlattr *size = tb[LVS_SVC_ATTR_MH_TABLE_SIZE];

	if (prefix) {
		if (nla_get_u8(prefix) > lvs_addr_len(af) * BITS_PER_BYTE) {
			NL_SET_ERR_MSG_ATTR(extack, prefix,
					    "Persistence prefix is longer than the address");
			return -EINVAL;
		}
		conf->persist_prefix = nla_get_u8(prefix);
	}
	if (tb[LVS_SVC_ATTR_PERSIST_TIMEOUT])
		conf->persist_timeout =
			nla_get_u32(tb[LVS_SVC_ATTR_PERSIST_TIMEOUT]);
	if (tb[LVS_SVC_ATTR_PERSIST_DRAINED])
		conf->persist_drained =
			nla_get_u8(tb[LVS_SVC_ATTR_PERSIST_DRAINED]);

	if (tb[LVS_SVC_ATTR_SCHED_FALLBACK])
		conf->fallback = nla_get_u8(tb[LVS_SVC_ATTR_SCHED_FALLBACK]);
	if (tb[LVS_SVC_ATTR_SCHED_HASH_PORT])
		conf->hash_port = nla_get_u8(tb[LVS_SVC_ATTR_SCHED_HASH_PORT]);
	if (tb[LVS_SVC_ATTR_ONE_PACKET])
		conf->one_packet = nla_get_u8(tb[LVS_SVC_ATTR_ONE_PACKET]);
	if (size) {
		if (!lvs_sched_is_prime(nla_get_u32(size))) {
			NL_SET_ERR_MSG_ATTR(extack, size,
					    "Maglev table size must be a prime");
			return -EINVAL;
		}
		conf->mh_table_size = nla_get_u32(size);
	}
	return 0;
}

static int put_counters(struct sk_buff *skb, int type,
			const struct lvs_stats *s, const struct lvs_rates *r)
{
	const struct {
		int type;
		u64 v;
	} attrs[] = {
		{ LVS_STATS_ATTR_CONNS, s->conns },
		{ LVS_STATS_ATTR_INPKTS, s->inpkts },
		{ LVS_STATS_ATTR_OUTPKTS, s->outpkts },
		{ LVS_STATS_ATTR_INBYTES, s->inbytes },
		{ LVS_STATS_ATTR_OUTBYTES, s->outbytes },
		{ LVS_STATS_ATTR_CPS, r->cps },
		{ LVS_STATS_ATTR_INPPS, r->inpps },
		{ LVS_STATS_ATTR_OUTPPS, r->outpps },
		{ LVS_STATS_ATTR_INBPS, r->inbps },
		{ LVS_STATS_ATTR_OUTBPS, r->outbps },
	};
	struct nlattr *nest = nla_nest_start(skb, type);
	unsigned int i;

	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < ARRAY_SIZE(attrs); i++)
		if (nla_put_u64_64bit(skb, attrs[i].type, attrs[i].v,
				      LVS_STATS_ATTR_PAD))
			return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

/* An object's counters since it was last zeroed, and rates: nest @type. */
static int put_stats(struct sk_buff *skb, int type,
		     struct lvs_cpu_stats __percpu *pcpu,
		     const struct lvs_stats *zeroed, const struct lvs_est *est)
{
	struct lvs_rates r;
	struct lvs_stats s;

	lvs_stats_read_since(pcpu, zeroed, &s);
	lvs_est_read(est, &r);
	return put_counters(skb, type, &s, &r);
}

/* A service's firewall mark, or its protocol, address and port. */
static int put_svc_addr(struct sk_buff *skb, const struct lvs_svc_key *key)
{
	if (key->fwmark)
		return nla_put_u32(skb, LVS_SVC_ATTR_FWMARK, key->fwmark);
	if (nla_put_u8(skb, LVS_SVC_ATTR_PROTOCOL, key->protocol) ||
	    nla_put(skb, LVS_SVC_ATTR_ADDR, lvs_addr_len(key->af), &key->addr) ||
	    nla_put_be16(skb, LVS_SVC_ATTR_PORT, key->port))
		return -EMSGSIZE;
	return 0;
}

/* LVS_ATTR_SERVICE as SERVICE_GET reports @svc, as @put (LVS_PUT_*) says. */
int lvs_nl_put_svc(struct sk_buff *skb, struct lvs_service *svc,
		   unsigned int put)
{
	struct nlattr *nest = nla_nest_start(skb, LVS_ATTR_SERVICE);

	if (!nest ||
	    nla_put_u16(skb, LVS_SVC_ATTR_FAMILY, svc->key.af) ||
	    put_svc_addr(skb, &svc->key) ||
	    nla_put_u32(skb, LVS_SVC_ATTR_PERSIST_TIMEOUT,
			svc->sched_conf.persist_timeout) ||
	    nla_put_u8(skb, LVS_SVC_ATTR_PERSIST_PREFIX,
		       svc->sched_conf.persist_prefix) ||
	    nla_put_u8(skb, LVS_SVC_ATTR_ONE_PACKET,
		       svc->sched_conf.one_packet) ||
	    nla_put_u8(skb, LVS_SVC_ATTR_PERSIST_DRAINED,
		       svc->sched_conf.persist_drained) ||
	    nla_put_string(skb, LVS_SVC_ATTR_SCHED_NAME, svc->sched->name) ||
	    nla_put_u8(skb, LVS_SVC_ATTR_SCHED_FALLBACK,
		       svc->sched_conf.fallback) ||
	    nla_put_u8(skb, LVS_SVC_ATTR_SCHED_HASH_PORT,
		       svc->sched_conf.hash_port) ||
	    nla_put_u32(skb, LVS_SVC_ATTR_MH_TABLE_SIZE,
			svc->sched_conf.mh_table_size) ||
	    nla_put_u32(skb, LVS_SVC_ATTR_DEST_COUNT, svc->num_dests) ||
	    (!(put & LVS_PUT_NO_STATS) &&
	     put_stats(skb, LVS_SVC_ATTR_STATS, svc->stats, &svc->zeroed,
		       &svc->est)) ||
	    ((put & LVS_PUT_FORCE) && nla_put_flag(skb, LVS_SVC_ATTR_FORCE)))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

/* LVS_ATTR_SERVICE with only the key of @svc. */
int lvs_nl_put_svc_key(struct sk_buff *skb, struct lvs_service *svc)
{
	struct nlattr *nest = nla_nest_start(skb, LVS_ATTR_SERVICE);

	if (!nest ||
	    nla_put_u16(skb, LVS_SVC_ATTR_FAMILY, svc->key.af) ||
	    put_svc_addr(skb, &svc->key))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

/* What a dump's request asks to leave out of each object it reports. */
static unsigned int dump_put(struct netlink_callback *cb)
{
	return lvs_dump_attrs(cb)[LVS_ATTR_NO_STATS] ? LVS_PUT_NO_STATS : 0;
}

static int fill_svc(struct sk_buff *skb, struct lvs_service *svc, u32 portid,
		    u32 seq, int flags, struct netlink_callback *cb)
{
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &lvs_genl_family, flags,
			  LVS_CMD_SERVICE_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);
	if (lvs_nl_put_svc(skb, svc, cb ? dump_put(cb) : 0)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/* LVS_ATTR_DEST as DEST_GET reports @dest, as @put (LVS_PUT_*) says. */
int lvs_nl_put_dest(struct sk_buff *skb, struct lvs_dest *dest,
		    unsigned int put)
{
	struct nlattr *nest = nla_nest_start(skb, LVS_ATTR_DEST);

	if (!nest ||
	    nla_put_u16(skb, LVS_DEST_ATTR_ADDR_FAMILY, dest->af) ||
	    nla_put(skb, LVS_DEST_ATTR_ADDR, lvs_addr_len(dest->af),
		    &dest->addr) ||
	    nla_put_be16(skb, LVS_DEST_ATTR_PORT, dest->port) ||
	    nla_put_u8(skb, LVS_DEST_ATTR_FWD_METHOD, dest->fwd) ||
	    nla_put_u32(skb, LVS_DEST_ATTR_WEIGHT, READ_ONCE(dest->weight)) ||
	    nla_put_u32(skb, LVS_DEST_ATTR_ACTIVE_CONNS,
			atomic_read(&dest->activeconns)) ||
	    nla_put_u32(skb, LVS_DEST_ATTR_INACTIVE_CONNS,
			atomic_read(&dest->inactconns)) ||
	    nla_put_u32(skb, LVS_DEST_ATTR_U_THRESHOLD,
			READ_ONCE(dest->u_threshold)) ||
	    nla_put_u32(skb, LVS_DEST_ATTR_L_THRESHOLD,
			READ_ONCE(dest->l_threshold)) ||
	    nla_put_u8(skb, LVS_DEST_ATTR_OVERLOADED,
		       READ_ONCE(dest->overloaded)) ||
	    nla_put_u32(skb, LVS_DEST_ATTR_PERSIST_CONNS,
			atomic_read(&dest->persistconns)) ||
	    (!(put & LVS_PUT_NO_STATS) &&
	     put_stats(skb, LVS_DEST_ATTR_STATS, dest->stats, &dest->zeroed,
		       &dest->est)) ||
	    ((put & LVS_PUT_FORCE) && nla_put_flag(skb, LVS_DEST_ATTR_FORCE)))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static int fill_dest(struct sk_buff *skb, struct lvs_dest *dest,
		     struct netlink_callback *cb)
{
	void *hdr;

	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &lvs_genl_family, NLM_F_MULTI, LVS_CMD_DEST_GET);
	if (!hdr)
		return -EMSGSIZE;
	genl_dump_check_consistent(cb, hdr);
	if (lvs_nl_put_dest(skb, dest, dump_put(cb))) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/* A destination's own family, if given: AF_INET or AF_INET6. */
static int check_dest_af(const struct nlattr *attr,
			 struct netlink_ext_ack *extack)
{
	u16 af;

	if (!attr)
		return 0;
	af = nla_get_u16(attr);
	if (af == AF_INET || af == AF_INET6)
		return 0;
	NL_SET_ERR_MSG_ATTR(extack, attr,
			    "Destination family must be AF_INET or AF_INET6");
	return -EAFNOSUPPORT;
}

/* Parse destination nest @nest into @tb; ADDR is required. */
static int parse_dest_nest(const struct nlattr *nest, struct nlattr **tb,
			   struct netlink_ext_ack *extack)
{
	int err;

	err = nla_parse_nested(tb, LVS_DEST_ATTR_MAX, nest, dest_policy,
			       extack);
	if (err)
		return err;
	if (lvs_nl_missing(extack, nest, tb, LVS_DEST_ATTR_ADDR,
			   "Missing destination address"))
		return -EINVAL;
	return check_dest_af(tb[LVS_DEST_ATTR_ADDR_FAMILY], extack);
}

/* The destination nest of a request, or NULL with the error said. */
static const struct nlattr *request_dest(struct nlattr **attrs,
					 struct netlink_ext_ack *extack)
{
	if (!attrs[LVS_ATTR_DEST]) {
		NL_SET_ERR_MSG(extack, "Missing destination (LVS_ATTR_DEST)");
		return NULL;
	}
	return attrs[LVS_ATTR_DEST];
}

/* Parse the destination nest of a request into @tb. */
static int parse_dest(struct nlattr **attrs, struct nlattr **tb,
		      struct netlink_ext_ack *extack)
{
	const struct nlattr *nest = request_dest(attrs, extack);

	return nest ? parse_dest_nest(nest, tb, extack) : -EINVAL;
}

/* FORCE means something to DEST_DEL only. */
static int refuse_force(struct nlattr **tb, struct netlink_ext_ack *extack)
{
	if (!tb[LVS_DEST_ATTR_FORCE])
		return 0;
	NL_SET_ERR_MSG_ATTR(extack, tb[LVS_DEST_ATTR_FORCE],
			    "Force applies to deleting a destination only");
	return -EINVAL;
}

/*
 * The family, address and port a parsed destination names within the
 * service of @key: the family is the service's unless ADDR_FAMILY says
 * otherwise.
 */
static int dest_addr_port(const struct lvs_svc_key *key, struct nlattr **tb,
			  u8 *af, union nf_inet_addr *addr, __be16 *port,
			  struct netlink_ext_ack *extack)
{
	int err;

	*af = key->af;
	if (tb[LVS_DEST_ATTR_ADDR_FAMILY])
		*af = nla_get_u16(tb[LVS_DEST_ATTR_ADDR_FAMILY]);
	err = parse_addr(tb[LVS_DEST_ATTR_ADDR], *af, addr, extack);
	if (err)
		return err;
	*port = tb[LVS_DEST_ATTR_PORT] ? nla_get_be16(tb[LVS_DEST_ATTR_PORT]) : 0;
	if (!*port)
		*port = key->port;
	return 0;
}

/* Apply the weight and thresholds a request carries to @conf. */
static void parse_dest_limits(struct nlattr **tb, struct lvs_dest_conf *conf)
{
	if (tb[LVS_DEST_ATTR_WEIGHT])
		conf->weight = nla_get_u32(tb[LVS_DEST_ATTR_WEIGHT]);
	if (tb[LVS_DEST_ATTR_U_THRESHOLD])
		conf->u_threshold = nla_get_u32(tb[LVS_DEST_ATTR_U_THRESHOLD]);
	if (tb[LVS_DEST_ATTR_L_THRESHOLD])
		conf->l_threshold = nla_get_u32(tb[LVS_DEST_ATTR_L_THRESHOLD]);
}

/*
 * A destination of another family than its service's is reached through a
 * tunnel only, and the request must ask for one: no method means NAT.
 */
static int check_dest_family(const struct lvs_svc_key *key,
			     struct nlattr **tb, u8 af, u8 fwd,
			     struct netlink_ext_ack *extack)
{
	if (af == key->af)
		return 0;
	if (!tb[LVS_DEST_ATTR_FWD_METHOD]) {
		NL_SET_ERR_MSG_ATTR(extack, tb[LVS_DEST_ATTR_ADDR_FAMILY],
				    "A destination of another family than the service's needs forwarding method TUN");
		return -EINVAL;
	}
	if (fwd != LVS_FWD_TUN) {
		NL_SET_ERR_MSG_ATTR(extack, tb[LVS_DEST_ATTR_FWD_METHOD],
				    "Only TUN forwards to a destination of another family than the service's");
		return -EINVAL;
	}
	return 0;
}

/* What destination nest @nest of service @key asks to add, in @conf. */
static int parse_dest_conf(const struct nlattr *nest,
			   const struct lvs_svc_key *key,
			   struct lvs_dest_conf *conf,
			   struct netlink_ext_ack *extack)
{
	struct nlattr *tb[LVS_DEST_ATTR_MAX + 1];
	int err;

	err = parse_dest_nest(nest, tb, extack) ?: refuse_force(tb, extack);
	if (err)
		return err;
	memset(conf, 0, sizeof(*conf));
	conf->fwd = LVS_FWD_NAT;
	conf->weight = 1;
	if (tb[LVS_DEST_ATTR_FWD_METHOD])
		conf->fwd = nla_get_u8(tb[LVS_DEST_ATTR_FWD_METHOD]);
	parse_dest_limits(tb, conf);
	return dest_addr_port(key, tb, &conf->af, &conf->addr, &conf->port,
			      extack) ?:
	       check_dest_family(key, tb, conf->af, conf->fwd, extack);
}

/*
 * The destinations to add to service @key: LVS_ATTR_DESTS, or with
 * @single LVS_ATTR_DEST. Returns an array of *@n (kvfree() it), NULL for
 * none, or an ERR_PTR().
 */
static struct lvs_dest_conf *parse_dest_confs(struct nlattr **attrs,
					      struct netlink_ext_ack *extack,
					      const struct lvs_svc_key *key,
					      bool single, unsigned int *n)
{
	const struct nlattr *list = attrs[LVS_ATTR_DESTS];
	const struct nlattr *nest = NULL;
	struct lvs_dest_conf *confs;
	unsigned int i = 0;
	int err = 0, rem;

	*n = 0;
	if (single && list && attrs[LVS_ATTR_DEST]) {
		NL_SET_ERR_MSG_ATTR(extack, list,
				    "Give either LVS_ATTR_DEST or LVS_ATTR_DESTS");
		return ERR_PTR(-EINVAL);
	}
	if (list) {
		nla_for_each_nested(nest, list, rem)
			(*n)++;
	} else if (single) {
		nest = request_dest(attrs, extack);
		if (!nest)
			return ERR_PTR(-EINVAL);
		*n = 1;
	}
	if (!*n)
		return NULL;

	confs = kvmalloc_array(*n, sizeof(*confs), GFP_KERNEL);
	if (!confs)
		return ERR_PTR(-ENOMEM);
	if (!list) {
		err = parse_dest_conf(nest, key, confs, extack);
	} else {
		nla_for_each_nested(nest, list, rem) {
			err = parse_dest_conf(nest, key, &confs[i++], extack);
			if (err)
				break;
		}
	}
	if (err) {
		kvfree(confs);
		return ERR_PTR(err);
	}
	return confs;
}

/* Point the extack at destination @i of the request, which failed. */
static void bad_dest(struct nlattr **attrs, struct netlink_ext_ack *extack,
		     unsigned int i)
{
	const struct nlattr *nest;
	int rem;

	if (!attrs[LVS_ATTR_DESTS]) {
		NL_SET_BAD_ATTR(extack, attrs[LVS_ATTR_DEST]);
		return;
	}
	nla_for_each_nested(nest, attrs[LVS_ATTR_DESTS], rem) {
		if (!i--) {
			NL_SET_BAD_ATTR(extack, nest);
			return;
		}
	}
}

/*
 * The changes a request makes: each under ln->lock, directly, or within
 * transaction @txn (LVS_CMD_APPLY, netlink_apply.c) staged for it.
 */
typedef int (*op_fn)(struct lvs_net *ln, struct lvs_txn *txn,
		     struct nlattr **attrs, struct netlink_ext_ack *extack);

/* A service, and with LVS_ATTR_DESTS its destinations: all or nothing. */
static int svc_new_op(struct lvs_net *ln, struct lvs_txn *txn,
		      struct nlattr **attrs, struct netlink_ext_ack *extack)
{
	struct nlattr *tb[LVS_SVC_ATTR_MAX + 1];
	struct lvs_sched_conf conf = {
		.mh_table_size = LVS_MH_TABLE_DEFAULT,
	};
	struct lvs_dest_conf *dests;
	struct lvs_svc_key key;
	unsigned int n, bad;
	const char *sched;
	int err;

	err = parse_svc(attrs[LVS_ATTR_SERVICE], tb, &key, extack);
	if (err)
		return err;
	conf.persist_prefix = lvs_addr_len(key.af) * BITS_PER_BYTE;
	if (lvs_nl_missing(extack, attrs[LVS_ATTR_SERVICE], tb,
			   LVS_SVC_ATTR_SCHED_NAME, "Missing scheduler name"))
		return -EINVAL;
	err = parse_sched_name(tb, &sched, extack) ?:
	      parse_sched_conf(tb, key.af, &conf, extack);
	if (err)
		return err;
	dests = parse_dest_confs(attrs, extack, &key, false, &n);
	if (IS_ERR(dests))
		return PTR_ERR(dests);

	if (txn)
		err = lvs_txn_svc_add(txn, &key, sched, &conf, dests, n, &bad,
				      extack);
	else
		err = lvs_service_add(ln, &key, sched, &conf, dests, n, &bad,
				      extack);
	if (err && bad < n)
		bad_dest(attrs, extack, bad);
	kvfree(dests);
	return err;
}

static int svc_set_op(struct lvs_net *ln, struct lvs_txn *txn,
		      struct nlattr **attrs, struct netlink_ext_ack *extack)
{
	struct nlattr *tb[LVS_SVC_ATTR_MAX + 1];
	struct lvs_sched_conf conf;
	struct lvs_service *svc;
	struct lvs_svc_key key;
	const char *sched;
	int err;

	err = parse_svc(attrs[LVS_ATTR_SERVICE], tb, &key, extack) ?:
	      parse_sched_name(tb, &sched, extack);
	if (err)
		return err;
	svc = find_svc(ln, &key, attrs[LVS_ATTR_SERVICE], extack);
	if (!svc)
		return -ENOENT;
	conf = svc->sched_conf;
	err = parse_sched_conf(tb, key.af, &conf, extack);
	if (err)
		return err;
	if (txn)
		return lvs_txn_svc_edit(txn, svc, sched, &conf, extack);
	return lvs_service_edit(svc, sched, &conf, extack);
}

/* Within a transaction without FORCE, which cuts connections. */
static int svc_del_op(struct lvs_net *ln, struct lvs_txn *txn,
		      struct nlattr **attrs, struct netlink_ext_ack *extack)
{
	struct nlattr *tb[LVS_SVC_ATTR_MAX + 1];
	struct lvs_service *svc;
	struct lvs_svc_key key;
	int err;

	err = parse_svc_nest(attrs[LVS_ATTR_SERVICE], tb, &key, !txn, extack);
	if (err)
		return err;
	svc = find_svc(ln, &key, attrs[LVS_ATTR_SERVICE], extack);
	if (!svc)
		return -ENOENT;
	if (txn)
		return lvs_txn_svc_del(txn, svc, extack);
	lvs_service_del(svc, nla_get_flag(tb[LVS_SVC_ATTR_FORCE]));
	return 0;
}

/* The service nest of SERVICE_FLUSH holds FORCE or nothing. */
static int lvs_nl_service_flush(struct sk_buff *skb, struct genl_info *info)
{
	struct lvs_net *ln = lvs_net(genl_info_net(info));
	struct nlattr *nest = info->attrs[LVS_ATTR_SERVICE];
	struct nlattr *tb[LVS_SVC_ATTR_MAX + 1];
	bool force = false;
	int err, i;

	if (nest) {
		err = nla_parse_nested(tb, LVS_SVC_ATTR_MAX, nest, svc_policy,
				       info->extack);
		if (err)
			return err;
		for (i = 0; i <= LVS_SVC_ATTR_MAX; i++) {
			if (tb[i] && i != LVS_SVC_ATTR_FORCE) {
				NL_SET_ERR_MSG_ATTR(info->extack, tb[i],
						    "Service flush names no service: it takes force only");
				return -EINVAL;
			}
		}
		force = nla_get_flag(tb[LVS_SVC_ATTR_FORCE]);
	}

	mutex_lock(&ln->lock);
	lvs_service_flush(ln, force);
	mutex_unlock(&ln->lock);
	return 0;
}

static int lvs_nl_service_get(struct sk_buff *skb, struct genl_info *info)
{
	struct lvs_net *ln = lvs_net(genl_info_net(info));
	struct lvs_service *svc;
	struct sk_buff *msg;
	int err;

	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;

	mutex_lock(&ln->lock);
	svc = request_svc(ln, NULL, info->attrs, info->extack, &err);
	if (svc)
		err = fill_svc(msg, svc, info->snd_portid, info->snd_seq, 0,
			       NULL);
	mutex_unlock(&ln->lock);

	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

/* An attribute's length is 16 bits: room for the last destination. */
#define DESTS_NEST_MAX (U16_MAX - 512)

/*
 * A dump's message of @svc with its destinations from the *@from'th on,
 * as many as fit. 0 when the last went, else -EMSGSIZE with *@from at
 * the first that did not (the message is left out if none did).
 */
static int fill_svc_dests(struct sk_buff *skb, struct lvs_service *svc,
			  struct netlink_callback *cb, long *from)
{
	unsigned int put = dump_put(cb);
	struct nlattr *list;
	struct lvs_dest *dest;
	long idx = 0, sent = 0;
	bool full = false;
	void *hdr, *mark;

	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &lvs_genl_family, NLM_F_MULTI, LVS_CMD_SERVICE_GET);
	if (!hdr)
		return -EMSGSIZE;
	genl_dump_check_consistent(cb, hdr);
	if (lvs_nl_put_svc(skb, svc, put))
		goto cancel;
	list = nla_nest_start(skb, LVS_ATTR_DESTS);
	if (!list)
		goto cancel;
	list_for_each_entry(dest, &svc->dests, list) {
		if (idx++ < *from)
			continue;
		mark = skb_tail_pointer(skb);
		if ((unsigned char *)mark - (unsigned char *)list >
		    DESTS_NEST_MAX || lvs_nl_put_dest(skb, dest, put)) {
			nlmsg_trim(skb, mark);
			full = true;
			break;
		}
		sent++;
	}
	if (full && !sent)
		goto cancel;
	nla_nest_end(skb, list);
	genlmsg_end(skb, hdr);
	*from = full ? *from + sent : 0;
	return full ? -EMSGSIZE : 0;

cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

/*
 * cb->args[0]: how many services earlier parts of the dump sent whole;
 * cb->args[1]: how many destinations of the next one they sent.
 */
static int lvs_nl_service_dump(struct sk_buff *skb,
			       struct netlink_callback *cb)
{
	bool dests = lvs_dump_attrs(cb)[LVS_ATTR_DESTS];
	struct lvs_net *ln = lvs_net(sock_net(skb->sk));
	struct lvs_service *svc;
	long idx = 0;
	int err;

	mutex_lock(&ln->lock);
	cb->seq = ln->gen;
	list_for_each_entry(svc, &ln->svc_list, list) {
		if (idx++ < cb->args[0])
			continue;
		if (dests)
			err = fill_svc_dests(skb, svc, cb, &cb->args[1]);
		else
			err = fill_svc(skb, svc, NETLINK_CB(cb->skb).portid,
				       cb->nlh->nlmsg_seq, NLM_F_MULTI, cb);
		if (err) {
			idx--;
			break;
		}
	}
	mutex_unlock(&ln->lock);
	cb->args[0] = idx;
	return skb->len;
}

/* One service's counters and its destinations', or without a key all. */
static int lvs_nl_zero(struct sk_buff *skb, struct genl_info *info)
{
	struct lvs_net *ln = lvs_net(genl_info_net(info));
	struct lvs_service *svc;
	int err = 0;

	mutex_lock(&ln->lock);
	if (info->attrs[LVS_ATTR_SERVICE]) {
		svc = request_svc(ln, NULL, info->attrs, info->extack, &err);
		if (svc)
			lvs_service_zero(svc);
	} else {
		lvs_service_zero_all(ln);
	}
	mutex_unlock(&ln->lock);
	return err;
}

/* Add one destination (LVS_ATTR_DEST) or several, all or none. */
static int dest_new_op(struct lvs_net *ln, struct lvs_txn *txn,
		       struct nlattr **attrs, struct netlink_ext_ack *extack)
{
	struct nlattr *tb[LVS_SVC_ATTR_MAX + 1];
	struct lvs_dest_conf *confs;
	struct lvs_service *svc;
	struct lvs_svc_key key;
	unsigned int n, bad;
	int err;

	err = parse_svc(attrs[LVS_ATTR_SERVICE], tb, &key, extack);
	if (err)
		return err;
	confs = parse_dest_confs(attrs, extack, &key, true, &n);
	if (IS_ERR(confs))
		return PTR_ERR(confs);
	if (!n) {
		NL_SET_ERR_MSG_ATTR(extack, attrs[LVS_ATTR_DESTS],
				    "No destination in LVS_ATTR_DESTS");
		return -EINVAL;
	}

	svc = op_svc(ln, txn, &key, attrs[LVS_ATTR_SERVICE], extack);
	err = -ENOENT;
	if (svc && txn)
		err = lvs_txn_dest_add(txn, svc, confs, n, &bad, extack);
	else if (svc)
		err = lvs_dest_add_set(svc, confs, n, &bad, extack);
	if (err && svc && bad < n)
		bad_dest(attrs, extack, bad);
	kvfree(confs);
	return err;
}

/*
 * Under ln->lock: the destination a request names (parsed into @tb), of
 * the service it names, which must both exist.
 */
static struct lvs_dest *request_dest_of(struct lvs_net *ln,
					struct lvs_txn *txn,
					struct nlattr **attrs,
					struct nlattr **tb,
					struct netlink_ext_ack *extack,
					int *err)
{
	union nf_inet_addr addr;
	struct lvs_service *svc;
	struct lvs_dest *dest;
	__be16 port;
	u8 af;

	svc = request_svc(ln, txn, attrs, extack, err);
	if (!svc)
		return NULL;
	*err = dest_addr_port(&svc->key, tb, &af, &addr, &port, extack);
	if (*err)
		return NULL;
	dest = lvs_dest_find(svc, af, &addr, port);
	if (!dest) {
		NL_SET_ERR_MSG_ATTR(extack, attrs[LVS_ATTR_DEST],
				    "No such destination");
		*err = -ENOENT;
	}
	return dest;
}

static int dest_set_op(struct lvs_net *ln, struct lvs_txn *txn,
		       struct nlattr **attrs, struct netlink_ext_ack *extack)
{
	struct nlattr *tb[LVS_DEST_ATTR_MAX + 1];
	struct lvs_dest_conf conf;
	struct lvs_dest *dest;
	int err;

	err = parse_dest(attrs, tb, extack) ?: refuse_force(tb, extack);
	if (err)
		return err;
	dest = request_dest_of(ln, txn, attrs, tb, extack, &err);
	if (!dest)
		return err;
	/* What the request leaves out keeps its value. */
	conf.fwd = dest->fwd;
	if (tb[LVS_DEST_ATTR_FWD_METHOD])
		conf.fwd = nla_get_u8(tb[LVS_DEST_ATTR_FWD_METHOD]);
	conf.weight = dest->weight;
	conf.u_threshold = dest->u_threshold;
	conf.l_threshold = dest->l_threshold;
	parse_dest_limits(tb, &conf);
	if (txn)
		return lvs_txn_dest_edit(txn, dest, &conf, extack);
	return lvs_dest_edit(dest->svc, dest, &conf, extack);
}

/* Within a transaction without FORCE, which cuts connections. */
static int dest_del_op(struct lvs_net *ln, struct lvs_txn *txn,
		       struct nlattr **attrs, struct netlink_ext_ack *extack)
{
	struct nlattr *tb[LVS_DEST_ATTR_MAX + 1];
	struct lvs_dest *dest;
	int err;

	err = parse_dest(attrs, tb, extack);
	if (!err && txn)
		err = refuse_force(tb, extack);
	if (err)
		return err;
	dest = request_dest_of(ln, txn, attrs, tb, extack, &err);
	if (!dest)
		return err;
	if (txn)
		return lvs_txn_dest_del(txn, dest, extack);
	return lvs_dest_del(dest->svc, dest->af, &dest->addr, dest->port,
			    nla_get_flag(tb[LVS_DEST_ATTR_FORCE]), extack);
}

/* TIMEOUT_SET within a transaction (netlink_timeout.c has it alone). */
static int timeout_set_op(struct lvs_net *ln, struct lvs_txn *txn,
			  struct nlattr **attrs,
			  struct netlink_ext_ack *extack)
{
	struct lvs_timeout_stage *st = lvs_txn_timeouts(txn);

	return st ? lvs_nl_timeouts_stage(attrs, st, extack) : -ENOMEM;
}

/* The request of @info, as @fn makes it, under the namespace's lock. */
static int locked_op(struct genl_info *info, op_fn fn)
{
	struct lvs_net *ln = lvs_net(genl_info_net(info));
	int err;

	mutex_lock(&ln->lock);
	err = fn(ln, NULL, info->attrs, info->extack);
	mutex_unlock(&ln->lock);
	return err;
}

static int lvs_nl_service_new(struct sk_buff *skb, struct genl_info *info)
{
	return locked_op(info, svc_new_op);
}

static int lvs_nl_service_set(struct sk_buff *skb, struct genl_info *info)
{
	return locked_op(info, svc_set_op);
}

static int lvs_nl_service_del(struct sk_buff *skb, struct genl_info *info)
{
	return locked_op(info, svc_del_op);
}

static int lvs_nl_dest_new(struct sk_buff *skb, struct genl_info *info)
{
	return locked_op(info, dest_new_op);
}

static int lvs_nl_dest_set(struct sk_buff *skb, struct genl_info *info)
{
	return locked_op(info, dest_set_op);
}

static int lvs_nl_dest_del(struct sk_buff *skb, struct genl_info *info)
{
	return locked_op(info, dest_del_op);
}

/*
 * One change of transaction @txn, of command @cmd with attributes
 * @attrs, staged. Under ln->lock.
 */
int lvs_nl_op(struct lvs_net *ln, struct lvs_txn *txn, u8 cmd,
	      struct nlattr **attrs, struct netlink_ext_ack *extack)
{
	static const op_fn ops[LVS_CMD_MAX + 1] = {
		[LVS_CMD_SERVICE_NEW]	= svc_new_op,
		[LVS_CMD_SERVICE_SET]	= svc_set_op,
		[LVS_CMD_SERVICE_DEL]	= svc_del_op,
		[LVS_CMD_DEST_NEW]	= dest_new_op,
		[LVS_CMD_DEST_SET]	= dest_set_op,
		[LVS_CMD_DEST_DEL]	= dest_del_op,
		[LVS_CMD_TIMEOUT_SET]	= timeout_set_op,
	};

	if (cmd > LVS_CMD_MAX || !ops[cmd]) {
		NL_SET_ERR_MSG_ATTR(extack, attrs[LVS_ATTR_OP_CMD],
				    "Command cannot be part of a transaction");
		return -EOPNOTSUPP;
	}
	return ops[cmd](ln, txn, attrs, extack);
}

/*
 * A destination dump's state, in cb->ctx (which shares its bytes with
 * cb->args): the service, parsed and checked in the first part of the
 * dump rather than in .start (only there does 6.1 pass an extack, for the
 * reason to reach userspace), and how many destinations earlier parts of
 * the dump sent.
 */
struct dest_dump_ctx {
	struct lvs_svc_key key;
	long sent;
	bool checked;
};

static int lvs_nl_dest_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct nlattr *nest = lvs_dump_attrs(cb)[LVS_ATTR_SERVICE];
	struct dest_dump_ctx *ctx = (struct dest_dump_ctx *)cb->ctx;
	struct lvs_net *ln = lvs_net(sock_net(skb->sk));
	struct nlattr *tb[LVS_SVC_ATTR_MAX + 1];
	struct lvs_service *svc;
	struct lvs_dest *dest;
	long idx = 0;
	int err;

	BUILD_BUG_ON(sizeof(*ctx) > sizeof(cb->ctx));
	if (!ctx->checked) {
		err = parse_svc(nest, tb, &ctx->key, cb->extack);
		if (err)
			return err;
		ctx->checked = true;
	}
	mutex_lock(&ln->lock);
	cb->seq = ln->gen;
	svc = find_svc(ln, &ctx->key, nest, cb->extack);
	if (!svc) {
		err = -ENOENT;
		goto out;
	}
	list_for_each_entry(dest, &svc->dests, list) {
		if (idx++ < ctx->sent)
			continue;
		if (fill_dest(skb, dest, cb)) {
			idx--;
			break;
		}
	}
	ctx->sent = idx;
	err = skb->len;
out:
	mutex_unlock(&ln->lock);
	return err;
}

/* For the other netlink files: a message header of the family. */
void *lvs_nl_put_hdr(struct sk_buff *skb, u32 portid, u32 seq, int flags,
		     u8 cmd)
{
	return genlmsg_put(skb, portid, seq, &lvs_genl_family, flags, cmd);
}

/* For the other netlink files: the key of a service nest, checked. */
int lvs_nl_parse_svc_key(const struct nlattr *nest, struct lvs_svc_key *key,
			 struct netlink_ext_ack *extack)
{
	struct nlattr *tb[LVS_SVC_ATTR_MAX + 1];

	return parse_svc(nest, tb, key, extack);
}

static const struct genl_ops lvs_genl_ops[] = {
	{
		.cmd	= LVS_CMD_SERVICE_NEW,
		.doit	= lvs_nl_service_new,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= LVS_CMD_SERVICE_DEL,
		.doit	= lvs_nl_service_del,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= LVS_CMD_SERVICE_GET,
		.doit	= lvs_nl_service_get,
		.dumpit	= lvs_nl_service_dump,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= LVS_CMD_DEST_NEW,
		.doit	= lvs_nl_dest_new,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= LVS_CMD_DEST_DEL,
		.doit	= lvs_nl_dest_del,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= LVS_CMD_DEST_GET,
		.dumpit	= lvs_nl_dest_dump,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= LVS_CMD_INFO_GET,
		.doit	= lvs_nl_info_get,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= LVS_CMD_SERVICE_SET,
		.doit	= lvs_nl_service_set,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= LVS_CMD_DEST_SET,
		.doit	= lvs_nl_dest_set,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= LVS_CMD_TIMEOUT_SET,
		.doit	= lvs_nl_timeout_set,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= LVS_CMD_TIMEOUT_GET,
		.doit	= lvs_nl_timeout_get,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= LVS_CMD_CONN_GET,
		.start	= lvs_nl_conn_dump_start,
		.dumpit	= lvs_nl_conn_dump,
		.done	= lvs_nl_conn_dump_done,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= LVS_CMD_CONN_FLUSH,
		.doit	= lvs_nl_conn_flush,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= LVS_CMD_SERVICE_FLUSH,
		.doit	= lvs_nl_service_flush,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= LVS_CMD_INFO_SET,
		.doit	= lvs_nl_info_set,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= LVS_CMD_ZERO,
		.doit	= lvs_nl_zero,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= LVS_CMD_APPLY,
		.doit	= lvs_nl_apply,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
};

static const struct genl_multicast_group lvs_genl_mcgrps[] = {
	[LVS_NL_MCGRP_EVENTS] = {
		.name	= LVS_MCGRP_EVENTS,
		.flags	= GENL_MCAST_CAP_NET_ADMIN,
	},
};

struct genl_family lvs_genl_family __ro_after_init = {
	.name		= LVS_GENL_NAME,
	.version	= LVS_GENL_VERSION,
	.maxattr	= LVS_ATTR_MAX,
	.policy		= lvs_policy,
	.netnsok	= true,
	.parallel_ops	= true,
	.module		= THIS_MODULE,
	.ops		= lvs_genl_ops,
	.n_ops		= ARRAY_SIZE(lvs_genl_ops),
	.mcgrps		= lvs_genl_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(lvs_genl_mcgrps),
};

int __init lvs_netlink_init(void)
{
	return genl_register_family(&lvs_genl_family);
}

void lvs_netlink_exit(void)
{
	genl_unregister_family(&lvs_genl_family);
}
