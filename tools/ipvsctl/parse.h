/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Words of the command line to values, and values back to words.
 *
 * Pure functions: no output, no global state. On failure a parser returns
 * -1 and leaves in err (PARSE_ERR_MAX bytes) a message that quotes the
 * offending word and says what was expected; the value is then undefined.
 */
#ifndef IPVSCTL_PARSE_H
#define IPVSCTL_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

#define PARSE_ERR_MAX 256

/* An address and a port, as in "10.0.0.1:80" or "[2001:db8::1]:80". */
struct endpoint {
	int family;		/* AF_INET or AF_INET6 */
	union {
		struct in_addr v4;
		struct in6_addr v6;
	} addr;
	uint16_t port;		/* host order; 0: none */
};

int parse_uint(const char *word, unsigned long max, unsigned long *val);
int parse_proto(const char *word, uint8_t *proto, char *err);
int parse_endpoint(const char *word, bool port_optional, struct endpoint *ep,
		   char *err);
int parse_weight(const char *word, uint32_t *weight, char *err);
int parse_sched(const char *word, char *name, size_t size, char *err);
int parse_fwd(const char *word, uint8_t *fwd);
/* "on" or "off", the value of the keyword key. */
int parse_on_off(const char *key, const char *word, bool *val, char *err);
/* A prime from LVS_MH_TABLE_MIN to LVS_MH_TABLE_MAX. */
int parse_table_size(const char *word, uint32_t *size, char *err);
/* A connection count, 0 to UINT32_MAX. */
int parse_threshold(const char *word, uint32_t *val, char *err);

/* A firewall mark, 1 to UINT32_MAX. */
int parse_fwmark(const char *word, uint32_t *mark, char *err);
/* "inet" or "inet6". */
int parse_family(const char *word, int *family, char *err);
/* Seconds, 0 to LVS_PERSIST_MAX. */
int parse_persist(const char *word, uint32_t *secs, char *err);
/*
 * A prefix length for addresses of family, or for IPv4 a contiguous mask
 * such as 255.255.255.0.
 */
int parse_netmask(const char *word, int family, uint8_t *prefix, char *err);

/* NULL when the value has no name. */
const char *proto_name(uint8_t proto);
const char *fwd_name(uint8_t fwd);

const char *family_name(int family);
/* An IPv4 prefix as a mask (255.255.255.0), an IPv6 one as its length. */
void format_netmask(int family, uint8_t prefix, char *buf, size_t size);

/* 4 or 16, or 0 for another family. */
size_t family_addr_len(int family);
/* The address alone, without brackets; size INET6_ADDRSTRLEN is enough. */
void format_addr(const struct endpoint *ep, char *buf, size_t size);
/* The decimal digits of @v at @s, room for 10: the end of them. */
char *format_uint(char *s, unsigned int v);

#endif /* IPVSCTL_PARSE_H */
