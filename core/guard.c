/*
 * guard.c: the sandbox guard (see guard.h for the contract).
 *
 * Path resolution, in full: make the path absolute (cwd), then find its longest prefix that
 * realpath() accepts, peeling components off the end. The first peeled component may be a
 * dangling symlink (lstat sees it, realpath does not): its target is spliced in and the
 * whole resolution starts again (at most 40 times, the kernel's own limit). What is left
 * after the real prefix does not exist, so it is normalised lexically: "." dropped, ".."
 * pops the previous component, even one of the real prefix (whose parent is its real
 * parent, since the prefix is canonical). The result is compared with the canonical root
 * component-wise ("/sbx" does not contain "/sbx2").
 *
 * Considered and rejected: openat2(RESOLVE_BENEATH). It would make the check and the use
 * one atomic step, but every action would have to open through the guard, and libmysqlclient,
 * libarchive and child processes do their own opening. The guard is a seatbelt for a
 * training world that is ours alone, not a defence against a hostile process racing us.
 */
#include "core/guard.h"
#include "core/util.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

static char *g_root;            /* canonical root, or NULL when off */
static char *g_socket;          /* the one socket allowed, or NULL */
static atomic_uint g_refusals;

/* Lexical normalisation of an absolute path: caller frees. */
static char *normalise(const char *abs)
{
	size_t n = strlen(abs);
	char *out = xmalloc(n + 2);
	size_t len = 0;
	const char *p = abs;

	while (*p) {
		while (*p == '/')
			p++;
		if (!*p)
			break;
		const char *e = strchr(p, '/');
		size_t cl = e ? (size_t)(e - p) : strlen(p);
		if (cl == 1 && p[0] == '.') {
			/* nothing */
		} else if (cl == 2 && p[0] == '.' && p[1] == '.') {
			while (len > 0 && out[len - 1] != '/')
				len--;
			if (len > 0)
				len--;          /* the slash before it */
		} else {
			out[len++] = '/';
			memcpy(out + len, p, cl);
			len += cl;
		}
		p += cl;
	}
	if (len == 0)
		out[len++] = '/';
	out[len] = '\0';
	return out;
}

/* Absolute (not yet resolved) form of path: caller frees. */
static char *absolutise(const char *path)
{
	if (path[0] == '/')
		return xstrdup(path);
	char cwd[PATH_MAX];
	if (!getcwd(cwd, sizeof cwd))
		return NULL;
	return xasprintf("%s/%s", cwd, path);
}

/* The resolved form of path (see the top of the file), or NULL if it cannot be made
 * absolute or loops. Caller frees. */
static char *resolve(const char *path)
{
	char *abs = absolutise(path);
	if (!abs)
		return NULL;
	for (int hops = 0; hops < 40; hops++) {
		char *real = realpath(abs, NULL);
		if (real) {
			free(abs);
			return real;
		}
		/* Peel components off until a prefix resolves. */
		char *prefix = xstrdup(abs);
		size_t plen = strlen(prefix);
		while (plen > 1 && prefix[plen - 1] == '/')
			prefix[--plen] = '\0';
		char *tail_start = NULL;       /* position in abs where the peeled tail starts */
		char *real_prefix = NULL;
		for (;;) {
			char *slash = strrchr(prefix, '/');
			if (!slash) {
				real_prefix = xstrdup("/");
				tail_start = abs;
				break;
			}
			size_t cut = (size_t)(slash - prefix);
			tail_start = abs + cut + 1;
			*slash = '\0';
			real_prefix = realpath(cut ? prefix : "/", NULL);
			if (real_prefix)
				break;
			if (cut == 0) {
				real_prefix = xstrdup("/");
				break;
			}
		}
		free(prefix);
		while (*tail_start == '/')
			tail_start++;

		/* Is the first peeled component a dangling symlink? */
		const char *e = strchr(tail_start, '/');
		size_t cl = e ? (size_t)(e - tail_start) : strlen(tail_start);
		char *first = xasprintf("%s/%.*s", strcmp(real_prefix, "/") ? real_prefix : "", (int)cl, tail_start);
		struct stat st;
		if (cl > 0 && lstat(first, &st) == 0 && S_ISLNK(st.st_mode)) {
			char target[PATH_MAX];
			ssize_t tn = readlink(first, target, sizeof target - 1);
			if (tn < 0) {
				free(first);
				free(real_prefix);
				free(abs);
				return NULL;
			}
			target[tn] = '\0';
			const char *rest = e ? e : "";
			char *next = target[0] == '/' ? xasprintf("%s%s", target, rest)
			                             : xasprintf("%s/%s%s", real_prefix, target, rest);
			free(first);
			free(real_prefix);
			free(abs);
			abs = next;
			continue;
		}
		free(first);
		char *joined = xasprintf("%s/%s", real_prefix, tail_start);
		char *res = normalise(joined);
		free(joined);
		free(real_prefix);
		free(abs);
		return res;
	}
	free(abs);
	return NULL;
}

static int inside(const char *path, const char *root)
{
	size_t rl = strlen(root);
	if (strcmp(root, "/") == 0)
		return 1;
	return strncmp(path, root, rl) == 0 && (path[rl] == '\0' || path[rl] == '/');
}

void guard_enable(const char *root, const char *socket)
{
	free(g_root);
	free(g_socket);
	g_root = realpath(root, NULL);
	if (!g_root) {
		char *abs = absolutise(root);
		g_root = abs ? normalise(abs) : xstrdup(root);
		free(abs);
	}
	g_socket = socket ? xstrdup(socket) : NULL;
	atomic_store(&g_refusals, 0);
}

void guard_disable(void)
{
	free(g_root);
	free(g_socket);
	g_root = NULL;
	g_socket = NULL;
}

int guard_enabled(void)
{
	return g_root != NULL;
}

const char *guard_root(void)
{
	return g_root;
}

unsigned guard_refusals(void)
{
	return atomic_load(&g_refusals);
}

static int refuse(char **cause, const char *fmt, ...) PRINTF_LIKE(2, 3);
static int refuse(char **cause, const char *fmt, ...)
{
	atomic_fetch_add(&g_refusals, 1);
	if (cause) {
		va_list ap;
		va_start(ap, fmt);
		char *m = xvasprintf(fmt, ap);
		va_end(ap);
		free(*cause);
		*cause = m;
	}
	return -1;
}

int guard_path(const char *path, char **cause)
{
	if (!g_root)
		return 0;
	if (!path || !*path)
		return refuse(cause, "sandbox: refused an empty path");
	char *res = resolve(path);
	if (!res)
		return refuse(cause, "sandbox: refused to touch %s (cannot resolve it: %s)", path,
		              strerror(errno ? errno : ELOOP));
	if (inside(res, g_root)) {
		free(res);
		return 0;
	}
	char *abs = absolutise(path);
	char *plain = abs ? normalise(abs) : NULL;
	int same = plain && strcmp(plain, res) == 0;
	if (same)
		refuse(cause, "sandbox: refused to touch %s (outside %s)", path, g_root);
	else
		refuse(cause, "sandbox: refused to touch %s (resolves to %s, outside %s)", path, res, g_root);
	free(abs);
	free(plain);
	free(res);
	return -1;
}

static int same_socket(const char *a, const char *b)
{
	if (strcmp(a, b) == 0)
		return 1;
	char *ra = realpath(a, NULL), *rb = realpath(b, NULL);
	int same = ra && rb && strcmp(ra, rb) == 0;
	free(ra);
	free(rb);
	return same;
}

int guard_db(const char *host, unsigned port, const char *socket, char **cause)
{
	if (!g_root)
		return 0;
	if (host && *host && strcasecmp(host, "localhost") != 0)
		return refuse(cause, "sandbox: refused a database connection to %s:%u (only the sandbox socket is allowed)",
		              host, port);
	if (!g_socket)
		return refuse(cause, "sandbox: refused a database connection (this sandbox has no database)");
	if (!socket || !*socket)
		return refuse(cause, "sandbox: refused a TCP database connection to localhost:%u (only the socket %s is allowed)",
		              port, g_socket);
	if (!same_socket(socket, g_socket))
		return refuse(cause, "sandbox: refused a database connection through %s (only %s is allowed)",
		              socket, g_socket);
	return 0;
}

int guard_url(const char *url, char **cause)
{
	if (!g_root)
		return 0;
	if (!url)
		return refuse(cause, "sandbox: refused an empty URL");
	const char *p = strstr(url, "://");
	size_t sl = p ? (size_t)(p - url) : 0;
	if (!p || !((sl == 4 && strncasecmp(url, "http", 4) == 0) || (sl == 5 && strncasecmp(url, "https", 5) == 0)))
		return refuse(cause, "sandbox: refused %s (only http:// and https:// to this machine)", url);
	const char *auth = p + 3;
	size_t al = strcspn(auth, "/?#");
	char *a = xstrndup(auth, al);
	char *host = strrchr(a, '@');
	host = host ? host + 1 : a;
	if (*host == '[') {
		char *end = strchr(host, ']');
		if (!end) {
			free(a);
			return refuse(cause, "sandbox: refused %s (malformed host)", url);
		}
		host++;
		*end = '\0';
	} else {
		char *colon = strchr(host, ':');
		if (colon)
			*colon = '\0';
	}
	int ok = strcasecmp(host, "localhost") == 0 || strcmp(host, "127.0.0.1") == 0 || strcmp(host, "::1") == 0;
	if (!ok) {
		int r = refuse(cause, "sandbox: refused %s (host %s is not this machine)", url, host);
		free(a);
		return r;
	}
	free(a);
	return 0;
}
