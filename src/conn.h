/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LVS_CONN_H
#define _LVS_CONN_H

#include <linux/refcount.h>
#include <linux/rhashtable.h>
#include <linux/workqueue.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_conntrack_zones_common.h>

#include "proto.h"

struct lvs_dest;
struct lvs_ftp;

/*
 * One direction of a connection, as it appears in packets. All padding is
 * zero so that the key can be hashed and compared as bytes.
 */
struct lvs_conn_key {
	union nf_inet_addr saddr;
	union nf_inet_addr daddr;
	__be16 sport;
	__be16 dport;
	u8 af;
	u8 protocol;
	u8 pad[2];
};

/*
 * A connection entry. It is reachable from the table's "in" side by the
 * client's packets and, when the reply passes the director (NAT), from the
 * "out" side by the real server's packets. The table owns the entry: it is
 * freed one RCU grace period after it leaves both sides, so the packet path
 * uses it under rcu_read_lock() without taking references.
 *
 * A persistence template (persist.c) is an entry too, with protocol 0 in
 * its key: it remembers which destination a client of a
 * persistent service goes to. The table holds a reference to it (ctl) and
 * so does each connection it placed (tpl), so it outlives its last
 * connection, which restarts its timeout.
 */
struct lvs_conn {
	struct rhash_head in_node;
	struct rhash_head out_node;
	struct lvs_conn_key in;		/* client -> virtual service */
	struct lvs_dest *dest;		/* reference held; NULL in tests */
	struct lvs_conn *tpl;		/* reference held, or NULL */
	struct lvs_ftp *ftp;		/* FTP control connections: owned */
	refcount_t ctl;			/* templates only */
	u32 created;			/* jiffies, low half: for eviction */
	unsigned long expires;		/* jiffies */
	unsigned long flags;
	spinlock_t lock;		/* serialises state changes */
	u8 state;
	u8 fwd;
	__be16 rport;			/* the real server's port */
	/*
	 * NAT, with LVS_CONN_NFCT: the zone and id of the conntrack entry
	 * the entry last told where answers come from (nfct.c), to find
	 * and delete it when the entry is freed. Under lock.
	 */
	struct nf_conntrack_zone ct_zone;
	u32 ct_id;
	struct rcu_head rcu;
};

/* Bits of lvs_conn.flags. */
enum {
	LVS_CONN_HASHED_OUT,	/* on the "out" side, before "in" */
	LVS_CONN_DEAD,		/* unlinked, waiting for RCU */
	LVS_CONN_EXPECT,	/* an FTP data connection, client port 0 */
	/*
	 * Of a protocol without an established state (UDP): the entry saw
	 * an answer (NAT only, where the director sees answers), and a
	 * client packet after its first one and after that answer: a
	 * stream, not a lone datagram. A full table keeps streams.
	 */
	LVS_CONN_ANSWERED,
	LVS_CONN_STREAM,
	LVS_CONN_NFCT,		/* told a conntrack entry: ct_zone, ct_id */
};

/* Is @c a persistence template? */
static inline bool lvs_conn_is_tpl(const struct lvs_conn *c)
{
	return !c->in.protocol;
}

/* The protocol of @c's packets; NULL for a template. */
static inline const struct lvs_proto *lvs_conn_proto(const struct lvs_conn *c)
{
	return lvs_proto_of(c->in.protocol);
}

struct lvs_conn_table {
	struct rhashtable in;
	struct rhashtable out;
	atomic_t count;
	atomic_t expects;	/* entries with LVS_CONN_EXPECT */
	atomic_t templates;	/* entries of protocol 0 */
	unsigned int max;
	unsigned int tpl_max;	/* templates, at most */
	atomic64_t full_drops;	/* new connections refused: table full */
	atomic64_t evicted;	/* entries removed to make room */
	/* Garbage collection walks the table a slice at a time. */
	struct rhashtable_iter gc_iter;
	struct delayed_work gc_work;
	bool gc_running;
};

/* rhashtable keeps its minimum size in a u16, as a power of two. */
#define LVS_CONN_BUCKETS_MAX	32768

int lvs_conn_table_init(struct lvs_conn_table *t, unsigned int max,
			unsigned int buckets);
void lvs_conn_table_destroy(struct lvs_conn_table *t);

struct lvs_conn *lvs_conn_lookup_in(struct lvs_conn_table *t,
				    const struct lvs_conn_key *key);
struct lvs_conn *lvs_conn_lookup_out(struct lvs_conn_table *t,
				     const struct lvs_conn_key *key);
struct lvs_conn *lvs_conn_lookup_expect(struct lvs_conn_table *t,
					const struct lvs_conn_key *key);

struct lvs_conn *lvs_conn_alloc(const struct lvs_conn_key *in, __be16 rport,
				u8 fwd, struct lvs_dest *dest);
void lvs_conn_out_key(const struct lvs_conn *c, struct lvs_conn_key *key);
struct lvs_conn *lvs_conn_insert(struct lvs_conn_table *t, struct lvs_conn *c);
bool lvs_conn_unlink(struct lvs_conn_table *t, struct lvs_conn *c);
unsigned int lvs_conn_flush(struct lvs_conn_table *t,
			    bool (*match)(const struct lvs_conn *c,
					  const void *arg),
			    const void *arg);
void lvs_conn_walk_enter(struct lvs_conn_table *t, struct rhashtable_iter *iter);
unsigned int lvs_conn_gc_slice(struct lvs_conn_table *t, unsigned long now,
			       unsigned int budget, bool *done);
void lvs_conn_gc_start(struct lvs_conn_table *t);

void lvs_conn_key_from_pkt(struct lvs_conn_key *key, const struct lvs_pkt *pkt);
void lvs_conn_tpl_put(struct lvs_conn *tpl);

static inline bool lvs_conn_expired(const struct lvs_conn *c,
				    unsigned long now)
{
	return time_after_eq(now, READ_ONCE(c->expires));
}

/* Is @c due for removal at @now? A template not while it places any. */
static inline bool lvs_conn_due(const struct lvs_conn *c, unsigned long now)
{
	return lvs_conn_expired(c, now) &&
	       (!lvs_conn_is_tpl(c) || refcount_read(&c->ctl) == 1);
}

unsigned int lvs_conn_buckets(struct rhashtable *side);
int lvs_conn_cache_init(void);
void lvs_conn_cache_exit(void);

#endif /* _LVS_CONN_H */
