/*
 * sessions.h: the runs under STATE/runs, for `upwiz sessions`, `replay` and `bundle`.
 *
 * What a run was is read from its own files: run.json (written by the engine at the start and
 * again with the outcome at the end), else the first line of events.jsonl (the hello the hub
 * writes). A run without an outcome is "running" while its engine socket answers a connect, and
 * "interrupted" otherwise (the engine died: power, kill -9); its duration then ends at the last
 * event it wrote.
 *
 * Ownership: sessions_list() returns an array the caller frees with sessions_free().
 */
#ifndef UPWIZ_SESSIONS_H
#define UPWIZ_SESSIONS_H

#include <stddef.h>

#include "core/util.h"

struct session {
	char *id, *dir, *profile, *target, *outcome;
	double started, ended;      /* epoch seconds; ended 0 when unknown */
	int sandbox, live, ncasts;
};

/* All runs, newest first. 0, or -1 + cause (no runs folder is not an error: n = 0). */
int sessions_list(const char *state, struct session **out, size_t *n, char **cause);
void sessions_free(struct session *s, size_t n);
/* The folder of run `id` (an exact id, or a unique prefix, or "last" for the newest). NULL + cause. */
char *session_dir(const char *state, const char *id, char **cause);
/* The recordings of a run folder (screen-N.cast), in N order, into out (paths). */
void session_casts(const char *dir, struct strvec *out);

#endif
