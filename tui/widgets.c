/*
 * widgets.c: the pieces every screen draws with (items, bars, notes) and the question widget.
 *
 * The question is one widget for all screens: it reads the open question from the view and
 * keeps the half-made answer in ui->ask (selection, typed text). Keeping it out of the screens
 * means the rules that protect the operator live in one place:
 *   - a dangerous option is never pre-selected and needs a second Enter, with the warning shown
 *     in between; its hotkey only moves the cursor to it;
 *   - a confirmation is sent only when the typed text equals `expect` byte for byte, and what to
 *     type is shown above the field;
 *   - a secret is drawn as dots, and its bytes are wiped as soon as it was sent or abandoned;
 *   - an answer is sent once; the widget then says "sent" until the engine's `answered` (or a
 *     new question) arrives, so a key repeated on a slow link cannot answer the next question;
 *   - a watcher (watch mode or role "watch") sees the question and who answers it, nothing else.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/client.h"
#include "core/util.h"
#include "tui/text.h"
#include "tui/ui.h"
#include "tui/ui_int.h"

enum {
	Q_BIG = 1,
	Q_NODETAIL = 2,
};

/* ---- small helpers for screens ---- */

enum step_state
ui_step_state(const struct view *v, const struct view_step *st)
{
	const struct view_question *q = v->ask;

	if (st->state == ST_RUNNING && q != NULL && !v->finished) {
		if (q->step != NULL && *q->step != '\0') {
			if (strcmp(q->step, st->id) == 0)
				return ST_WAITING;
		} else if (v->current >= 0 && (size_t)v->current < v->nsteps &&
		    &v->steps[v->current] == st) {
			return ST_WAITING;
		}
	}
	return st->state;
}

int
ui_live(const struct screen *s)
{
	return s->v != NULL && !s->review && !s->v->finished && s->step != NULL &&
	    s->index == s->v->current;
}

double
ui_now(const struct screen *s)
{
	return s->ui->now;
}

const char *
ui_spinner(const struct screen *s)
{
	s->ui->spin_used = 1;
	return glyph_spinner(s->ui->spin);
}

int
ui_status_role(const char *status)
{
	if (status == NULL)
		return ROLE_DIM;
	if (strcmp(status, "pass") == 0)
		return ROLE_OK;
	if (strcmp(status, "warn") == 0)
		return ROLE_WARN;
	if (strcmp(status, "fail") == 0)
		return ROLE_DANGER;
	if (strcmp(status, "run") == 0)
		return ROLE_PROGRESS;
	if (strcmp(status, "todo") == 0)
		return ROLE_NORMAL;
	return ROLE_DIM;
}

const char *
ui_status_glyph(const struct screen *s, const char *status, int *role)
{
	*role = ui_status_role(status);
	if (status == NULL)
		return glyph(G_INFO);
	if (strcmp(status, "pass") == 0)
		return glyph(G_PASS);
	if (strcmp(status, "warn") == 0)
		return glyph(G_WARN);
	if (strcmp(status, "fail") == 0)
		return glyph(G_FAIL);
	if (strcmp(status, "run") == 0)
		/* Spin only while the step works: a step waiting for the operator is not busy. */
		return ui_live(s) && ui_step_state(s->v, s->step) == ST_RUNNING ? ui_spinner(s) :
		    glyph(G_RUN);
	if (strcmp(status, "todo") == 0)
		return glyph(G_TODO);
	return glyph(G_INFO);
}

int
ui_heading(const struct pane *p, int row, const char *text)
{
	pn_textn(p, row, 0, ROLE_TITLE, text, (size_t)-1, -1, PN_ELLIPSIS);
	return 1;
}

int
ui_para(const struct pane *p, int row, int col, int role, const char *text)
{
	if (text == NULL || *text == '\0')
		return 0;
	return pn_wrap(p, row, col, -1, role, text);
}

int
ui_lines(const struct pane *p, int row, int col, int role, const char *text,
    int (*role_for)(const char *line, size_t len))
{
	const char *s = text;
	int n = 0;

	if (text == NULL || *text == '\0')
		return 0;
	for (;;) {
		const char *nl = strchr(s, '\n');
		size_t len = nl ? (size_t)(nl - s) : strlen(s);
		if (nl == NULL && len == 0 && n > 0)
			break;
		int r = role_for ? role_for(s, len) : role;
		pn_textn(p, row + n, col, r, s, len, -1, PN_ELLIPSIS);
		n++;
		if (nl == NULL)
			break;
		s = nl + 1;
	}
	return n;
}

int
ui_text(const struct pane *p, int row, int col, int role, const char *text,
    int (*role_for)(const char *line, size_t len))
{
	const char *s = text;
	int n = 0;

	if (text == NULL || *text == '\0')
		return 0;
	for (;;) {
		const char *nl = strchr(s, '\n');
		size_t len = nl ? (size_t)(nl - s) : strlen(s), ind = 0;
		int r = role_for ? role_for(s, len) : role;

		if (nl == NULL && len == 0 && n > 0)
			break;
		while (ind < len && s[ind] == ' ')
			ind++;
		if ((int)ind > (p->w - col) / 2)
			ind = (size_t)((p->w - col) / 2);
		if (ind == len) {
			n++;
		} else {
			/* A list item ("- x", "* x", "12. x") wraps under its text, not its marker. */
			size_t m = 0;
			if (len - ind >= 2 && (s[ind] == '-' || s[ind] == '*') && s[ind + 1] == ' ') {
				m = 2;
			} else {
				while (ind + m < len && s[ind + m] >= '0' && s[ind + m] <= '9')
					m++;
				if (m > 0 && m < 4 && ind + m + 1 < len && (s[ind + m] == '.' || s[ind + m] == ')') &&
				    s[ind + m + 1] == ' ')
					m += 2;
				else
					m = 0;
			}
			int c0 = col + (int)ind;
			if (m > 0) {
				pn_textn(p, row + n, c0, r, s + ind, m, -1, 0);
				c0 += tx_nwidth(s + ind, m);
			}
			char *line = xstrndup(s + ind + m, len - ind - m);
			int k = pn_wrap(p, row + n, c0, p->w - c0, r, line);
			n += k > 0 ? k : 1;
			free(line);
		}
		if (nl == NULL)
			break;
		s = nl + 1;
	}
	return n;
}

size_t
ui_item_counts(const struct view_step *st, size_t *pass, size_t *warn, size_t *fail, size_t *run)
{
	size_t a = 0, b = 0, c = 0, d = 0;

	for (size_t i = 0; st != NULL && i < st->nitems; i++) {
		const char *x = st->items[i].status ? st->items[i].status : "";
		if (strcmp(x, "pass") == 0)
			a++;
		else if (strcmp(x, "warn") == 0)
			b++;
		else if (strcmp(x, "fail") == 0)
			c++;
		else if (strcmp(x, "run") == 0)
			d++;
	}
	if (pass)
		*pass = a;
	if (warn)
		*warn = b;
	if (fail)
		*fail = c;
	if (run)
		*run = d;
	return st ? st->nitems : 0;
}

int
ui_items(struct screen *s, const struct pane *p, int row, const struct view_step *st,
    const struct items_opts *o)
{
	static const struct items_opts defaults = { 0 };
	int namew = 0, start = row, numw = 0, live = ui_live(s);

	if (o == NULL)
		o = &defaults;
	if (st == NULL || st->nitems == 0) {
		if (o->empty != NULL) {
			pn_textn(p, row, 2, ROLE_DIM, o->empty, (size_t)-1, -1, PN_ELLIPSIS);
			return 1;
		}
		return 0;
	}
	if (o->number)
		numw = snprintf(NULL, 0, "%zu. ", st->nitems);
	for (size_t i = 0; i < st->nitems; i++) {
		int w = tx_width(st->items[i].name);
		if (w > namew)
			namew = w;
	}
	{
		int lo = o->name_min > 0 ? o->name_min : 8;
		int hi = o->name_max > 0 ? o->name_max : (p->w - 2 - numw) * 55 / 100;
		if (hi < lo)
			hi = lo;
		if (namew < lo)
			namew = lo;
		if (namew > hi)
			namew = hi;
	}
	{
		/* Names that mostly do not fit their column (property keys, paths) get the whole
		 * width, with the detail under them. */
		int hi = (p->w - 2 - numw) * 55 / 100;
		size_t longer = 0;
		for (size_t i = 0; i < st->nitems; i++)
			if (tx_width(st->items[i].name) > hi)
				longer++;
		if (!o->detail_below && longer * 3 > st->nitems) {
			static struct items_opts below;
			below = *o;
			below.detail_below = 1;
			o = &below;
		}
	}
	for (size_t i = 0; i < st->nitems; i++) {
		const struct view_item *it = &st->items[i];
		int role, col = 0, dcol, rows = 1;
		const char *g = ui_status_glyph(s, it->status, &role);
		int bad = it->status && (strcmp(it->status, "fail") == 0 || strcmp(it->status, "warn") == 0);
		int hot = it->status && (strcmp(it->status, "fail") == 0 || strcmp(it->status, "run") == 0);

		int item_top = row;
		pn_text(p, row, col, role, g);
		col = 2;
		if (o->number) {
			pn_printf(p, row, col, ROLE_DIM, "%zu.", i + 1);
			col += numw;
		}
		if (o->detail_below) {
			rows = pn_wrap(p, row, col, -1, bad ? role : ROLE_NORMAL, it->name ? it->name : it->key);
			if (rows < 1)
				rows = 1;
			if (it->detail && *it->detail)
				rows += pn_wrap(p, row + rows, col + 2, -1, ROLE_DIM, it->detail);
		} else {
			/* Name and detail each wrap in their own column; the taller one sets the row. */
			int nrows = pn_wrap(p, row, col, namew, ROLE_NORMAL, it->name ? it->name : it->key);
			dcol = col + namew + 2;
			rows = nrows > 0 ? nrows : 1;
			if (it->detail && *it->detail) {
				int drole = (it->status && strcmp(it->status, "fail") == 0) ? ROLE_NORMAL : ROLE_DIM;
				if (dcol < p->w - 8) {
					int d = pn_wrap(p, row, dcol, p->w - dcol, drole, it->detail);
					if (d > rows)
						rows = d;
				} else {
					rows += pn_wrap(p, row + rows, col + 2, -1, drole, it->detail);
				}
			}
		}
		row += rows;
		if (o->show_fix && bad && it->fix && *it->fix) {
			int fcol = col + 2;
			pn_text(p, row, fcol, ROLE_WARN, glyph(G_ARROW));
			fcol += tx_width(glyph(G_ARROW)) + 1;
			row += pn_wrap(p, row, fcol, -1, ROLE_NORMAL, it->fix);
		}
		/* Keep the first running or failed item in view, with its fix. */
		if (live && hot && s->focus_row < 0)
			s->focus_row = row - 1 > item_top ? row - 1 : item_top;
	}
	return row - start;
}

void
ui_bar(const struct pane *p, int row, int col, int width, double frac)
{
	int eighths, full, part;

	if (width < 1)
		return;
	if (!(frac >= 0))
		frac = 0;
	if (frac > 1)
		frac = 1;
	eighths = (int)(frac * width * 8 + 0.5);
	full = eighths / 8;
	part = eighths % 8;
	if (glyph_eighth(1) == NULL) {
		full = (int)(frac * width + 0.5);
		part = 0;
	}
	for (int i = 0; i < full && i < width; i++)
		pn_text(p, row, col + i, ROLE_PROGRESS, glyph(G_BAR_FULL));
	if (part > 0 && full < width)
		pn_text(p, row, col + full, ROLE_PROGRESS, glyph_eighth(part));
	for (int i = full + (part > 0); i < width; i++)
		pn_text(p, row, col + i, ROLE_DIM, glyph(G_BAR_EMPTY));
}

int
ui_progress(struct screen *s, const struct pane *p, int row, const struct view_step *st)
{
	const char *unit;
	char num[96], a[32], b[32];
	int col;

	if (st == NULL)
		return 0;
	if (st->prog_total > 0) {
		double frac = st->prog_done / st->prog_total;
		int numw, barw, start = row;

		if (frac > 1)
			frac = 1;
		/* The engine says what its figures count (docs/PROTOCOL.md). */
		unit = st->prog_unit != NULL && *st->prog_unit ? st->prog_unit : NULL;
		if (unit != NULL && strcmp(unit, "bytes") == 0) {
			/* A byte count (a dump, a download). */
			snprintf(num, sizeof num, " %3d%%  %s of %s", (int)(frac * 100),
			    tx_bytes(st->prog_done < 0 ? 0 : st->prog_done, a, sizeof a),
			    tx_bytes(st->prog_total, b, sizeof b));
		} else {
			snprintf(num, sizeof num, " %3d%%  %s/%s%s%s", (int)(frac * 100),
			    tx_thousands((unsigned long long)(st->prog_done < 0 ? 0 : st->prog_done), a, sizeof a),
			    tx_thousands((unsigned long long)st->prog_total, b, sizeof b), unit ? " " : "",
			    unit ? unit : "");
		}
		numw = tx_width(num);
		barw = p->w - numw;
		if (barw > 50)
			barw = 50;
		if (barw < 10) {
			ui_bar(p, row++, 0, p->w, frac);
			pn_textn(p, row++, 0, ROLE_NORMAL, num + 1, (size_t)-1, -1, PN_ELLIPSIS);
		} else {
			ui_bar(p, row, 0, barw, frac);
			pn_text(p, row++, barw, ROLE_NORMAL, num);
		}
		if (st->prog_label && *st->prog_label)
			pn_textn(p, row++, 0, ROLE_DIM, st->prog_label, (size_t)-1, -1, PN_ELLIPSIS);
		return row - start;
	}
	if (ui_step_state(s->v, st) == ST_RUNNING && ui_live(s)) {
		char d[16];
		size_t run = 0;

		/* Items that spin already show the step is alive; a bare spinner would repeat it. */
		ui_item_counts(st, NULL, NULL, NULL, &run);
		if (run > 0 && !(st->prog_label && *st->prog_label))
			return 0;
		pn_text(p, row, 0, ROLE_PROGRESS, ui_spinner(s));
		col = pn_textn(p, row, 2, ROLE_NORMAL,
		    st->prog_label && *st->prog_label ? st->prog_label : "running",
		    (size_t)-1, p->w - 12, PN_ELLIPSIS);
		if (st->started > 0)
			pn_printf(p, row, col + 2, ROLE_DIM, "%s", tx_duration(ui_now(s) - st->started, d, sizeof d));
		return 1;
	}
	return 0;
}

int
ui_note(const struct pane *p, int row, int role, const char *title, const char *text)
{
	int n = 0, col = 2;

	pn_text(p, row, 0, role, role == ROLE_DANGER ? glyph(G_FAIL) : "!");
	if (title && *title) {
		n += pn_wrap(p, row, col, -1, role, title);
	}
	if (text && *text)
		n += pn_wrap(p, row + n, col, -1, ROLE_NORMAL, text);
	return n ? n : 1;
}

const char *
ui_clock(double t, char *buf, size_t size)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (t <= 0 || localtime_r(&tt, &tm) == NULL) {
		buf[0] = '\0';
		return buf;
	}
	strftime(buf, size, "%H:%M:%S", &tm);
	return buf;
}

/* ---- the question ---- */

int
ui_readonly(const struct ui *ui)
{
	return ui->o->readonly || (ui->v->role != NULL && strcmp(ui->v->role, "watch") == 0);
}

const struct view_question *
ui_step_question(const struct screen *s)
{
	const struct view_question *q = s->v ? s->v->ask : NULL;

	if (q == NULL || s->review || s->v->finished)
		return NULL;
	if (s->step == NULL)
		return s->index < 0 ? q : NULL;
	if (q->step != NULL && *q->step != '\0')
		return strcmp(q->step, s->step->id) == 0 ? q : NULL;
	return s->index == s->v->current ? q : NULL;
}

static const struct view_option failure_opts[] = {
	{ "retry", "Retry", 0 }, { "skip", "Skip", 0 }, { "abort", "Abort", 0 },
};
static const struct view_option resume_opts[] = {
	{ "yes", "Resume", 0 }, { "no", "Do not resume", 0 },
};

static int
is_kind(const struct view_question *q, const char *k)
{
	return q->kind != NULL && strcmp(q->kind, k) == 0;
}

/* The options a question offers: its own, or the fixed set of its kind. */
static const struct view_option *
q_options(const struct view_question *q, size_t *n)
{
	if (q->noptions > 0) {
		*n = q->noptions;
		return q->options;
	}
	if (is_kind(q, "failure")) {
		*n = ARRAY_LEN(failure_opts);
		return failure_opts;
	}
	if (is_kind(q, "resume")) {
		*n = ARRAY_LEN(resume_opts);
		return resume_opts;
	}
	*n = 0;
	return NULL;
}

static int
q_has_field(const struct view_question *q)
{
	return is_kind(q, "confirm") || is_kind(q, "text") || is_kind(q, "secret");
}

/* The hotkey of an option: its key when that is one character; otherwise the key's first
 * letter, when no other option of the question starts with it ("retry" r, "other" o). 0: none. */
static uint32_t
opt_hotkey(const struct view_question *q, const struct view_option *o)
{
	const struct view_option *all;
	size_t n;
	uint32_t cp;
	int c;

	if (o->key == NULL || o->key[0] == '\0')
		return 0;
	if (tx_decode(o->key, strlen(o->key), &cp) == strlen(o->key))
		return cp;
	c = (unsigned char)o->key[0];
	if (c >= 'A' && c <= 'Z')
		c += 32;
	if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
		return 0;
	all = q_options(q, &n);
	for (size_t i = 0; i < n; i++) {
		const char *k = all[i].key;
		int d;
		if (&all[i] == o || k == NULL || k[0] == '\0')
			continue;
		d = (unsigned char)k[0];
		if (d >= 'A' && d <= 'Z')
			d += 32;
		if (d == c)
			return 0;
	}
	return (uint32_t)c;
}

void
ask_clear(struct ask_state *a)
{
	if (a->input.s != NULL)
		explicit_bzero(a->input.s, a->input.cap);
	sb_free(&a->input);
	free(a->qid);
	a->qid = NULL;
	free(a->sent_label);
	a->sent_label = NULL;
	a->sel = -1;
	a->sent = 0;
	a->warn_danger = 0;
}

void
ask_sync(struct ui *ui)
{
	const struct view_question *q = ui->v->ask;
	struct ask_state *a = &ui->ask;
	const struct view_option *opts;
	size_t n;

	if (q == NULL) {
		if (a->qid != NULL)
			ask_clear(a);
		return;
	}
	if (a->qid != NULL && strcmp(a->qid, q->qid) == 0)
		return;
	ask_clear(a);
	a->qid = xstrdup(q->qid);
	opts = q_options(q, &n);
	a->sel = -1;
	for (size_t i = 0; i < n; i++) {
		if (q->def && opts[i].key && strcmp(q->def, opts[i].key) == 0 && !opts[i].danger)
			a->sel = (int)i;
	}
	if (a->sel < 0 && !is_kind(q, "choice")) {
		/* failure / resume: the first safe option */
		for (size_t i = 0; i < n && a->sel < 0; i++)
			if (!opts[i].danger)
				a->sel = (int)i;
	}
	if (a->sel < 0 && is_kind(q, "choice")) {
		for (size_t i = 0; i < n && a->sel < 0; i++)
			if (!opts[i].danger)
				a->sel = (int)i;
	}
	if (is_kind(q, "text") && q->def)
		sb_adds(&a->input, q->def);
}

int
ask_has_text_field(const struct ui *ui)
{
	const struct view_question *q = ui->v->ask;

	return q != NULL && q_has_field(q) && !ui_readonly(ui) && !ui->ask.sent &&
	    ui->review < 0 && !ui->v->finished;
}

static void
send_answer(struct ui *ui, const char *value, const char *shown)
{
	const struct view_question *q = ui->v->ask;

	if (client_answer(ui->c, q->qid, value) < 0) {
		ui_flash(ui, ROLE_DANGER, "could not send the answer: the engine is not reachable");
		return;
	}
	ui->ask.sent = 1;
	free(ui->ask.sent_label);
	ui->ask.sent_label = xstrdup(shown);
	if (ui->ask.input.s != NULL)
		explicit_bzero(ui->ask.input.s, ui->ask.input.cap);
	sb_reset(&ui->ask.input);
}

static void
pick_option(struct ui *ui, const struct view_option *o, int idx)
{
	struct ask_state *a = &ui->ask;

	if (o->danger && !(a->sel == idx && a->warn_danger)) {
		a->sel = idx;
		a->warn_danger = 1;
		return;
	}
	send_answer(ui, o->key, o->label ? o->label : o->key);
}

static void
input_backspace(struct strbuf *sb)
{
	size_t n = sb->len;

	if (n == 0)
		return;
	n--;
	while (n > 0 && ((unsigned char)sb->s[n] & 0xC0) == 0x80)
		n--;
	explicit_bzero(sb->s + n, sb->len - n);
	sb->len = n;
	sb->s[n] = '\0';
}

static void
input_add(struct strbuf *sb, uint32_t c)
{
	char b[4];
	size_t n;

	if (sb->len > 1024)
		return;
	if (c < 0x80) {
		b[0] = (char)c;
		n = 1;
	} else if (c < 0x800) {
		b[0] = (char)(0xC0 | (c >> 6));
		b[1] = (char)(0x80 | (c & 0x3F));
		n = 2;
	} else if (c < 0x10000) {
		b[0] = (char)(0xE0 | (c >> 12));
		b[1] = (char)(0x80 | ((c >> 6) & 0x3F));
		b[2] = (char)(0x80 | (c & 0x3F));
		n = 3;
	} else {
		b[0] = (char)(0xF0 | (c >> 18));
		b[1] = (char)(0x80 | ((c >> 12) & 0x3F));
		b[2] = (char)(0x80 | ((c >> 6) & 0x3F));
		b[3] = (char)(0x80 | (c & 0x3F));
		n = 4;
	}
	/* Grow without leaving a copy of a secret behind in freed memory. */
	if (sb->len + n + 1 > sb->cap) {
		size_t cap = sb->cap < 64 ? 64 : sb->cap * 2;
		char *s = xmalloc(cap);
		if (sb->s != NULL) {
			memcpy(s, sb->s, sb->len + 1);
			explicit_bzero(sb->s, sb->cap);
			free(sb->s);
		} else {
			s[0] = '\0';
		}
		sb->s = s;
		sb->cap = cap;
	}
	memcpy(sb->s + sb->len, b, n);
	sb->len += n;
	sb->s[sb->len] = '\0';
}

enum key_result
ask_key(struct ui *ui, const struct key *k)
{
	const struct view_question *q = ui->v->ask;
	struct ask_state *a = &ui->ask;
	const struct view_option *opts;
	size_t n;

	if (q == NULL || ui_readonly(ui) || a->sent || ui->review >= 0 || ui->v->finished)
		return KEY_IGNORED;
	if (is_kind(q, "next")) {
		if (k->act == ACT_ENTER || k->act == ACT_RIGHT ||
		    (k->act == ACT_CHAR && (k->ch == 'n' || k->ch == 'N' || k->ch == ' '))) {
			send_answer(ui, "yes", "continue");
			return KEY_HANDLED;
		}
		return KEY_IGNORED;
	}
	if (q_has_field(q)) {
		switch (k->act) {
		case ACT_CHAR:
			input_add(&a->input, k->ch);
			return KEY_HANDLED;
		case ACT_BACKSPACE:
			input_backspace(&a->input);
			return KEY_HANDLED;
		case ACT_KILL:
			if (a->input.s)
				explicit_bzero(a->input.s, a->input.cap);
			sb_reset(&a->input);
			return KEY_HANDLED;
		case ACT_ENTER:
			if (is_kind(q, "confirm")) {
				const char *want = q->expect ? q->expect : "";
				if (strcmp(sb_str(&a->input), want) != 0) {
					ui_flash(ui, ROLE_DANGER, "not sent: type exactly \"%s\"", want);
					return KEY_HANDLED;
				}
				char *shown = xstrdup(sb_str(&a->input));
				send_answer(ui, shown, shown);
				free(shown);
			} else if (is_kind(q, "secret")) {
				char *val = xstrdup(sb_str(&a->input));
				send_answer(ui, val, "(hidden)");
				explicit_bzero(val, strlen(val));
				free(val);
			} else {
				char *val = xstrdup(sb_str(&a->input));
				send_answer(ui, val, val);
				free(val);
			}
			return KEY_HANDLED;
		default:
			return KEY_IGNORED;
		}
	}
	opts = q_options(q, &n);
	if (n == 0) {
		/* An unknown kind without options: Enter says yes. */
		if (k->act == ACT_ENTER) {
			send_answer(ui, q->def ? q->def : "yes", q->def ? q->def : "yes");
			return KEY_HANDLED;
		}
		return KEY_IGNORED;
	}
	switch (k->act) {
	case ACT_UP:
		if (a->sel > 0)
			a->sel--;
		else if (a->sel < 0)
			a->sel = 0;
		a->warn_danger = 0;
		return KEY_HANDLED;
	case ACT_DOWN:
		if (a->sel < (int)n - 1)
			a->sel++;
		a->warn_danger = 0;
		return KEY_HANDLED;
	case ACT_ENTER:
		if (a->sel < 0 || a->sel >= (int)n) {
			ui_flash(ui, ROLE_WARN, "choose an option with the arrows or its key first");
			return KEY_HANDLED;
		}
		pick_option(ui, &opts[a->sel], a->sel);
		return KEY_HANDLED;
	case ACT_CHAR:
		for (size_t i = 0; i < n; i++) {
			uint32_t hk = opt_hotkey(q, &opts[i]);
			uint32_t ch = k->ch;
			if (ch >= 'A' && ch <= 'Z' && hk >= 'a' && hk <= 'z')
				ch += 32;
			if (hk != 0 && hk == ch) {
				if (opts[i].danger) {
					/* A hotkey never commits to a dangerous option. */
					a->sel = (int)i;
					a->warn_danger = 1;
				} else {
					a->sel = (int)i;
					pick_option(ui, &opts[i], (int)i);
				}
				return KEY_HANDLED;
			}
		}
		return KEY_IGNORED;
	default:
		return KEY_IGNORED;
	}
}

int
ask_keys(const struct ui *ui, const char **keys, const char **labels, int max)
{
	const struct view_question *q = ui->v->ask;
	int n = 0;

#define ADD(k, l) do { if (n < max) { keys[n] = (k); labels[n] = (l); n++; } } while (0)
	if (q == NULL || ui_readonly(ui) || ui->ask.sent || ui->review >= 0 || ui->v->finished)
		return 0;
	if (is_kind(q, "next")) {
		ADD("Enter", "Continue");
	} else if (is_kind(q, "confirm")) {
		ADD("Enter", "Confirm");
		ADD("^U", "Clear");
	} else if (q_has_field(q)) {
		ADD("Enter", "Send");
		ADD("^U", "Clear");
	} else if (is_kind(q, "failure")) {
		/* the choices this failure offers (not every one can be skipped; undo needs a backup) */
		static const char *const fkeys[][3] = {
			{ "retry", "r", "Retry" }, { "skip", "s", "Skip" }, { "abort", "a", "Abort" }, { "undo", "u", "Undo" },
		};
		for (size_t f = 0; f < sizeof fkeys / sizeof fkeys[0]; f++) {
			int offered = q->noptions == 0 && f < 3;   /* no list sent: the classic three */
			for (size_t o = 0; o < q->noptions && !offered; o++)
				offered = q->options[o].key != NULL && strcmp(q->options[o].key, fkeys[f][0]) == 0;
			if (offered)
				ADD(fkeys[f][1], fkeys[f][2]);
		}
	} else if (is_kind(q, "resume")) {
		ADD("y", "Resume");
		ADD("n", "No");
	} else {
		ADD("\xe2\x86\x91\xe2\x86\x93", "Select");
		ADD("Enter", "Choose");
	}
#undef ADD
	return n;
}

/* Draws the input field on one row, with the terminal cursor at its end when visible. */
static void
draw_field(struct screen *s, const struct pane *p, int row, int col, const char *text, int secret)
{
	struct ui *ui = s->ui;
	int width = p->w - col, used, cx;
	const char *show = text;
	char dots[1024];

	if (width < 4)
		width = 4;
	if (secret) {
		size_t n = 0, glyphs = 0;
		const char *dot = tx_utf8() ? "\xe2\x80\xa2" : "*";
		for (const char *c = text; *c; c++)
			if (((unsigned char)*c & 0xC0) != 0x80)
				glyphs++;
		for (size_t i = 0; i < glyphs && n + 4 < sizeof dots; i++) {
			memcpy(dots + n, dot, strlen(dot));
			n += strlen(dot);
		}
		dots[n] = '\0';
		show = dots;
	}
	pn_fill(p, row, col, width, ROLE_INPUT, ' ');
	/* Show the end of a long entry: the part being typed matters. */
	while (tx_width(show) > width - 1 && *show) {
		uint32_t cp;
		show += tx_decode(show, strlen(show), &cp);
	}
	used = pn_textn(p, row, col, ROLE_INPUT, show, (size_t)-1, width - 1, 0);
	cx = p->ox + used;
	if (p->oy + row >= p->cy0 && p->oy + row < p->cy1 && cx < p->cx1) {
		ui->cursor_y = p->oy + row;
		ui->cursor_x = cx;
	}
}

/* Whether the options fit on one row as buttons (each " k  label " plus gaps). */
static int
options_fit_row(const struct view_question *q, const struct view_option *o, size_t n, int width)
{
	int w = 2;

	if (n > 4 || !(is_kind(q, "failure") || is_kind(q, "resume")))
		return 0;
	for (size_t i = 0; i < n; i++)
		w += 3 + 2 + tx_width(o[i].label ? o[i].label : o[i].key) + 3;
	return w <= width;
}

static int
ask_draw(struct screen *s, const struct pane *p, int row, int flags, int detail_max)
{
	struct ui *ui = s->ui;
	const struct view_question *q = ui_step_question(s);
	const struct ask_state *a = &ui->ask;
	const struct view_option *opts;
	size_t n;
	int start = row, ro = ui_readonly(ui), big = flags & Q_BIG;
	int answerable = !ro && !a->sent;

	if (q == NULL)
		return 0;
	if (q->prompt && *q->prompt)
		row += pn_wrap(p, row, 0, -1, ROLE_TITLE, q->prompt);
	if (!(flags & Q_NODETAIL) && q->detail && *q->detail) {
		int max = big ? 1000 : detail_max, d = wrap_rows(q->detail, p->w - 2);
		if (max < 2)
			max = 2;
		if (d > max) {
			struct pane clip = pn_sub(p, row, 0, max - 1, p->w);
			pn_wrap(&clip, 0, 2, -1, ROLE_NORMAL, q->detail);
			pn_printf(p, row + max - 1, 2, ROLE_DIM, "%s %d more lines (F3: full log)",
			    glyph(G_ELLIPSIS), d - max + 1);
			row += max;
		} else {
			row += pn_wrap(p, row, 2, -1, ROLE_NORMAL, q->detail);
		}
	}
	if (big)
		row++;
	if (is_kind(q, "next")) {
		if (answerable) {
			int c = pn_text(p, row, 2, ROLE_KEY, " Enter ");
			pn_text(p, row, c + 1, ROLE_NORMAL, "continue");
			row++;
		}
	} else if (q_has_field(q)) {
		if (is_kind(q, "confirm")) {
			int c = pn_text(p, row, 2, ROLE_NORMAL, "Type ");
			c = pn_text(p, row, c, ROLE_SELECTED, q->expect ? q->expect : "");
			pn_text(p, row, c, ROLE_NORMAL, " exactly to confirm:");
			row++;
		}
		if (answerable) {
			const char *in = sb_str(&a->input);
			pn_text(p, row, 2, ROLE_TITLE, glyph(G_RIGHT));
			draw_field(s, p, row, 4, in, is_kind(q, "secret"));
			row++;
			if (is_kind(q, "confirm") && *in) {
				const char *want = q->expect ? q->expect : "";
				if (strcmp(in, want) == 0)
					pn_printf(p, row++, 4, ROLE_OK, "%s matches: Enter confirms", glyph(G_PASS));
				else if (str_starts(want, in))
					pn_text(p, row++, 4, ROLE_DIM, "keep typing");
				else
					pn_printf(p, row++, 4, ROLE_DANGER, "%s does not match", glyph(G_FAIL));
			} else if (is_kind(q, "secret")) {
				pn_text(p, row++, 4, ROLE_DIM, "hidden while typing; not kept after sending");
			}
		}
	} else if ((opts = q_options(q, &n)) != NULL && !big && options_fit_row(q, opts, n, p->w)) {
		/* Short options on one row, like buttons: r Retry  s Skip  a Abort. */
		int c = 2;
		for (size_t i = 0; i < n; i++) {
			const struct view_option *o = &opts[i];
			int sel = answerable && a->sel == (int)i;
			uint32_t hk = opt_hotkey(q, o);
			char key[8] = "";
			if (hk != 0 && hk < 0x80)
				snprintf(key, sizeof key, "%c", (char)hk);
			if (sel)
				c = pn_text(p, row, c - 2, ROLE_TITLE, glyph(G_RIGHT)) + 1;
			int role = o->danger ? (sel ? ROLE_DANGER_SEL : ROLE_DANGER) : (sel ? ROLE_SELECTED : ROLE_NORMAL);
			if (key[0])
				c = pn_printf(p, row, c, sel ? role : ROLE_KEY, " %s ", key);
			c = pn_printf(p, row, c, role, " %s ", o->label ? o->label : o->key) + 3;
		}
		row++;
		if (a->sel >= 0 && a->sel < (int)n && opts[a->sel].danger && answerable)
			row += pn_wrap(p, row, 2, -1, ROLE_DANGER, a->warn_danger ?
			    "Dangerous option: press Enter again to choose it." :
			    "Dangerous option: Enter twice to choose it.");
	} else if (opts != NULL) {
		for (size_t i = 0; i < n; i++) {
			const struct view_option *o = &opts[i];
			int sel = answerable && a->sel == (int)i;
			int role = o->danger ? (sel ? ROLE_DANGER_SEL : ROLE_DANGER) : (sel ? ROLE_SELECTED : ROLE_NORMAL);
			uint32_t hk = opt_hotkey(q, o);
			char key[8] = "";
			int lab = 6, rows;

			if (sel && s->focus_row < 0 && s->kind->own_question)
				s->focus_row = row;
			if (hk != 0 && hk < 0x80)
				snprintf(key, sizeof key, "%c", (char)hk);
			rows = wrap_rows(o->label ? o->label : o->key, p->w - lab - (o->danger ? 9 : 0));
			if (sel)
				for (int r = 0; r < rows; r++)
					pn_fill(p, row + r, 0, p->w, role, ' ');
			pn_text(p, row, 0, role, sel ? glyph(G_RIGHT) : " ");
			pn_text(p, row, 2, o->danger && !sel ? ROLE_DANGER : (sel ? role : ROLE_KEY), key[0] ? key : " ");
			if (!sel && key[0] && !o->danger)
				pn_paint(p, row, 2, 1, ROLE_TITLE);
			pn_wrap(p, row, lab, p->w - lab - (o->danger ? 9 : 0), role,
			    o->label ? o->label : o->key);
			if (o->danger)
				pn_text_right(p, row, p->w, sel ? ROLE_DANGER_SEL : ROLE_DANGER, " DANGER ");
			row += rows;
			if (sel && o->danger && a->warn_danger) {
				row += pn_wrap(p, row, lab, -1, ROLE_DANGER,
				    "This option is marked dangerous. Press Enter again to choose it, "
				    "or move away.");
			} else if (sel && o->danger) {
				row += pn_wrap(p, row, lab, -1, ROLE_DANGER,
				    "Dangerous: press Enter twice to choose it.");
			}
			if (big && i + 1 < n)
				row++;
		}
	}
	if (ro) {
		row += pn_wrap(p, row, 0, -1, ROLE_WARN,
		    "Watching: this session cannot answer; the controlling session does.");
	} else if (a->sent) {
		pn_printf(p, row++, 0, ROLE_DIM, "%s sent%s%s; waiting for the engine", glyph(G_PASS),
		    a->sent_label ? ": " : "", a->sent_label ? a->sent_label : "");
	}
	return row - start;
}

int
ui_question(struct screen *s, const struct pane *p, int row, int big)
{
	return ask_draw(s, p, row, big ? Q_BIG : 0, 1000);
}

/* For layout.c: the question box under a screen that does not place it itself. */
int ask_draw_box(struct screen *s, const struct pane *p, int row, int nodetail, int detail_max);
int
ask_draw_box(struct screen *s, const struct pane *p, int row, int nodetail, int detail_max)
{
	return ask_draw(s, p, row, nodetail ? Q_NODETAIL : 0, detail_max);
}

void
ui_flash(struct ui *ui, int role, const char *fmt, ...)
{
	va_list ap;

	free(ui->flash);
	va_start(ap, fmt);
	ui->flash = xvasprintf(fmt, ap);
	va_end(ap);
	ui->flash_role = role;
}
