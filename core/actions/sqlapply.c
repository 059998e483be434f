/*
 * sqlapply.c: the SQL apply step.
 *
 * Statements go one by one through libmysqlclient on one connection (user variables such as
 * `select @id := ...` carry across statements), with the client character set utf8mb4. Each
 * statement is journaled twice: "stmt_begin" (file, index, checksum of its text) before it is
 * sent and "stmt_done" after the server answered, both fsync'd. That is what makes resume exact:
 * a statement with a done record is never sent again; one with only a begin record was in
 * flight when the engine died, and the operator is told before anything else runs.
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

#include "core/journal.h"
#include "core/run.h"
#include "core/sqlsplit.h"

struct sfile {
	char *path;
	struct sql_script sc;
};

/* Statement keys already done in this run's journal ("file#index" of this step). */
static void load_done(struct run *r, const struct pstep *s, struct strvec *done, struct strvec *inflight)
{
	char *jpath = xasprintf("%s/journal.jsonl", r->run_dir);
	struct strvec lines = STRVEC_INIT;
	journal_read_lines(jpath, &lines, NULL);
	free(jpath);
	for (size_t i = 0; i < lines.n; i++) {
		json_t *o = json_loads(lines.v[i], 0, NULL);
		if (!o)
			continue;
		const char *t = json_string_value(json_object_get(o, "t"));
		const char *st = json_string_value(json_object_get(o, "step"));
		if (t && st && strcmp(st, s->id) == 0 && str_starts(t, "stmt_")) {
			char *key = xasprintf("%s#%lld", json_string_value(json_object_get(o, "file")),
					      (long long)json_integer_value(json_object_get(o, "index")));
			if (strcmp(t, "stmt_begin") == 0)
				sv_push(inflight, key);
			else {
				sv_push(done, key);
				for (size_t k = 0; k < inflight->n; k++)
					if (strcmp(inflight->v[k], key) == 0) {
						free(inflight->v[k]);
						inflight->v[k] = inflight->v[--inflight->n];
						inflight->v[inflight->n] = NULL;
						break;
					}
			}
			free(key);
		}
		json_decref(o);
	}
	sv_free(&lines);
}

static int in_list(const struct strvec *v, const char *key)
{
	for (size_t i = 0; i < v->n; i++)
		if (strcmp(v->v[i], key) == 0)
			return 1;
	return 0;
}

static int already_code(const struct pstep *s, unsigned code)
{
	for (size_t i = 0; i < s->nalready; i++)
		if ((unsigned)s->already_applied[i] == code)
			return 1;
	return 0;
}

static char *oneline(const char *sql, size_t max)
{
	struct strbuf sb = STRBUF_INIT;
	int sp = 0;
	for (const char *p = sql; *p && sb.len < max; p++) {
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

static struct db *connect_locked(struct run *r, const struct pstep *s, struct db_params *p)
{
	struct db *d = run_db_open(r, s->connection, p);
	if (!d)
		return NULL;
	char *lock = xasprintf("SELECT GET_LOCK('upwiz:%s', 0)", p->database);
	char *v = NULL;
	struct db_error err = {0};
	int rc = db_query_value(d, lock, &v, &err);
	free(lock);
	if (rc != 0 || !v || strcmp(v, "1") != 0) {
		ev_log(r, "error", "another session holds the upwiz lock on database %s (GET_LOCK): refusing to apply statements",
		       p->database);
		free(v);
		db_close(d);
		run_db_params_free(p);
		return NULL;
	}
	free(v);
	return d;
}

int act_sqlapply(struct run *r, const struct pstep *s)
{
	struct sfile *files = xcalloc(s->nfiles ? s->nfiles : 1, sizeof *files);
	size_t nf = 0, total = 0;
	int rc = STEP_FAILED;
	struct strbuf plan = STRBUF_INIT;
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
		files[nf].sc = sc;
		total += sc.n;
		sb_addf(&plan, "%s: %zu statements\n", path, sc.n);
		ev_item(r, path, path_basename(path), "todo", "", "");
		nf++;
	}
	sb_addf(&plan, "\n%zu statements in all, one by one, journaled; utf8mb4.\n", total);
	ev_body(r, sb_str(&plan));

	struct strvec done = STRVEC_INIT, inflight = STRVEC_INIT;
	load_done(r, s, &done, &inflight);
	if (done.n)
		ev_log(r, "info", "resuming: %zu statements of this step are already applied (journal)", done.n);
	for (size_t i = 0; i < inflight.n; i++) {
		ev_log(r, "warn", "statement %s was in flight when the engine stopped: the server may or may not have applied it",
		       inflight.v[i]);
	}

	{
		struct ask q = {.qid = s->id, .kind = "next", .prompt = "Apply the statements now?", .def = "yes"};
		char *a = run_ask(r, &q);
		if (!a) {
			rc = STEP_ABORT;
			goto out2;
		}
		free(a);
	}
	if (run_backup_gate(r) < 0) {
		rc = STEP_ABORT;
		goto out2;
	}

	struct db_params p;
	struct db *d = NULL;
	while (!(d = connect_locked(r, s, &p))) {
		char *cq = xasprintf("%s.connect", s->id);
		int c = run_ask_failure(r, cq, "cannot connect to the database");
		free(cq);
		if (c != 'r') {
			rc = c == 's' ? STEP_SKIPPED : STEP_ABORT;
			goto out2;
		}
	}
	size_t n = 0, applied = 0, already = 0, skipped = 0;
	uint64_t last = 0;
	char *uservar_stmt = NULL;
	for (size_t f = 0; f < nf; f++) {
		size_t fa = 0, fal = 0;
		ev_item(r, files[f].path, path_basename(files[f].path), "run", "", "");
		for (size_t i = 0; i < files[f].sc.n; i++, n++) {
			struct sql_stmt *st = &files[f].sc.v[i];
			char *key = xasprintf("%s#%zu", files[f].path, i + 1);
			int was_inflight = in_list(&inflight, key);
			if (in_list(&done, key) && !was_inflight) {
				free(key);
				if (strstr(st->text, ":=")) {
					free(uservar_stmt);
					uservar_stmt = xstrdup(st->text);
					db_exec(d, st->text, NULL, &(struct db_error){0});
				}
				continue;
			}
			free(key);
			if (r->abort_requested) {
				rc = STEP_ABORT;
				goto done;
			}
			char sha[65];
			sqlsplit_checksum(st, sha);
			char *shown = oneline(st->text, 160);
			for (;;) {
				run_journal(r, "stmt_begin", "\"file\":\"%s\",\"index\":%zu,\"line\":%d,\"sha256\":\"%s\"", files[f].path,
					    i + 1, st->line, sha);
				ev_log(r, "sql", "%s:%d: %s", path_basename(files[f].path), st->line, shown);
				struct db_error err = {0};
				unsigned long long aff = 0;
				if (db_exec(d, st->text, &aff, &err) == 0) {
					run_journal(r, "stmt_done", "\"file\":\"%s\",\"index\":%zu,\"affected\":%llu", files[f].path, i + 1, aff);
					applied++, fa++;
					if (strstr(st->text, ":=")) {
						free(uservar_stmt);
						uservar_stmt = xstrdup(st->text);
					}
					break;
				}
				if (already_code(s, err.code)) {
					run_journal(r, "stmt_already", "\"file\":\"%s\",\"index\":%zu,\"code\":%u", files[f].path, i + 1, err.code);
					ev_log(r, "warn", "already applied: %s line %d: (%u) %s", path_basename(files[f].path), st->line,
					       err.code, err.message);
					already++, fal++;
					break;
				}
				ev_log(r, "error", "%s line %d: ERROR %u (%s): %s", files[f].path, st->line, err.code, err.sqlstate, err.message);
				char *what = xasprintf("%s line %d failed: ERROR %u: %s\n%s", path_basename(files[f].path), st->line,
						       err.code, err.message, shown);
				char *qid = xasprintf("%s.error", s->id);
				int c = run_ask_failure(r, qid, what);
				free(qid), free(what);
				if (c == 'a') {
					run_journal(r, "stmt_failed", "\"file\":\"%s\",\"index\":%zu,\"code\":%u", files[f].path, i + 1, err.code);
					free(shown);
					rc = STEP_ABORT;
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
				/* retry: reconnect if the server went away, restoring session variables */
				if (db_is_connection_error(err.code) || db_ping(d) != 0) {
					db_close(d);
					run_db_params_free(&p);
					while (!(d = connect_locked(r, s, &p))) {
						char *q2 = xasprintf("%s.connect", s->id);
						int c2 = run_ask_failure(r, q2, "cannot reconnect to the database");
						free(q2);
						if (c2 != 'r') {
							free(shown);
							rc = STEP_ABORT;
							goto out3;
						}
					}
					ev_log(r, "info", "reconnected");
					if (uservar_stmt)
						db_exec(d, uservar_stmt, NULL, &(struct db_error){0});
				}
			}
			free(shown);
			uint64_t now = mono_ms();
			if (now - last >= 100 || n + 1 == total) {
				last = now;
				char label[64];
				snprintf(label, sizeof label, "%zu/%zu statements", n + 1, total);
				ev_progress(r, (double)(n + 1), (double)total, label);
			}
		}
		char *detail = xasprintf("%zu applied%s%zu already applied", fa, fal ? ", " : " (", fal);
		if (!fal) {
			free(detail);
			detail = xasprintf("%zu applied", fa);
		}
		ev_item(r, files[f].path, path_basename(files[f].path), fal ? "warn" : "pass", detail, "");
		free(detail);
	}
	sv_push_owned(&r->done_notes, xasprintf("SQL: %zu statements applied, %zu already applied, %zu skipped", applied, already, skipped));
	rc = STEP_OK;
done:
	db_close(d);
out3:
	run_db_params_free(&p);
	free(uservar_stmt);
out2:
	sv_free(&done);
	sv_free(&inflight);
out:
	sb_free(&plan);
	for (size_t i = 0; i < nf; i++) {
		free(files[i].path);
		sql_script_free(&files[i].sc);
	}
	free(files);
	return rc;
}
