// SPDX-License-Identifier: GPL-2.0
/*
 * The connection table of one network namespace.
 *
 * Two resizable RCU hash tables index the entries: "in" by the client's
 * tuple, "out" by the tuple of the real server's reply (NAT only). Lookups
 * take no lock. Inserting resolves races between CPUs that see the first
 * packet of one connection at the same time: the loser adopts the winner's
 * entry. Each packet moves the entry's expiry time forward; a delayed work
 * item walks the table a slice at a time and unlinks expired entries, so
 * no timer is armed or modified per packet.
 *
 * A full table makes room rather than refuse: an insert over the limit
 * evicts one entry that nothing relies on yet (see evictable()), found
 * among a few buckets where the new entry lands. Only when there is none
 * there is the new entry refused. Templates have a limit of their own,
 * half the table, so that spoofed sources of a persistent service cannot
 * take the place of connections.
 */

#include <linux/jhash.h>
#include <linux/memcontrol.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>

#include <uapi/linux/lvs.h>

#include "conn.h"
#include "dest.h"
#include "ftp.h"
#include "netns.h"
#include "nfct.h"
#include "persist.h"
#include "proto.h"
#include "rcu.h"
#include "service.h"

#define GC_SLICE	1024	/* entries examined per run */
#define GC_INTERVAL	HZ	/* pause after a full pass */
#define EVICT_BUCKETS	64	/* buckets an insert looks through, at most */
#define EVICT_ENTRIES	16	/* entries it examines there, at most */

static struct kmem_cache *conn_cache;

/*
 * rhashtable's own compare calls memcmp() for every entry looked at, a
 * byte count it reads from the table. A key is ten 32-bit words (with its
 * padding zero): compared inline, 0 when equal.
 */
static inline int key_cmp(const struct lvs_conn_key *a, const void *b)
{
	const u32 *x = (const u32 *)a, *y = b;
	u32 diff = 0;
	unsigned int i;

	BUILD_BUG_ON(sizeof(*a) % sizeof(u32) ||
		     __alignof__(struct lvs_conn_key) < sizeof(u32));
	for (i = 0; i < sizeof(*a) / sizeof(u32); i++)
		diff |= x[i] ^ y[i];
	return diff != 0;
}

static inline int in_obj_cmp(struct rhashtable_compare_arg *arg,
			     const void *obj)
{
	return key_cmp(&((const struct lvs_conn *)obj)->in, arg->key);
}

static const struct rhashtable_params in_params = {
	.head_offset		= offsetof(struct lvs_conn, in_node),
	.key_offset		= offsetof(struct lvs_conn, in),
	.key_len		= sizeof(struct lvs_conn_key),
	.obj_cmpfn		= in_obj_cmp,
	.automatic_shrinking	= true,
};

/*
 * The "out" side has no key in the entry: it is derived from the "in" key,
 * the destination and the real server's port (lvs_conn_out_key()). A key
 * is hashed the same way whether it comes from a packet or an entry.
 */
static u32 out_hash(const void *data, u32 len, u32 seed)
{
	return jhash2(data, sizeof(struct lvs_conn_key) / sizeof(u32), seed);
}

static u32 out_obj_hash(const void *data, u32 len, u32 seed)
{
	struct lvs_conn_key key;

	lvs_conn_out_key(data, &key);
	return out_hash(&key, sizeof(key), seed);
}

static int out_obj_cmp(struct rhashtable_compare_arg *arg, const void *obj)
{
	struct lvs_conn_key key;

	lvs_conn_out_key(obj, &key);
	return key_cmp(&key, arg->key);
}

static const struct rhashtable_params out_params = {
	.head_offset		= offsetof(struct lvs_conn, out_node),
	.key_len		= sizeof(struct lvs_conn_key),
	.hashfn			= out_hash,
	.obj_hashfn		= out_obj_hash,
	.obj_cmpfn		= out_obj_cmp,
	.automatic_shrinking	= true,
};

/* The real server's port: the source port of its replies. */
__be16 lvs_conn_rport(const struct lvs_conn *c)
{
	if (lvs_conn_has(c, LVS_CONN_RPORT_VPORT))
		return c->in.dport;
	if (lvs_conn_has(c, LVS_CONN_RPORT_BELOW))
		return htons(ntohs(c->dest->port) - 1);
	return c->dest ? c->dest->port : 0;
}

/* Which of lvs_conn_rport()'s sources gives @rport; -1 if none does. */
static int rport_flag(const struct lvs_conn_key *in, __be16 rport,
		      const struct lvs_dest *dest)
{
	if (dest && rport == dest->port)
		return 0;
	if (rport == in->dport)
		return BIT(LVS_CONN_RPORT_VPORT);
	if (dest && rport == htons(ntohs(dest->port) - 1))
		return BIT(LVS_CONN_RPORT_BELOW);
	return -1;
}

/*
 * The key of @c's replies, real server -> client: for NAT, the "out" side
 * looks it up. For DR and TUN, whose replies do not pass the director,
 * saddr is the destination's address in its own family, which for TUN
 * may differ from @key->af.
 */
void lvs_conn_out_key(const struct lvs_conn *c, struct lvs_conn_key *key)
{
	memset(key, 0, sizeof(*key));
	if (c->dest)
		key->saddr = c->dest->addr;
	key->daddr = c->in.saddr;
	key->sport = lvs_conn_rport(c);
	key->dport = c->in.sport;
	key->af = c->in.af;
	key->protocol = c->in.protocol;
}

/* The key a packet looks its connection up by, in either direction. */
void lvs_conn_key_from_pkt(struct lvs_conn_key *key, const struct lvs_pkt *pkt)
{
	memset(key, 0, sizeof(*key));
	key->saddr = pkt->saddr;
	key->daddr = pkt->daddr;
	key->sport = pkt->sport;
	key->dport = pkt->dport;
	key->af = pkt->af;
	key->protocol = pkt->protocol;
}

/*
 * An FTP expectation (client port 0, hashed on the "in" side only) is no
 * connection: a packet from port 0 that happens to have its key must not
 * pass as one. Only the FTP helper looks expectations up, with
 * lvs_conn_lookup_expect().
 */
static struct lvs_conn *not_expect(struct lvs_conn *c)
{
	return c && lvs_conn_has(c, LVS_CONN_EXPECT) ? NULL : c;
}

struct lvs_conn *lvs_conn_lookup_in(struct lvs_conn_table *t,
				    const struct lvs_conn_key *key)
{
	return not_expect(rhashtable_lookup(&t->in, key, in_params));
}

struct lvs_conn *lvs_conn_lookup_out(struct lvs_conn_table *t,
				     const struct lvs_conn_key *key)
{
	return rhashtable_lookup(&t->out, key, out_params);
}

struct lvs_conn *lvs_conn_lookup_expect(struct lvs_conn_table *t,
					const struct lvs_conn_key *key)
{
	struct lvs_conn *c = rhashtable_lookup(&t->in, key, in_params);

	return c && lvs_conn_has(c, LVS_CONN_EXPECT) ? c : NULL;
}

/*
 * Allocate an entry for a connection @in to port @rport of @dest (which
 * may be NULL in tests), or for @in of protocol 0 a template. Takes its
 * own reference to @dest and fails if @dest is being freed. A template
 * does not count among the destination's connections, but among its
 * templates (persistconns).
 */
struct lvs_conn *lvs_conn_alloc(const struct lvs_conn_key *in, __be16 rport,
				u8 fwd, struct lvs_dest *dest)
{
	struct mem_cgroup *memcg = dest ? dest->svc->ln->memcg : NULL;
	int flags = rport_flag(in, rport, dest);
	struct lvs_conn *c;

	if (WARN_ON_ONCE(flags < 0))
		return NULL;
	/*
	 * Charged to the namespace's memory cgroup (netns.c), not to the
	 * task a packet interrupted, if any.
	 */
	memcg = set_active_memcg(memcg);
	c = kmem_cache_zalloc(conn_cache, GFP_ATOMIC);
	set_active_memcg(memcg);
	if (!c)
		return NULL;
	if (dest && !(in->protocol ? lvs_dest_hold_conn(dest) :
				     refcount_inc_not_zero(&dest->refcnt))) {
		kmem_cache_free(conn_cache, c);
		return NULL;
	}
	if (!in->protocol) {
		refcount_set(&c->ctl, 1);
		if (dest)
			atomic_inc(&dest->persistconns);
	}
	atomic_set(&c->flags, flags);
	c->created = (u16)(jiffies / HZ);
	c->in = *in;
	c->fwd = fwd;
	c->dest = dest;
	spin_lock_init(&c->lock);
	return c;
}

static void conn_free(struct lvs_conn *c)
{
	struct lvs_conn *tpl;

	lvs_nfct_conn_free(c);
	tpl = lvs_conn_ftp(c) ? lvs_ftp_free(c->ftp) : c->tpl;
	if (tpl)
		lvs_conn_tpl_put(tpl);
	if (c->dest && !lvs_conn_is_tpl(c))
		lvs_dest_release_conn(c->dest,
				      lvs_proto_state_active(lvs_conn_proto(c),
							     c->state));
	else if (c->dest) {
		atomic_dec(&c->dest->persistconns);
		lvs_dest_put(c->dest);
	}
	kmem_cache_free(conn_cache, c);
}

/* A connection, freed from ordinary context: lvs_call_rcu_plain(). */
static void conn_free_rcu(struct rcu_head *head)
{
	conn_free(container_of(head, struct lvs_conn, rcu));
}

/* A template, whose last reference may go inside conn_free_rcu(). */
static void tpl_free_rcu(struct rcu_head *head)
{
	conn_free(container_of(head, struct lvs_conn, rcu));
	lvs_rcu_done();
}

/*
 * Drop a reference to template @tpl, freeing it after a grace period if
 * it was the last. A connection dropping its reference restarts the
 * template's timeout: persistence lasts that long after the client's
 * last connection ends.
 */
void lvs_conn_tpl_put(struct lvs_conn *tpl)
{
	if (tpl->dest)
		lvs_persist_touch(tpl);
	if (refcount_dec_and_test(&tpl->ctl))
		lvs_call_rcu(&tpl->rcu, tpl_free_rcu);
}

/*
 * May @c give its place to a new entry at @now? Only if nothing relies on
 * it yet: a template that places no connection, or a connection that
 * expired or carries no data (a TCP or SCTP handshake not completed or a
 * connection closed both ways, an FTP data connection announced but
 * unused: see evict_states; a UDP entry that is no stream: see
 * LVS_CONN_STREAM).
 */
static bool evictable(const struct lvs_conn *c, unsigned long now)
{
	const struct lvs_proto *pp = lvs_conn_proto(c);

	if (lvs_conn_has(c, LVS_CONN_DEAD))
		return false;
	if (!pp)
		return refcount_read(&c->ctl) == 1;
	if (lvs_conn_expired(c, now))
		return true;
	if (pp->active_states)
		return pp->evict_states & BIT(READ_ONCE(c->state));
	return !lvs_conn_has(c, LVS_CONN_STREAM);
}

/*
 * Unlink @c, chosen to make room, if it still may go. The state is read
 * again under the lock that state changes take, so that an entry whose
 * handshake completed since it was chosen stays.
 */
static bool evict_one(struct lvs_conn_table *t, struct lvs_conn *c,
		      unsigned long now)
{
	bool done = false;

	spin_lock_bh(&c->lock);
	if (evictable(c, now))
		done = lvs_conn_unlink(t, c);
	spin_unlock_bh(&c->lock);
	return done;
}

/*
 * Make room for @c, which is not in the table yet: unlink an evictable
 * entry (a template if @tpl) from the bucket @c's key hashes to or the
 * ones after it, an expired one first, else the oldest, so that a flood's
 * entries go before a real client's fresh handshake, which is only an
 * answer away from established. (Not the one that expires first: a
 * handshake's 60 s would go before a lone datagram's 300.) Looks at
 * EVICT_ENTRIES entries in EVICT_BUCKETS buckets at most, so a packet's
 * work stays bounded. Returns true if it unlinked one.
 */
static bool evict(struct lvs_conn_table *t, const struct lvs_conn *c,
		  bool tpl)
{
	unsigned int hash, i, seen = 0;
	struct lvs_conn *e, *victim = NULL;
	unsigned long now = jiffies;
	struct bucket_table *tbl;
	struct rhash_head *pos;
	bool done = false;

	rcu_read_lock();
	tbl = rht_dereference_rcu(t->in.tbl, &t->in);
	hash = rht_key_hashfn(&t->in, tbl, &c->in, in_params);
	for (i = 0; i < EVICT_BUCKETS && i < tbl->size; i++) {
		rht_for_each_entry_rcu(e, pos, tbl,
				       (hash + i) & (tbl->size - 1), in_node) {
			if (++seen > EVICT_ENTRIES)
				goto pick;
			if ((tpl && !lvs_conn_is_tpl(e)) || !evictable(e, now))
				continue;
			if (lvs_conn_due(e, now)) {
				victim = e;
				goto pick;
			}
			/*
			 * The oldest, to the second (and within 9 hours of
			 * each other, as created wraps): a new client's
			 * handshake goes last.
			 */
			if (!victim ||
			    (s16)(e->created - victim->created) < 0)
				victim = e;
		}
	}
pick:
	if (victim)
		done = evict_one(t, victim, now);
	rcu_read_unlock();
	if (done)
		atomic64_inc(&t->evicted);
	return done;
}

/* @c, counted and not inserted, goes: undo its counts. */
static void uncount(struct lvs_conn_table *t, const struct lvs_conn *c)
{
	if (lvs_conn_is_tpl(c))
		atomic_dec(&t->templates);
	atomic_dec(&t->count);
}

/*
 * Make @c visible. Returns @c, or the entry another CPU inserted first for
 * the same connection (then @c is freed), or an ERR_PTR (then @c is freed
 * too): -ENOSPC when the table is full and nothing could be evicted,
 * -EEXIST when the reply tuple belongs to another connection.
 *
 * Everything that unlinks entries (the packet path, flush, expiry) finds
 * them on the "in" side, so @c goes there last, once it is complete: until
 * then it is this function's alone, and only this function frees it. Once
 * it is on "in", only lvs_conn_unlink() does.
 */
struct lvs_conn *lvs_conn_insert(struct lvs_conn_table *t, struct lvs_conn *c)
{
	bool expect = lvs_conn_has(c, LVS_CONN_EXPECT);
	struct lvs_conn *old;

	if (atomic_inc_return(&t->count) > t->max && !evict(t, c, false)) {
		atomic_dec(&t->count);
		goto full;
	}
	if (lvs_conn_is_tpl(c) &&
	    atomic_inc_return(&t->templates) > t->tpl_max &&
	    !evict(t, c, true)) {
		uncount(t, c);
		goto full;
	}

	/* An expectation has no reply yet: the "in" side is all it needs. */
	if (!lvs_conn_is_tpl(c) && c->fwd == LVS_FWD_NAT && !expect) {
		struct lvs_conn_key out;

		lvs_conn_out_key(c, &out);
		old = rhashtable_lookup_get_insert_key(&t->out, &out,
						       &c->out_node,
						       out_params);
		if (old) {
			/*
			 * The same connection, which another CPU is entering
			 * or has entered, is adopted. Another connection's
			 * reply tuple, or a dying entry's, is a clash.
			 */
			if (!IS_ERR(old) &&
			    (memcmp(&old->in, &c->in, sizeof(c->in)) ||
			     lvs_conn_has(old, LVS_CONN_DEAD)))
				old = ERR_PTR(-EEXIST);
			/* Never visible: no grace period needed. */
			uncount(t, c);
			conn_free(c);
			return old;
		}
		lvs_conn_set(c, LVS_CONN_HASHED_OUT);
	}

	if (expect)
		atomic_inc(&t->expects);
	old = rhashtable_lookup_get_insert_fast(&t->in, &c->in_node,
						in_params);
	if (!old)
		return c;

	/* Another CPU entered the connection first (or an error). */
	if (expect)
		atomic_dec(&t->expects);
	uncount(t, c);
	if (!lvs_conn_has(c, LVS_CONN_HASHED_OUT)) {
		conn_free(c);
		return old;
	}
	/* Replies may have found it on the "out" side. */
	lvs_conn_set(c, LVS_CONN_DEAD);
	rhashtable_remove_fast(&t->out, &c->out_node, out_params);
	lvs_call_rcu_plain(&c->rcu, conn_free_rcu);
	return old;

full:
	atomic64_inc(&t->full_drops);
	conn_free(c);
	return ERR_PTR(-ENOSPC);
}

/*
 * Remove @c, found on the "in" side, from the table; it is freed after a
 * grace period. Of concurrent calls for one entry, the first does it and
 * returns true.
 */
bool lvs_conn_unlink(struct lvs_conn_table *t, struct lvs_conn *c)
{
	if (lvs_conn_test_set(c, LVS_CONN_DEAD))
		return false;
	rhashtable_remove_fast(&t->in, &c->in_node, in_params);
	if (lvs_conn_has(c, LVS_CONN_HASHED_OUT))
		rhashtable_remove_fast(&t->out, &c->out_node, out_params);
	if (lvs_conn_has(c, LVS_CONN_EXPECT))
		atomic_dec(&t->expects);
	uncount(t, c);
	if (!lvs_conn_is_tpl(c))
		lvs_call_rcu_plain(&c->rcu, conn_free_rcu);
	else
		lvs_conn_tpl_put(c);
	return true;
}

/*
 * Walks pause, so that others may run, at an entry they have not looked
 * at yet, and resume with it: rhashtable_walk_start() finds the place of
 * an entry still in the table. Paused after an entry that is unlinked,
 * the walk would resume counting its place from the top of the bucket and
 * skip the entries that moved up. Returns the entry to go on with: the
 * same one, or what followed it if another path unlinked it meanwhile.
 */
static struct lvs_conn *walk_pause(struct rhashtable_iter *iter)
{
	rhashtable_walk_stop(iter);
	cond_resched();
	rhashtable_walk_start(iter);
	return rhashtable_walk_peek(iter);
}

/*
 * Unlink every entry that @match accepts (every entry if @match is NULL).
 * Returns how many it unlinked.
 */
unsigned int lvs_conn_flush(struct lvs_conn_table *t,
			    bool (*match)(const struct lvs_conn *c,
					  const void *arg),
			    const void *arg)
{
	unsigned int n = 0, unlinked = 0;
	struct rhashtable_iter iter;
	struct lvs_conn *c;

	rhashtable_walk_enter(&t->in, &iter);
	rhashtable_walk_start(&iter);
	c = rhashtable_walk_peek(&iter);
	while (c) {
		if (!IS_ERR(c)) {	/* -EAGAIN: a resize, keep walking */
			if (++n % GC_SLICE == 0) {
				c = walk_pause(&iter);
				continue;
			}
			if (!match || match(c, arg)) {
				lvs_conn_unlink(t, c);
				unlinked++;
			}
		}
		c = rhashtable_walk_next(&iter);
	}
	rhashtable_walk_stop(&iter);
	rhashtable_walk_exit(&iter);
	return unlinked;
}

/*
 * Begin a walk of every entry (by the client's side) for a caller that
 * keeps its place between rhashtable_walk_start() and _stop() itself.
 */
void lvs_conn_walk_enter(struct lvs_conn_table *t, struct rhashtable_iter *iter)
{
	rhashtable_walk_enter(&t->in, iter);
}

/*
 * Examine up to @budget entries from where the last slice stopped and
 * unlink those expired at @now. Sets *@done at the end of a full pass.
 * Returns how many were unlinked. Callers serialise slices. A slice stops
 * at an entry it has not examined, and the next one starts with it (see
 * walk_pause()).
 */
unsigned int lvs_conn_gc_slice(struct lvs_conn_table *t, unsigned long now,
			       unsigned int budget, bool *done)
{
	unsigned int expired = 0;
	struct lvs_conn *c;

	rhashtable_walk_start(&t->gc_iter);
	c = rhashtable_walk_peek(&t->gc_iter);
	for (; c && budget; budget--) {
		if (!IS_ERR(c) && lvs_conn_due(c, now)) {
			lvs_conn_unlink(t, c);
			expired++;
		}
		c = rhashtable_walk_next(&t->gc_iter);
	}
	rhashtable_walk_stop(&t->gc_iter);

	*done = !c;
	if (*done) {
		/* Start the next pass from the top. */
		rhashtable_walk_exit(&t->gc_iter);
		rhashtable_walk_enter(&t->in, &t->gc_iter);
	}
	return expired;
}

static void conn_gc_work(struct work_struct *work)
{
	struct lvs_conn_table *t = container_of(to_delayed_work(work),
						struct lvs_conn_table,
						gc_work);
	bool done;

	lvs_conn_gc_slice(t, jiffies, GC_SLICE, &done);
	queue_delayed_work(system_power_efficient_wq, &t->gc_work,
			   done ? GC_INTERVAL : 1);
}

/*
 * Set up an empty table for at most @max entries. Each side starts with
 * @buckets hash buckets (rounded up to a power of two; 0 for the
 * rhashtable default) and never shrinks below that, so a table sized for
 * its load does not rehash as it fills and empties.
 */
int lvs_conn_table_init(struct lvs_conn_table *t, unsigned int max,
			unsigned int buckets)
{
	struct rhashtable_params in = in_params, out = out_params;
	int err;

	if (buckets > LVS_CONN_BUCKETS_MAX)
		return -EINVAL;
	in.min_size = buckets;
	out.min_size = buckets;
	memset(t, 0, sizeof(*t));
	t->max = max;
	t->tpl_max = max / 2 ?: 1;
	err = rhashtable_init(&t->in, &in);
	if (err)
		return err;
	err = rhashtable_init(&t->out, &out);
	if (err) {
		rhashtable_destroy(&t->in);
		return err;
	}
	rhashtable_walk_enter(&t->in, &t->gc_iter);
	INIT_DELAYED_WORK(&t->gc_work, conn_gc_work);
	return 0;
}

/* Begin periodic expiry; tests drive lvs_conn_gc_slice() by hand instead. */
void lvs_conn_gc_start(struct lvs_conn_table *t)
{
	t->gc_running = true;
	queue_delayed_work(system_power_efficient_wq, &t->gc_work,
			   GC_INTERVAL);
}

/*
 * Tear the table down. Nothing may look entries up or insert them any more
 * (the hooks are gone); entries are freed after a grace period, and with
 * them the references they hold. An entry left behind would keep its
 * destination and service forever.
 */
void lvs_conn_table_destroy(struct lvs_conn_table *t)
{
	if (t->gc_running)
		cancel_delayed_work_sync(&t->gc_work);
	rhashtable_walk_exit(&t->gc_iter);
	lvs_conn_flush(t, NULL, NULL);
	WARN_ON_ONCE(atomic_read(&t->count));
	rhashtable_destroy(&t->in);
	rhashtable_destroy(&t->out);
}

/* The buckets of a side of the table, now: what they cost is 8 bytes each. */
unsigned int lvs_conn_buckets(struct rhashtable *side)
{
	unsigned int size;

	rcu_read_lock();
	size = rht_dereference_rcu(side->tbl, side)->size;
	rcu_read_unlock();
	return size;
}

int lvs_conn_cache_init(void)
{
	conn_cache = KMEM_CACHE(lvs_conn, SLAB_ACCOUNT);
	return conn_cache ? 0 : -ENOMEM;
}

void lvs_conn_cache_exit(void)
{
	kmem_cache_destroy(conn_cache);
}
