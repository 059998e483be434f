/*
 * db.c: the thin layer over the C client (see db.h).
 *
 * Result sets are read unbuffered (mysql_use_result) and drained row by row, so a
 * statement returning a large result does not sit in memory, and every statement
 * ends with mysql_next_result() until no result is left (CLIENT_MULTI_RESULTS is set
 * because a CALL of a procedure returns an extra status result). Errors are copied
 * into the caller's struct db_error at once, before anything else touches the
 * connection. mysql_library_init() runs once (pthread_once) before the first
 * connection, as the client requires in a threaded program.
 */
#include "core/db.h"

#include <mysql.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"

struct db {
	MYSQL *m;
};

static pthread_once_t lib_once = PTHREAD_ONCE_INIT;

static void lib_init(void)
{
	if (mysql_library_init(0, NULL, NULL) != 0)
		fatal("mysql_library_init failed");
}

static void err_set(struct db_error *e, unsigned code, const char *state, const char *msg)
{
	if (!e)
		return;
	e->code = code;
	snprintf(e->sqlstate, sizeof e->sqlstate, "%s", state && *state ? state : "HY000");
	snprintf(e->message, sizeof e->message, "%s", msg ? msg : "");
}

static void err_from(struct db_error *e, MYSQL *m)
{
	unsigned code = mysql_errno(m);
	err_set(e, code ? code : 2000, mysql_sqlstate(m), code ? mysql_error(m) : "unknown client error");
}

static void err_clear(struct db_error *e)
{
	if (e)
		err_set(e, 0, "00000", "");
}

struct db *db_connect(const struct db_params *p, struct db_error *err)
{
	pthread_once(&lib_once, lib_init);
	err_clear(err);
	MYSQL *m = mysql_init(NULL);
	if (!m) {
		err_set(err, 2008, "HY000", "mysql_init: out of memory");
		return NULL;
	}
	unsigned timeout = p->connect_timeout_s ? p->connect_timeout_s : 10;
	my_bool no = 0;
	unsigned zero = 0;
	int use_socket = p->socket && *p->socket;
	unsigned proto = use_socket ? MYSQL_PROTOCOL_SOCKET : MYSQL_PROTOCOL_TCP;
	mysql_options(m, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
	mysql_options(m, MYSQL_OPT_RECONNECT, &no);
	mysql_options(m, MYSQL_OPT_LOCAL_INFILE, &zero);
	mysql_options(m, MYSQL_OPT_PROTOCOL, &proto);
	mysql_options(m, MYSQL_SET_CHARSET_NAME, p->charset && *p->charset ? p->charset : "utf8mb4");
	const char *host = use_socket ? "localhost" : (p->host && *p->host ? p->host : "localhost");
	const char *pw = p->password && *p->password ? p->password : NULL;
	const char *dbname = p->database && *p->database ? p->database : NULL;
	if (!mysql_real_connect(m, host, p->user, pw, dbname, use_socket ? 0 : (p->port ? p->port : 3306),
				use_socket ? p->socket : NULL, CLIENT_MULTI_RESULTS)) {
		err_from(err, m);
		mysql_close(m);
		return NULL;
	}
	if (mysql_autocommit(m, 1) != 0) {
		err_from(err, m);
		mysql_close(m);
		return NULL;
	}
	struct db *d = xcalloc(1, sizeof *d);
	d->m = m;
	return d;
}

/* Reads the rest of the current statement's results after the first was handled. */
static int drain_more(MYSQL *m, struct db_error *err)
{
	for (;;) {
		int st = mysql_next_result(m);
		if (st < 0)
			return 0;
		if (st > 0) {
			err_from(err, m);
			return -1;
		}
		MYSQL_RES *r = mysql_use_result(m);
		if (r) {
			while (mysql_fetch_row(r))
				;
			unsigned code = mysql_errno(m);
			if (code) {
				err_from(err, m);
				mysql_free_result(r);
				return -1;
			}
			mysql_free_result(r);
		} else if (mysql_field_count(m) != 0) {
			err_from(err, m);
			return -1;
		}
	}
}

/* The current result (a statement's answer): rows to fn (NULL: count only), the count (rows or
 * affected) to *count. Returns 1 when fn stopped, 0, or -1 with err. */
static int take_result(MYSQL *m, db_row_fn fn, void *ud, unsigned long long *count, struct db_error *err)
{
	int stopped = 0;
	unsigned long long n = 0;
	MYSQL_RES *r = mysql_use_result(m);
	if (r) {
		MYSQL_ROW row;
		unsigned ncols = mysql_num_fields(r);
		while ((row = mysql_fetch_row(r))) {
			n++;
			if (fn && !stopped)
				stopped = fn(ud, ncols, row, mysql_fetch_lengths(r));
		}
		if (mysql_errno(m)) {
			err_from(err, m);
			mysql_free_result(r);
			return -1;
		}
		mysql_free_result(r);
	} else if (mysql_field_count(m) == 0) {
		n = mysql_affected_rows(m);
	} else {
		err_from(err, m);
		return -1;
	}
	if (count)
		*count = n;
	return stopped;
}

/* The answer to a statement sent: its first result as take_result, then the rest drained. */
static int finish(struct db *d, db_row_fn fn, void *ud, unsigned long long *count, struct db_error *err)
{
	int stopped = take_result(d->m, fn, ud, count, err);
	if (stopped < 0 || drain_more(d->m, err) < 0)
		return -1;
	return stopped;
}

static int run(struct db *d, const char *sql, db_row_fn fn, void *ud, unsigned long long *count,
	       struct db_error *err)
{
	err_clear(err);
	if (mysql_real_query(d->m, sql, strlen(sql)) != 0) {
		err_from(err, d->m);
		return -1;
	}
	return finish(d, fn, ud, count, err);
}

int db_send(struct db *d, const char *sql, struct db_error *err)
{
	err_clear(err);
	if (mysql_send_query(d->m, sql, strlen(sql)) != 0) {
		err_from(err, d->m);
		return -1;
	}
	return 0;
}

int db_multi_statements(struct db *d, struct db_error *err)
{
	err_clear(err);
	if (mysql_set_server_option(d->m, MYSQL_OPTION_MULTI_STATEMENTS_ON) != 0) {
		err_from(err, d->m);
		return -1;
	}
	return 0;
}

int db_read(struct db *d, int first, int last, unsigned long long *affected, struct db_error *err)
{
	err_clear(err);
	if (first) {
		if (mysql_read_query_result(d->m) != 0) {
			err_from(err, d->m);
			return -1;
		}
	} else {
		int st = mysql_next_result(d->m);
		if (st != 0) {
			if (st > 0)
				err_from(err, d->m);
			else   /* the server sent fewer answers than statements: the text did not split as ours */
				err_set(err, 2014, "HY000", "the server sent no answer for this statement (the statements sent together split differently)");
			return -1;
		}
	}
	unsigned long long n = 0;
	if (take_result(d->m, NULL, NULL, &n, err) < 0 || (last && drain_more(d->m, err) < 0))
		return -1;
	if (affected)
		*affected = n;
	return 0;
}

int db_exec(struct db *d, const char *sql, unsigned long long *affected, struct db_error *err)
{
	return run(d, sql, NULL, NULL, affected, err) < 0 ? -1 : 0;
}

struct first_value {
	int have;
	char *value;
};

static int take_first(void *ud, unsigned ncols, char **values, unsigned long *lengths)
{
	struct first_value *fv = ud;
	fv->have = 1;
	if (ncols > 0 && values[0])
		fv->value = xstrndup(values[0], lengths[0]);
	return 1;
}

int db_query_value(struct db *d, const char *sql, char **out, struct db_error *err)
{
	struct first_value fv = {0, NULL};
	*out = NULL;
	int r = run(d, sql, take_first, &fv, NULL, err);
	if (r < 0) {
		free(fv.value);
		return -1;
	}
	if (!fv.have)
		return 1;
	*out = fv.value;
	return 0;
}

int db_query_rows(struct db *d, const char *sql, db_row_fn fn, void *ud, struct db_error *err)
{
	return run(d, sql, fn, ud, NULL, err);
}

int db_ping(struct db *d)
{
	return d && mysql_ping(d->m) == 0 ? 0 : -1;
}

void db_last_error(struct db *d, struct db_error *err)
{
	err_clear(err);
	if (d && mysql_errno(d->m))
		err_from(err, d->m);
}

int db_is_connection_error(unsigned code)
{
	switch (code) {
	case 1053:  /* ER_SERVER_SHUTDOWN */
	case 1927:  /* ER_CONNECTION_KILLED (MariaDB) */
	case 2002:  /* CR_CONNECTION_ERROR (socket) */
	case 2003:  /* CR_CONN_HOST_ERROR (TCP) */
	case 2006:  /* CR_SERVER_GONE_ERROR */
	case 2013:  /* CR_SERVER_LOST */
	case 2055:  /* CR_SERVER_LOST_EXTENDED */
	case 4031:  /* ER_CLIENT_INTERACTION_TIMEOUT (MySQL 8) */
		return 1;
	default:
		return 0;
	}
}

const char *db_escape(struct db *d, const char *s, char **owned)
{
	size_t n = strlen(s);
	char *buf = xmalloc(2 * n + 1);
	mysql_real_escape_string(d->m, buf, s, (unsigned long)n);
	*owned = buf;
	return buf;
}

char *db_quote_ident(const char *name)
{
	struct strbuf sb = STRBUF_INIT;
	sb_addc(&sb, '`');
	for (const char *c = name; *c; c++) {
		if (*c == '`')
			sb_addc(&sb, '`');
		sb_addc(&sb, *c);
	}
	sb_addc(&sb, '`');
	return sb_detach(&sb);
}

const char *db_server_version(struct db *d) { return mysql_get_server_info(d->m); }
unsigned long db_thread_id(struct db *d) { return mysql_thread_id(d->m); }

void db_close(struct db *d)
{
	if (!d)
		return;
	mysql_close(d->m);
	free(d);
}
