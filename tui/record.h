/*
 * record.h: the full-screen UI records what it sends to the terminal (asciicast v2, core/cast.h).
 *
 * How the bytes are caught: ncurses writes its output with write(2) on the file descriptor of
 * the FILE* given to newterm(), and sets terminal modes on that descriptor, or on stderr when
 * that descriptor is stdout and not a terminal (ncurses' own rule for a redirected stdout).
 * rec_begin() therefore keeps a duplicate of the real terminal, puts a pipe on fd 1, and
 * newterm(stdout) then draws into the pipe while raw()/noecho()/the window size still work on
 * the terminal through fd 2. A relay thread copies the pipe to the terminal as bytes arrive (so
 * a frame larger than the pipe never blocks), and after every doupdate() rec_frame() drains the
 * pipe to the end (a pipe write is complete when write(2) returns) and writes everything sent
 * since the previous frame as one "o" event: one event per frame actually sent. The pager runs
 * with fd 1 given back to the terminal (rec_suspend/rec_resume): it is not recorded.
 *
 * Recording needs stderr on the same terminal (it is, in every interactive session); otherwise,
 * or when the run folder is not writable (a watcher of another user's run), or with
 * UPWIZ_RECORD=0, the UI runs unrecorded. Nothing here is ever fatal to the UI.
 *
 * Markers: rec_step_markers() is called after each frame and writes "STEP-ID STATE" when a
 * step starts (running; waiting counts as running) or ends (done, failed, skipped); a step that
 * started and ended between two frames gets both markers.
 *
 * Text on the screen is what the engine sent, already redacted (core/events.c); the secret a
 * user types is drawn as dots. Keys are never recorded.
 */
#ifndef UPWIZ_TUI_RECORD_H
#define UPWIZ_TUI_RECORD_H

struct view;

/* Asks term_start() to record into RUN_DIR/screen-N.cast (the first free N). */
void rec_want(const char *run_dir, const char *title);
/* Called by term_start() before newterm(): 1 recording (fd 1 is the pipe now), 0 not. */
int rec_begin(void);
/* The real terminal: for the window size ioctl. */
int rec_tty_fd(void);
int rec_active(void);
void rec_frame(void);
void rec_resize(int w, int h);
void rec_step_markers(const struct view *v);
void rec_suspend(void);
void rec_resume(void);
/* Drains, stops the relay, gives fd 1 back, closes the file. Idempotent. */
void rec_end(void);
/* The path of the recording (also after rec_end), or NULL. Borrowed. */
const char *rec_path(void);

#endif
