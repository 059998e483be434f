/*
 * profile.c: YAML tree -> struct profile, with every error at its file:line:col.
 *
 * The schema is the code below plus the allowed-key tables: each mapping is checked against
 * its table first (so a typo like "comand:" is named, not ignored), then read field by field
 * with the typed getters of ytree.h, which collect errors instead of stopping at the first.
 * Cross-references (step ids unique, connections and variables that exist, conditions that
 * parse, a choice option that is dangerous must carry a confirmation) are checked last.
 */
#include "core/profile.h"

#include <dirent.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "core/vars.h"
#include "core/ytree.h"

static const char *const kind_names[SK__COUNT] = {
	[SK_PRECAUTIONS] = "precautions", [SK_ENVCHECK] = "envcheck", [SK_CHOICE] = "choice",
	[SK_BACKUP] = "backup",           [SK_SQLAPPLY] = "sqlapply", [SK_COPY] = "copy",
	[SK_TOKENSYNC] = "tokensync",     [SK_COMMAND] = "command",   [SK_VERIFY] = "verify",
	[SK_CHECKLIST] = "checklist",
};

const char *step_kind_name(enum step_kind k) { return k < SK__COUNT ? kind_names[k] : "?"; }

static const char *const builtin_vars[] = {"PROFILE_DIR", "RUN_DIR", "RUN_ID", "STATE_DIR", "SANDBOX_ROOT", NULL};

static struct pos pos_of(const struct ynode *n)
{
	struct pos p = {n ? n->line : 0, n ? n->col : 0};
	return p;
}

/* A mapping of scalars as "K=V" (set:) or parallel vectors. */
static void get_pairs(struct yerrs *e, const struct ynode *map, const char *key, struct strvec *k, struct strvec *v)
{
	struct ynode *n = ymap_get(map, key);
	if (!n)
		return;
	if (n->type != Y_MAP) {
		yerr(e, n, "field '%s' must be a mapping", key);
		return;
	}
	for (size_t i = 0; i < n->n; i++) {
		if (n->items[i]->type != Y_SCALAR) {
			yerr(e, n->items[i], "value of '%s' must be text", n->keys[i]->value);
			continue;
		}
		if (v) {
			sv_push(k, n->keys[i]->value);
			sv_push(v, n->items[i]->value);
		} else
			sv_push_owned(k, xasprintf("%s=%s", n->keys[i]->value, n->items[i]->value));
	}
}

static const struct ynode *seq_of(struct yerrs *e, const struct ynode *map, const char *key, int required)
{
	struct ynode *n = ymap_get(map, key);
	if (!n) {
		if (required)
			yerr(e, map, "missing required field '%s'", key);
		return NULL;
	}
	if (n->type != Y_SEQ) {
		yerr(e, n, "field '%s' must be a list", key);
		return NULL;
	}
	return n;
}

static int want_map(struct yerrs *e, const struct ynode *n, const char *what)
{
	if (n->type != Y_MAP) {
		yerr(e, n, "%s must be a mapping", what);
		return 0;
	}
	return 1;
}

/* ---- variables */

static const struct {
	const char *name;
	enum var_type t;
} var_types[] = {
	{"string", VT_STRING}, {"path", VT_PATH}, {"dir", VT_DIR},   {"host", VT_HOST}, {"port", VT_PORT},
	{"int", VT_INT},       {"enum", VT_ENUM}, {"secret", VT_SECRET}, {"url", VT_URL}, {"list", VT_LIST},
};

int pvar_check(const struct pvar *v, const char *val, char **why)
{
	*why = NULL;
	if (!*val ? v->optional : strstr(val, "${") != NULL)
		return 0;
	const char *bad = NULL;
	switch (v->type) {
	case VT_PORT:
		if (!str_port(val))
			bad = "a port: a number from 1 to 65535";
		break;
	case VT_INT:
		if (!str_is_int(val))
			bad = "a whole number";
		break;
	case VT_ENUM: {
		int found = 0;
		for (size_t i = 0; i < v->choices.n; i++)
			found |= strcmp(v->choices.v[i], val) == 0;
		if (!found) {
			struct strbuf sb = STRBUF_INIT;
			for (size_t i = 0; i < v->choices.n; i++)
				sb_addf(&sb, "%s%s", i ? ", " : "", v->choices.v[i]);
			*why = xasprintf("expected one of %s", sb_str(&sb));
			sb_free(&sb);
			return -1;
		}
		break;
	}
	case VT_URL: {
		/* scheme://rest, no blank: what libcurl is given (file:// included) */
		size_t sch = strspn(val, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+.-");
		if (!sch || strncmp(val + sch, "://", 3) != 0 || !val[sch + 3] || strpbrk(val, " \t\n"))
			bad = "a URL (http://HOST:PORT/...)";
		break;
	}
	case VT_HOST:
		if (!*val || strpbrk(val, " \t\n/"))
			bad = "a host name or address (no blank, no /)";
		break;
	default:
		break;
	}
	if (bad) {
		*why = xasprintf("expected %s", bad);
		return -1;
	}
	if (v->pattern) {
		regex_t re;
		int ok = regcomp(&re, v->pattern, REG_EXTENDED | REG_NOSUB) == 0;   /* checked at load */
		if (ok) {
			ok = regexec(&re, val, 0, NULL, 0) == 0;
			regfree(&re);
		}
		if (!ok) {
			*why = xasprintf("expected a value matching %s (%s)", v->pattern, v->prompt);
			return -1;
		}
	}
	return 0;
}

/* A pattern (of a variable or a check) must compile as an ERE: 1, or 0 with the error at its place. */
static int want_ere(struct yerrs *e, const struct ynode *m, const char *pattern, const char *whose)
{
	regex_t re;
	if (regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB) != 0) {
		yerr(e, ymap_get(m, "pattern"), "pattern%s%s is not a valid extended regular expression", *whose ? " of " : "",
		     whose);
		return 0;
	}
	regfree(&re);
	return 1;
}

static void load_vars(struct yerrs *e, const struct ynode *n, struct profile *p)
{
	if (!n)
		return;
	if (!want_map(e, n, "'vars'"))
		return;
	static const char *const keys[] = {"prompt", "type", "default", "help", "secret", "optional", "pattern", "choices", NULL};
	p->vars = xcalloc(n->n, sizeof *p->vars);
	for (size_t i = 0; i < n->n; i++) {
		struct pvar *v = &p->vars[p->nvars++];
		const struct ynode *m = n->items[i];
		v->name = xstrdup(n->keys[i]->value);
		v->at = pos_of(n->keys[i]);
		if (m->type == Y_SCALAR) {     /* NAME: default */
			v->def = xstrdup(m->value);
			v->prompt = xstrdup(v->name);
			continue;
		}
		if (!want_map(e, m, "a variable"))
			continue;
		ycheck_keys(e, m, "a variable", keys);
		v->prompt = yget_str(e, m, "prompt", 0);
		if (!v->prompt)
			v->prompt = xstrdup(v->name);
		v->help = yget_str(e, m, "help", 0);
		v->def = yget_str(e, m, "default", 0);
		v->pattern = yget_str(e, m, "pattern", 0);
		v->optional = yget_bool(e, m, "optional", 0);
		v->secret = yget_bool(e, m, "secret", 0);
		yget_strlist(e, m, "choices", &v->choices);
		char *t = yget_str(e, m, "type", 0);
		if (t) {
			size_t k;
			for (k = 0; k < ARRAY_LEN(var_types); k++)
				if (strcmp(t, var_types[k].name) == 0)
					break;
			if (k == ARRAY_LEN(var_types))
				yerr(e, ymap_get(m, "type"), "unknown variable type '%s' (string, path, dir, host, port, int, enum, secret, url, list)", t);
			else
				v->type = var_types[k].t;
			free(t);
		}
		if (v->type == VT_SECRET)
			v->secret = 1;
		if (v->secret && v->def && *v->def)
			yerr(e, ymap_get(m, "default"), "secret variable %s cannot have a default (it would sit in the profile in clear)", v->name);
		if (v->type == VT_ENUM && v->choices.n == 0)
			yerr(e, m, "enum variable %s needs 'choices'", v->name);
		int ere_ok = !v->pattern || want_ere(e, m, v->pattern, v->name);
		/* a default that its own rules refuse would stop every run that takes it */
		char *why = NULL;
		if (ere_ok && v->def && *v->def && !v->secret && pvar_check(v, v->def, &why) < 0)
			yerr(e, ymap_get(m, "default"), "default \"%s\" of %s: %s", v->def, v->name, why);
		free(why);
	}
}

static void load_conns(struct yerrs *e, const struct ynode *n, struct profile *p)
{
	if (!n)
		return;
	if (!want_map(e, n, "'connections'"))
		return;
	static const char *const keys[] = {"host", "port", "socket", "user", "password", "database", "charset", NULL};
	p->conns = xcalloc(n->n, sizeof *p->conns);
	for (size_t i = 0; i < n->n; i++) {
		const struct ynode *m = n->items[i];
		if (!want_map(e, m, "a connection"))
			continue;
		struct pconn *c = &p->conns[p->nconns++];
		c->name = xstrdup(n->keys[i]->value);
		c->at = pos_of(n->keys[i]);
		ycheck_keys(e, m, "a connection", keys);
		c->host = yget_str(e, m, "host", 0);
		c->port = yget_str(e, m, "port", 0);
		c->socket = yget_str(e, m, "socket", 0);
		c->user = yget_str(e, m, "user", 1);
		c->password = yget_str(e, m, "password", 0);
		c->database = yget_str(e, m, "database", 1);
		c->charset = yget_str(e, m, "charset", 0);
	}
}

/* ---- checks */

static void load_json_rules(struct yerrs *e, const struct ynode *n, struct pcheck *c)
{
	if (!n)
		return;
	if (n->type != Y_SEQ) {
		yerr(e, n, "'json' must be a list of rules");
		return;
	}
	static const char *const keys[] = {"path", "equals", "all", "includes", NULL};
	c->json = xcalloc(n->n, sizeof *c->json);
	for (size_t i = 0; i < n->n; i++) {
		const struct ynode *m = n->items[i];
		if (!want_map(e, m, "a json rule"))
			continue;
		ycheck_keys(e, m, "a json rule", keys);
		struct pjson_rule *r = &c->json[c->njson++];
		r->path = yget_str(e, m, "path", 1);
		r->equals = yget_str(e, m, "equals", 0);
		r->all = yget_str(e, m, "all", 0);
		yget_strlist(e, m, "includes", &r->includes);
		if (!r->equals && !r->all && !r->includes.n)
			yerr(e, m, "a json rule needs one of equals, all, includes");
	}
}

static void load_check(struct yerrs *e, const struct ynode *m, struct pcheck *c)
{
	static const char *const keys[] = {"name", "fix", "when", "capture", "level", "command", "match", "version",
					   "expect_exit", "sql", "connection", "expect", "fail_message", "ports_free",
					   "disk_free", "min_mb", "file", "http", "method", "headers", "body", "status",
					   "body_match", "json", "timeout", "interval", "id", "value", "input", "pattern",
					   "min", "max", "within", "of", "host", "no_process", "compare", "auth", NULL};
	ycheck_keys(e, m, "a check", keys);
	c->at = pos_of(m);
	c->name = yget_str(e, m, "name", 1);
	c->fix = yget_str(e, m, "fix", 0);
	c->when = yget_str(e, m, "when", 0);
	c->capture = yget_str(e, m, "capture", 0);
	char *lv = yget_str(e, m, "level", 0);
	if (lv && strcmp(lv, "warn") == 0)
		c->level = LV_WARN;
	else if (lv && strcmp(lv, "stop") == 0)
		c->level = LV_STOP;
	else if (lv && strcmp(lv, "info") == 0)
		c->level = LV_INFO;
	else if (lv && strcmp(lv, "fail") != 0)
		yerr(e, ymap_get(m, "level"), "level must be fail, warn or stop, or info");
	free(lv);
	c->expect_exit = yget_int(e, m, "expect_exit", 0);
	c->timeout_s = yget_int(e, m, "timeout", 0);
	c->interval_s = yget_int(e, m, "interval", 2);
	int kinds = 0;
	if ((c->command = yget_str(e, m, "command", 0))) {
		c->kind = CK_COMMAND;
		kinds++;
	}
	if ((c->query = yget_str(e, m, "sql", 0))) {
		c->kind = CK_SQL;
		kinds++;
		c->connection = yget_str(e, m, "connection", 1);
	}
	if ((c->ports = yget_str(e, m, "ports_free", 0))) {
		c->kind = CK_PORTS_FREE;
		kinds++;
	}
	if ((c->path = yget_str(e, m, "disk_free", 0))) {
		c->kind = CK_DISK_FREE;
		kinds++;
		c->min_mb = yget_int(e, m, "min_mb", 100);
	}
	char *file = yget_str(e, m, "file", 0);
	if (file) {
		if (c->path)
			free(c->path);
		c->path = file;
		c->kind = CK_FILE;
		kinds++;
	}
	if ((c->url = yget_str(e, m, "http", 0))) {
		c->kind = CK_HTTP;
		kinds++;
		c->method = yget_str(e, m, "method", 0);
		c->body = yget_str(e, m, "body", 0);
		yget_strlist(e, m, "headers", &c->headers);
		c->status = yget_int(e, m, "status", 0);
		c->body_match = yget_str(e, m, "body_match", 0);
		load_json_rules(e, ymap_get(m, "json"), c);
	}
	c->id = yget_str(e, m, "id", 0);
	c->value = yget_str(e, m, "value", 0);
	c->input = yget_str(e, m, "input", 0);
	if (c->value || c->input) {
		c->kind = CK_VALUE;
		kinds += c->value && c->input ? 2 : 1;
	}
	c->pattern = yget_str(e, m, "pattern", 0);
	c->min = yget_str(e, m, "min", 0);
	c->max = yget_str(e, m, "max", 0);
	c->within = yget_str(e, m, "within", 0);
	c->of = yget_str(e, m, "of", 0);
	if (!!c->within != !!c->of)
		yerr(e, m, "'within' and 'of' go together: within: \"10%%\", of: \"${AVERAGE}\"");
	if (c->within) {
		char *end;
		double w = strtod(c->within, &end);
		if (end == c->within || (*end && strcmp(end, "%") != 0) || w < 0)
			yerr(e, ymap_get(m, "within"), "within must be a number or a percentage like \"10%%\"");
	}
	if ((c->pattern || c->min || c->max || c->within) && c->kind != CK_VALUE)
		yerr(e, m, "pattern, min, max and within belong to a check with 'value' or 'input'");
	if (c->input && !c->capture)
		yerr(e, m, "an input check needs 'capture': the variable that keeps what the operator typed");
	if (c->pattern)
		want_ere(e, m, c->pattern, "");
	c->match = yget_str(e, m, "match", 0);
	c->version = yget_str(e, m, "version", 0);
	c->expect = yget_str(e, m, "expect", 0);
	c->fail_msg = yget_str(e, m, "fail_message", 0);
	kinds += profile_ext_check(e, m, c);
	if (kinds != 1)
		yerr(e, m, "a check needs exactly one of command, sql, ports_free, disk_free, file, http, value, input, no_process, compare (found %d)", kinds);
	if (c->version && strstr(c->version, "${") && c->kind != CK_VALUE)
		yerr(e, ymap_get(m, "version"), "only a value or input check may compare with ${...} in 'version'");
	if (c->version && !c->match && (c->kind == CK_COMMAND))
		yerr(e, ymap_get(m, "version"), "'version' needs 'match' to find the version in the output");
	if (c->version && !strstr(c->version, "${") && version_check("1", c->version) < 0)
		yerr(e, ymap_get(m, "version"), "version must look like \">= 3.3\" (operators >=, >, <=, <, ==, !=)");
}

static void load_checks(struct yerrs *e, const struct ynode *m, struct pstep *s)
{
	const struct ynode *n = seq_of(e, m, "checks", 1);
	if (!n)
		return;
	s->checks = xcalloc(n->n, sizeof *s->checks);
	for (size_t i = 0; i < n->n; i++)
		if (want_map(e, n->items[i], "a check"))
			load_check(e, n->items[i], &s->checks[s->nchecks++]);
}

/* ---- steps */

static void load_options(struct yerrs *e, const struct ynode *m, struct pstep *s)
{
	const struct ynode *n = seq_of(e, m, "options", 1);
	if (!n)
		return;
	static const char *const keys[] = {"key", "label", "help", "danger", "exit", "set", "confirm", "when", "recommended", NULL};
	s->options = xcalloc(n->n, sizeof *s->options);
	for (size_t i = 0; i < n->n; i++) {
		const struct ynode *o = n->items[i];
		if (!want_map(e, o, "an option"))
			continue;
		ycheck_keys(e, o, "an option", keys);
		struct poption *op = &s->options[s->noptions++];
		op->at = pos_of(o);
		op->key = yget_str(e, o, "key", 1);
		op->label = yget_str(e, o, "label", 1);
		op->help = yget_str(e, o, "help", 0);
		op->confirm = yget_str(e, o, "confirm", 0);
		op->when = yget_str(e, o, "when", 0);
		op->recommended = yget_str(e, o, "recommended", 0);
		op->danger = yget_bool(e, o, "danger", 0);
		op->exit = yget_bool(e, o, "exit", 0);
		get_pairs(e, o, "set", &op->set, NULL);
		if (op->danger && op->recommended)
			yerr(e, ymap_get(o, "recommended"), "a danger option cannot be recommended (it would become the default)");
		if (op->danger && !op->confirm)
			yerr(e, o, "a danger option needs 'confirm': the text the operator must type");
		for (size_t j = 0; op->key && j + 1 < s->noptions; j++)
			if (s->options[j].key && strcmp(s->options[j].key, op->key) == 0)
				yerr(e, o, "duplicate option key '%s'", op->key);
	}
}

/* unless: {column: TABLE.COL} | {table: TABLE} | {row: "SELECT ..."}; returns 0 when valid. */
static int load_cond(struct yerrs *e, const struct ynode *n, struct pcond *c)
{
	c->at = pos_of(n);
	if (!want_map(e, n, "'unless'"))
		return -1;
	static const char *const keys[] = {"column", "table", "row", NULL};
	ycheck_keys(e, n, "'unless'", keys);
	c->column = yget_str(e, n, "column", 0);
	c->table = yget_str(e, n, "table", 0);
	c->row = yget_str(e, n, "row", 0);
	int set = !!c->column + !!c->table + !!c->row;
	if (set != 1) {
		yerr(e, n, "'unless' needs exactly one of column: TABLE.COLUMN, table: TABLE, row: \"SELECT ...\"");
		return -1;
	}
	const char *v = c->column ? c->column : c->table ? c->table : c->row;
	const struct ynode *vn = ymap_get(n, c->column ? "column" : c->table ? "table" : "row");
	if (strstr(v, "${")) {
		yerr(e, vn, "'unless' takes no ${...}: a variable's value inside SQL text could change its meaning");
		return -1;
	}
	if (c->column) {
		const char *dot = strchr(c->column, '.');
		if (!dot || dot == c->column || !dot[1] || strchr(dot + 1, '.') || strpbrk(c->column, "`'\" \t"))
			yerr(e, vn, "'column' must be TABLE.COLUMN (plain names), not '%s'", c->column);
	}
	if (c->table && (!*c->table || strpbrk(c->table, "`'\" \t.")))
		yerr(e, vn, "'table' must be a plain table name, not '%s'", c->table);
	if (c->row) {
		const char *q = c->row;
		while (*q == ' ' || *q == '\t' || *q == '\n' || *q == '(')
			q++;
		if (strncasecmp(q, "select", 6) != 0 || strchr(c->row, ';'))
			yerr(e, vn, "'row' must be one SELECT statement (it is true when it returns a row)");
	}
	return 0;
}

static void cond_free(struct pcond *c)
{
	if (c)
		free(c->column), free(c->table), free(c->row);
}

static void load_stmtconds(struct yerrs *e, const struct ynode *f, struct psqlfile *sf)
{
	const struct ynode *n = seq_of(e, f, "statements", 0);
	if (!n)
		return;
	sf->stmts = xcalloc(n->n ? n->n : 1, sizeof *sf->stmts);
	for (size_t i = 0; i < n->n; i++) {
		const struct ynode *it = n->items[i];
		struct pstmtcond *sc = &sf->stmts[sf->nstmts++];
		sc->at = pos_of(it);
		if (!want_map(e, it, "a statement precondition"))
			continue;
		static const char *const keys[] = {"match", "index", "unless", NULL};
		ycheck_keys(e, it, "a statement precondition", keys);
		sc->match = yget_str(e, it, "match", 0);
		sc->index = yget_int(e, it, "index", 0);
		if (!!sc->match == !!ymap_get(it, "index"))
			yerr(e, it, "a statement precondition needs exactly one of 'match' (text the statement contains) or 'index' (1-based)");
		else if (!sc->match && sc->index < 1)
			yerr(e, ymap_get(it, "index"), "'index' counts statements from 1");
		else if (sc->match && !*sc->match)
			yerr(e, ymap_get(it, "match"), "'match' must not be empty");
		const struct ynode *u = ymap_get(it, "unless");
		if (!u)
			yerr(e, it, "a statement precondition needs 'unless'");
		else
			load_cond(e, u, &sc->unless);
	}
}

static void load_sqlfiles(struct yerrs *e, const struct ynode *m, struct pstep *s)
{
	const struct ynode *n = seq_of(e, m, "files", 1);
	if (!n)
		return;
	s->files = xcalloc(n->n, sizeof *s->files);
	for (size_t i = 0; i < n->n; i++) {
		const struct ynode *f = n->items[i];
		struct psqlfile *sf = &s->files[s->nfiles++];
		sf->at = pos_of(f);
		if (f->type == Y_SCALAR) {
			sf->path = xstrdup(f->value);
			continue;
		}
		if (!want_map(e, f, "a SQL file"))
			continue;
		static const char *const keys[] = {"path", "when", "unless", "statements", NULL};
		ycheck_keys(e, f, "a SQL file", keys);
		sf->path = yget_str(e, f, "path", 1);
		sf->when = yget_str(e, f, "when", 0);
		const struct ynode *u = ymap_get(f, "unless");
		if (u) {
			sf->unless = xcalloc(1, sizeof *sf->unless);
			load_cond(e, u, sf->unless);
		}
		load_stmtconds(e, f, sf);
	}
	struct ynode *aa = ymap_get(m, "already_applied");
	if (aa) {
		if (aa->type != Y_SEQ) {
			yerr(e, aa, "'already_applied' must be a list of error codes");
			return;
		}
		s->already_applied = xcalloc(aa->n, sizeof *s->already_applied);
		for (size_t i = 0; i < aa->n; i++) {
			if (aa->items[i]->type != Y_SCALAR || !str_is_int(aa->items[i]->value))
				yerr(e, aa->items[i], "an error code must be a number (e.g. 1060)");
			else
				s->already_applied[s->nalready++] = atoi(aa->items[i]->value);
		}
	}
}

static void load_tokensync(struct yerrs *e, const struct ynode *m, struct pstep *s)
{
	s->connection = yget_str(e, m, "connection", 1);
	s->query = yget_str(e, m, "query", 1);
	s->capture_var = yget_str(e, m, "capture", 0);
	s->capture_prefix = yget_str(e, m, "capture_prefix", 0);
	const struct ynode *n = seq_of(e, m, "files", 1);
	if (!n)
		return;
	s->pfiles = xcalloc(n->n, sizeof *s->pfiles);
	for (size_t i = 0; i < n->n; i++) {
		const struct ynode *f = n->items[i];
		if (!want_map(e, f, "a properties file"))
			continue;
		static const char *const keys[] = {"path", "keys", NULL};
		ycheck_keys(e, f, "a properties file", keys);
		struct pfilekeys *pf = &s->pfiles[s->npfiles++];
		pf->at = pos_of(f);
		pf->path = yget_str(e, f, "path", 1);
		get_pairs(e, f, "keys", &pf->keys, &pf->prefixes);
		if (!pf->keys.n)
			yerr(e, f, "a properties file needs 'keys' (property key: token prefix)");
	}
}

static void load_commands(struct yerrs *e, const struct ynode *m, struct pstep *s)
{
	const struct ynode *n = seq_of(e, m, "commands", 1);
	if (!n)
		return;
	static const char *const keys[] = {"run", "title", "when", "milestone", "success_match", "fail_match", "timeout",
					   "expect_exit", "pty", "confirm", "optional", "answers", "host", "capture",
					   "capture_match", "prompts", NULL};
	s->commands = xcalloc(n->n, sizeof *s->commands);
	for (size_t i = 0; i < n->n; i++) {
		const struct ynode *c = n->items[i];
		if (!want_map(e, c, "a command"))
			continue;
		ycheck_keys(e, c, "a command", keys);
		struct pcommand *pc = &s->commands[s->ncommands++];
		pc->at = pos_of(c);
		pc->run = yget_str(e, c, "run", 1);
		pc->title = yget_str(e, c, "title", 0);
		pc->when = yget_str(e, c, "when", 0);
		pc->milestone = yget_str(e, c, "milestone", 0);
		pc->success_match = yget_str(e, c, "success_match", 0);
		pc->fail_match = yget_str(e, c, "fail_match", 0);
		pc->timeout_s = yget_int(e, c, "timeout", 600);
		pc->expect_exit = yget_int(e, c, "expect_exit", 0);
		pc->pty = yget_bool(e, c, "pty", 0);
		pc->optional = yget_bool(e, c, "optional", 0);
		struct ynode *cf = ymap_get(c, "confirm");
		int b;
		if (cf && yscalar_bool(cf, &b) == 0)
			pc->confirm = b;
		else if (cf && cf->type == Y_SCALAR) {
			pc->confirm = 1;
			pc->confirm_text = xstrdup(cf->value);
		}
		yget_strlist(e, c, "answers", &pc->answers);
		profile_ext_command(e, c, pc);
	}
}

/* Checklist items: text, or {text, id, help, when, on_fail, check}. */
static void load_citems(struct yerrs *e, const struct ynode *m, struct pstep *s)
{
	const struct ynode *n = seq_of(e, m, "items", 1);
	if (!n)
		return;
	if (!n->n)
		yerr(e, n, "step %s needs 'items'", s->id ? s->id : "?");
	static const char *const keys[] = {"text", "id", "help", "when", "on_fail", "check", NULL};
	s->citems = xcalloc(n->n ? n->n : 1, sizeof *s->citems);
	for (size_t i = 0; i < n->n; i++) {
		const struct ynode *it = n->items[i];
		struct pitem *ci = &s->citems[s->ncitems++];
		ci->at = pos_of(it);
		if (it->type == Y_SCALAR) {
			ci->text = xstrdup(it->value);
		} else if (want_map(e, it, "a checklist item")) {
			ycheck_keys(e, it, "a checklist item", keys);
			ci->text = yget_str(e, it, "text", 1);
			ci->id = yget_str(e, it, "id", 0);
			ci->help = yget_str(e, it, "help", 0);
			ci->when = yget_str(e, it, "when", 0);
			ci->on_fail = yget_str(e, it, "on_fail", 0);
			const struct ynode *c = ymap_get(it, "check");
			if (c && want_map(e, c, "'check'")) {
				ci->check = xcalloc(1, sizeof *ci->check);
				load_check(e, c, ci->check);
			}
		}
		sv_push(&s->items, ci->text ? ci->text : "");
		for (size_t j = 0; ci->id && j + 1 < s->ncitems; j++)
			if (s->citems[j].id && strcmp(s->citems[j].id, ci->id) == 0)
				yerr(e, it, "duplicate item id '%s'", ci->id);
	}
}

static const char *const step_common[] = {"id", "title", "help", "when", "screen", "destructive",
					  "foreach", "as", "fields", "host", NULL};

static void load_step(struct yerrs *e, const struct ynode *m, struct pstep *s)
{
	s->at = pos_of(m);
	s->id = yget_str(e, m, "id", 1);
	s->title = yget_str(e, m, "title", 0);
	if (!s->title && s->id)
		s->title = xstrdup(s->id);
	s->help = yget_str(e, m, "help", 0);
	s->when = yget_str(e, m, "when", 0);
	s->destructive = yget_bool(e, m, "destructive", 0);
	profile_ext_step(e, m, s);
	char *screen = yget_str(e, m, "screen", 1);
	if (!screen)
		return;
	int k;
	for (k = 0; k < SK__COUNT; k++)
		if (strcmp(screen, kind_names[k]) == 0)
			break;
	if (k == SK__COUNT) {
		struct strbuf sb = STRBUF_INIT;
		for (int i = 0; i < SK__COUNT; i++)
			sb_addf(&sb, "%s%s", i ? ", " : "", kind_names[i]);
		yerr(e, ymap_get(m, "screen"), "unknown screen '%s' (known: %s)", screen, sb.s);
		sb_free(&sb);
		free(screen);
		return;
	}
	free(screen);
	s->kind = (enum step_kind)k;
	/* The keys each kind accepts besides the common ones. */
	static const char *const per_kind[SK__COUNT][12] = {
		[SK_PRECAUTIONS] = {"items"},
		[SK_CHECKLIST] = {"items"},
		[SK_ENVCHECK] = {"checks"},
		[SK_VERIFY] = {"checks"},
		[SK_CHOICE] = {"question", "options", "default"},
		[SK_BACKUP] = {"database", "folders", "dir"},
		[SK_SQLAPPLY] = {"connection", "files", "already_applied"},
		[SK_COPY] = {"source", "url", "sha256", "dest", "move_aside", "jar_class", "jar_version"},
		[SK_TOKENSYNC] = {"connection", "query", "files", "capture", "capture_prefix"},
		[SK_COMMAND] = {"commands", "reads_only"},
	};
	const char *allowed[24];
	size_t na = 0;
	for (const char *const *c = step_common; *c; c++)
		allowed[na++] = *c;
	for (size_t i = 0; i < 12 && per_kind[k][i]; i++)
		allowed[na++] = per_kind[k][i];
	allowed[na] = NULL;
	ycheck_keys(e, m, s->id ? s->id : "a step", allowed);

	switch (s->kind) {
	case SK_PRECAUTIONS:
		yget_strlist(e, m, "items", &s->items);
		if (!s->items.n)
			yerr(e, m, "step %s needs 'items'", s->id ? s->id : "?");
		break;
	case SK_CHECKLIST:
		load_citems(e, m, s);
		break;
	case SK_ENVCHECK:
	case SK_VERIFY:
		load_checks(e, m, s);
		break;
	case SK_CHOICE:
		s->question = yget_str(e, m, "question", 1);
		s->def = yget_str(e, m, "default", 0);
		load_options(e, m, s);
		if (s->def) {
			int found = 0;
			for (size_t i = 0; i < s->noptions; i++)
				if (s->options[i].key && strcmp(s->options[i].key, s->def) == 0) {
					found = 1;
					if (s->options[i].danger)
						yerr(e, ymap_get(m, "default"), "the default option cannot be a danger option");
				}
			if (!found)
				yerr(e, ymap_get(m, "default"), "default '%s' is not one of the option keys", s->def);
		}
		break;
	case SK_BACKUP:
		s->db_conn = yget_str(e, m, "database", 0);
		s->backup_dir = yget_str(e, m, "dir", 1);
		yget_strlist(e, m, "folders", &s->folders);
		if (!s->db_conn && !s->folders.n)
			yerr(e, m, "a backup step needs 'database' and/or 'folders'");
		break;
	case SK_SQLAPPLY:
		s->connection = yget_str(e, m, "connection", 1);
		load_sqlfiles(e, m, s);
		break;
	case SK_COPY:
		s->source = yget_str(e, m, "source", 0);
		s->url = yget_str(e, m, "url", 0);
		s->sha256 = yget_str(e, m, "sha256", 0);
		s->move_aside = yget_str(e, m, "move_aside", 0);
		s->jar_class = yget_str(e, m, "jar_class", 0);
		s->jar_version = yget_str(e, m, "jar_version", 0);
		yget_strlist(e, m, "dest", &s->dests);
		if (!s->source && !s->url)
			yerr(e, m, "a copy step needs 'source' and/or 'url'");
		if (!s->dests.n)
			yerr(e, m, "a copy step needs 'dest' folders");
		break;
	case SK_TOKENSYNC:
		load_tokensync(e, m, s);
		break;
	case SK_COMMAND:
		load_commands(e, m, s);
		s->reads_only = yget_bool(e, m, "reads_only", 0);
		break;
	default:
		break;
	}
}

/* ---- cross references */

static int name_known(const struct profile *p, const char *name, const struct strvec *set_by_options)
{
	for (const char *const *b = builtin_vars; *b; b++)
		if (strcmp(*b, name) == 0)
			return 1;
	if (profile_var(p, name))
		return 1;
	for (size_t i = 0; i < set_by_options->n; i++)
		if (strcmp(set_by_options->v[i], name) == 0)
			return 1;
	return 0;
}

static void check_refs(struct yerrs *e, const struct profile *p, const char *tmpl, struct pos at,
		       const struct strvec *extra, const char *what)
{
	if (!tmpl)
		return;
	struct strvec names = STRVEC_INIT;
	vars_refs(tmpl, &names);
	for (size_t i = 0; i < names.n; i++)
		if (!name_known(p, names.v[i], extra)) {
			struct ynode fake = {.line = at.line, .col = at.col};
			yerr(e, &fake, "%s uses ${%s}, which is not a declared variable", what, names.v[i]);
		}
	sv_free(&names);
}

static void check_cond(struct yerrs *e, const struct profile *p, const char *expr, struct pos at,
		       const struct strvec *extra)
{
	if (!expr)
		return;
	struct strvec names = STRVEC_INIT;
	char *cause = NULL;
	struct ynode fake = {.line = at.line, .col = at.col};
	if (cond_eval(NULL, expr, &names, &cause) < 0)
		yerr(e, &fake, "%s", cause);
	for (size_t i = 0; i < names.n; i++)
		if (!name_known(p, names.v[i], extra))
			yerr(e, &fake, "condition uses %s, which is not a declared variable", names.v[i]);
	free(cause);
	sv_free(&names);
}

static void cross_check(struct yerrs *e, struct profile *p)
{
	/* Variables set by choice options and captures count as declared. */
	struct strvec extra = STRVEC_INIT;
	for (size_t i = 0; i < p->nsteps; i++) {
		struct pstep *s = &p->steps[i];
		for (size_t j = 0; j < s->noptions; j++)
			for (size_t k = 0; k < s->options[j].set.n; k++) {
				const char *kv = s->options[j].set.v[k];
				sv_push_owned(&extra, xstrndup(kv, strcspn(kv, "=")));
			}
		for (size_t j = 0; j < s->nchecks; j++)
			if (s->checks[j].capture)
				sv_push(&extra, s->checks[j].capture);
		for (size_t j = 0; j < s->ncitems; j++)
			if (s->citems[j].check && s->citems[j].check->capture)
				sv_push(&extra, s->citems[j].check->capture);
		if (s->capture_var)
			sv_push(&extra, s->capture_var);
	}
	profile_ext_names(p, &extra);
	for (size_t i = 0; i < p->nconns; i++) {
		struct pconn *c = &p->conns[i];
		const char *f[] = {c->host, c->port, c->socket, c->user, c->password, c->database};
		for (size_t k = 0; k < ARRAY_LEN(f); k++)
			check_refs(e, p, f[k], c->at, &extra, "connection");
	}
	check_refs(e, p, p->target, (struct pos){1, 1}, &extra, "target");
	for (size_t i = 0; i < p->nsteps; i++) {
		struct pstep *s = &p->steps[i];
		for (size_t j = 0; j < i; j++)
			if (s->id && p->steps[j].id && strcmp(s->id, p->steps[j].id) == 0) {
				struct ynode fake = {.line = s->at.line, .col = s->at.col};
				yerr(e, &fake, "duplicate step id '%s' (first at line %d)", s->id, p->steps[j].at.line);
			}
		check_cond(e, p, s->when, s->at, &extra);
		for (size_t j = 0; j < s->noptions; j++) {
			check_cond(e, p, s->options[j].when, s->options[j].at, &extra);
			check_cond(e, p, s->options[j].recommended, s->options[j].at, &extra);
		}
		const char *conn = s->connection ? s->connection : s->db_conn;
		if (conn && !profile_conn(p, conn)) {
			struct ynode fake = {.line = s->at.line, .col = s->at.col};
			yerr(e, &fake, "step %s uses connection '%s', which is not declared", s->id, conn);
		}
		for (size_t j = 0; j < s->ncitems; j++) {
			struct pitem *ci = &s->citems[j];
			check_cond(e, p, ci->when, ci->at, &extra);
			check_refs(e, p, ci->text, ci->at, &extra, "checklist item");
			check_refs(e, p, ci->help, ci->at, &extra, "checklist item");
			check_refs(e, p, ci->on_fail, ci->at, &extra, "checklist item");
			if (ci->check) {
				struct pcheck *c = ci->check;
				check_cond(e, p, c->when, c->at, &extra);
				const char *f[] = {c->command, c->query, c->ports, c->path, c->url, c->body, c->value, c->of,
				                   c->min, c->max};
				for (size_t k = 0; k < ARRAY_LEN(f); k++)
					check_refs(e, p, f[k], c->at, &extra, "check");
			}
		}
		for (size_t j = 0; j < s->nchecks; j++) {
			struct pcheck *c = &s->checks[j];
			check_cond(e, p, c->when, c->at, &extra);
			const char *fv[] = {c->value, c->of, c->min, c->max, c->input, c->version, c->expect};
			for (size_t k = 0; k < ARRAY_LEN(fv); k++)
				check_refs(e, p, fv[k], c->at, &extra, "check");
			const char *f[] = {c->command, c->query, c->ports, c->path, c->url, c->body};
			for (size_t k = 0; k < ARRAY_LEN(f); k++)
				check_refs(e, p, f[k], c->at, &extra, "check");
			for (size_t k = 0; k < c->headers.n; k++)
				check_refs(e, p, c->headers.v[k], c->at, &extra, "check");
			if (c->connection && !profile_conn(p, c->connection)) {
				struct ynode fake = {.line = c->at.line, .col = c->at.col};
				yerr(e, &fake, "check uses connection '%s', which is not declared", c->connection);
			}
		}
		for (size_t j = 0; j < s->nfiles; j++) {
			check_refs(e, p, s->files[j].path, s->files[j].at, &extra, "SQL file");
			check_cond(e, p, s->files[j].when, s->files[j].at, &extra);
		}
		for (size_t j = 0; j < s->ncommands; j++) {
			check_refs(e, p, s->commands[j].run, s->commands[j].at, &extra, "command");
			check_cond(e, p, s->commands[j].when, s->commands[j].at, &extra);
		}
		for (size_t j = 0; j < s->npfiles; j++)
			check_refs(e, p, s->pfiles[j].path, s->pfiles[j].at, &extra, "properties file");
		for (size_t j = 0; j < s->folders.n; j++)
			check_refs(e, p, s->folders.v[j], s->at, &extra, "backup folder");
		for (size_t j = 0; j < s->dests.n; j++)
			check_refs(e, p, s->dests.v[j], s->at, &extra, "copy destination");
		const char *f[] = {s->backup_dir, s->source, s->url, s->sha256};
		for (size_t k = 0; k < ARRAY_LEN(f); k++)
			check_refs(e, p, f[k], s->at, &extra, s->id ? s->id : "step");
	}
	profile_ext_cross(e, p, &extra);
	/* A secret on a command line would reach argv: refuse at load time. */
	for (size_t i = 0; i < p->nsteps; i++)
		for (size_t j = 0; j < p->steps[i].ncommands; j++) {
			struct strvec names = STRVEC_INIT;
			vars_refs(p->steps[i].commands[j].run, &names);
			for (size_t k = 0; k < names.n; k++) {
				const struct pvar *v = profile_var(p, names.v[k]);
				if (v && v->secret) {
					struct ynode fake = {.line = p->steps[i].commands[j].at.line, .col = p->steps[i].commands[j].at.col};
					yerr(e, &fake, "command puts secret ${%s} on a command line (argv is visible to every user)", names.v[k]);
				}
			}
			sv_free(&names);
		}
	sv_free(&extra);
}

struct profile *profile_load(const char *path, char **cause)
{
	struct ydoc doc;
	if (ydoc_load(path, &doc, cause) < 0) {
		ydoc_free(&doc);
		return NULL;
	}
	struct yerrs e = {.file = path};
	struct profile *p = xcalloc(1, sizeof *p);
	p->path = xstrdup(path);
	p->dir = path_dirname(path);
	const struct ynode *r = doc.root;
	if (!r || r->type != Y_MAP) {
		yerr(&e, r, "a profile must be a mapping with id, title, steps");
		goto done;
	}
	static const char *const top[] = {"id", "title", "product", "from", "to", "guide", "target", "summary",
					  "vars", "connections", "steps", "sandbox", NULL};
	ycheck_keys(&e, r, "the profile", top);
	p->id = yget_str(&e, r, "id", 1);
	p->title = yget_str(&e, r, "title", 1);
	p->product = yget_str(&e, r, "product", 0);
	p->from = yget_str(&e, r, "from", 1);
	p->to = yget_str(&e, r, "to", 1);
	p->guide = yget_str(&e, r, "guide", 0);
	p->target = yget_str(&e, r, "target", 1);
	p->summary = yget_str(&e, r, "summary", 0);
	struct ynode *sb = ymap_get(r, "sandbox");
	if (sb) {
		static const char *const sbk[] = {"world", NULL};
		if (want_map(&e, sb, "'sandbox'")) {
			ycheck_keys(&e, sb, "'sandbox'", sbk);
			p->world = yget_str(&e, sb, "world", 1);
		}
	}
	load_vars(&e, ymap_get(r, "vars"), p);
	load_conns(&e, ymap_get(r, "connections"), p);
	const struct ynode *steps = seq_of(&e, r, "steps", 1);
	if (steps) {
		p->steps = xcalloc(steps->n ? steps->n : 1, sizeof *p->steps);
		for (size_t i = 0; i < steps->n; i++)
			if (want_map(&e, steps->items[i], "a step"))
				load_step(&e, steps->items[i], &p->steps[p->nsteps++]);
		if (!steps->n)
			yerr(&e, steps, "a profile needs at least one step");
	}
	if (!e.n)
		cross_check(&e, p);
done:
	ydoc_free(&doc);
	if (e.n) {
		char *msg = yerrs_join(&e);
		set_cause(cause, "%s", msg);
		free(msg);
		yerrs_free(&e);
		profile_free(p);
		return NULL;
	}
	return p;
}

/* ---- free */

static void check_free(struct pcheck *c)
{
	free(c->name), free(c->fix), free(c->when), free(c->capture), free(c->command), free(c->match);
	free(c->version), free(c->connection), free(c->query), free(c->expect), free(c->fail_msg);
	free(c->ports), free(c->path), free(c->method), free(c->url), free(c->body), free(c->body_match);
	free(c->id), free(c->value), free(c->input), free(c->pattern), free(c->min), free(c->max), free(c->within), free(c->of);
	free(c->host), free(c->no_process), free(c->cmp_left), free(c->cmp_op), free(c->cmp_right), free(c->cmp_as), free(c->auth);
	sv_free(&c->headers);
	for (size_t i = 0; i < c->njson; i++) {
		free(c->json[i].path), free(c->json[i].equals), free(c->json[i].all);
		sv_free(&c->json[i].includes);
	}
	free(c->json);
}

static void step_free(struct pstep *s)
{
	profile_ext_free_step(s);   /* first: it frees the commands' additions */
	free(s->id), free(s->title), free(s->help), free(s->when);
	sv_free(&s->items);
	for (size_t i = 0; i < s->ncitems; i++) {
		struct pitem *ci = &s->citems[i];
		free(ci->id), free(ci->text), free(ci->help), free(ci->when), free(ci->on_fail);
		if (ci->check) {
			check_free(ci->check);
			free(ci->check);
		}
	}
	free(s->citems);
	for (size_t i = 0; i < s->nchecks; i++)
		check_free(&s->checks[i]);
	free(s->checks);
	free(s->question), free(s->def);
	for (size_t i = 0; i < s->noptions; i++) {
		struct poption *o = &s->options[i];
		free(o->key), free(o->label), free(o->help), free(o->confirm), free(o->when), free(o->recommended);
		sv_free(&o->set);
	}
	free(s->options);
	free(s->db_conn), free(s->backup_dir);
	sv_free(&s->folders);
	free(s->connection);
	for (size_t i = 0; i < s->nfiles; i++) {
		free(s->files[i].path), free(s->files[i].when);
		cond_free(s->files[i].unless);
		free(s->files[i].unless);
		for (size_t j = 0; j < s->files[i].nstmts; j++)
			free(s->files[i].stmts[j].match), cond_free(&s->files[i].stmts[j].unless);
		free(s->files[i].stmts);
	}
	free(s->files);
	free(s->already_applied);
	free(s->source), free(s->url), free(s->sha256), free(s->move_aside), free(s->jar_class), free(s->jar_version);
	sv_free(&s->dests);
	free(s->query), free(s->capture_prefix), free(s->capture_var);
	for (size_t i = 0; i < s->npfiles; i++) {
		free(s->pfiles[i].path);
		sv_free(&s->pfiles[i].keys);
		sv_free(&s->pfiles[i].prefixes);
	}
	free(s->pfiles);
	for (size_t i = 0; i < s->ncommands; i++) {
		struct pcommand *c = &s->commands[i];
		free(c->run), free(c->title), free(c->when), free(c->milestone), free(c->success_match);
		free(c->fail_match), free(c->confirm_text);
		sv_free(&c->answers);
	}
	free(s->commands);
}

void profile_free(struct profile *p)
{
	if (!p)
		return;
	free(p->path), free(p->dir), free(p->id), free(p->title), free(p->product), free(p->from), free(p->to);
	free(p->guide), free(p->target), free(p->summary), free(p->world);
	for (size_t i = 0; i < p->nvars; i++) {
		struct pvar *v = &p->vars[i];
		free(v->name), free(v->prompt), free(v->help), free(v->def), free(v->pattern);
		sv_free(&v->choices);
	}
	free(p->vars);
	for (size_t i = 0; i < p->nconns; i++) {
		struct pconn *c = &p->conns[i];
		free(c->name), free(c->host), free(c->port), free(c->socket), free(c->user), free(c->password);
		free(c->database), free(c->charset);
	}
	free(p->conns);
	for (size_t i = 0; i < p->nsteps; i++)
		step_free(&p->steps[i]);
	free(p->steps);
	free(p);
}

const struct pvar *profile_var(const struct profile *p, const char *name)
{
	for (size_t i = 0; i < p->nvars; i++)
		if (strcmp(p->vars[i].name, name) == 0)
			return &p->vars[i];
	return NULL;
}

const struct pconn *profile_conn(const struct profile *p, const char *name)
{
	for (size_t i = 0; i < p->nconns; i++)
		if (strcmp(p->conns[i].name, name) == 0)
			return &p->conns[i];
	return NULL;
}

/* ---- finding bundled profiles */

static void profile_dirs(struct strvec *dirs)
{
	const char *env = getenv("UPWIZ_PROFILES");
	if (env && *env)
		sv_push(dirs, env);
	char exe[4096];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		exe[n] = '\0';
		char *d = path_dirname(exe);
		sv_push_owned(dirs, xasprintf("%s/../share/upwiz/profiles", d));
		free(d);
	}
	sv_push(dirs, UPWIZ_SOURCE_DIR "/profiles");
}

char *profile_resolve(const char *arg, char **cause)
{
	if (strchr(arg, '/') || str_ends(arg, ".yaml") || str_ends(arg, ".yml")) {
		if (!path_exists(arg)) {
			set_cause(cause, "%s: no such profile file", arg);
			return NULL;
		}
		return xstrdup(arg);
	}
	struct strvec dirs = STRVEC_INIT;
	profile_dirs(&dirs);
	for (size_t i = 0; i < dirs.n; i++) {
		char *f = xasprintf("%s/%s.yaml", dirs.v[i], arg);
		if (path_exists(f)) {
			sv_free(&dirs);
			return f;
		}
		free(f);
	}
	sv_free(&dirs);
	set_cause(cause, "%s: no bundled profile of that id (see `upwiz list`)", arg);
	return NULL;
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

void profile_list_bundled(struct strvec *out)
{
	struct strvec dirs = STRVEC_INIT;
	profile_dirs(&dirs);
	for (size_t i = 0; i < dirs.n && !out->n; i++) {
		DIR *d = opendir(dirs.v[i]);
		if (!d)
			continue;
		struct dirent *de;
		while ((de = readdir(d)))
			if (str_ends(de->d_name, ".yaml"))
				sv_push_owned(out, xasprintf("%s/%s", dirs.v[i], de->d_name));
		closedir(d);
	}
	sv_free(&dirs);
	if (out->n)
		qsort(out->v, out->n, sizeof *out->v, cmp_str);
}
