// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the connection table. Insert, look up from both sides, races
 * between inserters, the entry limit, expiry, flush, and a differential
 * run against a plain array over random operations.
 */

#include <kunit/test.h>
#include <linux/moduleparam.h>
#include <linux/prandom.h>
#include <linux/random.h>

#include <uapi/linux/lvs.h>

#include "conn.h"
#include "proto.h"
#include "rcu.h"

/*
 * The seed of the differential run: fixed, so that a failure reproduces,
 * and printed. Load lvs with conn_test_seed=N for another, 0 for a random
 * one.
 */
static unsigned long long conn_test_seed = 0x6c76735f636f6e6eULL;
module_param(conn_test_seed, ullong, 0444);
MODULE_PARM_DESC(conn_test_seed,
		 "KUnit: seed of lvs_conn's differential run (0: random)");

static void make_keys(struct lvs_conn_key *in, struct lvs_conn_key *out,
		      u32 client, u16 cport)
{
	memset(in, 0, sizeof(*in));
	in->af = AF_INET;
	in->protocol = IPPROTO_TCP;
	in->saddr.ip = htonl(client);
	in->daddr.ip = htonl(0x0a000001);	/* VIP 10.0.0.1 */
	in->sport = htons(cport);
	in->dport = htons(80);

	memset(out, 0, sizeof(*out));
	out->af = AF_INET;
	out->protocol = IPPROTO_TCP;
	out->saddr.ip = htonl(0x0a000102);	/* real server 10.0.1.2 */
	out->daddr.ip = in->saddr.ip;
	out->sport = htons(8080);
	out->dport = in->sport;
}

static struct lvs_conn *new_conn(struct kunit *test, u32 client, u16 cport)
{
	struct lvs_conn_key in, out;
	struct lvs_conn *c;

	make_keys(&in, &out, client, cport);
	c = lvs_conn_alloc(&in, &out, &lvs_proto_tcp, LVS_FWD_NAT, NULL);
	KUNIT_ASSERT_NOT_NULL(test, c);
	c->expires = jiffies + HZ;
	return c;
}

static struct lvs_conn_table *new_table(struct kunit *test, unsigned int max)
{
	struct lvs_conn_table *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, t);
	KUNIT_ASSERT_EQ(test, 0, lvs_conn_table_init(t, max, 0));
	return t;
}

static struct lvs_conn *lookup_in(struct lvs_conn_table *t, u32 client,
				  u16 cport)
{
	struct lvs_conn_key in, out;
	struct lvs_conn *c;

	make_keys(&in, &out, client, cport);
	rcu_read_lock();
	c = lvs_conn_lookup_in(t, &in);
	rcu_read_unlock();
	return c;
}

static struct lvs_conn *lookup_out(struct lvs_conn_table *t, u32 client,
				   u16 cport)
{
	struct lvs_conn_key in, out;
	struct lvs_conn *c;

	make_keys(&in, &out, client, cport);
	rcu_read_lock();
	c = lvs_conn_lookup_out(t, &out);
	rcu_read_unlock();
	return c;
}

static void conn_insert_lookup(struct kunit *test)
{
	struct lvs_conn_table *t = new_table(test, 16);
	struct lvs_conn *c = new_conn(test, 0xc0a80001, 40000);

	KUNIT_EXPECT_PTR_EQ(test, lvs_conn_insert(t, c), c);
	KUNIT_EXPECT_PTR_EQ(test, lookup_in(t, 0xc0a80001, 40000), c);
	KUNIT_EXPECT_PTR_EQ(test, lookup_out(t, 0xc0a80001, 40000), c);
	KUNIT_EXPECT_NULL(test, lookup_in(t, 0xc0a80001, 40001));
	KUNIT_EXPECT_NULL(test, lookup_in(t, 0xc0a80002, 40000));
	KUNIT_EXPECT_EQ(test, atomic_read(&t->count), 1);

	lvs_conn_unlink(t, c);
	KUNIT_EXPECT_NULL(test, lookup_in(t, 0xc0a80001, 40000));
	KUNIT_EXPECT_NULL(test, lookup_out(t, 0xc0a80001, 40000));
	KUNIT_EXPECT_EQ(test, atomic_read(&t->count), 0);
	/* A second unlink of the same entry is harmless. */
	lvs_conn_unlink(t, c);
	KUNIT_EXPECT_EQ(test, atomic_read(&t->count), 0);
	lvs_conn_table_destroy(t);
}

/* Two CPUs creating the same connection: the second adopts the first. */
static void conn_insert_race(struct kunit *test)
{
	struct lvs_conn_table *t = new_table(test, 16);
	struct lvs_conn *a = new_conn(test, 0xc0a80001, 40000);
	struct lvs_conn *b = new_conn(test, 0xc0a80001, 40000);

	KUNIT_EXPECT_PTR_EQ(test, lvs_conn_insert(t, a), a);
	KUNIT_EXPECT_PTR_EQ(test, lvs_conn_insert(t, b), a);
	KUNIT_EXPECT_EQ(test, atomic_read(&t->count), 1);
	lvs_conn_table_destroy(t);
}

static void conn_limit(struct kunit *test)
{
	struct lvs_conn_table *t = new_table(test, 2);
	struct lvs_conn *c;

	KUNIT_EXPECT_FALSE(test, IS_ERR(lvs_conn_insert(t, new_conn(test, 1, 1))));
	KUNIT_EXPECT_FALSE(test, IS_ERR(lvs_conn_insert(t, new_conn(test, 1, 2))));
	c = lvs_conn_insert(t, new_conn(test, 1, 3));
	KUNIT_EXPECT_EQ(test, PTR_ERR(c), -ENOSPC);
	KUNIT_EXPECT_EQ(test, atomic64_read(&t->full_drops), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&t->count), 2);
	KUNIT_EXPECT_NULL(test, lookup_in(t, 1, 3));
	lvs_conn_table_destroy(t);
}

static unsigned int buckets(struct rhashtable *ht)
{
	return rcu_dereference_raw(ht->tbl)->size;
}

/* The table starts at the size asked for, rounded up; too big is refused. */
static void conn_size(struct kunit *test)
{
	struct lvs_conn_table *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, t);
	KUNIT_ASSERT_EQ(test, lvs_conn_table_init(t, 16, 1000), 0);
	KUNIT_EXPECT_EQ(test, buckets(&t->in), 1024);
	KUNIT_EXPECT_EQ(test, buckets(&t->out), 1024);
	lvs_conn_table_destroy(t);
	KUNIT_ASSERT_EQ(test, lvs_conn_table_init(t, 16, LVS_CONN_BUCKETS_MAX),
			0);
	KUNIT_EXPECT_EQ(test, buckets(&t->in), LVS_CONN_BUCKETS_MAX);
	lvs_conn_table_destroy(t);
	KUNIT_EXPECT_EQ(test, lvs_conn_table_init(t, 16,
						  LVS_CONN_BUCKETS_MAX + 1),
			-EINVAL);
}

/* Two clients whose replies would look the same: the second is refused. */
static void conn_reply_clash(struct kunit *test)
{
	struct lvs_conn_table *t = new_table(test, 16);
	struct lvs_conn *a = new_conn(test, 7, 1000);
	struct lvs_conn *b = new_conn(test, 7, 1000);

	/* Same reply tuple, different virtual address. */
	b->in.daddr.ip = htonl(0x0a000002);
	KUNIT_EXPECT_PTR_EQ(test, lvs_conn_insert(t, a), a);
	KUNIT_EXPECT_EQ(test, PTR_ERR(lvs_conn_insert(t, b)), -EEXIST);
	KUNIT_EXPECT_EQ(test, atomic_read(&t->count), 1);
	KUNIT_EXPECT_PTR_EQ(test, lookup_out(t, 7, 1000), a);
	lvs_conn_table_destroy(t);
}

static void conn_gc_expires_only_old(struct kunit *test)
{
	struct lvs_conn_table *t = new_table(test, 64);
	unsigned long now = jiffies;
	unsigned int i, pass, expired = 0;
	bool done;

	for (i = 0; i < 20; i++) {
		struct lvs_conn *c = new_conn(test, 100, i);

		c->expires = i % 2 ? now - 1 : now + 100 * HZ;
		KUNIT_ASSERT_PTR_EQ(test, lvs_conn_insert(t, c), c);
	}
	/*
	 * Small slices: a pass spans several calls. Entries unlinked
	 * between slices can make the walk skip others (rhashtable's walker
	 * promises no better), which the next pass finds, so run passes
	 * until one expires nothing.
	 */
	for (pass = 0; pass < 10; pass++) {
		unsigned int before = expired;

		done = false;
		for (i = 0; i < 100 && !done; i++)
			expired += lvs_conn_gc_slice(t, now, 3, &done);
		KUNIT_ASSERT_TRUE(test, done);
		if (expired == before)
			break;
	}
	KUNIT_EXPECT_EQ(test, expired, 10);
	KUNIT_EXPECT_EQ(test, atomic_read(&t->count), 10);
	for (i = 0; i < 20; i++)
		KUNIT_EXPECT_EQ(test, !!lookup_in(t, 100, i), !(i % 2));
	lvs_conn_table_destroy(t);
}

static bool odd_port(const struct lvs_conn *c, const void *arg)
{
	return ntohs(c->in.sport) % 2;
}

static void conn_flush_match(struct kunit *test)
{
	struct lvs_conn_table *t = new_table(test, 64);
	unsigned int i;

	for (i = 0; i < 10; i++)
		lvs_conn_insert(t, new_conn(test, 5, i));
	lvs_conn_flush(t, odd_port, NULL);
	KUNIT_EXPECT_EQ(test, atomic_read(&t->count), 5);
	for (i = 0; i < 10; i++)
		KUNIT_EXPECT_EQ(test, !!lookup_in(t, 5, i), !(i % 2));
	lvs_conn_table_destroy(t);
}

/*
 * conn_test_seed as given to insmod. Linux 6.1 runs a module's suites
 * before it parses the module's parameters, so read its arguments here.
 */
static u64 conn_test_get_seed(struct kunit *test)
{
	char *args, *p, *param, *val;
	u64 seed = conn_test_seed;

	args = kstrdup(THIS_MODULE->args ?: "", GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, args);
	p = skip_spaces(args);
	while (*p) {
		p = next_arg(p, &param, &val);
		if (strcmp(param, "conn_test_seed"))
			continue;
		if (!val || kstrtoull(val, 0, &seed)) {
			kfree(args);
			KUNIT_ASSERT_FAILURE(test, "conn_test_seed: not a number");
		}
	}
	kfree(args);
	if (!seed)
		seed = get_random_u64();
	kunit_info(test, "seed %llu (conn_test_seed=N to repeat)\n", seed);
	return seed;
}

/* Random inserts and unlinks, checked against a plain array. */
static void conn_differential(struct kunit *test)
{
	enum { SLOTS = 64, OPS = 2000 };
	struct lvs_conn_table *t;
	struct lvs_conn **model;
	struct rnd_state rnd;
	unsigned int i, n = 0;

	prandom_seed_state(&rnd, conn_test_get_seed(test));
	t = new_table(test, SLOTS);
	model = kunit_kcalloc(test, SLOTS, sizeof(*model), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, model);
	for (i = 0; i < OPS; i++) {
		u16 port = prandom_u32_state(&rnd) % SLOTS;

		if (!model[port]) {
			struct lvs_conn *c = new_conn(test, 9, port);

			KUNIT_ASSERT_PTR_EQ(test, lvs_conn_insert(t, c), c);
			model[port] = c;
			n++;
		} else {
			lvs_conn_unlink(t, model[port]);
			model[port] = NULL;
			n--;
		}
		port = prandom_u32_state(&rnd) % SLOTS;
		KUNIT_ASSERT_PTR_EQ_MSG(test, lookup_in(t, 9, port),
					model[port], "op %u", i);
		KUNIT_ASSERT_PTR_EQ_MSG(test, lookup_out(t, 9, port),
					model[port], "op %u", i);
		KUNIT_ASSERT_EQ_MSG(test, atomic_read(&t->count), n, "op %u", i);
	}
	lvs_conn_table_destroy(t);
}

static int conn_suite_init(struct kunit_suite *suite)
{
	/* Suites run before the module's init, which makes the cache. */
	return lvs_conn_cache_init();
}

static void conn_suite_exit(struct kunit_suite *suite)
{
	lvs_rcu_drain();
	lvs_conn_cache_exit();
}

static struct kunit_case lvs_conn_cases[] = {
	KUNIT_CASE(conn_insert_lookup),
	KUNIT_CASE(conn_insert_race),
	KUNIT_CASE(conn_limit),
	KUNIT_CASE(conn_size),
	KUNIT_CASE(conn_reply_clash),
	KUNIT_CASE(conn_gc_expires_only_old),
	KUNIT_CASE(conn_flush_match),
	KUNIT_CASE(conn_differential),
	{}
};

static struct kunit_suite lvs_conn_suite = {
	.name		= "lvs_conn",
	.suite_init	= conn_suite_init,
	.suite_exit	= conn_suite_exit,
	.test_cases	= lvs_conn_cases,
};

kunit_test_suite(lvs_conn_suite);
