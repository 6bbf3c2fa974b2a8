// SPDX-License-Identifier: GPL-2.0
/*
 * The route to each real server, cached by its destination. Looking the
 * route up again for every packet costs a FIB lookup at least; for direct
 * routing it allocates a route per packet (the kernel does not cache an
 * IPv4 route with FLOWI_FLAG_KNOWN_NH to a connected network, and gives
 * IPv6 a private RTF_CACHE copy), and over IPv6 it selects a source
 * address and looks up IPsec policy too.
 *
 * What is kept: the dst (one reference), for IPv6 the cookie that tells
 * dst_check() whether the routing table changed under it, the source
 * address the lookup chose (a tunnel's outer source), and the packet mark
 * the lookup was made for (policy routing may route marks apart).
 *
 * When it is checked: on every packet, under RCU. A route of another mark,
 * or one dst_check() finds obsolete (the kernel's own test: any change to
 * the IPv4 routing table or addresses, or to the IPv6 subtree of the
 * route), is a miss. A miss looks the route up as before and publishes
 * the result with one xchg(); concurrent misses each publish their own,
 * the last stays, and every route replaced is released after a grace
 * period, so a packet that found it may still use it without a
 * reference.
 *
 * When it is dropped: when any device of the namespace goes down or
 * unregisters, or an IPv6 address of the namespace goes (a tunnel's outer
 * source may be that address; IPv4 address changes already make routes
 * obsolete), and when the destination is freed. The dst holds its device,
 * so a route kept past a device's unregistration would keep the device
 * (and its namespace) from going. Destinations removed from their service
 * but draining still send, so every destination of a namespace is on its
 * list (lvs_net.rt_dests) from creation until freed, and the notifiers
 * walk that list.
 */

#include <linux/netdevice.h>
#include <linux/slab.h>
#include <net/addrconf.h>
#include <net/dst.h>

#include "dest.h"
#include "dest_route.h"
#include "netns.h"
#include "rcu.h"
#include "service.h"

const struct lvs_dest_route *lvs_dest_route_get(struct lvs_dest *dest,
						u32 mark)
{
	const struct lvs_dest_route *r = rcu_dereference(dest->route);

	if (!r || r->mark != mark || !dst_check(r->dst, r->cookie))
		return NULL;
	return r;
}

static void route_free_rcu(struct rcu_head *head)
{
	struct lvs_dest_route *r = container_of(head, struct lvs_dest_route,
						rcu);

	dst_release(r->dst);
	kfree(r);
	lvs_rcu_done();
}

/* @r may still be read until a grace period ends. */
static void route_free(struct lvs_dest_route *r)
{
	if (r)
		lvs_call_rcu(&r->rcu, route_free_rcu);
}

const struct lvs_dest_route *
lvs_dest_route_set(struct lvs_dest *dest, struct dst_entry *dst, u32 cookie,
		   const union nf_inet_addr *saddr, u32 mark)
{
	struct lvs_dest_route *r;

	r = kzalloc(sizeof(*r), GFP_ATOMIC);
	if (!r) {
		dst_release(dst);
		return ERR_PTR(-ENOMEM);
	}
	r->dst = dst;
	r->cookie = cookie;
	r->mark = mark;
	if (saddr)
		r->saddr = *saddr;
	route_free(unrcu_pointer(xchg(&dest->route, RCU_INITIALIZER(r))));
	return r;
}

static void route_drop(struct lvs_dest *dest)
{
	route_free(unrcu_pointer(xchg(&dest->route, NULL)));
}

void lvs_dest_route_add(struct lvs_net *ln, struct lvs_dest *dest)
{
	spin_lock_bh(&ln->rt_lock);
	list_add(&dest->rt_node, &ln->rt_dests);
	spin_unlock_bh(&ln->rt_lock);
}

/* From @dest's RCU callback: no packet can reach its route any more. */
void lvs_dest_route_del(struct lvs_dest *dest)
{
	struct lvs_net *ln = dest->svc->ln;
	struct lvs_dest_route *r;

	spin_lock_bh(&ln->rt_lock);
	list_del(&dest->rt_node);
	spin_unlock_bh(&ln->rt_lock);
	r = rcu_dereference_protected(dest->route, true);
	if (r) {
		dst_release(r->dst);
		kfree(r);
	}
}

void lvs_dest_route_net_init(struct lvs_net *ln)
{
	spin_lock_init(&ln->rt_lock);
	INIT_LIST_HEAD(&ln->rt_dests);
}

/* Drop every route the destinations of @net keep. */
static void flush(struct net *net)
{
	struct lvs_net *ln = lvs_net(net);
	struct lvs_dest *dest;

	spin_lock_bh(&ln->rt_lock);
	list_for_each_entry(dest, &ln->rt_dests, rt_node)
		route_drop(dest);
	spin_unlock_bh(&ln->rt_lock);
}

/*
 * Every route through a device going down or away, whichever device its
 * dst now names (the kernel may already have moved it to blackhole_netdev).
 */
static int netdev_event(struct notifier_block *nb, unsigned long event,
			void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);

	if (event == NETDEV_DOWN || event == NETDEV_UNREGISTER)
		flush(dev_net(dev));
	return NOTIFY_DONE;
}

static int inet6addr_event(struct notifier_block *nb, unsigned long event,
			   void *ptr)
{
	struct inet6_ifaddr *ifa = ptr;

	if (event == NETDEV_DOWN)
		flush(dev_net(ifa->idev->dev));
	return NOTIFY_DONE;
}

static struct notifier_block netdev_nb = {
	.notifier_call	= netdev_event,
};

static struct notifier_block inet6addr_nb = {
	.notifier_call	= inet6addr_event,
};

/* After every namespace has its lvs_net, and before they go. */
int lvs_dest_route_init(void)
{
	int err;

	err = register_netdevice_notifier(&netdev_nb);
	if (err)
		return err;
	err = register_inet6addr_notifier(&inet6addr_nb);
	if (err)
		unregister_netdevice_notifier(&netdev_nb);
	return err;
}

void lvs_dest_route_exit(void)
{
	unregister_inet6addr_notifier(&inet6addr_nb);
	unregister_netdevice_notifier(&netdev_nb);
}
