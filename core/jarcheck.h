/*
 * jarcheck.h: structural checks of a Java archive before it is installed.
 *
 * A jar dropped into a service's lib folder is loaded by every JVM that starts there; a
 * truncated download, an HTML error page saved as .jar, or the 5.1 connector where 8.x is
 * needed all surface much later as a ClassNotFoundException in a service log. So the copy step
 * opens the archive first (libarchive, zip format only): every entry header must read, the
 * expected class must be there, and the main section of META-INF/MANIFEST.MF must carry an
 * Implementation-Version (or, failing that, a Bundle-Version) that satisfies the profile's
 * version spec (version_check, ">= 8").
 */
#ifndef UPWIZ_JARCHECK_H
#define UPWIZ_JARCHECK_H

#include <stddef.h>

struct jar_info {
	size_t entries;                 /* entries read */
	int has_class;                  /* the class asked for is there */
	char *impl_version;             /* Implementation-Version of the manifest's main section, or NULL */
	char *bundle_version;           /* Bundle-Version, or NULL */
};

/* Reads the whole archive. class_entry ("com/mysql/cj/jdbc/Driver.class") may be NULL. Returns 0
 * with *out filled (release with jar_info_free), or -1 with *cause (caller frees): "x.jar: not
 * a zip archive (...)", "x.jar: damaged archive: ...". */
int jar_inspect(const char *path, const char *class_entry, struct jar_info *out, char **cause);
void jar_info_free(struct jar_info *ji);

/* jar_inspect plus the verdict: class_entry (NULL/"" : not checked) present, and the version
 * (Implementation-Version, else Bundle-Version) satisfying version_spec (NULL/"": not checked).
 * Returns 0 when it passes; -1 with *cause naming the first problem ("com/mysql/cj/jdbc/Driver.class
 * not found in x.jar", "x.jar is version 5.1.49, need >= 8", "x.jar: no Implementation-Version or
 * Bundle-Version in META-INF/MANIFEST.MF"). *version (may be NULL; caller frees) receives the
 * version found, also on failure. */
int jar_check(const char *path, const char *class_entry, const char *version_spec, char **version, char **cause);

/* The value of `name` in the main section of a manifest (continuation lines joined), or NULL.
 * Caller frees. Exposed for the tests. */
char *jar_manifest_value(const char *manifest, size_t len, const char *name);

#endif
