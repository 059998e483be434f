/*
 * runstate.h: what an interrupted run did, read back from its journal (for `upwiz plan`).
 *
 * The engine's resume (core/engine.c) offers the newest run of the same profile and target that
 * did not succeed; this finds the same run and summarises its journal: each step's state and each
 * SQL statement's state. A resumed run's journal holds the records it adopted from the run before
 * it, so one journal says everything.
 *
 * runs_foreach is the one walk over STATE/runs/ID/run.json that the resume, `plan`, `sessions`
 * and `rollback` share; runs_newest picks the newest run a predicate accepts (the resume's and
 * the roll-back's choice).
 */
#ifndef UPWIZ_RUNSTATE_H
#define UPWIZ_RUNSTATE_H

#include <jansson.h>

#include "core/util.h"

/*
 * The one walk over STATE/runs: calls fn for each run folder, in readdir order (unsorted: each
 * caller picks "newest" by its own key). Names starting with '.' and entries that are not folders
 * are passed over. run_dir is STATE/runs/RUN_ID; run_json is its run.json parsed, borrowed for
 * the call, NULL when missing or not JSON (a run killed before writing it, a broken file): a
 * caller that needs it skips those. fn returns 0 to go on; any other value stops the walk and is
 * returned. No runs folder is no run (0); another failure to open it is -1 with cause (caller
 * frees).
 */
typedef int runs_fn(void *ud, const char *run_id, const char *run_dir, json_t *run_json);
int runs_foreach(const char *state_dir, runs_fn *fn, void *ud, char **cause);
/* The newest run (by run.json's `started`, equal times by name) other than skip_id (may be NULL)
 * whose run.json pred accepts; NULL when none. Caller frees. */
typedef int runs_pred(void *ud, json_t *run_json);
char *runs_newest(const char *state_dir, const char *skip_id, runs_pred *pred, void *ud);

struct runstate {
	char *run_id, *target, *outcome;    /* outcome: NULL when the run never wrote one (killed) */
	double started;
	struct strvec step_ids, step_states;    /* parallel: "done", "skipped", "failed", "interrupted" */
	struct strvec stmt_keys, stmt_states;   /* parallel: "FILE#INDEX" -> "done", "already applied",
	                                           "already there", "in flight", "skipped", "failed" */
	struct strvec files;                    /* every SQL file path the journal names, in first-seen order */
	struct strvec answer_qids, answer_values;   /* parallel: the answers given (the last one per question) */
};

/*
 * Finds the run: run_id when given, else the newest run of profile_id that did not succeed (a
 * refused run does not count) and, when target_sha is not NULL, has that target. Returns 0 and
 * fills *out, 1 when there is none, -1 with cause (caller frees). Free with runstate_free.
 */
/* The newest run of profile_id under state_dir that did not succeed, was not refused nor rolled
 * back, and (target_sha not NULL) has that target; skip_id (may be NULL) is left out (the
 * engine's own run). The engine resumes it and plan shows it. Caller frees; NULL when none. */
char *runstate_find_unfinished(const char *state_dir, const char *profile_id, const char *target_sha, const char *skip_id);
int runstate_load(const char *state_dir, const char *profile_id, const char *run_id, const char *target_sha,
		  struct runstate *out, char **cause);
void runstate_free(struct runstate *rs);
const char *runstate_step(const struct runstate *rs, const char *step_id);            /* borrowed or NULL */
const char *runstate_answer(const struct runstate *rs, const char *qid);              /* borrowed or NULL */
const char *runstate_stmt(const struct runstate *rs, const char *file, size_t index);  /* borrowed or NULL */
/* The journal's file whose path ends with suffix (for a template whose variables plan does not know). */
const char *runstate_file_ending(const struct runstate *rs, const char *suffix);

#endif
