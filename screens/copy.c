/*
 * copy.c: a file put in place: where it comes from, its checksum checked, where it goes (and
 * what was moved aside). Items carry each of these; the bar shows a download. Details wrap, as
 * paths are long and the part that differs is usually at the end.
 */
#include "screens/screens.h"

static int
copy_draw(struct screen *s, const struct pane *p)
{
	const struct view_step *st = s->step;
	static const struct items_opts io = { .show_fix = 1, .detail_below = 1,
		.empty = "Nothing copied yet." };
	int row = 0, n;

	if (st == NULL)
		return 0;
	if ((n = ui_progress(s, p, row, st)) > 0)
		row += n + 1;
	if ((n = ui_para(p, row, 0, ROLE_DIM, st->body)) > 0)
		row += n + 1;
	row += ui_items(s, p, row, st, &io);
	return row;
}

const struct screen_kind copy_screen = {
	.name = "copy",
	.draw = copy_draw,
};
