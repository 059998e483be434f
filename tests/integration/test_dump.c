/*
 * test_dump.c: core/dump against the harness's mariadbd: a verified dump, restores into
 * another database and over the original (roll-back) compared row by row, the password
 * kept out of the child's argv/environment and the option file removed, failures that
 * leave nothing behind, the disk-full fault (UPWIZ_FAULT=dump:3, in a child process of
 * this same executable so fault_hit's one-time getenv sees it), and the Linkis 1.3.2
 * fixtures (62 tables) when ../shared/fixtures exists.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <sched.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <mysql.h>

#include "core/db.h"
#include "core/dump.h"
#include "core/mysqld.h"
#include "core/proc.h"
#include "core/util.h"
#include "tests/integration/harness.h"

static struct mysqld *srv;

#define TRICKY_PW "Pa$$ \"w#rd\\ 'x' ; `y`"

static void exec_ok(struct db *d, const char *sql)
{
	struct db_error err;
	if (db_exec(d, sql, NULL, &err) != 0)
		fail_msg("%s: %u (%s) %s", sql, err.code, err.sqlstate, err.message);
}

static int dir_entries(const char *path)
{
	DIR *d = opendir(path);
	if (!d)
		return -1;
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

static char *scratch(const char *name)
{
	return path_join(harness_dir(), name);
}

/* ---- comparing two databases */

struct digest {
	unsigned long long rows;
	uint64_t sum;   /* order-independent: sum of per-row hashes */
};

static int digest_row(void *ud, unsigned ncols, char **values, unsigned long *lengths)
{
	struct digest *dg = ud;
	struct strbuf sb = STRBUF_INIT;
	for (unsigned i = 0; i < ncols; i++) {
		if (values[i]) {
			sb_addf(&sb, "%lu:", lengths[i]);
			sb_add(&sb, values[i], lengths[i]);
		} else
			sb_adds(&sb, "N;");
	}
	char hex[65];
	sha256_hex(sb_str(&sb), sb.len, hex);
	hex[16] = '\0';
	dg->sum += strtoull(hex, NULL, 16);
	dg->rows++;
	sb_free(&sb);
	return 0;
}

static int collect_text(void *ud, unsigned ncols, char **values, unsigned long *lengths)
{
	struct strbuf *sb = ud;
	for (unsigned i = 0; i < ncols; i++) {
		sb_adds(sb, values[i] ? values[i] : "NULL");
		sb_addc(sb, '|');
	}
	sb_addc(sb, '\n');
	return 0;
}

static char *query_text(struct db *d, const char *sql)
{
	struct strbuf sb = STRBUF_INIT;
	struct db_error err;
	if (db_query_rows(d, sql, collect_text, &sb, &err) < 0)
		fail_msg("%s: %s", sql, err.message);
	return sb_detach(&sb);
}

static char *schema_text(struct db *d, const char *schema)
{
	char *sql = xasprintf(
		"SELECT t.table_name, t.table_type, t.table_collation, "
		"(SELECT GROUP_CONCAT(CONCAT_WS(' ', column_name, column_type, IFNULL(collation_name, '-'), is_nullable, "
		"IFNULL(column_default, '-'), extra, column_comment) ORDER BY ordinal_position SEPARATOR ', ') "
		" FROM information_schema.columns c WHERE c.table_schema = t.table_schema AND c.table_name = t.table_name), "
		"(SELECT GROUP_CONCAT(CONCAT_WS(' ', index_name, seq_in_index, column_name, non_unique) "
		" ORDER BY index_name, seq_in_index) FROM information_schema.statistics s "
		" WHERE s.table_schema = t.table_schema AND s.table_name = t.table_name) "
		"FROM information_schema.tables t WHERE t.table_schema = '%s' ORDER BY t.table_name", schema);
	char *a = query_text(d, sql);
	free(sql);
	sql = xasprintf("SELECT routine_name, routine_type, routine_definition FROM information_schema.routines "
			"WHERE routine_schema = '%s' ORDER BY 1", schema);
	char *b = query_text(d, sql);
	free(sql);
	sql = xasprintf("SELECT trigger_name, event_manipulation, action_statement FROM information_schema.triggers "
			"WHERE trigger_schema = '%s' ORDER BY 1", schema);
	char *c = query_text(d, sql);
	free(sql);
	sql = xasprintf("SELECT event_name, event_definition, status FROM information_schema.events "
			"WHERE event_schema = '%s' ORDER BY 1", schema);
	char *e = query_text(d, sql);
	free(sql);
	char *all = xasprintf("%s--\n%s--\n%s--\n%s", a, b, c, e);
	free(a);
	free(b);
	free(c);
	free(e);
	return all;
}

static int collect_names(void *ud, unsigned ncols, char **values, unsigned long *lengths)
{
	sv_push(ud, values[0]);
	return 0;
}

/* Asserts both schemas hold the same tables, columns, indexes, routines, triggers, events and rows. */
static unsigned assert_same_database(struct db *d, const char *a, const char *b)
{
	char *sa = schema_text(d, a), *sb = schema_text(d, b);
	assert_string_equal(sa, sb);
	free(sa);
	free(sb);
	struct strvec tables = STRVEC_INIT;
	char *sql = xasprintf("SELECT table_name FROM information_schema.tables WHERE table_schema = '%s' "
			      "AND table_type = 'BASE TABLE' ORDER BY 1", a);
	struct db_error err;
	assert_int_equal(db_query_rows(d, sql, collect_names, &tables, &err), 0);
	free(sql);
	for (size_t i = 0; i < tables.n; i++) {
		struct digest da = {0, 0}, dbb = {0, 0};
		char *qt = db_quote_ident(tables.v[i]);
		char *qa = db_quote_ident(a), *qb = db_quote_ident(b);
		char *s1 = xasprintf("SELECT * FROM %s.%s", qa, qt);
		char *s2 = xasprintf("SELECT * FROM %s.%s", qb, qt);
		assert_int_equal(db_query_rows(d, s1, digest_row, &da, &err), 0);
		assert_int_equal(db_query_rows(d, s2, digest_row, &dbb, &err), 0);
		if (da.rows != dbb.rows || da.sum != dbb.sum)
			fail_msg("table %s differs: %llu rows vs %llu", tables.v[i], da.rows, dbb.rows);
		free(qt);
		free(qa);
		free(qb);
		free(s1);
		free(s2);
	}
	unsigned n = (unsigned)tables.n;
	sv_free(&tables);
	return n;
}

/* ---- fixture */

static void make_source(struct db *d)
{
	exec_ok(d, "DROP DATABASE IF EXISTS d_src");
	exec_ok(d, "CREATE DATABASE d_src DEFAULT CHARSET utf8 COLLATE utf8_general_ci");
	exec_ok(d, "USE d_src");
	exec_ok(d, "CREATE TABLE t_text (id INT AUTO_INCREMENT PRIMARY KEY, s VARCHAR(200) COMMENT '名称', note TEXT) "
		   "DEFAULT CHARSET utf8mb4 COMMENT='中文注释'");
	exec_ok(d, "INSERT INTO t_text (s, note) VALUES ('中文注释', 'emoji 😀'), ('quote '' and \\\\ back', NULL), "
		   "('line\\nbreak\\ttab', '')");
	exec_ok(d, "CREATE TABLE t_blob (id INT PRIMARY KEY, b BLOB)");
	exec_ok(d, "INSERT INTO t_blob VALUES (1, UNHEX('00FF0D0A27225C1A')), (2, NULL), (3, '')");
	exec_ok(d, "CREATE TABLE t_utf8 (id INT PRIMARY KEY, name VARCHAR(50) COLLATE utf8_bin, "
		   "UNIQUE KEY uniq_name (name)) DEFAULT CHARSET utf8");
	exec_ok(d, "INSERT INTO t_utf8 VALUES (1, 'spark-2.4.3'), (2, 'hive-2.3.3'), (3, '引擎')");
	exec_ok(d, "CREATE TABLE t_big (id INT PRIMARY KEY, pad VARCHAR(1000), t TIMESTAMP NULL, f DOUBLE)");
	exec_ok(d, "SET SESSION max_recursive_iterations = 100000");
	exec_ok(d, "INSERT INTO t_big WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 3000) "
		   "SELECT n, REPEAT(CHAR(65 + n % 26), 1000), FROM_UNIXTIME(1700000000 + n), n / 7 FROM s");
	exec_ok(d, "CREATE VIEW v_text AS SELECT id, s FROM t_text");
	exec_ok(d, "CREATE TRIGGER trg BEFORE INSERT ON t_text FOR EACH ROW SET NEW.note = IFNULL(NEW.note, 'trig')");
	exec_ok(d, "CREATE PROCEDURE pr() BEGIN SELECT COUNT(*) FROM t_big; END");
	exec_ok(d, "CREATE EVENT ev ON SCHEDULE EVERY 1 DAY DISABLE DO DELETE FROM t_blob WHERE id < 0");
	exec_ok(d, "USE mysql");
}

static struct dump_opts opts_for(const char *database, const char *out, const char *tmpdir)
{
	struct dump_opts o;
	memset(&o, 0, sizeof o);
	o.db = harness_params(database);
	o.out_path = out;
	o.tmpdir = tmpdir;
	return o;
}

struct prog {
	int calls;
	unsigned long long last, estimate;
	int saw_line;
	char last_line[128];   /* the label of the latest call */
};

static void on_progress(void *ud, unsigned long long done, unsigned long long est, const char *line)
{
	struct prog *p = ud;
	assert_true(done >= p->last);   /* the last call repeats the total, with the last label */
	p->last = done;
	p->estimate = est;
	p->calls++;
	if (line && str_starts(line, "Dumping data for table `"))
		p->saw_line = 1;
	snprintf(p->last_line, sizeof p->last_line, "%s", line ? line : "");
}

/* ---- tests */

static void test_dump_verified(void **state)
{
	struct db *d = harness_connect(NULL);
	assert_non_null(d);
	make_source(d);
	char *out = scratch("d_src.sql"), *opt = scratch("opt");
	assert_int_equal(mkdir_p(opt, 0700, NULL), 0);
	struct dump_opts o = opts_for("d_src", out, opt);
	struct dump_result res;
	struct prog pg = {0};
	char *cause = NULL;
	uint64_t t0 = mono_ms();
	if (dump_database(&o, on_progress, &pg, &res, &cause) != 0)
		fail_msg("dump: %s", cause);
	printf("dump of d_src: %llu bytes in %.2f s, %d progress calls, estimate %llu\n", res.bytes,
	       (mono_ms() - t0) / 1000.0, pg.calls, pg.estimate);
	assert_int_equal(res.complete, 1);
	assert_int_equal(res.tables_in_db, 4);
	assert_int_equal(res.tables_in_dump, 4);
	assert_true(pg.saw_line);
	assert_true(pg.estimate > 0);
	/* the last call, always made: the whole file, labelled with the last table dumped (by name) */
	assert_true(pg.last == res.bytes);
	assert_string_equal(pg.last_line, "Dumping data for table `t_utf8`");
	struct stat st;
	assert_int_equal(stat(out, &st), 0);
	assert_int_equal((unsigned long long)st.st_size, res.bytes);
	assert_int_equal(st.st_mode & 0777, 0600);
	char hex[65];
	assert_int_equal(sha256_file(out, hex, NULL), 0);
	assert_string_equal(hex, res.sha256);
	char *partial = xasprintf("%s.partial", out);
	assert_false(path_exists(partial));
	assert_int_equal(dir_entries(opt), 0);   /* the option file is gone */
	size_t len;
	char *text = read_file(out, &len, NULL);
	assert_non_null(strstr(text, "TRIGGER trg BEFORE INSERT"));
	assert_non_null(strstr(text, "CREATE DEFINER"));   /* routine / event */
	assert_non_null(strstr(text, "0x00FF0D0A27225C1A"));   /* --hex-blob */
	assert_non_null(strstr(text, "中文注释"));
	free(text);
	free(partial);
	free(out);
	free(opt);
	db_close(d);
}

static void test_restore_into_other_database(void **state)
{
	struct db *d = harness_connect(NULL);
	assert_non_null(d);
	exec_ok(d, "DROP DATABASE IF EXISTS d_copy");
	/* a marker row added after the dump must stay: the restore must not write into d_src */
	exec_ok(d, "INSERT INTO d_src.t_blob VALUES (99, 'marker')");
	char *out = scratch("d_src.sql"), *opt = scratch("opt");
	struct db_params p = harness_params("d_copy");
	char *cause = NULL;
	uint64_t t0 = mono_ms();
	if (dump_restore(&p, out, opt, &cause) != 0)
		fail_msg("restore: %s", cause);
	printf("restore into d_copy: %.2f s\n", (mono_ms() - t0) / 1000.0);
	assert_int_equal(dir_entries(opt), 0);
	char *v = NULL;
	struct db_error err;
	assert_int_equal(db_query_value(d, "SELECT COUNT(*) FROM d_src.t_blob WHERE id = 99", &v, &err), 0);
	assert_string_equal(v, "1");
	free(v);
	exec_ok(d, "DELETE FROM d_src.t_blob WHERE id = 99");
	/* the database charset came from the dump */
	assert_int_equal(db_query_value(d, "SELECT default_character_set_name FROM information_schema.schemata "
					   "WHERE schema_name = 'd_copy'", &v, &err), 0);
	assert_string_equal(v, "utf8mb3");
	free(v);
	assert_int_equal(assert_same_database(d, "d_src", "d_copy"), 4);
	free(out);
	free(opt);
	db_close(d);
}

static void test_restore_over_original(void **state)
{
	/* roll-back: the upgrade changed d_src, the dump puts it back */
	struct db *d = harness_connect(NULL);
	assert_non_null(d);
	exec_ok(d, "ALTER TABLE d_src.t_utf8 ADD COLUMN identifier VARCHAR(32)");
	exec_ok(d, "UPDATE d_src.t_utf8 SET name = 'spark-3.2.1' WHERE id = 1");
	exec_ok(d, "DELETE FROM d_src.t_big WHERE id > 100");
	exec_ok(d, "DROP TRIGGER d_src.trg");
	char *out = scratch("d_src.sql"), *opt = scratch("opt");
	struct db_params p = harness_params("d_src");
	char *cause = NULL;
	if (dump_restore(&p, out, opt, &cause) != 0)
		fail_msg("restore: %s", cause);
	assert_int_equal(assert_same_database(d, "d_src", "d_copy"), 4);
	free(out);
	free(opt);
	db_close(d);
}

/* Finds our mariadb-dump child while it runs and checks what the world can see of it. */
struct spy {
	int checked;
	int idle_reader;   /* a thread of ours at SCHED_IDLE (the read-back) was seen during the dump */
	char optfile[PATH_MAX];
	int optfile_mode;
};

static char *read_proc(pid_t pid, const char *what, size_t *len)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/%s", (int)pid, what);
	return read_file(path, len, NULL);
}

static int mem_has(const char *hay, size_t n, const char *needle)
{
	size_t k = strlen(needle);
	for (size_t i = 0; i + k <= n; i++)
		if (memcmp(hay + i, needle, k) == 0)
			return 1;
	return 0;
}

/* Any thread of this process at SCHED_IDLE (policy 5, field 41 of /proc/self/task/N/stat)? */
static int idle_thread_seen(void)
{
	DIR *dir = opendir("/proc/self/task");
	struct dirent *e;
	int seen = 0;
	while (dir && !seen && (e = readdir(dir))) {
		if (e->d_name[0] == '.')
			continue;
		char path[300];
		snprintf(path, sizeof path, "/proc/self/task/%s/stat", e->d_name);
		size_t n;
		char *st = read_file(path, &n, NULL);
		const char *rp = st ? strrchr(st, ')') : NULL;
		/* after ") ", field 3 (state) is the first: policy is the 39th from there */
		for (int f = 3; rp && f <= 41; f++)
			rp = strchr(rp + 1, ' ');
		if (rp && atoi(rp + 1) == SCHED_IDLE)
			seen = 1;
		free(st);
	}
	if (dir)
		closedir(dir);
	return seen;
}

static void spy_progress(void *ud, unsigned long long done, unsigned long long est, const char *line)
{
	struct spy *s = ud;
	if (!s->idle_reader)
		s->idle_reader = idle_thread_seen();
	if (s->checked)
		return;
	DIR *dir = opendir("/proc");
	struct dirent *e;
	while (dir && (e = readdir(dir))) {
		pid_t pid = (pid_t)atoi(e->d_name);
		if (pid <= 0)
			continue;
		size_t n;
		char *pst = read_proc(pid, "stat", &n);
		if (!pst)
			continue;
		const char *rp = strrchr(pst, ')');
		int ppid = 0;
		char stc;
		int ours = rp && sscanf(rp + 2, "%c %d", &stc, &ppid) == 2 && ppid == getpid() &&
			   (strstr(pst, "(mariadb-dump)") || strstr(pst, "(mysqldump)"));
		free(pst);
		if (!ours)
			continue;
		char *cmd = read_proc(pid, "cmdline", &n);
		assert_non_null(cmd);
		assert_true(n > 0);
		assert_false(mem_has(cmd, n, "Pa$$"));
		assert_false(mem_has(cmd, n, "w#rd"));
		for (size_t i = 0; i < n; i += strlen(cmd + i) + 1)
			if (str_starts(cmd + i, "--defaults-extra-file="))
				snprintf(s->optfile, sizeof s->optfile, "%s", cmd + i + 22);
		free(cmd);
		char *env = read_proc(pid, "environ", &n);
		assert_non_null(env);
		assert_false(mem_has(env, n, "Pa$$"));
		assert_false(mem_has(env, n, "UPWIZ_VAR_DB_PASSWORD"));
		free(env);
		struct stat st;
		assert_int_equal(stat(s->optfile, &st), 0);
		s->optfile_mode = (int)(st.st_mode & 0777);
		s->checked = 1;
	}
	if (dir)
		closedir(dir);
}

static void test_password_not_exposed(void **state)
{
	struct db *d = harness_connect(NULL);
	assert_non_null(d);
	char *esc = NULL;
	db_escape(d, TRICKY_PW, &esc);
	char *sql = xasprintf("CREATE OR REPLACE USER 'dumper'@'localhost' IDENTIFIED BY '%s'", esc);
	exec_ok(d, sql);
	free(sql);
	free(esc);
	exec_ok(d, "GRANT ALL ON d_src.* TO 'dumper'@'localhost'");
	exec_ok(d, "GRANT SELECT ON mysql.proc TO 'dumper'@'localhost'");
	/* the dump re-creates root's trigger/routine/event (DEFINER=root): restoring those needs SET USER */
	exec_ok(d, "GRANT SET USER ON *.* TO 'dumper'@'localhost'");
	setenv("UPWIZ_VAR_DB_PASSWORD", TRICKY_PW, 1);

	char *out = scratch("dumper.sql"), *opt = scratch("opt");
	struct dump_opts o = opts_for("d_src", out, opt);
	o.db.user = "dumper";
	o.db.password = TRICKY_PW;
	struct dump_result res;
	struct spy spy;
	memset(&spy, 0, sizeof spy);
	char *cause = NULL;
	if (dump_database(&o, spy_progress, &spy, &res, &cause) != 0)
		fail_msg("dump as dumper: %s", cause);
	assert_true(spy.checked);
	/* the read-back ran beside the dump at SCHED_IDLE, so as not to slow it (core/dump.c) */
	assert_true(spy.idle_reader);
	assert_int_equal(spy.optfile_mode, 0600);
	assert_true(str_starts(spy.optfile, opt));
	assert_false(path_exists(spy.optfile));
	assert_int_equal(dir_entries(opt), 0);
	assert_int_equal(res.tables_in_dump, 4);
	/* and the dump itself carries no password */
	size_t len;
	char *text = read_file(out, &len, NULL);
	assert_false(mem_has(text, len, "w#rd"));
	free(text);

	/* restoring with the same credentials works too (quoting in the option file) */
	struct db_params rp = o.db;
	rp.database = "d_src";
	if (dump_restore(&rp, out, opt, &cause) != 0)
		fail_msg("restore as dumper: %s", cause);
	assert_int_equal(dir_entries(opt), 0);

	char *cmd = dump_restore_command(&o.db, out);
	printf("restore command: %s\n", cmd);
	assert_non_null(strstr(cmd, " -p "));
	assert_non_null(strstr(cmd, "-u 'dumper'"));
	assert_non_null(strstr(cmd, "-S '"));
	assert_null(strstr(cmd, "w#rd"));
	assert_true(str_ends(cmd, "/dumper.sql'"));
	free(cmd);
	struct db_params tcp = {.host = "db.example.com", .port = 3307, .user = "o'neil", .password = "x"};
	cmd = dump_restore_command(&tcp, "/backups/it's.sql");
	assert_string_equal(cmd, "mariadb --default-character-set=utf8mb4 -h 'db.example.com' -P 3307 "
				 "-u 'o'\\''neil' -p < '/backups/it'\\''s.sql'");
	free(cmd);
	unsetenv("UPWIZ_VAR_DB_PASSWORD");
	unlink(out);
	free(out);
	free(opt);
	db_close(d);
}

static void test_failures_leave_nothing(void **state)
{
	char *out = scratch("fail.sql"), *opt = scratch("opt");
	char *partial = xasprintf("%s.partial", out);
	struct dump_result res;
	char *cause = NULL;

	/* no such database */
	struct dump_opts o = opts_for("no_such_db", out, opt);
	assert_int_equal(dump_database(&o, NULL, NULL, &res, &cause), -1);
	assert_non_null(strstr(cause, "does not exist"));
	assert_int_equal(res.complete, 0);

	/* the dump child fails half-way: a user that may not SHOW VIEW */
	struct db *d = harness_connect(NULL);
	assert_non_null(d);
	exec_ok(d, "CREATE OR REPLACE USER 'noview'@'localhost' IDENTIFIED BY 'nv-pw'");
	exec_ok(d, "GRANT SELECT, LOCK TABLES, TRIGGER, EVENT ON d_src.* TO 'noview'@'localhost'");
	o = opts_for("d_src", out, opt);
	o.db.user = "noview";
	o.db.password = "nv-pw";
	assert_int_equal(dump_database(&o, NULL, NULL, &res, &cause), -1);
	printf("noview: %s\n", cause);
	assert_non_null(strstr(cause, "exited with"));
	assert_non_null(strstr(cause, "denied"));
	assert_int_equal(res.complete, 0);
	assert_false(path_exists(out));
	assert_false(path_exists(partial));
	assert_int_equal(dir_entries(opt), 0);

	/* the output folder does not exist */
	char *bad = scratch("no/such/dir/x.sql");
	o = opts_for("d_src", bad, opt);
	assert_int_equal(dump_database(&o, NULL, NULL, &res, &cause), -1);
	assert_non_null(strstr(cause, "No such file"));
	assert_int_equal(dir_entries(opt), 0);
	free(bad);

	/* a broken dump fails the restore with the client's error */
	char *broken = scratch("broken.sql");
	const char *sql = "CREATE TABLE ok1 (id INT);\nINSERT INTO ok1 VALUES (1;\n";
	assert_int_equal(write_file_atomic(broken, sql, strlen(sql), 0600, NULL), 0);
	struct db_params p = harness_params("d_broken");
	assert_int_equal(dump_restore(&p, broken, opt, &cause), -1);
	printf("broken restore: %s\n", cause);
	assert_non_null(strstr(cause, "ERROR 1064"));
	assert_int_equal(dir_entries(opt), 0);
	free(broken);

	free(cause);
	free(partial);
	free(out);
	free(opt);
	db_close(d);
}

/* Runs in a child process: UPWIZ_FAULT=dump:3 makes the third 16 KiB read back report ENOSPC, as a full disk:
 * exactly two units (32 KiB) count as read, however the reads fell. */
static int fault_child(void)
{
	const char *sock = getenv("UPWIZ_TEST_SOCKET"), *dir = getenv("UPWIZ_TEST_DIR");
	if (!sock || !dir)
		return 2;
	char *out = path_join(dir, "fault.sql"), *opt = path_join(dir, "fault-opt");
	char *partial = xasprintf("%s.partial", out);
	mkdir_p(opt, 0700, NULL);
	struct dump_opts o;
	memset(&o, 0, sizeof o);
	o.db.socket = sock;
	o.db.user = "root";
	o.db.database = "d_src";
	o.out_path = out;
	o.tmpdir = opt;
	struct dump_result res;
	struct prog pg = {0};
	char *cause = NULL;
	int r = dump_database(&o, on_progress, &pg, &res, &cause);
	printf("fault child: r=%d complete=%d bytes=%llu progress=%d cause=%s\n", r, res.complete, res.bytes,
	       pg.calls, cause ? cause : "-");
	int ok = r == -1 && res.complete == 0 && cause && strstr(cause, strerror(ENOSPC)) && !path_exists(out) &&
		 !path_exists(partial) && dir_entries(opt) == 0 && res.bytes == 2 * 16384;
	free(cause);
	free(out);
	free(opt);
	free(partial);
	mysql_library_end();
	return ok ? 0 : 1;
}

struct outbuf {
	struct strbuf sb;
};

static void keep(void *ud, const char *line, size_t len)
{
	struct outbuf *o = ud;
	sb_add(&o->sb, line, len);
	sb_addc(&o->sb, '\n');
}

static void test_fault_disk_full(void **state)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
	assert_true(n > 0);
	self[n] = '\0';
	char *e_sock = xasprintf("UPWIZ_TEST_SOCKET=%s", srv->socket);
	char *e_dir = xasprintf("UPWIZ_TEST_DIR=%s", harness_dir());
	const char *set[] = {"UPWIZ_FAULT=dump:3", e_sock, e_dir, NULL};
	const char *argv[] = {self, "--fault-child", NULL};
	struct proc_opts o = {.argv = argv, .stdin_fd = -1, .env_set = set};
	struct outbuf ob = {STRBUF_INIT};
	int code = -1;
	char *cause = NULL;
	assert_int_equal(proc_run(&o, 120000, keep, &ob, &code, &cause), 0);
	printf("%s", sb_str(&ob.sb));
	assert_int_equal(code, 0);
	sb_free(&ob.sb);
	free(e_sock);
	free(e_dir);
}

static void test_linkis_fixtures(void **state)
{
	const char *fx = harness_fixtures();
	if (!fx) {
		printf("skipped: no ../shared/fixtures\n");
		skip();
	}
	char *ddl = xasprintf("%s/linkis/linkis-1.3.2-ddl.sql", fx);
	char *dml = xasprintf("%s/linkis/linkis-1.3.2-dml.sql", fx);
	if (!path_exists(ddl) || !path_exists(dml)) {
		printf("skipped: %s missing\n", ddl);
		free(ddl);
		free(dml);
		skip();
	}
	struct db *d = harness_connect(NULL);
	assert_non_null(d);
	exec_ok(d, "DROP DATABASE IF EXISTS lk132");
	exec_ok(d, "DROP DATABASE IF EXISTS lk132_copy");
	exec_ok(d, "CREATE DATABASE lk132 DEFAULT CHARSET utf8 COLLATE utf8_general_ci");
	exec_ok(d, "USE lk132");
	uint64_t t0 = mono_ms();
	assert_int_equal(harness_load_sql_file(d, ddl), 0);
	assert_int_equal(harness_load_sql_file(d, dml), 0);
	printf("linkis 1.3.2 fixtures loaded in %.2f s\n", (mono_ms() - t0) / 1000.0);
	exec_ok(d, "USE mysql");

	char *out = scratch("lk132.sql"), *opt = scratch("opt");
	struct dump_opts o = opts_for("lk132", out, opt);
	struct dump_result res;
	char *cause = NULL;
	t0 = mono_ms();
	if (dump_database(&o, NULL, NULL, &res, &cause) != 0)
		fail_msg("dump lk132: %s", cause);
	printf("lk132 dump: %llu bytes, %u tables, %.2f s, sha256 %.16s...\n", res.bytes, res.tables_in_dump,
	       (mono_ms() - t0) / 1000.0, res.sha256);
	assert_int_equal(res.tables_in_db, 62);
	assert_int_equal(res.tables_in_dump, 62);
	assert_int_equal(res.complete, 1);
	struct db_params p = harness_params("lk132_copy");
	t0 = mono_ms();
	if (dump_restore(&p, out, opt, &cause) != 0)
		fail_msg("restore lk132: %s", cause);
	printf("lk132 restore: %.2f s\n", (mono_ms() - t0) / 1000.0);
	assert_int_equal(assert_same_database(d, "lk132", "lk132_copy"), 62);
	char *v = NULL;
	struct db_error err;
	assert_int_equal(db_query_value(d, "SELECT COUNT(*) FROM lk132_copy.linkis_cg_manager_label "
					   "WHERE label_value LIKE '%spark-2.4.3' OR label_value LIKE '%hive-2.3.3'",
					&v, &err), 0);
	assert_int_equal(atoi(v), 7);
	free(v);
	assert_int_equal(dir_entries(opt), 0);
	free(out);
	free(opt);
	free(ddl);
	free(dml);
	db_close(d);
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "--fault-child") == 0)
		return fault_child();
	int r = harness_mysqld(&srv);
	if (r != 0)
		return r;
	char *opt = scratch("opt");
	mkdir_p(opt, 0700, NULL);
	free(opt);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dump_verified),
		cmocka_unit_test(test_restore_into_other_database),
		cmocka_unit_test(test_restore_over_original),
		cmocka_unit_test(test_password_not_exposed),
		cmocka_unit_test(test_failures_leave_nothing),
		cmocka_unit_test(test_fault_disk_full),
		cmocka_unit_test(test_linkis_fixtures),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
