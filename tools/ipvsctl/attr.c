// SPDX-License-Identifier: GPL-2.0
/*
 * A nest's attributes into a table by type, as nla_parse_nested() puts
 * them, checked against the same policy in the same way: an attribute
 * shorter than its type needs (or than the policy's minlen), or a string
 * without its terminating NUL, refuses the nest; types above @max are
 * skipped; of one type given twice the last counts. A save walks 100,000s
 * of destination nests, and libnl's walk, a library call for every step
 * of every attribute, was most of the time a fetch took in ipvsctl.
 */
#include <errno.h>
#include <string.h>

#include <netlink/attr.h>

#include "nl.h"

/* What libnl's validation asks of each type, at least. */
static const uint16_t type_min[NLA_TYPE_MAX + 1] = {
	[NLA_U8] = sizeof(uint8_t),
	[NLA_U16] = sizeof(uint16_t),
	[NLA_U32] = sizeof(uint32_t),
	[NLA_U64] = sizeof(uint64_t),
	[NLA_STRING] = 1,
	[NLA_MSECS] = sizeof(uint64_t),
};

static int attr_check(const struct nlattr *a, const struct nla_policy *pt)
{
	int len = a->nla_len - NLA_HDRLEN;
	int min = pt->minlen ? pt->minlen :
		  pt->type <= NLA_TYPE_MAX ? type_min[pt->type] : 0;

	if (len < min || (pt->maxlen && len > pt->maxlen))
		return -EPROTO;
	if (pt->type == NLA_STRING &&
	    ((const char *)a + NLA_HDRLEN)[len - 1] != '\0')
		return -EPROTO;
	return 0;
}

int attr_parse_nested(struct nlattr **tb, int max, const struct nlattr *nest,
		      const struct nla_policy *policy)
{
	const struct nlattr *a = nla_data(nest);
	int rem = nla_len(nest), type;

	memset(tb, 0, (size_t)(max + 1) * sizeof(*tb));
	while (rem >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN &&
	       a->nla_len <= rem) {
		type = a->nla_type & NLA_TYPE_MASK;
		if (type <= max) {
			if (policy && attr_check(a, &policy[type]))
				return -EPROTO;
			tb[type] = (struct nlattr *)a;
		}
		rem -= NLA_ALIGN(a->nla_len);
		a = (const struct nlattr *)((const char *)a +
					    NLA_ALIGN(a->nla_len));
	}
	return 0;
}
