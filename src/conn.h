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
	/*
	 * With LVS_CONN_FTP, an FTP control connection's helper state
	 * (owned), which holds the template that placed it; else that
	 * template (a reference), or NULL. conn_free() lets both go.
	 */
	union {
		struct lvs_conn *tpl;
		struct lvs_ftp *ftp;
	};
	u32 expires;			/* see lvs_conn_stamp() */
	atomic_t flags;			/* BIT(LVS_CONN_*) */
	spinlock_t lock;		/* serialises state changes */
	u8 state;
	u8 fwd;
	u16 created;			/* seconds, low 16 bits: for eviction */
	union {
		/*
		 * NAT, with LVS_CONN_NFCT: the zone and id of the conntrack
		 * entry the entry last told where answers come from
		 * (nfct.c), to find and delete it when the entry is freed.
		 * Under lock.
		 */
		struct {
			struct nf_conntrack_zone ct_zone;
			u32 ct_id;
		};
		refcount_t ctl;		/* templates, which have no conntrack */
	};
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
	LVS_CONN_FTP,		/* an FTP control connection: ftp, not tpl */
	/*
	 * Where the real server's port comes from (lvs_conn_rport()): the
	 * client's destination port (a destination of port 0, an FTP
	 * passive data connection), or the one below the destination's
	 * (an FTP active data connection); with neither, the
	 * destination's port. Set before the entry is inserted.
	 */
	LVS_CONN_RPORT_VPORT,
	LVS_CONN_RPORT_BELOW,
	/*
	 * A datagram of a one-packet service: the next one of its tuple is
	 * scheduled afresh, and a NAT entry ends with its first answer.
	 */
	LVS_CONN_ONE_PACKET,
	/*
	 * A template one of whose connections was established or answered,
	 * as ip_vs marks it; shown only (/proc/net/ip_vs_conn's ASSURED).
	 */
	LVS_CONN_ASSURED,
};

static inline bool lvs_conn_has(const struct lvs_conn *c, unsigned int bit)
{
	return atomic_read(&c->flags) & BIT(bit);
}

/* As set_bit(): atomic, no ordering. */
static inline void lvs_conn_set(struct lvs_conn *c, unsigned int bit)
{
	atomic_or(BIT(bit), &c->flags);
}

/* As test_and_set_bit(): atomic and fully ordered. */
static inline bool lvs_conn_test_set(struct lvs_conn *c, unsigned int bit)
{
	return atomic_fetch_or(BIT(bit), &c->flags) & BIT(bit);
}

/*
 * Expiry times are kept in 32 bits: @j jiffies in units of
 * 2^LVS_EXPIRES_SHIFT jiffies, compared as signed differences, so that a
 * timeout may be up to 2^31 units, 99 days at HZ=1000. Where jiffies has
 * 32 bits it wraps where a shifted count would not, so there the unit is
 * one jiffy (and 24 days at HZ=1000 the longest timeout).
 */
#define LVS_EXPIRES_SHIFT	(BITS_PER_LONG == 64 ? 2 : 0)

static inline u32 lvs_conn_stamp(unsigned long j)
{
	return (u32)(j >> LVS_EXPIRES_SHIFT);
}

/* @c expires @timeout jiffies from now. Any context. */
static inline void lvs_conn_set_timeout(struct lvs_conn *c,
					unsigned long timeout)
{
	WRITE_ONCE(c->expires, lvs_conn_stamp(jiffies + timeout));
}

/* Jiffies until @c expires, or a negative number once it has. */
static inline long lvs_conn_left(const struct lvs_conn *c, unsigned long now)
{
	return (long)(s32)(READ_ONCE(c->expires) - lvs_conn_stamp(now)) *
	       (1L << LVS_EXPIRES_SHIFT);
}

/* @c's FTP helper state, if it is an FTP control connection. */
static inline struct lvs_ftp *lvs_conn_ftp(const struct lvs_conn *c)
{
	return lvs_conn_has(c, LVS_CONN_FTP) ? c->ftp : NULL;
}

/*
 * @c was established or answered: its template, if any, is assured. On a
 * state change only, never per packet.
 */
static inline void lvs_conn_assure_tpl(struct lvs_conn *c)
{
	struct lvs_conn *tpl = lvs_conn_ftp(c) ? NULL : c->tpl;

	if (tpl && !lvs_conn_has(tpl, LVS_CONN_ASSURED))
		lvs_conn_set(tpl, LVS_CONN_ASSURED);
}

/* Is @c a persistence template? */
static inline bool lvs_conn_is_tpl(const struct lvs_conn *c)
{
	return !c->in.protocol;
}

/* The protocol of @c's packets; NULL for a template. */
static inline const struct lvs_proto *lvs_conn_proto(const struct lvs_conn *c)
{
	return lvs_proto_find(c->in.protocol);
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
/* Entries on the "out" side: those whose replies pass the director. */
static inline unsigned int lvs_conn_out_count(const struct lvs_conn_table *t)
{
	return atomic_read(&t->out.nelems);
}

struct lvs_conn *lvs_conn_lookup_out(struct lvs_conn_table *t,
				     const struct lvs_conn_key *key);
struct lvs_conn *lvs_conn_lookup_expect(struct lvs_conn_table *t,
					const struct lvs_conn_key *key);

struct lvs_conn *lvs_conn_alloc(const struct lvs_conn_key *in, __be16 rport,
				u8 fwd, struct lvs_dest *dest);
__be16 lvs_conn_rport(const struct lvs_conn *c);
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
	return (s32)(lvs_conn_stamp(now) - READ_ONCE(c->expires)) >= 0;
}

/* Is @c due for removal at @now? A template not while it places any. */
static inline bool lvs_conn_due(const struct lvs_conn *c, unsigned long now)
{
	return lvs_conn_expired(c, now) &&
	       (!lvs_conn_is_tpl(c) || refcount_read(&c->ctl) == 1);
}

unsigned int lvs_conn_buckets(struct rhashtable *side);

/*
 * The table's size as IPVS reports it (its "size=" and GET_INFO): the
 * buckets of the client side, now.
 */
static inline unsigned int lvs_conn_tab_size(struct lvs_conn_table *t)
{
	return lvs_conn_buckets(&t->in);
}

int lvs_conn_cache_init(void);
void lvs_conn_cache_exit(void);

#endif /* _LVS_CONN_H */
