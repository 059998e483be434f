/*
 * sqlapply.c: statements applied to the database. A bar counts statements (n/N), the label
 * under it names the file and statement being run, and one item per file says how far each
 * got. When a statement fails the failure comes first: the engine's detail (the statement, its
 * line, the server's error code and message) in full, wrapped, above the files, and the box
 * below offers r retry / s skip / a abort. The detail is drawn here rather than in the box
 * (question_detail_in_body) so a long statement can scroll instead of being cut.
 */
#include <string.h>

#include "screens/screens.h"

static int
detail_role(const char *line, size_t len)
{
	(void)line;
	(void)len;
	return ROLE_NORMAL;
}

static int
sqlapply_draw(struct screen *s, const struct pane *p)
{
	const struct view_step *st = s->step;
	const struct view_question *q = ui_step_question(s);
	static const struct items_opts io = { .show_fix = 1, .name_min = 16,
		.empty = "No statement has run yet." };
	int row = 0, n;

	if (st == NULL)
		return 0;
	/* A failure comes first: it is what the operator has to decide about. */
	if (q != NULL && q->detail && *q->detail) {
		int failure = q->kind && strcmp(q->kind, "failure") == 0;
		s->focus_row = row;
		if (failure) {
			pn_text(p, row, 0, ROLE_DANGER, glyph(G_FAIL));
			row += pn_wrap(p, row, 2, -1, ROLE_DANGER, "What failed");
		}
		row += ui_text(p, row, 2, ROLE_NORMAL, q->detail, detail_role);
		row++;
	}
	if ((n = ui_progress(s, p, row, st)) > 0)
		row += n + 1;
	if (st->body && *st->body)
		row += ui_para(p, row, 0, ROLE_DIM, st->body) + 1;
	row += ui_heading(p, row, "Files");
	row += ui_items(s, p, row, st, &io);
	return row;
}

const struct screen_kind sqlapply_screen = {
	.name = "sqlapply",
	.question_detail_in_body = 1,
	.draw = sqlapply_draw,
};
