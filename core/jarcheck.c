/*
 * jarcheck.c: jar_inspect/jar_check over libarchive's zip reader.
 *
 * Every entry header is read (archive_read_next_header) and the data of each entry is
 * skipped, except META-INF/MANIFEST.MF which is read (capped at 1 MiB). Skipping still walks
 * the local headers, so a jar cut short by an interrupted download fails here. The streaming
 * zip reader is used on purpose: the seekable one trusts the central directory at the end,
 * which an HTML page or a truncated file does not have, and we want the error either way.
 *
 * Manifest format (JAR File Specification): "Name: value" lines of at most 72 bytes, longer
 * values continued on lines that start with one space; sections separated by a blank line; the
 * first is the main section. Line ends may be CRLF, LF or CR.
 */
#include "core/jarcheck.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "core/util.h"
#include "core/vars.h"

#define MANIFEST "META-INF/MANIFEST.MF"
#define MANIFEST_MAX (1u << 20)

void jar_info_free(struct jar_info *ji)
{
	if (!ji)
		return;
	free(ji->impl_version);
	free(ji->bundle_version);
	memset(ji, 0, sizeof *ji);
}

/* Next line of [p, end): sets *line and *llen, returns the start of the following line. */
static const char *next_line(const char *p, const char *end, const char **line, size_t *llen)
{
	const char *q = p;
	while (q < end && *q != '\n' && *q != '\r')
		q++;
	*line = p;
	*llen = (size_t)(q - p);
	if (q < end && *q == '\r')
		q++;
	if (q < end && *q == '\n')
		q++;
	return q;
}

char *jar_manifest_value(const char *m, size_t len, const char *name)
{
	const char *p = m, *end = m + len, *line;
	size_t llen, nlen = strlen(name);
	struct strbuf val = STRBUF_INIT;
	int in_value = 0;
	while (p < end) {
		p = next_line(p, end, &line, &llen);
		if (llen == 0)
			break;              /* end of the main section */
		if (line[0] == ' ') {
			if (in_value)
				sb_add(&val, line + 1, llen - 1);
			continue;
		}
		if (in_value)
			break;
		if (llen > nlen && line[nlen] == ':' && strncasecmp(line, name, nlen) == 0) {
			const char *v = line + nlen + 1;
			size_t vlen = llen - nlen - 1;
			if (vlen > 0 && *v == ' ') {
				v++;
				vlen--;
			}
			sb_add(&val, v, vlen);
			in_value = 1;
		}
	}
	if (!in_value) {
		sb_free(&val);
		return NULL;
	}
	char *s = sb_detach(&val);
	char *t = str_trim(s);
	char *r = xstrdup(t);
	free(s);
	return r;
}

int jar_inspect(const char *path, const char *class_entry, struct jar_info *out, char **cause)
{
	memset(out, 0, sizeof *out);
	struct archive *a = archive_read_new();
	if (!a)
		fatal("archive_read_new failed");
	archive_read_support_format_zip_streamable(a);
	int rc = -1;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		set_cause(cause, "%s: %s", path, strerror(errno));
		goto done;
	}
	if (archive_read_open_fd(a, fd, 65536) != ARCHIVE_OK) {
		const char *msg = archive_error_string(a);
		set_cause(cause, "%s: not a zip archive (%s)", path, msg ? msg : "unrecognized format");
		goto done;
	}
	struct archive_entry *e;
	struct strbuf man = STRBUF_INIT;
	int have_manifest = 0;
	for (;;) {
		int r = archive_read_next_header(a, &e);
		if (r == ARCHIVE_EOF)
			break;
		if (r != ARCHIVE_OK && r != ARCHIVE_WARN) {
			const char *msg = archive_error_string(a);
			if (out->entries == 0)
				set_cause(cause, "%s: not a zip archive (%s)", path, msg ? msg : "unrecognized format");
			else
				set_cause(cause, "%s: damaged archive after %zu entries: %s", path, out->entries,
				          msg ? msg : "read error");
			sb_free(&man);
			goto done;
		}
		out->entries++;
		const char *name = archive_entry_pathname(e);
		if (!name)
			name = "";
		if (class_entry && *class_entry && strcmp(name, class_entry) == 0)
			out->has_class = 1;
		if (!have_manifest && strcmp(name, MANIFEST) == 0) {
			have_manifest = 1;
			char buf[8192];
			for (;;) {
				la_ssize_t n = archive_read_data(a, buf, sizeof buf);
				if (n == 0)
					break;
				if (n < 0) {
					set_cause(cause, "%s: damaged archive in %s: %s", path, MANIFEST,
					          archive_error_string(a) ? archive_error_string(a) : "read error");
					sb_free(&man);
					goto done;
				}
				if (man.len < MANIFEST_MAX)
					sb_add(&man, buf, (size_t)n);
			}
			continue;
		}
		if (archive_read_data_skip(a) != ARCHIVE_OK) {
			set_cause(cause, "%s: damaged archive in %s: %s", path, name,
			          archive_error_string(a) ? archive_error_string(a) : "read error");
			sb_free(&man);
			goto done;
		}
	}
	if (out->entries == 0) {
		set_cause(cause, "%s: not a zip archive (no entries)", path);
		sb_free(&man);
		goto done;
	}
	if (have_manifest) {
		out->impl_version = jar_manifest_value(sb_str(&man), man.len, "Implementation-Version");
		out->bundle_version = jar_manifest_value(sb_str(&man), man.len, "Bundle-Version");
	}
	sb_free(&man);
	rc = 0;
done:
	archive_read_free(a);
	if (fd >= 0)
		close(fd);
	if (rc != 0)
		jar_info_free(out);
	return rc;
}

int jar_check(const char *path, const char *class_entry, const char *version_spec, char **version, char **cause)
{
	struct jar_info ji;
	if (version)
		*version = NULL;
	if (jar_inspect(path, class_entry, &ji, cause) < 0)
		return -1;
	const char *base = path_basename(path);
	int rc = -1;
	const char *v = ji.impl_version ? ji.impl_version : ji.bundle_version;
	if (version && v)
		*version = xstrdup(v);
	if (class_entry && *class_entry && !ji.has_class) {
		set_cause(cause, "%s not found in %s", class_entry, base);
		goto done;
	}
	if (version_spec && *version_spec) {
		if (!v) {
			set_cause(cause, "%s: no Implementation-Version or Bundle-Version in %s", base, MANIFEST);
			goto done;
		}
		int ok = version_check(v, version_spec);
		if (ok < 0) {
			set_cause(cause, "%s: cannot compare version \"%s\" with \"%s\"", base, v, version_spec);
			goto done;
		}
		if (!ok) {
			set_cause(cause, "%s is version %s, need %s", base, v, version_spec);
			goto done;
		}
	}
	rc = 0;
done:
	jar_info_free(&ji);
	return rc;
}
