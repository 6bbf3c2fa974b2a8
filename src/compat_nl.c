// SPDX-License-Identifier: GPL-2.0
/*
 * The "IPVS" generic netlink family of the kernel's ip_vs (linux/ip_vs.h,
 * version 1.2.1), so that ipvsadm, keepalived and whatever else is built
 * on libipvs drive lvs unchanged. Each request is translated onto the
 * services and destinations of service.c and dest.c, the same objects the
 * "LVS" family changes: a service added here is listed there and the
 * other way round.
 *
 * Requests are parsed as ip_vs parses them: leniently (attributes that do
 * not apply are ignored, since those tools send every field), with the
 * same required attributes and the same error numbers, so that the tools
 * print the messages they print for ip_vs. Each rejection also carries an
 * extack message. The settings of compat_nl_config.c (timeouts, version,
 * sync daemons) are served there.
 */

#include <net/genetlink.h>
#include <net/sock.h>

#include <uapi/linux/ip_vs.h>
#include <uapi/linux/lvs.h>

#include "addr.h"
#include "compat_conv.h"
#include "compat_nl.h"
#include "dest.h"
#include "netlink.h"
#include "netns.h"
#include "proto.h"
#include "service.h"

static const struct nla_policy svc_policy[IPVS_SVC_ATTR_MAX + 1] = {
	[IPVS_SVC_ATTR_AF]		= { .type = NLA_U16 },
	[IPVS_SVC_ATTR_PROTOCOL]	= { .type = NLA_U16 },
	[IPVS_SVC_ATTR_ADDR]		= { .type = NLA_BINARY,
					    .len = sizeof(union nf_inet_addr) },
	[IPVS_SVC_ATTR_PORT]		= { .type = NLA_U16 },
	[IPVS_SVC_ATTR_FWMARK]		= { .type = NLA_U32 },
	[IPVS_SVC_ATTR_SCHED_NAME]	= { .type = NLA_NUL_STRING,
					    .len = IP_VS_SCHEDNAME_MAXLEN - 1 },
	[IPVS_SVC_ATTR_PE_NAME]		= { .type = NLA_NUL_STRING,
					    .len = IP_VS_PENAME_MAXLEN },
	[IPVS_SVC_ATTR_FLAGS]		= { .type = NLA_BINARY,
					    .len = sizeof(struct ip_vs_flags) },
	[IPVS_SVC_ATTR_TIMEOUT]		= { .type = NLA_U32 },
	[IPVS_SVC_ATTR_NETMASK]		= { .type = NLA_U32 },
	[IPVS_SVC_ATTR_STATS]		= { .type = NLA_NESTED },
};

static const struct nla_policy dest_policy[IPVS_DEST_ATTR_MAX + 1] = {
	[IPVS_DEST_ATTR_ADDR]		= { .type = NLA_BINARY,
					    .len = sizeof(union nf_inet_addr) },
	[IPVS_DEST_ATTR_PORT]		= { .type = NLA_U16 },
	[IPVS_DEST_ATTR_FWD_METHOD]	= { .type = NLA_U32 },
	[IPVS_DEST_ATTR_WEIGHT]		= { .type = NLA_U32 },
	[IPVS_DEST_ATTR_U_THRESH]	= { .type = NLA_U32 },
	[IPVS_DEST_ATTR_L_THRESH]	= { .type = NLA_U32 },
	[IPVS_DEST_ATTR_ACTIVE_CONNS]	= { .type = NLA_U32 },
	[IPVS_DEST_ATTR_INACT_CONNS]	= { .type = NLA_U32 },
	[IPVS_DEST_ATTR_PERSIST_CONNS]	= { .type = NLA_U32 },
	[IPVS_DEST_ATTR_STATS]		= { .type = NLA_NESTED },
	[IPVS_DEST_ATTR_ADDR_FAMILY]	= { .type = NLA_U16 },
	[IPVS_DEST_ATTR_TUN_TYPE]	= { .type = NLA_U8 },
	[IPVS_DEST_ATTR_TUN_PORT]	= { .type = NLA_U16 },
	[IPVS_DEST_ATTR_TUN_FLAGS]	= { .type = NLA_U16 },
};

/*
 * An address attribute: ip_vs's tools send 16 bytes whatever the family,
 * so it holds at least the family's length.
 */
static int parse_addr(const struct nlattr *attr, u8 af,
		      union nf_inet_addr *addr, struct netlink_ext_ack *extack)
{
	if (nla_len(attr) < lvs_addr_len(af)) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "Address is shorter than its family's");
		return -EINVAL;
	}
	memset(addr, 0, sizeof(*addr));
	memcpy(addr, nla_data(attr), lvs_addr_len(af));
	if (!lvs_nl_addr_usable(af, addr)) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "Address must be a unicast, non-loopback address");
		return -EINVAL;
	}
	return 0;
}

static int parse_af(const struct nlattr *attr, u8 *af,
		    struct netlink_ext_ack *extack)
{
	u16 v = nla_get_u16(attr);

	if (v != AF_INET && v != AF_INET6) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "Family must be AF_INET or AF_INET6");
		return -EAFNOSUPPORT;
	}
	*af = v;
	return 0;
}

/*
 * The service nest @nest: its attributes in @tb and its key in @key. A
 * firewall mark of 0 is no mark, as in ip_vs.
 */
static int parse_svc_key(const struct nlattr *nest, struct nlattr **tb,
			 struct lvs_svc_key *key, struct netlink_ext_ack *extack)
{
	u16 protocol;
	int err;

	if (!nest) {
		NL_SET_ERR_MSG(extack, "Missing service (IPVS_CMD_ATTR_SERVICE)");
		return -EINVAL;
	}
	err = nla_parse_nested_deprecated(tb, IPVS_SVC_ATTR_MAX, nest,
					  svc_policy, extack);
	if (err)
		return err;
	if (lvs_nl_missing(extack, nest, tb, IPVS_SVC_ATTR_AF,
			   "Missing service family"))
		return -EINVAL;
	memset(key, 0, sizeof(*key));
	err = parse_af(tb[IPVS_SVC_ATTR_AF], &key->af, extack);
	if (err)
		return err;
	if (tb[IPVS_SVC_ATTR_FWMARK])
		key->fwmark = nla_get_u32(tb[IPVS_SVC_ATTR_FWMARK]);
	if (key->fwmark)
		return 0;
	if (lvs_nl_missing(extack, nest, tb, IPVS_SVC_ATTR_PROTOCOL,
			   "Missing service protocol or firewall mark") ||
	    lvs_nl_missing(extack, nest, tb, IPVS_SVC_ATTR_ADDR,
			   "Missing service address") ||
	    lvs_nl_missing(extack, nest, tb, IPVS_SVC_ATTR_PORT,
			   "Missing service port"))
		return -EINVAL;
	protocol = nla_get_u16(tb[IPVS_SVC_ATTR_PROTOCOL]);
	if (protocol > U8_MAX || !lvs_proto_find(protocol)) {
		NL_SET_ERR_MSG_ATTR(extack, tb[IPVS_SVC_ATTR_PROTOCOL],
				    "Protocol must be TCP, UDP or SCTP");
		return -EPROTONOSUPPORT;
	}
	key->protocol = protocol;
	key->port = nla_get_be16(tb[IPVS_SVC_ATTR_PORT]);
	return parse_addr(tb[IPVS_SVC_ATTR_ADDR], key->af, &key->addr, extack);
}

/* The persistence netmask, as a prefix length in *@prefix. */
static int parse_netmask(const struct nlattr *attr, u8 af, u8 *prefix,
			 struct netlink_ext_ack *extack)
{
	if (lvs_compat_netmask_prefix(af, nla_get_u32(attr), prefix))
		return 0;
	if (af == AF_INET)
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "Persistence netmask must be contiguous");
	else
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "IPv6 persistence netmask is a prefix length, 1 to 128");
	return -EINVAL;
}

/*
 * The rest of a full service entry (NEW_SERVICE, SET_SERVICE), applied to
 * @conf, which holds the service's settings or the defaults: every field
 * of it is replaced, as ip_vs replaces them. Flags apply under their mask.
 */
static int parse_svc_conf(const struct nlattr *nest, struct nlattr **tb,
			  u8 af, struct lvs_sched_conf *conf,
			  const char **sched, struct netlink_ext_ack *extack)
{
	struct ip_vs_flags f;
	u32 flags, timeout;
	int err;

	if (lvs_nl_missing(extack, nest, tb, IPVS_SVC_ATTR_SCHED_NAME,
			   "Missing scheduler name") ||
	    lvs_nl_missing(extack, nest, tb, IPVS_SVC_ATTR_FLAGS,
			   "Missing service flags") ||
	    lvs_nl_missing(extack, nest, tb, IPVS_SVC_ATTR_TIMEOUT,
			   "Missing persistence timeout") ||
	    lvs_nl_missing(extack, nest, tb, IPVS_SVC_ATTR_NETMASK,
			   "Missing persistence netmask"))
		return -EINVAL;
	if (tb[IPVS_SVC_ATTR_PE_NAME] &&
	    *(char *)nla_data(tb[IPVS_SVC_ATTR_PE_NAME])) {
		NL_SET_ERR_MSG_ATTR(extack, tb[IPVS_SVC_ATTR_PE_NAME],
				    "Persistence engines (such as sip) are not supported");
		return -EOPNOTSUPP;
	}
	*sched = nla_data(tb[IPVS_SVC_ATTR_SCHED_NAME]);
	if (!lvs_nl_sched_name_valid(*sched)) {
		NL_SET_ERR_MSG_ATTR(extack, tb[IPVS_SVC_ATTR_SCHED_NAME],
				    "Scheduler name must be lowercase letters, digits or '_'");
		return -EINVAL;
	}
	if (nla_len(tb[IPVS_SVC_ATTR_FLAGS]) != sizeof(f)) {
		NL_SET_ERR_MSG_ATTR(extack, tb[IPVS_SVC_ATTR_FLAGS],
				    "Service flags are a struct ip_vs_flags");
		return -EINVAL;
	}
	memcpy(&f, nla_data(tb[IPVS_SVC_ATTR_FLAGS]), sizeof(f));
	if (!lvs_compat_flags_merge(conf, &f, &flags)) {
		NL_SET_ERR_MSG_ATTR(extack, tb[IPVS_SVC_ATTR_FLAGS],
				    "Unknown service flags");
		return -EINVAL;
	}
	timeout = nla_get_u32(tb[IPVS_SVC_ATTR_TIMEOUT]);
	if ((flags & IP_VS_SVC_F_PERSISTENT) &&
	    (!timeout || timeout > LVS_PERSIST_MAX)) {
		NL_SET_ERR_MSG_ATTR(extack, tb[IPVS_SVC_ATTR_TIMEOUT],
				    "Persistence timeout must be 1 to 2592000 seconds");
		return -EINVAL;
	}
	err = parse_netmask(tb[IPVS_SVC_ATTR_NETMASK], af,
			    &conf->persist_prefix, extack);
	if (err)
		return err;
	lvs_compat_conf_set(conf, flags, timeout);
	return 0;
}

/* Under ln->lock: the service a request names; ip_vs says ESRCH if none. */
static struct lvs_service *request_svc(struct lvs_net *ln,
				       const struct nlattr *nest,
				       struct nlattr **tb, int *err,
				       struct netlink_ext_ack *extack)
{
	struct lvs_service *svc;
	struct lvs_svc_key key;

	*err = parse_svc_key(nest, tb, &key, extack);
	if (*err)
		return NULL;
	svc = lvs_service_find(ln, &key);
	if (!svc) {
		NL_SET_ERR_MSG_ATTR(extack, nest, "No such service");
		*err = -ESRCH;
	}
	return svc;
}

static int put_stats(struct sk_buff *skb, int type, bool wide,
		     const struct lvs_stats *s, const struct lvs_rates *r)
{
	const struct {
		int type;
		u64 v;
		bool narrow;	/* 32 bits in the old nest */
	} attrs[] = {
		{ IPVS_STATS_ATTR_CONNS, s->conns, true },
		{ IPVS_STATS_ATTR_INPKTS, s->inpkts, true },
		{ IPVS_STATS_ATTR_OUTPKTS, s->outpkts, true },
		{ IPVS_STATS_ATTR_INBYTES, s->inbytes, false },
		{ IPVS_STATS_ATTR_OUTBYTES, s->outbytes, false },
		{ IPVS_STATS_ATTR_CPS, r->cps, true },
		{ IPVS_STATS_ATTR_INPPS, r->inpps, true },
		{ IPVS_STATS_ATTR_OUTPPS, r->outpps, true },
		{ IPVS_STATS_ATTR_INBPS, r->inbps, true },
		{ IPVS_STATS_ATTR_OUTBPS, r->outbps, true },
	};
	struct nlattr *nest = nla_nest_start_noflag(skb, type);
	unsigned int i;
	int err;

	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < ARRAY_SIZE(attrs); i++) {
		if (wide || !attrs[i].narrow)
			err = nla_put_u64_64bit(skb, attrs[i].type, attrs[i].v,
						IPVS_STATS_ATTR_PAD);
		else
			err = nla_put_u32(skb, attrs[i].type, (u32)attrs[i].v);
		if (err)
			return err;
	}
	nla_nest_end(skb, nest);
	return 0;
}

/* An object's counters and rates, in the old nest and the 64-bit one. */
static int put_both_stats(struct sk_buff *skb, int type, int type64,
			  struct lvs_cpu_stats __percpu *pcpu,
			  const struct lvs_stats *zeroed,
			  const struct lvs_est *est)
{
	struct lvs_rates r;
	struct lvs_stats s;

	lvs_stats_read_since(pcpu, zeroed, &s);
	lvs_est_read(est, &r);
	return put_stats(skb, type, false, &s, &r) ?:
	       put_stats(skb, type64, true, &s, &r);
}

static int fill_svc(struct sk_buff *skb, struct lvs_service *svc)
{
	const struct lvs_sched_conf *conf = &svc->sched_conf;
	const struct lvs_svc_key *key = &svc->key;
	struct ip_vs_flags f = {
		.flags = lvs_compat_svc_flags(conf),
		.mask = ~0U,
	};
	struct nlattr *nest;

	nest = nla_nest_start_noflag(skb, IPVS_CMD_ATTR_SERVICE);
	if (!nest || nla_put_u16(skb, IPVS_SVC_ATTR_AF, key->af))
		return -EMSGSIZE;
	if (key->fwmark) {
		if (nla_put_u32(skb, IPVS_SVC_ATTR_FWMARK, key->fwmark))
			return -EMSGSIZE;
	} else if (nla_put_u16(skb, IPVS_SVC_ATTR_PROTOCOL, key->protocol) ||
		   nla_put(skb, IPVS_SVC_ATTR_ADDR, sizeof(key->addr),
			   &key->addr) ||
		   nla_put_be16(skb, IPVS_SVC_ATTR_PORT, key->port)) {
		return -EMSGSIZE;
	}
	if (nla_put_string(skb, IPVS_SVC_ATTR_SCHED_NAME, svc->sched->name) ||
	    nla_put(skb, IPVS_SVC_ATTR_FLAGS, sizeof(f), &f) ||
	    nla_put_u32(skb, IPVS_SVC_ATTR_TIMEOUT, conf->persist_timeout) ||
	    nla_put_u32(skb, IPVS_SVC_ATTR_NETMASK,
			lvs_compat_netmask(key->af, conf->persist_prefix)) ||
	    put_both_stats(skb, IPVS_SVC_ATTR_STATS, IPVS_SVC_ATTR_STATS64,
			   svc->stats, &svc->zeroed, &svc->est))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static int compat_svc_new(struct lvs_net *ln, struct genl_info *info)
{
	struct nlattr *nest = info->attrs[IPVS_CMD_ATTR_SERVICE];
	struct lvs_sched_conf conf = {
		.mh_table_size = LVS_MH_TABLE_DEFAULT,
		/* ip_vs keeps persistent clients on a quiescent server. */
		.persist_drained = true,
	};
	struct nlattr *tb[IPVS_SVC_ATTR_MAX + 1];
	struct lvs_svc_key key;
	const char *sched;
	unsigned int bad;
	int err;

	err = parse_svc_key(nest, tb, &key, info->extack);
	if (err)
		return err;
	conf.persist_prefix = lvs_addr_len(key.af) * BITS_PER_BYTE;
	err = parse_svc_conf(nest, tb, key.af, &conf, &sched, info->extack);
	if (err)
		return err;
	return lvs_service_add(ln, &key, sched, &conf, NULL, 0, &bad,
			       info->extack);
}

static int compat_svc_set(struct lvs_net *ln, struct genl_info *info)
{
	struct nlattr *nest = info->attrs[IPVS_CMD_ATTR_SERVICE];
	struct nlattr *tb[IPVS_SVC_ATTR_MAX + 1];
	struct lvs_sched_conf conf;
	struct lvs_service *svc;
	const char *sched;
	int err;

	svc = request_svc(ln, nest, tb, &err, info->extack);
	if (!svc)
		return err;
	conf = svc->sched_conf;
	err = parse_svc_conf(nest, tb, svc->key.af, &conf, &sched,
			     info->extack);
	return err ?: lvs_service_edit(svc, sched, &conf, info->extack);
}

/* Deleting a service lets its connections run out, as in ip_vs. */
static int compat_svc_del(struct lvs_net *ln, struct genl_info *info)
{
	struct nlattr *tb[IPVS_SVC_ATTR_MAX + 1];
	struct lvs_service *svc;
	int err;

	svc = request_svc(ln, info->attrs[IPVS_CMD_ATTR_SERVICE], tb, &err,
			  info->extack);
	if (svc)
		lvs_service_del(svc, false);
	return err;
}

/*
 * The destination nest of a request: family, address and port in @conf,
 * and with @full the rest of it (NEW_DEST, SET_DEST all require it).
 * ip_vs keeps any port given for DR and TUN, which never change the port;
 * lvs gives them the service's.
 */
static int parse_dest(const struct nlattr *nest, struct lvs_service *svc,
		      bool full, struct lvs_dest_conf *conf,
		      struct netlink_ext_ack *extack)
{
	struct nlattr *tb[IPVS_DEST_ATTR_MAX + 1];
	int err;

	if (!nest) {
		NL_SET_ERR_MSG(extack, "Missing destination (IPVS_CMD_ATTR_DEST)");
		return -EINVAL;
	}
	err = nla_parse_nested_deprecated(tb, IPVS_DEST_ATTR_MAX, nest,
					  dest_policy, extack);
	if (err)
		return err;
	if (lvs_nl_missing(extack, nest, tb, IPVS_DEST_ATTR_ADDR,
			   "Missing destination address") ||
	    lvs_nl_missing(extack, nest, tb, IPVS_DEST_ATTR_PORT,
			   "Missing destination port"))
		return -EINVAL;
	memset(conf, 0, sizeof(*conf));
	conf->af = svc->key.af;
	if (tb[IPVS_DEST_ATTR_ADDR_FAMILY] &&
	    nla_get_u16(tb[IPVS_DEST_ATTR_ADDR_FAMILY])) {
		err = parse_af(tb[IPVS_DEST_ATTR_ADDR_FAMILY], &conf->af,
			       extack);
		if (err)
			return err;
	}
	err = parse_addr(tb[IPVS_DEST_ATTR_ADDR], conf->af, &conf->addr,
			 extack);
	if (err)
		return err;
	conf->port = nla_get_be16(tb[IPVS_DEST_ATTR_PORT]);
	if (!full)
		return 0;

	if (lvs_nl_missing(extack, nest, tb, IPVS_DEST_ATTR_FWD_METHOD,
			   "Missing forwarding method") ||
	    lvs_nl_missing(extack, nest, tb, IPVS_DEST_ATTR_WEIGHT,
			   "Missing weight") ||
	    lvs_nl_missing(extack, nest, tb, IPVS_DEST_ATTR_U_THRESH,
			   "Missing upper threshold") ||
	    lvs_nl_missing(extack, nest, tb, IPVS_DEST_ATTR_L_THRESH,
			   "Missing lower threshold"))
		return -EINVAL;
	err = lvs_compat_fwd_from(nla_get_u32(tb[IPVS_DEST_ATTR_FWD_METHOD]),
				  &conf->fwd);
	if (err == -EOPNOTSUPP)
		NL_SET_ERR_MSG_ATTR(extack, tb[IPVS_DEST_ATTR_FWD_METHOD],
				    "Local node forwarding is not supported: use NAT to a local address");
	else if (err)
		NL_SET_ERR_MSG_ATTR(extack, tb[IPVS_DEST_ATTR_FWD_METHOD],
				    "Forwarding method must be masquerading, tunnelling or direct routing");
	if (err)
		return err;
	if (conf->fwd == LVS_FWD_TUN && tb[IPVS_DEST_ATTR_TUN_TYPE] &&
	    nla_get_u8(tb[IPVS_DEST_ATTR_TUN_TYPE]) !=
	    IP_VS_CONN_F_TUNNEL_TYPE_IPIP) {
		NL_SET_ERR_MSG_ATTR(extack, tb[IPVS_DEST_ATTR_TUN_TYPE],
				    "Only IP-in-IP tunnels are supported");
		return -EOPNOTSUPP;
	}
	if (conf->af != svc->key.af && conf->fwd != LVS_FWD_TUN) {
		NL_SET_ERR_MSG_ATTR(extack, tb[IPVS_DEST_ATTR_ADDR_FAMILY],
				    "Only tunnelling forwards to another family than the service's");
		return -EINVAL;
	}
	if (conf->fwd != LVS_FWD_NAT)
		conf->port = svc->key.port;
	conf->weight = nla_get_u32(tb[IPVS_DEST_ATTR_WEIGHT]);
	conf->u_threshold = nla_get_u32(tb[IPVS_DEST_ATTR_U_THRESH]);
	conf->l_threshold = nla_get_u32(tb[IPVS_DEST_ATTR_L_THRESH]);
	if (conf->weight > LVS_WEIGHT_MAX) {
		NL_SET_ERR_MSG_ATTR(extack, tb[IPVS_DEST_ATTR_WEIGHT],
				    "Weight must be 0 to 65535");
		return -ERANGE;
	}
	if (conf->l_threshold > conf->u_threshold) {
		NL_SET_ERR_MSG_ATTR(extack, tb[IPVS_DEST_ATTR_L_THRESH],
				    "Lower threshold must not exceed the upper threshold");
		return -ERANGE;
	}
	return 0;
}

/*
 * The destination @conf names: as given, or for a DR or TUN one added
 * with another port, at the service's port (see parse_dest()).
 */
static struct lvs_dest *find_dest(struct lvs_service *svc,
				  const struct lvs_dest_conf *conf)
{
	struct lvs_dest *dest;

	dest = lvs_dest_find(svc, conf->af, &conf->addr, conf->port);
	if (dest || conf->port == svc->key.port)
		return dest;
	dest = lvs_dest_find(svc, conf->af, &conf->addr, svc->key.port);
	return dest && dest->fwd != LVS_FWD_NAT ? dest : NULL;
}

static int compat_dest_new(struct lvs_service *svc, struct genl_info *info)
{
	struct lvs_dest_conf conf;
	unsigned int bad;
	int err;

	err = parse_dest(info->attrs[IPVS_CMD_ATTR_DEST], svc, true, &conf,
			 info->extack);
	return err ?: lvs_dest_add_set(svc, &conf, 1, &bad, info->extack);
}

/* Every field is replaced, as ip_vs replaces them. */
static int compat_dest_set(struct lvs_service *svc, struct genl_info *info)
{
	struct lvs_dest_conf conf;
	struct lvs_dest *dest;
	int err;

	err = parse_dest(info->attrs[IPVS_CMD_ATTR_DEST], svc, true, &conf,
			 info->extack);
	if (err)
		return err;
	dest = find_dest(svc, &conf);
	if (!dest) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[IPVS_CMD_ATTR_DEST],
				    "No such destination");
		return -ENOENT;
	}
	return lvs_dest_edit(svc, dest, &conf, info->extack);
}

/* A removed destination drains: its connections run out, as in ip_vs. */
static int compat_dest_del(struct lvs_service *svc, struct genl_info *info)
{
	struct lvs_dest_conf conf;
	struct lvs_dest *dest;
	int err;

	err = parse_dest(info->attrs[IPVS_CMD_ATTR_DEST], svc, false, &conf,
			 info->extack);
	if (err)
		return err;
	dest = find_dest(svc, &conf);
	return lvs_dest_del(svc, conf.af, dest ? &dest->addr : &conf.addr,
			    dest ? dest->port : conf.port, false, info->extack);
}

/* The commands that change services and destinations, under ln->lock. */
static int compat_set(struct sk_buff *skb, struct genl_info *info)
{
	struct lvs_net *ln = lvs_net(genl_info_net(info));
	struct nlattr *tb[IPVS_SVC_ATTR_MAX + 1];
	struct lvs_service *svc;
	u8 cmd = info->genlhdr->cmd;
	int err;

	mutex_lock(&ln->lock);
	switch (cmd) {
	case IPVS_CMD_NEW_SERVICE:
		err = compat_svc_new(ln, info);
		break;
	case IPVS_CMD_SET_SERVICE:
		err = compat_svc_set(ln, info);
		break;
	case IPVS_CMD_DEL_SERVICE:
		err = compat_svc_del(ln, info);
		break;
	case IPVS_CMD_FLUSH:
		lvs_service_flush(ln, false);
		err = 0;
		break;
	default:
		svc = request_svc(ln, info->attrs[IPVS_CMD_ATTR_SERVICE], tb,
				  &err, info->extack);
		if (!svc)
			break;
		if (cmd == IPVS_CMD_NEW_DEST)
			err = compat_dest_new(svc, info);
		else if (cmd == IPVS_CMD_SET_DEST)
			err = compat_dest_set(svc, info);
		else
			err = compat_dest_del(svc, info);
	}
	mutex_unlock(&ln->lock);
	return err;
}

/* Zero the counters of one service, or without one of all of them. */
static int compat_zero(struct sk_buff *skb, struct genl_info *info)
{
	struct lvs_net *ln = lvs_net(genl_info_net(info));
	struct nlattr *tb[IPVS_SVC_ATTR_MAX + 1];
	struct lvs_service *svc;
	int err = 0;

	mutex_lock(&ln->lock);
	if (info->attrs[IPVS_CMD_ATTR_SERVICE]) {
		svc = request_svc(ln, info->attrs[IPVS_CMD_ATTR_SERVICE], tb,
				  &err, info->extack);
		if (svc)
			lvs_service_zero(svc);
	} else {
		lvs_service_zero_all(ln);
	}
	mutex_unlock(&ln->lock);
	return err;
}

/* A reply of command @cmd; fill() puts its attributes, under ln->lock. */
int lvs_compat_reply(struct genl_info *info, u8 cmd,
		     int (*fill)(struct sk_buff *msg, struct lvs_net *ln,
				 struct genl_info *info))
{
	struct lvs_net *ln = lvs_net(genl_info_net(info));
	struct sk_buff *msg;
	void *hdr;
	int err;

	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = lvs_compat_put_reply(msg, info, cmd);
	if (!hdr) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	mutex_lock(&ln->lock);
	err = fill(msg, ln, info);
	mutex_unlock(&ln->lock);
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

static int fill_svc_reply(struct sk_buff *msg, struct lvs_net *ln,
			  struct genl_info *info)
{
	struct nlattr *tb[IPVS_SVC_ATTR_MAX + 1];
	struct lvs_service *svc;
	int err;

	svc = request_svc(ln, info->attrs[IPVS_CMD_ATTR_SERVICE], tb, &err,
			  info->extack);
	return svc ? fill_svc(msg, svc) : err;
}

static int compat_svc_get(struct sk_buff *skb, struct genl_info *info)
{
	return lvs_compat_reply(info, IPVS_CMD_NEW_SERVICE, fill_svc_reply);
}

/* One object of a dump in its own message; cmd as ip_vs sends it. */
static void *dump_hdr(struct sk_buff *skb, struct netlink_callback *cb,
		      u8 cmd)
{
	void *hdr = lvs_compat_put_hdr(skb, NETLINK_CB(cb->skb).portid,
				       cb->nlh->nlmsg_seq, NLM_F_MULTI, cmd);

	if (hdr)
		genl_dump_check_consistent(cb, hdr);
	return hdr;
}

/* cb->args[0]: how many services earlier parts of the dump sent. */
static int compat_svc_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct lvs_net *ln = lvs_net(sock_net(skb->sk));
	struct lvs_service *svc;
	long idx = 0;
	void *hdr;

	mutex_lock(&ln->lock);
	cb->seq = ln->gen;
	list_for_each_entry(svc, &ln->svc_list, list) {
		if (idx++ < cb->args[0])
			continue;
		hdr = dump_hdr(skb, cb, IPVS_CMD_NEW_SERVICE);
		if (!hdr || fill_svc(skb, svc)) {
			if (hdr)
				genlmsg_cancel(skb, hdr);
			idx--;
			break;
		}
		genlmsg_end(skb, hdr);
	}
	mutex_unlock(&ln->lock);
	cb->args[0] = idx;
	return skb->len;
}

static int fill_dest(struct sk_buff *skb, struct lvs_dest *dest)
{
	struct nlattr *nest = nla_nest_start_noflag(skb, IPVS_CMD_ATTR_DEST);

	if (!nest ||
	    nla_put(skb, IPVS_DEST_ATTR_ADDR, sizeof(dest->addr),
		    &dest->addr) ||
	    nla_put_be16(skb, IPVS_DEST_ATTR_PORT, dest->port) ||
	    nla_put_u32(skb, IPVS_DEST_ATTR_FWD_METHOD,
			lvs_compat_fwd_to(READ_ONCE(dest->fwd))) ||
	    nla_put_u32(skb, IPVS_DEST_ATTR_WEIGHT, READ_ONCE(dest->weight)) ||
	    nla_put_u8(skb, IPVS_DEST_ATTR_TUN_TYPE,
		       IP_VS_CONN_F_TUNNEL_TYPE_IPIP) ||
	    nla_put_be16(skb, IPVS_DEST_ATTR_TUN_PORT, 0) ||
	    nla_put_u16(skb, IPVS_DEST_ATTR_TUN_FLAGS, 0) ||
	    nla_put_u32(skb, IPVS_DEST_ATTR_U_THRESH,
			READ_ONCE(dest->u_threshold)) ||
	    nla_put_u32(skb, IPVS_DEST_ATTR_L_THRESH,
			READ_ONCE(dest->l_threshold)) ||
	    nla_put_u32(skb, IPVS_DEST_ATTR_ACTIVE_CONNS,
			atomic_read(&dest->activeconns)) ||
	    nla_put_u32(skb, IPVS_DEST_ATTR_INACT_CONNS,
			atomic_read(&dest->inactconns)) ||
	    nla_put_u32(skb, IPVS_DEST_ATTR_PERSIST_CONNS,
			atomic_read(&dest->persistconns)) ||
	    nla_put_u16(skb, IPVS_DEST_ATTR_ADDR_FAMILY, dest->af) ||
	    put_both_stats(skb, IPVS_DEST_ATTR_STATS, IPVS_DEST_ATTR_STATS64,
			   dest->stats, &dest->zeroed, &dest->est))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

/*
 * A destination dump's state, in cb->ctx: the service, parsed in the
 * first part of the dump, and how many destinations were sent.
 */
struct dest_dump_ctx {
	struct lvs_svc_key key;
	long sent;
	bool checked;
};

static int compat_dest_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct dest_dump_ctx *ctx = (struct dest_dump_ctx *)cb->ctx;
	struct lvs_net *ln = lvs_net(sock_net(skb->sk));
	struct nlattr *attrs[IPVS_CMD_ATTR_MAX + 1];
	struct nlattr *tb[IPVS_SVC_ATTR_MAX + 1];
	struct lvs_service *svc;
	struct lvs_dest *dest;
	long idx = 0;
	void *hdr;
	int err;

	BUILD_BUG_ON(sizeof(*ctx) > sizeof(cb->ctx));
	if (!ctx->checked) {
		err = nlmsg_parse_deprecated(cb->nlh, GENL_HDRLEN, attrs,
					     IPVS_CMD_ATTR_MAX,
					     lvs_compat_cmd_policy,
					     cb->extack) ?:
		      parse_svc_key(attrs[IPVS_CMD_ATTR_SERVICE], tb,
				    &ctx->key, cb->extack);
		if (err)
			return err;
		ctx->checked = true;
	}
	mutex_lock(&ln->lock);
	cb->seq = ln->gen;
	svc = lvs_service_find(ln, &ctx->key);
	if (!svc) {
		NL_SET_ERR_MSG(cb->extack, "No such service");
		err = -ESRCH;
		goto out;
	}
	list_for_each_entry(dest, &svc->dests, list) {
		if (idx++ < ctx->sent)
			continue;
		hdr = dump_hdr(skb, cb, IPVS_CMD_NEW_DEST);
		if (!hdr || fill_dest(skb, dest)) {
			if (hdr)
				genlmsg_cancel(skb, hdr);
			idx--;
			break;
		}
		genlmsg_end(skb, hdr);
	}
	ctx->sent = idx;
	err = skb->len;
out:
	mutex_unlock(&ln->lock);
	return err;
}

/*
 * Every command as ip_vs has it: leniently validated, since old tools
 * send attributes of later versions and the reverse.
 */
#define COMPAT_OP(c, d, dump) {					\
	.cmd = (c),							\
	.validate = GENL_DONT_VALIDATE_STRICT | GENL_DONT_VALIDATE_DUMP,\
	.flags = GENL_UNS_ADMIN_PERM,					\
	.doit = (d),							\
	.dumpit = (dump),						\
}

static const struct genl_small_ops compat_ops[] = {
	COMPAT_OP(IPVS_CMD_NEW_SERVICE, compat_set, NULL),
	COMPAT_OP(IPVS_CMD_SET_SERVICE, compat_set, NULL),
	COMPAT_OP(IPVS_CMD_DEL_SERVICE, compat_set, NULL),
	COMPAT_OP(IPVS_CMD_GET_SERVICE, compat_svc_get, compat_svc_dump),
	COMPAT_OP(IPVS_CMD_NEW_DEST, compat_set, NULL),
	COMPAT_OP(IPVS_CMD_SET_DEST, compat_set, NULL),
	COMPAT_OP(IPVS_CMD_DEL_DEST, compat_set, NULL),
	COMPAT_OP(IPVS_CMD_GET_DEST, NULL, compat_dest_dump),
	COMPAT_OP(IPVS_CMD_NEW_DAEMON, lvs_compat_daemon_set, NULL),
	COMPAT_OP(IPVS_CMD_DEL_DAEMON, lvs_compat_daemon_set, NULL),
	COMPAT_OP(IPVS_CMD_GET_DAEMON, NULL, lvs_compat_daemon_dump),
	COMPAT_OP(IPVS_CMD_SET_CONFIG, lvs_compat_config_set, NULL),
	COMPAT_OP(IPVS_CMD_GET_CONFIG, lvs_compat_config_get, NULL),
	COMPAT_OP(IPVS_CMD_GET_INFO, lvs_compat_info_get, NULL),
	COMPAT_OP(IPVS_CMD_ZERO, compat_zero, NULL),
	COMPAT_OP(IPVS_CMD_FLUSH, compat_set, NULL),
};

static struct genl_family compat_family __ro_after_init = {
	.name		= IPVS_GENL_NAME,
	.version	= IPVS_GENL_VERSION,
	.maxattr	= IPVS_CMD_ATTR_MAX,
	.policy		= lvs_compat_cmd_policy,
	.netnsok	= true,
	.parallel_ops	= true,
	.module		= THIS_MODULE,
	.small_ops	= compat_ops,
	.n_small_ops	= ARRAY_SIZE(compat_ops),
	.resv_start_op	= IPVS_CMD_FLUSH + 1,
};

void *lvs_compat_put_hdr(struct sk_buff *skb, u32 portid, u32 seq, int flags,
			 u8 cmd)
{
	return genlmsg_put(skb, portid, seq, &compat_family, flags, cmd);
}

void *lvs_compat_put_reply(struct sk_buff *skb, struct genl_info *info,
			   u8 cmd)
{
	return genlmsg_put_reply(skb, info, &compat_family, 0, cmd);
}

int lvs_compat_nl_init(void)
{
	return genl_register_family(&compat_family);
}

void lvs_compat_nl_exit(void)
{
	genl_unregister_family(&compat_family);
}
