/*
 * test_sqlsplit.c: the statement splitter against every mysql-client rule it
 * implements (exact text, line, col, offset), its error messages, its speed, and
 * the real Linkis scripts when the shared fixtures are present (skipped otherwise;
 * nothing from them is copied here).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/sqlsplit.h"
#include "core/util.h"

/* Large inputs are split and their figures printed; speed goals are benchmarks' business (bench/),
 * never a timed test that a loaded machine could fail. */

static struct sql_script split_ok(const char *sql)
{
	struct sql_script s;
	char *cause = NULL;
	int rc = sqlsplit_parse(sql, strlen(sql), &s, &cause);
	if (rc != 0)
		fail_msg("unexpected error: %s", cause);
	assert_null(cause);
	return s;
}

static void check(const struct sql_script *s, size_t k, const char *text, int line, int col)
{
	assert_true(k < s->n);
	assert_string_equal(s->v[k].text, text);
	assert_int_equal(s->v[k].line, line);
	assert_int_equal(s->v[k].col, col);
	assert_int_equal(s->v[k].is_delimiter_cmd, 0);
}

static void split_err(const char *sql, const char *want)
{
	struct sql_script s = {(void *)1, 99};
	char *cause = NULL;
	assert_int_equal(sqlsplit_parse(sql, strlen(sql), &s, &cause), -1);
	assert_non_null(cause);
	assert_string_equal(cause, want);
	assert_null(s.v);
	assert_int_equal(s.n, 0);
	free(cause);
}

static void test_basic(void **state)
{
	const char *sql = "select 1;\nselect 2;\n  update t set a=1 ;  \n";
	struct sql_script s = split_ok(sql);
	assert_int_equal(s.n, 3);
	check(&s, 0, "select 1", 1, 1);
	check(&s, 1, "select 2", 2, 1);
	check(&s, 2, "update t set a=1", 3, 3);
	assert_int_equal(s.v[0].offset, 0);
	assert_int_equal(s.v[1].offset, 10);
	assert_int_equal(s.v[2].offset, 22);
	for (size_t k = 0; k < s.n; k++)
		assert_memory_equal(sql + s.v[k].offset, s.v[k].text, strlen(s.v[k].text));
	sql_script_free(&s);
}

static void test_empty_input(void **state)
{
	struct sql_script s = split_ok("");
	assert_int_equal(s.n, 0);
	sql_script_free(&s);
	s = split_ok("  \n\t\r\n");
	assert_int_equal(s.n, 0);
	sql_script_free(&s);
}

static void test_leading_comments_stripped_inner_kept(void **state)
{
	struct sql_script s = split_ok(
	    "  -- a line comment; with a semicolon\n"
	    "# hash comment;\n"
	    "/* block; comment */ select 1 /* inner; */ -- tail;\n"
	    "  , 2 # more\n"
	    ";");
	assert_int_equal(s.n, 1);
	check(&s, 0, "select 1 /* inner; */ -- tail;\n  , 2 # more", 3, 22);
	sql_script_free(&s);
}

static void test_strings_and_backticks(void **state)
{
	struct sql_script s = split_ok(
	    "select 'a;b', \"c;d\", `e;f`;\n"
	    "select 'it\\'s;', 'a''b;', \"q\\\"x;\", \"dd\"\"x;\", `we``ird;`;\n"
	    "select '\\\\';select 'x\\\\' ; select 3");
	assert_int_equal(s.n, 5);
	check(&s, 0, "select 'a;b', \"c;d\", `e;f`", 1, 1);
	check(&s, 1, "select 'it\\'s;', 'a''b;', \"q\\\"x;\", \"dd\"\"x;\", `we``ird;`", 2, 1);
	check(&s, 2, "select '\\\\'", 3, 1);
	check(&s, 3, "select 'x\\\\'", 3, 13);
	check(&s, 4, "select 3", 3, 28);
	sql_script_free(&s);
}

static void test_backslash_in_backtick_is_literal(void **state)
{
	/* No escapes inside `...`: the backslash does not protect the closing backtick. */
	struct sql_script s = split_ok("select `a\\`; select 2;");
	assert_int_equal(s.n, 2);
	check(&s, 0, "select `a\\`", 1, 1);
	check(&s, 1, "select 2", 1, 14);
	sql_script_free(&s);
}

static void test_multiline_string(void **state)
{
	struct sql_script s = split_ok("insert into t values ('a;\nb;\nc');\nselect 2;");
	assert_int_equal(s.n, 2);
	check(&s, 0, "insert into t values ('a;\nb;\nc')", 1, 1);
	check(&s, 1, "select 2", 4, 1);
	sql_script_free(&s);
}

static void test_dashdash_rules(void **state)
{
	struct sql_script s = split_ok(
	    "select 1--x;\n"            /* not a comment: 1 - (-x) */
	    "select 2 -- c;\n;\n"       /* comment: the ; inside it does not count */
	    "select 3 --\tc;\n;\n"      /* tab after -- */
	    "select 4 --\n;\n"          /* newline right after -- */
	    "select 5 --");             /* EOF right after -- */
	assert_int_equal(s.n, 5);
	check(&s, 0, "select 1--x", 1, 1);
	check(&s, 1, "select 2 -- c;", 2, 1);
	check(&s, 2, "select 3 --\tc;", 4, 1);
	check(&s, 3, "select 4 --", 6, 1);
	check(&s, 4, "select 5 --", 8, 1);
	sql_script_free(&s);

	/* between statements "--" is always a comment (MariaDB client): banners */
	s = split_ok("select 1;\n---------- banner; ----------\n--xselect 2;\nselect 3; --x;\n--");
	assert_int_equal(s.n, 2);
	check(&s, 0, "select 1", 1, 1);
	check(&s, 1, "select 3", 4, 1);
	sql_script_free(&s);
}

static void test_hash_and_block_comments(void **state)
{
	struct sql_script s = split_ok(
	    "select 1 # x; y\n, 2;\n"
	    "select /* a;\n b; */ 3;\n"
	    "select 4 /*/ still comment; */;");
	assert_int_equal(s.n, 3);
	check(&s, 0, "select 1 # x; y\n, 2", 1, 1);
	check(&s, 1, "select /* a;\n b; */ 3", 3, 1);
	check(&s, 2, "select 4 /*/ still comment; */", 5, 1);
	sql_script_free(&s);
}

static void test_executable_comments_kept(void **state)
{
	struct sql_script s = split_ok(
	    "/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;\n"
	    "/*!40101 SET NAMES utf8 */;\n"
	    "/*M!100100 SET sql_mode='a;b' */;\n"
	    "/* plain */;\n"
	    "CREATE TABLE t (a int) /*!50100 PARTITION BY HASH (a); */;\n");
	assert_int_equal(s.n, 4);
	check(&s, 0, "/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */", 1, 1);
	check(&s, 1, "/*!40101 SET NAMES utf8 */", 2, 1);
	check(&s, 2, "/*M!100100 SET sql_mode='a;b' */", 3, 1);
	check(&s, 3, "CREATE TABLE t (a int) /*!50100 PARTITION BY HASH (a); */", 5, 1);
	sql_script_free(&s);
}

static void test_delimiter(void **state)
{
	struct sql_script s = split_ok(
	    "select 0;\n"
	    "DELIMITER $$\n"
	    "CREATE PROCEDURE p()\nBEGIN\n  select 1;\n  select 2;\nEND$$\n"
	    "delimiter ;\n"
	    "select 3;\n"
	    "  Delimiter //   trailing words ignored\n"
	    "CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW SET NEW.a = 1; //\n"
	    "select 'a//b' //\n"
	    "DELIMITER ;\n"
	    "select 4;\n");
	assert_int_equal(s.n, 6);
	check(&s, 0, "select 0", 1, 1);
	check(&s, 1, "CREATE PROCEDURE p()\nBEGIN\n  select 1;\n  select 2;\nEND", 3, 1);
	check(&s, 2, "select 3", 9, 1);
	check(&s, 3, "CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW SET NEW.a = 1;", 11, 1);
	check(&s, 4, "select 'a//b'", 12, 1);
	check(&s, 5, "select 4", 14, 1);
	/* which ones may hold a ";" of their own (never sent together with others, sqlapply.c) */
	static const int own[6] = {0, 1, 0, 1, 1, 0};
	for (int k = 0; k < 6; k++)
		assert_int_equal(s.v[k].own_delimiter, own[k]);
	sql_script_free(&s);
}

/* Which statements may share a round trip (one answer each, core/actions/sqlapply.c). */
static void test_one_answer(void **state)
{
	(void)state;
	struct sql_script s = split_ok(
	    "INSERT INTO t VALUES (1);\n"
	    "update t set a = 1;\n"
	    "ALTER TABLE t ADD COLUMN b INT;\n"
	    "select @id := id from t;\n"
	    "SET @x = 1;\n"
	    "SELECT(1);\n"
	    "CALL p();\n"
	    "SET STATEMENT max_statement_time = 1 FOR CALL p();\n"
	    "/*!40101 SET NAMES utf8mb4 */;\n"
	    "INSERT INTO t /*!50000 IGNORE */ VALUES (2);\n"
	    "USE other;\n"
	    "SELECTED;\n"
	    "DELIMITER $$\n"
	    "INSERT INTO t VALUES (3); INSERT INTO t VALUES (4)$$\n"
	    "DELIMITER ;\n");
	static const int want[] = {1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0};
	assert_int_equal(s.n, sizeof want / sizeof *want);
	for (size_t k = 0; k < s.n; k++)
		if (sqlsplit_one_answer(&s.v[k]) != want[k])
			fail_msg("statement %zu (%s): want %d", k + 1, s.v[k].text, want[k]);
	sql_script_free(&s);
}

static void test_delimiter_only_between_statements(void **state)
{
	/* as the MariaDB client: with a statement pending, DELIMITER is text */
	struct sql_script s = split_ok(
	    "CREATE TABLE t (\n"
	    "delimiter varchar(3),\n"
	    "b int\n"
	    ");\n"
	    "select 1 /* x */\n;"
	    "/* c */ DELIMITER $$\n;"    /* not at the start of a line: a statement */
	    "select 2\n"
	    "  DELIMITER $$\n"
	    ";\n"
	    "select 'a\n"
	    "delimiter $$' ;\n");
	assert_int_equal(s.n, 5);
	check(&s, 0, "CREATE TABLE t (\ndelimiter varchar(3),\nb int\n)", 1, 1);
	check(&s, 1, "select 1 /* x */", 5, 1);
	check(&s, 2, "DELIMITER $$", 6, 10);
	check(&s, 3, "select 2\n  DELIMITER $$", 7, 2);
	check(&s, 4, "select 'a\ndelimiter $$'", 10, 1);
	sql_script_free(&s);

	/* "delimiter" needs a blank and an argument to be the command */
	s = split_ok("select\ndelimiter_x, 1\n;\ndelimiter\n;");
	assert_int_equal(s.n, 2);
	check(&s, 0, "select\ndelimiter_x, 1", 1, 1);
	check(&s, 1, "delimiter", 4, 1);
	sql_script_free(&s);
}

static void test_delimiter_crlf_and_eof(void **state)
{
	struct sql_script s = split_ok("DELIMITER $$\r\nselect 1; select 2$$\r\nDELIMITER ;\r\nselect 3");
	assert_int_equal(s.n, 2);
	check(&s, 0, "select 1; select 2", 2, 1);
	check(&s, 1, "select 3", 4, 1);
	sql_script_free(&s);
}

static void test_user_variables(void **state)
{
	struct sql_script s = split_ok(
	    "select @id := id from t where name='a';\n"
	    "INSERT INTO k (id, v) VALUES (@id, 'x');\n"
	    "SET @SPARK_ALL=CONCAT('*-*,',@SPARK_LABEL);");
	assert_int_equal(s.n, 3);
	check(&s, 0, "select @id := id from t where name='a'", 1, 1);
	check(&s, 1, "INSERT INTO k (id, v) VALUES (@id, 'x')", 2, 1);
	check(&s, 2, "SET @SPARK_ALL=CONCAT('*-*,',@SPARK_LABEL)", 3, 1);
	sql_script_free(&s);
}

static void test_utf8_byte_exact(void **state)
{
	const char *sql =
	    "-- 中文注释；不是语句\n"
	    "insert into t values ('中文;注释', '关系型数据库'); select '中'; select 2 /* 数据 */;\n"
	    "select `列名`;";
	struct sql_script s = split_ok(sql);
	assert_int_equal(s.n, 4);
	check(&s, 0, "insert into t values ('中文;注释', '关系型数据库')", 2, 1);
	/* cols count characters: 42 characters precede it on its line */
	check(&s, 1, "select '中'", 2, 43);
	check(&s, 2, "select 2 /* 数据 */", 2, 55);
	check(&s, 3, "select `列名`", 3, 1);
	for (size_t k = 0; k < s.n; k++)
		assert_memory_equal(sql + s.v[k].offset, s.v[k].text, strlen(s.v[k].text));
	sql_script_free(&s);
}

static void test_crlf(void **state)
{
	struct sql_script s = split_ok("select 1;\r\nselect\r\n 2\r\n;\r\n-- c\r\n  select 3\r\n");
	assert_int_equal(s.n, 3);
	check(&s, 0, "select 1", 1, 1);
	check(&s, 1, "select\r\n 2", 2, 1);
	check(&s, 2, "select 3", 6, 3);
	sql_script_free(&s);
}

static void test_last_statement_without_delimiter(void **state)
{
	struct sql_script s = split_ok("select 1;\nselect 2");
	assert_int_equal(s.n, 2);
	check(&s, 1, "select 2", 2, 1);
	sql_script_free(&s);
	s = split_ok("select 1;\nselect 2 -- trailing comment");
	assert_int_equal(s.n, 2);
	check(&s, 1, "select 2 -- trailing comment", 2, 1);
	sql_script_free(&s);
}

static void test_empty_and_comment_only_dropped(void **state)
{
	struct sql_script s = split_ok(";;select 1;;;\n -- only a comment\n;\n/* x */;\n# y\n;;\n-- end");
	assert_int_equal(s.n, 1);
	check(&s, 0, "select 1", 1, 3);
	assert_int_equal(s.v[0].offset, 2);
	sql_script_free(&s);
}

static void test_unterminated(void **state)
{
	split_err("select 1;\nselect 'abc", "2:8: unterminated string");
	split_err("select \"a\\\"", "1:8: unterminated string");
	split_err("select 1;\n  /* never closed;\nselect 2;", "2:3: unterminated comment");
	split_err("select 1 /* x", "1:10: unterminated comment");
	split_err("select 1 /*! x", "1:10: unterminated comment");
	split_err("select `a;\n", "1:8: unterminated backtick");
	split_err("select '中文', '中", "1:14: unterminated string");
	split_err("select 'a\\", "1:8: unterminated string");
}

static void test_nul_byte(void **state)
{
	static const char sql[] = "select 1;\nselect 'a\0b';";
	struct sql_script s;
	char *cause = NULL;
	assert_int_equal(sqlsplit_parse(sql, sizeof(sql) - 1, &s, &cause), -1);
	assert_string_equal(cause, "2:10: NUL byte in statement");
	assert_int_equal(s.n, 0);
	free(cause);
	cause = NULL;
	static const char ok[] = "-- \0 in a comment is fine\nselect 1;";
	assert_int_equal(sqlsplit_parse(ok, sizeof(ok) - 1, &s, &cause), 0);
	check(&s, 0, "select 1", 2, 1);
	sql_script_free(&s);
}

static void test_checksum(void **state)
{
	struct sql_script s = split_ok("  select 1 ;");
	char hex[65];
	sqlsplit_checksum(&s.v[0], hex);
	assert_string_equal(hex, "822ae07d4783158bc1912bb623e5107cc9002d519e1143a9c200ed6ee18b6d0f");
	sql_script_free(&s);
}

static void test_speed_100k(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	const char *row = "INSERT INTO `t` (`a`, `b`, `c`) VALUES (1, 'it''s; a \\'test\\'', "
	    "\"x\") /* c; */ -- note;\n";
	size_t rowlen = strlen(row);
	/* about 150 bytes per statement: 100k statements, 15 MB */
	for (int k = 0; k < 100000; k++) {
		sb_add(&sb, row, rowlen);
		sb_adds(&sb, ";# a tail comment, padding padding padding padding padding padding\n");
	}
	struct sql_script s;
	char *cause = NULL;
	uint64_t t0 = mono_ms();
	assert_int_equal(sqlsplit_parse(sb.s, sb.len, &s, &cause), 0);
	uint64_t dt = mono_ms() - t0;
	assert_int_equal(s.n, 100000);
	assert_int_equal(s.v[99999].line, 199999);
	assert_true(sb.len > 14000000);
	print_message("100k statements, %zu bytes: %llu ms\n", sb.len, (unsigned long long)dt);
	sql_script_free(&s);

	/* the same on one line: columns must not go quadratic */
	sb_reset(&sb);
	for (int k = 0; k < 100000; k++)
		sb_adds(&sb, "select 'a;b', `c`, 1;    ");
	t0 = mono_ms();
	assert_int_equal(sqlsplit_parse(sb.s, sb.len, &s, &cause), 0);
	dt = mono_ms() - t0;
	assert_int_equal(s.n, 100000);
	assert_int_equal(s.v[99999].col, 99999 * 25 + 1);
	print_message("100k statements on one line: %llu ms\n", (unsigned long long)dt);
	sql_script_free(&s);
	sb_free(&sb);
}

/* ---- fixtures */

static char *fixture_path(const char *name)
{
	const char *src = getenv("UPWIZ_SOURCE_DIR");
	const char *env = getenv("UPWIZ_FIXTURES");   /* set by CMake when it found them */
	char *dir = env && *env ? xasprintf("%s/linkis", env)
				: xasprintf("%s/../shared/fixtures/linkis", src ? src : UPWIZ_SOURCE_DIR);
	if (!is_dir(dir)) {
		free(dir);
		return NULL;
	}
	char *p = path_join(dir, name);
	free(dir);
	return p;
}

static struct sql_script split_fixture(const char *name)
{
	char *path = fixture_path(name);
	if (!path) {
		print_message("skipped: fixtures not present\n");
		skip();
	}
	size_t len;
	char *cause = NULL;
	char *buf = read_file(path, &len, &cause);
	if (!buf)
		fail_msg("%s", cause);
	struct sql_script s;
	if (sqlsplit_parse(buf, len, &s, &cause) != 0)
		fail_msg("%s: %s", name, cause);
	for (size_t k = 0; k < s.n; k++)
		assert_memory_equal(buf + s.v[k].offset, s.v[k].text, strlen(s.v[k].text));
	free(buf);
	free(path);
	return s;
}

static void test_fixture_upgrade_dml(void **state)
{
	struct sql_script s = split_fixture("upgrade-1.4.0-dml.sql");
	assert_int_equal(s.n, 13);
	/* the license block comment is stripped: the first statement starts on line 18 */
	assert_int_equal(s.v[0].line, 18);
	assert_true(str_starts(s.v[0].text, "INSERT INTO `linkis_ps_dm_datasource_type` "));
	assert_non_null(strstr(s.v[0].text, "'tidb数据库'"));
	assert_non_null(strstr(s.v[0].text, "'关系型数据库'"));
	check(&s, 1, "select @data_source_type_id := id from `linkis_ps_dm_datasource_type` "
	    "where `name` = 'tidb'", 20, 1);
	size_t nvar = 0;
	for (size_t k = 0; k < s.n; k++)
		if (str_starts(s.v[k].text, "select @data_source_type_id := id"))
			nvar++;
	assert_int_equal(nvar, 4);
	assert_true(str_starts(s.v[2].text, "INSERT INTO `linkis_ps_dm_datasource_type_key`\n"));
	assert_int_equal(s.v[2].line, 21);
	assert_non_null(strstr(s.v[2].text, "'地址(host1:port1,host2:port2...)'"));
	assert_true(str_ends(s.v[2].text, "now(), now())"));
	/* the last one follows a "-- " comment and has no newline after its ';' */
	check(&s, 12, "UPDATE linkis_ps_configuration_config_key SET default_value = 'python3' "
	    "WHERE `key` = 'spark.python.version'", 75, 1);
	sql_script_free(&s);
}

static void test_fixture_ddl_132(void **state)
{
	struct sql_script s = split_fixture("linkis-1.3.2-ddl.sql");
	assert_int_equal(s.n, 127);
	check(&s, 0, "SET FOREIGN_KEY_CHECKS=0", 29, 1);
	size_t nset = 0, ndrop = 0, ncreate = 0;
	for (size_t k = 0; k < s.n; k++) {
		const char *t = s.v[k].text;
		if (strcmp(t, "SET FOREIGN_KEY_CHECKS=0") == 0)
			nset++;
		else if (str_starts(t, "DROP "))  /* three are "DROP  TABLE" */
			ndrop++;
		else if (strncasecmp(t, "create table ", 13) == 0)
			ncreate++;
		/* the Chinese naming-rule comments at the top are never part of a statement */
		assert_null(strstr(t, "索引"));
		assert_false(str_starts(t, "--") || str_starts(t, "/*"));
	}
	/* an inner "-- " comment stays in its statement */
	assert_true(strncasecmp(s.v[70].text, "create table if not exists linkis_ps_bml_project_user(", 54) == 0);
	assert_non_null(strstr(s.v[70].text, "default 7, -- rwx 421 The permission value is 7."));
	assert_int_equal(nset, 3);
	assert_int_equal(ndrop, 62);
	assert_int_equal(ncreate, 62);
	assert_true(str_starts(s.v[126].text, "CREATE TABLE `linkis_cg_user_ip_config` (\n"));
	assert_true(str_ends(s.v[126].text, ") ENGINE=InnoDB AUTO_INCREMENT=0 DEFAULT CHARSET=utf8 COLLATE=utf8_bin"));
	assert_int_equal(s.v[126].line, 1003);
	sql_script_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_basic),
		cmocka_unit_test(test_empty_input),
		cmocka_unit_test(test_leading_comments_stripped_inner_kept),
		cmocka_unit_test(test_strings_and_backticks),
		cmocka_unit_test(test_backslash_in_backtick_is_literal),
		cmocka_unit_test(test_multiline_string),
		cmocka_unit_test(test_dashdash_rules),
		cmocka_unit_test(test_hash_and_block_comments),
		cmocka_unit_test(test_executable_comments_kept),
		cmocka_unit_test(test_delimiter),
		cmocka_unit_test(test_one_answer),
		cmocka_unit_test(test_delimiter_only_between_statements),
		cmocka_unit_test(test_delimiter_crlf_and_eof),
		cmocka_unit_test(test_user_variables),
		cmocka_unit_test(test_utf8_byte_exact),
		cmocka_unit_test(test_crlf),
		cmocka_unit_test(test_last_statement_without_delimiter),
		cmocka_unit_test(test_empty_and_comment_only_dropped),
		cmocka_unit_test(test_unterminated),
		cmocka_unit_test(test_nul_byte),
		cmocka_unit_test(test_checksum),
		cmocka_unit_test(test_speed_100k),
		cmocka_unit_test(test_fixture_upgrade_dml),
		cmocka_unit_test(test_fixture_ddl_132),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
