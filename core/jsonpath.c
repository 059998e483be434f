/*
 * jsonpath.c: paths and rules of jsonpath.h over jansson documents.
 *
 * The path is parsed once into segments (a key, or an index where -1 means `[*]`), then
 * evaluated breadth-first over a vector of borrowed json_t pointers: each segment maps the
 * current set of nodes to the next. That keeps the leniency rules (object as a list of one,
 * key over a list) in two small switch arms instead of a recursive descent with special cases.
 *
 * Rejected: a full JSONPath (filters, recursive descent, slices). The profiles only need to
 * reach a list of fields and compare them; a bigger language would be a bigger attack surface
 * for a file that operators are expected to edit.
 */
#include "core/jsonpath.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct seg {
	char *key;      /* NULL: an index segment */
	long index;     /* -1: [*] */
};

struct nodes {
	const json_t **v;
	size_t n, cap;
};

static void nodes_push(struct nodes *ns, const json_t *j)
{
	if (ns->n == ns->cap) {
		ns->cap = ns->cap ? ns->cap * 2 : 8;
		ns->v = xreallocarray(ns->v, ns->cap, sizeof *ns->v);
	}
	ns->v[ns->n++] = j;
}

static void segs_free(struct seg *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(s[i].key);
	free(s);
}

/* Parses path into *out; returns the count or -1 with cause. */
static long path_parse(const char *path, struct seg **out, char **cause)
{
	struct seg *v = NULL;
	size_t n = 0, cap = 0;
	const char *p = path;
	if (!path || !*path) {
		set_cause(cause, "empty JSON path");
		return -1;
	}
	for (;;) {
		size_t klen = strcspn(p, ".[]");
		if (klen == 0 && (*p != '[' || p != path)) {
			set_cause(cause, "JSON path \"%s\": empty key at column %zu", path, (size_t)(p - path) + 1);
			goto fail;
		}
		if (klen > 0) {
			if (n == cap) {
				cap = cap ? cap * 2 : 8;
				v = xreallocarray(v, cap, sizeof *v);
			}
			v[n].key = xstrndup(p, klen);
			v[n++].index = 0;
			p += klen;
		}
		while (*p == '[') {
			long idx;
			const char *q = p + 1;
			if (*q == '*') {
				idx = -1;
				q++;
			} else if (*q >= '0' && *q <= '9') {
				char *end;
				idx = strtol(q, &end, 10);
				q = end;
			} else {
				set_cause(cause, "JSON path \"%s\": expected * or a number after [ at column %zu", path,
				          (size_t)(q - path) + 1);
				goto fail;
			}
			if (*q != ']') {
				set_cause(cause, "JSON path \"%s\": missing ] at column %zu", path, (size_t)(q - path) + 1);
				goto fail;
			}
			if (n == cap) {
				cap = cap ? cap * 2 : 8;
				v = xreallocarray(v, cap, sizeof *v);
			}
			v[n].key = NULL;
			v[n++].index = idx;
			p = q + 1;
		}
		if (*p == '\0')
			break;
		if (*p != '.') {
			set_cause(cause, "JSON path \"%s\": unexpected '%c' at column %zu", path, *p, (size_t)(p - path) + 1);
			goto fail;
		}
		p++;
		if (*p == '\0' || *p == '.' || *p == '[') {
			set_cause(cause, "JSON path \"%s\": empty key at column %zu", path, (size_t)(p - path) + 1);
			goto fail;
		}
	}
	*out = v;
	return (long)n;
fail:
	segs_free(v, n);
	return -1;
}

static void step_key(const json_t *j, const char *key, struct nodes *next)
{
	if (json_is_object(j)) {
		const json_t *c = json_object_get(j, key);
		if (c)
			nodes_push(next, c);
	} else if (json_is_array(j)) {
		size_t i;
		const json_t *e;
		json_array_foreach(j, i, e) {
			const json_t *c = json_is_object(e) ? json_object_get(e, key) : NULL;
			if (c)
				nodes_push(next, c);
		}
	}
}

static void step_index(const json_t *j, long index, struct nodes *next)
{
	if (json_is_array(j)) {
		if (index < 0) {
			size_t i;
			const json_t *e;
			json_array_foreach(j, i, e)
				nodes_push(next, e);
		} else if ((size_t)index < json_array_size(j)) {
			nodes_push(next, json_array_get(j, (size_t)index));
		}
	} else if (!json_is_null(j) && index <= 0) {
		/* Eureka's one-element list is a bare object: a list of one. */
		nodes_push(next, j);
	}
}

static void leaf_strings(const json_t *j, struct strvec *out, int depth)
{
	switch (json_typeof(j)) {
	case JSON_STRING:
		sv_push(out, json_string_value(j));
		break;
	case JSON_INTEGER:
		sv_push_owned(out, xasprintf("%" JSON_INTEGER_FORMAT, json_integer_value(j)));
		break;
	case JSON_REAL: {
		double d = json_real_value(j);
		char buf[64];
		/* the shortest form that reads back the same: 1.5, not 1.5000000000000000 */
		for (int prec = 6; prec <= 17; prec++) {
			snprintf(buf, sizeof buf, "%.*g", prec, d);
			if (strtod(buf, NULL) == d || isnan(d))
				break;
		}
		sv_push(out, buf);
		break;
	}
	case JSON_TRUE:
		sv_push(out, "true");
		break;
	case JSON_FALSE:
		sv_push(out, "false");
		break;
	case JSON_NULL:
		sv_push(out, "null");
		break;
	case JSON_ARRAY:
		if (depth < 8) {
			size_t i;
			const json_t *e;
			json_array_foreach(j, i, e)
				leaf_strings(e, out, depth + 1);
			break;
		}
		/* fall through */
	case JSON_OBJECT: {
		char *s = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
		sv_push(out, s ? s : "?");
		free(s);
		break;
	}
	}
}

int jsonpath_collect(const json_t *root, const char *path, struct strvec *out, char **cause)
{
	struct seg *segs = NULL;
	long nseg = path_parse(path, &segs, cause);
	if (nseg < 0)
		return -1;
	struct nodes cur = {0}, next = {0};
	if (root)
		nodes_push(&cur, root);
	for (long s = 0; s < nseg && cur.n > 0; s++) {
		next.n = 0;
		for (size_t i = 0; i < cur.n; i++) {
			if (segs[s].key)
				step_key(cur.v[i], segs[s].key, &next);
			else
				step_index(cur.v[i], segs[s].index, &next);
		}
		struct nodes t = cur;
		cur = next;
		next = t;
	}
	size_t before = out->n;
	for (size_t i = 0; i < cur.n; i++)
		leaf_strings(cur.v[i], out, 0);
	free(cur.v);
	free(next.v);
	segs_free(segs, (size_t)nseg);
	return (int)(out->n - before);
}

/* "instance status" for "applications.application[*].instance[*].status": the last two keys. */
static char *path_label(const char *path)
{
	struct seg *segs = NULL;
	long n = path_parse(path, &segs, NULL);
	if (n < 0)
		return xstrdup(path);
	const char *last = NULL, *prev = NULL;
	for (long i = 0; i < n; i++) {
		if (segs[i].key) {
			prev = last;
			last = segs[i].key;
		}
	}
	char *label = last ? (prev ? xasprintf("%s %s", prev, last) : xstrdup(last)) : xstrdup(path);
	segs_free(segs, (size_t)n);
	return label;
}

static const char *shown(const char *s)
{
	return *s ? s : "\"\"";
}

static int has(const struct strvec *sv, const char *s)
{
	for (size_t i = 0; i < sv->n; i++)
		if (strcmp(sv->v[i], s) == 0)
			return 1;
	return 0;
}

/* Every value equals want (and there is one). */
static int check_every(const char *label, const struct strvec *vals, const char *want, char **msg)
{
	struct strvec bad = STRVEC_INIT;
	size_t nbad = 0;
	for (size_t i = 0; i < vals->n; i++) {
		if (strcmp(vals->v[i], want) == 0)
			continue;
		nbad++;
		if (!has(&bad, vals->v[i]))
			sv_push(&bad, vals->v[i]);
	}
	if (nbad == 0) {
		sv_free(&bad);
		return 1;
	}
	struct strbuf sb = STRBUF_INIT;
	sb_addf(&sb, "%s ", label);
	for (size_t i = 0; i < bad.n && i < 3; i++)
		sb_addf(&sb, "%s%s", i ? ", " : "", shown(bad.v[i]));
	if (bad.n > 3)
		sb_adds(&sb, ", ...");
	if (vals->n == 1)
		sb_addf(&sb, ", expected %s", shown(want));
	else
		sb_addf(&sb, " (%zu of %zu not %s)", nbad, vals->n, shown(want));
	sv_free(&bad);
	set_cause(msg, "%s", sb_str(&sb));
	sb_free(&sb);
	return 0;
}

int jsonpath_check(const json_t *root, const struct pjson_rule *rule, char **msg)
{
	struct strvec vals = STRVEC_INIT;
	if (jsonpath_collect(root, rule->path, &vals, msg) < 0)
		return -1;
	int ok = 1;
	char *label = path_label(rule->path);
	if (vals.n == 0 && (rule->equals || rule->all || rule->includes.n == 0)) {
		set_cause(msg, "%s: no value at %s", label, rule->path);
		ok = 0;
	}
	if (ok && rule->equals)
		ok = check_every(label, &vals, rule->equals, msg);
	if (ok && rule->all)
		ok = check_every(label, &vals, rule->all, msg);
	if (ok && rule->includes.n > 0) {
		struct strbuf miss = STRBUF_INIT;
		size_t nmiss = 0;
		for (size_t i = 0; i < rule->includes.n; i++) {
			if (has(&vals, rule->includes.v[i]))
				continue;
			if (nmiss++ < 6)
				sb_addf(&miss, "%s%s", nmiss > 1 ? ", " : "", shown(rule->includes.v[i]));
		}
		if (nmiss > 6)
			sb_addf(&miss, " and %zu more", nmiss - 6);
		if (nmiss > 0) {
			set_cause(msg, "%s missing", sb_str(&miss));
			ok = 0;
		}
		sb_free(&miss);
	}
	free(label);
	sv_free(&vals);
	return ok;
}

int jsonpath_check_text(const char *text, size_t len, const struct pjson_rule *rules, size_t nrules, char **msg)
{
	json_error_t err;
	json_t *root = json_loadb(text ? text : "", text ? len : 0, JSON_DECODE_ANY | JSON_ALLOW_NUL, &err);
	if (!root) {
		set_cause(msg, "response is not JSON: %s (line %d, column %d)", err.text, err.line, err.column);
		return 0;
	}
	int ok = 1;
	for (size_t i = 0; i < nrules && ok == 1; i++)
		ok = jsonpath_check(root, &rules[i], msg);
	json_decref(root);
	return ok;
}
