/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ipvsctl: what the objects, the dispatcher and main share.
 *
 * A command line is handled in two steps. Parsing turns the words into a
 * struct request and checks every one of them; nothing touches the kernel
 * yet. Running sends the request over the one netlink socket of the
 * process. So a malformed line never reaches the kernel, and a batch file
 * is checked whole before its first line runs.
 */
#ifndef IPVSCTL_H
#define IPVSCTL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <linux/lvs.h>

#include "parse.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* The exit status table; Documentation/ipvsctl.8 documents it. */
enum exit_status {
	ST_OK = 0,	/* done */
	ST_ERROR = 1,	/* the kernel or the system refused or failed */
	ST_USAGE = 2,	/* bad command line: nothing was sent */
};

struct lvs_nl;
struct nl_msg;
struct printer;

/* What running a request needs. */
struct ctx {
	struct lvs_nl *nl;
	struct printer *pr;
	bool stats;		/* -s: traffic counters in text output too */
	const char *netns;	/* -n: the network namespace to work in */
};

/*
 * Scheduler and persistence options. In a request, what was given
 * (has_*); in a listing, what the service has (has_* false), the defaults
 * for any the kernel left out.
 */
struct sched_opts {
	bool has_fallback;
	bool fallback;
	bool has_hash_port;
	bool hash_port;
	bool has_one_packet;
	bool one_packet;
	bool has_table_size;
	uint32_t table_size;
	bool has_persist;
	uint32_t persist;	/* seconds, 0: not persistent */
	bool has_netmask;
	uint8_t netmask;	/* prefix length */
	bool has_persist_drained;
	bool persist_drained;	/* persistent clients stay at weight 0 */
};

/*
 * A service key, and a scheduler and its options for "add" and "change".
 * A firewall-mark service has fwmark and vip.family, and no protocol.
 */
struct svc_spec {
	uint32_t fwmark;	/* 0: keyed by protocol and vip */
	uint8_t protocol;
	struct endpoint vip;
	char sched[LVS_SCHED_NAME_MAX];	/* "" when not given */
	struct sched_opts opts;
	bool force;		/* del: cut its connections at once */
};

/* A destination within a service. */
struct dest_spec {
	struct endpoint rip;	/* port 0 when not given */
	bool has_fwd;
	uint8_t fwd;
	bool has_weight;
	uint32_t weight;
	bool has_u_threshold;
	uint32_t u_threshold;
	bool has_l_threshold;
	uint32_t l_threshold;
	bool force;		/* del: cut its connections at once */
};

/* "timeout set": the timeouts given, in the order given. */
#define TIMEOUTS_MAX 48

struct timeout_entry {
	uint8_t protocol;
	char state[LVS_STATE_NAME_MAX];
	uint32_t seconds;
};

struct timeout_spec {
	struct timeout_entry e[TIMEOUTS_MAX];
	size_t n;
};

/* "stats show" and "stats watch": the order of the table, how often. */
struct stats_spec {
	bool has_sort;
	uint8_t sort;		/* enum stats_key (stats.h) */
	uint32_t interval;	/* seconds, 0: not given */
};

struct request;
struct args;

struct verb {
	const char *name;
	/* Fill req from the words after the verb: 0, or ST_USAGE (told). */
	int (*parse)(struct request *req, struct args *a);
	/*
	 * 0 or a negative errno, which the caller reports; or an exit
	 * status above 0, the reason told already.
	 */
	int (*run)(struct ctx *ctx, const struct request *req);
	/*
	 * The kernel command of a change that a transaction may hold
	 * (txn.c), or 0.
	 */
	uint8_t cmd;
};

struct object {
	const char *name;
	const struct verb *verbs;	/* ends with an entry without name */
	const char *default_verb;	/* when the line ends after the object */
	void (*usage)(FILE *f);
	/* Not NULL: a word that is its own verb ("save"); verbs unused. */
	const struct verb *alone;
};

/*
 * "apply": the file (a copy, or "-"), whether only to print, and what
 * the file describes, read while parsing (apply.c).
 */
struct config;

struct apply_spec {
	char *file;
	bool dry_run;
	bool confirm;		/* ask before the transaction */
	bool has_generation;
	uint32_t generation;	/* apply only to this generation */
	bool has_drain;
	uint32_t drain;		/* seconds at most, 0: no waiting */
	struct config *want;
};

void apply_free(struct apply_spec *ap);
/*
 * confirm.c: is a line the answer yes; ask on @out whether to apply
 * @changes changes and read the answer from @in: true for yes.
 */
bool confirm_yes(const char *answer);
bool confirm_ask(FILE *out, FILE *in, size_t changes);

/* One parsed command line; a new object adds its own member. */
struct request {
	const struct object *obj;	/* NULL for the top-level "help" */
	const struct verb *verb;	/* NULL for "help" */
	struct svc_spec svc;
	struct dest_spec dest;
	bool has_svc;			/* conn: svc names a service */
	struct timeout_spec *timeouts;	/* timeout set; cmd_free() frees */
	bool fast_path;			/* info set */
	struct stats_spec stats;	/* stats show, stats watch */
	struct apply_spec apply;	/* apply; cmd_free() frees */
};

/* The words of a command line, consumed left to right. */
struct args {
	char **argv;
	int argc;
	const char *last;	/* the word consumed last, for messages */
};

static inline const char *args_peek(const struct args *a)
{
	return a->argc > 0 ? a->argv[0] : NULL;
}

static inline const char *args_next(struct args *a)
{
	if (a->argc <= 0)
		return NULL;
	a->argc--;
	a->last = *a->argv++;
	return a->last;
}

/* cmd.c: the object table and the two steps. */
extern const struct object service_object;
extern const struct object dest_object;
extern const struct object info_object;
extern const struct object conn_object;
extern const struct object timeout_object;
extern const struct object save_object;
extern const struct object monitor_object;
extern const struct object stats_object;
extern const struct object apply_object;

int cmd_parse(struct request *req, int argc, char **argv);
/* The verb @name of @obj, or NULL. */
const struct verb *cmd_find_verb(const struct object *obj, const char *name);
bool cmd_needs_kernel(const struct request *req);
int cmd_run(struct ctx *ctx, const struct request *req);
void cmd_free(struct request *req);
void usage(FILE *f);
/* version.c: ipvsctl -V, ipvsctl's release and the loaded module's. */
void print_version(void);
/*
 * The end of a list or show line: an optional "-n" or "--numeric", which
 * ipvsadm users type and which changes nothing (ipvsctl prints no names),
 * then nothing more: 0, or ST_USAGE (told).
 */
bool is_numeric_opt(const char *word);
int list_end(struct args *a);

/*
 * netns.c: the connection to the kernel, in ctx->netns if set (a name in
 * /run/netns, or a path): ST_OK, or an exit status (told).
 */
int ctx_connect(struct ctx *ctx);

/* report.c: every message starts "ipvsctl: " and, in a batch, FILE:LINE. */
void report_where(const char *file, unsigned long line);
void errmsg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int usage_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int missarg(const struct args *a, const char *what, const char *expected);
int duparg(const char *word);
int extraarg(const struct args *a);

/* service.c: the service key, which dest.c and fetch.c use too. */
int svc_key_parse(struct svc_spec *svc, struct args *a);
/*
 * An optional service key that sets req->has_svc, then the end of the
 * line, for list an optional -n first (list_end()); a request cmd that
 * names that service if there is one, or NULL.
 */
int svc_opt_parse(struct request *req, struct args *a, bool list);
struct nl_msg *svc_opt_msg(struct lvs_nl *nl, uint8_t cmd, int flags,
			   const struct request *req);
/* The request nests, with what was given: 0 or -EMSGSIZE. */
int svc_put(struct nl_msg *msg, const struct svc_spec *svc);
/* dest.c: svc_family is the service's, for a destination of another. */
int dest_put(struct nl_msg *msg, const struct dest_spec *dest,
	     int svc_family);
/* Is it "service add", "dest add"? */
bool svc_req_is_add(const struct request *req);
bool dest_req_is_add(const struct request *req);

/*
 * fetch.c, for every listing: an address attribute of family (0: the one
 * its length gives) into ep, 0 or -EPROTO; an array grown by one zeroed
 * element, NULL when out of memory; the order listings sort in.
 */
struct nlattr;
int decode_addr(struct nlattr *a, int family, struct endpoint *ep);
void *array_grow(void *array, size_t *n, size_t size);
int cmp_endpoint(const struct endpoint *a, const struct endpoint *b);
/* Services by key: firewall marks last; 0 for the same service. */
int cmp_svc_key(const struct svc_spec *a, const struct svc_spec *b);

/* batch.c */
int batch(struct ctx *ctx, const char *file, bool force);

/* One parsed line of a batch file. */
struct batch_line {
	struct request req;
	unsigned long lineno;
};

/* The steps of batch(), for apply.c. */
FILE *batch_open(const char *file, const char **name);
int batch_read(FILE *f, const char *name, struct batch_line **linesp,
	       size_t *np);
int batch_exec(struct ctx *ctx, const char *name,
	       const struct batch_line *lines, size_t n, bool force);
void batch_free(struct batch_line *lines, size_t n);

/*
 * bulk.c: how many of the n lines, from the first, one request takes (1:
 * the first alone); sending those lines in one request, 0 or a negative
 * errno (then nothing of them was applied).
 */
size_t bulk_span(const struct batch_line *lines, size_t n);
int bulk_run(struct ctx *ctx, const struct batch_line *lines, size_t n);

/* timeout.c: LVS_ATTR_TIMEOUTS of @t, 0 or -EMSGSIZE. */
int timeouts_put(struct nl_msg *msg, const struct timeout_spec *t);

/*
 * txn.c: may @req be part of a transaction; the n lines, those it may
 * hold, as one (checked against *@gen, which then gets the generation
 * after it, unless @gen is NULL): 0 or a negative errno.
 */
bool txn_holds(const struct request *req);
int txn_run(struct ctx *ctx, const struct batch_line *lines, size_t n,
	    uint32_t *gen);

#endif /* IPVSCTL_H */
