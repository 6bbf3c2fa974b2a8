// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: a new connection (conn_new.c). A scheduler whose first answers
 * name a destination that has left its service, as a packet reading the
 * scheduler state just replaced by a change sees it: the connection goes
 * to the destination the next pick names, the departed one gains nothing,
 * and a pick that keeps naming departed ones ends with the packet dropped
 * as having no destination, after one retry.
 */

#include <kunit/test.h>
#include <linux/percpu.h>
#include <linux/slab.h>

#include <uapi/linux/lvs.h>

#include "conn.h"
#include "conn_new.h"
#include "dest.h"
#include "netns.h"
#include "proto.h"
#include "rcu.h"
#include "service.h"
#include "stats.h"

/* The fake scheduler's state: its first @stale picks name @gone. */
struct pick {
	struct lvs_dest *gone;
	struct lvs_dest *live;
	unsigned int stale;
	unsigned int calls;
};

static struct lvs_dest *pick_schedule(void *state, const struct lvs_pkt *pkt)
{
	struct pick *p = state;

	return p->calls++ < p->stale ? p->gone : p->live;
}

static struct lvs_scheduler pick_sched = {
	.name		= "kunit-pick",
	.schedule	= pick_schedule,
};

struct fixture {
	struct lvs_net ln;
	struct lvs_service svc;
	struct lvs_sched_state st;
	struct lvs_dest gone, live;
	struct pick pick;
	struct lvs_pkt pkt;
};

static void fake_dest(struct kunit *test, struct fixture *f,
		      struct lvs_dest *dest, u32 addr, unsigned int refs)
{
	dest->svc = &f->svc;
	dest->af = AF_INET;
	dest->addr.ip = htonl(addr);
	dest->port = htons(8080);
	dest->fwd = LVS_FWD_DR;
	dest->weight = refs ? 1 : 0;
	refcount_set(&dest->refcnt, refs);
	dest->stats = lvs_stats_alloc();
	KUNIT_ASSERT_NOT_NULL(test, dest->stats);
}

static struct fixture *fixture_new(struct kunit *test, unsigned int stale)
{
	struct fixture *f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, f);
	KUNIT_ASSERT_EQ(test, 0, lvs_conn_table_init(&f->ln.conns, 16, 0));
	f->svc.ln = &f->ln;
	f->svc.stats = lvs_stats_alloc();
	KUNIT_ASSERT_NOT_NULL(test, f->svc.stats);
	/* Gone: no reference left. Live: the test's own, kept to the end. */
	fake_dest(test, f, &f->gone, 0x0a000102, 0);
	fake_dest(test, f, &f->live, 0x0a000202, 1);
	f->pick.gone = &f->gone;
	f->pick.live = &f->live;
	f->pick.stale = stale;
	f->st.sched = &pick_sched;
	f->st.priv = &f->pick;
	RCU_INIT_POINTER(f->svc.sched_state, &f->st);

	f->pkt.af = AF_INET;
	f->pkt.protocol = IPPROTO_TCP;
	f->pkt.saddr.ip = htonl(0xc0a80001);
	f->pkt.daddr.ip = htonl(0x0a000001);
	f->pkt.sport = htons(40000);
	f->pkt.dport = htons(80);
	f->pkt.tcp_flags = LVS_TCP_SYN;
	return f;
}

/* Empty the table and wait for its entries' references to go. */
static void fixture_free(struct fixture *f)
{
	lvs_conn_table_destroy(&f->ln.conns);
	lvs_rcu_drain();
	free_percpu(f->gone.stats);
	free_percpu(f->live.stats);
	free_percpu(f->svc.stats);
}

static struct lvs_conn *new_conn(struct fixture *f,
				 enum lvs_drop_reason *why)
{
	struct lvs_conn *c;

	/* As on the packet path: RCU, bottom halves off. */
	rcu_read_lock();
	local_bh_disable();
	c = lvs_conn_new(&f->ln, &f->svc, &lvs_proto_tcp, &f->pkt, why);
	local_bh_enable();
	rcu_read_unlock();
	return c;
}

static u64 conns_of(struct lvs_cpu_stats __percpu *stats)
{
	struct lvs_stats sum;

	lvs_stats_read(stats, &sum);
	return sum.conns;
}

static void conn_new_live(struct kunit *test)
{
	struct fixture *f = fixture_new(test, 0);
	enum lvs_drop_reason why;
	struct lvs_conn *c = new_conn(f, &why);

	KUNIT_ASSERT_NOT_NULL(test, c);
	KUNIT_EXPECT_PTR_EQ(test, c->dest, &f->live);
	KUNIT_EXPECT_EQ(test, f->pick.calls, 1U);
	KUNIT_EXPECT_EQ(test, refcount_read(&f->live.refcnt), 2U);
	KUNIT_EXPECT_EQ(test, conns_of(f->svc.stats), 1ULL);
	KUNIT_EXPECT_EQ(test, conns_of(f->live.stats), 1ULL);
	fixture_free(f);
	KUNIT_EXPECT_EQ(test, refcount_read(&f->live.refcnt), 1U);
}

/* The state read first was replaced; the second pick reads its successor. */
static void conn_new_departed_once(struct kunit *test)
{
	struct fixture *f = fixture_new(test, 1);
	enum lvs_drop_reason why;
	struct lvs_conn *c = new_conn(f, &why);

	KUNIT_ASSERT_NOT_NULL(test, c);
	KUNIT_EXPECT_PTR_EQ(test, c->dest, &f->live);
	KUNIT_EXPECT_EQ(test, f->pick.calls, 2U);
	KUNIT_EXPECT_EQ(test, refcount_read(&f->gone.refcnt), 0U);
	KUNIT_EXPECT_EQ(test, atomic_read(&f->gone.inactconns), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&f->live.inactconns), 1);
	KUNIT_EXPECT_EQ(test, conns_of(f->gone.stats), 0ULL);
	KUNIT_EXPECT_EQ(test, conns_of(f->svc.stats), 1ULL);
	KUNIT_EXPECT_EQ(test, atomic_read(&f->ln.conns.count), 1);
	fixture_free(f);
}

/* A pick that keeps naming departed destinations: one retry, then a drop. */
static void conn_new_departed_twice(struct kunit *test)
{
	struct fixture *f = fixture_new(test, 3);
	enum lvs_drop_reason why = LVS_DROP_COUNT;

	KUNIT_EXPECT_NULL(test, new_conn(f, &why));
	KUNIT_EXPECT_EQ(test, why, LVS_DROP_NO_DEST);
	KUNIT_EXPECT_EQ(test, f->pick.calls, 2U);
	KUNIT_EXPECT_EQ(test, atomic_read(&f->ln.conns.count), 0);
	KUNIT_EXPECT_EQ(test, conns_of(f->svc.stats), 0ULL);
	fixture_free(f);
}

static void conn_new_no_dest(struct kunit *test)
{
	struct fixture *f = fixture_new(test, 0);
	enum lvs_drop_reason why = LVS_DROP_COUNT;

	f->pick.live = NULL;
	KUNIT_EXPECT_NULL(test, new_conn(f, &why));
	KUNIT_EXPECT_EQ(test, why, LVS_DROP_NO_DEST);
	KUNIT_EXPECT_EQ(test, f->pick.calls, 1U);
	fixture_free(f);
}

static int conn_new_suite_init(struct kunit_suite *suite)
{
	/* Suites run before the module's init, which makes the cache. */
	return lvs_conn_cache_init();
}

static void conn_new_suite_exit(struct kunit_suite *suite)
{
	lvs_rcu_drain();
	lvs_conn_cache_exit();
}

static struct kunit_case lvs_conn_new_cases[] = {
	KUNIT_CASE(conn_new_live),
	KUNIT_CASE(conn_new_departed_once),
	KUNIT_CASE(conn_new_departed_twice),
	KUNIT_CASE(conn_new_no_dest),
	{}
};

static struct kunit_suite lvs_conn_new_suite = {
	.name		= "lvs_conn_new",
	.suite_init	= conn_new_suite_init,
	.suite_exit	= conn_new_suite_exit,
	.test_cases	= lvs_conn_new_cases,
};

kunit_test_suite(lvs_conn_new_suite);
