// SPDX-License-Identifier: GPL-2.0
/*
 * lvsreq: lib.sh's request() and alternates() in one process.
 *
 * lvsreq [-e] [-n COUNT] [-a [-f FIRST]] [-b SADDR]... [-p SPORT]
 *        tcp|udp|sctp ADDR PORT SIZE
 *
 * Each request is SIZE random bytes, over one TCP connection (write side
 * shut down after it, the answer read until EOF, 30 s of silence allowed)
 * or in one UDP datagram (its answer awaited for 10 s). Over SCTP, which
 * has no half-close, the request is framed as lvsresp expects ("SIZE\n"
 * first) and the answer read until the server closes. The answer is
 * "NAME\nSHA256\n", followed by the request itself with -e, whose sha256
 * must match as well. Prints "NAME ok" or "NAME bad"
 * ("none bad" without an answer) per request.
 *
 * With -a, prints nothing on success and checks that the answers are all
 * ok and alternate between rs1 and rs2, the first from FIRST if given; at
 * the first one that is not, stops and prints "I\tGOT\tWANT" and exits 1.
 * With -b, every request goes from source address SADDR; with -p, from
 * source port SPORT. Given more than once (up to MAX_SADDRS), -b makes
 * COUNT requests from each SADDR in turn, in the order given: one process
 * for many clients.
 *
 * PORT may be a comma-separated list of ports (at most MAX_PORTS): the
 * requests go to each in turn, one per port unless -n says how many, so
 * that a scenario asks several ports in one process.
 */
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/random.h>
#include <sys/socket.h>

#include "lvstest.h"

#define TCP_IDLE_MS 30000
#define UDP_WAIT_MS 10000
#define MAX_DGRAM 65536
#define MAX_PORTS 16
#define MAX_SADDRS 32

static int fill_random(unsigned char *buf, size_t len)
{
	size_t off = 0;
	ssize_t n;

	while (off < len) {
		n = getrandom(buf + off, len - off, 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		off += n;
	}
	return 0;
}

/* wait_fd: 1 when FD is ready for EVENTS, 0 after MS of nothing. */
static int wait_fd(int fd, short events, int ms)
{
	struct pollfd pfd = { .fd = fd, .events = events };
	int rc;

	do {
		rc = poll(&pfd, 1, ms);
	} while (rc < 0 && errno == EINTR);
	return rc > 0;
}

/*
 * bind_local: bind FD, of family AF and TYPE, to source address SADDR (any
 * if NULL) and port SPORT (any if NULL).
 */
static int bind_local(int fd, int af, int type, const char *saddr,
		      const char *sport)
{
	struct addrinfo hints = {
		.ai_family = af,
		.ai_socktype = type,
		.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | AI_PASSIVE,
	};
	struct addrinfo *ai;
	int rc, one = 1;

	if (getaddrinfo(saddr, sport ? sport : "0", &hints, &ai))
		return -1;
	rc = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
		bind(fd, ai->ai_addr, ai->ai_addrlen);
	freeaddrinfo(ai);
	return rc ? -1 : 0;
}

/*
 * connect_to: a socket of TYPE connected to ADDR PORT, from source address
 * SADDR and port SPORT where set.
 */
static int connect_to(const char *addr, const char *port, int type,
		      int protocol, const char *saddr, const char *sport)
{
	struct addrinfo hints = {
		.ai_socktype = type,
		.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV,
	};
	struct addrinfo *ai;
	int fd;

	if (getaddrinfo(addr, port, &hints, &ai))
		return -1;
	fd = socket(ai->ai_family, ai->ai_socktype, protocol);
	if (fd >= 0 &&
	    (((saddr || sport) &&
	      bind_local(fd, ai->ai_family, type, saddr, sport)) ||
	     connect(fd, ai->ai_addr, ai->ai_addrlen))) {
		close(fd);
		fd = -1;
	}
	freeaddrinfo(ai);
	return fd;
}

/* send_all: write LEN bytes of BUF to FD, waiting at most TCP_IDLE_MS. */
static int send_all(int fd, const void *buf, size_t len)
{
	const unsigned char *p = buf;
	ssize_t n;

	while (len) {
		if (!wait_fd(fd, POLLOUT, TCP_IDLE_MS))
			return -1;
		n = write(fd, p, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= n;
	}
	return 0;
}

/*
 * stream_exchange: send REQ (over SCTP after its size line, over TCP then
 * shut down), then read the answer into RESP until EOF.
 */
static ssize_t stream_exchange(int fd, int sctp, const unsigned char *req,
			       size_t len, unsigned char **resp, size_t *cap)
{
	size_t got = 0;
	char line[32];
	ssize_t n;
	int hdr;

	hdr = snprintf(line, sizeof(line), "%zu\n", len);
	if (sctp && send_all(fd, line, hdr))
		return -1;
	if (send_all(fd, req, len) || (!sctp && shutdown(fd, SHUT_WR)))
		return -1;
	for (;;) {
		if (got == *cap) {
			unsigned char *p = realloc(*resp, *cap * 2);

			if (!p)
				return -1;
			*resp = p;
			*cap *= 2;
		}
		if (!wait_fd(fd, POLLIN, TCP_IDLE_MS))
			return -1;
		n = read(fd, *resp + got, *cap - got);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (!n)
			return got;
		got += n;
	}
}

static ssize_t udp_exchange(int fd, const unsigned char *req, size_t len,
			    unsigned char *resp)
{
	if (send(fd, req, len, 0) != (ssize_t)len)
		return -1;
	if (!wait_fd(fd, POLLIN, UDP_WAIT_MS))
		return -1;
	return recv(fd, resp, MAX_DGRAM, 0);
}

/*
 * verdict: write "NAME ok|bad" for answer RESP (LEN bytes, -1 for none) to
 * the request of sha256 SUM into OUT.
 */
static void verdict(const unsigned char *resp, ssize_t len, const char *sum,
		    int echo, char *out, size_t outlen)
{
	const unsigned char *nl1, *nl2, *end = resp + (len > 0 ? len : 0);
	char back[HEX_LEN + 1];
	int namelen, ok;

	nl1 = len > 0 ? memchr(resp, '\n', len) : NULL;
	if (!nl1 || nl1 == resp) {
		snprintf(out, outlen, "none bad");
		return;
	}
	namelen = nl1 - resp;
	nl2 = memchr(nl1 + 1, '\n', end - nl1 - 1);
	ok = nl2 && nl2 - nl1 - 1 == HEX_LEN &&
		!memcmp(nl1 + 1, sum, HEX_LEN);
	if (ok && echo) {
		sha256_hex(nl2 + 1, end - nl2 - 1, back);
		ok = !strcmp(back, sum);
	}
	snprintf(out, outlen, "%.*s %s", namelen, resp, ok ? "ok" : "bad");
}

static void die_usage(void)
{
	fprintf(stderr,
		"usage: lvsreq [-e] [-n COUNT] [-a [-f FIRST]] [-b SADDR]... [-p SPORT]\n"
		"              tcp|udp|sctp ADDR PORT[,PORT]... SIZE\n");
	exit(2);
}

int main(int argc, char **argv)
{
	const char *first = NULL, *saddrs[MAX_SADDRS] = { NULL }, *sport = NULL;
	const char *proto, *addr, *ports[MAX_PORTS];
	char *port;
	int echo = 0, alt = 0, udp, sctp, fd, opt, nports = 0, has_count = 0;
	unsigned char *req, *resp;
	char sum[HEX_LEN + 1], got[256], want[256] = "";
	size_t size, cap = MAX_DGRAM;
	long count = 1, i, total;
	int nsaddr = 0;
	ssize_t len;

	while ((opt = getopt(argc, argv, "ab:ef:n:p:")) != -1) {
		switch (opt) {
		case 'a':
			alt = 1;
			break;
		case 'b':
			if (nsaddr == MAX_SADDRS)
				die_usage();
			saddrs[nsaddr++] = optarg;
			break;
		case 'e':
			echo = 1;
			break;
		case 'f':
			first = optarg;
			break;
		case 'n':
			count = strtol(optarg, NULL, 10);
			has_count = 1;
			break;
		case 'p':
			sport = optarg;
			break;
		default:
			die_usage();
		}
	}
	if (argc - optind != 4)
		die_usage();
	proto = argv[optind];
	addr = argv[optind + 1];
	for (port = strtok(argv[optind + 2], ","); port;
	     port = strtok(NULL, ",")) {
		if (nports == MAX_PORTS)
			die_usage();
		ports[nports++] = port;
	}
	if (!nports)
		die_usage();
	if (!has_count)
		count = nports;
	size = strtoul(argv[optind + 3], NULL, 10);
	udp = !strcmp(proto, "udp");
	sctp = !strcmp(proto, "sctp");
	if (!udp && !sctp && strcmp(proto, "tcp"))
		die_usage();
	if (udp && size > MAX_DGRAM)
		die_usage();
	if (first)
		snprintf(want, sizeof(want), "%s ok", first);

	req = malloc(size ? size : 1);
	resp = malloc(cap);
	if (!req || !resp) {
		perror("lvsreq");
		return 2;
	}
	/* Without -b, one round from no source address in particular. */
	total = count * (nsaddr ? nsaddr : 1);
	for (i = 1; i <= total; i++) {
		if (fill_random(req, size)) {
			perror("lvsreq: getrandom");
			return 2;
		}
		sha256_hex(req, size, sum);
		fd = connect_to(addr, ports[(i - 1) % nports],
				udp ? SOCK_DGRAM : SOCK_STREAM,
				sctp ? IPPROTO_SCTP : 0,
				saddrs[(i - 1) / count], sport);
		len = -1;
		if (fd >= 0) {
			if (udp)
				len = udp_exchange(fd, req, size, resp);
			else
				len = stream_exchange(fd, sctp, req, size,
						      &resp, &cap);
			close(fd);
		}
		verdict(resp, len, sum, echo, got, sizeof(got));
		if (!alt) {
			printf("%s\n", got);
			continue;
		}
		if ((strcmp(got, "rs1 ok") && strcmp(got, "rs2 ok")) ||
		    (want[0] && strcmp(got, want))) {
			printf("%ld\t%s\t%s\n", i, got,
			       want[0] ? want : "rs1 ok or rs2 ok");
			return 1;
		}
		snprintf(want, sizeof(want), "%s ok",
			 strcmp(got, "rs1 ok") ? "rs1" : "rs2");
	}
	return 0;
}
