// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: a namespace's teardown waits for its own objects only. Its last
 * service is freed at the end of a chain of RCU callbacks (connection,
 * destination, service); lvs_net_wait_unused() must return once that
 * chain has run, however many other lvs callbacks another CPU keeps
 * queueing meanwhile, as another namespace's traffic or configuration
 * changes do, and while a callback of another namespace is still to run.
 */

#include <kunit/test.h>
#include <linux/bitops.h>
#include <linux/cpumask.h>
#include <linux/kthread.h>
#include <linux/sched/task.h>

#include "netns.h"
#include "rcu.h"

/*
 * Callbacks in flight from the churning thread: enough that it never waits
 * for one to run before it queues the next.
 */
#define CHURN_HEADS	16384
/* The churn stops by itself after this long, whatever the test does. */
#define CHURN_MAX_MS	10000
/* What a namespace's own chain may take, at most. */
#define WAIT_MAX_MS	2000

struct churn {
	struct rcu_head heads[CHURN_HEADS];
	unsigned long busy[BITS_TO_LONGS(CHURN_HEADS)];
	struct task_struct *task;
	atomic_long_t queued;
};

/* Set before queueing: container_of() needs a known churn. */
static struct churn *churn_now;

static void churn_done(struct rcu_head *head)
{
	struct churn *c = churn_now;

	clear_bit(head - c->heads, c->busy);
	lvs_rcu_done();
}

/* Keep lvs callbacks queued without a pause, for at most CHURN_MAX_MS. */
static int churn_fn(void *arg)
{
	unsigned long end = jiffies + msecs_to_jiffies(CHURN_MAX_MS);
	struct churn *c = arg;
	unsigned int i = 0;

	while (!kthread_should_stop() && time_before(jiffies, end)) {
		if (!test_and_set_bit(i, c->busy)) {
			lvs_call_rcu(&c->heads[i], churn_done);
			atomic_long_inc(&c->queued);
		}
		i = (i + 1) % CHURN_HEADS;
		if (!(i % 256))
			cond_resched();
	}
	/* Idle until told to stop, so that kthread_stop() finds it. */
	while (!kthread_should_stop()) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (!kthread_should_stop())
			schedule();
		__set_current_state(TASK_RUNNING);
	}
	return 0;
}

/* A service's chain: two callbacks, the second lets go of the namespace. */
struct chain {
	struct rcu_head first, last;
	struct lvs_net *ln;
};

static void chain_last(struct rcu_head *head)
{
	struct chain *ch = container_of(head, struct chain, last);

	lvs_net_put(ch->ln);
	lvs_rcu_done();
}

static void chain_first(struct rcu_head *head)
{
	struct chain *ch = container_of(head, struct chain, first);

	lvs_call_rcu(&ch->last, chain_last);
	lvs_rcu_done();
}

/* lvs_net_wait_unused() in a thread, so that a wait that hangs is seen. */
struct waiter {
	struct lvs_net *ln;
	struct completion done;
};

static int wait_fn(void *arg)
{
	struct waiter *w = arg;

	lvs_net_wait_unused(w->ln);
	/* All: the test waits once with a time limit, then once more. */
	complete_all(&w->done);
	return 0;
}

static void netns_wait_own_only(struct kunit *test)
{
	struct lvs_net *ln = kunit_kzalloc(test, sizeof(*ln), GFP_KERNEL);
	struct chain *ch = kunit_kzalloc(test, sizeof(*ch), GFP_KERNEL);
	struct churn *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);
	struct waiter *w = kunit_kzalloc(test, sizeof(*w), GFP_KERNEL);
	struct task_struct *waiter;
	unsigned int other;
	long before, during;
	bool done;
	ktime_t t0;
	s64 ms;

	KUNIT_ASSERT_NOT_NULL(test, ln);
	KUNIT_ASSERT_NOT_NULL(test, ch);
	KUNIT_ASSERT_NOT_NULL(test, c);
	KUNIT_ASSERT_NOT_NULL(test, w);
	if (num_online_cpus() < 2)
		kunit_skip(test, "needs two CPUs");
	other = cpumask_any_but(cpu_online_mask, raw_smp_processor_id());

	lvs_net_users_init(ln);
	lvs_net_hold(ln);	/* the one service */
	ch->ln = ln;
	w->ln = ln;
	init_completion(&w->done);

	churn_now = c;
	c->task = kthread_create(churn_fn, c, "lvs_churn/%u", other);
	KUNIT_ASSERT_FALSE(test, IS_ERR(c->task));
	get_task_struct(c->task);
	kthread_bind(c->task, other);
	wake_up_process(c->task);
	/* Churning before the namespace goes. */
	while (atomic_long_read(&c->queued) < CHURN_HEADS)
		schedule_timeout_uninterruptible(1);
	/*
	 * However often the churn lets every callback run, a busy host
	 * always has another namespace's callback somewhere in flight: one
	 * that is counted and never runs during the wait stands for it.
	 */
	atomic_inc(&lvs_rcu_pending);

	/* The namespace goes: its service's chain, then the wait. */
	before = atomic_long_read(&c->queued);
	t0 = ktime_get();
	lvs_call_rcu(&ch->first, chain_first);
	lvs_net_put(ln);
	waiter = kthread_run(wait_fn, w, "lvs_netns_wait");
	KUNIT_ASSERT_FALSE(test, IS_ERR(waiter));
	done = wait_for_completion_timeout(&w->done,
					   msecs_to_jiffies(WAIT_MAX_MS));
	ms = ktime_ms_delta(ktime_get(), t0);
	during = atomic_long_read(&c->queued) - before;

	/* Let a wait that hangs end, then clean up. */
	kthread_stop(c->task);
	put_task_struct(c->task);
	lvs_rcu_done();
	wait_for_completion(&w->done);
	/* The churn's callbacks touch @c: let them all run first. */
	rcu_barrier();

	kunit_info(test, "waited %lld ms while %ld other callbacks were queued\n",
		   ms, during);
	KUNIT_EXPECT_TRUE_MSG(test, done,
			      "the wait was held by other callbacks for %d ms",
			      WAIT_MAX_MS);
	KUNIT_EXPECT_EQ(test, atomic_read(&ln->users), 0);
}

static struct kunit_case lvs_netns_cases[] = {
	KUNIT_CASE(netns_wait_own_only),
	{}
};

static struct kunit_suite lvs_netns_suite = {
	.name		= "lvs_netns",
	.test_cases	= lvs_netns_cases,
};

kunit_test_suite(lvs_netns_suite);
