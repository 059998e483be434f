/*
 * canvas.c: the cell grid, panes and the glyph table.
 *
 * Every string goes through tx_next() (text.c), so the canvas shows exactly what the width
 * functions measured: escape sequences from child output are gone, bad bytes are U+FFFD, a TAB
 * is spaces. The grid is rebuilt from scratch every frame (cv_clear, then the layout draws);
 * at 80x24 that is two thousand cells, far cheaper than tracking what changed, and ncurses
 * computes the difference against the terminal anyway.
 */
#include "tui/canvas.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "tui/text.h"

void
cv_init(struct canvas *cv)
{
	cv->w = cv->h = 0;
	cv->cells = NULL;
}

void
cv_clear(struct canvas *cv)
{
	for (int i = 0; i < cv->w * cv->h; i++) {
		cv->cells[i].ch[0] = ' ';
		cv->cells[i].ch[1] = 0;
		cv->cells[i].ch[2] = 0;
		cv->cells[i].role = ROLE_NORMAL;
		cv->cells[i].wide = 0;
	}
}

void
cv_resize(struct canvas *cv, int w, int h)
{
	if (w < 1)
		w = 1;
	if (h < 1)
		h = 1;
	if (w != cv->w || h != cv->h) {
		free(cv->cells);
		cv->cells = xcalloc((size_t)w * (size_t)h, sizeof *cv->cells);
		cv->w = w;
		cv->h = h;
	}
	cv_clear(cv);
}

void
cv_free(struct canvas *cv)
{
	free(cv->cells);
	cv->cells = NULL;
	cv->w = cv->h = 0;
}

struct cell *
cv_at(struct canvas *cv, int y, int x)
{
	if (y < 0 || x < 0 || y >= cv->h || x >= cv->w)
		return NULL;
	return &cv->cells[y * cv->w + x];
}

static void
put_utf8(struct strbuf *sb, uint32_t c)
{
	char b[4];

	if (c < 0x80) {
		sb_addc(sb, (char)c);
		return;
	}
	if (c < 0x800) {
		b[0] = (char)(0xC0 | (c >> 6));
		b[1] = (char)(0x80 | (c & 0x3F));
		sb_add(sb, b, 2);
	} else if (c < 0x10000) {
		b[0] = (char)(0xE0 | (c >> 12));
		b[1] = (char)(0x80 | ((c >> 6) & 0x3F));
		b[2] = (char)(0x80 | (c & 0x3F));
		sb_add(sb, b, 3);
	} else {
		b[0] = (char)(0xF0 | (c >> 18));
		b[1] = (char)(0x80 | ((c >> 12) & 0x3F));
		b[2] = (char)(0x80 | ((c >> 6) & 0x3F));
		b[3] = (char)(0x80 | (c & 0x3F));
		sb_add(sb, b, 4);
	}
}

char *
cv_row_text(const struct canvas *cv, int y)
{
	struct strbuf sb = STRBUF_INIT;
	size_t keep = 0;

	sb_adds(&sb, "");
	if (y < 0 || y >= cv->h)
		return sb_detach(&sb);
	for (int x = 0; x < cv->w; x++) {
		const struct cell *c = &cv->cells[y * cv->w + x];
		if (c->wide == 2)
			continue;
		for (int k = 0; k < CELL_NCH && c->ch[k]; k++)
			put_utf8(&sb, c->ch[k]);
		if (c->ch[0] != ' ')
			keep = sb.len;
	}
	sb.s[keep] = '\0';
	sb.len = keep;
	return sb_detach(&sb);
}

/* Makes the cell at (y, x) a fresh narrow cell, blanking the other half of a wide glyph it
 * overlaps. */
static struct cell *
take_cell(struct canvas *cv, int y, int x)
{
	struct cell *c = cv_at(cv, y, x), *o;

	if (c == NULL)
		return NULL;
	if (c->wide == 1 && (o = cv_at(cv, y, x + 1)) != NULL && o->wide == 2) {
		o->ch[0] = ' ';
		o->wide = 0;
	} else if (c->wide == 2 && (o = cv_at(cv, y, x - 1)) != NULL && o->wide == 1) {
		o->ch[0] = ' ';
		o->ch[1] = o->ch[2] = 0;
		o->wide = 0;
	}
	c->ch[1] = c->ch[2] = 0;
	c->wide = 0;
	return c;
}

struct pane
pn_make(struct canvas *cv, int y, int x, int h, int w)
{
	struct pane p;

	p.cv = cv;
	p.oy = y;
	p.ox = x;
	p.h = h < 0 ? 0 : h;
	p.w = w < 0 ? 0 : w;
	p.cy0 = y < 0 ? 0 : y;
	p.cx0 = x < 0 ? 0 : x;
	p.cy1 = y + p.h > cv->h ? cv->h : y + p.h;
	p.cx1 = x + p.w > cv->w ? cv->w : x + p.w;
	return p;
}

struct pane
pn_sub(const struct pane *p, int y, int x, int h, int w)
{
	struct pane c;

	c.cv = p->cv;
	c.oy = p->oy + y;
	c.ox = p->ox + x;
	c.h = h < 0 ? 0 : h;
	c.w = w < 0 ? 0 : w;
	c.cy0 = c.oy > p->cy0 ? c.oy : p->cy0;
	c.cx0 = c.ox > p->cx0 ? c.ox : p->cx0;
	c.cy1 = c.oy + c.h < p->cy1 ? c.oy + c.h : p->cy1;
	c.cx1 = c.ox + c.w < p->cx1 ? c.ox + c.w : p->cx1;
	return c;
}

struct pane
pn_scrolled(const struct pane *p, int top)
{
	struct pane c = *p;

	c.oy -= top;
	return c;
}

static int
visible(const struct pane *p, int y, int x)
{
	return y >= p->cy0 && y < p->cy1 && x >= p->cx0 && x < p->cx1;
}

/* Puts one glyph at canvas (y, x); `last` tracks the cell that combining marks attach to. */
static void
put_glyph(const struct pane *p, int y, int x, const struct tx_glyph *g, int role,
    struct cell **last)
{
	struct cell *c;

	if (g->width == 0) {
		if (*last != NULL) {
			for (int k = 1; k < CELL_NCH; k++) {
				if ((*last)->ch[k] == 0) {
					(*last)->ch[k] = g->cp;
					break;
				}
			}
		}
		return;
	}
	*last = NULL;
	if (g->cp == ' ' || g->width > 2) {
		for (int i = 0; i < g->width; i++) {
			if (visible(p, y, x + i) && (c = take_cell(p->cv, y, x + i)) != NULL) {
				c->ch[0] = ' ';
				c->role = (uint8_t)role;
			}
		}
		return;
	}
	if (g->width == 2) {
		if (!visible(p, y, x) || !visible(p, y, x + 1)) {
			/* Half outside the clip: show a blank for the visible half. */
			for (int i = 0; i < 2; i++) {
				if (visible(p, y, x + i) && (c = take_cell(p->cv, y, x + i)) != NULL) {
					c->ch[0] = ' ';
					c->role = (uint8_t)role;
				}
			}
			return;
		}
		c = take_cell(p->cv, y, x);
		struct cell *c2 = take_cell(p->cv, y, x + 1);
		if (c == NULL || c2 == NULL)
			return;
		c->ch[0] = g->cp;
		c->wide = 1;
		c->role = (uint8_t)role;
		c2->ch[0] = 0;
		c2->wide = 2;
		c2->role = (uint8_t)role;
		*last = c;
		return;
	}
	if (visible(p, y, x) && (c = take_cell(p->cv, y, x)) != NULL) {
		c->ch[0] = g->cp;
		c->role = (uint8_t)role;
		*last = c;
	}
}

int
pn_textn(const struct pane *p, int row, int col, int role, const char *s, size_t n, int maxcols,
    int flags)
{
	struct tx_iter it;
	struct tx_glyph g;
	struct cell *last = NULL;
	int y = p->oy + row, x = p->ox + col, used = 0, room;
	size_t fit;

	if (s == NULL)
		return col;
	if (n == (size_t)-1)
		n = strlen(s);
	room = p->w - col;
	if (maxcols >= 0 && maxcols < room)
		room = maxcols;
	if (room <= 0)
		return col;
	if ((flags & PN_ELLIPSIS) && tx_nwidth(s, n) > room) {
		int ew = tx_width(glyph(G_ELLIPSIS));
		fit = tx_clip(s, n, room - ew, &used);
		col = pn_textn(p, row, col, role, s, fit, -1, 0);
		return pn_textn(p, row, col, role, glyph(G_ELLIPSIS), (size_t)-1, -1, 0);
	}
	fit = tx_clip(s, n, room, &used);
	tx_iter_init(&it, s, fit);
	while (tx_next(&it, &g)) {
		put_glyph(p, y, x, &g, role, &last);
		x += g.width;
	}
	return col + used;
}

int
pn_text(const struct pane *p, int row, int col, int role, const char *s)
{
	return pn_textn(p, row, col, role, s, (size_t)-1, -1, 0);
}

int
pn_printf(const struct pane *p, int row, int col, int role, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	return pn_text(p, row, col, role, buf);
}

int
pn_text_right(const struct pane *p, int row, int right, int role, const char *s)
{
	int w = tx_width(s), col = right - w;

	if (col < 0)
		col = 0;
	pn_textn(p, row, col, role, s, (size_t)-1, right - col, 0);
	return col;
}

void
pn_fill(const struct pane *p, int row, int col, int n, int role, uint32_t cp)
{
	struct tx_glyph g = { .cp = cp, .width = tx_cpwidth(cp) };
	struct cell *last = NULL;
	int x = p->ox + col;

	if (g.width < 1)
		return;
	for (int i = 0; i + g.width <= n; i += g.width) {
		put_glyph(p, p->oy + row, x + i, &g, role, &last);
	}
}

void
pn_paint(const struct pane *p, int row, int col, int n, int role)
{
	int y = p->oy + row;

	for (int i = 0; i < n; i++) {
		int x = p->ox + col + i;
		struct cell *c;
		if (visible(p, y, x) && (c = cv_at(p->cv, y, x)) != NULL)
			c->role = (uint8_t)role;
	}
}

int
wrap_rows(const char *s, int width)
{
	if (s == NULL)
		return 0;
	return (int)tx_wrap(s, (size_t)-1, width, NULL, 0);
}

int
pn_wrap(const struct pane *p, int row, int col, int width, int role, const char *s)
{
	struct tx_span stack[64], *sp = stack;
	size_t n, len;

	if (s == NULL)
		return 0;
	if (width < 0)
		width = p->w - col;
	if (width < 1)
		width = 1;
	len = strlen(s);
	n = tx_wrap(s, len, width, stack, 64);
	if (n > 64) {
		sp = xreallocarray(NULL, n, sizeof *sp);
		tx_wrap(s, len, width, sp, n);
	}
	for (size_t i = 0; i < n; i++) {
		int y = p->oy + row + (int)i;
		if (y >= p->cy0 && y < p->cy1)
			pn_textn(p, row + (int)i, col, role, s + sp[i].off, sp[i].len, width, 0);
	}
	if (sp != stack)
		free(sp);
	return (int)n;
}

/* { UTF-8, ASCII } */
static const char *const glyphs[G_NGLYPHS][2] = {
	[G_PASS] = { "\xe2\x9c\x93", "+" },         /* ✓ */
	[G_WARN] = { "!", "!" },
	[G_FAIL] = { "\xe2\x9c\x97", "X" },         /* ✗ */
	[G_RUN] = { "\xe2\x80\xa6", "*" },          /* … (replaced by the spinner when live) */
	[G_INFO] = { "\xc2\xb7", "-" },             /* · */
	[G_TODO] = { "\xe2\x98\x90", "o" },         /* ☐ */
	[G_DONE_BOX] = { "\xe2\x98\x91", "x" },     /* ☑ */
	[G_STEP_DONE] = { "\xe2\x9c\x93", "+" },
	[G_STEP_CUR] = { "\xe2\x96\xb6", ">" },     /* ▶ */
	[G_STEP_PEND] = { "\xe2\x97\x8b", "." },    /* ○ */
	[G_STEP_FAIL] = { "\xe2\x9c\x97", "X" },
	[G_STEP_SKIP] = { "\xe2\x86\xb7", "-" },    /* ↷ */
	[G_STEP_WAIT] = { "?", "?" },
	[G_LOCK] = { "\xe2\x8a\x98", "#" },         /* ⊘ */
	[G_ARROW] = { "\xe2\x86\x92", "->" },       /* → */
	[G_HLINE] = { "\xe2\x94\x80", "-" },        /* ─ */
	[G_VLINE] = { "\xe2\x94\x82", "|" },        /* │ */
	[G_ELLIPSIS] = { "\xe2\x80\xa6", "~" },     /* … */
	[G_BULLET] = { "\xe2\x80\xa2", "*" },       /* • */
	[G_UP] = { "\xe2\x86\x91", "^" },           /* ↑ */
	[G_DOWN] = { "\xe2\x86\x93", "v" },         /* ↓ */
	[G_BAR_FULL] = { "\xe2\x96\x88", "#" },     /* █ */
	[G_BAR_EMPTY] = { "\xe2\x96\x91", "." },    /* ░ */
	[G_CORNER_TL] = { "\xe2\x94\x8c", "+" },    /* ┌ */
	[G_CORNER_TR] = { "\xe2\x94\x90", "+" },    /* ┐ */
	[G_CORNER_BL] = { "\xe2\x94\x94", "+" },    /* └ */
	[G_CORNER_BR] = { "\xe2\x94\x98", "+" },    /* ┘ */
	[G_LOG_ERR] = { "\xe2\x9c\x97", "X" },
	[G_LOG_WARN] = { "!", "!" },
	[G_LOG_CMD] = { "$", "$" },
	[G_LOG_SQL] = { "\xc2\xbb", ">" },          /* » */
	[G_LOG_INFO] = { "\xc2\xb7", "-" },
	[G_LOG_OUT] = { " ", " " },
	[G_RIGHT] = { "\xe2\x96\xb8", ">" },        /* ▸ */
	[G_LEFT] = { "\xe2\x97\x82", "<" },         /* ◂ */
};

const char *
glyph(enum glyph g)
{
	if ((int)g < 0 || g >= G_NGLYPHS)
		return "?";
	return glyphs[g][tx_utf8() ? 0 : 1];
}

const char *
glyph_eighth(int e)
{
	/* ▏▎▍▌▋▊▉: left-aligned blocks of 1/8 .. 7/8 */
	static const char *const blk[8] = { NULL, "\xe2\x96\x8f", "\xe2\x96\x8e", "\xe2\x96\x8d",
		"\xe2\x96\x8c", "\xe2\x96\x8b", "\xe2\x96\x8a", "\xe2\x96\x89" };
	if (!tx_utf8() || e < 1 || e > 7)
		return NULL;
	return blk[e];
}

const char *
glyph_spinner(unsigned i)
{
	static const char *const braille[] = { "\xe2\xa0\x8b", "\xe2\xa0\x99", "\xe2\xa0\xb9",
		"\xe2\xa0\xb8", "\xe2\xa0\xbc", "\xe2\xa0\xb4", "\xe2\xa0\xa6", "\xe2\xa0\xa7",
		"\xe2\xa0\x87", "\xe2\xa0\x8f" };
	static const char *const ascii[] = { "|", "/", "-", "\\" };

	if (tx_utf8())
		return braille[i % ARRAY_LEN(braille)];
	return ascii[i % ARRAY_LEN(ascii)];
}
