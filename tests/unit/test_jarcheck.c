/*
 * test_jarcheck.c: jars built here with libarchive's zip writer (a connector 8.0.28, a 5.1.49,
 * one without the driver class, one with only a Bundle-Version, one without a manifest), plus an
 * HTML error page saved as a jar and a download cut short, each judged by jar_check().
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <archive.h>
#include <archive_entry.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/jarcheck.h"
#include "core/util.h"

#define DRIVER "com/mysql/cj/jdbc/Driver.class"

static char tmpdir[64];

static int setup(void **state)
{
	(void)state;
	strcpy(tmpdir, "/tmp/upwiz-jar-XXXXXX");
	assert_non_null(mkdtemp(tmpdir));
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	rm_rf(tmpdir);
	return 0;
}

static void add_entry(struct archive *a, const char *name, const char *data, size_t len)
{
	struct archive_entry *e = archive_entry_new();
	archive_entry_set_pathname(e, name);
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, 0644);
	archive_entry_set_size(e, (la_int64_t)len);
	assert_int_equal(archive_write_header(a, e), ARCHIVE_OK);
	assert_int_equal(archive_write_data(a, data, len), (la_ssize_t)len);
	archive_entry_free(e);
}

/* Writes NAME.jar in tmpdir with a manifest (NULL: none) and the given class entries. Caller frees the path. */
static char *make_jar(const char *name, const char *manifest, const char *const *classes)
{
	char *path = xasprintf("%s/%s", tmpdir, name);
	struct archive *a = archive_write_new();
	archive_write_set_format_zip(a);
	assert_int_equal(archive_write_open_filename(a, path), ARCHIVE_OK);
	if (manifest)
		add_entry(a, "META-INF/MANIFEST.MF", manifest, strlen(manifest));
	static char filler[20000];
	for (size_t i = 0; i < sizeof filler; i++)
		filler[i] = (char)(i * 31 + i / 7);
	for (size_t i = 0; classes && classes[i]; i++)
		add_entry(a, classes[i], filler, sizeof filler);
	assert_int_equal(archive_write_close(a), ARCHIVE_OK);
	archive_write_free(a);
	return path;
}

static const char *const CJ_CLASSES[] = {"com/mysql/cj/Constants.class", DRIVER, "com/mysql/jdbc/Driver.class", NULL};

static void test_manifest_parse(void **state)
{
	(void)state;
	const char *m = "Manifest-Version: 1.0\r\n"
	                "Implementation-Title: MySQL Connector/J\r\n"
	                "Implementation-Version: 8.0.28\r\n"
	                "Bundle-Description: a very long description that the jar tool wraps at seventy-two \r\n"
	                " bytes onto a continuation line\r\n"
	                "\r\n"
	                "Name: com/mysql/cj/\r\n"
	                "Implementation-Version: 9.9.9\r\n";
	char *v = jar_manifest_value(m, strlen(m), "Implementation-Version");
	assert_string_equal(v, "8.0.28");
	free(v);
	v = jar_manifest_value(m, strlen(m), "implementation-version");   /* names are case-insensitive */
	assert_string_equal(v, "8.0.28");
	free(v);
	v = jar_manifest_value(m, strlen(m), "Bundle-Description");
	assert_string_equal(v, "a very long description that the jar tool wraps at seventy-two bytes onto a continuation line");
	free(v);
	assert_null(jar_manifest_value(m, strlen(m), "Name"));      /* only the main section */
	assert_null(jar_manifest_value(m, strlen(m), "Bundle-Version"));
	const char *lf = "Manifest-Version: 1.0\nBundle-Version: 5.1.49\n";
	v = jar_manifest_value(lf, strlen(lf), "Bundle-Version");
	assert_string_equal(v, "5.1.49");
	free(v);
	/* a prefix of a longer name is not the name */
	const char *pre = "Implementation-Version-Extra: 1\n";
	assert_null(jar_manifest_value(pre, strlen(pre), "Implementation-Version"));
}

static void test_good_jar(void **state)
{
	(void)state;
	char *p = make_jar("mysql-connector-java-8.0.28.jar",
	                   "Manifest-Version: 1.0\r\nImplementation-Version: 8.0.28\r\nBundle-Version: 8.0.28\r\n\r\n",
	                   CJ_CLASSES);
	struct jar_info ji;
	char *cause = NULL, *ver = NULL;
	assert_int_equal(jar_inspect(p, DRIVER, &ji, &cause), 0);
	assert_int_equal(ji.entries, 4);
	assert_int_equal(ji.has_class, 1);
	assert_string_equal(ji.impl_version, "8.0.28");
	jar_info_free(&ji);
	assert_int_equal(jar_check(p, DRIVER, ">= 8", &ver, &cause), 0);
	assert_null(cause);
	assert_string_equal(ver, "8.0.28");
	free(ver);
	assert_int_equal(jar_check(p, DRIVER, "== 8.0", NULL, &cause), 0);
	assert_int_equal(jar_check(p, NULL, NULL, NULL, &cause), 0);
	assert_int_equal(jar_check(p, DRIVER, "< 8", &ver, &cause), -1);
	assert_string_equal(cause, "mysql-connector-java-8.0.28.jar is version 8.0.28, need < 8");
	free(cause);
	free(ver);
	free(p);
}

static void test_old_connector(void **state)
{
	(void)state;
	static const char *const old[] = {"com/mysql/jdbc/Driver.class", NULL};
	char *p = make_jar("mysql-connector-java-5.1.49.jar", "Manifest-Version: 1.0\nImplementation-Version: 5.1.49\n", old);
	char *cause = NULL, *ver = NULL;
	assert_int_equal(jar_check(p, DRIVER, ">= 8", &ver, &cause), -1);
	assert_string_equal(cause, DRIVER " not found in mysql-connector-java-5.1.49.jar");
	assert_string_equal(ver, "5.1.49");
	free(cause);
	free(ver);
	cause = NULL;
	assert_int_equal(jar_check(p, NULL, ">= 8", NULL, &cause), -1);
	assert_string_equal(cause, "mysql-connector-java-5.1.49.jar is version 5.1.49, need >= 8");
	free(cause);
	free(p);
}

static void test_bundle_version_and_no_manifest(void **state)
{
	(void)state;
	char *p = make_jar("b.jar", "Manifest-Version: 1.0\nBundle-Version: 8.0.33\n", CJ_CLASSES);
	char *cause = NULL, *ver = NULL;
	assert_int_equal(jar_check(p, DRIVER, ">= 8", &ver, &cause), 0);
	assert_string_equal(ver, "8.0.33");
	free(ver);
	free(p);
	p = make_jar("nomf.jar", NULL, CJ_CLASSES);
	assert_int_equal(jar_check(p, DRIVER, NULL, NULL, &cause), 0);
	assert_int_equal(jar_check(p, DRIVER, ">= 8", &ver, &cause), -1);
	assert_null(ver);
	assert_non_null(strstr(cause, "no Implementation-Version or Bundle-Version"));
	free(cause);
	free(p);
}

static void test_not_a_jar(void **state)
{
	(void)state;
	char *p = xasprintf("%s/error-page.jar", tmpdir);
	const char *html = "<html><head><title>404 Not Found</title></head><body>Not Found</body></html>\n";
	assert_int_equal(write_file_atomic(p, html, strlen(html), 0644, NULL), 0);
	char *cause = NULL;
	assert_int_equal(jar_check(p, DRIVER, ">= 8", NULL, &cause), -1);
	assert_non_null(strstr(cause, "not a zip archive"));
	free(cause);
	free(p);
	/* empty file, missing file */
	p = xasprintf("%s/empty.jar", tmpdir);
	assert_int_equal(write_file_atomic(p, "", 0, 0644, NULL), 0);
	cause = NULL;
	assert_int_equal(jar_check(p, DRIVER, NULL, NULL, &cause), -1);
	assert_non_null(cause);
	free(cause);
	free(p);
	p = xasprintf("%s/absent.jar", tmpdir);
	cause = NULL;
	assert_int_equal(jar_check(p, DRIVER, NULL, NULL, &cause), -1);
	assert_non_null(cause);
	free(cause);
	free(p);
}

static void test_truncated(void **state)
{
	(void)state;
	char *p = make_jar("full.jar", "Manifest-Version: 1.0\nImplementation-Version: 8.0.28\n", CJ_CLASSES);
	size_t len = 0;
	char *data = read_file(p, &len, NULL);
	assert_non_null(data);
	/* cut inside the second class's data, and inside the central directory */
	size_t cuts[] = {len / 2, len - 30};
	for (size_t i = 0; i < 2; i++) {
		char *q = xasprintf("%s/cut%zu.jar", tmpdir, i);
		assert_int_equal(write_file_atomic(q, data, cuts[i], 0644, NULL), 0);
		char *cause = NULL;
		int rc = jar_check(q, DRIVER, ">= 8", NULL, &cause);
		if (i == 0) {
			assert_int_equal(rc, -1);
			assert_non_null(strstr(cause, "damaged"));
		}
		/* a cut in the central directory: the entries all read; either verdict is acceptable,
		 * but it must not crash or leak (ASan) */
		free(cause);
		free(q);
	}
	free(data);
	free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_manifest_parse),
		cmocka_unit_test(test_good_jar),
		cmocka_unit_test(test_old_connector),
		cmocka_unit_test(test_bundle_version_and_no_manifest),
		cmocka_unit_test(test_not_a_jar),
		cmocka_unit_test(test_truncated),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
