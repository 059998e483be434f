/*
 * envcheck.c: the environment checks as a table: status glyph (✓ ! ✗, or + ! X on a terminal
 * that is not UTF-8), name, detail; under a failed or warned check, how to fix it. A count line
 * above says at a glance whether the host is ready, which is the only thing that matters at
 * 3 a.m.; the table below says why not.
 */
#include <stdio.h>

#include "screens/screens.h"

static int
envcheck_draw(struct screen *s, const struct pane *p)
{
	const struct view_step *st = s->step;
	static const struct items_opts io = { .show_fix = 1, .name_min = 12,
		.empty = "The checks have not started yet." };
	size_t pass, warn, fail, run, total;
	int row = 0, c = 0, n;

	if (st == NULL)
		return 0;
	total = ui_item_counts(st, &pass, &warn, &fail, &run);
	if (total > 0) {
		c = pn_printf(p, row, c, pass == total ? ROLE_OK : ROLE_NORMAL, "%zu/%zu passed", pass, total);
		if (warn)
			c = pn_printf(p, row, c + 2, ROLE_WARN, "%zu warning%s", warn, warn == 1 ? "" : "s");
		if (fail)
			c = pn_printf(p, row, c + 2, ROLE_DANGER, "%zu failed", fail);
		if (run)
			pn_printf(p, row, c + 2, ROLE_PROGRESS, "%zu running", run);
		row += 2;
	}
	if ((n = ui_progress(s, p, row, st)) > 0)
		row += n + 1;
	if (st->body && *st->body)
		row += ui_para(p, row, 0, ROLE_DIM, st->body) + 1;
	row += ui_items(s, p, row, st, &io);
	return row;
}

const struct screen_kind envcheck_screen = {
	.name = "envcheck",
	.draw = envcheck_draw,
};
