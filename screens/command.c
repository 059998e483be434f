/*
 * command.c: a command runs (start-all) and its output is the news, so this kind gives the log
 * pane most of the height (log_large). The top shows the command (the body; lines starting with
 * '$' as commands), the spinner or bar, and the milestones the engine recognised in the output
 * as items (each service started, each one that did not).
 */
#include "screens/screens.h"

static int
cmd_role(const char *line, size_t len)
{
	size_t i = 0;

	while (i < len && line[i] == ' ')
		i++;
	return (i < len && line[i] == '$') ? ROLE_CMD : ROLE_NORMAL;
}

static int
command_draw(struct screen *s, const struct pane *p)
{
	const struct view_step *st = s->step;
	static const struct items_opts io = { .show_fix = 1 };
	int row = 0, n;

	if (st == NULL)
		return 0;
	if ((n = ui_text(p, row, 0, ROLE_CMD, st->body, cmd_role)) > 0)
		row += n;
	if ((n = ui_progress(s, p, row, st)) > 0)
		row += n;
	if (row > 0)
		row++;
	row += ui_items(s, p, row, st, &io);
	return row;
}

const struct screen_kind command_screen = {
	.name = "command",
	.log_large = 1,
	.draw = command_draw,
};
