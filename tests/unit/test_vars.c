/*
 * test_vars.c: ${NAME} expansion in its three modes, secrets registered with the redactor the
 * moment they are set, when: conditions, and dotted version comparisons.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/redact.h"
#include "core/vars.h"

static char *expand_ok(struct vars *v, const char *t, enum expand_mode m)
{
	char *cause = NULL;
	char *s = vars_expand(v, t, m, &cause);
	if (!s)
		fail_msg("expand '%s': %s", t, cause);
	return s;
}

static void expect_expand(struct vars *v, const char *t, enum expand_mode m, const char *want)
{
	char *s = expand_ok(v, t, m);
	assert_string_equal(s, want);
	free(s);
}

static void expect_expand_error(struct vars *v, const char *t, enum expand_mode m, const char *part)
{
	char *cause = NULL;
	char *s = vars_expand(v, t, m, &cause);
	if (s)
		fail_msg("'%s' expanded to '%s', expected an error", t, s);
	assert_non_null(cause);
	if (!strstr(cause, part))
		fail_msg("expected '%s' in '%s'", part, cause);
	free(cause);
}

static void test_expand_modes(void **state)
{
	(void)state;
	struct vars *v = vars_new(NULL);
	vars_set(v, "HOME_DIR", "/opt/linkis 1.4", 0);
	vars_set(v, "Q", "it's", 0);
	vars_set(v, "EMPTY", "", 0);
	expect_expand(v, "${HOME_DIR}/conf", EXPAND_PLAIN, "/opt/linkis 1.4/conf");
	expect_expand(v, "cost $$5 at ${HOME_DIR}", EXPAND_PLAIN, "cost $5 at /opt/linkis 1.4");
	expect_expand(v, "ls ${HOME_DIR}/lib", EXPAND_SHELL, "ls '/opt/linkis 1.4'/lib");
	expect_expand(v, "echo ${Q}", EXPAND_SHELL, "echo 'it'\\''s'");
	expect_expand(v, "[${EMPTY}]", EXPAND_PLAIN, "[]");
	expect_expand(v, "no refs at all", EXPAND_SHELL, "no refs at all");
	expect_expand_error(v, "${NOPE}/x", EXPAND_PLAIN, "NOPE");
	expect_expand_error(v, "${HOME_DIR", EXPAND_PLAIN, "");
	assert_string_equal(vars_get(v, "Q"), "it's");
	assert_null(vars_get(v, "NOPE"));
	vars_set(v, "Q", "changed", 0);   /* set again replaces */
	assert_string_equal(vars_get(v, "Q"), "changed");
	assert_int_equal(vars_count(v), 3);
	vars_free(v);
}

static void test_secrets(void **state)
{
	(void)state;
	struct redactor *red = redactor_new();
	struct vars *v = vars_new(red);
	assert_int_equal(vars_set(v, "PW", "s3cret-pass", 1), 0);
	assert_int_equal(vars_set(v, "TOK", "BML-0123456789abcdef", 2), 0);
	assert_true(vars_is_secret(v, "PW"));
	assert_false(vars_is_secret(v, "NOPE"));
	/* never on a command line */
	expect_expand_error(v, "mysql -p${PW}", EXPAND_SHELL, "PW");
	/* displayed masked */
	char *d = expand_ok(v, "password ${PW}", EXPAND_DISPLAY);
	assert_null(strstr(d, "s3cret-pass"));
	free(d);
	/* in a plan: masked too, and a name not set yet stays as written */
	expect_expand_error(v, "cp ${LATER} ${PW}", EXPAND_DISPLAY, "LATER");
	d = expand_ok(v, "cp ${LATER} $${HOME} ${PW}", EXPAND_PLAN);
	assert_string_equal(d, "cp ${LATER} ${HOME} ********");
	free(d);
	/* registered with the redactor the moment it was set: any later text is masked */
	char *r = redactor_apply(red, "connect with s3cret-pass and token BML-0123456789abcdef done");
	assert_null(strstr(r, "s3cret-pass"));
	assert_null(strstr(r, "0123456789ab"));
	assert_non_null(strstr(r, "BML-"));   /* tokens keep their prefix ... */
	assert_non_null(strstr(r, "cdef"));   /* ... and their last 4 characters */
	assert_non_null(strstr(r, " done"));
	free(r);
	/* too short to mask safely: refused, but still set */
	assert_int_equal(vars_set(v, "SHORT", "abc", 1), -1);
	assert_string_equal(vars_get(v, "SHORT"), "abc");
	vars_free(v);
	redactor_free(red);
}

static void test_refs(void **state)
{
	(void)state;
	struct strvec names = STRVEC_INIT;
	vars_refs("${A}/x/${B_2}$${NOT}${A}", &names);
	int a = 0, b = 0, not = 0;
	for (size_t i = 0; i < names.n; i++) {
		a += strcmp(names.v[i], "A") == 0;
		b += strcmp(names.v[i], "B_2") == 0;
		not += strcmp(names.v[i], "NOT") == 0;
	}
	assert_true(a >= 1);
	assert_int_equal(b, 1);
	assert_int_equal(not, 0);   /* $${...} is a literal */
	sv_free(&names);
}

static int cond(struct vars *v, const char *e)
{
	char *cause = NULL;
	int r = cond_eval(v, e, NULL, &cause);
	if (r < 0)
		fail_msg("'%s': %s", e, cause);
	return r;
}

static void test_conditions(void **state)
{
	(void)state;
	struct vars *v = vars_new(NULL);
	vars_set(v, "CLEAR", "1", 0);
	vars_set(v, "MODE", "semi downtime", 0);
	vars_set(v, "EMPTY", "", 0);
	assert_int_equal(cond(v, "CLEAR == \"1\""), 1);
	assert_int_equal(cond(v, "CLEAR == \"2\""), 0);
	assert_int_equal(cond(v, "CLEAR != \"2\""), 1);
	assert_int_equal(cond(v, "MODE == \"semi downtime\""), 1);
	assert_int_equal(cond(v, "CLEAR"), 1);
	assert_int_equal(cond(v, "EMPTY"), 0);
	assert_int_equal(cond(v, "!EMPTY"), 1);
	assert_int_equal(cond(v, "CLEAR == \"1\" && EMPTY"), 0);
	assert_int_equal(cond(v, "CLEAR == \"2\" || MODE"), 1);
	/* && binds tighter than || */
	assert_int_equal(cond(v, "CLEAR == \"1\" || EMPTY && EMPTY"), 1);
	assert_int_equal(cond(v, "(CLEAR == \"1\" || EMPTY) && EMPTY"), 0);
	assert_int_equal(cond(v, "!(CLEAR == \"2\")"), 1);

	static const char *const bad[] = {"CLEAR ==", "CLEAR == \"1", "(CLEAR", "CLEAR = \"1\"", "&& CLEAR", ""};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		char *cause = NULL;
		if (cond_eval(v, bad[i], NULL, &cause) != -1)
			fail_msg("'%s' should be a syntax error", bad[i]);
		assert_non_null(cause);
		free(cause);
	}
	/* syntax only, collecting names */
	struct strvec names = STRVEC_INIT;
	char *cause = NULL;
	assert_true(cond_eval(NULL, "A == \"x\" || !B", &names, &cause) >= 0);
	assert_int_equal(names.n, 2);
	sv_free(&names);
	vars_free(v);
}

static void test_versions(void **state)
{
	(void)state;
	assert_int_equal(version_cmp("3.3.4", "3.3", 1), 0);
	assert_true(version_cmp("3.3.4", "3.3", 0) > 0);
	assert_true(version_cmp("3.10", "3.9", 0) > 0);   /* numeric, not lexical */
	assert_true(version_cmp("1.3.2", "1.4.0", 0) < 0);
	assert_int_equal(version_check("3.3.4", "== 3.3"), 1);
	assert_int_equal(version_check("3.2.1", "== 3.3"), 0);
	assert_int_equal(version_check("1.8.0", ">= 1.8"), 1);
	assert_int_equal(version_check("11.0.2", ">= 1.8"), 1);
	assert_int_equal(version_check("1.7.0", ">= 1.8"), 0);
	assert_int_equal(version_check("3.3.0", "> 3.3.0"), 0);
	assert_int_equal(version_check("3.3.1", "> 3.3.0"), 1);
	assert_int_equal(version_check("3.3.0", "<= 3.3.0"), 1);
	assert_int_equal(version_check("2.4.3", "!= 3.2"), 1);
	assert_int_equal(version_check("3.3", "~ 3.3"), -1);
	assert_int_equal(version_check("3.3", ">="), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_expand_modes), cmocka_unit_test(test_secrets),   cmocka_unit_test(test_refs),
		cmocka_unit_test(test_conditions),   cmocka_unit_test(test_versions),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
