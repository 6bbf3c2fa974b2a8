/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LVS_FTP_PARSE_H
#define _LVS_FTP_PARSE_H

#include <linux/netfilter.h>
#include <linux/types.h>

/* What an FTP control line announces about a data connection. */
enum lvs_ftp_kind {
	LVS_FTP_NONE,
	LVS_FTP_PORT,	/* client: PORT h1,h2,h3,h4,p1,p2 (active) */
	LVS_FTP_EPRT,	/* client: EPRT |af|address|port| (active) */
	LVS_FTP_PASV,	/* server: 227 ... h1,h2,h3,h4,p1,p2 (passive) */
	LVS_FTP_EPSV,	/* server: 229 ... (|||port|) (passive) */
};

struct lvs_ftp_match {
	enum lvs_ftp_kind kind;
	u8 af;				/* of addr; 0 for EPSV: none given */
	union nf_inet_addr addr;
	__be16 port;
	/* Where the address and port text is, for PORT and PASV. */
	unsigned int start;
	unsigned int len;
};

/* Longest "h1,h2,h3,h4,p1,p2" text. */
#define LVS_FTP_HOSTPORT_MAX	sizeof("255,255,255,255,255,255")

bool lvs_ftp_parse(const char *data, unsigned int len, bool from_client,
		   struct lvs_ftp_match *m);
int lvs_ftp_hostport(char *buf, size_t size, __be32 addr, __be16 port);

#endif /* _LVS_FTP_PARSE_H */
