/*
 * httpsim.c: the loopback HTTP server behind `upwiz sim-http` (format and contract in httpsim.h).
 *
 * Shape: one poll() loop over the listening sockets, a self-pipe that the signal handler
 * writes to, and the client connections. Each connection owns an input buffer (bounded) and
 * an output buffer; complete requests are answered in order as soon as they are in the
 * input buffer (pipelining for free), and we stop reading from a client whose output has
 * not drained. The timeout of poll() is the nearest idle deadline, so an idle server sleeps.
 *
 * Routes are loaded once; files they name (body_file, in_file) are read on every request,
 * which is how the world's scripts change what a service answers without restarting it
 * (a registry whose instance list follows the services that really run, a gateway that
 * knows the tokens the database held when it started).
 *
 * Rejected: libmicrohttpd (one more dependency for a few hundred lines) and a thread per
 * connection (a sim serves a handful of checks; one thread keeps shutdown trivial).
 */
#include "core/httpsim.h"
#include "core/util.h"
#include "core/ytree.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_REQUEST (64 * 1024)
#define MAX_OUT_BEFORE_READ (1024 * 1024)
#define IDLE_MS 30000
#define MAX_CONNS 512

enum cond_kind { C_EQUALS, C_CONTAINS, C_IN_FILE, C_PRESENT };

struct cond {
	char *header;
	enum cond_kind kind;
	char *arg;              /* C_IN_FILE: absolute file name */
};

struct answer {
	int status;
	char *content_type;
	char *body;
	char *body_file;        /* absolute */
	struct strvec headers;  /* "Name: value" */
};

struct route {
	char *method;           /* upper case; "ANY" */
	char *path;
	int prefix;
	struct cond *when, *req;
	size_t nwhen, nreq;
	struct answer ok, alt;
	int has_alt;
};

struct routes {
	char *file, *dir;
	struct route *v;
	size_t n;
	struct answer def;
	int has_def;
	char *on_start, *on_bind_error;
};

struct listener {
	int fd;
	unsigned port;
	struct routes routes;
};

struct conn {
	int fd;
	struct listener *l;
	struct strbuf in, out;
	size_t out_off;
	int closing;            /* close once out is written */
	uint64_t last_ms;
};

struct header {
	const char *name, *value;
};

struct request {
	char *method, *target, *path, *version;
	struct header *h;
	size_t nh;
	const char *body;
	size_t body_len;
};

/* ---------------------------------------------------------------- routes */

static char *rel_to(const char *dir, const char *name)
{
	return name[0] == '/' ? xstrdup(name) : path_join(dir, name);
}

static void answer_free(struct answer *a)
{
	free(a->content_type);
	free(a->body);
	free(a->body_file);
	sv_free(&a->headers);
}

static void routes_free(struct routes *r)
{
	for (size_t i = 0; i < r->n; i++) {
		struct route *rt = &r->v[i];
		free(rt->method);
		free(rt->path);
		for (size_t j = 0; j < rt->nwhen; j++) {
			free(rt->when[j].header);
			free(rt->when[j].arg);
		}
		for (size_t j = 0; j < rt->nreq; j++) {
			free(rt->req[j].header);
			free(rt->req[j].arg);
		}
		free(rt->when);
		free(rt->req);
		answer_free(&rt->ok);
		answer_free(&rt->alt);
	}
	free(r->v);
	answer_free(&r->def);
	free(r->on_start);
	free(r->on_bind_error);
	free(r->file);
	free(r->dir);
	memset(r, 0, sizeof *r);
}

static void load_conds(struct yerrs *e, const struct routes *r, const struct ynode *map, const char *what,
                       struct cond **out, size_t *nout)
{
	if (!map)
		return;
	if (map->type != Y_MAP) {
		yerr(e, map, "'%s' must be a mapping of header names to conditions", what);
		return;
	}
	*out = xcalloc(map->n ? map->n : 1, sizeof **out);
	for (size_t i = 0; i < map->n; i++) {
		struct cond *c = &(*out)[(*nout)++];
		const struct ynode *v = map->items[i];
		c->header = xstrdup(map->keys[i]->value);
		if (v->type == Y_SCALAR) {
			c->kind = C_EQUALS;
			c->arg = xstrdup(v->value);
			continue;
		}
		if (v->type != Y_MAP || v->n != 1) {
			yerr(e, v, "condition on '%s' must be a string or one of {equals, contains, in_file, present}",
			     c->header);
			c->kind = C_PRESENT;
			continue;
		}
		const char *k = v->keys[0]->value;
		const struct ynode *a = v->items[0];
		if (a->type != Y_SCALAR) {
			yerr(e, a, "'%s' takes text", k);
			c->kind = C_PRESENT;
			continue;
		}
		if (!strcmp(k, "equals")) {
			c->kind = C_EQUALS;
			c->arg = xstrdup(a->value);
		} else if (!strcmp(k, "contains")) {
			c->kind = C_CONTAINS;
			c->arg = xstrdup(a->value);
		} else if (!strcmp(k, "in_file")) {
			c->kind = C_IN_FILE;
			c->arg = rel_to(r->dir, a->value);
		} else if (!strcmp(k, "present")) {
			int b = 1;
			if (yscalar_bool(a, &b) < 0 || !b)
				yerr(e, a, "'present' takes yes");
			c->kind = C_PRESENT;
		} else {
			yerr(e, v->keys[0], "unknown condition '%s' (known: equals, contains, in_file, present)", k);
			c->kind = C_PRESENT;
		}
	}
}

static void load_answer(struct yerrs *e, const struct routes *r, const struct ynode *m, const char *prefix,
                        struct answer *a, int def_status, const char *def_ctype)
{
	char key[64];
	snprintf(key, sizeof key, "%sstatus", prefix);
	a->status = yget_int(e, m, key, def_status);
	if (a->status < 100 || a->status > 599) {
		yerr(e, ymap_get(m, key), "'%s' must be an HTTP status (100-599)", key);
		a->status = 500;
	}
	snprintf(key, sizeof key, "%scontent_type", prefix);
	a->content_type = yget_str(e, m, key, 0);
	if (!a->content_type)
		a->content_type = xstrdup(def_ctype ? def_ctype : "text/plain; charset=utf-8");
	snprintf(key, sizeof key, "%sbody", prefix);
	a->body = yget_str(e, m, key, 0);
	snprintf(key, sizeof key, "%sbody_file", prefix);
	char *bf = yget_str(e, m, key, 0);
	if (bf) {
		if (a->body)
			yerr(e, ymap_get(m, key), "give %sbody or %sbody_file, not both", prefix, prefix);
		a->body_file = rel_to(r->dir, bf);
		free(bf);
	}
	if (!*prefix) {
		const struct ynode *h = ymap_get(m, "headers");
		if (h && h->type != Y_MAP)
			yerr(e, h, "'headers' must be a mapping");
		for (size_t i = 0; h && h->type == Y_MAP && i < h->n; i++) {
			if (h->items[i]->type != Y_SCALAR || strpbrk(h->keys[i]->value, "\r\n:") ||
			    strpbrk(h->items[i]->value, "\r\n")) {
				yerr(e, h->items[i], "bad response header '%s'", h->keys[i]->value);
				continue;
			}
			sv_push_owned(&a->headers, xasprintf("%s: %s", h->keys[i]->value, h->items[i]->value));
		}
	}
}

static int routes_load(const char *file, struct routes *r, char **cause)
{
	struct ydoc doc;
	memset(r, 0, sizeof *r);
	if (ydoc_load(file, &doc, cause) < 0)
		return -1;
	r->file = xstrdup(file);
	char *abs = realpath(file, NULL);
	r->dir = path_dirname(abs ? abs : file);
	free(abs);
	struct yerrs e = {.file = file};
	const struct ynode *root = doc.root;
	static const char *const top_keys[] = {"routes", "default", "on_start", "on_bind_error", NULL};
	static const char *const route_keys[] = {"method", "path", "when", "require", "status", "content_type",
	                                         "headers", "body", "body_file", "else_status",
	                                         "else_content_type", "else_body", "else_body_file", NULL};
	static const char *const def_keys[] = {"status", "content_type", "headers", "body", "body_file", NULL};
	if (!root || root->type != Y_MAP) {
		yerr(&e, root, "a routes file is a mapping with a 'routes' list");
		goto out;
	}
	ycheck_keys(&e, root, "the routes file", top_keys);
	r->on_start = yget_str(&e, root, "on_start", 0);
	r->on_bind_error = yget_str(&e, root, "on_bind_error", 0);
	const struct ynode *def = ymap_get(root, "default");
	if (def) {
		if (def->type != Y_MAP) {
			yerr(&e, def, "'default' must be a mapping");
		} else {
			ycheck_keys(&e, def, "'default'", def_keys);
			load_answer(&e, r, def, "", &r->def, 404, NULL);
			r->has_def = 1;
		}
	}
	const struct ynode *list = ymap_get(root, "routes");
	if (!list || list->type != Y_SEQ) {
		yerr(&e, list ? list : root, "'routes' must be a list");
		goto out;
	}
	r->v = xcalloc(list->n ? list->n : 1, sizeof *r->v);
	for (size_t i = 0; i < list->n; i++) {
		const struct ynode *m = list->items[i];
		struct route *rt = &r->v[r->n++];
		if (m->type != Y_MAP) {
			yerr(&e, m, "each route is a mapping");
			rt->method = xstrdup("ANY");
			rt->path = xstrdup("");
			continue;
		}
		ycheck_keys(&e, m, "a route", route_keys);
		rt->method = yget_str(&e, m, "method", 0);
		if (!rt->method)
			rt->method = xstrdup("GET");
		for (char *p = rt->method; *p; p++)
			if (*p >= 'a' && *p <= 'z')
				*p -= 32;
		rt->path = yget_str(&e, m, "path", 1);
		if (!rt->path)
			rt->path = xstrdup("");
		size_t pl = strlen(rt->path);
		if (pl && rt->path[pl - 1] == '*') {
			rt->prefix = 1;
			rt->path[pl - 1] = '\0';
		}
		load_conds(&e, r, ymap_get(m, "when"), "when", &rt->when, &rt->nwhen);
		load_conds(&e, r, ymap_get(m, "require"), "require", &rt->req, &rt->nreq);
		load_answer(&e, r, m, "", &rt->ok, 200, NULL);
		rt->has_alt = ymap_get(m, "else_status") || ymap_get(m, "else_body") || ymap_get(m, "else_body_file");
		load_answer(&e, r, m, "else_", &rt->alt, 403, rt->ok.content_type);
		if (rt->nreq && !rt->has_alt)
			yerr(&e, m, "a route with 'require' needs else_status/else_body");
	}
out:
	ydoc_free(&doc);
	if (e.n) {
		char *msg = yerrs_join(&e);
		set_cause(cause, "%s", msg);
		free(msg);
		yerrs_free(&e);
		routes_free(r);
		return -1;
	}
	return 0;
}

/* ---------------------------------------------------------------- requests */

static const char *req_header(const struct request *q, const char *name)
{
	for (size_t i = 0; i < q->nh; i++)
		if (strcasecmp(q->h[i].name, name) == 0)
			return q->h[i].value;
	return NULL;
}

static int line_in_file(const char *file, const char *value)
{
	size_t len, vl = strlen(value);
	char *buf = read_file(file, &len, NULL);
	if (!buf || vl == 0) {
		free(buf);
		return 0;
	}
	int found = 0;
	char *p = buf, *end = buf + len;
	while (p < end && !found) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t ll = nl ? (size_t)(nl - p) : (size_t)(end - p);
		if (ll && p[ll - 1] == '\r')
			ll--;
		found = ll == vl && memcmp(p, value, vl) == 0;
		p = nl ? nl + 1 : end;
	}
	free(buf);
	return found;
}

static int cond_holds(const struct cond *c, const struct request *q)
{
	const char *v = req_header(q, c->header);
	if (!v)
		return 0;
	switch (c->kind) {
	case C_EQUALS:
		return strcmp(v, c->arg) == 0;
	case C_CONTAINS:
		return strstr(v, c->arg) != NULL;
	case C_IN_FILE:
		return line_in_file(c->arg, v);
	case C_PRESENT:
		return 1;
	}
	return 0;
}

static int all_hold(const struct cond *c, size_t n, const struct request *q)
{
	for (size_t i = 0; i < n; i++)
		if (!cond_holds(&c[i], q))
			return 0;
	return 1;
}

static void add_json_escaped(struct strbuf *sb, const char *s)
{
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		if (ch == '"' || ch == '\\')
			sb_addf(sb, "\\%c", ch);
		else if (ch < 0x20)
			sb_addf(sb, "\\u%04x", ch);
		else
			sb_addc(sb, (char)ch);
	}
}

static void expand_body(struct strbuf *out, const char *body, const struct request *q, unsigned port, int json)
{
	const char *p = body;
	while (*p) {
		const char *s = strstr(p, "${");
		if (!s) {
			sb_adds(out, p);
			break;
		}
		sb_add(out, p, (size_t)(s - p));
		const char *e = strchr(s + 2, '}');
		if (!e) {
			sb_adds(out, s);
			break;
		}
		char *key = xstrndup(s + 2, (size_t)(e - s - 2));
		if (str_starts(key, "header:")) {
			const char *v = req_header(q, key + 7);
			if (json)
				add_json_escaped(out, v ? v : "");
			else
				sb_adds(out, v ? v : "");
		} else if (!strcmp(key, "method")) {
			sb_adds(out, q->method);
		} else if (!strcmp(key, "path")) {
			if (json)
				add_json_escaped(out, q->path);
			else
				sb_adds(out, q->path);
		} else if (!strcmp(key, "port")) {
			sb_addf(out, "%u", port);
		} else {
			sb_add(out, s, (size_t)(e - s + 1));
		}
		free(key);
		p = e + 1;
	}
}

static const char *reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 201: return "Created";
	case 204: return "No Content";
	case 301: return "Moved Permanently";
	case 302: return "Found";
	case 304: return "Not Modified";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 411: return "Length Required";
	case 412: return "Precondition Failed";
	case 413: return "Payload Too Large";
	case 431: return "Request Header Fields Too Large";
	case 500: return "Internal Server Error";
	case 501: return "Not Implemented";
	case 502: return "Bad Gateway";
	case 503: return "Service Unavailable";
	}
	return "Status";
}

static void respond_raw(struct conn *c, int status, const char *ctype, const char *body, size_t blen,
                        const struct strvec *extra, int head_only)
{
	sb_addf(&c->out, "HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n", status, reason(status),
	        ctype, blen);
	for (size_t i = 0; extra && i < extra->n; i++)
		sb_addf(&c->out, "%s\r\n", extra->v[i]);
	sb_addf(&c->out, "Connection: %s\r\n\r\n", c->closing ? "close" : "keep-alive");
	if (!head_only)
		sb_add(&c->out, body, blen);
}

static int respond_answer(struct conn *c, const struct answer *a, const struct request *q)
{
	struct strbuf body = STRBUF_INIT;
	int status = a->status;
	const char *src = a->body ? a->body : "";
	char *filebuf = NULL;
	if (a->body_file) {
		size_t len;
		filebuf = read_file(a->body_file, &len, NULL);
		if (!filebuf) {
			status = 500;
			src = "{\"error\":\"sim-http: body_file unreadable\"}";
		} else {
			src = filebuf;
		}
	}
	expand_body(&body, src, q, c->l->port, strstr(a->content_type, "json") != NULL);
	respond_raw(c, status, a->content_type, sb_str(&body), body.len, &a->headers, !strcmp(q->method, "HEAD"));
	free(filebuf);
	sb_free(&body);
	return status;
}

/* Answers one parsed request; returns the status sent. */
static int dispatch(struct conn *c, const struct request *q)
{
	const struct routes *r = &c->l->routes;
	for (size_t i = 0; i < r->n; i++) {
		const struct route *rt = &r->v[i];
		int mok = !strcmp(rt->method, "ANY") || !strcmp(rt->method, q->method) ||
		          (!strcmp(q->method, "HEAD") && !strcmp(rt->method, "GET"));
		if (!mok)
			continue;
		int pok = rt->prefix ? str_starts(q->path, rt->path) : !strcmp(q->path, rt->path);
		if (!pok || !all_hold(rt->when, rt->nwhen, q))
			continue;
		if (!all_hold(rt->req, rt->nreq, q))
			return respond_answer(c, &rt->alt, q);
		return respond_answer(c, &rt->ok, q);
	}
	if (r->has_def)
		return respond_answer(c, &r->def, q);
	static const char nf[] = "not found\n";
	respond_raw(c, 404, "text/plain; charset=utf-8", nf, sizeof nf - 1, NULL, !strcmp(q->method, "HEAD"));
	return 404;
}

/* ---------------------------------------------------------------- the loop */

static int g_sigpipe[2] = {-1, -1};

static void on_signal(int sig)
{
	int saved = errno;
	char b = (char)sig;
	if (write(g_sigpipe[1], &b, 1) < 0) {
		/* nothing to do: a byte is already pending */
	}
	errno = saved;
}

static void log_line(int fd, const char *fmt, ...) PRINTF_LIKE(2, 3);
static void log_line(int fd, const char *fmt, ...)
{
	if (fd < 0)
		return;
	va_list ap;
	va_start(ap, fmt);
	char *m = xvasprintf(fmt, ap);
	va_end(ap);
	char *t = iso_time(wall_time());
	char *line = xasprintf("%s %s\n", t, m);
	size_t n = strlen(line), off = 0;
	while (off < n) {
		ssize_t w = write(fd, line + off, n - off);
		if (w <= 0)
			break;
		off += (size_t)w;
	}
	free(line);
	free(t);
	free(m);
}

static void log_text(int fd, const char *text, unsigned port)
{
	if (fd < 0 || !text)
		return;
	struct strbuf sb = STRBUF_INIT;
	struct request q = {.method = "", .path = ""};
	expand_body(&sb, text, &q, port, 0);
	if (sb.len && sb.s[sb.len - 1] != '\n')
		sb_addc(&sb, '\n');
	size_t off = 0;
	while (off < sb.len) {
		ssize_t w = write(fd, sb.s + off, sb.len - off);
		if (w <= 0)
			break;
		off += (size_t)w;
	}
	sb_free(&sb);
}

static void conn_close(struct conn *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	sb_free(&c->in);
	sb_free(&c->out);
	c->out_off = 0;
}

static void bad_request(struct conn *c, int status, const char *msg)
{
	c->closing = 1;
	respond_raw(c, status, "text/plain; charset=utf-8", msg, strlen(msg), NULL, 0);
	sb_reset(&c->in);
}

/* Consumes complete requests from c->in. */
static void conn_process(struct conn *c, int logfd)
{
	while (!c->closing) {
		char *buf = c->in.s;
		if (!buf || c->in.len == 0)
			return;
		char *end = memmem(buf, c->in.len, "\r\n\r\n", 4);
		if (!end) {
			if (c->in.len > MAX_REQUEST)
				bad_request(c, 431, "request header too large\n");
			return;
		}
		size_t hlen = (size_t)(end - buf) + 4;
		char *head = xstrndup(buf, hlen - 4);
		struct request q;
		memset(&q, 0, sizeof q);
		char *save = NULL;
		char *line = strtok_r(head, "\r\n", &save);
		char *sp1 = line ? strchr(line, ' ') : NULL;
		char *sp2 = sp1 ? strchr(sp1 + 1, ' ') : NULL;
		if (!sp1 || !sp2 || !str_starts(sp2 + 1, "HTTP/1.")) {
			free(head);
			bad_request(c, 400, "bad request line\n");
			return;
		}
		*sp1 = *sp2 = '\0';
		q.method = line;
		q.target = sp1 + 1;
		q.version = sp2 + 1;
		size_t cap = 16;
		q.h = xcalloc(cap, sizeof *q.h);
		int bad = 0;
		for (char *l = strtok_r(NULL, "\r\n", &save); l; l = strtok_r(NULL, "\r\n", &save)) {
			char *colon = strchr(l, ':');
			if (!colon || colon == l) {
				bad = 1;
				break;
			}
			*colon = '\0';
			char *v = colon + 1;
			while (*v == ' ' || *v == '\t')
				v++;
			size_t vl = strlen(v);
			while (vl && (v[vl - 1] == ' ' || v[vl - 1] == '\t'))
				v[--vl] = '\0';
			if (q.nh == cap) {
				cap *= 2;
				q.h = xreallocarray(q.h, cap, sizeof *q.h);
			}
			q.h[q.nh].name = l;
			q.h[q.nh++].value = v;
		}
		const char *te = req_header(&q, "Transfer-Encoding");
		const char *cl = req_header(&q, "Content-Length");
		long long blen = 0;
		if (!bad && cl) {
			char *ep;
			errno = 0;
			blen = strtoll(cl, &ep, 10);
			if (errno || *ep || blen < 0)
				bad = 1;
		}
		if (bad || te) {
			free(q.h);
			free(head);
			if (te)
				bad_request(c, 501, "chunked requests are not supported\n");
			else
				bad_request(c, 400, "bad header\n");
			return;
		}
		if ((unsigned long long)blen + hlen > MAX_REQUEST) {
			free(q.h);
			free(head);
			bad_request(c, 413, "request too large\n");
			return;
		}
		if (c->in.len < hlen + (size_t)blen) {
			free(q.h);
			free(head);
			return;             /* wait for the body */
		}
		q.body = buf + hlen;
		q.body_len = (size_t)blen;
		char *path = xstrdup(q.target);
		path[strcspn(path, "?#")] = '\0';
		q.path = path;
		const char *conn_h = req_header(&q, "Connection");
		if ((conn_h && strcasecmp(conn_h, "close") == 0) ||
		    (!strcmp(q.version, "HTTP/1.0") && !(conn_h && strcasecmp(conn_h, "keep-alive") == 0)))
			c->closing = 1;
		int status = dispatch(c, &q);
		log_line(logfd, "INFO [sim-http:%u] \"%s %s %s\" %d", c->l->port, q.method, q.path, q.version, status);
		free(path);
		free(q.h);
		free(head);
		size_t used = hlen + (size_t)blen;
		memmove(c->in.s, c->in.s + used, c->in.len - used);
		c->in.len -= used;
		c->in.s[c->in.len] = '\0';
	}
}

static int listen_on(unsigned port, char **cause)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0) {
		set_cause(cause, "socket: %s", strerror(errno));
		return -1;
	}
	int one = 1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	struct sockaddr_in a;
	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_port = htons((uint16_t)port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&a, sizeof a) < 0 || listen(fd, 64) < 0) {
		set_cause(cause, "cannot listen on 127.0.0.1:%u: %s", port, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

const char *httpsim_usage(void)
{
	return "usage: upwiz sim-http --port N --routes FILE [--port N --routes FILE ...]\n"
	       "                      [--pidfile FILE] [--log FILE] [--detach]\n"
	       "Serves the answers of a routes file (YAML) on 127.0.0.1:N until SIGTERM.\n"
	       "The routes format is described in core/httpsim.h.\n";
}

static int usage_error(char **cause, const char *fmt, const char *arg)
{
	char *m = xasprintf(fmt, arg ? arg : "");
	set_cause(cause, "sim-http: %s\n%s", m, httpsim_usage());
	free(m);
	return 2;
}

int httpsim_run(int argc, char **argv, char **cause)
{
	unsigned ports[16];
	const char *rfiles[16];
	size_t nports = 0, nroutes = 0;
	const char *pidfile = NULL, *logfile = NULL;
	int detach = 0;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(a, "--detach")) {
			detach = 1;
			continue;
		}
		if (strcmp(a, "--port") && strcmp(a, "--routes") && strcmp(a, "--pidfile") && strcmp(a, "--log"))
			return usage_error(cause, "unknown argument '%s'", a);
		if (!v)
			return usage_error(cause, "%s needs a value", a);
		i++;
		if (!strcmp(a, "--port")) {
			int port = str_port(v);
			if (!port)
				return usage_error(cause, "bad port '%s'", v);
			if (nports == ARRAY_LEN(ports))
				return usage_error(cause, "too many ports%s", NULL);
			ports[nports++] = (unsigned)port;
		} else if (!strcmp(a, "--routes")) {
			if (nroutes == ARRAY_LEN(rfiles))
				return usage_error(cause, "too many routes files%s", NULL);
			rfiles[nroutes++] = v;
		} else if (!strcmp(a, "--pidfile")) {
			pidfile = v;
		} else {
			logfile = v;
		}
	}
	if (nports == 0 || nports != nroutes)
		return usage_error(cause, "give one --routes FILE for each --port N%s", NULL);

	if (detach)
		setsid();       /* fails harmlessly if we already lead a group */

	int logfd = -1;
	if (logfile) {
		logfd = open(logfile, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
		if (logfd < 0) {
			set_cause(cause, "sim-http: cannot open log %s: %s", logfile, strerror(errno));
			return 1;
		}
	}

	int rc = 1;
	struct listener *ls = xcalloc(nports, sizeof *ls);
	size_t nls = 0;
	for (size_t i = 0; i < nports; i++)
		ls[i].fd = -1;
	struct conn *conns = NULL;
	size_t nconns = 0;
	struct pollfd *pfd = NULL;
	struct sigaction old_term, old_int, old_pipe, old_hup;
	int sig_installed = 0;

	for (size_t i = 0; i < nports; i++) {
		struct listener *l = &ls[nls];
		l->port = ports[i];
		if (routes_load(rfiles[i], &l->routes, cause) < 0)
			goto out;
		nls++;
	}
	for (size_t i = 0; i < nls; i++) {
		ls[i].fd = listen_on(ls[i].port, cause);
		if (ls[i].fd < 0) {
			log_text(logfd, ls[i].routes.on_bind_error, ls[i].port);
			goto out;
		}
	}

	if (pipe2(g_sigpipe, O_CLOEXEC | O_NONBLOCK) < 0) {
		set_cause(cause, "pipe: %s", strerror(errno));
		goto out;
	}
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, &old_term);
	sigaction(SIGINT, &sa, &old_int);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, &old_pipe);
	sigaction(SIGHUP, &sa, &old_hup);
	sig_installed = 1;

	if (pidfile) {
		char *s = xasprintf("%ld\n", (long)getpid());
		int w = write_file_atomic(pidfile, s, strlen(s), 0644, cause);
		free(s);
		if (w < 0)
			goto out;
	}
	for (size_t i = 0; i < nls; i++) {
		log_line(logfd, "INFO [sim-http:%u] listening on 127.0.0.1:%u (routes %s)", ls[i].port, ls[i].port,
		         ls[i].routes.file);
		log_text(logfd, ls[i].routes.on_start, ls[i].port);
	}

	for (;;) {
		size_t n = 0;
		pfd = xreallocarray(pfd, 1 + nls + nconns, sizeof *pfd);
		pfd[n++] = (struct pollfd){.fd = g_sigpipe[0], .events = POLLIN};
		for (size_t i = 0; i < nls; i++)
			pfd[n++] = (struct pollfd){.fd = nconns < MAX_CONNS ? ls[i].fd : -1, .events = POLLIN};
		uint64_t now = mono_ms();
		int timeout = -1;
		for (size_t i = 0; i < nconns; i++) {
			struct conn *c = &conns[i];
			short ev = 0;
			if (c->out.len > c->out_off)
				ev |= POLLOUT;
			if (!c->closing && c->out.len - c->out_off < MAX_OUT_BEFORE_READ)
				ev |= POLLIN;
			pfd[n++] = (struct pollfd){.fd = c->fd, .events = ev};
			uint64_t dl = c->last_ms + IDLE_MS;
			int left = dl > now ? (int)(dl - now) : 0;
			if (timeout < 0 || left < timeout)
				timeout = left;
		}
		int pr = poll(pfd, n, timeout);
		if (pr < 0) {
			if (errno == EINTR)
				continue;
			set_cause(cause, "poll: %s", strerror(errno));
			goto out;
		}
		if (pfd[0].revents & POLLIN) {
			log_line(logfd, "INFO [sim-http] signal received, shutting down");
			rc = 0;
			goto out;
		}
		now = mono_ms();
		/* existing connections first: accepting appends to conns */
		for (size_t i = 0; i < nconns; i++) {
			struct conn *c = &conns[i];
			short re = pfd[1 + nls + i].revents;
			if (re & (POLLIN | POLLHUP | POLLERR)) {
				char tmp[16384];
				ssize_t r = read(c->fd, tmp, sizeof tmp);
				if (r > 0) {
					sb_add(&c->in, tmp, (size_t)r);
					c->last_ms = now;
					conn_process(c, logfd);
				} else if (r == 0 || (errno != EAGAIN && errno != EINTR)) {
					conn_close(c);
					continue;
				}
			}
			if (c->out.len > c->out_off) {
				ssize_t w = write(c->fd, c->out.s + c->out_off, c->out.len - c->out_off);
				if (w > 0) {
					c->out_off += (size_t)w;
					c->last_ms = now;
				} else if (w < 0 && errno != EAGAIN && errno != EINTR) {
					conn_close(c);
					continue;
				}
				if (c->out_off == c->out.len) {
					sb_reset(&c->out);
					c->out_off = 0;
				}
			}
			if ((c->closing && c->out.len == 0) || now >= c->last_ms + IDLE_MS)
				conn_close(c);
		}
		/* drop closed connections */
		size_t k = 0;
		for (size_t i = 0; i < nconns; i++)
			if (conns[i].fd >= 0)
				conns[k++] = conns[i];
		nconns = k;
		for (size_t i = 0; i < nls; i++) {
			if (!(pfd[1 + i].revents & POLLIN))
				continue;
			for (;;) {
				if (nconns >= MAX_CONNS)
					break;
				int fd = accept4(ls[i].fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
				if (fd < 0)
					break;
				conns = xreallocarray(conns, nconns + 1, sizeof *conns);
				struct conn *c = &conns[nconns++];
				memset(c, 0, sizeof *c);
				c->fd = fd;
				c->l = &ls[i];
				c->last_ms = now;
			}
		}
	}

out:
	for (size_t i = 0; i < nconns; i++)
		conn_close(&conns[i]);
	free(conns);
	free(pfd);
	for (size_t i = 0; i < nports; i++) {
		if (ls[i].fd >= 0)
			close(ls[i].fd);
		if (i < nls)
			routes_free(&ls[i].routes);
	}
	free(ls);
	if (sig_installed) {
		sigaction(SIGTERM, &old_term, NULL);
		sigaction(SIGINT, &old_int, NULL);
		sigaction(SIGPIPE, &old_pipe, NULL);
		sigaction(SIGHUP, &old_hup, NULL);
	}
	if (g_sigpipe[0] >= 0) {
		close(g_sigpipe[0]);
		close(g_sigpipe[1]);
		g_sigpipe[0] = g_sigpipe[1] = -1;
	}
	if (rc == 0 && pidfile) {
		size_t len;
		char *cur = read_file(pidfile, &len, NULL);
		if (cur && atol(cur) == (long)getpid())
			unlink(pidfile);
		free(cur);
	}
	if (rc != 0 && cause && *cause)
		log_line(logfd, "ERROR [sim-http] %s", *cause);
	if (logfd >= 0)
		close(logfd);
	return rc;
}
