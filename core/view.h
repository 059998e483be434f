/*
 * view.h: a client's picture of a run, built only from the engine's events.
 *
 * The full-screen UI, the plain front end and the replay player all hold one `struct view`
 * and feed every event line to view_apply(); they draw from it and never talk to the engine
 * any other way (docs/PROTOCOL.md). Keeping this in core/ (no curses) lets the tests check
 * what a UI would show without a terminal.
 *
 * Ownership: the view owns every string in it. Pointers into the view are borrowed and stay
 * valid until the next view_apply() call.
 */
#ifndef UPWIZ_VIEW_H
#define UPWIZ_VIEW_H

#include <stddef.h>

enum step_state { ST_PENDING, ST_RUNNING, ST_WAITING, ST_DONE, ST_FAILED, ST_SKIPPED };

struct view_item {
	char *key, *name, *status, *detail, *fix;   /* status: pass warn fail run info todo */
};

struct view_option {
	char *key, *label;
	int danger;
};

struct view_question {
	char *qid, *step, *kind, *prompt, *detail, *def, *expect;
	struct view_option *options;
	size_t noptions;
};

struct view_step {
	char *id, *title, *kind, *help, *note;
	enum step_state state;
	int reversible;             /* 1 until an irreversible effect ran (point of no return) */
	struct view_item *items;
	size_t nitems;
	char *body;
	double prog_done, prog_total;
	char *prog_label;
	char *prog_unit;         /* what the figures count ("bytes", "s", a noun, "" none); NULL: not said */
	double started, finished;   /* epoch seconds, 0 if not yet */
};

struct view_log_line {
	double t;
	char level[8];
	char *step;
	char *text;
	size_t cap;                 /* private: bytes allocated at `text` (`step` shares that block) */
};

struct view {
	char *run, *profile, *title, *from, *to, *target, *role, *version;
	double started;
	int sandbox;
	struct view_step *steps;
	size_t nsteps;
	int current;                /* index of the running/waiting step, -1 before the first */
	struct view_question *ask;  /* the open question, or NULL */
	/* The log: a ring of the last `log_cap` lines; log_total counts all lines ever seen. */
	struct view_log_line *log;
	size_t log_cap, log_len, log_head;   /* log_head: the slot the next line goes to; read with view_log_at() */
	unsigned long long log_total;
	/* `skipped` (docs/PROTOCOL.md): log_skipped lines were not sent to this client; each such gap
	 * is one marker line (level "skip") in the ring, counted in log_total and in log_marks. The
	 * run's line count is log_total - log_marks + log_skipped (view_log_count). */
	unsigned long long log_marks, log_skipped;
	char *last_error;           /* text of the last error-level log line */
	int finished;
	char *outcome, *summary;
	int exit_code;
	unsigned long long generation;  /* bumped by every change: a UI redraws when it moved */
};

/* Limits: a line longer than VIEW_LINE_MAX is rejected whole; a log line's text is cut (at a
 * UTF-8 boundary, marked " [...]") to VIEW_LOG_TEXT_MAX bytes; at most VIEW_MAX_STEPS steps,
 * VIEW_MAX_ITEMS items per step and VIEW_MAX_OPTIONS options are kept (more are ignored). */
#define VIEW_LINE_MAX (1024 * 1024)
#define VIEW_LOG_TEXT_MAX (16 * 1024)
#define VIEW_MAX_STEPS 1024
#define VIEW_MAX_ITEMS 4096
#define VIEW_MAX_OPTIONS 256

/* log_cap: how many log lines the ring keeps (0: none; log_total and last_error still work). */
void view_init(struct view *v, size_t log_cap);
void view_free(struct view *v);
/* Applies one event line (a JSON object, without the newline). Returns 0, or -1 if the line is
 * not a valid event (ignored: an unknown `t` is not an error, for forward compatibility). */
int view_apply(struct view *v, const char *line, size_t len);
/* Log lines the run has produced as far as this view knows (skipped ones counted, markers not). */
unsigned long long view_log_count(const struct view *v);
/* The i-th most recent log line (0 = newest), or NULL. Borrowed. */
const struct view_log_line *view_log_at(const struct view *v, size_t i);
struct view_step *view_step_by_id(struct view *v, const char *id);
const char *step_state_name(enum step_state s);

#endif
