/*
 * guard.h: the sandbox guard. In sandbox mode nothing real is touched.
 *
 * One process-wide switch. A front end that runs a world calls guard_enable() once, before
 * any worker thread starts; from then on every action asks the guard before it touches a
 * path, opens a database connection or fetches a URL, and a refusal is an ordinary
 * recoverable error ("sandbox: refused to touch /etc/passwd (outside /tmp/upwiz-sbx-XXXX)").
 *
 * The root and socket are written once and only read afterwards, so the checks need no lock;
 * the refusal counter is atomic. With the guard off every check allows.
 *
 * Paths are judged after resolution, not by their spelling: the longest existing prefix goes
 * through realpath() (so a symlink inside the root that points out is caught), a dangling
 * symlink is followed by hand, and the part that does not exist yet is normalised lexically
 * ("a/../../x" climbing out of the root is caught too).
 */
#ifndef UPWIZ_GUARD_H
#define UPWIZ_GUARD_H

/* Turns the guard on: every path must resolve inside root; every database connection must
 * use `socket` (NULL: no database connection at all is allowed). Both are copied. Call once,
 * before threads start; calling again replaces them (tests only). */
void guard_enable(const char *root, const char *socket);
/* Turns the guard off again and forgets the root (tests only). */
void guard_disable(void);
int guard_enabled(void);
/* The sandbox root as resolved by realpath, or NULL when off. Borrowed. */
const char *guard_root(void);

/* 0 when allowed (guard off, or the path resolves inside the root, the root itself included).
 * -1 with *cause (caller frees) otherwise; every refusal is counted. */
int guard_path(const char *path, char **cause);
/* 0 when allowed: guard off, or the connection goes through exactly the sandbox socket with
 * host NULL, "" or "localhost" (a host/port TCP connection is refused). */
int guard_db(const char *host, unsigned port, const char *socket, char **cause);
/* 0 when allowed: guard off, or an http/https URL whose host is localhost, 127.0.0.1 or ::1. */
int guard_url(const char *url, char **cause);
/* How many refusals since the start (or since the last guard_enable). */
unsigned guard_refusals(void);

#endif
