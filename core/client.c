/*
 * client.c: a front end's end of the engine's socket (client.h, docs/PROTOCOL.md).
 *
 * The socket is a Unix SOCK_STREAM, close-on-exec (a front end that runs a pager or an
 * editor must not hand the engine's socket to it), connected blocking (a local connect
 * either succeeds at once or fails) and then switched to non-blocking, so that a caller's
 * poll loop owns all waiting.
 *
 * Reading. client_pump() reads in 64 KiB chunks and cuts lines. A line that lies whole in a
 * chunk is applied straight from the chunk (its newline overwritten with a NUL, so the tap gets
 * C text); only a line split across reads is copied into the carry buffer. A line that grows
 * past CLIENT_LINE_MAX (1 MiB, = VIEW_LINE_MAX) is dropped whole: the carry is emptied and the
 * rest is skipped up to the next newline, so one runaway event cannot take the client's memory.
 * One pump reads at most PUMP_BUDGET bytes and then returns 1 even if more is queued: an engine
 * that floods the log cannot starve the caller's loop (poll reports the socket readable again).
 * A trailing partial line at end of stream is incomplete and discarded. ECONNRESET is the
 * engine vanishing, i.e. end of stream (0), not an error.
 *
 * Writing. Messages are one json_dumpb() line each, written whole with send(MSG_NOSIGNAL) (a
 * vanished engine is EPIPE, never SIGPIPE); on EAGAIN the writer polls for POLLOUT in short
 * slices up to CLIENT_SEND_TIMEOUT_MS in all. Client messages are tiny, so EAGAIN means the
 * engine has stopped reading; incoming data is not read meanwhile, which is safe because the
 * engine's hub queues per client and does not block on us. An answer may be a secret: the
 * jansson string holding it and the serialized line are wiped before they are freed (the
 * caller wipes its own copy).
 */
#include "core/client.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "core/util.h"

#define CLIENT_LINE_MAX VIEW_LINE_MAX
#define CHUNK (64 * 1024)
#define PUMP_BUDGET (4 * CHUNK)
#define SEND_SLICE_MS 100

struct client {
	int fd;
	int eof;
	int dropping;             /* skipping the rest of an overlong line */
	char *chunk;              /* CHUNK + 1 bytes */
	char *carry;              /* an incomplete line from earlier reads */
	size_t carry_len, carry_cap;
	unsigned long long nlines;   /* complete lines seen (client_wait watches it move) */
	client_tap_fn tap;
	void *tap_ud;
};

struct client *client_from_fd(int fd)
{
	struct client *c = xcalloc(1, sizeof *c);
	c->fd = fd;
	int fl = fcntl(fd, F_GETFL);
	if (fl >= 0)
		fcntl(fd, F_SETFL, fl | O_NONBLOCK);
	fcntl(fd, F_SETFD, FD_CLOEXEC);
	c->chunk = xmalloc(CHUNK + 1);
	return c;
}

struct client *client_connect(const char *path, char **cause)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	if (!path || !*path) {
		set_cause(cause, "engine socket: no path");
		return NULL;
	}
	if (strlen(path) >= sizeof sa.sun_path) {
		set_cause(cause, "%s: path too long for a Unix socket (%zu bytes max)", path,
		          sizeof sa.sun_path - 1);
		return NULL;
	}
	memcpy(sa.sun_path, path, strlen(path) + 1);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		set_cause(cause, "socket: %s", strerror(errno));
		return NULL;
	}
	int r;
	do
		r = connect(fd, (struct sockaddr *)&sa, sizeof sa);
	while (r < 0 && errno == EINTR);
	if (r < 0) {
		set_cause(cause, "%s: %s%s", path, strerror(errno),
		          errno == ENOENT || errno == ECONNREFUSED ? " (is the engine running?)" : "");
		close(fd);
		return NULL;
	}
	return client_from_fd(fd);
}

int client_fd(const struct client *c) { return c->fd; }

void client_set_tap(struct client *c, client_tap_fn fn, void *ud)
{
	c->tap = fn;
	c->tap_ud = ud;
}

void client_get_tap(const struct client *c, client_tap_fn *fn, void **ud)
{
	if (fn)
		*fn = c->tap;
	if (ud)
		*ud = c->tap_ud;
}

/* line[len] is writable and becomes the NUL. */
static void deliver(struct client *c, struct view *v, char *line, size_t len)
{
	if (len && line[len - 1] == '\r')
		len--;
	line[len] = '\0';
	c->nlines++;
	if (len == 0)
		return;
	view_apply(v, line, len);
	if (c->tap)
		c->tap(c->tap_ud, line, len);
}

static void carry_add(struct client *c, const char *p, size_t n)
{
	if (c->dropping)
		return;
	if (c->carry_len + n > CLIENT_LINE_MAX) {
		c->carry_len = 0;
		c->dropping = 1;
		return;
	}
	if (c->carry_len + n + 1 > c->carry_cap) {
		size_t cap = c->carry_cap ? c->carry_cap : 4096;
		while (cap < c->carry_len + n + 1)
			cap *= 2;
		c->carry = xrealloc(c->carry, cap);
		c->carry_cap = cap;
	}
	memcpy(c->carry + c->carry_len, p, n);
	c->carry_len += n;
}

static void split(struct client *c, struct view *v, char *p, size_t n)
{
	while (n) {
		char *nl = memchr(p, '\n', n);
		if (!nl) {
			carry_add(c, p, n);
			return;
		}
		size_t len = (size_t)(nl - p);
		if (c->dropping) {
			c->dropping = 0;
			c->carry_len = 0;
		} else if (c->carry_len) {
			carry_add(c, p, len);
			if (!c->dropping)
				deliver(c, v, c->carry, c->carry_len);   /* carry_cap leaves room for the NUL */
			c->dropping = 0;
			c->carry_len = 0;
		} else if (len > CLIENT_LINE_MAX) {
			/* whole in the chunk but too long: dropped like a split one */
		} else {
			deliver(c, v, p, len);
		}
		p = nl + 1;
		n -= len + 1;
	}
}

int client_pump(struct client *c, struct view *v)
{
	if (c->eof)
		return 0;
	size_t budget = PUMP_BUDGET;
	while (budget) {
		ssize_t n = recv(c->fd, c->chunk, CHUNK, 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return 1;
			if (errno == ECONNRESET) {
				c->eof = 1;
				return 0;
			}
			return -1;
		}
		if (n == 0) {
			c->eof = 1;
			c->carry_len = 0;
			return 0;
		}
		split(c, v, c->chunk, (size_t)n);
		budget = (size_t)n >= budget ? 0 : budget - (size_t)n;
	}
	return 1;
}

int client_wait(struct client *c, struct view *v, int timeout_ms)
{
	uint64_t deadline = timeout_ms < 0 ? 0 : mono_ms() + (uint64_t)timeout_ms;
	unsigned long long seen = c->nlines;
	for (;;) {
		if (c->eof)
			return 0;
		int left = -1;
		if (timeout_ms >= 0) {
			uint64_t now = mono_ms();
			left = now >= deadline ? 0 : (int)(deadline - now);
		}
		struct pollfd pfd = {.fd = c->fd, .events = POLLIN};
		int r = poll(&pfd, 1, left);
		if (r < 0) {
			if (errno == EINTR)
				return 1;   /* a signal: let the caller's loop look at it */
			return -1;
		}
		if (r == 0)
			return 1;
		r = client_pump(c, v);
		if (r <= 0 || c->nlines != seen)
			return r;
		/* only part of a line came: wait for the rest */
	}
}

static int send_all(struct client *c, const char *p, size_t n)
{
	uint64_t deadline = mono_ms() + CLIENT_SEND_TIMEOUT_MS;
	while (n) {
		ssize_t w = send(c->fd, p, n, MSG_NOSIGNAL);
		if (w > 0) {
			p += w;
			n -= (size_t)w;
			continue;
		}
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			if (mono_ms() >= deadline)
				return -1;
			struct pollfd pfd = {.fd = c->fd, .events = POLLOUT};
			if (poll(&pfd, 1, SEND_SLICE_MS) < 0 && errno != EINTR)
				return -1;
			continue;
		}
		return -1;
	}
	return 0;
}

static void wipe_json_string(json_t *s)
{
	if (json_is_string(s))
		explicit_bzero((char *)json_string_value(s), json_string_length(s));
}

/* Serializes o as one line and sends it. json_dumpb() writes straight into our buffer (no
 * growing intermediate copies), so wiping that one buffer is enough when it holds a secret. */
static int send_obj(struct client *c, json_t *o, int wipe)
{
	size_t n = json_dumpb(o, NULL, 0, JSON_COMPACT);
	if (n == 0)
		return -1;   /* not serializable */
	char *line = xmalloc(n + 1);
	if (json_dumpb(o, line, n, JSON_COMPACT) != n) {
		free(line);
		return -1;
	}
	line[n] = '\n';   /* the message and its newline in one send */
	int r = send_all(c, line, n + 1);
	if (wipe)
		explicit_bzero(line, n + 1);
	free(line);
	return r;
}

int client_answer(struct client *c, const char *qid, const char *value)
{
	if (!qid || !value)
		return -1;
	json_t *jq = json_string(qid), *jv = json_string(value);   /* NULL: not UTF-8 */
	if (!jq || !jv) {
		wipe_json_string(jv);
		json_decref(jq);
		json_decref(jv);
		return -1;
	}
	json_t *o = json_object();
	json_object_set_new(o, "t", json_string("answer"));
	json_object_set_new(o, "qid", jq);
	json_object_set(o, "value", jv);   /* keep our reference to wipe it afterwards */
	int r = send_obj(c, o, 1);
	wipe_json_string(jv);
	json_decref(jv);
	json_decref(o);
	return r;
}

int client_cmd(struct client *c, const char *cmd)
{
	json_t *jc = cmd ? json_string(cmd) : NULL;
	if (!jc)
		return -1;
	json_t *o = json_object();
	json_object_set_new(o, "t", json_string("cmd"));
	json_object_set_new(o, "cmd", jc);
	int r = send_obj(c, o, 0);
	json_decref(o);
	return r;
}

void client_free(struct client *c)
{
	if (!c)
		return;
	if (c->fd >= 0)
		close(c->fd);
	free(c->chunk);
	free(c->carry);
	free(c);
}
