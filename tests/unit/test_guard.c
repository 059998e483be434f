/*
 * test_guard.c: the sandbox guard refuses what lies outside the root, however it is spelled.
 *
 * Each test makes a fresh mkdtemp root with a few files and symlinks (one pointing out of
 * the root, one dangling out of it), turns the guard on and asks about paths.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/guard.h"
#include "core/util.h"

struct fx {
	char root[64];
	char *outside;          /* a second temp dir, outside the root */
};

static int setup(void **state)
{
	struct fx *f = xcalloc(1, sizeof *f);
	strcpy(f->root, "/tmp/upwiz-guard-XXXXXX");
	assert_non_null(mkdtemp(f->root));
	char out[] = "/tmp/upwiz-guard-out-XXXXXX";
	assert_non_null(mkdtemp(out));
	f->outside = xstrdup(out);
	char *p = path_join(f->root, "sub");
	assert_int_equal(mkdir(p, 0700), 0);
	free(p);
	p = path_join(f->root, "sub/file.txt");
	assert_int_equal(write_file_atomic(p, "x", 1, 0600, NULL), 0);
	free(p);
	p = path_join(f->root, "escape");       /* symlink inside the root, pointing out */
	assert_int_equal(symlink(f->outside, p), 0);
	free(p);
	p = path_join(f->root, "dangling");     /* dangling symlink pointing out */
	char *t = path_join(f->outside, "not-yet");
	assert_int_equal(symlink(t, p), 0);
	free(t);
	free(p);
	p = path_join(f->root, "inner");        /* relative symlink staying inside */
	assert_int_equal(symlink("sub", p), 0);
	free(p);
	guard_enable(f->root, "/tmp/upwiz-guard-sock/mysqld.sock");
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	guard_disable();
	rm_rf(f->root);
	rm_rf(f->outside);
	free(f->outside);
	free(f);
	return 0;
}

static void expect_ok(const char *path)
{
	char *cause = NULL;
	int r = guard_path(path, &cause);
	if (r != 0)
		fail_msg("refused %s: %s", path, cause);
	assert_null(cause);
}

static void expect_refused(const char *path, const char *needle)
{
	char *cause = NULL;
	unsigned before = guard_refusals();
	if (guard_path(path, &cause) == 0)
		fail_msg("allowed %s", path);
	assert_non_null(cause);
	assert_non_null(strstr(cause, "sandbox: refused to touch"));
	if (needle && !strstr(cause, needle))
		fail_msg("cause \"%s\" lacks \"%s\"", cause, needle);
	assert_int_equal(guard_refusals(), before + 1);
	free(cause);
}

static void test_off_allows_everything(void **state)
{
	(void)state;
	guard_disable();
	assert_false(guard_enabled());
	assert_int_equal(guard_path("/etc/passwd", NULL), 0);
	assert_int_equal(guard_db("db.example.com", 3306, NULL, NULL), 0);
	assert_int_equal(guard_url("https://example.com/", NULL), 0);
}

static void test_inside(void **state)
{
	struct fx *f = *state;
	char *p;
	expect_ok(f->root);
	p = path_join(f->root, "sub/file.txt");
	expect_ok(p);
	free(p);
	p = xasprintf("%s/sub/../sub/./file.txt", f->root);
	expect_ok(p);
	free(p);
	p = xasprintf("%s/inner/file.txt", f->root);        /* symlink staying inside */
	expect_ok(p);
	free(p);
	p = xasprintf("%s/new/deeper/file.sql", f->root);   /* tail does not exist yet */
	expect_ok(p);
	free(p);
	p = xasprintf("%s/new/../also-new", f->root);
	expect_ok(p);
	free(p);
	p = xasprintf("%s//sub///file.txt/", f->root);
	expect_ok(p);
	free(p);
}

static void test_outside_absolute(void **state)
{
	struct fx *f = *state;
	expect_refused("/etc/passwd", "/etc/passwd (outside ");
	expect_refused("/", NULL);
	expect_refused(f->outside, NULL);
	char *p = xasprintf("%s2/x", f->root);    /* a sibling sharing the prefix */
	expect_refused(p, NULL);
	free(p);
	char *cause = NULL;
	assert_int_equal(guard_path("/etc/passwd", &cause), -1);
	char *want = xasprintf("sandbox: refused to touch /etc/passwd (outside %s)", guard_root());
	assert_string_equal(cause, want);
	free(want);
	free(cause);
}

static void test_dotdot_escapes(void **state)
{
	struct fx *f = *state;
	char *p = xasprintf("%s/../../etc/passwd", f->root);
	expect_refused(p, "../../etc/passwd (outside ");
	free(p);
	p = xasprintf("%s/sub/../..", f->root);
	expect_refused(p, NULL);
	free(p);
	/* climbing out through components that do not exist yet */
	p = xasprintf("%s/nope/../../x", f->root);
	expect_refused(p, NULL);
	free(p);
	p = xasprintf("%s/a/b/../../../etc", f->root);
	expect_refused(p, NULL);
	free(p);
}

static void test_symlinks_out(void **state)
{
	struct fx *f = *state;
	char *p = xasprintf("%s/escape", f->root);
	expect_refused(p, f->outside);
	free(p);
	p = xasprintf("%s/escape/new-file", f->root);     /* tail does not exist, link does */
	expect_refused(p, NULL);
	free(p);
	p = xasprintf("%s/dangling", f->root);            /* dangling link pointing out */
	expect_refused(p, "not-yet");
	free(p);
	p = xasprintf("%s/dangling/x/y", f->root);
	expect_refused(p, NULL);
	free(p);
}

static void test_relative(void **state)
{
	struct fx *f = *state;
	char old[4096];
	assert_non_null(getcwd(old, sizeof old));
	assert_int_equal(chdir(f->root), 0);
	expect_ok("sub/file.txt");
	expect_ok("brand-new");
	expect_refused("../", NULL);
	expect_refused("escape/x", NULL);
	assert_int_equal(chdir(old), 0);
}

static void test_db(void **state)
{
	(void)state;
	char *cause = NULL;
	assert_int_equal(guard_db(NULL, 0, "/tmp/upwiz-guard-sock/mysqld.sock", &cause), 0);
	assert_int_equal(guard_db("localhost", 3306, "/tmp/upwiz-guard-sock/mysqld.sock", &cause), 0);
	assert_null(cause);
	unsigned before = guard_refusals();
	assert_int_equal(guard_db("db.prod.example.com", 3306, NULL, &cause), -1);
	assert_non_null(strstr(cause, "db.prod.example.com:3306"));
	free(cause);
	cause = NULL;
	assert_int_equal(guard_db("127.0.0.1", 3306, NULL, &cause), -1);   /* TCP */
	free(cause);
	cause = NULL;
	assert_int_equal(guard_db("localhost", 3306, NULL, &cause), -1);   /* TCP to localhost */
	assert_non_null(strstr(cause, "TCP"));
	free(cause);
	cause = NULL;
	assert_int_equal(guard_db(NULL, 0, "/run/mysqld/mysqld.sock", &cause), -1);  /* the host's server */
	assert_non_null(strstr(cause, "/run/mysqld/mysqld.sock"));
	free(cause);
	assert_int_equal(guard_refusals(), before + 4);
}

static void test_url(void **state)
{
	(void)state;
	const char *ok[] = {
		"http://127.0.0.1:9001/api/rest_j/v1/user/publicKey", "http://localhost:20303/eureka/apps",
		"HTTP://LOCALHOST/", "http://[::1]:8080/x", "https://127.0.0.1", "http://user@127.0.0.1:1/",
	};
	const char *bad[] = {
		"http://example.com/", "https://repo1.maven.org/maven2/mysql/x.jar", "http://localhost.evil.com/",
		"http://127.0.0.1@evil.com/", "ftp://127.0.0.1/", "file:///etc/passwd", "127.0.0.1:9001",
		"http://127.0.0.2/", "http://[::2]/", "http://[::1/",
	};
	for (size_t i = 0; i < ARRAY_LEN(ok); i++) {
		char *cause = NULL;
		if (guard_url(ok[i], &cause) != 0)
			fail_msg("refused %s: %s", ok[i], cause);
	}
	for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
		char *cause = NULL;
		if (guard_url(bad[i], &cause) == 0)
			fail_msg("allowed %s", bad[i]);
		assert_non_null(strstr(cause, "sandbox: refused"));
		free(cause);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_off_allows_everything, setup, teardown),
		cmocka_unit_test_setup_teardown(test_inside, setup, teardown),
		cmocka_unit_test_setup_teardown(test_outside_absolute, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dotdot_escapes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_symlinks_out, setup, teardown),
		cmocka_unit_test_setup_teardown(test_relative, setup, teardown),
		cmocka_unit_test_setup_teardown(test_db, setup, teardown),
		cmocka_unit_test_setup_teardown(test_url, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
