/*
 * test_props.c: the .properties editor against Java's reading rules, byte-exact
 * round trips, in-place sets (separators, spacing, continuations, CRLF, missing
 * final newline), appends, minimal escaping, the masked diff, and the real Linkis
 * files when the shared fixtures are present (skipped otherwise).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/props.h"
#include "core/redact.h"
#include "core/util.h"

static struct props *parse(const char *s)
{
	return props_parse(s, strlen(s));
}

static void expect_ser(const struct props *p, const char *want)
{
	size_t len;
	char *s = props_serialize(p, &len);
	assert_string_equal(s, want);
	assert_int_equal(len, strlen(want));
	free(s);
}

/* Re-reading what was written gives the same value (the file is the truth). */
static void expect_reread(const struct props *p, const char *key, const char *want)
{
	size_t len;
	char *s = props_serialize(p, &len);
	struct props *q = props_parse(s, len);
	assert_string_equal(props_get(q, key), want);
	props_free(q);
	free(s);
}

static void test_roundtrip_byte_exact(void **state)
{
	const char *inputs[] = {
		"",
		"\n",
		"a=1",
		"a=1\n",
		"# comment\r\n! bang\r\n\r\n  key : value \r\nmulti = one \\\r\n   two\r\n",
		"k=v\\",
		"k=v\\\n",
		"   \n\t\f\n  # c \\\nx\n",
		"中文=值\n# 中文注释\nk=\\u4e2d\\u6587\n",
		"a=1\rb=2\r",
		"\\",
	};
	for (size_t k = 0; k < ARRAY_LEN(inputs); k++) {
		struct props *p = parse(inputs[k]);
		expect_ser(p, inputs[k]);
		props_free(p);
	}
}

static void test_separators(void **state)
{
	struct props *p = parse(
	    "a=1\n"
	    "b:2\n"
	    "c 3\n"
	    "d\t4\n"
	    "e = 5\n"
	    "f  :  6\n"
	    "g \t= \t7 \n"
	    "h\n"
	    "i=\n"
	    "j==8\n"
	    "k = : 9\n"
	    "  l=10\n"
	    "m   n\n");
	assert_string_equal(props_get(p, "a"), "1");
	assert_string_equal(props_get(p, "b"), "2");
	assert_string_equal(props_get(p, "c"), "3");
	assert_string_equal(props_get(p, "d"), "4");
	assert_string_equal(props_get(p, "e"), "5");
	assert_string_equal(props_get(p, "f"), "6");
	assert_string_equal(props_get(p, "g"), "7 ");   /* trailing blanks are value */
	assert_string_equal(props_get(p, "h"), "");
	assert_string_equal(props_get(p, "i"), "");
	assert_string_equal(props_get(p, "j"), "=8");
	assert_string_equal(props_get(p, "k"), ": 9");
	assert_string_equal(props_get(p, "l"), "10");
	assert_string_equal(props_get(p, "m"), "n");
	assert_null(props_get(p, "z"));
	assert_int_equal(props_count(p), 13);
	props_free(p);
}

static void test_comments(void **state)
{
	struct props *p = parse(
	    "# a=1\n"
	    "  ! b=2\n"
	    "\t# c=3 \\\n"          /* a comment never continues */
	    "d=4\n"
	    "e=5 # not a comment\n"
	    "#f=6");
	assert_null(props_get(p, "a"));
	assert_null(props_get(p, "b"));
	assert_null(props_get(p, "c"));
	assert_null(props_get(p, "#"));
	assert_string_equal(props_get(p, "d"), "4");
	assert_string_equal(props_get(p, "e"), "5 # not a comment");
	assert_int_equal(props_count(p), 2);
	props_free(p);
}

static void test_last_definition_wins(void **state)
{
	struct props *p = parse("k=first\nx=1\nk=second\n");
	assert_string_equal(props_get(p, "k"), "second");
	assert_int_equal(props_count(p), 3);
	assert_string_equal(props_key_at(p, 0), "k");
	assert_string_equal(props_value_at(p, 0), "first");
	assert_string_equal(props_key_at(p, 2), "k");
	assert_string_equal(props_value_at(p, 2), "second");
	assert_null(props_key_at(p, 3));
	props_free(p);
}

static void test_escapes(void **state)
{
	struct props *p = parse(
	    "a\\=b=1\n"
	    "c\\:d:2\n"
	    "e\\ f 3\n"
	    "u=\\u4e2d\\u6587 and \\u00e9\n"
	    "smile=\\ud83d\\ude00\n"
	    "lone=\\ud83dx\n"
	    "bad=\\u12zz\n"
	    "ctl=a\\tb\\nc\\rd\\fe\\\\f\\qg\n"
	    "lead=\\  two spaces\n"
	    "utf8=中文值\n");
	assert_string_equal(props_get(p, "a=b"), "1");
	assert_string_equal(props_get(p, "c:d"), "2");
	assert_string_equal(props_get(p, "e f"), "3");
	assert_string_equal(props_get(p, "u"), "中文 and é");
	assert_string_equal(props_get(p, "smile"), "\xF0\x9F\x98\x80");
	assert_string_equal(props_get(p, "lone"), "\xEF\xBF\xBDx");
	assert_string_equal(props_get(p, "bad"), "u12zz");
	assert_string_equal(props_get(p, "ctl"), "a\tb\nc\rd\fe\\fqg");
	assert_string_equal(props_get(p, "lead"), "  two spaces");
	assert_string_equal(props_get(p, "utf8"), "中文值");
	props_free(p);
}

static void test_continuation(void **state)
{
	struct props *p = parse(
	    "list = a,\\\n"
	    "       b,\\\n"
	    "   # c\n"             /* continued: value text, not a comment */
	    "even=x\\\\\n"        /* two backslashes: no continuation */
	    "next=y\n"
	    "odd3=z\\\\\\\n"
	    "  w\n"
	    "key\\\n"
	    "  part=v\n");
	assert_string_equal(props_get(p, "list"), "a,b,# c");
	assert_string_equal(props_get(p, "even"), "x\\");
	assert_string_equal(props_get(p, "next"), "y");
	assert_string_equal(props_get(p, "odd3"), "z\\w");
	assert_string_equal(props_get(p, "keypart"), "v");
	assert_int_equal(props_count(p), 5);
	props_free(p);
}

/* Java 17 quirks, checked against java.util.Properties by a differential run. */
static void test_java_quirks(void **state)
{
	/* a lone backslash line continues into nothing: "#" on the next line is a comment */
	struct props *p = parse("\\\n# c=1\n!x\na=1\n");
	assert_null(props_get(p, "# c"));
	assert_null(props_get(p, ""));
	assert_string_equal(props_get(p, "a"), "1");
	assert_int_equal(props_count(p), 1);
	props_free(p);
	/* ... but at the very end of the input Java loads it as the key "" */
	p = parse("a=1\n  \\");
	assert_string_equal(props_get(p, ""), "");
	assert_int_equal(props_set(p, "b", "2"), 1);
	expect_ser(p, "a=1\n  =\nb=2");
	expect_reread(p, "", "");
	props_free(p);
	p = parse("a=1\n\\\r\n");   /* with CRLF after it, nothing */
	assert_null(props_get(p, ""));
	props_free(p);
	/* old Mac line ends: the blank line closing a dangling continuation is "\r" */
	p = parse("x=1\na=b\\\r");
	assert_string_equal(props_get(p, "a"), "b");
	assert_int_equal(props_set(p, "c", "3"), 1);
	expect_ser(p, "x=1\na=b\\\r\rc=3\n");
	expect_reread(p, "a", "b");
	expect_reread(p, "c", "3");
	props_free(p);
}

static void test_set_in_place_keeps_layout(void **state)
{
	struct props *p = parse(
	    "# header\n"
	    "  spaced  :  old value # tail\n"
	    "plain=old\n"
	    "blank old\n"
	    "\n"
	    "! footer\n");
	assert_int_equal(props_set(p, "spaced", "new"), 1);
	assert_int_equal(props_set(p, "plain", "N"), 1);
	assert_int_equal(props_set(p, "blank", "B"), 1);
	expect_ser(p,
	    "# header\n"
	    "  spaced  :  new\n"
	    "plain=N\n"
	    "blank B\n"
	    "\n"
	    "! footer\n");
	assert_int_equal(props_set(p, "plain", "N"), 0);
	assert_int_equal(props_count(p), 3);
	props_free(p);
}

static void test_set_every_definition(void **state)
{
	struct props *p = parse("k=1\nother=x\nk : 2\n");
	assert_int_equal(props_set(p, "k", "3"), 1);
	expect_ser(p, "k=3\nother=x\nk : 3\n");
	assert_int_equal(props_set(p, "k", "3"), 0);
	props_free(p);

	/* only the one that differs is rewritten */
	p = parse("k=\\u0041\nk=B\n");
	assert_int_equal(props_set(p, "k", "A"), 1);
	expect_ser(p, "k=\\u0041\nk=A\n");
	props_free(p);
}

static void test_set_continuation_replaced_whole(void **state)
{
	struct props *p = parse("a=1\nlist = x,\\\n   y,\\\n   z\nb=2\n");
	assert_int_equal(props_set(p, "list", "q"), 1);
	expect_ser(p, "a=1\nlist = q\nb=2\n");
	props_free(p);

	/* CRLF and a continuation that starts right after the separator */
	p = parse("k = \\\r\n   v1\\\r\n   v2\r\nz=1\r\n");
	assert_string_equal(props_get(p, "k"), "v1v2");
	assert_int_equal(props_set(p, "k", "w"), 1);
	expect_ser(p, "k = \\\r\n   w\r\nz=1\r\n");
	expect_reread(p, "k", "w");
	props_free(p);

	/* emptied: the continuation goes too, or "\r" + "\n" would fuse into one line end */
	p = parse("k=\\\r-x\nnext=1\n");
	assert_string_equal(props_get(p, "k"), "-x");
	assert_int_equal(props_set(p, "k", ""), 1);
	expect_ser(p, "k=\nnext=1\n");
	expect_reread(p, "next", "1");
	props_free(p);
	p = parse("k = \\\n\\\n   v\nnext=1\n");
	assert_string_equal(props_get(p, "k"), "v");
	assert_int_equal(props_set(p, "k", ""), 1);
	expect_ser(p, "k = \nnext=1\n");
	props_free(p);

	/* a dangling backslash at the end of the file goes with the old value */
	p = parse("k=v\\");
	assert_string_equal(props_get(p, "k"), "v");
	assert_int_equal(props_set(p, "k", "w"), 1);
	expect_ser(p, "k=w");
	props_free(p);
}

static void test_set_crlf_and_no_final_newline(void **state)
{
	struct props *p = parse("# c\r\na=1\r\nb=2");
	assert_int_equal(props_set(p, "a", "x"), 1);
	assert_int_equal(props_set(p, "b", "y"), 1);
	expect_ser(p, "# c\r\na=x\r\nb=y");
	props_free(p);
}

static void test_append(void **state)
{
	struct props *p = parse("a=1\n");
	assert_int_equal(props_set(p, "new.key", "v"), 1);
	expect_ser(p, "a=1\nnew.key=v\n");
	assert_int_equal(props_set(p, "new.key", "w"), 1);
	expect_ser(p, "a=1\nnew.key=w\n");
	assert_int_equal(props_count(p), 2);
	props_free(p);

	/* no final newline: one is added before, and the end stays without */
	p = parse("a=1");
	assert_int_equal(props_set(p, "b", "2"), 1);
	expect_ser(p, "a=1\nb=2");
	assert_int_equal(props_set(p, "c", "3"), 1);
	expect_ser(p, "a=1\nb=2\nc=3");
	props_free(p);

	/* CRLF file: CRLF line ends */
	p = parse("a=1\r\n# x");
	assert_int_equal(props_set(p, "b", "2"), 1);
	expect_ser(p, "a=1\r\n# x\r\nb=2");
	props_free(p);

	p = parse("");
	assert_int_equal(props_set(p, "k", "v"), 1);
	expect_ser(p, "k=v\n");
	props_free(p);

	/* a dangling continuation at the end must not swallow the new line */
	p = parse("a=1\\");
	assert_int_equal(props_set(p, "b", "2"), 1);
	expect_ser(p, "a=1\\\n\nb=2");
	expect_reread(p, "a", "1");
	expect_reread(p, "b", "2");
	props_free(p);
	p = parse("a=1\\\n");
	assert_int_equal(props_set(p, "b", "2"), 1);
	expect_ser(p, "a=1\\\n\nb=2\n");
	expect_reread(p, "b", "2");
	props_free(p);

	/* keys that need escaping */
	p = parse("");
	assert_int_equal(props_set(p, "a b=c:d", "v"), 1);
	assert_int_equal(props_set(p, "#x", "v"), 1);
	expect_ser(p, "a\\ b\\=c\\:d=v\n\\#x=v\n");
	expect_reread(p, "a b=c:d", "v");
	expect_reread(p, "#x", "v");
	props_free(p);
}

static void test_set_escapes_minimally(void **state)
{
	struct props *p = parse("k=old\n");
	assert_int_equal(props_set(p, "k", " lead and inner  spaces "), 1);
	expect_ser(p, "k=\\ lead and inner  spaces \n");
	expect_reread(p, "k", " lead and inner  spaces ");
	assert_int_equal(props_set(p, "k", "C:\\path\\x"), 1);
	expect_ser(p, "k=C:\\\\path\\\\x\n");
	expect_reread(p, "k", "C:\\path\\x");
	assert_int_equal(props_set(p, "k", "two\nlines\r"), 1);
	expect_ser(p, "k=two\\nlines\\r\n");
	expect_reread(p, "k", "two\nlines\r");
	assert_int_equal(props_set(p, "k", "中文=值:#!"), 1);
	expect_ser(p, "k=中文=值:#!\n");
	assert_string_equal(props_get(p, "k"), "中文=值:#!");
	assert_int_equal(props_set(p, "k", ""), 1);
	expect_ser(p, "k=\n");
	props_free(p);

	/* a blank separator: a leading '=' would be taken for one */
	p = parse("k v\n");
	assert_int_equal(props_set(p, "k", "=x"), 1);
	expect_ser(p, "k \\=x\n");
	expect_reread(p, "k", "=x");
	props_free(p);

	/* no separator at all: one is added */
	p = parse("flag\nz=1\n");
	assert_string_equal(props_get(p, "flag"), "");
	assert_int_equal(props_set(p, "flag", "on"), 1);
	expect_ser(p, "flag=on\nz=1\n");
	props_free(p);
}

static char *mask_all(void *ud, const char *value)
{
	(*(int *)ud)++;
	return xasprintf("<%zu>", strlen(value));
}

static void test_diff(void **state)
{
	const char *before = "# c\na=1\nsecret=hunter22\nb=2\nlist=x,\\\n  y\n";
	struct props *p = parse(before);
	props_set(p, "secret", "s3cr3t!!");
	props_set(p, "added", "zzz");
	char *after = props_serialize(p, NULL);
	int calls = 0;
	char *d = props_diff(before, after, mask_all, &calls);
	assert_string_equal(d,
	    "@@ -3 +3 @@\n"
	    "-secret=<8>\n"
	    "+secret=<8>\n"
	    "@@ -6,0 +7 @@\n"
	    "+added=<3>\n");
	assert_int_equal(calls, 3);
	free(d);
	d = props_diff(before, after, NULL, NULL);
	assert_string_equal(d,
	    "@@ -3 +3 @@\n"
	    "-secret=hunter22\n"
	    "+secret=s3cr3t!!\n"
	    "@@ -6,0 +7 @@\n"
	    "+added=zzz\n");
	free(d);
	d = props_diff(after, after, mask_all, &calls);
	assert_string_equal(d, "");
	free(d);

	/* a multi-line value: the continuation is never printed in clear */
	props_set(p, "list", "q");
	char *after2 = props_serialize(p, NULL);
	d = props_diff(after, after2, mask_all, &calls);
	assert_string_equal(d,
	    "@@ -5,2 +5 @@\n"
	    "-list=<3>\n"
	    "-...\n"
	    "+list=<1>\n");
	free(d);
	/* removed and added lines, comments printed as they are */
	d = props_diff("a=1\n# x\nb=2\n", "# y\na=1\nb=3\n", NULL, NULL);
	assert_string_equal(d,
	    "@@ -0,0 +1 @@\n"
	    "+# y\n"
	    "@@ -2,2 +3 @@\n"
	    "-# x\n"
	    "-b=2\n"
	    "+b=3\n");
	free(d);
	free(after2);
	free(after);
	props_free(p);
}

static void test_diff_large(void **state)
{
	/* beyond Myers' bound: still a correct (coarser) diff */
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;
	for (int k = 0; k < 3000; k++) {
		sb_addf(&a, "a%d=%d\n", k, k);
		sb_addf(&b, "b%d=%d\n", k, k);
	}
	sb_adds(&a, "same=1\n");
	sb_adds(&b, "same=1\n");
	char *d = props_diff(a.s, b.s, NULL, NULL);
	assert_true(str_starts(d, "@@ -1,3000 +1,3000 @@\n-a0=0\n"));
	assert_null(strstr(d, "same"));
	free(d);
	sb_free(&a);
	sb_free(&b);
}

/* ---- fixtures */

static const char *token_keys[] = {
	"linkis.configuration.linkisclient.auth.token.value",
	"wds.linkis.client.common.tokenValue",
	"wds.linkis.bml.auth.token.value",
	"wds.linkis.context.client.auth.value",
	"wds.linkis.errorcode.auth.token",
	"wds.linkis.client.test.common.tokenValue",
	"wds.linkis.filesystem.token.value",
	"wds.linkis.gateway.access.token",
	"wds.linkis.server.dsm.auth.token.value",
};

static const char *new_token(size_t k)
{
	static const char *v[] = {
		"BML-0123456789abcdef0123456789abcdef",
		"BML-0123456789abcdef0123456789abcdef",
		"BML-0123456789abcdef0123456789abcdef",
		"BML-0123456789abcdef0123456789abcdef",
		"BML-0123456789abcdef0123456789abcdef",
		"LINKIS_CLI-fedcba9876543210fedcba9876543210",
		"WS-00112233445566778899aabbccddeeff",
		"WS-00112233445566778899aabbccddeeff",
		"DSM-ffeeddccbbaa99887766554433221100",
	};
	return v[k];
}

static char *load_fixture(const char *name, size_t *len)
{
	const char *src = getenv("UPWIZ_SOURCE_DIR");
	const char *env = getenv("UPWIZ_FIXTURES");   /* set by CMake when it found them */
	char *dir = env && *env ? xasprintf("%s/linkis", env)
				: xasprintf("%s/../shared/fixtures/linkis", src ? src : UPWIZ_SOURCE_DIR);
	if (!is_dir(dir)) {
		free(dir);
		print_message("skipped: fixtures not present\n");
		skip();
	}
	char *path = path_join(dir, name), *cause = NULL;
	char *buf = read_file(path, len, &cause);
	if (!buf)
		fail_msg("%s", cause);
	free(path);
	free(dir);
	return buf;
}

static size_t split_lines(char *s, char ***out)
{
	size_t n = 0, cap = 0;
	char **v = NULL;
	for (char *p = s; *p;) {
		char *nl = strchr(p, '\n');
		if (n == cap)
			v = xreallocarray(v, cap = cap ? cap * 2 : 64, sizeof(*v));
		v[n++] = p;
		if (!nl)
			break;
		*nl = 0;
		p = nl + 1;
	}
	*out = v;
	return n;
}

static char *mask_redact(void *ud, const char *value)
{
	return redactor_apply(ud, value);
}

static void test_fixture_linkis_properties(void **state)
{
	size_t len;
	char *orig = load_fixture("linkis-1.4.0.properties", &len);
	struct props *p = props_parse(orig, len);
	size_t ndefs = props_count(p);
	char *same = props_serialize(p, NULL);
	assert_memory_equal(same, orig, len);
	free(same);
	assert_true(orig[len - 1] != '\n');   /* the file has no final newline */

	struct redactor *r = redactor_new();
	for (size_t k = 0; k < ARRAY_LEN(token_keys); k++) {
		assert_non_null(props_get(p, token_keys[k]));
		assert_int_equal(props_set(p, token_keys[k], new_token(k)), 1);
		redactor_add(r, new_token(k), REDACT_TOKEN);
	}
	assert_int_equal(props_count(p), ndefs);
	assert_string_equal(props_get(p, "wds.linkis.gateway.access.token"), new_token(7));

	size_t nlen;
	char *after = props_serialize(p, &nlen);
	assert_true(after[nlen - 1] != '\n');   /* still none */

	/* line by line: only the 9 token lines differ, each now key=new */
	char *a = xstrdup(orig), *b = xstrdup(after), **la, **lb;
	size_t na = split_lines(a, &la), nb = split_lines(b, &lb), changed = 0;
	assert_int_equal(na, nb);
	for (size_t i = 0; i < na; i++) {
		if (strcmp(la[i], lb[i]) == 0)
			continue;
		changed++;
		int ok = 0;
		for (size_t k = 0; k < ARRAY_LEN(token_keys); k++) {
			char *want = xasprintf("%s=%s", token_keys[k], new_token(k));
			if (strcmp(lb[i], want) == 0)
				ok = 1;
			free(want);
		}
		if (!ok)
			fail_msg("unexpected change at line %zu: %s", i + 1, lb[i]);
	}
	assert_int_equal(changed, 9);

	/* the masked diff shows 9 changes and no token */
	char *d = props_diff(orig, after, mask_redact, r);
	assert_true(redactor_is_clean(r, d));
	assert_non_null(strstr(d, "+wds.linkis.server.dsm.auth.token.value=DSM-****1100\n"));
	assert_non_null(strstr(d, "-wds.linkis.client.test.common.tokenValue=LINKIS_CLI_TEST\n"));
	size_t plus = 0;
	for (const char *q = d; (q = strstr(q, "\n+")) != NULL; q++)
		plus++;
	assert_int_equal(plus, 9);

	free(d);
	redactor_free(r);
	free(la);
	free(lb);
	free(a);
	free(b);
	free(after);
	props_free(p);
	free(orig);
}

static void test_fixture_cli_properties(void **state)
{
	size_t len;
	char *orig = load_fixture("linkis-cli-1.4.0.properties", &len);
	struct props *p = props_parse(orig, len);
	assert_true(orig[len - 1] != '\n');
	/* only one of the 9 token keys lives in the cli file; the others are not added */
	size_t present = 0;
	for (size_t k = 0; k < ARRAY_LEN(token_keys); k++) {
		if (!props_get(p, token_keys[k]))
			continue;
		present++;
		assert_string_equal(token_keys[k], "wds.linkis.client.common.tokenValue");
		assert_string_equal(props_get(p, token_keys[k]), "BML-AUTH");
		assert_int_equal(props_set(p, token_keys[k], new_token(k)), 1);
	}
	assert_int_equal(present, 1);
	assert_string_equal(props_get(p, "wds.linkis.client.common.tokenKey"), "Validation-Code");
	assert_null(props_get(p, "wds.linkis.client.common.creator"));   /* commented out */

	size_t nlen;
	char *after = props_serialize(p, &nlen);
	assert_int_equal(nlen, len + strlen(new_token(1)) - strlen("BML-AUTH"));
	char *a = xstrdup(orig), *b = xstrdup(after), **la, **lb;
	size_t na = split_lines(a, &la), nb = split_lines(b, &lb), changed = 0;
	assert_int_equal(na, nb);
	for (size_t i = 0; i < na; i++)
		if (strcmp(la[i], lb[i]) != 0) {
			changed++;
			assert_string_equal(lb[i], "wds.linkis.client.common.tokenValue="
			    "BML-0123456789abcdef0123456789abcdef");
		}
	assert_int_equal(changed, 1);
	assert_true(after[nlen - 1] != '\n');

	/* appending to it keeps the final newline missing */
	assert_int_equal(props_set(p, "upwiz.added", "1"), 1);
	char *after2 = props_serialize(p, &nlen);
	assert_true(str_ends(after2, "proxy.user=true\nupwiz.added=1"));
	free(after2);
	free(la);
	free(lb);
	free(a);
	free(b);
	free(after);
	props_free(p);
	free(orig);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip_byte_exact),
		cmocka_unit_test(test_separators),
		cmocka_unit_test(test_comments),
		cmocka_unit_test(test_last_definition_wins),
		cmocka_unit_test(test_escapes),
		cmocka_unit_test(test_continuation),
		cmocka_unit_test(test_java_quirks),
		cmocka_unit_test(test_set_in_place_keeps_layout),
		cmocka_unit_test(test_set_every_definition),
		cmocka_unit_test(test_set_continuation_replaced_whole),
		cmocka_unit_test(test_set_crlf_and_no_final_newline),
		cmocka_unit_test(test_append),
		cmocka_unit_test(test_set_escapes_minimally),
		cmocka_unit_test(test_diff),
		cmocka_unit_test(test_diff_large),
		cmocka_unit_test(test_fixture_linkis_properties),
		cmocka_unit_test(test_fixture_cli_properties),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
