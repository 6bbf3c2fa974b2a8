// SPDX-License-Identifier: GPL-2.0
/*
 * Lines of a batch that go to the kernel in one request: a "service add"
 * with the "dest add" lines of that service right after it, or a run of
 * "dest add" lines of one service. The kernel takes such a request whole
 * or not at all (LVS_ATTR_DESTS) and builds the scheduler's state once,
 * where a request per line costs a round trip and a build each.
 *
 * If the kernel refuses the request, nothing of it was applied, and the
 * batch runs its lines one by one instead: the line at fault is then
 * reported as if the lines had never been joined.
 */
#include <errno.h>

#include <netlink/attr.h>

#include "ipvsctl.h"
#include "nl.h"

/* Destinations in one request: about 16 KiB of attributes. */
#define BULK_DESTS_MAX 256

size_t bulk_span(const struct batch_line *lines, size_t n)
{
	const struct request *first = &lines[0].req;
	size_t start = svc_req_is_add(first) ? 1 : 0, k;

	if (!start && !dest_req_is_add(first))
		return 1;
	for (k = start; k < n && k - start < BULK_DESTS_MAX; k++)
		if (!dest_req_is_add(&lines[k].req) ||
		    cmp_svc_key(&lines[k].req.svc, &first->svc))
			break;
	return k;
}

int bulk_run(struct ctx *ctx, const struct batch_line *lines, size_t n)
{
	const struct request *first = &lines[0].req;
	bool svc_add = svc_req_is_add(first);
	struct nlattr *nest;
	struct nl_msg *msg;
	size_t i;

	msg = lvs_nl_msg(ctx->nl, svc_add ? LVS_CMD_SERVICE_NEW :
					    LVS_CMD_DEST_NEW, 0);
	if (!msg)
		return -ENOMEM;
	if (svc_put(msg, &first->svc))
		goto too_big;
	nest = nla_nest_start(msg, LVS_ATTR_DESTS);
	if (!nest)
		goto too_big;
	for (i = svc_add ? 1 : 0; i < n; i++)
		if (dest_put(msg, &lines[i].req.dest, first->svc.vip.family))
			goto too_big;
	nla_nest_end(msg, nest);
	return lvs_nl_exec(ctx->nl, msg, NULL, NULL);

too_big:
	nlmsg_free(msg);
	return -EMSGSIZE;
}
