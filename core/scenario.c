/*
 * scenario.c: load and apply sandbox scenarios (see scenario.h; the format is in docs/SANDBOX.md).
 *
 * Why declarative files and not scripts: a trainer reads a scenario to know what the trainee
 * will meet, a reviewer checks it cannot touch anything outside the sandbox, and the same
 * few knobs serve every profile. The knobs are the seams the sandbox already has: the world's
 * files (vendor scripts, conf, routes of the HTTP simulator are files under ROOT), its private
 * database, its variables, UPWIZ_FAULT (core/util.c), and fault_on() for actions that must
 * happen at an exact point (the database killed at the Nth statement, the UI hung up when a
 * step starts): a point in time would make the scenario, and its test, depend on timing.
 *
 * Order of scenario_apply: files, SQL, vars, start commands (a started service sees the files
 * and data as the scenario left them).
 */
#include "core/scenario.h"
#include "core/answers.h"
#include "core/db.h"
#include "core/mysqld.h"
#include "core/proc.h"
#include "core/sqlsplit.h"
#include "core/world.h"
#include "core/ytree.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int valid_scenario_name(const char *s)
{
	if (!*s || !((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9')))
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-' || *s == '_' || *s == '.'))
			return 0;
	return 1;
}

static int valid_var_name(const char *s)
{
	if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || *s == '_'))
		return 0;
	for (s++; *s; s++)
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || *s == '_' || (*s >= '0' && *s <= '9')))
			return 0;
	return 1;
}

/* A path under ROOT: relative, no "." or ".." component. */
static int valid_rel_path(const char *p)
{
	if (!*p || *p == '/')
		return 0;
	const char *c = p;
	while (*c) {
		size_t n = strcspn(c, "/");
		if ((n == 1 && c[0] == '.') || (n == 2 && c[0] == '.' && c[1] == '.') || n == 0)
			return 0;
		c += n;
		if (*c == '/')
			c++;
	}
	return 1;
}

/* NAME: VALUE mapping into "NAME=VALUE" strings. */
static void get_kv(struct yerrs *e, const struct ynode *m, const char *key, struct strvec *out, int names)
{
	const struct ynode *n = ymap_get(m, key);
	if (!n)
		return;
	if (n->type != Y_MAP) {
		yerr(e, n, "'%s' must be a mapping NAME: VALUE", key);
		return;
	}
	for (size_t i = 0; i < n->n; i++) {
		if (names && !valid_var_name(n->keys[i]->value))
			yerr(e, n->keys[i], "'%s' is not a name", n->keys[i]->value);
		else if (n->items[i]->type != Y_SCALAR)
			yerr(e, n->items[i], "%s: the value is text", n->keys[i]->value);
		else
			sv_push_owned(out, xasprintf("%s=%s", n->keys[i]->value, n->items[i]->value));
	}
}

static void load_files(struct yerrs *e, const struct ynode *m, struct scenario *sc)
{
	const struct ynode *fl = ymap_get(m, "files");
	if (!fl)
		return;
	if (fl->type != Y_SEQ) {
		yerr(e, fl, "'files' must be a list of {path, content | append | replace | remove, mode}");
		return;
	}
	sc->files = xcalloc(fl->n ? fl->n : 1, sizeof *sc->files);
	for (size_t i = 0; i < fl->n; i++) {
		const struct ynode *f = fl->items[i];
		if (f->type != Y_MAP) {
			yerr(e, f, "a file is a mapping {path, content | append | replace | remove, mode}");
			continue;
		}
		static const char *const fkeys[] = {"path", "content", "append", "replace", "remove", "mode", NULL};
		ycheck_keys(e, f, "a file", fkeys);
		struct scenario_file *sf = &sc->files[sc->nfiles++];
		sf->line = f->line;
		sf->path = yget_str(e, f, "path", 1);
		if (sf->path && !valid_rel_path(sf->path))
			yerr(e, ymap_get(f, "path"), "path '%s' must be relative to ROOT, without '.' or '..'", sf->path);
		sf->content = yget_str(e, f, "content", 0);
		sf->append = yget_str(e, f, "append", 0);
		sf->remove = yget_bool(e, f, "remove", 0);
		char *ms = yget_str(e, f, "mode", 0);
		if (ms) {
			char *end;
			unsigned long mv = strtoul(ms, &end, 8);
			if (*end || mv == 0 || mv > 0777)
				yerr(e, ymap_get(f, "mode"), "mode '%s' is not octal like \"0644\"", ms);
			sf->mode = (mode_t)mv;
			free(ms);
		}
		const struct ynode *rl = ymap_get(f, "replace");
		if (rl && rl->type != Y_SEQ)
			yerr(e, rl, "'replace' must be a list of {from, to}");
		for (size_t k = 0; rl && rl->type == Y_SEQ && k < rl->n; k++) {
			const struct ynode *r = rl->items[k];
			if (r->type != Y_MAP) {
				yerr(e, r, "a replacement is {from: TEXT, to: TEXT}");
				continue;
			}
			static const char *const rkeys[] = {"from", "to", NULL};
			ycheck_keys(e, r, "a replacement", rkeys);
			char *from = yget_str(e, r, "from", 1);
			char *to = yget_str(e, r, "to", 1);
			if (from && !*from)
				yerr(e, ymap_get(r, "from"), "'from' must not be empty");
			if (from && to) {
				sv_push_owned(&sf->from, from);
				sv_push_owned(&sf->to, to);
			} else {
				free(from);
				free(to);
			}
		}
		if (sf->remove && (sf->content || sf->append || sf->from.n))
			yerr(e, f, "a removed file takes no content, append or replace");
		if (!sf->remove && !sf->content && !sf->append && !sf->from.n && !sf->mode)
			yerr(e, f, "a file needs content, append, replace, remove or mode");
	}
}

static void load_faults(struct yerrs *e, const struct ynode *m, struct scenario *sc)
{
	const struct ynode *fl = ymap_get(m, "faults");
	if (!fl)
		return;
	if (fl->type != Y_SEQ) {
		yerr(e, fl, "'faults' must be a list of {site, at, action}");
		return;
	}
	sc->faults = xcalloc(fl->n ? fl->n : 1, sizeof *sc->faults);
	for (size_t i = 0; i < fl->n; i++) {
		const struct ynode *f = fl->items[i];
		if (f->type != Y_MAP) {
			yerr(e, f, "a fault is {site, at, action}");
			continue;
		}
		static const char *const keys[] = {"site", "at", "action", "sql", NULL};
		ycheck_keys(e, f, "a fault", keys);
		struct scenario_fault *sf = &sc->faults[sc->nfaults++];
		sf->site = yget_str(e, f, "site", 1);
		sf->at = yget_int(e, f, "at", 1);
		sf->action = yget_str(e, f, "action", 1);
		sf->sql = yget_str(e, f, "sql", 0);
		if (sf->action && !strcmp(sf->action, "sql") != !!sf->sql)
			yerr(e, f, "the action sql, and only it, takes 'sql'");
		if (sf->site && strlen(sf->site) >= 64)
			yerr(e, ymap_get(f, "site"), "a site name has fewer than 64 characters");
		if (sf->at < 1)
			yerr(e, ymap_get(f, "at"), "'at' counts from 1");
		if (sf->action && strcmp(sf->action, "stop-database") && strcmp(sf->action, "hangup-ui") && strcmp(sf->action, "sql"))
			yerr(e, ymap_get(f, "action"), "unknown action '%s' (stop-database, hangup-ui, sql)", sf->action);
	}
	if (sc->nfaults > 8)
		yerr(e, fl, "at most 8 faults");
}

int scenario_load(const char *world_dir, const char *name, struct scenario *sc, char **cause)
{
	memset(sc, 0, sizeof *sc);
	if (!valid_scenario_name(name)) {
		set_cause(cause, "scenario '%s': a name is lowercase letters, digits, '-', '_' and '.'", name);
		return -1;
	}
	char *dir = path_join(world_dir, "scenarios");
	char *base = xasprintf("%s.yaml", name);
	char *file = path_join(dir, base);
	free(base);
	free(dir);
	if (!path_exists(file)) {
		set_cause(cause, "no scenario '%s' (%s does not exist; --list-scenarios lists them)", name, file);
		free(file);
		return -1;
	}
	struct ydoc doc = {0};
	if (ydoc_load(file, &doc, cause) < 0) {
		free(file);
		return -1;
	}
	struct yerrs e = {.file = file};
	const struct ynode *m = doc.root;
	sc->name = xstrdup(name);
	sc->file = file;
	if (!m || m->type != Y_MAP) {
		yerr(&e, m, "a scenario is a mapping (see docs/SANDBOX.md)");
	} else {
		static const char *const keys[] = {"scenario", "description", "files", "sql", "sql_root", "vars", "env",
		                                   "start", "faults", "expect", "golden", NULL};
		ycheck_keys(&e, m, "a scenario", keys);
		char *id = yget_str(&e, m, "scenario", 1);
		if (id && strcmp(id, name) != 0)
			yerr(&e, ymap_get(m, "scenario"), "'scenario: %s' must be the file's name (%s)", id, name);
		free(id);
		sc->description = yget_str(&e, m, "description", 1);
		if (sc->description && strchr(sc->description, '\n'))
			yerr(&e, ymap_get(m, "description"), "the description is one line");
		load_files(&e, m, sc);
		sc->sql = yget_str(&e, m, "sql", 0);
		sc->sql_root = yget_str(&e, m, "sql_root", 0);
		get_kv(&e, m, "vars", &sc->vars, 1);
		get_kv(&e, m, "env", &sc->env, 1);
		const struct ynode *st = ymap_get(m, "start");
		if (st && st->type != Y_SEQ)
			yerr(&e, st, "'start' must be a list of commands");
		for (size_t i = 0; st && st->type == Y_SEQ && i < st->n; i++) {
			if (st->items[i]->type != Y_SCALAR)
				yerr(&e, st->items[i], "a start command is text");
			else
				sv_push(&sc->start, st->items[i]->value);
		}
		load_faults(&e, m, sc);
		const struct ynode *ex = ymap_get(m, "expect");
		if (ex && ex->type != Y_MAP)
			yerr(&e, ex, "'expect' must be a mapping {outcome, step, message}");
		else if (ex) {
			static const char *const ekeys[] = {"outcome", "step", "message", NULL};
			ycheck_keys(&e, ex, "'expect'", ekeys);
			sc->expect_outcome = yget_str(&e, ex, "outcome", 0);
			sc->expect_step = yget_str(&e, ex, "step", 0);
			sc->expect_message = yget_str(&e, ex, "message", 0);
			const char *o = sc->expect_outcome;
			if (o && strcmp(o, "success") && strcmp(o, "failed") && strcmp(o, "aborted"))
				yerr(&e, ymap_get(ex, "outcome"), "outcome is success, failed or aborted");
		}
		const struct ynode *g = ymap_get(m, "golden");
		if (g && g->type != Y_MAP)
			yerr(&e, g, "'golden' must be a mapping {answers, differs}");
		else if (g) {
			static const char *const gkeys[] = {"answers", "differs", NULL};
			ycheck_keys(&e, g, "'golden'", gkeys);
			struct strvec kv = STRVEC_INIT;
			get_kv(&e, g, "answers", &kv, 0);
			for (size_t i = 0; i < kv.n; i++) {
				size_t n = strcspn(kv.v[i], "=");
				sv_push_owned(&sc->golden_keys, xstrndup(kv.v[i], n));
				sv_push(&sc->golden_values, kv.v[i] + n + 1);
			}
			sv_free(&kv);
			sc->differs = yget_str(&e, g, "differs", 0);
		}
	}
	ydoc_free(&doc);
	if (e.n) {
		char *msg = yerrs_join(&e);
		set_cause(cause, "%s", msg);
		free(msg);
		yerrs_free(&e);
		scenario_free(sc);
		return -1;
	}
	yerrs_free(&e);
	return 0;
}

void scenario_free(struct scenario *sc)
{
	if (!sc)
		return;
	for (size_t i = 0; i < sc->nfiles; i++) {
		struct scenario_file *f = &sc->files[i];
		free(f->path), free(f->content), free(f->append);
		sv_free(&f->from), sv_free(&f->to);
	}
	free(sc->files);
	for (size_t i = 0; i < sc->nfaults; i++)
		free(sc->faults[i].site), free(sc->faults[i].action), free(sc->faults[i].sql);
	free(sc->faults);
	free(sc->name), free(sc->file), free(sc->description), free(sc->sql), free(sc->sql_root);
	sv_free(&sc->vars), sv_free(&sc->env), sv_free(&sc->start);
	free(sc->expect_outcome), free(sc->expect_step), free(sc->expect_message), free(sc->differs);
	sv_free(&sc->golden_keys), sv_free(&sc->golden_values);
	memset(sc, 0, sizeof *sc);
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

int scenario_list(const char *world_dir, struct strvec *names, struct strvec *descs, char **cause)
{
	char *dir = path_join(world_dir, "scenarios");
	DIR *d = opendir(dir);
	if (!d) {
		int err = errno;
		free(dir);
		if (err == ENOENT)
			return 0;
		set_cause(cause, "%s/scenarios: %s", world_dir, strerror(err));
		return -1;
	}
	struct strvec found = STRVEC_INIT;
	struct dirent *de;
	while ((de = readdir(d)))
		if (de->d_name[0] != '.' && str_ends(de->d_name, ".yaml"))
			sv_push_owned(&found, xstrndup(de->d_name, strlen(de->d_name) - 5));
	closedir(d);
	free(dir);
	if (found.n)
		qsort(found.v, found.n, sizeof *found.v, cmp_str);
	for (size_t i = 0; i < found.n; i++) {
		struct scenario sc;
		char *why = NULL;
		sv_push(names, found.v[i]);
		if (scenario_load(world_dir, found.v[i], &sc, &why) < 0) {
			char *first = xstrndup(why, strcspn(why, "\n"));
			sv_push_owned(descs, xasprintf("(invalid: %s)", first));
			free(first);
			free(why);
		} else {
			sv_push(descs, sc.description);
			scenario_free(&sc);
		}
	}
	sv_free(&found);
	return 0;
}

/* ---------------------------------------------------------------- applying */

/* Every occurrence of from in s replaced by to; caller frees. *count gets the number replaced. */
static char *replace_all(const char *s, const char *from, const char *to, size_t *count)
{
	struct strbuf sb = STRBUF_INIT;
	size_t fl = strlen(from);
	*count = 0;
	const char *p = s, *q;
	while ((q = strstr(p, from))) {
		sb_add(&sb, p, (size_t)(q - p));
		sb_adds(&sb, to);
		p = q + fl;
		(*count)++;
	}
	sb_adds(&sb, p);
	if (!sb.s)
		sb_adds(&sb, "");
	return sb_detach(&sb);
}

/* The file's folder, created, must resolve inside root (a symlinked folder cannot lead out). */
static int inside_root(const char *root, const char *file, char **cause)
{
	char *dir = path_dirname(file);
	int rc = mkdir_p(dir, 0755, cause);
	char *real = rc == 0 ? realpath(dir, NULL) : NULL;
	size_t rl = strlen(root);
	if (rc == 0 && (!real || strncmp(real, root, rl) != 0 || (real[rl] != '/' && real[rl] != '\0'))) {
		set_cause(cause, "%s: its folder resolves outside the sandbox root", file);
		rc = -1;
	}
	free(real);
	free(dir);
	return rc;
}

static int apply_file(const struct scenario *sc, const struct scenario_file *f, struct world *w, char **cause)
{
	char *path = path_join(w->root, f->path);
	int rc = -1;
	char *text = NULL, *why = NULL;
	struct stat st;
	int exists = lstat(path, &st) == 0;
	if (inside_root(w->root, path, &why) < 0)
		goto out;
	if (exists && !S_ISREG(st.st_mode)) {
		why = xstrdup("not a regular file");
		goto out;
	}
	if (f->remove) {
		if (exists && unlink(path) < 0) {
			why = xstrdup(strerror(errno));
			goto out;
		}
		rc = 0;
		goto out;
	}
	if (f->content) {
		text = world_expand(w, f->content);
	} else if (exists) {
		size_t len;
		text = read_file(path, &len, &why);
		if (!text)
			goto out;
	} else if (f->append) {
		text = xstrdup("");
	} else {
		why = xstrdup("no such file (give it content)");
		goto out;
	}
	for (size_t i = 0; i < f->from.n; i++) {
		char *from = world_expand(w, f->from.v[i]);
		char *to = world_expand(w, f->to.v[i]);
		size_t n = 0;
		char *t = replace_all(text, from, to, &n);
		if (n == 0)
			why = xasprintf("replace: the text '%s' is not in the file", f->from.v[i]);
		free(from);
		free(to);
		free(text);
		text = t;
		if (why)
			goto out;
	}
	if (f->append) {
		char *a = world_expand(w, f->append);
		char *t = xasprintf("%s%s", text, a);
		free(a);
		free(text);
		text = t;
	}
	mode_t mode = f->mode ? f->mode : exists ? (st.st_mode & 0777) : 0644;
	if (write_file_atomic(path, text, strlen(text), mode, &why) < 0)
		goto out;
	chmod(path, mode);
	rc = 0;
out:
	if (rc < 0)
		set_cause(cause, "%s:%d: file %s: %s", sc->file, f->line, f->path, why ? why : "failed");
	free(why);
	free(text);
	free(path);
	return rc;
}

static int run_sql(const struct scenario *sc, struct world *w, const char *sql, int as_root, char **cause)
{
	if (!w->has_db) {
		set_cause(cause, "%s: the scenario has SQL but the world has no database", sc->file);
		return -1;
	}
	struct db_params p;
	mysqld_db_params(&w->db, &p);
	if (!as_root) {
		p.user = w->db_user;
		p.password = w->db_password;
		p.database = w->db_name;
	}
	struct db_error e = {0};
	struct db *d = db_connect(&p, &e);
	if (!d) {
		set_cause(cause, "%s: connecting to the world's database: ERROR %u: %s", sc->file, e.code, e.message);
		return -1;
	}
	char *text = world_expand(w, sql);
	struct sql_script s = {0};
	char *why = NULL;
	int rc = 0;
	if (sqlsplit_parse(text, strlen(text), &s, &why) < 0) {
		set_cause(cause, "%s: %s: %s", sc->file, as_root ? "sql_root" : "sql", why);
		free(why);
		rc = -1;
	}
	for (size_t i = 0; rc == 0 && i < s.n; i++) {
		if (db_exec(d, s.v[i].text, NULL, &e) < 0) {
			set_cause(cause, "%s: %s line %d: ERROR %u (%s): %s", sc->file, as_root ? "sql_root" : "sql", s.v[i].line,
			          e.code, e.sqlstate, e.message);
			rc = -1;
		}
	}
	sql_script_free(&s);
	free(text);
	db_close(d);
	return rc;
}

struct out_tail {
	struct strbuf sb;
};

static void keep_tail(void *ud, const char *line, size_t len)
{
	struct out_tail *t = ud;
	if (t->sb.len > 4000)
		sb_reset(&t->sb);
	sb_add(&t->sb, line, len);
	sb_addc(&t->sb, '\n');
}

int scenario_apply(const struct scenario *sc, struct world *w, char **cause)
{
	for (size_t i = 0; i < sc->nfiles; i++)
		if (apply_file(sc, &sc->files[i], w, cause) < 0)
			return -1;
	if (sc->sql && run_sql(sc, w, sc->sql, 0, cause) < 0)
		return -1;
	if (sc->sql_root && run_sql(sc, w, sc->sql_root, 1, cause) < 0)
		return -1;
	for (size_t i = 0; i < sc->vars.n; i++) {
		const char *kv = sc->vars.v[i];
		size_t n = strcspn(kv, "=");
		char *name = xstrndup(kv, n);
		if (!world_var(w, name)) {
			set_cause(cause, "%s: var %s: the world answers no variable of that name", sc->file, name);
			free(name);
			return -1;
		}
		char *v = world_expand(w, kv + n + 1);
		sv_push_owned(&w->vars, xasprintf("%s=%s", name, v));   /* the last one wins (world_var reads backwards) */
		free(v);
		free(name);
	}
	char *path = xasprintf("PATH=%s%s%s", w->path_prepend ? w->path_prepend : "", w->path_prepend ? ":" : "",
	                       getenv("PATH") ? getenv("PATH") : "/usr/bin:/bin");
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < sc->start.n; i++) {
		char *cmd = world_expand(w, sc->start.v[i]);
		const char *argv[] = {"sh", "-c", cmd, NULL};
		const char *env[] = {path, NULL};
		struct proc_opts o = {.argv = argv, .cwd = w->root, .env_set = env, .stdin_fd = -1};
		struct out_tail t = {STRBUF_INIT};
		int code = 0;
		char *why = NULL;
		if (proc_run(&o, 60000, keep_tail, &t, &code, &why) < 0 || code != 0) {
			char *what = why ? xstrdup(why) : xasprintf("failed with exit code %d", code);
			set_cause(cause, "%s: start command %zu (%s) %s\n%s", sc->file, i + 1, sc->start.v[i], what, sb_str(&t.sb));
			free(what);
			rc = -1;
		}
		free(why);
		sb_free(&t.sb);
		free(cmd);
	}
	free(path);
	return rc;
}

/* ---------------------------------------------------------------- arming */

static void act_stop_database(const char *site, void *ud)
{
	(void)site;
	struct world *w = ((struct scenario_fault *)ud)->w;
	if (w->has_db)
		mysqld_kill9(&w->db);     /* the server dies mid-work, as a crash or an OOM kill would */
}

/* The front end that started this engine (its parent, if it is upwiz) gets SIGHUP, as when an
 * SSH link drops: the engine goes on and waits for `upwiz attach`. */
static void act_hangup_ui(const char *site, void *ud)
{
	(void)site, (void)ud;
	pid_t pp = getppid();
	if (pp <= 1)
		return;
	char self[4096], parent[4096];
	char link[64];
	snprintf(link, sizeof link, "/proc/%ld/exe", (long)pp);
	ssize_t a = readlink("/proc/self/exe", self, sizeof self - 1);
	ssize_t b = readlink(link, parent, sizeof parent - 1);
	if (a <= 0 || b <= 0)
		return;
	self[a] = parent[b] = '\0';
	if (strcmp(self, parent) == 0)
		kill(pp, SIGHUP);
}

/* SQL run at the fault's point (a token rotated behind the wizard's back); errors go unsaid: the
 * scenario's expectation shows whether it worked. */
static void act_sql(const char *site, void *ud)
{
	(void)site;
	struct scenario_fault *f = ud;
	struct scenario fake = {.file = "fault"};
	char *why = NULL;
	run_sql(&fake, f->w, f->sql, 0, &why);
	free(why);
}

void scenario_arm(struct scenario *sc, struct world *w)
{
	for (size_t i = 0; i < sc->env.n; i++) {
		size_t n = strcspn(sc->env.v[i], "=");
		char *name = xstrndup(sc->env.v[i], n);
		char *v = world_expand(w, sc->env.v[i] + n + 1);
		setenv(name, v, 1);
		if (!strcmp(name, "UPWIZ_FAULT"))
			fault_reset();
		free(v);
		free(name);
	}
	for (size_t i = 0; i < sc->nfaults; i++) {
		struct scenario_fault *f = &sc->faults[i];
		f->w = w;
		fault_on(f->site, f->at,
		         !strcmp(f->action, "stop-database") ? act_stop_database : !strcmp(f->action, "sql") ? act_sql : act_hangup_ui,
		         f);
	}
}

void scenario_golden_merge(const struct scenario *sc, struct answers *a)
{
	for (size_t i = 0; i < sc->golden_keys.n; i++) {
		size_t k;
		for (k = 0; k < a->keys.n; k++)
			if (strcmp(a->keys.v[k], sc->golden_keys.v[i]) == 0)
				break;
		if (k < a->keys.n) {
			free(a->values.v[k]);
			a->values.v[k] = xstrdup(sc->golden_values.v[i]);
		} else {
			sv_push(&a->keys, sc->golden_keys.v[i]);
			sv_push(&a->values, sc->golden_values.v[i]);
		}
	}
}
