/*
 * util.c: allocation that dies through one hook, strings, files written atomically,
 * clocks, and the fault-injection seam. Only libc: the lean front `upwiz` links this file
 * (SHA-256, which needs libcrypto, is in core/sha256.c).
 *
 * write_file_atomic is the one place that knows how to replace a file so a crash
 * leaves either the old or the new content, never a mix: temp file beside the target,
 * fsync, rename, fsync the folder. Every file effect in core/ goes through it or copy_file.
 */
#include "core/util.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <fcntl.h>
#include <ftw.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static void (*fatal_hook)(void);

void fatal_set_hook(void (*hook)(void)) { fatal_hook = hook; }

noreturn void fatal(const char *fmt, ...)
{
	va_list ap;
	if (fatal_hook) {
		void (*h)(void) = fatal_hook;
		fatal_hook = NULL;
		h();
	}
	fputs("upwiz: fatal: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		fatal("out of memory (%zu bytes)", n);
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		fatal("out of memory (%zu x %zu bytes)", n, size);
	return p;
}

void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		fatal("out of memory (%zu bytes)", n);
	return q;
}

void *xreallocarray(void *p, size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		fatal("allocation overflow (%zu x %zu)", n, size);
	return xrealloc(p, n * size);
}

char *xstrdup(const char *s)
{
	if (!s)
		return NULL;
	char *p = strdup(s);
	if (!p)
		fatal("out of memory");
	return p;
}

char *xstrndup(const char *s, size_t n)
{
	char *p = strndup(s, n);
	if (!p)
		fatal("out of memory");
	return p;
}

char *xvasprintf(const char *fmt, va_list ap)
{
	char *s;
	if (vasprintf(&s, fmt, ap) < 0)
		fatal("out of memory");
	return s;
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = xvasprintf(fmt, ap);
	va_end(ap);
	return s;
}

void set_cause(char **cause, const char *fmt, ...)
{
	if (!cause)
		return;
	va_list ap;
	va_start(ap, fmt);
	char *s = xvasprintf(fmt, ap);
	va_end(ap);
	free(*cause);
	*cause = s;
}

/* ---- strbuf */

static void sb_grow(struct strbuf *sb, size_t extra)
{
	if (sb->len + extra + 1 <= sb->cap)
		return;
	size_t cap = sb->cap ? sb->cap : 64;
	while (cap < sb->len + extra + 1)
		cap *= 2;
	sb->s = xrealloc(sb->s, cap);
	sb->cap = cap;
}

void sb_add(struct strbuf *sb, const void *p, size_t n)
{
	sb_grow(sb, n);
	if (n)
		memcpy(sb->s + sb->len, p, n);
	sb->len += n;
	sb->s[sb->len] = '\0';
}

void sb_adds(struct strbuf *sb, const char *s) { sb_add(sb, s, strlen(s)); }

void sb_addc(struct strbuf *sb, char c) { sb_add(sb, &c, 1); }

void utf8_put(struct strbuf *sb, uint32_t cp)
{
	char u[4];
	size_t l;
	if (cp < 0x80)
		u[0] = (char)cp, l = 1;
	else if (cp < 0x800)
		u[0] = (char)(0xc0 | cp >> 6), u[1] = (char)(0x80 | (cp & 0x3f)), l = 2;
	else if (cp < 0x10000)
		u[0] = (char)(0xe0 | cp >> 12), u[1] = (char)(0x80 | ((cp >> 6) & 0x3f)), u[2] = (char)(0x80 | (cp & 0x3f)), l = 3;
	else
		u[0] = (char)(0xf0 | cp >> 18), u[1] = (char)(0x80 | ((cp >> 12) & 0x3f)),
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3f)), u[3] = (char)(0x80 | (cp & 0x3f)), l = 4;
	sb_add(sb, u, l);
}

void sb_addf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = xvasprintf(fmt, ap);
	va_end(ap);
	sb_adds(sb, s);
	free(s);
}

void sb_reset(struct strbuf *sb)
{
	sb->len = 0;
	if (sb->s)
		sb->s[0] = '\0';
}

char *sb_detach(struct strbuf *sb)
{
	char *s = sb->s ? sb->s : xstrdup("");
	sb->s = NULL;
	sb->len = sb->cap = 0;
	return s;
}

void sb_free(struct strbuf *sb)
{
	free(sb->s);
	sb->s = NULL;
	sb->len = sb->cap = 0;
}

const char *sb_str(const struct strbuf *sb) { return sb->s ? sb->s : ""; }

/* ---- strvec */

void sv_push_owned(struct strvec *sv, char *s)
{
	if (sv->n + 1 >= sv->cap) {
		sv->cap = sv->cap ? sv->cap * 2 : 8;
		sv->v = xreallocarray(sv->v, sv->cap, sizeof *sv->v);
	}
	sv->v[sv->n++] = s;
	sv->v[sv->n] = NULL;
}

void sv_push(struct strvec *sv, const char *s) { sv_push_owned(sv, xstrdup(s)); }

void sv_free(struct strvec *sv)
{
	for (size_t i = 0; i < sv->n; i++)
		free(sv->v[i]);
	free(sv->v);
	sv->v = NULL;
	sv->n = sv->cap = 0;
}

/* ---- files */

char *read_file(const char *path, size_t *len, char **cause)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		set_cause(cause, "%s: %s", path, strerror(errno));
		return NULL;
	}
	struct strbuf sb = STRBUF_INIT;
	char buf[65536];
	for (;;) {
		ssize_t n = read(fd, buf, sizeof buf);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			set_cause(cause, "%s: %s", path, strerror(errno));
			close(fd);
			sb_free(&sb);
			return NULL;
		}
		if (n == 0)
			break;
		sb_add(&sb, buf, (size_t)n);
	}
	close(fd);
	if (len)
		*len = sb.len;
	return sb_detach(&sb);
}

int fsync_dir_of(const char *path)
{
	char *dir = path_dirname(path);
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	free(dir);
	if (fd < 0)
		return -1;
	int rc = fsync(fd);
	close(fd);
	return rc;
}

static int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	while (len) {
		int f = fault_hit("write");
		if (f) {
			errno = f;
			return -1;
		}
		ssize_t n = write(fd, p, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int write_file_atomic(const char *path, const void *buf, size_t len, mode_t mode, char **cause)
{
	char *tmp = xasprintf("%s.tmp.%ld", path, (long)getpid());
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (fd < 0) {
		set_cause(cause, "%s: %s", tmp, strerror(errno));
		free(tmp);
		return -1;
	}
	if (write_all(fd, buf, len) < 0 || fsync(fd) < 0) {
		set_cause(cause, "%s: %s", tmp, strerror(errno));
		close(fd);
		unlink(tmp);
		free(tmp);
		return -1;
	}
	fchmod(fd, mode);
	close(fd);
	if (rename(tmp, path) < 0) {
		set_cause(cause, "rename %s -> %s: %s", tmp, path, strerror(errno));
		unlink(tmp);
		free(tmp);
		return -1;
	}
	free(tmp);
	fsync_dir_of(path);
	return 0;
}

int copy_file(const char *from, const char *to, mode_t mode, char **cause)
{
	int in = open(from, O_RDONLY | O_CLOEXEC);
	if (in < 0) {
		set_cause(cause, "%s: %s", from, strerror(errno));
		return -1;
	}
	char *tmp = xasprintf("%s.tmp.%ld", to, (long)getpid());
	int out = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (out < 0) {
		set_cause(cause, "%s: %s", tmp, strerror(errno));
		close(in);
		free(tmp);
		return -1;
	}
	char buf[65536];
	for (;;) {
		ssize_t n = read(in, buf, sizeof buf);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 || (n > 0 && write_all(out, buf, (size_t)n) < 0)) {
			set_cause(cause, "copy %s -> %s: %s", from, to, strerror(errno));
			goto fail;
		}
		if (n == 0)
			break;
	}
	if (fsync(out) < 0) {
		set_cause(cause, "%s: %s", tmp, strerror(errno));
		goto fail;
	}
	close(in);
	close(out);
	if (rename(tmp, to) < 0) {
		set_cause(cause, "rename %s -> %s: %s", tmp, to, strerror(errno));
		unlink(tmp);
		free(tmp);
		return -1;
	}
	free(tmp);
	fsync_dir_of(to);
	return 0;
fail:
	close(in);
	close(out);
	unlink(tmp);
	free(tmp);
	return -1;
}

int mkdir_p(const char *path, mode_t mode, char **cause)
{
	char *p = xstrdup(path);
	for (char *s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, mode) < 0 && errno != EEXIST) {
			set_cause(cause, "mkdir %s: %s", p, strerror(errno));
			free(p);
			return -1;
		}
		*s = '/';
	}
	if (mkdir(p, mode) < 0 && errno != EEXIST) {
		set_cause(cause, "mkdir %s: %s", p, strerror(errno));
		free(p);
		return -1;
	}
	free(p);
	return 0;
}

static int rm_one(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return remove(p);
}

int rm_rf(const char *path)
{
	if (!path_exists(path))
		return 0;
	return nftw(path, rm_one, 32, FTW_DEPTH | FTW_PHYS);
}

int path_exists(const char *path)
{
	struct stat st;
	return lstat(path, &st) == 0;
}

int is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

char *path_join(const char *a, const char *b)
{
	if (!a || !*a || b[0] == '/')
		return xstrdup(b);
	size_t la = strlen(a);
	return xasprintf("%s%s%s", a, a[la - 1] == '/' ? "" : "/", b);
}

char *path_dirname(const char *p)
{
	char *c = xstrdup(p);
	char *d = xstrdup(dirname(c));
	free(c);
	return d;
}

const char *path_basename(const char *p)
{
	const char *s = strrchr(p, '/');
	return s ? s + 1 : p;
}

/* ---- time */

uint64_t mono_ms(void) { return mono_us() / 1000; }

uint64_t mono_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

double wall_time(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

char *secs_text(double s)
{
	if (s < 0)
		s = 0;
	if (s < 60)
		return xasprintf("%.1f s", s);
	return xasprintf("%d min %02d s", (int)(s / 60), (int)s % 60);
}

const char *boot_id(void)
{
	static char id[40];
	static int done;
	if (!done) {
		FILE *f = fopen("/proc/sys/kernel/random/boot_id", "re");
		if (f) {
			if (!fgets(id, sizeof id, f))
				id[0] = '\0';
			fclose(f);
		}
		id[strcspn(id, "\n")] = '\0';
		done = 1;
	}
	return id;
}

char *iso_time(double t)
{
	time_t s = (time_t)t;
	struct tm tm;
	gmtime_r(&s, &tm);
	char buf[32];
	strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return xstrdup(buf);
}

/* ---- strings */

int str_starts(const char *s, const char *prefix) { return strncmp(s, prefix, strlen(prefix)) == 0; }

int str_ends(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);
	return a >= b && memcmp(s + a - b, suffix, b) == 0;
}

char *str_trim(char *s)
{
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r'))
		s[--n] = '\0';
	return s;
}

void str_squeeze(char *s)
{
	char *o = s;
	for (const char *p = s; *p;) {
		if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') {
			while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
				p++;
			if (o != s && *p)
				*o++ = ' ';
		} else
			*o++ = *p++;
	}
	*o = '\0';
}

int str_is_int(const char *s)
{
	if (*s == '-' || *s == '+')
		s++;
	if (!*s)
		return 0;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

int str_port(const char *s)
{
	long p = 0;
	if (!*s)
		return 0;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || (p = p * 10 + (*s - '0')) > 65535)
			return 0;
	}
	return (int)p;
}

/* ---- fault injection */

static int inited;
static char fsite[64];
static long after, count;
static int ferr = ENOSPC, fkill, fstop;

void fault_reset(void)
{
	inited = 0;
	fsite[0] = '\0';
	after = count = 0;
	ferr = ENOSPC;
	fkill = fstop = 0;
}

static struct fault_hook {
	char site[64];
	long n, count;
	void (*fn)(const char *site, void *ud);
	void *ud;
} g_hooks[8];
static size_t g_nhooks;

void fault_on(const char *site, long n, void (*fn)(const char *site, void *ud), void *ud)
{
	if (g_nhooks >= ARRAY_LEN(g_hooks) || strlen(site) >= sizeof g_hooks[0].site)
		return;
	struct fault_hook *h = &g_hooks[g_nhooks++];
	snprintf(h->site, sizeof h->site, "%s", site);
	h->n = n > 0 ? n : 1;
	h->count = 0;
	h->fn = fn;
	h->ud = ud;
}

void fault_hooks_clear(void)
{
	memset(g_hooks, 0, sizeof g_hooks);
	g_nhooks = 0;
}

int fault_hit(const char *site)
{
	for (size_t i = 0; i < g_nhooks; i++)
		if (strcmp(g_hooks[i].site, site) == 0 && ++g_hooks[i].count == g_hooks[i].n)
			g_hooks[i].fn(site, g_hooks[i].ud);
	if (!inited) {
		inited = 1;
		const char *e = getenv("UPWIZ_FAULT");
		if (e) {
			const char *c = strchr(e, ':');
			if (c && (size_t)(c - e) < sizeof fsite) {
				memcpy(fsite, e, (size_t)(c - e));
				after = strtol(c + 1, NULL, 10);
				const char *c2 = strchr(c + 1, ':');
				if (c2 && strcmp(c2 + 1, "kill") == 0)
					fkill = 1;
				else if (c2 && strcmp(c2 + 1, "stop") == 0)
					fstop = 1;
				else if (c2)
					ferr = (int)strtol(c2 + 1, NULL, 10);
			}
		}
	}
	if (!fsite[0] || strcmp(site, fsite) != 0)
		return 0;
	if (++count < after)
		return 0;
	if (fkill)   /* a crash at exactly this point: no handler, no flush, no atexit */
		raise(SIGKILL);
	if (fstop) {   /* once: the test does something (kills the server) and sends SIGCONT */
		if (count == after)
			raise(SIGSTOP);
		return 0;
	}
	return ferr;
}

void fault_delay(const char *site)
{
	const char *e = getenv("UPWIZ_DELAY");
	size_t n = strlen(site);
	while (e && *e) {
		if (strncmp(e, site, n) == 0 && e[n] == ':') {
			long ms = strtol(e + n + 1, NULL, 10);
			if (ms > 0 && ms <= 600000)
				usleep((useconds_t)ms * 1000);
			return;
		}
		e = strchr(e, ',');
		if (e)
			e++;
	}
}
