/*
 * verify.c: the checks after the upgrade, live: each check an item that spins while it polls
 * (Eureka takes minutes to list every service) and settles to ✓ or ✗ with the reason and the
 * fix. The count line on top is the verdict.
 */
#include "screens/screens.h"

static int
verify_draw(struct screen *s, const struct pane *p)
{
	const struct view_step *st = s->step;
	static const struct items_opts io = { .show_fix = 1, .name_min = 14,
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
			pn_printf(p, row, c + 2, ROLE_PROGRESS, "%zu checking", run);
		row += 2;
	}
	if ((n = ui_progress(s, p, row, st)) > 0)
		row += n + 1;
	if ((n = ui_para(p, row, 0, ROLE_DIM, st->body)) > 0)
		row += n + 1;
	row += ui_items(s, p, row, st, &io);
	return row;
}

const struct screen_kind verify_screen = {
	.name = "verify",
	.draw = verify_draw,
};
