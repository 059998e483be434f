/*
 * bundle.c: the support bundle (see bundle.h).
 */
#include "core/bundle.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "core/sessions.h"
#include "core/util.h"

static int add_entry_header(struct archive *a, const char *name, int64_t size, time_t mtime, char **cause)
{
	struct archive_entry *e = archive_entry_new();
	archive_entry_set_pathname(e, name);
	archive_entry_set_size(e, size);
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, 0600);
	archive_entry_set_mtime(e, mtime, 0);
	int rc = archive_write_header(a, e);
	archive_entry_free(e);
	if (rc != ARCHIVE_OK) {
		set_cause(cause, "%s: %s", name, archive_error_string(a));
		return -1;
	}
	return 0;
}

/* Stores one file under `name`, hashing exactly the bytes stored. 0, 1 when the file is absent, -1. */
static int add_file(struct archive *a, const char *path, const char *name, char hex[65], char **cause)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			return 1;
		set_cause(cause, "%s: %s", path, strerror(errno));
		return -1;
	}
	struct stat st;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return 1;
	}
	if (add_entry_header(a, name, st.st_size, st.st_mtime, cause) < 0) {
		close(fd);
		return -1;
	}
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
	char buf[65536];
	int64_t left = st.st_size;
	int rc = 0;
	while (left > 0) {
		ssize_t n = read(fd, buf, left < (int64_t)sizeof buf ? (size_t)left : sizeof buf);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			/* Shrunk under us (it never should): pad so the entry matches its header. */
			memset(buf, 0, sizeof buf);
			n = left < (int64_t)sizeof buf ? (ssize_t)left : (ssize_t)sizeof buf;
		}
		EVP_DigestUpdate(ctx, buf, (size_t)n);
		if (archive_write_data(a, buf, (size_t)n) < 0) {
			set_cause(cause, "%s: %s", name, archive_error_string(a));
			rc = -1;
			break;
		}
		left -= n;
	}
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned mdlen = 0;
	EVP_DigestFinal_ex(ctx, md, &mdlen);
	EVP_MD_CTX_free(ctx);
	sha256_digest_hex(md, hex);
	close(fd);
	return rc;
}

int bundle_write(const char *run_dir, const char *out_path, char **cause)
{
	static const char *const fixed[] = {"run.json", "profile.yaml", "events.jsonl", "journal.jsonl", "run.log"};
	const char *id = path_basename(run_dir);
	/* Create it ourselves: 0600 and never over an existing file. */
	int fd = open(out_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		set_cause(cause, "%s: %s", out_path, strerror(errno));
		return -1;
	}
	struct archive *a = archive_write_new();
	archive_write_add_filter_gzip(a);
	archive_write_set_format_pax_restricted(a);
	if (archive_write_open_fd(a, fd) != ARCHIVE_OK) {
		set_cause(cause, "%s: %s", out_path, archive_error_string(a));
		archive_write_free(a);
		close(fd);
		unlink(out_path);
		return -1;
	}
	struct strvec names = STRVEC_INIT;
	for (size_t i = 0; i < ARRAY_LEN(fixed); i++)
		sv_push(&names, fixed[i]);
	struct strvec casts = STRVEC_INIT;
	session_casts(run_dir, &casts);
	for (size_t i = 0; i < casts.n; i++)
		sv_push(&names, path_basename(casts.v[i]));
	sv_free(&casts);
	struct strbuf manifest = STRBUF_INIT;
	int stored = 0, rc = 0;
	for (size_t i = 0; i < names.n && rc == 0; i++) {
		char *path = path_join(run_dir, names.v[i]);
		char *name = xasprintf("upwiz-%s/%s", id, names.v[i]);
		char hex[65];
		int r = add_file(a, path, name, hex, cause);
		if (r < 0)
			rc = -1;
		else if (r == 0) {
			sb_addf(&manifest, "%s  %s\n", hex, names.v[i]);
			stored++;
		}
		free(path);
		free(name);
	}
	sv_free(&names);
	if (rc == 0) {
		char *name = xasprintf("upwiz-%s/MANIFEST", id);
		if (add_entry_header(a, name, (int64_t)manifest.len, time(NULL), cause) < 0 ||
		    archive_write_data(a, sb_str(&manifest), manifest.len) < 0)
			rc = -1;
		free(name);
	}
	sb_free(&manifest);
	if (archive_write_close(a) != ARCHIVE_OK && rc == 0) {
		set_cause(cause, "%s: %s", out_path, archive_error_string(a));
		rc = -1;
	}
	archive_write_free(a);
	if (rc == 0 && fsync(fd) < 0) {
		set_cause(cause, "%s: %s", out_path, strerror(errno));
		rc = -1;
	}
	close(fd);
	if (rc < 0) {
		unlink(out_path);
		return -1;
	}
	return stored;
}
