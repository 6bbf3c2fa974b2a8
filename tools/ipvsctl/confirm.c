// SPDX-License-Identifier: GPL-2.0
/*
 * "apply --confirm": the question asked after the plan is printed, and
 * what counts as its answer yes: "y" or "yes" in any case, blanks around
 * allowed. Anything else, an empty line and the end of input included,
 * is no, as the "[y/N]" says.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ipvsctl.h"

bool confirm_yes(const char *answer)
{
	size_t len;

	while (isspace((unsigned char)*answer))
		answer++;
	len = strlen(answer);
	while (len && isspace((unsigned char)answer[len - 1]))
		len--;
	return (len == 1 && !strncasecmp(answer, "y", 1)) ||
	       (len == 3 && !strncasecmp(answer, "yes", 3));
}

bool confirm_ask(FILE *out, FILE *in, size_t changes)
{
	char *line = NULL;
	size_t cap = 0;
	bool yes;

	fprintf(out, "Apply %zu change%s? [y/N] ", changes,
		changes == 1 ? "" : "s");
	fflush(out);
	yes = getline(&line, &cap, in) >= 0 && confirm_yes(line);
	free(line);
	return yes;
}
