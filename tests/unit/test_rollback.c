/*
 * test_rollback.c: core/rollback without a database: a journal written by hand as the actions
 * write it (file_moved, file_added, file_replaced, a run that resumed another), the plan read from
 * it (chain, reverse order), the files undone on a temp folder, idempotence (a second pass finds
 * everything done), files changed since the run kept rather than lost, a lost file reported, and
 * the rolled-back mark.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/guard.h"
#include "core/journal.h"
#include "core/rollback.h"
#include "core/util.h"

struct fx {
	char root[64];
	char *state, *world, *r1, *r2;
	char new_sha[65];
};

static void put(const char *path, const char *text, mode_t mode)
{
	char *dir = path_dirname(path);
	assert_int_equal(mkdir_p(dir, 0700, NULL), 0);
	free(dir);
	assert_int_equal(write_file_atomic(path, text, strlen(text), mode, NULL), 0);
}

static char *slurp(const char *path)
{
	size_t n = 0;
	return read_file(path, &n, NULL);
}

static void jline(const char *run_dir, const char *line)
{
	char *p = path_join(run_dir, "journal.jsonl");
	FILE *f = fopen(p, "a");
	assert_non_null(f);
	fprintf(f, "%s\n", line);
	fclose(f);
	free(p);
}

/* The world after the run: old.jar moved aside, new.jar added, a.properties replaced (its original,
 * mode 0640, in originals/); R2 resumed R1 and added extra.jar. */
static int setup(void **state)
{
	struct fx *f = xcalloc(1, sizeof *f);
	strcpy(f->root, "/tmp/upwiz-rbunit-XXXXXX");
	assert_non_null(mkdtemp(f->root));
	f->state = path_join(f->root, "state");
	f->world = path_join(f->root, "world");
	f->r1 = xasprintf("%s/runs/R1", f->state);
	f->r2 = xasprintf("%s/runs/R2", f->state);
	assert_int_equal(mkdir_p(f->r1, 0700, NULL), 0);
	assert_int_equal(mkdir_p(f->r2, 0700, NULL), 0);
	char *p;
	p = xasprintf("%s/moved-aside/1/old.jar", f->r1), put(p, "OLD JAR", 0644), free(p);
	p = xasprintf("%s/lib/new.jar", f->world), put(p, "NEW JAR", 0644), free(p);
	sha256_hex("NEW JAR", 7, f->new_sha);
	p = xasprintf("%s/lib/extra.jar", f->world), put(p, "EXTRA", 0644), free(p);
	p = xasprintf("%s/originals/a.properties", f->r1), put(p, "a=1\n# kept\n", 0600), free(p);
	p = xasprintf("%s/conf/a.properties", f->world), put(p, "a=2\n# kept\n", 0640), free(p);
	char after[65], extra[65];
	sha256_hex("a=2\n# kept\n", 11, after);
	sha256_hex("EXTRA", 5, extra);
	char *l;
	jline(f->r1, "{\"t\":\"run\",\"profile\":\"p\",\"sandbox\":false}");
	l = xasprintf("{\"t\":\"file_moved\",\"step\":\"jar\",\"from\":\"%s/lib/old.jar\",\"to\":\"%s/moved-aside/1/old.jar\"}", f->world, f->r1);
	jline(f->r1, l), free(l);
	l = xasprintf("{\"t\":\"file_added\",\"step\":\"jar\",\"path\":\"%s/lib/new.jar\",\"sha256\":\"%s\"}", f->world, f->new_sha);
	jline(f->r1, l), free(l);
	l = xasprintf("{\"t\":\"file_replaced\",\"step\":\"tok\",\"path\":\"%s/conf/a.properties\",\"backup\":\"%s/originals/a.properties\","
		      "\"keys\":1,\"mode\":416,\"sha256_after\":\"%s\"}", f->world, f->r1, after);
	jline(f->r1, l), free(l);
	jline(f->r1, "{\"t\":\"command\",\"step\":\"start\",\"index\":1,\"exit\":0,\"ok\":true}");
	jline(f->r1, "{\"t\":\"finished\",\"outcome\":\"failed\",\"exit\":1}");
	jline(f->r2, "{\"t\":\"run\",\"profile\":\"p\",\"sandbox\":false}");
	jline(f->r2, "{\"t\":\"resume\",\"from\":\"R1\"}");
	l = xasprintf("{\"t\":\"file_added\",\"step\":\"x\",\"path\":\"%s/lib/extra.jar\",\"sha256\":\"%s\"}", f->world, extra);
	jline(f->r2, l), free(l);
	jline(f->r2, "{\"t\":\"file_added\",\"step\":\"x\",\"path\":\"torn");   /* a torn last line after a crash */
	p = xasprintf("%s/run.json", f->r2);
	put(p, "{\"run\":\"R2\",\"profile\":\"p\",\"target\":\"t\",\"target_sha\":\"x\"}", 0600);
	free(p);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	rm_rf(f->root);
	free(f->state), free(f->world), free(f->r1), free(f->r2);
	free(f);
	return 0;
}

struct logs {
	int errors, warns;
};

static void count_log(void *ud, const char *level, const char *text)
{
	struct logs *l = ud;
	(void)text;
	l->errors += strcmp(level, "error") == 0;
	l->warns += strcmp(level, "warn") == 0;
}

static int run_rb(struct fx *f, struct rb_plan *p, struct logs *lg)
{
	char *rbdir = xasprintf("%s/runs/RB", f->state);
	mkdir_p(rbdir, 0700, NULL);
	char *jp = path_join(rbdir, "journal.jsonl");
	struct journal *j = journal_open(jp, NULL);
	struct rb_env e = {.rb_id = "RB", .rb_dir = rbdir, .jr = j, .log = count_log, .ud = lg};
	int failed = rollback_execute(p, &e);
	journal_close(j);
	free(jp), free(rbdir);
	return failed;
}

static void test_plan_chain_and_order(void **state)
{
	struct fx *f = *state;
	struct rb_plan p;
	char *cause = NULL;
	assert_int_equal(rollback_plan_load(f->state, "R2", &p, &cause), 0);
	assert_int_equal(p.chain.n, 2);
	assert_string_equal(p.chain.v[0], "R2");
	assert_string_equal(p.chain.v[1], "R1");
	assert_int_equal(p.n, 4);                        /* no database item: no statement was sent */
	assert_int_equal(p.items[0].kind, RB_FILE_ADDED); /* R2's extra.jar: the newest effect first */
	assert_true(str_ends(p.items[0].path, "/lib/extra.jar"));
	assert_int_equal(p.items[1].kind, RB_FILE_REPLACED);
	assert_int_equal(p.items[1].mode, 0640);
	assert_int_equal(p.items[2].kind, RB_FILE_ADDED);
	assert_int_equal(p.items[3].kind, RB_FILE_MOVED);
	assert_int_equal(p.not_undone.n, 1);             /* the start command */
	assert_null(p.rolled_back_by);
	char *text = rollback_plan_text(&p);
	assert_non_null(strstr(text, "not undone: step start ran command 1"));
	assert_non_null(strstr(text, "It resumed earlier runs, undone too: R1"));
	free(text);
	rollback_plan_free(&p);
	assert_int_equal(rollback_plan_load(f->state, "NOPE", &p, &cause), -1);
	assert_non_null(strstr(cause, "no run NOPE"));
	free(cause);
	cause = NULL;
	assert_int_equal(rollback_plan_load(f->state, "../R1", &p, &cause), -1);
	free(cause);
}

static void test_execute_twice(void **state)
{
	struct fx *f = *state;
	struct rb_plan p;
	assert_int_equal(rollback_plan_load(f->state, "R2", &p, NULL), 0);
	struct logs lg = {0};
	assert_int_equal(run_rb(f, &p, &lg), 0);
	assert_int_equal(lg.errors, 0);
	char *old = xasprintf("%s/lib/old.jar", f->world), *nw = xasprintf("%s/lib/new.jar", f->world);
	char *ex = xasprintf("%s/lib/extra.jar", f->world), *conf = xasprintf("%s/conf/a.properties", f->world);
	char *s = slurp(old);
	assert_string_equal(s, "OLD JAR");
	free(s);
	assert_false(path_exists(nw));
	assert_false(path_exists(ex));
	s = slurp(conf);
	assert_string_equal(s, "a=1\n# kept\n");
	free(s);
	struct stat st;
	assert_int_equal(stat(conf, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0640);
	char *aside = xasprintf("%s/moved-aside/1/old.jar", f->r1);
	assert_false(path_exists(aside));
	/* again: every item finds itself done, nothing fails, nothing changes */
	struct logs lg2 = {0};
	assert_int_equal(run_rb(f, &p, &lg2), 0);
	assert_int_equal(lg2.errors, 0);
	s = slurp(old);
	assert_string_equal(s, "OLD JAR");
	free(s);
	/* the roll-back journal holds one undo record per item and pass */
	char *jp = xasprintf("%s/runs/RB/journal.jsonl", f->state);
	struct strvec lines = STRVEC_INIT;
	assert_int_equal(journal_read_lines(jp, &lines, NULL), 0);
	assert_int_equal(lines.n, 8);
	assert_non_null(strstr(lines.v[4], "already gone"));
	sv_free(&lines);
	/* the earlier attempt is found (it has no run.json outcome: write one saying it failed) */
	char *meta = xasprintf("%s/runs/RB", f->state);
	rollback_write_meta(meta, "RB", "R2", 1.0, "failed");
	struct strvec keys = STRVEC_INIT;
	char *earlier = rollback_find_unfinished(f->state, "R2", "OTHER", &keys);
	assert_non_null(earlier);
	assert_string_equal(earlier, "RB");
	assert_int_equal(keys.n, 8);
	free(earlier);
	sv_free(&keys);
	assert_null(rollback_find_unfinished(f->state, "R2", "RB", NULL));
	/* marked: a second roll-back is refused by the caller (rolled_back_by) */
	rollback_mark_done(&p, "RB");
	rollback_plan_free(&p);
	assert_int_equal(rollback_plan_load(f->state, "R2", &p, NULL), 0);
	assert_non_null(p.rolled_back_by);
	assert_string_equal(p.rolled_back_by, "RB");
	rollback_plan_free(&p);
	free(meta), free(jp), free(aside), free(old), free(nw), free(ex), free(conf);
}

static void test_changed_files_are_kept(void **state)
{
	struct fx *f = *state;
	char *nw = xasprintf("%s/lib/new.jar", f->world), *conf = xasprintf("%s/conf/a.properties", f->world);
	put(nw, "SOMEONE ELSE'S JAR", 0644);          /* changed after the run added it */
	put(conf, "a=3\n# edited by hand\n", 0640);   /* edited after the run wrote it */
	struct rb_plan p;
	assert_int_equal(rollback_plan_load(f->state, "R2", &p, NULL), 0);
	struct logs lg = {0};
	assert_int_equal(run_rb(f, &p, &lg), 0);
	assert_int_equal(lg.warns, 2);
	char *kept = xasprintf("%s.upwiz-rollback-RB", nw);
	char *s = slurp(kept);
	assert_non_null(s);
	assert_string_equal(s, "SOMEONE ELSE'S JAR");
	free(s);
	assert_false(path_exists(nw));
	free(kept);
	kept = xasprintf("%s.upwiz-rollback-RB", conf);
	s = slurp(kept);
	assert_string_equal(s, "a=3\n# edited by hand\n");
	free(s);
	s = slurp(conf);
	assert_string_equal(s, "a=1\n# kept\n");
	free(s);
	free(kept), free(nw), free(conf);
	rollback_plan_free(&p);
}

static void test_lost_file_fails(void **state)
{
	struct fx *f = *state;
	char *aside = xasprintf("%s/moved-aside/1/old.jar", f->r1);
	assert_int_equal(unlink(aside), 0);   /* neither in the run folder nor at its place */
	struct rb_plan p;
	assert_int_equal(rollback_plan_load(f->state, "R2", &p, NULL), 0);
	struct logs lg = {0};
	assert_int_equal(run_rb(f, &p, &lg), 1);
	assert_int_equal(lg.errors, 1);
	rollback_plan_free(&p);
	free(aside);
}

/* Sandbox: with the guard on, an item outside the root is refused and left alone; the rest is done. */
static void test_guard_refuses_outside(void **state)
{
	struct fx *f = *state;
	char *root = xasprintf("%s/conf", f->world);
	guard_enable(root, NULL);
	struct rb_plan p;
	assert_int_equal(rollback_plan_load(f->state, "R2", &p, NULL), 0);
	struct logs lg = {0};
	assert_int_equal(run_rb(f, &p, &lg), 3);      /* the three lib/ items */
	guard_disable();
	char *conf = xasprintf("%s/conf/a.properties", f->world), *ex = xasprintf("%s/lib/extra.jar", f->world);
	char *s = slurp(conf);
	assert_string_equal(s, "a=1\n# kept\n");      /* inside: restored */
	free(s);
	assert_true(path_exists(ex));                  /* outside: untouched */
	free(conf), free(ex), free(root);
	rollback_plan_free(&p);
}

static void test_db_without_dump(void **state)
{
	struct fx *f = *state;
	jline(f->r1, "{\"t\":\"stmt_done\",\"file\":\"x.sql\",\"index\":1,\"affected\":0}");
	struct rb_plan p;
	assert_int_equal(rollback_plan_load(f->state, "R1", &p, NULL), 0);
	assert_true(p.db_touched);
	assert_false(p.have_dump);
	char *text = rollback_plan_text(&p);
	assert_non_null(strstr(text, "NO verified dump"));
	free(text);
	rollback_plan_free(&p);
	char *l = xasprintf("{\"t\":\"backup\",\"kind\":\"database\",\"path\":\"%s/linkis.sql\",\"sha256\":\"ab\",\"tables\":3,"
			    "\"verified\":true,\"conn\":{\"host\":\"h\",\"port\":3307,\"socket\":\"\",\"user\":\"u\",\"database\":\"linkis\","
			    "\"password_var\":\"DB_PASSWORD\"}}", f->r1);
	jline(f->r1, l);
	free(l);
	assert_int_equal(rollback_plan_load(f->state, "R1", &p, NULL), 0);
	assert_true(p.have_dump);
	assert_int_equal(p.db_port, 3307);
	assert_string_equal(p.db_password_var, "DB_PASSWORD");
	assert_int_equal(p.items[p.n - 1].kind, RB_DATABASE);   /* the database last */
	assert_string_equal(p.items[p.n - 1].path, "linkis");
	rollback_plan_free(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_plan_chain_and_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_execute_twice, setup, teardown),
		cmocka_unit_test_setup_teardown(test_changed_files_are_kept, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lost_file_fails, setup, teardown),
		cmocka_unit_test_setup_teardown(test_guard_refuses_outside, setup, teardown),
		cmocka_unit_test_setup_teardown(test_db_without_dump, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
