/*
 * sqlapply.c: the SQL apply step.
 *
 * Statements go in order through libmysqlclient on one connection (user variables such as
 * `select @id := ...` carry across statements), with the client character set utf8mb4. Once a
 * statement's time is measured, several that follow one another may go in one text (a "round
 * trip", sqlwindow.h's sql_round): the server runs them in order and answers each, and each
 * answer is read, logged and journaled in its turn as if it had been sent alone; the server
 * stops at one that fails, and the rest are withdrawn and sent again in their turn. Only
 * statements whose stmt_next is durable already go together, so all below holds for each. Each
 * statement is journaled three times. "stmt_next" (file, index, checksum of its text) says it may
 * be sent once the statement before it was answered; it is fsync'd before the statement is sent.
 * These lines are written ahead, in batches sized by the disk and the server (sqlwindow.h), so
 * that one fdatasync, on the journal's background thread (core/journal.h), covers several
 * statements and runs while the server works on the statements before them. "stmt_begin" is
 * written right before the statement is sent and "stmt_done" after the server answered; neither
 * waits for the disk, and stmt_done is held in memory until the next statement's stmt_begin, so
 * that the two go out with one write (or until anything else than sending comes next). Their
 * durability comes with the next sync. Between the server's answer and the next send there is
 * then one write(2); the "sql" log line is said while the server runs the statement (db_send /
 * db_read), off its path. That is what makes resume exact:
 *  - same boot (the engine was killed, the SSH link dropped): the journal is whole. A statement
 *    with a done record is never sent again; one with a begin and no done was in flight (or
 *    answered, its held done record lost with the engine): before anything else is sent it is
 *    checked against the database (core/precond.c: a profile-declared precondition, else a check
 *    derived from the statement), the operator is told what was found, and it is either recorded
 *    as done or sent; when no check exists the operator is asked. A stmt_next alone means never
 *    sent.
 *  - another boot (power cut, kernel crash): lines not yet fsync'd may be lost, so the statements
 *    with a stmt_next and no outcome are in doubt: at most AHEAD_MAX + 1 of them may have been sent
 *    (statement i is only sent once its stmt_next, written after statement i - AHEAD_MAX or later
 *    was sent, is durable, and that sync also made every line before it durable, the done record
 *    of statement i - AHEAD_MAX - 1 included), plus those queued after them. They are checked in
 *    order; the first found not applied ends it, since a statement is only sent after the one
 *    before it answered, or in one text after it, which the server runs in order. Failures, skips and "already applied" are journaled with fsync before
 *    anything else is sent, so that inference holds. Every line carries the boot it was written in.
 * The same check runs when the connection was lost mid-statement, in order for the rest of its
 * round trip.
 * A precondition declared for a statement or a whole file (`unless:`) skips what is already there,
 * journaled as stmt_precond / file_precond and said in the log.
 *
 * Fault seam (core/util.h): fault_hit("stmt_begin") before a statement is sent (once for each
 * statement of a round trip, all before its text is sent), ("stmt_queued": a round trip was sent
 * and the stmt_next lines after it written), ("stmt_sent": it was answered), ("stmt_done":
 * its done record made, held until the next write: a kill there loses it, and the resume checks
 * the statement like one in flight).
 * tests/safety/t_power_cut.sh plays a power cut by cutting the journal where its last sync was.
 *
 * A MySQL named lock (GET_LOCK) held on the connection keeps a second upwiz off the same
 * database; it dies with the connection, so a crash never leaves a stale lock behind.
 *
 * After a reconnect the last statement that set a user variable is replayed first (it is a
 * SELECT), since session variables died with the old connection.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/actions/sqlwindow.h"
#include "core/journal.h"
#include "core/precond.h"
#include "core/run.h"
#include "core/sqlsplit.h"

struct sfile {
	char *path;
	const struct psqlfile *pf;   /* borrowed from the profile */
	struct sql_script sc;
};

/*
 * What this step's journal says about each statement, keyed "file#index" (jansson objects as hash
 * tables: a resume of a 100k-statement file must not compare every key with every other): done
 * (sent and answered, found applied by a check, already applied, skipped by the operator or by a
 * precondition), in flight (begun, never answered), begun (key -> the checksum journaled when it
 * was sent, so a script that changed since cannot be resumed by position), queued (stmt_next
 * without an outcome: key -> checksum) and oldboot (keys whose last begin/next came from another
 * boot of the machine).
 */
struct jstate {
	json_t *done, *inflight, *begun, *queued, *oldboot;
	json_t *lost;     /* in flight because the connection was lost mid round trip (this run) */
	int other_boot;   /* the machine restarted since: the in-doubt rules of the header */
};

static int has(json_t *set, const char *key) { return json_object_get(set, key) != NULL; }

static void load_done(struct run *r, const struct pstep *s, struct jstate *js)
{
	js->done = json_object(), js->inflight = json_object(), js->begun = json_object();
	js->queued = json_object(), js->oldboot = json_object(), js->lost = json_object();
	char *jpath = xasprintf("%s/journal.jsonl", r->run_dir);
	struct strvec lines = STRVEC_INIT;
	journal_read_lines(jpath, &lines, NULL);
	free(jpath);
	for (size_t i = 0; i < lines.n; i++) {
		/* cheap filter first: most lines of a long run are statements of this step, but not all */
		if (!strstr(lines.v[i], "\"t\":\"stmt_"))
			continue;
		json_t *o = json_loads(lines.v[i], 0, NULL);
		if (!o)
			continue;
		const char *t = json_string_value(json_object_get(o, "t"));
		const char *st = json_string_value(json_object_get(o, "step"));
		const char *file = json_string_value(json_object_get(o, "file"));
		if (t && st && file && strcmp(st, s->id) == 0 && str_starts(t, "stmt_")) {
			char *key = xasprintf("%s#%lld", file, (long long)json_integer_value(json_object_get(o, "index")));
			const char *sha = json_string_value(json_object_get(o, "sha256"));
			const char *boot = json_string_value(json_object_get(o, "boot"));
			int begin = strcmp(t, "stmt_begin") == 0, next = strcmp(t, "stmt_next") == 0;
			if (begin || next) {
				/* lines older than this field were fsync'd one by one: same rules as this boot */
				if (boot && strcmp(boot, boot_id()) != 0)
					json_object_set_new(js->oldboot, key, json_true());
				else
					json_object_del(js->oldboot, key);
			}
			if (begin) {
				json_object_set_new(js->inflight, key, json_true());
				json_object_set_new(js->begun, key, json_string(sha ? sha : ""));
			} else if (next) {
				json_object_set_new(js->queued, key, json_string(sha ? sha : ""));
			} else if (strcmp(t, "stmt_failed") == 0 || strcmp(t, "stmt_withdrawn") == 0) {
				/* the server answered with an error, or the statement was never sent: nothing landed */
				json_object_del(js->inflight, key);
				json_object_del(js->queued, key);
			} else if (strcmp(t, "stmt_checked") == 0) {
				/* the outcome follows as stmt_done (applied) or a new stmt_begin (sent again) */
			} else {
				json_object_set_new(js->done, key, json_true());
				json_object_del(js->inflight, key);
				json_object_del(js->queued, key);
			}
			free(key);
		}
		json_decref(o);
	}
	sv_free(&lines);
	const char *key;
	json_t *v;
	json_object_foreach(js->inflight, key, v) js->other_boot |= has(js->oldboot, key);
	json_object_foreach(js->queued, key, v) js->other_boot |= has(js->oldboot, key);
	if (!js->other_boot)
		return;
	/* After a reboot a queued statement may have been sent with its begin line lost: it is in
	 * doubt like one in flight, and what it was queued as must match the script too. */
	json_object_foreach(js->queued, key, v) {
		json_object_set_new(js->inflight, key, json_true());
		if (!has(js->begun, key))
			json_object_set(js->begun, key, v);
	}
}

static void jstate_free(struct jstate *js)
{
	json_decref(js->done), json_decref(js->inflight), json_decref(js->begun);
	json_decref(js->queued), json_decref(js->oldboot), json_decref(js->lost);
}

static int already_code(const struct pstep *s, unsigned code)
{
	for (size_t i = 0; i < s->nalready; i++)
		if ((unsigned)s->already_applied[i] == code)
			return 1;
	return 0;
}

/* The statement on one line, cut after about max bytes: never inside a UTF-8 sequence (a cut
 * Chinese comment made the log line invalid UTF-8, and the event lost its text). */
static char *oneline(const char *sql, size_t max)
{
	struct strbuf sb = STRBUF_INIT;
	int sp = 0;
	for (const char *p = sql; *p && (sb.len < max || ((unsigned char)*p & 0xC0) == 0x80); p++) {
		if (*p == '\n' || *p == '\r' || *p == '\t' || *p == ' ') {
			if (!sp)
				sb_addc(&sb, ' ');
			sp = 1;
			continue;
		}
		sp = 0;
		sb_addc(&sb, *p);
	}
	if (strlen(sql) > max)
		sb_adds(&sb, " …");
	return sb_detach(&sb);
}

/* Sets *multi when the server takes several statements in one text (sql_round). */
static struct db *connect_locked(struct run *r, const struct pstep *s, struct db_params *p, int *multi)
{
	struct db *d = run_db_open(r, s->connection, p);
	if (!d)
		return NULL;
	/* 10 s: the server releases a killed engine's lock when it notices the closed connection, which
	 * can lag the kill by a moment; a live holder keeps it and we refuse. */
	char *lock = xasprintf("SELECT GET_LOCK('upwiz:%s', 10)", p->database);
	char *v = NULL;
	struct db_error err = {0};
	int rc = db_query_value(d, lock, &v, &err);
	free(lock);
	if (rc != 0 || !v || strcmp(v, "1") != 0) {
		/* Name the holder: its connection id, and the account and client host the server shows for it. */
		char *who = NULL, *id = NULL;
		char *q = xasprintf("SELECT IS_USED_LOCK('upwiz:%s')", p->database);
		if (db_query_value(d, q, &id, &(struct db_error){0}) == 0 && id && str_is_int(id)) {
			char *q2 = xasprintf("SELECT CONCAT(USER, '@', HOST, ', ', COMMAND, ' for ', TIME, ' s') FROM "
					     "information_schema.PROCESSLIST WHERE ID = %s", id);
			char *info = NULL;
			if (db_query_value(d, q2, &info, &(struct db_error){0}) == 0 && info)
				who = xasprintf("held by connection %s (%s)", id, info);
			else
				who = xasprintf("held by connection %s", id);
			free(info), free(q2);
		}
		free(q), free(id);
		ev_log(r, "error", "refused: another upwiz holds the lock on database %s (GET_LOCK 'upwiz:%s', %s): it is applying "
		       "statements there; wait for it to finish", p->database, p->database, who ? who : "its holder is not visible to this account");
		free(who);
		r->refused = 1;
		free(v);
		db_close(d);
		run_db_params_free(p);
		return NULL;
	}
	free(v);
	struct db_error me = {0};
	*multi = db_multi_statements(d, &me) == 0;
	if (!*multi)
		ev_log(r, "warn", "the server does not take several statements in one text (%s): each goes alone, one "
		       "round trip each", me.message);
	return d;
}

/* The connection is gone: closes it and connects again (asking while the server stays away), then
 * restores the session variables from the last statement that set them. NULL with *rc set when the
 * operator stops (the parameters are freed then too). */
static struct db *reconnect(struct run *r, const struct pstep *s, struct db *d, struct db_params *p, int *multi,
			    const char *uservar_stmt, int *rc)
{
	db_close(d);
	run_db_params_free(p);
	while (!(d = connect_locked(r, s, p, multi))) {
		if (r->refused) {
			*rc = STEP_ABORT;
			return NULL;
		}
		/* nothing to skip to: the statements after this one need the server too */
		char *q2 = xasprintf("%s.connect", s->id);
		char *why = xasprintf("cannot reconnect to the database%s%s\nBring the server back, then Retry: "
				      "a statement that was in flight is checked before anything is sent again.",
				      r->db_error ? ": " : "", r->db_error ? r->db_error : "");
		int c2 = run_ask_failure_noskip(r, q2, why);
		free(q2), free(why);
		if (c2 != 'r') {
			*rc = c2 == 'u' ? STEP_UNDO : STEP_ABORT;
			return NULL;
		}
	}
	ev_log(r, "info", "reconnected");
	if (uservar_stmt)
		db_exec(d, uservar_stmt, NULL, &(struct db_error){0});
	return d;
}

/* A precondition checked before anything it guards is sent: a whole file's (line 0) or a
 * statement's. 1 when it holds, 0 when not (*what: what was checked; caller frees); -1 to stop (a
 * query error, logged; or the operator stopped: *rc set); -2 to stop with the connection closed
 * (reconnecting was given up: *rc set). A lost connection is said with the server's error and
 * answered like a failed statement: retry reconnects and checks again. */
static int cond_check(struct run *r, const struct pstep *s, struct db **d, struct db_params *p, int *multi,
		      const char *uservar_stmt, const struct pcond *c, const char *path, int line, char **what, int *rc)
{
	char *where = line ? xasprintf("%s line %d", path_basename(path), line) : xstrdup(path_basename(path));
	char *cause = NULL;
	int h;
	while ((h = precond_holds(*d, c, what, &cause)) < 0) {
		struct db_error le;
		db_last_error(*d, &le);
		ev_log(r, "error", "%s: %s", where, cause);
		free(cause), free(*what);
		cause = *what = NULL;
		if (!db_is_connection_error(le.code))
			break;
		/* the server went away before anything it guards was sent: nothing of that landed */
		if (line)
			ev_log(r, "error", "%s line %d: ERROR %u (%s): %s", path, line, le.code, le.sqlstate, le.message);
		else
			ev_log(r, "error", "%s: ERROR %u (%s): %s", path, le.code, le.sqlstate, le.message);
		char *qid = xasprintf("%s.error", s->id);
		char *why = xasprintf("%s: its precondition could not be checked: ERROR %u: %s (the connection to the server was "
				      "lost; nothing it guards was sent)", where, le.code, le.message);
		int a = run_ask_failure_noskip(r, qid, why);
		free(qid), free(why);
		if (a != 'r') {
			*rc = a == 'u' ? STEP_UNDO : STEP_ABORT;
			break;
		}
		if (!(*d = reconnect(r, s, *d, p, multi, uservar_stmt, rc))) {
			h = -2;
			break;
		}
	}
	free(where);
	return h;
}

/* A JSON string literal of s (caller frees). */
static char *jstr(const char *s)
{
	json_t *j = json_string(s ? s : "");
	char *out = j ? json_dumps(j, JSON_ENCODE_ANY) : xstrdup("\"?\"");
	json_decref(j);
	return out;
}

/* The precondition the profile declares for statement idx1 (1-based) of a file, or NULL. */
static const struct pcond *stmt_cond(const struct psqlfile *pf, const struct sql_stmt *st, size_t idx1)
{
	for (size_t k = 0; pf && k < pf->nstmts; k++) {
		const struct pstmtcond *c = &pf->stmts[k];
		if ((c->index && (size_t)c->index == idx1) || (c->match && strstr(st->text, c->match)))
			return &c->unless;
	}
	return NULL;
}

/*
 * A statement that may or may not have landed (in flight when the engine died, or sent when the
 * server went away): ask the database before anything else is sent. Returns 1 when it landed
 * (journaled as done, not to be sent), 0 when it did not land and must be sent, 2 when it must be
 * sent but may have landed (sending it again is safe), -1 to stop (operator abort).
 */
static int inflight_resolve(struct run *r, const struct pstep *s, struct db *d, const struct sfile *sf, size_t idx1,
			    const char *why)
{
	const struct sql_stmt *st = &sf->sc.v[idx1 - 1];
	const struct pcond *c = stmt_cond(sf->pf, st, idx1);
	enum pv verdict = PV_UNKNOWN;
	char *what = NULL, *cause = NULL;
	if (c) {
		int h = precond_holds(d, c, &what, &cause);
		if (h >= 0)
			verdict = h ? PV_APPLIED : PV_NOT_APPLIED;
	} else if (precond_inflight(d, st->text, &verdict, &what, &cause) < 0)
		verdict = PV_UNKNOWN;
	if (!what)
		what = xasprintf("the check failed: %s", cause ? cause : "?");
	free(cause);
	const char *base = path_basename(sf->path);
	char *jw = jstr(what);
	run_journal(r, "stmt_checked", "\"file\":\"%s\",\"index\":%zu,\"found\":\"%s\",\"what\":%s,\"declared\":%s", sf->path, idx1,
		    pv_name(verdict), jw, c ? "true" : "false");
	free(jw);
	ev_log(r, "warn", "%s line %d (statement %zu) %s; checked the database before anything else: %s%s", base, st->line, idx1,
	       why, c ? "(profile precondition) " : "", what);
	int rc = 0;
	switch (verdict) {
	case PV_APPLIED:
		run_journal(r, "stmt_done", "\"file\":\"%s\",\"index\":%zu,\"by\":\"check\"", sf->path, idx1);
		ev_log(r, "info", "-> it was applied: recorded as done, not sent again");
		sv_push_owned(&r->done_notes, xasprintf("%s line %d was in flight; found applied (%s)", base, st->line, what));
		rc = 1;
		break;
	case PV_NOT_APPLIED:
		ev_log(r, "info", "-> it was not applied: sending it now");
		break;
	case PV_RESEND:
		ev_log(r, "info", "-> sending it again is safe: sending it now");
		rc = 2;
		break;
	case PV_UNKNOWN: {
		static const struct ask_option opts[] = {
			{"applied", "It landed: record it as done, do not send it", 0},
			{"send", "It did not land: send it now", 0},
			{"abort", "Stop here (look at the database first)", 0}};
		char *oneliner = xstrndup(st->text, 400);
		char *detail = xasprintf("%s line %d %s. upwiz cannot tell whether the server applied it: %s.\n\n%s", base,
					 st->line, why, what, oneliner);
		char *qid = xasprintf("%s.inflight", s->id);
		struct ask q = {.qid = qid, .kind = "choice", .prompt = "Did this statement land?", .detail = detail,
				.options = opts, .noptions = 3};
		char *a = run_ask(r, &q);
		if (!a || strcmp(a, "abort") == 0)
			rc = -1;
		else if (strcmp(a, "applied") == 0) {
			run_journal(r, "stmt_done", "\"file\":\"%s\",\"index\":%zu,\"by\":\"operator\"", sf->path, idx1);
			ev_log(r, "warn", "the operator says it landed: recorded as done, not sent again");
			rc = 1;
		} else
			ev_log(r, "warn", "the operator says it did not land: sending it now");
		free(a), free(qid), free(detail), free(oneliner);
		break;
	}
	}
	free(what);
	return rc;
}

/* The stmt_next lines written ahead: statements [lo, hi) of file f, not yet sent. */
struct ahead {
	size_t f, lo, hi;
	uint64_t seq[AHEAD_MAX + 1];    /* by statement index % (AHEAD_MAX + 1): its line, durable once synced */
	char sha[AHEAD_MAX + 1][65];    /* its checksum, not computed twice */
	uint64_t stmt_us;               /* a statement's time from send to answer, smoothed; 0: none yet */
};

/* A statement took `us` from send to answer. */
static void ahead_timed(struct ahead *a, uint64_t us)
{
	a->stmt_us = a->stmt_us ? (7 * a->stmt_us + us) / 8 : us + 1;
}

/* Statement i was sent: when no more than the window's refill statements after it are queued,
 * writes the stmt_next of the next ones up to the window's end (one write), stopping at one the
 * journal already knows (done or in doubt: resume handles those), and starts their sync. A
 * precondition of their own may still skip them (journaled as done). */
static void queue_ahead(struct run *r, const struct jstate *js, const struct sfile *sf, size_t f, size_t i, struct ahead *a)
{
	if (a->f != f || a->hi <= i + 1)
		a->f = f, a->lo = a->hi = i + 1;
	else if (a->lo < i + 1)
		a->lo = i + 1;
	size_t refill, upto;
	sql_window(journal_sync_us(r->jr), a->stmt_us, &refill, &upto);
	if (a->hi - a->lo > refill)
		return;
	int made = 0;
	while (a->hi < sf->sc.n && a->hi < i + 1 + upto) {
		size_t k = a->hi;
		char *key = xasprintf("%s#%zu", sf->path, k + 1);
		int known = has(js->done, key) || has(js->inflight, key);
		free(key);
		if (known)
			break;
		char *sha = a->sha[k % (AHEAD_MAX + 1)];
		sqlsplit_checksum(&sf->sc.v[k], sha);
		a->seq[k % (AHEAD_MAX + 1)] = run_journal_hold(r, "stmt_next", "\"file\":\"%s\",\"index\":%zu,\"sha256\":\"%s\",\"boot\":\"%s\"",
							 sf->path, k + 1, sha, boot_id());
		a->hi = k + 1;
		made = 1;
	}
	if (made)
		journal_kick(r->jr);   /* writes the held lines (one write) and starts their sync */
}

/* Statement i of file f is about to be sent: its stmt_next line when written ahead (its sha256
 * copied out), else 0. */
static uint64_t ahead_take(struct ahead *a, size_t f, size_t i, char sha[65])
{
	if (a->f != f || i < a->lo || i >= a->hi)
		return 0;
	memcpy(sha, a->sha[i % (AHEAD_MAX + 1)], 65);
	uint64_t seq = a->seq[i % (AHEAD_MAX + 1)];
	a->lo = i + 1;
	return seq;
}

/* The statements queued ahead will not be sent now (the one before them failed, or the step
 * stops): say so in the journal, fsync'd, so that after a power cut they are not taken for
 * statements in doubt. */
static void withdraw_ahead(struct run *r, const struct sfile *files, struct ahead *a)
{
	uint64_t last = 0;
	for (size_t k = a->lo; k < a->hi; k++)
		last = run_journal_write(r, "stmt_withdrawn", "\"file\":\"%s\",\"index\":%zu", files[a->f].path, k + 1);
	if (last)
		journal_wait(r->jr, last);
	a->hi = a->lo;   /* queued again (a new stmt_next each) once the statement before them is through */
}

/* After a reboot, statement idx1 of file f was found not applied: the statements queued after it
 * were never sent (each waits for the one before it to answer). Recorded, and no longer in doubt. */
static void withdraw_rest(struct run *r, struct jstate *js, const struct sfile *files, size_t nf, size_t f, size_t idx1)
{
	const char *key;
	json_t *v;
	void *tmp;
	json_object_foreach_safe(js->inflight, tmp, key, v) {
		const char *h = strrchr(key, '#');
		size_t g = nf;
		for (size_t x = 0; h && x < nf; x++)
			if (strlen(files[x].path) == (size_t)(h - key) && strncmp(files[x].path, key, (size_t)(h - key)) == 0)
				g = x;
		size_t idx = h ? (size_t)strtoul(h + 1, NULL, 10) : 0;
		if (g == nf || g < f || (g == f && idx <= idx1))
			continue;
		run_journal(r, "stmt_withdrawn", "\"file\":\"%s\",\"index\":%zu", files[g].path, idx);
		ev_log(r, "info", "-> so %s statement %zu, queued after it, was never sent: it is sent in its turn",
		       path_basename(files[g].path), idx);
		json_object_del(js->inflight, key);
	}
}

/* Statements [next, end) of file f went to the server in one text with the ones before them
 * (sql_round) and are not answered yet: each is read in its turn, not sent. */
struct round {
	size_t f, next, end;
	uint64_t t_last;   /* the send, then each answer: a statement's time runs from the one before */
};

#define ROUND_BYTES 65536   /* a round's text, well under any max_allowed_packet */

/* Statement i of file f is to be sent and its stmt_next is durable: how many statements from i on
 * go in its round trip. Those after it join while each may give one answer, was queued ahead with
 * its stmt_next durable already (never waited for), has no precondition of its own, and fits. */
static size_t round_size(const struct sfile *sf, size_t f, size_t i, const struct ahead *a, struct journal *jr, int multi)
{
	size_t max = multi ? sql_round(a->stmt_us) : 1, e = i + 1, bytes = strlen(sf->sc.v[i].text);
	if (max < 2 || !sqlsplit_one_answer(&sf->sc.v[i]))
		return 1;
	while (e < sf->sc.n && e - i < max && a->f == f && e >= a->lo && e < a->hi) {
		const struct sql_stmt *st = &sf->sc.v[e];
		bytes += strlen(st->text) + 3;
		if (bytes > ROUND_BYTES || !sqlsplit_one_answer(st) || stmt_cond(sf->pf, st, e + 1) ||
		    !journal_durable(jr, a->seq[e % (AHEAD_MAX + 1)]))
			break;
		e++;
	}
	return e - i;
}

/* A round trip ended early: the server stopped at the statement that failed, so the statements
 * after it never ran. Recorded (fsync'd) as withdrawn; they are sent again in their turn. */
static int round_withdraw(struct run *r, const struct sfile *sf, struct round *rd)
{
	uint64_t last = 0;
	for (size_t k = rd->next; k < rd->end; k++)
		last = run_journal_write(r, "stmt_withdrawn", "\"file\":\"%s\",\"index\":%zu", sf->path, k + 1);
	rd->next = rd->end = 0;
	return last ? journal_wait(r->jr, last) : 0;
}

/* The connection was lost mid round trip: the statements after the one that was being answered
 * may have run (in order) or not. They are in flight, checked in turn before anything is sent. */
static void round_lost(struct jstate *js, const struct sfile *sf, struct round *rd)
{
	for (size_t k = rd->next; k < rd->end; k++) {
		char *key = xasprintf("%s#%zu", sf->path, k + 1);
		json_object_set_new(js->inflight, key, json_true());
		json_object_set_new(js->lost, key, json_true());
		free(key);
	}
	rd->next = rd->end = 0;
}

int act_sqlapply(struct run *r, const struct pstep *s)
{
	struct sfile *files = xcalloc(s->nfiles ? s->nfiles : 1, sizeof *files);
	size_t nf = 0, total = 0;
	int rc = STEP_FAILED;
	struct strbuf plan = STRBUF_INIT;
	struct jstate js = {0};
	for (size_t i = 0; i < s->nfiles; i++) {
		if (s->files[i].when && cond_eval(r->vars, s->files[i].when, NULL, NULL) <= 0)
			continue;
		char *path = run_expand(r, s->files[i].path, EXPAND_PLAIN);
		if (!path || run_guard_read(r, path) < 0) {
			free(path);
			goto out;
		}
		char *cause = NULL;
		size_t len;
		char *buf = read_file(path, &len, &cause);
		if (!buf) {
			ev_item(r, path, path_basename(path), "fail", cause, "LINKIS_HOME must point at the new package.");
			free(cause);
			free(path);
			goto out;
		}
		struct sql_script sc = {0};
		if (sqlsplit_parse(buf, len, &sc, &cause) < 0) {
			ev_item(r, path, path_basename(path), "fail", cause, "");
			free(cause), free(buf), free(path);
			goto out;
		}
		free(buf);
		files[nf].path = path;
		files[nf].pf = &s->files[i];
		files[nf].sc = sc;
		total += sc.n;
		char *real = realpath(path, NULL);   /* shown without "profiles/../assets" detours */
		sb_addf(&plan, "%s: %zu statements\n", real ? real : path, sc.n);
		free(real);
		ev_item(r, path, path_basename(path), "todo", "", "");
		nf++;
	}
	sb_addf(&plan, "\n%zu statements in all, in order, each journaled; utf8mb4.\n", total);

	load_done(r, s, &js);
	/* Resume goes by position: only when every statement sent before has the same text now. */
	{
		const char *kv;
		json_t *shav;
		json_object_foreach(js.begun, kv, shav) {
			const char *was = json_string_value(shav);
			const char *hash = strrchr(kv, '#');
			for (size_t f = 0; hash && was && f < nf; f++) {
				size_t pl = strlen(files[f].path);
				if ((size_t)(hash - kv) != pl || strncmp(kv, files[f].path, pl) != 0)
					continue;
				long idx = strtol(hash + 1, NULL, 10);
				char sha[65] = "";
				if (idx >= 1 && (size_t)idx <= files[f].sc.n)
					sqlsplit_checksum(&files[f].sc.v[idx - 1], sha);
				if (strcmp(sha, was) != 0) {
					ev_log(r, "error", "%s statement %ld is not the statement the interrupted run sent (sha256 %.12s… then, %.12s… now): "
					       "the script changed, so resuming by position would be wrong. Put the original script back, or "
					       "start over without resuming.", files[f].path, idx, was, sha[0] ? sha : "none");
					ev_body(r, sb_str(&plan));
					goto out;
				}
			}
		}
	}
	if (json_object_size(js.done)) {
		sb_addf(&plan, "Resuming: %zu statements are done (journal); the rest follow.\n", json_object_size(js.done));
		ev_log(r, "info", "resuming: %zu statements of this step are already applied (journal)", json_object_size(js.done));
	}
	if (js.other_boot && json_object_size(js.inflight))
		ev_log(r, "warn", "the machine restarted since the run stopped: the journal's last lines may have been lost with "
		       "the page cache, so the statements queued last are checked in order, until one is found not applied");
	{
		const char *key;
		json_t *v;
		json_object_foreach(js.inflight, key, v) {
			const char *when = js.other_boot ? "May have been sent before the restart" : "In flight when the engine stopped";
			sb_addf(&plan, "%s: %s (checked against the database before anything else).\n", when, key);
			ev_log(r, "warn", "statement %s %s: it is checked against the database before anything else", key,
			       js.other_boot ? "may have been sent before the machine restarted" : "was in flight when the engine stopped");
		}
	}
	ev_body(r, sb_str(&plan));

	{
		struct ask q = {.qid = s->id, .kind = "next", .prompt = "Apply the statements now?", .def = "yes"};
		char *a = run_ask(r, &q);
		if (!a) {
			rc = STEP_ABORT;
			goto out;
		}
		free(a);
	}
	if (run_backup_gate(r) < 0) {
		rc = STEP_ABORT;
		goto out;
	}

	struct db_params p;
	struct db *d = NULL;
	int multi = 0;   /* the server takes several statements in one text */
	while (!(d = connect_locked(r, s, &p, &multi))) {
		if (r->refused) {
			rc = STEP_ABORT;
			goto out;
		}
		char *cq = xasprintf("%s.connect", s->id);
		char *what = xasprintf("cannot connect to the database%s%s", r->db_error ? ": " : "", r->db_error ? r->db_error : "");
		int c = run_ask_failure(r, cq, what);
		free(cq), free(what);
		if (c != 'r') {
			rc = c == 's' ? STEP_SKIPPED : c == 'u' ? STEP_UNDO : STEP_ABORT;
			goto out;
		}
	}
	size_t n = 0, applied = 0, already = 0, skipped = 0, precond = 0, found = 0;
	uint64_t last = 0;
	struct ahead ahead = {0};
	struct round round = {0};
	uint64_t done_seq = 0;   /* the last stmt_done written */
	char *uservar_stmt = NULL;
	for (size_t f = 0; f < nf; f++) {
		size_t fa = 0, fal = 0, fpre = 0;
		journal_release(r->jr);   /* the last file's last stmt_done, before this file's checks */
		ev_item(r, files[f].path, path_basename(files[f].path), "run", "", "");
		/* A whole file's precondition: checked once, unless the journal shows work of this file already. */
		int touched = 0;
		for (size_t i = 0; i < files[f].sc.n && !touched; i++) {
			char *key = xasprintf("%s#%zu", files[f].path, i + 1);
			touched = has(js.done, key) || has(js.inflight, key);
			free(key);
		}
		if (files[f].pf->unless && !touched) {
			char *what = NULL;
			int h = cond_check(r, s, &d, &p, &multi, uservar_stmt, files[f].pf->unless, files[f].path, 0, &what, &rc);
			if (h == -2)
				goto out3;
			if (h < 0)
				goto done;
			if (h == 1) {
				char *jw = jstr(what);
				run_journal(r, "file_precond", "\"file\":\"%s\",\"what\":%s", files[f].path, jw);
				free(jw);
				ev_log(r, "info", "skipping %s: already there (%s)", path_basename(files[f].path), what);
				char *det = xasprintf("skipped: already there (%s)", what);
				ev_item(r, files[f].path, path_basename(files[f].path), "pass", det, "");
				sv_push_owned(&r->done_notes, xasprintf("SQL file %s skipped: %s", files[f].path, what));
				free(det), free(what);
				n += files[f].sc.n;
				continue;
			}
			free(what);
		}
		for (size_t i = 0; i < files[f].sc.n; i++, n++) {
			struct sql_stmt *st = &files[f].sc.v[i];
			char *key = xasprintf("%s#%zu", files[f].path, i + 1);
			int was_inflight = has(js.inflight, key);
			int was_done = has(js.done, key);
			int was_lost = has(js.lost, key);
			free(key);
			/* sent already, in one text with the statements before it: only its answer is read */
			int in_round = round.f == f && round.next == i && round.end > i;
			/* (a round trip holds no statement with a precondition: round_size) */
			const struct pcond *cond = was_done || was_inflight || in_round ? NULL : stmt_cond(files[f].pf, st, i + 1);
			/* The last statement's stmt_done is held (it goes out with this one's stmt_begin, one
			 * write): written now when anything else than sending comes first (a check may take a
			 * while; a question may wait for hours). */
			if (was_done || was_inflight || cond || r->abort_requested)
				journal_release(r->jr);
			if (was_done && !was_inflight) {
				if (strstr(st->text, ":=")) {   /* session variables died with the old connection */
					free(uservar_stmt);
					uservar_stmt = xstrdup(st->text);
					db_exec(d, st->text, NULL, &(struct db_error){0});
				}
				continue;
			}
			if (r->abort_requested && !in_round) {   /* a round trip's answers are read first */
				rc = STEP_ABORT;
				goto done;
			}
			if (was_inflight) {
				int v = inflight_resolve(r, s, d, &files[f], i + 1,
							 was_lost ? "was sent when the connection was lost"
							 : js.other_boot ? "may have been sent before the machine restarted"
								       : "was in flight when the engine stopped");
				if (v < 0) {
					rc = STEP_ABORT;
					goto done;
				}
				/* those in flight after it were sent after it (or with it, in one text the server
				 * runs in order): none of them ran either */
				if (v == 0)
					withdraw_rest(r, &js, files, nf, f, i + 1);
				if (v == 1) {
					found++;
					continue;
				}
			} else if (cond) {
				char *what = NULL;
				int h = cond_check(r, s, &d, &p, &multi, uservar_stmt, cond, files[f].path, st->line, &what, &rc);
				if (h == -2)
					goto out3;
				if (h < 0)
					goto done;
				if (h == 1) {
					char *jw = jstr(what);
					run_journal(r, "stmt_precond", "\"file\":\"%s\",\"index\":%zu,\"what\":%s", files[f].path, i + 1, jw);
					free(jw);
					ev_log(r, "info", "already there, skipped: %s line %d (%s)", path_basename(files[f].path), st->line, what);
					free(what);
					precond++, fpre++;
					continue;
				}
				free(what);
			}
			char sha[65] = "";
			uint64_t queued = in_round ? 0 : ahead_take(&ahead, f, i, sha);
			char *shown = oneline(st->text, 160);
			(void)fault_hit("sql_stmt");   /* sandbox scenarios hook actions here (the database goes away) */
			for (;;) {
				struct db_error err = {0};
				unsigned long long aff = 0;
				int sent = 0, first = !in_round;
				if (in_round) {
					round.next = i + 1;
					in_round = 0;   /* a retry sends it again, alone */
				} else {
					if (!sha[0])
						sqlsplit_checksum(st, sha);
					/* Durable before it is sent: its stmt_next, usually written ahead and synced meanwhile. */
					uint64_t seq = queued ? queued
						: run_journal_write(r, "stmt_next", "\"file\":\"%s\",\"index\":%zu,\"sha256\":\"%s\",\"boot\":\"%s\"",
								    files[f].path, i + 1, sha, boot_id());
					queued = 0;   /* a retry writes a new one */
					if (!seq || journal_wait(r->jr, seq) < 0) {
						ev_log(r, "error", "cannot write the journal (%s/journal.jsonl): nothing more is sent, so that a "
						       "resume knows exactly what was applied. Free space there, then run again to resume.", r->run_dir);
						free(shown);
						goto done;
					}
					/* The statements that go with it (sql_round), each begun in the journal; with the
					 * last statement's stmt_done, held until now: one write. */
					size_t m = round_size(&files[f], f, i, &ahead, r->jr, multi);
					struct strbuf text = STRBUF_INIT;
					for (size_t k = i; k < i + m; k++) {
						char ksha[65];
						if (k > i)
							(void)ahead_take(&ahead, f, k, ksha);
						run_journal_hold(r, "stmt_begin", "\"file\":\"%s\",\"index\":%zu,\"line\":%d,\"sha256\":\"%s\",\"boot\":\"%s\"",
								 files[f].path, k + 1, files[f].sc.v[k].line, k > i ? ksha : sha, boot_id());
						if (m > 1) {
							/* on a line of its own: a statement may end in a "--" comment */
							sb_adds(&text, k > i ? "\n;\n" : "");
							sb_adds(&text, files[f].sc.v[k].text);
						}
					}
					if (journal_release(r->jr) < 0) {
						/* unsent without it: a resume would take the statement for never sent */
						ev_log(r, "error", "cannot write the journal (%s/journal.jsonl): the statement is not sent, so that a "
						       "resume knows exactly what was applied. Free space there, then run again to resume.", r->run_dir);
						sb_free(&text);
						free(shown);
						goto done;
					}
					for (size_t k = 0; k < m; k++)
						fault_hit("stmt_begin");
					round = (struct round){.f = f, .next = i + 1, .end = i + m, .t_last = mono_us()};
					sent = db_send(d, m > 1 ? sb_str(&text) : st->text, &err);
					sb_free(&text);
					/* While the server runs it, off its path: the statements after it queued (their
					 * sync started) and the log line. */
					if (sent == 0) {
						queue_ahead(r, &js, &files[f], f, i, &ahead);
						fault_hit("stmt_queued");
					}
				}
				ev_log(r, "sql", "%s:%d: %s", path_basename(files[f].path), st->line, shown);
				if (sent == 0 && db_read(d, first, round.next >= round.end, &aff, &err) == 0) {
					uint64_t now = mono_us();
					ahead_timed(&ahead, now - round.t_last);
					round.t_last = now;
					fault_hit("stmt_sent");
					done_seq = run_journal_hold(r, "stmt_done", "\"file\":\"%s\",\"index\":%zu,\"affected\":%llu",
								     files[f].path, i + 1, aff);
					fault_hit("stmt_done");
					applied++, fa++;
					if (strstr(st->text, ":=")) {
						free(uservar_stmt);
						uservar_stmt = xstrdup(st->text);
					}
					break;
				}
				/* The rest of its round trip: never ran (the server stops at an error), or, with the
				 * connection lost, in doubt like this one. */
				if (round.end > round.next) {
					if (db_is_connection_error(err.code))
						round_lost(&js, &files[f], &round);
					else if (round_withdraw(r, &files[f], &round) < 0) {
						ev_log(r, "error", "cannot sync the journal (%s/journal.jsonl): nothing more is sent", r->run_dir);
						free(shown);
						goto done;
					}
				}
				if (already_code(s, err.code)) {
					run_journal(r, "stmt_already", "\"file\":\"%s\",\"index\":%zu,\"code\":%u", files[f].path, i + 1, err.code);
					ev_log(r, "warn", "already applied: %s line %d: (%u) %s", path_basename(files[f].path), st->line,
					       err.code, err.message);
					already++, fal++;
					break;
				}
				withdraw_ahead(r, files, &ahead);   /* the next ones wait for this one's fate */
				int conn_lost = db_is_connection_error(err.code);
				if (!conn_lost)
					run_journal(r, "stmt_failed", "\"file\":\"%s\",\"index\":%zu,\"code\":%u", files[f].path, i + 1, err.code);
				ev_log(r, "error", "%s line %d: ERROR %u (%s): %s", files[f].path, st->line, err.code, err.sqlstate, err.message);
				char *what = xasprintf("%s line %d failed: ERROR %u: %s%s\n%s", path_basename(files[f].path), st->line,
						       err.code, err.message,
						       conn_lost ? " (the connection to the server was lost: the statement may or may not have been applied; "
								   "it is checked before anything is sent again)" : "",
						       shown);
				char *qid = xasprintf("%s.error", s->id);
				int c = run_ask_failure(r, qid, what);
				free(qid), free(what);
				if (c == 'a' || c == 'u') {   /* undo: the engine rolls back once this connection is closed */
					free(shown);
					rc = c == 'u' ? STEP_UNDO : STEP_ABORT;
					goto done;
				}
				if (c == 's') {
					run_journal(r, "stmt_skipped", "\"file\":\"%s\",\"index\":%zu,\"code\":%u", files[f].path, i + 1, err.code);
					ev_log(r, "warn", "skipped by the operator: %s line %d", files[f].path, st->line);
					sv_push_owned(&r->done_notes, xasprintf("SKIPPED statement %s line %d (ERROR %u)", files[f].path,
									       st->line, err.code));
					skipped++;
					break;
				}
				/* retry: reconnect if the server went away, restoring session variables; a statement
				 * lost with the connection is checked before it is sent again */
				if (conn_lost || db_ping(d) != 0) {
					if (!(d = reconnect(r, s, d, &p, &multi, uservar_stmt, &rc))) {
						free(shown);
						goto out3;
					}
					if (conn_lost) {
						int v = inflight_resolve(r, s, d, &files[f], i + 1, "was sent when the connection was lost");
						if (v < 0) {
							free(shown);
							rc = STEP_ABORT;
							goto done;
						}
						if (v == 0)   /* those in flight after it (its round trip) did not run either */
							withdraw_rest(r, &js, files, nf, f, i + 1);
						if (v == 1) {
							found++;
							break;
						}
					}
				}
			}
			free(shown);
			uint64_t now = mono_ms();
			if (now - last >= 100 || n + 1 == total) {
				last = now;
				/* what the progress reports as done is durable first (one sync per report, not per
				 * statement; usually the background sync has covered it already) */
				if (done_seq && journal_wait(r->jr, done_seq) < 0) {
					ev_log(r, "error", "cannot sync the journal (%s/journal.jsonl): nothing more is sent", r->run_dir);
					goto done;
				}
				char label[64];
				snprintf(label, sizeof label, "%zu/%zu statements", n + 1, total);
				ev_progress(r, (double)(n + 1), (double)total, "statements", label);
			}
		}
		struct strbuf det = STRBUF_INIT;
		sb_addf(&det, "%zu applied", fa);
		if (fal)
			sb_addf(&det, ", %zu already applied", fal);
		if (fpre)
			sb_addf(&det, ", %zu already there (precondition)", fpre);
		ev_item(r, files[f].path, path_basename(files[f].path), fal ? "warn" : "pass", sb_str(&det), "");
		sb_free(&det);
	}
	sv_push_owned(&r->done_notes, xasprintf("SQL: %zu statements applied, %zu already applied, %zu already there by precondition, "
						"%zu found applied after an interruption, %zu skipped",
						applied, already, precond, found, skipped));
	rc = STEP_OK;
done:
	withdraw_ahead(r, files, &ahead);
	journal_release(r->jr);   /* the last stmt_done, when nothing was withdrawn */
	db_close(d);
out3:
	run_db_params_free(&p);
	free(uservar_stmt);
out:
	jstate_free(&js);
	sb_free(&plan);
	for (size_t i = 0; i < nf; i++) {
		free(files[i].path);
		sql_script_free(&files[i].sc);
	}
	free(files);
	return rc;
}
