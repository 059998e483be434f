/*
 * tui.h: the full-screen wizard, the entry point the CLI calls.
 *
 * The engine runs in its own process; the UI is one of its clients. tui_run() owns the terminal
 * while it runs: it draws the view (core/view.h) that core fills from the engine's events, and
 * sends the operator's answers and commands through core/client.h. It never performs an effect.
 */
#ifndef UPWIZ_TUI_H
#define UPWIZ_TUI_H

#include "core/client.h"
#include "core/view.h"

struct tui_opts {
	int readonly;                   /* watch mode: never answers */
	const char *log_path;           /* the run's full log file, for the $PAGER key; may be NULL */
	const char *profile_help_dir;   /* unused for now, may be NULL */
};

/*
 * Runs the full-screen UI until the run finishes and the operator leaves (q on the summary), or
 * the operator detaches (d; the engine keeps going), or the engine goes away. Restores the
 * terminal in every path (also through fatal_set_hook). Returns the run's exit code
 * (view.exit_code) when finished, 1 when the engine vanished mid-run, 0 when the operator
 * detached on purpose (prints after endwin how to re-attach: "upwiz attach RUN-ID").
 * Returns 2 without touching the terminal when stdin/stdout is not a terminal (a message on
 * stderr says why). `v` may already hold events (the CLI may have pumped the hello).
 */
int tui_run(struct client *c, struct view *v, const struct tui_opts *o);

#endif
