// SPDX-License-Identifier: GPL-2.0
/*
 * lvsflood: flood a director with packets from many spoofed sources, to
 * fill its connection table or race its updates.
 *
 * lvsflood [-6] [-q] [-r RATE] [-n COUNT] [-t SECONDS] [-s SRC[/PREFIXLEN]]
 *          [-p SPORT_MIN-SPORT_MAX] syn|synack|ack|udp DST PORT
 *
 * Each packet is written whole, IP header included, to a raw socket
 * (IPPROTO_RAW, with IP_HDRINCL or IPV6_HDRINCL): the sources are ours to
 * choose, so none of them needs to exist. Sources come from
 * SRC/PREFIXLEN, source ports cycle over a range, one a packet, and
 * sequence numbers are random. With -q the sources are taken in order
 * instead: each address over the whole port range, then the next one, so
 * that the first (addresses x ports) packets are all of different
 * connections. Ends after COUNT packets, SECONDS or a SIGINT or SIGTERM,
 * printing "sent N packets in S.SSS s, E errors"; help() says the rest.
 *
 * ENOBUFS (a full queue on the way out, reported as IP_RECVERR asks) is
 * retried after a pause; any other failed send is counted and the packet
 * given up. Either way the flood goes on.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/ip6.h>
#include <netinet/tcp.h>
#include <netinet/udp.h>
#include <sys/random.h>
#include <sys/socket.h>

#define BATCH 64		/* packets per sendmmsg() */
#define PKT_MAX 64		/* IPv6 and TCP headers, or UDP and its data */
#define UDP_DATA 8		/* the packet's number, 64 bits big-endian */
#define ENOBUFS_PAUSE_NS 100000
#define PACE_WINDOW 0.02	/* seconds of packets a late sleep catches up */
#define TTL 64
#define WINDOW 64240
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Defaults, in ranges reserved for benchmarks (RFC 2544, RFC 5180). */
#define SRC4_DEFAULT "198.18.0.0/15"
#define SRC6_DEFAULT "2001:2::/48"

enum kind { K_SYN, K_SYNACK, K_ACK, K_UDP };

static const char *const kind_names[] = {
	[K_SYN] = "syn", [K_SYNACK] = "synack", [K_ACK] = "ack", [K_UDP] = "udp",
};

struct flood {
	int family;
	int alen;			/* address bytes: 4 or 16 */
	enum kind kind;
	unsigned char src[16];		/* the next source (-q) */
	unsigned char mask[16];		/* the host bits of the sources */
	int host_bits;
	int sequential;
	unsigned char dst[16];
	unsigned int sport, sport_min, sport_max;
	unsigned int dport;
	double rate;			/* packets/s, 0: no limit */
	unsigned long count;		/* 0: no limit */
	double seconds;			/* 0: no limit */
	double deadline;
	uint64_t seed;
	unsigned long number;		/* packets built so far */
};

struct tally {
	unsigned long sent, errors;
	int last_errno;
};

/* Set by SIGINT and SIGTERM; lock-free, so safe in a handler (C11). */
static atomic_int stop;

#define SYNOPSIS \
	"usage: lvsflood [-6] [-q] [-r RATE] [-n COUNT] [-t SECONDS]\n" \
	"                [-s SRC[/PREFIXLEN]] [-p SPORT_MIN-SPORT_MAX]\n" \
	"                syn|synack|ack|udp DST PORT\n"

static void __attribute__((noreturn)) usage(void)
{
	fputs(SYNOPSIS "Try lvsflood -h for more.\n", stderr);
	exit(2);
}

static void __attribute__((noreturn)) help(void)
{
	printf(SYNOPSIS
	       "\n"
	       "Send packets from spoofed sources to DST PORT through a raw socket.\n"
	       "  syn     TCP SYN\n"
	       "  synack  TCP SYN+ACK\n"
	       "  ack     TCP ACK, no data\n"
	       "  udp     UDP datagram of %d bytes\n"
	       "Options:\n"
	       "  -6  IPv6 (DST and SRC are IPv6 addresses)\n"
	       "  -q  sources in order: each address over the port range, then the\n"
	       "      next one (default: a random address in the prefix a packet)\n"
	       "  -r  at most RATE packets/s (default: as fast as possible)\n"
	       "  -n  stop after COUNT packets\n"
	       "  -t  stop after SECONDS seconds (-n, -t or both are needed)\n"
	       "  -s  sources (default " SRC4_DEFAULT ", -6 " SRC6_DEFAULT ");\n"
	       "      with PREFIXLEN of 30 or less (126 with -6) host parts of all\n"
	       "      zeros (and, IPv4, all ones) are skipped; -q starts at SRC\n"
	       "  -p  source ports, cycled one a packet (default 1024-65535)\n"
	       "Prints \"sent N packets in S.SSS s, E errors\" when done or stopped by\n"
	       "SIGINT or SIGTERM. Exit status: 0 done, 1 no packet could be sent,\n"
	       "2 bad arguments or no raw socket.\n", UDP_DATA);
	exit(0);
}

static void __attribute__((noreturn, format(printf, 1, 2)))
die(const char *fmt, ...)
{
	va_list ap;

	fputs("lvsflood: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

/* parse_ulong: ARG, a whole number in [MIN, MAX], for option WHAT. */
static unsigned long parse_ulong(const char *arg, unsigned long min,
				 unsigned long max, const char *what)
{
	unsigned long val;
	char *end;

	errno = 0;
	val = strtoul(arg, &end, 10);
	if (errno || end == arg || *end || arg[0] == '-' || val < min ||
	    val > max) {
		if (max == ULONG_MAX)
			die("bad %s \"%s\": want a whole number from %lu",
			    what, arg, min);
		die("bad %s \"%s\": want a whole number from %lu to %lu",
		    what, arg, min, max);
	}
	return val;
}

static double parse_positive(const char *arg, const char *what)
{
	double val;
	char *end;

	errno = 0;
	val = strtod(arg, &end);
	if (errno || end == arg || *end || !(val > 0) || val > 1e9)
		die("bad %s \"%s\": want a number above 0", what, arg);
	return val;
}

static void parse_ports(struct flood *f, const char *arg)
{
	char buf[32], *dash;

	if (snprintf(buf, sizeof(buf), "%s", arg) >= (int)sizeof(buf))
		die("bad source ports \"%s\": want MIN-MAX", arg);
	dash = strchr(buf, '-');
	if (dash)
		*dash = '\0';
	f->sport_min = parse_ulong(buf, 1, 65535, "source port");
	f->sport_max = dash ? parse_ulong(dash + 1, 1, 65535, "source port") :
		f->sport_min;
	if (f->sport_min > f->sport_max)
		die("bad source ports \"%s\": %u is above %u", arg,
		    f->sport_min, f->sport_max);
}

static void parse_addr(struct flood *f, const char *arg, unsigned char *addr,
		       const char *what)
{
	if (inet_pton(f->family, arg, addr) != 1)
		die("bad %s \"%s\": not an IPv%d address%s", what, arg,
		    f->family == AF_INET ? 4 : 6,
		    f->family == AF_INET ? " (IPv6 needs -6)" : "");
}

/* parse_src: SRC[/PREFIXLEN] into the first source and the host mask. */
static void parse_src(struct flood *f, const char *arg)
{
	char buf[INET6_ADDRSTRLEN + 8], *slash;
	int plen = f->alen * 8, i, bits;

	if (snprintf(buf, sizeof(buf), "%s", arg) >= (int)sizeof(buf))
		die("bad source \"%s\": want ADDRESS[/PREFIXLEN]", arg);
	slash = strchr(buf, '/');
	if (slash)
		*slash = '\0';
	parse_addr(f, buf, f->src, "source");
	if (slash)
		plen = parse_ulong(slash + 1, 0, f->alen * 8, "prefix length");
	f->host_bits = f->alen * 8 - plen;
	for (i = 0; i < f->alen; i++) {
		bits = plen - i * 8;
		if (bits >= 8)
			f->mask[i] = 0;
		else if (bits <= 0)
			f->mask[i] = 0xff;
		else
			f->mask[i] = 0xff >> bits;
	}
}

static enum kind parse_kind(const char *arg)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(kind_names); i++)
		if (!strcmp(arg, kind_names[i]))
			return i;
	die("unknown kind \"%s\": want syn, synack, ack or udp", arg);
}

static void parse_args(struct flood *f, int argc, char **argv)
{
	const char *src = NULL, *ports = "1024-65535";
	int opt;

	f->family = AF_INET;
	while ((opt = getopt(argc, argv, "6hqr:n:t:s:p:")) != -1) {
		switch (opt) {
		case '6':
			f->family = AF_INET6;
			break;
		case 'q':
			f->sequential = 1;
			break;
		case 'r':
			f->rate = parse_positive(optarg, "rate");
			break;
		case 'n':
			f->count = parse_ulong(optarg, 1, ULONG_MAX, "count");
			break;
		case 't':
			f->seconds = parse_positive(optarg, "seconds");
			break;
		case 's':
			src = optarg;
			break;
		case 'p':
			ports = optarg;
			break;
		case 'h':
			help();
		default:
			usage();
		}
	}
	if (argc - optind != 3)
		usage();
	if (!f->count && !f->seconds)
		die("no end given: want -n COUNT, -t SECONDS or both");
	f->alen = f->family == AF_INET ? 4 : 16;
	f->kind = parse_kind(argv[optind]);
	parse_addr(f, argv[optind + 1], f->dst, "destination");
	f->dport = parse_ulong(argv[optind + 2], 1, 65535, "port");
	parse_ports(f, ports);
	f->sport = f->sport_min;
	if (!src)
		src = f->family == AF_INET ? SRC4_DEFAULT : SRC6_DEFAULT;
	parse_src(f, src);
}

/* rnd: the next of the splitmix64 generator (Steele, Lea, Flood 2014). */
static uint64_t rnd(struct flood *f)
{
	uint64_t z = (f->seed += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/*
 * host_ok: whether ADDR's host part is usable as a source: neither all
 * zeros (the subnet, or IPv6's subnet-router anycast) nor, for IPv4, all
 * ones (the subnet's broadcast), unless the prefix leaves no other choice.
 */
static int host_ok(const struct flood *f, const unsigned char *addr)
{
	int i, zeros = 1, ones = 1;

	if (f->host_bits < 2)
		return 1;
	for (i = 0; i < f->alen; i++) {
		zeros &= !(addr[i] & f->mask[i]);
		ones &= (addr[i] & f->mask[i]) == f->mask[i];
	}
	return !zeros && !(ones && f->family == AF_INET);
}

/* src_step: F's sequential source plus one, wrapping within the prefix. */
static void src_step(struct flood *f)
{
	unsigned int h;
	int i;

	for (i = f->alen - 1; i >= 0 && f->mask[i]; i--) {
		h = (f->src[i] & f->mask[i]) + 1;
		f->src[i] = (f->src[i] & ~f->mask[i]) | (h & f->mask[i]);
		if (h & f->mask[i])
			break;
	}
}

/* next_src: the source address and port of the next packet. */
static void next_src(struct flood *f, unsigned char *addr,
		     unsigned int *port)
{
	uint64_t r = 0;
	int i;

	if (f->sequential) {
		while (!host_ok(f, f->src))
			src_step(f);
		memcpy(addr, f->src, f->alen);
	} else {
		do {
			for (i = 0; i < f->alen; i++) {
				if (!(i % 8))
					r = rnd(f);
				addr[i] = (f->src[i] & ~f->mask[i]) |
					  (r & f->mask[i]);
				r >>= 8;
			}
		} while (!host_ok(f, addr));
	}
	*port = f->sport;
	if (f->sport++ == f->sport_max) {
		f->sport = f->sport_min;
		if (f->sequential)
			src_step(f);
	}
}

/* csum_add: SUM plus LEN bytes of BUF as 16-bit big-endian words. */
static uint32_t csum_add(uint32_t sum, const void *buf, size_t len)
{
	const unsigned char *p = buf;

	for (; len > 1; p += 2, len -= 2)
		sum += p[0] << 8 | p[1];
	if (len)
		sum += p[0] << 8;
	return sum;
}

/* csum_fold: the Internet checksum (RFC 1071) of SUM, in host order. */
static uint16_t csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return ~sum & 0xffff;
}

/*
 * l4_csum: the TCP or UDP checksum of L4 (LEN bytes) from SRC: the IPv4
 * and the IPv6 pseudo-header add up the same, as the zero bytes are free.
 */
static uint16_t l4_csum(const struct flood *f, const unsigned char *src,
			int proto, const void *l4, size_t len)
{
	uint32_t sum;

	sum = csum_add(0, src, f->alen);
	sum = csum_add(sum, f->dst, f->alen);
	sum += proto + len;
	return csum_fold(csum_add(sum, l4, len));
}

static size_t build_tcp(struct flood *f, struct tcphdr *th,
			const unsigned char *src, unsigned int sport)
{
	memset(th, 0, sizeof(*th));
	th->source = htons(sport);
	th->dest = htons(f->dport);
	th->seq = htonl(rnd(f));
	if (f->kind != K_SYN)
		th->ack_seq = htonl(rnd(f));
	th->doff = sizeof(*th) / 4;
	th->syn = f->kind == K_SYN || f->kind == K_SYNACK;
	th->ack = f->kind == K_SYNACK || f->kind == K_ACK;
	th->window = htons(WINDOW);
	th->check = htons(l4_csum(f, src, IPPROTO_TCP, th, sizeof(*th)));
	return sizeof(*th);
}

static size_t build_udp(struct flood *f, struct udphdr *uh,
			const unsigned char *src, unsigned int sport)
{
	unsigned char *data = (unsigned char *)(uh + 1);
	size_t len = sizeof(*uh) + UDP_DATA;
	uint16_t sum;
	int i;

	uh->source = htons(sport);
	uh->dest = htons(f->dport);
	uh->len = htons(len);
	uh->check = 0;
	for (i = 0; i < UDP_DATA; i++)
		data[i] = f->number >> (8 * (UDP_DATA - 1 - i));
	sum = l4_csum(f, src, IPPROTO_UDP, uh, len);
	uh->check = htons(sum ? sum : 0xffff);
	return len;
}

/* build_l4: the next TCP or UDP header at L4, its source into SRC. */
static size_t build_l4(struct flood *f, void *l4, unsigned char *src)
{
	unsigned int sport;

	next_src(f, src, &sport);
	f->number++;
	if (f->kind == K_UDP)
		return build_udp(f, l4, src, sport);
	return build_tcp(f, l4, src, sport);
}

static size_t build_ip4(struct flood *f, unsigned char *pkt)
{
	struct iphdr *iph = (struct iphdr *)pkt;
	size_t len;

	len = build_l4(f, iph + 1, (unsigned char *)&iph->saddr);
	len += sizeof(*iph);
	iph->version = 4;
	iph->ihl = sizeof(*iph) / 4;
	iph->tos = 0;
	iph->tot_len = htons(len);
	iph->id = htons(f->number);
	iph->frag_off = htons(IP_DF);
	iph->ttl = TTL;
	iph->protocol = f->kind == K_UDP ? IPPROTO_UDP : IPPROTO_TCP;
	iph->check = 0;
	memcpy(&iph->daddr, f->dst, 4);
	iph->check = htons(csum_fold(csum_add(0, iph, sizeof(*iph))));
	return len;
}

static size_t build_ip6(struct flood *f, unsigned char *pkt)
{
	struct ip6_hdr *ip6 = (struct ip6_hdr *)pkt;
	size_t len;

	len = build_l4(f, ip6 + 1, (unsigned char *)&ip6->ip6_src);
	ip6->ip6_flow = htonl(6 << 28);
	ip6->ip6_plen = htons(len);
	ip6->ip6_nxt = f->kind == K_UDP ? IPPROTO_UDP : IPPROTO_TCP;
	ip6->ip6_hlim = TTL;
	memcpy(&ip6->ip6_dst, f->dst, 16);
	return len + sizeof(*ip6);
}

static size_t build_packet(struct flood *f, unsigned char *pkt)
{
	return f->family == AF_INET ? build_ip4(f, pkt) : build_ip6(f, pkt);
}

static int open_raw(const struct flood *f)
{
	int fd, on = 1, v4 = f->family == AF_INET;

	fd = socket(f->family, SOCK_RAW, IPPROTO_RAW);
	if (fd < 0)
		die("raw socket: %s (needs CAP_NET_RAW)", strerror(errno));
	if (setsockopt(fd, v4 ? IPPROTO_IP : IPPROTO_IPV6,
		       v4 ? IP_HDRINCL : IPV6_HDRINCL, &on, sizeof(on)))
		die("%s: %s", v4 ? "IP_HDRINCL" : "IPV6_HDRINCL",
		    strerror(errno));
	/* Without it, the kernel drops on ENOBUFS and reports success. */
	if (setsockopt(fd, v4 ? IPPROTO_IP : IPPROTO_IPV6,
		       v4 ? IP_RECVERR : IPV6_RECVERR, &on, sizeof(on)))
		die("%s: %s", v4 ? "IP_RECVERR" : "IPV6_RECVERR",
		    strerror(errno));
	return fd;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void pause_for(double seconds)
{
	struct timespec ts;

	ts.tv_sec = seconds;
	ts.tv_nsec = (seconds - ts.tv_sec) * 1e9;
	nanosleep(&ts, NULL);
}

static int over(const struct flood *f)
{
	return stop || (f->seconds && now() >= f->deadline);
}

/*
 * send_batch: send the N packets of MSGS; how many were dealt with, sent
 * or given up (fewer only when stopped or out of time).
 */
static unsigned int send_batch(const struct flood *f, int fd,
			       struct mmsghdr *msgs, unsigned int n,
			       struct tally *t)
{
	unsigned int i = 0;
	int rc;

	while (i < n) {
		rc = sendmmsg(fd, msgs + i, n - i, 0);
		if (rc > 0) {
			i += rc;
			t->sent += rc;
			continue;
		}
		if (rc < 0 && errno != EINTR) {
			t->errors++;
			t->last_errno = errno;
			if (errno == ENOBUFS || errno == EAGAIN)
				pause_for(ENOBUFS_PAUSE_NS / 1e9);
			else
				i++;
		}
		if (over(f))
			break;
	}
	return i;
}

/*
 * The pace: a token bucket of RATE tokens a second. It holds PACE_WINDOW
 * of packets, and at least two: a sleep that overshoots (by milliseconds
 * under TCG) is made up for by the packets after it, but a stall longer
 * than that does not turn into a burst.
 */
struct pace {
	double rate, tokens, burst, last;
};

static void pace_init(struct pace *p, double rate)
{
	p->rate = rate;
	p->burst = rate * PACE_WINDOW;
	if (p->burst < 2)
		p->burst = 2;
	p->tokens = 1;
	p->last = now();
}

/*
 * pace_take: up to WANT packets that may go now; if none, wait for the
 * next, or for F's deadline if that comes first.
 */
static unsigned int pace_take(struct pace *p, const struct flood *f,
			      unsigned int want)
{
	double t = now(), wait;

	p->tokens += (t - p->last) * p->rate;
	p->last = t;
	if (p->tokens > p->burst)
		p->tokens = p->burst;
	if (p->tokens < 1) {
		wait = (1 - p->tokens) / p->rate;
		if (f->seconds && t + wait > f->deadline)
			wait = f->deadline - t;
		pause_for(wait);
		return 0;
	}
	if (want > p->tokens)
		want = p->tokens;
	p->tokens -= want;
	return want;
}

static void on_signal(int sig)
{
	stop = 1;
}

static void catch_signals(void)
{
	struct sigaction sa = { .sa_handler = on_signal };

	/* No SA_RESTART: a send blocked on a full socket must give up. */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

/* flood: send until COUNT packets, the deadline or a signal. */
static void flood(struct flood *f, int fd, struct tally *t)
{
	static unsigned char pkts[BATCH][PKT_MAX]
		__attribute__((aligned(8)));
	struct sockaddr_storage to = { .ss_family = f->family };
	struct mmsghdr msgs[BATCH];
	struct iovec iov[BATCH];
	unsigned long done = 0;
	unsigned int i, n;
	struct pace pace;

	if (f->family == AF_INET)
		memcpy(&((struct sockaddr_in *)&to)->sin_addr, f->dst, 4);
	else
		memcpy(&((struct sockaddr_in6 *)&to)->sin6_addr, f->dst, 16);
	memset(msgs, 0, sizeof(msgs));
	for (i = 0; i < BATCH; i++) {
		iov[i].iov_base = pkts[i];
		msgs[i].msg_hdr.msg_name = &to;
		msgs[i].msg_hdr.msg_namelen = f->family == AF_INET ?
			sizeof(struct sockaddr_in) : sizeof(struct sockaddr_in6);
		msgs[i].msg_hdr.msg_iov = &iov[i];
		msgs[i].msg_hdr.msg_iovlen = 1;
	}
	pace_init(&pace, f->rate);
	while (!over(f) && (!f->count || done < f->count)) {
		n = BATCH;
		if (f->count && f->count - done < n)
			n = f->count - done;
		if (f->rate)
			n = pace_take(&pace, f, n);
		for (i = 0; i < n; i++)
			iov[i].iov_len = build_packet(f, pkts[i]);
		done += send_batch(f, fd, msgs, n, t);
	}
}

int main(int argc, char **argv)
{
	struct flood f = { 0 };
	struct tally t = { 0 };
	double start, secs;
	int fd;

	parse_args(&f, argc, argv);
	if (getrandom(&f.seed, sizeof(f.seed), 0) != sizeof(f.seed))
		die("getrandom: %s", strerror(errno));
	fd = open_raw(&f);
	catch_signals();
	start = now();
	f.deadline = start + f.seconds;
	flood(&f, fd, &t);
	secs = now() - start;
	printf("sent %lu packets in %.3f s, %lu errors\n", t.sent, secs,
	       t.errors);
	fflush(stdout);
	if (t.errors)
		fprintf(stderr, "lvsflood: %lu sends failed, the last: %s\n",
			t.errors, strerror(t.last_errno));
	close(fd);
	return t.errors && !t.sent;
}
