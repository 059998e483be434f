/*
 * app.c: tui_run(), the event loop of the full-screen wizard.
 *
 * One poll() over three descriptors: a self-pipe that signal handlers write a byte to (SIGWINCH,
 * SIGHUP, SIGTERM, SIGINT, SIGCONT, SIGCHLD; a handler does nothing else, tmux proc.c), the
 * terminal, and the engine's socket. The timeout comes from the nearest timer (redis ae.c):
 *
 *   - frame:   a change from the engine marks the frame dirty; it is drawn at most every
 *              `interval` ms (33 ms, ~30 frames/s, or twice what the last frame cost when the
 *              terminal is slow to take our output, e.g. a congested SSH link), so a flood of
 *              log lines is coalesced and costs one screenful per frame. Keys and resizes draw
 *              at once: typing never waits for the throttle.
 *   - clock:   only while the header shows a running clock, at the next whole second.
 *   - spinner: only while a spinner is on screen (a step running without a total).
 *
 * With none of these pending, poll() sleeps until something arrives: an idle wizard (waiting for
 * an answer) makes no system calls at all, apart from the once-a-second clock.
 *
 * The loop draws only when the view's generation moved, a key was pressed, a timer fired or the
 * size changed; each draw rebuilds the canvas and one doupdate() sends the difference.
 *
 * Keys go, in order, to: the too-small overlay, an open overlay (help, abort menu), the search
 * prompt, the log pane when it has the focus, the review mode, the question widget, the screen
 * kind's own handler, body scrolling, and last the global letters (which are not available while
 * a text field takes the typing; their F-key twins always are).
 */
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/client.h"
#include "core/util.h"
#include "tui/record.h"
#include "tui/term.h"
#include "tui/text.h"
#include "tui/tui.h"
#include "tui/ui_int.h"

#define FRAME_MIN_MS 33
#define FRAME_MAX_MS 500
#define SPIN_MS 150

enum outcome {
	GO_ON,
	LEAVE_FINISHED,     /* q on the summary */
	LEAVE_DETACH,       /* d: the engine carries on */
	LEAVE_HANGUP,       /* the terminal went away (SIGHUP, EOF): detach quietly */
	LEAVE_ENGINE_GONE,
};

static int sig_fds[2] = { -1, -1 };
static const int caught[] = { SIGWINCH, SIGHUP, SIGTERM, SIGINT, SIGCONT, SIGCHLD, SIGQUIT };
static struct sigaction saved[ARRAY_LEN(caught)];
static struct sigaction saved_pipe;

static void
on_signal(int sig)
{
	int e = errno;
	unsigned char c = (unsigned char)sig;

	if (sig_fds[1] >= 0)
		(void)!write(sig_fds[1], &c, 1);
	errno = e;
}

static int
signals_start(void)
{
	struct sigaction sa;

	if (pipe2(sig_fds, O_NONBLOCK | O_CLOEXEC) == -1)
		return -1;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	for (size_t i = 0; i < ARRAY_LEN(caught); i++)
		sigaction(caught[i], &sa, &saved[i]);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, &saved_pipe);
	return 0;
}

static void
signals_stop(void)
{
	for (size_t i = 0; i < ARRAY_LEN(caught); i++)
		sigaction(caught[i], &saved[i], NULL);
	sigaction(SIGPIPE, &saved_pipe, NULL);
	for (int i = 0; i < 2; i++) {
		if (sig_fds[i] >= 0)
			close(sig_fds[i]);
		sig_fds[i] = -1;
	}
}

static void
fatal_hook(void)
{
	term_stop();
}

/* ---- the pager and the clipboard ---- */

/* Runs $PAGER on the log with curses out of the way. The engine's events keep being read while
 * the pager runs (a silent socket would make the engine buffer for us); nothing is drawn. */
static void
run_pager(struct ui *ui)
{
	const char *path = ui->o->log_path, *pager = getenv("PAGER");
	char *tmp = NULL, *cause = NULL, *cmd;
	struct sigaction ign, old_int, old_quit;
	pid_t pid;

	if (path == NULL || !path_exists(path)) {
		tmp = log_dump_tmp(ui, &cause);
		if (tmp == NULL) {
			ui_flash(ui, ROLE_DANGER, "cannot show the log: %s", cause);
			free(cause);
			return;
		}
		path = tmp;
	}
	if (pager != NULL && *pager != '\0')
		cmd = xasprintf("exec %s \"$1\"", pager);
	else
		cmd = xstrdup("if command -v less >/dev/null 2>&1; then exec less +G \"$1\"; "
		    "else exec more \"$1\"; fi");
	term_suspend();
	memset(&ign, 0, sizeof ign);
	ign.sa_handler = SIG_IGN;
	sigemptyset(&ign.sa_mask);
	sigaction(SIGINT, &ign, &old_int);
	sigaction(SIGQUIT, &ign, &old_quit);
	pid = fork();
	if (pid == 0) {
		struct sigaction dfl;
		memset(&dfl, 0, sizeof dfl);
		dfl.sa_handler = SIG_DFL;
		sigemptyset(&dfl.sa_mask);
		for (size_t i = 0; i < ARRAY_LEN(caught); i++)
			sigaction(caught[i], &dfl, NULL);
		sigaction(SIGPIPE, &dfl, NULL);
		execl("/bin/sh", "sh", "-c", cmd, "upwiz-pager", path, (char *)NULL);
		_exit(127);
	}
	if (pid > 0) {
		int status, engine = ui->engine_gone ? -1 : client_fd(ui->c);
		for (;;) {
			struct pollfd fds[2] = { { sig_fds[0], POLLIN, 0 }, { engine, POLLIN, 0 } };
			pid_t w = waitpid(pid, &status, WNOHANG);
			if (w == pid || (w < 0 && errno != EINTR))
				break;
			if (poll(fds, 2, -1) < 0 && errno != EINTR)
				break;
			if (fds[0].revents & POLLIN) {
				unsigned char buf[64];
				while (read(sig_fds[0], buf, sizeof buf) > 0)
					;
			}
			if (engine >= 0 && (fds[1].revents & (POLLIN | POLLHUP | POLLERR))) {
				if (client_pump(ui->c, ui->v) <= 0) {
					ui->engine_gone = 1;
					engine = -1;
				}
			}
		}
	}
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGQUIT, &old_quit, NULL);
	term_resume();
	if (pid < 0)
		ui_flash(ui, ROLE_DANGER, "cannot start the pager: %s", strerror(errno));
	if (tmp != NULL) {
		unlink(tmp);
		free(tmp);
	}
	free(cmd);
}

static void
copy_last_error(struct ui *ui)
{
	const char *e = ui->v->last_error;
	char path[] = "/tmp/upwiz-error-XXXXXX";
	int fd;
	size_t n;

	if (e == NULL || *e == '\0') {
		ui_flash(ui, ROLE_DIM, "no error so far: nothing to copy");
		return;
	}
	n = strlen(e);
	fd = mkstemp(path);     /* 0600, a name nobody could have prepared */
	if (fd < 0 || write(fd, e, n) != (ssize_t)n || write(fd, "\n", 1) != 1) {
		if (fd >= 0) {
			close(fd);
			unlink(path);
		}
		term_osc52(e);
		ui_flash(ui, ROLE_WARN, "last error sent to the clipboard (OSC 52); /tmp not writable");
		return;
	}
	close(fd);
	term_osc52(e);
	ui_flash(ui, ROLE_OK, "last error copied (OSC 52) and saved to %s", path);
}

/* ---- keys ---- */

static int
can_review(const struct view_step *st)
{
	return st->state != ST_PENDING;
}

/* The index of the screen shown, for review navigation (nsteps for the summary). */
static int
shown_index(struct ui *ui)
{
	struct screen *s = ui_shown(ui);

	if (s->step != NULL)
		return s->index;
	if (s == &ui->summary)
		return (int)ui->nscreens;
	return -1;
}

static void
review_earlier(struct ui *ui)
{
	int from = shown_index(ui);

	for (int i = from - 1; i >= 0; i--) {
		if (i < (int)ui->v->nsteps && can_review(&ui->v->steps[i])) {
			ui->review = i;
			ui->log.has_match = 0;
			return;
		}
	}
	ui_flash(ui, ROLE_DIM, from <= 0 ? "this is the first step" : "no earlier step has run yet");
}

static void
review_later(struct ui *ui)
{
	int live = ui->v->finished ? (int)ui->v->nsteps : ui->v->current;

	for (int i = ui->review + 1; i < (int)ui->v->nsteps; i++) {
		if (i >= live && live >= 0) {
			ui->review = -1;
			return;
		}
		if (can_review(&ui->v->steps[i])) {
			ui->review = i;
			return;
		}
	}
	ui->review = -1;
}

static void
scroll_body(struct ui *ui, const struct key *k)
{
	struct screen *s = ui_shown(ui);
	int page = ui->h / 3;

	switch (k->act) {
	case ACT_UP: s->top--; break;
	case ACT_DOWN: s->top++; break;
	case ACT_PGUP: s->top -= page; break;
	case ACT_PGDN: s->top += page; break;
	case ACT_HOME: s->top = 0; break;
	case ACT_END:
		s->top = s->height;
		s->user_scrolled = 0;
		return;
	default: return;
	}
	if (s->top < 0)
		s->top = 0;
	s->user_scrolled = 1;
}

static int
is_scroll(const struct key *k)
{
	return k->act == ACT_UP || k->act == ACT_DOWN || k->act == ACT_PGUP || k->act == ACT_PGDN ||
	    k->act == ACT_HOME || k->act == ACT_END;
}

static enum outcome
open_menu(struct ui *ui)
{
	if (ui->v->finished)
		return LEAVE_FINISHED;
	if (ui_readonly(ui))
		return LEAVE_DETACH;    /* a watcher leaving changes nothing */
	ui->overlay = OV_MENU;
	return GO_ON;
}

static enum outcome
handle_key(struct ui *ui, const struct key *k, int *full)
{
	struct view *v = ui->v;
	struct screen *s;
	int field;

	if (k->act == ACT_NONE)
		return GO_ON;
	free(ui->flash);
	ui->flash = NULL;
	if (k->act == ACT_REDRAW) {
		*full = 1;
		return GO_ON;
	}
	if (ui->too_small) {
		if (k->act == ACT_CHAR && k->ch == 'd')
			return LEAVE_DETACH;
		if (k->act == ACT_CHAR && k->ch == 'q' && v->finished)
			return LEAVE_FINISHED;
		return GO_ON;
	}
	if (ui->overlay == OV_HELP) {
		switch (k->act) {
		case ACT_UP: ui->help_top--; break;
		case ACT_DOWN: ui->help_top++; break;
		case ACT_PGUP: ui->help_top -= ui->h / 2; break;
		case ACT_PGDN: ui->help_top += ui->h / 2; break;
		case ACT_HOME: ui->help_top = 0; break;
		case ACT_END: ui->help_top = ui->help_height; break;
		case ACT_ESC: case ACT_HELP: case ACT_ENTER: case ACT_INTERRUPT:
			ui->overlay = OV_NONE;
			break;
		case ACT_CHAR:
			if (k->ch == 'q' || k->ch == '?')
				ui->overlay = OV_NONE;
			break;
		default: break;
		}
		return GO_ON;
	}
	if (ui->overlay == OV_MENU) {
		if (k->act == ACT_CHAR && (k->ch == 'y' || k->ch == 'Y') && !ui_readonly(ui) &&
		    !v->finished) {
			ui->overlay = OV_NONE;
			if (client_cmd(ui->c, "abort") < 0)
				ui_flash(ui, ROLE_DANGER, "could not send the abort: the engine is not reachable");
			else
				ui_flash(ui, ROLE_WARN, "abort requested: the engine stops at the next safe point");
		} else if (k->act == ACT_CHAR && (k->ch == 'd' || k->ch == 'D')) {
			return LEAVE_DETACH;
		} else if (k->act == ACT_ESC || k->act == ACT_INTERRUPT || k->act == ACT_MENU ||
		    (k->act == ACT_CHAR && (k->ch == 'n' || k->ch == 'N' || k->ch == 'q'))) {
			ui->overlay = OV_NONE;
		}
		return GO_ON;
	}
	if (ui->log.typing)
		return log_key(ui, k), GO_ON;

	/* Keys that work everywhere. */
	switch (k->act) {
	case ACT_HELP:
		ui->overlay = OV_HELP;
		ui->help_top = 0;
		return GO_ON;
	case ACT_PAGER:
		run_pager(ui);
		*full = 1;
		return GO_ON;
	case ACT_COPY:
		copy_last_error(ui);
		return GO_ON;
	case ACT_MENU:
	case ACT_INTERRUPT:
		return open_menu(ui);
	case ACT_TAB:
		ui->log.focus = !ui->log.focus;
		return GO_ON;
	default:
		break;
	}
	if (ui->log.focus) {
		if (log_key(ui, k) == KEY_HANDLED)
			return GO_ON;
		if (k->act == ACT_CHAR && k->ch == 'q')
			return open_menu(ui);
		return GO_ON;
	}

	s = ui_shown(ui);
	field = ask_has_text_field(ui);
	if (ui->review >= 0) {
		switch (k->act) {
		case ACT_ESC:
		case ACT_LEFT:
			review_earlier(ui);
			return GO_ON;
		case ACT_RIGHT:
			review_later(ui);
			return GO_ON;
		case ACT_ENTER:
			ui->review = -1;
			return GO_ON;
		case ACT_CHAR:
			if (k->ch == 'b' && v->ask && !ui_readonly(ui) && !v->finished) {
				ui->review = -1;
				if (client_cmd(ui->c, "back") < 0)
					ui_flash(ui, ROLE_DANGER, "could not send: the engine is not reachable");
				else
					ui_flash(ui, ROLE_WARN, "asked the engine to go back; it only goes back "
					    "over steps without effects");
				return GO_ON;
			}
			break;
		default:
			break;
		}
	} else {
		if (ask_key(ui, k) == KEY_HANDLED)
			return GO_ON;
		if (k->act == ACT_ESC) {
			review_earlier(ui);
			return GO_ON;
		}
	}
	if (s->kind->key != NULL && s->kind->key(s, k) == KEY_HANDLED)
		return GO_ON;
	if (is_scroll(k)) {
		scroll_body(ui, k);
		return GO_ON;
	}
	if (k->act != ACT_CHAR || field)
		return GO_ON;
	switch (k->ch) {
	case '?':
		ui->overlay = OV_HELP;
		ui->help_top = 0;
		break;
	case '/':
		ui->log.focus = 1;
		log_search_start(ui);
		break;
	case 'n':
	case 'N':
		if (ui->log.pattern)
			log_search_next(ui, k->ch == 'n');
		break;
	case 'v':
		run_pager(ui);
		*full = 1;
		break;
	case 'c':
		copy_last_error(ui);
		break;
	case 'q':
		return open_menu(ui);
	case 'd':
		if (!v->finished)
			return LEAVE_DETACH;
		break;
	default:
		break;
	}
	return GO_ON;
}

/* ---- the loop ---- */

static void
print_clean(FILE *f, const char *s)
{
	/* The summary after endwin: text only, no escape sequences from anywhere. */
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '\n' || *p == '\t' || *p >= 0x20) {
			if (*p != 0x7F)
				fputc(*p, f);
		}
	}
	if (*s && s[strlen(s) - 1] != '\n')
		fputc('\n', f);
}

/* A short engine-supplied string for a message after endwin: controls become '?'. */
static const char *
clean(const char *s, char *buf, size_t size)
{
	size_t o = 0;

	if (s == NULL)
		s = "?";
	for (; *s && o + 1 < size; s++)
		buf[o++] = ((unsigned char)*s < 0x20 || *s == 0x7F) ? '?' : *s;
	buf[o] = '\0';
	return buf;
}

int
tui_run(struct client *c, struct view *v, const struct tui_opts *o)
{
	struct ui ui;
	char *cause = NULL;
	enum outcome out = GO_ON;
	unsigned long long drawn_gen = 0;
	uint64_t next_frame = 0, spin_due = 0, clock_due = 0, interval = FRAME_MIN_MS;
	int dirty = 1, urgent = 1, full = 0, engine_fd;
	const char *lc = setlocale(LC_CTYPE, NULL);

	if (lc == NULL || strcmp(lc, "C") == 0 || strcmp(lc, "POSIX") == 0)
		setlocale(LC_ALL, "");
	memset(&ui, 0, sizeof ui);
	ui.c = c;
	ui.v = v;
	ui.o = o;
	ui.review = -1;
	ui.log.follow = 1;
	ui.ask.sel = -1;
	cv_init(&ui.cv);
	if (signals_start() < 0) {
		fprintf(stderr, "upwiz: cannot set up signals: %s\n", strerror(errno));
		return 2;
	}
	if (o->record_dir != NULL)
		rec_want(o->record_dir, o->record_title ? o->record_title : "upwiz");
	if (term_start(&cause) < 0) {
		signals_stop();
		fprintf(stderr, "upwiz: %s\n", cause);
		free(cause);
		return 2;
	}
	fatal_set_hook(fatal_hook);
	engine_fd = client_fd(c);
	if (v->finished)
		ui.finished_at = wall_time();

	while (out == GO_ON) {
		uint64_t now = mono_ms();
		int timeout = -1;
		struct pollfd fds[3];

		if (v->generation != drawn_gen)
			dirty = 1;
		if (dirty && (urgent || now >= next_frame)) {
			uint64_t t0 = now, cost;
			ui.now = wall_time();
			term_size(&ui.h, &ui.w);
			layout_draw(&ui);
			term_draw(&ui.cv, ui.cursor_y, ui.cursor_x, full);
			rec_step_markers(v);
			drawn_gen = v->generation;
			dirty = urgent = full = 0;
			now = mono_ms();
			cost = now - t0;
			interval = cost * 2 > FRAME_MIN_MS ? cost * 2 : FRAME_MIN_MS;
			if (interval > FRAME_MAX_MS)
				interval = FRAME_MAX_MS;
			next_frame = t0 + interval;
			spin_due = ui.spin_used ? now + SPIN_MS : 0;
			clock_due = 0;
			if (ui.clock_shown && v->started > 0) {
				double el = ui.now - v->started;
				long ms = (long)((el - (double)(long)el) * 1000.0);
				clock_due = now + (uint64_t)(1000 - (ms < 0 ? 0 : ms > 999 ? 999 : ms)) + 1;
			}
		}
		if (dirty)
			timeout = next_frame > now ? (int)(next_frame - now) : 0;
		if (spin_due && (timeout < 0 || spin_due - now < (uint64_t)timeout))
			timeout = spin_due > now ? (int)(spin_due - now) : 0;
		if (clock_due && (timeout < 0 || clock_due - now < (uint64_t)timeout))
			timeout = clock_due > now ? (int)(clock_due - now) : 0;

		fds[0] = (struct pollfd){ sig_fds[0], POLLIN, 0 };
		fds[1] = (struct pollfd){ STDIN_FILENO, POLLIN, 0 };
		fds[2] = (struct pollfd){ ui.engine_gone ? -1 : engine_fd, POLLIN, 0 };
		if (poll(fds, 3, timeout) < 0 && errno != EINTR)
			fatal("poll: %s", strerror(errno));
		now = mono_ms();

		if (fds[0].revents & POLLIN) {
			unsigned char sigs[64];
			ssize_t n;
			while ((n = read(sig_fds[0], sigs, sizeof sigs)) > 0) {
				for (ssize_t i = 0; i < n; i++) {
					switch (sigs[i]) {
					case SIGWINCH:
						term_resize();
						dirty = urgent = full = 1;
						break;
					case SIGCONT:
						term_resize();
						dirty = urgent = full = 1;
						break;
					case SIGHUP:
					case SIGTERM:
						out = LEAVE_HANGUP;
						break;
					case SIGINT:
					case SIGQUIT:
						if (out == GO_ON)
							out = open_menu(&ui);
						dirty = urgent = 1;
						break;
					default:
						break;
					}
				}
			}
		}
		if (fds[2].revents & (POLLIN | POLLHUP | POLLERR)) {
			int was_watch = ui_readonly(&ui);
			int r = client_pump(c, v);
			if (was_watch && !ui_readonly(&ui))
				ui_flash(&ui, ROLE_WARN, "the controlling session left: this session now answers");
			if (r <= 0) {
				ui.engine_gone = 1;
				if (!v->finished && out == GO_ON)
					out = LEAVE_ENGINE_GONE;
			}
		}
		if (v->finished && ui.finished_at == 0)
			ui.finished_at = wall_time();
		if (fds[1].revents & POLLIN) {
			struct key k;
			while (out == GO_ON && term_key(&k)) {
				ask_sync(&ui);
				out = handle_key(&ui, &k, &full);
				dirty = urgent = 1;
			}
			if (ui.engine_gone && !v->finished && out == GO_ON)
				out = LEAVE_ENGINE_GONE;
		} else if (fds[1].revents & (POLLHUP | POLLERR | POLLNVAL)) {
			out = LEAVE_HANGUP;
		}
		if (spin_due && now >= spin_due) {
			ui.spin++;
			spin_due = 0;
			dirty = 1;
		}
		if (clock_due && now >= clock_due) {
			clock_due = 0;
			dirty = 1;
		}
	}

	if (out == LEAVE_FINISHED || out == LEAVE_DETACH || out == LEAVE_HANGUP)
		if (!ui.engine_gone)
			client_cmd(c, "quit");
	term_stop();
	fatal_set_hook(NULL);
	signals_stop();
	{
		char run[128], outcome[64];
		clean(v->run, run, sizeof run);
		clean(v->outcome, outcome, sizeof outcome);
		switch (out) {
		case LEAVE_FINISHED:
			if (v->summary && *v->summary)
				print_clean(stdout, v->summary);
			printf("upwiz: run %s finished: %s (exit code %d)\n", run, outcome, v->exit_code);
			break;
		case LEAVE_DETACH:
			if (ui_readonly(&ui))
				printf("upwiz: stopped watching run %s; it keeps going. Watch again: "
				    "upwiz watch %s\n", run, run);
			else
				printf("upwiz: detached from run %s; the upgrade keeps going.\n"
				    "Re-attach with: upwiz attach %s\n", run, run);
			break;
		case LEAVE_ENGINE_GONE:
			fprintf(stderr, "upwiz: the engine of run %s went away before the run finished.%s%s\n",
			    run, o->log_path ? " Its log: " : "", o->log_path ? o->log_path : "");
			break;
		default:
			break;
		}
	}
	fflush(stdout);
	ask_clear(&ui.ask);
	ui_free_screens(&ui);
	cv_free(&ui.cv);
	sb_free(&ui.log.typed);
	free(ui.log.pattern);
	free(ui.flash);
	switch (out) {
	case LEAVE_FINISHED:
		return v->exit_code;
	case LEAVE_ENGINE_GONE:
		return 1;
	default:
		return 0;
	}
}
