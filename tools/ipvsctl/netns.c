// SPDX-License-Identifier: GPL-2.0
/*
 * ipvsctl -n NETNS: talk to lvs in another network namespace, as "ip -n"
 * does. The namespace is entered once the command line (or every line of
 * a batch) has been checked, just before the netlink socket opens.
 * A name is looked up where "ip netns add" puts it; a word with a slash
 * in it is a path (/proc/PID/ns/net, a bind mount elsewhere).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ipvsctl.h"
#include "nl.h"

#define NETNS_RUN_DIR "/run/netns"

static int netns_enter(const char *name)
{
	char path[PATH_MAX];
	int fd, err;

	if (!*name || !strcmp(name, ".") || !strcmp(name, ".."))
		return usage_err("bad network namespace name \"%s\"", name);
	if (strchr(name, '/'))
		snprintf(path, sizeof(path), "%s", name);
	else if (snprintf(path, sizeof(path), "%s/%s", NETNS_RUN_DIR,
			  name) >= (int)sizeof(path))
		return usage_err("network namespace name too long");
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		errmsg("cannot open network namespace \"%s\": %s", name,
		       strerror(errno));
		return ST_ERROR;
	}
	err = setns(fd, CLONE_NEWNET) ? errno : 0;
	close(fd);
	if (err) {
		errmsg("cannot enter network namespace \"%s\": %s", name,
		       strerror(err));
		return ST_ERROR;
	}
	return ST_OK;
}

int ctx_connect(struct ctx *ctx)
{
	int status;

	if (ctx->netns) {
		status = netns_enter(ctx->netns);
		if (status)
			return status;
	}
	return lvs_nl_open(&ctx->nl);
}
