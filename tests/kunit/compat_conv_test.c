// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the IPVS family's numbers translated to lvs's model and back
 * (compat_conv.c): service flags under their mask, persistence netmasks,
 * forwarding methods.
 */

#include <kunit/test.h>
#include <linux/socket.h>

#include <uapi/linux/lvs.h>

#include "compat_conv.h"
#include "sched.h"

static void flags_of_conf(struct kunit *test)
{
	struct lvs_sched_conf conf = { .persist_timeout = 300,
				       .hash_port = true };

	KUNIT_EXPECT_EQ(test, lvs_compat_svc_flags(&conf),
			IP_VS_SVC_F_HASHED | IP_VS_SVC_F_PERSISTENT |
			IP_VS_SVC_F_SCHED_SH_PORT);
	conf = (struct lvs_sched_conf){ .one_packet = true, .fallback = true };
	KUNIT_EXPECT_EQ(test, lvs_compat_svc_flags(&conf),
			IP_VS_SVC_F_HASHED | IP_VS_SVC_F_ONEPACKET |
			IP_VS_SVC_F_SCHED_SH_FALLBACK);
}

/* ipvsadm -E sends every flag under a full mask; others send a part. */
static void flags_merge_under_mask(struct kunit *test)
{
	struct lvs_sched_conf conf = { .persist_timeout = 60,
				       .fallback = true };
	struct ip_vs_flags f = { .flags = IP_VS_SVC_F_ONEPACKET,
				 .mask = IP_VS_SVC_F_ONEPACKET };
	u32 flags;

	/* Only the masked flag changes; the others stay. */
	KUNIT_EXPECT_TRUE(test, lvs_compat_flags_merge(&conf, &f, &flags));
	KUNIT_EXPECT_EQ(test, flags,
			IP_VS_SVC_F_HASHED | IP_VS_SVC_F_PERSISTENT |
			IP_VS_SVC_F_ONEPACKET | IP_VS_SVC_F_SCHED_SH_FALLBACK);
	/* A full mask replaces them all. */
	f = (struct ip_vs_flags){ .flags = IP_VS_SVC_F_SCHED_SH_PORT,
				  .mask = ~0U };
	KUNIT_EXPECT_TRUE(test, lvs_compat_flags_merge(&conf, &f, &flags));
	KUNIT_EXPECT_EQ(test, flags, IP_VS_SVC_F_SCHED_SH_PORT);
	/* A flag lvs does not know, but only under the mask. */
	f = (struct ip_vs_flags){ .flags = IP_VS_SVC_F_SCHED3,
				  .mask = IP_VS_SVC_F_SCHED3 };
	KUNIT_EXPECT_FALSE(test, lvs_compat_flags_merge(&conf, &f, &flags));
	f.mask = 0;
	KUNIT_EXPECT_TRUE(test, lvs_compat_flags_merge(&conf, &f, &flags));
	KUNIT_EXPECT_EQ(test, flags, lvs_compat_svc_flags(&conf));
}

static void conf_from_flags(struct kunit *test)
{
	struct lvs_sched_conf conf = { .persist_timeout = 60,
				       .persist_drained = true };

	lvs_compat_conf_set(&conf, IP_VS_SVC_F_ONEPACKET |
			    IP_VS_SVC_F_SCHED_SH_PORT, 300);
	/* Not persistent: the timeout given does not count. */
	KUNIT_EXPECT_EQ(test, conf.persist_timeout, 0);
	KUNIT_EXPECT_TRUE(test, conf.one_packet);
	KUNIT_EXPECT_TRUE(test, conf.hash_port);
	KUNIT_EXPECT_FALSE(test, conf.fallback);
	/* ip_vs has no such flag: what lvs keeps of its own stays. */
	KUNIT_EXPECT_TRUE(test, conf.persist_drained);
	lvs_compat_conf_set(&conf, IP_VS_SVC_F_PERSISTENT |
			    IP_VS_SVC_F_SCHED_SH_FALLBACK, 300);
	KUNIT_EXPECT_EQ(test, conf.persist_timeout, 300);
	KUNIT_EXPECT_TRUE(test, conf.fallback);
	KUNIT_EXPECT_FALSE(test, conf.one_packet || conf.hash_port);
	/* A round trip. */
	KUNIT_EXPECT_EQ(test, lvs_compat_svc_flags(&conf),
			IP_VS_SVC_F_HASHED | IP_VS_SVC_F_PERSISTENT |
			IP_VS_SVC_F_SCHED_SH_FALLBACK);
}

static void netmasks(struct kunit *test)
{
	static const struct {
		u8 af;
		u32 netmask;	/* IPv4 in network order */
		bool ok;
		u8 prefix;
	} cases[] = {
		{ AF_INET, (__force u32)htonl(0xffffffff), true, 32 },
		{ AF_INET, (__force u32)htonl(0xffffff00), true, 24 },
		{ AF_INET, 0, true, 0 },
		{ AF_INET, (__force u32)htonl(0xff00ff00), false },
		{ AF_INET, (__force u32)htonl(0x00ffffff), false },
		{ AF_INET6, 128, true, 128 },
		{ AF_INET6, 64, true, 64 },
		{ AF_INET6, 1, true, 1 },
		{ AF_INET6, 0, false },
		{ AF_INET6, 129, false },
	};
	unsigned int i;
	u8 prefix;
	bool ok;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		prefix = 200;
		ok = lvs_compat_netmask_prefix(cases[i].af, cases[i].netmask,
					       &prefix);
		KUNIT_EXPECT_EQ_MSG(test, ok, cases[i].ok, "case %u", i);
		if (!ok || !cases[i].ok)
			continue;
		KUNIT_EXPECT_EQ_MSG(test, prefix, cases[i].prefix, "case %u",
				    i);
		KUNIT_EXPECT_EQ_MSG(test, lvs_compat_netmask(cases[i].af, prefix),
				    cases[i].netmask, "case %u", i);
	}
}

static void methods(struct kunit *test)
{
	static const struct {
		u32 ipvs;
		u8 fwd;
	} map[] = {
		{ IP_VS_CONN_F_MASQ, LVS_FWD_NAT },
		{ IP_VS_CONN_F_TUNNEL, LVS_FWD_TUN },
		{ IP_VS_CONN_F_DROUTE, LVS_FWD_DR },
	};
	unsigned int i;
	u8 fwd;

	for (i = 0; i < ARRAY_SIZE(map); i++) {
		fwd = 99;
		KUNIT_EXPECT_EQ(test, lvs_compat_fwd_from(map[i].ipvs, &fwd),
				0);
		KUNIT_EXPECT_EQ(test, fwd, map[i].fwd);
		KUNIT_EXPECT_EQ(test, lvs_compat_fwd_to(fwd), map[i].ipvs);
		/* Bits above the method's mean nothing here. */
		KUNIT_EXPECT_EQ(test, lvs_compat_fwd_from(map[i].ipvs |
				IP_VS_CONN_F_NOOUTPUT, &fwd), 0);
		KUNIT_EXPECT_EQ(test, fwd, map[i].fwd);
	}
	KUNIT_EXPECT_EQ(test, lvs_compat_fwd_from(IP_VS_CONN_F_LOCALNODE,
						  &fwd), -EOPNOTSUPP);
	KUNIT_EXPECT_EQ(test, lvs_compat_fwd_from(IP_VS_CONN_F_BYPASS, &fwd),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, lvs_compat_fwd_from(7, &fwd), -EINVAL);
}

static struct kunit_case lvs_compat_conv_cases[] = {
	KUNIT_CASE(flags_of_conf),
	KUNIT_CASE(flags_merge_under_mask),
	KUNIT_CASE(conf_from_flags),
	KUNIT_CASE(netmasks),
	KUNIT_CASE(methods),
	{}
};

static struct kunit_suite lvs_compat_conv_suite = {
	.name = "lvs_compat_conv",
	.test_cases = lvs_compat_conv_cases,
};

kunit_test_suite(lvs_compat_conv_suite);
