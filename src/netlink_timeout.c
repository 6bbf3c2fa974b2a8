// SPDX-License-Identifier: GPL-2.0
/*
 * LVS_CMD_TIMEOUT_SET and _GET: the connection timeouts of a namespace,
 * per protocol and state. Protocols and states are named by each
 * protocol's own table (struct lvs_proto), so a new protocol needs
 * nothing here. A request is checked whole into a staging table before
 * anything changes (lvs_timeout_apply(), which the "IPVS" family's
 * settings use too); the packet path reads each value with READ_ONCE
 * (lvs_timeout()) when it computes a connection's expiry.
 */

#include <net/genetlink.h>

#include <uapi/linux/lvs.h>

#include "netlink.h"
#include "netlink_notify.h"
#include "netlink_timeout.h"
#include "netns.h"
#include "proto.h"

static struct netlink_range_validation seconds_range = {
	.min = 1,
	.max = LVS_TIMEOUT_MAX,
};

const struct nla_policy lvs_timeout_policy[LVS_TIMEOUT_ATTR_MAX + 1] = {
	[LVS_TIMEOUT_ATTR_PROTOCOL] = { .type = NLA_U8 },
	[LVS_TIMEOUT_ATTR_STATE]    = { .type = NLA_NUL_STRING,
					.len = LVS_STATE_NAME_MAX - 1 },
	[LVS_TIMEOUT_ATTR_SECONDS]  = NLA_POLICY_FULL_RANGE(NLA_U32,
							    &seconds_range),
};

/* The first of an entry's required attributes it lacks, or 0. */
static int entry_missing(struct nlattr **tb)
{
	static const int required[] = {
		LVS_TIMEOUT_ATTR_PROTOCOL, LVS_TIMEOUT_ATTR_STATE,
		LVS_TIMEOUT_ATTR_SECONDS,
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(required); i++)
		if (!tb[required[i]])
			return required[i];
	return 0;
}

/* Check one entry of a request and stage its value. */
static int stage_entry(struct nlattr *entry, struct lvs_timeout_stage *st,
		       struct netlink_ext_ack *extack)
{
	struct nlattr *tb[LVS_TIMEOUT_ATTR_MAX + 1];
	const struct lvs_proto *pp;
	int err, s, miss;

	err = nla_parse_nested(tb, LVS_TIMEOUT_ATTR_MAX, entry,
			       lvs_timeout_policy, extack);
	if (err)
		return err;
	miss = entry_missing(tb);
	if (miss) {
		NL_SET_ERR_MSG(extack,
			       "A timeout needs a protocol, a state and seconds");
		NL_SET_ERR_ATTR_MISS(extack, entry, miss);
		return -EINVAL;
	}
	pp = lvs_proto_find(nla_get_u8(tb[LVS_TIMEOUT_ATTR_PROTOCOL]));
	if (!pp) {
		NL_SET_ERR_MSG_ATTR(extack, tb[LVS_TIMEOUT_ATTR_PROTOCOL],
				    "Unknown protocol");
		return -EPROTONOSUPPORT;
	}
	s = lvs_proto_state_find(pp, nla_data(tb[LVS_TIMEOUT_ATTR_STATE]));
	if (s < 0) {
		NL_SET_ERR_MSG_ATTR(extack, tb[LVS_TIMEOUT_ATTR_STATE],
				    "Unknown state for this protocol");
		return -EINVAL;
	}
	if (st->t[pp->index][s]) {
		NL_SET_ERR_MSG_ATTR(extack, entry,
				    "Timeout of this state given twice");
		return -EINVAL;
	}
	st->t[pp->index][s] =
		(unsigned long)nla_get_u32(tb[LVS_TIMEOUT_ATTR_SECONDS]) * HZ;
	return 0;
}

/*
 * Under ln->lock: give the states @st names their new timeouts, and
 * announce them. For the "IPVS" family's settings too.
 */
void lvs_timeout_apply(struct lvs_net *ln, const struct lvs_timeout_stage *st)
{
	unsigned int i, s, n = 0;

	lockdep_assert_held(&ln->lock);

	for (i = 0; i < LVS_PROTO_COUNT; i++) {
		for (s = 0; s < LVS_PROTO_MAX_STATES; s++) {
			if (st->t[i][s]) {
				WRITE_ONCE(ln->timeouts[i][s], st->t[i][s]);
				n++;
			}
		}
	}
	if (n) {
		ln->gen++;
		lvs_notify_timeouts(ln, st);
	}
}

/*
 * Check the timeouts of a request's LVS_ATTR_TIMEOUTS (in @attrs) and
 * stage them in @st, refusing a state @st already has: for TIMEOUT_SET
 * and for the timeouts of a transaction (netlink_apply.c).
 */
int lvs_nl_timeouts_stage(struct nlattr **attrs, struct lvs_timeout_stage *st,
			  struct netlink_ext_ack *extack)
{
	struct nlattr *list = attrs[LVS_ATTR_TIMEOUTS];
	struct nlattr *entry;
	unsigned int n = 0;
	int rem, err;

	if (!list) {
		NL_SET_ERR_MSG(extack, "Missing timeouts (LVS_ATTR_TIMEOUTS)");
		return -EINVAL;
	}
	nla_for_each_nested(entry, list, rem) {
		err = stage_entry(entry, st, extack);
		if (err)
			return err;
		n++;
	}
	if (!n) {
		NL_SET_ERR_MSG_ATTR(extack, list, "No timeouts given");
		return -EINVAL;
	}
	return 0;
}

int lvs_nl_timeout_set(struct sk_buff *skb, struct genl_info *info)
{
	struct lvs_net *ln = lvs_net(genl_info_net(info));
	struct lvs_timeout_stage st = {};
	int err;

	err = lvs_nl_timeouts_stage(info->attrs, &st, info->extack);
	if (err)
		return err;
	mutex_lock(&ln->lock);
	lvs_timeout_apply(ln, &st);
	mutex_unlock(&ln->lock);
	return 0;
}

/*
 * LVS_ATTR_TIMEOUTS: one entry nest per state of every protocol, or with
 * @only the states it names. Under ln->lock.
 */
int lvs_nl_put_timeouts(struct sk_buff *skb, struct lvs_net *ln,
			const struct lvs_timeout_stage *only)
{
	struct nlattr *list, *entry;
	unsigned int i, s, n = 0;

	list = nla_nest_start(skb, LVS_ATTR_TIMEOUTS);
	if (!list)
		return -EMSGSIZE;
	for (i = 0; i < LVS_PROTO_COUNT; i++) {
		const struct lvs_proto *pp = lvs_proto_by_index(i);

		for (s = 0; s < pp->num_states; s++) {
			if (only && !only->t[i][s])
				continue;
			entry = nla_nest_start(skb, ++n);
			if (!entry ||
			    nla_put_u8(skb, LVS_TIMEOUT_ATTR_PROTOCOL,
				       pp->protocol) ||
			    nla_put_string(skb, LVS_TIMEOUT_ATTR_STATE,
					   pp->state_names[s]) ||
			    nla_put_u32(skb, LVS_TIMEOUT_ATTR_SECONDS,
					DIV_ROUND_UP(ln->timeouts[i][s], HZ)))
				return -EMSGSIZE;
			nla_nest_end(skb, entry);
		}
	}
	nla_nest_end(skb, list);
	return 0;
}

int lvs_nl_timeout_get(struct sk_buff *skb, struct genl_info *info)
{
	struct lvs_net *ln = lvs_net(genl_info_net(info));
	struct sk_buff *msg;
	void *hdr;
	int err;

	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = lvs_nl_put_hdr(msg, info->snd_portid, info->snd_seq, 0,
			     LVS_CMD_TIMEOUT_GET);
	if (!hdr) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	mutex_lock(&ln->lock);
	err = lvs_nl_put_timeouts(msg, ln, NULL);
	mutex_unlock(&ln->lock);
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}
