/*
 * profile.h: an upgrade described as data.
 *
 * A profile is a YAML file (profiles/ID.yaml, format in docs/PROFILE-FORMAT.md): metadata,
 * variables, database connections and a list of steps. Each step names the screen kind that
 * shows it and holds the typed work for that kind: checks, a choice, a backup, SQL files, a
 * copy, a .properties sync, commands, a checklist. The engine walks the steps; it knows no
 * product. Strings here are unexpanded templates ("${LINKIS_HOME}/conf"): expansion happens
 * when a step runs, against the variables known then (vars.h).
 *
 * Ownership: profile_load() returns a profile that owns everything below it; profile_free()
 * releases it all. Every struct carries the line/column of its YAML node for later messages.
 */
#ifndef UPWIZ_PROFILE_H
#define UPWIZ_PROFILE_H

#include <stddef.h>

#include "core/util.h"

struct pos { int line, col; };

enum var_type { VT_STRING, VT_PATH, VT_DIR, VT_HOST, VT_PORT, VT_INT, VT_ENUM, VT_SECRET, VT_URL, VT_LIST };

struct pvar {
	char *name, *prompt, *help, *def, *pattern;
	enum var_type type;
	int secret;                 /* type: secret, or secret: yes */
	int optional;               /* may stay empty */
	struct strvec choices;      /* VT_ENUM */
	struct pos at;
};

struct pconn {
	char *name, *host, *port, *socket, *user, *password, *database, *charset;
	struct pos at;
};

/* One check on an env-check or verify screen. Exactly one of the probe kinds is set. */
enum check_kind { CK_COMMAND, CK_SQL, CK_PORTS_FREE, CK_DISK_FREE, CK_FILE, CK_HTTP, CK_VALUE, CK_NO_PROCESS, CK_COMPARE };
/* stop: a failure ends the run (retry or abort, never skip); info: shown, never blocks (a decision, see compare) */
enum check_level { LV_FAIL, LV_WARN, LV_STOP, LV_INFO };

struct pjson_rule {            /* a JSON assertion: path like "a.b[*].c" */
	char *path, *equals, *all;
	struct strvec includes;
};

struct pcheck {
	char *name, *fix, *when, *capture;   /* capture: variable that receives the match / value */
	enum check_kind kind;
	enum check_level level;
	/* CK_COMMAND */
	char *command;              /* a shell command line; ${VAR} values are shell-quoted */
	char *match;                /* POSIX ERE on the output; group 1 (or the match) is the value */
	char *version;              /* ">= 3.3", "== 3.1", "< 9": compared with the value */
	int expect_exit;            /* -1: any */
	/* CK_SQL */
	char *connection, *query, *expect;   /* expect: the first column of the first row */
	char *fail_msg;             /* shown when the expectation is not met (e.g. "already upgraded") */
	/* CK_PORTS_FREE / CK_DISK_FREE / CK_FILE */
	char *ports, *path;
	long min_mb;
	/* CK_HTTP */
	char *method, *url, *body;
	struct strvec headers;      /* "Name: value" */
	int status;                 /* expected; 0: 2xx */
	char *body_match;           /* ERE on the body */
	struct pjson_rule *json;
	size_t njson;
	int timeout_s, interval_s;  /* retried until it passes or the timeout (0: once) */
	/* CK_VALUE: a value from a template (`value`) or typed by the operator (`input`: the prompt),
	 * then `match` (group 1 is the value), `pattern` (an input must match it), and the rules:
	 * `expect` (equal text), `version`, `min` / `max` (numbers), `within` ("10%" or "50") of `of`. */
	char *id;                   /* names the input question: STEP.ID (default STEP.checkN) */
	char *value, *input, *pattern, *min, *max, *within, *of;
	/* additions (core/profile_ext.c) */
	char *host;                 /* CK_COMMAND: run on this host through OpenSSH (empty: here) */
	char *no_process;           /* CK_NO_PROCESS: ERE no running process's command line may match */
	char *cmp_left, *cmp_op, *cmp_right, *cmp_as;   /* CK_COMPARE: as size|number|version|text */
	int cmp_parts;              /* version: compare only the first N numbers (0: all) */
	char *auth;                 /* CK_HTTP: "user:password" for basic auth (may hold a secret: never on argv) */
	struct pos at;
};

/* A checklist item: something the operator does elsewhere, ticked with a timestamp and a note. */
struct pitem {
	char *id, *text, *help, *when;
	char *on_fail;              /* shown when the operator says it did not complete (what now, consequences) */
	struct pcheck *check;       /* run after the tick, or NULL */
	struct pos at;
};

struct poption {
	char *key, *label, *help, *confirm;  /* confirm: text to type (a danger option) */
	char *when;                 /* offered only when this condition holds */
	char *recommended;          /* a condition: when it holds, the option is marked and is the default */
	int danger, exit;
	struct strvec set;          /* "NAME=VALUE" */
	struct pos at;
};

/* A precondition (sqlapply `unless:`): true when what it names is already in the database.
 * Exactly one of column ("TABLE.COLUMN" exists), table (TABLE exists), row (the SELECT returns a row)
 * is set. Not expanded: ${...} is not allowed in it (a value in SQL text would be an injection). */
struct pcond {
	char *column, *table, *row;
	struct pos at;
};

/* A per-statement precondition: the statements of the file whose text contains `match`, or the
 * `index`th statement (1-based), are skipped when `unless` holds. */
struct pstmtcond {
	char *match;
	int index;                  /* 0: use match */
	struct pcond unless;
	struct pos at;
};

struct psqlfile {
	char *path, *when;
	struct pcond *unless;       /* NULL, or: the whole file is skipped when this holds before its first statement */
	struct pstmtcond *stmts;
	size_t nstmts;
	struct pos at;
};

struct pfilekeys {              /* tokensync: in file `path`, key -> token prefix */
	char *path;
	struct strvec keys, prefixes;
	struct pos at;
};

/* A question a command asks on its terminal (pty), recognised by a pattern on its output. */
struct pprompt {
	char *match;                /* ERE on the pending prompt text or an output line */
	char *prompt;               /* what the operator is asked (default: the matched text) */
	char *answer;               /* the declared answer (unattended runs; the default otherwise) */
	struct strvec options;      /* non-empty: a choice among these answers; empty: free text */
	struct pos at;
};

struct pcommand {
	char *run, *title, *when, *milestone, *success_match, *fail_match, *confirm_text;
	int timeout_s, expect_exit, pty, confirm, optional;
	struct strvec answers;      /* pty: "PATTERN=>REPLY" declared answers */
	/* additions (core/profile_ext.c) */
	char *host;                 /* run on this host through OpenSSH; overrides the step's host */
	char *capture, *capture_match;   /* variable <- group 1 (or the match) of capture_match on the output */
	struct pprompt *prompts;
	size_t nprompts;
	struct pos at;
};

enum step_kind {
	SK_PRECAUTIONS, SK_ENVCHECK, SK_CHOICE, SK_BACKUP, SK_SQLAPPLY, SK_COPY, SK_TOKENSYNC,
	SK_COMMAND, SK_VERIFY, SK_CHECKLIST, SK__COUNT
};

struct pstep {
	char *id, *title, *help, *when;
	enum step_kind kind;
	int destructive;            /* needs a verified backup (or a typed acknowledgement) first */
	int reads_only;             /* a command step that only reads (status, lists): a roll-back has nothing to undo */
	struct pos at;
	/* precautions / checklist */
	struct strvec items;        /* the text of each item */
	struct pitem *citems;       /* checklist: the items in full (same order as items) */
	size_t ncitems;
	/* envcheck / verify */
	struct pcheck *checks;
	size_t nchecks;
	/* choice */
	char *question, *def;
	struct poption *options;
	size_t noptions;
	/* backup */
	char *db_conn, *backup_dir;
	struct strvec folders;
	/* sqlapply */
	char *connection;
	struct psqlfile *files;
	size_t nfiles;
	int *already_applied;
	size_t nalready;
	/* copy */
	char *source, *url, *sha256, *jar_class, *jar_version;   /* jar_*: structural checks of a jar */
	struct strvec dests;
	char *move_aside;           /* glob of older files moved into the run's backup */
	/* tokensync */
	char *query, *capture_prefix, *capture_var;
	struct pfilekeys *pfiles;
	size_t npfiles;
	/* command */
	struct pcommand *commands;
	size_t ncommands;
	/* additions (core/profile_ext.c): loops and hosts, for any step kind */
	char *foreach;              /* a list variable: the step runs once per item */
	char *as;                   /* the item's variable (also AS_INDEX 1-based, AS_COUNT) */
	struct strvec fields;       /* the item split at '=' into these variables (the last takes the rest) */
	char *host;                 /* commands and command checks run there through OpenSSH */
};

struct profile {
	char *path, *dir;           /* the file, and its folder (${PROFILE_DIR}) */
	char *id, *title, *product, *from, *to, *guide, *target, *summary;
	struct pvar *vars;
	size_t nvars;
	struct pconn *conns;
	size_t nconns;
	struct pstep *steps;
	size_t nsteps;
	char *world;                /* sandbox world folder (relative to the profile's folder), or NULL */
};

/* core/profile_ext.c: the parts of the format for loops, remote hosts, interactive commands,
 * process and comparison checks; called by profile.c. */
struct ynode;
struct yerrs;
void profile_ext_step(struct yerrs *e, const struct ynode *m, struct pstep *s);
void profile_ext_command(struct yerrs *e, const struct ynode *m, struct pcommand *c);
int profile_ext_check(struct yerrs *e, const struct ynode *m, struct pcheck *c);   /* probe kinds found */
void profile_ext_names(const struct profile *p, struct strvec *names);   /* variables loops/captures set */
void profile_ext_cross(struct yerrs *e, const struct profile *p, const struct strvec *extra);
void profile_ext_free_step(struct pstep *s);
/* Splits a list variable's value into items (blanks, commas, newlines). */
void list_split(const char *value, struct strvec *out);

/* Loads and validates. On any error returns NULL and *cause holds every problem found, one per
 * line, as "FILE:LINE:COL: message". Caller frees with profile_free. */
struct profile *profile_load(const char *path, char **cause);
void profile_free(struct profile *p);

const struct pvar *profile_var(const struct profile *p, const char *name);
/* Whether val fits the variable's type (port, int, enum choices, url, host) and its pattern:
 * 0, or -1 with *why (caller frees) saying what is expected ("expected a port: ..."), with
 * neither the name nor the value (a secret's would leak). An empty value of an optional
 * variable fits; one holding ${...} is not judged here (it is expanded where it is used). */
int pvar_check(const struct pvar *v, const char *val, char **why);
const struct pconn *profile_conn(const struct profile *p, const char *name);
const char *step_kind_name(enum step_kind k);

/* Resolves a PROFILE argument: an existing file path, or a bundled id looked up in the
 * profiles folders (UPWIZ_PROFILES env, then <source dir>/profiles, then <exe dir>/../share/upwiz/profiles).
 * Returns a new path (caller frees) or NULL with cause. */
char *profile_resolve(const char *arg, char **cause);
/* Lists bundled profile files (caller frees with sv_free). */
void profile_list_bundled(struct strvec *out);

#endif
