/*
 * harness.c: a real mariadbd for integration tests (see harness.h).
 *
 * One server per test executable keeps the start-up count low; the tests share it and
 * use their own databases. The fixture SQL is loaded with the mariadb client (not the C
 * API statement splitter) so fixtures load exactly as install.sh loads them.
 */
#include "tests/integration/harness.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <mysql.h>

#include "core/proc.h"
#include "core/util.h"

static struct mysqld server;
static int started;
static char dir[64];
static char *fixtures;

static void harness_cleanup(void)
{
	if (started) {
		mysqld_free(&server);
		started = 0;
	}
	if (dir[0])
		rm_rf(dir);
	free(fixtures);
	fixtures = NULL;
	mysql_library_end();
}

int harness_mysqld(struct mysqld **out)
{
	if (started) {
		*out = &server;
		return 0;
	}
	char *bin = mysqld_find_server();
	if (!bin) {
		printf("skipped: mariadbd is not installed (apt-get install mariadb-server)\n");
		fflush(stdout);
		return 77;
	}
	free(bin);
	snprintf(dir, sizeof dir, "/tmp/upwiz-h-XXXXXX");
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		exit(1);
	}
	atexit(harness_cleanup);
	char *cause = NULL;
	if (mysqld_start_opts(dir, MYSQLD_DIE_WITH_PARENT | MYSQLD_NO_FSYNC, &server, &cause) < 0) {
		fprintf(stderr, "harness: cannot start mariadbd in %s: %s\n", dir, cause);
		free(cause);
		exit(1);
	}
	started = 1;
	fprintf(stderr, "harness: mariadbd pid %d in %s, up after %.2f s\n", (int)server.pid, dir,
		server.start_seconds);
	*out = &server;
	return 0;
}

const char *harness_dir(void) { return dir; }

struct db_params harness_params(const char *database)
{
	struct db_params p;
	mysqld_db_params(&server, &p);
	p.database = database;
	return p;
}

struct db *harness_connect(const char *database)
{
	struct mysqld *m;
	if (harness_mysqld(&m) != 0)
		return NULL;
	struct db_params p = harness_params(NULL);
	struct db_error err;
	struct db *d = db_connect(&p, &err);
	if (!d) {
		fprintf(stderr, "harness: connect: %u (%s) %s\n", err.code, err.sqlstate, err.message);
		return NULL;
	}
	if (database) {
		char *q = db_quote_ident(database);
		char *create = xasprintf("CREATE DATABASE IF NOT EXISTS %s CHARACTER SET utf8mb4", q);
		char *use = xasprintf("USE %s", q);
		int r = db_exec(d, create, NULL, &err);
		if (r == 0)
			r = db_exec(d, use, NULL, &err);
		free(q);
		free(create);
		free(use);
		if (r < 0) {
			fprintf(stderr, "harness: database %s: %u %s\n", database, err.code, err.message);
			db_close(d);
			return NULL;
		}
	}
	return d;
}

static void keep_line(void *ud, const char *line, size_t len)
{
	struct strbuf *sb = ud;
	if (sb->len < 65536) {
		sb_adds(sb, "  | ");
		sb_add(sb, line, len);
		sb_addc(sb, '\n');
	}
}

int harness_load_sql_file(struct db *d, const char *path)
{
	struct db_error err;
	char *dbname = NULL;
	if (db_query_value(d, "SELECT DATABASE()", &dbname, &err) < 0) {
		fprintf(stderr, "harness: %s\n", err.message);
		return -1;
	}
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		perror(path);
		free(dbname);
		return -1;
	}
	char *sock = xasprintf("--socket=%s", server.socket);
	char *dbarg = xasprintf("--database=%s", dbname ? dbname : "");
	const char *client = access("/usr/bin/mariadb", X_OK) == 0 ? "mariadb" : "mysql";
	const char *argv[] = {client, "--no-defaults", sock, "--user=root", "--default-character-set=utf8mb4",
		"--batch", dbname ? dbarg : "--silent", NULL};
	struct proc_opts o = {.argv = argv, .stdin_fd = fd};
	char *cause = NULL;
	int code = -1;
	struct strbuf out = STRBUF_INIT;
	int r = proc_run(&o, 300000, keep_line, &out, &code, &cause);
	close(fd);
	if (r < 0 || code != 0) {
		fprintf(stderr, "harness: loading %s: %s (exit %d)\n%s", path, cause ? cause : "failed", code,
			sb_str(&out));
		r = -1;
	}
	sb_free(&out);
	free(cause);
	free(sock);
	free(dbarg);
	free(dbname);
	return r;
}

const char *harness_fixtures(void)
{
	if (fixtures)
		return fixtures;
	const char *src = getenv("UPWIZ_SOURCE_DIR");
	if (!src)
		src = UPWIZ_SOURCE_DIR;
	const char *env = getenv("UPWIZ_FIXTURES");   /* set by CMake when it found them */
	char *f = env && *env ? xstrdup(env) : xasprintf("%s/../shared/fixtures", src);
	if (!is_dir(f)) {
		free(f);
		return NULL;
	}
	fixtures = f;
	return fixtures;
}
