/*
 * run.h: what an action sees of the running engine.
 *
 * One `struct run` per engine process. Steps run on the engine's worker thread; each step kind
 * has one function in core/actions/ (`int act_KIND(struct run *r, const struct pstep *s)`),
 * which reports only through the ev_* calls below and asks only through run_ask(). Those go to
 * the hub (core/hub.c): redacted, journaled in the event stream, broadcast to every attached
 * front end, kept for a front end that attaches later. An action never prints, never touches a
 * terminal, and never sees a client.
 *
 * Return values of actions: STEP_OK, STEP_FAILED (the engine then offers retry/skip/abort),
 * STEP_SKIPPED, STEP_ABORT (stop the run: operator abort or an exit option), STEP_EXIT_CLEAN,
 * STEP_UNDO (the operator chose roll-back at a failure inside the action, run_ask_failure's
 * 'u': the action lets go of what it holds and returns; the engine asks for the typed
 * confirmation and rolls back, core/rollback.c).
 */
#ifndef UPWIZ_RUN_H
#define UPWIZ_RUN_H

#include <pthread.h>
#include <stdarg.h>

#include "core/db.h"
#include "core/profile.h"
#include "core/redact.h"
#include "core/vars.h"

enum step_result { STEP_OK, STEP_FAILED, STEP_SKIPPED, STEP_ABORT, STEP_EXIT_CLEAN, STEP_UNDO };

struct hub;
struct journal;
struct answers;

struct run {
	struct profile *prof;       /* owned */
	struct vars *vars;          /* owned */
	struct redactor *red;       /* owned */
	struct answers *answers;    /* owned; NULL when attended */
	struct hub *hub;            /* owned */
	struct journal *jr;         /* owned */
	char *run_id, *run_dir, *state_dir, *log_path;
	int sandbox;                /* guard on: see core/guard.h */
	const struct pstep *step;   /* the step running now (borrowed from prof) */
	size_t iter;                /* the foreach iteration running (1-based), 0 outside one: scopes item keys */
	int backup_verified;        /* a verified backup of the database and folders exists */
	int risk_acknowledged;      /* the operator typed the acknowledgement to go on without one */
	char *backup_db_path, *backup_restore_cmd;   /* for the summary and roll-back */
	struct strvec backups;      /* "what: path (sha256 ...)" lines for the summary */
	struct strvec done_notes;   /* one line per completed effect, for the summary */
	struct strvec file_retries; /* failure questions the answers file answered `retry` or `undo`, once per time */
	volatile int abort_requested;
	int resume_stmt_file, resume_stmt_index; /* sqlapply resumes here (-1: from the start) */
	double *step_t0, *step_t1;  /* per step: wall clock when it last began running and when it ended (0: not
	                             * in this run), for the summary (core/events.c ev_step keeps them) */
	double *step_asked;         /* per step: seconds of that run spent waiting for the operator's answers */
	unsigned char *step_rev;    /* per step: 0 not yet told, 1 irreversible, 2 reversible (core/rollback.c) */
	int refused;                /* an action found another run holding the target (GET_LOCK): exit 3 */
	char *db_error;             /* why the last run_db_open failed, for the question after it (or NULL) */
	double started_at;          /* wall clock when the engine started: the hello's `started` */
	char *target;               /* owned; the expanded target, NULL until the variables are resolved */
	struct strbuf out_carry;    /* the end of a cut child line held back by ev_output (a secret may begin there) */
};

/* ---- events (all text is redacted before it leaves the engine) */
void ev_step(struct run *r, const char *id, const char *state, const char *note);
void ev_item(struct run *r, const char *key, const char *name, const char *status, const char *detail, const char *fix);
void ev_body(struct run *r, const char *text);
/* unit: what done and total count, for the bar's figures: "bytes", "s", a noun ("statements"),
 * or "" (a plain count, the label says of what). */
void ev_progress(struct run *r, double done, double total, const char *unit, const char *label);
void ev_log(struct run *r, const char *level, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void ev_logv(struct run *r, const char *level, const char *fmt, va_list ap);
/* A line of a child's output: sanitised (control characters and invalid UTF-8 replaced) and logged as "out".
 * A piece of a cut line (PROC_LINE_MAX bytes) may hold back its end for the next one (a secret may begin
 * there); ev_output_end says the child is done and logs what is still held. */
void ev_output(struct run *r, const char *line, size_t len);
void ev_output_end(struct run *r);
/* The run's target is known (variables resolved): front ends update their header. */
void ev_target(struct run *r);

/* ---- questions */
struct ask_option { const char *key, *label; int danger; };
struct ask {
	const char *qid;            /* unique in the run; the answers file is keyed by it (step id, or "STEP.confirm") */
	const char *kind;           /* next, choice, confirm, text, secret, failure, resume */
	const char *prompt, *detail, *def, *expect;
	const struct ask_option *options;
	size_t noptions;
};
/* Asks and waits. Returns the answer (caller frees), or NULL when the run must stop: the operator
 * aborted, or the run is unattended and the answers file has no answer (the engine then ends with
 * exit 1 naming the step and the question). A dangerous choice is never taken by default. */
char *run_ask(struct run *r, const struct ask *q);
/* The failure question (retry / skip / abort, and undo when roll-back is possible) after an error;
 * returns 'r', 's', 'a' or 'u'. */
int run_ask_failure(struct run *r, const char *qid, const char *what);
/* The same without skip, for a failure there is nothing to skip past (the connection to the
 * database is lost in the middle of a script): returns 'r', 'a' or 'u'. */
int run_ask_failure_noskip(struct run *r, const char *qid, const char *what);

/* ---- journal (fsync'd JSON lines in RUN_DIR/journal.jsonl): an effect is journaled before it is reported done */
void run_journal(struct run *r, const char *type, const char *fmt, ...);   /* fmt: JSON object members, e.g. "\"file\":%d" */
/* The same, written but not yet fsync'd (core/journal.h): survives a killed engine, not a power cut
 * until journal_wait(r->jr, seq) or the next run_journal. Returns seq, 0 when it could not be written. */
uint64_t run_journal_write(struct run *r, const char *type, const char *fmt, ...);
/* The same, held in memory until the next journal write, journal_release, kick or wait (core/journal.h):
 * lost if the engine dies first, so only for lines whose loss a resume handles. */
uint64_t run_journal_hold(struct run *r, const char *type, const char *fmt, ...);

/* ---- helpers for actions */
/* Expands a template against the run's variables; on error logs it and returns NULL. Caller frees. */
char *run_expand(struct run *r, const char *tmpl, enum expand_mode mode);
/* Opens the profile connection `name` (expanded), through the sandbox guard. NULL + logged error. */
struct db *run_db_open(struct run *r, const char *name, struct db_params *out_params);
void run_db_params_free(struct db_params *p);
/* The guard for a path the action is about to touch (always allowed outside sandbox mode). 0 ok. */
int run_guard_path(struct run *r, const char *path);
/* The same for a file only read: the profile's own folder and assets are always readable. */
int run_guard_read(struct run *r, const char *path);
/* Runs a shell command line (already expanded with EXPAND_SHELL) with output streamed to the log. */
int run_shell(struct run *r, const char *cmdline, int timeout_s, int *exit_code, struct strbuf *capture);
/* Backup gate: 0 when a destructive step may run (a verified backup exists, or the operator typed
 * the acknowledgement now, which is journaled); -1 when it must not. */
int run_backup_gate(struct run *r);

/* The actions, one per step kind (core/actions/). */
int act_precautions(struct run *r, const struct pstep *s);
int act_checks(struct run *r, const struct pstep *s);      /* envcheck and verify */
/* One check, outside an envcheck/verify pass (a checklist item's attached check): 1 passed, 0
 * not; *detail (caller frees) says what was found. idx numbers an input question without an id. */
int run_check(struct run *r, const struct pcheck *c, size_t idx, char **detail);
int act_choice(struct run *r, const struct pstep *s);
int act_backup(struct run *r, const struct pstep *s);
int act_sqlapply(struct run *r, const struct pstep *s);
int act_copy(struct run *r, const struct pstep *s);
int act_tokensync(struct run *r, const struct pstep *s);
int act_command(struct run *r, const struct pstep *s);
int act_checklist(struct run *r, const struct pstep *s);

#endif
