/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What lvsreq and lvsresp share: the sha256 in hex that every answer
 * carries.
 */
#ifndef LVSTEST_H
#define LVSTEST_H

#include <stdio.h>
#include <openssl/sha.h>

#define HEX_LEN (2 * SHA256_DIGEST_LENGTH)

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
