/*
 * vt.c: the virtual terminal of vt.h.
 *
 * A byte-at-a-time state machine after the DEC VT500 parser diagram (ground, escape, CSI, OSC/DCS
 * string), reduced to what a curses application sends. Printing follows xterm: a character
 * written in the last column leaves the cursor there with a pending wrap, which the next
 * printable character performs (and which any cursor motion cancels); a wide character that does
 * not fit wraps first. Erasing uses the current background colour (bce), as ncurses assumes for
 * xterm-like terminals that declare it.
 */
#include "core/vt.h"

#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "core/util.h"

enum { S_GROUND, S_ESC, S_ESC_INTER, S_CSI, S_STR, S_STR_ESC };

static struct vt_cell blank_of(const struct vt *t)
{
	struct vt_cell c = {.ch = ' ', .width = 1, .bg = t->pen.bg};
	return c;
}

static struct vt_cell *at(struct vt *t, int y, int x) { return &t->cells[(size_t)y * (size_t)t->w + (size_t)x]; }

static void clear_cells(struct vt *t, int y, int x0, int x1)
{
	struct vt_cell b = blank_of(t);
	if (x0 < 0)
		x0 = 0;
	if (x1 > t->w)
		x1 = t->w;
	for (int x = x0; x < x1; x++)
		*at(t, y, x) = b;
	/* A wide character cut in half by the erase loses its other half too. */
	if (x0 > 0 && x0 < t->w && at(t, y, x0 - 1)->width == 2 && at(t, y, x0 - 1)->ch)
		*at(t, y, x0 - 1) = b;
	if (x1 < t->w && x1 > 0 && at(t, y, x1)->ch == 0)
		*at(t, y, x1) = b;
}

void vt_init(struct vt *t, int w, int h)
{
	memset(t, 0, sizeof *t);
	if (w < 1)
		w = 1;
	if (h < 1)
		h = 1;
	t->w = w, t->h = h;
	t->cells = xcalloc((size_t)w * (size_t)h, sizeof *t->cells);
	t->top = 0, t->bot = h - 1;
	t->cursor_visible = 1, t->autowrap = 1;
	for (int y = 0; y < h; y++)
		clear_cells(t, y, 0, w);
}

void vt_free(struct vt *t)
{
	free(t->cells);
	t->cells = NULL;
}

void vt_copy(struct vt *dst, const struct vt *src)
{
	struct vt_cell *cells = dst->cells;
	size_t n = (size_t)src->w * (size_t)src->h;
	if (!cells || (size_t)dst->w * (size_t)dst->h != n)
		cells = xreallocarray(cells, n, sizeof *cells);
	*dst = *src;
	dst->cells = cells;
	memcpy(cells, src->cells, n * sizeof *cells);
}

void vt_resize(struct vt *t, int w, int h)
{
	if (w < 1)
		w = 1;
	if (h < 1)
		h = 1;
	if (w == t->w && h == t->h)
		return;
	struct vt_cell *n = xcalloc((size_t)w * (size_t)h, sizeof *n);
	struct vt_cell b = {.ch = ' ', .width = 1};
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++)
			n[(size_t)y * (size_t)w + (size_t)x] = y < t->h && x < t->w ? *at(t, y, x) : b;
	/* A wide character cut by the new right edge becomes a blank. */
	for (int y = 0; y < h && w < t->w; y++)
		if (n[(size_t)y * (size_t)w + (size_t)w - 1].width == 2 && n[(size_t)y * (size_t)w + (size_t)w - 1].ch)
			n[(size_t)y * (size_t)w + (size_t)w - 1] = b;
	free(t->cells);
	t->cells = n;
	t->w = w, t->h = h;
	t->top = 0, t->bot = h - 1;
	if (t->x >= w)
		t->x = w - 1;
	if (t->y >= h)
		t->y = h - 1;
	t->wrap_pending = 0;
}

/* Scrolls rows top..bot up by n (content moves up, blank rows at the bottom). */
static void scroll_up(struct vt *t, int top, int bot, int n)
{
	if (n <= 0 || top > bot)
		return;
	if (n > bot - top + 1)
		n = bot - top + 1;
	size_t row = (size_t)t->w * sizeof *t->cells;
	memmove(at(t, top, 0), at(t, top + n, 0), row * (size_t)(bot - top + 1 - n));
	for (int y = bot - n + 1; y <= bot; y++)
		clear_cells(t, y, 0, t->w);
}

static void scroll_down(struct vt *t, int top, int bot, int n)
{
	if (n <= 0 || top > bot)
		return;
	if (n > bot - top + 1)
		n = bot - top + 1;
	size_t row = (size_t)t->w * sizeof *t->cells;
	memmove(at(t, top + n, 0), at(t, top, 0), row * (size_t)(bot - top + 1 - n));
	for (int y = top; y < top + n; y++)
		clear_cells(t, y, 0, t->w);
}

static void linefeed(struct vt *t)
{
	if (t->y == t->bot)
		scroll_up(t, t->top, t->bot, 1);
	else if (t->y < t->h - 1)
		t->y++;
}

static void reverse_index(struct vt *t)
{
	if (t->y == t->top)
		scroll_down(t, t->top, t->bot, 1);
	else if (t->y > 0)
		t->y--;
}

/*
 * DECRC and the alternate screen's exit put the cursor back where DECSC saved it; the terminal
 * may have shrunk since (a resize between save and restore), so the saved place is clamped like
 * xterm does rather than trusted.
 */
static void restore_cursor(struct vt *t)
{
	t->x = t->sx < 0 ? 0 : t->sx >= t->w ? t->w - 1 : t->sx;
	t->y = t->sy < 0 ? 0 : t->sy >= t->h ? t->h - 1 : t->sy;
	t->pen = t->spen;
	t->wrap_pending = 0;
}

static void move_to(struct vt *t, int y, int x)
{
	int lo = t->origin ? t->top : 0, hi = t->origin ? t->bot : t->h - 1;
	if (t->origin)
		y += t->top;
	t->y = y < lo ? lo : y > hi ? hi : y;
	t->x = x < 0 ? 0 : x >= t->w ? t->w - 1 : x;
	t->wrap_pending = 0;
}

/* DEC special graphics (ESC ( 0): the line-drawing characters ncurses uses for ACS. */
static uint32_t dec_graphics(uint32_t c)
{
	static const uint16_t map[] = {
		/* 0x5f.. 0x7e */
		0x00a0, 0x25c6, 0x2592, 0x2409, 0x240c, 0x240d, 0x240a, 0x00b0, 0x00b1, 0x2424, 0x240b, 0x2518,
		0x2510, 0x250c, 0x2514, 0x253c, 0x23ba, 0x23bb, 0x2500, 0x23bc, 0x23bd, 0x251c, 0x2524, 0x2534,
		0x252c, 0x2502, 0x2264, 0x2265, 0x03c0, 0x2260, 0x00a3, 0x00b7,
	};
	if (c >= 0x5f && c <= 0x7e)
		return map[c - 0x5f];
	return c;
}

static void put_char(struct vt *t, uint32_t c)
{
	int w = 1;
	if (c >= 0x80) {
		int cw = wcwidth((wchar_t)c);
		if (cw == 0) {
			/* A combining mark joins the character before the cursor. */
			int x = t->wrap_pending ? t->x : t->x - 1;
			if (x >= 0) {
				struct vt_cell *p = at(t, t->y, x);
				if (p->ch == 0 && x > 0)
					p = at(t, t->y, x - 1);
				if (!p->comb)
					p->comb = c;
			}
			return;
		}
		w = cw == 2 ? 2 : 1;
	} else if ((t->shift_out ? t->g1_graphics : t->g0_graphics))
		c = dec_graphics(c);
	if (w > t->w)
		return;
	if (t->wrap_pending || t->x + w > t->w) {
		if (t->autowrap) {
			t->x = 0;
			linefeed(t);
		} else
			t->x = t->w - w;
		t->wrap_pending = 0;
	}
	/* Writing over half of a wide character blanks its other half. */
	struct vt_cell b = blank_of(t);
	for (int k = 0; k < w; k++) {
		struct vt_cell *p = at(t, t->y, t->x + k);
		if (p->ch == 0 && t->x + k > 0)
			*at(t, t->y, t->x + k - 1) = b;
		if (p->width == 2 && p->ch && t->x + k + 1 < t->w)
			*at(t, t->y, t->x + k + 1) = b;
	}
	struct vt_cell *p = at(t, t->y, t->x);
	*p = t->pen;
	p->ch = c;
	p->comb = 0;
	p->width = (uint8_t)w;
	if (w == 2) {
		struct vt_cell *q = at(t, t->y, t->x + 1);
		*q = t->pen;
		q->ch = 0;
		q->comb = 0;
		q->width = 0;
	}
	if (t->x + w >= t->w) {
		t->x = t->w - 1;
		t->wrap_pending = t->autowrap;
	} else
		t->x += w;
}

static int param(const struct vt *t, int i, int def)
{
	return i < t->nparams && t->params[i] > 0 ? t->params[i] : def;
}

static void sgr(struct vt *t)
{
	if (t->nparams == 0) {
		t->pen.attr = 0, t->pen.fg = t->pen.bg = 0;
		return;
	}
	for (int i = 0; i < t->nparams; i++) {
		int p = t->params[i] < 0 ? 0 : t->params[i];
		switch (p) {
		case 0: t->pen.attr = 0, t->pen.fg = t->pen.bg = 0; break;
		case 1: t->pen.attr |= VT_BOLD; break;
		case 2: t->pen.attr |= VT_DIM; break;
		case 3: t->pen.attr |= VT_ITALIC; break;
		case 4: t->pen.attr |= VT_UNDER; break;
		case 5: case 6: t->pen.attr |= VT_BLINK; break;
		case 7: t->pen.attr |= VT_REVERSE; break;
		case 8: t->pen.attr |= VT_INVISIBLE; break;
		case 9: t->pen.attr |= VT_STRIKE; break;
		case 21: case 22: t->pen.attr &= (uint16_t)~(VT_BOLD | VT_DIM); break;
		case 23: t->pen.attr &= (uint16_t)~VT_ITALIC; break;
		case 24: t->pen.attr &= (uint16_t)~VT_UNDER; break;
		case 25: t->pen.attr &= (uint16_t)~VT_BLINK; break;
		case 27: t->pen.attr &= (uint16_t)~VT_REVERSE; break;
		case 28: t->pen.attr &= (uint16_t)~VT_INVISIBLE; break;
		case 29: t->pen.attr &= (uint16_t)~VT_STRIKE; break;
		case 39: t->pen.fg = 0; break;
		case 49: t->pen.bg = 0; break;
		case 38: case 48: {
			uint32_t col = 0;
			if (i + 2 < t->nparams && t->params[i + 1] == 5) {
				col = (uint32_t)(t->params[i + 2] & 255) + 1;
				i += 2;
			} else if (i + 4 < t->nparams && t->params[i + 1] == 2) {
				col = VT_RGB | (uint32_t)(t->params[i + 2] & 255) << 16 | (uint32_t)(t->params[i + 3] & 255) << 8 |
				      (uint32_t)(t->params[i + 4] & 255);
				i += 4;
			} else
				i = t->nparams;
			if (p == 38)
				t->pen.fg = col;
			else
				t->pen.bg = col;
			break;
		}
		default:
			if (p >= 30 && p <= 37)
				t->pen.fg = (uint32_t)(p - 30) + 1;
			else if (p >= 40 && p <= 47)
				t->pen.bg = (uint32_t)(p - 40) + 1;
			else if (p >= 90 && p <= 97)
				t->pen.fg = (uint32_t)(p - 90 + 8) + 1;
			else if (p >= 100 && p <= 107)
				t->pen.bg = (uint32_t)(p - 100 + 8) + 1;
			break;
		}
	}
}

static void set_mode(struct vt *t, int on)
{
	for (int i = 0; i < t->nparams || i == 0; i++) {
		int p = i < t->nparams ? t->params[i] : 0;
		if (!t->priv)
			continue;   /* ANSI modes (insert mode...) are not used by ncurses here */
		switch (p) {
		case 6: t->origin = on; move_to(t, 0, 0); break;
		case 7: t->autowrap = on; break;
		case 25: t->cursor_visible = on; break;
		case 47: case 1047: case 1049:
			if (on) {
				if (p == 1049)
					t->sx = t->x, t->sy = t->y, t->spen = t->pen;
				for (int y = 0; y < t->h; y++)
					clear_cells(t, y, 0, t->w);
			} else if (p == 1049) {
				restore_cursor(t);
			}
			break;
		default: break;
		}
	}
}

static void csi(struct vt *t, char f)
{
	int n = param(t, 0, 1);
	if (t->priv && f != 'h' && f != 'l')
		return;
	switch (f) {
	case '@': {     /* ICH */
		if (n > t->w - t->x)
			n = t->w - t->x;
		memmove(at(t, t->y, t->x + n), at(t, t->y, t->x), (size_t)(t->w - t->x - n) * sizeof *t->cells);
		clear_cells(t, t->y, t->x, t->x + n);
		t->wrap_pending = 0;
		break;
	}
	case 'A': move_to(t, t->y - n - (t->origin ? t->top : 0), t->x); break;
	case 'B': case 'e': move_to(t, t->y + n - (t->origin ? t->top : 0), t->x); break;
	case 'C': case 'a': move_to(t, t->y - (t->origin ? t->top : 0), t->x + n); break;
	case 'D': move_to(t, t->y - (t->origin ? t->top : 0), t->x - n); break;
	case 'E': move_to(t, t->y + n - (t->origin ? t->top : 0), 0); break;
	case 'F': move_to(t, t->y - n - (t->origin ? t->top : 0), 0); break;
	case 'G': case '`': move_to(t, t->y - (t->origin ? t->top : 0), n - 1); break;
	case 'd': move_to(t, n - 1, t->x); break;
	case 'H': case 'f': move_to(t, param(t, 0, 1) - 1, param(t, 1, 1) - 1); break;
	case 'J': {
		int m = t->nparams ? t->params[0] : 0;
		if (m == 0) {
			clear_cells(t, t->y, t->x, t->w);
			for (int y = t->y + 1; y < t->h; y++)
				clear_cells(t, y, 0, t->w);
		} else if (m == 1) {
			for (int y = 0; y < t->y; y++)
				clear_cells(t, y, 0, t->w);
			clear_cells(t, t->y, 0, t->x + 1);
		} else if (m == 2 || m == 3)
			for (int y = 0; y < t->h; y++)
				clear_cells(t, y, 0, t->w);
		t->wrap_pending = 0;
		break;
	}
	case 'K': {
		int m = t->nparams ? t->params[0] : 0;
		if (m == 0)
			clear_cells(t, t->y, t->x, t->w);
		else if (m == 1)
			clear_cells(t, t->y, 0, t->x + 1);
		else if (m == 2)
			clear_cells(t, t->y, 0, t->w);
		t->wrap_pending = 0;
		break;
	}
	case 'X': clear_cells(t, t->y, t->x, t->x + n); t->wrap_pending = 0; break;
	case 'P': {     /* DCH */
		if (n > t->w - t->x)
			n = t->w - t->x;
		memmove(at(t, t->y, t->x), at(t, t->y, t->x + n), (size_t)(t->w - t->x - n) * sizeof *t->cells);
		clear_cells(t, t->y, t->w - n, t->w);
		t->wrap_pending = 0;
		break;
	}
	case 'L': if (t->y >= t->top && t->y <= t->bot) scroll_down(t, t->y, t->bot, n); t->x = 0; t->wrap_pending = 0; break;
	case 'M': if (t->y >= t->top && t->y <= t->bot) scroll_up(t, t->y, t->bot, n); t->x = 0; t->wrap_pending = 0; break;
	case 'S': scroll_up(t, t->top, t->bot, n); break;
	case 'T': scroll_down(t, t->top, t->bot, n); break;
	case 'b': {     /* REP: repeat the previous character */
		int x = t->wrap_pending ? t->x : t->x - 1;
		if (x >= 0) {
			struct vt_cell *p = at(t, t->y, x);
			uint32_t c = p->ch ? p->ch : x > 0 ? at(t, t->y, x - 1)->ch : ' ';
			if (n > 65535)
				n = 65535;
			for (int k = 0; k < n; k++)
				put_char(t, c);
		}
		break;
	}
	case 'm': sgr(t); break;
	case 'r': {
		int top = param(t, 0, 1) - 1, bot = param(t, 1, t->h) - 1;
		if (bot >= t->h)
			bot = t->h - 1;
		if (top < bot) {
			t->top = top, t->bot = bot;
			move_to(t, 0, 0);
		}
		break;
	}
	case 's': t->sx = t->x, t->sy = t->y, t->spen = t->pen; break;
	case 'u': restore_cursor(t); break;
	case 'h': set_mode(t, 1); break;
	case 'l': set_mode(t, 0); break;
	default: break;
	}
}

static void esc(struct vt *t, char f)
{
	if (t->inter == '(' || t->inter == ')') {
		int g = f == '0';
		if (t->inter == '(')
			t->g0_graphics = g;
		else
			t->g1_graphics = g;
		return;
	}
	if (t->inter)
		return;
	switch (f) {
	case '7': t->sx = t->x, t->sy = t->y, t->spen = t->pen; break;
	case '8': restore_cursor(t); break;
	case 'D': linefeed(t); break;
	case 'E': t->x = 0; linefeed(t); break;
	case 'M': reverse_index(t); t->wrap_pending = 0; break;
	case 'c': {
		int w = t->w, h = t->h;
		vt_free(t);
		vt_init(t, w, h);
		break;
	}
	default: break;
	}
}

static void control(struct vt *t, unsigned char c)
{
	switch (c) {
	case '\b': if (t->x > 0) t->x--; t->wrap_pending = 0; break;
	case '\t': {
		int x = (t->x / 8 + 1) * 8;
		t->x = x >= t->w ? t->w - 1 : x;
		t->wrap_pending = 0;
		break;
	}
	case '\n': case '\v': case '\f': linefeed(t); t->wrap_pending = 0; break;
	case '\r': t->x = 0; t->wrap_pending = 0; break;
	case 0x0e: t->shift_out = 1; break;
	case 0x0f: t->shift_out = 0; break;
	default: break;
	}
}

static void byte(struct vt *t, unsigned char c)
{
	/* C0 controls act in every state except inside strings (CAN/SUB abort a sequence). */
	if (c == 0x18 || c == 0x1a) {
		t->state = S_GROUND;
		return;
	}
	if (c == 0x1b && t->state != S_STR) {
		if (t->need > 0) {
			t->need = 0;
			put_char(t, 0xfffd);
		}
		t->state = S_ESC;
		t->inter = 0;
		return;
	}
	switch (t->state) {
	case S_GROUND:
		if (c < 0x80 && t->need > 0) {   /* a sequence cut short */
			t->need = 0;
			put_char(t, 0xfffd);
		}
		if (c < 0x20 || c == 0x7f) {
			control(t, c);
		} else if (c < 0x80) {
			put_char(t, c);
		} else if (t->need > 0 && (c & 0xc0) == 0x80) {
			t->cp = (t->cp << 6) | (c & 0x3f);
			if (--t->need == 0)
				put_char(t, t->cp < 0x110000 ? t->cp : 0xfffd);
		} else {
			if (t->need > 0)
				put_char(t, 0xfffd);
			if (c >= 0xc2 && c < 0xe0)
				t->cp = c & 0x1f, t->need = 1;
			else if (c >= 0xe0 && c < 0xf0)
				t->cp = c & 0x0f, t->need = 2;
			else if (c >= 0xf0 && c < 0xf5)
				t->cp = c & 0x07, t->need = 3;
			else {
				t->need = 0;
				put_char(t, 0xfffd);
			}
		}
		break;
	case S_ESC:
		if (c == '[') {
			t->state = S_CSI;
			t->nparams = 0, t->priv = 0;
			memset(t->params, 0, sizeof t->params);
		} else if (c == ']' || c == 'P' || c == '_' || c == '^' || c == 'X')
			t->state = S_STR;
		else if (c >= 0x20 && c <= 0x2f) {
			t->inter = (char)c;
			t->state = S_ESC_INTER;
		} else if (c < 0x20)
			control(t, c);
		else {
			esc(t, (char)c);
			t->state = S_GROUND;
		}
		break;
	case S_ESC_INTER:
		if (c >= 0x30 && c <= 0x7e) {
			esc(t, (char)c);
			t->state = S_GROUND;
		} else if (c < 0x20)
			control(t, c);
		break;
	case S_CSI:
		if (c >= '0' && c <= '9') {
			if (t->nparams == 0)
				t->nparams = 1;
			int *p = &t->params[t->nparams - 1];
			if (*p < 100000)
				*p = *p * 10 + (c - '0');
		} else if (c == ';' || c == ':') {
			if (t->nparams == 0)
				t->nparams = 1;
			if (t->nparams < (int)ARRAY_LEN(t->params))
				t->params[t->nparams++] = 0;
		} else if (c >= 0x3c && c <= 0x3f)
			t->priv = 1;
		else if (c >= 0x20 && c <= 0x2f)
			t->priv = t->priv ? t->priv : 2;   /* intermediates: sequences we do not handle */
		else if (c >= 0x40 && c <= 0x7e) {
			if (t->priv != 2)
				csi(t, (char)c);
			t->state = S_GROUND;
		} else if (c < 0x20)
			control(t, c);
		break;
	case S_STR:
		if (c == 0x07)
			t->state = S_GROUND;
		else if (c == 0x1b)
			t->state = S_STR_ESC;
		break;
	case S_STR_ESC:
		t->state = c == '\\' ? S_GROUND : S_STR;
		break;
	}
}

void vt_feed(struct vt *t, const char *buf, size_t n)
{
	for (size_t i = 0; i < n; i++)
		byte(t, (unsigned char)buf[i]);
}

char *vt_row_text(const struct vt *t, int y)
{
	struct strbuf sb = STRBUF_INIT;
	size_t keep = 0;
	for (int x = 0; x < t->w; x++) {
		const struct vt_cell *c = &t->cells[(size_t)y * (size_t)t->w + (size_t)x];
		if (c->ch == 0)
			continue;
		const uint32_t cps[2] = {c->ch, c->comb};
		for (int k = 0; k < 2 && cps[k]; k++)
			utf8_put(&sb, cps[k]);
		if (c->ch != ' ' || c->comb)
			keep = sb.len;
	}
	char *s = sb_detach(&sb);
	s[keep] = '\0';
	return s;
}

char *vt_screen_text(const struct vt *t)
{
	struct strbuf sb = STRBUF_INIT;
	size_t keep = 0;
	for (int y = 0; y < t->h; y++) {
		char *r = vt_row_text(t, y);
		sb_adds(&sb, r);
		if (*r)
			keep = sb.len;
		sb_addc(&sb, '\n');
		free(r);
	}
	char *s = sb_detach(&sb);
	s[keep] = '\0';
	return s;
}
