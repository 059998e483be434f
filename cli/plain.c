/*
 * plain.c: the line-mode front end (plain.h).
 *
 * Printing is driven by events, not by the view: plain_run() puts a tap on the client, so it
 * sees every line right after the view has applied it, parses it once more and prints what it
 * means, using the view for context (a step's index and title). Diffing the view instead would
 * lose log lines (more than log_cap can arrive in one pump) and `answered` events (the view
 * keeps no record of them). What has been printed is remembered only where the output rules
 * need it: an item's last printed status (print once per status change, never `run`), each
 * step's last printed progress (at most every 2 s or at 10% steps) and state (a header when it
 * starts, again after a retry).
 *
 * Questions. The tap prints the question; the loop in plain_run() asks for input when one is
 * open, this front end may answer it (not readonly, not unattended, role not `watch`, an
 * `in`), and no answer has gone out since the `ask` arrived. An `ask` event (even for the
 * same qid: the engine re-asks after a rejected answer) arms the prompt; our answer or an
 * `answered` disarms it. When `in` has a descriptor, input and socket are polled together and
 * the input is cut into lines here with read(2): events keep printing while the operator
 * thinks, a question answered elsewhere stops the wait, and nothing hides in a stdio buffer
 * where poll() cannot see it. Input lives in one fixed buffer (no reallocation leaving copies
 * of a secret behind) that is wiped after every line; secrets from a terminal are read with
 * ECHO off, restored on every path out, and by a SIGINT/SIGTERM/SIGHUP/SIGQUIT handler that
 * only calls tcsetattr() before the signal takes its default course.
 *
 * Output is sanitised: C0/C1 controls and DEL become '?', so no escape sequence from a
 * vendor script reaches the terminal. Colour only when `out` is a terminal, NO_COLOR is unset
 * or empty and TERM is not "dumb".
 */
#include "cli/plain.h"

#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <termios.h>
#include <unistd.h>

#include "core/util.h"

#define IN_MAX 4096
#define PROGRESS_EVERY_MS 2000

#define C_BOLD "\033[1m"
#define C_GREEN "\033[32m"
#define C_YELLOW "\033[33m"
#define C_RED "\033[31m"
#define C_CYAN "\033[36m"
#define C_DIM "\033[2m"
#define C_OFF "\033[0m"

struct seen_item {
	char *step, *key, *status;
};

struct seen_step {
	char *id;
	enum step_state state;
	char *end_note;           /* the note a final state (done, failed, skipped) was printed with */
	int have_prog;
	uint64_t prog_ms;
	int prog_decile;
	double prog_done, prog_total;
	char *body;               /* the step's body as last printed */
};

struct plain {
	const struct plain_opts *o;
	struct client *c;
	struct view *v;
	FILE *out, *in;
	int in_fd;
	int in_tty;               /* the terminal echoes what is typed */
	int color;
	client_tap_fn next_tap;
	void *next_ud;
	struct seen_item *items;
	size_t nitems;
	struct seen_step *steps;
	size_t nsteps;
	int need_prompt;          /* an `ask` is open and we have not answered it */
	int no_return_said;       /* the point of no return was announced (the first irreversible step started) */
	int prompt_open;          /* "> " printed and no newline after it yet */
	char inbuf[IN_MAX];       /* input from in_fd, not yet a whole line */
	size_t inlen;
	int in_dropping;          /* discarding the rest of an over-long input line */
};

/* ---- output */

static void out_begin(struct plain *p)
{
	if (p->prompt_open) {
		fputc('\n', p->out);
		p->prompt_open = 0;
	}
}

static void lit(struct plain *p, const char *s) { fputs(s, p->out); }

static void col(struct plain *p, const char *code)
{
	if (p->color)
		fputs(code, p->out);
}

/* Text from the engine, n bytes, with controls replaced. */
static void txtn(struct plain *p, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = u[i];
		if (ch == '\t') {
			fputc(' ', p->out);
		} else if (ch < 0x20 || ch == 0x7f) {
			fputc('?', p->out);
		} else if (ch == 0xC2 && i + 1 < n && u[i + 1] >= 0x80 && u[i + 1] <= 0x9F) {
			fputc('?', p->out);   /* a C1 control in UTF-8: some terminals obey it */
			i++;
		} else {
			fputc(ch, p->out);
		}
	}
}

static void txt(struct plain *p, const char *s)
{
	if (s)
		txtn(p, s, strlen(s));
}

/* Every line of `text` as prefix + line (CR before LF dropped; a trailing newline adds nothing). */
static void block(struct plain *p, const char *prefix, const char *color, const char *text)
{
	if (!text)
		return;
	const char *s = text;
	while (*s) {
		const char *nl = strchr(s, '\n');
		size_t n = nl ? (size_t)(nl - s) : strlen(s);
		size_t m = n && s[n - 1] == '\r' ? n - 1 : n;
		out_begin(p);
		if (color)
			col(p, color);
		lit(p, prefix);
		txtn(p, s, m);
		if (color)
			col(p, C_OFF);
		fputc('\n', p->out);
		s += n + (nl ? 1 : 0);
	}
}

static void num(struct plain *p, double d)
{
	if (d > -1e15 && d < 1e15 && d == (double)(long long)d)
		fprintf(p->out, "%lld", (long long)d);
	else
		fprintf(p->out, "%.1f", d);
}

/* ---- what was printed */

static void seen_reset(struct plain *p)
{
	for (size_t i = 0; i < p->nitems; i++) {
		free(p->items[i].step);
		free(p->items[i].key);
		free(p->items[i].status);
	}
	free(p->items);
	p->items = NULL;
	p->nitems = 0;
	for (size_t i = 0; i < p->nsteps; i++)
		free(p->steps[i].id), free(p->steps[i].body), free(p->steps[i].end_note);
	free(p->steps);
	p->steps = NULL;
	p->nsteps = 0;
}

static struct seen_step *seen_step(struct plain *p, const char *id)
{
	for (size_t i = 0; i < p->nsteps; i++)
		if (strcmp(p->steps[i].id, id) == 0)
			return &p->steps[i];
	p->steps = xreallocarray(p->steps, p->nsteps + 1, sizeof *p->steps);
	struct seen_step *s = &p->steps[p->nsteps++];
	memset(s, 0, sizeof *s);
	s->id = xstrdup(id);
	s->state = ST_PENDING;
	return s;
}

/* 1 when (step, key) had not been printed with this status; records it. */
static int item_changed(struct plain *p, const char *step, const char *key, const char *status)
{
	for (size_t i = 0; i < p->nitems; i++) {
		struct seen_item *it = &p->items[i];
		if (strcmp(it->step, step) == 0 && strcmp(it->key, key) == 0) {
			if (strcmp(it->status, status) == 0)
				return 0;
			free(it->status);
			it->status = xstrdup(status);
			return 1;
		}
	}
	p->items = xreallocarray(p->items, p->nitems + 1, sizeof *p->items);
	p->items[p->nitems++] = (struct seen_item){xstrdup(step), xstrdup(key), xstrdup(status)};
	return 1;
}

/* ---- one printer per event */

static const char *jstr(const json_t *o, const char *k)
{
	const json_t *x = json_object_get(o, k);
	return json_is_string(x) ? json_string_value(x) : NULL;
}

static void step_header(struct plain *p, const struct view_step *s)
{
	out_begin(p);
	col(p, C_BOLD);
	fprintf(p->out, "== [%zu/%zu] ", (size_t)(s - p->v->steps) + 1, p->v->nsteps);
	txt(p, s->id);
	lit(p, ": ");
	txt(p, s->title ? s->title : s->id);
	col(p, C_OFF);
	fputc('\n', p->out);
}

static void print_hello(struct plain *p)
{
	const struct view *v = p->v;
	seen_reset(p);
	out_begin(p);
	col(p, C_BOLD);
	lit(p, "== upwiz run ");
	txt(p, v->run ? v->run : "?");
	if (v->title) {
		lit(p, ": ");
		txt(p, v->title);
	}
	col(p, C_OFF);
	fputc('\n', p->out);
	out_begin(p);
	lit(p, "   profile ");
	txt(p, v->profile ? v->profile : "?");
	if (v->from || v->to) {
		lit(p, ", ");
		txt(p, v->from ? v->from : "?");
		lit(p, " -> ");
		txt(p, v->to ? v->to : "?");
	}
	if (v->target && *v->target) {
		lit(p, ", target ");
		txt(p, v->target);
	}
	fprintf(p->out, ", %zu steps", v->nsteps);
	if (v->sandbox)
		lit(p, ", SANDBOX");
	if (v->role && strcmp(v->role, "control") != 0) {
		lit(p, ", role ");
		txt(p, v->role);
	}
	fputc('\n', p->out);
	for (size_t i = 0; i < v->nsteps; i++) {
		struct seen_step *ss = seen_step(p, v->steps[i].id);
		ss->state = v->steps[i].state;
		if ((int)i == v->current)
			step_header(p, &v->steps[i]);
	}
}

static void print_step(struct plain *p, const json_t *o)
{
	struct view_step *s = view_step_by_id(p->v, jstr(o, "id"));
	if (!s)
		return;
	struct seen_step *ss = seen_step(p, s->id);
	enum step_state old = ss->state;
	ss->state = s->state;
	if (s->state == ST_DONE || s->state == ST_FAILED || s->state == ST_SKIPPED) {
		/* the engine says a final state again only with a new note ("rolled back"): print
		 * that, never the same line twice */
		const char *note = s->note ? s->note : "";
		if (old == s->state && ss->end_note && strcmp(ss->end_note, note) == 0)
			return;
		free(ss->end_note);
		ss->end_note = xstrdup(note);
	}
	switch (s->state) {
	case ST_RUNNING:
	case ST_WAITING:
		if (old != ST_RUNNING && old != ST_WAITING) {
			step_header(p, s);
			ss->have_prog = 0;
			if (!s->reversible && !p->no_return_said) {
				/* the rail's marker, in words: from here on roll-back cannot undo everything */
				p->no_return_said = 1;
				out_begin(p);
				col(p, C_YELLOW);
				lit(p, "   !! point of no return: ");
				txt(p, s->title ? s->title : s->id);
				lit(p, " cannot be undone by a roll-back");
				col(p, C_OFF);
				fputc('\n', p->out);
			}
		}
		break;
	case ST_DONE:
		out_begin(p);
		lit(p, "   -- done");
		break;
	case ST_FAILED:
		out_begin(p);
		col(p, C_RED);
		lit(p, "   -- FAILED");
		col(p, C_OFF);
		break;
	case ST_SKIPPED:
		out_begin(p);
		lit(p, "   -- skipped");
		break;
	case ST_PENDING:
		if (old == ST_PENDING)
			return;
		out_begin(p);
		lit(p, "   -- back to pending");
		break;
	}
	if (s->state == ST_RUNNING || s->state == ST_WAITING) {
		if (s->note && *s->note && old != s->state)
			block(p, "   ", NULL, s->note);
		return;
	}
	lit(p, ": ");
	txt(p, s->id);
	if (s->note && *s->note) {
		lit(p, " (");
		txt(p, s->note);
		lit(p, ")");
	}
	fputc('\n', p->out);
}

static void print_item(struct plain *p, const json_t *o)
{
	const char *step = jstr(o, "step"), *key = jstr(o, "key"), *status = jstr(o, "status");
	if (!step || !key || !status || strcmp(status, "run") == 0)
		return;
	if (!item_changed(p, step, key, status))
		return;
	const char *tag = status, *color = NULL;
	if (strcmp(status, "pass") == 0)
		tag = "ok", color = C_GREEN;
	else if (strcmp(status, "warn") == 0)
		tag = "WARN", color = C_YELLOW;
	else if (strcmp(status, "fail") == 0)
		tag = "FAIL", color = C_RED;
	else if (strcmp(status, "info") == 0)
		tag = "-";   /* a note (a precaution, an optional command not run), not an outcome */
	const char *name = jstr(o, "name"), *detail = jstr(o, "detail"), *fix = jstr(o, "fix");
	out_begin(p);
	lit(p, "   ");
	if (color)
		col(p, color);
	txt(p, tag);
	if (color)
		col(p, C_OFF);
	for (size_t n = strlen(tag); n < 4; n++)
		fputc(' ', p->out);
	fputc(' ', p->out);
	txt(p, name ? name : key);
	if (detail && *detail) {
		lit(p, "  ");
		txt(p, detail);
	}
	fputc('\n', p->out);
	if (fix && *fix)
		block(p, "        fix: ", NULL, fix);
}

static void print_progress(struct plain *p, const json_t *o)
{
	struct view_step *s = view_step_by_id(p->v, jstr(o, "step"));
	if (!s)
		return;
	struct seen_step *ss = seen_step(p, s->id);
	uint64_t now = mono_ms();
	double done = s->prog_done, total = s->prog_total;
	int decile = -1;
	if (total > 0) {
		double d = done * 10 / total;
		decile = d < 0 ? 0 : d > 10 ? 10 : (int)d;
	}
	int due = !ss->have_prog || now - ss->prog_ms >= PROGRESS_EVERY_MS ||
	          (total > 0 && decile != ss->prog_decile);
	if (ss->have_prog && done == ss->prog_done && total == ss->prog_total)
		due = 0;   /* nothing moved */
	if (!due)
		return;
	ss->have_prog = 1;
	ss->prog_ms = now;
	ss->prog_decile = decile;
	ss->prog_done = done;
	ss->prog_total = total;
	out_begin(p);
	/* A percent when the total is known, then the counts and the label. A label that begins with
	 * a figure carries its own ("9/23 statements", "12.3 MB written"): the counts (statements,
	 * bytes) would only repeat it. */
	lit(p, "   ... ");
	const char *label = s->prog_label && *s->prog_label ? s->prog_label : NULL;
	if (total > 0)
		fprintf(p->out, "%3d%% ", (int)(done >= total ? 100 : done <= 0 ? 0 : done * 100 / total));
	if (!label || !(*label >= '0' && *label <= '9')) {
		num(p, done);
		if (total > 0) {
			fputc('/', p->out);
			num(p, total);
		}
		if (label)
			fputc(' ', p->out);
	}
	if (label)
		txt(p, label);
	fputc('\n', p->out);
}

static void print_log(struct plain *p, const json_t *o)
{
	const char *text = jstr(o, "text"), *level = jstr(o, "level");
	if (!text || jstr(o, "echo"))
		return;   /* an echo repeats an event printed already (an item's outcome) */
	const char *prefix = "   | ", *color = NULL;
	if (level) {
		if (strcmp(level, "cmd") == 0)
			prefix = "   $ ";
		else if (strcmp(level, "sql") == 0)
			prefix = "   sql> ";
		else if (strcmp(level, "error") == 0)
			prefix = "   ERROR ", color = C_RED;
		else if (strcmp(level, "warn") == 0)
			prefix = "   WARN ", color = C_YELLOW;
	}
	block(p, prefix, color, *text ? text : " ");
}

/* The options a question offers: its own, or the fixed ones of failure / resume. */
static const struct view_option *question_options(const struct view_question *q, size_t *n)
{
	static const struct view_option failure[] = {
		{"retry", "try the step again", 0}, {"skip", "go on without it", 0},
		{"abort", "stop the run", 0}};
	static const struct view_option resume[] = {{"yes", "resume the run", 0}, {"no", "do not", 0}};
	if (q->noptions) {
		*n = q->noptions;
		return q->options;
	}
	if (q->kind && strcmp(q->kind, "failure") == 0) {
		*n = ARRAY_LEN(failure);
		return failure;
	}
	if (q->kind && strcmp(q->kind, "resume") == 0) {
		*n = ARRAY_LEN(resume);
		return resume;
	}
	*n = 0;
	return NULL;
}

static int kind_is(const struct view_question *q, const char *k)
{
	return q->kind && strcmp(q->kind, k) == 0;
}

static int can_answer(const struct plain *p)
{
	return !p->o->readonly && !p->o->unattended && p->in &&
	       !(p->v->role && strcmp(p->v->role, "watch") == 0);
}

static void print_question(struct plain *p)
{
	const struct view_question *q = p->v->ask;
	if (!q)
		return;
	out_begin(p);
	col(p, C_BOLD C_CYAN);
	lit(p, "?  ");
	/* A prompt of several lines (an SQL error, then the statement): the first after "?", the
	 * others indented under it, rather than a '?' where each newline was. */
	const char *pr = q->prompt && *q->prompt ? q->prompt : q->qid;
	const char *nl = strchr(pr, '\n');
	txtn(p, pr, nl ? (size_t)(nl - pr) : strlen(pr));
	col(p, C_OFF);
	fputc('\n', p->out);
	if (nl && nl[1])
		block(p, "   ", NULL, nl + 1);
	if (q->detail && *q->detail)
		block(p, "   ", NULL, q->detail);
	size_t n;
	const struct view_option *opt = question_options(q, &n);
	for (size_t i = 0; i < n; i++) {
		fprintf(p->out, "   %zu) ", i + 1);
		txt(p, opt[i].key);
		if (opt[i].label && *opt[i].label && strcmp(opt[i].label, opt[i].key) != 0) {
			lit(p, "  ");
			txt(p, opt[i].label);
		}
		if (opt[i].danger) {
			lit(p, " ");
			col(p, C_RED);
			lit(p, "[DANGER]");
			col(p, C_OFF);
		}
		fputc('\n', p->out);
	}
	if (kind_is(q, "confirm") && q->expect) {
		lit(p, "   type \"");
		txt(p, q->expect);
		lit(p, "\" to confirm\n");
	}
	if (p->o->unattended)
		lit(p, "   (unattended: the answers file answers)\n");
	else if (!p->in && !p->o->readonly)
		lit(p, "   (no input here: waiting for an answer from elsewhere)\n");
	else if (!can_answer(p))
		lit(p, "   (watching: the controlling front end answers)\n");
}

static void print_answered(struct plain *p, const json_t *o)
{
	const char *qid = jstr(o, "qid"), *value = jstr(o, "value"), *by = jstr(o, "by");
	out_begin(p);
	lit(p, "   -> answered ");
	txt(p, value ? value : "");
	if (by && *by) {
		lit(p, " (by ");
		txt(p, by);
		lit(p, ")");
	}
	fputc('\n', p->out);
	(void)qid;   /* the view closed the question if it was the open one */
	if (!p->v->ask)
		p->need_prompt = 0;
}

/* A step's body; one that extends the body printed before (a backup's plan, then the same plan
 * with the restore commands) prints only what it adds. */
static void print_body(struct plain *p, const struct view_step *s)
{
	if (!s || !s->body || !*s->body)
		return;
	struct seen_step *ss = seen_step(p, s->id);
	const char *text = s->body;
	size_t had = ss->body ? strlen(ss->body) : 0;
	if (had && strncmp(text, ss->body, had) == 0) {
		text += had;
		while (*text == '\n')
			text++;
	}
	if (*text)
		block(p, "   ", NULL, text);
	free(ss->body);
	ss->body = xstrdup(s->body);
}

static void print_finished(struct plain *p)
{
	const struct view *v = p->v;
	int ok = v->outcome && strcmp(v->outcome, "success") == 0;
	out_begin(p);
	col(p, C_BOLD);
	col(p, ok ? C_GREEN : C_RED);
	lit(p, "== finished: ");
	txt(p, v->outcome ? v->outcome : "?");
	fprintf(p->out, " (exit %d)", v->exit_code);
	col(p, C_OFF);
	fputc('\n', p->out);
	if (v->summary && *v->summary)
		block(p, "   ", NULL, v->summary);
}

static void tap(void *ud, const char *line, size_t len)
{
	struct plain *p = ud;
	json_t *o = json_loadb(line, len, 0, NULL);
	const char *t = json_is_object(o) ? jstr(o, "t") : NULL;
	if (!t) {
		/* not an event: the view ignored it too */
	} else if (strcmp(t, "hello") == 0) {
		print_hello(p);
		p->need_prompt = 0;
	} else if (strcmp(t, "step") == 0) {
		print_step(p, o);
	} else if (strcmp(t, "item") == 0) {
		print_item(p, o);
	} else if (strcmp(t, "body") == 0) {
		print_body(p, view_step_by_id(p->v, jstr(o, "step")));
	} else if (strcmp(t, "progress") == 0) {
		print_progress(p, o);
	} else if (strcmp(t, "log") == 0) {
		print_log(p, o);
	} else if (strcmp(t, "skipped") == 0) {
		/* this front end fell behind a flood: the engine sent the tail only */
		const json_t *jn = json_object_get(o, "lines");
		if (json_is_integer(jn)) {
			char msg[160];
			snprintf(msg, sizeof msg, "[... %lld lines not shown: the run's log has every line]",
				 (long long)json_integer_value(jn));
			block(p, "   | ", C_DIM, msg);
		}
	} else if (strcmp(t, "ask") == 0) {
		if (p->v->ask && jstr(o, "qid") && strcmp(p->v->ask->qid, jstr(o, "qid")) == 0) {
			print_question(p);
			p->need_prompt = 1;
		}
	} else if (strcmp(t, "answered") == 0) {
		print_answered(p, o);
	} else if (strcmp(t, "role") == 0) {
		out_begin(p);
		lit(p, "== role: ");
		txt(p, p->v->role);
		fputc('\n', p->out);
		if (p->v->ask && can_answer(p) && !p->need_prompt) {
			print_question(p);   /* now ours to answer */
			p->need_prompt = 1;
		}
	} else if (strcmp(t, "finished") == 0) {
		print_finished(p);
	}
	json_decref(o);
	/* no flush per event: a statement per 0.2 ms would cost a write each; the callers flush
	 * after each batch read from the socket (what came in one read: 15 ms of log at most) */
	if (p->next_tap)
		p->next_tap(p->next_ud, line, len);
}

/* ---- input */

static struct termios tio_saved;
static volatile sig_atomic_t tio_fd = -1;
static struct sigaction sa_saved[4];
static const int tio_signals[4] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};

static void tio_on_signal(int sig)
{
	/* SA_RESETHAND made the default action current: put the echo back, then let it happen */
	if (tio_fd >= 0)
		tcsetattr(tio_fd, TCSANOW, &tio_saved);
	raise(sig);
}

static int echo_off(int fd)
{
	struct termios t;
	if (fd < 0 || !isatty(fd) || tcgetattr(fd, &tio_saved) < 0)
		return 0;
	struct sigaction sa = {.sa_handler = tio_on_signal, .sa_flags = SA_RESETHAND};
	sigemptyset(&sa.sa_mask);
	tio_fd = fd;
	for (size_t i = 0; i < ARRAY_LEN(tio_signals); i++)
		sigaction(tio_signals[i], &sa, &sa_saved[i]);
	t = tio_saved;
	t.c_lflag &= ~(tcflag_t)(ECHO | ECHOE | ECHOK | ECHONL);
	tcsetattr(fd, TCSAFLUSH, &t);
	return 1;
}

static void echo_restore(struct plain *p)
{
	if (tio_fd < 0)
		return;
	tcsetattr(tio_fd, TCSANOW, &tio_saved);   /* keeps what was typed ahead */
	for (size_t i = 0; i < ARRAY_LEN(tio_signals); i++)
		sigaction(tio_signals[i], &sa_saved[i], NULL);
	tio_fd = -1;
	fputc('\n', p->out);   /* the operator's Enter was not echoed */
	p->prompt_open = 0;
}

enum { IN_LINE, IN_EOF, IN_GONE_Q, IN_GONE_ENGINE, IN_TOO_LONG };

/* Takes one line out of p->inbuf into buf (NUL-terminated, newline removed). 1 if there was one. */
static int take_line(struct plain *p, char *buf, int *too_long)
{
	char *nl = memchr(p->inbuf, '\n', p->inlen);
	if (!nl)
		return 0;
	size_t n = (size_t)(nl - p->inbuf);
	*too_long = p->in_dropping;
	if (!p->in_dropping)
		memcpy(buf, p->inbuf, n);
	buf[p->in_dropping ? 0 : n] = '\0';
	p->in_dropping = 0;
	memmove(p->inbuf, nl + 1, p->inlen - n - 1);
	p->inlen -= n + 1;
	explicit_bzero(p->inbuf + p->inlen, n + 1);
	return 1;
}

static void prompt_show(struct plain *p, const char *hint)
{
	out_begin(p);
	if (hint)
		fprintf(p->out, "[%s] ", hint);
	lit(p, "> ");
	fflush(p->out);
	p->prompt_open = 1;
}

/*
 * Reads one line for the question qid into buf (IN_MAX bytes). With a descriptor, polls it with
 * the socket: events are pumped (and printed) meanwhile, and when the question is gone (answered
 * elsewhere, replaced, the run finished) IN_GONE_Q is returned.
 */
static int read_answer(struct plain *p, const char *qid, const char *hint, char *buf)
{
	if (p->in_fd < 0) {
		/* no descriptor (fmemopen): take what already came, then block on the stream */
		int r = client_pump(p->c, p->v);
		fflush(p->out);
		if (r < 0 || (r == 0 && !p->v->finished))
			return IN_GONE_ENGINE;
		if (!p->v->ask || strcmp(p->v->ask->qid, qid) != 0 || !p->need_prompt || p->v->finished)
			return IN_GONE_Q;
		prompt_show(p, hint);
		if (!fgets(buf, IN_MAX, p->in))
			return IN_EOF;
		p->prompt_open = 0;
		size_t n = strlen(buf);
		if (n && buf[n - 1] == '\n') {
			buf[n - 1] = '\0';
			return IN_LINE;
		}
		if (feof(p->in))
			return IN_LINE;   /* a last line without a newline */
		int ch;
		while ((ch = fgetc(p->in)) != EOF && ch != '\n')
			;
		explicit_bzero(buf, IN_MAX);
		return IN_TOO_LONG;
	}
	int too_long = 0;
	for (;;) {
		if (take_line(p, buf, &too_long)) {
			p->prompt_open = 0;
			return too_long ? IN_TOO_LONG : IN_LINE;
		}
		if (!p->prompt_open)
			prompt_show(p, hint);
		struct pollfd pf[2] = {{.fd = p->in_fd, .events = POLLIN},
		                       {.fd = client_fd(p->c), .events = POLLIN}};
		if (poll(pf, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			return IN_GONE_ENGINE;
		}
		if (pf[1].revents) {
			int r = client_pump(p->c, p->v);
			fflush(p->out);
			if (p->v->finished || !p->v->ask || strcmp(p->v->ask->qid, qid) != 0 ||
			    !p->need_prompt || !can_answer(p))
				return IN_GONE_Q;
			if (r <= 0)
				return IN_GONE_ENGINE;
		}
		if (pf[0].revents) {
			if (p->inlen == sizeof p->inbuf) {
				/* no newline in a full buffer: drop it, and the rest up to the newline */
				explicit_bzero(p->inbuf, sizeof p->inbuf);
				p->inlen = 0;
				p->in_dropping = 1;
			}
			ssize_t n = read(p->in_fd, p->inbuf + p->inlen, sizeof p->inbuf - p->inlen);
			if (n < 0 && (errno == EINTR || errno == EAGAIN))
				continue;
			if (n <= 0) {
				if (p->inlen && !p->in_dropping) {
					/* a last line without a newline */
					memcpy(buf, p->inbuf, p->inlen);
					buf[p->inlen] = '\0';
					explicit_bzero(p->inbuf, p->inlen);
					p->inlen = 0;
					p->prompt_open = 0;
					return IN_LINE;
				}
				return IN_EOF;
			}
			p->inlen += (size_t)n;
		}
	}
}

static int utf8_valid(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	while (*u) {
		unsigned c = *u;
		size_t n = c < 0x80 ? 0 : (c & 0xE0) == 0xC0 ? 1 : (c & 0xF0) == 0xE0 ? 2 : (c & 0xF8) == 0xF0 ? 3 : 9;
		if (n == 9 || (n == 1 && c < 0xC2) || (n == 3 && c > 0xF4))
			return 0;
		unsigned cp = n == 0 ? c : c & (0x3F >> n);
		for (size_t i = 1; i <= n; i++) {
			if ((u[i] & 0xC0) != 0x80)
				return 0;
			cp = (cp << 6) | (u[i] & 0x3F);
		}
		if ((n == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) || (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)))
			return 0;
		u += n + 1;
	}
	return 1;
}

/*
 * The answer value for input `in` (NULL: ask again, *why says why), or one of the command
 * strings ":abort" / ":back". The result points into `in` or at a string of the view.
 */
static const char *resolve(const struct view_question *q, char *in, const char **why)
{
	int free_text = kind_is(q, "text") || kind_is(q, "secret");
	if (free_text) {
		size_t n = strlen(in);
		if (n && in[n - 1] == '\r')
			in[n - 1] = '\0';
		if (kind_is(q, "text") && !*in && q->def)
			return q->def;
		return in;
	}
	char *s = str_trim(in);
	if (strcmp(s, ":abort") == 0 || strcmp(s, ":back") == 0)
		return s;
	if (kind_is(q, "confirm")) {
		if (!*s)
			*why = "type the confirmation text";
		return *s ? s : NULL;
	}
	size_t n;
	const struct view_option *opt = question_options(q, &n);
	if (n == 0) {
		/* next (or an unknown kind without options): anything but a refusal goes on */
		if (!*s || strcasecmp(s, "y") == 0 || strcasecmp(s, "yes") == 0)
			return kind_is(q, "next") ? "yes" : *s ? s : q->def ? q->def : "yes";
		if (!kind_is(q, "next"))
			return s;
		*why = "press Enter (or type yes) to go on, :back or :abort";
		return NULL;
	}
	if (!*s) {
		const struct view_option *d = NULL;
		for (size_t i = 0; q->def && i < n; i++)
			if (strcmp(opt[i].key, q->def) == 0)
				d = &opt[i];
		if (d && !d->danger)
			return d->key;
		if (q->def && !d && kind_is(q, "next"))
			return q->def;
		*why = d ? "the default is dangerous: type it to choose it" : "choose a number or a key";
		return NULL;
	}
	char *end;
	long k = strtol(s, &end, 10);
	if (*end == '\0' && k >= 1 && (size_t)k <= n)
		return opt[k - 1].key;
	for (size_t i = 0; i < n; i++)
		if (strcmp(opt[i].key, s) == 0)
			return opt[i].key;
	for (size_t i = 0; i < n; i++)
		if (strcasecmp(opt[i].key, s) == 0)
			return opt[i].key;
	/* failure: r/s/a; resume: y/n: a unique first letter */
	if (strlen(s) == 1) {
		const struct view_option *hit = NULL;
		int count = 0;
		for (size_t i = 0; i < n; i++)
			if (tolower((unsigned char)opt[i].key[0]) == tolower((unsigned char)s[0]))
				hit = &opt[i], count++;
		if (count == 1)
			return hit->key;
	}
	*why = "not an option: choose a number or a key";
	return NULL;
}

static const char *prompt_hint(const struct view_question *q)
{
	if (kind_is(q, "next"))
		return "Enter";
	if (kind_is(q, "secret") || kind_is(q, "confirm"))
		return NULL;
	size_t n;
	const struct view_option *opt = question_options(q, &n);
	for (size_t i = 0; q->def && i < n; i++)
		if (strcmp(opt[i].key, q->def) == 0)
			return opt[i].danger ? NULL : q->def;
	return q->def && *q->def ? q->def : NULL;   /* no "[] >" for a text without a default */
}

/* Asks until an answer went out. 0: answered / gone / a command sent; 1: input EOF (the run was
 * aborted); -1: the engine vanished. */
static int ask_operator(struct plain *p)
{
	char *qid = xstrdup(p->v->ask->qid);
	char *buf = xmalloc(IN_MAX);
	int ret = 0;
	for (;;) {
		const struct view_question *q = p->v->ask;
		int secret = kind_is(q, "secret");
		int hidden = secret && echo_off(p->in_fd);
		int r = read_answer(p, qid, prompt_hint(q), buf);
		if (hidden)
			echo_restore(p);
		if (r == IN_GONE_Q) {
			out_begin(p);
			break;
		}
		if (r == IN_GONE_ENGINE) {
			ret = -1;
			break;
		}
		if (r == IN_EOF) {
			out_begin(p);
			lit(p, "== input closed at a question: aborting the run\n");
			client_cmd(p->c, "abort");
			ret = 1;
			break;
		}
		if (!p->in_tty) {
			/* nothing echoed the input: show it, so the transcript reads like a dialogue */
			if (r == IN_LINE && !secret)
				txt(p, buf);
			fputc('\n', p->out);
		}
		q = p->v->ask;
		if (r == IN_TOO_LONG) {
			fprintf(p->out, "   ? too long (at most %d bytes)\n", IN_MAX - 1);
			continue;
		}
		const char *why = NULL;
		const char *val = resolve(q, buf, &why);
		if (val && !utf8_valid(val)) {
			val = NULL;
			why = "not valid UTF-8";
		}
		if (!val) {
			fprintf(p->out, "   ? %s\n", why ? why : "try again");
			explicit_bzero(buf, IN_MAX);
			continue;
		}
		int sent;
		if (!secret && !kind_is(q, "text") && (strcmp(val, ":abort") == 0 || strcmp(val, ":back") == 0)) {
			sent = client_cmd(p->c, val + 1);
			fprintf(p->out, "   -> %s requested\n", val + 1);
		} else {
			sent = client_answer(p->c, qid, val);
		}
		explicit_bzero(buf, IN_MAX);
		p->need_prompt = 0;
		if (sent < 0)
			ret = -1;
		break;
	}
	explicit_bzero(buf, IN_MAX);
	free(buf);
	free(qid);
	fflush(p->out);
	return ret;
}

/* ---- the loop */

static int want_color(FILE *out)
{
	const char *nc = getenv("NO_COLOR"), *term = getenv("TERM");
	int fd = fileno(out);
	return fd >= 0 && isatty(fd) && !(nc && *nc) && !(term && strcmp(term, "dumb") == 0);
}

int plain_run(struct client *c, struct view *v, const struct plain_opts *o)
{
	struct plain p = {.o = o, .c = c, .v = v};
	p.out = o->out ? o->out : stdout;
	p.in = o->unattended || o->readonly ? NULL : o->in;
	p.in_fd = p.in ? fileno(p.in) : -1;
	p.in_tty = p.in_fd >= 0 && isatty(p.in_fd);
	p.color = want_color(p.out);
	client_get_tap(c, &p.next_tap, &p.next_ud);
	client_set_tap(c, tap, &p);
	/* a question already open when we start (the caller pumped the hello itself) */
	if (v->ask && can_answer(&p))
		p.need_prompt = 1;

	int ret;
	for (;;) {
		if (v->finished) {
			ret = v->exit_code;
			break;
		}
		if (p.need_prompt && v->ask && can_answer(&p)) {
			int r = ask_operator(&p);
			if (r == 1) {
				ret = 1;
				break;
			}
			if (r == 0)
				continue;
		} else {
			int r = client_wait(c, v, -1);
			fflush(p.out);
			if (r > 0)
				continue;
		}
		if (v->finished)
			continue;
		out_begin(&p);
		lit(&p, "== the engine went away before the run finished\n");
		ret = 1;
		break;
	}
	out_begin(&p);
	fflush(p.out);
	explicit_bzero(p.inbuf, sizeof p.inbuf);
	seen_reset(&p);
	client_set_tap(c, p.next_tap, p.next_ud);
	return ret;
}
