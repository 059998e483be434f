/*
 * dump.h: a logical backup of one database with mariadb-dump, verified before it counts.
 *
 * The credentials travel in a 0600 option file (--defaults-extra-file) made in tmpdir and
 * deleted on every path, never in argv or the environment. The child writes OUT.partial
 * itself; we read it back as it grows (progress, a full disk injected with UPWIZ_FAULT=dump:N,
 * SHA-256 on the way), check it (the "-- Dump completed" trailer, one
 * CREATE TABLE per base table in information_schema, SHA-256), fsynced and only then
 * renamed to OUT. A file at out_path therefore always passed verification.
 *
 * Note: --databases puts `CREATE DATABASE IF NOT EXISTS orig` and `USE orig` in the dump,
 * so the operator command (dump_restore_command) restores into the original database
 * whatever -D says; dump_restore() rewrites those two statements to p->database.
 */
#ifndef UPWIZ_DUMP_H
#define UPWIZ_DUMP_H

#include "core/db.h"

struct dump_opts {
	struct db_params db;     /* db.database: the schema to dump (required) */
	const char *out_path;    /* the .sql file */
	const char *tmpdir;      /* for the 0600 option file; NULL: the folder of out_path */
};

struct dump_result {
	char sha256[65];
	unsigned long long bytes;
	unsigned tables_in_db, tables_in_dump;
	int complete;            /* "-- Dump completed" trailer present */
	/* Where the time went (ms): the dump itself (mariadb-dump started until it exited and its
	 * file was read back, hashed and scanned), making it durable (fsync, rename, folder fsync),
	 * and the schema facts it is checked against (information_schema, before the dump). */
	unsigned long dump_ms, sync_ms, facts_ms;
};

/* Called on the caller's thread, bytes_done never decreasing: every 20 ms while mariadb-dump runs
 * (the file's size), then as what is left is read back, and once at the end with the total.
 * line: the text of the latest "-- Table structure for table `x`" / "-- Dumping data for table `x`" comment
 * read back so far, without its "-- ", or NULL before the first; borrowed, valid during the call.
 * bytes_estimate: information_schema data_length sum (0 if unknown). */
typedef void (*dump_progress_fn)(void *ud, unsigned long long bytes_done, unsigned long long bytes_estimate,
				 const char *line);

/*
 * Runs `mariadb-dump --defaults-extra-file=<0600 file> --single-transaction --routines --triggers --events
 * --hex-blob --default-character-set=utf8mb4 --databases DB` (mysqldump when mariadb-dump is absent) into
 * out_path. progress may be NULL. res is filled as far as it got (may be NULL). Returns 0 only when verified;
 * -1 with cause (caller frees) otherwise, leaving no file at out_path nor out_path.partial.
 */
int dump_database(const struct dump_opts *o, dump_progress_fn progress, void *ud, struct dump_result *res,
		  char **cause);
/* The command line an operator types to restore (with "-p" prompting, no password, shell-quoted): caller frees. */
char *dump_restore_command(const struct db_params *p, const char *dump_path);
/*
 * Restores a dump into p->database (created if missing; the dump's CREATE DATABASE / USE are rewritten to it)
 * by piping it into `mariadb --defaults-extra-file=...`; tmpdir as above. 0, or -1 with cause quoting the
 * client's error.
 */
int dump_restore(const struct db_params *p, const char *dump_path, const char *tmpdir, char **cause);

/* ---- additions */
/* Writes the 0600 [client] option file for p into tmpdir; returns its path (caller unlinks and frees), or NULL
 * with cause. Values are quoted and escaped; the password line is left out when it is empty. */
char *dump_write_option_file(const struct db_params *p, const char *tmpdir, char **cause);
/* The client binaries used ("mariadb-dump"/"mysqldump", "mariadb"/"mysql"), chosen on PATH; borrowed. */
const char *dump_dump_binary(void);
const char *dump_client_binary(void);

#endif
