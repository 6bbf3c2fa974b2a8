// SPDX-License-Identifier: GPL-2.0
/*
 * Scheduler registry. Schedulers are modules named lvs_sched_NAME with the
 * alias "lvs-sched-NAME"; asking for an unknown name loads that module.
 * A service holds a reference to its scheduler's module for its lifetime.
 */

#include <linux/kmod.h>
#include <linux/slab.h>
#include <linux/mutex.h>
#include <linux/string.h>

#include "rcu.h"
#include "sched.h"

static LIST_HEAD(sched_list);
static DEFINE_MUTEX(sched_mutex);

static struct lvs_scheduler *sched_find(const char *name)
{
	struct lvs_scheduler *s;

	list_for_each_entry(s, &sched_list, list)
		if (!strcmp(s->name, name))
			return s;
	return NULL;
}

int lvs_sched_register(struct lvs_scheduler *sched)
{
	int err = 0;

	mutex_lock(&sched_mutex);
	if (sched_find(sched->name))
		err = -EEXIST;
	else
		list_add_tail(&sched->list, &sched_list);
	mutex_unlock(&sched_mutex);
	if (!err)
		pr_debug("scheduler %s registered\n", sched->name);
	return err;
}
EXPORT_SYMBOL_GPL(lvs_sched_register);

void lvs_sched_unregister(struct lvs_scheduler *sched)
{
	mutex_lock(&sched_mutex);
	list_del(&sched->list);
	mutex_unlock(&sched_mutex);
	/*
	 * Let readers leave schedule(), then let the state frees run. Each
	 * was queued (lvs_service_sched_publish()) before its service gave
	 * up the module reference, so before this, and none queues a
	 * callback that runs this module's code: one barrier is enough.
	 * Waiting for every lvs callback instead may never end while other
	 * namespaces have traffic.
	 */
	synchronize_rcu();
	rcu_barrier();
	pr_debug("scheduler %s unregistered\n", sched->name);
}
EXPORT_SYMBOL_GPL(lvs_sched_unregister);

static struct lvs_scheduler *sched_find_get(const char *name)
{
	struct lvs_scheduler *s;

	mutex_lock(&sched_mutex);
	s = sched_find(name);
	if (s && !try_module_get(s->owner))
		s = NULL;
	mutex_unlock(&sched_mutex);
	return s;
}

/* @name has been checked to hold only [a-z0-9_]. */
struct lvs_scheduler *lvs_sched_get(const char *name)
{
	struct lvs_scheduler *s = sched_find_get(name);

	if (s)
		return s;
	request_module("lvs-sched-%s", name);
	return sched_find_get(name);
}
EXPORT_SYMBOL_GPL(lvs_sched_get);

void lvs_sched_put(struct lvs_scheduler *sched)
{
	module_put(sched->owner);
}
EXPORT_SYMBOL_GPL(lvs_sched_put);

void *lvs_sched_dests_build(const struct lvs_sched_conf *conf,
			    struct lvs_dest *const *dests, unsigned int n,
			    void *old)
{
	struct lvs_sched_dests *s;

	s = kvmalloc(struct_size(s, dest, n), GFP_KERNEL_ACCOUNT);
	if (!s)
		return ERR_PTR(-ENOMEM);
	s->n = n;
	memcpy(s->dest, dests, n * sizeof(*dests));
	return s;
}
EXPORT_SYMBOL_GPL(lvs_sched_dests_build);

void lvs_sched_dests_free(void *state)
{
	kvfree(state);
}
EXPORT_SYMBOL_GPL(lvs_sched_dests_free);
