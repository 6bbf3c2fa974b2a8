// SPDX-License-Identifier: GPL-2.0
/*
 * IPVS compatibility: the kernel's /proc/net/ip_vs views of lvs's own
 * services, destinations, connections and counters, read-only, in every
 * network namespace, in the text ip_vs writes there (so that tools that
 * parse them, such as prometheus-node-exporter, work unchanged):
 *
 *   ip_vs               services and their destinations
 *   ip_vs_conn          connections and persistence templates
 *   ip_vs_stats         the namespace's counters and rates
 *   ip_vs_stats_percpu  the same counters per CPU
 *
 * Services are read under the namespace's lock, which keeps their lists
 * still; connections under RCU with an rhashtable walk that goes on across
 * read() calls, so no packet waits for a reader. The counters are sums over
 * the namespace's services, read when the file is: nothing is added to the
 * packet path for them.
 */

#include <linux/inetdevice.h>
#include <linux/jiffies.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/seq_file_net.h>
#include <net/net_namespace.h>

#include <uapi/linux/lvs.h>

#include "compat_proc.h"
#include "conn.h"
#include "dest.h"
#include "netns.h"
#include "service.h"

/* What ip_vs's header line claims, for tools that check it. */
#define IPVS_VERSION	"1.2.1"
/* ip_vs shows neither the port of an FTP template nor its real port. */
#define FTP_PORT	21

static void put_proto(struct seq_file *seq, u8 protocol, bool pad)
{
	switch (protocol) {
	case IPPROTO_IP:
		seq_puts(seq, pad ? "IP " : "IP");
		break;
	case IPPROTO_TCP:
		seq_puts(seq, "TCP");
		break;
	case IPPROTO_UDP:
		seq_puts(seq, "UDP");
		break;
	case IPPROTO_SCTP:
		seq_puts(seq, "SCTP");
		break;
	default:
		seq_printf(seq, "IP_%u", protocol);
	}
}

static const char *fwd_name(u8 fwd)
{
	switch (fwd) {
	case LVS_FWD_DR:
		return "Route";
	case LVS_FWD_TUN:
		return "Tunnel";
	default:
		return "Masq";
	}
}

/*
 * ip_vs shows the persistence netmask as it keeps it: an IPv4 mask, or for
 * IPv6 the prefix length as userspace sent it, in host order, through
 * ntohl() all the same.
 */
static u32 persist_mask(const struct lvs_service *svc)
{
	u8 prefix = svc->sched_conf.persist_prefix;

	if (svc->key.af == AF_INET6)
		return be32_to_cpu((__force __be32)(u32)prefix);
	return ntohl(inet_make_mask(prefix));
}

/* --- /proc/net/ip_vs ----------------------------------------------------- */

/*
 * ip_vs lists the services of an address before those of a firewall mark:
 * so do we, each kind in creation order. Under ln->lock.
 */
static struct lvs_service *svc_next(struct lvs_net *ln,
				    struct lvs_service *svc)
{
	struct list_head *pos = svc ? &svc->list : &ln->svc_list;
	bool fwmark = svc && svc->key.fwmark;

	for (;;) {
		pos = pos->next;
		if (pos == &ln->svc_list) {
			if (fwmark)
				return NULL;
			fwmark = true;
			continue;
		}
		svc = list_entry(pos, struct lvs_service, list);
		if (!!svc->key.fwmark == fwmark)
			return svc;
	}
}

static void *svc_seq_start(struct seq_file *seq, loff_t *pos)
{
	struct lvs_net *ln = lvs_net(seq_file_net(seq));
	struct lvs_service *svc;
	loff_t n = *pos;

	mutex_lock(&ln->lock);
	if (!n)
		return SEQ_START_TOKEN;
	svc = svc_next(ln, NULL);
	while (svc && --n)
		svc = svc_next(ln, svc);
	return svc;
}

static void *svc_seq_next(struct seq_file *seq, void *v, loff_t *pos)
{
	struct lvs_net *ln = lvs_net(seq_file_net(seq));

	++*pos;
	return svc_next(ln, v == SEQ_START_TOKEN ? NULL : v);
}

static void svc_seq_stop(struct seq_file *seq, void *v)
{
	mutex_unlock(&lvs_net(seq_file_net(seq))->lock);
}

static void svc_show_dest(struct seq_file *seq, const struct lvs_dest *dest)
{
	if (dest->af == AF_INET6)
		seq_printf(seq, "  -> [%pI6]:%04X", &dest->addr.in6,
			   ntohs(dest->port));
	else
		seq_printf(seq, "  -> %08X:%04X", ntohl(dest->addr.ip),
			   ntohs(dest->port));
	seq_printf(seq, "      %-7s %-6d %-10d %-10d\n", fwd_name(dest->fwd),
		   (int)READ_ONCE(dest->weight),
		   atomic_read(&dest->activeconns),
		   atomic_read(&dest->inactconns));
}

static int svc_seq_show(struct seq_file *seq, void *v)
{
	struct lvs_net *ln = lvs_net(seq_file_net(seq));
	const struct lvs_service *svc = v;
	const struct lvs_svc_key *key;
	const struct lvs_dest *dest;
	const char *ops;

	if (v == SEQ_START_TOKEN) {
		seq_printf(seq,
			   "IP Virtual Server version " IPVS_VERSION " (size=%u)\n",
			   lvs_conn_tab_size(&ln->conns));
		seq_puts(seq, "Prot LocalAddress:Port Scheduler Flags\n");
		seq_puts(seq,
			 "  -> RemoteAddress:Port Forward Weight ActiveConn InActConn\n");
		return 0;
	}

	/*
	 * The one flag ip_vs prints here is one-packet scheduling ("ops"),
	 * after the scheduler of an IPv4 or firewall-mark service, an empty
	 * word where it is off; not its schedulers' flags (sh, mh).
	 */
	key = &svc->key;
	ops = svc->sched_conf.one_packet ? "ops " : "";
	if (key->fwmark) {
		seq_printf(seq, "FWM  %08X %s %s", key->fwmark,
			   svc->sched->name, ops);
	} else {
		put_proto(seq, key->protocol, false);
		if (key->af == AF_INET6)
			seq_printf(seq, "  [%pI6]:%04X %s ", &key->addr.in6,
				   ntohs(key->port), svc->sched->name);
		else
			seq_printf(seq, "  %08X:%04X %s %s ", ntohl(key->addr.ip),
				   ntohs(key->port), svc->sched->name, ops);
	}
	/* ip_vs keeps the timeout in jiffies, and shows it so. */
	if (svc->sched_conf.persist_timeout)
		seq_printf(seq, "persistent %u %08X\n",
			   svc->sched_conf.persist_timeout * HZ,
			   persist_mask(svc));
	else
		seq_putc(seq, '\n');

	list_for_each_entry(dest, &svc->dests, list)
		svc_show_dest(seq, dest);
	return 0;
}

static const struct seq_operations svc_seq_ops = {
	.start	= svc_seq_start,
	.next	= svc_seq_next,
	.stop	= svc_seq_stop,
	.show	= svc_seq_show,
};

/* --- /proc/net/ip_vs_conn ------------------------------------------------ */

/*
 * A reader's walk of the table's client side. It lives from open to
 * release, so each read() goes on where the last one stopped, at the entry
 * the walk stands on (rhashtable_walk_peek()). A resize restarts it on the
 * new table, and entries already shown may come again, as in a dump.
 */
struct conn_iter {
	struct net *net;
	struct rhashtable_iter walk;
	loff_t pos;		/* the seq position of the walk's entry */
};

static void conn_walk_restart(struct conn_iter *it)
{
	rhashtable_walk_exit(&it->walk);
	lvs_conn_walk_enter(&lvs_net(it->net)->conns, &it->walk);
	it->pos = 0;
}

/* The entry after the walk's, or the first one from the header (pos 0). */
static struct lvs_conn *conn_walk_next(struct conn_iter *it)
{
	struct lvs_conn *c;

	c = it->pos ? rhashtable_walk_next(&it->walk) :
		      rhashtable_walk_peek(&it->walk);
	while (IS_ERR(c))
		c = rhashtable_walk_next(&it->walk);
	it->pos++;
	return c;
}

static void *conn_seq_start(struct seq_file *seq, loff_t *pos)
	__acquires(RCU)
{
	struct conn_iter *it = seq->private;
	struct lvs_conn *c;

	/* From the top (a new read from offset 0, lseek): a new walk. */
	if (*pos < it->pos || (!*pos && it->pos))
		conn_walk_restart(it);
	rhashtable_walk_start(&it->walk);
	if (!*pos)
		return SEQ_START_TOKEN;
	if (*pos == it->pos) {
		c = rhashtable_walk_peek(&it->walk);
		while (IS_ERR(c))
			c = rhashtable_walk_next(&it->walk);
		return c;
	}
	do
		c = conn_walk_next(it);
	while (c && it->pos < *pos);
	return c;
}

static void *conn_seq_next(struct seq_file *seq, void *v, loff_t *pos)
{
	struct conn_iter *it = seq->private;

	++*pos;
	return conn_walk_next(it);
}

static void conn_seq_stop(struct seq_file *seq, void *v)
	__releases(RCU)
{
	struct conn_iter *it = seq->private;

	rhashtable_walk_stop(&it->walk);
}

/*
 * lvs's state names where ip_vs has others. lvs's SCTP states, named after
 * the chunk seen last, map to the nearest of ip_vs's.
 */
static const struct {
	u8 protocol;
	const char *lvs;
	const char *ipvs;
} state_names[] = {
	{ IPPROTO_TCP, "SYN_ACK", "SYNACK" },
	{ IPPROTO_SCTP, "INIT", "INIT1" },
	{ IPPROTO_SCTP, "INIT_ACK", "INIT" },
	{ IPPROTO_SCTP, "COOKIE_ECHO", "C-ECHOED" },
	{ IPPROTO_SCTP, "SHUTDOWN", "S-SENT" },
	{ IPPROTO_SCTP, "SHUTDOWN_ACK", "S-ACK-SENT" },
};

static const char *state_name(const struct lvs_conn *c)
{
	const struct lvs_proto *pp = lvs_conn_proto(c);
	u8 state = READ_ONCE(c->state);
	const char *name;
	unsigned int i;

	if (!pp)	/* a template */
		return lvs_conn_has(c, LVS_CONN_ASSURED) ? "ASSURED" : "NONE";
	name = pp->state_names[state];
	for (i = 0; i < ARRAY_SIZE(state_names); i++)
		if (state_names[i].protocol == pp->protocol &&
		    !strcmp(state_names[i].lvs, name))
			return state_names[i].ipvs;
	return name;
}

static void put_addr(struct seq_file *seq, u8 af,
		     const union nf_inet_addr *addr)
{
	if (af == AF_INET6)
		seq_printf(seq, "%pI6", &addr->in6);
	else
		seq_printf(seq, "%08X", ntohl(addr->ip));
}

/*
 * What ip_vs would show of the template @c: its protocol (IP for a
 * firewall mark), its virtual address (the mark as an address) and the
 * virtual and real ports (0 for a mark, a port-0 service or FTP's port).
 */
static void tpl_tuple(const struct lvs_conn *c, u8 *protocol,
		      union nf_inet_addr *vaddr, __be16 *vport, __be16 *dport)
{
	const struct lvs_svc_key *key = &c->dest->svc->key;

	*vport = 0;
	*dport = 0;
	if (key->fwmark) {
		*protocol = IPPROTO_IP;
		memset(vaddr, 0, sizeof(*vaddr));
		vaddr->ip = htonl(key->fwmark);
		return;
	}
	*protocol = key->protocol;
	*vaddr = key->addr;
	if (key->port != htons(FTP_PORT)) {
		*vport = key->port;
		*dport = c->dest->port;
	}
}

static int conn_seq_show(struct seq_file *seq, void *v)
{
	const struct lvs_conn *c = v;
	union nf_inet_addr vaddr;
	struct lvs_conn_key out;
	__be16 vport, dport;
	long left;
	u8 protocol;

	if (v == SEQ_START_TOKEN) {
		seq_puts(seq,
			 "Pro FromIP   FPrt ToIP     TPrt DestIP   DPrt State       Expires PEName PEData\n");
		return 0;
	}
	if (!c->dest)
		return 0;

	if (lvs_conn_is_tpl(c)) {
		tpl_tuple(c, &protocol, &vaddr, &vport, &dport);
		out.saddr = c->dest->addr;
	} else {
		lvs_conn_out_key(c, &out);
		protocol = c->in.protocol;
		vaddr = c->in.daddr;
		vport = c->in.dport;
		dport = out.sport;
	}
	put_proto(seq, protocol, true);
	seq_putc(seq, ' ');
	put_addr(seq, c->in.af, &c->in.saddr);
	seq_printf(seq, " %04X ", ntohs(c->in.sport));
	put_addr(seq, c->in.af, &vaddr);
	seq_printf(seq, " %04X ", ntohs(vport));
	put_addr(seq, c->dest->af, &out.saddr);
	left = lvs_conn_left(c, jiffies);
	seq_printf(seq, " %04X %-11s %7u\n", ntohs(dport), state_name(c),
		   jiffies_delta_to_msecs(left) / 1000);
	return 0;
}

static const struct seq_operations conn_seq_ops = {
	.start	= conn_seq_start,
	.next	= conn_seq_next,
	.stop	= conn_seq_stop,
	.show	= conn_seq_show,
};

/*
 * Not proc_create_net(): its release cannot end the walk. The file holds
 * the namespace as that one's do; the namespace's exit removes the entry,
 * which releases any file still open.
 */
static int conn_open(struct inode *inode, struct file *file)
{
	struct conn_iter *it;

	it = __seq_open_private(file, &conn_seq_ops, sizeof(*it));
	if (!it)
		return -ENOMEM;
	it->net = get_net(pde_data(inode));
	lvs_conn_walk_enter(&lvs_net(it->net)->conns, &it->walk);
	return 0;
}

static int conn_release(struct inode *inode, struct file *file)
{
	struct seq_file *seq = file->private_data;
	struct conn_iter *it = seq->private;

	rhashtable_walk_exit(&it->walk);
	put_net(it->net);
	return seq_release_private(inode, file);
}

static const struct proc_ops conn_proc_ops = {
	.proc_open	= conn_open,
	.proc_read_iter	= seq_read_iter,
	.proc_lseek	= seq_lseek,
	.proc_release	= conn_release,
};

/* --- /proc/net/ip_vs_stats and ip_vs_stats_percpu ------------------------ */

/*
 * The namespace's totals are the sums over its services, read now, so the
 * counters of services already deleted are not in them (ip_vs counts every
 * packet once more, in a namespace total, instead). A CPU's row counts
 * from the start, the totals from the last zeroing, as in ip_vs. Under
 * ln->lock.
 */
static void stats_sum(struct lvs_net *ln, int cpu, struct lvs_stats *sum,
		      struct lvs_rates *rates)
{
	const struct lvs_service *svc;
	struct lvs_est est = {};
	struct lvs_stats s;
	unsigned int i;

	memset(sum, 0, sizeof(*sum));
	list_for_each_entry(svc, &ln->svc_list, list) {
		if (cpu >= 0) {
			lvs_stats_add_cpu(svc->stats, cpu, sum);
			continue;
		}
		lvs_stats_read_since(svc->stats, &svc->zeroed, &s);
		sum->conns += s.conns;
		sum->inpkts += s.inpkts;
		sum->inbytes += s.inbytes;
		sum->outpkts += s.outpkts;
		sum->outbytes += s.outbytes;
		/* Summed before rounding, as ip_vs's one estimator would. */
		for (i = 0; i < LVS_EST_COUNT; i++)
			est.avg[i] += READ_ONCE(svc->est.avg[i]);
	}
	if (rates)
		lvs_est_read(&est, rates);
}

static void put_counters(struct seq_file *seq, const char *lead,
			 const struct lvs_stats *s)
{
	seq_printf(seq, "%s%8llX %8llX %8llX %16llX %16llX\n", lead,
		   s->conns, s->inpkts, s->outpkts, s->inbytes, s->outbytes);
}

static void put_rates(struct seq_file *seq, const char *lead,
		      const struct lvs_rates *r)
{
	seq_printf(seq, "%s%8llX %8llX %8llX %16llX %16llX\n", lead,
		   r->cps, r->inpps, r->outpps, r->inbps, r->outbps);
}

static int stats_show(struct seq_file *seq, void *v)
{
	struct lvs_net *ln = lvs_net(seq_file_single_net(seq));
	struct lvs_rates rates;
	struct lvs_stats sum;

	mutex_lock(&ln->lock);
	stats_sum(ln, -1, &sum, &rates);
	mutex_unlock(&ln->lock);

	seq_puts(seq,
		 "   Total Incoming Outgoing         Incoming         Outgoing\n");
	seq_puts(seq,
		 "   Conns  Packets  Packets            Bytes            Bytes\n");
	put_counters(seq, "", &sum);
	seq_putc(seq, '\n');
	seq_puts(seq,
		 " Conns/s   Pkts/s   Pkts/s          Bytes/s          Bytes/s\n");
	put_rates(seq, "", &rates);
	return 0;
}

static int stats_percpu_show(struct seq_file *seq, void *v)
{
	struct lvs_net *ln = lvs_net(seq_file_single_net(seq));
	struct lvs_rates rates;
	struct lvs_stats sum;
	int cpu;

	seq_puts(seq,
		 "       Total Incoming Outgoing         Incoming         Outgoing\n");
	seq_puts(seq,
		 "CPU    Conns  Packets  Packets            Bytes            Bytes\n");
	mutex_lock(&ln->lock);
	for_each_possible_cpu(cpu) {
		stats_sum(ln, cpu, &sum, NULL);
		seq_printf(seq, "%3X ", cpu);
		put_counters(seq, "", &sum);
	}
	stats_sum(ln, -1, &sum, &rates);
	mutex_unlock(&ln->lock);
	put_counters(seq, "  ~ ", &sum);
	seq_putc(seq, '\n');
	seq_puts(seq,
		 "     Conns/s   Pkts/s   Pkts/s          Bytes/s          Bytes/s\n");
	put_rates(seq, "    ", &rates);
	return 0;
}

/* --- per namespace ------------------------------------------------------- */

static const char *const proc_names[] = {
	"ip_vs", "ip_vs_conn", "ip_vs_stats", "ip_vs_stats_percpu",
};

/* Each of our files that exists: a part made, or all of them. */
static void proc_remove_all(struct net *net)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(proc_names); i++)
		remove_proc_subtree(proc_names[i], net->proc_net);
}

static int __net_init compat_proc_net_init(struct net *net)
{
	if (!proc_create_net(proc_names[0], 0444, net->proc_net, &svc_seq_ops,
			     sizeof(struct seq_net_private)) ||
	    !proc_create_data(proc_names[1], 0444, net->proc_net,
			      &conn_proc_ops, net) ||
	    !proc_create_net_single(proc_names[2], 0444, net->proc_net,
				    stats_show, NULL) ||
	    !proc_create_net_single(proc_names[3], 0444, net->proc_net,
				    stats_percpu_show, NULL)) {
		proc_remove_all(net);
		return -ENOMEM;
	}
	return 0;
}

static void __net_exit compat_proc_net_exit(struct net *net)
{
	proc_remove_all(net);
}

static struct pernet_operations compat_proc_ops = {
	.init	= compat_proc_net_init,
	.exit	= compat_proc_net_exit,
};

int lvs_compat_proc_init(void)
{
	return register_pernet_subsys(&compat_proc_ops);
}

void lvs_compat_proc_exit(void)
{
	unregister_pernet_subsys(&compat_proc_ops);
}
