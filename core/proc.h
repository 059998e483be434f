/*
 * proc.h: child processes, read line by line through a pipe or a pseudo-terminal.
 *
 * A child is an opaque job (tmux job.c): the caller polls proc_fd() in its own loop and
 * calls proc_pump() when it is readable, or lets proc_wait()/proc_run() block. Output is
 * cut into lines here so every consumer (engine events, recorder, tests) sees the same
 * lines; a pty prompt without a newline ("Continue? [y/n]") stays visible through
 * proc_partial() so a screen can show it and answer with proc_write().
 *
 * The child runs in its own process group (its own session with a pty) so that a
 * time-out or a cancel kills the whole tree, with default signal dispositions, an
 * empty signal mask and no inherited descriptor above 2. argv[0] is resolved on PATH
 * in the parent, so "not found" is a clean error from proc_start, not exit code 127.
 */
#ifndef UPWIZ_PROC_H
#define UPWIZ_PROC_H

#include <stddef.h>
#include <sys/types.h>

/* A line without its '\n' (every '\r' removed); valid during the call only. A longer line comes
 * in pieces of exactly PROC_LINE_MAX bytes, then the rest. */
#define PROC_LINE_MAX (64 * 1024)
typedef void (*proc_line_fn)(void *ud, const char *line, size_t len);

/* stdin_fd value (addition): a pipe the parent writes with proc_write()/proc_stdin_fd(). */
#define PROC_STDIN_PIPE (-2)

struct proc_opts {
	const char *const *argv;      /* argv[0] looked up in PATH; never a shell unless the caller passes sh -c */
	const char *cwd;              /* NULL: inherit */
	const char *const *env_set;   /* "K=V" added/replaced in the child's environment, NULL-terminated, may be NULL */
	const char *const *env_unset; /* names removed from the child's environment; "PREFIX*" removes every name
	                                 starting with PREFIX (e.g. "UPWIZ_VAR_*") */
	int use_pty;                  /* 1: a pseudo-terminal (own session, controlling tty), so scripts that ask
	                                 y/n questions behave as on a terminal; stdin is the pty */
	int stdin_fd;                 /* -1: /dev/null (ignored with a pty); PROC_STDIN_PIPE; else dup'ed onto the
	                                 child's stdin. NB: 0 means "the parent's stdin", set it explicitly */
	int stderr_separate;          /* 0: stderr merged into the output stream (default); 1: a second pipe,
	                                 see proc_err_fd()/proc_pump_err()/proc_err_tail() */
	/* additions */
	int output_fd;                /* 0: a pipe read with proc_pump (default); >2: the child's stdout (and stderr
	                                 unless stderr_separate) go to this fd instead and proc_fd() is -1 */
	int death_signal;             /* 0: none; else PR_SET_PDEATHSIG: the child gets this signal when the
	                                 THREAD that started it exits */
};

struct proc;  /* opaque */

/* NULL + cause (caller frees) on failure, e.g. "hdfs: not found", "chdir /x: No such file or directory". */
struct proc *proc_start(const struct proc_opts *o, char **cause);
int proc_fd(const struct proc *p);          /* read end (non-blocking, O_CLOEXEC) for poll(); -1 with output_fd */
/*
 * Reads what is available; calls fn (may be NULL) once per complete line (CR stripped, a final
 * partial line flushed at EOF, lines over 64 KiB split). Returns 1 while more may come, 0 at EOF,
 * -1 on error. A caller that wants raw bytes may read() proc_fd() itself instead.
 */
int proc_pump(struct proc *p, proc_line_fn fn, void *ud);
/* The pending unterminated text (a pty prompt like "Continue? [y/n]"), CR removed; borrowed, valid until
 * the next pump. *len may be NULL. */
const char *proc_partial(const struct proc *p, size_t *len);
/* Writes all of buf to the child's stdin (pty or PROC_STDIN_PIPE). Waits (poll) while the pipe is full, up to
 * 30 s. 0, or -1 with errno (EPIPE when the child closed its stdin; never raises SIGPIPE). */
int proc_write(struct proc *p, const void *buf, size_t len);
/*
 * Waits up to timeout_ms (-1 forever) for exit, pumping output (and separate stderr into the tail) to fn
 * meanwhile. After the exit, output already written is delivered (a grandchild that keeps the pipe open is not
 * waited for beyond 200 ms). Returns 1 exited (*wstatus set, may be NULL), 0 timed out, -1 error.
 */
int proc_wait(struct proc *p, int timeout_ms, proc_line_fn fn, void *ud, int *wstatus);
/* To the child's whole process group, also after the child itself exited (daemons it left in the group). */
void proc_kill(struct proc *p, int sig);
pid_t proc_pid(const struct proc *p);
/* Kills the group (SIGTERM, then SIGKILL after 2 s) if the child is still running, reaps, closes. A child that
 * already exited is not signalled, nor are daemons it left behind. NULL is fine. */
void proc_free(struct proc *p);
/*
 * Convenience: start, stream every line to fn, wait up to timeout_ms (-1 forever; on expiry kill the group and
 * return -1 with cause "timed out after N s"). *exit_code: exit status, or 128+signal. A non-zero exit status is
 * not an error here (returns 0).
 */
int proc_run(const struct proc_opts *o, int timeout_ms, proc_line_fn fn, void *ud, int *exit_code, char **cause);

/* ---- additions */
int proc_err_fd(const struct proc *p);                       /* -1 unless stderr_separate */
int proc_pump_err(struct proc *p, proc_line_fn fn, void *ud); /* as proc_pump, for separate stderr */
/* The last lines of separate stderr (up to ~4 KiB, '\n'-joined), kept whatever fn was passed; borrowed. "" if none. */
const char *proc_err_tail(const struct proc *p);
int proc_stdin_fd(const struct proc *p);  /* the write end (non-blocking) for poll(POLLOUT), or -1 */
void proc_close_stdin(struct proc *p);    /* EOF to the child (PROC_STDIN_PIPE); no-op otherwise */
int proc_exited(struct proc *p, int *wstatus); /* non-blocking: 1 reaped (now or before), 0 running */
int proc_exit_code(int wstatus);          /* exit status, or 128+signal */

#endif
