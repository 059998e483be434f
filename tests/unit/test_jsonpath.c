/*
 * test_jsonpath.c: paths over real-shaped documents (Eureka's /eureka/apps with one and with
 * many instances, the gateway's token-login answer) and the equals/all/includes rules with
 * their messages.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/jsonpath.h"

/* Six services; ENTRANCE has two instances (an array), the others one (a bare object, as Eureka sends). */
static const char *EUREKA_UP =
	"{\"applications\":{\"versions__delta\":\"1\",\"apps__hashcode\":\"UP_7_\",\"application\":["
	"{\"name\":\"LINKIS-CG-ENGINECONNMANAGER\",\"instance\":{\"instanceId\":\"h:9102\",\"status\":\"UP\",\"port\":{\"$\":9102,\"@enabled\":\"true\"}}},"
	"{\"name\":\"LINKIS-CG-ENTRANCE\",\"instance\":[{\"instanceId\":\"h:9104\",\"status\":\"UP\"},{\"instanceId\":\"h2:9104\",\"status\":\"UP\"}]},"
	"{\"name\":\"LINKIS-CG-LINKISMANAGER\",\"instance\":[{\"status\":\"UP\"}]},"
	"{\"name\":\"LINKIS-MG-EUREKA\",\"instance\":{\"status\":\"UP\"}},"
	"{\"name\":\"LINKIS-MG-GATEWAY\",\"instance\":{\"status\":\"UP\"}},"
	"{\"name\":\"LINKIS-PS-PUBLICSERVICE\",\"instance\":{\"status\":\"UP\"}}]}}";

/* One application only: Eureka sends "application" itself as an object. */
static const char *EUREKA_ONE =
	"{\"applications\":{\"application\":{\"name\":\"LINKIS-MG-EUREKA\",\"instance\":{\"status\":\"DOWN\"}}}}";

static json_t *parse(const char *s)
{
	json_error_t e;
	json_t *j = json_loads(s, JSON_DECODE_ANY, &e);
	if (!j)
		fail_msg("bad fixture: %s", e.text);
	return j;
}

static void collect_join(const char *doc, const char *path, const char *want)
{
	json_t *j = parse(doc);
	struct strvec sv = STRVEC_INIT;
	char *cause = NULL;
	int n = jsonpath_collect(j, path, &sv, &cause);
	if (n < 0)
		fail_msg("%s: %s", path, cause);
	struct strbuf sb = STRBUF_INIT;
	for (size_t i = 0; i < sv.n; i++)
		sb_addf(&sb, "%s%s", i ? "|" : "", sv.v[i]);
	assert_string_equal(sb_str(&sb), want);
	assert_int_equal((size_t)n, sv.n);
	sb_free(&sb);
	sv_free(&sv);
	json_decref(j);
}

static void test_collect_paths(void **state)
{
	(void)state;
	collect_join(EUREKA_UP, "applications.application[*].name",
	             "LINKIS-CG-ENGINECONNMANAGER|LINKIS-CG-ENTRANCE|LINKIS-CG-LINKISMANAGER|LINKIS-MG-EUREKA|"
	             "LINKIS-MG-GATEWAY|LINKIS-PS-PUBLICSERVICE");
	collect_join(EUREKA_UP, "applications.application[*].instance[*].status", "UP|UP|UP|UP|UP|UP|UP");
	collect_join(EUREKA_UP, "applications.application[1].instance[1].instanceId", "h2:9104");
	collect_join(EUREKA_UP, "applications.application[0].instance[0].port.$", "9102");
	collect_join(EUREKA_UP, "applications.application[9].name", "");
	collect_join(EUREKA_UP, "applications.nothing", "");
	/* [*]-less path over a list: the key applies to each element */
	collect_join(EUREKA_UP, "applications.application.name",
	             "LINKIS-CG-ENGINECONNMANAGER|LINKIS-CG-ENTRANCE|LINKIS-CG-LINKISMANAGER|LINKIS-MG-EUREKA|"
	             "LINKIS-MG-GATEWAY|LINKIS-PS-PUBLICSERVICE");
	/* a lone object where a list is expected */
	collect_join(EUREKA_ONE, "applications.application[*].name", "LINKIS-MG-EUREKA");
	collect_join(EUREKA_ONE, "applications.application[0].instance[*].status", "DOWN");
	collect_join(EUREKA_ONE, "applications.application[1].name", "");
	/* scalars print plainly */
	collect_join("{\"status\":0,\"r\":1.5,\"t\":true,\"f\":false,\"n\":null,\"s\":\"x\",\"big\":12345678901}",
	             "status", "0");
	collect_join("{\"r\":1.5}", "r", "1.5");
	collect_join("{\"r\":0.1}", "r", "0.1");
	collect_join("{\"t\":true,\"f\":false,\"n\":null}", "t", "true");
	collect_join("{\"t\":true,\"f\":false,\"n\":null}", "f", "false");
	collect_join("{\"t\":true,\"f\":false,\"n\":null}", "n", "null");
	collect_join("{\"big\":12345678901}", "big", "12345678901");
	/* array leaves contribute their elements; object leaves their JSON */
	collect_join("{\"tags\":[\"a\",\"b\",3]}", "tags", "a|b|3");
	collect_join("{\"o\":{\"b\":1,\"a\":2}}", "o", "{\"a\":2,\"b\":1}");
	/* root arrays */
	collect_join("[{\"id\":1},{\"id\":2}]", "[*].id", "1|2");
	collect_join("[{\"id\":1},{\"id\":2}]", "[1].id", "2");
}

static void test_bad_paths(void **state)
{
	(void)state;
	json_t *j = parse("{}");
	const char *bad[] = {"", "a..b", "a.", ".a", "a[", "a[x]", "a[1", "a]b", "a.[0]"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct strvec sv = STRVEC_INIT;
		char *cause = NULL;
		if (jsonpath_collect(j, bad[i], &sv, &cause) != -1)
			fail_msg("path \"%s\" accepted", bad[i]);
		assert_non_null(cause);
		free(cause);
		sv_free(&sv);
	}
	json_decref(j);
}

static int check(const char *doc, const char *path, const char *equals, const char *all, const char *includes_csv,
                 char **msg)
{
	struct pjson_rule r = {.path = (char *)path, .equals = (char *)equals, .all = (char *)all};
	if (includes_csv) {
		char *dup = xstrdup(includes_csv), *save = NULL;
		for (char *t = strtok_r(dup, ",", &save); t; t = strtok_r(NULL, ",", &save))
			sv_push(&r.includes, t);
		free(dup);
	}
	json_t *j = parse(doc);
	*msg = NULL;
	int ok = jsonpath_check(j, &r, msg);
	json_decref(j);
	sv_free(&r.includes);
	return ok;
}

static void test_rules(void **state)
{
	(void)state;
	char *msg;
	const char *six = "LINKIS-CG-ENGINECONNMANAGER,LINKIS-CG-ENTRANCE,LINKIS-CG-LINKISMANAGER,LINKIS-MG-EUREKA,"
	                  "LINKIS-MG-GATEWAY,LINKIS-PS-PUBLICSERVICE";
	assert_int_equal(check(EUREKA_UP, "applications.application[*].name", NULL, NULL, six, &msg), 1);
	assert_null(msg);
	assert_int_equal(check(EUREKA_UP, "applications.application[*].instance[*].status", NULL, "UP", NULL, &msg), 1);

	/* one service missing */
	assert_int_equal(check(EUREKA_ONE, "applications.application[*].name", NULL, NULL,
	                       "LINKIS-MG-EUREKA,LINKIS-CG-ENTRANCE", &msg), 0);
	assert_string_equal(msg, "LINKIS-CG-ENTRANCE missing");
	free(msg);
	assert_int_equal(check(EUREKA_ONE, "applications.application[*].name", NULL, NULL, six, &msg), 0);
	assert_string_equal(msg, "LINKIS-CG-ENGINECONNMANAGER, LINKIS-CG-ENTRANCE, LINKIS-CG-LINKISMANAGER, "
	                         "LINKIS-MG-GATEWAY, LINKIS-PS-PUBLICSERVICE missing");
	free(msg);

	/* status DOWN */
	assert_int_equal(check(EUREKA_ONE, "applications.application[*].instance[*].status", NULL, "UP", NULL, &msg), 0);
	assert_string_equal(msg, "instance status DOWN, expected UP");
	free(msg);
	const char *mixed = "{\"a\":[{\"status\":\"UP\"},{\"status\":\"DOWN\"},{\"status\":\"STARTING\"},{\"status\":\"DOWN\"}]}";
	assert_int_equal(check(mixed, "a[*].status", NULL, "UP", NULL, &msg), 0);
	assert_string_equal(msg, "a status DOWN, STARTING (3 of 4 not UP)");
	free(msg);

	/* equals on the token-login answer: numbers compare as printed */
	assert_int_equal(check("{\"status\":0,\"message\":\"login successful\"}", "status", "0", NULL, NULL, &msg), 1);
	assert_int_equal(check("{\"status\":-1,\"message\":\"Token Authentication Failed\"}", "status", "0", NULL, NULL,
	                       &msg), 0);
	assert_string_equal(msg, "status -1, expected 0");
	free(msg);

	/* nothing at the path: a failure, not a vacuous pass */
	assert_int_equal(check("{\"applications\":{}}", "applications.application[*].instance[*].status", NULL, "UP",
	                       NULL, &msg), 0);
	assert_non_null(strstr(msg, "no value"));
	free(msg);
	assert_int_equal(check("{}", "status", "0", NULL, NULL, &msg), 0);
	free(msg);

	/* a bad path is -1 */
	assert_int_equal(check("{}", "a..b", "0", NULL, NULL, &msg), -1);
	assert_non_null(msg);
	free(msg);
}

static void test_check_text(void **state)
{
	(void)state;
	struct pjson_rule rules[2] = {{.path = "applications.application[*].name"},
	                              {.path = "applications.application[*].instance[*].status", .all = "UP"}};
	sv_push(&rules[0].includes, "LINKIS-MG-GATEWAY");
	char *msg = NULL;
	assert_int_equal(jsonpath_check_text(EUREKA_UP, strlen(EUREKA_UP), rules, 2, &msg), 1);
	assert_null(msg);
	assert_int_equal(jsonpath_check_text(EUREKA_ONE, strlen(EUREKA_ONE), rules, 2, &msg), 0);
	assert_string_equal(msg, "LINKIS-MG-GATEWAY missing");
	free(msg);
	msg = NULL;
	const char *xml = "<applications><versions__delta>1</versions__delta></applications>";
	assert_int_equal(jsonpath_check_text(xml, strlen(xml), rules, 2, &msg), 0);
	assert_non_null(strstr(msg, "not JSON"));
	free(msg);
	msg = NULL;
	assert_int_equal(jsonpath_check_text("", 0, rules, 2, &msg), 0);
	free(msg);
	sv_free(&rules[0].includes);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_collect_paths),
		cmocka_unit_test(test_bad_paths),
		cmocka_unit_test(test_rules),
		cmocka_unit_test(test_check_text),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
