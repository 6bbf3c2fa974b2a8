// SPDX-License-Identifier: GPL-2.0
/*
 * Scheduler benchmark, not a test: on load, time each lvs scheduler's pick
 * beside the kernel ip_vs scheduler of the same name, over the same
 * destinations, loads and flows, and time the build of the Maglev lookup
 * table (Eisenbud et al., "Maglev: A Fast and Reliable Software Network
 * Load Balancer", NSDI 2016). The results go to the kernel log as a table;
 * bench/sched runs this in a guest. Absolute times belong to the machine;
 * what one run says is how the two implementations compare.
 *
 * ip_vs exports no scheduler lookup. Its schedulers are found by
 * registering a probe scheduler: ip_vs adds it at the head of its static
 * list, so the probe's predecessor is that list's head. Walking the list
 * without ip_vs's mutex is safe only while no ip_vs scheduler module comes
 * or goes, which holds in the guest this runs in.
 */

#include <linux/ip.h>
#include <linux/kmod.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/prandom.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/tcp.h>
#include <linux/utsname.h>
#include <net/ip_vs.h>

#include "dest.h"
#include "proto.h"
#include "sched.h"

static char *scheds = "rr,wrr,lc,wlc,sed,nq,sh,dh,mh,lblc,lblcr,fo,ovf,twos";
module_param(scheds, charp, 0444);
MODULE_PARM_DESC(scheds, "Schedulers to time, comma-separated");

static unsigned int dests[8] = { 10, 100, 1000 };
static unsigned int ndests = 3;
module_param_array(dests, uint, &ndests, 0444);
MODULE_PARM_DESC(dests, "Numbers of destinations to time each with");

static unsigned int rounds = 61;
module_param(rounds, uint, 0444);
MODULE_PARM_DESC(rounds, "Timed batches per implementation; the best counts");

static unsigned int batch_us = 500;
module_param(batch_us, uint, 0444);
MODULE_PARM_DESC(batch_us, "Length of one timed batch of picks, microseconds");

static unsigned int mh_runs = 15;
module_param(mh_runs, uint, 0444);
MODULE_PARM_DESC(mh_runs, "Maglev table builds to time; the best counts");

#define MAX_BATCH	BIT(22)
#define NFLOWS		256	/* distinct flows, cycled through */
#define NLOCALITIES	64	/* distinct destination addresses among them */
#define MH_DESTS	1000
#define MH_BIG		65537

/*
 * ip_vs mh's table size is fixed when the kernel is built, by the index of
 * a prime in this list.
 */
static const u32 ipvs_mh_primes[] = {
	251, 509, 1021, 2039, 4093, 8191, 16381, 32749, 65521, 131071
};

#ifdef CONFIG_IP_VS_MH_TAB_INDEX
#define IPVS_MH_SIZE	ipvs_mh_primes[CONFIG_IP_VS_MH_TAB_INDEX - 8]
#else
#define IPVS_MH_SIZE	ipvs_mh_primes[4]
#endif

/* Each flow as both implementations see it on their packet paths. */
struct flows {
	struct lvs_pkt pkt[NFLOWS];
	struct sk_buff *skb[NFLOWS];
	struct ip_vs_iphdr iph[NFLOWS];
};

/* One set of destinations, twice: for lvs and for an ip_vs service. */
struct dset {
	unsigned int n;
	struct lvs_dest **lvs;
	struct ip_vs_dest **ipvs;
	struct ip_vs_service *svc;
};

struct bench {
	struct flows *f;
	struct lvs_scheduler *ls;
	void *lstate;
	struct ip_vs_scheduler *is;
	struct ip_vs_service *svc;
	unsigned long lvs_nulls, ipvs_nulls;	/* picks that found nothing */
};

static struct ip_vs_scheduler probe = {
	.name	= "lvs_bench_probe",
	.n_list	= LIST_HEAD_INIT(probe.n_list),
};

static struct list_head *ipvs_scheds;

static struct ip_vs_scheduler *ipvs_find(const char *name)
{
	struct ip_vs_scheduler *s;

	list_for_each_entry(s, ipvs_scheds, n_list)
		if (s != &probe && !strcmp(s->name, name))
			return try_module_get(s->module) ? s : NULL;
	return NULL;
}

/* The ip_vs scheduler @name, loading its module; takes a reference. */
static struct ip_vs_scheduler *ipvs_get(const char *name)
{
	struct ip_vs_scheduler *s = ipvs_find(name);

	if (s)
		return s;
	request_module("ip_vs_%s", name);
	return ipvs_find(name);
}

static void flows_free(struct flows *f)
{
	unsigned int i;

	for (i = 0; i < NFLOWS; i++)
		kfree_skb(f->skb[i]);
	kfree(f);
}

/*
 * TCP SYNs from distinct clients, to NLOCALITIES addresses (for dh, lblc
 * and lblcr, which map the destination address), all port 80.
 */
static struct flows *flows_new(void)
{
	struct flows *f = kzalloc(sizeof(*f), GFP_KERNEL);
	struct rnd_state rnd;
	unsigned int i;

	if (!f)
		return NULL;
	prandom_seed_state(&rnd, 1);
	for (i = 0; i < NFLOWS; i++) {
		struct lvs_pkt *p = &f->pkt[i];
		struct sk_buff *skb;
		struct tcphdr *th;
		struct iphdr *iph;

		p->af = AF_INET;
		p->protocol = IPPROTO_TCP;
		p->tcp_flags = LVS_TCP_SYN;
		p->saddr.ip = htonl(0x64400000 |
				    (prandom_u32_state(&rnd) & 0x3fffff));
		p->daddr.ip = htonl(0xcb007100 | (i % NLOCALITIES));
		p->sport = htons(1024 + prandom_u32_state(&rnd) % 64512);
		p->dport = htons(80);
		p->l4off = sizeof(*iph);
		p->len = sizeof(*iph) + sizeof(*th);

		skb = alloc_skb(MAX_HEADER + p->len, GFP_KERNEL);
		if (!skb)
			goto fail;
		f->skb[i] = skb;
		skb_reserve(skb, MAX_HEADER);
		skb->protocol = htons(ETH_P_IP);
		skb_reset_network_header(skb);
		iph = skb_put_zero(skb, sizeof(*iph));
		iph->version = 4;
		iph->ihl = sizeof(*iph) / 4;
		iph->tot_len = htons(p->len);
		iph->ttl = 64;
		iph->protocol = IPPROTO_TCP;
		iph->saddr = p->saddr.ip;
		iph->daddr = p->daddr.ip;
		skb_set_transport_header(skb, sizeof(*iph));
		th = skb_put_zero(skb, sizeof(*th));
		th->source = p->sport;
		th->dest = p->dport;
		th->doff = sizeof(*th) / 4;
		th->syn = 1;
		if (!ip_vs_fill_iph_skb(AF_INET, skb, false, &f->iph[i]))
			goto fail;
	}
	return f;

fail:
	flows_free(f);
	return NULL;
}

/* After the ip_vs scheduler's done_service(), if it was bound. */
static void dset_free(struct dset *ds)
{
	unsigned int i;

	/* ip_vs schedulers drop some references from RCU callbacks. */
	rcu_barrier();
	for (i = 0; i < ds->n; i++) {
		if (ds->ipvs && ds->ipvs[i]) {
			if (refcount_read(&ds->ipvs[i]->refcnt) != 1)
				pr_err("ip_vs destination %u: refcount %u\n", i,
				       refcount_read(&ds->ipvs[i]->refcnt));
			kfree(ds->ipvs[i]);
		}
		if (ds->lvs)
			kfree(ds->lvs[i]);
	}
	kfree(ds->svc);
	kfree(ds->ipvs);
	kfree(ds->lvs);
	kfree(ds);
}

/*
 * @n destinations at 10.x.y.1:8080. Unless @equal, with weights from 2 to
 * 8 and open connections: 1 to weight - 1 active (none idle, none full, so
 * nq scans them all and ovf always has room) and up to 255 inactive. With
 * @equal, weight 1 and no connections.
 */
static struct dset *dset_new(unsigned int n, bool equal)
{
	struct dset *ds = kzalloc(sizeof(*ds), GFP_KERNEL);
	struct ip_vs_service *svc;
	struct rnd_state rnd;
	unsigned int i;

	if (!ds)
		return NULL;
	ds->n = n;
	ds->lvs = kcalloc(n, sizeof(*ds->lvs), GFP_KERNEL);
	ds->ipvs = kcalloc(n, sizeof(*ds->ipvs), GFP_KERNEL);
	ds->svc = kzalloc(sizeof(*ds->svc), GFP_KERNEL);
	if (!ds->lvs || !ds->ipvs || !ds->svc)
		goto fail;

	svc = ds->svc;
	atomic_set(&svc->refcnt, 1);
	svc->af = AF_INET;
	svc->protocol = IPPROTO_TCP;
	svc->addr.ip = htonl(0xc6336401);
	svc->port = htons(80);
	svc->ipvs = net_ipvs(&init_net);
	INIT_LIST_HEAD(&svc->destinations);
	svc->num_dests = n;
	spin_lock_init(&svc->sched_lock);

	prandom_seed_state(&rnd, n);
	for (i = 0; i < n; i++) {
		__be32 addr = htonl(0x0a000001 | (i + 1) << 8);
		u32 w = 1, active = 0, inactive = 0;
		struct lvs_dest *ld;
		struct ip_vs_dest *id;

		if (!equal) {
			w = 2 + prandom_u32_state(&rnd) % 7;
			active = 1 + prandom_u32_state(&rnd) % (w - 1);
			inactive = prandom_u32_state(&rnd) % 256;
		}

		ld = kzalloc(sizeof(*ld), GFP_KERNEL);
		id = kzalloc(sizeof(*id), GFP_KERNEL);
		ds->lvs[i] = ld;
		ds->ipvs[i] = id;
		if (!ld || !id)
			goto fail;

		ld->af = AF_INET;
		ld->addr.ip = addr;
		ld->port = htons(8080);
		ld->weight = w;
		atomic_set(&ld->activeconns, active);
		atomic_set(&ld->inactconns, inactive);
		refcount_set(&ld->refcnt, 1);

		id->af = AF_INET;
		id->addr.ip = addr;
		id->port = htons(8080);
		id->cflags = IP_VS_DEST_CF_AVAILABLE;
		atomic_set(&id->weight, w);
		atomic_set(&id->last_weight, w);
		atomic_set(&id->activeconns, active);
		atomic_set(&id->totalconns, active + inactive);
		refcount_set(&id->refcnt, 1);
		spin_lock_init(&id->dst_lock);
		RCU_INIT_POINTER(id->svc, svc);
		id->protocol = svc->protocol;
		id->vaddr = svc->addr;
		id->vport = svc->port;
		list_add_tail(&id->n_list, &svc->destinations);
	}
	return ds;

fail:
	dset_free(ds);
	return NULL;
}

/* Bind @s to the service as ip_vs does on a change of scheduler. */
static int ipvs_bind(struct dset *ds, struct ip_vs_scheduler *s)
{
	int err = s->init_service ? s->init_service(ds->svc) : 0;

	if (!err)
		RCU_INIT_POINTER(ds->svc->scheduler, s);
	return err;
}

static void ipvs_unbind(struct dset *ds, struct ip_vs_scheduler *s)
{
	RCU_INIT_POINTER(ds->svc->scheduler, NULL);
	if (s->done_service)
		s->done_service(ds->svc);
}

/* Time @k picks by ip_vs if @ipvs, else by lvs, as on the packet path. */
static u64 bench_picks(struct bench *b, bool ipvs, unsigned int k)
{
	struct flows *f = b->f;
	unsigned long nulls = 0;
	unsigned int i, j;
	u64 t;

	local_bh_disable();
	rcu_read_lock();
	t = ktime_get_ns();
	if (ipvs) {
		for (i = 0; i < k; i++) {
			j = i % NFLOWS;
			nulls += !b->is->schedule(b->svc, f->skb[j],
						  &f->iph[j]);
		}
	} else {
		for (i = 0; i < k; i++)
			nulls += !b->ls->schedule(b->lstate,
						  &f->pkt[i % NFLOWS]);
	}
	t = ktime_get_ns() - t;
	rcu_read_unlock();
	local_bh_enable();

	if (ipvs)
		b->ipvs_nulls += nulls;
	else
		b->lvs_nulls += nulls;
	return t;
}

/* How many picks one batch of about batch_us takes. */
static unsigned int bench_calibrate(struct bench *b, bool ipvs)
{
	u64 target = (u64)batch_us * NSEC_PER_USEC, t;
	unsigned int k = NFLOWS;

	for (;;) {
		t = bench_picks(b, ipvs, k);
		if (t >= target / 8 || k >= MAX_BATCH)
			break;
		k *= 2;
		cond_resched();
	}
	return clamp_t(u64, div64_u64(target * k, t ?: 1), 1, MAX_BATCH);
}

/*
 * Picoseconds per pick of lvs and of ip_vs (0: not timed), each the best
 * of its batches, which alternate so that both see the same machine. The
 * best, not the median: a batch can only be slowed down, by whatever else
 * runs on the host, and under TCG the guest's clock is the host's.
 */
static void bench_measure(struct bench *b, u64 *lvs_ps, u64 *ipvs_ps)
{
	unsigned int kl = 0, ki = 0, r;

	*lvs_ps = U64_MAX;
	*ipvs_ps = U64_MAX;
	if (b->ls)
		kl = bench_calibrate(b, false);
	if (b->is)
		ki = bench_calibrate(b, true);
	for (r = 0; r < rounds; r++) {
		if (kl)
			*lvs_ps = min(*lvs_ps,
				      div_u64(bench_picks(b, false, kl) * 1000,
					      kl));
		if (ki)
			*ipvs_ps = min(*ipvs_ps,
				       div_u64(bench_picks(b, true, ki) * 1000,
					       ki));
		cond_resched();
	}
	if (!kl)
		*lvs_ps = 0;
	if (!ki)
		*ipvs_ps = 0;
}

/* @milli thousandths as units with one decimal: ps as ns, us as ms. */
static const char *fmt_milli(char *buf, size_t len, u64 milli)
{
	if (!milli)
		return "-";
	snprintf(buf, len, "%llu.%llu", milli / 1000, milli % 1000 / 100);
	return buf;
}

static const char *fmt_ratio(char *buf, size_t len, u64 num, u64 den)
{
	u64 r;

	if (!num || !den)
		return "-";
	r = div64_u64(num * 100 + den / 2, den);
	snprintf(buf, len, "%llu.%02llu", r / 100, r % 100);
	return buf;
}

static void bench_row(const char *name, struct lvs_scheduler *ls,
		      struct ip_vs_scheduler *is, struct flows *f,
		      unsigned int n)
{
	struct lvs_sched_conf conf = { .mh_table_size = IPVS_MH_SIZE };
	struct bench b = { .f = f, .is = is };
	char lbuf[24], ibuf[24], rbuf[24];
	bool bound = false;
	u64 lps, ips;
	struct dset *ds;

	ds = dset_new(n, false);
	if (!ds) {
		pr_info("%-6s %5u  failed: out of memory\n", name, n);
		return;
	}
	if (ls) {
		b.lstate = ls->build(&conf, ds->lvs, n, NULL);
		if (IS_ERR(b.lstate))
			pr_info("note: lvs %s: build over %u failed: %ld\n",
				name, n, PTR_ERR(b.lstate));
		else
			b.ls = ls;
	}
	if (is) {
		int err = ipvs_bind(ds, is);

		if (err)
			pr_info("note: ip_vs %s: init_service over %u failed: %d\n",
				name, n, err);
		bound = !err;
		if (!bound)
			b.is = NULL;
	}
	b.svc = ds->svc;

	bench_measure(&b, &lps, &ips);
	pr_info("%-6s %5u %12s %14s %10s\n", name, n,
		fmt_milli(lbuf, sizeof(lbuf), lps),
		fmt_milli(ibuf, sizeof(ibuf), ips),
		fmt_ratio(rbuf, sizeof(rbuf), ips, lps));
	if (b.lvs_nulls || b.ipvs_nulls)
		pr_info("note: %s over %u: no destination in %lu lvs and %lu ip_vs picks\n",
			name, n, b.lvs_nulls, b.ipvs_nulls);

	if (b.ls)
		ls->free(b.lstate);
	if (bound)
		ipvs_unbind(ds, is);
	dset_free(ds);
}

static struct lvs_dest *noop_lvs(void *state, const struct lvs_pkt *pkt)
{
	return state;
}

static struct ip_vs_dest *noop_ipvs(struct ip_vs_service *svc,
				    const struct sk_buff *skb,
				    struct ip_vs_iphdr *iph)
{
	return svc->sched_data;
}

/*
 * The harness's own cost per pick, in every row: a scheduler of each kind
 * that returns at once.
 */
static void bench_noop(struct flows *f)
{
	struct lvs_scheduler ls = { .name = "noop", .schedule = noop_lvs };
	struct ip_vs_scheduler is = { .name = "noop", .schedule = noop_ipvs };
	struct bench b = { .f = f, .ls = &ls, .is = &is };
	char lbuf[24], ibuf[24], rbuf[24];
	struct dset *ds = dset_new(1, false);
	u64 lps, ips;

	if (!ds) {
		pr_info("%-6s %5u  failed: out of memory\n", "noop", 1);
		return;
	}
	b.lstate = ds->lvs[0];
	b.svc = ds->svc;
	ds->svc->sched_data = ds->ipvs[0];
	bench_measure(&b, &lps, &ips);
	pr_info("%-6s %5u %12s %14s %10s\n", "noop", 1,
		fmt_milli(lbuf, sizeof(lbuf), lps),
		fmt_milli(ibuf, sizeof(ibuf), ips),
		fmt_ratio(rbuf, sizeof(rbuf), ips, lps));
	dset_free(ds);
}

/* ns of lvs mh's build() with a table of @size; 0 if it fails. */
static u64 time_lvs_mh(struct lvs_scheduler *ls, struct dset *ds, u32 size)
{
	struct lvs_sched_conf conf = { .mh_table_size = size };
	void *state;
	u64 t;

	t = ktime_get_ns();
	state = ls->build(&conf, ds->lvs, ds->n, NULL);
	t = ktime_get_ns() - t;
	if (IS_ERR(state)) {
		pr_info("note: lvs mh: build of %u over %u failed: %ld\n",
			size, ds->n, PTR_ERR(state));
		return 0;
	}
	ls->free(state);
	return t;
}

/* ns of ip_vs mh's init_service(); 0 if it fails. */
static u64 time_ipvs_mh(struct ip_vs_scheduler *is, struct dset *ds)
{
	int err;
	u64 t;

	t = ktime_get_ns();
	err = ipvs_bind(ds, is);
	t = ktime_get_ns() - t;
	if (err) {
		pr_info("note: ip_vs mh: init_service over %u failed: %d\n",
			ds->n, err);
		return 0;
	}
	ipvs_unbind(ds, is);
	return t;
}

/* The best of @t so far and @ns, which is 0 if the build failed. */
static void best_of(u64 *t, u64 ns)
{
	*t = ns ? min(*t, ns) : 0;
}

/* Builds alternate, as the batches of picks do. */
static void bench_maglev(void)
{
	struct lvs_scheduler *ls = lvs_sched_get("mh");
	struct ip_vs_scheduler *is = ipvs_get("mh");
	u64 big = U64_MAX, lsmall = U64_MAX, ismall = U64_MAX;
	char buf[24];
	struct dset *ds;
	unsigned int r;

	pr_info("maglev build, %u destinations of equal weight, best of %u:\n",
		MH_DESTS, mh_runs);
	if (!ls)
		pr_info("note: no lvs scheduler mh\n");
	if (!is)
		pr_info("note: no ip_vs scheduler mh\n");
	ds = dset_new(MH_DESTS, true);
	if (!ds) {
		pr_info("maglev: failed: out of memory\n");
		goto out;
	}
	for (r = 0; r < mh_runs; r++) {
		if (ls && big)
			best_of(&big, time_lvs_mh(ls, ds, MH_BIG));
		if (ls && lsmall)
			best_of(&lsmall, time_lvs_mh(ls, ds, IPVS_MH_SIZE));
		if (is && ismall)
			best_of(&ismall, time_ipvs_mh(is, ds));
		cond_resched();
	}
	dset_free(ds);
	if (!ls) {
		big = 0;
		lsmall = 0;
	}
	if (!is)
		ismall = 0;

	pr_info("%-6s M=%-6u %10s ms\n", "lvs", MH_BIG,
		fmt_milli(buf, sizeof(buf), div_u64(big, NSEC_PER_USEC)));
	pr_info("%-6s M=%-6u %10s ms\n", "lvs", IPVS_MH_SIZE,
		fmt_milli(buf, sizeof(buf), div_u64(lsmall, NSEC_PER_USEC)));
	pr_info("%-6s M=%-6u %10s ms\n", "ip_vs", IPVS_MH_SIZE,
		fmt_milli(buf, sizeof(buf), div_u64(ismall, NSEC_PER_USEC)));
	pr_info("ip_vs/lvs at M=%u: %s\n", IPVS_MH_SIZE,
		fmt_ratio(buf, sizeof(buf), ismall, lsmall));
out:
	if (ls)
		lvs_sched_put(ls);
	if (is)
		module_put(is->module);
}

static bool valid_name(const char *name)
{
	size_t n = strlen(name);

	return n && n < IP_VS_SCHEDNAME_MAXLEN &&
	       strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789_") == n;
}

static int __init bench_init(void)
{
	char *list, *cur, *name;
	unsigned long start = jiffies;
	struct flows *f;
	unsigned int i;
	int err;

	if (!rounds || !mh_runs || !batch_us)
		return -EINVAL;
	list = kstrdup(scheds, GFP_KERNEL);
	f = flows_new();
	if (!list || !f) {
		err = -ENOMEM;
		goto out;
	}
	err = register_ip_vs_scheduler(&probe);
	if (err)
		goto out;
	ipvs_scheds = probe.n_list.prev;

	pr_info("begin: kernel %s, %u flows, best of %u batches of %u us\n",
		init_utsname()->release, NFLOWS, rounds, batch_us);
	pr_info("%-6s %5s %12s %14s %10s\n", "sched", "D", "lvs ns/pick",
		"ip_vs ns/pick", "ip_vs/lvs");
	bench_noop(f);
	cur = list;
	while ((name = strsep(&cur, ","))) {
		struct lvs_scheduler *ls;
		struct ip_vs_scheduler *is;

		if (!valid_name(name)) {
			pr_info("note: bad scheduler name \"%s\"\n", name);
			continue;
		}
		ls = lvs_sched_get(name);
		is = ipvs_get(name);
		if (!ls)
			pr_info("note: no lvs scheduler %s\n", name);
		if (!is)
			pr_info("note: no ip_vs scheduler %s\n", name);
		for (i = 0; i < ndests && (ls || is); i++)
			if (dests[i])
				bench_row(name, ls, is, f, dests[i]);
		if (ls)
			lvs_sched_put(ls);
		if (is)
			module_put(is->module);
	}
	bench_maglev();
	pr_info("end: %u s\n", jiffies_to_msecs(jiffies - start) / 1000);

	unregister_ip_vs_scheduler(&probe);
out:
	if (f)
		flows_free(f);
	kfree(list);
	return err;
}

static void __exit bench_exit(void)
{
}

module_init(bench_init);
module_exit(bench_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("lvs and ip_vs scheduler benchmark");
