/*
 * answers.c: the answers file, read through the same YAML tree as profiles so its errors carry
 * file:line:col too. Booleans are normalised ("yes", "true", "on" -> "yes") because YAML authors
 * write all of them for an acknowledgement.
 */
#include "core/answers.h"

#include <stdlib.h>
#include <string.h>

#include "core/ytree.h"

static void load_map(struct yerrs *e, const struct ynode *n, const char *what, struct strvec *k, struct strvec *v)
{
	if (!n)
		return;
	if (n->type != Y_MAP) {
		yerr(e, n, "'%s' must be a mapping", what);
		return;
	}
	for (size_t i = 0; i < n->n; i++) {
		const struct ynode *val = n->items[i];
		if (val->type != Y_SCALAR) {
			yerr(e, val, "the value of '%s' must be text", n->keys[i]->value);
			continue;
		}
		int b;
		sv_push(k, n->keys[i]->value);
		if (!val->quoted && yscalar_bool(val, &b) == 0 && strcmp(val->value, "1") && strcmp(val->value, "0"))
			sv_push(v, b ? "yes" : "no");
		else
			sv_push(v, val->value);
	}
}

static struct answers *from_doc(struct ydoc *doc, char **cause)
{
	struct yerrs e = {.file = doc->file};
	struct answers *a = xcalloc(1, sizeof *a);
	a->file = xstrdup(doc->file);
	a->resume = -1;
	const struct ynode *r = doc->root;
	if (r && r->type != Y_MAP)
		yerr(&e, r, "an answers file must be a mapping with vars: and answers:");
	else if (r) {
		static const char *const keys[] = {"vars", "answers", "resume", NULL};
		ycheck_keys(&e, r, "the answers file", keys);
		load_map(&e, ymap_get(r, "vars"), "vars", &a->var_names, &a->var_values);
		load_map(&e, ymap_get(r, "answers"), "answers", &a->keys, &a->values);
		if (ymap_get(r, "resume"))
			a->resume = yget_bool(&e, r, "resume", 0);
	}
	if (e.n) {
		char *msg = yerrs_join(&e);
		set_cause(cause, "%s", msg);
		free(msg);
		yerrs_free(&e);
		answers_free(a);
		return NULL;
	}
	return a;
}

struct answers *answers_load_buf(const char *name, const char *buf, size_t len, char **cause)
{
	struct ydoc doc;
	if (ydoc_load_buf(name, buf, len, &doc, cause) < 0) {
		ydoc_free(&doc);
		return NULL;
	}
	struct answers *a = from_doc(&doc, cause);
	ydoc_free(&doc);
	return a;
}

struct answers *answers_load(const char *file, char **cause)
{
	struct ydoc doc;
	if (ydoc_load(file, &doc, cause) < 0) {
		ydoc_free(&doc);
		return NULL;
	}
	struct answers *a = from_doc(&doc, cause);
	ydoc_free(&doc);
	return a;
}

void answers_free(struct answers *a)
{
	if (!a)
		return;
	free(a->file);
	sv_free(&a->var_names);
	sv_free(&a->var_values);
	sv_free(&a->keys);
	sv_free(&a->values);
	free(a);
}

static const char *lookup(const struct strvec *k, const struct strvec *v, const char *key)
{
	for (size_t i = 0; i < k->n; i++)
		if (strcmp(k->v[i], key) == 0)
			return v->v[i];
	return NULL;
}

const char *answers_get(const struct answers *a, const char *qid) { return a ? lookup(&a->keys, &a->values, qid) : NULL; }

const char *answers_var(const struct answers *a, const char *name)
{
	return a ? lookup(&a->var_names, &a->var_values, name) : NULL;
}
