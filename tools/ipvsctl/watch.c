// SPDX-License-Identifier: GPL-2.0
/*
 * "stats watch": the stats table (table.c) on the terminal, fetched again
 * every interval and drawn over the last one, top-like, with plain ANSI
 * escape sequences:
 *
 *   lvs stats every 2 s, sort inpps: 2 services, 3 destinations  10:04:31
 *
 *    CONN/S INPKT/S OUTPKT/S ...  SERVICE / DESTINATION
 *   ...
 *   q quit  < > sort column  r reverse  space refresh
 *
 * While it runs the terminal shows its alternate screen (the shell's
 * comes back at the end) without a cursor, and reads keys one at a time,
 * unechoed, without the signals of special keys: Ctrl-C arrives as a key
 * and quits as q does. Whatever ends the watch (a key, SIGINT, SIGTERM,
 * SIGHUP, the terminal going away, an error) restores the terminal as it
 * found it before anything more is printed; a signal is then raised again,
 * so that it ends the process as it would have. SIGWINCH redraws at the
 * new size. Those signals are blocked and read from a signalfd beside
 * the keys, so none slips in between a check and the wait.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "ipvsctl.h"
#include "stats.h"

#define ENTER_SCREEN "\033[?1049h\033[?25l"	/* alternate screen, no cursor */
#define LEAVE_SCREEN "\033[?25h\033[?1049l"
#define FOOTER "q quit  < > sort column  r reverse  space refresh"
#define KEY_CTRL_C 0x03

/* What to do next: nothing, end, draw again in a new order, fetch. */
enum action { KEEP, QUIT, RESORT, REFETCH };

static const int handled[] = { SIGINT, SIGTERM, SIGHUP, SIGWINCH };

struct watch {
	struct ctx *ctx;
	struct stats_order order;
	unsigned int interval;		/* seconds */
	struct svc_list list;
	char when[16];			/* the time of the last fetch */
	unsigned int rows, cols;
	struct termios saved;
	bool saved_ok;			/* saved holds the terminal's state */
	sigset_t blocked;		/* the signal mask before */
	int sigfd;			/* the handled signals, or -1 */
	int quit_signal;		/* the signal that ended the watch */
};

static void term_size(struct watch *w)
{
	struct winsize ws;

	w->rows = 24;
	w->cols = 80;
	if (!ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) && ws.ws_row && ws.ws_col) {
		w->rows = ws.ws_row;
		w->cols = ws.ws_col;
	}
}

static int write_all(const char *buf, size_t len)
{
	ssize_t n;

	while (len) {
		n = write(STDOUT_FILENO, buf, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* The signals come through a file descriptor, read beside the keys. */
static int signals_catch(struct watch *w)
{
	sigset_t set;
	size_t i;

	sigemptyset(&set);
	for (i = 0; i < ARRAY_SIZE(handled); i++)
		sigaddset(&set, handled[i]);
	if (sigprocmask(SIG_BLOCK, &set, &w->blocked))
		return -errno;
	w->sigfd = signalfd(-1, &set, SFD_CLOEXEC);
	return w->sigfd < 0 ? -errno : 0;
}

/* The mask as it was; a signal that ended the watch ends the process. */
static void signals_restore(struct watch *w)
{
	if (w->sigfd >= 0)
		close(w->sigfd);
	if (w->quit_signal)
		raise(w->quit_signal);
	sigprocmask(SIG_SETMASK, &w->blocked, NULL);
}

/* What a signal read says to do. */
static enum action signal_read(struct watch *w)
{
	struct signalfd_siginfo si;
	ssize_t n;

	n = read(w->sigfd, &si, sizeof(si));
	if (n != (ssize_t)sizeof(si))
		return KEEP;
	if (si.ssi_signo == SIGWINCH) {
		term_size(w);
		return RESORT;
	}
	w->quit_signal = (int)si.ssi_signo;
	return QUIT;
}

static int term_enter(struct watch *w)
{
	struct termios raw;

	if (tcgetattr(STDIN_FILENO, &w->saved))
		return -errno;
	w->saved_ok = true;
	raw = w->saved;
	raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO | ISIG | IEXTEN);
	raw.c_iflag &= ~(tcflag_t)(IXON | ICRNL);
	raw.c_cc[VMIN] = 1;
	raw.c_cc[VTIME] = 0;
	if (tcsetattr(STDIN_FILENO, TCSAFLUSH, &raw))
		return -errno;
	term_size(w);
	return write_all(ENTER_SCREEN, strlen(ENTER_SCREEN));
}

static void term_leave(struct watch *w)
{
	if (!w->saved_ok)
		return;
	write_all(LEAVE_SCREEN, strlen(LEAVE_SCREEN));
	tcsetattr(STDIN_FILENO, TCSAFLUSH, &w->saved);
}

static void draw_frame(FILE *f, struct watch *w)
{
	size_t total = stats_table_count(&w->list), room = 0, dests;
	unsigned int width = w->cols > 1 ? w->cols - 1 : 1;
	char line[256];

	/* The title, a blank line, the heading; the footer on the last. */
	if (w->rows > 4)
		room = w->rows - 4;
	dests = total - w->list.n;
	snprintf(line, sizeof(line),
		 "lvs stats every %u s, sort %s%s: %zu service%s, %zu destination%s  %s",
		 w->interval, w->order.reverse ? "reverse " : "",
		 stats_key_name(w->order.key), w->list.n,
		 w->list.n == 1 ? "" : "s", dests, dests == 1 ? "" : "s",
		 w->when);
	fputs("\033[H", f);
	stats_line(f, line, width, true);
	stats_line(f, "", width, true);
	stats_table_head(f, &w->order, width, true);
	if (total > room && room) {
		stats_table_rows(f, &w->list, room - 1, width, true);
		snprintf(line, sizeof(line), "... %zu more", total - room + 1);
		stats_line(f, line, width, true);
	} else {
		stats_table_rows(f, &w->list, room, width, true);
	}
	fprintf(f, "\033[J\033[%u;1H", w->rows);
	stats_line(f, FOOTER, width, true);
}

static int draw(struct watch *w)
{
	size_t len = 0;
	char *buf = NULL;
	FILE *f;
	int err;

	f = open_memstream(&buf, &len);
	if (!f)
		return -errno;
	draw_frame(f, w);
	if (fclose(f)) {
		free(buf);
		return -ENOMEM;
	}
	/* The footer's line end would scroll the screen. */
	if (len && buf[len - 1] == '\n')
		len--;
	err = write_all(buf, len);
	free(buf);
	return err;
}

static int fetch(struct watch *w)
{
	time_t now = time(NULL);
	int err;

	err = fetch_services(w->ctx->nl, NULL, &w->list);
	if (err)
		return err;
	stats_sort(&w->list, &w->order);
	strftime(w->when, sizeof(w->when), "%H:%M:%S", localtime(&now));
	return 0;
}

/* The next sort column, to the left (step -1) or right. */
static enum action move_key(struct watch *w, int step)
{
	w->order.key = (w->order.key + STATS_KEYS + step) % STATS_KEYS;
	return RESORT;
}

/* What the keys read say to do: the last one that does something. */
static enum action keys(struct watch *w)
{
	enum action act = KEEP;
	char buf[64];
	ssize_t n, i;

	n = read(STDIN_FILENO, buf, sizeof(buf));
	if (n < 0)
		return errno == EINTR || errno == EAGAIN ? KEEP : QUIT;
	if (n == 0)
		return QUIT;	/* the terminal hung up */
	for (i = 0; i < n; i++) {
		/* Arrows: ESC [ C or D, or in application mode ESC O. */
		if (buf[i] == '\033' && i + 2 < n &&
		    (buf[i + 1] == '[' || buf[i + 1] == 'O')) {
			if (buf[i + 2] == 'C')
				act = move_key(w, 1);
			else if (buf[i + 2] == 'D')
				act = move_key(w, -1);
			i += 2;
			continue;
		}
		switch (buf[i]) {
		case 'q':
		case 'Q':
		case KEY_CTRL_C:
			return QUIT;
		case '<':
		case ',':
			act = move_key(w, -1);
			break;
		case '>':
		case '.':
			act = move_key(w, 1);
			break;
		case 'r':
			w->order.reverse = !w->order.reverse;
			act = RESORT;
			break;
		case ' ':
			act = REFETCH;
			break;
		}
	}
	return act;
}

/* Milliseconds from now until t, at least 0. */
static int until(const struct timespec *t)
{
	struct timespec now;
	long long ms;

	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (t->tv_sec - now.tv_sec) * 1000LL +
	     (t->tv_nsec - now.tv_nsec) / 1000000;
	return ms > 0 ? (int)ms : 0;
}

static int loop(struct watch *w)
{
	struct pollfd pfd[2] = {
		{ .fd = STDIN_FILENO, .events = POLLIN },
		{ .fd = w->sigfd, .events = POLLIN },
	};
	enum action act = REFETCH;
	struct timespec next;
	int err, n;

	for (;;) {
		if (act == REFETCH) {
			err = fetch(w);
			if (err)
				return err;
			clock_gettime(CLOCK_MONOTONIC, &next);
			next.tv_sec += w->interval;
		} else if (act == RESORT) {
			stats_sort(&w->list, &w->order);
		}
		if (act != KEEP) {
			err = draw(w);
			if (err)
				return err;
		}

		n = poll(pfd, 2, until(&next));
		if (n < 0 && errno != EINTR)
			return -errno;
		if (n < 0)
			act = KEEP;
		else if (n == 0)
			act = REFETCH;
		else if (pfd[1].revents & POLLIN)
			act = signal_read(w);
		else if (pfd[0].revents & (POLLHUP | POLLERR | POLLNVAL))
			act = QUIT;	/* the terminal went away */
		else
			act = keys(w);
		if (act == QUIT)
			return 0;
	}
}

int stats_watch(struct ctx *ctx, const struct stats_spec *spec)
{
	struct watch w = {
		.ctx = ctx,
		.order.key = spec->sort,
		.interval = spec->interval,
		.sigfd = -1,
	};
	int err;

	err = signals_catch(&w);
	if (!err)
		err = term_enter(&w);
	if (!err)
		err = loop(&w);
	term_leave(&w);
	signals_restore(&w);
	svc_list_free(&w.list);
	return err;
}
