/*
 * test_journal.c: the journal's held lines (core/journal.h), on a temp file and on /dev/full.
 *   - journal_hold numbers a line without writing it: the file stays as it was;
 *   - the next journal_write writes the held lines and its own, in order (one write);
 *     journal_release, journal_kick, journal_wait on a held line and journal_close write them too;
 *   - a wait on a held line makes it durable (returns 0), numbers keep counting across all of it;
 *   - a failed write (ENOSPC from /dev/full) returns 0 and every later wait fails, so a held line
 *     that could not be written is never reported durable.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/journal.h"
#include "core/util.h"

/* The "t" of each line of the file, joined by spaces ("" when empty or missing). */
static char *types(const char *path)
{
	struct strvec lines = STRVEC_INIT;
	struct strbuf sb = STRBUF_INIT;
	if (journal_read_lines(path, &lines, NULL) == 0)
		for (size_t i = 0; i < lines.n; i++) {
			const char *t = strstr(lines.v[i], "{\"t\":\"");
			assert_non_null(t);
			t += 6;
			const char *q = strchr(t, '"');
			assert_non_null(q);
			if (sb.len)
				sb_addc(&sb, ' ');
			sb_add(&sb, t, (size_t)(q - t));
		}
	sv_free(&lines);
	return sb_detach(&sb);
}

static void assert_types(const char *path, const char *want)
{
	char *got = types(path);
	assert_string_equal(got, want);
	free(got);
}

static void test_hold(void **state)
{
	(void)state;
	char dir[] = "/tmp/upwiz-journal.XXXXXX";
	assert_non_null(mkdtemp(dir));
	char *path = xasprintf("%s/journal.jsonl", dir);
	struct journal *j = journal_open(path, NULL);
	assert_non_null(j);

	assert_int_equal(journal_hold(j, "a", "\"i\":1"), 1);
	assert_int_equal(journal_hold(j, "b", ""), 2);
	assert_types(path, "");   /* held: not written */
	assert_int_equal(journal_write(j, "c", NULL), 3);
	assert_types(path, "a b c");

	uint64_t d = journal_hold(j, "d", "");
	assert_int_equal(d, 4);
	assert_int_equal(journal_wait(j, d), 0);   /* written, then synced */
	assert_types(path, "a b c d");

	uint64_t e = journal_hold(j, "e", "");
	journal_kick(j);                           /* written, its sync started */
	assert_types(path, "a b c d e");
	assert_int_equal(journal_wait(j, e), 0);

	journal_hold(j, "f", "");
	assert_int_equal(journal_release(j), 0);
	assert_types(path, "a b c d e f");
	assert_int_equal(journal_release(j), 0);  /* nothing held: nothing written */
	assert_types(path, "a b c d e f");

	assert_int_equal(journal_hold(j, "g", "\"x\":\"y\""), 7);
	journal_close(j);                          /* written on close */
	assert_types(path, "a b c d e f g");
	char *text = read_file(path, NULL, NULL);
	assert_non_null(text);
	assert_non_null(strstr(text, "{\"t\":\"g\",\"ts\":"));
	assert_non_null(strstr(text, ",\"x\":\"y\"}\n"));
	free(text);

	unlink(path);
	rmdir(dir);
	free(path);
}

static void test_write_error(void **state)
{
	(void)state;
	if (access("/dev/full", W_OK) != 0)
		skip();
	struct journal *j = journal_open("/dev/full", NULL);
	assert_non_null(j);
	uint64_t held = journal_hold(j, "a", "");
	assert_int_equal(held, 1);
	assert_int_equal(journal_write(j, "b", ""), 0);   /* ENOSPC: not written */
	assert_int_equal(journal_wait(j, held), -1);      /* never reported durable */
	uint64_t later = journal_hold(j, "c", "");
	assert_int_equal(journal_wait(j, later), -1);
	journal_close(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hold),
		cmocka_unit_test(test_write_error),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
