// SPDX-License-Identifier: GPL-2.0
/*
 * The settings of the "IPVS" family (compat_nl.c): ip_vs's three
 * timeouts, which are three of lvs's per-state ones (TCP ESTABLISHED,
 * TCP FIN_WAIT and UDP); the version and connection table size; and sync
 * daemons, which lvs does not have yet.
 */

#include <net/genetlink.h>

#include <uapi/linux/lvs.h>

#include "compat_nl.h"
#include "netlink_timeout.h"
#include "netns.h"
#include "proto.h"

const struct nla_policy lvs_compat_cmd_policy[IPVS_CMD_ATTR_MAX + 1] = {
	[IPVS_CMD_ATTR_SERVICE]		= { .type = NLA_NESTED },
	[IPVS_CMD_ATTR_DEST]		= { .type = NLA_NESTED },
	[IPVS_CMD_ATTR_DAEMON]		= { .type = NLA_NESTED },
	[IPVS_CMD_ATTR_TIMEOUT_TCP]	= { .type = NLA_U32 },
	[IPVS_CMD_ATTR_TIMEOUT_TCP_FIN]	= { .type = NLA_U32 },
	[IPVS_CMD_ATTR_TIMEOUT_UDP]	= { .type = NLA_U32 },
};

static const struct {
	int attr;
	u8 protocol;
	const char *state;
} timeouts[] = {
	{ IPVS_CMD_ATTR_TIMEOUT_TCP, IPPROTO_TCP, "ESTABLISHED" },
	{ IPVS_CMD_ATTR_TIMEOUT_TCP_FIN, IPPROTO_TCP, "FIN_WAIT" },
	{ IPVS_CMD_ATTR_TIMEOUT_UDP, IPPROTO_UDP, "UDP" },
};

/* Where lvs keeps the timeout of timeouts[@i]: protocol @p, state @s. */
static bool timeout_index(unsigned int i, unsigned int *p, unsigned int *s)
{
	const struct lvs_proto *pp = lvs_proto_find(timeouts[i].protocol);
	int state = lvs_proto_state_find(pp, timeouts[i].state);

	if (WARN_ON_ONCE(state < 0))
		return false;
	*p = pp->index;
	*s = state;
	return true;
}

/*
 * A timeout of 0, or none, keeps its value, as in ip_vs. The others are
 * set, and announced, as LVS_CMD_TIMEOUT_SET sets them.
 */
int lvs_compat_config_set(struct sk_buff *skb, struct genl_info *info)
{
	struct lvs_net *ln = lvs_net(genl_info_net(info));
	struct lvs_timeout_stage st = {};
	struct nlattr *attr;
	unsigned int i, p, s;

	for (i = 0; i < ARRAY_SIZE(timeouts); i++) {
		attr = info->attrs[timeouts[i].attr];
		if (!attr)
			continue;
		if (nla_get_u32(attr) > LVS_TIMEOUT_MAX) {
			NL_SET_ERR_MSG_ATTR(info->extack, attr,
					    "Timeout must be at most 2592000 seconds");
			return -EINVAL;
		}
		if (nla_get_u32(attr) && timeout_index(i, &p, &s))
			st.t[p][s] = (unsigned long)nla_get_u32(attr) * HZ;
	}
	mutex_lock(&ln->lock);
	lvs_timeout_apply(ln, &st);
	mutex_unlock(&ln->lock);
	return 0;
}

static int fill_config(struct sk_buff *msg, struct lvs_net *ln,
		       struct genl_info *info)
{
	unsigned int i, p, s;

	for (i = 0; i < ARRAY_SIZE(timeouts); i++) {
		if (timeout_index(i, &p, &s) &&
		    nla_put_u32(msg, timeouts[i].attr,
				DIV_ROUND_UP(ln->timeouts[p][s], HZ)))
			return -EMSGSIZE;
	}
	return 0;
}

int lvs_compat_config_get(struct sk_buff *skb, struct genl_info *info)
{
	return lvs_compat_reply(info, IPVS_CMD_SET_CONFIG, fill_config);
}

/*
 * ip_vs's table has a fixed number of buckets; lvs's grows and shrinks,
 * and this is how many its client side has now.
 */
static int fill_info(struct sk_buff *msg, struct lvs_net *ln,
		     struct genl_info *info)
{
	if (nla_put_u32(msg, IPVS_INFO_ATTR_VERSION, IP_VS_VERSION_CODE) ||
	    nla_put_u32(msg, IPVS_INFO_ATTR_CONN_TAB_SIZE,
			lvs_conn_buckets(&ln->conns.in)))
		return -EMSGSIZE;
	return 0;
}

int lvs_compat_info_get(struct sk_buff *skb, struct genl_info *info)
{
	return lvs_compat_reply(info, IPVS_CMD_SET_INFO, fill_info);
}

int lvs_compat_daemon_set(struct sk_buff *skb, struct genl_info *info)
{
	NL_SET_ERR_MSG(info->extack,
		       "Connection synchronisation (sync daemons) is not supported yet");
	return -EOPNOTSUPP;
}

/* No sync daemon runs: an empty list. */
int lvs_compat_daemon_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	return 0;
}
