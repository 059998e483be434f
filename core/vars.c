/*
 * vars.c: variables in a small array (profiles have tens of them; a hash would be noise),
 * expansion, the condition mini-language (recursive descent) and version comparison.
 */
#include "core/vars.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

struct var {
	char *name, *value;
	int secret;
};

struct vars {
	struct var *v;
	size_t n;
	struct redactor *red;
};

struct vars *vars_new(struct redactor *r)
{
	struct vars *v = xcalloc(1, sizeof *v);
	v->red = r;
	return v;
}

void vars_free(struct vars *v)
{
	if (!v)
		return;
	for (size_t i = 0; i < v->n; i++) {
		free(v->v[i].name);
		free(v->v[i].value);
	}
	free(v->v);
	free(v);
}

static struct var *find(const struct vars *v, const char *name)
{
	for (size_t i = 0; i < v->n; i++)
		if (strcmp(v->v[i].name, name) == 0)
			return &v->v[i];
	return NULL;
}

int vars_set(struct vars *v, const char *name, const char *value, int secret)
{
	struct var *x = find(v, name);
	if (!x) {
		v->v = xreallocarray(v->v, v->n + 1, sizeof *v->v);
		x = &v->v[v->n++];
		x->name = xstrdup(name);
		x->value = NULL;
		x->secret = 0;
	}
	free(x->value);
	x->value = xstrdup(value ? value : "");
	if (secret)
		x->secret = secret;
	int rc = 0;
	if (x->secret && v->red && *x->value)
		rc = redactor_add(v->red, x->value, x->secret == 2 ? REDACT_TOKEN : REDACT_PASSWORD);
	return rc;
}

const char *vars_get(const struct vars *v, const char *name)
{
	struct var *x = find(v, name);
	return x ? x->value : NULL;
}

int vars_is_secret(const struct vars *v, const char *name)
{
	struct var *x = find(v, name);
	return x ? x->secret : 0;
}

size_t vars_count(const struct vars *v) { return v->n; }

const char *vars_name_at(const struct vars *v, size_t i) { return i < v->n ? v->v[i].name : NULL; }

static void shell_quote(struct strbuf *sb, const char *s)
{
	sb_addc(sb, '\'');
	for (; *s; s++) {
		if (*s == '\'')
			sb_adds(sb, "'\\''");
		else
			sb_addc(sb, *s);
	}
	sb_addc(sb, '\'');
}

static int name_char(int c) { return isalnum(c) || c == '_'; }

char *vars_expand(const struct vars *v, const char *tmpl, enum expand_mode mode, char **cause)
{
	struct strbuf sb = STRBUF_INIT;
	for (const char *p = tmpl; *p;) {
		if (p[0] == '$' && p[1] == '$') {
			sb_addc(&sb, '$');
			p += 2;
			continue;
		}
		if (p[0] != '$' || p[1] != '{') {
			sb_addc(&sb, *p++);
			continue;
		}
		const char *end = strchr(p + 2, '}');
		if (!end) {
			set_cause(cause, "unterminated ${ in \"%s\"", tmpl);
			sb_free(&sb);
			return NULL;
		}
		char *name = xstrndup(p + 2, (size_t)(end - p - 2));
		struct var *x = v ? find(v, name) : NULL;
		if (!x && mode == EXPAND_PLAN) {
			sb_add(&sb, p, (size_t)(end + 1 - p));   /* not known yet: shown as written */
			free(name);
			p = end + 1;
			continue;
		}
		if (!x) {
			set_cause(cause, "variable %s is not set", name);
			free(name);
			sb_free(&sb);
			return NULL;
		}
		if (x->secret && mode == EXPAND_SHELL) {
			set_cause(cause, "secret variable %s cannot be put on a command line", name);
			free(name);
			sb_free(&sb);
			return NULL;
		}
		if (x->secret && (mode == EXPAND_DISPLAY || mode == EXPAND_PLAN))
			sb_adds(&sb, "********");
		else if (mode == EXPAND_SHELL)
			shell_quote(&sb, x->value);
		else
			sb_adds(&sb, x->value);
		free(name);
		p = end + 1;
	}
	return sb_detach(&sb);
}

void vars_refs(const char *tmpl, struct strvec *names)
{
	for (const char *p = tmpl; p && *p; p++) {
		if (p[0] == '$' && p[1] == '$') {
			p++;
			continue;
		}
		if (p[0] == '$' && p[1] == '{') {
			const char *end = strchr(p + 2, '}');
			if (!end)
				return;
			sv_push_owned(names, xstrndup(p + 2, (size_t)(end - p - 2)));
			p = end;
		}
	}
}

/* ---- conditions: recursive descent over a tiny grammar */

struct cparse {
	const char *s, *expr;
	const struct vars *v;
	struct strvec *names;
	char **cause;
	int err;
};

static void skip_ws(struct cparse *c)
{
	while (*c->s == ' ' || *c->s == '\t')
		c->s++;
}

static int c_or(struct cparse *c);

static char *c_string(struct cparse *c)
{
	char q = *c->s;
	if (q != '"' && q != '\'') {
		/* a bare word: digits or a name-like token */
		const char *st = c->s;
		while (name_char((unsigned char)*c->s) || *c->s == '.' || *c->s == '-')
			c->s++;
		if (st == c->s)
			return NULL;
		return xstrndup(st, (size_t)(c->s - st));
	}
	const char *st = ++c->s;
	while (*c->s && *c->s != q)
		c->s++;
	if (*c->s != q)
		return NULL;
	char *r = xstrndup(st, (size_t)(c->s - st));
	c->s++;
	return r;
}

static int c_fail(struct cparse *c, const char *what)
{
	if (!c->err)
		set_cause(c->cause, "condition \"%s\": %s at column %d", c->expr, what, (int)(c->s - c->expr) + 1);
	c->err = 1;
	return 0;
}

static int c_atom(struct cparse *c)
{
	skip_ws(c);
	if (*c->s == '!') {
		c->s++;
		return !c_atom(c);
	}
	if (*c->s == '(') {
		c->s++;
		int r = c_or(c);
		skip_ws(c);
		if (*c->s != ')')
			return c_fail(c, "expected ')'");
		c->s++;
		return r;
	}
	const char *st = c->s;
	while (name_char((unsigned char)*c->s))
		c->s++;
	if (st == c->s)
		return c_fail(c, "expected a variable name");
	char *name = xstrndup(st, (size_t)(c->s - st));
	if (c->names)
		sv_push(c->names, name);
	const char *val = c->v ? vars_get(c->v, name) : "";
	if (!val)
		val = "";
	free(name);
	skip_ws(c);
	/* == and != compare text; >=, <=, >, < compare dotted versions ("V5.1.1" >= "5.1": the
	 * numbers are compared, a leading non-digit prefix is ignored; a side with no number makes
	 * the comparison false). */
	static const char *const ops[] = {"==", "!=", ">=", "<=", ">", "<"};
	int op = -1;
	for (int i = 0; i < 6 && op < 0; i++)
		if (strncmp(c->s, ops[i], strlen(ops[i])) == 0)
			op = i;
	if (op < 0)
		return *val != '\0';
	c->s += strlen(ops[op]);
	skip_ws(c);
	char *lit = c_string(c);
	if (!lit)
		return c_fail(c, "expected a quoted value");
	/* the literal may name variables: A == "${B}" */
	if (strstr(lit, "${")) {
		if (c->names)
			vars_refs(lit, c->names);
		char *x = c->v ? vars_expand(c->v, lit, EXPAND_PLAIN, NULL) : NULL;
		free(lit);
		lit = x ? x : xstrdup("");
	}
	int r;
	if (op < 2) {
		int eq = strcmp(val, lit) == 0;
		r = op == 0 ? eq : !eq;
	} else {
		const char *a = val, *b = lit;
		while (*a && !isdigit((unsigned char)*a))
			a++;
		while (*b && !isdigit((unsigned char)*b))
			b++;
		if (!*a || !*b) {
			free(lit);
			return 0;
		}
		int cmp = version_cmp(a, b, 0);
		r = op == 2 ? cmp >= 0 : op == 3 ? cmp <= 0 : op == 4 ? cmp > 0 : cmp < 0;
	}
	free(lit);
	return r;
}

static int c_and(struct cparse *c)
{
	int r = c_atom(c);
	for (;;) {
		skip_ws(c);
		if (c->s[0] == '&' && c->s[1] == '&') {
			c->s += 2;
			int b = c_atom(c);
			r = r && b;
		} else
			return r;
	}
}

static int c_or(struct cparse *c)
{
	int r = c_and(c);
	for (;;) {
		skip_ws(c);
		if (c->s[0] == '|' && c->s[1] == '|') {
			c->s += 2;
			int b = c_and(c);
			r = r || b;
		} else
			return r;
	}
}

int cond_eval(const struct vars *v, const char *expr, struct strvec *names, char **cause)
{
	struct cparse c = {.s = expr, .expr = expr, .v = v, .names = names, .cause = cause};
	int r = c_or(&c);
	skip_ws(&c);
	if (!c.err && *c.s)
		c_fail(&c, "unexpected text");
	return c.err ? -1 : r;
}

/* ---- versions */

int version_cmp(const char *a, const char *b, int prefix)
{
	while (*a || *b) {
		if (prefix && (!*a || !*b))
			return 0;
		long x = strtol(a, (char **)&a, 10), y = strtol(b, (char **)&b, 10);
		if (x != y)
			return x < y ? -1 : 1;
		while (*a && !isdigit((unsigned char)*a))
			a++;
		while (*b && !isdigit((unsigned char)*b))
			b++;
	}
	return 0;
}

int version_check(const char *value, const char *spec)
{
	while (*spec == ' ')
		spec++;
	const char *ops[] = {">=", "<=", "==", "!=", ">", "<"};
	for (size_t i = 0; i < ARRAY_LEN(ops); i++) {
		size_t n = strlen(ops[i]);
		if (strncmp(spec, ops[i], n) != 0)
			continue;
		const char *want = spec + n;
		while (*want == ' ')
			want++;
		if (!isdigit((unsigned char)*want) || !isdigit((unsigned char)*value))
			return -1;
		/* "3.3.4 == 3.3" holds: equality compares the components the spec names. */
		int c = version_cmp(value, want, i == 2 || i == 3);
		switch (i) {
		case 0: return c >= 0;
		case 1: return c <= 0;
		case 2: return c == 0;
		case 3: return c != 0;
		case 4: return c > 0;
		default: return c < 0;
		}
	}
	return -1;
}
