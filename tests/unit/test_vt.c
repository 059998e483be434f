/*
 * test_vt.c: the virtual terminal (core/vt.c) on the sequences ncurses sends: cursor motion,
 * erase, insert/delete, scrolling regions, SGR, autowrap with the pending column, DEC line
 * drawing, UTF-8 wide and combining characters, strings skipped, split input, resize, the
 * alternate screen; and the cast writer/reader (core/cast.c): JSON escaping of any bytes,
 * a UTF-8 sequence cut between frames, idle compression, markers, and the seek index giving
 * the same screen as a straight replay at every event.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/cast.h"
#include "core/util.h"
#include "core/vt.h"

static void feed(struct vt *t, const char *s) { vt_feed(t, s, strlen(s)); }

static void row_is(const struct vt *t, int y, const char *want)
{
	char *r = vt_row_text(t, y);
	assert_string_equal(r, want);
	free(r);
}

static void test_motion_and_erase(void **st)
{
	(void)st;
	struct vt t;
	vt_init(&t, 20, 5);
	feed(&t, "\033[H\033[2Jhello\033[2;3Hworld\033[1;1Hj");
	row_is(&t, 0, "jello");
	row_is(&t, 1, "  world");
	feed(&t, "\033[2;5H\033[K");
	row_is(&t, 1, "  wo");
	feed(&t, "\033[1;3H\033[1K");
	row_is(&t, 0, "   lo");
	feed(&t, "\r\nabc\033[2D\033[@X");   /* over "  wo": ICH opens a blank, X fills it */
	row_is(&t, 1, "aXbco");
	feed(&t, "\033[P");
	row_is(&t, 1, "aXco");
	feed(&t, "\033[5;1Hbottom\033[4d\033[3Gmid");
	row_is(&t, 3, "  mid");
	feed(&t, "\033[3X");
	row_is(&t, 3, "  mid");
	feed(&t, "\033[4;3H\033[2X");
	row_is(&t, 3, "    d");
	feed(&t, "\033[2J");
	for (int y = 0; y < 5; y++)
		row_is(&t, y, "");
	vt_free(&t);
}

static void test_wrap_and_scroll(void **st)
{
	(void)st;
	struct vt t;
	vt_init(&t, 5, 3);
	feed(&t, "abcde");
	assert_int_equal(t.y, 0);   /* pending wrap: still on row 0 */
	feed(&t, "f");
	row_is(&t, 0, "abcde");
	row_is(&t, 1, "f");
	feed(&t, "\r\n\r\nx");      /* scrolls */
	row_is(&t, 0, "f");
	row_is(&t, 2, "x");
	/* A cursor motion cancels the pending wrap. */
	vt_free(&t);
	vt_init(&t, 5, 3);
	feed(&t, "abcde\033[1;1HZ");
	row_is(&t, 0, "Zbcde");
	row_is(&t, 1, "");
	vt_free(&t);
}

static void test_regions(void **st)
{
	(void)st;
	struct vt t;
	vt_init(&t, 10, 6);
	feed(&t, "\033[1;1H0\033[2;1H1\033[3;1H2\033[4;1H3\033[5;1H4\033[6;1H5");
	feed(&t, "\033[2;5r\033[5;1H\n");    /* LF at the bottom margin scrolls rows 2..5 */
	row_is(&t, 0, "0");
	row_is(&t, 1, "2");
	row_is(&t, 3, "4");
	row_is(&t, 4, "");
	row_is(&t, 5, "5");
	feed(&t, "\033[2;1H\033M");           /* RI at the top margin scrolls down */
	row_is(&t, 1, "");
	row_is(&t, 2, "2");
	row_is(&t, 5, "5");
	feed(&t, "\033[3;1H\033[2M");         /* DL inside the region: rows 3..5 move up by 2 */
	row_is(&t, 1, "");
	row_is(&t, 2, "4");
	row_is(&t, 3, "");
	row_is(&t, 5, "5");
	feed(&t, "\033[r\033[1;1H\033[L");    /* whole screen; IL at the top pushes "5" out */
	row_is(&t, 0, "");
	row_is(&t, 1, "0");
	row_is(&t, 3, "4");
	row_is(&t, 5, "");
	feed(&t, "\033[2S");
	row_is(&t, 0, "");
	row_is(&t, 1, "4");
	row_is(&t, 5, "");
	vt_free(&t);
}

static void test_sgr(void **st)
{
	(void)st;
	struct vt t;
	vt_init(&t, 20, 2);
	feed(&t, "\033[1;31;44mA\033[0;38;5;200;48;2;1;2;3mB\033[7;97mC\033[27;22;39mD\033[m");
	assert_true(t.cells[0].attr & VT_BOLD);
	assert_int_equal(t.cells[0].fg, 2);
	assert_int_equal(t.cells[0].bg, 5);
	assert_int_equal(t.cells[1].fg, 201);
	assert_int_equal(t.cells[1].bg, VT_RGB | 0x010203);
	assert_false(t.cells[1].attr & VT_BOLD);
	assert_true(t.cells[2].attr & VT_REVERSE);
	assert_int_equal(t.cells[2].fg, 16);
	assert_false(t.cells[3].attr & VT_REVERSE);
	assert_int_equal(t.cells[3].fg, 0);
	assert_int_equal(t.cells[3].bg, VT_RGB | 0x010203);
	/* Erase uses the background colour (bce). */
	feed(&t, "\033[42m\033[2;1H\033[K");
	assert_int_equal(t.cells[20 + 5].bg, 3);
	vt_free(&t);
}

static void test_utf8_wide_acs(void **st)
{
	(void)st;
	struct vt t;
	vt_init(&t, 6, 3);
	feed(&t, "a\xe4\xb8\xad" "b");                 /* a 中 b */
	row_is(&t, 0, "a\xe4\xb8\xad" "b");
	assert_int_equal(t.cells[1].width, 2);
	assert_int_equal(t.cells[2].ch, 0);
	assert_int_equal(t.x, 4);
	feed(&t, "\033[1;3Hx");                           /* over the right half: both halves go */
	row_is(&t, 0, "a xb");
	feed(&t, "\033[2;1He\xcc\x81");                   /* e + combining acute */
	row_is(&t, 1, "e\xcc\x81");
	feed(&t, "\033[2;6H\xe4\xb8\xad");                /* a wide char in the last column wraps */
	row_is(&t, 2, "\xe4\xb8\xad");
	feed(&t, "\033[1;1H\033(0lqk\033(B");              /* DEC graphics */
	row_is(&t, 0, "\xe2\x94\x8c\xe2\x94\x80\xe2\x94\x90" "b");
	feed(&t, "\033[3;1H\016x\017x");                  /* SO/SI with G1 = ASCII: plain x */
	feed(&t, "\033)0\033[3;1H\016x\017x");            /* G1 = graphics */
	row_is(&t, 2, "\xe2\x94\x82x");
	/* Split anywhere: the same screen. */
	const char *s = "\033[1;1H\033[1;32m\xe4\xb8\xad\033]0;title\007ok\033P1$r\033\\";
	struct vt a, b;
	vt_init(&a, 6, 2);
	vt_init(&b, 6, 2);
	feed(&a, s);
	for (const char *p = s; *p; p++)
		vt_feed(&b, p, 1);
	char *ta = vt_screen_text(&a), *tb = vt_screen_text(&b);
	assert_string_equal(ta, tb);
	assert_string_equal(ta, "\xe4\xb8\xadok");
	free(ta), free(tb);
	vt_free(&a), vt_free(&b);
	/* Invalid UTF-8 becomes U+FFFD. */
	vt_free(&t);
	vt_init(&t, 6, 1);
	feed(&t, "\xff" "a\xe4" "b");
	row_is(&t, 0, "\xef\xbf\xbd" "a\xef\xbf\xbd" "b");
	vt_free(&t);
}

static void test_resize_altscreen(void **st)
{
	(void)st;
	struct vt t;
	vt_init(&t, 10, 3);
	feed(&t, "shell\033[?1049h");
	row_is(&t, 0, "");                     /* entering clears */
	feed(&t, "\033[1;1Happ");
	feed(&t, "\033[?1049l");
	row_is(&t, 0, "app");                  /* leaving keeps the application's last screen */
	vt_resize(&t, 2, 5);
	row_is(&t, 0, "ap");
	feed(&t, "\033[5;1Hz");
	row_is(&t, 4, "z");
	vt_resize(&t, 10, 3);
	row_is(&t, 0, "ap");
	assert_true(t.y < 3);
	/* Absurd parameters do not crash. */
	feed(&t, "\033[99999;99999H\033[99999@\033[99999P\033[99999L\033[99999M\033[99999b\033[;;;;;;;;;;;;;;;;;;;;;;;;m");
	vt_free(&t);
}

/* ---- cast */

static char tmpdir[] = "/tmp/upwiz-test-vt.XXXXXX";

static void test_json_string(void **st)
{
	(void)st;
	struct strbuf sb = STRBUF_INIT;
	assert_int_equal(cast_json_string(&sb, "a\"\\\n\x01\x7f\xc3\xa9\xff", 9, 1), 0);
	assert_string_equal(sb.s, "\"a\\\"\\\\\\n\\u0001\\u007f\xc3\xa9\\ufffd\"");
	sb_reset(&sb);
	/* A cut sequence at the end is held back unless final. */
	assert_int_equal(cast_json_string(&sb, "x\xe4\xb8", 3, 0), 2);
	assert_string_equal(sb.s, "\"x\"");
	sb_free(&sb);
}

static void test_cast_roundtrip(void **st)
{
	(void)st;
	char *path = xasprintf("%s/a.cast", tmpdir);
	char *cause = NULL;
	struct cast_writer *w = cast_create(path, 10, 3, "t\"itle", &cause);
	assert_non_null(w);
	assert_null(cast_create(path, 10, 3, "again", &cause));   /* never over a file */
	free(cause);
	cause = NULL;
	cast_output(w, "\033[1;1Hab\xe4", 9);      /* 中 cut between two frames */
	cast_output(w, "\xb8\xad", 2);
	cast_marker(w, "step-one running");
	cast_resize(w, 12, 4);
	cast_output(w, "\033[4;1Hbottom", 12);
	cast_marker(w, "step-one done");
	cast_close(w);
	struct cast *c = cast_load(path, 2, &cause);
	assert_non_null(c);
	assert_int_equal(c->w, 10);
	assert_int_equal(c->h, 3);
	assert_string_equal(c->title, "t\"itle");
	assert_int_equal(c->nmarks, 2);
	assert_string_equal(c->marks[0].label, "step-one running");
	struct vt t;
	vt_init(&t, 1, 1);
	cast_render(c, c->nev, &t);
	assert_int_equal(t.w, 12);
	row_is(&t, 0, "ab\xe4\xb8\xad");
	row_is(&t, 3, "bottom");
	cast_render(c, c->marks[0].ev + 1, &t);
	assert_int_equal(t.w, 10);
	row_is(&t, 0, "ab\xe4\xb8\xad");
	assert_int_equal(cast_marker_before(c, c->nev), 1);
	assert_int_equal(cast_marker_before(c, 0), -1);
	vt_free(&t);
	cast_free(c);
	/* The header: only TERM and SHELL from the environment. */
	char *text = read_file(path, NULL, NULL);
	assert_non_null(strstr(text, "\"env\":{"));
	assert_null(strstr(text, "HOME"));
	free(text);
	free(path);
}

/* A generated recording: idle gaps, a truncated last line, and every event rendered through
 * the index equal to a straight replay. */
static void test_cast_index(void **st)
{
	(void)st;
	char *path = xasprintf("%s/b.cast", tmpdir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "{\"version\": 2, \"width\": 40, \"height\": 10}\n");
	double t = 0;
	srand(7);
	for (int i = 0; i < 3000; i++) {
		t += (i % 500 == 0) ? 100 : 0.01;     /* an idle gap every 500 events */
		if (i % 250 == 0)
			fprintf(f, "[%.3f, \"m\", \"mark %d\"]\n", t, i);
		if (i == 1500)
			fprintf(f, "[%.3f, \"r\", \"30x8\"]\n", t);
		fprintf(f, "[%.3f, \"o\", \"\\u001b[%d;%dH\\u001b[3%dmline %d \\u4e2d\\r\\n\"]\n", t, rand() % 10 + 1,
			rand() % 40 + 1, i % 8, i);
		/* big output so the index gets several keys */
		if (i % 100 == 0) {
			fprintf(f, "[%.3f, \"o\", \"", t);
			for (int k = 0; k < 2000; k++)
				fprintf(f, "\\u001b[%d;1Hxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", k % 10 + 1);
			fprintf(f, "\"]\n");
		}
	}
	fprintf(f, "[%.3f, \"o\", \"cut", t + 1);   /* no newline: a crash */
	fclose(f);
	char *cause = NULL;
	struct cast *c = cast_load(path, 2, &cause);
	assert_non_null(c);
	assert_true(c->nkeys > 5);
	assert_int_equal(c->nmarks, 12);
	/* Idle gaps of 100 s count as 2 s. */
	assert_true(c->duration < 3000 * 0.01 + 7 * 2 + 1);
	assert_true(c->duration > 3000 * 0.01);
	struct vt straight, seek;
	vt_init(&straight, c->w, c->h);
	vt_init(&seek, 1, 1);
	for (size_t i = 0; i < c->nev; i++) {
		const struct cast_event *e = &c->ev[i];
		if (e->type == 'o')
			vt_feed(&straight, c->data + e->off, e->len);
		else if (e->type == 'r')
			vt_resize(&straight, e->w, e->h);
		if (i % 97 == 0 || i + 1 == c->nev) {
			cast_render(c, i + 1, &seek);
			assert_int_equal(seek.w, straight.w);
			assert_int_equal(seek.h, straight.h);
			assert_memory_equal(seek.cells, straight.cells, (size_t)seek.w * (size_t)seek.h * sizeof *seek.cells);
		}
	}
	assert_int_equal(cast_index_at(c, -1), 0);
	assert_int_equal(cast_index_at(c, 1e9), c->nev);
	vt_free(&straight);
	vt_free(&seek);
	cast_free(c);
	/* Not a recording. */
	f = fopen(path, "w");
	fprintf(f, "{\"version\": 1}\n");
	fclose(f);
	assert_null(cast_load(path, 0, &cause));
	assert_non_null(strstr(cause, "asciicast v2"));
	free(cause);
	free(path);
}

/* Writes a recording with the given header timestamp and lines (each an event's JSON array). */
static char *write_cast(const char *name, int w, int h, long long ts, const char *events)
{
	char *path = xasprintf("%s/%s", tmpdir, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "{\"version\": 2, \"width\": %d, \"height\": %d, \"timestamp\": %lld, \"title\": \"%s\"}\n%s", w, h, ts,
		name, events);
	fclose(f);
	return path;
}

/* A run's recordings joined: the UI that came back after the link dropped plays after the first
 * one, at its own size, on a cleared screen, under a "screen 2 attached" marker; the gap between
 * them is compressed like any idle gap; a recording that overlaps the one before (a watcher)
 * follows it without a gap; a bad file among them fails the whole load, naming it. */
static void test_cast_joined(void **st)
{
	(void)st;
	char *a = write_cast("j1.cast", 20, 4, 1000, "[0.5, \"m\", \"backup running\"]\n[1.0, \"o\", \"first UI\"]\n");
	/* the second UI came back 600 s after the first one's last event */
	char *b = write_cast("j2.cast", 30, 5, 1601, "[0.2, \"o\", \"\\u001b[2;1Hsecond UI\"]\n[3.0, \"m\", \"backup done\"]\n");
	/* a watcher that attached while the second one ran */
	char *c3 = write_cast("j3.cast", 30, 5, 1602, "[0.1, \"o\", \"watcher\"]\n");
	const char *paths[] = {a, b, c3};
	char *cause = NULL;
	struct cast *c = cast_load_joined(paths, 3, 2, &cause);
	assert_non_null(c);
	assert_int_equal(c->w, 20);
	assert_int_equal(c->h, 4);
	assert_string_equal(c->title, "j1.cast");
	assert_int_equal(c->nmarks, 4);
	assert_string_equal(c->marks[0].label, "backup running");
	assert_string_equal(c->marks[1].label, "screen 2 attached");
	assert_string_equal(c->marks[2].label, "backup done");
	assert_string_equal(c->marks[3].label, "screen 3 attached");
	/* 1.0 s of the first, the 600 s gap as 2 s, then 0.2 + 2 (2.8 s idle, compressed) of the second */
	assert_true(c->marks[1].t > 2.99 && c->marks[1].t < 3.01);
	assert_true(c->marks[2].t > 5.19 && c->marks[2].t < 5.21);
	/* the watcher overlapped: no gap, then its own 0.1 s */
	assert_true(c->marks[3].t > 5.19 && c->marks[3].t < 5.21);
	assert_true(c->duration > 5.29 && c->duration < 5.31);
	for (size_t i = 1; i < c->nev; i++)
		assert_true(c->ev[i].t >= c->ev[i - 1].t);
	struct vt t;
	vt_init(&t, 1, 1);
	cast_render(c, cast_index_at(c, 2.9), &t);   /* the first UI's last screen, in the gap */
	assert_int_equal(t.w, 20);
	row_is(&t, 0, "first UI");
	cast_render(c, c->marks[2].ev, &t);   /* the second one's: resized, cleared, drawn */
	assert_int_equal(t.w, 30);
	assert_int_equal(t.h, 5);
	row_is(&t, 0, "");
	row_is(&t, 1, "second UI");
	cast_render(c, c->nev, &t);
	row_is(&t, 0, "watcher");
	row_is(&t, 1, "");
	vt_free(&t);
	cast_free(c);
	/* one recording alone loads as before */
	c = cast_load_joined(paths + 1, 1, 2, &cause);
	assert_non_null(c);
	assert_int_equal(c->w, 30);
	assert_int_equal(c->nmarks, 1);
	cast_free(c);
	/* a bad one among them: NULL, naming it */
	char *bad = write_cast("bad.cast", 0, 0, 0, "");
	const char *with_bad[] = {a, bad};
	assert_null(cast_load_joined(with_bad, 2, 2, &cause));
	assert_non_null(strstr(cause, "bad.cast"));
	free(cause);
	free(a), free(b), free(c3), free(bad);
}

int main(void)
{
	if (!setlocale(LC_CTYPE, "C.UTF-8")) {
		printf("skipped: no C.UTF-8 locale (wide characters need it)\n");
		return 77;
	}
	if (!mkdtemp(tmpdir))
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_motion_and_erase), cmocka_unit_test(test_wrap_and_scroll),
		cmocka_unit_test(test_regions),          cmocka_unit_test(test_sgr),
		cmocka_unit_test(test_utf8_wide_acs),    cmocka_unit_test(test_resize_altscreen),
		cmocka_unit_test(test_json_string),      cmocka_unit_test(test_cast_roundtrip),
		cmocka_unit_test(test_cast_index),       cmocka_unit_test(test_cast_joined),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	rm_rf(tmpdir);
	return rc;
}
