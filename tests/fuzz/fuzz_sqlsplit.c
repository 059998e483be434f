/*
 * fuzz_sqlsplit.c: libFuzzer harness for core/sqlsplit. Any input either fails
 * with an "L:C: unterminated ..." cause and an empty script, or splits into
 * statements that obey every promise of the header: each text is the input's own
 * bytes at its offset, trimmed, in order, not overlapping, with line and col
 * matching the offset. Violations abort, so libFuzzer keeps the input.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/sqlsplit.h"
#include "core/util.h"

#define CHECK(c) do { if (!(c)) { fprintf(stderr, "check failed: %s (line %d)\n", #c, __LINE__); abort(); } } while (0)

static int is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *b = (const char *)data;
	struct sql_script s = {NULL, 0};
	char *cause = NULL;

	if (sqlsplit_parse(b, size, &s, &cause) != 0) {
		int line, col, n = 0;
		CHECK(cause != NULL);
		CHECK(sscanf(cause, "%d:%d: %n", &line, &col, &n) == 2 && n > 0);
		CHECK(line >= 1 && col >= 1);
		const char *what = cause + n;
		CHECK(strcmp(what, "unterminated string") == 0 || strcmp(what, "unterminated comment") == 0 ||
		    strcmp(what, "unterminated backtick") == 0 || strcmp(what, "NUL byte in statement") == 0);
		CHECK(s.v == NULL && s.n == 0);
		free(cause);
		return 0;
	}
	CHECK(cause == NULL);

	/* Walk the input once, tracking line and col, to check each statement's position. */
	size_t pos = 0, end_prev = 0;
	int line = 1, col = 1;
	for (size_t k = 0; k < s.n; k++) {
		const struct sql_stmt *st = &s.v[k];
		size_t tl = strlen(st->text);
		CHECK(st->offset >= end_prev && st->offset < size);
		CHECK(st->is_delimiter_cmd == 0);
		/* a statement that may hold ";" of its own never shares a round trip */
		int one = sqlsplit_one_answer(st);
		CHECK(one == 0 || one == 1);
		CHECK(!(one && st->own_delimiter));
		CHECK(memcmp(b + st->offset, st->text, tl) == 0);
		CHECK(st->offset + tl <= size);
		/* no NUL inside (that is an error), so the copy is the whole statement */
		CHECK(tl > 0);
		CHECK(!is_space((unsigned char)st->text[0]));
		CHECK(!is_space((unsigned char)st->text[tl - 1]));
		/* leading comments are stripped; executable ones are statements */
		CHECK(st->text[0] != '#');
		CHECK(!(tl >= 2 && memcmp(st->text, "--", 2) == 0));   /* always a comment there */
		if (tl >= 2 && memcmp(st->text, "/*", 2) == 0)
			CHECK((tl >= 3 && st->text[2] == '!') || (tl >= 4 && memcmp(st->text + 2, "M!", 2) == 0));
		for (; pos < st->offset; pos++) {
			if (b[pos] == '\n') {
				line++;
				col = 1;
			} else if (((unsigned char)b[pos] & 0xC0) != 0x80)
				col++;
		}
		CHECK(st->line == line);
		CHECK(st->col == col);
		end_prev = st->offset + tl;
		char hex[65];
		sqlsplit_checksum(st, hex);
		CHECK(strlen(hex) == 64);
	}
	sql_script_free(&s);
	CHECK(s.v == NULL && s.n == 0);
	return 0;
}
