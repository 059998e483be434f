/*
 * rollback.h: undo a run from its journal (`upwiz rollback`, and the fourth choice after a failure).
 *
 * The journal of a run (journal.jsonl) says what every effect did and where the originals went:
 * `backup` (the verified dump and the connection it came from), `file_moved` (from, to),
 * `file_added` (path, sha256), `file_replaced` (path, backup, mode, sha256_after), `stmt_*` (the
 * database was touched), `command` with an index (a command step ran: that cannot be undone).
 * A run that resumed an earlier one (`resume` from) inherits that run's effects, oldest first.
 *
 * rollback_plan_load turns that into a list of undo items in reverse order: files first (last
 * effect first), the database last (it was changed before any file). rollback_execute carries
 * them out. Every item is idempotent by looking at the world, not only at a journal: a file moved
 * aside that is no longer in the run folder but back at its place is done; an added file that is
 * gone is done; a replaced file that already holds its original is done; the database is emptied
 * (tables, views, routines, events) and loaded from the verified dump, which gives the same result
 * however often it is repeated. So a roll-back killed half-way is simply run again; its own journal
 * (RB_DIR/journal.jsonl, one `undo` record per item done) lets the next attempt say what an earlier
 * one finished. A file that changed since the run (its checksum is not what the run wrote) is not
 * destroyed: it is kept next to the original as PATH.upwiz-rollback-RBID before the original goes back.
 *
 * Ownership: everything in struct rb_plan is owned by it (rollback_plan_free). No printing:
 * messages go through the caller's log callback, already free of secrets (the password never
 * leaves the option file core/dump.c writes).
 */
#ifndef UPWIZ_ROLLBACK_H
#define UPWIZ_ROLLBACK_H

#include "core/db.h"
#include "core/util.h"

struct journal;

enum rb_kind { RB_FILE_MOVED, RB_FILE_ADDED, RB_FILE_REPLACED, RB_DATABASE };

struct rb_item {
	enum rb_kind kind;
	char *path;        /* the live path (moved from, added, replaced); the database name for RB_DATABASE */
	char *saved;       /* where the original is (moved to, the backup copy, the dump) */
	char *sha256;      /* added: its content; replaced: what the run wrote; database: the dump's */
	int mode;          /* replaced: the file's mode (-1 unknown) */
	char *step;        /* the step that made the effect */
	char *key;         /* stable id of the item for the roll-back journal */
};

struct rb_plan {
	char *run_id, *run_dir;          /* the newest run of the chain */
	char *profile, *target, *outcome;
	int sandbox;
	char *rolled_back_by;            /* a roll-back already finished for this run, or NULL */
	struct rb_item *items;           /* in the order to undo */
	size_t n;
	struct strvec not_undone;        /* effects a roll-back cannot undo (commands run), for the operator */
	struct strvec chain;             /* run ids whose journals were read, newest first */
	int db_touched;                  /* a statement was sent to the database */
	/* the verified dump (have_dump) and the connection it came from */
	int have_dump;
	char *dump_path, *dump_sha256, *db_host, *db_socket, *db_user, *db_name, *db_password_var;
	unsigned db_port;
};

/* Reads STATE/runs/RUN_ID (and the runs it resumed). 0, or -1 with cause (no such run, unreadable journal). */
int rollback_plan_load(const char *state_dir, const char *run_id, struct rb_plan *p, char **cause);
void rollback_plan_free(struct rb_plan *p);
/* What a roll-back will do, one line per item, and what it cannot undo. Caller frees. */
char *rollback_plan_text(const struct rb_plan *p);
/* 1 when there is nothing to undo. */
int rollback_plan_empty(const struct rb_plan *p);

typedef void (*rb_log_fn)(void *ud, const char *level, const char *text);

struct rb_env {
	const char *rb_id, *rb_dir;     /* the roll-back's own run: its folder holds the option file and journal */
	struct journal *jr;             /* its journal (borrowed) */
	const struct db_params *db;     /* where to restore the dump (database = the dumped one); NULL: skip the database */
	const struct strvec *done_keys; /* items an earlier attempt journaled as done (may be NULL) */
	rb_log_fn log;
	void *ud;
};

/* Undoes every item. Returns the number of items that failed (0: all undone), each logged with why;
 * the database is not restored if a file could not be put back first (nothing half-way on purpose).
 * Paths are checked with the sandbox guard (core/guard.h) when it is on. */
int rollback_execute(const struct rb_plan *p, const struct rb_env *e);

/* The keys the newest earlier attempt of a roll-back of run_id (other than `exclude`) journaled as done,
 * and its id (caller frees), when one was left unfinished; NULL when none. */
char *rollback_find_unfinished(const char *state_dir, const char *run_id, const char *exclude, struct strvec *done_keys);

/* Marks the runs of the plan as rolled back (run.json "rolled_back": rb_id, and a journal record), so
 * `upwiz run` never offers to resume them and a second roll-back is refused. */
void rollback_mark_done(const struct rb_plan *p, const char *rb_id);

/* The run folder's run.json of a roll-back ({"kind":"rollback","of":...}); outcome NULL while it runs. */
void rollback_write_meta(const char *rb_dir, const char *rb_id, const char *of, double started, const char *outcome);

/* ---- in the engine */
struct run;
/* Whether roll-back can undo step i: a step without effects, or one whose effects roll-back undoes
 * (SQL, copy, token sync, rebuild choices) once a verified backup exists and no risk was
 * acknowledged; commands (start) never. The step rail draws the point of no return before the
 * first step for which this is 0. */
int run_step_reversible(const struct run *r, size_t i);
/* Tells the front ends (step events, pending steps only) where reversibility changed, e.g. once the
 * backup is verified; call after each step. */
void run_reversibility_update(struct run *r);
/* 1 when the failure question may offer roll-back: a verified backup exists (no risk acknowledged). */
int run_rollback_possible(const struct run *r);
/* Asks the typed confirmation, then rolls the run back as a run of its own (STATE/runs/RB-ID/)
 * with its lines in this run's log too. 1 rolled back; 0 not confirmed (nothing changed); -1 failed
 * (what failed is logged; running it again is safe). */
int run_rollback(struct run *r);

#endif
