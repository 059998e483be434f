/*
 * text.c: UTF-8 decoding, sanitising and column arithmetic for everything the wizard draws.
 *
 * The decoder is our own (not mbrtowc) so that the engine's UTF-8 is read the same way whatever
 * the terminal's locale is, and so that every bad byte becomes exactly one U+FFFD: a run of
 * Latin-1 from an old vendor script stays the same length on screen and nothing is swallowed.
 * Widths come from wcwidth(), the same table ncursesw consults when it places the cells.
 *
 * The iterator is the only place that decides what a byte sequence looks like on screen; width,
 * clip and wrap are written on top of it so they can never disagree with the canvas, which uses
 * the iterator too. Rejected: caching widths per string (dialog's dlg_index_columns): the strings
 * we measure are short and change every frame, and a cache is one more thing to invalidate.
 */
#include "tui/text.h"

#include <stdio.h>
#include <string.h>
#include <wchar.h>

static int tx_is_utf8 = 1;

void
tx_set_utf8(int on)
{
	tx_is_utf8 = on != 0;
}

int
tx_utf8(void)
{
	return tx_is_utf8;
}

size_t
tx_decode(const char *str, size_t n, uint32_t *cp)
{
	const unsigned char *s = (const unsigned char *)str;
	unsigned char b = s[0];
	size_t need;
	uint32_t v;
	unsigned char lo = 0x80, hi = 0xBF;

	if (b < 0x80) {
		*cp = b;
		return 1;
	}
	if (b >= 0xC2 && b <= 0xDF) {
		need = 1;
		v = b & 0x1F;
	} else if (b >= 0xE0 && b <= 0xEF) {
		need = 2;
		v = b & 0x0F;
		if (b == 0xE0)
			lo = 0xA0;          /* overlong */
		else if (b == 0xED)
			hi = 0x9F;          /* UTF-16 surrogates */
	} else if (b >= 0xF0 && b <= 0xF4) {
		need = 3;
		v = b & 0x07;
		if (b == 0xF0)
			lo = 0x90;          /* overlong */
		else if (b == 0xF4)
			hi = 0x8F;          /* above U+10FFFF */
	} else {
		*cp = TX_REPLACEMENT;
		return 1;
	}
	if (n < need + 1) {
		*cp = TX_REPLACEMENT;
		return 1;
	}
	for (size_t i = 1; i <= need; i++) {
		unsigned char c = s[i];
		if (i == 1 ? (c < lo || c > hi) : (c < 0x80 || c > 0xBF)) {
			*cp = TX_REPLACEMENT;
			return 1;
		}
		v = (v << 6) | (c & 0x3F);
	}
	*cp = v;
	return need + 1;
}

static int
is_control(uint32_t cp)
{
	return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0);
}

int
tx_cpwidth(uint32_t cp)
{
	int w;

	if (is_control(cp))
		return 1;       /* drawn as U+FFFD */
	if (!tx_is_utf8 && cp >= 0x80)
		return 1;       /* drawn as '?' (combining marks are dropped by tx_next) */
	w = wcwidth((wchar_t)cp);
	if (w < 0)
		return 1;       /* unprintable: U+FFFD */
	return w > 2 ? 2 : w;
}

void
tx_iter_init(struct tx_iter *it, const char *s, size_t n)
{
	it->s = s ? s : "";
	it->n = s ? n : 0;
	it->pos = 0;
	it->col = 0;
}

/* Skips an escape sequence starting at it->pos (which holds ESC). ECMA-48: CSI is ESC [ params
 * intermediates final; OSC, DCS, SOS, PM and APC run to BEL or ST (ESC \); anything else is ESC,
 * intermediates, one final byte. A malformed sequence ends at the first byte that cannot belong
 * to it, and that byte is then shown normally. */
static void
skip_escape(struct tx_iter *it)
{
	const unsigned char *s = (const unsigned char *)it->s;
	size_t n = it->n, p = it->pos + 1;

	if (p >= n) {
		it->pos = p;
		return;
	}
	switch (s[p]) {
	case '[':
		p++;
		while (p < n && s[p] >= 0x20 && s[p] <= 0x3F)
			p++;
		if (p < n && s[p] >= 0x40 && s[p] <= 0x7E)
			p++;
		break;
	case ']': case 'P': case 'X': case '^': case '_':
		p++;
		while (p < n) {
			if (s[p] == 0x07) {
				p++;
				break;
			}
			if (s[p] == 0x1B && p + 1 < n && s[p + 1] == '\\') {
				p += 2;
				break;
			}
			p++;
		}
		break;
	default:
		while (p < n && s[p] >= 0x20 && s[p] <= 0x2F)
			p++;
		if (p < n && s[p] >= 0x30 && s[p] <= 0x7E)
			p++;
		break;
	}
	it->pos = p;
}

int
tx_next(struct tx_iter *it, struct tx_glyph *g)
{
	while (it->pos < it->n) {
		uint32_t cp;
		size_t len;
		int w;

		if (it->s[it->pos] == 0x1B) {
			skip_escape(it);
			continue;
		}
		len = tx_decode(it->s + it->pos, it->n - it->pos, &cp);
		g->off = it->pos;
		g->len = len;
		it->pos += len;
		if (cp == '\t') {
			cp = ' ';
			w = TX_TABSTOP - it->col % TX_TABSTOP;
		} else if (cp == '\n' || cp == '\r') {
			cp = ' ';
			w = 1;
		} else if (is_control(cp)) {
			cp = TX_REPLACEMENT;
			w = 1;
		} else {
			w = wcwidth((wchar_t)cp);
			if (w < 0) {
				cp = TX_REPLACEMENT;
				w = 1;
			} else if (w > 2) {
				w = 2;
			}
		}
		if (!tx_is_utf8 && cp >= 0x80) {
			if (w == 0)
				continue;
			cp = '?';
			w = 1;
		}
		g->cp = cp;
		g->width = w;
		it->col += w;
		return 1;
	}
	return 0;
}

int
tx_nwidth(const char *s, size_t n)
{
	struct tx_iter it;
	struct tx_glyph g;

	if (s == NULL)
		return 0;
	if (n == (size_t)-1)
		n = strlen(s);
	tx_iter_init(&it, s, n);
	while (tx_next(&it, &g))
		;
	return it.col;
}

int
tx_width(const char *s)
{
	return tx_nwidth(s, (size_t)-1);
}

size_t
tx_clip(const char *s, size_t n, int cols, int *used)
{
	struct tx_iter it;
	struct tx_glyph g;
	size_t end = 0;
	int w = 0, fitted = 0;

	if (s == NULL) {
		if (used)
			*used = 0;
		return 0;
	}
	tx_iter_init(&it, s, n);
	while (tx_next(&it, &g)) {
		if (g.width == 0) {
			if (fitted)
				end = g.off + g.len;
			continue;
		}
		if (w + g.width > cols)
			break;
		w += g.width;
		end = g.off + g.len;
		fitted = 1;
	}
	if (used)
		*used = w;
	return end;
}

static size_t
trim_right(const char *s, size_t start, size_t end)
{
	while (end > start && (s[end - 1] == ' ' || s[end - 1] == '\t'))
		end--;
	return end;
}

static void
put_span(struct tx_span *out, size_t max, size_t *count, size_t off, size_t len)
{
	if (out != NULL && *count < max) {
		out[*count].off = off;
		out[*count].len = len;
	}
	(*count)++;
}

/* A word (w, up to n bytes, ends at a space) with a '/' and a letter: a path ("/x", "../x",
 * "--root=/x"), a URL, an image reference ("registry.example/spg/server:latest"). Its '/' are
 * places to break, so a line ends after a folder, not inside a name; a fraction ("1/23") or a
 * date ("2026/11/23") has no letter and is not broken. */
static int
path_word(const char *w, size_t n)
{
	int slash = 0, letter = 0;

	for (size_t i = 0; i < n && w[i] != ' ' && w[i] != '\t'; i++) {
		unsigned char c = (unsigned char)w[i];
		slash |= c == '/';
		letter |= (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
	}
	return slash && letter;
}

/* Greedy wrap of one paragraph (no newline inside) that starts at byte `base` of the caller's
 * string. Columns are counted cumulatively from the paragraph start: a line's width is the
 * difference of two cumulative counts, so breaking at an earlier candidate needs no rescan. */
static void
wrap_paragraph(const char *s, size_t base, size_t n, int cols, struct tx_span *out, size_t max,
    size_t *count)
{
	struct tx_iter it;
	struct tx_glyph g;
	size_t ls = 0;              /* line start (offset in the paragraph) */
	long ls_cum = 0, cum = 0;
	int cont = 0;               /* the line continues a wrapped one: leading spaces go */
	int has_text = 0;           /* the line holds something other than spaces */
	int have_cand = 0;          /* a place to break: text ends at cand_end, resumes at cand_next */
	size_t cand_end = 0, cand_next = 0;
	long cand_cum = 0;
	int in_word = 0, path = 0;  /* inside a word (no spaces); that word is a path or a URL */

	if (cols < 1)
		cols = 1;
	tx_iter_init(&it, s + base, n);
	while (tx_next(&it, &g)) {
		char b = s[base + g.off];

		if (b == ' ' || b == '\t') {
			in_word = 0;
			if (!has_text && cont) {
				ls = g.off + g.len;
				ls_cum = cum + g.width;
			} else if (has_text && cum - ls_cum + g.width > cols) {
				put_span(out, max, count, base + ls, trim_right(s + base, ls, g.off) - ls);
				ls = g.off + g.len;
				ls_cum = cum + g.width;
				cont = 1;
				has_text = 0;
				have_cand = 0;
			} else if (has_text) {
				if (!(have_cand && cand_next == g.off))
					cand_end = g.off;
				have_cand = 1;
				cand_next = g.off + g.len;
				cand_cum = cum + g.width;
			}
			cum += g.width;
			continue;
		}
		while (g.width > 0 && has_text && cum - ls_cum + g.width > cols) {
			if (have_cand) {
				put_span(out, max, count, base + ls, trim_right(s + base, ls, cand_end) - ls);
				ls = cand_next;
				ls_cum = cand_cum;
				have_cand = 0;
				has_text = ls < g.off;
			} else {
				put_span(out, max, count, base + ls, g.off - ls);
				ls = g.off;
				ls_cum = cum;
				has_text = 0;
			}
			cont = 1;
		}
		cum += g.width;
		has_text = 1;
		if (!in_word) {
			in_word = 1;
			path = path_word(s + base + g.off, n - g.off);
		}
		if (g.width == 2 || (path && b == '/' && g.off + g.len < n && s[base + g.off + g.len] != '/')) {
			/* CJK has no spaces: a line may break after any wide glyph. A path has none either:
			 * it breaks after a '/' ("…/mysql/" then "linkis_ddl.sql"), not inside a name. */
			have_cand = 1;
			cand_end = cand_next = g.off + g.len;
			cand_cum = cum;
		}
	}
	put_span(out, max, count, base + ls, trim_right(s + base, ls, n) - ls);
}

size_t
tx_wrap(const char *s, size_t n, int cols, struct tx_span *out, size_t max)
{
	size_t count = 0, p = 0;

	if (s == NULL)
		s = "";
	if (n == (size_t)-1)
		n = strlen(s);
	for (;;) {
		const char *nl = memchr(s + p, '\n', n - p);
		size_t end = nl ? (size_t)(nl - s) : n;
		size_t plen = end - p;

		if (plen > 0 && s[p + plen - 1] == '\r')
			plen--;
		wrap_paragraph(s, p, plen, cols, out, max, &count);
		if (nl == NULL)
			break;
		p = end + 1;
		if (p >= n)
			break;      /* a final newline does not open an empty line */
	}
	return count;
}

const char *
tx_after_cr(const char *s, size_t *n)
{
	size_t len = *n, end = len, start = 0;

	while (end > 0 && (s[end - 1] == '\r' || s[end - 1] == '\n'))
		end--;
	for (size_t i = end; i > 0; i--) {
		if (s[i - 1] == '\r') {
			start = i;
			break;
		}
	}
	*n = end - start;
	return s + start;
}

static int
lower(int c)
{
	return (c >= 'A' && c <= 'Z') ? c + 32 : c;
}

long
tx_find(const char *hay, size_t n, const char *needle)
{
	size_t m = strlen(needle);

	if (m == 0)
		return 0;
	if (m > n)
		return -1;
	for (size_t i = 0; i + m <= n; i++) {
		size_t j = 0;
		while (j < m && lower((unsigned char)hay[i + j]) == lower((unsigned char)needle[j]))
			j++;
		if (j == m)
			return (long)i;
	}
	return -1;
}

const char *
tx_thousands(unsigned long long v, char *buf, size_t size)
{
	char tmp[32];
	int len = snprintf(tmp, sizeof tmp, "%llu", v);
	size_t o = 0;

	for (int i = 0; i < len && o + 1 < size; i++) {
		if (i > 0 && (len - i) % 3 == 0 && o + 2 < size)
			buf[o++] = ',';
		buf[o++] = tmp[i];
	}
	buf[o] = '\0';
	return buf;
}

const char *
tx_bytes(double v, char *buf, size_t size)
{
	static const char *const unit[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	int u = 0;

	while (v >= 1024.0 && u < 4) {
		v /= 1024.0;
		u++;
	}
	if (u == 0)
		snprintf(buf, size, "%.0f B", v);
	else
		snprintf(buf, size, v < 10 ? "%.1f %s" : "%.0f %s", v, unit[u]);
	return buf;
}

const char *
tx_duration(double secs, char *buf, size_t size)
{
	long s = secs < 0 ? 0 : (long)secs;

	if (s < 60)
		snprintf(buf, size, "%lds", s);
	else if (s < 3600)
		snprintf(buf, size, "%ldm%02lds", s / 60, s % 60);
	else
		snprintf(buf, size, "%ldh%02ldm", s / 3600, (s / 60) % 60);
	return buf;
}
