/*
 * ytree.c: libyaml's parser events folded into a tree (see ytree.h for why).
 */
#include "core/ytree.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <yaml.h>

#include "core/util.h"

static struct ynode *node_new(enum ynode_type t, const yaml_mark_t *m)
{
	struct ynode *n = xcalloc(1, sizeof *n);
	n->type = t;
	n->line = (int)m->line + 1;
	n->col = (int)m->column + 1;
	return n;
}

static void node_free(struct ynode *n)
{
	if (!n)
		return;
	free(n->value);
	for (size_t i = 0; i < n->n; i++) {
		if (n->keys)
			node_free(n->keys[i]);
		node_free(n->items[i]);
	}
	free(n->keys);
	free(n->items);
	free(n);
}

static void node_push(struct ynode *parent, struct ynode *key, struct ynode *item)
{
	parent->items = xreallocarray(parent->items, parent->n + 1, sizeof *parent->items);
	if (parent->type == Y_MAP)
		parent->keys = xreallocarray(parent->keys, parent->n + 1, sizeof *parent->keys);
	if (parent->type == Y_MAP)
		parent->keys[parent->n] = key;
	parent->items[parent->n++] = item;
}

/* Recursive descent over events; depth bounded so a hostile file cannot blow the stack. */
static struct ynode *parse_node(yaml_parser_t *p, yaml_event_t *ev, const char *name, int depth, char **cause);

static int next_event(yaml_parser_t *p, yaml_event_t *ev, const char *name, char **cause)
{
	if (!yaml_parser_parse(p, ev)) {
		set_cause(cause, "%s:%zu:%zu: %s%s%s", name, p->problem_mark.line + 1, p->problem_mark.column + 1,
			  p->problem ? p->problem : "syntax error", p->context ? " " : "", p->context ? p->context : "");
		return -1;
	}
	return 0;
}

static struct ynode *parse_node(yaml_parser_t *p, yaml_event_t *ev, const char *name, int depth, char **cause)
{
	if (depth > 64) {
		set_cause(cause, "%s:%zu:%zu: nesting too deep", name, ev->start_mark.line + 1, ev->start_mark.column + 1);
		return NULL;
	}
	switch (ev->type) {
	case YAML_SCALAR_EVENT: {
		struct ynode *n = node_new(Y_SCALAR, &ev->start_mark);
		n->value = xstrndup((const char *)ev->data.scalar.value, ev->data.scalar.length);
		n->quoted = ev->data.scalar.style == YAML_SINGLE_QUOTED_SCALAR_STYLE ||
			    ev->data.scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE;
		return n;
	}
	case YAML_ALIAS_EVENT:
		set_cause(cause, "%s:%zu:%zu: aliases are not supported in upwiz files", name,
			  ev->start_mark.line + 1, ev->start_mark.column + 1);
		return NULL;
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT: {
		int is_map = ev->type == YAML_MAPPING_START_EVENT;
		struct ynode *n = node_new(is_map ? Y_MAP : Y_SEQ, &ev->start_mark);
		for (;;) {
			yaml_event_t e;
			if (next_event(p, &e, name, cause) < 0) {
				node_free(n);
				return NULL;
			}
			if (e.type == YAML_SEQUENCE_END_EVENT || e.type == YAML_MAPPING_END_EVENT) {
				yaml_event_delete(&e);
				return n;
			}
			struct ynode *key = NULL;
			if (is_map) {
				key = parse_node(p, &e, name, depth + 1, cause);
				yaml_event_delete(&e);
				if (!key) {
					node_free(n);
					return NULL;
				}
				if (key->type != Y_SCALAR) {
					set_cause(cause, "%s:%d:%d: a key must be plain text", name, key->line, key->col);
					node_free(key);
					node_free(n);
					return NULL;
				}
				for (size_t i = 0; i < n->n; i++)
					if (strcmp(n->keys[i]->value, key->value) == 0) {
						set_cause(cause, "%s:%d:%d: duplicate key '%s' (first at line %d)", name,
							  key->line, key->col, key->value, n->keys[i]->line);
						node_free(key);
						node_free(n);
						return NULL;
					}
				if (next_event(p, &e, name, cause) < 0) {
					node_free(key);
					node_free(n);
					return NULL;
				}
			}
			struct ynode *val = parse_node(p, &e, name, depth + 1, cause);
			yaml_event_delete(&e);
			if (!val) {
				node_free(key);
				node_free(n);
				return NULL;
			}
			node_push(n, key, val);
		}
	}
	default:
		set_cause(cause, "%s:%zu:%zu: unexpected YAML event", name, ev->start_mark.line + 1,
			  ev->start_mark.column + 1);
		return NULL;
	}
}

int ydoc_load_buf(const char *name, const char *buf, size_t len, struct ydoc *doc, char **cause)
{
	yaml_parser_t p;
	memset(doc, 0, sizeof *doc);
	doc->file = xstrdup(name);
	if (!yaml_parser_initialize(&p))
		fatal("libyaml: out of memory");
	yaml_parser_set_input_string(&p, (const unsigned char *)buf, len);
	yaml_parser_set_encoding(&p, YAML_UTF8_ENCODING);
	int rc = -1, docs = 0;
	for (;;) {
		yaml_event_t ev;
		if (next_event(&p, &ev, name, cause) < 0)
			goto out;
		yaml_event_type_t t = ev.type;
		if (t == YAML_STREAM_END_EVENT) {
			yaml_event_delete(&ev);
			break;
		}
		if (t == YAML_DOCUMENT_START_EVENT && ++docs > 1) {
			set_cause(cause, "%s:%zu:%zu: only one YAML document per file", name, ev.start_mark.line + 1,
				  ev.start_mark.column + 1);
			yaml_event_delete(&ev);
			goto out;
		}
		if (t == YAML_SCALAR_EVENT || t == YAML_SEQUENCE_START_EVENT || t == YAML_MAPPING_START_EVENT ||
		    t == YAML_ALIAS_EVENT) {
			doc->root = parse_node(&p, &ev, name, 0, cause);
			yaml_event_delete(&ev);
			if (!doc->root)
				goto out;
			continue;
		}
		yaml_event_delete(&ev);
	}
	rc = 0;
out:
	yaml_parser_delete(&p);
	if (rc < 0) {
		node_free(doc->root);
		doc->root = NULL;
	}
	return rc;
}

int ydoc_load(const char *file, struct ydoc *doc, char **cause)
{
	size_t len;
	char *buf = read_file(file, &len, cause);
	if (!buf) {
		memset(doc, 0, sizeof *doc);
		return -1;
	}
	int rc = ydoc_load_buf(file, buf, len, doc, cause);
	free(buf);
	return rc;
}

void ydoc_free(struct ydoc *doc)
{
	node_free(doc->root);
	free(doc->file);
	memset(doc, 0, sizeof *doc);
}

struct ynode *ymap_get(const struct ynode *map, const char *key)
{
	if (!map || map->type != Y_MAP)
		return NULL;
	for (size_t i = 0; i < map->n; i++)
		if (strcmp(map->keys[i]->value, key) == 0)
			return map->items[i];
	return NULL;
}

void yerr(struct yerrs *e, const struct ynode *at, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = xvasprintf(fmt, ap);
	va_end(ap);
	e->msgs = xreallocarray(e->msgs, e->n + 1, sizeof *e->msgs);
	e->msgs[e->n++] = xasprintf("%s:%d:%d: %s", e->file ? e->file : "-", at ? at->line : 1, at ? at->col : 1, msg);
	free(msg);
}

void yerrs_free(struct yerrs *e)
{
	for (size_t i = 0; i < e->n; i++)
		free(e->msgs[i]);
	free(e->msgs);
	e->msgs = NULL;
	e->n = 0;
}

char *yerrs_join(const struct yerrs *e)
{
	struct strbuf sb = STRBUF_INIT;
	for (size_t i = 0; i < e->n; i++)
		sb_addf(&sb, "%s%s", i ? "\n" : "", e->msgs[i]);
	return sb_detach(&sb);
}

static const char *type_name(enum ynode_type t)
{
	return t == Y_MAP ? "a mapping" : t == Y_SEQ ? "a list" : "a scalar";
}

char *yget_str(struct yerrs *e, const struct ynode *map, const char *key, int required)
{
	struct ynode *n = ymap_get(map, key);
	if (!n) {
		if (required)
			yerr(e, map, "missing required field '%s'", key);
		return NULL;
	}
	if (n->type != Y_SCALAR) {
		yerr(e, n, "field '%s' must be text, not %s", key, type_name(n->type));
		return NULL;
	}
	return xstrdup(n->value);
}

int yget_int(struct yerrs *e, const struct ynode *map, const char *key, int def)
{
	struct ynode *n = ymap_get(map, key);
	if (!n)
		return def;
	if (n->type != Y_SCALAR || !str_is_int(n->value)) {
		yerr(e, n, "field '%s' must be a whole number", key);
		return def;
	}
	return atoi(n->value);
}

int yscalar_bool(const struct ynode *n, int *out)
{
	if (!n || n->type != Y_SCALAR)
		return -1;
	const char *v = n->value;
	if (!strcasecmp(v, "yes") || !strcasecmp(v, "true") || !strcasecmp(v, "on") || !strcmp(v, "1")) {
		*out = 1;
		return 0;
	}
	if (!strcasecmp(v, "no") || !strcasecmp(v, "false") || !strcasecmp(v, "off") || !strcmp(v, "0")) {
		*out = 0;
		return 0;
	}
	return -1;
}

int yget_bool(struct yerrs *e, const struct ynode *map, const char *key, int def)
{
	struct ynode *n = ymap_get(map, key);
	if (!n)
		return def;
	int b;
	if (yscalar_bool(n, &b) < 0) {
		yerr(e, n, "field '%s' must be yes or no", key);
		return def;
	}
	return b;
}

void ycheck_keys(struct yerrs *e, const struct ynode *map, const char *what, const char *const *allowed)
{
	if (!map || map->type != Y_MAP)
		return;
	for (size_t i = 0; i < map->n; i++) {
		int ok = 0;
		for (const char *const *a = allowed; *a; a++)
			if (strcmp(*a, map->keys[i]->value) == 0)
				ok = 1;
		if (!ok) {
			struct strbuf sb = STRBUF_INIT;
			for (const char *const *a = allowed; *a; a++)
				sb_addf(&sb, "%s%s", a == allowed ? "" : ", ", *a);
			yerr(e, map->keys[i], "unknown field '%s' in %s (known: %s)", map->keys[i]->value, what, sb_str(&sb));
			sb_free(&sb);
		}
	}
}

/* A list of scalars, or one scalar taken as a list of one. */
void yget_strlist(struct yerrs *e, const struct ynode *map, const char *key, struct strvec *out)
{
	struct ynode *n = ymap_get(map, key);
	if (!n)
		return;
	if (n->type == Y_SCALAR) {
		sv_push(out, n->value);
		return;
	}
	if (n->type != Y_SEQ) {
		yerr(e, n, "field '%s' must be a list", key);
		return;
	}
	for (size_t i = 0; i < n->n; i++) {
		if (n->items[i]->type != Y_SCALAR)
			yerr(e, n->items[i], "items of '%s' must be text", key);
		else
			sv_push(out, n->items[i]->value);
	}
}
