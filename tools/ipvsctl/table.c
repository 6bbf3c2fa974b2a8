// SPDX-License-Identifier: GPL-2.0
/*
 * The table of "stats show" and "stats watch": a line per service, then a
 * line per destination of it, the numbers first and the name last, so
 * that a narrow terminal cuts names, never numbers:
 *
 *    CONN/S INPKT/S OUTPKT/S INBYTE/S OUTBYTE/S ACTIVE INACTIVE  SERVICE / DESTINATION
 *        12    1234     1180    92.4k     1.3M      20       31  tcp 10.0.0.1:80 sched rr
 *         6     617      590    46.2k   650.1k      10       15    -> 10.0.1.2:8080 nat weight 1
 *
 * A number of 10,000 or more is shown in thousands (k), millions (M) and
 * so on, to three significant digits, so that each fits five characters.
 * On a terminal the sort column's heading is in reverse video and each
 * line ends by clearing the rest of it, for a table drawn over the last.
 */
#include <inttypes.h>
#include <string.h>

#include "print.h"
#include "stats.h"

#define LINE_MAX_LEN 512
#define NAME_HEAD "SERVICE / DESTINATION"

static const char *const heads[STATS_KEYS] = {
	[STATS_CPS] = "CONN/S",
	[STATS_INPPS] = "INPKT/S",
	[STATS_OUTPPS] = "OUTPKT/S",
	[STATS_INBPS] = "INBYTE/S",
	[STATS_OUTBPS] = "OUTBYTE/S",
	[STATS_ACTIVE] = "ACTIVE",
	[STATS_INACTIVE] = "INACTIVE",
};

/* A number in at most five characters: 9999, 10.0k, 123k, 1.2M. */
static void human(uint64_t v, char *buf, size_t size)
{
	static const char units[] = "kMGTPE";
	double d = (double)v;
	int u = -1;

	if (v < 10000) {
		snprintf(buf, size, "%" PRIu64, v);
		return;
	}
	while (d >= 999.5 && u < (int)sizeof(units) - 2) {
		d /= 1000;
		u++;
	}
	snprintf(buf, size, d < 99.95 ? "%.1f%c" : "%.0f%c", d, units[u]);
}

void stats_line(FILE *f, const char *s, unsigned int width, bool tty)
{
	unsigned int shown = 0;
	bool esc = false;

	for (; *s; s++) {
		if (esc)
			esc = *s < 0x40 || *s > 0x7e || *s == '[';
		else if (*s == '\033')
			esc = true;
		else if (width && shown >= width)
			continue;
		else
			shown++;
		fputc(*s, f);
	}
	fputs(tty ? "\033[K\n" : "\n", f);
}

void stats_table_head(FILE *f, const struct stats_order *o,
		      unsigned int width, bool tty)
{
	char line[LINE_MAX_LEN];
	size_t len = 0;
	enum stats_key k;

	for (k = STATS_CPS; k < STATS_KEYS; k++)
		len += snprintf(line + len, sizeof(line) - len, " %s%s%s",
				tty && o->key == k ? "\033[7m" : "", heads[k],
				tty && o->key == k ? "\033[m" : "");
	snprintf(line + len, sizeof(line) - len, "  %s%s%s",
		 tty && o->key == STATS_NAME ? "\033[7m" : "", NAME_HEAD,
		 tty && o->key == STATS_NAME ? "\033[m" : "");
	stats_line(f, line, width, tty);
}

/* The numbers of a row, each right-aligned under its heading. */
static void row_numbers(FILE *lf, const uint64_t *v)
{
	char num[16];
	int k;

	for (k = STATS_CPS; k < STATS_KEYS; k++) {
		human(v[k], num, sizeof(num));
		fprintf(lf, " %*s", (int)strlen(heads[k]), num);
	}
	fputs("  ", lf);
}

/*
 * Start a row in line: its numbers, then p set to print the rest; NULL
 * (line left empty) when the line cannot be opened.
 */
static FILE *row_open(char *line, size_t size, const uint64_t *v,
		      struct printer *p)
{
	FILE *lf;

	line[0] = '\0';
	lf = fmemopen(line, size, "w");
	if (!lf)
		return NULL;
	row_numbers(lf, v);
	pr_init(p, lf, false, false);
	return lf;
}

static void svc_line(char *line, size_t size, const struct svc_info *s)
{
	uint64_t v[STATS_KEYS];
	struct printer p;
	FILE *lf;
	int k;

	for (k = 0; k < STATS_KEYS; k++)
		v[k] = stats_svc_value(s, k);
	lf = row_open(line, size, v, &p);
	if (!lf)
		return;
	show_svc_key(&p, &s->spec);
	if (s->spec.sched[0])
		fprintf(lf, " sched %s", s->spec.sched);
	fclose(lf);
}

static void dest_line(char *line, size_t size, const struct dest_info *d)
{
	const char *fwd = fwd_name(d->fwd);
	uint64_t v[STATS_KEYS];
	struct printer p;
	FILE *lf;
	int k;

	for (k = 0; k < STATS_KEYS; k++)
		v[k] = stats_dest_value(d, k);
	lf = row_open(line, size, v, &p);
	if (!lf)
		return;
	fputs("  -> ", lf);
	pr_addr_port(&p, &d->rip, false);
	if (fwd)
		fprintf(lf, " %s", fwd);
	else
		fprintf(lf, " %u", d->fwd);
	fprintf(lf, " weight %u", d->weight);
	fclose(lf);
}

size_t stats_table_count(const struct svc_list *list)
{
	size_t i, n = list->n;

	for (i = 0; i < list->n; i++)
		n += list->svcs[i].n_dests;
	return n;
}

size_t stats_table_rows(FILE *f, const struct svc_list *list,
			size_t max_rows, unsigned int width, bool tty)
{
	char line[LINE_MAX_LEN];
	const struct svc_info *s;
	size_t i, j, n = 0;

	for (i = 0; i < list->n && n < max_rows; i++) {
		s = &list->svcs[i];
		svc_line(line, sizeof(line), s);
		stats_line(f, line, width, tty);
		n++;
		for (j = 0; j < s->n_dests && n < max_rows; j++, n++) {
			dest_line(line, sizeof(line), &s->dests[j]);
			stats_line(f, line, width, tty);
		}
	}
	return n;
}
