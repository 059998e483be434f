/*
 * foreach.h: a step that runs once per item of a list variable (`foreach:` in the profile).
 *
 * Each iteration is an item on the step's screen ("Tablets 2/3: node2=10.0.0.2:10921"), the
 * step's note on the rail says which one runs, and a finished iteration is journaled on its own
 * ("iter_done" with the step, index and item). A retry of the step, or a resumed run that adopted
 * the journal, starts at the first iteration not done. The loop variable AS holds the item,
 * AS_INDEX (1-based) and AS_COUNT its place; with `fields`, the item is split at '=' into them.
 */
#ifndef UPWIZ_FOREACH_H
#define UPWIZ_FOREACH_H

#include "core/run.h"

typedef int (*step_fn)(struct run *r, const struct pstep *s);
/* Runs fn once (no foreach) or once per item; returns the first result that is not STEP_OK. */
int foreach_run(struct run *r, const struct pstep *s, step_fn fn);
/* The variable holding "INDEX=ITEM" of the iteration running now ("" outside loops). */
#define FOREACH_SCOPE_VAR "UPWIZ_ITERATION"
/* 1 when command idx (1-based) of step already succeeded in this iteration (this run's journal, or
 * adopted): a retried or resumed iteration continues at the command that failed, so a one-shot
 * command (openmldb_ops pre-upgrade) is not run twice. Always 0 outside loops. */
int foreach_cmd_done(struct run *r, const char *step, int idx);
/* Resume: copies an earlier run's iter_done record, or a command record made in an iteration, (a jansson object) into this run's journal. */
void foreach_adopt(struct run *r, void *json_obj);

#endif
