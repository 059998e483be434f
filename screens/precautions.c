/*
 * precautions.c: the guide's precautions, numbered, before anything happens.
 *
 * The precautions come as items (one per precaution, the engine's usual shape) or as lines of
 * the body; a body that also comes with items is an introduction shown above them. Each
 * precaution is one numbered paragraph with a hanging indent, so a long one reads as one thing.
 * The acknowledgement is the step's question (usually `next`), in the box below.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "screens/screens.h"

/* One numbered entry; returns rows. */
static int
entry(const struct pane *p, int row, int num, int numw, const char *text, int role)
{
	char n[16];

	snprintf(n, sizeof n, "%*d.", numw, num);
	pn_text(p, row, 0, ROLE_TITLE, n);
	return pn_wrap(p, row, numw + 2, -1, role, text);
}

/* Strips a list marker the text may already carry ("1.", "2)", "-", "*"). */
static const char *
unmark(const char *s)
{
	const char *t = s;

	while (*t == ' ')
		t++;
	if (*t >= '0' && *t <= '9') {
		while (*t >= '0' && *t <= '9')
			t++;
		if ((*t == '.' || *t == ')') && t[1] == ' ')
			return t + 2;
		return s;
	}
	if ((*t == '-' || *t == '*') && t[1] == ' ')
		return t + 2;
	return s;
}

static int
precautions_draw(struct screen *s, const struct pane *p)
{
	const struct view_step *st = s->step;
	int row = 0;

	if (st == NULL)
		return 0;
	if (st->nitems > 0) {
		int numw = st->nitems >= 10 ? 2 : 1;
		/* A body that repeats the items (the engine may send both) is not shown twice. */
		if (st->body && *st->body && !(st->items[0].name && *st->items[0].name &&
		    strstr(st->body, st->items[0].name) != NULL))
			row += ui_para(p, row, 0, ROLE_DIM, st->body) + 1;
		for (size_t i = 0; i < st->nitems; i++) {
			const struct view_item *it = &st->items[i];
			const char *text = it->name && *it->name ? it->name : it->detail;
			int role = it->status && strcmp(it->status, "warn") == 0 ? ROLE_WARN : ROLE_NORMAL;
			row += entry(p, row, (int)i + 1, numw, unmark(text ? text : ""), role);
			if (it->name && *it->name && it->detail && *it->detail)
				row += pn_wrap(p, row, numw + 4, -1, ROLE_DIM, it->detail);
		}
		return row;
	}
	if (st->body && *st->body) {
		/* One precaution per line; indented lines continue the previous one. */
		struct strbuf cur = STRBUF_INIT;
		const char *l = st->body;
		int num = 0, count = 0;

		for (const char *c = st->body; *c; c++)
			if (*c == '\n' && c[1] != '\0' && c[1] != ' ' && c[1] != '\n')
				count++;
		count++;
		for (;;) {
			const char *nl = strchr(l, '\n');
			size_t len = nl ? (size_t)(nl - l) : strlen(l);
			int cont = len > 0 && l[0] == ' ' && cur.len > 0;
			if (!cont && cur.len > 0) {
				row += entry(p, row, ++num, count >= 10 ? 2 : 1, unmark(cur.s), ROLE_NORMAL);
				sb_reset(&cur);
			}
			if (len > 0) {
				if (cont)
					sb_addc(&cur, ' ');
				while (cont && len > 0 && *l == ' ') {
					l++;
					len--;
				}
				sb_add(&cur, l, len);
			}
			if (nl == NULL)
				break;
			l = nl + 1;
		}
		if (cur.len > 0)
			row += entry(p, row, ++num, count >= 10 ? 2 : 1, unmark(cur.s), ROLE_NORMAL);
		sb_free(&cur);
		return row;
	}
	pn_text(p, 0, 0, ROLE_DIM, "No precautions were given for this upgrade.");
	return 1;
}

const struct screen_kind precautions_screen = {
	.name = "precautions",
	.draw = precautions_draw,
};
