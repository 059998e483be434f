/*
 * events.c: the ev_* calls of run.h, questions, the journal hook and the small helpers actions
 * share (expansion, database, guard, shell, the backup gate).
 *
 * Redaction happens here, once, for every string an event carries: no action has to remember
 * it. Log lines also go to the run's log file with a timestamp.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/answers.h"
#include "core/guard.h"
#include "core/hub.h"
#include "core/journal.h"
#include "core/proc.h"
#include "core/rollback.h"
#include "core/run.h"

static size_t sanitize(char *out, const char *line, size_t len);

/* A JSON string of text that may not be valid UTF-8 (a vendor file's bytes, a cut): jansson
 * refuses such a string, and the field would silently go missing; its bad bytes become U+FFFD. */
static json_t *json_text(const char *s)
{
	json_t *j = json_string(s);
	if (j)
		return j;
	size_t n = strlen(s);
	char *buf = xmalloc(4 * n + 1);
	j = json_stringn(buf, sanitize(buf, s, n));
	free(buf);
	return j;
}

static void put_str(struct run *r, json_t *o, const char *key, const char *val)
{
	if (!val)
		return;
	char *red = redactor_apply(r->red, val);
	json_object_set_new(o, key, json_text(red));
	free(red);
}

static json_t *ev_new(const char *t) { return json_pack("{s:s}", "t", t); }

static void ev_send(struct run *r, json_t *o, int is_log)
{
	/* Every event carries its time, so the event stream alone tells when things happened. */
	if (!json_object_get(o, "ts"))
		json_object_set_new(o, "ts", json_real(wall_time()));
	char *line = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	if (r->hub)
		hub_emit(r->hub, line, is_log);
	free(line);
}

static const char *step_id(struct run *r) { return r->step ? r->step->id : ""; }

/* When step i began and ended, for the summary: a step run again (retry, Esc back) counts its last run. */
static void step_times(struct run *r, size_t i, const char *state)
{
	if (!r->step_t0) {
		size_t n = r->prof->nsteps ? r->prof->nsteps : 1;
		r->step_t0 = xcalloc(n, sizeof *r->step_t0);
		r->step_t1 = xcalloc(n, sizeof *r->step_t1);
		r->step_asked = xcalloc(n, sizeof *r->step_asked);
	}
	if (!strcmp(state, "running"))
		r->step_t0[i] = wall_time(), r->step_t1[i] = 0, r->step_asked[i] = 0;
	else if (!strcmp(state, "done") || !strcmp(state, "failed") || !strcmp(state, "skipped"))
		r->step_t1[i] = wall_time();
}

void ev_step(struct run *r, const char *id, const char *state, const char *note)
{
	json_t *o = ev_new("step");
	json_object_set_new(o, "id", json_string(id));
	json_object_set_new(o, "state", json_string(state));
	put_str(r, o, "note", note);
	for (size_t i = 0; i < r->prof->nsteps; i++)
		if (strcmp(r->prof->steps[i].id, id) == 0) {
			json_object_set_new(o, "reversible", json_boolean(run_step_reversible(r, i)));
			if (r->hub)
				hub_set_step_state(r->hub, i, state);
			step_times(r, i, state);
		}
	ev_send(r, o, 0);
}

void ev_body(struct run *r, const char *text)
{
	json_t *o = ev_new("body");
	json_object_set_new(o, "step", json_string(step_id(r)));
	put_str(r, o, "text", text);
	ev_send(r, o, 0);
}

void ev_target(struct run *r)
{
	json_t *o = ev_new("target");
	put_str(r, o, "target", r->target ? r->target : "");
	/* transient: a front end attaching later gets the target in its hello */
	ev_send(r, o, 1);
}

void ev_progress(struct run *r, double done, double total, const char *unit, const char *label)
{
	json_t *o = ev_new("progress");
	json_object_set_new(o, "step", json_string(step_id(r)));
	json_object_set_new(o, "done", json_real(done));
	json_object_set_new(o, "total", json_real(total));
	json_object_set_new(o, "unit", json_string(unit ? unit : ""));
	put_str(r, o, "label", label ? label : "");
	/* Progress is transient: like log lines it is not kept in the replay backlog; and frequent. */
	ev_send(r, o, 2);
}

/* One log line (redacted here) to the clients and the run's log file; echo, when set, names the
 * event the line repeats (docs/PROTOCOL.md). */
static void log_line(struct run *r, const char *level, const char *echo, const char *text)
{
	char *red = redactor_apply(r->red, text);
	double t = wall_time();
	json_t *o = ev_new("log");
	json_object_set_new(o, "ts", json_real(t));
	json_object_set_new(o, "level", json_string(level));
	json_object_set_new(o, "step", json_string(step_id(r)));
	json_object_set_new(o, "text", json_text(red));
	if (echo)
		json_object_set_new(o, "echo", json_string(echo));
	/* the SQL apply's line per statement is frequent (core/hub.c: buffered on its way to the files) */
	int frequent = strcmp(level, "sql") == 0;
	ev_send(r, o, frequent ? 2 : 1);
	if (r->hub) {
		char *ts = iso_time(t);
		char *line = xasprintf("%s %-5s %s%s%s", ts, level, r->step ? "[" : "", r->step ? r->step->id : "",
				       r->step ? "] " : "");
		char *full = xasprintf("%s%s", line, red);
		hub_log_file(r->hub, full, frequent);
		free(ts), free(line), free(full);
	}
	free(red);
}

void ev_logv(struct run *r, const char *level, const char *fmt, va_list ap)
{
	char *text = xvasprintf(fmt, ap);
	log_line(r, level, NULL, text);
	free(text);
}

void ev_log(struct run *r, const char *level, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	ev_logv(r, level, fmt, ap);
	va_end(ap);
}

void ev_item(struct run *r, const char *key, const char *name, const char *status, const char *detail, const char *fix)
{
	json_t *o = ev_new("item");
	json_object_set_new(o, "step", json_string(step_id(r)));
	char *scoped = r->iter ? xasprintf("i%zu.%s", r->iter, key) : NULL;
	put_str(r, o, "key", scoped ? scoped : key);
	free(scoped);
	put_str(r, o, "name", name);
	json_object_set_new(o, "status", json_string(status));
	put_str(r, o, "detail", detail ? detail : "");
	put_str(r, o, "fix", fix ? fix : "");
	ev_send(r, o, 0);
	/* Final outcomes and notes (info) also go to the log file, so the log alone tells the story;
	 * a plan (todo) and work under way (run) do not, the outcome that follows does. The line says
	 * it repeats an item, so a front end that prints items itself (--plain) shows it once. */
	if (strcmp(status, "run") != 0 && strcmp(status, "todo") != 0) {
		const char *sep = detail && *detail ? ": " : "", *d = detail ? detail : "";
		char *text = strcmp(status, "info") == 0 ? xasprintf("%s%s%s", name, sep, d)   /* a note: no [status] */
		                                         : xasprintf("[%s] %s%s%s", status, name, sep, d);
		log_line(r, strcmp(status, "fail") == 0 ? "error" : strcmp(status, "warn") == 0 ? "warn" : "info", "item", text);
		free(text);
	}
}

/* Child output: control characters become spaces/escaped, invalid UTF-8 becomes U+FFFD, so a
 * vendor script cannot move the operator's cursor or change the terminal's modes. out has room
 * for 4 * len bytes (a tab becomes four spaces, an invalid byte three); returns the length. */
static size_t sanitize(char *out, const char *line, size_t len)
{
	size_t o = 0;
	for (size_t i = 0; i < len;) {
		unsigned char c = (unsigned char)line[i];
		if (c >= 0x20 && c < 0x7f) {
			/* the common case: a run of printable ASCII, copied at once */
			size_t j = i + 1;
			while (j < len && (unsigned char)line[j] >= 0x20 && (unsigned char)line[j] < 0x7f)
				j++;
			memcpy(out + o, line + i, j - i);
			o += j - i;
			i = j;
			continue;
		}
		if (c == '\t') {
			memset(out + o, ' ', 4);
			o += 4;
			i++;
			continue;
		}
		if (c < 0x20 || c == 0x7f) {
			/* ANSI colour sequences are common in vendor scripts: drop ESC [ ... letter whole. */
			if (c == 0x1b && i + 1 < len && line[i + 1] == '[') {
				i += 2;
				while (i < len && !((line[i] >= '@' && line[i] <= '~')))
					i++;
				i++;
				continue;
			}
			i++;
			continue;
		}
		/* Validate one UTF-8 sequence by hand: the locale may not be UTF-8 in the engine. */
		int n = c >= 0xf0 && c < 0xf5 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 && c < 0xe0 ? 2 : 0;
		int ok = n > 0 && i + (size_t)n <= len;
		for (int k = 1; ok && k < n; k++)
			ok = ((unsigned char)line[i + (size_t)k] & 0xc0) == 0x80;
		if (ok) {
			memcpy(out + o, line + i, (size_t)n);
			o += (size_t)n;
			i += (size_t)n;
		} else {
			out[o++] = (char)0xef;   /* U+FFFD */
			out[o++] = (char)0xbf;
			out[o++] = (char)0xbd;
			i++;
		}
	}
	return o;
}

/* The line goes to the hub's pending batch (core/hub.h): redaction, encoding and the writes
 * happen once per batch, not once per line, so a flooding child is not held back. */
static void output_piece(struct run *r, const char *line, size_t len)
{
	char local[4096];
	local[0] = '\0';   /* (an empty line: nothing written) */
	char *buf = len <= sizeof local / 4 ? local : xmalloc(len * 4 + 1);
	size_t n = sanitize(buf, line, len);
	hub_output(r->hub, r->step ? r->step->id : NULL, buf, n);
	if (buf != local)
		free(buf);
}

/* Redaction happens per line in the hub's batch. A line over PROC_LINE_MAX reaches us in pieces,
 * and a secret cut in two by that cut would be masked in neither: so the end of a full-size piece
 * that could begin a secret is held back and logged with the next piece. */
void ev_output(struct run *r, const char *line, size_t len)
{
	if (!r->hub)
		return;
	char *joined = NULL;
	if (r->out_carry.len) {
		sb_add(&r->out_carry, line, len);
		len = r->out_carry.len;
		line = joined = sb_detach(&r->out_carry);
	}
	size_t hold = len >= PROC_LINE_MAX ? redactor_hold(r->red, line, len) : 0;
	output_piece(r, line, len - hold);
	if (hold)
		sb_add(&r->out_carry, line + len - hold, hold);
	free(joined);
}

void ev_output_end(struct run *r)
{
	if (!r->out_carry.len)
		return;
	size_t n = r->out_carry.len;
	char *rest = sb_detach(&r->out_carry);
	output_piece(r, rest, n);
	free(rest);
}

/* ---- questions */

char *run_ask(struct run *r, const struct ask *q)
{
	json_t *o = ev_new("ask");
	json_object_set_new(o, "qid", json_string(q->qid));
	json_object_set_new(o, "step", json_string(step_id(r)));
	json_object_set_new(o, "kind", json_string(q->kind));
	put_str(r, o, "prompt", q->prompt);
	put_str(r, o, "detail", q->detail ? q->detail : "");
	put_str(r, o, "default", q->def ? q->def : "");
	put_str(r, o, "expect", q->expect ? q->expect : "");
	json_t *opts = json_array();
	for (size_t i = 0; i < q->noptions; i++)
		json_array_append_new(opts, json_pack("{s:s,s:s,s:b}", "key", q->options[i].key, "label",
						      q->options[i].label, "danger", q->options[i].danger));
	json_object_set_new(o, "options", opts);
	if (!r->answers && r->hub)
		hub_open_question(r->hub, q->qid);   /* before the ask goes out: a quick answer is not lost */
	ev_send(r, o, 0);

	char *ans = NULL;
	const char *by = "operator";
	if (r->answers) {
		if (r->abort_requested)
			return NULL;   /* SIGTERM: an unattended run stops at its next question too */
		const char *a = answers_get(r->answers, q->qid);
		if (!a) {
			ev_log(r, "error", "unattended run: the answers file %s has no answer for '%s' (step %s asked: %s)",
			       r->answers->file, q->qid, step_id(r), q->prompt);
			return NULL;
		}
		ans = xstrdup(a);
		by = "answers file";
	} else {
		double w0 = wall_time();
		ans = hub_wait_answer(r->hub, q->qid);
		/* the operator's time is not the step's: the summary tells them apart */
		size_t si = r->step ? (size_t)(r->step - r->prof->steps) : 0;
		if (r->step && r->step_asked && si < r->prof->nsteps)
			r->step_asked[si] += wall_time() - w0;
		if (!ans)
			return NULL;
	}
	int secret = strcmp(q->kind, "secret") == 0;
	json_t *a = ev_new("answered");
	json_object_set_new(a, "qid", json_string(q->qid));
	if (secret)
		json_object_set_new(a, "value", json_string("********"));
	else
		put_str(r, a, "value", ans);
	json_object_set_new(a, "by", json_string(by));
	ev_send(r, a, 0);
	{
		/* the journal: the value as JSON, redacted (masked whole when secret), and which loop
		 * iteration asked (the same question comes once per host) */
		char *red;
		if (secret)
			red = xstrdup("\"********\"");
		else {
			json_t *jv = json_string(ans);
			char *v = jv ? json_dumps(jv, JSON_ENCODE_ANY) : xstrdup("\"?\"");
			red = redactor_apply(r->red, v);
			free(v);
			json_decref(jv);
		}
		char iter[40] = "";
		if (r->iter)
			snprintf(iter, sizeof iter, ",\"iter\":%zu", r->iter);
		run_journal(r, "answer", "\"qid\":\"%s\",\"value\":%s,\"by\":\"%s\"%s", q->qid, red, by, iter);
		free(red);
	}
	/* The log tells what was chosen too (support reads run.log after the night); a front end
	 * that echoes the operator's typing (--plain) skips it. */
	if (!secret) {
		const char *label = NULL;
		for (size_t i = 0; i < q->noptions; i++)
			if (strcmp(q->options[i].key, ans) == 0)
				label = q->options[i].label;
		char *text = xasprintf("answered %s (%s)%s%s", *ans ? ans : "nothing", by, label ? ": " : "",
				       label ? label : "");
		log_line(r, "info", "answered", text);
		free(text);
	}
	return ans;
}

/* How often an answers file may retry one failure question: a few attempts for a failure that
 * passes (a server still starting), never an endless loop. */
#define FILE_RETRIES 3

/* Counts one more `retry` or `undo` from the answers file for qid (either brings the question
 * back when it does not help: the failure again, the roll-back not confirmed); returns how many
 * came before it. */
static int file_retried(struct run *r, const char *qid)
{
	int n = 0;
	for (size_t i = 0; i < r->file_retries.n; i++)
		n += strcmp(r->file_retries.v[i], qid) == 0;
	sv_push(&r->file_retries, qid);
	return n;
}

static int ask_failure(struct run *r, const char *qid, const char *what, int can_skip)
{
	static const struct ask_option all[] = {
		{"retry", "Retry", 0}, {"skip", "Skip it (recorded in the journal and the summary)", 1}, {"abort", "Abort the run", 0},
		{"undo", "Roll back: database from the verified dump, files put back (typed confirmation)", 1}};
	/* skip only where there is something to go on to; undo only when roll-back can restore what
	 * the run changed (core/rollback.c) */
	struct ask_option offered[4];
	size_t n = 0;
	struct strbuf keys = STRBUF_INIT;   /* "retry, abort, ..." for an answers file's wrong answer */
	for (size_t i = 0; i < 4; i++)
		if ((i != 1 || can_skip) && (i != 3 || run_rollback_possible(r))) {
			sb_addf(&keys, "%s%s", n ? ", " : "", all[i].key);
			offered[n++] = all[i];
		}
	struct ask q = {.qid = qid, .kind = "failure", .prompt = what, .options = offered, .noptions = n, .def = "retry"};
	int c;
	for (;;) {
		char *a = run_ask(r, &q);
		if (!a) {
			c = 'a';
			break;
		}
		c = (unsigned char)a[0];
		free(a);
		if ((c == 'r' || c == 'u') && r->answers && file_retried(r, qid) >= FILE_RETRIES) {
			/* nothing changes between attempts that nobody watches: a persistent failure
			 * answered `retry` (or `undo` with a wrong confirmation) would loop for ever */
			ev_log(r, "error", "unattended run: '%s' came up %d times and the answers file answers `%s` each time: "
			       "stopping (answer abort there, fix the cause, and run again)", qid, FILE_RETRIES + 1,
			       c == 'r' ? "retry" : "undo");
			c = 'a';
			break;
		}
		int ok = 0;
		for (size_t i = 0; i < n && !ok; i++)
			ok = offered[i].key[0] == c;
		if (ok)
			break;
		if (r->answers) {
			ev_log(r, "error", "unattended run: the answers file's answer to '%s' is not one it offers (%s): stopping", qid,
			       sb_str(&keys));
			c = 'a';
			break;
		}
	}
	sb_free(&keys);
	return c;
}

int run_ask_failure(struct run *r, const char *qid, const char *what) { return ask_failure(r, qid, what, 1); }

int run_ask_failure_noskip(struct run *r, const char *qid, const char *what) { return ask_failure(r, qid, what, 0); }

enum jmode { J_SYNC, J_WRITE, J_HOLD };   /* journal_append, journal_write, journal_hold */

/* Journals one effect (synced, only written, or held: journal.h) and copies it into the event
 * stream. Returns the line's sequence number (journal.h), 0 when it could not be written. */
static uint64_t journal_effect(struct run *r, const char *type, enum jmode mode, const char *fmt, va_list ap)
{
	char *m = xvasprintf(fmt, ap);
	char *red = redactor_apply(r->red, m);
	char *withstep = r->step ? xasprintf("\"step\":\"%s\"%s%s", r->step->id, *red ? "," : "", red) : xstrdup(red);
	uint64_t seq = 0;
	if (mode == J_SYNC)
		seq = journal_append(r->jr, type, withstep) == 0;
	else if (mode == J_WRITE)
		seq = journal_write(r->jr, type, withstep);
	else
		seq = journal_hold(r->jr, type, withstep);
	/* The effect also goes to the event stream (not to clients: the journal is the record of
	 * effects, the stream the story a support engineer reads with `upwiz replay --plain`).
	 * stmt_next is only the journal's durability bookkeeping (core/actions/sqlapply.c), and
	 * stmt_begin says what the "sql" log line right after it says: neither adds to the story. */
	if (r->hub && strcmp(type, "stmt_next") != 0 && strcmp(type, "stmt_begin") != 0) {
		char *ev = xasprintf("{\"t\":\"effect\",\"ts\":%.3f,\"type\":\"%s\"%s%s}", wall_time(), type,
				     *withstep ? "," : "", withstep);
		hub_record(r->hub, ev, strcmp(type, "stmt_done") == 0);   /* one per statement: frequent */
		free(ev);
	}
	free(withstep);
	fault_delay(type);   /* UPWIZ_DELAY=stmt_done:300 makes each statement slow (screen tests) */
	free(red);
	free(m);
	return seq;
}

void run_journal(struct run *r, const char *type, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	(void)journal_effect(r, type, J_SYNC, fmt, ap);
	va_end(ap);
}

uint64_t run_journal_write(struct run *r, const char *type, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	uint64_t seq = journal_effect(r, type, J_WRITE, fmt, ap);
	va_end(ap);
	return seq;
}

uint64_t run_journal_hold(struct run *r, const char *type, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	uint64_t seq = journal_effect(r, type, J_HOLD, fmt, ap);
	va_end(ap);
	return seq;
}

/* ---- helpers */

char *run_expand(struct run *r, const char *tmpl, enum expand_mode mode)
{
	char *cause = NULL;
	char *s = vars_expand(r->vars, tmpl ? tmpl : "", mode, &cause);
	if (!s) {
		ev_log(r, "error", "%s", cause);
		free(cause);
	}
	return s;
}

void run_db_params_free(struct db_params *p)
{
	free((char *)p->host), free((char *)p->socket), free((char *)p->user), free((char *)p->password);
	free((char *)p->database), free((char *)p->charset);
	memset(p, 0, sizeof *p);
}

struct db *run_db_open(struct run *r, const char *name, struct db_params *out)
{
	const struct pconn *c = profile_conn(r->prof, name);
	if (!c) {
		ev_log(r, "error", "no connection named %s in the profile", name);
		return NULL;
	}
	struct db_params p = {0};
	p.host = c->host ? run_expand(r, c->host, EXPAND_PLAIN) : xstrdup("127.0.0.1");
	char *port = c->port ? run_expand(r, c->port, EXPAND_PLAIN) : xstrdup("3306");
	p.port = port ? (unsigned)atoi(port) : 3306;
	free(port);
	p.socket = c->socket ? run_expand(r, c->socket, EXPAND_PLAIN) : NULL;
	p.user = run_expand(r, c->user, EXPAND_PLAIN);
	p.password = c->password ? run_expand(r, c->password, EXPAND_PLAIN) : NULL;
	p.database = run_expand(r, c->database, EXPAND_PLAIN);
	p.charset = xstrdup(c->charset ? c->charset : "utf8mb4");
	if (!p.host || !p.user || !p.database) {
		run_db_params_free(&p);
		return NULL;
	}
	char *cause = NULL;
	if (guard_db(p.host, p.port, p.socket, &cause) < 0) {
		ev_log(r, "error", "%s", cause);
		free(cause);
		run_db_params_free(&p);
		return NULL;
	}
	struct db_error err = {0};
	struct db *d = db_connect(&p, &err);
	free(r->db_error);
	r->db_error = d ? NULL : xasprintf("ERROR %u: %s", err.code, err.message);
	if (!d) {
		ev_log(r, "error", "cannot connect to %s@%s: (%u) %s", p.database,
		       p.socket && *p.socket ? p.socket : p.host, err.code, err.message);
		run_db_params_free(&p);
		return NULL;
	}
	if (out)
		*out = p;
	else
		run_db_params_free(&p);
	return d;
}

int run_guard_path(struct run *r, const char *path)
{
	char *cause = NULL;
	if (guard_path(path, &cause) == 0)
		return 0;
	ev_log(r, "error", "%s", cause);
	free(cause);
	return -1;
}

int run_guard_read(struct run *r, const char *path)
{
	/* The profile's own files (its folder and the assets beside it) are inputs, not the
	 * installation: reading them is allowed in sandbox mode too. */
	char *top = path_join(r->prof->dir, "..");
	char *rtop = realpath(top, NULL), *rpath = realpath(path, NULL);
	int inside = rtop && rpath && str_starts(rpath, rtop) && (rpath[strlen(rtop)] == '/');
	free(top), free(rtop), free(rpath);
	return inside ? 0 : run_guard_path(r, path);
}

struct shell_ud {
	struct run *r;
	struct strbuf *capture;
};

static void shell_line(void *ud, const char *line, size_t len)
{
	struct shell_ud *u = ud;
	ev_output(u->r, line, len);
	if (u->capture) {
		sb_add(u->capture, line, len);
		sb_addc(u->capture, '\n');
	}
}

int run_shell(struct run *r, const char *cmdline, int timeout_s, int *exit_code, struct strbuf *capture)
{
	ev_log(r, "cmd", "%s", cmdline);
	const char *argv[] = {"/bin/sh", "-c", cmdline, NULL};
	char *cwd = NULL;
	if (r->sandbox)
		cwd = xstrdup(guard_root());
	struct proc_opts o = {.argv = argv, .cwd = cwd, .stdin_fd = -1};
	struct shell_ud u = {r, capture};
	char *cause = NULL;
	int rc = proc_run(&o, timeout_s > 0 ? timeout_s * 1000 : -1, shell_line, &u, exit_code, &cause);
	ev_output_end(r);
	free(cwd);
	if (rc < 0) {
		ev_log(r, "error", "%s", cause ? cause : "command failed to run");
		free(cause);
		return -1;
	}
	run_journal(r, "command", "\"exit\":%d", *exit_code);
	return 0;
}

int run_backup_gate(struct run *r)
{
	if (r->backup_verified || r->risk_acknowledged)
		return 0;
	const char *phrase = "I accept the risk";
	struct ask q = {
		.qid = xasprintf("%s.no-backup", r->step->id),
		.kind = "confirm",
		.prompt = "No verified backup exists. This step changes data that cannot be restored without one.",
		.detail = "Go back and take the backup, or type the sentence below to go on without one (recorded).",
		.expect = phrase,
	};
	char *a = run_ask(r, &q);
	int ok = a && strcmp(a, phrase) == 0;
	if (ok) {
		r->risk_acknowledged = 1;
		run_journal(r, "risk_acknowledged", "\"what\":\"no verified backup\"");
		ev_log(r, "warn", "the operator went on without a verified backup (acknowledged)");
	}
	free(a);
	free((char *)q.qid);
	return ok ? 0 : -1;
}
