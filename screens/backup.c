/*
 * backup.c: the backups, and how to get back. One item per artefact (a database dump, a
 * tarball) with its size and checksum in the detail; the progress bar while dumping; under
 * them the restore commands from the body, commands in their own colour and wrapped rather than
 * cut, because an operator who needs them will copy them whole.
 */
#include <string.h>

#include "screens/screens.h"

static int
cmd_role(const char *line, size_t len)
{
	size_t i = 0;

	while (i < len && line[i] == ' ')
		i++;
	if (i < len && line[i] == '$')
		return ROLE_CMD;
	if (len > 0 && line[len - 1] == ':')
		return ROLE_TITLE;
	return ROLE_NORMAL;
}

static int
backup_draw(struct screen *s, const struct pane *p)
{
	const struct view_step *st = s->step;
	static const struct items_opts io = { .show_fix = 1, .name_min = 14,
		.empty = "No backup has been written yet." };
	int row = 0, n;

	if (st == NULL)
		return 0;
	if ((n = ui_progress(s, p, row, st)) > 0)
		row += n + 1;
	row += ui_heading(p, row, "Backups");
	row += ui_items(s, p, row, st, &io);
	if (st->body && *st->body) {
		/* Before the backup the body is its plan; once one is written, the plan with the
		 * commands that restore it. */
		row++;
		row += ui_heading(p, row, st->nitems ? "How to restore" : "What will be backed up");
		row += ui_text(p, row, 0, ROLE_NORMAL, st->body, cmd_role);
	}
	return row;
}

const struct screen_kind backup_screen = {
	.name = "backup",
	.draw = backup_draw,
};
