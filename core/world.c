/*
 * world.c: build and tear down a sandbox world (see world.h; the manifest format is documented
 * at the top of each world.yaml).
 *
 * Order of the build, and why:
 *   1. read world.yaml whole (ytree) and check every key, so a typo names its line;
 *   2. world values: ROOT, WORLD, UPWIZ, the generated secrets (getrandom), the ports (all
 *      bound to 127.0.0.1:0 at once, so they are distinct, then released for the services);
 *   3. the private server first (it gives SOCKET, which the vars and templates need), then
 *      the vars, expanded strictly: an unknown ${NAME} in the manifest is an error;
 *   4. the tree copy and the templates, expanded leniently: a vendor file is full of ${...}
 *      that belong to its own shell or Spring, so only world names are replaced;
 *   5. the database, the user and the seeds, loaded as that user statement by statement.
 * Any failure unwinds what was started (the server, processes recorded in pid files).
 *
 * The world's files are written with the modes the tree has (git keeps the x bit), except
 * templates that say otherwise (a db.sh holding the password is 0600).
 */
#include "core/world.h"
#include "core/db.h"
#include "core/proc.h"
#include "core/sqlsplit.h"
#include "core/ytree.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---------------------------------------------------------------- values and expansion */

static const char *lookup(const struct strvec *sv, const char *name, size_t nl)
{
	if (!sv)
		return NULL;
	for (size_t i = sv->n; i-- > 0;) {
		const char *e = sv->v[i];
		if (strncmp(e, name, nl) == 0 && e[nl] == '=')
			return e + nl + 1;
	}
	return NULL;
}

static void set_value(struct strvec *sv, const char *name, const char *value)
{
	sv_push_owned(sv, xasprintf("%s=%s", name, value));
}

static int is_name_char(char c, int first)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || (!first && c >= '0' && c <= '9');
}

/*
 * Replaces ${NAME} (NAME a name) by its value in a or b (b wins: vars after values).
 * strict: an unknown NAME is an error (returns NULL, *bad = the name, caller frees);
 * otherwise it is left as written. "$${" always gives "${". Caller frees the result.
 */
static char *expand(const struct strvec *a, const struct strvec *b, const char *in, int strict, char **bad)
{
	struct strbuf sb = STRBUF_INIT;
	const char *p = in;
	while (*p) {
		if (p[0] == '$' && p[1] == '$' && p[2] == '{') {
			sb_adds(&sb, "${");
			p += 3;
			continue;
		}
		if (p[0] == '$' && p[1] == '{' && is_name_char(p[2], 1)) {
			size_t nl = 1;
			while (is_name_char(p[2 + nl], 0))
				nl++;
			if (p[2 + nl] == '}') {
				const char *v = b ? lookup(b, p + 2, nl) : NULL;
				if (!v)
					v = lookup(a, p + 2, nl);
				if (v) {
					sb_adds(&sb, v);
					p += nl + 3;
					continue;
				}
				if (strict) {
					if (bad)
						*bad = xstrndup(p + 2, nl);
					sb_free(&sb);
					return NULL;
				}
			}
		}
		sb_addc(&sb, *p++);
	}
	if (!sb.s)
		sb_adds(&sb, "");
	return sb_detach(&sb);
}

static int random_hex(size_t n, char **out, char **cause)
{
	unsigned char buf[128] = {0};   /* filled by getrandom below; zeroed so no path reads garbage */
	size_t nb = n / 2 + 1;
	if (nb > sizeof buf) {
		set_cause(cause, "hex%zu: too long (at most 254)", n);
		return -1;
	}
	size_t got = 0;
	while (got < nb) {
		ssize_t r = getrandom(buf + got, nb - got, 0);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			set_cause(cause, "getrandom: %s", strerror(errno));
			return -1;
		}
		got += (size_t)r;
	}
	char *s = xmalloc(n + 1);
	static const char hx[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++)
		s[i] = hx[(buf[i / 2] >> ((i % 2) ? 0 : 4)) & 15];
	s[n] = '\0';
	*out = s;
	return 0;
}

/* Binds n loopback ports at once (so they differ), then releases them. */
static int alloc_ports(size_t n, unsigned *ports, char **cause)
{
	int fds[64];
	if (n > ARRAY_LEN(fds)) {
		set_cause(cause, "too many ports (at most %zu)", ARRAY_LEN(fds));
		return -1;
	}
	size_t i;
	int rc = 0;
	for (i = 0; i < n; i++) {
		fds[i] = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
		socklen_t l = sizeof a;
		if (fds[i] < 0 || bind(fds[i], (struct sockaddr *)&a, sizeof a) < 0 ||
		    getsockname(fds[i], (struct sockaddr *)&a, &l) < 0) {
			set_cause(cause, "allocating a loopback port: %s", strerror(errno));
			if (fds[i] >= 0)
				close(fds[i]);
			rc = -1;
			break;
		}
		ports[i] = ntohs(a.sin_port);
	}
	while (i-- > 0)
		close(fds[i]);
	return rc;
}

/* ---------------------------------------------------------------- files */

static int copy_tree(const char *from, const char *to, char **cause)
{
	DIR *d = opendir(from);
	if (!d) {
		set_cause(cause, "%s: %s", from, strerror(errno));
		return -1;
	}
	if (mkdir_p(to, 0755, cause) < 0) {
		closedir(d);
		return -1;
	}
	int rc = 0;
	struct dirent *de;
	while (rc == 0 && (de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		char *src = path_join(from, de->d_name);
		char *dst = path_join(to, de->d_name);
		struct stat st;
		if (lstat(src, &st) < 0) {
			set_cause(cause, "%s: %s", src, strerror(errno));
			rc = -1;
		} else if (S_ISDIR(st.st_mode)) {
			rc = copy_tree(src, dst, cause);
			if (rc == 0)
				chmod(dst, st.st_mode & 07777);
		} else if (S_ISREG(st.st_mode)) {
			rc = copy_file(src, dst, st.st_mode & 0777, cause);
		} else {
			set_cause(cause, "%s: only files and folders may be in a world tree", src);
			rc = -1;
		}
		free(src);
		free(dst);
	}
	closedir(d);
	return rc;
}

/* Collects the processes recorded in pid/NAME.pid files at any depth under dir whose command line mentions root. */
static void collect_pids(const char *dir, int in_pid_dir, const char *root, pid_t *pids, size_t *n, size_t cap)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		char *p = path_join(dir, de->d_name);
		struct stat st;
		if (lstat(p, &st) == 0) {
			if (S_ISDIR(st.st_mode)) {
				collect_pids(p, !strcmp(de->d_name, "pid"), root, pids, n, cap);
			} else if (in_pid_dir && S_ISREG(st.st_mode) && str_ends(de->d_name, ".pid") && *n < cap) {
				size_t len;
				char *s = read_file(p, &len, NULL);
				long pid = s ? atol(s) : 0;
				free(s);
				if (pid > 1 && pid != (long)getpid()) {
					char cl[64];
					snprintf(cl, sizeof cl, "/proc/%ld/cmdline", pid);
					char *cmd = read_file(cl, &len, NULL);
					for (size_t i = 0; cmd && i < len; i++)
						if (cmd[i] == '\0')
							cmd[i] = ' ';
					if (cmd && strstr(cmd, root))
						pids[(*n)++] = (pid_t)pid;
					free(cmd);
				}
			}
		}
		free(p);
	}
	closedir(d);
}

/* Running, as opposed to gone or a zombie waiting for a slow init to reap it (kill(pid, 0)
 * succeeds on a zombie, and the services are orphans). */
static int pid_running(pid_t pid)
{
	char p[64];
	snprintf(p, sizeof p, "/proc/%ld/stat", (long)pid);
	size_t len;
	char *st = read_file(p, &len, NULL);
	if (!st)
		return kill(pid, 0) == 0;
	char *rp = strrchr(st, ')');
	int running = rp && rp[1] == ' ' && rp[2] != 'Z' && rp[2] != 'X' && rp[2] != 'x';
	free(st);
	return running;
}

static void kill_recorded(const char *root)
{
	pid_t pids[256];
	size_t n = 0;
	collect_pids(root, 0, root, pids, &n, ARRAY_LEN(pids));
	if (n == 0)
		return;
	for (size_t i = 0; i < n; i++)
		kill(pids[i], SIGTERM);
	uint64_t dl = mono_ms() + 3000;
	for (;;) {
		size_t alive = 0;
		for (size_t i = 0; i < n; i++)
			if (pid_running(pids[i]))
				alive++;
		if (!alive || mono_ms() >= dl)
			break;
		usleep(20000);
	}
	for (size_t i = 0; i < n; i++)
		if (pid_running(pids[i]))
			kill(pids[i], SIGKILL);
}

/* ---------------------------------------------------------------- database */

static int db_fail(char **cause, const char *what, const struct db_error *e)
{
	set_cause(cause, "%s: ERROR %u (%s): %s", what, e->code, e->sqlstate, e->message);
	return -1;
}

static int setup_db(struct world *w, const char *name, const char *user, const char *password,
                    const char *charset, const char *world_dir, const struct strvec *seeds, char **cause)
{
	struct db_params p;
	struct db_error e;
	mysqld_db_params(&w->db, &p);
	struct db *d = db_connect(&p, &e);
	if (!d)
		return db_fail(cause, "connecting to the private server as root", &e);
	char *qn = db_quote_ident(name);
	char *pw_owned = NULL, *user_owned = NULL;
	const char *pw = db_escape(d, password, &pw_owned);
	const char *us = db_escape(d, user, &user_owned);
	char *s1 = xasprintf("CREATE DATABASE %s DEFAULT CHARSET %s COLLATE %s_general_ci", qn, charset, charset);
	char *s2 = xasprintf("CREATE USER '%s'@'localhost' IDENTIFIED BY '%s'", us, pw);
	char *s3 = xasprintf("GRANT ALL PRIVILEGES ON %s.* TO '%s'@'localhost'", qn, us);
	int rc = 0;
	if (db_exec(d, s1, NULL, &e) < 0)
		rc = db_fail(cause, "creating the database", &e);
	else if (db_exec(d, s2, NULL, &e) < 0)
		rc = db_fail(cause, "creating the database user", &e);   /* no statement text: it holds the password */
	else if (db_exec(d, s3, NULL, &e) < 0)
		rc = db_fail(cause, "granting the database user", &e);
	free(s1);
	free(s2);
	free(s3);
	free(qn);
	free(pw_owned);
	free(user_owned);
	db_close(d);
	if (rc < 0 || seeds->n == 0)
		return rc;

	p.user = user;
	p.password = password;
	p.database = name;
	p.charset = charset;
	d = db_connect(&p, &e);
	if (!d)
		return db_fail(cause, "connecting as the world's database user", &e);
	for (size_t i = 0; i < seeds->n && rc == 0; i++) {
		char *file = path_join(world_dir, seeds->v[i]);
		size_t len;
		char *raw = read_file(file, &len, cause);
		if (!raw) {
			free(file);
			rc = -1;
			break;
		}
		char *text = expand(&w->values, &w->vars, raw, 0, NULL);
		free(raw);
		struct sql_script sc = {0};
		char *why = NULL;
		if (sqlsplit_parse(text, strlen(text), &sc, &why) < 0) {
			set_cause(cause, "%s:%s", seeds->v[i], why);
			free(why);
			rc = -1;
		}
		for (size_t k = 0; rc == 0 && k < sc.n; k++) {
			if (db_exec(d, sc.v[k].text, NULL, &e) < 0) {
				set_cause(cause, "%s:%d: ERROR %u (%s): %s", seeds->v[i], sc.v[k].line, e.code, e.sqlstate,
				          e.message);
				rc = -1;
			}
		}
		sql_script_free(&sc);
		free(text);
		free(file);
	}
	db_close(d);
	return rc;
}

/* ---------------------------------------------------------------- the manifest */

static void get_list(struct yerrs *e, const struct ynode *map, const char *key, struct strvec *out)
{
	const struct ynode *n = ymap_get(map, key);
	if (!n)
		return;
	if (n->type != Y_SEQ) {
		yerr(e, n, "'%s' must be a list", key);
		return;
	}
	for (size_t i = 0; i < n->n; i++) {
		if (n->items[i]->type != Y_SCALAR)
			yerr(e, n->items[i], "the items of '%s' are text", key);
		else
			sv_push(out, n->items[i]->value);
	}
}

static int valid_name(const char *s)
{
	if (!is_name_char(*s, 1))
		return 0;
	for (s++; *s; s++)
		if (!is_name_char(*s, 0))
			return 0;
	return 1;
}

static void world_free(struct world *w)
{
	mysqld_free(&w->db);
	free(w->root);
	sv_free(&w->vars);
	sv_free(&w->secret_vars);
	free(w->path_prepend);
	free(w->golden);
	sv_free(&w->teardown);
	free(w->name);
	sv_free(&w->values);
	free(w->dir);
	free(w->db_name);
	free(w->db_user);
	if (w->db_password)
		explicit_bzero(w->db_password, strlen(w->db_password));
	free(w->db_password);
	memset(w, 0, sizeof *w);
	w->db.pid = -1;
}

/* Expands s strictly; on an unknown name records an error at node at. Caller frees (NULL on error). */
static char *expand_at(struct world *w, struct yerrs *e, const struct ynode *at, const char *s)
{
	char *bad = NULL;
	char *r = expand(&w->values, &w->vars, s, 1, &bad);
	if (!r) {
		yerr(e, at, "unknown ${%s} (world values: ROOT, WORLD, UPWIZ, SOCKET, generated, ports, earlier vars)",
		     bad);
		free(bad);
	}
	return r;
}

/* Runs one start command with `sh -c` in ROOT (PATH as for the wizard's children); output is
 * discarded; a non-zero exit or 60 s is a failure naming the command. */
static int run_start(const struct world *w, const char *cmd, char **cause)
{
	const char *cur = getenv("PATH");
	char *path = xasprintf("PATH=%s%s%s", w->path_prepend ? w->path_prepend : "", w->path_prepend ? ":" : "",
	                       cur ? cur : "/usr/bin:/bin");
	const char *argv[] = {"sh", "-c", cmd, NULL};
	const char *env[] = {path, NULL};
	struct proc_opts o = {.argv = argv, .cwd = w->root, .env_set = env, .stdin_fd = -1};
	int code = -1;
	char *why = NULL;
	int rc = proc_run(&o, 60000, NULL, NULL, &code, &why);
	free(path);
	if (rc < 0 || code != 0) {
		set_cause(cause, "start command `%s`: %s", cmd, why ? why : "exit status not 0");
		if (!why && code != 0) {
			free(*cause);
			*cause = xasprintf("start command `%s`: exit status %d", cmd, code);
		}
		free(why);
		return -1;
	}
	free(why);
	return 0;
}

int world_build(const char *world_dir, const char *root, const char *upwiz_exe, struct world *w, char **cause)
{
	memset(w, 0, sizeof *w);
	w->db.pid = -1;
	struct ydoc doc = {0};
	struct yerrs e = {0};
	struct strvec seeds = STRVEC_INIT;
	char *dbname = NULL, *dbuser = NULL, *dbpass = NULL, *dbcharset = NULL;
	char *wdir = realpath(world_dir, NULL);
	char *manifest = NULL;
	int rc = -1;

	if (!wdir) {
		set_cause(cause, "world %s: %s", world_dir, strerror(errno));
		return -1;
	}
	w->root = realpath(root, NULL);
	if (!w->root || !is_dir(w->root)) {
		set_cause(cause, "sandbox root %s: %s", root, w->root ? "not a folder" : strerror(errno));
		goto fail;
	}
	manifest = path_join(wdir, "world.yaml");
	if (ydoc_load(manifest, &doc, cause) < 0)
		goto fail;
	e.file = manifest;
	const struct ynode *m = doc.root;
	static const char *const keys[] = {"world", "description", "generate", "ports", "database", "tree", "dirs",
	                                   "templates", "path", "vars", "secret_vars", "teardown", "golden", "start", NULL};
	if (!m || m->type != Y_MAP) {
		yerr(&e, m, "world.yaml is a mapping (see the format at the top of an existing world.yaml)");
		goto errors;
	}
	ycheck_keys(&e, m, "world.yaml", keys);
	w->name = yget_str(&e, m, "world", 1);

	set_value(&w->values, "ROOT", w->root);
	set_value(&w->values, "WORLD", wdir);
	set_value(&w->values, "UPWIZ", upwiz_exe ? upwiz_exe : "upwiz");

	/* generated values */
	const struct ynode *gen = ymap_get(m, "generate");
	if (gen && gen->type != Y_MAP)
		yerr(&e, gen, "'generate' must be a mapping NAME: hexN");
	for (size_t i = 0; gen && gen->type == Y_MAP && i < gen->n; i++) {
		const char *nm = gen->keys[i]->value;
		const struct ynode *v = gen->items[i];
		if (!valid_name(nm)) {
			yerr(&e, gen->keys[i], "'%s' is not a name", nm);
			continue;
		}
		if (v->type != Y_SCALAR || !str_starts(v->value, "hex") || !str_is_int(v->value + 3) ||
		    atoi(v->value + 3) < 1) {
			yerr(&e, v, "generate %s: the only kind is hexN (N digits)", nm);
			continue;
		}
		char *hex = NULL;
		char *why = NULL;
		if (random_hex((size_t)atoi(v->value + 3), &hex, &why) < 0) {
			yerr(&e, v, "generate %s: %s", nm, why);
			free(why);
			continue;
		}
		set_value(&w->values, nm, hex);
		free(hex);
	}

	/* ports */
	struct strvec pnames = STRVEC_INIT;
	get_list(&e, m, "ports", &pnames);
	if (pnames.n) {
		unsigned ports[64];
		char *why = NULL;
		if (alloc_ports(pnames.n, ports, &why) < 0) {
			yerr(&e, ymap_get(m, "ports"), "%s", why);
			free(why);
		} else {
			for (size_t i = 0; i < pnames.n; i++) {
				char num[16];
				snprintf(num, sizeof num, "%u", ports[i]);
				if (!valid_name(pnames.v[i]))
					yerr(&e, ymap_get(m, "ports"), "'%s' is not a name", pnames.v[i]);
				set_value(&w->values, pnames.v[i], num);
			}
		}
	}
	sv_free(&pnames);
	if (e.n)
		goto errors;

	/* the database section (checked now, started below) */
	const struct ynode *dbn = ymap_get(m, "database");
	if (dbn) {
		static const char *const dkeys[] = {"name", "user", "password", "charset", "seed", NULL};
		if (dbn->type != Y_MAP) {
			yerr(&e, dbn, "'database' must be a mapping");
			goto errors;
		}
		ycheck_keys(&e, dbn, "'database'", dkeys);
		dbname = yget_str(&e, dbn, "name", 1);
		dbuser = yget_str(&e, dbn, "user", 1);
		char *pw = yget_str(&e, dbn, "password", 1);
		dbcharset = yget_str(&e, dbn, "charset", 0);
		if (!dbcharset)
			dbcharset = xstrdup("utf8");
		get_list(&e, dbn, "seed", &seeds);
		if (pw) {
			dbpass = expand_at(w, &e, ymap_get(dbn, "password"), pw);
			free(pw);
		}
		if (dbcharset && !valid_name(dbcharset))
			yerr(&e, ymap_get(dbn, "charset"), "'%s' is not a character set name", dbcharset);
		if (e.n)
			goto errors;
		char *mdir = path_join(w->root, "mysql");
		/* a world is disposable: no fsync (a crash of the server keeps committed data, of the machine not) */
		int r = mysqld_start_opts(mdir, MYSQLD_NO_FSYNC, &w->db, cause);
		free(mdir);
		if (r < 0) {
			char *c = xasprintf("starting the private mariadbd: %s", *cause);
			free(*cause);
			*cause = c;
			goto fail;
		}
		w->has_db = 1;
		set_value(&w->values, "SOCKET", w->db.socket);
	}

	/* vars, in order, strictly */
	const struct ynode *vars = ymap_get(m, "vars");
	if (vars && vars->type != Y_MAP)
		yerr(&e, vars, "'vars' must be a mapping NAME: VALUE");
	for (size_t i = 0; vars && vars->type == Y_MAP && i < vars->n; i++) {
		const char *nm = vars->keys[i]->value;
		if (!valid_name(nm)) {
			yerr(&e, vars->keys[i], "'%s' is not a name", nm);
			continue;
		}
		if (vars->items[i]->type != Y_SCALAR) {
			yerr(&e, vars->items[i], "var %s: the value is text", nm);
			continue;
		}
		char *v = expand_at(w, &e, vars->items[i], vars->items[i]->value);
		if (v) {
			set_value(&w->vars, nm, v);
			free(v);
		}
	}
	get_list(&e, m, "secret_vars", &w->secret_vars);
	for (size_t i = 0; i < w->secret_vars.n; i++)
		if (!lookup(&w->vars, w->secret_vars.v[i], strlen(w->secret_vars.v[i])))
			yerr(&e, ymap_get(m, "secret_vars"), "secret var %s is not among vars", w->secret_vars.v[i]);

	/* path, teardown, golden */
	struct strvec tmp = STRVEC_INIT;
	get_list(&e, m, "path", &tmp);
	struct strbuf path = STRBUF_INIT;
	for (size_t i = 0; i < tmp.n; i++) {
		char *v = expand_at(w, &e, ymap_get(m, "path"), tmp.v[i]);
		if (v)
			sb_addf(&path, "%s%s", path.len ? ":" : "", v);
		free(v);
	}
	w->path_prepend = path.len ? sb_detach(&path) : NULL;
	sb_free(&path);
	sv_free(&tmp);
	get_list(&e, m, "teardown", &tmp);
	for (size_t i = 0; i < tmp.n; i++) {
		char *v = expand_at(w, &e, ymap_get(m, "teardown"), tmp.v[i]);
		if (v)
			sv_push_owned(&w->teardown, v);
	}
	sv_free(&tmp);
	char *golden = yget_str(&e, m, "golden", 0);
	if (golden) {
		char *g = path_join(wdir, golden);
		if (!path_exists(g))
			yerr(&e, ymap_get(m, "golden"), "golden answers %s: no such file", golden);
		else
			w->golden = g, g = NULL;
		free(g);
		free(golden);
	}
	if (e.n)
		goto errors;

	/* the tree, folders, templates */
	char *tree = yget_str(&e, m, "tree", 0);
	if (tree) {
		char *src = path_join(wdir, tree);
		int r = copy_tree(src, w->root, cause);
		free(src);
		free(tree);
		if (r < 0)
			goto fail;
	}
	get_list(&e, m, "dirs", &tmp);
	for (size_t i = 0; i < tmp.n && !e.n; i++) {
		char *d = path_join(w->root, tmp.v[i]);
		char *why = NULL;
		if (strstr(tmp.v[i], "..") || mkdir_p(d, 0755, &why) < 0) {
			yerr(&e, ymap_get(m, "dirs"), "folder %s: %s", tmp.v[i], why ? why : "must stay inside ROOT");
			free(why);
		}
		free(d);
	}
	sv_free(&tmp);
	const struct ynode *tl = ymap_get(m, "templates");
	if (tl && tl->type != Y_SEQ)
		yerr(&e, tl, "'templates' must be a list");
	for (size_t i = 0; tl && tl->type == Y_SEQ && i < tl->n && !e.n; i++) {
		const struct ynode *t = tl->items[i];
		char *rel = NULL;
		mode_t mode = 0;
		if (t->type == Y_SCALAR) {
			rel = xstrdup(t->value);
		} else if (t->type == Y_MAP) {
			static const char *const tkeys[] = {"path", "mode", NULL};
			ycheck_keys(&e, t, "a template", tkeys);
			rel = yget_str(&e, t, "path", 1);
			char *ms = yget_str(&e, t, "mode", 0);
			if (ms) {
				char *end;
				unsigned long mv = strtoul(ms, &end, 8);
				if (*end || mv > 0777)
					yerr(&e, ymap_get(t, "mode"), "mode '%s' is not octal like \"0600\"", ms);
				mode = (mode_t)mv;
				free(ms);
			}
		} else {
			yerr(&e, t, "a template is a path or {path, mode}");
		}
		if (!rel)
			continue;
		char *f = path_join(w->root, rel);
		size_t len;
		char *why = NULL;
		char *raw = strstr(rel, "..") ? NULL : read_file(f, &len, &why);
		if (!raw) {
			yerr(&e, t, "template %s: %s", rel, why ? why : "must stay inside ROOT");
		} else {
			struct stat st;
			if (!mode)
				mode = stat(f, &st) == 0 ? (st.st_mode & 0777) : 0644;
			char *out = expand(&w->values, &w->vars, raw, 0, NULL);
			if (write_file_atomic(f, out, strlen(out), mode, &why) < 0)
				yerr(&e, t, "template %s: %s", rel, why);
			else
				chmod(f, mode);       /* the umask does not get a say */
			free(out);
		}
		free(why);
		free(raw);
		free(f);
		free(rel);
	}
	if (e.n)
		goto errors;

	if (w->has_db && setup_db(w, dbname, dbuser, dbpass, dbcharset, wdir, &seeds, cause) < 0)
		goto fail;
	/* start: the services that run on the customer's host before the upgrade begins */
	get_list(&e, m, "start", &tmp);
	for (size_t i = 0; i < tmp.n && !e.n; i++) {
		char *cmd = expand_at(w, &e, ymap_get(m, "start"), tmp.v[i]);
		if (cmd && run_start(w, cmd, cause) < 0) {
			free(cmd);
			sv_free(&tmp);
			goto fail;
		}
		free(cmd);
	}
	sv_free(&tmp);
	if (e.n)
		goto errors;
	w->dir = xstrdup(wdir);
	if (w->has_db) {
		w->db_name = xstrdup(dbname);
		w->db_user = xstrdup(dbuser);
		w->db_password = xstrdup(dbpass);
	}
	rc = 0;
	goto out;

errors:
	{
		char *msg = yerrs_join(&e);
		set_cause(cause, "%s", msg);
		free(msg);
	}
fail:
	if (w->root)
		kill_recorded(w->root);
	world_free(w);
out:
	yerrs_free(&e);
	ydoc_free(&doc);
	sv_free(&seeds);
	free(dbname);
	free(dbuser);
	free(dbpass);
	free(dbcharset);
	free(manifest);
	free(wdir);
	return rc;
}

void world_teardown(struct world *w, int keep)
{
	if (!w)
		return;
	if (w->root) {
		char *path = NULL;
		const char *cur = getenv("PATH");
		if (w->path_prepend)
			path = xasprintf("PATH=%s:%s", w->path_prepend, cur ? cur : "/usr/bin:/bin");
		else
			path = xasprintf("PATH=%s", cur ? cur : "/usr/bin:/bin");
		for (size_t i = 0; i < w->teardown.n; i++) {
			const char *argv[] = {"sh", "-c", w->teardown.v[i], NULL};
			const char *env[] = {path, NULL};
			struct proc_opts o = {.argv = argv, .cwd = w->root, .env_set = env, .stdin_fd = -1};
			int code = 0;
			char *why = NULL;
			proc_run(&o, 60000, NULL, NULL, &code, &why);
			free(why);
		}
		free(path);
		kill_recorded(w->root);
	}
	mysqld_stop(&w->db);
	if (w->root && !keep)
		rm_rf(w->root);
	world_free(w);
}

const char *world_var(const struct world *w, const char *name)
{
	return lookup(&w->vars, name, strlen(name));
}

const char *world_value(const struct world *w, const char *name)
{
	return lookup(&w->values, name, strlen(name));
}

char *world_expand(const struct world *w, const char *text)
{
	return expand(&w->values, &w->vars, text, 0, NULL);
}
