/*
 * util.h: the small pieces every room of upwiz uses.
 *
 * Two tiers of errors (STYLE.md): running out of memory or breaking an invariant
 * goes through fatal(), which calls the hook a front end registered (the TUI points
 * it at endwin()) and aborts; everything recoverable returns -1 (or NULL) and hands
 * back a message in `char **cause` that the CALLER FREES. Nothing in core/ prints
 * or calls exit().
 */
#ifndef UPWIZ_UTIL_H
#define UPWIZ_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdnoreturn.h>
#include <sys/types.h>

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))

/* Called once, before abort(), by fatal(). Restores the terminal. */
void fatal_set_hook(void (*hook)(void));
noreturn void fatal(const char *fmt, ...) PRINTF_LIKE(1, 2);

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
void *xreallocarray(void *p, size_t n, size_t size);
char *xstrdup(const char *s);                /* xstrdup(NULL) == NULL */
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) PRINTF_LIKE(1, 2);   /* caller frees */
char *xvasprintf(const char *fmt, va_list ap);

/* Sets *cause (if cause is non-NULL) to a formatted message; frees an older one. */
void set_cause(char **cause, const char *fmt, ...) PRINTF_LIKE(2, 3);

/* A growable byte string, always NUL-terminated. */
struct strbuf {
	char *s;
	size_t len, cap;
};
#define STRBUF_INIT {NULL, 0, 0}
void sb_add(struct strbuf *sb, const void *p, size_t n);
void sb_adds(struct strbuf *sb, const char *s);
void sb_addc(struct strbuf *sb, char c);
void sb_addf(struct strbuf *sb, const char *fmt, ...) PRINTF_LIKE(2, 3);
void sb_reset(struct strbuf *sb);
char *sb_detach(struct strbuf *sb);          /* caller frees; sb is empty after */
void sb_free(struct strbuf *sb);
const char *sb_str(const struct strbuf *sb); /* "" when empty; borrowed */
/* Appends code point cp as UTF-8 (1 to 4 bytes). It does not check cp: a surrogate is written
 * as its 3-byte form, and anything from 0x10000 up as 4 bytes (above 0x1fffff the lead byte's
 * high bits are lost); callers that can meet such values map them first (U+FFFD, a space). */
void utf8_put(struct strbuf *sb, uint32_t cp);

/* A list of owned strings. */
struct strvec {
	char **v;
	size_t n, cap;
};
#define STRVEC_INIT {NULL, 0, 0}
void sv_push(struct strvec *sv, const char *s);      /* copies s */
void sv_push_owned(struct strvec *sv, char *s);      /* takes s */
void sv_free(struct strvec *sv);

/* Files. read_file: caller frees, result NUL-terminated, *len without the NUL. */
char *read_file(const char *path, size_t *len, char **cause);
/* Writes to PATH.tmp.PID, fsyncs, renames over PATH, fsyncs the folder. */
int write_file_atomic(const char *path, const void *buf, size_t len, mode_t mode, char **cause);
int mkdir_p(const char *path, mode_t mode, char **cause);
int fsync_dir_of(const char *path);
int copy_file(const char *from, const char *to, mode_t mode, char **cause); /* atomic at `to` */
int rm_rf(const char *path);
int path_exists(const char *path);
int is_dir(const char *path);
char *path_join(const char *a, const char *b);      /* caller frees */
char *path_dirname(const char *p);                  /* caller frees */
const char *path_basename(const char *p);           /* borrowed, points into p */

/* SHA-256 through OpenSSL's libcrypto (EVP), in core/sha256.c: hex is 64 chars + NUL. */
void sha256_hex(const void *buf, size_t len, char hex[65]);
void sha256_digest_hex(const unsigned char md[32], char hex[65]);   /* a finished digest, as sha256_hex writes it */
int sha256_file(const char *path, char hex[65], char **cause);

/* Time. */
uint64_t mono_ms(void);             /* monotonic clock */
uint64_t mono_us(void);             /* the same, in microseconds */
double wall_time(void);             /* seconds since the epoch, with fractions */
char *secs_text(double s);          /* "4.2 s", "3 min 07 s"; malloc'd */
/* This boot of the machine (/proc/sys/kernel/random/boot_id, "" when unreadable); static storage.
 * A journal line written in this boot is in the page cache even if never fsync'd: only a reboot
 * (power cut, kernel crash) can have lost it. */
const char *boot_id(void);
char *iso_time(double t);           /* "2026-11-23T01:02:03Z", caller frees */

/* Strings. */
int str_starts(const char *s, const char *prefix);
int str_ends(const char *s, const char *suffix);
char *str_trim(char *s);            /* in place; returns s advanced past leading space */
void str_squeeze(char *s);          /* in place: runs of blanks become one space, none at the ends */
int str_is_int(const char *s);
int str_port(const char *s);         /* the TCP port s names (digits only, 1-65535), or 0 */

/*
 * Fault injection seam (SQLite's test_malloc.c idea, for files instead of malloc).
 * UPWIZ_FAULT="site:N[:errno]" makes the Nth call of fault_hit("site") (1-based) and
 * every later one return the errno (default ENOSPC). Off (one getenv) when unset.
 */
/* "site:N:kill" instead makes the Nth call raise SIGKILL (the process dies right there: crash tests);
 * "site:N:stop" makes the Nth call raise SIGSTOP once and then go on (the test acts, then SIGCONTs).
 * Sites: write, dump, tarball, http_write, and in the SQL apply stmt_begin (journaled, not sent),
 * stmt_queued (the next statement's stmt_next written too, this one not sent), stmt_sent (the
 * server answered, stmt_done not journaled) and stmt_done (journaled). */
int fault_hit(const char *site);
/* UPWIZ_DELAY="site:ms[,site:ms]..." makes fault_delay("site") sleep ms milliseconds (tests make a
 * step slow on purpose, e.g. to hang up the UI in the middle of it). Off (one getenv) when unset. */
void fault_delay(const char *site);
/*
 * Addition: action faults (sandbox scenarios). The nth call of fault_hit(site) (1-based) first
 * calls fn(site, ud) once (e.g. kill the database, hang up the UI), then goes on as usual.
 * At most 8 hooks; set them before worker threads start. fault_hooks_clear() forgets them all.
 * Sites: "dump" (each 16 KiB of the dump read back), "tarball" (each chunk written),
 * "http_write", "sql_stmt" (each statement the SQL apply step is about to send), "step:ID" (a
 * step about to run).
 */
void fault_on(const char *site, long n, void (*fn)(const char *site, void *ud), void *ud);
void fault_hooks_clear(void);
/* Addition: forget the UPWIZ_FAULT read so far; the next fault_hit reads it again (a scenario sets it late). */
void fault_reset(void);

#endif
