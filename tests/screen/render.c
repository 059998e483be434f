/*
 * render.c: draws one frame of the full-screen UI without a terminal, as text.
 *
 *   render [-w COLS] [-h ROWS] [-n LINES] [-r] [-k KEYS] EVENTS.jsonl
 *
 * Applies the first LINES events of the file (all by default) to a view, then runs the same
 * layout code tui_run() uses and prints the canvas rows. -r draws as a watcher. -k feeds keys
 * before the frame, one character each (e.g. -k $'\x1b' for Esc), without a socket: answers go
 * nowhere. The layout is curses-free (only tui/term.c and tui/theme.c touch curses), which is
 * what makes this possible; t_render.sh compares frames with golden files and checks widths.
 *
 * Built by the screen tests with cc against the upwiz_tui and upwiz_core libraries.
 */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/client.h"
#include "core/util.h"
#include "core/view.h"
#include "tui/text.h"
#include "tui/ui_int.h"

int
main(int argc, char **argv)
{
	int w = 80, h = 24, opt, readonly = 0;
	long max = -1, n = 0;
	const char *keys = "";
	struct view v;
	struct tui_opts o = { 0 };
	struct ui ui;
	FILE *f;
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;

	setlocale(LC_ALL, "");
	tx_set_utf8(1);
	while ((opt = getopt(argc, argv, "w:h:n:rk:a")) != -1) {
		switch (opt) {
		case 'w': w = atoi(optarg); break;
		case 'h': h = atoi(optarg); break;
		case 'n': max = atol(optarg); break;
		case 'r': readonly = 1; break;
		case 'k': keys = optarg; break;
		case 'a': tx_set_utf8(0); break;
		default:
			fprintf(stderr, "usage: render [-w COLS] [-h ROWS] [-n LINES] [-r] [-a] [-k KEYS] EVENTS\n");
			return 2;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "render: no events file\n");
		return 2;
	}
	f = fopen(argv[optind], "r");
	if (f == NULL) {
		perror(argv[optind]);
		return 2;
	}
	view_init(&v, 2000);
	while ((max < 0 || n < max) && (len = getline(&line, &cap, f)) > 0) {
		if (line[len - 1] == '\n')
			line[--len] = '\0';
		view_apply(&v, line, (size_t)len);
		n++;
	}
	free(line);
	fclose(f);

	o.readonly = readonly;
	memset(&ui, 0, sizeof ui);
	ui.v = &v;
	ui.o = &o;
	ui.review = -1;
	ui.log.follow = 1;
	ui.ask.sel = -1;
	ui.w = w;
	ui.h = h;
	ui.now = v.started > 0 ? v.started + 75 : 0;
	if (v.finished)
		ui.finished_at = ui.now;
	cv_init(&ui.cv);
	layout_draw(&ui);
	for (const char *k = keys; *k; k++) {
		struct key key = { ACT_CHAR, (uint32_t)(unsigned char)*k };
		if (*k == 27)
			key.act = ACT_ESC;
		else if (*k == '\t')
			key.act = ACT_TAB;
		else if (*k == '\r')
			key.act = ACT_ENTER;
		else if (*k == 'U')
			key.act = ACT_UP;
		else if (*k == 'D')
			key.act = ACT_DOWN;
		/* The loop's review and question keys, reduced to what a frame needs. */
		if (key.act == ACT_ESC && ui.review < 0) {
			for (int i = v.current - 1; i >= 0; i--)
				if (v.steps[i].state != ST_PENDING) {
					ui.review = i;
					break;
				}
		} else if (key.act == ACT_TAB) {
			ui.log.focus = !ui.log.focus;
		} else {
			ask_sync(&ui);
			ask_key(&ui, &key);
		}
		layout_draw(&ui);
	}
	for (int y = 0; y < h; y++) {
		char *row = cv_row_text(&ui.cv, y);
		printf("%s\n", row);
		free(row);
	}
	ask_clear(&ui.ask);
	ui_free_screens(&ui);
	cv_free(&ui.cv);
	free(ui.flash);
	view_free(&v);
	return 0;
}

/* The question widget sends answers through the client; here there is none. */
int
client_answer(struct client *c, const char *qid, const char *value)
{
	(void)c;
	(void)qid;
	(void)value;
	return 0;
}
