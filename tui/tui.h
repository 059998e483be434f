/*
 * tui.h: the full-screen wizard, the entry point the CLI calls.
 *
 * The engine runs in its own process; the UI is one of its clients. tui_run() owns the terminal
 * while it runs: it draws the view (core/view.h) that core fills from the engine's events, and
 * sends the operator's answers and commands through core/client.h. It never performs an effect.
 *
 * Keys (the F-keys and Esc/Tab/Ctrl work everywhere, the letters when no text field is open):
 *   Enter, Right, n    continue (a `next` question)
 *   arrows + Enter     choose; an option's key (1, 2, y, r...) picks it, except a dangerous one,
 *                      which needs Enter twice; failure: r retry, s skip, a abort; resume: y / n
 *   typing, ^U, Bksp   text, secret (shown as dots) and confirm (must equal what is shown) fields
 *   Esc, Left/Right    look back at earlier steps, read-only; Enter returns; b asks the engine
 *                      to go back (it decides, and only over steps without effects)
 *   Tab                the log pane: arrows/PgUp/PgDn/Home scroll, End follows, / finds,
 *                      n / N older / newer hit, Esc clears the search
 *   PgUp/PgDn, arrows  scroll the step's screen when nothing else takes them
 *   F1, ?              help for the step (the profile's text)
 *   F3, v              the whole log in $PAGER (default less +G)
 *   F5, c              copy the last error: OSC 52 to the terminal and a file in /tmp
 *   q, Ctrl-C, F10     abort the run (asked first) or detach; on the summary: leave
 *   d                  detach: the engine keeps going
 *   Ctrl-L             repaint
 */
#ifndef UPWIZ_TUI_H
#define UPWIZ_TUI_H

#include "core/client.h"
#include "core/view.h"

struct tui_opts {
	int readonly;                   /* watch mode: never answers */
	const char *log_path;           /* the run's full log file, for the $PAGER key; may be NULL */
	const char *profile_help_dir;   /* unused for now, may be NULL */
	const char *record_dir;         /* record the screen into RECORD_DIR/screen-N.cast (tui/record.h); NULL: no */
	const char *record_title;       /* the recording's title; may be NULL */
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
