/*
 * summary.c: the end of the run. The outcome first, in words and colour (and a glyph, for a
 * monochrome terminal), then the engine's summary text: what was done, the backups, how to
 * restore. q leaves (the loop handles it); the text is also printed after the screen closes,
 * so the restore commands stay in the terminal's scrollback.
 */
#include <string.h>

#include "screens/screens.h"

/* Headings and commands stand out: a line ending in ':' is a heading, a line starting with '$'
 * (after indentation) is a command to copy. */
static int
line_role(const char *line, size_t len)
{
	size_t i = 0;

	while (i < len && line[i] == ' ')
		i++;
	if (i < len && line[i] == '$')
		return ROLE_CMD;
	if (i < len && line[i] == '#')
		return ROLE_TITLE;
	if (len > 0 && line[len - 1] == ':')
		return ROLE_TITLE;
	return ROLE_NORMAL;
}

static int
summary_draw(struct screen *s, const struct pane *p)
{
	const struct view *v = s->v;
	int row = 0, role;
	const char *what;
	size_t failed = 0, skipped = 0, done = 0;

	for (size_t i = 0; i < v->nsteps; i++) {
		if (v->steps[i].state == ST_FAILED)
			failed++;
		else if (v->steps[i].state == ST_SKIPPED)
			skipped++;
		else if (v->steps[i].state == ST_DONE)
			done++;
	}
	if (!v->finished) {
		pn_text(p, 0, 0, ROLE_DIM, "The summary appears when the run is over.");
		return 1;
	}
	if (v->outcome && strcmp(v->outcome, "success") == 0) {
		role = ROLE_OK;
		what = "The upgrade finished successfully.";
	} else if (v->outcome && strcmp(v->outcome, "aborted") == 0) {
		role = ROLE_WARN;
		what = "The run was aborted.";
	} else {
		role = ROLE_DANGER;
		what = "The run failed.";
	}
	pn_text(p, row, 0, role, role == ROLE_OK ? glyph(G_PASS) : role == ROLE_WARN ? glyph(G_WARN) :
	    glyph(G_FAIL));
	row += pn_wrap(p, row, 2, -1, role, what);
	pn_printf(p, row++, 2, ROLE_DIM, "%zu of %zu steps done, %zu skipped, %zu failed; exit code %d",
	    done, v->nsteps, skipped, failed, v->exit_code);
	row++;
	if (v->summary && *v->summary)
		row += ui_text(p, row, 0, ROLE_NORMAL, v->summary, line_role);
	else
		row += ui_para(p, row, 0, ROLE_DIM, "The engine sent no summary text.");
	row++;
	pn_text(p, row++, 0, ROLE_DIM, "q leaves; this summary is printed again in the terminal.");
	return row;
}

const struct screen_kind summary_screen = {
	.name = "summary",
	.draw = summary_draw,
};
