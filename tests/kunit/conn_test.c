// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the connection table. Insert, look up from both sides, the same
 * connection inserted twice, then by threads on different CPUs at once, the
 * entry limit, expiry, flush, and a differential run against a plain
 * array over random operations.
 */

#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/kthread.h>
#include <linux/moduleparam.h>
#include <linux/prandom.h>
#include <linux/random.h>
#include <linux/sched/task.h>

#include <uapi/linux/lvs.h>

#include "conn.h"
#include "dest.h"
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

/* The same connection inserted again: the second adopts the first. */
static void conn_insert_twice(struct kunit *test)
{
	struct lvs_conn_table *t = new_table(test, 16);
	struct lvs_conn *a = new_conn(test, 0xc0a80001, 40000);
	struct lvs_conn *b = new_conn(test, 0xc0a80001, 40000);

	KUNIT_EXPECT_PTR_EQ(test, lvs_conn_insert(t, a), a);
	KUNIT_EXPECT_PTR_EQ(test, lvs_conn_insert(t, b), a);
	KUNIT_EXPECT_EQ(test, atomic_read(&t->count), 1);
	lvs_conn_table_destroy(t);
}

/*
 * Threads on different CPUs inserting the same connections at once, as
 * CPUs that see the first packets of one connection do. Before each key
 * the threads wait for each other, but only RACE_WAIT_NS: a vCPU that the
 * host does not run makes the race less close, not the test longer. The
 * table starts small, so the inserts race with its growth too.
 */
#define RACE_THREADS	4
#define RACE_KEYS	1024
#define RACE_WAIT_NS	(100 * NSEC_PER_USEC)

struct race {
	struct lvs_conn_table *t;
	struct lvs_dest *dest;
	unsigned int threads;
	atomic_t arrived;		/* at the start of each key, in all */
	atomic_t together;		/* keys a thread started with all others */
	bool abort;
};

struct racer {
	struct race *race;
	struct task_struct *task;
	struct completion done;
	unsigned int wins;
	int err;
	/* Per key: the entry it allocated, and what the insert returned. */
	struct lvs_conn *mine[RACE_KEYS];
	struct lvs_conn *got[RACE_KEYS];
};

static void race_key(unsigned int k, u32 *client, u16 *port)
{
	*client = 0xc0a80000 + k / 64;
	*port = 1024 + k % 64;
}

/* Wait a little for the other threads to reach key @k. */
static void race_meet(struct race *r, unsigned int k)
{
	int want = r->threads * (k + 1);
	u64 end = ktime_get_ns() + RACE_WAIT_NS;
	unsigned int spins = 0;

	atomic_inc(&r->arrived);
	while (atomic_read(&r->arrived) < want) {
		if (READ_ONCE(r->abort))
			return;
		if (!(++spins % 32) && ktime_get_ns() > end)
			return;
		cpu_relax();
	}
	atomic_inc(&r->together);
}

static int race_fn(void *arg)
{
	struct racer *w = arg;
	struct race *r = w->race;
	struct lvs_conn_key in, out;
	unsigned int k;

	for (k = 0; k < RACE_KEYS && !READ_ONCE(r->abort); k++) {
		struct lvs_conn *c, *got;
		u32 client;
		u16 port;

		race_key(k, &client, &port);
		make_keys(&in, &out, client, port);
		c = lvs_conn_alloc(&in, &out, &lvs_proto_tcp, LVS_FWD_NAT,
				   r->dest);
		if (!c) {
			w->err = -ENOMEM;
			WRITE_ONCE(r->abort, true);
			break;
		}
		c->expires = jiffies + 100 * HZ;
		w->mine[k] = c;
		race_meet(r, k);
		/* As on the packet path, what comes back is used under RCU. */
		rcu_read_lock();
		got = lvs_conn_insert(r->t, c);
		if (got == c)
			w->wins++;
		else if (!IS_ERR(got) && memcmp(&got->in, &in, sizeof(in)))
			w->err = -EINVAL;
		rcu_read_unlock();
		w->got[k] = got;
	}
	complete(&w->done);
	return 0;
}

/* Each key's entry is the one every thread got back, made by one of them. */
static bool race_check(struct kunit *test, struct race *r, struct racer **w)
{
	unsigned int i, k;

	for (k = 0; k < RACE_KEYS; k++) {
		struct lvs_conn *first = w[0]->got[k];
		unsigned int makers = 0;
		u32 client;
		u16 port;

		race_key(k, &client, &port);
		if (IS_ERR_OR_NULL(first)) {
			KUNIT_FAIL(test, "key %u: thread 0 got %ld", k,
				   PTR_ERR(first));
			return false;
		}
		for (i = 0; i < r->threads; i++) {
			if (w[i]->got[k] != first) {
				KUNIT_FAIL(test, "key %u: threads 0 and %u got different entries",
					   k, i);
				return false;
			}
			makers += w[i]->mine[k] == first;
		}
		KUNIT_EXPECT_EQ_MSG(test, makers, 1, "key %u", k);
		KUNIT_EXPECT_PTR_EQ_MSG(test, lookup_in(r->t, client, port),
					first, "key %u", k);
		KUNIT_EXPECT_PTR_EQ_MSG(test, lookup_out(r->t, client, port),
					first, "key %u", k);
		if (makers != 1)
			return false;
	}
	return true;
}

static void conn_insert_concurrent(struct kunit *test)
{
	struct lvs_conn_table *t = new_table(test, 2 * RACE_KEYS);
	struct lvs_dest *dest = kunit_kzalloc(test, sizeof(*dest), GFP_KERNEL);
	struct race *r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	struct racer *w[RACE_THREADS] = {};
	unsigned int i, cpu, wins = 0, n = 0;
	ktime_t t0;

	KUNIT_ASSERT_NOT_NULL(test, dest);
	KUNIT_ASSERT_NOT_NULL(test, r);
	if (num_online_cpus() < 2) {
		lvs_conn_table_destroy(t);
		kunit_skip(test, "needs two CPUs");
	}
	/* The test's own reference: the entries never free the dest. */
	refcount_set(&dest->refcnt, 1);
	r->t = t;
	r->dest = dest;
	r->threads = min_t(unsigned int, num_online_cpus(), RACE_THREADS);

	/* One thread on each CPU, up to RACE_THREADS. */
	for_each_online_cpu(cpu) {
		struct racer *x;

		if (n == r->threads)
			break;
		x = kunit_kzalloc(test, sizeof(*x), GFP_KERNEL);
		if (!x)
			break;
		x->race = r;
		init_completion(&x->done);
		x->task = kthread_create(race_fn, x, "lvs_race/%u", cpu);
		if (IS_ERR(x->task))
			break;
		get_task_struct(x->task);
		kthread_bind(x->task, cpu);
		w[n++] = x;
	}
	/* Short of threads: those made stop at once. */
	KUNIT_EXPECT_EQ_MSG(test, n, r->threads, "threads made");
	if (n < r->threads)
		r->abort = true;

	t0 = ktime_get();
	for (i = 0; i < n; i++)
		wake_up_process(w[i]->task);
	for (i = 0; i < n; i++) {
		wait_for_completion(&w[i]->done);
		kthread_stop(w[i]->task);
		put_task_struct(w[i]->task);
	}
	kunit_info(test, "%u threads, %u connections, %u of %u starts together, %lld us\n",
		   n, RACE_KEYS, atomic_read(&r->together), n * RACE_KEYS,
		   ktime_us_delta(ktime_get(), t0));

	KUNIT_EXPECT_FALSE(test, r->abort);
	for (i = 0; i < n; i++) {
		KUNIT_EXPECT_EQ_MSG(test, w[i]->err, 0, "thread %u", i);
		wins += w[i]->wins;
	}
	if (!r->abort && race_check(test, r, w)) {
		/* One entry per key on each side; the losers' are gone. */
		KUNIT_EXPECT_EQ(test, wins, RACE_KEYS);
		KUNIT_EXPECT_EQ(test, atomic_read(&t->count), RACE_KEYS);
		KUNIT_EXPECT_EQ(test, atomic_read(&t->in.nelems), RACE_KEYS);
		KUNIT_EXPECT_EQ(test, atomic_read(&t->out.nelems), RACE_KEYS);
		KUNIT_EXPECT_EQ(test, atomic64_read(&t->full_drops), 0);
		KUNIT_EXPECT_EQ(test, atomic_read(&dest->inactconns), RACE_KEYS);
		KUNIT_EXPECT_EQ(test, refcount_read(&dest->refcnt),
				1 + RACE_KEYS);
	}

	lvs_conn_table_destroy(t);
	lvs_rcu_drain();
	/* Every entry, winner or loser, gave its reference back. */
	KUNIT_EXPECT_EQ(test, atomic_read(&dest->inactconns), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&dest->activeconns), 0);
	KUNIT_EXPECT_EQ(test, refcount_read(&dest->refcnt), 1);
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
	/* On the first difference, stop, but still tear the table down. */
	for (i = 0; i < OPS; i++) {
		u16 port = prandom_u32_state(&rnd) % SLOTS;
		struct lvs_conn *in, *out;

		if (!model[port]) {
			struct lvs_conn *c = new_conn(test, 9, port);

			if (lvs_conn_insert(t, c) != c) {
				KUNIT_FAIL(test, "op %u: insert failed", i);
				break;
			}
			model[port] = c;
			n++;
		} else {
			lvs_conn_unlink(t, model[port]);
			model[port] = NULL;
			n--;
		}
		port = prandom_u32_state(&rnd) % SLOTS;
		in = lookup_in(t, 9, port);
		out = lookup_out(t, 9, port);
		KUNIT_EXPECT_PTR_EQ_MSG(test, in, model[port], "op %u", i);
		KUNIT_EXPECT_PTR_EQ_MSG(test, out, model[port], "op %u", i);
		KUNIT_EXPECT_EQ_MSG(test, atomic_read(&t->count), n, "op %u", i);
		if (in != model[port] || out != model[port] ||
		    atomic_read(&t->count) != n)
			break;
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
	KUNIT_CASE(conn_insert_twice),
	KUNIT_CASE(conn_insert_concurrent),
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
