/*
 * test_cond_version.c: when: conditions with version comparisons (>=, <=, >, <: dotted numbers,
 * a "V" prefix ignored, false without a number) and literals that name variables ("${B}"), as
 * the Dataphin profile uses them to offer and recommend an upgrade mode.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "core/vars.h"

static int ev(struct vars *v, const char *expr)
{
	char *cause = NULL;
	int r = cond_eval(v, expr, NULL, &cause);
	if (r < 0)
		print_error("%s: %s\n", expr, cause ? cause : "?");
	free(cause);
	return r;
}

static void test_versions(void **state)
{
	(void)state;
	struct vars *v = vars_new(NULL);
	vars_set(v, "CUR", "V5.1.2", 0);
	vars_set(v, "OLD", "v4.3.10", 0);
	vars_set(v, "EMPTY", "", 0);
	assert_int_equal(ev(v, "CUR >= \"5.1.1\""), 1);
	assert_int_equal(ev(v, "CUR >= \"5.1.2\""), 1);
	assert_int_equal(ev(v, "CUR > \"5.1.2\""), 0);
	assert_int_equal(ev(v, "CUR < \"5.2\""), 1);
	assert_int_equal(ev(v, "CUR <= \"V5.1\""), 0);        /* 5.1.2 > 5.1: all components count */
	assert_int_equal(ev(v, "OLD < \"5.1.1\""), 1);
	assert_int_equal(ev(v, "OLD >= \"4.3.9\""), 1);       /* numeric, not text: 10 > 9 */
	assert_int_equal(ev(v, "EMPTY >= \"1\""), 0);         /* no number: false, not an error */
	assert_int_equal(ev(v, "EMPTY < \"1\""), 0);
	assert_int_equal(ev(v, "!(CUR < \"5.1.1\") && CUR != \"x\""), 1);
	vars_free(v);
}

static void test_literal_vars(void **state)
{
	(void)state;
	struct vars *v = vars_new(NULL);
	vars_set(v, "A", "5.1.2", 0);
	vars_set(v, "B", "5.1.2", 0);
	vars_set(v, "C", "5.2.0", 0);
	assert_int_equal(ev(v, "A == \"${B}\""), 1);
	assert_int_equal(ev(v, "A != \"${C}\""), 1);
	assert_int_equal(ev(v, "C > \"${A}\""), 1);
	assert_int_equal(ev(v, "A == \"x${B}\""), 0);
	assert_int_equal(ev(v, "A == \"${NOPE}\""), 0);       /* an unset name expands to nothing */
	struct strvec names = STRVEC_INIT;
	char *cause = NULL;
	assert_true(cond_eval(NULL, "A == \"${B}\" || C >= \"1\"", &names, &cause) >= 0);   /* syntax only */
	int saw_b = 0;
	for (size_t i = 0; i < names.n; i++)
		saw_b |= strcmp(names.v[i], "B") == 0;
	assert_true(saw_b);                                    /* the loader checks B is declared */
	sv_free(&names);
	free(cause);
	vars_free(v);
}

static void test_syntax(void **state)
{
	(void)state;
	char *cause = NULL;
	assert_int_equal(cond_eval(NULL, "A >= ", NULL, &cause), -1);
	assert_non_null(cause);
	free(cause);
	cause = NULL;
	assert_int_equal(cond_eval(NULL, "A >= \"1\" )", NULL, &cause), -1);
	free(cause);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_versions),
		cmocka_unit_test(test_literal_vars),
		cmocka_unit_test(test_syntax),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
