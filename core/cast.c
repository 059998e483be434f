/*
 * cast.c: asciicast v2 writer and indexed reader (see cast.h).
 *
 * The reader parses event lines by hand ([time, "code", "data"]): a one-hour recording holds
 * hundreds of thousands of lines and a general JSON parser per line would dominate the load.
 * The header (one line) goes through jansson.
 */
#include "core/cast.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "core/util.h"

struct cast_writer {
	int fd;
	struct timespec start;
	struct strbuf carry;        /* an incomplete UTF-8 sequence from the previous frame */
};

static double elapsed(const struct cast_writer *cw)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - cw->start.tv_sec) + (double)(now.tv_nsec - cw->start.tv_nsec) / 1e9;
}

static void write_line(struct cast_writer *cw, struct strbuf *sb)
{
	sb_addc(sb, '\n');
	const char *p = sb->s;
	size_t n = sb->len;
	while (n > 0) {
		ssize_t w = write(cw->fd, p, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return;     /* a full disk must not take the UI down: the recording stops */
		}
		p += w;
		n -= (size_t)w;
	}
}

size_t cast_json_string(struct strbuf *sb, const char *s, size_t n, int final)
{
	static const char hex[] = "0123456789abcdef";
	sb_addc(sb, '"');
	size_t i = 0;
	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x80) {
			switch (c) {
			case '"': sb_adds(sb, "\\\""); break;
			case '\\': sb_adds(sb, "\\\\"); break;
			case '\n': sb_adds(sb, "\\n"); break;
			case '\r': sb_adds(sb, "\\r"); break;
			case '\t': sb_adds(sb, "\\t"); break;
			case '\b': sb_adds(sb, "\\b"); break;
			default:
				if (c < 0x20 || c == 0x7f) {
					char u[7] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15], 0};
					sb_adds(sb, u);
				} else
					sb_addc(sb, (char)c);
			}
			i++;
			continue;
		}
		int len = c >= 0xc2 && c < 0xe0 ? 2 : c >= 0xe0 && c < 0xf0 ? 3 : c >= 0xf0 && c < 0xf5 ? 4 : 0;
		int ok = len > 0;
		size_t have = n - i;
		for (int k = 1; ok && k < len && (size_t)k < have; k++)
			ok = ((unsigned char)s[i + (size_t)k] & 0xc0) == 0x80;
		if (ok && (size_t)len > have) {
			if (!final) {
				sb_addc(sb, '"');
				return have;
			}
			ok = 0;
		}
		if (ok && len == 3) {
			unsigned c1 = (unsigned char)s[i + 1];
			if ((c == 0xe0 && c1 < 0xa0) || (c == 0xed && c1 >= 0xa0))
				ok = 0;   /* overlong or a surrogate */
		}
		if (ok && len == 4) {
			unsigned c1 = (unsigned char)s[i + 1];
			if ((c == 0xf0 && c1 < 0x90) || (c == 0xf4 && c1 >= 0x90))
				ok = 0;
		}
		if (ok) {
			sb_add(sb, s + i, (size_t)len);
			i += (size_t)len;
		} else {
			sb_adds(sb, "\\ufffd");
			i++;
		}
	}
	sb_addc(sb, '"');
	return 0;
}

struct cast_writer *cast_create(const char *path, int w, int h, const char *title, char **cause)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0600);
	if (fd < 0) {
		set_cause(cause, "%s: %s", path, strerror(errno));
		return NULL;
	}
	struct cast_writer *cw = xcalloc(1, sizeof *cw);
	cw->fd = fd;
	clock_gettime(CLOCK_MONOTONIC, &cw->start);
	/* Only TERM and SHELL, as the format asks: the environment may hold anything. */
	json_t *env = json_object();
	const char *term = getenv("TERM"), *shell = getenv("SHELL");
	if (term)
		json_object_set_new(env, "TERM", json_string(term));
	if (shell)
		json_object_set_new(env, "SHELL", json_string(shell));
	json_t *hdr = json_pack("{s:i,s:i,s:i,s:I}", "version", 2, "width", w, "height", h, "timestamp",
				(json_int_t)time(NULL));
	if (title) {
		json_t *js = json_string(title);
		if (js)
			json_object_set_new(hdr, "title", js);
	}
	json_object_set_new(hdr, "env", env);
	char *s = json_dumps(hdr, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(hdr);
	struct strbuf sb = STRBUF_INIT;
	sb_adds(&sb, s);
	free(s);
	write_line(cw, &sb);
	sb_free(&sb);
	return cw;
}

void cast_output(struct cast_writer *cw, const char *buf, size_t n)
{
	if (!cw || (n == 0 && cw->carry.len == 0))
		return;
	struct strbuf data = STRBUF_INIT;
	sb_add(&data, cw->carry.s ? cw->carry.s : "", cw->carry.len);
	sb_add(&data, buf, n);
	sb_reset(&cw->carry);
	struct strbuf sb = STRBUF_INIT;
	sb_addf(&sb, "[%.6f, \"o\", ", elapsed(cw));
	size_t left = cast_json_string(&sb, data.s, data.len, 0);
	if (left)
		sb_add(&cw->carry, data.s + data.len - left, left);
	sb_adds(&sb, "]");
	if (left < data.len)
		write_line(cw, &sb);
	sb_free(&sb);
	sb_free(&data);
}

void cast_resize(struct cast_writer *cw, int w, int h)
{
	if (!cw)
		return;
	struct strbuf sb = STRBUF_INIT;
	sb_addf(&sb, "[%.6f, \"r\", \"%dx%d\"]", elapsed(cw), w, h);
	write_line(cw, &sb);
	sb_free(&sb);
}

void cast_marker(struct cast_writer *cw, const char *label)
{
	if (!cw)
		return;
	struct strbuf sb = STRBUF_INIT;
	sb_addf(&sb, "[%.6f, \"m\", ", elapsed(cw));
	cast_json_string(&sb, label, strlen(label), 1);
	sb_adds(&sb, "]");
	write_line(cw, &sb);
	sb_free(&sb);
}

void cast_close(struct cast_writer *cw)
{
	if (!cw)
		return;
	if (cw->carry.len)
		cast_output(cw, "", 0);
	if (cw->carry.len) {   /* still incomplete: write it as U+FFFD */
		struct strbuf sb = STRBUF_INIT;
		sb_addf(&sb, "[%.6f, \"o\", ", elapsed(cw));
		cast_json_string(&sb, cw->carry.s, cw->carry.len, 1);
		sb_adds(&sb, "]");
		write_line(cw, &sb);
		sb_free(&sb);
	}
	sb_free(&cw->carry);
	close(cw->fd);
	free(cw);
}

/* ---- reading */

static int hex4(const char *p, const char *end, uint32_t *out)
{
	uint32_t v = 0;
	if (end - p < 4)
		return -1;
	for (int i = 0; i < 4; i++) {
		char c = p[i];
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (uint32_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (uint32_t)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (uint32_t)(c - 'A' + 10);
		else
			return -1;
	}
	*out = v;
	return 0;
}

/* Parses a JSON string starting at *pp (at the opening quote) into sb. -1 when malformed. */
static int parse_string(const char **pp, const char *end, struct strbuf *sb)
{
	const char *p = *pp;
	if (p >= end || *p != '"')
		return -1;
	p++;
	while (p < end) {
		const char *q = p;
		while (q < end && *q != '"' && *q != '\\')
			q++;
		sb_add(sb, p, (size_t)(q - p));
		p = q;
		if (p >= end)
			return -1;
		if (*p == '"') {
			*pp = p + 1;
			return 0;
		}
		p++;
		if (p >= end)
			return -1;
		char c = *p++;
		switch (c) {
		case 'n': sb_addc(sb, '\n'); break;
		case 'r': sb_addc(sb, '\r'); break;
		case 't': sb_addc(sb, '\t'); break;
		case 'b': sb_addc(sb, '\b'); break;
		case 'f': sb_addc(sb, '\f'); break;
		case '/': case '"': case '\\': sb_addc(sb, c); break;
		case 'u': {
			uint32_t cp;
			if (hex4(p, end, &cp) < 0)
				return -1;
			p += 4;
			if (cp >= 0xd800 && cp < 0xdc00) {
				uint32_t lo;
				if (end - p >= 6 && p[0] == '\\' && p[1] == 'u' && hex4(p + 2, end, &lo) == 0 && lo >= 0xdc00 &&
				    lo < 0xe000) {
					cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
					p += 6;
				} else
					cp = 0xfffd;
			} else if (cp >= 0xdc00 && cp < 0xe000)
				cp = 0xfffd;
			utf8_put(sb, cp);
			break;
		}
		default: return -1;
		}
	}
	return -1;
}

static const char *skip_ws(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\r'))
		p++;
	return p;
}

static void add_key(struct cast *c, size_t *cap, size_t ev, const struct vt *t)
{
	if (c->nkeys == *cap) {
		*cap = *cap ? *cap * 2 : 64;
		c->keys = xreallocarray(c->keys, *cap, sizeof *c->keys);
	}
	struct cast_key *k = &c->keys[c->nkeys++];
	memset(k, 0, sizeof *k);
	k->ev = ev;
	vt_copy(&k->vt, t);
}

/* Reading: one loader builds one cast from one recording or several in a row (cast_load_joined). */
struct loader {
	struct cast *c;
	struct strbuf data;           /* decoded output and marker labels of every event so far */
	size_t evcap, mcap, kcap;
	double last_t;                /* time of the last event, compressed */
	struct vt vt;                 /* the screen after the last event, for the seek index */
	size_t since_key;             /* output bytes since the last snapshot */
};

/* One event at time t (already compressed); for 'o' and 'm' its bytes are data[off, data.len). */
static void add_event(struct loader *L, double t, char type, size_t off, int w, int h)
{
	struct cast *c = L->c;
	if (c->nev == L->evcap) {
		L->evcap = L->evcap ? L->evcap * 2 : 1024;
		c->ev = xreallocarray(c->ev, L->evcap, sizeof *c->ev);
	}
	struct cast_event *e = &c->ev[c->nev++];
	*e = (struct cast_event){.t = t, .type = type, .off = off, .len = L->data.len - off, .w = w, .h = h};
	L->last_t = t;
	if (type == 'o') {
		vt_feed(&L->vt, L->data.s + off, e->len);
		L->since_key += e->len;
	} else if (type == 'r') {
		vt_resize(&L->vt, w, h);
	} else if (type == 'm') {
		if (c->nmarks == L->mcap) {
			L->mcap = L->mcap ? L->mcap * 2 : 64;
			c->marks = xreallocarray(c->marks, L->mcap, sizeof *c->marks);
		}
		c->marks[c->nmarks++] = (struct cast_marker){c->nev - 1, t, xstrndup(L->data.s + off, e->len)};
	}
	if (L->since_key >= CAST_KEY_BYTES || type == 'r') {
		add_key(c, &L->kcap, c->nev, &L->vt);
		L->since_key = 0;
	}
}

struct cast_header {
	int w, h;
	long long timestamp;
	char *title;
	double idle_limit;            /* the header's idle_time_limit, 0 when none */
};

/* The header line of buf (caller frees title). 0, or -1 + cause. */
static int read_header(const char *path, const char *buf, size_t len, struct cast_header *hd, char **cause)
{
	const char *nl = memchr(buf, '\n', len);
	char *hline = xstrndup(buf, nl ? (size_t)(nl - buf) : len);
	json_error_t jerr;
	json_t *hdr = json_loads(hline, 0, &jerr);
	free(hline);
	if (!hdr || json_integer_value(json_object_get(hdr, "version")) != 2) {
		set_cause(cause, "%s: not an asciicast v2 recording (the first line is not a version 2 header)", path);
		json_decref(hdr);
		return -1;
	}
	hd->w = (int)json_integer_value(json_object_get(hdr, "width"));
	hd->h = (int)json_integer_value(json_object_get(hdr, "height"));
	hd->timestamp = json_integer_value(json_object_get(hdr, "timestamp"));
	json_t *il = json_object_get(hdr, "idle_time_limit");
	hd->idle_limit = json_is_number(il) ? json_number_value(il) : 0;
	if (hd->w < 1 || hd->w > 10000 || hd->h < 1 || hd->h > 10000) {
		set_cause(cause, "%s: the header's width/height are missing or absurd", path);
		json_decref(hdr);
		return -1;
	}
	const char *title = json_string_value(json_object_get(hdr, "title"));
	hd->title = xstrdup(title ? title : "");
	json_decref(hdr);
	return 0;
}

/* Appends the events of buf (after its header line) from time `start` on; returns the raw time of
 * the recording's last event. A line that is not a valid event is skipped; a cut last line too. */
static double load_events(struct loader *L, const char *buf, size_t len, double idle_limit, double start)
{
	const char *end = buf + len, *nl = memchr(buf, '\n', len);
	const char *p = nl ? nl + 1 : end;
	double last_raw = 0, t_now = start;
	while (p < end) {
		const char *le = memchr(p, '\n', (size_t)(end - p));
		if (!le)
			break;   /* the last line was cut: ignore it */
		const char *q = skip_ws(p, le);
		const char *next = le + 1;
		p = next;
		if (q >= le || *q != '[')
			continue;
		q = skip_ws(q + 1, le);
		char *num_end;
		double t = strtod(q, &num_end);
		if (num_end == q)
			continue;
		q = skip_ws(num_end, le);
		if (q >= le || *q != ',')
			continue;
		q = skip_ws(q + 1, le);
		struct strbuf code = STRBUF_INIT;
		if (parse_string(&q, le, &code) < 0 || code.len != 1 || !strchr("orm", code.s[0])) {
			sb_free(&code);
			continue;
		}
		char type = code.s[0];
		sb_free(&code);
		q = skip_ws(q, le);
		if (q >= le || *q != ',')
			continue;
		q = skip_ws(q + 1, le);
		size_t off = L->data.len;
		if (parse_string(&q, le, &L->data) < 0) {
			L->data.len = off;
			if (L->data.s)
				L->data.s[off] = '\0';
			continue;
		}
		int w = 0, h = 0;
		if (type == 'r') {
			int ok = sscanf(L->data.s + off, "%dx%d", &w, &h) == 2 && w >= 1 && h >= 1 && w <= 10000 && h <= 10000;
			L->data.len = off;   /* a resize keeps no bytes */
			L->data.s[off] = '\0';
			if (!ok)
				continue;
		}
		/* Idle compression: no gap longer than idle_limit; time never goes backwards. */
		double gap = t - last_raw;
		if (gap < 0)
			gap = 0;
		if (idle_limit > 0 && gap > idle_limit)
			gap = idle_limit;
		last_raw = t > last_raw ? t : last_raw;
		t_now += gap;
		add_event(L, t_now, type, off, w, h);
	}
	return last_raw;
}

struct cast *cast_load(const char *path, double idle_limit, char **cause)
{
	return cast_load_joined(&path, 1, idle_limit, cause);
}

struct cast *cast_load_joined(const char *const *paths, size_t n, double idle_limit, char **cause)
{
	struct loader L = {.c = xcalloc(1, sizeof *L.c), .data = STRBUF_INIT};
	double prev_end = 0;          /* epoch seconds at which the recording before ended */
	for (size_t i = 0; i < n; i++) {
		size_t len;
		char *buf = read_file(paths[i], &len, cause);
		struct cast_header hd;
		if (!buf || read_header(paths[i], buf, len, &hd, cause) < 0) {
			free(buf);
			if (i > 0)
				vt_free(&L.vt);
			free(L.data.s);
			cast_free(L.c);
			return NULL;
		}
		double limit = idle_limit > 0 ? idle_limit : hd.idle_limit;
		double start = 0;
		if (i == 0) {
			L.c->w = hd.w, L.c->h = hd.h, L.c->timestamp = hd.timestamp;
			L.c->title = hd.title;
			vt_init(&L.vt, hd.w, hd.h);
			add_key(L.c, &L.kcap, 0, &L.vt);
		} else {
			free(hd.title);
			/* The next UI came back after the gap between the two (compressed as any idle gap; 0
			 * when they overlapped: a watcher plays after the controller, not over it): at its
			 * own size, on a cleared screen, under a marker that the step list shows. */
			double gap = (double)hd.timestamp - prev_end;
			if (gap < 0)
				gap = 0;
			if (limit > 0 && gap > limit)
				gap = limit;
			start = L.last_t + gap;
			add_event(&L, start, 'r', L.data.len, hd.w, hd.h);
			size_t off = L.data.len;
			sb_adds(&L.data, "\033[H\033[2J");
			add_event(&L, start, 'o', off, 0, 0);
			off = L.data.len;
			sb_addf(&L.data, "screen %zu attached", i + 1);
			add_event(&L, start, 'm', off, 0, 0);
		}
		double raw_end = load_events(&L, buf, len, limit, start);
		prev_end = (double)hd.timestamp + raw_end;
		free(buf);
	}
	vt_free(&L.vt);
	L.c->duration = L.last_t;
	L.c->data_len = L.data.len;
	L.c->data = sb_detach(&L.data);
	return L.c;
}

void cast_free(struct cast *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->nmarks; i++)
		free(c->marks[i].label);
	for (size_t i = 0; i < c->nkeys; i++)
		vt_free(&c->keys[i].vt);
	free(c->marks);
	free(c->keys);
	free(c->ev);
	free(c->data);
	free(c->title);
	free(c);
}

void cast_render(const struct cast *c, size_t ev, struct vt *out)
{
	if (ev > c->nev)
		ev = c->nev;
	/* The last key at or before ev (keys are in event order). */
	size_t lo = 0, hi = c->nkeys;
	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;
		if (c->keys[mid].ev <= ev)
			lo = mid;
		else
			hi = mid;
	}
	vt_copy(out, &c->keys[lo].vt);
	for (size_t i = c->keys[lo].ev; i < ev; i++) {
		const struct cast_event *e = &c->ev[i];
		if (e->type == 'o')
			vt_feed(out, c->data + e->off, e->len);
		else if (e->type == 'r')
			vt_resize(out, e->w, e->h);
	}
}

size_t cast_index_at(const struct cast *c, double t)
{
	size_t lo = 0, hi = c->nev;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (c->ev[mid].t <= t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

long cast_marker_before(const struct cast *c, size_t ev)
{
	long best = -1;
	size_t lo = 0, hi = c->nmarks;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (c->marks[mid].ev < ev)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo > 0)
		best = (long)lo - 1;
	return best;
}
