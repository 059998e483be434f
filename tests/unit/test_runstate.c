/*
 * test_runstate.c: runs_foreach, the one walk over STATE/runs, on a temp state folder: runs with a
 * good run.json, one with a broken run.json, one without any, a plain file and a dot folder beside
 * them. Each folder is visited once with its path and its run.json (NULL when broken or missing),
 * the file and the dot folder are not; fn stops the walk; no runs folder is no run, a runs "folder"
 * that is a file is an error. Then two of its callers on the same folder: the resume's choice
 * (runstate_find_unfinished: a broken run.json is no candidate) and `upwiz sessions` (a run with a
 * broken run.json is still listed, newest first). And runs_newest, the choice both the resume and
 * the roll-back make: by start time, equal times by name, skip_id and the predicate honoured.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/runstate.h"
#include "core/sessions.h"
#include "core/util.h"

struct fx {
	char root[64];
	char *state;
};

static void put(const char *path, const char *text)
{
	char *dir = path_dirname(path);
	assert_int_equal(mkdir_p(dir, 0700, NULL), 0);
	free(dir);
	assert_int_equal(write_file_atomic(path, text, strlen(text), 0600, NULL), 0);
}

static void run_json(const struct fx *f, const char *id, const char *text)
{
	char *p = xasprintf("%s/runs/%s/run.json", f->state, id);
	put(p, text);
	free(p);
}

static int setup(void **state)
{
	struct fx *f = xcalloc(1, sizeof *f);
	strcpy(f->root, "/tmp/upwiz-runsunit-XXXXXX");
	assert_non_null(mkdtemp(f->root));
	f->state = path_join(f->root, "state");
	run_json(f, "A", "{\"run\":\"A\",\"profile\":\"p\",\"target\":\"db\",\"started\":100,\"outcome\":\"failed\"}");
	run_json(f, "B", "{\"run\":\"B\",\"profile\":\"p\",\"target\":\"db\",\"started\":200,\"outcome\":\"success\"}");
	run_json(f, "C", "{\"run\":\"C\",\"profile\":\"p\",\"started\":250,");   /* cut short */
	run_json(f, "E", "{\"run\":\"E\",\"profile\":\"p\",\"target\":\"db\",\"started\":300,\"outcome\":\"refused\"}");
	run_json(f, ".tmp", "{\"run\":\".tmp\",\"profile\":\"p\",\"started\":400}");
	char *p = xasprintf("%s/runs/D", f->state);
	assert_int_equal(mkdir_p(p, 0700, NULL), 0);
	free(p);
	p = xasprintf("%s/runs/notadir", f->state);
	put(p, "{\"profile\":\"p\",\"started\":500}");
	free(p);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	rm_rf(f->root);
	free(f->state);
	free(f);
	return 0;
}

struct seen {
	const char *state;
	struct strvec ids, runs;   /* parallel: the id, and run.json's "run" or "-" when NULL */
	int stop_after;            /* 0: never */
};

static int note(void *ud, const char *run_id, const char *run_dir, json_t *o)
{
	struct seen *s = ud;
	char *want = xasprintf("%s/runs/%s", s->state, run_id);
	assert_string_equal(run_dir, want);
	free(want);
	sv_push(&s->ids, run_id);
	sv_push(&s->runs, o ? json_string_value(json_object_get(o, "run")) : "-");
	return s->stop_after && (int)s->ids.n == s->stop_after ? 7 : 0;
}

static const char *run_of(const struct seen *s, const char *id)
{
	for (size_t i = 0; i < s->ids.n; i++)
		if (strcmp(s->ids.v[i], id) == 0)
			return s->runs.v[i];
	return NULL;
}

static void test_walk(void **state)
{
	struct fx *f = *state;
	struct seen s = {f->state, STRVEC_INIT, STRVEC_INIT, 0};
	char *cause = NULL;
	assert_int_equal(runs_foreach(f->state, note, &s, &cause), 0);
	assert_null(cause);
	assert_int_equal(s.ids.n, 5);
	assert_string_equal(run_of(&s, "A"), "A");
	assert_string_equal(run_of(&s, "B"), "B");
	assert_string_equal(run_of(&s, "E"), "E");
	assert_string_equal(run_of(&s, "C"), "-");   /* broken run.json */
	assert_string_equal(run_of(&s, "D"), "-");   /* none */
	assert_null(run_of(&s, ".tmp"));
	assert_null(run_of(&s, "notadir"));
	sv_free(&s.ids), sv_free(&s.runs);
}

static void test_stop(void **state)
{
	struct fx *f = *state;
	struct seen s = {f->state, STRVEC_INIT, STRVEC_INIT, 2};
	assert_int_equal(runs_foreach(f->state, note, &s, NULL), 7);
	assert_int_equal(s.ids.n, 2);
	sv_free(&s.ids), sv_free(&s.runs);
}

static void test_no_runs_folder(void **state)
{
	struct fx *f = *state;
	char *empty = path_join(f->root, "empty");
	struct seen s = {empty, STRVEC_INIT, STRVEC_INIT, 0};
	char *cause = NULL;
	assert_int_equal(runs_foreach(empty, note, &s, &cause), 0);
	assert_null(cause);
	assert_int_equal(s.ids.n, 0);
	/* runs is a file: an error with a cause */
	char *p = path_join(empty, "runs");
	put(p, "x");
	assert_int_equal(runs_foreach(empty, note, &s, &cause), -1);
	assert_non_null(cause);
	assert_non_null(strstr(cause, "/runs: "));
	assert_int_equal(s.ids.n, 0);
	free(cause), free(p), free(empty);
}

static void test_callers(void **state)
{
	struct fx *f = *state;
	/* B succeeded, E was refused, C's run.json does not read: A is the run to resume */
	char *id = runstate_find_unfinished(f->state, "p", NULL, NULL);
	assert_non_null(id);
	assert_string_equal(id, "A");
	free(id);
	assert_null(runstate_find_unfinished(f->state, "p", NULL, "A"));
	assert_null(runstate_find_unfinished(f->state, "other", NULL, NULL));

	struct session *s;
	size_t n;
	char *cause = NULL;
	assert_int_equal(sessions_list(f->state, &s, &n, &cause), 0);
	assert_int_equal(n, 5);
	/* newest first by start; C and D have none (0), then by id, descending */
	const char *order[] = {"E", "B", "A", "D", "C"};
	for (size_t i = 0; i < n; i++)
		assert_string_equal(s[i].id, order[i]);
	assert_string_equal(s[2].profile, "p");
	assert_string_equal(s[2].outcome, "failed");
	assert_null(s[4].profile);
	assert_string_equal(s[4].outcome, "interrupted");
	sessions_free(s, n);
}

static int profile_p(void *ud, json_t *o)
{
	(void)ud;
	const char *prof = json_string_value(json_object_get(o, "profile"));
	return prof && strcmp(prof, "p") == 0;
}

/* runs_newest: by `started`, equal times by name whatever readdir's order, skip_id and the
 * predicate honoured, a run without a readable run.json never chosen. */
static void test_newest(void **state)
{
	struct fx *f = *state;
	char *id = runs_newest(f->state, NULL, profile_p, NULL);
	assert_string_equal(id, "E");   /* started 300; C (250) is cut short, .tmp and notadir are no runs */
	free(id);
	run_json(f, "G", "{\"run\":\"G\",\"profile\":\"p\",\"started\":300}");
	run_json(f, "F", "{\"run\":\"F\",\"profile\":\"p\",\"started\":300}");
	id = runs_newest(f->state, NULL, profile_p, NULL);
	assert_string_equal(id, "G");   /* E, F, G started together: the greatest name */
	free(id);
	id = runs_newest(f->state, "G", profile_p, NULL);
	assert_string_equal(id, "F");
	free(id);
	run_json(f, "H", "{\"run\":\"H\",\"profile\":\"q\",\"started\":900}");
	id = runs_newest(f->state, NULL, profile_p, NULL);
	assert_string_equal(id, "G");   /* H is newer but of another profile */
	free(id);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_walk, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stop, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_runs_folder, setup, teardown),
		cmocka_unit_test_setup_teardown(test_callers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_newest, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
