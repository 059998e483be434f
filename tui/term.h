/*
 * term.h: the terminal, and the only door to curses (term.c, theme.c include it; nothing else).
 *
 * The loop owns time and input; the terminal layer only: starts and restores curses, turns key
 * bytes into actions, copies the canvas to the screen in one doupdate(), answers size questions,
 * and steps aside for a child (the pager) with def_prog_mode / endwin / reset_prog_mode.
 */
#ifndef UPWIZ_TUI_TERM_H
#define UPWIZ_TUI_TERM_H

#include "tui/canvas.h"
#include "tui/ui.h"

/* Starts curses on the controlling terminal (stdin/stdout). 0, or -1 + cause. */
int term_start(char **cause);
/* Restores the terminal. Idempotent and safe from the fatal hook. */
void term_stop(void);
int term_active(void);

/* Asks the kernel for the window size and tells curses (resizeterm). Returns 1 when it changed. */
int term_resize(void);
void term_size(int *h, int *w);

/* Colour roles to curses attributes: decided once at start (NO_COLOR, has_colors, COLORS). */
void theme_init(void);
int theme_mono(void);
/* The attribute/pair bits for a role, as curses wants them (theme.c). */
unsigned long theme_attr(int role, short *pair);

/* Copies the canvas to the screen and sends the difference. The cursor is shown at (y, x), or
 * hidden when y < 0. `full`: repaint everything (after a child had the terminal, Ctrl-L). */
void term_draw(const struct canvas *cv, int cy, int cx, int full);

/* Reads one key without blocking; 1 with *k filled, 0 when nothing is pending. */
int term_key(struct key *k);

/* Leaves curses for a child that wants the terminal, and comes back. */
void term_suspend(void);
void term_resume(void);

/* Sends text to the terminal's clipboard with OSC 52 (ignored by terminals that do not know it). */
void term_osc52(const char *text);

#endif
