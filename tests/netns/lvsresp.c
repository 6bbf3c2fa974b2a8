// SPDX-License-Identifier: GPL-2.0
/*
 * lvsresp: the test servers' responder, one process for all requests.
 *
 * lvsresp [-1] [-e] [-b ADDR] tcp|udp|sctp PORT NAME
 *
 * Answers each TCP connection (once the client shuts down its write side)
 * or each UDP datagram with "NAME\nSHA256\n", the sha256 of what arrived,
 * so that the client can tell who served it and that the payload arrived
 * intact. With -e the request follows, so that the client can check the
 * way back too. Listens on ADDR (default: any IPv4 address; "::" is any
 * IPv6 one and IPv4 too); a UDP server bound to
 * a VIP answers from it whatever the route prefers (DR and TUN). A TCP
 * connection silent for 60 s is closed without an answer. Each TCP
 * connection is served by a child of its own, or with -1 one after the
 * other by this process: a benchmark of new connections (bench/forward)
 * would otherwise time the fork.
 *
 * SCTP has no half-close (a SHUTDOWN ends both directions), so an SCTP
 * request says how long it is: a line with its size N, then N bytes; the
 * answer is the same as over TCP, for those N bytes.
 */
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "lvstest.h"

#define IDLE_MS 60000
#define MAX_DGRAM 65536

static const char *name;
static int echo, sctp, serial;

/* header: "NAME\nSHA256\n" of BUF into HDR; its length. */
static int header(const unsigned char *buf, size_t len, char *hdr,
		  size_t hdrlen)
{
	char hex[HEX_LEN + 1];

	sha256_hex(buf, len, hex);
	return snprintf(hdr, hdrlen, "%s\n%s\n", name, hex);
}

static int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	ssize_t n;

	while (len) {
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
 * framed: for SCTP, once BUF (GOT bytes) holds the size line and that many
 * bytes, the request's offset into *OFF and its length; 0 before.
 */
static size_t framed(const unsigned char *buf, size_t got, size_t *off)
{
	const unsigned char *nl = memchr(buf, '\n', got);
	unsigned long size;
	char *end;

	if (!nl)
		return 0;
	size = strtoul((const char *)buf, &end, 10);
	if ((const unsigned char *)end != nl || got - (nl + 1 - buf) < size)
		return 0;
	*off = nl + 1 - buf;
	return size;
}

/*
 * serve_buf: one TCP connection or SCTP association, read into *bufp
 * (of *capp bytes, grown as needed) and answered.
 */
static int serve_buf(int fd, unsigned char **bufp, size_t *capp)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	size_t got = 0, off = 0, size = 0;
	char hdr[512];
	ssize_t n;
	int len;

	for (;;) {
		if (got == *capp) {
			unsigned char *p = realloc(*bufp, *capp * 2);

			if (!p)
				return 1;
			*bufp = p;
			*capp *= 2;
		}
		n = poll(&pfd, 1, IDLE_MS);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return 1;
		n = read(fd, *bufp + got, *capp - got);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return 1;
		}
		if (!n) {
			if (sctp)
				return 1;
			size = got;
			break;
		}
		got += n;
		if (sctp) {
			size = framed(*bufp, got, &off);
			if (size || (off && !size))
				break;
		}
	}
	len = header(*bufp + off, size, hdr, sizeof(hdr));
	if (write_all(fd, hdr, len) ||
	    (echo && write_all(fd, *bufp + off, size)))
		return 1;
	return 0;
}

/* serve: one TCP connection or SCTP association, then close it. */
static int serve(int fd)
{
	size_t cap = 65536;
	unsigned char *buf = malloc(cap);
	int rc = 1;

	if (buf)
		rc = serve_buf(fd, &buf, &cap);
	free(buf);
	close(fd);
	return rc;
}

static int tcp_loop(int sfd)
{
	int fd;

	if (listen(sfd, 128))
		return 1;
	/* Children reap themselves. */
	signal(SIGCHLD, SIG_IGN);
	for (;;) {
		fd = accept(sfd, NULL, NULL);
		if (fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			perror("lvsresp: accept");
			return 1;
		}
		if (serial) {
			serve(fd);
			continue;
		}
		switch (fork()) {
		case -1:
			perror("lvsresp: fork");
			break;
		case 0:
			close(sfd);
			_exit(serve(fd));
		}
		close(fd);
	}
}

static int udp_loop(int fd)
{
	static unsigned char buf[MAX_DGRAM + 512];
	struct sockaddr_storage peer;
	socklen_t plen;
	char hdr[512];
	ssize_t n;
	int len;

	for (;;) {
		plen = sizeof(peer);
		n = recvfrom(fd, buf, MAX_DGRAM, 0, (struct sockaddr *)&peer,
			     &plen);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			perror("lvsresp: recvfrom");
			return 1;
		}
		len = header(buf, n, hdr, sizeof(hdr));
		/* One datagram: the header, then the request if echoing. */
		if (echo) {
			memmove(buf + len, buf, n);
			memcpy(buf, hdr, len);
			sendto(fd, buf, len + n, 0, (struct sockaddr *)&peer,
			       plen);
		} else {
			sendto(fd, hdr, len, 0, (struct sockaddr *)&peer, plen);
		}
	}
}

static void die_usage(void)
{
	fprintf(stderr,
		"usage: lvsresp [-1] [-e] [-b ADDR] tcp|udp|sctp PORT NAME\n");
	exit(2);
}

int main(int argc, char **argv)
{
	struct addrinfo hints = {
		.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | AI_PASSIVE,
	};
	const char *addr = NULL;
	struct addrinfo *ai;
	int opt, udp, fd, one = 1;

	while ((opt = getopt(argc, argv, "1b:e")) != -1) {
		switch (opt) {
		case '1':
			serial = 1;
			break;
		case 'b':
			addr = optarg;
			break;
		case 'e':
			echo = 1;
			break;
		default:
			die_usage();
		}
	}
	if (argc - optind != 3)
		die_usage();
	udp = !strcmp(argv[optind], "udp");
	sctp = !strcmp(argv[optind], "sctp");
	if (!udp && !sctp && strcmp(argv[optind], "tcp"))
		die_usage();
	name = argv[optind + 2];
	if (strlen(name) > 256)
		die_usage();
	if (!addr)
		addr = "0.0.0.0";
	hints.ai_socktype = udp ? SOCK_DGRAM : SOCK_STREAM;
	if (getaddrinfo(addr, argv[optind + 1], &hints, &ai)) {
		fprintf(stderr, "lvsresp: bad address %s\n", addr);
		return 2;
	}
	fd = socket(ai->ai_family, ai->ai_socktype, sctp ? IPPROTO_SCTP : 0);
	if (fd < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(fd, ai->ai_addr, ai->ai_addrlen)) {
		perror("lvsresp");
		return 1;
	}
	freeaddrinfo(ai);
	return udp ? udp_loop(fd) : tcp_loop(fd);
}
