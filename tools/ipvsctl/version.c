// SPDX-License-Identifier: GPL-2.0
/*
 * ipvsctl -V: the release of ipvsctl and that of the lvs module the
 * running kernel has loaded. Both come from the project's VERSION file:
 * ipvsctl's through the Makefile (IPVSCTL_VERSION), the module's as its
 * MODULE_VERSION, which the kernel shows in /sys/module/lvs/version.
 * LVS_CMD_INFO_GET carries no version, and reading the file loads
 * nothing: without lvs, -V says so and still succeeds.
 */
#include <string.h>
#include <unistd.h>

#include "ipvsctl.h"

#define MODULE_VERSION_FILE "/sys/module/lvs/version"
#define MODULE_DIR "/sys/module/lvs"

/* The loaded module's version into buf; false if there is none. */
static bool module_version(char *buf, int size)
{
	FILE *f = fopen(MODULE_VERSION_FILE, "r");
	bool ok;

	if (!f)
		return false;
	ok = fgets(buf, size, f);
	fclose(f);
	if (ok)
		buf[strcspn(buf, "\n")] = '\0';
	return ok && buf[0];
}

void print_version(void)
{
	char buf[64];

	printf("ipvsctl %s (generic netlink family \"%s\" version %d)\n",
	       IPVSCTL_VERSION, LVS_GENL_NAME, LVS_GENL_VERSION);
	if (module_version(buf, sizeof(buf))) {
		printf("lvs module %s\n", buf);
		return;
	}
	if (!access(MODULE_DIR, F_OK))
		puts("lvs module loaded, version unknown");
	else
		puts("lvs module not loaded");
}
