/*
 * test_answers.c: the answers file of an unattended run: vars, answers keyed by question id,
 * resume, values kept as written (YAML's 1 and yes are text here), errors at FILE:LINE:COL.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/answers.h"

static struct answers *load(const char *text)
{
	char *cause = NULL;
	struct answers *a = answers_load_buf("a.yaml", text, strlen(text), &cause);
	if (!a)
		fail_msg("%s", cause);
	return a;
}

static void expect_error(const char *text, const char *part)
{
	char *cause = NULL;
	struct answers *a = answers_load_buf("a.yaml", text, strlen(text), &cause);
	if (a)
		fail_msg("loaded, expected %s", part);
	assert_non_null(cause);
	if (!strstr(cause, part))
		fail_msg("expected '%s' in '%s'", part, cause);
	free(cause);
}

static void test_full_file(void **state)
{
	(void)state;
	struct answers *a = load("vars:\n  LINKIS_HOME: /opt/linkis\n  DB_PORT: 3306\n"
				 "answers:\n  precautions: yes\n  clear-tables: 1\n  clear-tables.confirm: \"linkis\"\n"
				 "  backup: \"yes\"\nresume: yes\n");
	assert_string_equal(answers_var(a, "LINKIS_HOME"), "/opt/linkis");
	assert_string_equal(answers_var(a, "DB_PORT"), "3306");
	assert_null(answers_var(a, "NOPE"));
	assert_string_equal(answers_get(a, "precautions"), "yes");
	assert_string_equal(answers_get(a, "clear-tables"), "1");
	assert_string_equal(answers_get(a, "clear-tables.confirm"), "linkis");
	assert_string_equal(answers_get(a, "backup"), "yes");
	assert_null(answers_get(a, "sql-apply"));
	assert_int_equal(a->resume, 1);
	answers_free(a);
}

static void test_partial_files(void **state)
{
	(void)state;
	struct answers *a = load("answers:\n  start: \"yes\"\n");
	assert_int_equal(a->resume, -1);   /* unset: the offer is a question like any other */
	assert_null(answers_var(a, "X"));
	answers_free(a);
	a = load("resume: no\n");
	assert_int_equal(a->resume, 0);
	assert_null(answers_get(a, "start"));
	answers_free(a);
	a = load("vars: {}\nanswers: {}\n");
	assert_null(answers_get(a, "x"));
	answers_free(a);
}

static void test_errors(void **state)
{
	(void)state;
	expect_error("vars: {}\nanswer:\n  a: b\n", "a.yaml:2:1: unknown field 'answer'");
	expect_error("answers:\n  a: [ 1, 2 ]\n", "a.yaml:2:6: the value of 'a' must be text");
	expect_error("answers: [ a ]\n", "a.yaml:1:10: 'answers' must be a mapping");
	expect_error("resume: maybe\n", "a.yaml:1:9: field 'resume' must be yes or no");
	expect_error("- a\n", "a.yaml:1:1: an answers file must be a mapping");
	expect_error("answers:\n  a: \"unclosed\n", "a.yaml:");
	char *cause = NULL;
	assert_null(answers_load("/nonexistent/answers.yaml", &cause));
	assert_non_null(strstr(cause, "/nonexistent/answers.yaml"));
	free(cause);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full_file),
		cmocka_unit_test(test_partial_files),
		cmocka_unit_test(test_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
