/*
 * canvas.h: an off-screen grid of cells that the layout and every screen draw into.
 *
 * Nothing but tui/term.c touches curses: screens and the layout write glyphs with a colour ROLE
 * into this grid, and term.c copies it to stdscr once per frame and lets ncurses send only the
 * difference (doupdate). The grid knows about wide glyphs (a lead cell and a continuation cell;
 * overwriting either half blanks the other) and keeps up to two combining marks per cell.
 * Keeping drawing off curses means a screen can be rendered to text without a terminal, and no
 * screen can call refresh() or clear() behind the loop's back (STYLE.md, htop's ColorsPanel).
 *
 * A pane is a window onto the canvas: an origin that may lie outside the visible area (a
 * scrolled pane starts above its clip) plus a clip rectangle. Coordinates given to pn_*() are
 * relative to the pane's origin; anything outside the clip is silently dropped, so screens draw
 * their whole content and the pane's scroll offset picks what shows.
 */
#ifndef UPWIZ_TUI_CANVAS_H
#define UPWIZ_TUI_CANVAS_H

#include <stddef.h>
#include <stdint.h>

/* Colour roles; theme.c maps each to colours or, on a monochrome terminal or with NO_COLOR set,
 * to attributes alone. Screens choose roles, never colours. */
enum role {
	ROLE_NORMAL,
	ROLE_TITLE,        /* headings, the prompt of a question */
	ROLE_HEADER,       /* the header bar */
	ROLE_SELECTED,     /* the highlighted option or row */
	ROLE_OK,
	ROLE_WARN,
	ROLE_DANGER,
	ROLE_DANGER_SEL,   /* a dangerous option under the cursor */
	ROLE_PROGRESS,     /* the filled part of a bar, the spinner */
	ROLE_DIM,          /* secondary text, timestamps, pending steps */
	ROLE_KEY,          /* a key name in the key bar or a hint */
	ROLE_BADGE,        /* the SANDBOX badge */
	ROLE_CMD,          /* a command line in the log */
	ROLE_SQL,          /* an SQL statement in the log */
	ROLE_MATCH,        /* a search hit in the log */
	ROLE_BORDER,       /* frames and rules */
	ROLE_INPUT,        /* a text field */
	ROLE_NROLES
};

#define CELL_NCH 3      /* a base glyph and up to two combining marks */

struct cell {
	uint32_t ch[CELL_NCH];  /* ch[0] == 0 only in a continuation cell */
	uint8_t role;
	uint8_t wide;           /* 0: narrow, 1: lead of a two-column glyph, 2: its continuation */
};

struct canvas {
	int w, h;
	struct cell *cells;
};

void cv_init(struct canvas *cv);
void cv_resize(struct canvas *cv, int w, int h);   /* contents are cleared */
void cv_clear(struct canvas *cv);
void cv_free(struct canvas *cv);
/* The cell at y, x or NULL outside the canvas. Borrowed. */
struct cell *cv_at(struct canvas *cv, int y, int x);
/* Row y as UTF-8 text, trailing spaces removed (tests and debugging). Caller frees. */
char *cv_row_text(const struct canvas *cv, int y);

struct pane {
	struct canvas *cv;
	int oy, ox;             /* canvas position of the pane's row 0, column 0 */
	int h, w;               /* the pane's size (visible height, width for layout and wrapping) */
	int cy0, cx0, cy1, cx1; /* clip, canvas coordinates, half-open */
};

struct pane pn_make(struct canvas *cv, int y, int x, int h, int w);
/* A child at y, x (relative), h x w, clipped to the parent. */
struct pane pn_sub(const struct pane *p, int y, int x, int h, int w);
/* The same pane with content row `top` at its first visible row. */
struct pane pn_scrolled(const struct pane *p, int top);

enum {
	PN_ELLIPSIS = 1,        /* end with "…" when the text does not fit */
};

/* Draws one line of text (newlines show as spaces) at row, col in at most maxcols columns
 * (<0: up to the pane's right edge). Returns the column after the text. */
int pn_textn(const struct pane *p, int row, int col, int role, const char *s, size_t n, int maxcols,
    int flags);
int pn_text(const struct pane *p, int row, int col, int role, const char *s);
int pn_printf(const struct pane *p, int row, int col, int role, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* Right-aligned on the row, ending at column `right` (exclusive); returns the start column. */
int pn_text_right(const struct pane *p, int row, int right, int role, const char *s);
/* n cells of one code point. */
void pn_fill(const struct pane *p, int row, int col, int n, int role, uint32_t cp);
/* Gives cells a role without changing their glyphs. */
void pn_paint(const struct pane *p, int row, int col, int n, int role);
/* Wrapped text from row, col in `width` columns (<0: to the pane's edge). Returns the rows used,
 * drawn or not (rows outside the clip count too, so callers can size scrolled content). */
int pn_wrap(const struct pane *p, int row, int col, int width, int role, const char *s);
/* Rows pn_wrap would use. */
int wrap_rows(const char *s, int width);

/* Glyphs with an ASCII fallback (tx_utf8() picks). */
enum glyph {
	G_PASS, G_WARN, G_FAIL, G_RUN, G_INFO, G_TODO, G_DONE_BOX,
	G_STEP_DONE, G_STEP_CUR, G_STEP_PEND, G_STEP_FAIL, G_STEP_SKIP, G_STEP_WAIT,
	G_LOCK, G_ARROW, G_HLINE, G_VLINE, G_ELLIPSIS, G_BULLET, G_UP, G_DOWN,
	G_BAR_FULL, G_BAR_EMPTY, G_CORNER_TL, G_CORNER_TR, G_CORNER_BL, G_CORNER_BR,
	G_LOG_ERR, G_LOG_WARN, G_LOG_CMD, G_LOG_SQL, G_LOG_INFO, G_LOG_OUT, G_RIGHT, G_LEFT,
	G_NGLYPHS
};
const char *glyph(enum glyph g);
/* The eighth-block for a partly filled bar cell (1..7), or NULL in ASCII. */
const char *glyph_eighth(int eighths);
/* Spinner frame i (any integer). */
const char *glyph_spinner(unsigned i);

#endif
