/*
 * tokensync.c: keys in .properties files set to the database's tokens. The items say per file
 * what happened; the body is the diff (tokens already masked by the engine: a prefix and the
 * last characters), removed lines in the danger colour, added lines in the ok colour, so the
 * change can be read before it is written.
 */
#include <string.h>

#include "screens/screens.h"

static int
diff_role(const char *line, size_t len)
{
	if (len >= 3 && (strncmp(line, "---", 3) == 0 || strncmp(line, "+++", 3) == 0))
		return ROLE_TITLE;
	if (len >= 2 && strncmp(line, "@@", 2) == 0)
		return ROLE_PROGRESS;
	if (len >= 1 && line[0] == '-')
		return ROLE_DANGER;
	if (len >= 1 && line[0] == '+')
		return ROLE_OK;
	return ROLE_DIM;
}

static int
tokensync_draw(struct screen *s, const struct pane *p)
{
	const struct view_step *st = s->step;
	static const struct items_opts io = { .show_fix = 1 };
	int row = 0, n;

	if (st == NULL)
		return 0;
	if ((n = ui_progress(s, p, row, st)) > 0)
		row += n + 1;
	if ((n = ui_items(s, p, row, st, &io)) > 0)
		row += n + 1;
	if (st->body && *st->body) {
		row += ui_heading(p, row, "Changes");
		row += ui_text(p, row, 0, ROLE_NORMAL, st->body, diff_role);
	} else if (st->state == ST_PENDING || st->state == ST_RUNNING) {
		row += pn_wrap(p, row, 0, -1, ROLE_DIM, "The changes appear here before they are written.");
	}
	return row;
}

const struct screen_kind tokensync_screen = {
	.name = "tokensync",
	.draw = tokensync_draw,
};
