/*
 * runstate.c: see runstate.h. Walks STATE/runs (runs_foreach, for every reader of the runs folder)
 * and reads one journal.
 */
#include "core/runstate.h"

#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "core/journal.h"

static void put(struct strvec *keys, struct strvec *vals, const char *key, const char *val)
{
	for (size_t i = 0; i < keys->n; i++)
		if (strcmp(keys->v[i], key) == 0) {
			free(vals->v[i]);
			vals->v[i] = xstrdup(val);
			return;
		}
	sv_push(keys, key);
	sv_push(vals, val);
}

static const char *get(const struct strvec *keys, const struct strvec *vals, const char *key)
{
	for (size_t i = 0; i < keys->n; i++)
		if (strcmp(keys->v[i], key) == 0)
			return vals->v[i];
	return NULL;
}

int runs_foreach(const char *state_dir, runs_fn *fn, void *ud, char **cause)
{
	char *runs = xasprintf("%s/runs", state_dir);
	DIR *d = opendir(runs);
	if (!d) {
		int e = errno;
		free(runs);
		if (e == ENOENT)
			return 0;
		set_cause(cause, "%s/runs: %s", state_dir, strerror(e));
		return -1;
	}
	int rc = 0;
	struct dirent *de;
	while (!rc && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		char *dir = xasprintf("%s/%s", runs, de->d_name);
		if (is_dir(dir)) {
			char *meta = xasprintf("%s/run.json", dir);
			json_t *o = json_load_file(meta, 0, NULL);
			free(meta);
			rc = fn(ud, de->d_name, dir, o);
			json_decref(o);
		}
		free(dir);
	}
	closedir(d);
	free(runs);
	return rc;
}

struct newest {
	runs_pred *pred;
	void *ud;
	const char *skip_id;
	char *best;
	double best_started;
};

static int newest_pick(void *ud, const char *run_id, const char *run_dir, json_t *o)
{
	(void)run_dir;
	struct newest *n = ud;
	if (!o || (n->skip_id && strcmp(run_id, n->skip_id) == 0) || !n->pred(n->ud, o))
		return 0;
	/* by start time (two runs can start in the same second: names do not order them); equal
	 * times by name, so that the choice does not depend on readdir's order */
	double started = json_number_value(json_object_get(o, "started"));
	if (!n->best || started > n->best_started || (started == n->best_started && strcmp(run_id, n->best) > 0)) {
		free(n->best);
		n->best = xstrdup(run_id);
		n->best_started = started;
	}
	return 0;
}

char *runs_newest(const char *state_dir, const char *skip_id, runs_pred *pred, void *ud)
{
	struct newest n = {pred, ud, skip_id, NULL, 0};
	runs_foreach(state_dir, newest_pick, &n, NULL);   /* an unreadable runs folder: no run */
	return n.best;
}

struct unfinished {
	const char *profile_id, *target_sha;
};

/* A run of this profile and target that can be resumed: a refused run never did anything and
 * carries no records, so it is no candidate; a rolled-back run is over: its effects are undone. */
static int unfinished(void *ud, json_t *o)
{
	const struct unfinished *u = ud;
	const char *t = json_string_value(json_object_get(o, "target_sha"));
	const char *outcome = json_string_value(json_object_get(o, "outcome"));
	const char *prof = json_string_value(json_object_get(o, "profile"));
	return prof && strcmp(prof, u->profile_id) == 0 && !json_object_get(o, "rolled_back") &&
	       (!u->target_sha || (t && strcmp(t, u->target_sha) == 0)) &&
	       (!outcome || (strcmp(outcome, "success") != 0 && strcmp(outcome, "refused") != 0));
}

char *runstate_find_unfinished(const char *state_dir, const char *profile_id, const char *target_sha, const char *skip_id)
{
	struct unfinished u = {profile_id, target_sha};
	return runs_newest(state_dir, skip_id, unfinished, &u);
}

int runstate_load(const char *state_dir, const char *profile_id, const char *run_id, const char *target_sha,
		  struct runstate *out, char **cause)
{
	memset(out, 0, sizeof *out);
	char *runs = xasprintf("%s/runs", state_dir);
	char *id = run_id ? xstrdup(run_id) : runstate_find_unfinished(state_dir, profile_id, target_sha, NULL);
	if (!id) {
		free(runs);
		return 1;
	}
	char *meta = xasprintf("%s/%s/run.json", runs, id);
	json_error_t je;
	json_t *o = json_load_file(meta, 0, &je);
	free(meta);
	if (!o) {
		set_cause(cause, "run %s: no readable run.json (%s)", id, je.text);
		free(id), free(runs);
		return -1;
	}
	out->run_id = id;
	const char *s = json_string_value(json_object_get(o, "target"));
	out->target = xstrdup(s ? s : "?");
	s = json_string_value(json_object_get(o, "outcome"));
	out->outcome = s ? xstrdup(s) : NULL;
	out->started = json_number_value(json_object_get(o, "started"));
	json_decref(o);
	char *jpath = xasprintf("%s/%s/journal.jsonl", runs, id);
	free(runs);
	struct strvec lines = STRVEC_INIT;
	int rc = journal_read_lines(jpath, &lines, cause);
	free(jpath);
	if (rc < 0) {
		runstate_free(out);
		return -1;
	}
	for (size_t i = 0; i < lines.n; i++) {
		json_t *r = json_loads(lines.v[i], 0, NULL);
		if (!r)
			continue;
		const char *t = json_string_value(json_object_get(r, "t"));
		const char *step = json_string_value(json_object_get(r, "step"));
		const char *file = json_string_value(json_object_get(r, "file"));
		if (t && step && !file) {
			if (strcmp(t, "step_enter") == 0)
				put(&out->step_ids, &out->step_states, step, "interrupted");
			else if (strcmp(t, "step_done") == 0)
				put(&out->step_ids, &out->step_states, step, "done");
			else if (strcmp(t, "step_skipped") == 0)
				put(&out->step_ids, &out->step_states, step, "skipped");
			else if (strcmp(t, "step_failed") == 0)
				put(&out->step_ids, &out->step_states, step, "failed");
		}
		if (t && strcmp(t, "answer") == 0) {
			const char *q = json_string_value(json_object_get(r, "qid"));
			const char *a = json_string_value(json_object_get(r, "value"));
			if (q && a)
				put(&out->answer_qids, &out->answer_values, q, a);
		}
		if (t && file && str_starts(t, "stmt_") && strcmp(t, "stmt_checked") != 0) {
			char *key = xasprintf("%s#%lld", file, (long long)json_integer_value(json_object_get(r, "index")));
			const char *st = strcmp(t, "stmt_begin") == 0     ? "in flight"
					 : strcmp(t, "stmt_done") == 0    ? "done"
					 : strcmp(t, "stmt_already") == 0 ? "already applied"
					 : strcmp(t, "stmt_precond") == 0 ? "already there"
					 : strcmp(t, "stmt_skipped") == 0 ? "skipped"
					 : strcmp(t, "stmt_failed") == 0  ? "failed"
					 : strcmp(t, "stmt_withdrawn") == 0 ? "TODO"   /* queued, never sent */
									  : NULL;   /* stmt_next: queued, not yet sent */
			if (st)
				put(&out->stmt_keys, &out->stmt_states, key, st);
			free(key);
			int seen = 0;
			for (size_t k = 0; k < out->files.n && !seen; k++)
				seen = strcmp(out->files.v[k], file) == 0;
			if (!seen)
				sv_push(&out->files, file);
		}
		json_decref(r);
	}
	sv_free(&lines);
	return 0;
}

void runstate_free(struct runstate *rs)
{
	free(rs->run_id), free(rs->target), free(rs->outcome);
	sv_free(&rs->step_ids), sv_free(&rs->step_states);
	sv_free(&rs->stmt_keys), sv_free(&rs->stmt_states);
	sv_free(&rs->files);
	sv_free(&rs->answer_qids), sv_free(&rs->answer_values);
	memset(rs, 0, sizeof *rs);
}

const char *runstate_step(const struct runstate *rs, const char *step_id)
{
	return get(&rs->step_ids, &rs->step_states, step_id);
}

const char *runstate_stmt(const struct runstate *rs, const char *file, size_t index)
{
	char *key = xasprintf("%s#%zu", file, index);
	const char *v = get(&rs->stmt_keys, &rs->stmt_states, key);
	free(key);
	return v;
}

const char *runstate_file_ending(const struct runstate *rs, const char *suffix)
{
	size_t sl = strlen(suffix);
	for (size_t i = 0; i < rs->files.n; i++) {
		size_t fl = strlen(rs->files.v[i]);
		if (fl >= sl && strcmp(rs->files.v[i] + fl - sl, suffix) == 0)
			return rs->files.v[i];
	}
	return NULL;
}

const char *runstate_answer(const struct runstate *rs, const char *qid)
{
	return get(&rs->answer_qids, &rs->answer_values, qid);
}
