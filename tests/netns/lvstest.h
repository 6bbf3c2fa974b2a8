/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What lvsreq and lvsresp share: the environment as the scenarios set it,
 * and the sha256 in hex that every answer carries.
 */
#ifndef LVSTEST_H
#define LVSTEST_H

#include <stdio.h>
#include <stdlib.h>
#include <openssl/sha.h>

#define HEX_LEN (2 * SHA256_DIGEST_LENGTH)

/* env_set: VAR is set and not empty, as the shell scripts test it. */
static inline int env_set(const char *var)
{
	const char *v = getenv(var);

	return v && *v;
}

/* sha256_hex: the sha256 of BUF as HEX_LEN hex digits and a NUL in HEX. */
static inline void sha256_hex(const unsigned char *buf, size_t len, char *hex)
{
	unsigned char md[SHA256_DIGEST_LENGTH];
	int i;

	SHA256(buf, len, md);
	for (i = 0; i < SHA256_DIGEST_LENGTH; i++)
		sprintf(hex + 2 * i, "%02x", md[i]);
}

#endif /* LVSTEST_H */
