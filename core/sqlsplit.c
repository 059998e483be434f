/*
 * sqlsplit.c: one pass over a MySQL/MariaDB script, cutting it into statements
 * with the mysql command-line client's rules.
 *
 * The scanner has two states. Between statements it skips whitespace, empty
 * statements (";;") and ordinary comments, and recognises a DELIMITER line; the
 * first other byte starts a statement. Inside a statement it only looks for the
 * current delimiter, skipping over '...', "..." (backslash escapes and doubled
 * quotes), `...` (doubled backticks), "-- " and "#" comments to end of line and
 * / * ... * / comments, so a delimiter inside any of them never splits. A statement's
 * text is a slice of the input from its first byte to the delimiter, with trailing
 * whitespace cut: inner comments stay byte-exact, and so does UTF-8.
 *
 * Executable comments ("/ *!40101 ... * /", MariaDB "/ *M!... * /") are SQL, not
 * comments: one at the start of a chunk starts a statement and is kept.
 *
 * DELIMITER is a client command, not SQL. It is recognised where the MariaDB
 * client (the one the upgrade scripts are run with) recognises it: "delimiter"
 * and a blank at the start of a line (after spaces/tabs), outside strings and
 * comments, while no statement is pending. With a statement pending the line is
 * statement text, and so is a DELIMITER after other text on its line. Its
 * argument is the first blank-separated word; the rest of the line is ignored;
 * the delimiter is compared byte-exact. (Some mysql client sources also cut a
 * pending statement there; MariaDB 10.11's client does not, checked against its
 * -vvv echo, as were the Linkis scripts: same statements, same count.)
 *
 * "--" starts a comment when a blank, a line end or the end follows. Between
 * statements it always does, whatever follows, as in the MariaDB client ("we also
 * ignore lines starting with '--'"): so "-------- banner" lines are comments,
 * while "select 1--x" is 1 minus -x.
 *
 * Positions: line counts '\n' (so CRLF files count right), col counts UTF-8
 * characters (lead bytes) from the start of the line, both 1-based. The column is
 * computed from a cache of the last position on the current line, so a 15 MB
 * script on one line stays linear. A NUL byte inside a statement is an error (as
 * in the mysql client without --binary-mode): texts are C strings, and a cut one
 * would be executed and checksummed as something else.
 *
 * Rejected: a regex/tokeniser pass building tokens first (two passes, more
 * allocation, and nothing downstream needs tokens); re-scanning back to the line
 * start for each column (quadratic on one-line dumps).
 */
#include "core/sqlsplit.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/util.h"

#define NONE ((size_t)-1)

struct scan {
	const char *b;
	size_t len;
	int line;               /* line of the byte being looked at */
	size_t line_start;      /* offset of the first byte of that line */
	size_t col_off;         /* column cache: col_off has column col_val */
	int col_val;
	const char *delim;      /* points into b, or at ";" */
	size_t dlen;
};

static void newline_at(struct scan *s, size_t pos)
{
	s->line++;
	s->line_start = pos + 1;
}

static int chars_between(const char *b, size_t from, size_t to)
{
	int n = 0;
	for (size_t k = from; k < to; k++)
		if (((unsigned char)b[k] & 0xC0) != 0x80)
			n++;
	return n;
}

/* Column of pos, which must lie on the current line and not before an earlier query. */
static int col_at(struct scan *s, size_t pos)
{
	if (s->col_off < s->line_start || s->col_off > pos) {
		s->col_off = s->line_start;
		s->col_val = 1;
	}
	s->col_val += chars_between(s->b, s->col_off, pos);
	s->col_off = pos;
	return s->col_val;
}

static int is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static int at_delim(const struct scan *s, size_t i)
{
	return s->b[i] == s->delim[0] && s->len - i >= s->dlen &&
	    memcmp(s->b + i, s->delim, s->dlen) == 0;
}

/* "--" followed by whitespace or the end of the input. */
static int at_dashdash(const struct scan *s, size_t i)
{
	return s->b[i] == '-' && i + 1 < s->len && s->b[i + 1] == '-' &&
	    (i + 2 == s->len || is_space((unsigned char)s->b[i + 2]));
}

static int at_executable(const struct scan *s, size_t i)
{
	size_t left = s->len - i;
	return (left >= 3 && memcmp(s->b + i, "/*!", 3) == 0) ||
	    (left >= 4 && memcmp(s->b + i, "/*M!", 4) == 0);
}

/* Returns the offset of the '\n' ending the line comment at i (or len). */
static size_t skip_line_comment(const struct scan *s, size_t i)
{
	const char *nl = memchr(s->b + i, '\n', s->len - i);
	return nl ? (size_t)(nl - s->b) : s->len;
}

static void fail(const struct scan *s, int line, size_t line_start, size_t pos,
    const char *what, char **cause)
{
	set_cause(cause, "%d:%d: unterminated %s", line,
	    1 + chars_between(s->b, line_start, pos), what);
}

/* Skips the block comment opening at i; returns the offset after its close, or NONE. */
static size_t skip_block_comment(struct scan *s, size_t i, char **cause)
{
	int line = s->line;
	size_t ls = s->line_start;
	for (size_t j = i + 2; j < s->len; j++) {
		if (s->b[j] == '\n')
			newline_at(s, j);
		else if (s->b[j] == '*' && j + 1 < s->len && s->b[j + 1] == '/')
			return j + 2;
	}
	fail(s, line, ls, i, "comment", cause);
	return NONE;
}

/* Skips the string or quoted identifier opening at i; returns the offset after it, or NONE. */
static size_t skip_quoted(struct scan *s, size_t i, char **cause)
{
	char q = s->b[i];
	int line = s->line;
	size_t ls = s->line_start;
	size_t j = i + 1;
	while (j < s->len) {
		char c = s->b[j];
		if (c == '\\' && q != '`') {
			if (j + 1 < s->len && s->b[j + 1] == '\n')
				newline_at(s, j + 1);
			j += 2;
			continue;
		}
		if (c == '\n')
			newline_at(s, j);
		else if (c == q) {
			if (j + 1 < s->len && s->b[j + 1] == q) {
				j += 2;
				continue;
			}
			return j + 1;
		}
		j++;
	}
	fail(s, line, ls, i, q == '`' ? "backtick" : "string", cause);
	return NONE;
}

/*
 * A DELIMITER command at i (already known to be at the start of a line with no
 * statement pending)? Sets the new delimiter and returns the offset of the end of
 * its line; returns NONE when this is not one.
 */
static size_t try_delimiter(struct scan *s, size_t i)
{
	if (s->len - i < 10 || strncasecmp(s->b + i, "delimiter", 9) != 0 ||
	    (s->b[i + 9] != ' ' && s->b[i + 9] != '\t'))
		return NONE;
	size_t j = i + 9;
	while (j < s->len && (s->b[j] == ' ' || s->b[j] == '\t'))
		j++;
	size_t k = j;
	while (k < s->len && !is_space((unsigned char)s->b[k]))
		k++;
	if (k == j)
		return NONE;
	s->delim = s->b + j;
	s->dlen = k - j;
	return skip_line_comment(s, k);
}

/* Adds the statement b[start..end) (trimmed). Returns -1 with *cause when it holds a NUL byte. */
static int emit(struct sql_script *out, size_t *cap, const struct scan *s, size_t start,
    size_t end, int line, int col, char **cause)
{
	while (end > start && is_space((unsigned char)s->b[end - 1]))
		end--;
	const char *nul = memchr(s->b + start, 0, end - start);
	if (nul) {
		/* the mysql client refuses these too (outside --binary-mode) */
		size_t at = (size_t)(nul - s->b), ls = start;
		for (size_t k = start; k < at; k++)
			if (s->b[k] == '\n') {
				line++;
				ls = k + 1;
			}
		set_cause(cause, "%d:%d: NUL byte in statement", line,
		    ls == start ? col + chars_between(s->b, start, at) : 1 + chars_between(s->b, ls, at));
		return -1;
	}
	if (out->n == *cap) {
		*cap = *cap ? *cap * 2 : 64;
		out->v = xreallocarray(out->v, *cap, sizeof(*out->v));
	}
	struct sql_stmt *st = &out->v[out->n++];
	st->text = xstrndup(s->b + start, end - start);
	st->line = line;
	st->col = col;
	st->offset = start;
	st->is_delimiter_cmd = 0;
	st->own_delimiter = !(s->dlen == 1 && s->delim[0] == ';');
	return 0;
}

int sqlsplit_parse(const char *buf, size_t len, struct sql_script *out, char **cause)
{
	struct scan s = {
		.b = buf, .len = len, .line = 1, .line_start = 0,
		.col_off = 0, .col_val = 1, .delim = ";", .dlen = 1,
	};
	size_t cap = 0, start = NONE, i = 0;
	int sline = 0, scol = 0;
	int bol = 1;    /* between statements: only blanks since the start of the line */

	out->v = NULL;
	out->n = 0;
	while (i < len) {
		char c = buf[i];
		if (start == NONE) {
			if (c == '\n') {
				newline_at(&s, i++);
				bol = 1;
				continue;
			}
			if (is_space((unsigned char)c)) {
				i++;
				continue;
			}
			if (at_delim(&s, i)) {
				i += s.dlen;
				bol = 0;
				continue;
			}
			if (c == '#' || (c == '-' && i + 1 < len && buf[i + 1] == '-')) {
				i = skip_line_comment(&s, i);
				continue;
			}
			if (c == '/' && i + 1 < len && buf[i + 1] == '*' && !at_executable(&s, i)) {
				if ((i = skip_block_comment(&s, i, cause)) == NONE)
					goto fail;
				bol = 0;
				continue;
			}
			if (bol && (c == 'd' || c == 'D')) {
				size_t next = try_delimiter(&s, i);
				if (next != NONE) {
					i = next;
					continue;
				}
			}
			start = i;
			sline = s.line;
			scol = col_at(&s, i);
			bol = 0;
		}
		if (at_delim(&s, i)) {
			if (emit(out, &cap, &s, start, i, sline, scol, cause) != 0)
				goto fail;
			start = NONE;
			i += s.dlen;
			continue;
		}
		switch (c) {
		case '\n':
			newline_at(&s, i++);
			break;
		case '\'':
		case '"':
		case '`':
			if ((i = skip_quoted(&s, i, cause)) == NONE)
				goto fail;
			break;
		case '#':
			i = skip_line_comment(&s, i);
			break;
		case '-':
			i = at_dashdash(&s, i) ? skip_line_comment(&s, i) : i + 1;
			break;
		case '/':
			if (i + 1 < len && buf[i + 1] == '*') {
				if ((i = skip_block_comment(&s, i, cause)) == NONE)
					goto fail;
			} else
				i++;
			break;
		default:
			i++;
		}
	}
	if (start != NONE && emit(out, &cap, &s, start, len, sline, scol, cause) != 0)
		goto fail;
	return 0;
fail:
	sql_script_free(out);
	return -1;
}

void sql_script_free(struct sql_script *s)
{
	if (!s)
		return;
	for (size_t k = 0; k < s->n; k++)
		free(s->v[k].text);
	free(s->v);
	s->v = NULL;
	s->n = 0;
}

void sqlsplit_checksum(const struct sql_stmt *st, char hex[65])
{
	sha256_hex(st->text, strlen(st->text), hex);
}

/* May go to the server with others in one text: one ";" statement that gives exactly one answer
 * (a CALL gives one per result set, so does `SET STATEMENT ... FOR CALL`; a DELIMITER block may
 * hold several statements; an executable comment may hold anything), and by its first word one
 * of those the upgrade scripts are made of. */
int sqlsplit_one_answer(const struct sql_stmt *st)
{
	static const char *const verbs[] = {"ALTER", "CREATE", "DELETE", "DROP", "INSERT", "RENAME",
					    "REPLACE", "SELECT", "SET", "TRUNCATE", "UPDATE"};
	if (st->own_delimiter || strstr(st->text, "/*!") || strstr(st->text, "/*M!") ||
	    (strncasecmp(st->text, "SET", 3) == 0 && strncasecmp(st->text + 3 + strspn(st->text + 3, " \t\r\n"), "STATEMENT", 9) == 0))
		return 0;
	size_t len = strlen(st->text);
	for (size_t k = 0; k < sizeof verbs / sizeof *verbs; k++) {
		size_t n = strlen(verbs[k]);
		if (len > n && strncasecmp(st->text, verbs[k], n) == 0 && strchr(" \n\t\r(", st->text[n]))
			return 1;
	}
	return 0;
}
