/*
 * backup.c: the backup step. A logical dump of the database (mariadb-dump, core/dump.c) and a
 * tarball per folder (libarchive, core/tarball.c), each verified and checksummed before the
 * run may call itself backed up. Only then do destructive steps unlock (run_backup_gate).
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/dump.h"
#include "core/run.h"
#include "core/tarball.h"

struct prog {
	struct run *r;
	uint64_t last;
};

static char *human(unsigned long long b)
{
	if (b >= 1ull << 30)
		return xasprintf("%.1f GiB", (double)b / (1 << 30));
	if (b >= 1ull << 20)
		return xasprintf("%.1f MiB", (double)b / (1 << 20));
	return xasprintf("%.1f KiB", (double)b / 1024);
}

static void dump_prog(void *ud, unsigned long long done, unsigned long long est, const char *line)
{
	struct prog *p = ud;
	(void)line;
	uint64_t now = mono_ms();
	if (now - p->last < 200)
		return;
	p->last = now;
	char *size = human(done);
	char label[96];
	snprintf(label, sizeof label, "%s written", size);
	free(size);
	ev_progress(p->r, (double)done, est > done ? (double)est : 0, "bytes", label);
}

int act_backup(struct run *r, const struct pstep *s)
{
	char *base = run_expand(r, s->backup_dir, EXPAND_PLAIN);
	if (!base)
		return STEP_FAILED;
	char *dir = xasprintf("%s/%s", base, r->run_id);
	free(base);
	struct strbuf plan = STRBUF_INIT;
	sb_addf(&plan, "Backups go to %s\n", dir);
	if (s->db_conn)
		sb_addf(&plan, "- database (connection %s): mariadb-dump --single-transaction, verified\n", s->db_conn);
	for (size_t i = 0; i < s->folders.n; i++) {
		char *f = run_expand(r, s->folders.v[i], EXPAND_DISPLAY);
		sb_addf(&plan, "- folder %s: tar.gz, verified\n", f ? f : s->folders.v[i]);
		free(f);
	}
	ev_body(r, sb_str(&plan));
	struct ask q = {.qid = s->id, .kind = "next", .prompt = "Take the backup now?", .def = "yes"};
	char *a = run_ask(r, &q);
	if (!a) {
		free(dir);
		sb_free(&plan);
		return STEP_ABORT;
	}
	free(a);
	char *cause = NULL;
	if (run_guard_path(r, dir) < 0 || mkdir_p(dir, 0700, &cause) < 0) {
		if (cause)
			ev_log(r, "error", "%s", cause);
		free(cause);
		free(dir);
		sb_free(&plan);
		return STEP_FAILED;
	}
	int ok = 1;
	r->backup_verified = 0;
	if (s->db_conn) {
		struct db_params p;
		struct db *d = run_db_open(r, s->db_conn, &p);
		if (!d)
			ok = 0;
		else {
			db_close(d);
			char *out = xasprintf("%s/%s.sql", dir, p.database);
			ev_item(r, "db", "Database dump", "run", out, "");
			struct dump_opts o = {.db = p, .out_path = out, .tmpdir = dir};
			struct dump_result res = {0};
			struct prog pr = {r, 0};
			if (dump_database(&o, dump_prog, &pr, &res, &cause) < 0 || !res.complete) {
				ev_item(r, "db", "Database dump", "fail", cause ? cause : "not verified",
					"Free space under the backup folder, check the database, then retry.");
				free(cause);
				cause = NULL;
				ok = 0;
			} else {
				char *size = human(res.bytes);
				char *detail = xasprintf("%s, %u of %u tables, sha256 %.16s…", size, res.tables_in_dump,
							 res.tables_in_db, res.sha256);
				ev_item(r, "db", "Database dump", "pass", detail, "");
				ev_log(r, "info", "dump written and hashed in %.1f s, on disk (fsync) %lu ms later", res.dump_ms / 1000.0,
				       res.sync_ms);
				free(r->backup_db_path);
				r->backup_db_path = xstrdup(out);
				free(r->backup_restore_cmd);
				r->backup_restore_cmd = dump_restore_command(&p, out);
				sv_push_owned(&r->backups, xasprintf("database %s: %s (%s, sha256 %s)", p.database, out, size, res.sha256));
				sb_addf(&plan, "\nRestore the database with:\n  %s\n", r->backup_restore_cmd);
				/* where the dump came from, for roll-back (core/rollback.c): never the password,
				 * only the name of the variable that holds it */
				const struct pconn *pc = profile_conn(r->prof, s->db_conn);
				char *pwvar = NULL;
				if (pc && pc->password && str_starts(pc->password, "${") && str_ends(pc->password, "}"))
					pwvar = xstrndup(pc->password + 2, strlen(pc->password) - 3);
				json_t *conn = json_pack("{s:s,s:i,s:s,s:s,s:s,s:s}", "host", p.host ? p.host : "",
							 "port", (int)p.port, "socket", p.socket ? p.socket : "", "user",
							 p.user ? p.user : "", "database", p.database, "password_var", pwvar ? pwvar : "");
				char *jc = json_dumps(conn, JSON_COMPACT);
				json_decref(conn);
				free(pwvar);
				run_journal(r, "backup", "\"kind\":\"database\",\"path\":\"%s\",\"sha256\":\"%s\",\"tables\":%u,\"verified\":true,\"conn\":%s",
					    out, res.sha256, res.tables_in_dump, jc ? jc : "{}");
				free(jc);
				free(detail);
				free(size);
			}
			free(out);
			run_db_params_free(&p);
		}
	}
	for (size_t i = 0; ok && i < s->folders.n; i++) {
		char *f = run_expand(r, s->folders.v[i], EXPAND_PLAIN);
		if (!f || run_guard_path(r, f) < 0) {
			free(f);
			ok = 0;
			break;
		}
		char key[32];
		snprintf(key, sizeof key, "folder%zu", i + 1);
		char *out = xasprintf("%s/%s-%zu.tar.gz", dir, path_basename(f), i + 1);
		ev_item(r, key, f, "run", out, "");
		struct tarball_result tr = {0};
		unsigned nfiles = 0;
		if (tarball_create(f, out, &tr, &cause) < 0 || tarball_verify(out, &nfiles, &cause) < 0 || nfiles != tr.files) {
			ev_item(r, key, f, "fail", cause ? cause : "the archive does not read back whole", "");
			free(cause);
			cause = NULL;
			ok = 0;
		} else {
			char *size = human(tr.bytes);
			char *detail = xasprintf("%u files, %s, sha256 %.16s…", tr.files, size, tr.sha256);
			ev_item(r, key, f, "pass", detail, "");
			char *parent = path_dirname(f);
			sv_push_owned(&r->backups, xasprintf("folder %s: %s (%s, sha256 %s; restore: tar -xzf %s -C %s)", f, out,
							     size, tr.sha256, out, parent));
			sb_addf(&plan, "Restore %s with:\n  tar -xzf %s -C %s\n", f, out, parent);
			run_journal(r, "backup", "\"kind\":\"folder\",\"src\":\"%s\",\"path\":\"%s\",\"sha256\":\"%s\",\"verified\":true",
				    f, out, tr.sha256);
			free(parent), free(detail), free(size);
		}
		free(out);
		free(f);
	}
	ev_body(r, sb_str(&plan));
	sb_free(&plan);
	free(dir);
	if (!ok)
		return STEP_FAILED;
	r->backup_verified = 1;
	ev_log(r, "info", "backup verified: destructive steps are unlocked");
	return STEP_OK;
}
