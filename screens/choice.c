/*
 * choice.c: a question that decides the path (keep or clear the tables). The question is the
 * content here, so this kind places it itself and large: the prompt, the explanation (the
 * step's body), then the options with air between them. A dangerous option is drawn in the
 * danger colour with a DANGER tag; the question widget (tui/widgets.c) never pre-selects it,
 * never lets its hotkey commit to it, and asks for a second Enter with the warning shown.
 */
#include <string.h>

#include "screens/screens.h"

static int
choice_draw(struct screen *s, const struct pane *p)
{
	const struct view_step *st = s->step;
	const struct view_question *q = ui_step_question(s);
	int row = 0, n;

	if (st == NULL)
		return 0;
	if ((n = ui_para(p, row, 0, ROLE_NORMAL, st->body)) > 0)
		row += n + 1;
	if (q != NULL)
		return row + ui_question(s, p, row, 1);
	if (st->nitems > 0) {
		row += ui_items(s, p, row, st, NULL);
	} else if (st->state == ST_DONE) {
		row += pn_wrap(p, row, 0, -1, ROLE_OK, "Answered.");
	} else if (st->state == ST_PENDING) {
		row += pn_wrap(p, row, 0, -1, ROLE_DIM, "The question comes when the run gets here.");
	} else if (st->state == ST_RUNNING) {
		pn_text(p, row, 0, ROLE_PROGRESS, ui_live(s) ? ui_spinner(s) : glyph(G_RUN));
		row += pn_wrap(p, row, 2, -1, ROLE_DIM, "Waiting for the question...");
	}
	return row;
}

const struct screen_kind choice_screen = {
	.name = "choice",
	.own_question = 1,
	.draw = choice_draw,
};
