/*
 * text.h: text measured in terminal columns, and made safe to show.
 *
 * Everything the wizard puts on screen arrives as UTF-8 from the engine: Linkis SQL with Chinese
 * comments, gateway messages, and raw output of vendor scripts (colour codes, carriage-return
 * progress, stray Latin-1 bytes). One iterator, tx_next(), turns such bytes into glyphs that are
 * safe to draw, and every measurement (width, clip, wrap) and the canvas itself walk the text with
 * that same iterator, so what is measured is exactly what is drawn:
 *
 *   - invalid or truncated UTF-8, overlongs, surrogates: one U+FFFD per bad byte (as tmux, htop);
 *   - escape sequences (CSI, OSC, DCS, two-byte ESC x): dropped whole, never reach the terminal;
 *   - other C0 controls, DEL and C1 controls: U+FFFD; TAB: spaces to the next multiple of 8;
 *     a newline in single-line text: one space;
 *   - code points wcwidth() calls unprintable: U+FFFD; combining marks: width 0 (attached by the
 *     caller to the glyph before);
 *   - when the terminal's locale is not UTF-8 (tx_set_utf8(0)), every non-ASCII glyph is shown
 *     as one '?' and combining marks are dropped (measured the same way, so columns still line up).
 *
 * This file never includes curses: the unit tests (tests/unit/test_tui_text.c) link it alone.
 * Widths come from the C library's wcwidth(), which is also what ncursesw uses, so the terminal
 * and the layout agree as long as setlocale() ran first.
 */
#ifndef UPWIZ_TUI_TEXT_H
#define UPWIZ_TUI_TEXT_H

#include <stddef.h>
#include <stdint.h>

#define TX_REPLACEMENT 0xFFFDu
#define TX_TABSTOP 8

/* Whether the terminal shows UTF-8 (set once at start from nl_langinfo(CODESET)). Default: 1. */
void tx_set_utf8(int on);
int tx_utf8(void);

/* Decodes one UTF-8 sequence from s (n > 0 bytes available). Returns the bytes consumed (1..4)
 * and stores the code point; anything invalid consumes one byte and yields U+FFFD. */
size_t tx_decode(const char *s, size_t n, uint32_t *cp);

/* Columns of a code point as the terminal shows it after tx_next()'s substitutions (0, 1 or 2). */
int tx_cpwidth(uint32_t cp);

/* One thing to draw. `cp` is the code point to draw (already substituted); `width` its columns
 * (0 for a combining mark, up to TX_TABSTOP for a TAB, which draws as spaces). */
struct tx_glyph {
	uint32_t cp;
	int width;
	size_t off, len;    /* the source bytes this glyph came from */
};

struct tx_iter {
	const char *s;
	size_t n, pos;
	int col;            /* columns produced so far (for TAB stops) */
};

void tx_iter_init(struct tx_iter *it, const char *s, size_t n);
/* Next glyph; 0 at the end. Escape sequences are skipped silently. */
int tx_next(struct tx_iter *it, struct tx_glyph *g);

/* Columns of s (n bytes, or up to the NUL when n is (size_t)-1). NULL is 0 columns. */
int tx_width(const char *s);
int tx_nwidth(const char *s, size_t n);

/* The longest prefix of s[0..n) that fits in `cols` columns: returns its length in bytes and
 * stores its width in *used (may be NULL). A wide glyph that would straddle the edge is left out;
 * combining marks right after the last glyph that fits are kept with it. */
size_t tx_clip(const char *s, size_t n, int cols, int *used);

/* Word wrap to `cols` columns. Breaks after spaces, and in a path or URL after a '/' (a path has
 * no spaces; "//" stays whole; "1/23" is not a path); CJK text (which has no spaces) breaks
 * after any wide glyph, and a word longer than a line between glyphs. "\n" always breaks;
 * "\r\n" counts as one. Spaces at a break are dropped. Stores at most `max` spans (out may be
 * NULL to only count) and returns the number of lines; an empty string is one empty line. */
struct tx_span {
	size_t off, len;
};
size_t tx_wrap(const char *s, size_t n, int cols, struct tx_span *out, size_t max);

/* A line of child output as a terminal would leave it: what follows the last carriage return
 * that is not at the end ("10%\r20%\r30%" shows "30%"). Returns a pointer into s and the rest's
 * length in *n (in: the length of s). */
const char *tx_after_cr(const char *s, size_t *n);

/* Case-insensitive (ASCII) substring search in n bytes; returns the offset or -1. */
long tx_find(const char *hay, size_t n, const char *needle);

/* Display width of a number with thousands separators ("12,345") written into buf (>= 32 bytes). */
const char *tx_thousands(unsigned long long v, char *buf, size_t size);

/* A byte count for humans ("12.3 MiB"); buf >= 16 bytes. */
const char *tx_bytes(double v, char *buf, size_t size);

/* A duration as "12s", "3m05s", "1h02m" (seconds >= 0); buf >= 16 bytes. */
const char *tx_duration(double secs, char *buf, size_t size);

#endif
