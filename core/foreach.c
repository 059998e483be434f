/*
 * foreach.c: see foreach.h. Which iterations are done is read back from this run's own
 * journal (the records it wrote, and those adopted from an interrupted run), so there is no
 * second source of truth: what the journal says was done is skipped, nothing else.
 */
#include "core/foreach.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/journal.h"

int foreach_cmd_done(struct run *r, const char *step, int idx)
{
	const char *scope = vars_get(r->vars, FOREACH_SCOPE_VAR);
	if (!scope || !*scope)
		return 0;
	char *path = xasprintf("%s/journal.jsonl", r->run_dir);
	struct strvec lines = STRVEC_INIT;
	journal_read_lines(path, &lines, NULL);
	free(path);
	int done = 0;
	for (size_t i = 0; i < lines.n && !done; i++) {
		json_t *o = json_loads(lines.v[i], 0, NULL);
		if (!o)
			continue;
		const char *t = json_string_value(json_object_get(o, "t"));
		const char *st = json_string_value(json_object_get(o, "step"));
		const char *it = json_string_value(json_object_get(o, "iter"));
		done = t && strcmp(t, "command") == 0 && st && strcmp(st, step) == 0 && it && strcmp(it, scope) == 0 &&
		       json_integer_value(json_object_get(o, "index")) == idx && json_is_true(json_object_get(o, "ok"));
		json_decref(o);
	}
	sv_free(&lines);
	return done;
}

/* Indices (1-based) of this step's finished iterations whose item is unchanged. */
static void done_iters(struct run *r, const char *step, const struct strvec *items, int *done)
{
	char *path = xasprintf("%s/journal.jsonl", r->run_dir);
	struct strvec lines = STRVEC_INIT;
	journal_read_lines(path, &lines, NULL);
	free(path);
	for (size_t i = 0; i < lines.n; i++) {
		json_t *o = json_loads(lines.v[i], 0, NULL);
		if (!o)
			continue;
		const char *t = json_string_value(json_object_get(o, "t"));
		const char *st = json_string_value(json_object_get(o, "step"));
		const char *item = json_string_value(json_object_get(o, "item"));
		json_int_t idx = json_integer_value(json_object_get(o, "index"));
		if (t && strcmp(t, "iter_done") == 0 && st && strcmp(st, step) == 0 && item && idx >= 1 &&
		    (size_t)idx <= items->n && strcmp(items->v[idx - 1], item) == 0)
			done[idx - 1] = 1;
		json_decref(o);
	}
	sv_free(&lines);
}

static void set_item_vars(struct run *r, const struct pstep *s, const char *item, size_t k, size_t n)
{
	vars_set(r->vars, s->as, item, 0);
	char *name = xasprintf("%s_INDEX", s->as), *val = xasprintf("%zu", k + 1);
	vars_set(r->vars, name, val, 0);
	free(name), free(val);
	name = xasprintf("%s_COUNT", s->as), val = xasprintf("%zu", n);
	vars_set(r->vars, name, val, 0);
	free(name), free(val);
	const char *p = item;
	for (size_t f = 0; f < s->fields.n; f++) {
		size_t len = f + 1 < s->fields.n ? strcspn(p, "=") : strlen(p);
		char *v = xstrndup(p, len);
		vars_set(r->vars, s->fields.v[f], v, 0);
		free(v);
		p += len;
		if (*p == '=')
			p++;
	}
}

static char *json_str(const char *s)
{
	json_t *j = json_string(s);
	char *out = j ? json_dumps(j, JSON_ENCODE_ANY) : xstrdup("\"?\"");
	json_decref(j);
	return out;
}

int foreach_run(struct run *r, const struct pstep *s, step_fn fn)
{
	vars_set(r->vars, FOREACH_SCOPE_VAR, "", 0);
	if (!s->foreach)
		return fn(r, s);
	struct strvec items = STRVEC_INIT;
	list_split(vars_get(r->vars, s->foreach), &items);
	if (!items.n) {
		char *d = xasprintf("the list %s is empty: nothing to do", s->foreach);
		ev_item(r, "iter0", s->title, "info", d, "");
		free(d);
		sv_free(&items);
		return STEP_OK;
	}
	int *done = xcalloc(items.n, sizeof *done);
	done_iters(r, s->id, &items, done);
	int rc = STEP_OK;
	for (size_t k = 0; k < items.n; k++) {
		char key[32];
		snprintf(key, sizeof key, "iter%zu", k + 1);
		char *name = xasprintf("%s %zu/%zu: %s", s->title, k + 1, items.n, items.v[k]);
		if (done[k]) {
			ev_item(r, key, name, "pass", "done before (journal)", "");
			free(name);
			continue;
		}
		set_item_vars(r, s, items.v[k], k, items.n);
		char *note = xasprintf("%zu/%zu %s", k + 1, items.n, items.v[k]);
		ev_step(r, s->id, "running", note);
		free(note);
		ev_item(r, key, name, "run", "", "");
		ev_progress(r, (double)k, (double)items.n, "", name);
		{
			char *js = json_str(items.v[k]);   /* the host or endpoint: the report names it */
			run_journal(r, "iter_enter", "\"index\":%zu,\"item\":%s", k + 1, js);
			free(js);
		}
		char *scope = xasprintf("%zu=%s", k + 1, items.v[k]);
		vars_set(r->vars, FOREACH_SCOPE_VAR, scope, 0);
		free(scope);
		r->iter = k + 1;   /* this host's items do not replace the previous host's */
		rc = fn(r, s);
		r->iter = 0;
		if (rc == STEP_OK) {
			char *js = json_str(items.v[k]);
			run_journal(r, "iter_done", "\"index\":%zu,\"item\":%s", k + 1, js);
			free(js);
			ev_item(r, key, name, "pass", "done", "");
		} else {
			ev_item(r, key, name, rc == STEP_SKIPPED ? "warn" : "fail", rc == STEP_SKIPPED ? "skipped" : "failed",
				"");
		}
		free(name);
		if (rc != STEP_OK)
			break;
	}
	vars_set(r->vars, FOREACH_SCOPE_VAR, "", 0);
	if (rc == STEP_OK)
		ev_progress(r, (double)items.n, (double)items.n, "", s->title);
	free(done);
	sv_free(&items);
	return rc;
}

void foreach_adopt(struct run *r, void *json_obj)
{
	json_t *o = json_obj;
	const char *t = json_string_value(json_object_get(o, "t"));
	if (t && strcmp(t, "command") == 0) {   /* a command done inside an iteration */
		if (!json_object_get(o, "iter"))
			return;
		json_t *c = json_deep_copy(o);
		json_object_del(c, "t");
		json_object_del(c, "ts");
		json_object_set_new(c, "adopted", json_true());
		char *d = json_dumps(c, JSON_COMPACT | JSON_PRESERVE_ORDER);
		json_decref(c);
		if (d && strlen(d) > 2) {
			d[strlen(d) - 1] = '\0';
			journal_append(r->jr, "command", d + 1);
		}
		free(d);
		return;
	}
	const char *st = json_string_value(json_object_get(o, "step"));
	const char *item = json_string_value(json_object_get(o, "item"));
	json_int_t idx = json_integer_value(json_object_get(o, "index"));
	if (!st || !item || idx < 1)
		return;
	char *js = json_str(st), *ji = json_str(item);
	char *m = xasprintf("\"step\":%s,\"index\":%lld,\"item\":%s,\"adopted\":true", js, (long long)idx, ji);
	journal_append(r->jr, "iter_done", m);
	free(m), free(js), free(ji);
}
