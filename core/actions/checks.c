/*
 * checks.c: the env-check and verify steps. Each check of the step is one item on the screen:
 * "run" while it runs, then pass, warn (a check of level warn that did not hold) or fail, with
 * a one-line detail ("hdfs: command not found", "got 2, expected 4", "9001 already in use") and
 * the profile's fix, expanded for display.
 *
 * Probes, one per check kind:
 *   command    the line (expanded with shell quoting) runs through run_shell; the output is
 *              matched with a POSIX ERE whose group 1 (or whole match) is the value, compared
 *              with a version spec. Exit 127 is the shell's "not found": the detail names the
 *              command instead of showing "exit status 127".
 *   sql        one connection per connection name for the whole pass over the checks (opened
 *              on first use, also remembered when it failed so the same error is not retried
 *              for every check), first column of the first row against `expect`.
 *   ports_free a port is busy when something accepts on 127.0.0.1:port or when binding the
 *              wildcard address fails (with SO_REUSEADDR, that bind fails for a listener on any
 *              address, but not for connections lingering in TIME_WAIT).
 *   disk_free  statvfs on the path or, if it does not exist yet, its nearest existing parent.
 *   file       exists and is readable, after the sandbox guard.
 *   http       one request per attempt; retried every interval until it passes or the timeout,
 *              with a progress bar of elapsed/timeout and the last reason as its label.
 *   value      a template (`value`) or what the operator types (`input`, a text question whose
 *   / input    answer must match `pattern`; journaled and captured whatever the rules say), then
 *              rules: expect, version, min, max, within X% (or X) of a reference. A number an
 *              operator writes may carry thousands separators; "NA" is not a number and fails a
 *              numeric rule with that said.
 *
 * After the pass: failures block (the failure question: r reruns every check, s goes on and
 * records the override in the journal, a aborts); warnings do not. Then one `next` question.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <netinet/in.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <jansson.h>

#include "core/http.h"
#include "core/actions/checks_ext.h"
#include "core/jsonpath.h"
#include "core/remote.h"
#include "core/run.h"

#define CMD_TIMEOUT_S 60
#define HTTP_ATTEMPT_TIMEOUT_S 10

struct outcome {
	int ok;
	char *detail;           /* owned */
};

/* Connections opened during one pass, by name. A failed open is remembered (d == NULL). */
struct conn_cache {
	struct {
		char *name;
		struct db *d;
	} v[8];
	size_t n;
};

static void cache_close(struct conn_cache *cc)
{
	for (size_t i = 0; i < cc->n; i++) {
		db_close(cc->v[i].d);
		free(cc->v[i].name);
	}
	cc->n = 0;
}

static struct db *cache_get(struct run *r, struct conn_cache *cc, const char *name, int *opened_now)
{
	*opened_now = 0;
	for (size_t i = 0; i < cc->n; i++)
		if (strcmp(cc->v[i].name, name) == 0)
			return cc->v[i].d;
	struct db *d = run_db_open(r, name, NULL);
	*opened_now = 1;
	if (cc->n < sizeof cc->v / sizeof cc->v[0]) {
		cc->v[cc->n].name = xstrdup(name);
		cc->v[cc->n++].d = d;
	} else {
		/* more distinct connections than slots: not cached (no profile has that many) */
		db_close(d);
		d = NULL;
	}
	return d;
}

static void set_detail(struct outcome *o, int ok, const char *fmt, ...) PRINTF_LIKE(3, 4);
static void set_detail(struct outcome *o, int ok, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	free(o->detail);
	o->detail = xvasprintf(fmt, ap);
	va_end(ap);
	o->ok = ok;
}

/* First non-empty line of text, trimmed and cut to 160 bytes. Caller frees. */
static char *first_line(const char *text)
{
	const char *p = text ? text : "";
	while (*p == '\n' || *p == ' ' || *p == '\t' || *p == '\r')
		p++;
	size_t n = strcspn(p, "\r\n");
	if (n > 160)
		n = 160;
	return xstrndup(p, n);
}

/* ---- command */

static void check_command(struct run *r, const struct pcheck *c, struct outcome *o)
{
	char *cmd = run_expand(r, c->command, EXPAND_SHELL);
	if (!cmd) {
		set_detail(o, 0, "cannot expand the command (see the log)");
		return;
	}
	const char *host_t = c->host ? c->host : r->step ? r->step->host : NULL;
	if (host_t) {   /* on another host, through ssh (core/remote.h) */
		char *host = run_expand(r, host_t, EXPAND_PLAIN), *why = NULL;
		char *w = host ? remote_wrap(host, cmd, 0, &why) : NULL;
		free(host);
		free(cmd);
		if (!w) {
			set_detail(o, 0, "%s", why ? why : "cannot expand the host (see the log)");
			free(why);
			return;
		}
		cmd = w;
	}
	struct strbuf out = STRBUF_INIT;
	int code = 0;
	int timeout = c->timeout_s > 0 ? c->timeout_s : CMD_TIMEOUT_S;
	if (run_shell(r, cmd, timeout, &code, &out) < 0) {
		set_detail(o, 0, "could not run (see the log)");
		goto done;
	}
	if (code == 127) {
		/* the shell's "not found": name the command itself, its variables filled in (the
		 * operator needs "openmldb-0.9.3/bin/openmldb", not "${NEW_HOME}/bin/openmldb") */
		char *shown = run_expand(r, c->command, EXPAND_DISPLAY);
		const char *p = shown ? shown : c->command;
		while (*p == ' ')
			p++;
		size_t n = strcspn(p, " \t;|&");
		char *word = xstrndup(p, n);
		set_detail(o, 0, "%s: command not found", word);
		free(word);
		free(shown);
		goto done;
	}
	if (c->expect_exit >= 0 && code != c->expect_exit) {
		char *l = first_line(sb_str(&out));
		set_detail(o, 0, "exit status %d%s%s", code, *l ? ": " : "", l);
		free(l);
		goto done;
	}
	char *value = NULL;
	if (c->match && *c->match) {
		regex_t re;
		/* REG_NEWLINE: ^ and $ match at line ends, as an operator reading the output expects */
		int e = regcomp(&re, c->match, REG_EXTENDED | REG_NEWLINE);
		if (e != 0) {
			char msg[128];
			regerror(e, &re, msg, sizeof msg);
			set_detail(o, 0, "bad match pattern /%s/: %s", c->match, msg);
			goto done;
		}
		regmatch_t m[2];
		if (regexec(&re, sb_str(&out), 2, m, 0) != 0) {
			char *l = first_line(sb_str(&out));
			set_detail(o, 0, "unexpected output%s%s", *l ? ": " : " (none)", l);
			free(l);
			regfree(&re);
			goto done;
		}
		int g = m[1].rm_so >= 0 ? 1 : 0;
		value = xstrndup(sb_str(&out) + m[g].rm_so, (size_t)(m[g].rm_eo - m[g].rm_so));
		regfree(&re);
	} else {
		value = first_line(sb_str(&out));
	}
	if (c->version && *c->version) {
		int v = version_check(value, c->version);
		if (v < 0)
			set_detail(o, 0, "cannot compare \"%s\" with \"%s\"", value, c->version);
		else if (v == 0)
			set_detail(o, 0, "%s (need %s)", value, c->version);
		else
			set_detail(o, 1, "%s", value);
	} else {
		set_detail(o, 1, "%s", *value ? value : "ok");
	}
	if (o->ok && c->capture)
		vars_set(r->vars, c->capture, value, 0);
	free(value);
done:
	sb_free(&out);
	free(cmd);
}

/* ---- sql */

static void check_sql(struct run *r, struct conn_cache *cc, const struct pcheck *c, struct outcome *o)
{
	int opened_now;
	struct db *d = cache_get(r, cc, c->connection, &opened_now);
	if (!d) {
		set_detail(o, 0, "cannot connect to the database '%s'%s", c->connection,
		           opened_now ? " (the log says why)" : " (see above)");
		return;
	}
	char *q = run_expand(r, c->query, EXPAND_PLAIN);
	char *want = c->expect ? run_expand(r, c->expect, EXPAND_PLAIN) : NULL;
	if (!q || (c->expect && !want)) {
		set_detail(o, 0, "cannot expand the query or the expected value (see the log)");
		goto done;
	}
	ev_log(r, "sql", "%s", q);
	char *val = NULL;
	struct db_error err = {0};
	int rc = db_query_value(d, q, &val, &err);
	if (rc < 0) {
		set_detail(o, 0, "ERROR %u (%s): %s", err.code, err.sqlstate, err.message);
		if (db_is_connection_error(err.code)) {
			/* the connection is gone: the next check (or rerun) opens a new one */
			for (size_t i = 0; i < cc->n; i++) {
				if (cc->v[i].d == d) {
					db_close(d);
					free(cc->v[i].name);
					cc->v[i] = cc->v[--cc->n];
					break;
				}
			}
		}
		goto done;
	}
	const char *shown = rc == 1 ? "(no row)" : val ? val : "NULL";
	if (want && (rc == 1 || !val || strcmp(val, want) != 0)) {
		if (c->fail_msg)
			set_detail(o, 0, "%s: %s", shown, c->fail_msg);
		else
			set_detail(o, 0, "got %s, expected %s", shown, want);
	} else {
		set_detail(o, 1, "%s", shown);
		if (c->capture)
			vars_set(r->vars, c->capture, val ? val : "", 0);
	}
	free(val);
done:
	free(q);
	free(want);
}

/* ---- ports_free */

/* 1 busy, 0 free. */
static int port_busy(int port)
{
	int busy = 0;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd >= 0) {
		struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port),
		                        .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
		if (connect(fd, (struct sockaddr *)&a, sizeof a) == 0)
			busy = 1;
		close(fd);
	}
	if (busy)
		return 1;
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd >= 0) {
		int one = 1;
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
		struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port),
		                        .sin_addr.s_addr = htonl(INADDR_ANY)};
		/* EACCES (a privileged port, not root): only the connect test counts */
		if (bind(fd, (struct sockaddr *)&a, sizeof a) < 0 && errno == EADDRINUSE)
			busy = 1;
		close(fd);
	}
	return busy;
}

static void check_ports(struct run *r, const struct pcheck *c, struct outcome *o)
{
	char *list = run_expand(r, c->ports, EXPAND_PLAIN);
	if (!list) {
		set_detail(o, 0, "cannot expand the port list (see the log)");
		return;
	}
	struct strbuf busy = STRBUF_INIT, bad = STRBUF_INIT, all = STRBUF_INIT;
	size_t nbusy = 0, nports = 0;
	char *save = NULL;
	for (char *t = strtok_r(list, " ,\t\n", &save); t; t = strtok_r(NULL, " ,\t\n", &save)) {
		int p = str_port(t);
		if (!p) {
			sb_addf(&bad, "%s'%s'", bad.len ? ", " : "", t);
			continue;
		}
		nports++;
		sb_addf(&all, "%s%d", all.len ? " " : "", p);
		if (port_busy(p)) {
			nbusy++;
			sb_addf(&busy, "%s%d", busy.len ? ", " : "", p);
		}
	}
	if (bad.len)
		set_detail(o, 0, "not a port: %s", sb_str(&bad));
	else if (nbusy)
		set_detail(o, 0, "%s already in use", sb_str(&busy));
	else if (nports == 0)
		set_detail(o, 1, "no ports to check");
	else
		set_detail(o, 1, "%s free", sb_str(&all));
	sb_free(&busy);
	sb_free(&bad);
	sb_free(&all);
	free(list);
}

/* ---- disk_free */

static void check_disk(struct run *r, const struct pcheck *c, struct outcome *o)
{
	char *path = run_expand(r, c->path, EXPAND_PLAIN);
	if (!path || !*path) {
		set_detail(o, 0, "no path");
		free(path);
		return;
	}
	char *p = xstrdup(path);
	while (!path_exists(p) && strcmp(p, "/") != 0 && strcmp(p, ".") != 0) {
		char *up = path_dirname(p);
		free(p);
		p = up;
	}
	struct statvfs st;
	if (statvfs(p, &st) < 0) {
		set_detail(o, 0, "%s: %s", p, strerror(errno));
	} else {
		unsigned long long mb = (unsigned long long)st.f_bavail * st.f_frsize / (1024 * 1024);
		const char *where = strcmp(p, path) == 0 ? "" : " (nearest existing folder)";
		if ((long long)mb >= (long long)c->min_mb)
			set_detail(o, 1, "%llu MB free on %s%s", mb, p, where);
		else
			set_detail(o, 0, "%llu MB free on %s%s, need %ld MB", mb, p, where, c->min_mb);
	}
	free(p);
	free(path);
}

/* ---- file */

static void check_file(struct run *r, const struct pcheck *c, struct outcome *o)
{
	char *path = run_expand(r, c->path, EXPAND_PLAIN);
	if (!path || !*path) {
		set_detail(o, 0, "no path");
		free(path);
		return;
	}
	struct stat st;
	if (run_guard_path(r, path) < 0)
		set_detail(o, 0, "%s: refused by the sandbox guard", path);
	else if (stat(path, &st) < 0)
		set_detail(o, 0, "%s: %s", path, errno == ENOENT ? "missing" : strerror(errno));
	else if (access(path, R_OK) < 0)
		set_detail(o, 0, "%s: not readable (%s)", path, strerror(errno));
	else
		set_detail(o, 1, "%s (%lld bytes)", path, (long long)st.st_size);
	free(path);
}

/* ---- http */

static void http_log(void *ud, const char *line)
{
	ev_log(ud, "info", "%s", line);
}

/* One attempt. 1 pass, 0 not (yet), with o->detail. */
static int http_attempt(struct run *r, const struct pcheck *c, const char *url, const struct strvec *headers,
                        const char *body, int timeout_s, int quiet, struct outcome *o)
{
	char *userpwd = c->auth ? run_expand(r, c->auth, EXPAND_PLAIN) : NULL, *bmx = NULL;
	struct http_req q = {.method = c->method, .url = url, .headers = headers, .body = body,
	                     .timeout_s = timeout_s, .log = quiet ? NULL : http_log, .ud = r, .userpwd = userpwd};
	struct http_resp resp;
	char *cause = NULL;
	int ok = 0;
	if (http_request(&q, &resp, &cause) < 0) {
		set_detail(o, 0, "%s", cause);
		free(cause);
		goto done;
	}
	int status_ok = c->status ? resp.status == c->status : resp.status >= 200 && resp.status <= 299;
	if (!status_ok) {
		char *l = first_line(resp.body);
		if (c->status)
			set_detail(o, 0, "HTTP %ld, expected %d%s%s", resp.status, c->status, *l ? ": " : "", l);
		else
			set_detail(o, 0, "HTTP %ld%s%s", resp.status, *l ? ": " : "", l);
		free(l);
		goto done;
	}
	if (c->body_match && *c->body_match)
		bmx = run_expand(r, c->body_match, EXPAND_PLAIN);
	if (bmx) {   /* ${VAR} in the pattern: expanded as is */
		regex_t re;
		int e = regcomp(&re, bmx, REG_EXTENDED | REG_NOSUB | REG_NEWLINE);
		if (e != 0) {
			char msg[128];
			regerror(e, &re, msg, sizeof msg);
			set_detail(o, 0, "bad body_match /%s/: %s", bmx, msg);
			goto done;
		}
		int m = regexec(&re, resp.body, 0, NULL, 0);
		regfree(&re);
		if (m != 0) {
			char *l = first_line(resp.body);
			set_detail(o, 0, "HTTP %ld, body does not match /%s/%s%s", resp.status, bmx, *l ? ": " : "", l);
			free(l);
			goto done;
		}
	}
	if (c->njson > 0) {
		char *msg = NULL;
		int j = jsonpath_check_text(resp.body, resp.body_len, c->json, c->njson, &msg);
		if (j != 1) {
			set_detail(o, 0, "%s", msg ? msg : "JSON check failed");
			free(msg);
			goto done;
		}
	}
	set_detail(o, 1, "HTTP %ld in %.0f ms", resp.status, resp.elapsed_s * 1000.0);
	ok = 1;
done:
	free(bmx);
	if (userpwd) {
		memset(userpwd, 0, strlen(userpwd));
		free(userpwd);
	}
	http_resp_free(&resp);
	return ok;
}

static void check_http(struct run *r, const struct pcheck *c, struct outcome *o)
{
	char *url = run_expand(r, c->url, EXPAND_PLAIN);
	char *body = c->body ? run_expand(r, c->body, EXPAND_PLAIN) : NULL;
	struct strvec headers = STRVEC_INIT;
	int bad = !url || (c->body && !body);
	for (size_t i = 0; i < c->headers.n && !bad; i++) {
		char *h = run_expand(r, c->headers.v[i], EXPAND_PLAIN);
		if (!h)
			bad = 1;
		else
			sv_push_owned(&headers, h);
	}
	if (bad) {
		set_detail(o, 0, "cannot expand the request (see the log)");
		goto done;
	}
	uint64_t t0 = mono_ms();
	uint64_t limit = (uint64_t)(c->timeout_s > 0 ? c->timeout_s : 0) * 1000;
	int interval = c->interval_s > 0 ? c->interval_s : 2, waited = 0;
	char *last = NULL;
	for (int attempt = 1;; attempt++) {
		uint64_t elapsed = mono_ms() - t0;
		int per = HTTP_ATTEMPT_TIMEOUT_S;
		if (limit && elapsed < limit && (limit - elapsed) / 1000 + 1 < (uint64_t)per)
			per = (int)((limit - elapsed) / 1000 + 1);
		/* a 5-minute wait polls 150 times: log the request once, then only a change of reason */
		if (http_attempt(r, c, url, &headers, body, per, attempt > 1, o))
			break;
		if (attempt > 1 && (!last || strcmp(last, o->detail) != 0))
			ev_log(r, "info", "%s: still waiting: %s", c->name, o->detail);
		free(last);
		last = xstrdup(o->detail);
		elapsed = mono_ms() - t0;
		if (!limit || elapsed + (uint64_t)interval * 1000 > limit || r->abort_requested) {
			if (limit && attempt > 1) {
				char *d = xasprintf("%s (still failing after %d s, %d attempts)", o->detail, c->timeout_s, attempt);
				free(o->detail);
				o->detail = d;
			}
			break;
		}
		char *label = xasprintf("%s: %s", c->name, o->detail);
		ev_progress(r, (double)elapsed / 1000.0, (double)c->timeout_s, "s", label);
		free(label);
		waited = 1;
		/* sleep in small slices so an abort is seen promptly */
		uint64_t until = mono_ms() + (uint64_t)interval * 1000;
		while (mono_ms() < until && !r->abort_requested)
			usleep(50 * 1000);
		if (r->abort_requested)
			break;
	}
	if (waited) {
		char *label = xasprintf("%s: %s", c->name, o->ok ? "passed" : "gave up");
		ev_progress(r, (double)(mono_ms() - t0) / 1000.0, (double)c->timeout_s, "s", label);
		free(label);
	}
	free(last);
done:
	free(url);
	free(body);
	sv_free(&headers);
}

/* ---- value / input */

/* A number written by an operator: "1,234", " 12.5 ". 0 and *out, or -1. */
static int parse_number(const char *text, double *out)
{
	char buf[64];
	size_t k = 0;
	for (const char *p = text; *p && k + 1 < sizeof buf; p++)
		if (*p != ',' && *p != ' ' && *p != '\t')
			buf[k++] = *p;
	buf[k] = '\0';
	if (!k)
		return -1;
	char *end;
	*out = strtod(buf, &end);
	return *end ? -1 : 0;
}

/* Asks the operator for the value of an input check until it matches the pattern. NULL: no answer. */
static char *ask_input(struct run *r, const struct pcheck *c, size_t idx)
{
	char *qid = c->id ? xasprintf("%s.%s", r->step ? r->step->id : "", c->id)
	                  : xasprintf("%s.check%zu", r->step ? r->step->id : "", idx + 1);
	char *prompt = run_expand(r, c->input, EXPAND_DISPLAY);
	char *help = c->fix ? run_expand(r, c->fix, EXPAND_DISPLAY) : NULL;
	regex_t re;
	int have_re = c->pattern && regcomp(&re, c->pattern, REG_EXTENDED | REG_NOSUB) == 0;
	char *a = NULL;
	for (;;) {
		struct ask q = {.qid = qid, .kind = "text", .prompt = prompt ? prompt : c->input, .detail = c->name, .def = NULL};
		a = run_ask(r, &q);
		if (!a)
			break;
		char *t = str_trim(a);
		if (t != a)
			memmove(a, t, strlen(t) + 1);
		if (!have_re || regexec(&re, a, 0, NULL, 0) == 0)
			break;
		ev_log(r, "warn", "\"%s\" is not an accepted answer (it must match %s)%s%s", a, c->pattern, help ? ": " : "",
		       help ? help : "");
		free(a);
		a = NULL;
		if (r->answers)
			break;
	}
	if (have_re)
		regfree(&re);
	free(qid), free(prompt), free(help);
	return a;
}

static void check_value(struct run *r, const struct pcheck *c, size_t idx, struct outcome *o)
{
	char *raw = c->input ? ask_input(r, c, idx) : run_expand(r, c->value, EXPAND_PLAIN);
	if (!raw) {
		set_detail(o, 0, c->input ? "no value entered" : "cannot expand the value (see the log)");
		return;
	}
	if (c->input) {
		json_t *j = json_string(raw);
		char *jv = j ? json_dumps(j, JSON_ENCODE_ANY) : xstrdup("\"?\"");
		json_decref(j);
		run_journal(r, "input", "\"check\":%zu,\"value\":%s", idx + 1, jv);
		free(jv);
		/* what the operator typed is kept, whatever the rules say of it, and goes into the report */
		if (c->capture)
			vars_set(r->vars, c->capture, raw, 0);
		char *when = iso_time(wall_time());
		sv_push_owned(&r->done_notes, xasprintf("%s  %s: %s = %s", when, r->step ? r->step->id : "", c->name, raw));
		free(when);
	}
	char *value = NULL;
	if (c->match && *c->match) {
		regex_t re;
		regmatch_t m[2];
		if (regcomp(&re, c->match, REG_EXTENDED) != 0) {
			set_detail(o, 0, "bad match pattern /%s/", c->match);
			free(raw);
			return;
		}
		if (regexec(&re, raw, 2, m, 0) != 0) {
			set_detail(o, 0, "\"%s\" does not match /%s/", raw, c->match);
			regfree(&re);
			free(raw);
			return;
		}
		int g = m[1].rm_so >= 0 ? 1 : 0;
		value = xstrndup(raw + m[g].rm_so, (size_t)(m[g].rm_eo - m[g].rm_so));
		regfree(&re);
	} else
		value = xstrdup(raw);
	free(raw);
	struct strbuf why = STRBUF_INIT;   /* the first rule that does not hold */
	struct strbuf note = STRBUF_INIT;  /* extra facts for the detail */
	double v = 0;
	int numeric = parse_number(value, &v) == 0;
	char *want = c->expect ? run_expand(r, c->expect, EXPAND_PLAIN) : NULL;
	if (want && strcmp(value, want) != 0)
		sb_addf(&why, "expected %s", want);
	if (!why.len && c->version && *c->version) {
		char *spec = run_expand(r, c->version, EXPAND_PLAIN);
		/* "V5.1.1" is compared as 5.1.1: a leading non-digit prefix is not part of the number */
		const char *vv = value;
		while (*vv && !isdigit((unsigned char)*vv))
			vv++;
		if (spec) {   /* the same for the version in the spec: "> V5.1.2" -> "> 5.1.2" */
			size_t ol = strspn(spec, "<>=! ");
			char *d = spec + ol;
			while (*d && !isdigit((unsigned char)*d))
				d++;
			memmove(spec + ol, d, strlen(d) + 1);
		}
		int k = spec ? version_check(vv, spec) : -1;
		if (k < 0)
			sb_addf(&why, "cannot compare with \"%s\"", spec ? spec : c->version);
		else if (k == 0)
			sb_addf(&why, "need %s", spec);
		free(spec);
	}
	const char *bounds[2] = {c->min, c->max};
	for (int b = 0; b < 2 && !why.len; b++) {
		if (!bounds[b])
			continue;
		char *t = run_expand(r, bounds[b], EXPAND_PLAIN);
		double lim;
		if (!t || parse_number(t, &lim) < 0)
			sb_addf(&why, "the %s \"%s\" is not a number", b ? "maximum" : "minimum", t ? t : bounds[b]);
		else if (!numeric)
			sb_addf(&why, "not a number");
		else if (b == 0 && v < lim)
			sb_addf(&why, "below the minimum %s", t);
		else if (b == 1 && v > lim)
			sb_addf(&why, "above the maximum %s", t);
		free(t);
	}
	if (!why.len && c->within) {
		char *ref_s = run_expand(r, c->of, EXPAND_PLAIN);
		double ref, w = strtod(c->within, NULL);
		int pct = strchr(c->within, '%') != NULL;
		if (!ref_s || parse_number(ref_s, &ref) < 0)
			sb_addf(&why, "cannot compare with \"%s\" (not a number)", ref_s ? ref_s : c->of);
		else if (!numeric)
			sb_addf(&why, "not a number, cannot compare with %s", ref_s);
		else {
			double dev = v - ref;
			if (pct) {
				double p = ref != 0 ? dev / ref * 100.0 : (dev == 0 ? 0 : 1e9);
				sb_addf(&note, " vs %s: %+.1f%%", ref_s, p);
				if (p > w || p < -w)
					sb_addf(&why, "deviates by more than %s from %s", c->within, ref_s);
			} else {
				sb_addf(&note, " vs %s: %+g", ref_s, dev);
				if (dev > w || dev < -w)
					sb_addf(&why, "deviates by more than %s from %s", c->within, ref_s);
			}
		}
		free(ref_s);
	}
	if (c->within)   /* a comparison is part of the record either way */
		sv_push_owned(&r->done_notes, xasprintf("%s: %s%s: %s", c->name, value, sb_str(&note),
		                                        why.len ? "DEVIATION, flagged" : "within the rule"));
	if (why.len) {
		if (c->fail_msg)
			set_detail(o, 0, "%s%s: %s (%s)", value, sb_str(&note), c->fail_msg, sb_str(&why));
		else
			set_detail(o, 0, "%s%s: %s", value, sb_str(&note), sb_str(&why));
	} else {
		set_detail(o, 1, "%s%s", *value ? value : "(empty)", sb_str(&note));
		if (c->capture && !c->input)
			vars_set(r->vars, c->capture, value, 0);
	}
	sb_free(&why);
	sb_free(&note);
	free(want);
	free(value);
}

/* ---- the step */

/* One pass over every check; returns -1 on abort, else sets *nfail, *nwarn and *nstop (failed
 * checks of level stop, also counted in *nfail; their details are added to *stops). */
static int run_pass(struct run *r, const struct pstep *s, int *nfail, int *nwarn, int *nstop, struct strbuf *stops)
{
	struct conn_cache cc = {0};
	*nfail = *nwarn = *nstop = 0;
	for (size_t i = 0; i < s->nchecks; i++) {
		const struct pcheck *c = &s->checks[i];
		char key[32];
		snprintf(key, sizeof key, "check%zu", i + 1);
		if (r->abort_requested) {
			cache_close(&cc);
			return -1;
		}
		/* A capture holds what this check found this time: a check that fails or is skipped
		 * must not leave the value of an earlier pass or loop iteration (another host's
		 * version) for a later check to compare and pass on. */
		if (c->capture && !c->input)
			vars_set(r->vars, c->capture, "", 0);
		if (c->when) {
			char *cause = NULL;
			int w = cond_eval(r->vars, c->when, NULL, &cause);
			if (w == 0) {
				char *d = xasprintf("skipped: %s is false", c->when);
				ev_item(r, key, c->name, "info", d, "");
				free(d);
				continue;
			}
			if (w < 0) {
				ev_item(r, key, c->name, "fail", cause, "");
				free(cause);
				(*nfail)++;
				continue;
			}
		}
		ev_item(r, key, c->name, "run", "", "");
		struct outcome o = {0, NULL};
		switch (c->kind) {
		case CK_COMMAND: check_command(r, c, &o); break;
		case CK_SQL: check_sql(r, &cc, c, &o); break;
		case CK_PORTS_FREE: check_ports(r, c, &o); break;
		case CK_DISK_FREE: check_disk(r, c, &o); break;
		case CK_FILE: check_file(r, c, &o); break;
		case CK_HTTP:
			check_http(r, c, &o);
			if (c->capture)   /* an http check's capture says whether it passed, for later when: */
				vars_set(r->vars, c->capture, o.ok ? "yes" : "no", 0);
			break;
		case CK_VALUE: check_value(r, c, i, &o); break;
		case CK_NO_PROCESS:
		case CK_COMPARE: o.ok = check_ext_run(r, c, &o.detail); break;
		}
		const char *status = o.ok ? "pass" : c->level == LV_WARN ? "warn" : c->level == LV_INFO ? "info" : "fail";
		char *fix = !o.ok && c->fix ? run_expand(r, c->fix, EXPAND_DISPLAY) : NULL;
		ev_item(r, key, c->name, status, o.detail ? o.detail : "", fix ? fix : "");
		if (!o.ok) {
			if (c->level == LV_WARN)
				(*nwarn)++;
			else if (c->level != LV_INFO)
				(*nfail)++;
			if (c->level == LV_STOP) {
				(*nstop)++;
				sb_addf(stops, "%s: %s\n", c->name, o.detail ? o.detail : "failed");
			}
		}
		free(fix);
		free(o.detail);
	}
	cache_close(&cc);
	return r->abort_requested ? -1 : 0;
}

int run_check(struct run *r, const struct pcheck *c, size_t idx, char **detail)
{
	struct conn_cache cc = {0};
	struct outcome o = {0, NULL};
	switch (c->kind) {
	case CK_COMMAND: check_command(r, c, &o); break;
	case CK_SQL: check_sql(r, &cc, c, &o); break;
	case CK_PORTS_FREE: check_ports(r, c, &o); break;
	case CK_DISK_FREE: check_disk(r, c, &o); break;
	case CK_FILE: check_file(r, c, &o); break;
	case CK_HTTP: check_http(r, c, &o); break;
	case CK_VALUE: check_value(r, c, idx, &o); break;
	case CK_NO_PROCESS:
	case CK_COMPARE: o.ok = check_ext_run(r, c, &o.detail); break;
	}
	cache_close(&cc);
	*detail = o.detail ? o.detail : xstrdup("");
	return o.ok;
}

/* A check of level stop failed: the run cannot go on past this step. The operator may fix the
 * cause and run the checks again, or end the run; skipping is not offered (and an answers file
 * cannot skip it either). 1: run the checks again, 0: stop. */
static int ask_stopped(struct run *r, const struct pstep *s, int nstop, const char *why)
{
	static const struct ask_option opts[] = {{"retry", "Run the checks again (after fixing the cause)", 0},
	                                         {"abort", "End the run here: nothing after this step runs", 0}};
	char *qid = xasprintf("%s.stopped", s->id);
	char *prompt = xasprintf("%d check%s that must pass did not: the run stops here", nstop, nstop == 1 ? "" : "s");
	struct ask q = {.qid = qid, .kind = "choice", .prompt = prompt, .detail = why, .options = opts, .noptions = 2,
	                .def = "abort"};
	ev_log(r, "error", "stopped before anything was changed: %s", why);
	char *a = run_ask(r, &q);
	int again = a && strcmp(a, "retry") == 0;
	free(a), free(qid), free(prompt);
	return again;
}

int act_checks(struct run *r, const struct pstep *s)
{
	int nfail = 0, nwarn = 0, nstop = 0, overridden = 0;
	for (;;) {
		struct strbuf stops = STRBUF_INIT;
		if (run_pass(r, s, &nfail, &nwarn, &nstop, &stops) < 0) {
			sb_free(&stops);
			return STEP_ABORT;
		}
		if (nstop > 0) {
			int again = ask_stopped(r, s, nstop, sb_str(&stops));
			sb_free(&stops);
			if (again) {
				ev_log(r, "info", "running the checks again");
				continue;
			}
			run_journal(r, "stopped", "\"failed\":%d", nstop);
			sv_push_owned(&r->done_notes, xasprintf("%s: STOPPED, %d check%s that must pass did not", s->id, nstop,
			                                        nstop == 1 ? "" : "s"));
			return STEP_ABORT;
		}
		sb_free(&stops);
		if (nfail == 0)
			break;
		char *what = xasprintf("%d check%s failed", nfail, nfail == 1 ? "" : "s");
		/* not the step id: that is the `next` question's id, and an answers file keys both */
		char *fqid = xasprintf("%s.failed", s->id);
		int c = run_ask_failure(r, fqid, what);
		free(fqid);
		free(what);
		if (c == 'r') {
			ev_log(r, "info", "running the checks again");
			continue;
		}
		if (c == 's') {
			run_journal(r, "override", "\"failed\":%d,\"warnings\":%d", nfail, nwarn);
			ev_log(r, "warn", "the operator continues despite %d failed check%s", nfail, nfail == 1 ? "" : "s");
			sv_push_owned(&r->done_notes, xasprintf("%s: continued despite %d failed check%s", s->id, nfail,
			                                        nfail == 1 ? "" : "s"));
			overridden = 1;
			break;
		}
		return c == 'u' ? STEP_UNDO : STEP_ABORT;
	}
	char *prompt;
	if (overridden)
		prompt = xasprintf("Continue despite %d failed check%s?", nfail, nfail == 1 ? "" : "s");
	else if (nwarn)
		prompt = xasprintf("Continue with %d warning%s?", nwarn, nwarn == 1 ? "" : "s");
	else
		prompt = xstrdup("All checks passed. Continue?");
	struct ask q = {.qid = s->id, .kind = "next", .prompt = prompt, .def = "yes"};
	char *a = run_ask(r, &q);
	int yes = a && strcmp(a, "yes") == 0;
	if (a && !yes)   /* the step fails on the operator's word: the log (and the report) say why */
		ev_log(r, "error", "stopped by the operator at \"%s\"", prompt);
	free(prompt);
	free(a);
	return yes ? STEP_OK : STEP_ABORT;
}
