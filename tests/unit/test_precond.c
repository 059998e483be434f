/*
 * test_precond.c: which derived check a statement gets (precond_describe), and that anything not
 * recognised exactly gets none (the engine then asks instead of guessing). The checks themselves
 * run against a real server in tests/safety/t_resume_kill.sh.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/precond.h"

static void expect_desc(const char *sql, const char *want)
{
	char *d = precond_describe(sql);
	if (!want) {
		if (d)
			fail_msg("%s: expected no check, got '%s'", sql, d);
		return;
	}
	if (!d)
		fail_msg("%s: expected '%s', got no check", sql, want);
	if (strcmp(d, want) != 0)
		fail_msg("%s: expected '%s', got '%s'", sql, want, d);
	free(d);
}

static void test_alter(void **state)
{
	(void)state;
	expect_desc("ALTER TABLE `linkis_cg_manager_service_instance` ADD COLUMN `identifier` varchar(32) COLLATE utf8_bin DEFAULT NULL",
		    "column linkis_cg_manager_service_instance.identifier exists");
	expect_desc("alter table t add c int", "column t.c exists");
	expect_desc("ALTER TABLE db1.t ADD COLUMN IF NOT EXISTS `we``ird` int", "column db1.t.we`ird exists");
	expect_desc("ALTER TABLE t DROP COLUMN c", "column t.c exists");
	expect_desc("ALTER TABLE t ADD INDEX idx_a (a)", "index t.idx_a exists");
	expect_desc("ALTER TABLE t ADD UNIQUE KEY uk (a, b)", "index t.uk exists");
	expect_desc("ALTER TABLE `linkis_cg_ec_resource_info_record` MODIFY COLUMN metrics TEXT DEFAULT NULL COMMENT 'ec metrics'",
		    "ALTER TABLE linkis_cg_ec_resource_info_record MODIFY gives the same table when applied again");
	/* two changes in one statement, or shapes not understood: no check */
	expect_desc("ALTER TABLE t ADD COLUMN a int, ADD COLUMN b int", NULL);
	expect_desc("ALTER TABLE t ADD (a int, b int)", NULL);
	expect_desc("ALTER TABLE t ADD PRIMARY KEY (id)", NULL);
	expect_desc("ALTER TABLE t RENAME TO u", NULL);
}

static void test_create_drop(void **state)
{
	(void)state;
	expect_desc("CREATE TABLE IF NOT EXISTS `x` (id int)", "table x exists");
	expect_desc("CREATE UNIQUE INDEX u1 ON t (a)", "index t.u1 exists");
	expect_desc("DROP TABLE IF EXISTS `x`", "table x exists");
	expect_desc("DROP TABLE a, b", NULL);
}

static void test_dml(void **state)
{
	(void)state;
	expect_desc("UPDATE linkis_ps_configuration_config_key SET default_value = 'python3' WHERE `key` = 'spark.python.version'",
		    "rows of linkis_ps_configuration_config_key this UPDATE would still change");
	expect_desc("UPDATE t SET a = 1, b = NULL, c = -2 WHERE d = 'x;y'", "rows of t this UPDATE would still change");
	expect_desc("UPDATE t SET a = a + 1 WHERE id = 3", NULL);                   /* not idempotent */
	expect_desc("UPDATE t SET update_time = now() WHERE id = 3", NULL);         /* a computed value */
	expect_desc("UPDATE t SET a = 1 WHERE b = 2 LIMIT 1", NULL);
	expect_desc("UPDATE t, u SET t.a = 1 WHERE t.id = u.id", NULL);             /* multi-table */
	expect_desc("DELETE FROM t WHERE a = 1", "rows of t this DELETE would still delete");
	expect_desc("DELETE FROM t", NULL);
	expect_desc("INSERT INTO t (a) VALUES (1)", NULL);                          /* only a declared precondition knows */
	expect_desc("select @data_source_type_id := id from `linkis_ps_dm_datasource_type` where `name` = 'tidb'",
		    "a query: it changes nothing in the database");
	expect_desc("SELECT * FROM t INTO OUTFILE '/tmp/x'", NULL);
	expect_desc("SET @x = 1", "it sets a session variable only");
	expect_desc("SET @@global.x = 1", NULL);
	expect_desc("/*!40101 SET NAMES utf8 */", NULL);
	expect_desc("UPDATE t SET a = 'unterminated", NULL);
	expect_desc("", NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_alter),
		cmocka_unit_test(test_create_drop),
		cmocka_unit_test(test_dml),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
