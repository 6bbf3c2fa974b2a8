// SPDX-License-Identifier: GPL-2.0
/*
 * The object table and the two steps of every command line: cmd_parse()
 * finds the object and its verb by exact name and lets the verb parse the
 * rest; cmd_run() runs the result and reports a failure.
 *
 * A new object is a new file with a struct object and one line in
 * objects[]; a new verb is one line in its object's verb table. A word
 * that is a command by itself, as "save" is, is an object whose verb is
 * "alone": the words after it are that verb's.
 *
 * "help", "-h" and "--help" after an object print its usage.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ipvsctl.h"
#include "nl.h"

static const struct object *const objects[] = {
	&service_object,
	&dest_object,
	&info_object,
	&conn_object,
	&timeout_object,
	&save_object,
	&apply_object,
	&monitor_object,
	&stats_object,
};

void usage(FILE *f)
{
	size_t i;

	const char *sep = "";

	fputs("Usage: ipvsctl [ OPTIONS ] OBJECT { COMMAND | help }\n"
	      "       ipvsctl [ OPTIONS ] -b FILE\n", f);
	for (i = 0; i < ARRAY_SIZE(objects); i++)
		if (objects[i]->alone)
			fprintf(f, "       ipvsctl [ OPTIONS ] %s\n",
				objects[i]->name);
	fputs("       ipvsctl { help | -h | -V }\n"
	      "OBJECT := {", f);
	for (i = 0; i < ARRAY_SIZE(objects); i++) {
		if (objects[i]->alone)
			continue;
		fprintf(f, "%s %s", sep, objects[i]->name);
		sep = " |";
	}
	fputs(" }\n"
	      "OPTIONS := { -j | -p | -s | -n NETNS | -b FILE | -f | -V | -h }\n"
	      "  -j, --json          print JSON\n"
	      "  -p, --pretty        print indented JSON (implies -j)\n"
	      "  -s, --stats         print counters and rates in text too\n"
	      "  -n, --netns NETNS   in network namespace NETNS (ip netns)\n"
	      "  -b, --batch FILE    run the commands in FILE (\"-\": stdin)\n"
	      "  -f, --force         in a batch, go on after a failure\n"
	      "  -V, --version       print the version\n"
	      "  -h, --help          print this help\n"
	      "After list or show, -n or --numeric is accepted and changes nothing.\n"
	      "save prints the configuration as lines that \"-b FILE\" reads back.\n"
	      "Try \"ipvsctl OBJECT help\" for the commands of an object.\n",
	      f);
}

bool is_numeric_opt(const char *word)
{
	return word && (!strcmp(word, "-n") || !strcmp(word, "--numeric"));
}

int list_end(struct args *a)
{
	if (is_numeric_opt(args_peek(a)))
		args_next(a);
	return args_peek(a) ? extraarg(a) : 0;
}

static bool is_help(const char *w)
{
	return !strcmp(w, "help") || !strcmp(w, "-h") || !strcmp(w, "--help");
}

static const struct object *find_object(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(objects); i++)
		if (!strcmp(objects[i]->name, name))
			return objects[i];
	return NULL;
}

const struct verb *cmd_find_verb(const struct object *obj, const char *name)
{
	const struct verb *v;

	for (v = obj->verbs; v->name; v++)
		if (!strcmp(v->name, name))
			return v;
	return NULL;
}

int cmd_parse(struct request *req, int argc, char **argv)
{
	struct args a = { .argv = argv, .argc = argc, .last = "ipvsctl" };
	const struct object *obj;
	const char *w;

	memset(req, 0, sizeof(*req));
	w = args_next(&a);
	if (!w)
		return usage_err("missing object, try \"ipvsctl help\"");
	if (!strcmp(w, "help"))
		return args_peek(&a) ? extraarg(&a) : 0;
	obj = find_object(w);
	if (!obj)
		return usage_err("unknown command \"%s\", try \"ipvsctl help\"",
				 w);
	req->obj = obj;

	if (obj->alone && !(args_peek(&a) && is_help(args_peek(&a)))) {
		req->verb = obj->alone;
		return req->verb->parse(req, &a);
	}
	w = args_peek(&a) ? args_next(&a) : obj->default_verb;
	if (!w)
		return usage_err("missing command after \"%s\", try \"ipvsctl %s help\"",
				 obj->name, obj->name);
	if (is_help(w))
		return args_peek(&a) ? extraarg(&a) : 0;
	req->verb = cmd_find_verb(obj, w);
	if (!req->verb)
		return usage_err("unknown command \"%s\" for \"%s\", try \"ipvsctl %s help\"",
				 w, obj->name, obj->name);
	return req->verb->parse(req, &a);
}

bool cmd_needs_kernel(const struct request *req)
{
	return req->verb;
}

int cmd_run(struct ctx *ctx, const struct request *req)
{
	const char *why;
	int err;

	if (!req->verb) {
		if (req->obj)
			req->obj->usage(stdout);
		else
			usage(stdout);
		return ST_OK;
	}

	err = req->verb->run(ctx, req);
	if (err >= 0)
		return err;
	why = lvs_nl_why(ctx->nl);
	if (req->verb == req->obj->alone)
		errmsg("%s: %s", req->obj->name, why ? why : strerror(-err));
	else
		errmsg("%s %s: %s", req->obj->name, req->verb->name,
		       why ? why : strerror(-err));
	return ST_ERROR;
}

/* What cmd_parse() allocated, parsed or not. */
void cmd_free(struct request *req)
{
	free(req->timeouts);
	req->timeouts = NULL;
	apply_free(&req->apply);
}
