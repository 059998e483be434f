/*
 * checklist.c: things the operator does elsewhere (a web console), ticked one by one. Each item
 * is a box (todo) or a ticked box (pass) with the instruction wrapped and, under it, the
 * detail: when it was ticked, a note. The count says how much is left.
 */
#include <string.h>

#include "screens/screens.h"

static int
checklist_draw(struct screen *s, const struct pane *p)
{
	const struct view_step *st = s->step;
	size_t done = 0;
	int row = 0, n;

	if (st == NULL)
		return 0;
	for (size_t i = 0; i < st->nitems; i++)
		if (st->items[i].status && strcmp(st->items[i].status, "pass") == 0)
			done++;
	if (st->nitems > 0) {
		pn_printf(p, row, 0, done == st->nitems ? ROLE_OK : ROLE_NORMAL, "%zu of %zu done", done,
		    st->nitems);
		row += 2;
	}
	if ((n = ui_para(p, row, 0, ROLE_DIM, st->body)) > 0)
		row += n + 1;
	for (size_t i = 0; i < st->nitems; i++) {
		const struct view_item *it = &st->items[i];
		int ticked = it->status && strcmp(it->status, "pass") == 0;
		int role;
		const char *g = ticked ? glyph(G_DONE_BOX) : ui_status_glyph(s, it->status, &role);

		if (ticked)
			role = ROLE_OK;
		else if (it->status && strcmp(it->status, "todo") == 0)
			role = ROLE_NORMAL;
		if (!ticked && s->focus_row < 0 && ui_live(s))
			s->focus_row = row;
		pn_text(p, row, 0, role, g);
		row += pn_wrap(p, row, 2, -1, ticked ? ROLE_DIM : ROLE_NORMAL, it->name ? it->name : it->key);
		if (it->detail && *it->detail)
			row += pn_wrap(p, row, 4, -1, ROLE_DIM, it->detail);
		if (it->fix && *it->fix && !ticked)
			row += pn_wrap(p, row, 4, -1, ROLE_WARN, it->fix);
	}
	return row;
}

const struct screen_kind checklist_screen = {
	.name = "checklist",
	.draw = checklist_draw,
};
