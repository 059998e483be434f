/*
 * test_view.c: the client view model folded from engine events (core/view.c): a scripted run
 * (hello, steps, current, item upsert, body, progress, questions, finished), the log ring
 * wrapping, last_error, hello resetting the view, garbage of every kind ignored without a
 * change, the size limits, and a million log lines through a small ring.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "core/view.h"

static int apply(struct view *v, const char *line)
{
	return view_apply(v, line, strlen(line));
}

#define OK(v, line) assert_int_equal(apply(v, line), 0)
#define BAD(v, line) assert_int_equal(apply(v, line), -1)

static const char HELLO[] =
	"{\"t\":\"hello\",\"run\":\"r1\",\"profile\":\"dss\",\"title\":\"DSS upgrade\",\"from\":\"1.1\","
	"\"to\":\"1.2\",\"target\":\"prod\",\"started\":1700000000,\"sandbox\":true,\"role\":\"control\","
	"\"version\":\"0.1.0\",\"steps\":["
	"{\"id\":\"pre\",\"title\":\"Precautions\",\"kind\":\"precautions\",\"help\":\"h\",\"state\":\"done\",\"reversible\":true},"
	"{\"id\":\"env\",\"title\":\"Environment\",\"kind\":\"envcheck\",\"state\":\"pending\",\"reversible\":true},"
	"{\"id\":\"sql\",\"title\":\"Apply SQL\",\"kind\":\"sqlapply\",\"state\":\"pending\",\"reversible\":false}]}";

static void test_scripted_run(void **state)
{
	struct view v;
	view_init(&v, 16);
	assert_int_equal(v.current, -1);
	OK(&v, HELLO);
	assert_string_equal(v.run, "r1");
	assert_string_equal(v.profile, "dss");
	assert_string_equal(v.title, "DSS upgrade");
	assert_string_equal(v.from, "1.1");
	assert_string_equal(v.to, "1.2");
	assert_string_equal(v.target, "prod");
	assert_string_equal(v.role, "control");
	assert_string_equal(v.version, "0.1.0");
	assert_true(v.started == 1700000000.0);
	assert_int_equal(v.sandbox, 1);
	assert_int_equal(v.nsteps, 3);
	assert_int_equal(v.current, -1);
	assert_int_equal(v.steps[0].state, ST_DONE);
	assert_int_equal(v.steps[2].reversible, 0);
	assert_int_equal(v.steps[1].reversible, 1);
	assert_string_equal(v.steps[0].help, "h");
	assert_null(v.steps[1].help);
	assert_ptr_equal(view_step_by_id(&v, "sql"), &v.steps[2]);
	assert_null(view_step_by_id(&v, "nope"));
	assert_null(view_step_by_id(&v, NULL));

	unsigned long long g = v.generation;
	double before = wall_time();
	OK(&v, "{\"t\":\"step\",\"id\":\"env\",\"state\":\"running\",\"note\":\"checking\"}");
	assert_true(v.generation > g);
	assert_int_equal(v.current, 1);
	assert_int_equal(v.steps[1].state, ST_RUNNING);
	assert_string_equal(v.steps[1].note, "checking");
	assert_true(v.steps[1].started >= before && v.steps[1].started <= wall_time());
	assert_true(v.steps[1].finished == 0);

	/* items: insert, then the same key replaces (fields not sent are cleared) */
	OK(&v, "{\"t\":\"item\",\"step\":\"env\",\"key\":\"hadoop\",\"name\":\"Hadoop 3.3.x\",\"status\":\"run\"}");
	OK(&v, "{\"t\":\"item\",\"step\":\"env\",\"key\":\"java\",\"name\":\"Java\",\"status\":\"pass\",\"detail\":\"17\"}");
	OK(&v, "{\"t\":\"item\",\"step\":\"env\",\"key\":\"hadoop\",\"name\":\"Hadoop 3.3.x\",\"status\":\"fail\","
	       "\"detail\":\"3.1.0\",\"fix\":\"install 3.3\"}");
	struct view_step *env = view_step_by_id(&v, "env");
	assert_int_equal(env->nitems, 2);
	assert_string_equal(env->items[0].key, "hadoop");
	assert_string_equal(env->items[0].status, "fail");
	assert_string_equal(env->items[0].detail, "3.1.0");
	assert_string_equal(env->items[0].fix, "install 3.3");
	assert_string_equal(env->items[1].status, "pass");
	OK(&v, "{\"t\":\"item\",\"step\":\"env\",\"key\":\"hadoop\",\"name\":\"Hadoop 3.3.x\",\"status\":\"pass\"}");
	assert_int_equal(env->nitems, 2);
	assert_string_equal(env->items[0].status, "pass");
	assert_null(env->items[0].fix);
	assert_null(env->items[0].detail);

	OK(&v, "{\"t\":\"body\",\"step\":\"env\",\"text\":\"line 1\\nline 2\"}");
	assert_string_equal(env->body, "line 1\nline 2");
	OK(&v, "{\"t\":\"body\",\"step\":\"env\",\"text\":\"replaced\"}");
	assert_string_equal(env->body, "replaced");
	OK(&v, "{\"t\":\"progress\",\"step\":\"env\",\"done\":40,\"total\":120,\"label\":\"statements\"}");
	assert_true(env->prog_done == 40 && env->prog_total == 120);
	assert_string_equal(env->prog_label, "statements");
	assert_null(env->prog_unit);   /* not said */
	OK(&v, "{\"t\":\"progress\",\"step\":\"env\",\"done\":1,\"total\":3,\"unit\":\"\",\"label\":\"Hosts 2/3: node2\"}");
	assert_string_equal(env->prog_unit, "");   /* a plain count: the label says of what */
	OK(&v, "{\"t\":\"progress\",\"step\":\"env\",\"done\":10,\"total\":300,\"unit\":\"s\",\"label\":\"Eureka\"}");
	assert_string_equal(env->prog_unit, "s");

	OK(&v, "{\"t\":\"step\",\"id\":\"env\",\"state\":\"done\"}");
	assert_int_equal(env->state, ST_DONE);
	assert_true(env->finished >= env->started);
	assert_null(env->note);
	assert_int_equal(v.current, 1);   /* stays on the last one until the next starts */

	/* a question, an answer for another qid (no change), then the matching one */
	OK(&v, "{\"t\":\"step\",\"id\":\"sql\",\"state\":\"waiting\"}");
	assert_int_equal(v.current, 2);
	OK(&v, "{\"t\":\"ask\",\"qid\":\"sql\",\"step\":\"sql\",\"kind\":\"choice\",\"prompt\":\"Keep or clear\","
	       "\"detail\":\"d\",\"default\":\"keep\",\"options\":[{\"key\":\"keep\",\"label\":\"Keep\"},"
	       "{\"key\":\"clear\",\"label\":\"Clear\",\"danger\":true},{\"label\":\"no key: dropped\"},7]}");
	assert_non_null(v.ask);
	assert_string_equal(v.ask->qid, "sql");
	assert_string_equal(v.ask->kind, "choice");
	assert_string_equal(v.ask->def, "keep");
	assert_int_equal(v.ask->noptions, 2);
	assert_int_equal(v.ask->options[0].danger, 0);
	assert_int_equal(v.ask->options[1].danger, 1);
	assert_string_equal(v.ask->options[1].label, "Clear");
	OK(&v, "{\"t\":\"ask\",\"qid\":\"sql2\",\"kind\":\"confirm\",\"expect\":\"CLEAR\"}");
	assert_string_equal(v.ask->qid, "sql2");   /* replaces */
	assert_string_equal(v.ask->expect, "CLEAR");
	assert_int_equal(v.ask->noptions, 0);
	g = v.generation;
	OK(&v, "{\"t\":\"answered\",\"qid\":\"other\",\"value\":\"x\",\"by\":\"me\"}");
	assert_non_null(v.ask);
	assert_int_equal(v.generation, g);
	OK(&v, "{\"t\":\"answered\",\"qid\":\"sql2\",\"value\":\"CLEAR\",\"by\":\"operator\"}");
	assert_null(v.ask);
	assert_true(v.generation > g);

	OK(&v, "{\"t\":\"role\",\"role\":\"watch\"}");
	assert_string_equal(v.role, "watch");

	/* a retry restarts the clock */
	OK(&v, "{\"t\":\"step\",\"id\":\"sql\",\"state\":\"failed\",\"note\":\"boom\"}");
	assert_true(v.steps[2].finished > 0);
	OK(&v, "{\"t\":\"step\",\"id\":\"sql\",\"state\":\"running\",\"reversible\":false}");
	assert_true(v.steps[2].finished == 0);
	assert_int_equal(v.steps[2].reversible, 0);

	assert_int_equal(v.finished, 0);
	OK(&v, "{\"t\":\"finished\",\"outcome\":\"failed\",\"exit\":3,\"summary\":\"two lines\\nhere\"}");
	assert_int_equal(v.finished, 1);
	assert_string_equal(v.outcome, "failed");
	assert_int_equal(v.exit_code, 3);
	assert_string_equal(v.summary, "two lines\nhere");
	view_free(&v);
}

static void test_log_ring_wraps(void **state)
{
	struct view v;
	view_init(&v, 4);
	assert_null(view_log_at(&v, 0));
	char line[200];
	for (int i = 0; i < 10; i++) {
		snprintf(line, sizeof line,
		         "{\"t\":\"log\",\"ts\":%d.5,\"level\":\"%s\",\"step\":\"s%d\",\"text\":\"line %d\"}", 1000 + i,
		         i == 3 ? "error" : i == 5 ? "cmd" : "info", i, i);
		OK(&v, line);
	}
	assert_int_equal(v.log_total, 10);
	assert_int_equal(v.log_len, 4);
	for (int i = 0; i < 4; i++) {
		const struct view_log_line *l = view_log_at(&v, (size_t)i);
		assert_non_null(l);
		snprintf(line, sizeof line, "line %d", 9 - i);
		assert_string_equal(l->text, line);
		snprintf(line, sizeof line, "s%d", 9 - i);
		assert_string_equal(l->step, line);
		assert_true(l->t == 1000 + 9 - i + 0.5);
	}
	assert_null(view_log_at(&v, 4));
	assert_string_equal(v.last_error, "line 3");
	assert_string_equal(view_log_at(&v, 3)->level, "info");
	/* no step, no level: defaults; an odd level is cut to fit */
	OK(&v, "{\"t\":\"log\",\"text\":\"bare\"}");
	assert_null(view_log_at(&v, 0)->step);
	assert_string_equal(view_log_at(&v, 0)->level, "info");
	OK(&v, "{\"t\":\"log\",\"level\":\"verylonglevel\",\"text\":\"\"}");
	assert_string_equal(view_log_at(&v, 0)->level, "verylon");
	assert_string_equal(view_log_at(&v, 0)->text, "");
	BAD(&v, "{\"t\":\"log\",\"level\":\"info\"}");   /* no text */
	BAD(&v, "{\"t\":\"log\",\"text\":5}");
	assert_int_equal(v.log_total, 12);
	OK(&v, "{\"t\":\"log\",\"level\":\"error\",\"text\":\"second error\"}");
	assert_string_equal(v.last_error, "second error");
	view_free(&v);

	/* a ring of 0 keeps nothing but still counts and remembers the last error */
	view_init(&v, 0);
	OK(&v, "{\"t\":\"log\",\"level\":\"error\",\"text\":\"e\"}");
	assert_int_equal(v.log_total, 1);
	assert_int_equal(v.log_len, 0);
	assert_null(view_log_at(&v, 0));
	assert_string_equal(v.last_error, "e");
	view_free(&v);
}

/* `skipped`: the engine did not send some output lines to this client; one marker line stands
 * for them and the run's count stays true. */
static void test_skipped(void **state)
{
	(void)state;
	struct view v;
	view_init(&v, 8);
	OK(&v, "{\"t\":\"log\",\"level\":\"out\",\"step\":\"f\",\"text\":\"line 1\"}");
	unsigned long long g = v.generation;
	BAD(&v, "{\"t\":\"skipped\",\"lines\":0}");
	BAD(&v, "{\"t\":\"skipped\",\"lines\":-3}");
	BAD(&v, "{\"t\":\"skipped\",\"lines\":\"5\"}");
	BAD(&v, "{\"t\":\"skipped\"}");
	assert_int_equal(v.generation, g);
	assert_int_equal(v.log_total, 1);
	OK(&v, "{\"t\":\"skipped\",\"ts\":5.5,\"lines\":12345,\"step\":\"f\"}");
	assert_true(v.generation > g);
	const struct view_log_line *l = view_log_at(&v, 0);
	assert_string_equal(l->level, "skip");
	assert_string_equal(l->step, "f");
	assert_non_null(strstr(l->text, "12345 lines not shown"));
	assert_true(l->t == 5.5);
	OK(&v, "{\"t\":\"log\",\"level\":\"out\",\"step\":\"f\",\"text\":\"line 12347\"}");
	assert_int_equal(v.log_total, 3);
	assert_int_equal(v.log_marks, 1);
	assert_int_equal(v.log_skipped, 12345);
	assert_int_equal(view_log_count(&v), 12347);
	assert_string_equal(view_log_at(&v, 2)->text, "line 1");
	/* a hello starts over */
	OK(&v, "{\"t\":\"hello\",\"run\":\"r\",\"steps\":[]}");
	assert_int_equal(view_log_count(&v), 0);
	view_free(&v);
}

static void test_hello_resets(void **state)
{
	struct view v;
	view_init(&v, 4);
	OK(&v, HELLO);
	OK(&v, "{\"t\":\"step\",\"id\":\"env\",\"state\":\"running\"}");
	OK(&v, "{\"t\":\"item\",\"step\":\"env\",\"key\":\"k\",\"status\":\"pass\"}");
	OK(&v, "{\"t\":\"log\",\"level\":\"error\",\"text\":\"old\"}");
	OK(&v, "{\"t\":\"ask\",\"qid\":\"q\",\"kind\":\"next\"}");
	OK(&v, "{\"t\":\"finished\",\"outcome\":\"aborted\",\"exit\":1}");
	unsigned long long g = v.generation;
	/* a re-attach: different steps, one running */
	OK(&v, "{\"t\":\"hello\",\"run\":\"r2\",\"role\":\"watch\",\"steps\":[{\"id\":\"a\",\"state\":\"done\"},"
	       "{\"id\":\"b\",\"state\":\"running\",\"started\":123},{\"id\":\"b\",\"state\":\"done\"},"
	       "{\"title\":\"no id\"},{\"id\":\"c\",\"state\":\"bogus\"}]}");
	assert_true(v.generation > g);
	assert_string_equal(v.run, "r2");
	assert_null(v.profile);
	assert_null(v.title);
	assert_int_equal(v.sandbox, 0);
	assert_int_equal(v.nsteps, 3);   /* duplicate and id-less steps dropped */
	assert_int_equal(v.current, 1);
	assert_true(v.steps[1].started == 123);
	assert_int_equal(v.steps[2].state, ST_PENDING);
	assert_null(v.ask);
	assert_null(v.last_error);
	assert_int_equal(v.finished, 0);
	assert_null(v.outcome);
	assert_int_equal(v.log_len, 0);
	assert_int_equal(v.log_total, 0);
	assert_null(view_step_by_id(&v, "env"));
	/* the ring still works after the reset */
	OK(&v, "{\"t\":\"log\",\"text\":\"new\"}");
	assert_string_equal(view_log_at(&v, 0)->text, "new");
	/* a hello without steps */
	OK(&v, "{\"t\":\"hello\"}");
	assert_int_equal(v.nsteps, 0);
	assert_int_equal(v.current, -1);
	view_free(&v);
}

/* The target arrives after the hello once the engine has resolved the variables. */
static void test_target_event(void **state)
{
	(void)state;
	struct view v;
	view_init(&v, 4);
	OK(&v, "{\"t\":\"hello\",\"run\":\"r\",\"target\":\"\",\"steps\":[{\"id\":\"a\"}]}");
	assert_string_equal(v.target, "");
	unsigned long long g = v.generation;
	OK(&v, "{\"t\":\"target\",\"target\":\"db linkis@h:3306\"}");
	assert_string_equal(v.target, "db linkis@h:3306");
	assert_true(v.generation > g);
	assert_int_equal(view_apply(&v, "{\"t\":\"target\"}", 14), -1);   /* no target: rejected */
	assert_string_equal(v.target, "db linkis@h:3306");
	view_free(&v);
}

static void test_garbage_ignored(void **state)
{
	struct view v;
	view_init(&v, 4);
	OK(&v, HELLO);
	OK(&v, "{\"t\":\"step\",\"id\":\"env\",\"state\":\"running\"}");
	unsigned long long g = v.generation;
	static const char *const bad[] = {
		"", "   ", "not json", "{", "}", "[]", "[1,2]", "42", "\"str\"", "null", "true",
		"{}", "{\"t\":5}", "{\"t\":null}", "{\"t\":\"step\"}",
		"{\"t\":\"step\",\"id\":\"nope\",\"state\":\"running\"}",
		"{\"t\":\"step\",\"id\":\"env\",\"state\":\"sleeping\"}",
		"{\"t\":\"step\",\"id\":\"env\",\"state\":7}",
		"{\"t\":\"step\",\"id\":[\"env\"],\"state\":\"done\"}",
		"{\"t\":\"item\",\"step\":\"env\"}",
		"{\"t\":\"item\",\"step\":\"nope\",\"key\":\"k\"}",
		"{\"t\":\"item\",\"step\":\"env\",\"key\":{}}",
		"{\"t\":\"body\",\"step\":\"nope\",\"text\":\"x\"}",
		"{\"t\":\"progress\",\"step\":1}",
		"{\"t\":\"ask\",\"kind\":\"next\"}",
		"{\"t\":\"answered\"}",
		"{\"t\":\"role\",\"role\":1}",
		"{\"t\":\"step\",\"id\":\"env\",\"state\":\"done\"} trailing",
		"{\"t\":\"step\",\"id\":\"env\",\"state\":\"done\",}",
		"{\"t\":\"log\",\"text\":\"nul\\u0000inside\"}",
		"{\"t\":\"log\",\"text\":\"\xff\xfe not utf-8\"}",
		"{\"t\":\"log\",\"text\":\"unterminated}",
	};
	for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
		if (apply(&v, bad[i]) != -1)
			fail_msg("accepted: %s", bad[i]);
		assert_int_equal(v.generation, g);
	}
	/* a NULL line, embedded NUL bytes in the buffer */
	assert_int_equal(view_apply(&v, NULL, 0), -1);
	static const char nul[] = "{\"t\":\"log\"\0,\"text\":\"x\"}";
	assert_int_equal(view_apply(&v, nul, sizeof nul - 1), -1);
	/* unknown `t`: not an error, no change */
	assert_int_equal(apply(&v, "{\"t\":\"from-the-future\",\"x\":1}"), 0);
	assert_int_equal(v.generation, g);
	/* wrong types in optional fields read as absent */
	OK(&v, "{\"t\":\"item\",\"step\":\"env\",\"key\":\"k\",\"name\":7,\"status\":[],\"detail\":{}}");
	assert_null(view_step_by_id(&v, "env")->items[0].name);
	OK(&v, "{\"t\":\"progress\",\"step\":\"env\",\"done\":\"x\",\"total\":null}");
	OK(&v, "{\"t\":\"finished\",\"exit\":1e300,\"outcome\":3}");
	assert_int_equal(v.exit_code, 2147483647);
	OK(&v, "{\"t\":\"finished\",\"exit\":-99999999999999}");
	assert_int_equal(v.exit_code, -2147483647 - 1);
	OK(&v, "{\"t\":\"finished\"}");
	assert_int_equal(v.exit_code, 1);
	/* deep nesting is refused by the parser, not by the stack */
	size_t depth = 100000;
	char *deep = xmalloc(depth * 2 + 1);
	memset(deep, '[', depth);
	memset(deep + depth, ']', depth);
	deep[2 * depth] = '\0';
	assert_int_equal(view_apply(&v, deep, 2 * depth), -1);
	free(deep);
	view_free(&v);
}

static void test_limits(void **state)
{
	struct view v;
	view_init(&v, 2);
	OK(&v, HELLO);
	/* a line over the limit is refused whole */
	size_t big = VIEW_LINE_MAX + 10;
	char *line = xmalloc(big + 1);
	int pre = snprintf(line, big, "{\"t\":\"log\",\"text\":\"");
	memset(line + pre, 'a', big - (size_t)pre - 2);
	memcpy(line + big - 2, "\"}", 3);
	assert_int_equal(view_apply(&v, line, big), -1);
	/* a long log text is cut at a UTF-8 boundary and marked */
	size_t n = 40000;
	pre = snprintf(line, big, "{\"t\":\"log\",\"level\":\"error\",\"text\":\"");
	for (size_t i = 0; i < n; i += 3)
		memcpy(line + pre + i, "\xe5\xaf\x86", 3);   /* 密 */
	size_t end = (size_t)pre + (n / 3) * 3;
	memcpy(line + end, "\"}", 3);
	OK(&v, line);
	const char *t = view_log_at(&v, 0)->text;
	size_t tl = strlen(t);
	assert_true(tl <= VIEW_LOG_TEXT_MAX);
	assert_true(str_ends(t, " [...]"));
	assert_int_equal((tl - 6) % 3, 0);
	assert_string_equal(v.last_error, t);
	/* items per step are capped */
	for (int i = 0; i < VIEW_MAX_ITEMS + 5; i++) {
		snprintf(line, 200, "{\"t\":\"item\",\"step\":\"pre\",\"key\":\"k%d\",\"status\":\"info\"}", i);
		apply(&v, line);
	}
	assert_int_equal(view_step_by_id(&v, "pre")->nitems, VIEW_MAX_ITEMS);
	/* an existing key still updates at the cap */
	OK(&v, "{\"t\":\"item\",\"step\":\"pre\",\"key\":\"k7\",\"status\":\"fail\"}");
	assert_string_equal(view_step_by_id(&v, "pre")->items[7].status, "fail");
	free(line);
	view_free(&v);
}

#if defined(__SANITIZE_ADDRESS__)
#define SANITIZED 1   /* ASan's allocator makes jansson ~10x slower: fewer lines, no timing */
#else
#define SANITIZED 0
#endif

static void test_million_log_lines(void **state)
{
	struct view v;
	view_init(&v, 1000);
	char line[256];
	const int slow = SANITIZED || getenv("UPWIZ_VALGRIND") != NULL;   /* scripts/gates.sh: valgrind */
	const int total = getenv("UPWIZ_VALGRIND") ? 20000 : SANITIZED ? 250000 : 1000000;
	uint64_t t0 = mono_ms();
	for (int i = 0; i < total; i++) {
		int n = snprintf(line, sizeof line,
		                 "{\"t\":\"log\",\"ts\":1700000000.%03d,\"level\":\"%s\",\"step\":\"sql\",\"text\":\"statement %d of 1000000\"}",
		                 i % 1000, i % 1000 == 0 ? "error" : "sql", i);
		assert_int_equal(view_apply(&v, line, (size_t)n), 0);
	}
	uint64_t ms = mono_ms() - t0;
	print_message("%d log lines: %llu ms\n", total, (unsigned long long)ms);
	assert_int_equal(v.log_total, total);
	assert_int_equal(v.log_len, 1000);
	snprintf(line, sizeof line, "statement %d of 1000000", total - 1);
	assert_string_equal(view_log_at(&v, 0)->text, line);
	snprintf(line, sizeof line, "statement %d of 1000000", total - 1000);
	assert_string_equal(view_log_at(&v, 999)->text, line);
	assert_string_equal(v.last_error, line);
	/* slot blocks are reused: none grew past the first size class for such short lines */
	for (size_t i = 0; i < v.log_cap; i++)
		assert_true(v.log[i].cap <= 128);
	(void)slow;   /* the time is printed, not asserted: speed goals live in bench/ */
	view_free(&v);
}

static void test_state_names(void **state)
{
	assert_string_equal(step_state_name(ST_PENDING), "pending");
	assert_string_equal(step_state_name(ST_RUNNING), "running");
	assert_string_equal(step_state_name(ST_WAITING), "waiting");
	assert_string_equal(step_state_name(ST_DONE), "done");
	assert_string_equal(step_state_name(ST_FAILED), "failed");
	assert_string_equal(step_state_name(ST_SKIPPED), "skipped");
	assert_string_equal(step_state_name((enum step_state)42), "unknown");
	/* view_free twice and on a fresh view are harmless */
	struct view v;
	view_init(&v, 3);
	view_free(&v);
	view_free(&v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scripted_run),      cmocka_unit_test(test_log_ring_wraps),
		cmocka_unit_test(test_skipped),           cmocka_unit_test(test_hello_resets),      cmocka_unit_test(test_garbage_ignored),
		cmocka_unit_test(test_limits),            cmocka_unit_test(test_million_log_lines),
		cmocka_unit_test(test_state_names),       cmocka_unit_test(test_target_event),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
