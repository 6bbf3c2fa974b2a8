// SPDX-License-Identifier: GPL-2.0
/*
 * Fetch services and their destinations from the kernel into a struct
 * svc_list: all of them in one SERVICE_GET dump that carries each
 * service's destinations (LVS_ATTR_DESTS), or one service by key and a
 * DEST_GET dump of its destinations. Attributes newer than this file are ignored;
 * a reply that lacks a key attribute is refused with -EPROTO, one that
 * lacks a scheduler option reads as the option's default. A dump
 * interrupted by a concurrent change is retried a few times. A fetch of
 * the configuration alone (save, apply) skips the counters and rates,
 * which are most of a destination's attributes.
 *
 * Also fetch the namespace's info, one INFO_GET, into a struct lvs_info;
 * there the LVS_ATTR_INFO nest is required and its counters are not.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include "nl.h"
#include "show.h"

#define FETCH_TRIES 3

static const struct nla_policy top_policy[LVS_ATTR_MAX + 1] = {
	[LVS_ATTR_SERVICE] = { .type = NLA_NESTED },
	[LVS_ATTR_DEST] = { .type = NLA_NESTED },
	[LVS_ATTR_INFO] = { .type = NLA_NESTED },
	[LVS_ATTR_DESTS] = { .type = NLA_NESTED },
};

static const struct nla_policy svc_policy[LVS_SVC_ATTR_MAX + 1] = {
	[LVS_SVC_ATTR_FAMILY] = { .type = NLA_U16 },
	[LVS_SVC_ATTR_PROTOCOL] = { .type = NLA_U8 },
	[LVS_SVC_ATTR_PORT] = { .type = NLA_U16 },
	[LVS_SVC_ATTR_SCHED_NAME] = { .type = NLA_STRING },
	[LVS_SVC_ATTR_DEST_COUNT] = { .type = NLA_U32 },
	[LVS_SVC_ATTR_STATS] = { .type = NLA_NESTED },
	[LVS_SVC_ATTR_SCHED_FALLBACK] = { .type = NLA_U8 },
	[LVS_SVC_ATTR_SCHED_HASH_PORT] = { .type = NLA_U8 },
	[LVS_SVC_ATTR_MH_TABLE_SIZE] = { .type = NLA_U32 },
	[LVS_SVC_ATTR_FWMARK] = { .type = NLA_U32 },
	[LVS_SVC_ATTR_PERSIST_TIMEOUT] = { .type = NLA_U32 },
	[LVS_SVC_ATTR_PERSIST_PREFIX] = { .type = NLA_U8 },
	[LVS_SVC_ATTR_ONE_PACKET] = { .type = NLA_U8 },
	[LVS_SVC_ATTR_PERSIST_DRAINED] = { .type = NLA_U8 },
};

static const struct nla_policy dest_policy[LVS_DEST_ATTR_MAX + 1] = {
	[LVS_DEST_ATTR_PORT] = { .type = NLA_U16 },
	[LVS_DEST_ATTR_FWD_METHOD] = { .type = NLA_U8 },
	[LVS_DEST_ATTR_WEIGHT] = { .type = NLA_U32 },
	[LVS_DEST_ATTR_ACTIVE_CONNS] = { .type = NLA_U32 },
	[LVS_DEST_ATTR_INACTIVE_CONNS] = { .type = NLA_U32 },
	[LVS_DEST_ATTR_STATS] = { .type = NLA_NESTED },
	[LVS_DEST_ATTR_U_THRESHOLD] = { .type = NLA_U32 },
	[LVS_DEST_ATTR_L_THRESHOLD] = { .type = NLA_U32 },
	[LVS_DEST_ATTR_OVERLOADED] = { .type = NLA_U8 },
	[LVS_DEST_ATTR_ADDR_FAMILY] = { .type = NLA_U16 },
};

static const struct nla_policy stats_policy[LVS_STATS_ATTR_MAX + 1] = {
	[LVS_STATS_ATTR_CONNS] = { .type = NLA_U64 },
	[LVS_STATS_ATTR_INPKTS] = { .type = NLA_U64 },
	[LVS_STATS_ATTR_OUTPKTS] = { .type = NLA_U64 },
	[LVS_STATS_ATTR_INBYTES] = { .type = NLA_U64 },
	[LVS_STATS_ATTR_OUTBYTES] = { .type = NLA_U64 },
	[LVS_STATS_ATTR_CPS] = { .type = NLA_U64 },
	[LVS_STATS_ATTR_INPPS] = { .type = NLA_U64 },
	[LVS_STATS_ATTR_OUTPPS] = { .type = NLA_U64 },
	[LVS_STATS_ATTR_INBPS] = { .type = NLA_U64 },
	[LVS_STATS_ATTR_OUTBPS] = { .type = NLA_U64 },
};

static const struct nla_policy info_policy[LVS_INFO_ATTR_MAX + 1] = {
	[LVS_INFO_ATTR_CONN_COUNT] = { .type = NLA_U32 },
	[LVS_INFO_ATTR_CONN_MAX] = { .type = NLA_U32 },
	[LVS_INFO_ATTR_DROP_MALFORMED] = { .type = NLA_U64 },
	[LVS_INFO_ATTR_DROP_NO_DEST] = { .type = NLA_U64 },
	[LVS_INFO_ATTR_DROP_NO_CONN] = { .type = NLA_U64 },
	[LVS_INFO_ATTR_DROP_CONN_FULL] = { .type = NLA_U64 },
	[LVS_INFO_ATTR_DROP_XMIT] = { .type = NLA_U64 },
	[LVS_INFO_ATTR_CONN_EVICTED] = { .type = NLA_U64 },
	[LVS_INFO_ATTR_CONN_BUCKETS_IN] = { .type = NLA_U32 },
	[LVS_INFO_ATTR_CONN_BUCKETS_OUT] = { .type = NLA_U32 },
	[LVS_INFO_ATTR_FAST_PATH] = { .type = NLA_U8 },
	[LVS_INFO_ATTR_FAST_PATH_HELD] = { .type = NLA_U8 },
	[LVS_INFO_ATTR_FAST_PACKETS] = { .type = NLA_U64 },
	[LVS_INFO_ATTR_GENERATION] = { .type = NLA_U32 },
};

/* The one nest of a reply: LVS_ATTR_SERVICE, LVS_ATTR_DEST or _INFO. */
struct nlattr *reply_nest(struct nlmsghdr *nlh, int type)
{
	struct nlattr *tb[LVS_ATTR_MAX + 1];

	if (genlmsg_parse(nlh, 0, tb, LVS_ATTR_MAX, top_policy) < 0)
		return NULL;
	return tb[type];
}

static int decode_dest_nest(struct nlattr *nest, struct dest_info *di,
			    bool stats);

static int decode_stats(struct nlattr *nest, struct lvs_stats *s)
{
	struct nlattr *tb[LVS_STATS_ATTR_MAX + 1];
	const struct {
		int type;
		uint64_t *v;
	} fields[] = {
		{ LVS_STATS_ATTR_CONNS, &s->conns },
		{ LVS_STATS_ATTR_INPKTS, &s->inpkts },
		{ LVS_STATS_ATTR_OUTPKTS, &s->outpkts },
		{ LVS_STATS_ATTR_INBYTES, &s->inbytes },
		{ LVS_STATS_ATTR_OUTBYTES, &s->outbytes },
		{ LVS_STATS_ATTR_CPS, &s->cps },
		{ LVS_STATS_ATTR_INPPS, &s->inpps },
		{ LVS_STATS_ATTR_OUTPPS, &s->outpps },
		{ LVS_STATS_ATTR_INBPS, &s->inbps },
		{ LVS_STATS_ATTR_OUTBPS, &s->outbps },
	};
	size_t i;

	if (!nest)
		return 0;
	if (attr_parse_nested(tb, LVS_STATS_ATTR_MAX, nest, stats_policy) < 0)
		return -EPROTO;
	for (i = 0; i < ARRAY_SIZE(fields); i++)
		if (tb[fields[i].type])
			*fields[i].v = nla_get_u64(tb[fields[i].type]);
	return 0;
}

/* The family of a destination is the one its address length gives. */
int decode_addr(struct nlattr *a, int family, struct endpoint *ep)
{
	size_t len = (size_t)nla_len(a);

	if (!family)
		family = len == sizeof(struct in_addr) ? AF_INET : AF_INET6;
	if (len != family_addr_len(family))
		return -EPROTO;
	ep->family = family;
	memcpy(&ep->addr, nla_data(a), len);
	return 0;
}

/*
 * The options a service has. has_* stay false, so that svc_put() of this
 * spec, as fetch_dests() does, sends no options.
 */
static void decode_sched_opts(struct nlattr **tb, int family,
			      struct sched_opts *o)
{
	struct nlattr *a;

	a = tb[LVS_SVC_ATTR_SCHED_FALLBACK];
	o->fallback = a && nla_get_u8(a);
	a = tb[LVS_SVC_ATTR_SCHED_HASH_PORT];
	o->hash_port = a && nla_get_u8(a);
	a = tb[LVS_SVC_ATTR_ONE_PACKET];
	o->one_packet = a && nla_get_u8(a);
	a = tb[LVS_SVC_ATTR_MH_TABLE_SIZE];
	o->table_size = a ? nla_get_u32(a) : LVS_MH_TABLE_DEFAULT;
	a = tb[LVS_SVC_ATTR_PERSIST_TIMEOUT];
	o->persist = a ? nla_get_u32(a) : 0;
	a = tb[LVS_SVC_ATTR_PERSIST_PREFIX];
	o->netmask = a ? nla_get_u8(a) : family_addr_len(family) * 8;
	a = tb[LVS_SVC_ATTR_PERSIST_DRAINED];
	o->persist_drained = a && nla_get_u8(a);
}

/* The key after the family: a firewall mark, or protocol, VIP and port. */
static int decode_svc_key(struct nlattr **tb, int family,
			  struct svc_spec *spec)
{
	if (tb[LVS_SVC_ATTR_FWMARK]) {
		spec->fwmark = nla_get_u32(tb[LVS_SVC_ATTR_FWMARK]);
		if (!spec->fwmark || !family_addr_len(family))
			return -EPROTO;
		spec->vip.family = family;
		return 0;
	}
	if (!tb[LVS_SVC_ATTR_PROTOCOL] || !tb[LVS_SVC_ATTR_ADDR] ||
	    !tb[LVS_SVC_ATTR_PORT])
		return -EPROTO;
	spec->protocol = nla_get_u8(tb[LVS_SVC_ATTR_PROTOCOL]);
	if (decode_addr(tb[LVS_SVC_ATTR_ADDR], family, &spec->vip))
		return -EPROTO;
	spec->vip.port = ntohs(nla_get_u16(tb[LVS_SVC_ATTR_PORT]));
	return 0;
}

/* A service; its counters and rates too if @stats. */
static int decode_svc_stats(struct nlmsghdr *nlh, struct svc_info *si,
			    bool stats)
{
	struct nlattr *tb[LVS_SVC_ATTR_MAX + 1];
	struct nlattr *nest;
	int family;

	memset(si, 0, sizeof(*si));
	nest = reply_nest(nlh, LVS_ATTR_SERVICE);
	if (!nest ||
	    attr_parse_nested(tb, LVS_SVC_ATTR_MAX, nest, svc_policy) < 0 ||
	    !tb[LVS_SVC_ATTR_FAMILY])
		return -EPROTO;
	family = nla_get_u16(tb[LVS_SVC_ATTR_FAMILY]);
	if (decode_svc_key(tb, family, &si->spec))
		return -EPROTO;
	if (tb[LVS_SVC_ATTR_SCHED_NAME])
		nla_strlcpy(si->spec.sched, tb[LVS_SVC_ATTR_SCHED_NAME],
			    sizeof(si->spec.sched));
	decode_sched_opts(tb, family, &si->spec.opts);
	if (tb[LVS_SVC_ATTR_DEST_COUNT])
		si->dest_count = nla_get_u32(tb[LVS_SVC_ATTR_DEST_COUNT]);
	return stats ? decode_stats(tb[LVS_SVC_ATTR_STATS], &si->stats) : 0;
}

int decode_svc(struct nlmsghdr *nlh, struct svc_info *si)
{
	return decode_svc_stats(nlh, si, true);
}

int decode_dest(struct nlmsghdr *nlh, struct dest_info *di)
{
	return decode_dest_nest(reply_nest(nlh, LVS_ATTR_DEST), di, true);
}

/*
 * An LVS_ATTR_DEST nest, of a DEST_GET reply or a service's list; its
 * counters and rates too if @stats.
 */
static int decode_dest_nest(struct nlattr *nest, struct dest_info *di,
			    bool stats)
{
	struct nlattr *tb[LVS_DEST_ATTR_MAX + 1];
	int family = 0;

	memset(di, 0, sizeof(*di));
	if (!nest ||
	    attr_parse_nested(tb, LVS_DEST_ATTR_MAX, nest, dest_policy) < 0 ||
	    !tb[LVS_DEST_ATTR_ADDR])
		return -EPROTO;
	/* Its own family, which a tunnel may make the other one. */
	if (tb[LVS_DEST_ATTR_ADDR_FAMILY]) {
		family = nla_get_u16(tb[LVS_DEST_ATTR_ADDR_FAMILY]);
		if (!family_addr_len(family))
			return -EPROTO;
	}
	if (decode_addr(tb[LVS_DEST_ATTR_ADDR], family, &di->rip))
		return -EPROTO;

	if (tb[LVS_DEST_ATTR_PORT])
		di->rip.port = ntohs(nla_get_u16(tb[LVS_DEST_ATTR_PORT]));
	if (tb[LVS_DEST_ATTR_FWD_METHOD])
		di->fwd = nla_get_u8(tb[LVS_DEST_ATTR_FWD_METHOD]);
	if (tb[LVS_DEST_ATTR_WEIGHT])
		di->weight = nla_get_u32(tb[LVS_DEST_ATTR_WEIGHT]);
	if (tb[LVS_DEST_ATTR_ACTIVE_CONNS])
		di->active_conns = nla_get_u32(tb[LVS_DEST_ATTR_ACTIVE_CONNS]);
	if (tb[LVS_DEST_ATTR_INACTIVE_CONNS])
		di->inactive_conns =
			nla_get_u32(tb[LVS_DEST_ATTR_INACTIVE_CONNS]);
	if (tb[LVS_DEST_ATTR_U_THRESHOLD])
		di->u_threshold = nla_get_u32(tb[LVS_DEST_ATTR_U_THRESHOLD]);
	if (tb[LVS_DEST_ATTR_L_THRESHOLD])
		di->l_threshold = nla_get_u32(tb[LVS_DEST_ATTR_L_THRESHOLD]);
	if (tb[LVS_DEST_ATTR_OVERLOADED])
		di->overloaded = nla_get_u8(tb[LVS_DEST_ATTR_OVERLOADED]);
	return stats ? decode_stats(tb[LVS_DEST_ATTR_STATS], &di->stats) : 0;
}

int decode_info(struct nlmsghdr *nlh, struct lvs_info *info)
{
	struct nlattr *tb[LVS_INFO_ATTR_MAX + 1];
	struct nlattr *nest;

	memset(info, 0, sizeof(*info));
	nest = reply_nest(nlh, LVS_ATTR_INFO);
	if (!nest ||
	    attr_parse_nested(tb, LVS_INFO_ATTR_MAX, nest, info_policy) < 0)
		return -EPROTO;

	if (tb[LVS_INFO_ATTR_CONN_COUNT])
		info->conn_count = nla_get_u32(tb[LVS_INFO_ATTR_CONN_COUNT]);
	if (tb[LVS_INFO_ATTR_CONN_MAX])
		info->conn_max = nla_get_u32(tb[LVS_INFO_ATTR_CONN_MAX]);
	if (tb[LVS_INFO_ATTR_DROP_MALFORMED])
		info->drop_malformed =
			nla_get_u64(tb[LVS_INFO_ATTR_DROP_MALFORMED]);
	if (tb[LVS_INFO_ATTR_DROP_NO_DEST])
		info->drop_no_dest = nla_get_u64(tb[LVS_INFO_ATTR_DROP_NO_DEST]);
	if (tb[LVS_INFO_ATTR_DROP_NO_CONN])
		info->drop_no_conn = nla_get_u64(tb[LVS_INFO_ATTR_DROP_NO_CONN]);
	if (tb[LVS_INFO_ATTR_DROP_CONN_FULL])
		info->drop_conn_full =
			nla_get_u64(tb[LVS_INFO_ATTR_DROP_CONN_FULL]);
	if (tb[LVS_INFO_ATTR_DROP_XMIT])
		info->drop_xmit = nla_get_u64(tb[LVS_INFO_ATTR_DROP_XMIT]);
	if (tb[LVS_INFO_ATTR_CONN_EVICTED])
		info->conn_evicted =
			nla_get_u64(tb[LVS_INFO_ATTR_CONN_EVICTED]);
	if (tb[LVS_INFO_ATTR_CONN_BUCKETS_IN])
		info->buckets_in =
			nla_get_u32(tb[LVS_INFO_ATTR_CONN_BUCKETS_IN]);
	if (tb[LVS_INFO_ATTR_CONN_BUCKETS_OUT])
		info->buckets_out =
			nla_get_u32(tb[LVS_INFO_ATTR_CONN_BUCKETS_OUT]);
	if (tb[LVS_INFO_ATTR_FAST_PATH])
		info->fast_path = nla_get_u8(tb[LVS_INFO_ATTR_FAST_PATH]);
	if (tb[LVS_INFO_ATTR_FAST_PATH_HELD])
		info->fast_held = nla_get_u8(tb[LVS_INFO_ATTR_FAST_PATH_HELD]);
	if (tb[LVS_INFO_ATTR_FAST_PACKETS])
		info->fast_packets =
			nla_get_u64(tb[LVS_INFO_ATTR_FAST_PACKETS]);
	if (tb[LVS_INFO_ATTR_GENERATION]) {
		info->has_generation = true;
		info->generation = nla_get_u32(tb[LVS_INFO_ATTR_GENERATION]);
	}
	return 0;
}

/* Grow an array by one zeroed element; NULL when out of memory. */
void *array_grow(void *array, size_t *n, size_t size)
{
	char *p;

	p = realloc(array, (*n + 1) * size);
	if (!p)
		return NULL;
	memset(p + *n * size, 0, size);
	(*n)++;
	return p;
}

/* One more destination of @si, from @nest, with its counters if @stats. */
static int add_dest(struct svc_info *si, struct nlattr *nest, bool stats)
{
	struct dest_info *v;
	size_t cap;
	int err;

	if (si->n_dests == si->dests_cap) {
		cap = si->dests_cap ? 2 * si->dests_cap : 4;
		v = reallocarray(si->dests, cap, sizeof(*v));
		if (!v)
			return -ENOMEM;
		si->dests = v;
		si->dests_cap = cap;
	}
	err = decode_dest_nest(nest, &si->dests[si->n_dests], stats);
	if (!err)
		si->n_dests++;
	return err;
}

/* A SERVICE_GET's list, and whether it wants counters and rates. */
struct svc_dump {
	struct svc_list *list;
	bool stats;
};

/*
 * Room for one more service, zeroed: the array doubles at each power of
 * two, as a dump may bring tens of thousands of them.
 */
static struct svc_info *svc_room(struct svc_list *list)
{
	struct svc_info *v;
	size_t n = list->n;

	if (!(n & (n - 1))) {
		v = reallocarray(list->svcs, n ? 2 * n : 1, sizeof(*v));
		if (!v)
			return NULL;
		list->svcs = v;
	}
	list->n++;
	memset(&list->svcs[n], 0, sizeof(list->svcs[n]));
	return &list->svcs[n];
}

/*
 * A service of a dump, with the destinations it carries; a service whose
 * destinations fill several messages comes in each of them, in a row.
 * Its array of destinations is allocated for the count it says it has.
 */
static int svc_reply(struct nlmsghdr *nlh, void *arg)
{
	struct svc_dump *dump = arg;
	struct svc_list *list = dump->list;
	struct nlattr *dests, *d;
	struct svc_info *si;
	int err, rem;

	si = svc_room(list);
	if (!si)
		return -ENOMEM;
	err = decode_svc_stats(nlh, si, dump->stats);
	if (err) {
		list->n--;
		return err;
	}
	if (list->n > 1 && !cmp_svc_key(&si[-1].spec, &si->spec)) {
		list->n--;
		si--;
	} else if (si->dest_count) {
		si->dests = reallocarray(NULL, si->dest_count,
					 sizeof(*si->dests));
		if (!si->dests)
			return -ENOMEM;
		si->dests_cap = si->dest_count;
	}
	dests = reply_nest(nlh, LVS_ATTR_DESTS);
	if (!dests)
		return 0;
	nla_for_each_nested(d, dests, rem) {
		err = add_dest(si, d, dump->stats);
		if (err)
			return err;
	}
	return 0;
}

static int dest_reply(struct nlmsghdr *nlh, void *arg)
{
	return add_dest(arg, reply_nest(nlh, LVS_ATTR_DEST), true);
}

static int fetch_dests(struct lvs_nl *nl, struct svc_info *si)
{
	struct nl_msg *msg;
	int err;

	msg = lvs_nl_msg(nl, LVS_CMD_DEST_GET, NLM_F_DUMP);
	if (!msg)
		return -ENOMEM;
	err = svc_put(msg, &si->spec);
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return lvs_nl_exec(nl, msg, dest_reply, si);
}

/* An empty attribute (libnl would drop an empty nest). */
static int empty_nest(struct nl_msg *msg, int type)
{
	return nla_put(msg, type | NLA_F_NESTED, 0, NULL) ? -EMSGSIZE : 0;
}

/*
 * Every service with its destinations in one dump; @ask_no_stats: tell
 * the kernel to leave the counters and rates out (LVS_ATTR_NO_STATS).
 */
static int dump_all(struct lvs_nl *nl, struct svc_dump *dump,
		    bool ask_no_stats)
{
	struct nl_msg *msg;

	msg = lvs_nl_msg(nl, LVS_CMD_SERVICE_GET, NLM_F_DUMP);
	if (!msg)
		return -ENOMEM;
	if (empty_nest(msg, LVS_ATTR_DESTS) ||
	    (ask_no_stats && nla_put_flag(msg, LVS_ATTR_NO_STATS))) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	return lvs_nl_exec(nl, msg, svc_reply, dump);
}

static int fetch_once(struct lvs_nl *nl, const struct svc_spec *only,
		      struct svc_list *list, bool stats)
{
	struct svc_dump dump = { list, stats };
	struct nl_msg *msg;
	size_t i;
	int err;

	if (!only) {
		err = dump_all(nl, &dump, !stats);
		/* A module older than this tool refuses what it lacks. */
		if (err == -EINVAL && !stats && !list->n)
			err = dump_all(nl, &dump, false);
		return err;
	}
	msg = lvs_nl_msg(nl, LVS_CMD_SERVICE_GET, 0);
	if (!msg)
		return -ENOMEM;
	/* One service, then a dump of its destinations. */
	err = svc_put(msg, only);
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	err = lvs_nl_exec(nl, msg, svc_reply, &dump);
	if (err)
		return err;
	for (i = 0; i < list->n; i++) {
		err = fetch_dests(nl, &list->svcs[i]);
		if (err)
			return err;
	}
	return 0;
}

struct nl_msg *info_msg(struct lvs_nl *nl)
{
	/* Not a dump: the kernel has a doit only. */
	return lvs_nl_msg(nl, LVS_CMD_INFO_GET, 0);
}

struct info_reply {
	struct lvs_info *info;
	bool got;
};

static int info_reply(struct nlmsghdr *nlh, void *arg)
{
	struct info_reply *r = arg;

	if (r->got)
		return -EPROTO;
	r->got = true;
	return decode_info(nlh, r->info);
}

int fetch_info(struct lvs_nl *nl, struct lvs_info *info)
{
	struct info_reply r = { .info = info };
	struct nl_msg *msg;
	int err;

	msg = info_msg(nl);
	if (!msg)
		return -ENOMEM;
	err = lvs_nl_exec(nl, msg, info_reply, &r);
	if (!err && !r.got)
		err = -EPROTO;	/* acknowledged without a reply */
	return err;
}

static int fetch(struct lvs_nl *nl, const struct svc_spec *only,
		 struct svc_list *list, bool stats)
{
	int tries = 0;
	int err;

	do {
		svc_list_free(list);
		err = fetch_once(nl, only, list, stats);
	} while (err == -EAGAIN && ++tries < FETCH_TRIES);
	if (err)
		svc_list_free(list);
	else
		svc_list_sort(list);
	return err;
}

int fetch_services(struct lvs_nl *nl, const struct svc_spec *only,
		   struct svc_list *list)
{
	return fetch(nl, only, list, true);
}

int fetch_services_conf(struct lvs_nl *nl, struct svc_list *list)
{
	return fetch(nl, NULL, list, false);
}

void svc_list_free(struct svc_list *list)
{
	size_t i;

	for (i = 0; i < list->n; i++)
		free(list->svcs[i].dests);
	free(list->svcs);
	list->svcs = NULL;
	list->n = 0;
}

int cmp_endpoint(const struct endpoint *a, const struct endpoint *b)
{
	int c;

	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	c = memcmp(&a->addr, &b->addr, family_addr_len(a->family));
	if (c)
		return c;
	return (int)a->port - (int)b->port;
}

int cmp_svc_key(const struct svc_spec *a, const struct svc_spec *b)
{
	/* Firewall marks last, in order. */
	if (a->fwmark != b->fwmark)
		return a->fwmark < b->fwmark ? -1 : 1;
	if (a->protocol != b->protocol)
		return (int)a->protocol - (int)b->protocol;
	return cmp_endpoint(&a->vip, &b->vip);
}

int cmp_svc(const void *x, const void *y)
{
	const struct svc_info *a = x, *b = y;

	return cmp_svc_key(&a->spec, &b->spec);
}

int cmp_dest(const void *x, const void *y)
{
	const struct dest_info *a = x, *b = y;

	return cmp_endpoint(&a->rip, &b->rip);
}

/* Kernel order is hash order; print in a stable one. */
void svc_list_sort(struct svc_list *list)
{
	size_t i;

	if (list->n)
		qsort(list->svcs, list->n, sizeof(*list->svcs), cmp_svc);
	for (i = 0; i < list->n; i++)
		if (list->svcs[i].n_dests)
			qsort(list->svcs[i].dests, list->svcs[i].n_dests,
			      sizeof(*list->svcs[i].dests), cmp_dest);
}
