// SPDX-License-Identifier: GPL-2.0
/*
 * Test of tools/ipvsctl/print.c. One sequence of printer calls, with
 * nesting, empty containers, mode-restricted fields, booleans and strings
 * that need escaping, is printed as text, compact JSON and pretty JSON and compared
 * exactly. "print_test compact" and "print_test pretty" write the JSON
 * documents for tests/user/run to check with python3 -m json.tool.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "print.h"

/* Control characters, quote, backslash, slash, DEL and UTF-8. */
#define NASTY "a\"b\\c/\n\t\r\b\f\x01\x1f\x7f-\xc3\xa9"

static void sample(struct printer *p)
{
	pr_open_array(p, NULL);

	pr_open_object(p, NULL);
	pr_string(p, PR_ANY, "name", "%s", NASTY);
	pr_string(p, PR_ANY, "we\"ird\nkey", " k=%s", "v");
	pr_uint(p, PR_ANY, "n", " n %u", 42);
	pr_u64(p, PR_ANY, "big", " big %" PRIu64, UINT64_MAX);
	pr_uint(p, PR_JSON, "json_only", " NOT IN TEXT %u", 1);
	pr_string(p, PR_TEXT, "text_only", " text-only %s", "yes");
	pr_bool(p, PR_ANY, "t", " t %s", true);
	pr_bool(p, PR_ANY, "f", " f %s", false);
	pr_bool(p, PR_ANY, "mark", " mark", true);
	pr_bool(p, PR_JSON, "json_bool", " NOT IN TEXT %s", false);
	pr_text(p, "\n");
	pr_open_object(p, "empty");
	pr_close_object(p);
	pr_open_array(p, "list");
	pr_open_object(p, NULL);
	pr_uint(p, PR_ANY, "x", "\tx %u\n", 1);
	pr_close_object(p);
	pr_open_object(p, NULL);
	pr_uint(p, PR_ANY, "x", "\tx %u\n", 2);
	pr_open_array(p, "none");
	pr_close_array(p);
	pr_close_object(p);
	pr_close_array(p);
	pr_close_object(p);

	pr_open_object(p, NULL);
	pr_close_object(p);

	pr_close_array(p);
}

static char *render(bool json, bool pretty)
{
	struct printer p;
	size_t len;
	char *buf;
	FILE *f;

	f = open_memstream(&buf, &len);
	if (!f)
		exit(2);
	pr_init(&p, f, json, pretty);
	sample(&p);
	fclose(f);
	return buf;
}

static const char want_text[] =
	NASTY " k=v n 42 big 18446744073709551615 text-only yes t on f off mark\n"
	"\tx 1\n"
	"\tx 2\n";

/* One line, in parts: check_join() puts them together. */
static const char *const want_compact[] = {
	"[{\"name\":\"a\\\"b\\\\c/\\n\\t\\r\\b\\f\\u0001\\u001f\\u007f-\xc3\xa9\",",
	"\"we\\\"ird\\nkey\":\"v\",\"n\":42,\"big\":18446744073709551615,",
	"\"json_only\":1,\"t\":true,\"f\":false,\"mark\":true,",
	"\"json_bool\":false,\"empty\":{},\"list\":[{\"x\":1},",
	"{\"x\":2,\"none\":[]}]},{}]\n",
};

static const char want_pretty[] =
	"[\n"
	"    {\n"
	"        \"name\": \"a\\\"b\\\\c/\\n\\t\\r\\b\\f\\u0001\\u001f\\u007f-\xc3\xa9\",\n"
	"        \"we\\\"ird\\nkey\": \"v\",\n"
	"        \"n\": 42,\n"
	"        \"big\": 18446744073709551615,\n"
	"        \"json_only\": 1,\n"
	"        \"t\": true,\n"
	"        \"f\": false,\n"
	"        \"mark\": true,\n"
	"        \"json_bool\": false,\n"
	"        \"empty\": {},\n"
	"        \"list\": [\n"
	"            {\n"
	"                \"x\": 1\n"
	"            },\n"
	"            {\n"
	"                \"x\": 2,\n"
	"                \"none\": []\n"
	"            }\n"
	"        ]\n"
	"    },\n"
	"    {}\n"
	"]\n";

int main(int argc, char **argv)
{
	char *out, *want;

	if (argc == 2) {
		out = render(true, !strcmp(argv[1], "pretty"));
		fputs(out, stdout);
		free(out);
		return 0;
	}

	out = render(false, false);
	check_str(out, want_text, "printer: text output");
	free(out);
	out = render(true, false);
	want = check_join(want_compact, ARRAY_SIZE(want_compact));
	check_str(out, want, "printer: compact JSON, escaped");
	free(want);
	free(out);
	out = render(true, true);
	check_str(out, want_pretty, "printer: pretty JSON, escaped");
	free(out);
	return check_exit();
}
