/*
 * ui_int.h: the full-screen UI's own state, shared by the files of tui/ (never by screens/).
 *
 * One `struct ui` lives on tui_run()'s stack for the whole session. It holds what the view does
 * not: which step the operator looks at (review), the half-typed answer, the log pane's scroll
 * and search, the open overlay, and the frame's bookkeeping (time, spinner, cursor). Everything
 * about the run itself is read from the view at draw time and never copied, so a re-attach
 * (`hello` again) cannot leave stale state behind except the screens, which are rebuilt when the
 * step list changes.
 */
#ifndef UPWIZ_TUI_UI_INT_H
#define UPWIZ_TUI_UI_INT_H

#include <stdint.h>

#include "core/client.h"
#include "core/util.h"
#include "core/view.h"
#include "tui/canvas.h"
#include "tui/tui.h"
#include "tui/ui.h"

/* The answer being prepared for the open question. */
struct ask_state {
	char *qid;              /* the question this belongs to (NULL: none) */
	int sel;                /* highlighted option, -1 for none */
	struct strbuf input;    /* text, confirm, secret: what was typed (a secret is wiped) */
	int sent;               /* answered; waiting for the engine's `answered` */
	char *sent_label;       /* what was sent, for the "sent" line (never a secret) */
	int warn_danger;        /* Enter was pressed once on a dangerous option */
};

enum overlay {
	OV_NONE,
	OV_HELP,        /* F1: the step's help */
	OV_MENU,        /* q / Ctrl-C / F10: abort, detach or keep going */
};

struct logpane {
	int focus;                  /* keys go to the log (Tab) */
	int follow;                 /* show the newest line at the bottom */
	unsigned long long bottom;  /* when not following: sequence number of the bottom line */
	int typing;                 /* the search prompt is open */
	struct strbuf typed;        /* the pattern being typed */
	char *pattern;              /* the active search (NULL: none) */
	int has_match;
	unsigned long long match;   /* sequence number of the current hit */
	int rows;                   /* text rows in the last frame (for paging) */
};

struct ui {
	struct client *c;
	struct view *v;
	const struct tui_opts *o;
	struct canvas cv;
	int h, w;

	struct screen *screens;     /* one per step */
	size_t nscreens;
	struct screen summary;      /* the finished run */
	struct screen waiting;      /* before the engine's hello */

	int review;                 /* step index under review, -1 when live */
	struct ask_state ask;
	struct logpane log;
	enum overlay overlay;
	int help_top;               /* scroll of the help overlay */
	int help_height;

	char *flash;                /* a message in the key bar until the next key */
	int flash_role;

	double now;                 /* wall clock of the frame */
	unsigned spin;              /* spinner frame */
	int spin_used;              /* the frame showed a spinner: keep its timer */
	int clock_shown;            /* the frame showed the ticking elapsed clock */
	int cursor_y, cursor_x;     /* where the terminal cursor goes (-1: hidden) */
	int too_small;

	double finished_at;         /* wall clock when `finished` was seen (freezes the clock) */
	int engine_gone;            /* the socket closed */
};

/* layout.c */
void layout_draw(struct ui *ui);
/* The screen shown now (review, live step, summary, or the waiting screen). */
struct screen *ui_shown(struct ui *ui);
void ui_sync_screens(struct ui *ui);
void ui_free_screens(struct ui *ui);
int ui_readonly(const struct ui *ui);
void ui_flash(struct ui *ui, int role, const char *fmt, ...) PRINTF_LIKE(3, 4);

/* logpane.c */
void log_draw(struct ui *ui, const struct pane *p);
enum key_result log_key(struct ui *ui, const struct key *k);
void log_search_start(struct ui *ui);
void log_search_next(struct ui *ui, int older);
/* Writes the lines the view still holds to a file (when there is no log file to page). */
char *log_dump_tmp(struct ui *ui, char **cause);

/* widgets.c: the question */
void ask_sync(struct ui *ui);
enum key_result ask_key(struct ui *ui, const struct key *k);
int ask_has_text_field(const struct ui *ui);
void ask_clear(struct ask_state *a);
/* What the key bar should offer for the open question: pairs of key, label; returns count. */
int ask_keys(const struct ui *ui, const char **keys, const char **labels, int max);

#endif
