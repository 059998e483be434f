/*
 * props.c: a Java .properties file as a list of logical lines, each holding its
 * original bytes.
 *
 * The file is cut into logical lines the way java.util.Properties.load reads it:
 * a physical line ends at "\n", "\r\n" or "\r"; a line whose first non-blank
 * (space, tab, form feed) character is '#' or '!' is a comment, a blank one is
 * blank, and neither ever continues; any other line that ends in an odd number of
 * backslashes continues on the next, whose leading blanks are dropped (a comment
 * marker there is value text). The joined text is split like Java does: the key
 * runs to the first unescaped '=', ':' or blank; blanks, at most one '=' or ':'
 * and more blanks follow; the value is the rest, trailing blanks included. Keys
 * and values are unescaped (\t \n \r \f, \uXXXX with surrogate pairs joined, any
 * other \x is x). Where Java would throw (a malformed \u) we keep going: "\u12"
 * gives "u12". \u0000 becomes U+FFFD because values are C strings.
 *
 * Each logical line keeps its raw bytes (line ends included) and, for a
 * definition, the raw range of its value: from the first value byte to the end of
 * the last physical line's content. Setting a value splices the escaped new value
 * into that range and keeps everything before it (indentation, key spelling,
 * separator and the spacing around it) and the final line end, so a multi-line
 * value becomes one line and nothing else moves. The spliced line is parsed again,
 * which both refreshes the record and checks the splice (a mismatch is a bug:
 * fatal). Serialising concatenates the raw bytes, so an untouched file comes back
 * byte-identical.
 *
 * Escaping on set is minimal: a backslash, a line end, and a leading blank (and a
 * leading '=' or ':' when the line has no explicit separator, since Java would take
 * it for one). Non-ASCII stays raw UTF-8: Linkis reads its files as UTF-8.
 *
 * Rejected: a key -> value map with a writer (loses comments and order); editing
 * the buffer in place with offsets (every set shifts every later offset).
 */
#include "core/props.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"

struct rec {
	char *raw;              /* the logical line's bytes, line ends included */
	size_t len;
	int is_def;
	int has_sep;            /* the key ended at '=', ':' or a blank (else "=" is inserted on set) */
	int explicit_sep;       /* an '=' or ':' separates key and value */
	int open_cont;          /* the last physical line ends in an unpaired backslash (end of file) */
	int bare;               /* a lone "\\" at the end of the input: Java's key "" */
	size_t val_off, val_end;/* raw range replaced by props_set */
	char *key, *value;      /* unescaped; defs only */
};

struct props {
	struct rec *v;
	size_t n, cap;
	size_t ndefs;
	char eol[3];            /* the first line end seen, "\n" when none */
};

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\f';
}

/* The physical line at pos: sets *ce to the end of its content, returns the start of the next. */
static size_t phys_line(const char *b, size_t len, size_t pos, size_t *ce)
{
	size_t i = pos;
	while (i < len && b[i] != '\n' && b[i] != '\r')
		i++;
	*ce = i;
	if (i < len && b[i] == '\r') {
		i++;
		if (i < len && b[i] == '\n')
			i++;
	} else if (i < len)
		i++;
	return i;
}

static int odd_backslashes(const char *b, size_t from, size_t ce)
{
	size_t n = 0;
	while (ce > from && b[ce - 1] == '\\') {
		n++;
		ce--;
	}
	return (int)(n & 1);
}

static void put_utf8(struct strbuf *sb, uint32_t cp)
{
	char u[4];
	if (cp < 0x80) {
		sb_addc(sb, (char)cp);
		return;
	}
	if (cp < 0x800) {
		u[0] = (char)(0xC0 | (cp >> 6));
		u[1] = (char)(0x80 | (cp & 0x3F));
		sb_add(sb, u, 2);
	} else if (cp < 0x10000) {
		u[0] = (char)(0xE0 | (cp >> 12));
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[2] = (char)(0x80 | (cp & 0x3F));
		sb_add(sb, u, 3);
	} else {
		u[0] = (char)(0xF0 | (cp >> 18));
		u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[3] = (char)(0x80 | (cp & 0x3F));
		sb_add(sb, u, 4);
	}
}

/* A \uXXXX at s[i] (s[i] == '\\')? Returns the code unit, or -1. */
static int32_t u_escape(const char *s, size_t i, size_t n)
{
	if (i + 6 > n || s[i] != '\\' || s[i + 1] != 'u')
		return -1;
	int32_t v = 0;
	for (size_t k = i + 2; k < i + 6; k++) {
		char c = s[k];
		int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 :
		    c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
		if (d < 0)
			return -1;
		v = v * 16 + d;
	}
	return v;
}

/* Java's loadConvert on s[0..n), to UTF-8. Caller frees. */
static char *unescape(const char *s, size_t n)
{
	struct strbuf sb = STRBUF_INIT;
	sb_add(&sb, "", 0);
	for (size_t i = 0; i < n; i++) {
		if (s[i] != '\\') {
			sb_addc(&sb, s[i]);
			continue;
		}
		if (i + 1 >= n)
			break;
		int32_t u = u_escape(s, i, n);
		if (u >= 0) {
			i += 5;
			if (u >= 0xD800 && u <= 0xDBFF) {
				int32_t lo = u_escape(s, i + 1, n);
				if (lo >= 0xDC00 && lo <= 0xDFFF) {
					put_utf8(&sb, 0x10000 + (((uint32_t)u - 0xD800) << 10) +
					    ((uint32_t)lo - 0xDC00));
					i += 6;
					continue;
				}
				u = 0xFFFD;
			} else if ((u >= 0xDC00 && u <= 0xDFFF) || u == 0)
				u = 0xFFFD;
			put_utf8(&sb, (uint32_t)u);
			continue;
		}
		char c = s[++i];
		sb_addc(&sb, c == 't' ? '\t' : c == 'n' ? '\n' : c == 'r' ? '\r' : c == 'f' ? '\f' : c);
	}
	return sb_detach(&sb);
}

static void rec_clear(struct rec *r)
{
	free(r->raw);
	free(r->key);
	free(r->value);
	memset(r, 0, sizeof(*r));
}

/*
 * Parses the logical line starting at pos into *r (raw bytes copied). Returns the
 * offset of the next logical line. Notes the first line end into eol when eol[0] is 0.
 */
static size_t parse_logical(const char *b, size_t len, size_t pos, struct rec *r, char eol[3])
{
	size_t ce, nx = phys_line(b, len, pos, &ce);
	size_t f = pos;

	memset(r, 0, sizeof(*r));
	if (eol && !eol[0] && nx > ce) {
		memcpy(eol, b + ce, nx - ce);
		eol[nx - ce] = 0;
	}
	while (f < ce && is_blank(b[f]))
		f++;
	/*
	 * A line holding nothing but one backslash continues into nothing: Java reads
	 * the next line as the start of a logical line (so "#" there is a comment), and
	 * the backslash line itself is a no-op, except at the very end of the input
	 * (no line end, or a one-byte one), where Java loads it as the key "".
	 */
	int bare = f + 1 == ce && b[f] == '\\';
	if (f == ce || b[f] == '#' || b[f] == '!' || (bare && !(nx == len && nx - ce <= 1))) {
		r->raw = xstrndup(b + pos, nx - pos);
		r->len = nx - pos;
		return nx;
	}
	r->bare = bare;

	/* Join the continued lines, remembering where each joined byte came from. */
	struct strbuf j = STRBUF_INIT;
	size_t *map = NULL, mapcap = 0;
	size_t ls = pos, lce = ce, lnx = nx, from = f;
	for (;;) {
		int odd = odd_backslashes(b, ls, lce);
		size_t end = odd ? lce - 1 : lce;
		if (j.len + (end - from) > mapcap) {
			mapcap = (j.len + (end - from)) * 2 + 16;
			map = xreallocarray(map, mapcap, sizeof(*map));
		}
		for (size_t k = from; k < end; k++)
			map[j.len + (k - from)] = k - pos;
		sb_add(&j, b + from, end - from);
		if (!odd || lnx >= len) {
			r->open_cont = odd;
			break;
		}
		ls = lnx;
		lnx = phys_line(b, len, ls, &lce);
		for (from = ls; from < lce && is_blank(b[from]); from++)
			;
	}

	/* Java's key/value split on the joined text. */
	const char *s = j.s;
	size_t n = j.len, k = 0, vs = n;
	int prec = 0, sep = 0, broke = 0;
	for (; k < n; k++) {
		char c = s[k];
		if (!prec && (c == '=' || c == ':')) {
			vs = k + 1;
			sep = broke = 1;
			break;
		}
		if (!prec && is_blank(c)) {
			vs = k + 1;
			broke = 1;
			break;
		}
		prec = c == '\\' ? !prec : 0;
	}
	for (; vs < n; vs++) {
		char c = s[vs];
		if (!is_blank(c)) {
			if (!sep && (c == '=' || c == ':'))
				sep = 1;
			else
				break;
		}
	}
	r->is_def = 1;
	r->has_sep = broke;
	r->explicit_sep = sep;
	r->key = unescape(s, k);
	r->value = unescape(s + vs, n - vs);
	/* an empty joined text: a lone "\\" line, which Java loads as key "" */
	r->val_off = vs < n ? map[vs] : n > 0 ? map[n - 1] + 1 : f - pos;
	r->val_end = lce - pos;
	r->raw = xstrndup(b + pos, lnx - pos);
	r->len = lnx - pos;
	free(map);
	sb_free(&j);
	return lnx;
}

static void push(struct props *p, const struct rec *r)
{
	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 64;
		p->v = xreallocarray(p->v, p->cap, sizeof(*p->v));
	}
	p->v[p->n++] = *r;
	if (r->is_def)
		p->ndefs++;
}

struct props *props_parse(const char *buf, size_t len)
{
	struct props *p = xcalloc(1, sizeof(*p));
	size_t pos = 0;
	while (pos < len) {
		struct rec r;
		pos = parse_logical(buf, len, pos, &r, p->eol);
		push(p, &r);
	}
	if (!p->eol[0])
		strcpy(p->eol, "\n");
	return p;
}

void props_free(struct props *p)
{
	if (!p)
		return;
	for (size_t k = 0; k < p->n; k++)
		rec_clear(&p->v[k]);
	free(p->v);
	free(p);
}

const char *props_get(const struct props *p, const char *key)
{
	if (!p || !key)
		return NULL;
	for (size_t k = p->n; k-- > 0;)
		if (p->v[k].is_def && strcmp(p->v[k].key, key) == 0)
			return p->v[k].value;
	return NULL;
}

size_t props_count(const struct props *p)
{
	return p ? p->ndefs : 0;
}

static const struct rec *def_at(const struct props *p, size_t i)
{
	for (size_t k = 0; p && k < p->n; k++)
		if (p->v[k].is_def && i-- == 0)
			return &p->v[k];
	return NULL;
}

const char *props_key_at(const struct props *p, size_t i)
{
	const struct rec *r = def_at(p, i);
	return r ? r->key : NULL;
}

const char *props_value_at(const struct props *p, size_t i)
{
	const struct rec *r = def_at(p, i);
	return r ? r->value : NULL;
}

static void escape_value(struct strbuf *sb, const char *v, int lead_sep)
{
	for (size_t i = 0; v[i]; i++) {
		char c = v[i];
		if (i == 0 && (c == ' ' || (lead_sep && (c == '=' || c == ':')))) {
			sb_addc(sb, '\\');
			sb_addc(sb, c);
		} else if (i == 0 && c == '\t')
			sb_adds(sb, "\\t");
		else if (i == 0 && c == '\f')
			sb_adds(sb, "\\f");
		else if (c == '\\')
			sb_adds(sb, "\\\\");
		else if (c == '\n')
			sb_adds(sb, "\\n");
		else if (c == '\r')
			sb_adds(sb, "\\r");
		else
			sb_addc(sb, c);
	}
}

static void escape_key(struct strbuf *sb, const char *k)
{
	for (size_t i = 0; k[i]; i++) {
		char c = k[i];
		if (c == '\\' || c == '=' || c == ':' || c == ' ' || (i == 0 && (c == '#' || c == '!'))) {
			sb_addc(sb, '\\');
			sb_addc(sb, c);
		} else if (c == '\t')
			sb_adds(sb, "\\t");
		else if (c == '\f')
			sb_adds(sb, "\\f");
		else if (c == '\n')
			sb_adds(sb, "\\n");
		else if (c == '\r')
			sb_adds(sb, "\\r");
		else
			sb_addc(sb, c);
	}
}

/* Replaces r with the parse of raw[0..len), which must be exactly one definition of key = value. */
static void reparse(struct rec *r, char *raw, size_t len, const char *key, const char *value)
{
	struct rec nr;
	size_t used = parse_logical(raw, len, 0, &nr, NULL);
	if (used != len || !nr.is_def || strcmp(nr.key, key) != 0 || strcmp(nr.value, value) != 0)
		fatal("props: splicing \"%s\" gave a different line", key);
	free(raw);
	rec_clear(r);
	*r = nr;
}

/*
 * When a value that started on a continuation line becomes empty, the prefix would
 * end in "\\" EOL blanks with nothing after: the line would continue into the
 * next one (or a "\r" would fuse with a "\n" into one line end). Those bytes add
 * nothing to the joined text, so they go: returns the new end of the prefix.
 */
static size_t drop_continuations(const char *raw, size_t end)
{
	for (;;) {
		size_t e = end;
		while (e > 0 && is_blank(raw[e - 1]))
			e--;
		if (e > 0 && raw[e - 1] == '\n') {
			e--;
			if (e > 0 && raw[e - 1] == '\r')
				e--;
		} else if (e > 0 && raw[e - 1] == '\r')
			e--;
		else
			return end;
		if (e == 0 || raw[e - 1] != '\\')
			return end;
		end = e - 1;
	}
}

int props_set(struct props *p, const char *key, const char *value)
{
	int changed = 0, found = 0;
	if (!value)
		value = "";
	for (size_t k = 0; k < p->n; k++) {
		struct rec *r = &p->v[k];
		if (!r->is_def || strcmp(r->key, key) != 0)
			continue;
		found = 1;
		if (strcmp(r->value, value) == 0)
			continue;
		struct strbuf sb = STRBUF_INIT;
		sb_add(&sb, r->raw, *value ? r->val_off : drop_continuations(r->raw, r->val_off));
		if (!r->has_sep)
			sb_addc(&sb, '=');
		escape_value(&sb, value, !r->explicit_sep && r->has_sep);
		sb_add(&sb, r->raw + r->val_end, r->len - r->val_end);
		size_t len = sb.len;
		reparse(r, sb_detach(&sb), len, key, value);
		changed = 1;
	}
	if (found)
		return changed;

	/* Append: end the last line first, closing a dangling continuation with a blank line. */
	int had_eol = 1;
	if (p->n > 0 && p->v[p->n - 1].bare) {
		/* Anything after a bare backslash would erase its key "": spell it "=". */
		struct rec *last = &p->v[p->n - 1];
		struct strbuf sb = STRBUF_INIT;
		sb_add(&sb, last->raw, last->val_off);
		sb_addc(&sb, '=');
		sb_add(&sb, last->raw + last->val_end, last->len - last->val_end);
		size_t len = sb.len;
		reparse(last, sb_detach(&sb), len, "", "");
	}
	if (p->n > 0) {
		struct rec *last = &p->v[p->n - 1];
		char c = last->raw[last->len - 1];
		had_eol = c == '\n' || c == '\r';
		if (!had_eol || last->open_cont) {
			struct strbuf sb = STRBUF_INIT;
			sb_add(&sb, last->raw, last->len);
			if (!had_eol)
				sb_adds(&sb, p->eol);
			/* the blank line; after a lone "\r" a "\n" would merge with it */
			if (last->open_cont)
				sb_adds(&sb, sb.s[sb.len - 1] == '\r' ? "\r" : p->eol);
			if (last->is_def) {
				char *k2 = xstrdup(last->key), *v2 = xstrdup(last->value);
				size_t len = sb.len;
				reparse(last, sb_detach(&sb), len, k2, v2);
				free(k2);
				free(v2);
			} else {
				free(last->raw);
				last->len = sb.len;
				last->raw = sb_detach(&sb);
			}
		}
	}
	struct strbuf sb = STRBUF_INIT;
	escape_key(&sb, key);
	sb_addc(&sb, '=');
	escape_value(&sb, value, 0);
	if (had_eol)
		sb_adds(&sb, p->eol);
	size_t len = sb.len;
	char *raw = sb_detach(&sb);
	struct rec r;
	if (parse_logical(raw, len, 0, &r, NULL) != len || !r.is_def ||
	    strcmp(r.key, key) != 0 || strcmp(r.value, value) != 0)
		fatal("props: appending \"%s\" gave a different line", key);
	free(raw);
	push(p, &r);
	return 1;
}

char *props_serialize(const struct props *p, size_t *len)
{
	struct strbuf sb = STRBUF_INIT;
	sb_add(&sb, "", 0);
	for (size_t k = 0; p && k < p->n; k++)
		sb_add(&sb, p->v[k].raw, p->v[k].len);
	if (len)
		*len = sb.len;
	return sb_detach(&sb);
}

/* ---- diff */

enum dkind { D_RAW, D_VALUE, D_CONT };

struct dline {
	const char *s;          /* borrowed from a props record */
	size_t len;             /* without the line end */
	enum dkind kind;
	size_t split;           /* D_VALUE: where the value starts in s */
	const char *value;      /* D_VALUE: the whole unescaped value */
};

struct dlines {
	struct props *p;
	struct dline *v;
	size_t n, cap;
};

static void dl_push(struct dlines *d, struct dline l)
{
	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 64;
		d->v = xreallocarray(d->v, d->cap, sizeof(*d->v));
	}
	d->v[d->n++] = l;
}

static void dl_build(struct dlines *d, const char *text)
{
	memset(d, 0, sizeof(*d));
	d->p = props_parse(text, strlen(text));
	for (size_t k = 0; k < d->p->n; k++) {
		const struct rec *r = &d->p->v[k];
		int seen_value = 0;
		size_t pos = 0;
		while (pos < r->len) {
			size_t ce, nx = phys_line(r->raw, r->len, pos, &ce);
			struct dline l = {r->raw + pos, ce - pos, D_RAW, 0, NULL};
			if (r->is_def && !seen_value && r->val_off >= pos && r->val_off <= ce) {
				l.kind = D_VALUE;
				l.split = r->val_off - pos;
				l.value = r->value;
				seen_value = 1;
			} else if (r->is_def && seen_value)
				l.kind = D_CONT;
			dl_push(d, l);
			pos = nx;
		}
	}
}

static int dl_eq(const struct dline *a, const struct dline *b)
{
	/* clang-tidy: the analyzer takes a NULL line array with a non-zero count after diffing an
	 * empty text; dl_build leaves v NULL only with n == 0, and every caller loops below n. */
	return a->len == b->len && memcmp(a->s, b->s, a->len) == 0;   // NOLINT(clang-analyzer-core.NullDereference)
}

/* An edit script: for each step, 'k' keeps a[i] == b[j], 'd' deletes a[i], 'i' inserts b[j]. */
struct edit {
	char op;
	size_t i, j;
};

#define MYERS_MAX_D 1024

/*
 * Myers' O((N+M)D) diff, keeping each round's frontier for the walk back (D^2
 * memory, bounded by MYERS_MAX_D). Returns the number of edits written to *out,
 * or (size_t)-1 when the files differ too much.
 */
static size_t myers(const struct dline *a, size_t na, const struct dline *b, size_t nb,
    struct edit **out)
{
	size_t max = na + nb;
	if (max > (size_t)INT32_MAX)
		return (size_t)-1;
	long off = (long)max + 1;
	long *v = xcalloc((size_t)(2 * off + 1), sizeof(long));
	long **trace = NULL;
	long dfound = -1;
	long dmax = (long)max < MYERS_MAX_D ? (long)max : MYERS_MAX_D;

	trace = xcalloc((size_t)dmax + 1, sizeof(*trace));
	for (long d = 0; d <= dmax && dfound < 0; d++) {
		for (long k = -d; k <= d; k += 2) {
			long x;
			if (k == -d || (k != d && v[off + k - 1] < v[off + k + 1]))
				x = v[off + k + 1];
			else
				x = v[off + k - 1] + 1;
			long y = x - k;
			while (x < (long)na && y < (long)nb && dl_eq(&a[x], &b[y])) {
				x++;
				y++;
			}
			v[off + k] = x;
			if (x >= (long)na && y >= (long)nb) {
				dfound = d;
				break;
			}
		}
		trace[d] = xmalloc((size_t)(2 * d + 1) * sizeof(long));
		memcpy(trace[d], &v[off - d], (size_t)(2 * d + 1) * sizeof(long));
	}
	free(v);
	if (dfound < 0) {
		for (long d = 0; d <= dmax; d++)
			free(trace[d]);
		free(trace);
		return (size_t)-1;
	}

	/* Walk back from (na, nb), writing the script from its end. */
	size_t cap = na + nb, n = cap;
	struct edit *e = xcalloc(cap ? cap : 1, sizeof(*e));
	long x = (long)na, y = (long)nb;
	for (long d = dfound; d >= 0; d--) {
		long k = x - y, pk, px, py;
		if (d == 0) {
			pk = 0;
			px = 0;
		} else {
			const long *pv = trace[d - 1] + (d - 1);   /* index by k in [-(d-1), d-1] */
			if (k == -d || (k != d && pv[k - 1] < pv[k + 1]))
				pk = k + 1;
			else
				pk = k - 1;
			px = pv[pk];
		}
		py = px - pk;
		while (x > px && y > py) {
			x--;
			y--;
			e[--n] = (struct edit){'k', (size_t)x, (size_t)y};
		}
		if (d > 0) {
			if (pk == k + 1)
				e[--n] = (struct edit){'i', (size_t)px, (size_t)py};
			else
				e[--n] = (struct edit){'d', (size_t)px, (size_t)py};
		}
		x = px;
		y = py;
	}
	for (long d = 0; d <= dmax; d++)
		free(trace[d]);
	free(trace);
	size_t cnt = cap - n;
	memmove(e, e + n, cnt * sizeof(*e));
	*out = e;
	return cnt;
}

/* Fallback when the files differ too much for myers(): common head and tail, the rest replaced. */
static size_t crude(const struct dline *a, size_t na, const struct dline *b, size_t nb,
    struct edit **out)
{
	size_t h = 0, t = 0, n = 0;
	while (h < na && h < nb && dl_eq(&a[h], &b[h]))
		h++;
	while (t < na - h && t < nb - h && dl_eq(&a[na - 1 - t], &b[nb - 1 - t]))
		t++;
	struct edit *e = xcalloc(na + nb + 1, sizeof(*e));
	for (size_t i = 0; i < h; i++)
		e[n++] = (struct edit){'k', i, i};
	for (size_t i = h; i < na - t; i++)
		e[n++] = (struct edit){'d', i, h};
	for (size_t j = h; j < nb - t; j++)
		e[n++] = (struct edit){'i', na - t, j};
	for (size_t i = 0; i < t; i++)
		e[n++] = (struct edit){'k', na - t + i, nb - t + i};
	*out = e;
	return n;
}

static void print_line(struct strbuf *sb, char sign, const struct dline *l,
    char *(*mask)(void *ud, const char *value), void *ud)
{
	sb_addc(sb, sign);
	if (!mask || l->kind == D_RAW)   // NOLINT(clang-analyzer-core.NullDereference): as in dl_eq
		sb_add(sb, l->s, l->len);   // NOLINT(clang-analyzer-core.NullDereference)
	else if (l->kind == D_CONT)
		sb_adds(sb, "...");
	else {
		sb_add(sb, l->s, l->split);
		char *m = mask(ud, l->value);
		sb_adds(sb, m ? m : "****");
		free(m);
	}
	sb_addc(sb, '\n');
}

static void range(struct strbuf *sb, char sign, size_t before, size_t count)
{
	if (count == 0)
		sb_addf(sb, "%c%zu,0", sign, before);
	else if (count == 1)
		sb_addf(sb, "%c%zu", sign, before + 1);
	else
		sb_addf(sb, "%c%zu,%zu", sign, before + 1, count);
}

char *props_diff(const char *before, const char *after, char *(*mask)(void *ud, const char *value), void *ud)
{
	struct dlines a, b;
	struct edit *e = NULL;
	struct strbuf sb = STRBUF_INIT;

	dl_build(&a, before ? before : "");
	dl_build(&b, after ? after : "");
	size_t ne = myers(a.v, a.n, b.v, b.n, &e);
	if (ne == (size_t)-1)
		ne = crude(a.v, a.n, b.v, b.n, &e);
	sb_add(&sb, "", 0);
	for (size_t k = 0; k < ne;) {
		if (e[k].op == 'k') {
			k++;
			continue;
		}
		size_t h = k, nd = 0, ni = 0;
		while (k < ne && e[k].op != 'k') {
			if (e[k].op == 'd')
				nd++;
			else
				ni++;
			k++;
		}
		/* Lines before the hunk: where its first edit stands in each file. */
		size_t abefore = e[h].i, bbefore = e[h].j;
		sb_adds(&sb, "@@ ");
		range(&sb, '-', abefore, nd);
		sb_addc(&sb, ' ');
		range(&sb, '+', bbefore, ni);
		sb_adds(&sb, " @@\n");
		for (size_t q = h; q < k; q++)
			if (e[q].op == 'd')
				print_line(&sb, '-', &a.v[e[q].i], mask, ud);
		for (size_t q = h; q < k; q++)
			if (e[q].op == 'i')
				print_line(&sb, '+', &b.v[e[q].j], mask, ud);
	}
	free(e);
	free(a.v);
	free(b.v);
	props_free(a.p);
	props_free(b.p);
	return sb_detach(&sb);
}
