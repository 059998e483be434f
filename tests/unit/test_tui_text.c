/*
 * test_tui_text.c: the column arithmetic of tui/text.c, which every line the wizard draws goes
 * through. Unit tests link upwiz_core only, and text.c is deliberately curses-free, so it is
 * compiled into this test directly.
 *
 * Cases: ASCII, CJK (the Linkis SQL comments), combining marks, emoji, invalid and truncated
 * UTF-8, overlongs and surrogates, control characters and escape sequences from child output,
 * TAB stops, clipping at a wide glyph, word wrap in English, Chinese and mixed text, the ASCII
 * fallback for a non-UTF-8 terminal. Then the canvas the screens draw into (tui/canvas.c, also
 * curses-free): wide glyphs at a pane's edge, overwriting half of one, combining marks, clipping,
 * scrolling, the ellipsis.
 */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "tui/text.c"
#include "tui/canvas.c"

/* Renders s the way the canvas would (as UTF-8 again), for readable assertions. */
static char *
shown(const char *s)
{
	static char buf[4096];
	struct tx_iter it;
	struct tx_glyph g;
	size_t o = 0;

	tx_iter_init(&it, s, strlen(s));
	while (tx_next(&it, &g) && o + 8 < sizeof buf) {
		uint32_t c = g.cp;
		int reps = (c == ' ') ? g.width : 1;
		for (int r = 0; r < reps; r++) {
			if (c < 0x80) {
				buf[o++] = (char)c;
			} else if (c < 0x800) {
				buf[o++] = (char)(0xC0 | (c >> 6));
				buf[o++] = (char)(0x80 | (c & 0x3F));
			} else if (c < 0x10000) {
				buf[o++] = (char)(0xE0 | (c >> 12));
				buf[o++] = (char)(0x80 | ((c >> 6) & 0x3F));
				buf[o++] = (char)(0x80 | (c & 0x3F));
			} else {
				buf[o++] = (char)(0xF0 | (c >> 18));
				buf[o++] = (char)(0x80 | ((c >> 12) & 0x3F));
				buf[o++] = (char)(0x80 | ((c >> 6) & 0x3F));
				buf[o++] = (char)(0x80 | (c & 0x3F));
			}
		}
	}
	buf[o] = '\0';
	return buf;
}

static void
test_decode(void **state)
{
	uint32_t cp;

	(void)state;
	assert_int_equal(tx_decode("A", 1, &cp), 1);
	assert_int_equal(cp, 'A');
	assert_int_equal(tx_decode("\xc3\xa9", 2, &cp), 2);
	assert_int_equal(cp, 0xE9);
	assert_int_equal(tx_decode("\xe4\xb8\xad", 3, &cp), 3);        /* 中 */
	assert_int_equal(cp, 0x4E2D);
	assert_int_equal(tx_decode("\xf0\x9f\x98\x80", 4, &cp), 4);    /* 😀 */
	assert_int_equal(cp, 0x1F600);
	/* truncated, overlong, surrogate, beyond U+10FFFF, stray continuation, 0xFF */
	assert_int_equal(tx_decode("\xe4\xb8", 2, &cp), 1);
	assert_int_equal(cp, TX_REPLACEMENT);
	assert_int_equal(tx_decode("\xc0\xaf", 2, &cp), 1);
	assert_int_equal(cp, TX_REPLACEMENT);
	assert_int_equal(tx_decode("\xe0\x80\xaf", 3, &cp), 1);
	assert_int_equal(cp, TX_REPLACEMENT);
	assert_int_equal(tx_decode("\xed\xa0\x80", 3, &cp), 1);
	assert_int_equal(cp, TX_REPLACEMENT);
	assert_int_equal(tx_decode("\xf4\x90\x80\x80", 4, &cp), 1);
	assert_int_equal(cp, TX_REPLACEMENT);
	assert_int_equal(tx_decode("\x80", 1, &cp), 1);
	assert_int_equal(cp, TX_REPLACEMENT);
	assert_int_equal(tx_decode("\xff", 1, &cp), 1);
	assert_int_equal(cp, TX_REPLACEMENT);
}

static void
test_width(void **state)
{
	(void)state;
	assert_int_equal(tx_width(""), 0);
	assert_int_equal(tx_width(NULL), 0);
	assert_int_equal(tx_width("linkis"), 6);
	/* Linkis DDL/DML comments: CJK and full-width punctuation are two columns each. */
	assert_int_equal(tx_width("创建资源任务表"), 14);
	assert_int_equal(tx_width("yarn队列名"), 10);
	assert_int_equal(tx_width("取值范围：1-128，单位：个"), 25);
	/* e + COMBINING ACUTE: one column. */
	assert_int_equal(tx_width("e\xcc\x81"), 1);
	assert_int_equal(tx_width("caf\xc3\xa9"), 4);
	/* emoji */
	assert_int_equal(tx_width("\xf0\x9f\x98\x80"), 2);
	assert_int_equal(tx_width("ok \xe2\x9c\x93"), 4);      /* ✓ is narrow */
	/* each invalid byte is one U+FFFD */
	assert_int_equal(tx_width("a\xff\xfe" "b"), 4);
	assert_int_equal(tx_width("\xe4\xb8"), 2);
	assert_int_equal(tx_nwidth("中文", 3), 2);
	assert_int_equal(tx_nwidth("中文", 4), 3);              /* 中 + one bad byte */
}

static void
test_sanitise(void **state)
{
	(void)state;
	/* Colour codes vanish; the text stays. */
	assert_string_equal(shown("\x1b[31mERROR\x1b[0m done"), "ERROR done");
	assert_int_equal(tx_width("\x1b[1;31mFailed\x1b[0m"), 6);
	/* OSC (title set, hyperlink) up to BEL or ST. */
	assert_string_equal(shown("a\x1b]0;pwned\x07" "b"), "ab");
	assert_string_equal(shown("a\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\"), "alink");
	/* two-byte and charset escapes */
	assert_string_equal(shown("\x1b(Bx\x1b" "7y"), "xy");
	/* Controls never reach the terminal. */
	assert_string_equal(shown("bell\x07!"), "bell\xef\xbf\xbd!");
	assert_string_equal(shown("del\x7f"), "del\xef\xbf\xbd");
	assert_string_equal(shown("c1\xc2\x9b" "2J"), "c1\xef\xbf\xbd" "2J");
	assert_string_equal(shown("x\by"), "x\xef\xbf\xbdy");
	/* TAB to the next stop of 8 */
	assert_string_equal(shown("ab\tc"), "ab      c");
	assert_int_equal(tx_width("ab\tc"), 9);
	assert_int_equal(tx_width("\t"), 8);
	/* Unterminated CSI at the end. */
	assert_string_equal(shown("tail\x1b["), "tail");
	assert_string_equal(shown("tail\x1b"), "tail");
}

static void
test_after_cr(void **state)
{
	const char *s = "10%\r20%\r30%";
	size_t n = strlen(s);
	const char *p;

	(void)state;
	p = tx_after_cr(s, &n);
	assert_int_equal(n, 3);
	assert_memory_equal(p, "30%", 3);
	s = "line\r\n";
	n = strlen(s);
	p = tx_after_cr(s, &n);
	assert_int_equal(n, 4);
	assert_memory_equal(p, "line", 4);
	s = "plain";
	n = 5;
	p = tx_after_cr(s, &n);
	assert_ptr_equal(p, s);
	assert_int_equal(n, 5);
}

static void
test_clip(void **state)
{
	int used;
	size_t b;

	(void)state;
	b = tx_clip("abcdef", 6, 4, &used);
	assert_int_equal(b, 4);
	assert_int_equal(used, 4);
	/* A wide glyph that would straddle the edge stays out. */
	b = tx_clip("ab中文", strlen("ab中文"), 3, &used);
	assert_int_equal(b, 2);
	assert_int_equal(used, 2);
	b = tx_clip("ab中文", strlen("ab中文"), 4, &used);
	assert_int_equal(b, 5);
	assert_int_equal(used, 4);
	/* Combining marks stay with their base. */
	b = tx_clip("e\xcc\x81x", 4, 1, &used);
	assert_int_equal(b, 3);
	assert_int_equal(used, 1);
	/* Everything fits. */
	b = tx_clip("中", 3, 80, &used);
	assert_int_equal(b, 3);
	assert_int_equal(used, 2);
	/* Zero columns. */
	b = tx_clip("abc", 3, 0, &used);
	assert_int_equal(b, 0);
	assert_int_equal(used, 0);
}

static void
check_wrap(const char *s, int cols, const char *const *want, size_t nwant)
{
	struct tx_span sp[64];
	size_t n = tx_wrap(s, strlen(s), cols, sp, 64);

	if (n != nwant) {
		for (size_t i = 0; i < n && i < 64; i++)
			fprintf(stderr, "  line %zu: [%.*s]\n", i, (int)sp[i].len, s + sp[i].off);
	}
	assert_int_equal(n, nwant);
	for (size_t i = 0; i < n; i++) {
		char line[256];
		snprintf(line, sizeof line, "%.*s", (int)sp[i].len, s + sp[i].off);
		assert_string_equal(line, want[i]);
		assert_true(tx_nwidth(s + sp[i].off, sp[i].len) <= (cols < 1 ? 1 : cols));
	}
}

static void
test_wrap(void **state)
{
	(void)state;
	{
		const char *w[] = { "stop the 1.3.2", "services first" };
		check_wrap("stop the 1.3.2 services first", 15, w, 2);
	}
	{
		const char *w[] = { "" };
		check_wrap("", 10, w, 1);
	}
	{
		const char *w[] = { "one", "", "two" };
		check_wrap("one\n\ntwo\n", 10, w, 3);
	}
	{
		const char *w[] = { "a", "b" };
		check_wrap("a\r\nb", 10, w, 2);
	}
	{
		/* A word longer than the line breaks between glyphs. */
		const char *w[] = { "abcde", "fghij", "k" };
		check_wrap("abcdefghijk", 5, w, 3);
	}
	{
		/* Chinese without spaces breaks between glyphs, never inside one. */
		const char *w[] = { "创建资", "源任务", "表" };
		check_wrap("创建资源任务表", 7, w, 3);
	}
	{
		/* Mixed: the Linkis comment style. */
		const char *w[] = { "-- 创建资源", "任务表,包括", "上传" };
		check_wrap("-- 创建资源任务表,包括上传", 12, w, 3);
	}
	{
		/* Runs of spaces at a break are dropped; indentation of a paragraph is kept. */
		const char *w[] = { "  indented", "text here" };
		check_wrap("  indented    text here", 10, w, 2);
	}
	{
		const char *w[] = { "x" };
		check_wrap("x", 0, w, 1);
	}
	{
		/* A path breaks after a '/', not inside a name (the SQL plan's files). */
		const char *w[] = { "/opt/linkis/db/upgrade/", "1.4.0_schema/mysql/", "linkis_ddl.sql: 3", "statements" };
		check_wrap("/opt/linkis/db/upgrade/1.4.0_schema/mysql/linkis_ddl.sql: 3 statements", 23, w, 4);
	}
	{
		/* ... also after text, in quotes, and a URL; "//" stays whole */
		const char *w[] = { "folder '/tmp/a/", "bbbbbbbb/c'", "http://host/", "api/x" };
		check_wrap("folder '/tmp/a/bbbbbbbb/c' http://host/api/x", 15, w, 4);
	}
	{
		/* ... also an option's value (a command line in a plan) */
		const char *w[] = { "--zk_root_path=/tmp/", "runs/2026-2a36/zk", "--role=ns_client" };
		check_wrap("--zk_root_path=/tmp/runs/2026-2a36/zk --role=ns_client", 22, w, 3);
	}
	{
		/* ... and an image reference */
		const char *w[] = { "image spg-registry.example.com/", "spg/openspg-server:latest" };
		check_wrap("image spg-registry.example.com/spg/openspg-server:latest", 32, w, 2);
	}
	{
		/* A fraction or a date is not a path: it moves whole. */
		const char *w[] = { "applied", "12/23 and", "2026/11/23" };
		check_wrap("applied 12/23 and 2026/11/23", 11, w, 3);
	}
	/* Counting only. */
	assert_int_equal(tx_wrap("aa bb cc", 8, 2, NULL, 0), 3);
}

static void
test_ascii_fallback(void **state)
{
	(void)state;
	tx_set_utf8(0);
	assert_string_equal(shown("中e\xcc\x81!"), "?e!");
	assert_int_equal(tx_width("中文"), 2);
	assert_int_equal(tx_width("\xff"), 1);
	assert_string_equal(shown("\xff"), "?");
	tx_set_utf8(1);
}

static void
test_helpers(void **state)
{
	char buf[32];

	(void)state;
	assert_int_equal(tx_find("Duplicate Column name", 21, "column"), 10);
	assert_int_equal(tx_find("abc", 3, "abcd"), -1);
	assert_int_equal(tx_find("abc", 3, ""), 0);
	assert_string_equal(tx_thousands(0, buf, sizeof buf), "0");
	assert_string_equal(tx_thousands(999, buf, sizeof buf), "999");
	assert_string_equal(tx_thousands(1000, buf, sizeof buf), "1,000");
	assert_string_equal(tx_thousands(1234567, buf, sizeof buf), "1,234,567");
	assert_string_equal(tx_bytes(512, buf, sizeof buf), "512 B");
	assert_string_equal(tx_bytes(1536, buf, sizeof buf), "1.5 KiB");
	assert_string_equal(tx_bytes(52428800, buf, sizeof buf), "50 MiB");
	assert_string_equal(tx_duration(5, buf, sizeof buf), "5s");
	assert_string_equal(tx_duration(185, buf, sizeof buf), "3m05s");
	assert_string_equal(tx_duration(3720, buf, sizeof buf), "1h02m");
}

static char *
row(struct canvas *cv, int y)
{
	static char buf[512];
	char *r = cv_row_text(cv, y);

	snprintf(buf, sizeof buf, "%s", r);
	free(r);
	return buf;
}

static void
test_canvas(void **state)
{
	struct canvas cv;
	struct pane p, sub, sc;
	int c;

	(void)state;
	cv_init(&cv);
	cv_resize(&cv, 10, 4);
	p = pn_make(&cv, 0, 0, 4, 10);

	/* A wide glyph that does not fit at the edge is left out. */
	sub = pn_sub(&p, 0, 0, 1, 3);
	c = pn_text(&sub, 0, 0, ROLE_NORMAL, "ab中");
	assert_int_equal(c, 2);
	assert_string_equal(row(&cv, 0), "ab");

	/* Writing over either half of a wide glyph blanks the other half. */
	cv_clear(&cv);
	pn_text(&p, 0, 0, ROLE_NORMAL, "中文");
	assert_string_equal(row(&cv, 0), "中文");
	pn_text(&p, 0, 1, ROLE_NORMAL, "x");
	assert_string_equal(row(&cv, 0), " x文");
	pn_text(&p, 0, 2, ROLE_NORMAL, "y");
	assert_string_equal(row(&cv, 0), " xy");

	/* Combining marks stay on their base cell. */
	cv_clear(&cv);
	c = pn_text(&p, 1, 0, ROLE_NORMAL, "e\xcc\x81!");
	assert_int_equal(c, 2);
	assert_string_equal(row(&cv, 1), "e\xcc\x81!");

	/* Escape sequences and controls never reach a cell. */
	cv_clear(&cv);
	pn_text(&p, 2, 0, ROLE_NORMAL, "a\x1b[31mb\x07");
	assert_string_equal(row(&cv, 2), "ab\xef\xbf\xbd");

	/* Ellipsis. */
	cv_clear(&cv);
	pn_textn(&p, 0, 0, ROLE_NORMAL, "abcdef", (size_t)-1, 4, PN_ELLIPSIS);
	assert_string_equal(row(&cv, 0), "abc\xe2\x80\xa6");

	/* Wrapped text in a scrolled pane: rows above and below the clip count but do not draw. */
	cv_clear(&cv);
	sub = pn_sub(&p, 1, 0, 2, 4);
	sc = pn_scrolled(&sub, 1);
	c = pn_wrap(&sc, 0, 0, -1, ROLE_NORMAL, "aa bb cc dd");
	assert_int_equal(c, 4);
	assert_string_equal(row(&cv, 0), "");
	assert_string_equal(row(&cv, 1), "bb");
	assert_string_equal(row(&cv, 2), "cc");
	assert_string_equal(row(&cv, 3), "");

	/* Drawing outside the canvas is harmless. */
	pn_text(&p, -5, -5, ROLE_NORMAL, "zzz");
	pn_text(&p, 40, 40, ROLE_NORMAL, "zzz");
	pn_fill(&p, 3, 8, 10, ROLE_NORMAL, 0x4E2D);
	assert_string_equal(row(&cv, 3), "        中");
	cv_free(&cv);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode),
		cmocka_unit_test(test_width),
		cmocka_unit_test(test_sanitise),
		cmocka_unit_test(test_after_cr),
		cmocka_unit_test(test_clip),
		cmocka_unit_test(test_wrap),
		cmocka_unit_test(test_ascii_fallback),
		cmocka_unit_test(test_helpers),
		cmocka_unit_test(test_canvas),
	};

	if (setlocale(LC_ALL, "C.UTF-8") == NULL && setlocale(LC_ALL, "en_US.UTF-8") == NULL) {
		printf("test_tui_text: no UTF-8 locale available; skipped\n");
		return 77;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
