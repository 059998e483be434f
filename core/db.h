/*
 * db.h: SQL statements through the MySQL/MariaDB C client (MariaDB Connector/C here).
 *
 * One connection per struct db, used by one thread at a time. No automatic reconnect:
 * a silent reconnect would drop session user variables (`select @id := ...` blocks in
 * the Linkis DML) and named locks, so a lost server surfaces as an error whose code
 * db_is_connection_error() recognises, and the caller decides (reconnect and resume).
 * Every result set is consumed, so a statement that returns rows never leaves the
 * connection "out of sync".
 */
#ifndef UPWIZ_DB_H
#define UPWIZ_DB_H

struct db_params {
	const char *host;               /* NULL: "localhost" */
	unsigned port;                  /* 0: 3306 */
	const char *socket;             /* non-empty: used instead of host:port */
	const char *user;
	const char *password;           /* NULL or "": none */
	const char *database;           /* NULL: none selected */
	const char *charset;            /* NULL: utf8mb4 */
	unsigned connect_timeout_s;     /* 0: 10 */
};

struct db;  /* opaque */

struct db_error {
	unsigned code;                  /* server or client error number (1062, 2013, ...) */
	char sqlstate[6];               /* "23000"; "HY000" when the client has none */
	char message[512];
};

/* NULL + err on failure; sets the client character set (utf8mb4 default) and autocommit=1. With a socket the
 * protocol is forced to SOCKET, otherwise to TCP (so "localhost" + port means TCP, as the profile says). */
struct db *db_connect(const struct db_params *p, struct db_error *err);
/* Runs one statement; consumes every result set (a `select @v := id ...` returns rows that must be drained).
 * Returns 0, or -1 with err. *affected (may be NULL): rows affected (or returned) by the first result. */
int db_exec(struct db *d, const char *sql, unsigned long long *affected, struct db_error *err);
/* db_exec in two halves, so the caller can work while the server runs the statement: db_send
 * sends it (0, or -1 with err), db_read(d, 1, 1, ...) reads the answer (as db_exec). Nothing else
 * may use the connection in between. */
int db_send(struct db *d, const char *sql, struct db_error *err);
/* Several statements in one round trip: db_multi_statements lets the server take a text of
 * statements separated by ";" (a round trip, once per connection; the mysql client does the same).
 * After db_send of such a text, db_read reads one statement's answer at a time, in order: first
 * for the first statement, last for the last one (then whatever else the server sends is drained,
 * as by db_exec). The server stops at the first statement that fails: its error comes from
 * that db_read, and the statements after it never ran. Each statement must give one result (no
 * CALL): the caller pairs answers with statements by position. */
int db_multi_statements(struct db *d, struct db_error *err);
int db_read(struct db *d, int first, int last, unsigned long long *affected, struct db_error *err);
/* Runs a query and returns its first column of the first row as a new string (caller frees). Returns 0 (a SQL
 * NULL value gives *out == NULL), 1 when there is no row (*out == NULL), -1 on error. */
int db_query_value(struct db *d, const char *sql, char **out, struct db_error *err);
/* Runs a query, calling fn once per row with the column count, values (NULL for SQL NULL; borrowed, valid during
 * the call) and lengths. fn returns 0 to go on; a non-zero return stops (the rest is drained) and is returned
 * with err->code 0. Returns 0 or -1 with err. */
typedef int (*db_row_fn)(void *ud, unsigned ncols, char **values, unsigned long *lengths);
int db_query_rows(struct db *d, const char *sql, db_row_fn fn, void *ud, struct db_error *err);
int db_ping(struct db *d);                   /* 0 alive */
/* The error of the last call that failed on this connection (code 0 when it succeeded). */
void db_last_error(struct db *d, struct db_error *err);
/* 2002, 2003, 2006, 2013, 2055, 1053 server shutdown, 1927 connection killed, 4031: "the database went away" */
int db_is_connection_error(unsigned code);
/* mysql_real_escape_string into *owned (caller frees); returns *owned. For use inside '...' quotes. */
const char *db_escape(struct db *d, const char *s, char **owned);
void db_close(struct db *d);                 /* NULL is fine */

/* ---- additions */
/* Quotes an identifier for use in SQL: `name` with ` doubled. Caller frees. */
char *db_quote_ident(const char *name);
/* The server version string ("10.11.19-MariaDB-0+deb12u1"); borrowed, valid until db_close. */
const char *db_server_version(struct db *d);
/* The connection id (for KILL in tests and diagnostics). */
unsigned long db_thread_id(struct db *d);

#endif
