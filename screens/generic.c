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
		/* Before the first step: the engine builds a sandbox, resolves variables, asks. The
		 * newest log line says what it is doing. */
		const struct view_log_line *l = view_log_at(s->v, 0);
		int q = ui_step_question(s) != NULL;
		if (!q)
			pn_text(p, 0, 0, ROLE_PROGRESS, ui_spinner(s));
		pn_text(p, 0, q ? 0 : 2, ROLE_NORMAL, s->v->nsteps == 0 ?
		    "Waiting for the engine to describe the run..." :
		    q ? "Before the first step, the engine needs to know:" : "Preparing the run...");
		if (l != NULL && !q)
			return 2 + ui_para(p, 2, 2, ROLE_DIM, l->text);
		return 1;
	}
	if ((n = ui_progress(s, p, row, st)) > 0)
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
