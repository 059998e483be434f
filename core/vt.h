/*
 * vt.h: a small virtual terminal, enough to rebuild the screens ncurses draws from the bytes it
 * wrote (the "o" events of a recording, core/cast.h).
 *
 * Why in core/ and not curses: the replay player, the tests and the seek index all need "what
 * was on the screen at time t" without a terminal. It understands what ncurses emits for the
 * terminals upwiz runs on (xterm, screen, tmux, linux): cursor motion (CUP, CUU.., CHA, VPA,
 * HPA), erase (ED, EL, ECH), insert/delete (ICH, DCH, IL, DL), scrolling regions (DECSTBM, IND,
 * RI, SU, SD), SGR (16/256/true colour, bold, dim, italic, underline, blink, reverse), autowrap
 * with the pending-wrap column, the DEC line-drawing set, save/restore cursor, UTF-8 with wide
 * (2-column) and combining characters. OSC/DCS strings are skipped. Unknown sequences are
 * ignored, never fatal.
 *
 * The alternate screen (?1049 etc.) clears on entry but leaving it keeps what is shown: a
 * recording starts inside the application, and the player's last frame must be the application's
 * last screen, not the empty shell screen underneath.
 *
 * Ownership: struct vt owns its cells; vt_copy() makes an independent snapshot (the seek index
 * keeps those as keyframes).
 */
#ifndef UPWIZ_VT_H
#define UPWIZ_VT_H

#include <stddef.h>
#include <stdint.h>

enum {
	VT_BOLD = 1, VT_DIM = 2, VT_ITALIC = 4, VT_UNDER = 8, VT_BLINK = 16, VT_REVERSE = 32,
	VT_INVISIBLE = 64, VT_STRIKE = 128,
};

/* Colours: 0 default; 1..256 palette index + 1; VT_RGB | 0xRRGGBB. */
#define VT_RGB 0x1000000u

struct vt_cell {
	uint32_t ch;                /* code point; 0 = the right half of a wide character */
	uint32_t comb;              /* one combining mark, or 0 */
	uint32_t fg, bg;
	uint16_t attr;
	uint8_t width;              /* 1 or 2 (for ch != 0) */
};

struct vt {
	int w, h;
	struct vt_cell *cells;      /* h rows of w cells */
	int x, y, wrap_pending;
	int top, bot;               /* scrolling region, inclusive rows */
	int cursor_visible, autowrap, origin;
	struct vt_cell pen;         /* attributes for new characters (ch unused) */
	int sx, sy;                 /* saved cursor */
	struct vt_cell spen;
	int g0_graphics, g1_graphics, shift_out;
	/* parser */
	int state;
	int params[16], nparams, priv;
	char inter;
	uint32_t cp;                /* UTF-8 decoding */
	int need;
};

void vt_init(struct vt *t, int w, int h);
void vt_free(struct vt *t);
/* Changes the size, keeping the top-left content (like a terminal that was resized). */
void vt_resize(struct vt *t, int w, int h);
void vt_feed(struct vt *t, const char *buf, size_t n);
/* Copies src into dst (dst may be initialised or zeroed; it is re-allocated as needed). */
void vt_copy(struct vt *dst, const struct vt *src);
/* Row y as UTF-8 text, trailing blanks removed. Caller frees. */
char *vt_row_text(const struct vt *t, int y);
/* The whole screen as text, one line per row, trailing blanks and blank last rows removed. Caller frees. */
char *vt_screen_text(const struct vt *t);

#endif
