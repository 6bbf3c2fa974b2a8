// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the connection table. Insert, look up from both sides, the same
 * connection inserted twice, then by threads on different CPUs at once, an
 * entry unlinked while another CPU inserts it, what a full table evicts
 * and what it refuses, which frees the module counts, expiry, flush, one
 * pass of either over a big table, and a differential run against a plain
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
#include "service.h"

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

/*
 * The real server of make_keys()' reply tuple. Entries derive their reply
 * key from their destination, so each has one.
 */
static void set_rs(struct lvs_dest *dest)
{
	dest->af = AF_INET;
	dest->addr.ip = htonl(0x0a000102);
	dest->port = htons(8080);
}

/* For entries freed after their test: it lives as long as the suite. */
static struct lvs_dest conn_test_rs;

static struct lvs_conn *alloc_nat(const struct lvs_conn_key *in,
				  const struct lvs_conn_key *out,
				  struct lvs_dest *dest)
{
	return lvs_conn_alloc(in, out->sport, LVS_FWD_NAT, dest ?: &conn_test_rs);
}

static struct lvs_conn *new_conn(struct kunit *test, u32 client, u16 cport)
{
	struct lvs_conn_key in, out;
	struct lvs_conn *c;

	make_keys(&in, &out, client, cport);
	c = alloc_nat(&in, &out, NULL);
	KUNIT_ASSERT_NOT_NULL(test, c);
	c->expires = lvs_conn_stamp(jiffies + HZ);
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
		c = alloc_nat(&in, &out, r->dest);
		if (!c) {
			w->err = -ENOMEM;
			WRITE_ONCE(r->abort, true);
			break;
		}
		c->expires = lvs_conn_stamp(jiffies + 100 * HZ);
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
	set_rs(dest);
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

/*
 * An entry unlinked while another CPU inserts it, as CONN_FLUSH, a forced
 * destination removal or the packet path may do. Whoever finds an entry
 * on the "in" side may unlink it at once, so a NAT entry found there must
 * already be on the "out" side: an unlink that came earlier would leave
 * it there once freed, and if the insert then failed both would free it.
 * One thread inserts a key at a time; another, on another CPU, looks for
 * it from the moment they meet and, once it has it, unlinks it. It never
 * unlinks an entry it finds incomplete (that would corrupt the table), it
 * counts it. It holds rcu_read_lock() for the round, so what it found is
 * not freed under it. With @clash, an entry already holds every key's
 * reply tuple, so each insert must fail, never having been seen.
 */
#define UNLINK_ROUNDS	4096

struct unlink_race {
	struct race base;		/* two threads: inserter and unlinker */
	bool clash;
	unsigned int inserted;		/* rounds whose insert has returned */
	int err;			/* the inserter's */
	unsigned int found;		/* entries the unlinker found ... */
	unsigned int in_flight;		/* ... before their insert returned */
	unsigned int incomplete;	/* ... on "in" but not on "out" */
	unsigned int stale;		/* still on a side after both returned */
};

struct unlink_racer {
	struct unlink_race *u;
	struct task_struct *task;
	struct completion done;
};

static void unlink_key(unsigned int k, bool blocker, struct lvs_conn_key *in,
		       struct lvs_conn_key *out)
{
	make_keys(in, out, 0xc0b00000 + k / 64, 1024 + k % 64);
	/* Another virtual address, the same reply tuple. */
	if (blocker)
		in->daddr.ip = htonl(0x0a000002);
}

static int unlink_inserter(void *arg)
{
	struct unlink_racer *w = arg;
	struct unlink_race *u = w->u;
	struct lvs_conn_key in, out;
	unsigned int k;

	for (k = 0; k < UNLINK_ROUNDS && !READ_ONCE(u->base.abort); k++) {
		struct lvs_conn *c, *got;

		unlink_key(k, false, &in, &out);
		c = alloc_nat(&in, &out, u->base.dest);
		if (!c) {
			u->err = -ENOMEM;
			WRITE_ONCE(u->base.abort, true);
			break;
		}
		c->expires = lvs_conn_stamp(jiffies + 100 * HZ);
		race_meet(&u->base, k);
		rcu_read_lock();
		got = lvs_conn_insert(u->base.t, c);
		rcu_read_unlock();
		/* Pairs with the unlinker's acquire: this insert returned. */
		smp_store_release(&u->inserted, k + 1);
		if (u->clash ? PTR_ERR_OR_ZERO(got) != -EEXIST : got != c) {
			u->err = IS_ERR(got) ? PTR_ERR(got) : -EINVAL;
			WRITE_ONCE(u->base.abort, true);
		}
	}
	/* The unlinker may wait for a round that never came. */
	smp_store_release(&u->inserted, UNLINK_ROUNDS);
	complete(&w->done);
	return 0;
}

/* Under rcu_read_lock(): is @c the entry the "out" side has for @key? */
static bool on_out(struct lvs_conn_table *t, const struct lvs_conn_key *key,
		   struct lvs_conn *c)
{
	return lvs_conn_lookup_out(t, key) == c;
}

static int unlink_unlinker(void *arg)
{
	struct unlink_racer *w = arg;
	struct unlink_race *u = w->u;
	struct lvs_conn_table *t = u->base.t;
	struct lvs_conn_key in, out, reply;
	unsigned int k;

	for (k = 0; k < UNLINK_ROUNDS && !READ_ONCE(u->base.abort); k++) {
		struct lvs_conn *c;
		bool done, complete_entry;

		unlink_key(k, false, &in, &out);
		race_meet(&u->base, k);
		rcu_read_lock();
		for (;;) {
			/* Read first: a lookup after the insert returned. */
			done = smp_load_acquire(&u->inserted) > k;
			c = lvs_conn_lookup_in(t, &in);
			if (c || done)
				break;
			cpu_relax();
		}
		if (c) {
			u->found++;
			u->in_flight += !done;
			lvs_conn_out_key(c, &reply);
			complete_entry = on_out(t, &reply, c) &&
					 lvs_conn_has(c, LVS_CONN_HASHED_OUT);
			if (complete_entry)
				lvs_conn_unlink(t, c);
			else
				u->incomplete++;
			/* The inserter runs on another CPU: this ends. */
			while (smp_load_acquire(&u->inserted) <= k)
				cpu_relax();
			if (complete_entry &&
			    (lvs_conn_lookup_in(t, &in) == c || on_out(t, &out, c)))
				u->stale++;
		}
		rcu_read_unlock();
	}
	complete(&w->done);
	return 0;
}

static int (* const unlink_fns[2])(void *) = {
	unlink_inserter, unlink_unlinker
};

static void unlink_race_run(struct kunit *test, bool clash)
{
	struct lvs_conn_table *t = new_table(test, 2 * UNLINK_ROUNDS + 16);
	struct lvs_dest *dest = kunit_kzalloc(test, sizeof(*dest), GFP_KERNEL);
	struct unlink_race *u = kunit_kzalloc(test, sizeof(*u), GFP_KERNEL);
	struct unlink_racer w[2] = {};
	unsigned int i, cpu, n = 0, blockers = 0;
	struct lvs_conn_key in, out;

	KUNIT_ASSERT_NOT_NULL(test, dest);
	KUNIT_ASSERT_NOT_NULL(test, u);
	if (num_online_cpus() < 2) {
		lvs_conn_table_destroy(t);
		kunit_skip(test, "needs two CPUs");
	}
	refcount_set(&dest->refcnt, 1);
	set_rs(dest);
	u->base.t = t;
	u->base.dest = dest;
	u->base.threads = 2;
	u->clash = clash;

	for (i = 0; clash && i < UNLINK_ROUNDS; i++) {
		struct lvs_conn *b;

		unlink_key(i, true, &in, &out);
		b = alloc_nat(&in, &out, NULL);
		KUNIT_ASSERT_NOT_NULL(test, b);
		b->expires = lvs_conn_stamp(jiffies + 100 * HZ);
		KUNIT_ASSERT_PTR_EQ(test, lvs_conn_insert(t, b), b);
		blockers++;
	}

	/* Each thread waits for the other: both must run, on two CPUs. */
	for_each_online_cpu(cpu) {
		if (n == 2)
			break;
		w[n].u = u;
		init_completion(&w[n].done);
		w[n].task = kthread_create(unlink_fns[n], &w[n], "lvs_unlink/%u", cpu);
		if (IS_ERR(w[n].task))
			break;
		get_task_struct(w[n].task);
		kthread_bind(w[n].task, cpu);
		n++;
	}
	KUNIT_EXPECT_EQ_MSG(test, n, 2, "threads made");
	if (n < 2)
		u->base.abort = true;
	for (i = 0; i < n; i++)
		wake_up_process(w[i].task);
	for (i = 0; i < n; i++) {
		wait_for_completion(&w[i].done);
		kthread_stop(w[i].task);
		put_task_struct(w[i].task);
	}
	kunit_info(test, "%u rounds: found %u, %u before the insert returned, %u incomplete, %u rounds together\n",
		   UNLINK_ROUNDS, u->found, u->in_flight, u->incomplete,
		   atomic_read(&u->base.together));

	KUNIT_EXPECT_FALSE(test, u->base.abort);
	KUNIT_EXPECT_EQ(test, u->err, 0);
	/* An entry is complete before anyone can find it to unlink it. */
	KUNIT_EXPECT_EQ(test, u->incomplete, 0);
	KUNIT_EXPECT_EQ(test, u->stale, 0);
	if (clash)
		KUNIT_EXPECT_EQ(test, u->found, 0);
	else if (!u->base.abort)
		KUNIT_EXPECT_EQ(test, u->found, UNLINK_ROUNDS);
	if (!u->base.abort && !u->incomplete) {
		KUNIT_EXPECT_EQ(test, atomic_read(&t->count), blockers);
		KUNIT_EXPECT_EQ(test, atomic_read(&t->in.nelems), blockers);
		KUNIT_EXPECT_EQ(test, atomic_read(&t->out.nelems), blockers);
	}

	lvs_conn_table_destroy(t);
	lvs_rcu_drain();
	/* Each entry gave its reference back, once. */
	KUNIT_EXPECT_EQ(test, atomic_read(&dest->inactconns), 0);
	KUNIT_EXPECT_EQ(test, refcount_read(&dest->refcnt), 1);
}

static void conn_unlink_while_insert(struct kunit *test)
{
	unlink_race_run(test, false);
}

static void conn_unlink_while_insert_clash(struct kunit *test)
{
	unlink_race_run(test, true);
}

/* The first state of @pp that counts as established. */
static u8 established(const struct lvs_proto *pp)
{
	return __ffs(pp->active_states);
}

/*
 * A full table of established entries and entries that are not (a SYN
 * with no answer yet): every insert beyond the limit evicts one of the
 * latter, never one of the former, and an expired entry goes first.
 */
static void conn_evict(struct kunit *test)
{
	struct lvs_conn_table *t = new_table(test, 8);
	struct lvs_conn *c;
	unsigned int i;

	for (i = 0; i < 8; i++) {
		c = new_conn(test, 2, i);
		c->expires = lvs_conn_stamp(jiffies + 100 * HZ);
		/* Even ports established; port 7 expired a while ago. */
		if (i % 2 == 0)
			c->state = established(&lvs_proto_tcp);
		if (i == 7)
			c->expires = lvs_conn_stamp(jiffies - HZ);
		KUNIT_ASSERT_PTR_EQ(test, lvs_conn_insert(t, c), c);
	}

	c = new_conn(test, 3, 0);
	KUNIT_ASSERT_PTR_EQ(test, lvs_conn_insert(t, c), c);
	KUNIT_EXPECT_NULL(test, lookup_in(t, 2, 7));
	KUNIT_EXPECT_EQ(test, atomic64_read(&t->evicted), 1);

	/* Each new one is established before the next comes. */
	c->state = established(&lvs_proto_tcp);
	for (i = 1; i < 4; i++) {
		c = new_conn(test, 3, i);
		KUNIT_ASSERT_PTR_EQ(test, lvs_conn_insert(t, c), c);
		c->state = established(&lvs_proto_tcp);
	}
	KUNIT_EXPECT_EQ(test, atomic_read(&t->count), 8);
	KUNIT_EXPECT_EQ(test, atomic64_read(&t->evicted), 4);
	KUNIT_EXPECT_EQ(test, atomic64_read(&t->full_drops), 0);
	for (i = 0; i < 8; i++)
		KUNIT_EXPECT_EQ_MSG(test, !!lookup_in(t, 2, i), i % 2 == 0,
				    "port %u", i);
	for (i = 0; i < 4; i++)
		KUNIT_EXPECT_NOT_NULL(test, lookup_in(t, 3, i));
	lvs_conn_table_destroy(t);
}

/* A full table of established entries only: the new one is refused. */
static void conn_evict_none(struct kunit *test)
{
	struct lvs_conn_table *t = new_table(test, 4);
	struct lvs_conn *c;
	unsigned int i;

	for (i = 0; i < 4; i++) {
		c = new_conn(test, 2, i);
		c->state = established(&lvs_proto_tcp);
		KUNIT_ASSERT_PTR_EQ(test, lvs_conn_insert(t, c), c);
	}
	c = lvs_conn_insert(t, new_conn(test, 3, 0));
	KUNIT_EXPECT_EQ(test, PTR_ERR(c), -ENOSPC);
	KUNIT_EXPECT_EQ(test, atomic_read(&t->count), 4);
	KUNIT_EXPECT_EQ(test, atomic64_read(&t->evicted), 0);
	KUNIT_EXPECT_EQ(test, atomic64_read(&t->full_drops), 1);
	for (i = 0; i < 4; i++)
		KUNIT_EXPECT_NOT_NULL(test, lookup_in(t, 2, i));
	lvs_conn_table_destroy(t);
}

/* The key of client @client's persistence template. */
static void tpl_key(struct lvs_conn_key *key, u32 client)
{
	memset(key, 0, sizeof(*key));
	key->af = AF_INET;
	key->saddr.ip = htonl(client);
}

/* A template of @client, which places a connection if @used. */
static struct lvs_conn *new_tpl(struct kunit *test, u32 client, bool used)
{
	struct lvs_conn_key key;
	struct lvs_conn *c;

	tpl_key(&key, client);
	c = lvs_conn_alloc(&key, 0, LVS_FWD_NAT, NULL);
	KUNIT_ASSERT_NOT_NULL(test, c);
	c->expires = lvs_conn_stamp(jiffies + 100 * HZ);
	/* The table's reference, and the connection's. */
	refcount_set(&c->ctl, used ? 2 : 1);
	return c;
}

static bool tpl_in(struct lvs_conn_table *t, u32 client)
{
	struct lvs_conn_key key;
	bool found;

	tpl_key(&key, client);
	rcu_read_lock();
	found = !!lvs_conn_lookup_in(t, &key);
	rcu_read_unlock();
	return found;
}

/*
 * Templates may fill half the table: beyond that a new one evicts a
 * template placing no connection, or is refused while connections still
 * get in.
 */
static void conn_evict_tpl(struct kunit *test)
{
	struct lvs_conn_table *t = new_table(test, 8);
	struct lvs_conn *tpl[4], *c;
	unsigned int i;

	for (i = 0; i < 4; i++) {
		tpl[i] = new_tpl(test, 10 + i, true);
		KUNIT_ASSERT_PTR_EQ(test, lvs_conn_insert(t, tpl[i]), tpl[i]);
	}
	c = lvs_conn_insert(t, new_tpl(test, 20, false));
	KUNIT_EXPECT_EQ(test, PTR_ERR(c), -ENOSPC);
	KUNIT_EXPECT_EQ(test, atomic_read(&t->templates), 4);
	KUNIT_EXPECT_EQ(test, atomic64_read(&t->full_drops), 1);
	KUNIT_EXPECT_FALSE(test, tpl_in(t, 20));

	/* Connections still have room. */
	c = new_conn(test, 2, 1);
	KUNIT_EXPECT_PTR_EQ(test, lvs_conn_insert(t, c), c);

	/* The first template's connection ends: it may make room. */
	refcount_set(&tpl[0]->ctl, 1);
	c = new_tpl(test, 20, false);
	KUNIT_EXPECT_PTR_EQ(test, lvs_conn_insert(t, c), c);
	KUNIT_EXPECT_EQ(test, atomic64_read(&t->evicted), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&t->templates), 4);
	KUNIT_EXPECT_EQ(test, atomic_read(&t->count), 5);
	KUNIT_EXPECT_FALSE(test, tpl_in(t, 10));
	for (i = 1; i < 4; i++) {
		KUNIT_EXPECT_TRUE(test, tpl_in(t, 10 + i));
		/* Their connections end, so that the table frees them. */
		refcount_set(&tpl[i]->ctl, 1);
	}
	lvs_conn_table_destroy(t);
}

/*
 * A connection's free is queued without touching the module's count of
 * callbacks, so new connections share no counter; the template whose
 * last reference goes inside that callback is counted, so the drain
 * still waits for it.
 */
static void conn_free_uncounted(struct kunit *test)
{
	struct lvs_service *svc = kunit_kzalloc(test, sizeof(*svc), GFP_KERNEL);
	struct lvs_dest *dest = kunit_kzalloc(test, sizeof(*dest), GFP_KERNEL);
	struct lvs_conn_table *t = new_table(test, 8);
	struct lvs_conn *tpl, *c;
	struct lvs_conn_key key;
	int before;

	KUNIT_ASSERT_NOT_NULL(test, svc);
	KUNIT_ASSERT_NOT_NULL(test, dest);
	set_rs(dest);
	dest->svc = svc;
	refcount_set(&dest->refcnt, 1);
	tpl_key(&key, 30);
	tpl = lvs_conn_alloc(&key, 0, LVS_FWD_NAT, dest);
	KUNIT_ASSERT_NOT_NULL(test, tpl);
	tpl->expires = lvs_conn_stamp(jiffies + 100 * HZ);
	KUNIT_ASSERT_PTR_EQ(test, lvs_conn_insert(t, tpl), tpl);
	c = new_conn(test, 30, 1);
	refcount_inc(&tpl->ctl);
	c->tpl = tpl;
	KUNIT_ASSERT_PTR_EQ(test, lvs_conn_insert(t, c), c);
	KUNIT_EXPECT_EQ(test, refcount_read(&dest->refcnt), 2);

	/* The template leaves the table first: the connection holds it. */
	before = atomic_read(&lvs_rcu_pending);
	KUNIT_EXPECT_TRUE(test, lvs_conn_unlink(t, tpl));
	KUNIT_EXPECT_TRUE(test, lvs_conn_unlink(t, c));
	KUNIT_EXPECT_EQ(test, atomic_read(&lvs_rcu_pending), before);

	/* The template is freed one grace period after the connection. */
	lvs_rcu_drain();
	KUNIT_EXPECT_EQ(test, refcount_read(&dest->refcnt), 1);
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
	unsigned int i, expired = 0;
	bool done;

	for (i = 0; i < 20; i++) {
		struct lvs_conn *c = new_conn(test, 100, i);

		c->expires = lvs_conn_stamp(i % 2 ? now - 1 : now + 100 * HZ);
		KUNIT_ASSERT_PTR_EQ(test, lvs_conn_insert(t, c), c);
	}
	/* Small slices: a pass spans several calls, and one pass is enough. */
	done = false;
	for (i = 0; i < 100 && !done; i++)
		expired += lvs_conn_gc_slice(t, now, 3, &done);
	KUNIT_ASSERT_TRUE(test, done);
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
 * One flush, or one expiry pass, of a big table leaves nothing. Both walks
 * pause every so many entries; resumed after an entry that was unlinked
 * before the pause, rhashtable's walker counts its place in the bucket
 * from the top and skips the entries that moved up. A table pinned to a
 * size (conn_size) never shrinks, where a shrink would have restarted the
 * walk and so found them: pinned, about a third of the pauses lost
 * entries.
 */
static void conn_walk_pinned(struct kunit *test)
{
	enum { BUCKETS = LVS_CONN_BUCKETS_MAX, N = BUCKETS / 3 * 2 };
	struct lvs_conn_table *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	unsigned long now = jiffies;
	unsigned int i, flushed, expired = 0;
	bool done = false;

	KUNIT_ASSERT_NOT_NULL(test, t);
	/* Room for what the flush might leave and the second part's. */
	KUNIT_ASSERT_EQ(test, 0, lvs_conn_table_init(t, 2 * N, BUCKETS));
	for (i = 0; i < N; i++) {
		struct lvs_conn *c = new_conn(test, 1 + i / 1000, i % 1000);

		KUNIT_ASSERT_FALSE(test, IS_ERR(lvs_conn_insert(t, c)));
	}
	flushed = lvs_conn_flush(t, NULL, NULL);
	kunit_info(test, "flush: %u entries, %u unlinked, %d left\n", N,
		   flushed, atomic_read(&t->count));
	KUNIT_EXPECT_EQ(test, flushed, N);
	KUNIT_EXPECT_EQ(test, atomic_read(&t->count), 0);

	/* The same with other entries, all expired, in slices like the GC's. */
	for (i = 0; i < N; i++) {
		struct lvs_conn *c = new_conn(test, 101 + i / 1000, i % 1000);

		c->expires = lvs_conn_stamp(now - 1);
		KUNIT_ASSERT_FALSE(test, IS_ERR(lvs_conn_insert(t, c)));
	}
	for (i = 0; i < 2 * N && !done; i++)
		expired += lvs_conn_gc_slice(t, now, 1024, &done);
	kunit_info(test, "expiry: %u entries, %u unlinked, %d left\n", N,
		   expired, atomic_read(&t->count));
	KUNIT_EXPECT_TRUE(test, done);
	KUNIT_EXPECT_EQ(test, expired, N);
	KUNIT_EXPECT_EQ(test, atomic_read(&t->count), 0);
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
	set_rs(&conn_test_rs);
	refcount_set(&conn_test_rs.refcnt, 1);
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
	KUNIT_CASE(conn_unlink_while_insert),
	KUNIT_CASE(conn_unlink_while_insert_clash),
	KUNIT_CASE(conn_evict),
	KUNIT_CASE(conn_evict_none),
	KUNIT_CASE(conn_evict_tpl),
	KUNIT_CASE(conn_free_uncounted),
	KUNIT_CASE(conn_size),
	KUNIT_CASE(conn_reply_clash),
	KUNIT_CASE(conn_gc_expires_only_old),
	KUNIT_CASE(conn_flush_match),
	KUNIT_CASE(conn_walk_pinned),
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
