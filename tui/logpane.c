/*
 * logpane.c: the live log: the tail of the view's ring, scrolling, search, and dumping.
 *
 * Lines are addressed by sequence number (0 for the first line the view ever saw, log_total-1
 * for the newest), not by ring index, so a scrolled pane stays on the same lines while new ones
 * arrive, and a search hit keeps pointing at its line. `follow` pins the bottom to the newest
 * line, which is what the pane does unless the operator scrolled or searched.
 *
 * A frame draws only the rows that fit, straight from the ring: a flood of thousands of lines
 * between two frames costs nothing here but the last screenful. When this front end fell behind
 * a flood, the engine sent only the tail; the gap is one dim marker line (level "skip", see
 * core/view.h), and the title counts the run's lines, skipped ones included. While the operator looks back at
 * a step, the pane shows only that step's lines (searching a bounded window of the ring).
 *
 * Each line passes through tx_after_cr() (progress redrawn with carriage returns shows its last
 * state) and the tx iterator (escape sequences removed, controls replaced), so child output can
 * never reach the terminal as anything but text.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tui/text.h"
#include "tui/ui_int.h"

#define FILTER_SCAN_MAX 50000   /* lines looked at per frame when showing one step's lines */

static unsigned long long
newest(const struct view *v)
{
	return v->log_total ? v->log_total - 1 : 0;
}

static unsigned long long
oldest(const struct view *v)
{
	return v->log_total - v->log_len;
}

static const struct view_log_line *
line_at_seq(const struct view *v, unsigned long long seq)
{
	if (v->log_len == 0 || seq > newest(v) || seq < oldest(v))
		return NULL;
	return view_log_at(v, (size_t)(newest(v) - seq));
}

/* The step the pane is filtered to (review), or NULL. */
static const char *
filter_step(const struct ui *ui)
{
	if (ui->review >= 0 && ui->review < (int)ui->v->nsteps)
		return ui->v->steps[ui->review].id;
	return NULL;
}

static int
line_matches_filter(const struct view_log_line *l, const char *step)
{
	return step == NULL || (l->step != NULL && strcmp(l->step, step) == 0);
}

static int
level_role(const char *level, const char **g)
{
	if (strcmp(level, "error") == 0) {
		*g = glyph(G_LOG_ERR);
		return ROLE_DANGER;
	}
	if (strcmp(level, "warn") == 0) {
		*g = glyph(G_LOG_WARN);
		return ROLE_WARN;
	}
	if (strcmp(level, "cmd") == 0) {
		*g = glyph(G_LOG_CMD);
		return ROLE_CMD;
	}
	if (strcmp(level, "sql") == 0) {
		*g = glyph(G_LOG_SQL);
		return ROLE_SQL;
	}
	if (strcmp(level, "out") == 0) {
		*g = glyph(G_LOG_OUT);
		return ROLE_NORMAL;
	}
	if (strcmp(level, "skip") == 0) {   /* lines the engine did not send: they are in the log file */
		*g = glyph(G_LOG_INFO);
		return ROLE_DIM;
	}
	*g = glyph(G_LOG_INFO);
	return ROLE_NORMAL;
}

static void
draw_line(struct ui *ui, const struct pane *p, int row, const struct view_log_line *l,
    unsigned long long seq, int show_time)
{
	const char *g, *text;
	int role = level_role(l->level, &g), col = 0;
	size_t n = strlen(l->text);
	char t[16];

	if (show_time) {
		col = pn_text(p, row, col, ROLE_DIM, ui_clock(l->t, t, sizeof t)) + 1;
	}
	pn_text(p, row, col, role == ROLE_NORMAL && strcmp(l->level, "info") == 0 ? ROLE_DIM : role, g);
	col += 2;
	text = tx_after_cr(l->text, &n);
	pn_textn(p, row, col, role, text, n, -1, PN_ELLIPSIS);
	if (ui->log.pattern) {
		size_t m = strlen(ui->log.pattern);
		long off = tx_find(text, n, ui->log.pattern);
		if (off >= 0) {
			int c0 = tx_nwidth(text, (size_t)off);
			int cw = tx_nwidth(text + off, m);
			if (col + c0 < p->w - 1)
				pn_paint(p, row, col + c0, cw, ROLE_MATCH);
			if (ui->log.has_match && seq == ui->log.match)
				pn_paint(p, row, 0, col - 1, ROLE_SELECTED);
		}
	}
}

void
log_draw(struct ui *ui, const struct pane *p)
{
	struct view *v = ui->v;
	struct logpane *lp = &ui->log;
	const char *step = filter_step(ui);
	int rows = p->h - 1, show_time = p->w >= 100, c;
	unsigned long long bottom, seq;
	char num[32], title[160];
	struct pane text = pn_sub(p, 1, 0, rows, p->w);

	lp->rows = rows;
	/* Title rule. */
	for (int i = 0; i < p->w; i++)
		pn_text(p, 0, i, lp->focus ? ROLE_TITLE : ROLE_BORDER, glyph(G_HLINE));
	snprintf(title, sizeof title, " Log%s%s ", step ? ": " : "", step ? step : "");
	c = pn_text(p, 0, 1, lp->focus ? ROLE_SELECTED : ROLE_TITLE, title);
	snprintf(title, sizeof title, " %s lines ", tx_thousands(view_log_count(v), num, sizeof num));
	c = pn_text(p, 0, c + 1, ROLE_DIM, title);
	if (!lp->follow)
		c = pn_text(p, 0, c + 1, ROLE_WARN, " scrolled (End follows) ");
	if (lp->pattern) {
		snprintf(title, sizeof title, " /%s ", lp->pattern);
		pn_textn(p, 0, c + 1, ROLE_MATCH, title, (size_t)-1, p->w - c - 20, PN_ELLIPSIS);
	}
	if (v->last_error)
		pn_text_right(p, 0, p->w - 1, ROLE_DIM, " F5 copies the last error ");

	if (v->log_len == 0) {
		pn_text(&text, 0, 2, ROLE_DIM, v->log_total ? "(log lines are in the log file: F3)" :
		    "(no output yet)");
		return;
	}
	bottom = lp->follow ? newest(v) : lp->bottom;
	if (bottom > newest(v))
		bottom = newest(v);
	if (bottom < oldest(v))
		bottom = oldest(v);
	/* Collect from the bottom up; when the lines do not fill the pane they start at its top
	 * (reading order), and the pane fills downwards until it scrolls. */
	{
		unsigned long long seqs[256];
		int got = 0;
		unsigned long scanned = 0;

		if (rows > (int)ARRAY_LEN(seqs))
			rows = (int)ARRAY_LEN(seqs);
		seq = bottom;
		while (got < rows) {
			const struct view_log_line *l = line_at_seq(v, seq);
			if (l == NULL)
				break;
			if (line_matches_filter(l, step))
				seqs[got++] = seq;
			if (seq == oldest(v) || ++scanned > FILTER_SCAN_MAX)
				break;
			seq--;
		}
		for (int i = 0; i < got; i++) {
			const struct view_log_line *l = line_at_seq(v, seqs[got - 1 - i]);
			draw_line(ui, &text, i, l, seqs[got - 1 - i], show_time);
		}
		if (got == 0)
			pn_text(&text, 0, 2, ROLE_DIM, step ? "(no lines of this step left in memory; F3 shows the log file)" :
			    "(no output yet)");
	}
}

/* Moves the bottom by `delta` lines (negative: older), honouring the review filter. */
static void
scroll_by(struct ui *ui, long delta)
{
	struct view *v = ui->v;
	struct logpane *lp = &ui->log;
	const char *step = filter_step(ui);
	unsigned long long b;

	if (v->log_len == 0)
		return;
	b = lp->follow ? newest(v) : lp->bottom;
	if (b > newest(v))
		b = newest(v);
	while (delta < 0 && b > oldest(v)) {
		b--;
		const struct view_log_line *l = line_at_seq(v, b);
		if (l && line_matches_filter(l, step))
			delta++;
	}
	while (delta > 0 && b < newest(v)) {
		b++;
		const struct view_log_line *l = line_at_seq(v, b);
		if (l && line_matches_filter(l, step))
			delta--;
	}
	/* Do not scroll past the top: keep a screenful. */
	{
		unsigned long long min = oldest(v) + (unsigned long long)(lp->rows > 0 ? lp->rows - 1 : 0);
		if (step == NULL && b < min && newest(v) >= min)
			b = min;
	}
	lp->bottom = b;
	lp->follow = (b >= newest(v));
}

void
log_search_start(struct ui *ui)
{
	ui->log.typing = 1;
	sb_reset(&ui->log.typed);
	sb_adds(&ui->log.typed, "");
}

void
log_search_next(struct ui *ui, int older)
{
	struct view *v = ui->v;
	struct logpane *lp = &ui->log;
	const char *step = filter_step(ui);
	unsigned long long seq;

	if (lp->pattern == NULL || v->log_len == 0)
		return;
	if (lp->has_match)
		seq = lp->match;
	else
		seq = lp->follow ? newest(v) + (older ? 1 : 0) : lp->bottom + (older ? 1 : 0);
	for (;;) {
		if (older) {
			if (seq <= oldest(v))
				break;
			seq--;
		} else {
			if (seq >= newest(v))
				break;
			seq++;
		}
		const struct view_log_line *l = line_at_seq(v, seq);
		if (l == NULL)
			break;
		if (!line_matches_filter(l, step))
			continue;
		size_t n = strlen(l->text);
		const char *t = tx_after_cr(l->text, &n);
		if (tx_find(t, n, lp->pattern) >= 0) {
			lp->has_match = 1;
			lp->match = seq;
			/* Put the hit in the middle of the pane. */
			unsigned long long b = seq + (unsigned long long)(lp->rows / 2);
			if (b > newest(v))
				b = newest(v);
			lp->bottom = b;
			lp->follow = 0;
			if (b >= newest(v))
				lp->follow = 1;
			return;
		}
	}
	ui_flash(ui, ROLE_WARN, "no %s line matches \"%s\"", older ? "older" : "newer", lp->pattern);
}

enum key_result
log_key(struct ui *ui, const struct key *k)
{
	struct logpane *lp = &ui->log;
	long page = lp->rows > 1 ? lp->rows - 1 : 1;

	if (lp->typing) {
		switch (k->act) {
		case ACT_CHAR:
			if (ui->log.typed.len < 200) {
				char b[8];
				uint32_t c = k->ch;
				size_t n = 0;
				if (c < 0x80) {
					b[n++] = (char)c;
				} else if (c < 0x800) {
					b[n++] = (char)(0xC0 | (c >> 6));
					b[n++] = (char)(0x80 | (c & 0x3F));
				} else if (c < 0x10000) {
					b[n++] = (char)(0xE0 | (c >> 12));
					b[n++] = (char)(0x80 | ((c >> 6) & 0x3F));
					b[n++] = (char)(0x80 | (c & 0x3F));
				} else {
					b[n++] = (char)(0xF0 | (c >> 18));
					b[n++] = (char)(0x80 | ((c >> 12) & 0x3F));
					b[n++] = (char)(0x80 | ((c >> 6) & 0x3F));
					b[n++] = (char)(0x80 | (c & 0x3F));
				}
				sb_add(&lp->typed, b, n);
			}
			return KEY_HANDLED;
		case ACT_BACKSPACE:
			while (lp->typed.len > 0) {
				unsigned char ch = (unsigned char)lp->typed.s[--lp->typed.len];
				if ((ch & 0xC0) != 0x80)
					break;
			}
			if (lp->typed.s)
				lp->typed.s[lp->typed.len] = '\0';
			return KEY_HANDLED;
		case ACT_KILL:
			sb_reset(&lp->typed);
			return KEY_HANDLED;
		case ACT_ENTER:
			lp->typing = 0;
			if (lp->typed.len == 0)
				return KEY_HANDLED;
			free(lp->pattern);
			lp->pattern = xstrdup(sb_str(&lp->typed));
			lp->has_match = 0;
			lp->focus = 1;
			log_search_next(ui, 1);
			return KEY_HANDLED;
		case ACT_ESC:
		case ACT_INTERRUPT:
			lp->typing = 0;
			return KEY_HANDLED;
		default:
			return KEY_HANDLED;
		}
	}
	switch (k->act) {
	case ACT_UP:
		scroll_by(ui, -1);
		return KEY_HANDLED;
	case ACT_DOWN:
		scroll_by(ui, 1);
		return KEY_HANDLED;
	case ACT_PGUP:
		scroll_by(ui, -page);
		return KEY_HANDLED;
	case ACT_PGDN:
		scroll_by(ui, page);
		return KEY_HANDLED;
	case ACT_HOME:
		scroll_by(ui, -(long)ui->v->log_len);
		return KEY_HANDLED;
	case ACT_END:
		lp->follow = 1;
		lp->has_match = 0;
		return KEY_HANDLED;
	case ACT_ESC:
		if (lp->pattern) {
			free(lp->pattern);
			lp->pattern = NULL;
			lp->has_match = 0;
		} else {
			lp->focus = 0;
		}
		return KEY_HANDLED;
	case ACT_CHAR:
		if (k->ch == '/') {
			log_search_start(ui);
			return KEY_HANDLED;
		}
		if (k->ch == 'n') {
			log_search_next(ui, 1);
			return KEY_HANDLED;
		}
		if (k->ch == 'N') {
			log_search_next(ui, 0);
			return KEY_HANDLED;
		}
		if (k->ch == 'k') {
			scroll_by(ui, -1);
			return KEY_HANDLED;
		}
		if (k->ch == 'j') {
			scroll_by(ui, 1);
			return KEY_HANDLED;
		}
		if (k->ch == 'G') {
			lp->follow = 1;
			return KEY_HANDLED;
		}
		return KEY_IGNORED;
	default:
		return KEY_IGNORED;
	}
}

char *
log_dump_tmp(struct ui *ui, char **cause)
{
	struct view *v = ui->v;
	char path[] = "/tmp/upwiz-log-XXXXXX";
	int fd = mkstemp(path);
	FILE *f;

	if (fd < 0) {
		set_cause(cause, "cannot create a file in /tmp: %s", strerror(errno));
		return NULL;
	}
	f = fdopen(fd, "w");
	if (f == NULL) {
		close(fd);
		unlink(path);
		set_cause(cause, "cannot write %s: %s", path, strerror(errno));
		return NULL;
	}
	if (v->log_total > v->log_len)
		fprintf(f, "[%llu older lines are not kept in memory; they are in the run's log file]\n",
		    v->log_total - v->log_len);
	for (size_t i = v->log_len; i > 0; i--) {
		const struct view_log_line *l = view_log_at(v, i - 1);
		char t[16];
		fprintf(f, "%s %-5s ", ui_clock(l->t, t, sizeof t), l->level);
		if (l->step)
			fprintf(f, "[%s] ", l->step);
		/* Raw text: the pager shows control characters as text (less: ^[). */
		fprintf(f, "%s\n", l->text);
	}
	if (fclose(f) != 0) {
		unlink(path);
		set_cause(cause, "cannot write %s: %s", path, strerror(errno));
		return NULL;
	}
	return xstrdup(path);
}
