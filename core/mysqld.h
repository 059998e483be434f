/*
 * mysqld.h: a private MariaDB server living in one folder, for sandbox worlds and tests.
 *
 * DIR/data is the datadir (made by mariadb-install-db on first use, reused after that,
 * including after a crash), DIR/mysqld.sock the only way in (--skip-networking),
 * DIR/mysqld.err the error log (also the server's stdout/stderr), DIR/tmp its tmpdir.
 * root connects over the socket with no password. The server is a child of the caller
 * (core/proc), in its own process group; without MYSQLD_DIE_WITH_PARENT it outlives a
 * crashed caller.
 * Timings measured here (Debian 12, MariaDB 10.11): install-db ~1.5 s, start ~0.5 s, stop ~1 s.
 */
#ifndef UPWIZ_MYSQLD_H
#define UPWIZ_MYSQLD_H

#include <sys/types.h>

struct db_params;
struct proc;

struct mysqld {
	char *dir, *datadir, *socket, *pidfile, *errlog;   /* owned, absolute */
	pid_t pid;                                         /* -1 when not running */
	/* additions */
	struct proc *proc;
	int flags;
	double start_seconds;                              /* the last start-up, install included */
};

/* mysqld_start_opts flags (addition) */
#define MYSQLD_DIE_WITH_PARENT 1   /* PR_SET_PDEATHSIG SIGTERM: the server stops if the starting THREAD exits */
#define MYSQLD_NO_FSYNC 2          /* disposable data: no fsync (flush_log_at_trx_commit=2, nosync, no doublewrite);
                                      committed data survives a kill -9 of the server, not a machine crash */

/*
 * Creates DIR/data with mariadb-install-db (--no-defaults --auth-root-authentication-method=normal
 * --skip-test-db) unless DIR/data/mysql exists, starts mariadbd --no-defaults --skip-networking
 * --socket=DIR/mysqld.sock (--user=root only when euid is 0), utf8mb4 server charset, a 32 MB buffer
 * pool, and waits until root can connect over the socket (up to 60 s; on failure the cause quotes
 * the last lines of the error log). The socket path must fit in 107 bytes. *out is overwritten.
 * Returns 0, or -1 with cause (caller frees). Caller calls mysqld_stop and mysqld_free.
 */
int mysqld_start(const char *dir, struct mysqld *out, char **cause);
int mysqld_stop(struct mysqld *m);          /* SIGTERM, wait up to 30 s, then SIGKILL; 0 on clean stop */
void mysqld_kill9(struct mysqld *m);        /* for fault tests: the server dies mid-work (reaped here) */
void mysqld_free(struct mysqld *m);         /* stops it if still running, frees the strings */

/* ---- additions */
int mysqld_start_opts(const char *dir, int flags, struct mysqld *out, char **cause);
/* Starts the server again on the same folder (after mysqld_kill9 or mysqld_stop; stops it first if running). */
int mysqld_restart(struct mysqld *m, char **cause);
/* Fills p (zeroed first) to connect as root over the socket; the strings are borrowed from m. */
void mysqld_db_params(const struct mysqld *m, struct db_params *p);
/* The server binary (mariadbd, else mysqld, in PATH or /usr/sbin, /usr/libexec); NULL when not installed.
 * Caller frees. */
char *mysqld_find_server(void);
/* The last n lines of the error log, for messages; caller frees ("" when none). */
char *mysqld_log_tail(const struct mysqld *m, int n);

#endif
