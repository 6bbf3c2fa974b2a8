// SPDX-License-Identifier: GPL-2.0
/*
 * Per network namespace state: created with the namespace (or when the
 * module loads, for namespaces that exist), destroyed with it (or when the
 * module unloads). Its packet path (the hooks, IPv6 reassembly before
 * them, and the expiry of connections) starts with its first service and
 * then stays until the namespace goes, so a namespace that never has a
 * service, which is almost every one, pays nothing per packet. Teardown
 * order: the hooks go first so no packet can reach the tables, then
 * services and connections; then each namespace waits until its own
 * services, the last objects its RCU callbacks free, are gone.
 */

#include <linux/memcontrol.h>
#include <linux/moduleparam.h>
#include <linux/sched/mm.h>
#include <net/netfilter/ipv6/nf_defrag_ipv6.h>
#include <net/netns/generic.h>

#include "dest_route.h"
#include "hooks.h"
#include "netns.h"
#include "rcu.h"
#include "service.h"

static unsigned int conn_max = 1 << 20;
module_param(conn_max, uint, 0444);
MODULE_PARM_DESC(conn_max,
		 "Maximum connection entries per network namespace (default 1048576)");

static unsigned int conn_size;

/* Refuse a size the table cannot take when the module loads, not later. */
static int conn_size_set(const char *val, const struct kernel_param *kp)
{
	unsigned int n;
	int err;

	err = kstrtouint(val, 0, &n);
	if (err)
		return err;
	if (n > LVS_CONN_BUCKETS_MAX) {
		pr_err("conn_size %u: at most %u\n", n, LVS_CONN_BUCKETS_MAX);
		return -EINVAL;
	}
	*(unsigned int *)kp->arg = n;
	return 0;
}

static const struct kernel_param_ops conn_size_ops = {
	.set	= conn_size_set,
	.get	= param_get_uint,
};

module_param_cb(conn_size, &conn_size_ops, &conn_size, 0444);
MODULE_PARM_DESC(conn_size,
		 "Hash buckets the connection table of each namespace starts with and keeps at least (up to 32768; default 0: grow from 64)");

static unsigned int lvs_net_id __read_mostly;

struct lvs_net *lvs_net(const struct net *net)
{
	return net_generic(net, lvs_net_id);
}

/* The namespace itself is the first user of @ln. */
void lvs_net_users_init(struct lvs_net *ln)
{
	atomic_set(&ln->users, 1);
	init_completion(&ln->unused);
}

/* A service of @ln is created. */
void lvs_net_hold(struct lvs_net *ln)
{
	atomic_inc(&ln->users);
}

/*
 * A service of @ln is freed, or the namespace goes. The last use of @ln
 * by a caller that does not own it: once it drops to zero, the namespace's
 * memory may go.
 */
void lvs_net_put(struct lvs_net *ln)
{
	if (atomic_dec_and_test(&ln->users))
		complete(&ln->unused);
}

static void timeouts_init(struct lvs_net *ln)
{
	unsigned int i, s;

	for (i = 0; i < LVS_PROTO_COUNT; i++) {
		const struct lvs_proto *pp = lvs_proto_by_index(i);

		for (s = 0; s < pp->num_states; s++)
			ln->timeouts[i][s] = pp->timeouts[s] * HZ;
	}
}

static int __net_init lvs_net_init(struct net *net)
{
	struct lvs_net *ln = lvs_net(net);
	int err;

	ln->net = net;
	mutex_init(&ln->lock);
	lvs_dest_route_net_init(ln);
	lvs_est_net_init(ln);
	lvs_net_users_init(ln);
	timeouts_init(ln);
	ln->drops = alloc_percpu(struct lvs_drop_stats);
	if (!ln->drops)
		return -ENOMEM;
	err = lvs_fast_net_init(ln);
	if (err)
		goto err_drops;

	err = lvs_conn_table_init(&ln->conns, conn_max, conn_size);
	if (err)
		goto err_fast;
	err = lvs_service_table_init(ln);
	if (err)
		goto err_conns;
	return 0;

err_conns:
	lvs_conn_table_destroy(&ln->conns);
err_fast:
	lvs_fast_net_free(ln);
err_drops:
	free_percpu(ln->drops);
	return err;
}

/*
 * Under ln->lock, before @ln's first service enters its table: start the
 * packet path. It is not stopped when the last service goes: connections
 * may outlive it, and a hook left would cost a look at two counters per
 * packet. Connection entries, made on the packet path where no task is
 * to charge, are charged to the memory cgroup of the task that starts it.
 */
int lvs_net_start(struct lvs_net *ln)
{
	int err;

	lockdep_assert_held(&ln->lock);

	if (ln->started)
		return 0;
	/* IPv6 reassembles after LOCAL_IN unless netfilter does it before. */
	err = nf_defrag_ipv6_enable(ln->net);
	if (err)
		return err;
	ln->memcg = get_mem_cgroup_from_mm(current->mm);
	err = lvs_hooks_register(ln);
	if (err) {
		mem_cgroup_put(ln->memcg);
		ln->memcg = NULL;
		nf_defrag_ipv6_disable(ln->net);
		return err;
	}
	lvs_conn_gc_start(&ln->conns);
	lvs_est_start(ln);
	ln->started = true;
	pr_debug("namespace %p: packet path started\n", ln->net);
	return 0;
}

/*
 * No request can start the packet path any more: a netlink socket of the
 * namespace holds it, and the module's family is gone before it unloads.
 */
static void __net_exit lvs_net_pre_exit(struct net *net)
{
	struct lvs_net *ln = lvs_net(net);

	lvs_fast_net_stop(ln);
	if (!ln->started)
		return;
	lvs_hooks_unregister(ln);
	nf_defrag_ipv6_disable(net);
	pr_debug("namespace %p: packet path stopped\n", net);
}

static void __net_exit lvs_net_exit(struct net *net)
{
	struct lvs_net *ln = lvs_net(net);

	lvs_est_stop(ln);
	lvs_service_table_destroy(ln);
	lvs_conn_table_destroy(&ln->conns);
	mem_cgroup_put(ln->memcg);
}

/*
 * Wait until the services of @ln, and so every destination and connection
 * that held them, are freed. Their RCU callbacks chain (connection,
 * template, destination, service), so that takes a few grace periods; a
 * reference that is never dropped would make it last forever, which is
 * said every ten seconds rather than turned into a use after free.
 */
void lvs_net_wait_unused(struct lvs_net *ln)
{
	while (!wait_for_completion_timeout(&ln->unused, 10 * HZ))
		pr_warn("namespace %p: waiting for %d services to be freed\n",
			ln->net, atomic_read(&ln->users));
}

static void __net_exit lvs_net_exit_batch(struct list_head *net_list)
{
	struct net *net;

	/*
	 * Every namespace of the batch first lets go, so that their chains
	 * of callbacks run at the same time.
	 */
	list_for_each_entry(net, net_list, exit_list)
		lvs_net_put(lvs_net(net));
	list_for_each_entry(net, net_list, exit_list) {
		lvs_net_wait_unused(lvs_net(net));
		lvs_fast_net_free(lvs_net(net));
		free_percpu(lvs_net(net)->drops);
	}
}

static struct pernet_operations lvs_net_ops = {
	.init		= lvs_net_init,
	.pre_exit	= lvs_net_pre_exit,
	.exit		= lvs_net_exit,
	.exit_batch	= lvs_net_exit_batch,
	.id		= &lvs_net_id,
	.size		= sizeof(struct lvs_net),
};

int lvs_netns_init(void)
{
	return register_pernet_subsys(&lvs_net_ops);
}

void lvs_netns_exit(void)
{
	unregister_pernet_subsys(&lvs_net_ops);
}
