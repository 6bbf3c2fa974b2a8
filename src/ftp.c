// SPDX-License-Identifier: GPL-2.0
/*
 * The FTP helper: FTP through a NAT service.
 *
 * FTP moves files on data connections whose addresses travel inside the
 * control connection, so a NAT director has to read along. A NAT TCP
 * connection to a virtual port listed in the ftp_ports parameter (21 by
 * default) is a control connection, and:
 *
 *   PORT/EPRT  the client (active mode) names its own address and a port.
 *              The real server will connect from its control port - 1
 *              (20) to there; an entry for that connection goes in the
 *              table now, so the server's packets leave from VIP:20 and
 *              the client's answers reach the server. Only the client's
 *              own address is accepted: the director relays no bounce.
 *   227        the real server (passive mode) names its address and a
 *              port. The director puts the VIP in its place, and expects
 *              the client at VIP:port from some port not yet known.
 *   229        the same without an address (EPSV): only the expectation.
 *
 * An expectation is a table entry whose client port is 0 (the EXPECT
 * flag); the client's first SYN to the port finds it, becomes a connection
 * of its own to the same real server, and ends it. Either kind lasts
 * LVS_FTP_WAIT if unused. A control connection keeps the keys of the last
 * LVS_FTP_MAX_DATA it announced; a new one replaces the oldest if that is
 * still unused, so that one control connection cannot fill the table.
 *
 * Rewriting the 227 reply can change its length when the VIP's text is
 * shorter or longer than the real server's; seqadj.c then shifts the rest
 * of the connection's sequence numbers. Only lines complete in one segment
 * are read; a control segment that GRO merged with others is left alone.
 */

#include <linux/moduleparam.h>
#include <linux/slab.h>
#include <linux/tcp.h>

#include <uapi/linux/lvs.h>

#include "conn.h"
#include "dest.h"
#include "ftp.h"
#include "ftp_parse.h"
#include "mangle.h"
#include "netns.h"
#include "proto.h"
#include "seqadj.h"
#include "service.h"
#include "stats.h"

#define LVS_FTP_MAX_PORTS	8
#define LVS_FTP_WAIT		(60 * HZ)
#define LVS_FTP_MAX_DATA	4	/* unused data entries per control */

static unsigned short ftp_ports[LVS_FTP_MAX_PORTS] = { 21 };
static int ftp_nports = 1;
module_param_array(ftp_ports, ushort, &ftp_nports, 0444);
MODULE_PARM_DESC(ftp_ports,
		 "Virtual ports of FTP control connections (default 21; 0 for none)");

/* What the helper keeps per control connection. */
struct lvs_ftp {
	struct lvs_conn *tpl;		/* see lvs_ftp_hold_tpl() */
	struct lvs_seqadj reply;	/* the real server's direction */
	/*
	 * The "in" keys of the data entries it announced last, the oldest
	 * at @next (all zero: none); under the control connection's lock.
	 */
	struct lvs_conn_key data[LVS_FTP_MAX_DATA];
	unsigned int next;
};

/* Is a new connection to virtual port @vport an FTP control connection? */
static bool ftp_port(__be16 vport)
{
	int i;

	for (i = 0; i < ftp_nports; i++)
		if (ftp_ports[i] && htons(ftp_ports[i]) == vport)
			return true;
	return false;
}

/*
 * The helper state for a new connection of protocol @pp to @dest for
 * @pkt: NULL, and *@err 0, if it is no FTP control connection.
 */
struct lvs_ftp *lvs_ftp_alloc(const struct lvs_proto *pp,
			      const struct lvs_dest *dest,
			      const struct lvs_pkt *pkt, int *err)
{
	struct lvs_ftp *ftp;

	*err = 0;
	if (pp->protocol != IPPROTO_TCP || READ_ONCE(dest->fwd) != LVS_FWD_NAT ||
	    !ftp_port(pkt->dport))
		return NULL;
	ftp = kzalloc(sizeof(*ftp), GFP_ATOMIC);
	if (!ftp) {
		*err = -ENOMEM;
		return NULL;
	}
	lvs_seqadj_init(&ftp->reply);
	return ftp;
}

/*
 * @ftp keeps the connection's template reference @tpl (may be NULL), in
 * the entry's place: the entry holds @ftp instead (LVS_CONN_FTP).
 */
void lvs_ftp_hold_tpl(struct lvs_ftp *ftp, struct lvs_conn *tpl)
{
	ftp->tpl = tpl;
}

/* Free @ftp; returns the template reference it kept, for the caller. */
struct lvs_conn *lvs_ftp_free(struct lvs_ftp *ftp)
{
	struct lvs_conn *tpl = ftp->tpl;

	kfree(ftp);
	return tpl;
}

/*
 * Does the segment @pkt in @skb (sent by the client if @from_client)
 * announce a data connection? Then *@m says how, and *@off is where its
 * payload starts, which is made linear.
 */
static bool announces(struct sk_buff *skb, const struct lvs_pkt *pkt,
		      bool from_client, struct lvs_ftp_match *m,
		      unsigned int *off)
{
	struct tcphdr _th;
	const struct tcphdr *th;

	th = skb_header_pointer(skb, pkt->l4off, sizeof(_th), &_th);
	if (!th)
		return false;
	*off = pkt->l4off + th->doff * 4;
	if (*off >= skb->len || skb_linearize(skb))
		return false;
	return lvs_ftp_parse(skb->data + *off, skb->len - *off, from_client,
			     m);
}

/* A data connection counts like any other of the service. */
static void count_conn(struct lvs_dest *dest)
{
	lvs_stats_conn(dest->stats);
	lvs_stats_conn(dest->svc->stats);
}

/*
 * Control connection @c announced the new data entry @in: remember it,
 * and unlink the entry it announced LVS_FTP_MAX_DATA entries ago if no
 * packet has used that one yet (an expectation, or a connection still in
 * state 0). A key it remembers already (its entry went, and @in took its
 * place) is forgotten there, lest the new entry go as the old one's turn
 * comes.
 */
static void remember(struct lvs_net *ln, struct lvs_conn *c,
		     const struct lvs_conn_key *in)
{
	struct lvs_ftp *ftp = c->ftp;
	struct lvs_conn_key oldest;
	struct lvs_conn *d;
	unsigned int i;

	spin_lock(&c->lock);
	for (i = 0; i < LVS_FTP_MAX_DATA; i++)
		if (!memcmp(&ftp->data[i], in, sizeof(*in)))
			memset(&ftp->data[i], 0, sizeof(*in));
	oldest = ftp->data[ftp->next];
	ftp->data[ftp->next] = *in;
	ftp->next = (ftp->next + 1) % LVS_FTP_MAX_DATA;
	spin_unlock(&c->lock);
	if (!oldest.af)
		return;
	/* The ordinary lookup passes over expectations. */
	d = lvs_conn_lookup_expect(&ln->conns, &oldest) ?:
	    lvs_conn_lookup_in(&ln->conns, &oldest);
	if (!d)
		return;
	/* Under the lock of its state changes: a first packet keeps it. */
	spin_lock(&d->lock);
	if ((lvs_conn_has(d, LVS_CONN_EXPECT) || !d->state) &&
	    lvs_conn_unlink(&ln->conns, d))
		atomic64_inc(&ln->conns.evicted);
	spin_unlock(&d->lock);
}

/*
 * Enter connection @in to port @rport of the control connection @c's real
 * server.
 */
static struct lvs_conn *enter(struct lvs_net *ln, struct lvs_conn *c,
			      const struct lvs_conn_key *in, __be16 rport,
			      bool expect)
{
	struct lvs_conn *d, *old;

	d = lvs_conn_alloc(in, rport, LVS_FWD_NAT, c->dest);
	if (!d)
		return NULL;
	if (expect)
		lvs_conn_set(d, LVS_CONN_EXPECT);
	lvs_conn_set_timeout(d, LVS_FTP_WAIT);
	old = lvs_conn_insert(&ln->conns, d);
	if (IS_ERR(old))
		return NULL;
	if (old != d) {
		/* Announced again: give it the time again. */
		lvs_conn_set_timeout(old, LVS_FTP_WAIT);
		return old;
	}
	if (!expect)
		count_conn(c->dest);
	remember(ln, c, in);
	return d;
}

/* The key of a data connection from @cport of @c's client to @vport. */
static void data_key(const struct lvs_conn *c, __be16 cport, __be16 vport,
		     struct lvs_conn_key *in)
{
	*in = c->in;
	in->sport = cport;
	in->dport = vport;
}

static __be16 port_below(__be16 port)
{
	return htons(ntohs(port) - 1);
}

/*
 * A client's segment of control connection @c: give its acknowledgment
 * back the real server's numbers, and enter the data connection that a
 * PORT or EPRT command asks for.
 */
int lvs_ftp_in(struct lvs_net *ln, struct sk_buff *skb, struct lvs_conn *c,
	       const struct lvs_pkt *pkt)
{
	struct lvs_conn_key in;
	struct lvs_ftp_match m;
	unsigned int off;
	int err;

	err = lvs_seqadj_peer(&c->ftp->reply, skb, pkt->l4off);
	if (err)
		return err;
	if (!announces(skb, pkt, true, &m, &off))
		return 0;
	if (m.af != pkt->af || !nf_inet_addr_cmp(&m.addr, &c->in.saddr))
		return 0;
	data_key(c, m.port, port_below(c->in.dport), &in);
	enter(ln, c, &in, port_below(lvs_conn_rport(c)), false);
	return 0;
}

/* Put the VIP in the address of a 227 reply at @m. */
static int rewrite_227(struct sk_buff *skb, const struct lvs_pkt *pkt,
		       struct lvs_conn *c, unsigned int off,
		       const struct lvs_ftp_match *m)
{
	char text[LVS_FTP_HOSTPORT_MAX];
	const struct tcphdr *th;
	u32 seq;
	int len, err;

	len = lvs_ftp_hostport(text, sizeof(text), c->in.daddr.ip, m->port);
	if (len < 0)
		return len;
	th = (const struct tcphdr *)(skb->data + pkt->l4off);
	seq = ntohl(th->seq);
	err = lvs_tcp_mangle(skb, pkt->af, pkt->l4off, off + m->start, m->len,
			     text, len);
	if (err)
		return err;
	if (len != m->len)
		lvs_seqadj_record(&c->ftp->reply, seq, len - (int)m->len);
	return 0;
}

/*
 * A real server's segment of control connection @c, before its source
 * becomes the VIP: rewrite a 227 reply, expect the data connection that a
 * 227 or 229 reply announces, and shift the sequence number.
 */
int lvs_ftp_out(struct lvs_net *ln, struct sk_buff *skb, struct lvs_conn *c,
		const struct lvs_pkt *pkt)
{
	struct lvs_conn_key in;
	struct lvs_ftp_match m;
	unsigned int off;
	int err;

	if (announces(skb, pkt, false, &m, &off)) {
		if (m.kind == LVS_FTP_PASV) {
			if (pkt->af != AF_INET)
				goto adjust;
			if (nf_inet_addr_cmp(&m.addr, &c->dest->addr)) {
				err = rewrite_227(skb, pkt, c, off, &m);
				/* A merged (GSO) segment stays as it is. */
				if (err && err != -EINVAL)
					return err;
			} else if (!nf_inet_addr_cmp(&m.addr, &c->in.daddr)) {
				goto adjust;
			}
		}
		data_key(c, 0, m.port, &in);
		enter(ln, c, &in, m.port, true);
	}
adjust:
	return lvs_seqadj_sender(&c->ftp->reply, skb, pkt->l4off);
}

/*
 * The connection that the expectation for @pkt, a client's SYN whose key
 * the packet path made (@key), becomes; NULL if nothing expected it.
 */
struct lvs_conn *lvs_ftp_expected(struct lvs_net *ln,
				  const struct lvs_conn_key *key,
				  const struct lvs_pkt *pkt)
{
	struct lvs_conn_key in;
	struct lvs_conn *e, *c, *old;

	if (!atomic_read(&ln->conns.expects) ||
	    pkt->protocol != IPPROTO_TCP || !lvs_proto_tcp.may_create(pkt))
		return NULL;
	if (!pkt->sport)
		return NULL;
	in = *key;
	in.sport = 0;
	e = lvs_conn_lookup_expect(&ln->conns, &in);
	if (!e || lvs_conn_has(e, LVS_CONN_DEAD))
		return NULL;

	in.sport = pkt->sport;
	c = lvs_conn_alloc(&in, lvs_conn_rport(e), LVS_FWD_NAT, e->dest);
	if (!c)
		return NULL;
	lvs_conn_set_timeout(c, lvs_timeout(ln, &lvs_proto_tcp, 0));
	old = lvs_conn_insert(&ln->conns, c);
	if (IS_ERR(old))
		return NULL;
	if (old == c) {
		count_conn(c->dest);
		lvs_conn_unlink(&ln->conns, e);
	}
	return old;
}
