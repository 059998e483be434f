/*
 * precond.c: see precond.h. A small tokeniser (words, `quoted` names, strings, numbers, @vars,
 * punctuation; comments skipped) is enough to recognise the statement shapes upgrade scripts
 * use. Anything not recognised exactly is PV_UNKNOWN: a wrong "applied" would skip a statement,
 * a wrong "not applied" would apply one twice, and both are worse than asking.
 */
#include "core/precond.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum tk { TK_WORD, TK_QIDENT, TK_STR, TK_NUM, TK_VAR, TK_PUNCT };

struct tok {
	enum tk t;
	const char *s;              /* into the statement text */
	size_t len;
};

struct toks {
	struct tok *v;
	size_t n, cap;
};

static void tpush(struct toks *ts, enum tk t, const char *s, size_t len)
{
	if (ts->n == ts->cap) {
		ts->cap = ts->cap ? ts->cap * 2 : 64;
		ts->v = xrealloc(ts->v, ts->cap * sizeof *ts->v);
	}
	ts->v[ts->n++] = (struct tok){t, s, len};
}

/* 0, or -1 on text it does not understand (an unterminated quote). */
static int tokenise(const char *p, struct toks *ts)
{
	while (*p) {
		unsigned char c = (unsigned char)*p;
		if (isspace(c)) {
			p++;
		} else if (c == '#' || (c == '-' && p[1] == '-' && (p[2] == ' ' || p[2] == '\t' || p[2] == '\n' || !p[2]))) {
			while (*p && *p != '\n')
				p++;
		} else if (c == '/' && p[1] == '*') {
			if (p[2] == '!')   /* an executable comment runs on MySQL: not something to reason about */
				return -1;
			const char *e = strstr(p + 2, "*/");
			if (!e)
				return -1;
			p = e + 2;
		} else if (c == '\'' || c == '"' || c == '`') {
			const char *s = p++;
			for (;;) {
				if (!*p)
					return -1;
				if (*p == '\\' && c != '`' && p[1]) {
					p += 2;
					continue;
				}
				if ((unsigned char)*p == c) {
					if ((unsigned char)p[1] == c) {
						p += 2;
						continue;
					}
					p++;
					break;
				}
				p++;
			}
			tpush(ts, c == '`' ? TK_QIDENT : TK_STR, s, (size_t)(p - s));
		} else if (isdigit(c) || (c == '.' && isdigit((unsigned char)p[1]))) {
			const char *s = p;
			while (isalnum((unsigned char)*p) || *p == '.')
				p++;
			tpush(ts, TK_NUM, s, (size_t)(p - s));
		} else if (c == '@') {
			const char *s = p++;
			if (*p == '@')
				p++;
			while (isalnum((unsigned char)*p) || *p == '_' || *p == '$' || *p == '.')
				p++;
			tpush(ts, TK_VAR, s, (size_t)(p - s));
		} else if (isalpha(c) || c == '_' || c == '$' || c >= 0x80) {
			const char *s = p;
			while (isalnum((unsigned char)*p) || *p == '_' || *p == '$' || (unsigned char)*p >= 0x80)
				p++;
			tpush(ts, TK_WORD, s, (size_t)(p - s));
		} else if ((c == '<' && p[1] == '=' && p[2] == '>')) {
			tpush(ts, TK_PUNCT, p, 3);
			p += 3;
		} else if ((c == '<' || c == '>' || c == '!' || c == ':') && p[1] == '=') {
			tpush(ts, TK_PUNCT, p, 2);
			p += 2;
		} else {
			tpush(ts, TK_PUNCT, p, 1);
			p++;
		}
	}
	return 0;
}

static int kw(const struct toks *ts, size_t i, const char *word)
{
	return i < ts->n && ts->v[i].t == TK_WORD && strlen(word) == ts->v[i].len && strncasecmp(ts->v[i].s, word, ts->v[i].len) == 0;
}

static int punct(const struct toks *ts, size_t i, const char *p)
{
	return i < ts->n && ts->v[i].t == TK_PUNCT && strlen(p) == ts->v[i].len && strncmp(ts->v[i].s, p, ts->v[i].len) == 0;
}

static int is_ident(const struct toks *ts, size_t i)
{
	return i < ts->n && (ts->v[i].t == TK_WORD || ts->v[i].t == TK_QIDENT);
}

/* The name a token stands for: backticks removed, doubled backticks undone. */
static char *ident(const struct toks *ts, size_t i)
{
	const struct tok *t = &ts->v[i];
	if (t->t != TK_QIDENT)
		return xstrndup(t->s, t->len);
	struct strbuf sb = STRBUF_INIT;
	for (size_t k = 1; k + 1 < t->len; k++) {
		sb_addc(&sb, t->s[k]);
		if (t->s[k] == '`')
			k++;
	}
	return sb_detach(&sb);
}

/* [schema.]table at *i; advances *i. 0, or -1 when there is no name. */
static int table_name(const struct toks *ts, size_t *i, char **schema, char **table)
{
	if (!is_ident(ts, *i))
		return -1;
	if (punct(ts, *i + 1, ".") && is_ident(ts, *i + 2)) {
		*schema = ident(ts, *i);
		*table = ident(ts, *i + 2);
		*i += 3;
	} else {
		*schema = NULL;
		*table = ident(ts, *i);
		*i += 1;
	}
	return 0;
}

/* A top-level token among `words` (paren depth 0) at or after i; its index or ts->n. */
static size_t find_top(const struct toks *ts, size_t i, const char *const *words, const char *p)
{
	int depth = 0;
	for (; i < ts->n; i++) {
		if (punct(ts, i, "("))
			depth++;
		else if (punct(ts, i, ")"))
			depth--;
		else if (depth == 0) {
			for (const char *const *w = words; w && *w; w++)
				if (kw(ts, i, *w))
					return i;
			if (p && punct(ts, i, p))
				return i;
		}
	}
	return ts->n;
}

static int is_literal(const struct toks *ts, size_t i, size_t *next)
{
	if (i < ts->n && (ts->v[i].t == TK_STR || ts->v[i].t == TK_NUM || kw(ts, i, "NULL") || kw(ts, i, "TRUE") ||
			  kw(ts, i, "FALSE"))) {
		*next = i + 1;
		return 1;
	}
	if (punct(ts, i, "-") && i + 1 < ts->n && ts->v[i + 1].t == TK_NUM) {
		*next = i + 2;
		return 1;
	}
	return 0;
}

enum probe_kind { PK_NONE, PK_RESEND, PK_COLUMN, PK_INDEX, PK_TABLE, PK_COUNT };

struct probe {
	enum probe_kind k;
	int exists_means_applied;   /* PK_COLUMN/INDEX/TABLE: 1 for ADD/CREATE, 0 for DROP */
	char *schema, *table, *name;
	char *count_sql;            /* PK_COUNT: applied when it returns 0 */
	char *words;                /* what is checked, in words */
};

static void probe_free(struct probe *p)
{
	free(p->schema), free(p->table), free(p->name), free(p->count_sql), free(p->words);
}

static char *qualified(const struct probe *p)
{
	return p->schema ? xasprintf("%s.%s", p->schema, p->table) : xstrdup(p->table);
}

static void classify_alter(const struct toks *ts, size_t i, struct probe *p)
{
	if (table_name(ts, &i, &p->schema, &p->table) < 0)
		return;
	static const char *const none[] = {NULL};
	if (find_top(ts, i, none, ",") < ts->n)
		return;   /* several changes in one ALTER: some may have landed (MariaDB applies it whole, but be safe) */
	char *q = qualified(p);
	if (kw(ts, i, "MODIFY") || kw(ts, i, "CHANGE") || kw(ts, i, "ALTER")) {
		p->k = PK_RESEND;
		p->words = xasprintf("ALTER TABLE %s %.*s gives the same table when applied again", q, (int)ts->v[i].len, ts->v[i].s);
	} else if (kw(ts, i, "ADD") || kw(ts, i, "DROP")) {
		int add = kw(ts, i, "ADD");
		i++;
		int index = 0;
		if (kw(ts, i, "UNIQUE")) {
			index = 1;
			i++;
			if (kw(ts, i, "INDEX") || kw(ts, i, "KEY"))
				i++;
		} else if (kw(ts, i, "INDEX") || kw(ts, i, "KEY")) {
			index = 1;
			i++;
		} else if (kw(ts, i, "COLUMN"))
			i++;
		else if (kw(ts, i, "PRIMARY") || kw(ts, i, "FOREIGN") || kw(ts, i, "CONSTRAINT") || kw(ts, i, "FULLTEXT") ||
			 kw(ts, i, "SPATIAL") || kw(ts, i, "PARTITION") || punct(ts, i, "(")) {
			free(q);
			return;
		}
		if (kw(ts, i, "IF") && (kw(ts, i + 1, "EXISTS") || (kw(ts, i + 1, "NOT") && kw(ts, i + 2, "EXISTS"))))
			i += kw(ts, i + 1, "EXISTS") ? 2 : 3;
		if (!is_ident(ts, i)) {
			free(q);
			return;
		}
		p->name = ident(ts, i);
		p->k = index ? PK_INDEX : PK_COLUMN;
		p->exists_means_applied = add;
		p->words = xasprintf("%s %s.%s exists", index ? "index" : "column", q, p->name);
	}
	free(q);
}

static void classify_update(const struct toks *ts, size_t i, struct probe *p)
{
	while (kw(ts, i, "LOW_PRIORITY") || kw(ts, i, "IGNORE"))
		i++;
	size_t tstart = i;
	if (table_name(ts, &i, &p->schema, &p->table) < 0 || !kw(ts, i, "SET"))
		return;
	size_t tend = i;
	i++;
	struct strbuf cmp = STRBUF_INIT;
	for (;;) {
		size_t c = i, next;
		if (!is_ident(ts, c) || !punct(ts, c + 1, "=") || !is_literal(ts, c + 2, &next)) {
			sb_free(&cmp);
			return;   /* a computed value (now(), col + 1): applying it twice is not applying it once */
		}
		const char *vs = ts->v[c + 2].s;
		const char *ve = ts->v[next - 1].s + ts->v[next - 1].len;
		sb_addf(&cmp, "%s%.*s <=> %.*s", cmp.len ? " AND " : "", (int)ts->v[c].len, ts->v[c].s, (int)(ve - vs), vs);
		i = next;
		if (punct(ts, i, ",")) {
			i++;
			continue;
		}
		break;
	}
	const char *where = NULL;
	if (kw(ts, i, "WHERE")) {
		static const char *const stop[] = {"ORDER", "LIMIT", NULL};
		if (find_top(ts, i + 1, stop, NULL) < ts->n || i + 1 >= ts->n) {
			sb_free(&cmp);
			return;
		}
		where = ts->v[i + 1].s;
	} else if (i < ts->n) {
		sb_free(&cmp);
		return;
	}
	const char *ts0 = ts->v[tstart].s, *ts1 = ts->v[tend - 1].s + ts->v[tend - 1].len;
	p->count_sql = xasprintf("SELECT COUNT(*) FROM %.*s WHERE %s%s%sNOT (%s)", (int)(ts1 - ts0), ts0, where ? "(" : "",
				 where ? where : "", where ? ") AND " : "", sb_str(&cmp));
	char *q = qualified(p);
	p->words = xasprintf("rows of %s this UPDATE would still change", q);
	free(q);
	p->k = PK_COUNT;
	sb_free(&cmp);
}

static void classify_delete(const struct toks *ts, size_t i, struct probe *p)
{
	while (kw(ts, i, "LOW_PRIORITY") || kw(ts, i, "QUICK") || kw(ts, i, "IGNORE"))
		i++;
	if (!kw(ts, i, "FROM"))
		return;
	i++;
	size_t tstart = i;
	if (table_name(ts, &i, &p->schema, &p->table) < 0 || !kw(ts, i, "WHERE") || i + 1 >= ts->n)
		return;
	size_t tend = i;
	static const char *const stop[] = {"ORDER", "LIMIT", "RETURNING", NULL};
	if (find_top(ts, i + 1, stop, NULL) < ts->n)
		return;
	const char *ts0 = ts->v[tstart].s, *ts1 = ts->v[tend - 1].s + ts->v[tend - 1].len;
	p->count_sql = xasprintf("SELECT COUNT(*) FROM %.*s WHERE %s", (int)(ts1 - ts0), ts0, ts->v[i + 1].s);
	char *q = qualified(p);
	p->words = xasprintf("rows of %s this DELETE would still delete", q);
	free(q);
	p->k = PK_COUNT;
}

static void classify(const char *sql, struct probe *p)
{
	memset(p, 0, sizeof *p);
	struct toks ts = {0};
	if (tokenise(sql, &ts) < 0 || ts.n == 0) {
		free(ts.v);
		return;
	}
	size_t i = 0;
	if (kw(&ts, 0, "SELECT")) {
		static const char *const into[] = {"INTO", NULL};
		size_t k = find_top(&ts, 1, into, NULL);
		if (k == ts.n || !(kw(&ts, k + 1, "OUTFILE") || kw(&ts, k + 1, "DUMPFILE"))) {
			p->k = PK_RESEND;
			p->words = xstrdup("a query: it changes nothing in the database");
		}
	} else if (kw(&ts, 0, "SET") && ts.n > 1 && ts.v[1].t == TK_VAR && ts.v[1].s[1] != '@') {
		p->k = PK_RESEND;
		p->words = xstrdup("it sets a session variable only");
	} else if (kw(&ts, 0, "ALTER")) {
		i = 1;
		while (kw(&ts, i, "ONLINE") || kw(&ts, i, "IGNORE"))
			i++;
		if (kw(&ts, i, "TABLE"))
			classify_alter(&ts, i + 1, p);
	} else if (kw(&ts, 0, "CREATE") && kw(&ts, 1, "TABLE")) {
		i = 2;
		if (kw(&ts, i, "IF") && kw(&ts, i + 1, "NOT") && kw(&ts, i + 2, "EXISTS"))
			i += 3;
		if (table_name(&ts, &i, &p->schema, &p->table) == 0) {
			p->k = PK_TABLE;
			p->exists_means_applied = 1;
			char *q = qualified(p);
			p->words = xasprintf("table %s exists", q);
			free(q);
		}
	} else if (kw(&ts, 0, "CREATE") && (kw(&ts, 1, "INDEX") || (kw(&ts, 1, "UNIQUE") && kw(&ts, 2, "INDEX")))) {
		i = kw(&ts, 1, "INDEX") ? 2 : 3;
		if (kw(&ts, i, "IF") && kw(&ts, i + 1, "NOT") && kw(&ts, i + 2, "EXISTS"))
			i += 3;
		if (is_ident(&ts, i) && kw(&ts, i + 1, "ON")) {
			p->name = ident(&ts, i);
			i += 2;
			if (table_name(&ts, &i, &p->schema, &p->table) == 0) {
				p->k = PK_INDEX;
				p->exists_means_applied = 1;
				char *q = qualified(p);
				p->words = xasprintf("index %s.%s exists", q, p->name);
				free(q);
			}
		}
	} else if (kw(&ts, 0, "DROP") && kw(&ts, 1, "TABLE")) {
		i = 2;
		if (kw(&ts, i, "IF") && kw(&ts, i + 1, "EXISTS"))
			i += 2;
		if (table_name(&ts, &i, &p->schema, &p->table) == 0 && i == ts.n) {
			p->k = PK_TABLE;
			p->exists_means_applied = 0;
			char *q = qualified(p);
			p->words = xasprintf("table %s exists", q);
			free(q);
		}
	} else if (kw(&ts, 0, "UPDATE")) {
		classify_update(&ts, 1, p);
	} else if (kw(&ts, 0, "DELETE")) {
		classify_delete(&ts, 1, p);
	}
	if (p->k == PK_NONE) {
		probe_free(p);
		memset(p, 0, sizeof *p);
	}
	free(ts.v);
}

const char *pv_name(enum pv v)
{
	switch (v) {
	case PV_APPLIED: return "applied";
	case PV_NOT_APPLIED: return "not applied";
	case PV_RESEND: return "safe to send again";
	default: return "unknown";
	}
}

char *precond_describe(const char *sql)
{
	struct probe p;
	classify(sql, &p);
	char *w = p.words ? xstrdup(p.words) : NULL;
	probe_free(&p);
	return w;
}

/* COUNT(*) of an information_schema question; -1 with cause. */
static long count_query(struct db *d, const char *sql, char **cause)
{
	char *v = NULL;
	struct db_error err = {0};
	int rc = db_query_value(d, sql, &v, &err);
	if (rc < 0) {
		set_cause(cause, "ERROR %u: %s (in: %s)", err.code, err.message, sql);
		return -1;
	}
	long n = v ? strtol(v, NULL, 10) : 0;
	free(v);
	return n;
}

/* Counts the information_schema rows naming a column, an index or a table. */
static long exists_count(struct db *d, const char *kind, const char *schema, const char *table, const char *name, char **cause)
{
	char *es = NULL, *et = NULL, *en = NULL;
	char *sch = schema ? xasprintf("'%s'", db_escape(d, schema, &es)) : xstrdup("DATABASE()");
	db_escape(d, table, &et);
	char *sql;
	if (strcmp(kind, "column") == 0)
		sql = xasprintf("SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = %s AND table_name = '%s' "
				"AND column_name = '%s'", sch, et, db_escape(d, name, &en));
	else if (strcmp(kind, "index") == 0)
		sql = xasprintf("SELECT COUNT(*) FROM information_schema.statistics WHERE table_schema = %s AND table_name = '%s' "
				"AND index_name = '%s'", sch, et, db_escape(d, name, &en));
	else
		sql = xasprintf("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = %s AND table_name = '%s'", sch, et);
	long n = count_query(d, sql, cause);
	free(sql), free(sch), free(es), free(et), free(en);
	return n;
}

int precond_holds(struct db *d, const struct pcond *c, char **what, char **cause)
{
	*what = NULL;
	if (c->column) {
		size_t dot = strcspn(c->column, ".");
		char *t = xstrndup(c->column, dot);
		long n = exists_count(d, "column", NULL, t, c->column + dot + 1, cause);
		free(t);
		if (n < 0)
			return -1;
		*what = xasprintf("column %s %s", c->column, n > 0 ? "exists" : "does not exist");
		return n > 0;
	}
	if (c->table) {
		long n = exists_count(d, "table", NULL, c->table, NULL, cause);
		if (n < 0)
			return -1;
		*what = xasprintf("table %s %s", c->table, n > 0 ? "exists" : "does not exist");
		return n > 0;
	}
	char *v = NULL;
	struct db_error err = {0};
	int rc = db_query_value(d, c->row, &v, &err);
	free(v);
	if (rc < 0) {
		set_cause(cause, "precondition query failed: ERROR %u: %s (in: %s)", err.code, err.message, c->row);
		return -1;
	}
	*what = xasprintf("%s: %s", c->row, rc == 0 ? "a row exists" : "no row");
	return rc == 0;
}

int precond_inflight(struct db *d, const char *sql, enum pv *verdict, char **what, char **cause)
{
	struct probe p;
	classify(sql, &p);
	*what = NULL;
	*verdict = PV_UNKNOWN;
	int rc = 0;
	switch (p.k) {
	case PK_NONE:
		*what = xstrdup("no check can be derived from this statement and the profile declares none");
		break;
	case PK_RESEND:
		*verdict = PV_RESEND;
		*what = xstrdup(p.words);
		break;
	case PK_COLUMN:
	case PK_INDEX:
	case PK_TABLE: {
		const char *kind = p.k == PK_COLUMN ? "column" : p.k == PK_INDEX ? "index" : "table";
		long n = exists_count(d, kind, p.schema, p.table, p.name, cause);
		if (n < 0) {
			rc = -1;
			break;
		}
		char *q = qualified(&p);
		if (p.name)
			*what = xasprintf("%s %s.%s %s", kind, q, p.name, n > 0 ? "exists" : "does not exist");
		else
			*what = xasprintf("%s %s %s", kind, q, n > 0 ? "exists" : "does not exist");
		free(q);
		*verdict = (n > 0) == (p.exists_means_applied != 0) ? PV_APPLIED : PV_NOT_APPLIED;
		break;
	}
	case PK_COUNT: {
		long n = count_query(d, p.count_sql, cause);
		if (n < 0) {
			rc = -1;
			break;
		}
		*what = xasprintf("%s: %ld", p.words, n);
		*verdict = n == 0 ? PV_APPLIED : PV_NOT_APPLIED;
		break;
	}
	}
	probe_free(&p);
	return rc;
}
