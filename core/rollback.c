/*
 * rollback.c: undo a run from its journal (see rollback.h for the design).
 *
 * Reading: every journal of the chain (a run and the runs it resumed) is read oldest first into
 * one list of effects, which is then walked backwards. Executing: files first, newest effect
 * first, then the database. Each item looks at the world before it acts, so running the whole
 * roll-back again after a kill is safe; nothing is deleted that the run did not write as it is now
 * (a changed file is kept beside the original, never lost).
 */
#include "core/rollback.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/dump.h"
#include "core/guard.h"
#include "core/journal.h"
#include "core/runstate.h"

static const char *jget(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static void item_free(struct rb_item *it)
{
	free(it->path), free(it->saved), free(it->sha256), free(it->step), free(it->key);
}

void rollback_plan_free(struct rb_plan *p)
{
	for (size_t i = 0; i < p->n; i++)
		item_free(&p->items[i]);
	free(p->items);
	free(p->run_id), free(p->run_dir), free(p->profile), free(p->target), free(p->outcome), free(p->rolled_back_by);
	free(p->dump_path), free(p->dump_sha256), free(p->db_host), free(p->db_socket), free(p->db_user), free(p->db_name);
	free(p->db_password_var);
	sv_free(&p->not_undone);
	sv_free(&p->chain);
	memset(p, 0, sizeof *p);
}

struct effects {
	struct rb_item *v;
	size_t n, cap;
};

static struct rb_item *push(struct effects *e)
{
	if (e->n == e->cap) {
		e->cap = e->cap ? e->cap * 2 : 16;
		e->v = xreallocarray(e->v, e->cap, sizeof *e->v);
	}
	memset(&e->v[e->n], 0, sizeof e->v[0]);
	e->v[e->n].mode = -1;
	return &e->v[e->n++];
}

/* Reads one run's journal (after the runs it resumed, recursively) into ef. */
static int read_chain(const char *state, const char *run_id, struct rb_plan *p, struct effects *ef, int depth,
		      char **cause)
{
	if (depth > 32) {
		set_cause(cause, "run %s: the chain of resumed runs is too long (a loop?)", run_id);
		return -1;
	}
	if (!*run_id || strchr(run_id, '/') || strcmp(run_id, ".") == 0 || strcmp(run_id, "..") == 0) {
		set_cause(cause, "%s: not a run id", run_id);
		return -1;
	}
	char *dir = xasprintf("%s/runs/%s", state, run_id);
	char *jpath = xasprintf("%s/journal.jsonl", dir);
	struct strvec lines = STRVEC_INIT;
	int rc = 0;
	if (!is_dir(dir)) {
		set_cause(cause, "no run %s under %s/runs", run_id, state);
		rc = -1;
		goto out;
	}
	if (journal_read_lines(jpath, &lines, cause) < 0) {
		rc = -1;
		goto out;
	}
	sv_push(&p->chain, run_id);
	for (size_t i = 0; i < lines.n && rc == 0; i++) {
		json_t *o = json_loads(lines.v[i], 0, NULL);
		if (!o)
			continue;   /* a torn last line after a crash */
		const char *t = jget(o, "t");
		const char *step = jget(o, "step");
		if (!t) {
			json_decref(o);
			continue;
		}
		if (strcmp(t, "resume") == 0 && jget(o, "from")) {
			rc = read_chain(state, jget(o, "from"), p, ef, depth + 1, cause);
		} else if (strcmp(t, "backup") == 0 && jget(o, "kind") && strcmp(jget(o, "kind"), "database") == 0 &&
			   !p->have_dump) {
			/* the first verified dump of the chain: the state before any statement */
			json_t *c = json_object_get(o, "conn");
			p->have_dump = 1;
			p->dump_path = xstrdup(jget(o, "path"));
			p->dump_sha256 = xstrdup(jget(o, "sha256"));
			if (json_is_object(c)) {
				p->db_host = xstrdup(jget(c, "host"));
				p->db_socket = xstrdup(jget(c, "socket"));
				p->db_user = xstrdup(jget(c, "user"));
				p->db_name = xstrdup(jget(c, "database"));
				p->db_password_var = xstrdup(jget(c, "password_var"));
				p->db_port = (unsigned)json_integer_value(json_object_get(c, "port"));
			}
			if (!p->db_name && p->dump_path) {   /* an older journal: the dump is DB.sql */
				const char *b = path_basename(p->dump_path);
				p->db_name = xstrndup(b, str_ends(b, ".sql") ? strlen(b) - 4 : strlen(b));
			}
		} else if (str_starts(t, "stmt_") && strcmp(t, "stmt_already") != 0) {
			p->db_touched = 1;
		} else if (strcmp(t, "file_moved") == 0 && jget(o, "from") && jget(o, "to")) {
			struct rb_item *it = push(ef);
			it->kind = RB_FILE_MOVED;
			it->path = xstrdup(jget(o, "from"));
			it->saved = xstrdup(jget(o, "to"));
			it->step = xstrdup(step);
			it->key = xasprintf("%s:%zu", run_id, i + 1);
		} else if (strcmp(t, "file_added") == 0 && jget(o, "path")) {
			struct rb_item *it = push(ef);
			it->kind = RB_FILE_ADDED;
			it->path = xstrdup(jget(o, "path"));
			it->sha256 = xstrdup(jget(o, "sha256"));
			it->step = xstrdup(step);
			it->key = xasprintf("%s:%zu", run_id, i + 1);
		} else if (strcmp(t, "file_replaced") == 0 && jget(o, "path") && jget(o, "backup")) {
			struct rb_item *it = push(ef);
			it->kind = RB_FILE_REPLACED;
			it->path = xstrdup(jget(o, "path"));
			it->saved = xstrdup(jget(o, "backup"));
			it->sha256 = xstrdup(jget(o, "sha256_after"));
			json_t *m = json_object_get(o, "mode");
			it->mode = json_is_integer(m) ? (int)json_integer_value(m) : -1;
			it->step = xstrdup(step);
			it->key = xasprintf("%s:%zu", run_id, i + 1);
		} else if (strcmp(t, "command") == 0 && json_object_get(o, "index")) {
			sv_push_owned(&p->not_undone,
				      xasprintf("step %s ran command %lld (exit %lld): what it did stays", step ? step : "?",
						(long long)json_integer_value(json_object_get(o, "index")),
						(long long)json_integer_value(json_object_get(o, "exit"))));
		} else if (strcmp(t, "rolled_back") == 0 && depth == 0 && jget(o, "by")) {
			free(p->rolled_back_by);
			p->rolled_back_by = xstrdup(jget(o, "by"));
		}
		json_decref(o);
	}
out:
	sv_free(&lines);
	free(jpath);
	free(dir);
	return rc;
}

int rollback_plan_load(const char *state_dir, const char *run_id, struct rb_plan *p, char **cause)
{
	memset(p, 0, sizeof *p);
	struct effects ef = {0};
	if (read_chain(state_dir, run_id, p, &ef, 0, cause) < 0) {
		for (size_t i = 0; i < ef.n; i++)
			item_free(&ef.v[i]);
		free(ef.v);
		rollback_plan_free(p);
		return -1;
	}
	p->run_id = xstrdup(run_id);
	p->run_dir = xasprintf("%s/runs/%s", state_dir, run_id);
	char *meta = xasprintf("%s/run.json", p->run_dir);
	json_t *o = json_load_file(meta, 0, NULL);
	free(meta);
	if (o) {
		p->profile = xstrdup(jget(o, "profile"));
		p->target = xstrdup(jget(o, "target"));
		p->outcome = xstrdup(jget(o, "outcome"));
		p->sandbox = json_is_true(json_object_get(o, "sandbox"));
		if (!p->rolled_back_by && jget(o, "rolled_back"))
			p->rolled_back_by = xstrdup(jget(o, "rolled_back"));
		json_decref(o);
	}
	/* newest effect first, then the database (changed before any file in every profile so far) */
	size_t n = ef.n + (p->db_touched && p->have_dump ? 1 : 0);
	p->items = xcalloc(n ? n : 1, sizeof *p->items);
	for (size_t i = 0; i < ef.n; i++)
		p->items[p->n++] = ef.v[ef.n - 1 - i];
	free(ef.v);
	if (p->db_touched && p->have_dump) {
		struct rb_item *it = &p->items[p->n++];
		it->kind = RB_DATABASE;
		it->mode = -1;
		it->path = xstrdup(p->db_name ? p->db_name : "?");
		it->saved = xstrdup(p->dump_path);
		it->sha256 = xstrdup(p->dump_sha256);
		it->key = xstrdup("database");
	}
	return 0;
}

int rollback_plan_empty(const struct rb_plan *p)
{
	return p->n == 0;
}

char *rollback_plan_text(const struct rb_plan *p)
{
	struct strbuf sb = STRBUF_INIT;
	sb_addf(&sb, "Roll-back of run %s (%s, target %s, outcome %s)%s\n", p->run_id, p->profile ? p->profile : "?",
		p->target ? p->target : "?", p->outcome ? p->outcome : "unfinished", p->sandbox ? ", SANDBOX" : "");
	if (p->chain.n > 1) {
		sb_adds(&sb, "It resumed earlier runs, undone too:");
		for (size_t i = 1; i < p->chain.n; i++)
			sb_addf(&sb, " %s", p->chain.v[i]);
		sb_addc(&sb, '\n');
	}
	if (!p->n)
		sb_adds(&sb, "Nothing to undo: the run changed no file and sent no statement.\n");
	for (size_t i = 0; i < p->n; i++) {
		const struct rb_item *it = &p->items[i];
		switch (it->kind) {
		case RB_FILE_MOVED: sb_addf(&sb, "  %2zu. put back  %s (from %s)\n", i + 1, it->path, it->saved); break;
		case RB_FILE_ADDED: sb_addf(&sb, "  %2zu. remove    %s (added by %s)\n", i + 1, it->path, it->step ? it->step : "the run"); break;
		case RB_FILE_REPLACED: sb_addf(&sb, "  %2zu. restore   %s (original in %s)\n", i + 1, it->path, it->saved); break;
		case RB_DATABASE:
			sb_addf(&sb, "  %2zu. database  %s: emptied and loaded from the verified dump %s (sha256 %.16s…)\n", i + 1,
				it->path, it->saved, it->sha256 ? it->sha256 : "?");
			break;
		}
	}
	if (p->db_touched && !p->have_dump)
		sb_adds(&sb, "The database was changed and there is NO verified dump: it cannot be restored.\n");
	for (size_t i = 0; i < p->not_undone.n; i++)
		sb_addf(&sb, "  not undone: %s\n", p->not_undone.v[i]);
	return sb_detach(&sb);
}

/* ---- executing */

static void logf_(const struct rb_env *e, const char *level, const char *fmt, ...) PRINTF_LIKE(3, 4);
static void logf_(const struct rb_env *e, const char *level, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = xvasprintf(fmt, ap);
	va_end(ap);
	if (e->log)
		e->log(e->ud, level, s);
	free(s);
}

static char *jstr(const char *s)
{
	json_t *j = json_string(s ? s : "");
	char *out = j ? json_dumps(j, JSON_ENCODE_ANY) : NULL;
	json_decref(j);
	return out ? out : xstrdup("\"?\"");
}

static void journal_item(const struct rb_env *e, const struct rb_item *it, const char *type, const char *result)
{
	static const char *const kinds[] = {"file_moved", "file_added", "file_replaced", "database"};
	char *jk = jstr(it->key), *jp = jstr(it->path), *jr = jstr(result);
	char *m = xasprintf("\"key\":%s,\"kind\":\"%s\",\"path\":%s,\"result\":%s", jk, kinds[it->kind], jp, jr);
	if (e->jr)
		journal_append(e->jr, type, m);
	free(m), free(jk), free(jp), free(jr);
}

static int move_path(const char *from, const char *to, char **cause)
{
	if (rename(from, to) == 0) {
		fsync_dir_of(to);
		fsync_dir_of(from);
		return 0;
	}
	if (errno != EXDEV) {
		set_cause(cause, "move %s -> %s: %s", from, to, strerror(errno));
		return -1;
	}
	struct stat st;
	char a[65], b[65];
	if (stat(from, &st) < 0) {
		set_cause(cause, "%s: %s", from, strerror(errno));
		return -1;
	}
	if (copy_file(from, to, st.st_mode & 07777, cause) < 0 || sha256_file(from, a, cause) < 0 ||
	    sha256_file(to, b, cause) < 0)
		return -1;
	if (strcmp(a, b) != 0) {
		unlink(to);
		set_cause(cause, "copy of %s to %s differs from the original", from, to);
		return -1;
	}
	if (unlink(from) < 0) {
		set_cause(cause, "%s: %s", from, strerror(errno));
		return -1;
	}
	fsync_dir_of(from);
	return 0;
}

/* Keeps what is at path now beside it (PATH.upwiz-rollback-RBID), so nothing is lost. */
static int keep_aside(const struct rb_env *e, const char *path, char **kept, char **cause)
{
	*kept = xasprintf("%s.upwiz-rollback-%s", path, e->rb_id);
	if (path_exists(*kept)) {   /* an earlier attempt kept it already: the path holds something newer */
		free(*kept);
		*kept = xasprintf("%s.upwiz-rollback-%s.%ld", path, e->rb_id, (long)getpid());
	}
	return move_path(path, *kept, cause);
}

static int same_file(const char *a, const char *b)
{
	char ha[65], hb[65];
	return sha256_file(a, ha, NULL) == 0 && sha256_file(b, hb, NULL) == 0 && strcmp(ha, hb) == 0;
}

/* 0 done (result says what), -1 failed (cause). */
static int undo_file(const struct rb_env *e, const struct rb_item *it, const char **result, char **cause)
{
	char *kept = NULL;
	int rc = 0;
	switch (it->kind) {
	case RB_FILE_MOVED:
		if (!path_exists(it->saved)) {
			if (path_exists(it->path)) {
				*result = "already back";
				return 0;
			}
			set_cause(cause, "%s is lost: neither at its place nor in %s", it->path, it->saved);
			return -1;
		}
		if (path_exists(it->path)) {
			if (same_file(it->path, it->saved)) {
				*result = "already back (identical copy left in the run folder)";
				return 0;
			}
			if (keep_aside(e, it->path, &kept, cause) < 0)
				return -1;
			logf_(e, "warn", "%s held another file: kept as %s", it->path, kept);
		}
		rc = move_path(it->saved, it->path, cause);
		*result = "put back";
		break;
	case RB_FILE_ADDED:
		if (!path_exists(it->path)) {
			*result = "already gone";
			return 0;
		}
		{
			char hex[65];
			if (sha256_file(it->path, hex, cause) < 0)
				return -1;
			if (it->sha256 && *it->sha256 && strcmp(hex, it->sha256) != 0) {
				if (keep_aside(e, it->path, &kept, cause) < 0)
					return -1;
				logf_(e, "warn", "%s changed since the run added it: kept as %s", it->path, kept);
				*result = "kept aside (changed since)";
				break;
			}
		}
		if (unlink(it->path) < 0) {
			set_cause(cause, "remove %s: %s", it->path, strerror(errno));
			return -1;
		}
		fsync_dir_of(it->path);
		*result = "removed";
		break;
	case RB_FILE_REPLACED: {
		size_t len = 0;
		char *orig = read_file(it->saved, &len, cause);
		if (!orig)
			return -1;
		struct stat st;
		int exists = stat(it->path, &st) == 0;
		mode_t mode = it->mode >= 0 ? (mode_t)it->mode : exists ? (st.st_mode & 07777) : 0644;
		if (exists) {
			size_t clen = 0;
			char *cur = read_file(it->path, &clen, NULL);
			int same = cur && clen == len && memcmp(cur, orig, len) == 0;
			char hex[65] = "";
			if (cur)
				sha256_hex(cur, clen, hex);
			free(cur);
			if (same) {
				if ((st.st_mode & 07777) != mode)
					chmod(it->path, mode);
				free(orig);
				*result = "already restored";
				return 0;
			}
			if (it->sha256 && *it->sha256 && strcmp(hex, it->sha256) != 0) {
				/* someone edited it after the run: keep their version beside it */
				kept = xasprintf("%s.upwiz-rollback-%s", it->path, e->rb_id);
				if (!path_exists(kept) && copy_file(it->path, kept, 0600, cause) < 0) {
					free(orig);
					free(kept);
					return -1;
				}
				logf_(e, "warn", "%s changed since the run wrote it: that version is kept as %s", it->path, kept);
			}
		}
		rc = write_file_atomic(it->path, orig, len, mode, cause);
		if (rc == 0 && exists && (st.st_uid != getuid() || st.st_gid != getgid()))
			(void)!chown(it->path, st.st_uid, st.st_gid);
		free(orig);
		*result = "restored";
		break;
	}
	case RB_DATABASE:
		break;
	}
	free(kept);
	return rc;
}

struct drop_ud {
	struct strvec *sv;
};

static int collect(void *ud, unsigned ncols, char **values, unsigned long *lengths)
{
	struct drop_ud *d = ud;
	(void)lengths;
	if (ncols >= 2 && values[0] && values[1]) {
		char *q = db_quote_ident(values[1]);
		sv_push_owned(d->sv, xasprintf("DROP %s IF EXISTS %s", values[0], q));
		free(q);
	}
	return 0;
}

static int undo_database(const struct rb_env *e, const struct rb_item *it, char **cause)
{
	const struct db_params *p = e->db;
	char hex[65];
	if (sha256_file(it->saved, hex, cause) < 0)
		return -1;
	if (it->sha256 && *it->sha256 && strcmp(hex, it->sha256) != 0) {
		set_cause(cause, "the dump %s is not the verified one (sha256 %.16s…, journal says %.16s…): not restored",
			  it->saved, hex, it->sha256);
		return -1;
	}
	char *gc = NULL;
	if (guard_db(p->host, p->port, p->socket, &gc) < 0) {
		set_cause(cause, "%s", gc);
		free(gc);
		return -1;
	}
	struct db_error err = {0};
	struct db *d = db_connect(p, &err);
	if (!d) {
		set_cause(cause, "connect to %s: (%u) %s", p->database, err.code, err.message);
		return -1;
	}
	int rc = -1;
	char *lock = xasprintf("SELECT GET_LOCK('upwiz:%s', 0)", p->database), *got = NULL;
	struct strvec drops = STRVEC_INIT;
	if (db_query_value(d, lock, &got, &err) < 0 || !got || strcmp(got, "1") != 0) {
		set_cause(cause, "another session holds the upwiz lock on database %s: nothing restored", p->database);
		goto out;
	}
	/* Empty the database first: the dump drops and creates only the tables it holds, and the
	 * upgrade may have added others. Views before tables; foreign keys off for the session. */
	char *esc = NULL;
	db_escape(d, p->database, &esc);
	char *q1 = xasprintf("SELECT IF(table_type = 'VIEW', 'VIEW', 'TABLE'), table_name FROM information_schema.tables "
			     "WHERE table_schema = '%s' ORDER BY table_type = 'VIEW' DESC, table_name", esc);
	char *q2 = xasprintf("SELECT routine_type, routine_name FROM information_schema.routines WHERE routine_schema = '%s'", esc);
	char *q3 = xasprintf("SELECT 'EVENT', event_name FROM information_schema.events WHERE event_schema = '%s'", esc);
	free(esc);
	struct drop_ud du = {&drops};
	int qr = db_query_rows(d, q1, collect, &du, &err) < 0 || db_query_rows(d, q2, collect, &du, &err) < 0 ||
		 db_query_rows(d, q3, collect, &du, &err) < 0;
	free(q1), free(q2), free(q3);
	if (qr) {
		set_cause(cause, "list the objects of %s: (%u) %s", p->database, err.code, err.message);
		goto out;
	}
	if (db_exec(d, "SET SESSION foreign_key_checks = 0", NULL, &err) < 0) {
		set_cause(cause, "(%u) %s", err.code, err.message);
		goto out;
	}
	for (size_t i = 0; i < drops.n; i++)
		if (db_exec(d, drops.v[i], NULL, &err) < 0) {
			set_cause(cause, "%s: (%u) %s", drops.v[i], err.code, err.message);
			goto out;
		}
	logf_(e, "info", "database %s emptied (%zu objects dropped); loading %s", p->database, drops.n, it->saved);
	if (dump_restore(p, it->saved, e->rb_dir, cause) < 0)
		goto out;
	rc = 0;
out:
	free(got);
	free(lock);
	sv_free(&drops);
	db_close(d);   /* releases the named lock */
	return rc;
}

int rollback_execute(const struct rb_plan *p, const struct rb_env *e)
{
	int failed = 0;
	for (size_t i = 0; i < p->n; i++) {
		const struct rb_item *it = &p->items[i];
		char *cause = NULL;
		const char *result = NULL;
		int was_done = 0;
		for (size_t k = 0; e->done_keys && k < e->done_keys->n; k++)
			was_done |= strcmp(e->done_keys->v[k], it->key) == 0;
		fault_delay("rollback");   /* UPWIZ_DELAY=rollback:ms: tests kill a slow roll-back half-way */
		int fe = fault_hit("rollback");
		if (fe) {
			set_cause(&cause, "%s: injected fault (%s)", it->path, strerror(fe));
		} else if (it->kind == RB_DATABASE) {
			if (failed) {
				logf_(e, "error", "database %s NOT restored: %d file%s could not be put back first; fix that and run the "
					  "roll-back again", it->path, failed, failed == 1 ? "" : "s");
				failed++;
				continue;
			}
			if (!e->db) {
				set_cause(&cause, "no connection to restore database %s", it->path);
			} else {
				logf_(e, "info", "restoring database %s from %s", it->path, it->saved);
				if (undo_database(e, it, &cause) == 0)
					result = was_done ? "restored again" : "restored";
			}
		} else if (guard_enabled() && guard_path(it->path, &cause) < 0) {
			/* cause says why */
		} else if (undo_file(e, it, &result, &cause) < 0) {
			result = NULL;
		}
		if (result) {
			logf_(e, "info", "%zu/%zu %s: %s%s", i + 1, p->n, it->path, result,
			      was_done ? " (an earlier attempt had done it)" : "");
			journal_item(e, it, "undo", result);
		} else {
			logf_(e, "error", "%zu/%zu %s: %s", i + 1, p->n, it->path, cause ? cause : "failed");
			journal_item(e, it, "undo_failed", cause ? cause : "failed");
			failed++;
		}
		free(cause);
	}
	return failed;
}

struct rb_unfinished {
	const char *run_id;
};

/* A roll-back of run_id that did not succeed. */
static int rb_unfinished(void *ud, json_t *o)
{
	const struct rb_unfinished *u = ud;
	const char *kind = jget(o, "kind"), *of = jget(o, "of"), *outcome = jget(o, "outcome");
	return kind && strcmp(kind, "rollback") == 0 && of && strcmp(of, u->run_id) == 0 &&
	       (!outcome || strcmp(outcome, "success") != 0);
}

char *rollback_find_unfinished(const char *state_dir, const char *run_id, const char *exclude, struct strvec *done_keys)
{
	struct rb_unfinished u = {run_id};
	char *best = runs_newest(state_dir, exclude, rb_unfinished, &u);
	if (best && done_keys) {
		char *j = xasprintf("%s/runs/%s/journal.jsonl", state_dir, best);
		struct strvec lines = STRVEC_INIT;
		journal_read_lines(j, &lines, NULL);
		for (size_t i = 0; i < lines.n; i++) {
			json_t *o = json_loads(lines.v[i], 0, NULL);
			if (o && jget(o, "t") && strcmp(jget(o, "t"), "undo") == 0 && jget(o, "key"))
				sv_push(done_keys, jget(o, "key"));
			json_decref(o);
		}
		sv_free(&lines);
		free(j);
	}
	return best;
}

void rollback_mark_done(const struct rb_plan *p, const char *rb_id)
{
	for (size_t i = 0; i < p->chain.n; i++) {
		char *dir = NULL;
		/* chain ids live next to the plan's run folder */
		char *parent = path_dirname(p->run_dir);
		dir = path_join(parent, p->chain.v[i]);
		free(parent);
		char *meta = xasprintf("%s/run.json", dir);
		json_t *o = json_load_file(meta, 0, NULL);
		if (o) {
			json_object_set_new(o, "rolled_back", json_string(rb_id));
			char *s = json_dumps(o, JSON_INDENT(1));
			if (s)
				write_file_atomic(meta, s, strlen(s), 0600, NULL);
			free(s);
			json_decref(o);
		}
		char *jpath = xasprintf("%s/journal.jsonl", dir);
		struct journal *j = journal_open(jpath, NULL);
		if (j) {
			char *by = jstr(rb_id);
			char *m = xasprintf("\"by\":%s", by);
			journal_append(j, "rolled_back", m);
			free(m), free(by);
			journal_close(j);
		}
		free(jpath), free(meta), free(dir);
	}
}

void rollback_write_meta(const char *rb_dir, const char *rb_id, const char *of, double started, const char *outcome)
{
	json_t *o = json_pack("{s:s,s:s,s:s,s:f}", "run", rb_id, "kind", "rollback", "of", of, "started", started);
	if (outcome) {
		json_object_set_new(o, "outcome", json_string(outcome));
		json_object_set_new(o, "ended", json_real(wall_time()));
	}
	char *s = json_dumps(o, JSON_INDENT(1));
	char *path = xasprintf("%s/run.json", rb_dir);
	write_file_atomic(path, s, strlen(s), 0600, NULL);
	free(path);
	free(s);
	json_decref(o);
}

/* ---- inside the engine: the fourth answer to a failure (core/engine.c) */

#include "core/engine.h"
#include "core/hub.h"
#include "core/run.h"

struct eng_log {
	struct run *r;
	FILE *log;
};

static void eng_log_fn(void *ud, const char *level, const char *text)
{
	struct eng_log *l = ud;
	ev_log(l->r, level, "roll-back: %s", text);
	if (l->log) {
		char *red = redactor_apply(l->r->red, text);
		char *ts = iso_time(wall_time());
		fprintf(l->log, "%s %-5s %s\n", ts, level, red);
		fflush(l->log);
		free(ts);
		free(red);
	}
}

int run_step_reversible(const struct run *r, size_t i)
{
	const struct pstep *s = &r->prof->steps[i];
	int backed = r->backup_verified && !r->risk_acknowledged;
	switch (s->kind) {
	case SK_SQLAPPLY:
	case SK_COPY:
	case SK_TOKENSYNC:
		return backed;
	case SK_COMMAND:
		/* what a command changed cannot be undone, unless the profile says it changes nothing */
		return s->reads_only;
	default:
		/* no effect of their own (checks, questions, the backup itself writes only new files) */
		return !s->destructive || backed;
	}
}

void run_reversibility_update(struct run *r)
{
	if (!r->step_rev)
		r->step_rev = xcalloc(r->prof->nsteps ? r->prof->nsteps : 1, 1);
	for (size_t i = 0; i < r->prof->nsteps; i++) {
		unsigned char rev = (unsigned char)(run_step_reversible(r, i) ? 2 : 1);
		if (r->step_rev[i] == rev)
			continue;
		int told = r->step_rev[i] != 0;
		r->step_rev[i] = rev;
		const char *state = r->hub ? hub_step_state(r->hub, i) : "pending";
		if (told && strcmp(state, "pending") == 0)
			ev_step(r, r->prof->steps[i].id, "pending", NULL);   /* carries the new `reversible` */
	}
}

int run_rollback_possible(const struct run *r)
{
	return r->backup_verified && !r->risk_acknowledged;
}

int run_rollback(struct run *r)
{
	struct rb_plan plan;
	char *cause = NULL;
	if (rollback_plan_load(r->state_dir, r->run_id, &plan, &cause) < 0) {
		ev_log(r, "error", "roll-back: %s", cause);
		free(cause);
		return -1;
	}
	if (plan.db_touched && !plan.have_dump) {
		ev_log(r, "error", "roll-back: the database was changed without a verified dump: it cannot be restored");
		rollback_plan_free(&plan);
		return -1;
	}
	int restore_db = 0;
	for (size_t i = 0; i < plan.n; i++)
		restore_db |= plan.items[i].kind == RB_DATABASE;
	char *text = rollback_plan_text(&plan);
	char *expect = xstrdup(restore_db && plan.db_name ? plan.db_name : r->run_id);
	char *prompt = restore_db
		? xasprintf("Roll back? This OVERWRITES database %s with the dump taken before the upgrade. Type %s to go on.", expect, expect)
		: xasprintf("Roll back? Type %s to go on.", expect);
	struct ask q = {.qid = "rollback.confirm", .kind = "confirm", .prompt = prompt, .detail = text, .expect = expect};
	ev_body(r, text);
	char *a = run_ask(r, &q);
	int ok = a && strcmp(a, expect) == 0;
	free(a), free(prompt), free(text);
	if (!ok) {
		ev_log(r, "warn", "roll-back not confirmed: nothing was changed");
		free(expect);
		rollback_plan_free(&plan);
		return 0;
	}
	run_journal(r, "rollback_confirmed", "");
	char *rb_dir = NULL;
	char *rb_id = run_new(r->state_dir, &rb_dir, &cause);
	if (!rb_id) {
		ev_log(r, "error", "roll-back: %s", cause);
		free(cause), free(expect);
		rollback_plan_free(&plan);
		return -1;
	}
	double started = wall_time();
	rollback_write_meta(rb_dir, rb_id, r->run_id, started, NULL);
	char *jpath = xasprintf("%s/journal.jsonl", rb_dir), *lpath = xasprintf("%s/run.log", rb_dir);
	struct journal *jr = journal_open(jpath, NULL);
	int lfd = open(lpath, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	struct eng_log el = {r, lfd >= 0 ? fdopen(lfd, "a") : NULL};
	free(jpath), free(lpath);
	char *m = xasprintf("\"of\":\"%s\",\"items\":%zu", r->run_id, plan.n);
	journal_append(jr, "rollback", m);
	free(m);
	run_journal(r, "rollback", "\"id\":\"%s\"", rb_id);
	eng_log_fn(&el, "info", "started; its journal and log are in its own run folder");
	struct db_params p = {0};
	int have_p = 0, failed = 0;
	if (restore_db) {
		const char *conn = NULL;
		for (size_t i = 0; i < r->prof->nsteps && !conn; i++)
			if (r->prof->steps[i].kind == SK_BACKUP && r->prof->steps[i].db_conn)
				conn = r->prof->steps[i].db_conn;
		struct db *d = conn ? run_db_open(r, conn, &p) : NULL;
		if (d) {
			db_close(d);
			have_p = 1;
			free((char *)p.database);
			p.database = plan.db_name;   /* the dumped database; borrowed from the plan */
		} else {
			eng_log_fn(&el, "error", "cannot connect to restore the database: nothing was changed");
			failed = 1;
		}
	}
	if (!failed) {
		struct rb_env env = {.rb_id = rb_id, .rb_dir = rb_dir, .jr = jr, .db = have_p ? &p : NULL,
				     .log = eng_log_fn, .ud = &el};
		failed = rollback_execute(&plan, &env);
	}
	if (have_p) {
		/* run_db_params_free frees every string it filled; database points into the plan */
		p.database = NULL;
		run_db_params_free(&p);
	}
	if (failed == 0) {
		rollback_mark_done(&plan, rb_id);
		for (size_t i = 0; i < plan.not_undone.n; i++)
			eng_log_fn(&el, "warn", plan.not_undone.v[i]);
		sv_push_owned(&r->done_notes, xasprintf("ROLLED BACK by %s: %zu item%s undone (database from the dump, files put "
							 "back, added files removed)", rb_id, plan.n, plan.n == 1 ? "" : "s"));
		eng_log_fn(&el, "info", "done: the target is back where it was before the run");
	} else {
		char *msg = xasprintf("incomplete: %d item%s failed; choose roll-back again, or run `upwiz rollback %s` later",
				      failed, failed == 1 ? "" : "s", r->run_id);
		eng_log_fn(&el, "error", msg);
		free(msg);
	}
	journal_append(jr, "finished", failed == 0 ? "\"outcome\":\"success\",\"exit\":0" : "\"outcome\":\"failed\",\"exit\":1");
	rollback_write_meta(rb_dir, rb_id, r->run_id, started, failed == 0 ? "success" : "failed");
	journal_close(jr);
	if (el.log)
		fclose(el.log);
	free(rb_id), free(rb_dir), free(expect);
	rollback_plan_free(&plan);
	return failed == 0 ? 1 : -1;
}
