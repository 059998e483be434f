/*
 * test_profile.c: the profile loader reports every error at its FILE:LINE:COL, all at once,
 * and loads the bundled profiles into the model the engine walks.
 *
 * Each case is a small profile: a fixed head (lines 1-11: metadata, two variables, one
 * connection, `steps:`) and a body starting at line 12. The expected position of each error was
 * counted by hand from the text below (1-based, libyaml's start mark of the node named).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/profile.h"
#include "core/util.h"

#define HEAD                                                                    \
	"id: t\n"                                 /*  1 */                      \
	"title: T\n"                              /*  2 */                      \
	"from: \"1\"\n"                           /*  3 */                      \
	"to: \"2\"\n"                             /*  4 */                      \
	"target: x\n"                             /*  5 */                      \
	"vars:\n"                                 /*  6 */                      \
	"  A: { prompt: a }\n"                    /*  7 */                      \
	"  PW: { type: secret }\n"                /*  8 */                      \
	"connections:\n"                          /*  9 */                      \
	"  db: { host: h, user: u, password: \"${PW}\", database: d }\n" /* 10 */ \
	"steps:\n"                                /* 11 */

#define OKSTEP "  - id: ok\n    screen: precautions\n    items: [ \"read this\" ]\n"

static char dir[256];

/* Loads text as DIR/p.yaml; returns the cause (caller frees) or NULL when it loaded. */
static char *load_text(const char *text, struct profile **out)
{
	char *path = xasprintf("%s/p.yaml", dir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	char *cause = NULL;
	struct profile *p = profile_load(path, &cause);
	free(path);
	if (out)
		*out = p;
	else if (p)
		profile_free(p);
	if (p)
		assert_null(cause);
	return cause;
}

/* The load must fail and the cause must hold "p.yaml:POS: MSG". */
static void expect_error(const char *text, const char *pos_msg)
{
	char *cause = load_text(text, NULL);
	if (!cause)
		fail_msg("loaded, expected error %s", pos_msg);
	char *want = xasprintf("p.yaml:%s", pos_msg);
	if (!strstr(cause, want))
		fail_msg("expected '%s' in:\n%s", want, cause);
	free(want);
	free(cause);
}

static void test_head_alone_is_valid(void **state)
{
	(void)state;
	struct profile *p = NULL;
	char *cause = load_text(HEAD OKSTEP, &p);
	assert_null(cause);
	assert_non_null(p);
	assert_string_equal(p->id, "t");
	assert_int_equal(p->nsteps, 1);
	assert_int_equal(p->steps[0].kind, SK_PRECAUTIONS);
	assert_int_equal(p->steps[0].at.line, 12);
	assert_int_equal(p->steps[0].at.col, 5);
	const struct pvar *pw = profile_var(p, "PW");
	assert_non_null(pw);
	assert_true(pw->secret);
	assert_non_null(profile_conn(p, "db"));
	profile_free(p);
}

static void test_schema_errors(void **state)
{
	(void)state;
	expect_error(HEAD "  - id: a\n    screen: nosuch\n", "13:13: unknown screen 'nosuch'");
	expect_error(HEAD "  - id: a\n    screen: envcheck\n    checks:\n      - name: c\n        comand: \"true\"\n",
		     "16:9: unknown field 'comand'");
	expect_error("id: t\ntitle: T\nfrom: \"1\"\nto: \"2\"\ntarget: x\ncolour: red\nsteps:\n" OKSTEP,
		     "6:1: unknown field 'colour'");
	expect_error("title: T\nfrom: \"1\"\nto: \"2\"\ntarget: x\nsteps:\n" OKSTEP, "1:1: missing required field 'id'");
	expect_error("id: t\ntitle: { a: b }\nfrom: \"1\"\nto: \"2\"\ntarget: x\nsteps:\n" OKSTEP,
		     "2:8: field 'title' must be text");
	expect_error(HEAD "  - id: a\n    screen: precautions\n", "12:5: step a needs 'items'");
	expect_error(HEAD "  - id: s\n    screen: sqlapply\n    connection: db\n    files: [ a.sql ]\n"
			  "    already_applied: [ 1060, dup ]\n",
		     "16:30: an error code must be a number");
	expect_error(HEAD "  - id: b\n    screen: backup\n    dir: /b\n", "12:5: a backup step needs 'database' and/or 'folders'");
	expect_error(HEAD "  - id: c\n    screen: command\n    commands:\n      - run: \"true\"\n        timeout: soon\n",
		     "16:18: field 'timeout' must be a whole number");
}

static void test_variable_errors(void **state)
{
	(void)state;
	const char *t1 = "id: t\ntitle: T\nfrom: \"1\"\nto: \"2\"\ntarget: x\nvars:\n"
			 "  A: { prompt: a }\n  X: { prompt: a, type: nope }\nsteps:\n" OKSTEP;
	expect_error(t1, "8:25: unknown variable type 'nope'");
	const char *t2 = "id: t\ntitle: T\nfrom: \"1\"\nto: \"2\"\ntarget: x\nvars:\n"
			 "  A: { prompt: a }\n  PW: { type: secret, default: abc }\nsteps:\n" OKSTEP;
	expect_error(t2, "8:32: secret variable PW cannot have a default");
	const char *t3 = "id: t\ntitle: T\nfrom: \"1\"\nto: \"2\"\ntarget: x\nvars:\n  E: { type: enum }\nsteps:\n" OKSTEP;
	expect_error(t3, "7:6: enum variable E needs 'choices'");
}

/* pvar_check: FITS or not, and what it says is expected */
static void expect_fit(const struct profile *p, const char *name, const char *val, const char *want_why)
{
	const struct pvar *v = profile_var(p, name);
	assert_non_null(v);
	char *why = NULL;
	int rc = pvar_check(v, val, &why);
	if (!want_why) {
		if (rc != 0)
			fail_msg("%s = \"%s\" refused: %s", name, val, why);
	} else {
		if (rc == 0)
			fail_msg("%s = \"%s\" accepted, expected: %s", name, val, want_why);
		if (!strstr(why, want_why))
			fail_msg("%s = \"%s\": '%s' does not say '%s'", name, val, why, want_why);
		if (v->secret)
			assert_null(strstr(why, val));   /* never the value: a secret's would leak */
	}
	free(why);
}

static void test_variable_values(void **state)
{
	(void)state;
	struct profile *p = NULL;
	char *cause = load_text("id: t\ntitle: T\nfrom: \"1\"\nto: \"2\"\ntarget: x\nvars:\n"
	                        "  P: { type: port }\n  N: { type: int }\n  U: { type: url, optional: yes }\n"
	                        "  H: { type: host }\n  E: { type: enum, choices: [downtime, semi-downtime] }\n"
	                        "  V: { prompt: \"version (V1.2.3)\", pattern: \"^V[0-9]+(\\\\.[0-9]+){2}$\" }\n"
	                        "  S: { type: secret, pattern: \"^.{8,}$\" }\nsteps:\n" OKSTEP, &p);
	if (!p)
		fail_msg("%s", cause);
	expect_fit(p, "P", "3306", NULL);
	expect_fit(p, "P", "33o6", "expected a port");
	expect_fit(p, "P", "0", "expected a port");
	expect_fit(p, "P", "70000", "expected a port");
	expect_fit(p, "P", "${OTHER}", NULL);   /* judged where it is used, once expanded */
	expect_fit(p, "N", "-12", NULL);
	expect_fit(p, "N", "12a", "expected a whole number");
	expect_fit(p, "U", "", NULL);           /* optional: empty fits */
	expect_fit(p, "U", "http://127.0.0.1:9001", NULL);
	expect_fit(p, "U", "file:///opt/jar", NULL);
	expect_fit(p, "U", "127.0.0.1:9001", "expected a URL");
	expect_fit(p, "U", "http://a b", "expected a URL");
	expect_fit(p, "H", "db-1.example.com", NULL);
	expect_fit(p, "H", "db/1", "expected a host");
	expect_fit(p, "H", "", "expected a host");   /* not optional */
	expect_fit(p, "E", "semi-downtime", NULL);
	expect_fit(p, "E", "semi", "expected one of downtime, semi-downtime");
	expect_fit(p, "V", "V5.2.0", NULL);
	expect_fit(p, "V", "5.2", "expected a value matching ^V[0-9]+(\\.[0-9]+){2}$ (version (V1.2.3))");
	expect_fit(p, "S", "short", "expected a value matching");
	expect_fit(p, "S", "long enough", NULL);
	profile_free(p);
	/* a default its own rules refuse, and a pattern that is no ERE: profile errors at their place */
	expect_error("id: t\ntitle: T\nfrom: \"1\"\nto: \"2\"\ntarget: x\nvars:\n  P: { type: port, default: \"33o6\" }\nsteps:\n" OKSTEP,
	             "7:29: default \"33o6\" of P: expected a port");
	expect_error("id: t\ntitle: T\nfrom: \"1\"\nto: \"2\"\ntarget: x\nvars:\n  V: { pattern: \"([\" }\nsteps:\n" OKSTEP,
	             "7:17: pattern of V is not a valid extended regular expression");
}

static void test_choice_errors(void **state)
{
	(void)state;
	expect_error(HEAD "  - id: c\n    screen: choice\n    question: q\n    options:\n"
			  "      - { key: \"1\", label: keep }\n      - { key: \"2\", label: wipe, danger: yes }\n",
		     "17:9: a danger option needs 'confirm'");
	expect_error(HEAD "  - id: c\n    screen: choice\n    question: q\n    options:\n"
			  "      - { key: \"1\", label: keep }\n      - { key: \"1\", label: again }\n",
		     "17:9: duplicate option key '1'");
	expect_error(HEAD "  - id: c\n    screen: choice\n    question: q\n    options:\n"
			  "      - { key: \"1\", label: keep }\n      - { key: \"2\", label: wipe, danger: yes, confirm: d }\n"
			  "    default: \"2\"\n",
		     "18:14: the default option cannot be a danger option");
	expect_error(HEAD "  - id: c\n    screen: choice\n    question: q\n    options:\n"
			  "      - { key: \"1\", label: keep }\n    default: \"9\"\n",
		     "17:14: default '9' is not one of the option keys");
}

static void test_cross_reference_errors(void **state)
{
	(void)state;
	expect_error(HEAD "  - id: b\n    screen: backup\n    database: db\n    dir: \"${NOPE}\"\n",
		     "12:5: b uses ${NOPE}, which is not a declared variable");
	expect_error(HEAD "  - id: s\n    screen: sqlapply\n    connection: other\n    files: [ a.sql ]\n",
		     "12:5: step s uses connection 'other', which is not declared");
	expect_error(HEAD OKSTEP "  - id: w\n    screen: precautions\n    when: 'A == '\n    items: [ x ]\n", "15:5: ");
	expect_error(HEAD OKSTEP "  - id: w\n    screen: precautions\n    when: 'B == \"1\"'\n    items: [ x ]\n",
		     "15:5: condition uses B, which is not a declared variable");
	expect_error(HEAD OKSTEP "  - id: ok\n    screen: precautions\n    items: [ x ]\n",
		     "15:5: duplicate step id 'ok' (first at line 12)");
	expect_error(HEAD "  - id: c\n    screen: command\n    commands:\n      - run: \"mysql -p${PW}\"\n",
		     "15:9: command puts secret ${PW} on a command line");
	expect_error(HEAD "  - id: e\n    screen: envcheck\n    checks:\n      - name: both\n        command: \"true\"\n"
			  "        file: /x\n",
		     "15:9: a check needs exactly one of");
}

static void test_all_errors_at_once(void **state)
{
	(void)state;
	char *cause = load_text(HEAD "  - id: a\n    screen: nosuch\n  - id: b\n    screen: backup\n    dir: /b\n"
				     "  - id: c\n    screen: precautions\n",
				NULL);
	assert_non_null(cause);
	int lines = 0;
	for (const char *c = cause; *c; c++)
		lines += *c == '\n';
	assert_true(lines + 1 >= 3);   /* one per error, none hidden behind the first */
	assert_non_null(strstr(cause, ":13:13: unknown screen"));
	assert_non_null(strstr(cause, ":14:5: a backup step needs"));
	assert_non_null(strstr(cause, ":17:5: step c needs 'items'"));
	free(cause);
}

static void test_yaml_level_errors(void **state)
{
	(void)state;
	expect_error("id: t\ntitle: [unclosed\n", "3:1: ");                 /* syntax: position of the problem */
	expect_error("id: &a t\ntitle: *a\n", "2:8: ");                      /* aliases refused */
	expect_error("- just\n- a list\n", "1:1: a profile must be a mapping");
	expect_error("id: t\ntitle: T\nfrom: \"1\"\nto: \"2\"\ntarget: x\nsteps: []\n", "6:8: a profile needs at least one step");
	char *cause = NULL;
	assert_null(profile_load("/nonexistent/p.yaml", &cause));
	assert_non_null(strstr(cause, "/nonexistent/p.yaml"));
	free(cause);
}

static void test_bundled_profiles_load(void **state)
{
	(void)state;
	struct strvec ids = STRVEC_INIT;
	profile_list_bundled(&ids);
	assert_true(ids.n >= 1);
	for (size_t i = 0; i < ids.n; i++) {
		char *cause = NULL;
		char *path = profile_resolve(ids.v[i], &cause);
		assert_non_null(path);
		struct profile *p = profile_load(path, &cause);
		if (!p)
			fail_msg("%s: %s", ids.v[i], cause);
		assert_true(p->nsteps > 0);
		profile_free(p);
		free(path);
	}
	char *cause = NULL;
	char *path = profile_resolve("linkis-1.3.2-to-1.4.0", &cause);
	assert_non_null(path);
	struct profile *p = profile_load(path, &cause);
	assert_non_null(p);
	static const char *const want[] = {"precautions", "env-check", "clear-tables", "backup", "sql-apply",
					   "connector-jar", "token-sync", "start", "verify"};
	assert_int_equal(p->nsteps, ARRAY_LEN(want));
	for (size_t i = 0; i < ARRAY_LEN(want); i++)
		assert_string_equal(p->steps[i].id, want[i]);
	assert_true(profile_var(p, "DB_PASSWORD")->secret);
	profile_free(p);
	free(path);
	sv_free(&ids);
	free(cause);
}

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "/tmp/upwiz-test-profile.XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	char *p = xasprintf("%s/p.yaml", dir);
	unlink(p);
	free(p);
	rmdir(dir);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_head_alone_is_valid),    cmocka_unit_test(test_schema_errors),
		cmocka_unit_test(test_variable_errors),        cmocka_unit_test(test_variable_values),
		cmocka_unit_test(test_choice_errors),
		cmocka_unit_test(test_cross_reference_errors), cmocka_unit_test(test_all_errors_at_once),
		cmocka_unit_test(test_yaml_level_errors),      cmocka_unit_test(test_bundled_profiles_load),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
