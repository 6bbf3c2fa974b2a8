/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LVS_SEQADJ_H
#define _LVS_SEQADJ_H

#include <linux/skbuff.h>
#include <linux/spinlock.h>

/*
 * Where one direction of a TCP connection had its payload length changed,
 * so that sequence numbers after that point are off by @after and those
 * up to it by @before (the offset of the change before).
 */
struct lvs_seqadj_pos {
	u32 pos;	/* first sequence number of the last changed segment */
	s32 before;
	s32 after;
};

struct lvs_seqadj {
	spinlock_t lock;		/* serialises changes to @p; BH-safe */
	struct lvs_seqadj_pos p;
	bool changed;
};

void lvs_seqadj_init(struct lvs_seqadj *a);
void lvs_seqadj_record(struct lvs_seqadj *a, u32 seq, s32 diff);
int lvs_seqadj_sender(struct lvs_seqadj *a, struct sk_buff *skb,
		      unsigned int l4off);
int lvs_seqadj_peer(struct lvs_seqadj *a, struct sk_buff *skb,
		    unsigned int l4off);

/* A sequence number @seq of the changed direction as the peer sees it. */
static inline u32 lvs_seqadj_seq(const struct lvs_seqadj_pos *p, u32 seq)
{
	return seq + ((s32)(seq - p->pos) > 0 ? p->after : p->before);
}

/* An acknowledgment @ack the peer sent, back in the sender's numbers. */
static inline u32 lvs_seqadj_ack(const struct lvs_seqadj_pos *p, u32 ack)
{
	return ack - ((s32)(ack - p->before - p->pos) > 0 ? p->after :
							     p->before);
}

#endif /* _LVS_SEQADJ_H */
