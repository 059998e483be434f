/*
 * scenario.h: faults to practise on. A scenario is a small declarative YAML file beside a
 * sandbox world (WORLD/scenarios/NAME.yaml) that changes the freshly built world before the
 * wizard starts: files added, replaced, edited or removed, SQL run on the seeded database,
 * variables overridden, environment knobs (UPWIZ_FAULT), commands started (a service left
 * running), action faults (the database killed at the Nth statement, the UI hung up when a
 * step starts), and what should happen: the expected outcome, and the answers of a perfect
 * trainee on this scenario with a word on what they do differently. docs/SANDBOX.md has the
 * format; this code knows no product: everything product-specific is in the files.
 *
 * Ownership: a struct scenario owns all its strings (scenario_free). scenario_apply borrows
 * the world; the fault hooks it installs keep a pointer to the world, which must outlive the
 * run (engine_run's local world does).
 */
#ifndef UPWIZ_SCENARIO_H
#define UPWIZ_SCENARIO_H

#include <sys/types.h>

#include "core/util.h"

struct world;
struct answers;

struct scenario_file {
	char *path;                 /* relative to ROOT, never absolute nor with ".." */
	char *content;              /* replaces the file (created with its folders if missing); NULL: keep */
	char *append;               /* appended; NULL: nothing */
	struct strvec from, to;     /* replace[i]: each `from` must occur in the file, every occurrence becomes `to` */
	int remove;                 /* the file is removed */
	mode_t mode;                /* 0: keep (or 0644 for a new file) */
	int line;                   /* in the scenario file, for messages */
};

struct scenario_fault {
	char *site;                 /* a fault_hit() site: sql_stmt, step:ID, dump, ... */
	long at;                    /* the Nth hit (1-based) */
	char *action;               /* stop-database | hangup-ui | sql */
	char *sql;                  /* action sql: statements run as the world's database user */
	struct world *w;            /* set by scenario_arm */
};

struct scenario {
	char *name, *file, *description;
	struct scenario_file *files;
	size_t nfiles;
	char *sql, *sql_root;       /* run after the seeds: as the world's database user / as root */
	struct strvec vars;         /* "NAME=VALUE" overriding the world's vars (expanded) */
	struct strvec env;          /* "NAME=VALUE" set in the engine before the first step */
	struct strvec start;        /* commands run (sh -c, in ROOT, the world's PATH) once the world is ready */
	struct scenario_fault *faults;
	size_t nfaults;
	char *expect_outcome;       /* success | failed | aborted (NULL: success) */
	char *expect_step;          /* the step that fails, or NULL */
	char *expect_message;       /* text in a failure of that step, or NULL */
	struct strvec golden_keys, golden_values;   /* answers on top of the world's golden answers */
	char *differs;              /* what the perfect trainee does differently here */
};

/* Names ("port-in-use") and one-line descriptions of the scenarios in WORLD/scenarios/, sorted by
 * name. A file that does not load still lists, its description saying why. 0, or -1 + cause when
 * the folder cannot be read (no folder: 0 and nothing listed). */
int scenario_list(const char *world_dir, struct strvec *names, struct strvec *descs, char **cause);
/* Loads WORLD/scenarios/NAME.yaml (NAME: [a-z0-9][a-z0-9._-]*). Every key is checked; errors are
 * "FILE:LINE:COL: message" lines. *sc is overwritten. 0, or -1 + cause (caller frees). */
int scenario_load(const char *world_dir, const char *name, struct scenario *sc, char **cause);
void scenario_free(struct scenario *sc);

/* Applies the scenario to a built world: files, SQL (statement by statement, errors name the line),
 * vars, then the start commands (60 s each at most, must exit 0). ${NAME} in every text is a world
 * value or var (as in templates). Nothing outside ROOT is written. 0, or -1 + cause. */
int scenario_apply(const struct scenario *sc, struct world *w, char **cause);
/* Sets the scenario's environment and installs its action faults (fault_on) for this process.
 * Call in the engine, after scenario_apply, before the steps. */
void scenario_arm(struct scenario *sc, struct world *w);
/* Puts the scenario's golden answers over a (the world's golden answers; a may be empty). */
void scenario_golden_merge(const struct scenario *sc, struct answers *a);

#endif
