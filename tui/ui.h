/*
 * ui.h: what a screen kind sees of the full-screen UI.
 *
 * A screen kind (screens/NAME.c) is a const table of functions (tmux window_mode, htop PanelClass):
 * `draw` renders one step of the view into a pane of the off-screen canvas and returns how tall
 * its content is; the loop scrolls the pane when the content does not fit, places the open
 * question below it (unless the kind places it itself), and paints once per pass. `key` is
 * optional: keys arrive as actions (enum action), after the question and before the loop's own
 * bindings. Screens never see curses, the socket or the file system: they read the view
 * (borrowed, valid during the call) and use the helpers below, which keep glyphs, colours,
 * spinners and the question widget the same on every screen.
 *
 * The tui knows no screen kind by name: screens/screens.c maps view_step.kind to a table.
 */
#ifndef UPWIZ_TUI_UI_H
#define UPWIZ_TUI_UI_H

#include <stdint.h>

#include "core/view.h"
#include "tui/canvas.h"
#include "tui/text.h"

/* Keys, already translated from the terminal (term.c keeps the table). */
enum action {
	ACT_NONE,
	ACT_UP, ACT_DOWN, ACT_LEFT, ACT_RIGHT, ACT_PGUP, ACT_PGDN, ACT_HOME, ACT_END,
	ACT_ENTER, ACT_ESC, ACT_TAB, ACT_BACKSPACE, ACT_KILL,   /* Ctrl-U: clear a field */
	ACT_HELP,       /* F1 */
	ACT_PAGER,      /* F3: the whole log in $PAGER */
	ACT_COPY,       /* F5: copy the last error */
	ACT_MENU,       /* F10: abort / detach */
	ACT_INTERRUPT,  /* Ctrl-C */
	ACT_REDRAW,     /* Ctrl-L */
	ACT_CHAR,       /* a printable character in `ch` */
};

struct key {
	enum action act;
	uint32_t ch;    /* ACT_CHAR: the code point */
};

enum key_result {
	KEY_IGNORED,
	KEY_HANDLED,
};

struct ui;              /* the loop's state (tui/ui_int.h) */
struct screen;

struct screen_kind {
	const char *name;
	int log_large;      /* the log pane is the star of this kind: give it most of the height */
	int own_question;   /* draw() places the question itself with ui_question() */
	int question_detail_in_body;    /* draw() shows the question's detail (a failed statement):
	                                   the question box below leaves it out */
	void *(*enter)(struct screen *s);   /* allocates private data (may be NULL) */
	void (*leave)(struct screen *s);    /* frees it */
	/* Draws the step from content row 0 of `p` (p->w columns; rows past p->h are clipped, the
	 * loop scrolls). Returns the content height in rows. May set s->focus_row. */
	int (*draw)(struct screen *s, const struct pane *p);
	enum key_result (*key)(struct screen *s, const struct key *k);
};

/* One instance per step (and one for the summary), kept while the wizard runs so that scroll
 * positions survive going back and forth. */
struct screen {
	const struct screen_kind *kind;
	void *data;                     /* the kind's private data */
	struct ui *ui;
	const struct view *v;           /* borrowed, valid during draw/key */
	const struct view_step *step;   /* the step shown; NULL for the summary and before hello */
	int index;                      /* step index, or -1 */
	int review;                     /* 1 when the operator looks back at this step (read-only) */
	int focus_row;                  /* draw() may set a content row to keep in view (-1: none) */
	int top;                        /* scroll position, owned by the loop */
	int height;                     /* content height from the last draw */
	int visible;                    /* rows of it the loop could show */
	int user_scrolled;              /* the operator scrolled: do not follow focus_row */
};

/* ---- helpers for screens (tui/widgets.c) ---- */

/* The step's state as the operator should read it: a running step with the open question is
 * waiting (for the operator), whether or not the engine said `waiting`. */
enum step_state ui_step_state(const struct view *v, const struct view_step *st);
/* 1 when the screen shows the live step (not a review, not finished). */
int ui_live(const struct screen *s);
/* Current wall-clock time (seconds since the epoch), fixed for the frame. */
double ui_now(const struct screen *s);
/* The spinner frame for this draw; using it keeps the spinner timer running. */
const char *ui_spinner(const struct screen *s);

/* Glyph and role for an item status (pass warn fail run info todo); "run" spins when live. */
const char *ui_status_glyph(const struct screen *s, const char *status, int *role);
int ui_status_role(const char *status);

/* A heading line (title role); returns rows used (1). */
int ui_heading(const struct pane *p, int row, const char *text);
/* Wrapped paragraphs; returns rows used. */
int ui_para(const struct pane *p, int row, int col, int role, const char *text);
/* Each line of text wrapped on its own, indented by its leading spaces, with a role per line
 * from role_for (NULL: `role`). For commands, diffs, restore instructions. Returns rows used. */
int ui_text(const struct pane *p, int row, int col, int role, const char *text,
    int (*role_for)(const char *line, size_t len));
/* Preformatted lines (no wrap, clipped with an ellipsis), each line through tx sanitising.
 * `role_for` may choose a role per line (NULL: `role`). Returns rows used. */
int ui_lines(const struct pane *p, int row, int col, int role, const char *text,
    int (*role_for)(const char *line, size_t len));

struct items_opts {
	int name_min, name_max;     /* name column bounds (0: automatic) */
	int show_fix;               /* the fix of a failed or warned item under it */
	int detail_below;           /* details on their own wrapped line(s) under the name */
	int number;                 /* number the items 1., 2., ... */
	const char *empty;          /* shown when there are no items (NULL: nothing) */
};
/* A table of the step's items: status glyph, name, detail; returns rows used. Sets
 * s->focus_row to the first running or failed item while live. */
int ui_items(struct screen *s, const struct pane *p, int row, const struct view_step *st,
    const struct items_opts *o);
/* Counts of items per status (pass, warn, fail, run, other); returns the total. */
size_t ui_item_counts(const struct view_step *st, size_t *pass, size_t *warn, size_t *fail,
    size_t *run);

/* The step's progress: a bar with n/N (sizes for a unit of bytes, else the event's unit after
 * them) and the label when prog_total > 0, a spinner and the label when the step runs without a
 * total; nothing (0 rows) otherwise. Returns rows used. */
int ui_progress(struct screen *s, const struct pane *p, int row, const struct view_step *st);
/* A bare bar of `width` columns for a fraction 0..1. */
void ui_bar(const struct pane *p, int row, int col, int width, double frac);

/* A framed note (warn or danger role) with wrapped text; returns rows used. */
int ui_note(const struct pane *p, int row, int role, const char *title, const char *text);

/* The open question, if it belongs to this step: draws it at `row` (big: more air, for the
 * choice screen) and returns rows used; 0 when there is none. */
int ui_question(struct screen *s, const struct pane *p, int row, int big);
/* The open question of this step, or NULL. */
const struct view_question *ui_step_question(const struct screen *s);

/* The step's started/finished times as "01:02:03" (local) into buf (>= 16); "" if unset. */
const char *ui_clock(double t, char *buf, size_t size);

#endif
