// SPDX-License-Identifier: GPL-2.0
/*
 * Test of "apply --confirm"'s question without a terminal: what it asks,
 * and that only "y" or "yes" (any case, blanks around) is yes, while an
 * empty line, another word, a yes with more after it and the end of
 * input are no.
 */
#include <string.h>

#include "check.h"
#include "ipvsctl.h"

/* confirm_ask() with @input as the answer: its result; *asked the text. */
static bool ask(const char *input, size_t changes, char **asked)
{
	size_t len;
	FILE *in, *out;
	bool yes;

	in = fmemopen((void *)input, strlen(input) ? strlen(input) : 1, "r");
	out = open_memstream(asked, &len);
	if (!in || !out)
		exit(2);
	if (!*input)
		fgetc(in);	/* at the end: no answer at all */
	yes = confirm_ask(out, in, changes);
	fclose(in);
	fclose(out);
	return yes;
}

int main(void)
{
	static const char *const yes[] = { "y\n", "Y\n", "yes\n", "YeS\n",
					   "  yes \t\n", "y" };
	static const char *const no[] = { "\n", "n\n", "no\n", "yes please\n",
					  "ye\n", "yess\n", "x y\n", "" };
	char *asked = NULL;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(yes); i++)
		check(confirm_yes(yes[i]), "confirm: \"%.*s\" is yes",
		      (int)strcspn(yes[i], "\n"), yes[i]);
	for (i = 0; i < ARRAY_SIZE(no); i++) {
		check(!ask(no[i], 2, &asked), "confirm: \"%.*s\" is no",
		      (int)strcspn(no[i], "\n"), no[i]);
		free(asked);
		asked = NULL;
	}
	check(ask("yes\n", 1, &asked), "confirm: yes read from the input");
	check_str(asked, "Apply 1 change? [y/N] ", "confirm: asks for 1 change");
	free(asked);
	asked = NULL;
	ask("\n", 1000, &asked);
	check_str(asked, "Apply 1000 changes? [y/N] ",
		  "confirm: asks for 1000 changes");
	free(asked);
	return check_exit();
}
