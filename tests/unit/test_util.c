/*
 * test_util.c: the small pieces of core/util.c that have no other home for their tests.
 * utf8_put: the one UTF-8 encoder the cast reader, the virtual terminal's row text and the
 * player share. 1 to 4 bytes at each length's edges, a CJK character and an emoji; and what
 * it does with values that are not Unicode scalar values, which it does not check (callers
 * map them before): a surrogate gets its 3-byte form, 0x110000 and up get 4 bytes, and above
 * 0x1fffff the lead byte loses its high bits. Those are pinned here so a change is seen.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/util.h"

/* Encodes cp alone and checks the bytes (n of them, want may hold NULs). */
static void enc_is(uint32_t cp, const char *want, size_t n)
{
	struct strbuf sb = STRBUF_INIT;
	utf8_put(&sb, cp);
	assert_int_equal(sb.len, n);
	assert_memory_equal(sb.s, want, n);
	assert_int_equal(sb.s[sb.len], '\0');
	sb_free(&sb);
}

static void test_squeeze(void **st)
{
	(void)st;
	char a[] = "  linkis db d@h:3306  home \t /opt/x  ", b[] = "", c[] = "   ", d[] = "one";
	str_squeeze(a), str_squeeze(b), str_squeeze(c), str_squeeze(d);
	assert_string_equal(a, "linkis db d@h:3306 home /opt/x");
	assert_string_equal(b, "");
	assert_string_equal(c, "");
	assert_string_equal(d, "one");
}

static void test_port(void **st)
{
	(void)st;
	assert_int_equal(str_port("3306"), 3306);
	assert_int_equal(str_port("1"), 1);
	assert_int_equal(str_port("65535"), 65535);
	assert_int_equal(str_port("0"), 0);
	assert_int_equal(str_port("65536"), 0);
	assert_int_equal(str_port("99999999999999999999"), 0);   /* no overflow into a small number */
	assert_int_equal(str_port(""), 0);
	assert_int_equal(str_port("33o6"), 0);
	assert_int_equal(str_port("+80"), 0);
	assert_int_equal(str_port(" 80"), 0);
}

static void test_utf8_lengths(void **st)
{
	(void)st;
	enc_is(0x00, "\0", 1);
	enc_is('A', "A", 1);
	enc_is(0x7f, "\x7f", 1);
	enc_is(0x80, "\xc2\x80", 2);
	enc_is(0xe9, "\xc3\xa9", 2);              /* é */
	enc_is(0x7ff, "\xdf\xbf", 2);
	enc_is(0x800, "\xe0\xa0\x80", 3);
	enc_is(0x4e2d, "\xe4\xb8\xad", 3);        /* 中 (CJK) */
	enc_is(0xfffd, "\xef\xbf\xbd", 3);
	enc_is(0xffff, "\xef\xbf\xbf", 3);
	enc_is(0x10000, "\xf0\x90\x80\x80", 4);
	enc_is(0x1f600, "\xf0\x9f\x98\x80", 4);   /* 😀 */
	enc_is(0x10ffff, "\xf4\x8f\xbf\xbf", 4);
}

static void test_utf8_appends(void **st)
{
	(void)st;
	struct strbuf sb = STRBUF_INIT;
	sb_adds(&sb, "x=");
	utf8_put(&sb, 0x4e2d);
	utf8_put(&sb, 0x6587);
	utf8_put(&sb, 0x1f600);
	utf8_put(&sb, '!');
	assert_string_equal(sb_str(&sb), "x=中文😀!");
	sb_free(&sb);
}

static void test_utf8_unchecked(void **st)
{
	(void)st;
	enc_is(0xd800, "\xed\xa0\x80", 3);        /* lone surrogates: their 3-byte (CESU) form */
	enc_is(0xdfff, "\xed\xbf\xbf", 3);
	enc_is(0x110000, "\xf4\x90\x80\x80", 4);  /* past U+10FFFF: still 4 bytes */
	enc_is(0x1fffff, "\xf7\xbf\xbf\xbf", 4);
	enc_is(0x200000, "\xf8\x80\x80\x80", 4);  /* lead byte 0xf0 | cp >> 18, cut to 8 bits */
	enc_is(0xffffffff, "\xff\xbf\xbf\xbf", 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_squeeze),
		cmocka_unit_test(test_port),
		cmocka_unit_test(test_utf8_lengths),
		cmocka_unit_test(test_utf8_appends),
		cmocka_unit_test(test_utf8_unchecked),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
