// SPDX-License-Identifier: GPL-2.0
/*
 * LD_PRELOAD shim for tests/user/run: any socket() call ends the process
 * with status 99. A command line that ipvsctl must refuse before talking
 * to the kernel thus fails its test if ipvsctl opens a socket first.
 */
#include <stdio.h>
#include <unistd.h>

int socket(int domain, int type, int protocol)
{
	fprintf(stderr, "nosocket: %s(%d, %d, %d) called\n", __func__, domain,
		type, protocol);
	_exit(99);
}
