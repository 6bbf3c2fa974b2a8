// SPDX-License-Identifier: GPL-2.0
/*
 * TCP sequence adjustment after a payload changed length.
 *
 * When the FTP helper rewrites a real server's passive-mode reply, the
 * text may get shorter or longer, and every later byte of that direction
 * moves: the sender's sequence numbers must be shifted on the way to the
 * client, and the client's acknowledgments (and SACK blocks) shifted back
 * on the way to the sender. Only the last change point is remembered, with
 * the offsets before and after it, so a retransmission of the changed
 * segment or of anything before it still maps right.
 */

#include <linux/tcp.h>
#include <net/checksum.h>
#include <net/tcp.h>

#include "kcompat.h"
#include "seqadj.h"

void lvs_seqadj_init(struct lvs_seqadj *a)
{
	memset(a, 0, sizeof(*a));
	spin_lock_init(&a->lock);
}

/*
 * The segment that starts at @seq (the sender's number) changed length by
 * @diff. A segment at or before the last recorded change is a
 * retransmission whose change is counted already.
 */
void lvs_seqadj_record(struct lvs_seqadj *a, u32 seq, s32 diff)
{
	spin_lock_bh(&a->lock);
	if (!a->changed || after(seq, a->p.pos)) {
		a->p.before = a->p.after;
		a->p.after += diff;
		a->p.pos = seq;
		a->changed = true;
	}
	spin_unlock_bh(&a->lock);
}

/* A consistent copy of the change point; false if nothing changed yet. */
static bool snapshot(struct lvs_seqadj *a, struct lvs_seqadj_pos *p)
{
	if (!READ_ONCE(a->changed))
		return false;
	spin_lock_bh(&a->lock);
	*p = a->p;
	spin_unlock_bh(&a->lock);
	return true;
}

static void replace(struct sk_buff *skb, struct tcphdr *th, __be32 *field,
		    u32 val)
{
	__be32 new = htonl(val);

	inet_proto_csum_replace4(&th->check, skb, *field, new, false);
	*field = new;
}

/* Shift the sequence number of a segment of the changed direction. */
int lvs_seqadj_sender(struct lvs_seqadj *a, struct sk_buff *skb,
		      unsigned int l4off)
{
	struct lvs_seqadj_pos p;
	struct tcphdr *th;

	if (!snapshot(a, &p))
		return 0;
	if (skb_ensure_writable(skb, l4off + sizeof(*th)))
		return -ENOMEM;
	th = (struct tcphdr *)(skb->data + l4off);
	replace(skb, th, &th->seq, lvs_seqadj_seq(&p, ntohl(th->seq)));
	return 0;
}

/* Shift back each edge of the SACK blocks in the options of @th. */
static void sack_adjust(struct sk_buff *skb, struct tcphdr *th,
			const struct lvs_seqadj_pos *p)
{
	u8 *opt = (u8 *)(th + 1), *end = (u8 *)th + th->doff * 4;
	unsigned int len, i;
	u32 old, new;

	while (opt < end) {
		if (*opt == TCPOPT_EOL)
			break;
		if (*opt == TCPOPT_NOP) {
			opt++;
			continue;
		}
		if (end - opt < 2 || opt[1] < 2 || opt[1] > end - opt)
			break;
		len = opt[1];
		if (*opt == TCPOPT_SACK && (len - 2) % 8 == 0) {
			for (i = 2; i < len; i += 4) {
				old = get_unaligned_be32(opt + i);
				new = lvs_seqadj_ack(p, old);
				inet_proto_csum_replace4(&th->check, skb,
							 htonl(old),
							 htonl(new), false);
				put_unaligned_be32(new, opt + i);
			}
		}
		opt += len;
	}
}

/* Shift back the acknowledgment and SACK blocks of a peer's segment. */
int lvs_seqadj_peer(struct lvs_seqadj *a, struct sk_buff *skb,
		    unsigned int l4off)
{
	struct lvs_seqadj_pos p;
	struct tcphdr _th, *th;

	if (!snapshot(a, &p))
		return 0;
	th = skb_header_pointer(skb, l4off, sizeof(_th), &_th);
	if (!th || !th->ack)
		return 0;
	if (th->doff < 5)
		return -EINVAL;
	if (skb_ensure_writable(skb, l4off + th->doff * 4))
		return -ENOMEM;
	th = (struct tcphdr *)(skb->data + l4off);
	replace(skb, th, &th->ack_seq, lvs_seqadj_ack(&p, ntohl(th->ack_seq)));
	sack_adjust(skb, th, &p);
	return 0;
}
