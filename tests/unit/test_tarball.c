/*
 * test_tarball.c: core/tarball round trips a folder (long names, Chinese names and text,
 * modes, times, symlinks, empty folders, a sparse file), detects damaged archives,
 * refuses hostile ones (absolute names, "..", hard links out) without writing, and fails
 * cleanly when the disk fills (UPWIZ_FAULT=tarball:N in a child of this executable).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/proc.h"
#include "core/tarball.h"
#include "core/util.h"

static char root[64];

static char *at(const char *rel) { return path_join(root, rel); }

static void put(const char *rel, const char *content, mode_t mode)
{
	char *p = at(rel);
	char *dir = path_dirname(p);
	assert_int_equal(mkdir_p(dir, 0755, NULL), 0);
	assert_int_equal(write_file_atomic(p, content, strlen(content), mode, NULL), 0);
	assert_int_equal(chmod(p, mode), 0);
	free(dir);
	free(p);
}

static int setup(void **state)
{
	snprintf(root, sizeof root, "/tmp/upwiz-tar-XXXXXX");
	if (!mkdtemp(root))
		return -1;
	return 0;
}

static int teardown(void **state)
{
	rm_rf(root);
	return 0;
}

static char long_name[512];

static void make_tree(void)
{
	put("src/conf/linkis.properties", "wds.linkis.server.mybatis.datasource.password=s3cret\n# 中文注释\n", 0600);
	put("src/conf/linkis-env.sh", "#!/bin/sh\necho hi\n", 0755);
	put("src/conf/sub/deeper/x.txt", "x\n", 0644);
	put("src/conf/引擎/配置.properties", "k=值\n", 0644);
	/* a path far over tar's 100-byte name field */
	memset(long_name, 0, sizeof long_name);
	strcpy(long_name, "src/conf/");
	for (int i = 0; i < 3; i++) {
		size_t n = strlen(long_name);
		memset(long_name + n, 'a' + i, 80);
		strcat(long_name, "/");
	}
	strcat(long_name, "long-file-name-that-keeps-going-and-going.properties");
	put(long_name, "long=1\n", 0644);
	char *empty = at("src/conf/empty-dir");
	assert_int_equal(mkdir_p(empty, 0750, NULL), 0);
	free(empty);
	char *link = at("src/conf/current");
	assert_int_equal(symlink("sub/deeper", link), 0);
	free(link);
	/* a 1 MiB file with a hole in the middle */
	char *big = at("src/conf/big.bin");
	int fd = open(big, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	assert_true(fd >= 0);
	char buf[4096];
	for (size_t i = 0; i < sizeof buf; i++)
		buf[i] = (char)(i * 7 + 3);
	assert_int_equal(pwrite(fd, buf, sizeof buf, 0), (ssize_t)sizeof buf);
	assert_int_equal(pwrite(fd, buf, sizeof buf, 1 << 20), (ssize_t)sizeof buf);
	close(fd);
	/* 96 KiB that gzip cannot shrink, so the archive spans several output blocks */
	char *noise = at("src/conf/noise.bin");
	fd = open(noise, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	assert_true(fd >= 0);
	uint32_t x = 12345;
	for (int blk = 0; blk < 24; blk++) {
		for (size_t i = 0; i < sizeof buf; i++) {
			x = x * 1103515245u + 12345u;
			buf[i] = (char)(x >> 24);
		}
		assert_int_equal(write(fd, buf, sizeof buf), (ssize_t)sizeof buf);
	}
	close(fd);
	free(noise);
	/* a fixed old mtime */
	struct timespec ts[2] = {{1600000000, 0}, {1600000000, 0}};
	char *xp = at("src/conf/sub/deeper/x.txt");
	assert_int_equal(utimensat(AT_FDCWD, xp, ts, AT_SYMLINK_NOFOLLOW), 0);
	free(xp);
	free(big);
}

/* ---- tree comparison */

static struct strvec listing;
static size_t listing_root;

static int list_one(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
	struct strbuf sb = STRBUF_INIT;
	sb_addf(&sb, "%s mode=%o", p + listing_root, (unsigned)st->st_mode);
	if (S_ISREG(st->st_mode)) {
		char hex[65];
		assert_int_equal(sha256_file(p, hex, NULL), 0);
		sb_addf(&sb, " size=%lld sha=%.16s mtime=%lld", (long long)st->st_size, hex, (long long)st->st_mtime);
	} else if (S_ISLNK(st->st_mode)) {
		char t[PATH_MAX];
		ssize_t n = readlink(p, t, sizeof t - 1);
		assert_true(n > 0);
		t[n] = '\0';
		sb_addf(&sb, " -> %s", t);
	} else if (S_ISDIR(st->st_mode)) {
		sb_addf(&sb, " dir");
	}
	sv_push_owned(&listing, sb_detach(&sb));
	return 0;
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static char *tree_text(const char *dir)
{
	sv_free(&listing);
	listing_root = strlen(dir);
	assert_int_equal(nftw(dir, list_one, 16, FTW_PHYS), 0);
	qsort(listing.v, listing.n, sizeof *listing.v, cmp_str);
	struct strbuf sb = STRBUF_INIT;
	for (size_t i = 0; i < listing.n; i++) {
		sb_adds(&sb, listing.v[i]);
		sb_addc(&sb, '\n');
	}
	sv_free(&listing);
	return sb_detach(&sb);
}

static unsigned count_entries(const char *dir)
{
	char *t = tree_text(dir);
	unsigned n = 0;
	for (char *c = t; *c; c++)
		n += *c == '\n';
	free(t);
	return n;
}

/* ---- tests */

static void test_round_trip(void **state)
{
	make_tree();
	char *src = at("src/conf"), *out = at("conf.tar.gz"), *partial = at("conf.tar.gz.partial");
	struct tarball_result res;
	char *cause = NULL;
	if (tarball_create(src, out, &res, &cause) != 0)
		fail_msg("create: %s", cause);
	assert_false(path_exists(partial));
	assert_int_equal(res.files, count_entries(src));
	struct stat st;
	assert_int_equal(stat(out, &st), 0);
	assert_int_equal((unsigned long long)st.st_size, res.bytes);
	assert_int_equal(st.st_mode & 0777, 0600);
	char hex[65];
	assert_int_equal(sha256_file(out, hex, NULL), 0);
	assert_string_equal(hex, res.sha256);
	assert_true(res.bytes < 200 * 1024);   /* the 1 MiB sparse file compressed away */

	unsigned files = 0;
	if (tarball_verify(out, &files, &cause) != 0)
		fail_msg("verify: %s", cause);
	assert_int_equal(files, res.files);

	/* names inside are relative to the parent: conf/... */
	struct archive *a = archive_read_new();
	archive_read_support_filter_all(a);
	archive_read_support_format_all(a);
	assert_int_equal(archive_read_open_filename(a, out, 10240), ARCHIVE_OK);
	struct archive_entry *e;
	int saw_props = 0, saw_long = 0;
	while (archive_read_next_header(a, &e) == ARCHIVE_OK) {
		const char *n = archive_entry_pathname(e);
		assert_true(str_starts(n, "conf"));
		if (strcmp(n, "conf/linkis.properties") == 0)
			saw_props = 1;
		if (strcmp(n, long_name + 4) == 0)
			saw_long = 1;
	}
	archive_read_free(a);
	assert_true(saw_props);
	assert_true(saw_long);

	char *dest = at("restore");
	assert_int_equal(mkdir_p(dest, 0755, NULL), 0);
	if (tarball_extract(out, dest, &cause) != 0)
		fail_msg("extract: %s", cause);
	char *back = at("restore/conf");
	char *t1 = tree_text(src), *t2 = tree_text(back);
	assert_string_equal(t1, t2);
	assert_non_null(strstr(t1, "/sub/deeper/x.txt mode=100644 size=2 sha="));
	assert_non_null(strstr(t1, "mtime=1600000000"));
	assert_non_null(strstr(t1, "/current mode=120777 -> sub/deeper"));

	/* extracting again over a changed copy puts the files back */
	char *props = at("restore/conf/linkis.properties");
	assert_int_equal(write_file_atomic(props, "changed\n", 8, 0644, NULL), 0);
	assert_int_equal(tarball_extract(out, dest, &cause), 0);
	char *t3 = tree_text(back);
	assert_string_equal(t1, t3);

	free(t1);
	free(t2);
	free(t3);
	free(props);
	free(back);
	free(dest);
	free(src);
	free(out);
	free(partial);
}

static void test_damaged(void **state)
{
	char *out = at("conf.tar.gz");
	size_t len;
	char *data = read_file(out, &len, NULL);
	assert_non_null(data);
	char *cause = NULL;
	unsigned files = 99;

	char *trunc = at("trunc.tar.gz");
	assert_int_equal(write_file_atomic(trunc, data, len / 2, 0600, NULL), 0);
	assert_int_equal(tarball_verify(trunc, &files, &cause), -1);
	printf("truncated: %s\n", cause);
	assert_int_equal(files, 0);
	char *dest = at("restore-trunc");
	assert_int_equal(mkdir_p(dest, 0755, NULL), 0);
	assert_int_equal(tarball_extract(trunc, dest, &cause), -1);
	assert_int_equal(rm_rf(dest), 0);

	char *flip = at("flip.tar.gz");
	data[len / 2] ^= 0x55;
	assert_int_equal(write_file_atomic(flip, data, len, 0600, NULL), 0);
	assert_int_equal(tarball_verify(flip, &files, &cause), -1);
	printf("flipped byte: %s\n", cause);
	assert_int_equal(mkdir_p(dest, 0755, NULL), 0);
	assert_int_equal(tarball_extract(flip, dest, &cause), -1);   /* refused before writing anything */
	char *inner = at("restore-trunc/conf");
	assert_false(path_exists(inner));
	free(inner);

	char *notgz = at("plain.txt");
	assert_int_equal(write_file_atomic(notgz, "hello\n", 6, 0600, NULL), 0);
	assert_int_equal(tarball_verify(notgz, &files, &cause), -1);
	assert_int_equal(tarball_verify("/nonexistent.tar.gz", &files, &cause), -1);
	assert_non_null(strstr(cause, "/nonexistent.tar.gz"));

	free(cause);
	free(notgz);
	free(flip);
	free(dest);
	free(trunc);
	free(data);
	free(out);
}

/* Writes a tar.gz holding one harmless file and then `bad` (a name, or a hard link to linkto). */
static void make_hostile(const char *path, const char *bad, const char *linkto)
{
	struct archive *a = archive_write_new();
	archive_write_add_filter_gzip(a);
	archive_write_set_format_pax_restricted(a);
	assert_int_equal(archive_write_open_filename(a, path), ARCHIVE_OK);
	const char *names[2] = {"conf/ok.txt", bad};
	for (int i = 0; i < 2; i++) {
		struct archive_entry *e = archive_entry_new();
		archive_entry_set_pathname(e, names[i]);
		archive_entry_set_filetype(e, AE_IFREG);
		archive_entry_set_perm(e, 0644);
		if (i == 1 && linkto) {
			archive_entry_set_hardlink(e, linkto);
			archive_entry_set_size(e, 0);
			assert_true(archive_write_header(a, e) >= ARCHIVE_WARN);
		} else {
			archive_entry_set_size(e, 5);
			assert_true(archive_write_header(a, e) >= ARCHIVE_WARN);
			assert_int_equal(archive_write_data(a, "evil\n", 5), 5);
		}
		archive_entry_free(e);
	}
	archive_write_close(a);
	archive_write_free(a);
}

static void test_hostile(void **state)
{
	struct { const char *name, *link; } cases[] = {
		{"../escaped.txt", NULL},
		{"conf/../../escaped.txt", NULL},
		{"/tmp/upwiz-absolute-escape.txt", NULL},
		{"conf/hard", "../../etc/passwd"},
		{"conf/hard", "/etc/passwd"},
	};
	char *dest = at("hostile/inner");
	assert_int_equal(mkdir_p(dest, 0755, NULL), 0);
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		char *tgz = at("hostile.tar.gz");
		make_hostile(tgz, cases[i].name, cases[i].link);
		unsigned files;
		assert_int_equal(tarball_verify(tgz, &files, NULL), 0);   /* well-formed, just hostile */
		char *cause = NULL;
		assert_int_equal(tarball_extract(tgz, dest, &cause), -1);
		assert_non_null(strstr(cause, "refusing"));
		free(cause);
		/* nothing was written, not even the harmless entry */
		char *ok = at("hostile/inner/conf");
		assert_false(path_exists(ok));
		free(ok);
		char *esc = at("hostile/escaped.txt");
		assert_false(path_exists(esc));
		free(esc);
		assert_false(path_exists("/tmp/upwiz-absolute-escape.txt"));
		free(tgz);
	}
	free(dest);
}

static void test_errors(void **state)
{
	char *cause = NULL;
	struct tarball_result res;
	char *out = at("x.tar.gz");
	assert_int_equal(tarball_create("/nonexistent-dir", out, &res, &cause), -1);
	assert_non_null(strstr(cause, "/nonexistent-dir"));
	char *src = at("src/conf");
	char *inside = at("src/conf/sub/self.tar.gz");
	assert_int_equal(tarball_create(src, inside, &res, &cause), -1);
	assert_non_null(strstr(cause, "inside"));
	char *nodir = at("no/such/dir/x.tar.gz");
	assert_int_equal(tarball_create(src, nodir, &res, &cause), -1);
	assert_non_null(strstr(cause, "No such file"));
	assert_int_equal(tarball_extract(out, "/nonexistent-parent", &cause), -1);
	free(cause);
	free(nodir);
	free(inside);
	free(src);
	free(out);
}

/* Child mode: UPWIZ_FAULT=tarball:3 is set; the create must fail and leave no file. */
static int fault_child(const char *src, const char *out)
{
	struct tarball_result res;
	char *cause = NULL;
	int r = tarball_create(src, out, &res, &cause);
	char *partial = xasprintf("%s.partial", out);
	printf("fault child: r=%d cause=%s\n", r, cause ? cause : "-");
	int ok = r == -1 && cause && strstr(cause, strerror(ENOSPC)) && !path_exists(out) && !path_exists(partial);
	free(partial);
	free(cause);
	return ok ? 0 : 1;
}

static void keep(void *ud, const char *line, size_t len)
{
	printf("  | %.*s\n", (int)len, line);
}

static void test_disk_full(void **state)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
	assert_true(n > 0);
	self[n] = '\0';
	char *src = at("src/conf"), *out = at("full.tar.gz");
	const char *argv[] = {self, "--fault-child", src, out, NULL};
	const char *set[] = {"UPWIZ_FAULT=tarball:3", NULL};
	struct proc_opts o = {.argv = argv, .stdin_fd = -1, .env_set = set};
	int code = -1;
	assert_int_equal(proc_run(&o, 60000, keep, NULL, &code, NULL), 0);
	assert_int_equal(code, 0);
	free(src);
	free(out);
}

int main(int argc, char **argv)
{
	if (argc == 4 && strcmp(argv[1], "--fault-child") == 0)
		return fault_child(argv[2], argv[3]);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_damaged),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_disk_full),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
