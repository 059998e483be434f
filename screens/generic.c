/*
 * generic.c: the screen for a kind this build does not know (a newer profile), and the screen
 * shown before the engine's hello. It shows what every step can carry: progress, the body text
 * and the items with their fixes, so nothing the engine sends is invisible.
 */
#include "screens/screens.h"

static int
generic_draw(struct screen *s, const struct pane *p)
{
	const struct view_step *st = s->step;
	static const struct items_opts io = { .show_fix = 1 };
	int row = 0, n;

	if (st == NULL) {
		pn_text(p, 0, 0, ROLE_PROGRESS, ui_spinner(s));
		pn_text(p, 0, 2, ROLE_NORMAL, "Waiting for the engine to describe the run...");
		return 1;
	}
	if ((n = ui_progress(s, p, row, st, NULL)) > 0)
		row += n + 1;
	if ((n = ui_para(p, row, 0, ROLE_NORMAL, st->body)) > 0)
		row += n + 1;
	row += ui_items(s, p, row, st, &io);
	if (row == 0 && st->state == ST_PENDING) {
		pn_text(p, 0, 0, ROLE_DIM, "This step has not started yet.");
		row = 1;
	}
	return row;
}

const struct screen_kind generic_screen = {
	.name = "generic",
	.draw = generic_draw,
};
