/*
 * tarball.h: a folder into a .tar.gz and back, with libarchive.
 *
 * Why libarchive: correct tar (pax) and gzip, metadata (modes, times, owners, symlinks,
 * xattrs) and long names without hand-written format code; its disk reader walks the
 * tree and its disk writer has the "secure" extraction flags. Entries are stored
 * relative to the source folder's parent ("conf/linkis.properties"), so extracting under
 * a parent recreates the folder by name. The archive is written to OUT.partial, fsynced
 * and renamed; every chunk passes through fault_hit("tarball") (UPWIZ_FAULT=tarball:N).
 */
#ifndef UPWIZ_TARBALL_H
#define UPWIZ_TARBALL_H

struct tarball_result {
	char sha256[65];
	unsigned long long bytes;   /* size of the .tar.gz */
	unsigned files;             /* entries: files, folders (the top one included), symlinks */
};

/* 0, or -1 with cause (caller frees) and no file left at out_path(.partial). The archive is 0600 (config
 * folders hold passwords). out_path must not lie inside src_dir. Sockets and fifos are skipped. */
int tarball_create(const char *src_dir, const char *out_path, struct tarball_result *res, char **cause);
/* Reads every entry through to the end (gzip CRC included); *files (may be NULL) = entries. 0 or -1 + cause. */
int tarball_verify(const char *path, unsigned *files, char **cause);
/* Restores the folder under dest_parent (which must exist), keeping modes and times (and owners when run as
 * root). The whole archive is checked first: any absolute path or ".." component refuses it before anything is
 * written. Existing files are replaced; files that are not in the archive are left alone. 0 or -1 + cause. */
int tarball_extract(const char *path, const char *dest_parent, char **cause);

#endif
