/*
 * layout.c: one frame, from the view to the canvas.
 *
 *   row 0        header: profile title, target, badges (SANDBOX, WATCH), elapsed time
 *   rows 1..     step rail (left) | the step's screen: title line, content, question box
 *   ...          the live log pane, full width (a third of the height; most of it for
 *                screens whose kind says the log is the star, like `command`)
 *   last row     key bar (or a message until the next key, or the search prompt)
 *
 * Below 80x24 nothing but an overlay is drawn ("terminal too small: 70x20, need 80x24"): a
 * wizard that answers questions must not be operated half-visible.
 *
 * The frame is recomputed from scratch each time; screens draw their whole content into a
 * pane that is scrolled by the loop, and the first draw tells how tall the content is and which
 * row must stay visible (a running or failed item, the selected option). When that moves the
 * scroll position, the content is drawn a second time; both draws are cheap next to a write to
 * the terminal.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "screens/screens.h"
#include "tui/text.h"
#include "tui/ui_int.h"

#define MIN_W 80
#define MIN_H 24

int ask_draw_box(struct screen *s, const struct pane *p, int row, int nodetail, int detail_max);

/* ---- screens per step ---- */

static void
screen_open(struct ui *ui, struct screen *s, const struct screen_kind *k, int index)
{
	memset(s, 0, sizeof *s);
	s->kind = k;
	s->ui = ui;
	s->v = ui->v;
	s->index = index;
	s->focus_row = -1;
	if (k->enter)
		s->data = k->enter(s);
}

static void
screen_close(struct screen *s)
{
	if (s->kind && s->kind->leave)
		s->kind->leave(s);
	s->data = NULL;
	s->kind = NULL;
}

void
ui_free_screens(struct ui *ui)
{
	for (size_t i = 0; i < ui->nscreens; i++)
		screen_close(&ui->screens[i]);
	free(ui->screens);
	ui->screens = NULL;
	ui->nscreens = 0;
	screen_close(&ui->summary);
	screen_close(&ui->waiting);
}

void
ui_sync_screens(struct ui *ui)
{
	struct view *v = ui->v;
	int same = ui->nscreens == v->nsteps;

	for (size_t i = 0; same && i < v->nsteps; i++)
		if (ui->screens[i].kind != screens_for_step(v->steps[i].kind))
			same = 0;
	if (!same) {
		for (size_t i = 0; i < ui->nscreens; i++)
			screen_close(&ui->screens[i]);
		free(ui->screens);
		ui->screens = v->nsteps ? xcalloc(v->nsteps, sizeof *ui->screens) : NULL;
		ui->nscreens = v->nsteps;
		for (size_t i = 0; i < v->nsteps; i++)
			screen_open(ui, &ui->screens[i], screens_for_step(v->steps[i].kind), (int)i);
		if (ui->review >= (int)v->nsteps)
			ui->review = -1;
	}
	if (ui->summary.kind == NULL)
		screen_open(ui, &ui->summary, screens_for_summary(), -1);
	if (ui->waiting.kind == NULL)
		screen_open(ui, &ui->waiting, screens_for_step(NULL), -1);
	/* Step pointers are borrowed from the view: refresh them every frame. */
	for (size_t i = 0; i < ui->nscreens; i++) {
		ui->screens[i].v = v;
		ui->screens[i].step = &v->steps[i];
		ui->screens[i].review = ((int)i == ui->review);
	}
	ui->summary.v = ui->waiting.v = v;
	ui->summary.step = ui->waiting.step = NULL;
	ui->summary.review = ui->waiting.review = 0;
}

struct screen *
ui_shown(struct ui *ui)
{
	struct view *v = ui->v;

	if (ui->review >= 0 && ui->review < (int)ui->nscreens)
		return &ui->screens[ui->review];
	if (v->finished)
		return &ui->summary;
	/* The open question's step comes first, even if the engine has not said it runs. */
	if (v->ask != NULL && v->ask->step != NULL && *v->ask->step != '\0') {
		for (size_t i = 0; i < ui->nscreens; i++)
			if (strcmp(v->steps[i].id, v->ask->step) == 0)
				return &ui->screens[i];
	}
	if (v->current >= 0 && v->current < (int)ui->nscreens)
		return &ui->screens[v->current];
	/* Between steps or before the first: the last step that moved, else the waiting screen. */
	for (int i = (int)ui->nscreens - 1; i >= 0; i--)
		if (v->steps[i].state != ST_PENDING)
			return &ui->screens[i];
	return &ui->waiting;
}

/* ---- pieces ---- */

static void
hrule(const struct pane *p, int row, int col, int n, int role)
{
	for (int i = 0; i < n; i++)
		pn_text(p, row, col + i, role, glyph(G_HLINE));
}

/* A frame with a title; clears the inside. Returns the inner pane. */
static struct pane
draw_box(struct ui *ui, int y, int x, int h, int w, int role, const char *title)
{
	struct pane all = pn_make(&ui->cv, 0, 0, ui->h, ui->w), in;

	for (int r = 0; r < h; r++)
		pn_fill(&all, y + r, x, w, ROLE_NORMAL, ' ');
	pn_text(&all, y, x, role, glyph(G_CORNER_TL));
	hrule(&all, y, x + 1, w - 2, role);
	pn_text(&all, y, x + w - 1, role, glyph(G_CORNER_TR));
	pn_text(&all, y + h - 1, x, role, glyph(G_CORNER_BL));
	hrule(&all, y + h - 1, x + 1, w - 2, role);
	pn_text(&all, y + h - 1, x + w - 1, role, glyph(G_CORNER_BR));
	for (int r = 1; r < h - 1; r++) {
		pn_text(&all, y + r, x, role, glyph(G_VLINE));
		pn_text(&all, y + r, x + w - 1, role, glyph(G_VLINE));
	}
	if (title) {
		int c = pn_text(&all, y, x + 2, role, " ");
		c = pn_textn(&all, y, c, ROLE_TITLE, title, (size_t)-1, w - 8, PN_ELLIPSIS);
		pn_text(&all, y, c, role, " ");
	}
	in = pn_make(&ui->cv, y + 1, x + 2, h - 2, w - 4);
	return in;
}

static const char *
elapsed(double secs, char *buf, size_t size)
{
	long s = secs < 0 ? 0 : (long)secs;

	snprintf(buf, size, "%ld:%02ld:%02ld", s / 3600, (s / 60) % 60, s % 60);
	return buf;
}

static void
draw_header(struct ui *ui)
{
	struct view *v = ui->v;
	struct pane p = pn_make(&ui->cv, 0, 0, 1, ui->w);
	char buf[64], right[96];
	int rx = ui->w - 1, c;

	pn_fill(&p, 0, 0, ui->w, ROLE_HEADER, ' ');
	/* Right side first: it must never be clipped away by a long target. */
	if (v->started > 0) {
		double end = v->finished ? ui->finished_at : ui->now;
		if (v->finished)
			snprintf(right, sizeof right, "%s in %s", v->outcome ? v->outcome : "finished",
			    elapsed(end - v->started, buf, sizeof buf));
		else
			snprintf(right, sizeof right, "%s%s", ui->w >= 100 ? "elapsed " : "",
			    elapsed(end - v->started, buf, sizeof buf));
		rx = pn_text_right(&p, 0, rx, ROLE_HEADER, right) - 2;
		ui->clock_shown = !v->finished;
	}
	if (v->sandbox)
		rx = pn_text_right(&p, 0, rx, ROLE_BADGE, " SANDBOX ") - 1;
	if (ui_readonly(ui))
		rx = pn_text_right(&p, 0, rx, ROLE_BADGE, " WATCH ") - 1;
	c = 1;
	if (ui->w >= 100) {
		c = pn_text(&p, 0, 0, ROLE_HEADER, " upwiz ");
		pn_text(&p, 0, c, ROLE_HEADER, glyph(G_VLINE));
		c += 2;
	}
	if (v->title || v->profile) {
		const char *t = v->title ? v->title : v->profile;
		c = pn_textn(&p, 0, c, ROLE_HEADER, t, (size_t)-1, rx - c - 1, PN_ELLIPSIS);
		if (v->from && v->to && (strstr(t, v->to) == NULL)) {
			char ft[128];
			snprintf(ft, sizeof ft, " %s %s %s", v->from, glyph(G_ARROW), v->to);
			c = pn_textn(&p, 0, c, ROLE_HEADER, ft, (size_t)-1, rx - c - 1, PN_ELLIPSIS);
		}
	} else {
		c = pn_text(&p, 0, c, ROLE_HEADER, "connecting");
	}
	if (v->target && *v->target && rx - c > 12) {
		c = pn_text(&p, 0, c + 1, ROLE_HEADER, glyph(G_VLINE));
		pn_textn(&p, 0, c + 1, ROLE_HEADER, v->target, (size_t)-1, rx - c - 2, PN_ELLIPSIS);
	}
}

static const char *
step_glyph(const struct ui *ui, const struct view_step *st, int *role)
{
	switch (ui_step_state(ui->v, st)) {
	case ST_DONE:
		*role = ROLE_OK;
		return glyph(G_STEP_DONE);
	case ST_RUNNING:
		*role = ROLE_PROGRESS;
		return glyph(G_STEP_CUR);
	case ST_WAITING:
		*role = ROLE_WARN;
		return glyph(G_STEP_WAIT);
	case ST_FAILED:
		*role = ROLE_DANGER;
		return glyph(G_STEP_FAIL);
	case ST_SKIPPED:
		*role = ROLE_DIM;
		return glyph(G_STEP_SKIP);
	default:
		*role = ROLE_DIM;
		return glyph(G_STEP_PEND);
	}
}

/* The first step that can no longer be undone, where the rail draws the point of no return;
 * -1 if every step is still reversible. */
static int
no_return_index(const struct view *v)
{
	for (size_t i = 0; i < v->nsteps; i++)
		if (!v->steps[i].reversible)
			return (int)i;
	return -1;
}

static void
draw_rail(struct ui *ui, const struct pane *p, const struct screen *shown)
{
	struct view *v = ui->v;
	int nr = no_return_index(v);
	/* Rows: one per step, the separator, the summary. */
	int total = (int)v->nsteps + (nr > 0 ? 1 : 0) + 1, avail = p->h - 1, first = 0;
	int cur_row = -1, row, done = 0;
	int shown_idx = shown->step ? shown->index : (v->finished ? (int)v->nsteps : -1);

	for (size_t i = 0; i < v->nsteps; i++)
		if (v->steps[i].state == ST_DONE || v->steps[i].state == ST_SKIPPED)
			done++;
	pn_text(p, 0, 1, ROLE_DIM, "Steps");
	if (v->nsteps)
		pn_printf(p, 0, 7, ROLE_DIM, "%d/%zu done", done, v->nsteps);
	if (shown_idx >= 0)
		cur_row = shown_idx + (nr > 0 && shown_idx >= nr ? 1 : 0);
	if (total > avail && cur_row >= 0) {
		first = cur_row - avail / 2;
		if (first > total - avail)
			first = total - avail;
		if (first < 0)
			first = 0;
	}
	row = 0;
	for (int i = 0; i <= (int)v->nsteps; i++) {
		int r;
		if (i == nr && nr > 0) {
			r = row++ - first + 1;
			if (r >= 1 && r <= avail) {
				hrule(p, r, 1, p->w - 1, ROLE_WARN);
				pn_text(p, r, 3, ROLE_WARN, " no way back ");
			}
		}
		r = row++ - first + 1;
		if (r < 1 || r > avail)
			continue;
		int sel = (i == shown_idx);
		if (i == (int)v->nsteps) {
			int role = v->finished ? (v->exit_code == 0 ? ROLE_OK : ROLE_DANGER) : ROLE_DIM;
			if (sel)
				pn_fill(p, r, 0, p->w, ROLE_SELECTED, ' ');
			pn_text(p, r, 1, sel ? ROLE_SELECTED : role,
			    v->finished ? (v->exit_code == 0 ? glyph(G_STEP_DONE) : glyph(G_STEP_FAIL))
			    : glyph(G_STEP_PEND));
			pn_textn(p, r, 3, sel ? ROLE_SELECTED : (v->finished ? ROLE_NORMAL : ROLE_DIM), "Summary",
			    (size_t)-1, p->w - 3, PN_ELLIPSIS);
			continue;
		}
		const struct view_step *st = &v->steps[i];
		int role, trole;
		const char *g = step_glyph(ui, st, &role);
		trole = st->state == ST_PENDING ? ROLE_DIM : ROLE_NORMAL;
		if (i == v->current && !v->finished)
			trole = ROLE_TITLE;
		if (sel) {
			pn_fill(p, r, 0, p->w, ROLE_SELECTED, ' ');
			trole = ROLE_SELECTED;
			role = st->state == ST_FAILED ? ROLE_DANGER_SEL : ROLE_SELECTED;
		}
		pn_text(p, r, 1, role, g);
		pn_textn(p, r, 3, trole, st->title ? st->title : st->id, (size_t)-1, p->w - 3, PN_ELLIPSIS);
	}
	/* When cut, the first and last visible rows say how many steps are hidden. */
	if (first > 0) {
		pn_fill(p, 1, 0, p->w, ROLE_NORMAL, ' ');
		pn_printf(p, 1, 1, ROLE_DIM, "%s %d more", glyph(G_UP), first + 1);
	}
	if (first + avail < total) {
		pn_fill(p, avail, 0, p->w, ROLE_NORMAL, ' ');
		pn_printf(p, avail, 1, ROLE_DIM, "%s %d more", glyph(G_DOWN), total - (first + avail) + 1);
	}
}

static void
state_text(struct ui *ui, const struct screen *s, char *buf, size_t size, int *role)
{
	const struct view_step *st = s->step;
	char d[16], t[16];

	buf[0] = '\0';
	*role = ROLE_DIM;
	if (st == NULL)
		return;
	switch (ui_step_state(ui->v, st)) {
	case ST_RUNNING:
		snprintf(buf, size, "running %s", tx_duration(ui->now - st->started, d, sizeof d));
		*role = ROLE_PROGRESS;
		break;
	case ST_WAITING:
		snprintf(buf, size, ui_readonly(ui) ? "waiting for the operator" : "waiting for you");
		*role = ROLE_WARN;
		break;
	case ST_DONE:
		snprintf(buf, size, "done %s", ui_clock(st->finished, t, sizeof t));
		*role = ROLE_OK;
		break;
	case ST_FAILED:
		snprintf(buf, size, "failed %s", ui_clock(st->finished, t, sizeof t));
		*role = ROLE_DANGER;
		break;
	case ST_SKIPPED:
		snprintf(buf, size, "skipped");
		break;
	default:
		snprintf(buf, size, "not started");
		break;
	}
}

static void
draw_body(struct ui *ui, struct screen *s, const struct pane *body)
{
	struct view *v = ui->v;
	char st[64];
	int role, qh = 0, ch, c;
	const struct view_question *q = ui_step_question(s);

	/* Title line. */
	if (s->step) {
		c = pn_printf(body, 0, 0, ROLE_DIM, "%d/%zu ", s->index + 1, v->nsteps);
		state_text(ui, s, st, sizeof st, &role);
		int sw = tx_width(st);
		pn_textn(body, 0, c, ROLE_TITLE, s->step->title ? s->step->title : s->step->id, (size_t)-1,
		    body->w - c - sw - 2, PN_ELLIPSIS);
		pn_text_right(body, 0, body->w, role, st);
	} else if (s == &ui->summary) {
		pn_text(body, 0, 0, ROLE_TITLE, "Summary");
		if (v->outcome) {
			role = v->exit_code == 0 ? ROLE_OK : ROLE_DANGER;
			snprintf(st, sizeof st, "%s, exit code %d", v->outcome, v->exit_code);
			pn_text_right(body, 0, body->w, role, st);
		}
	} else {
		pn_text(body, 0, 0, ROLE_TITLE, v->title ? v->title : "upwiz");
	}
	/* Second line: the review banner, the step's note, or a rule. */
	if (s->review) {
		int cc = pn_text(body, 1, 0, ROLE_BADGE, " REVIEW ");
		const char *cur = (v->current >= 0 && v->current < (int)v->nsteps) ?
		    (v->steps[v->current].title ? v->steps[v->current].title : v->steps[v->current].id) : NULL;
		char msg[256];
		if (v->ask && !v->finished)
			snprintf(msg, sizeof msg, "read-only; the run waits for you at \"%s\" (Enter)", cur ? cur : "?");
		else
			snprintf(msg, sizeof msg, "read-only; nothing here is undone by looking back");
		pn_textn(body, 1, cc + 1, v->ask ? ROLE_WARN : ROLE_DIM, msg, (size_t)-1, -1, PN_ELLIPSIS);
	} else if (s->step && s->step->note && *s->step->note) {
		pn_textn(body, 1, 0, ROLE_DIM, s->step->note, (size_t)-1, -1, PN_ELLIPSIS);
	} else {
		hrule(body, 1, 0, body->w, ROLE_BORDER);
	}
	/* The question box, unless the screen places the question itself. */
	if (q != NULL && !s->kind->own_question) {
		int nodetail = s->kind->question_detail_in_body;
		struct pane measure = pn_make(&ui->cv, 0, 0, 0, body->w);
		int cy = ui->cursor_y, cx = ui->cursor_x;
		int qmax = body->h - 5, dmax = 6;
		qh = ask_draw_box(s, &measure, 0, nodetail, dmax);
		if (qh > qmax) {
			/* Too tall: the detail gives way first; the prompt and the options must show. */
			int base = ask_draw_box(s, &measure, 0, 1, 0);
			dmax = qmax - base;
			qh = ask_draw_box(s, &measure, 0, nodetail, dmax);
		}
		ui->cursor_y = cy;
		ui->cursor_x = cx;
		if (qh > body->h - 3)
			qh = body->h - 3;
		if (qh < 1)
			qh = 1;
		struct pane qp = pn_sub(body, body->h - qh, 0, qh, body->w);
		int rr = body->h - qh - 1;
		hrule(body, rr, 0, body->w, ROLE_BORDER);
		pn_text(body, rr, 2, ui_readonly(ui) ? ROLE_DIM : ROLE_WARN,
		    ui_readonly(ui) ? " Question (watching) " : " Your answer ");
		ask_draw_box(s, &qp, 0, nodetail, dmax);
		qh++;
	}
	ch = body->h - 2 - qh;
	if (ch < 1)
		return;
	struct pane content = pn_sub(body, 2, 0, ch, body->w);
	s->visible = ch;
	for (int pass = 0; pass < 2; pass++) {
		struct pane sp = pn_scrolled(&content, s->top);
		int top = s->top, h;
		s->focus_row = -1;
		h = s->kind->draw(s, &sp);
		s->height = h;
		if (!s->user_scrolled && s->focus_row >= 0) {
			if (s->focus_row < top)
				top = s->focus_row;
			else if (s->focus_row >= top + ch)
				top = s->focus_row - ch + 2;
		}
		if (top > h - ch)
			top = h - ch;
		if (top < 0)
			top = 0;
		if (top == s->top)
			break;
		s->top = top;
		for (int r = 0; r < ch; r++)
			pn_fill(&content, r, 0, content.w, ROLE_NORMAL, ' ');
	}
	if (s->top > 0)
		pn_text_right(&content, 0, content.w, ROLE_DIM, glyph(G_UP));
	if (s->top + ch < s->height)
		pn_text_right(&content, ch - 1, content.w, ROLE_DIM, glyph(G_DOWN));
}

/* ---- key bar ---- */

static int
key_item(const struct pane *p, int col, const char *key, const char *label, int last)
{
	int need = tx_width(key) + 1 + tx_width(label);

	if (col + need > p->w)
		return -1;
	col = pn_text(p, 0, col, ROLE_KEY, key);
	col = pn_text(p, 0, col + 1, ROLE_NORMAL, label);
	return col + 2;
}

static void
draw_keybar(struct ui *ui, const struct screen *s)
{
	struct pane p = pn_make(&ui->cv, ui->h - 1, 0, 1, ui->w);
	const char *keys[24], *labels[24];
	int n = 0, col = 0;
	struct view *v = ui->v;
	int field = ask_has_text_field(ui) && !ui->log.focus;

#define K(k, l) do { if (n < 24) { keys[n] = (k); labels[n] = (l); n++; } } while (0)
	if (ui->log.typing) {
		int c = pn_text(&p, 0, 0, ROLE_TITLE, "Find in log: ");
		const char *t = sb_str(&ui->log.typed);
		int room = ui->w - c - 24;
		while (tx_width(t) > room && *t) {
			uint32_t cp;
			t += tx_decode(t, strlen(t), &cp);
		}
		c = pn_text(&p, 0, c, ROLE_INPUT, t);
		ui->cursor_y = ui->h - 1;
		ui->cursor_x = c;
		col = ui->w - 22;
		K("Enter", "Find");
		K("Esc", "Cancel");
	} else if (ui->overlay == OV_HELP) {
		K("Esc", "Close");
		K("\xe2\x86\x91\xe2\x86\x93", "Scroll");
	} else if (ui->overlay == OV_MENU) {
		if (!ui_readonly(ui) && !v->finished)
			K("y", "Abort run");
		K("d", "Detach");
		K("Esc", "Keep going");
	} else if (ui->log.focus) {
		K("\xe2\x86\x91\xe2\x86\x93", "Scroll");
		K("End", "Follow");
		K("/", "Find");
		if (ui->log.pattern) {
			K("n", "Older");
			K("N", "Newer");
		}
		K("F3", "Pager");
		K("Tab", "Back");
	} else if (ui->review >= 0) {
		K("\xe2\x86\x90\xe2\x86\x92", "Steps");
		K("Enter", "Live");
		if (v->ask && !ui_readonly(ui) && !v->finished)
			K("b", "Ask engine to go back");
		K("\xe2\x86\x91\xe2\x86\x93", "Scroll");
		K("F1", "Help");
	} else if (v->finished) {
		K("q", "Quit");
		K("\xe2\x86\x91\xe2\x86\x93", "Scroll");
		K("Esc", "Review");
		K("Tab", "Log");
		K("F3", "Full log");
		K("F5", "Copy error");
	} else {
		n = ask_keys(ui, keys, labels, 24);
		if (s->height > s->visible)
			K(s->top + s->visible < s->height ? "PgDn" : "PgUp", "More");
		K("F1", "Help");
		if (!field) {
			K("Esc", "Back");
			K("Tab", "Log");
			K("q", "Quit");
			K("d", "Detach");
		} else {
			K("Esc", "Back");
			K("Tab", "Log");
			K("F10", "Quit");
		}
		K("F3", "Full log");
		K("F5", "Copy error");
	}
#undef K
	if (ui->flash && !ui->log.typing) {
		col = pn_textn(&p, 0, 0, ui->flash_role, ui->flash, (size_t)-1, ui->w, PN_ELLIPSIS) + 2;
	}
	for (int i = 0; i < n; i++) {
		int c = key_item(&p, col, keys[i], labels[i], i == n - 1);
		if (c < 0)
			break;
		col = c;
	}
}

/* ---- overlays ---- */

static void
draw_too_small(struct ui *ui)
{
	struct pane p = pn_make(&ui->cv, 0, 0, ui->h, ui->w);
	char msg[96];
	int y = ui->h / 2 - 1;

	snprintf(msg, sizeof msg, "terminal too small: %dx%d, need %dx%d", ui->w, ui->h, MIN_W, MIN_H);
	if (y < 0)
		y = 0;
	pn_textn(&p, y, (ui->w - tx_width(msg)) / 2 > 0 ? (ui->w - tx_width(msg)) / 2 : 0,
	    ROLE_WARN, msg, (size_t)-1, -1, 0);
	const char *sub = "enlarge the window; d detaches (the run goes on)";
	pn_textn(&p, y + 1, (ui->w - tx_width(sub)) / 2 > 0 ? (ui->w - tx_width(sub)) / 2 : 0,
	    ROLE_DIM, sub, (size_t)-1, -1, 0);
}

static const char help_keys[] =
    "Keys\n"
    "Enter, Right, n: continue;  arrows + Enter or the option's key: choose\n"
    "Esc: look back at earlier steps (read-only)\n"
    "Tab: the log pane (arrows scroll, End follows, / finds, n / N next hit)\n"
    "F3 or v: the whole log in $PAGER;  F5 or c: copy the last error\n"
    "q, Ctrl-C or F10: abort or detach;  d: detach (the upgrade goes on)\n"
    "Ctrl-L: repaint the screen";

/* Profile help is written as YAML block text, broken at the author's line width: join the
 * lines of a paragraph, keep blank lines, list items and indented lines as they are. */
static char *
reflow(const char *s)
{
	struct strbuf sb = STRBUF_INIT;

	sb_adds(&sb, "");
	for (const char *p = s; *p; p++) {
		if (*p == '\n' && p[1] != '\0' && p[1] != '\n' && p[1] != ' ' && p[1] != '-' &&
		    p[1] != '*' && !(p[1] >= '0' && p[1] <= '9') && p > s && p[-1] != '\n')
			sb_addc(&sb, ' ');
		else
			sb_addc(&sb, *p);
	}
	return sb_detach(&sb);
}

static void
draw_help(struct ui *ui, const struct screen *s)
{
	int w = ui->w - 8 > 76 ? 76 : ui->w - 8, h, x = (ui->w - w) / 2, y;
	char title[160];
	char *help = reflow((s->step && s->step->help && *s->step->help) ? s->step->help :
	    "No help text for this step.");
	struct pane in;
	int rows;

	snprintf(title, sizeof title, "Help: %s",
	    s->step ? (s->step->title ? s->step->title : s->step->id) : (s == &ui->summary ? "Summary" : "upwiz"));
	rows = wrap_rows(help, w - 4) + 1 + wrap_rows(help_keys, w - 4);
	h = rows + 2 < ui->h - 4 ? rows + 2 : ui->h - 4;
	y = (ui->h - h) / 2;
	in = draw_box(ui, y, x, h, w, ROLE_BORDER, title);
	ui->help_height = rows;
	if (ui->help_top > rows - in.h)
		ui->help_top = rows - in.h;
	if (ui->help_top < 0)
		ui->help_top = 0;
	struct pane sp = pn_scrolled(&in, ui->help_top);
	int r = pn_wrap(&sp, 0, 0, -1, ROLE_NORMAL, help) + 1;
	pn_wrap(&sp, r, 0, -1, ROLE_DIM, help_keys);
	pn_text(&sp, r, 0, ROLE_TITLE, "Keys");
	if (ui->help_top > 0)
		pn_text_right(&in, 0, in.w, ROLE_DIM, glyph(G_UP));
	if (ui->help_top + in.h < rows)
		pn_text_right(&in, in.h - 1, in.w, ROLE_DIM, glyph(G_DOWN));
	free(help);
}

static void
draw_menu(struct ui *ui)
{
	struct view *v = ui->v;
	int w = 60, h = ui_readonly(ui) ? 8 : 10, x = (ui->w - w) / 2, y = (ui->h - h) / 2;
	struct pane in = draw_box(ui, y, x, h, w, ROLE_WARN,
	    ui_readonly(ui) ? "Stop watching?" : "Abort the run?");
	int r = 1;
	char line[160];

	if (!ui_readonly(ui) && !v->finished) {
		pn_text(&in, r, 0, ROLE_DANGER, " y ");
		pn_wrap(&in, r, 4, -1, ROLE_NORMAL, "Abort: the engine stops at the next safe point; "
		    "finished steps stay done, backups stay.");
		r += 3;
	}
	pn_text(&in, r, 0, ROLE_KEY, " d ");
	snprintf(line, sizeof line, "Detach: the upgrade keeps running; come back with "
	    "upwiz attach %s", v->run ? v->run : "RUN-ID");
	r += pn_wrap(&in, r, 4, -1, ROLE_NORMAL, line) + 1;
	pn_text(&in, r, 0, ROLE_KEY, " n ");
	pn_text(&in, r, 4, ROLE_NORMAL, "Keep going (Esc)");
}

void
layout_draw(struct ui *ui)
{
	struct screen *s;
	int mid, log_h, upper, rail_w, maxt = 0;

	ui->cursor_y = ui->cursor_x = -1;
	ui->spin_used = 0;
	ui->clock_shown = 0;
	cv_resize(&ui->cv, ui->w, ui->h);
	ui->too_small = ui->w < MIN_W || ui->h < MIN_H;
	if (ui->too_small) {
		draw_too_small(ui);
		return;
	}
	ui_sync_screens(ui);
	ask_sync(ui);
	s = ui_shown(ui);
	draw_header(ui);

	mid = ui->h - 2;
	if (ui_step_question(s) != NULL)
		log_h = mid / 4;    /* a question waits: it gets the room */
	else if (s->kind->log_large)
		log_h = mid * 11 / 20;
	else
		log_h = mid / 3;
	if (log_h < 5)
		log_h = 5;
	upper = mid - log_h;

	for (size_t i = 0; i < ui->v->nsteps; i++) {
		const struct view_step *st = &ui->v->steps[i];
		int w = tx_width(st->title ? st->title : st->id);
		if (w > maxt)
			maxt = w;
	}
	rail_w = maxt + 4;
	if (rail_w < 18)
		rail_w = 18;
	if (rail_w > ui->w * 27 / 100)
		rail_w = ui->w * 27 / 100;
	{
		struct pane rail = pn_make(&ui->cv, 1, 0, upper, rail_w);
		struct pane all = pn_make(&ui->cv, 0, 0, ui->h, ui->w);
		draw_rail(ui, &rail, s);
		for (int r = 1; r <= upper; r++)
			pn_text(&all, r, rail_w, ROLE_BORDER, glyph(G_VLINE));
	}
	{
		struct pane body = pn_make(&ui->cv, 1, rail_w + 2, upper, ui->w - rail_w - 3);
		draw_body(ui, s, &body);
	}
	{
		struct pane lp = pn_make(&ui->cv, 1 + upper, 0, log_h, ui->w);
		log_draw(ui, &lp);
	}
	draw_keybar(ui, s);
	if (ui->overlay == OV_HELP)
		draw_help(ui, s);
	else if (ui->overlay == OV_MENU)
		draw_menu(ui);
	if (ui->overlay != OV_NONE && !ui->log.typing)
		ui->cursor_y = -1;
}
