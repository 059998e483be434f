/*
 * mysqld.c: a private MariaDB server in a folder (see mysqld.h).
 *
 * The server is started through core/proc like any other child, with its stdout and
 * stderr appended to the error log rather than a pipe: nobody reads a pipe while the
 * server runs, and a full pipe would block it. Readiness is "root can connect over the
 * socket", polled every 100 ms, not a line in the log (its wording changes between
 * versions). If the child exits meanwhile the error log explains why and its last lines
 * go into the cause. --no-defaults keeps /etc/mysql/my.cnf (a system server's port,
 * socket, datadir) out of it entirely.
 */
#include "core/mysqld.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/un.h>
#include <unistd.h>

#include "core/db.h"
#include "core/proc.h"
#include "core/util.h"

#define START_TIMEOUT_MS 60000
#define STOP_TIMEOUT_MS 30000
#define INSTALL_TIMEOUT_MS 180000

static const char *const child_env_unset[] = {"UPWIZ_VAR_*", "MYSQL_PWD", "MYSQL_HOST", "MYSQL_TCP_PORT",
	"MYSQL_UNIX_PORT", NULL};

/* The first of names found on PATH or in the extra folders; caller frees. */
static char *find_bin(const char *const *names)
{
	static const char *const extra[] = {"/usr/sbin", "/usr/libexec", "/usr/local/sbin", "/usr/bin", NULL};
	const char *path = getenv("PATH");
	for (const char *const *n = names; *n; n++) {
		if (path) {
			const char *p = path;
			for (;;) {
				const char *c = strchr(p, ':');
				size_t len = c ? (size_t)(c - p) : strlen(p);
				if (len) {
					char *dir = xstrndup(p, len);
					char *full = path_join(dir, *n);
					free(dir);
					if (access(full, X_OK) == 0)
						return full;
					free(full);
				}
				if (!c)
					break;
				p = c + 1;
			}
		}
		for (const char *const *e = extra; *e; e++) {
			char *full = path_join(*e, *n);
			if (access(full, X_OK) == 0)
				return full;
			free(full);
		}
	}
	return NULL;
}

char *mysqld_find_server(void)
{
	static const char *const names[] = {"mariadbd", "mysqld", NULL};
	return find_bin(names);
}

/* Points at the start of the last n lines of s (trailing newlines ignored by the caller). */
static const char *last_lines(const char *s, size_t len, int n)
{
	size_t i = len;
	int lines = 0;
	while (i > 0) {
		if (s[i - 1] == '\n' && ++lines >= n)
			break;
		i--;
	}
	return s + i;
}

static char *file_tail(const char *path, int n)
{
	size_t len = 0;
	char *s = read_file(path, &len, NULL);
	if (!s)
		return xstrdup("");
	while (len && (s[len - 1] == '\n' || s[len - 1] == '\r'))
		s[--len] = '\0';
	char *t = xstrdup(last_lines(s, len, n));
	free(s);
	return t;
}

char *mysqld_log_tail(const struct mysqld *m, int n) { return file_tail(m->errlog, n); }

static void keep_tail(void *ud, const char *line, size_t len)
{
	struct strbuf *sb = ud;
	if (sb->len > 8192) {
		char *nl = strchr(sb->s + sb->len - 4096, '\n');
		struct strbuf t = STRBUF_INIT;
		sb_adds(&t, nl ? nl + 1 : sb->s + sb->len - 4096);
		sb_free(sb);
		*sb = t;
	}
	sb_add(sb, line, len);
	sb_addc(sb, '\n');
}

static int install_db(struct mysqld *m, char **cause)
{
	static const char *const names[] = {"mariadb-install-db", "mysql_install_db", NULL};
	char *bin = find_bin(names);
	if (!bin) {
		set_cause(cause, "mariadb-install-db: not found (install mariadb-server)");
		return -1;
	}
	char *a_datadir = xasprintf("--datadir=%s", m->datadir);
	/* its own tmpdir here too: under a parallel suite something cleaning /tmp removed the
	 * bootstrap's temporary tables ("Error on delete of '/tmp/#sql-temptable-...MAI'") */
	char *tmp = path_join(m->dir, "tmp");
	char *a_tmp = xasprintf("--tmpdir=%s", tmp);
	mkdir_p(tmp, 0700, NULL);
	free(tmp);
	const char *argv[12];
	int n = 0;
	argv[n++] = bin;
	argv[n++] = "--no-defaults";
	argv[n++] = a_datadir;
	argv[n++] = a_tmp;
	argv[n++] = "--auth-root-authentication-method=normal";
	argv[n++] = "--skip-test-db";
	argv[n++] = "--skip-name-resolve";
	argv[n++] = "--innodb-log-file-size=16M";
	if (geteuid() == 0)
		argv[n++] = "--user=root";
	argv[n] = NULL;
	struct proc_opts o = {.argv = argv, .cwd = m->dir, .stdin_fd = -1, .env_unset = child_env_unset};
	struct strbuf out = STRBUF_INIT;
	int code = -1;
	int r = proc_run(&o, INSTALL_TIMEOUT_MS, keep_tail, &out, &code, cause);
	if (r == 0 && code != 0) {
		size_t len = out.len;
		while (len && out.s[len - 1] == '\n')
			out.s[--len] = '\0';
		/* Its last lines are boilerplate ("check all of the above..."): quote the error lines. */
		struct strbuf errs = STRBUF_INIT;
		int nerr = 0;
		for (const char *l = sb_str(&out); *l && nerr < 4; l += strcspn(l, "\n") + (l[strcspn(l, "\n")] ? 1 : 0)) {
			size_t ll = strcspn(l, "\n");
			if (memmem(l, ll, "ERROR", 5) || memmem(l, ll, "rror:", 5)) {
				sb_add(&errs, l, ll);
				sb_addc(&errs, '\n');
				nerr++;
			}
		}
		set_cause(cause, "mariadb-install-db exited with %d: %s%s", code, sb_str(&errs),
			  nerr ? "" : last_lines(sb_str(&out), len, 6));
		sb_free(&errs);
		r = -1;
	}
	sb_free(&out);
	free(a_datadir);
	free(a_tmp);
	free(bin);
	if (r < 0)
		rm_rf(m->datadir);
	return r;
}

void mysqld_db_params(const struct mysqld *m, struct db_params *p)
{
	memset(p, 0, sizeof *p);
	p->socket = m->socket;
	p->user = "root";
	p->connect_timeout_s = 5;
}

static int launch(struct mysqld *m, char **cause)
{
	char *bin = mysqld_find_server();
	if (!bin) {
		set_cause(cause, "mariadbd: not found (install mariadb-server)");
		return -1;
	}
	int logfd = open(m->errlog, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (logfd < 0) {
		set_cause(cause, "%s: %s", m->errlog, strerror(errno));
		free(bin);
		return -1;
	}
	char *a_datadir = xasprintf("--datadir=%s", m->datadir);
	char *a_socket = xasprintf("--socket=%s", m->socket);
	char *a_pid = xasprintf("--pid-file=%s", m->pidfile);
	char *a_log = xasprintf("--log-error=%s", m->errlog);
	/* its own tmpdir: a shared /tmp being cleaned under a running server broke queries here */
	char *tmp = path_join(m->dir, "tmp");
	char *a_tmp = xasprintf("--tmpdir=%s", tmp);
	if (mkdir_p(tmp, 0700, cause) < 0) {
		free(tmp);
		free(a_tmp);
		free(a_datadir);
		free(a_socket);
		free(a_pid);
		free(a_log);
		free(bin);
		close(logfd);
		return -1;
	}
	free(tmp);
	const char *argv[24];
	int n = 0;
	argv[n++] = bin;
	argv[n++] = "--no-defaults";
	argv[n++] = a_datadir;
	argv[n++] = a_socket;
	argv[n++] = "--skip-networking";
	argv[n++] = a_pid;
	argv[n++] = a_log;
	argv[n++] = "--character-set-server=utf8mb4";
	argv[n++] = "--collation-server=utf8mb4_general_ci";
	argv[n++] = "--innodb-buffer-pool-size=32M";
	argv[n++] = "--innodb-log-file-size=16M";
	argv[n++] = "--skip-name-resolve";
	argv[n++] = "--max-allowed-packet=64M";
	argv[n++] = a_tmp;
	if (m->flags & MYSQLD_NO_FSYNC) {
		argv[n++] = "--innodb-flush-log-at-trx-commit=2";
		argv[n++] = "--innodb-flush-method=nosync";
		argv[n++] = "--innodb-doublewrite=0";
	}
	if (geteuid() == 0)
		argv[n++] = "--user=root";
	argv[n] = NULL;
	struct proc_opts o = {.argv = argv, .cwd = m->dir, .stdin_fd = -1, .output_fd = logfd,
		.env_unset = child_env_unset,
		.death_signal = (m->flags & MYSQLD_DIE_WITH_PARENT) ? SIGTERM : 0};
	m->proc = proc_start(&o, cause);
	close(logfd);
	free(a_datadir);
	free(a_socket);
	free(a_pid);
	free(a_log);
	free(a_tmp);
	free(bin);
	if (!m->proc)
		return -1;
	m->pid = proc_pid(m->proc);

	struct db_params p;
	mysqld_db_params(m, &p);
	p.connect_timeout_s = 2;
	uint64_t deadline = mono_ms() + START_TIMEOUT_MS;
	struct db_error err = {0};
	for (;;) {
		int st;
		if (proc_exited(m->proc, &st)) {
			char *t = mysqld_log_tail(m, 8);
			set_cause(cause, "mariadbd exited with %d during start-up; %s:\n%s", proc_exit_code(st),
				  m->errlog, t);
			free(t);
			proc_free(m->proc);
			m->proc = NULL;
			m->pid = -1;
			return -1;
		}
		if (path_exists(m->socket)) {
			struct db *d = db_connect(&p, &err);
			if (d) {
				db_close(d);
				return 0;
			}
		}
		if (mono_ms() >= deadline)
			break;
		poll(NULL, 0, 100);
	}
	char *t = mysqld_log_tail(m, 8);
	set_cause(cause, "mariadbd did not accept connections within %d s (last error %u: %s); %s:\n%s",
		  START_TIMEOUT_MS / 1000, err.code, err.message, m->errlog, t);
	free(t);
	mysqld_stop(m);
	return -1;
}

int mysqld_start_opts(const char *dir, int flags, struct mysqld *out, char **cause)
{
	memset(out, 0, sizeof *out);
	out->pid = -1;
	out->flags = flags;
	double t0 = wall_time();
	if (mkdir_p(dir, 0700, cause) < 0)
		return -1;
	char abs[PATH_MAX];
	if (!realpath(dir, abs)) {
		set_cause(cause, "%s: %s", dir, strerror(errno));
		return -1;
	}
	out->dir = xstrdup(abs);
	out->datadir = path_join(abs, "data");
	out->socket = path_join(abs, "mysqld.sock");
	out->pidfile = path_join(abs, "mysqld.pid");
	out->errlog = path_join(abs, "mysqld.err");
	if (strlen(out->socket) >= sizeof(((struct sockaddr_un *)0)->sun_path)) {
		set_cause(cause, "%s: socket path too long for a unix socket (max %zu bytes)", out->socket,
			  sizeof(((struct sockaddr_un *)0)->sun_path) - 1);
		return -1;
	}
	char *sysdb = path_join(out->datadir, "mysql");
	int have = is_dir(sysdb);
	free(sysdb);
	if (!have && install_db(out, cause) < 0)
		return -1;
	if (path_exists(out->socket)) {
		/* a live server there would answer our readiness probe and pass for ours */
		struct db_params p;
		mysqld_db_params(out, &p);
		p.connect_timeout_s = 2;
		struct db_error err;
		struct db *d = db_connect(&p, &err);
		if (d) {
			db_close(d);
			set_cause(cause, "a server is already running on %s", out->socket);
			return -1;
		}
	}
	if (launch(out, cause) < 0)
		return -1;
	out->start_seconds = wall_time() - t0;
	return 0;
}

int mysqld_start(const char *dir, struct mysqld *out, char **cause)
{
	return mysqld_start_opts(dir, 0, out, cause);
}

int mysqld_stop(struct mysqld *m)
{
	if (!m->proc)
		return 0;
	int rc = 0, st = 0;
	kill(m->pid, SIGTERM);
	if (proc_wait(m->proc, STOP_TIMEOUT_MS, NULL, NULL, &st) != 1) {
		proc_kill(m->proc, SIGKILL);
		proc_wait(m->proc, -1, NULL, NULL, &st);
		rc = -1;
	} else if (proc_exit_code(st) != 0) {
		rc = -1;
	}
	proc_free(m->proc);
	m->proc = NULL;
	m->pid = -1;
	return rc;
}

void mysqld_kill9(struct mysqld *m)
{
	if (!m->proc)
		return;
	proc_kill(m->proc, SIGKILL);
	proc_wait(m->proc, -1, NULL, NULL, NULL);
	proc_free(m->proc);
	m->proc = NULL;
	m->pid = -1;
}

int mysqld_restart(struct mysqld *m, char **cause)
{
	char *dir = xstrdup(m->dir);
	int flags = m->flags;
	mysqld_free(m);
	int r = mysqld_start_opts(dir, flags, m, cause);
	free(dir);
	return r;
}

void mysqld_free(struct mysqld *m)
{
	if (!m)
		return;
	mysqld_stop(m);
	free(m->dir);
	free(m->datadir);
	free(m->socket);
	free(m->pidfile);
	free(m->errlog);
	memset(m, 0, sizeof *m);
	m->pid = -1;
}
