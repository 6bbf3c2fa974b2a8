// SPDX-License-Identifier: GPL-2.0
/*
 * Limits for namespaces that root of another user namespace administers.
 *
 * Every command of the family needs CAP_NET_ADMIN in the user namespace
 * that owns the network namespace, so that a container configures its own
 * services; on Debian any user may make such a pair of namespaces. What
 * the configuration of those namespaces allocates is charged to the
 * caller's memory cgroup, and capped here by module parameters, which the
 * host's root may change at any time. A namespace the initial user
 * namespace owns has no limit but memory.
 */

#include <linux/moduleparam.h>
#include <linux/string.h>
#include <linux/user_namespace.h>

#include "limits.h"
#include "netns.h"

static unsigned int userns_max_services = 256;
module_param(userns_max_services, uint, 0644);
MODULE_PARM_DESC(userns_max_services,
		 "Services of a namespace another user namespace owns (default 256)");

static unsigned int userns_max_dests = 4096;
module_param(userns_max_dests, uint, 0644);
MODULE_PARM_DESC(userns_max_dests,
		 "Destinations, over all its services, of a namespace another user namespace owns (default 4096)");

static unsigned int userns_mh_max_size = 65537;
module_param(userns_mh_max_size, uint, 0644);
MODULE_PARM_DESC(userns_mh_max_size,
		 "Largest Maglev table (entries, 4 bytes each) of a service in a namespace another user namespace owns (default 65537)");

static bool limited(const struct lvs_net *ln)
{
	return ln->net->user_ns != &init_user_ns;
}

/* Under ln->lock: may @ln have @n more services? */
int lvs_limit_service(const struct lvs_net *ln, unsigned int n,
		      struct netlink_ext_ack *extack)
{
	if (limited(ln) &&
	    (u64)ln->svc_count + n > READ_ONCE(userns_max_services)) {
		NL_SET_ERR_MSG(extack,
			       "Too many services for a namespace of another user namespace (lvs userns_max_services)");
		return -ENOSPC;
	}
	return 0;
}

/* Under ln->lock: may @ln have @n more destinations? */
int lvs_limit_dest(const struct lvs_net *ln, unsigned int n,
		   struct netlink_ext_ack *extack)
{
	if (limited(ln) &&
	    (u64)ln->dest_count + n > READ_ONCE(userns_max_dests)) {
		NL_SET_ERR_MSG(extack,
			       "Too many destinations for a namespace of another user namespace (lvs userns_max_dests)");
		return -ENOSPC;
	}
	return 0;
}

/* May a service of @ln use scheduler @sched with a table of @size? */
int lvs_limit_mh_size(const struct lvs_net *ln, const char *sched,
		      u32 size, struct netlink_ext_ack *extack)
{
	if (limited(ln) && !strcmp(sched, "mh") &&
	    size > READ_ONCE(userns_mh_max_size)) {
		NL_SET_ERR_MSG(extack,
			       "Maglev table too large for a namespace of another user namespace (lvs userns_mh_max_size)");
		return -ENOSPC;
	}
	return 0;
}
