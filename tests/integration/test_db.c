/*
 * test_db.c: core/db and core/mysqld against the harness's real mariadbd: error codes,
 * session state across calls, utf8mb4 text, drained result sets, and a server killed
 * with SIGKILL mid-session (connection-class error, no silent reconnect, restart works).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/db.h"
#include "core/mysqld.h"
#include "core/util.h"
#include "tests/integration/harness.h"

static struct mysqld *srv;

static void exec_ok(struct db *d, const char *sql)
{
	struct db_error err;
	if (db_exec(d, sql, NULL, &err) != 0)
		fail_msg("%s: %u (%s) %s", sql, err.code, err.sqlstate, err.message);
}

static char *value(struct db *d, const char *sql)
{
	struct db_error err;
	char *v = NULL;
	int r = db_query_value(d, sql, &v, &err);
	if (r < 0)
		fail_msg("%s: %u %s", sql, err.code, err.message);
	return v;
}

static void test_session_defaults(void **state)
{
	struct db *d = harness_connect("t_defaults");
	assert_non_null(d);
	char *v = value(d, "SELECT @@autocommit");
	assert_string_equal(v, "1");
	free(v);
	v = value(d, "SELECT @@character_set_client");
	assert_string_equal(v, "utf8mb4");
	free(v);
	v = value(d, "SELECT DATABASE()");
	assert_string_equal(v, "t_defaults");
	free(v);
	assert_non_null(strstr(db_server_version(d), "MariaDB"));
	assert_int_equal(db_ping(d), 0);
	db_close(d);
}

static void test_error_codes(void **state)
{
	struct db *d = harness_connect("t_errors");
	assert_non_null(d);
	exec_ok(d, "CREATE TABLE t (id INT PRIMARY KEY, name VARCHAR(20), UNIQUE KEY uniq_name (name))");
	exec_ok(d, "INSERT INTO t VALUES (1, 'tidb')");
	struct db_error err;

	assert_int_equal(db_exec(d, "ALTER TABLE t ADD COLUMN name VARCHAR(5)", NULL, &err), -1);
	assert_int_equal(err.code, 1060);
	assert_string_equal(err.sqlstate, "42S21");
	assert_non_null(strstr(err.message, "Duplicate column name 'name'"));

	assert_int_equal(db_exec(d, "INSERT INTO t VALUES (2, 'tidb')", NULL, &err), -1);
	assert_int_equal(err.code, 1062);
	assert_string_equal(err.sqlstate, "23000");
	assert_non_null(strstr(err.message, "uniq_name"));

	char *v = (char *)1;
	assert_int_equal(db_query_value(d, "SELECT nosuch FROM t", &v, &err), -1);
	assert_null(v);
	assert_int_equal(err.code, 1054);
	assert_string_equal(err.sqlstate, "42S22");
	assert_false(db_is_connection_error(err.code));

	assert_int_equal(db_exec(d, "SELEC 1", NULL, &err), -1);
	assert_int_equal(err.code, 1064);
	/* the connection is still in sync after errors */
	v = value(d, "SELECT COUNT(*) FROM t");
	assert_string_equal(v, "1");
	free(v);
	db_close(d);
}

static void test_user_variables_and_drain(void **state)
{
	struct db *d = harness_connect("t_vars");
	assert_non_null(d);
	exec_ok(d, "CREATE TABLE ds_type (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(32) UNIQUE)");
	exec_ok(d, "CREATE TABLE ds_key (id INT AUTO_INCREMENT PRIMARY KEY, type_id INT, k VARCHAR(32))");
	exec_ok(d, "INSERT INTO ds_type (name) VALUES ('mysql'), ('tidb'), ('starrocks')");

	unsigned long long aff = 0;
	struct db_error err;
	/* returns a result set that must be drained, then the next statements must still work */
	assert_int_equal(db_exec(d, "select @data_source_type_id := id from ds_type where name = 'tidb'", &aff, &err), 0);
	assert_int_equal(aff, 1);
	exec_ok(d, "INSERT INTO ds_key (type_id, k) VALUES (@data_source_type_id, 'address')");
	char *v = value(d, "SELECT type_id FROM ds_key WHERE k = 'address'");
	assert_string_equal(v, "2");
	free(v);
	/* a select matching nothing leaves the variable as it was (the stale-id hazard) */
	assert_int_equal(db_exec(d, "select @data_source_type_id := id from ds_type where name = 'none'", &aff, &err), 0);
	assert_int_equal(aff, 0);
	v = value(d, "SELECT @data_source_type_id");
	assert_string_equal(v, "2");
	free(v);
	/* SET persists across calls */
	exec_ok(d, "SET @x := 42");
	v = value(d, "SELECT @x + 1");
	assert_string_equal(v, "43");
	free(v);
	/* several result sets from a procedure are all consumed */
	exec_ok(d, "CREATE PROCEDURE two() BEGIN SELECT 1; SELECT 2, 3; END");
	exec_ok(d, "CALL two()");
	v = value(d, "CALL two()");
	assert_string_equal(v, "1");
	free(v);
	v = value(d, "SELECT 'in sync'");
	assert_string_equal(v, "in sync");
	free(v);
	db_close(d);
}

/* Several statements in one text (sqlapply.c's round trips): one answer each, in order, rows and
 * counts per statement, user variables set by one seen by the next; the server stops at the first
 * error, the statements after it never ran, and the connection stays in sync. */
static void test_round_trip(void **state)
{
	struct db *d = harness_connect("t_round");
	assert_non_null(d);
	struct db_error err;
	/* without the option the server refuses the text as one statement */
	assert_int_equal(db_exec(d, "SELECT 1;\n;\nSELECT 2", NULL, &err), -1);
	assert_int_equal(err.code, 1064);
	assert_int_equal(db_multi_statements(d, &err), 0);
	exec_ok(d, "CREATE TABLE t (id INT PRIMARY KEY, v INT)");
	const char *ok = "INSERT INTO t VALUES (1, 10), (2, 20) -- a comment at the end\n;\n"
			 "select @v := v FROM t WHERE id = 2\n;\n"
			 "UPDATE t SET v = @v + 1 WHERE id = 1 # another\n;\n"
			 "SELECT id FROM t";
	unsigned long long aff = 0;
	assert_int_equal(db_send(d, ok, &err), 0);
	assert_int_equal(db_read(d, 1, 0, &aff, &err), 0);
	assert_int_equal(aff, 2);
	assert_int_equal(db_read(d, 0, 0, &aff, &err), 0);
	assert_int_equal(aff, 1);   /* one row */
	assert_int_equal(db_read(d, 0, 0, &aff, &err), 0);
	assert_int_equal(aff, 1);
	assert_int_equal(db_read(d, 0, 1, &aff, &err), 0);
	assert_int_equal(aff, 2);
	char *v = value(d, "SELECT v FROM t WHERE id = 1");
	assert_string_equal(v, "21");
	free(v);

	const char *bad = "INSERT INTO t VALUES (3, 30)\n;\nINSERT INTO t VALUES (1, 0)\n;\nINSERT INTO t VALUES (4, 40)";
	assert_int_equal(db_send(d, bad, &err), 0);
	assert_int_equal(db_read(d, 1, 0, &aff, &err), 0);
	assert_int_equal(db_read(d, 0, 0, &aff, &err), -1);
	assert_int_equal(err.code, 1062);
	assert_false(db_is_connection_error(err.code));
	v = value(d, "SELECT GROUP_CONCAT(id ORDER BY id) FROM t");
	assert_string_equal(v, "1,2,3");   /* 4 never ran */
	free(v);

	/* an error in the first statement: nothing after it ran */
	assert_int_equal(db_send(d, "ALTER TABLE t ADD COLUMN v INT\n;\nINSERT INTO t VALUES (5, 50)", &err), 0);
	assert_int_equal(db_read(d, 1, 0, &aff, &err), -1);
	assert_int_equal(err.code, 1060);
	v = value(d, "SELECT COUNT(*) FROM t WHERE id = 5");
	assert_string_equal(v, "0");
	free(v);
	db_close(d);
}

static void test_query_value_cases(void **state)
{
	struct db *d = harness_connect("t_values");
	assert_non_null(d);
	exec_ok(d, "CREATE TABLE e (id INT)");
	struct db_error err;
	char *v = (char *)1;
	assert_int_equal(db_query_value(d, "SELECT id FROM e", &v, &err), 1);
	assert_null(v);
	assert_int_equal(db_query_value(d, "SELECT NULL", &v, &err), 0);
	assert_null(v);
	assert_int_equal(db_query_value(d, "SELECT 'a\\0b'", &v, &err), 0);   /* embedded NUL: first part */
	assert_string_equal(v, "a");
	free(v);
	db_close(d);
}

struct rows {
	int n;
	int nulls;
	int stop_at;
};

static int on_row(void *ud, unsigned ncols, char **values, unsigned long *lengths)
{
	struct rows *r = ud;
	assert_int_equal(ncols, 2);
	r->n++;
	if (!values[1])
		r->nulls++;
	else
		assert_int_equal(strlen(values[1]), lengths[1]);
	return r->stop_at && r->n == r->stop_at ? 7 : 0;
}

static void test_query_rows(void **state)
{
	struct db *d = harness_connect("t_rows");
	assert_non_null(d);
	exec_ok(d, "CREATE TABLE r (id INT, s VARCHAR(10))");
	exec_ok(d, "INSERT INTO r VALUES (1,'a'),(2,NULL),(3,'ccc'),(4,NULL),(5,'e')");
	struct db_error err;
	struct rows r = {0, 0, 0};
	assert_int_equal(db_query_rows(d, "SELECT id, s FROM r ORDER BY id", on_row, &r, &err), 0);
	assert_int_equal(r.n, 5);
	assert_int_equal(r.nulls, 2);
	struct rows r2 = {0, 0, 2};
	assert_int_equal(db_query_rows(d, "SELECT id, s FROM r ORDER BY id", on_row, &r2, &err), 7);
	assert_int_equal(r2.n, 2);
	assert_int_equal(err.code, 0);
	char *v = value(d, "SELECT COUNT(*) FROM r");   /* the stopped result was drained */
	assert_string_equal(v, "5");
	free(v);
	db_close(d);
}

static void test_utf8mb4_and_escape(void **state)
{
	struct db *d = harness_connect("t_utf8");
	assert_non_null(d);
	exec_ok(d, "CREATE TABLE c (id INT PRIMARY KEY, s VARCHAR(100)) DEFAULT CHARSET utf8mb4");
	const char *text = "引擎配置 'quoted' \\ back \"dq\" 😀";
	char *esc = NULL;
	db_escape(d, text, &esc);
	char *sql = xasprintf("INSERT INTO c VALUES (1, '%s')", esc);
	exec_ok(d, sql);
	free(sql);
	free(esc);
	char *v = value(d, "SELECT s FROM c WHERE id = 1");
	assert_string_equal(v, text);
	free(v);
	v = value(d, "SELECT CHAR_LENGTH(s) FROM c WHERE id = 1");
	char want[16];
	snprintf(want, sizeof want, "%d", 4 + 1 + 8 + 1 + 1 + 1 + 4 + 1 + 4 + 1 + 1);
	assert_string_equal(v, want);
	free(v);
	exec_ok(d, "INSERT INTO c VALUES (2, '中文注释')");
	v = value(d, "SELECT HEX(s) FROM c WHERE id = 2");
	assert_string_equal(v, "E4B8ADE69687E6B3A8E9878A");
	free(v);
	char *q = db_quote_ident("we`ird");
	assert_string_equal(q, "`we``ird`");
	free(q);
	db_close(d);
}

static void test_connect_errors(void **state)
{
	struct db_params p = {.socket = "/nonexistent/upwiz.sock", .user = "root", .connect_timeout_s = 2};
	struct db_error err;
	assert_null(db_connect(&p, &err));
	assert_int_equal(err.code, 2002);
	assert_true(db_is_connection_error(err.code));

	struct db *root = harness_connect(NULL);
	assert_non_null(root);
	exec_ok(root, "CREATE USER IF NOT EXISTS 'upw'@'localhost' IDENTIFIED BY 'Right-pw1'");
	struct db_params u = harness_params(NULL);
	u.user = "upw";
	u.password = "wrong";
	assert_null(db_connect(&u, &err));
	assert_int_equal(err.code, 1045);
	assert_string_equal(err.sqlstate, "28000");
	assert_false(db_is_connection_error(err.code));
	u.password = "Right-pw1";
	struct db *d = db_connect(&u, &err);
	assert_non_null(d);
	db_close(d);

	/* a connection killed by the server reads as "went away" */
	d = harness_connect(NULL);
	assert_non_null(d);
	char *kill = xasprintf("KILL CONNECTION %lu", db_thread_id(d));
	exec_ok(root, kill);
	free(kill);
	char *v = NULL;
	assert_int_equal(db_query_value(d, "SELECT 1", &v, &err), -1);
	assert_true(db_is_connection_error(err.code));
	assert_int_not_equal(db_ping(d), 0);
	db_close(d);
	db_close(root);
}

static void test_kill9_and_restart(void **state)
{
	struct db *d = harness_connect("t_crash");
	assert_non_null(d);
	exec_ok(d, "CREATE TABLE IF NOT EXISTS k (id INT PRIMARY KEY) ENGINE=InnoDB");
	exec_ok(d, "INSERT INTO k VALUES (1), (2), (3)");
	exec_ok(d, "SET @session_state := 'kept?'");

	pid_t old = srv->pid;
	mysqld_kill9(srv);
	assert_int_equal(srv->pid, -1);

	struct db_error err;
	assert_int_equal(db_exec(d, "INSERT INTO k VALUES (4)", NULL, &err), -1);
	assert_true(db_is_connection_error(err.code));
	printf("after kill -9: %u (%s) %s\n", err.code, err.sqlstate, err.message);
	assert_int_not_equal(db_ping(d), 0);

	char *cause = NULL;
	uint64_t t0 = mono_ms();
	if (mysqld_restart(srv, &cause) != 0)
		fail_msg("restart: %s", cause);
	printf("restart after kill -9 (crash recovery): %.2f s\n", (mono_ms() - t0) / 1000.0);
	assert_int_not_equal(srv->pid, old);
	assert_true(srv->pid > 0);

	/* the old handle does not reconnect behind our back */
	char *v = NULL;
	assert_int_equal(db_query_value(d, "SELECT @session_state", &v, &err), -1);
	assert_true(db_is_connection_error(err.code));
	db_close(d);

	d = harness_connect("t_crash");
	assert_non_null(d);
	v = value(d, "SELECT COUNT(*) FROM k");   /* committed rows survived */
	assert_string_equal(v, "3");
	free(v);
	assert_int_equal(db_query_value(d, "SELECT @session_state", &v, &err), 0);
	assert_null(v);   /* a new session */
	db_close(d);
}

static void test_stop_and_start_again(void **state)
{
	/* a clean stop reports 0, and a start reuses the datadir without reinstalling */
	assert_int_equal(mysqld_stop(srv), 0);
	char *cause = NULL;
	if (mysqld_restart(srv, &cause) != 0)
		fail_msg("restart: %s", cause);
	printf("start on an existing datadir: %.2f s\n", srv->start_seconds);
	struct db *d = harness_connect("t_crash");
	assert_non_null(d);
	char *v = value(d, "SELECT COUNT(*) FROM k");
	assert_string_equal(v, "3");
	free(v);
	db_close(d);
}

static void test_start_failure_cause(void **state)
{
	/* a second server on the same folder is refused before it touches anything */
	struct mysqld second;
	char *cause = NULL;
	assert_int_equal(mysqld_start(srv->dir, &second, &cause), -1);
	assert_non_null(cause);
	assert_non_null(strstr(cause, "already running"));
	mysqld_free(&second);
	struct db *d = harness_connect(NULL);
	assert_non_null(d);
	db_close(d);

	/* a datadir without the system tables: the server exits, the cause quotes its log */
	char *broken = path_join(harness_dir(), "broken");
	char *sys = path_join(broken, "data/mysql");
	assert_int_equal(mkdir_p(sys, 0700, NULL), 0);
	uint64_t t0 = mono_ms();
	assert_int_equal(mysqld_start(broken, &second, &cause), -1);
	printf("broken datadir (%.1f s): %s\n", (mono_ms() - t0) / 1000.0, cause);
	assert_non_null(strstr(cause, "mysqld.err"));
	assert_non_null(strstr(cause, "exited"));
	free(cause);
	mysqld_free(&second);
	free(sys);
	free(broken);
}

int main(void)
{
	int r = harness_mysqld(&srv);
	if (r != 0)
		return r;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_session_defaults),
		cmocka_unit_test(test_error_codes),
		cmocka_unit_test(test_user_variables_and_drain),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_query_value_cases),
		cmocka_unit_test(test_query_rows),
		cmocka_unit_test(test_utf8mb4_and_escape),
		cmocka_unit_test(test_connect_errors),
		cmocka_unit_test(test_kill9_and_restart),
		cmocka_unit_test(test_stop_and_start_again),
		cmocka_unit_test(test_start_failure_cause),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
