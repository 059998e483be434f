/*
 * sqlsplit.h: split a MySQL/MariaDB script into statements the way the mysql
 * command-line client does (strings, backticks, the three comment styles,
 * executable comments, DELIMITER lines). See sqlsplit.c for the rules.
 */
#ifndef UPWIZ_SQLSPLIT_H
#define UPWIZ_SQLSPLIT_H

#include <stddef.h>

struct sql_stmt {
	char *text;      /* owned: the statement without its delimiter, leading whitespace and leading comments stripped, trailing whitespace stripped; inner comments kept */
	int line, col;   /* 1-based position of the statement's first character in the file (col counts UTF-8 characters) */
	size_t offset;   /* byte offset of that character */
	int is_delimiter_cmd; /* never set in output: DELIMITER lines are consumed, not returned */
	int own_delimiter;    /* ended by a DELIMITER other than ";": may hold ";" of its own (a procedure body) */
};
struct sql_script { struct sql_stmt *v; size_t n; };

/*
 * Splits buf[0..len). Returns 0, or -1 with *cause "LINE:COL: unterminated
 * string/comment/backtick" (or "LINE:COL: NUL byte in statement"; caller frees
 * *cause; *out is left empty). Caller frees the result with sql_script_free.
 */
int sqlsplit_parse(const char *buf, size_t len, struct sql_script *out, char **cause);
void sql_script_free(struct sql_script *s);
/* 1 when the statement may go to the server in one text with others (core/actions/sqlapply.c):
 * it gives exactly one answer. */
int sqlsplit_one_answer(const struct sql_stmt *st);
/* Hex SHA-256 of a statement's text (the journal's checksum). */
void sqlsplit_checksum(const struct sql_stmt *st, char hex[65]);

#endif
