// SPDX-License-Identifier: GPL-2.0
/*
 * The fast path: a client's packet of an established connection forwarded
 * from the ingress hook (NF_NETDEV_INGRESS) of the device it arrives on,
 * before the IP layer. The normal way takes it through ip_rcv(), an input
 * route lookup that finds the VIP local, PREROUTING, ip_local_deliver()
 * and LOCAL_IN, where lvs_hook_in() steals it; the fast path does that
 * hook's work on the packet as it arrives, with the same lookup, the same
 * accounting and the same forwarding methods (xmit.c), and the route the
 * destination keeps (dest_route.c).
 *
 * Only a packet that needs nothing else takes it: IPv4 without options,
 * or IPv6 with the transport header right after its own; not a fragment;
 * a TTL or hop limit above 1; addressed to this host's MAC; of an entry
 * that is not FTP's and that the packet does not start afresh
 * (lvs_conn_fast_ok(), which checks a SYN's, FIN's or RST's checksum as
 * the normal way does); whose destination has a route cached, which the
 * packet fits. The fast path moves the entry's state as the normal way
 * would (lvs_conn_fast_update()), so a short connection's handshake ACK
 * and FINs take it too; only the packet that opens a connection never
 * does. Anything else, including every packet that would earn an ICMP
 * error (which needs the input route the fast path never looks up), goes
 * on to the normal way, which judges it as before.
 *
 * The fast path skips PREROUTING and LOCAL_IN, so it stands aside, per
 * family and per packet, while anything but lvs is hooked there (a
 * conntrack, iptables or nftables chain, the kernel's ip_vs), beyond the
 * IPv6 defragmenter lvs turns on itself, or while IPsec input policies
 * exist. The forwarding methods send with ip_local_out(): LOCAL_OUT and
 * POSTROUTING see the packet as they do on the normal way.
 *
 * It is a switch per namespace (LVS_CMD_INFO_SET), which starts as the
 * module parameter fastpath says (off by default). On, it hooks every
 * device of the namespace but loopback, and each device that registers or
 * moves in later; a device unregistering or moving out takes its hook
 * with it. All under RTNL, which the device notifier holds.
 */

#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/moduleparam.h>
#include <linux/netdevice.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/xfrm.h>

#include <uapi/linux/lvs.h>

#include "conn.h"
#include "dest.h"
#include "fastpath.h"
#include "hooks.h"
#include "netns.h"
#include "proto.h"
#include "xmit.h"

static bool fastpath;
module_param(fastpath, bool, 0444);
MODULE_PARM_DESC(fastpath,
		 "Every namespace starts with its fast path on (default: off)");

/* The hook on one device. */
struct lvs_fast_dev {
	struct list_head node;
	struct nf_hook_ops ops;
};

/*
 * IPv4 as ip_rcv() would take it, and nothing it would act on: options,
 * fragments, a last hop. Trims link-layer padding as ip_rcv() does.
 */
static bool ipv4_ok(struct sk_buff *skb)
{
	const struct iphdr *iph;
	unsigned int len;

	if (!pskb_may_pull(skb, sizeof(*iph)))
		return false;
	iph = ip_hdr(skb);
	if (iph->version != 4 || iph->ihl != sizeof(*iph) / 4 ||
	    iph->ttl <= 1 || ip_is_fragment(iph) ||
	    ip_fast_csum((const u8 *)iph, iph->ihl))
		return false;
	len = ntohs(iph->tot_len);
	if (len < sizeof(*iph) || len > skb->len || pskb_trim_rcsum(skb, len))
		return false;
	memset(IPCB(skb), 0, sizeof(*IPCB(skb)));
	IPCB(skb)->iif = skb->skb_iif;
	return true;
}

/* IPv6 likewise: no extension header, no jumbogram, not a last hop. */
static bool ipv6_ok(struct sk_buff *skb)
{
	const struct ipv6hdr *ip6h;
	unsigned int len;

	if (!pskb_may_pull(skb, sizeof(*ip6h)))
		return false;
	ip6h = ipv6_hdr(skb);
	if (ip6h->version != 6 || ip6h->hop_limit <= 1 ||
	    !lvs_proto_find(ip6h->nexthdr))
		return false;
	len = ntohs(ip6h->payload_len);
	if (!len || len > skb->len - sizeof(*ip6h) ||
	    pskb_trim_rcsum(skb, len + sizeof(*ip6h)))
		return false;
	memset(IP6CB(skb), 0, sizeof(*IP6CB(skb)));
	IP6CB(skb)->iif = skb->skb_iif;
	return true;
}

int lvs_fast_l3(struct sk_buff *skb)
{
	switch (skb->protocol) {
	case htons(ETH_P_IP):
		return ipv4_ok(skb) ? AF_INET : 0;
	case htons(ETH_P_IPV6):
		return ipv6_ok(skb) ? AF_INET6 : 0;
	}
	return 0;
}

static unsigned int hooks_at(struct nf_hook_entries __rcu *const *hooks,
			     unsigned int point)
{
	const struct nf_hook_entries *e = rcu_dereference(hooks[point]);

	return e ? e->num_hook_entries : 0;
}

/*
 * Would anything but lvs have seen a packet of family @af on the normal
 * way? At LOCAL_IN lvs_hook_in() is one hook; at IPv6's PREROUTING the
 * defragmenter lvs_net_start() turned on is another.
 */
static bool others_hooked(const struct net *net, u8 af)
{
#ifdef CONFIG_XFRM
	if (READ_ONCE(net->xfrm.policy_count[XFRM_POLICY_IN]))
		return true;
#endif
	if (af == AF_INET)
		return hooks_at(net->nf.hooks_ipv4, NF_INET_PRE_ROUTING) ||
		       hooks_at(net->nf.hooks_ipv4, NF_INET_LOCAL_IN) != 1;
#if IS_ENABLED(CONFIG_IPV6)
	return hooks_at(net->nf.hooks_ipv6, NF_INET_PRE_ROUTING) > 1 ||
	       hooks_at(net->nf.hooks_ipv6, NF_INET_LOCAL_IN) != 1;
#else
	return true;
#endif
}

static unsigned int lvs_fast_hook(void *priv, struct sk_buff *skb,
				  const struct nf_hook_state *state)
{
	struct lvs_net *ln = priv;
	const struct lvs_proto *pp;
	struct lvs_conn_key key;
	struct lvs_pkt pkt;
	struct lvs_conn *c;
	int af, err;

	if (!atomic_read(&ln->conns.count) || skb->pkt_type != PACKET_HOST ||
	    skb_shared(skb) || rcu_access_pointer(skb->dev->rx_handler))
		return NF_ACCEPT;
	af = lvs_fast_l3(skb);
	if (!af || others_hooked(state->net, af) ||
	    lvs_pkt_parse(skb, af, &pkt))
		return NF_ACCEPT;
	/*
	 * A TCP SYN or an SCTP INIT opens a connection, which only the
	 * normal way does: spare it the lookup.
	 */
	pp = lvs_proto_find(pkt.protocol);
	if (pp->control && pp->control(&pkt) && pp->may_create(&pkt))
		return NF_ACCEPT;

	lvs_conn_key_from_pkt(&key, &pkt);
	c = lvs_conn_lookup_in(&ln->conns, &key);
	if (!c || !lvs_conn_fast_ok(c, skb, &pkt))
		return NF_ACCEPT;

	/* No route kept, or too big for it: untouched, the normal way. */
	err = lvs_xmit(ln, skb, c, &pkt, true);
	if (err == -EAGAIN)
		return NF_ACCEPT;
	lvs_conn_fast_update(ln, c, &pkt, LVS_DIR_IN);
	if (err) {
		lvs_drop_count(ln, LVS_DROP_XMIT);
		return NF_DROP;
	}
	this_cpu_inc(*ln->fast.packets);
	return NF_STOLEN;
}

static struct lvs_fast_dev *dev_find(struct lvs_net *ln,
				     const struct net_device *dev)
{
	struct lvs_fast_dev *fd;

	list_for_each_entry(fd, &ln->fast.devs, node)
		if (fd->ops.dev == dev)
			return fd;
	return NULL;
}

/* Last of the hooks that see the packet: those before may well drop it. */
#define LVS_FAST_PRIORITY	10000

static int dev_hook(struct lvs_net *ln, struct net_device *dev)
{
	struct lvs_fast_dev *fd;
	int err;

	ASSERT_RTNL();
	if ((dev->flags & IFF_LOOPBACK) || dev_find(ln, dev))
		return 0;
	fd = kzalloc(sizeof(*fd), GFP_KERNEL);
	if (!fd)
		return -ENOMEM;
	fd->ops.hook = lvs_fast_hook;
	fd->ops.priv = ln;
	fd->ops.pf = NFPROTO_NETDEV;
	fd->ops.hooknum = NF_NETDEV_INGRESS;
	fd->ops.priority = LVS_FAST_PRIORITY;
	fd->ops.dev = dev;
	err = nf_register_net_hook(ln->net, &fd->ops);
	if (err) {
		kfree(fd);
		return err;
	}
	list_add(&fd->node, &ln->fast.devs);
	return 0;
}

/*
 * nf_unregister_net_hook() waits for a grace period: no packet is in
 * lvs_fast_hook() through @fd when it returns.
 */
static void dev_unhook(struct lvs_net *ln, struct lvs_fast_dev *fd)
{
	ASSERT_RTNL();
	nf_unregister_net_hook(ln->net, &fd->ops);
	list_del(&fd->node);
	kfree(fd);
}

static void unhook_all(struct lvs_net *ln)
{
	struct lvs_fast_dev *fd, *tmp;

	list_for_each_entry_safe(fd, tmp, &ln->fast.devs, node)
		dev_unhook(ln, fd);
}

int lvs_fast_set(struct lvs_net *ln, bool on)
{
	struct net_device *dev;
	int err = 0;

	rtnl_lock();
	if (on && !ln->fast.on) {
		for_each_netdev(ln->net, dev) {
			err = dev_hook(ln, dev);
			if (err)
				break;
		}
	}
	if (!on || err)
		unhook_all(ln);
	WRITE_ONCE(ln->fast.on, on && !err);
	rtnl_unlock();
	return err;
}

bool lvs_fast_on(struct lvs_net *ln)
{
	return READ_ONCE(ln->fast.on);
}

u8 lvs_fast_held(struct lvs_net *ln)
{
	u8 held = 0;

	rcu_read_lock();
	if (others_hooked(ln->net, AF_INET))
		held |= LVS_FAST_HELD_INET;
	if (others_hooked(ln->net, AF_INET6))
		held |= LVS_FAST_HELD_INET6;
	rcu_read_unlock();
	return held;
}

u64 lvs_fast_packets(struct lvs_net *ln)
{
	u64 sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += *per_cpu_ptr(ln->fast.packets, cpu);
	return sum;
}

/*
 * No RTNL needed yet: nothing sees @ln. Its devices get their hooks from
 * the notifier: those a new namespace registers after this, and, when lvs
 * loads, those of every namespace as register_netdevice_notifier() replays
 * their registration.
 */
int lvs_fast_net_init(struct lvs_net *ln)
{
	INIT_LIST_HEAD(&ln->fast.devs);
	ln->fast.on = fastpath;
	ln->fast.packets = alloc_percpu(u64);
	return ln->fast.packets ? 0 : -ENOMEM;
}

void lvs_fast_net_stop(struct lvs_net *ln)
{
	lvs_fast_set(ln, false);
}

void lvs_fast_net_free(struct lvs_net *ln)
{
	free_percpu(ln->fast.packets);
}

static int netdev_event(struct notifier_block *nb, unsigned long event,
			void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	/* NULL in a namespace being made, before lvs_net_init(). */
	struct lvs_net *ln = lvs_net(dev_net(dev));
	struct lvs_fast_dev *fd;

	if (!ln || !ln->fast.on)
		return NOTIFY_DONE;
	/* Without its hook, the device's packets take the normal way. */
	if (event == NETDEV_REGISTER && dev_hook(ln, dev))
		pr_warn_ratelimited("%s: no memory for the fast path's hook\n",
				    dev->name);
	if (event == NETDEV_UNREGISTER) {
		fd = dev_find(ln, dev);
		if (fd)
			dev_unhook(ln, fd);
	}
	return NOTIFY_DONE;
}

static struct notifier_block netdev_nb = {
	.notifier_call	= netdev_event,
};

/* After every namespace has its lvs_net, and before they go. */
int lvs_fast_init(void)
{
	return register_netdevice_notifier(&netdev_nb);
}

void lvs_fast_exit(void)
{
	unregister_netdevice_notifier(&netdev_nb);
}
