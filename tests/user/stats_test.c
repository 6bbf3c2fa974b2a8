// SPDX-License-Identifier: GPL-2.0
/*
 * Test of the stats table (stats.c, table.c) without a kernel: three
 * services, built here as fetch.c would leave them, are sorted by several
 * keys and printed, and the text compared exactly: the columns, the
 * numbers of 10,000 and more in k, M, ... E, a service's connections as
 * the sum of its destinations', the order of services and of destinations
 * within each, ties in the listing's order, the reverse order; then lines
 * cut to a width, and on a terminal the sort column in reverse video,
 * escape sequences taking no width, each line clearing its rest.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "check.h"
#include "ipvsctl.h"
#include "stats.h"

static struct dest_info a_dests[2], b_dests[1];
static struct svc_info svcs[3];

static void addr(struct endpoint *ep, int family, const char *s,
		 uint16_t port)
{
	ep->family = family;
	if (inet_pton(family, s, &ep->addr) != 1)
		exit(2);
	ep->port = port;
}

static void rates(struct lvs_stats *st, uint64_t cps, uint64_t inpps,
		  uint64_t outpps, uint64_t inbps, uint64_t outbps)
{
	st->cps = cps;
	st->inpps = inpps;
	st->outpps = outpps;
	st->inbps = inbps;
	st->outbps = outbps;
}

static void dest(struct dest_info *d, int family, const char *a,
		 uint16_t port, uint8_t fwd, uint32_t active,
		 uint32_t inactive)
{
	addr(&d->rip, family, a, port);
	d->fwd = fwd;
	d->weight = 1;
	d->active_conns = active;
	d->inactive_conns = inactive;
}

/* Fresh each time: sorting moves the array's elements. */
static void build(struct svc_list *l)
{
	struct svc_info *s;

	memset(svcs, 0, sizeof(svcs));
	memset(a_dests, 0, sizeof(a_dests));
	memset(b_dests, 0, sizeof(b_dests));

	s = &svcs[0];
	s->spec.protocol = IPPROTO_TCP;
	addr(&s->spec.vip, AF_INET, "10.0.0.1", 80);
	strcpy(s->spec.sched, "rr");
	rates(&s->stats, 1, 5, 4, 12345, 9999);
	dest(&a_dests[0], AF_INET, "10.0.1.2", 8080, LVS_FWD_NAT, 3, 1);
	rates(&a_dests[0].stats, 0, 2, 2, 5000, 4000);
	dest(&a_dests[1], AF_INET, "10.0.1.3", 8080, LVS_FWD_NAT, 7, 0);
	rates(&a_dests[1].stats, 1, 3, 2, 7345, 5999);
	s->dests = a_dests;
	s->n_dests = 2;

	s = &svcs[1];
	s->spec.protocol = IPPROTO_UDP;
	addr(&s->spec.vip, AF_INET6, "2001:db8::1", 53);
	strcpy(s->spec.sched, "wrr");
	rates(&s->stats, 99950, 100, 999499, 999500, UINT64_MAX);
	dest(&b_dests[0], AF_INET6, "2001:db8::2", 53, LVS_FWD_TUN, 0,
	     12345);
	s->dests = b_dests;
	s->n_dests = 1;

	s = &svcs[2];
	s->spec.fwmark = 7;
	s->spec.vip.family = AF_INET;
	strcpy(s->spec.sched, "sh");

	l->svcs = svcs;
	l->n = 3;
}

/* The table of the list sorted by key, as "stats show" prints it. */
static char *table(enum stats_key key, bool reverse, unsigned int width,
		   bool tty)
{
	struct stats_order o = { .key = key, .reverse = reverse };
	struct svc_list l;
	size_t len = 0;
	char *buf = NULL;
	FILE *f;

	build(&l);
	f = open_memstream(&buf, &len);
	if (!f)
		exit(2);
	stats_sort(&l, &o);
	stats_table_head(f, &o, width, tty);
	stats_table_rows(f, &l, stats_table_count(&l), width, tty);
	fclose(f);
	return buf;
}

#define HEAD " CONN/S INPKT/S OUTPKT/S INBYTE/S OUTBYTE/S ACTIVE INACTIVE  SERVICE / DESTINATION\n"
#define ROW_A "      1       5        4    12.3k      9999     10        1  tcp 10.0.0.1:80 sched rr\n"
#define ROW_A1 "      0       2        2     5000      4000      3        1    -> 10.0.1.2:8080 nat weight 1\n"
#define ROW_A2 "      1       3        2     7345      5999      7        0    -> 10.0.1.3:8080 nat weight 1\n"
#define ROW_B "   100k     100     999k     1.0M     18.4E      0    12.3k  udp [2001:db8::1]:53 sched wrr\n"
#define ROW_B1 "      0       0        0        0         0      0    12.3k    -> [2001:db8::2]:53 tun weight 1\n"
#define ROW_C "      0       0        0        0         0      0        0  fwmark 7 sched sh\n"

static void test_orders(void)
{
	static const struct {
		enum stats_key key;
		bool reverse;
		const char *want;
		const char *what;
	} cases[] = {
		{ STATS_INPPS, false,
		  HEAD ROW_B ROW_B1 ROW_A ROW_A2 ROW_A1 ROW_C,
		  "by inpps, numbers in k, M, E, services and dests" },
		{ STATS_NAME, false,
		  HEAD ROW_A ROW_A1 ROW_A2 ROW_B ROW_B1 ROW_C,
		  "by name, the order of service list" },
		{ STATS_ACTIVE, false,
		  HEAD ROW_A ROW_A2 ROW_A1 ROW_B ROW_B1 ROW_C,
		  "by active, a service's the sum, ties by name" },
		{ STATS_INACTIVE, false,
		  HEAD ROW_B ROW_B1 ROW_A ROW_A1 ROW_A2 ROW_C,
		  "by inactive" },
		{ STATS_INPPS, true,
		  HEAD ROW_C ROW_A ROW_A1 ROW_A2 ROW_B ROW_B1,
		  "by inpps reversed, ties too" },
	};
	size_t i;
	char *t;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		t = table(cases[i].key, cases[i].reverse, 0, false);
		check_str(t, cases[i].want, "stats: %s", cases[i].what);
		free(t);
	}
}

static void test_terminal(void)
{
	const char *tty = " CONN/S INPKT/S \033[7mOUTP\033[m\033[K\n"
			  "   100k     100     \033[K\n";
	char *t;

	t = table(STATS_NAME, false, 33, false);
	check_str(t, " CONN/S INPKT/S OUTPKT/S INBYTE/S\n"
		  "      1       5        4    12.3k\n"
		  "      0       2        2     5000\n"
		  "      1       3        2     7345\n"
		  "   100k     100     999k     1.0M\n"
		  "      0       0        0        0\n"
		  "      0       0        0        0\n",
		  "stats: lines cut to 33 characters");
	free(t);
	t = table(STATS_OUTPPS, false, 20, true);
	check(t && !strncmp(t, tty, strlen(tty)),
	      "stats: on a terminal, the sort column in reverse video");
	free(t);
}

int main(void)
{
	test_orders();
	test_terminal();
	return check_exit();
}
