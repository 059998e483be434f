/*
 * view.c: a client's picture of a run, folded from the engine's event lines (view.h,
 * docs/PROTOCOL.md).
 *
 * view_apply() parses one line with jansson and dispatches on `t`. It is written to be fed
 * anything (a fuzzer, a truncated recording, a newer engine): every field is looked up with a
 * type check, a missing or mistyped field is either a default (optional fields) or a rejected
 * event (the fields an event cannot mean anything without: a step's id, an item's key, a
 * question's qid), and a rejected event leaves the view exactly as it was, because every
 * handler validates before it touches the view. Strings from jansson are valid UTF-8 without
 * NUL bytes (JSON_ALLOW_NUL is not given), so everything stored is a plain C string; control
 * characters are kept and are the drawing side's business (tui/text.h, the plain front end).
 *
 * Bounds. A line longer than VIEW_LINE_MAX is rejected before parsing (the client cuts lines
 * at the same size), jansson bounds nesting depth, and the counts that the engine could grow
 * without limit are capped (steps, items per step, options). The log is a ring of `log_cap`
 * slots; each slot owns one block holding its text and step id back to back, and the block is
 * reused when the next line fits (it only grows, up to VIEW_LOG_TEXT_MAX plus the step id), so
 * a million log lines cost a million parses and no allocator churn once the ring is warm.
 * log_head is the slot the next line goes to; the newest is the one before it.
 *
 * `hello` resets everything except the ring's slot blocks and the generation counter (a UI
 * compares generations, so it must keep moving across a re-attach); the engine follows it with
 * a replay of the state, so a reset view converges to the engine's.
 *
 * A log line's time is its `ts` (`t` is the event type).
 *
 * Step times come from the wall clock at the moment the event is applied (the protocol does
 * not carry them), except that a `hello` step may carry `started` / `finished`, which are taken
 * when present.
 */
#include "core/view.h"

#include <jansson.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"

static const char *const state_names[] = {
	[ST_PENDING] = "pending", [ST_RUNNING] = "running", [ST_WAITING] = "waiting",
	[ST_DONE] = "done",       [ST_FAILED] = "failed",   [ST_SKIPPED] = "skipped",
};

const char *step_state_name(enum step_state s)
{
	if ((unsigned)s < ARRAY_LEN(state_names))
		return state_names[s];
	return "unknown";
}

static int state_parse(const char *s, enum step_state *out)
{
	if (!s)
		return -1;
	for (size_t i = 0; i < ARRAY_LEN(state_names); i++)
		if (strcmp(s, state_names[i]) == 0) {
			*out = (enum step_state)i;
			return 0;
		}
	return -1;
}

/* ---- JSON field access: a wrong type reads as absent */

static const char *jstr(const json_t *o, const char *k)
{
	const json_t *x = json_object_get(o, k);
	return json_is_string(x) ? json_string_value(x) : NULL;
}

static double jnum(const json_t *o, const char *k, double def)
{
	const json_t *x = json_object_get(o, k);
	return json_is_number(x) ? json_number_value(x) : def;
}

static int jint(const json_t *o, const char *k, int def)
{
	const json_t *x = json_object_get(o, k);
	if (json_is_integer(x)) {
		json_int_t i = json_integer_value(x);
		return i < INT_MIN ? INT_MIN : i > INT_MAX ? INT_MAX : (int)i;
	}
	if (json_is_real(x)) {
		double d = json_real_value(x);
		/* a double outside int's range must not reach the cast (undefined behaviour) */
		return d != d ? def : d <= INT_MIN ? INT_MIN : d >= INT_MAX ? INT_MAX : (int)d;
	}
	return def;
}

static int jbool(const json_t *o, const char *k, int def)
{
	const json_t *x = json_object_get(o, k);
	if (json_is_boolean(x))
		return json_is_true(x);
	if (json_is_integer(x))
		return json_integer_value(x) != 0;
	return def;
}

/* Replaces *dst with a copy of s (NULL clears). */
static void set_str(char **dst, const char *s)
{
	char *n = xstrdup(s);
	free(*dst);
	*dst = n;
}

/* ---- freeing */

static void item_clear(struct view_item *it)
{
	free(it->key);
	free(it->name);
	free(it->status);
	free(it->detail);
	free(it->fix);
}

static void step_clear(struct view_step *s)
{
	free(s->id);
	free(s->title);
	free(s->kind);
	free(s->help);
	free(s->note);
	for (size_t i = 0; i < s->nitems; i++)
		item_clear(&s->items[i]);
	free(s->items);
	free(s->body);
	free(s->prog_label);
	free(s->prog_unit);
}

static void question_free(struct view_question *q)
{
	if (!q)
		return;
	free(q->qid);
	free(q->step);
	free(q->kind);
	free(q->prompt);
	free(q->detail);
	free(q->def);
	free(q->expect);
	for (size_t i = 0; i < q->noptions; i++) {
		free(q->options[i].key);
		free(q->options[i].label);
	}
	free(q->options);
	free(q);
}

/* Everything a `hello` replaces; keeps the ring's slot blocks, log_cap and generation. */
static void view_reset(struct view *v)
{
	char **strs[] = {&v->run, &v->profile, &v->title, &v->from, &v->to, &v->target, &v->role,
	                 &v->version, &v->last_error, &v->outcome, &v->summary};
	for (size_t i = 0; i < ARRAY_LEN(strs); i++) {
		free(*strs[i]);
		*strs[i] = NULL;
	}
	for (size_t i = 0; i < v->nsteps; i++)
		step_clear(&v->steps[i]);
	free(v->steps);
	v->steps = NULL;
	v->nsteps = 0;
	v->current = -1;
	question_free(v->ask);
	v->ask = NULL;
	v->log_len = 0;
	v->log_head = 0;
	v->log_total = 0;
	v->log_marks = 0;
	v->log_skipped = 0;
	v->started = 0;
	v->sandbox = 0;
	v->finished = 0;
	v->exit_code = 0;
}

void view_init(struct view *v, size_t log_cap)
{
	memset(v, 0, sizeof *v);
	v->current = -1;
	v->log_cap = log_cap;
	if (log_cap)
		v->log = xcalloc(log_cap, sizeof *v->log);
}

void view_free(struct view *v)
{
	view_reset(v);
	for (size_t i = 0; i < v->log_cap; i++)
		free(v->log[i].text);   /* `step` lives in the same block */
	free(v->log);
	memset(v, 0, sizeof *v);
	v->current = -1;
}

/* ---- lookups */

static int step_index(const struct view *v, const char *id)
{
	if (!id)
		return -1;
	for (size_t i = 0; i < v->nsteps; i++)
		if (strcmp(v->steps[i].id, id) == 0)
			return (int)i;
	return -1;
}

struct view_step *view_step_by_id(struct view *v, const char *id)
{
	int i = step_index(v, id);
	return i < 0 ? NULL : &v->steps[i];
}

unsigned long long view_log_count(const struct view *v)
{
	return v->log_total - v->log_marks + v->log_skipped;
}

const struct view_log_line *view_log_at(const struct view *v, size_t i)
{
	if (i >= v->log_len)
		return NULL;
	return &v->log[(v->log_head + v->log_cap - 1 - i) % v->log_cap];
}

/* ---- events */

static int ev_hello(struct view *v, const json_t *o)
{
	view_reset(v);
	set_str(&v->run, jstr(o, "run"));
	set_str(&v->profile, jstr(o, "profile"));
	set_str(&v->title, jstr(o, "title"));
	set_str(&v->from, jstr(o, "from"));
	set_str(&v->to, jstr(o, "to"));
	set_str(&v->target, jstr(o, "target"));
	set_str(&v->role, jstr(o, "role"));
	set_str(&v->version, jstr(o, "version"));
	v->started = jnum(o, "started", 0);
	v->sandbox = jbool(o, "sandbox", 0);

	const json_t *steps = json_object_get(o, "steps");
	size_t n = json_is_array(steps) ? json_array_size(steps) : 0;
	if (n > VIEW_MAX_STEPS)
		n = VIEW_MAX_STEPS;
	if (n)
		v->steps = xcalloc(n, sizeof *v->steps);
	for (size_t i = 0; i < n; i++) {
		const json_t *js = json_array_get(steps, i);
		const char *id = json_is_object(js) ? jstr(js, "id") : NULL;
		/* a step without an id could never be addressed, and a duplicate id would shadow */
		if (!id || step_index(v, id) >= 0)
			continue;
		struct view_step *s = &v->steps[v->nsteps++];
		s->id = xstrdup(id);
		s->title = xstrdup(jstr(js, "title"));
		s->kind = xstrdup(jstr(js, "kind"));
		s->help = xstrdup(jstr(js, "help"));
		s->note = xstrdup(jstr(js, "note"));
		if (state_parse(jstr(js, "state"), &s->state) < 0)
			s->state = ST_PENDING;
		s->reversible = jbool(js, "reversible", 1);
		s->started = jnum(js, "started", 0);
		s->finished = jnum(js, "finished", 0);
		if (s->state == ST_RUNNING || s->state == ST_WAITING)
			v->current = (int)(v->nsteps - 1);
	}
	return 0;
}

static int ev_step(struct view *v, const json_t *o)
{
	int i = step_index(v, jstr(o, "id"));
	enum step_state st;
	if (i < 0 || state_parse(jstr(o, "state"), &st) < 0)
		return -1;
	struct view_step *s = &v->steps[i];
	enum step_state old = s->state;
	double now = wall_time();
	switch (st) {
	case ST_RUNNING:
	case ST_WAITING:
		v->current = i;
		/* a retry (failed -> running) or a step gone back to starts its clock again */
		if (old != ST_RUNNING && old != ST_WAITING) {
			s->started = now;
			s->finished = 0;
		}
		break;
	case ST_DONE:
	case ST_FAILED:
	case ST_SKIPPED:
		s->finished = now;
		break;
	case ST_PENDING:
		s->started = s->finished = 0;
		break;
	}
	s->state = st;
	set_str(&s->note, jstr(o, "note"));
	s->reversible = jbool(o, "reversible", s->reversible);
	return 0;
}

static int ev_item(struct view *v, const json_t *o)
{
	int i = step_index(v, jstr(o, "step"));
	const char *key = jstr(o, "key");
	if (i < 0 || !key)
		return -1;
	struct view_step *s = &v->steps[i];
	struct view_item *it = NULL;
	for (size_t k = 0; k < s->nitems; k++)
		if (strcmp(s->items[k].key, key) == 0) {
			it = &s->items[k];
			break;
		}
	if (!it) {
		if (s->nitems >= VIEW_MAX_ITEMS)
			return -1;
		s->items = xreallocarray(s->items, s->nitems + 1, sizeof *s->items);
		it = &s->items[s->nitems++];
		memset(it, 0, sizeof *it);
		it->key = xstrdup(key);
	}
	set_str(&it->name, jstr(o, "name"));
	set_str(&it->status, jstr(o, "status"));
	set_str(&it->detail, jstr(o, "detail"));
	set_str(&it->fix, jstr(o, "fix"));
	return 0;
}

static int ev_body(struct view *v, const json_t *o)
{
	int i = step_index(v, jstr(o, "step"));
	if (i < 0)
		return -1;
	set_str(&v->steps[i].body, jstr(o, "text"));
	return 0;
}

static int ev_progress(struct view *v, const json_t *o)
{
	int i = step_index(v, jstr(o, "step"));
	if (i < 0)
		return -1;
	struct view_step *s = &v->steps[i];
	s->prog_done = jnum(o, "done", 0);
	s->prog_total = jnum(o, "total", 0);
	set_str(&s->prog_label, jstr(o, "label"));
	set_str(&s->prog_unit, jstr(o, "unit"));
	return 0;
}

/* Length of text cut to at most max bytes without splitting a UTF-8 sequence. */
static size_t utf8_cut(const char *text, size_t len, size_t max)
{
	if (len <= max)
		return len;
	size_t n = max;
	while (n > 0 && ((unsigned char)text[n] & 0xC0) == 0x80)
		n--;
	return n;
}

/* Puts a line into the ring (and last_error). */
static void log_add(struct view *v, const char *text, size_t tlen, const char *level, const char *step, double ts)
{
	static const char more[] = " [...]";
	size_t keep = utf8_cut(text, tlen, VIEW_LOG_TEXT_MAX - (sizeof more - 1));
	size_t outlen = keep + (keep < tlen ? sizeof more - 1 : 0);
	size_t slen = step ? strlen(step) : 0;

	v->log_total++;
	if (strcmp(level, "error") == 0) {
		char *e = xmalloc(outlen + 1);
		memcpy(e, text, keep);
		memcpy(e + keep, more, outlen - keep);
		e[outlen] = '\0';
		free(v->last_error);
		v->last_error = e;
	}
	if (v->log_cap == 0)
		return;

	struct view_log_line *l = &v->log[v->log_head];
	size_t need = outlen + 1 + (step ? slen + 1 : 0);
	if (need > l->cap) {
		/* grow with slack so slots settle quickly; free+malloc: the old text is not needed */
		size_t cap = need < 64 ? 64 : need + need / 4;
		free(l->text);
		l->text = xmalloc(cap);
		l->cap = cap;
	}
	memcpy(l->text, text, keep);
	memcpy(l->text + keep, more, outlen - keep);
	l->text[outlen] = '\0';
	if (step) {
		l->step = l->text + outlen + 1;
		memcpy(l->step, step, slen + 1);
	} else {
		l->step = NULL;
	}
	l->t = ts;
	size_t ll = strlen(level);
	if (ll >= sizeof l->level)
		ll = sizeof l->level - 1;
	memcpy(l->level, level, ll);
	l->level[ll] = '\0';
	v->log_head = (v->log_head + 1) % v->log_cap;
	if (v->log_len < v->log_cap)
		v->log_len++;
}

static int ev_log(struct view *v, const json_t *o)
{
	const json_t *jt = json_object_get(o, "text");
	if (!json_is_string(jt))
		return -1;
	const char *level = jstr(o, "level");
	log_add(v, json_string_value(jt), json_string_length(jt), level ? level : "info", jstr(o, "step"),
		jnum(o, "ts", 0));
	return 0;
}

/* The engine did not send `lines` output lines to this client (it was behind): one marker line
 * in the ring stands for them, and the count keeps the total true. */
static int ev_skipped(struct view *v, const json_t *o)
{
	const json_t *jn = json_object_get(o, "lines");
	if (!json_is_integer(jn) || json_integer_value(jn) <= 0)
		return -1;
	unsigned long long n = (unsigned long long)json_integer_value(jn);
	char text[160];
	int tl = snprintf(text, sizeof text, "[... %llu lines not shown here: the run's log has every line (F3)]", n);
	log_add(v, text, (size_t)tl, "skip", jstr(o, "step"), jnum(o, "ts", 0));
	v->log_marks++;
	v->log_skipped += n;
	return 0;
}

static int ev_ask(struct view *v, const json_t *o)
{
	const char *qid = jstr(o, "qid");
	if (!qid)
		return -1;
	struct view_question *q = xcalloc(1, sizeof *q);
	q->qid = xstrdup(qid);
	q->step = xstrdup(jstr(o, "step"));
	q->kind = xstrdup(jstr(o, "kind"));
	q->prompt = xstrdup(jstr(o, "prompt"));
	q->detail = xstrdup(jstr(o, "detail"));
	q->def = xstrdup(jstr(o, "default"));
	q->expect = xstrdup(jstr(o, "expect"));
	const json_t *opts = json_object_get(o, "options");
	size_t n = json_is_array(opts) ? json_array_size(opts) : 0;
	if (n > VIEW_MAX_OPTIONS)
		n = VIEW_MAX_OPTIONS;
	if (n)
		q->options = xcalloc(n, sizeof *q->options);
	for (size_t i = 0; i < n; i++) {
		const json_t *jo = json_array_get(opts, i);
		const char *key = json_is_object(jo) ? jstr(jo, "key") : NULL;
		if (!key)
			continue;
		struct view_option *op = &q->options[q->noptions++];
		op->key = xstrdup(key);
		op->label = xstrdup(jstr(jo, "label"));
		op->danger = jbool(jo, "danger", 0);
	}
	question_free(v->ask);
	v->ask = q;
	return 0;
}

static int ev_answered(struct view *v, const json_t *o)
{
	const char *qid = jstr(o, "qid");
	if (!qid)
		return -1;
	if (!v->ask || strcmp(v->ask->qid, qid) != 0)
		return 1;   /* valid, but not about the open question: nothing changes */
	question_free(v->ask);
	v->ask = NULL;
	return 0;
}

static int ev_target(struct view *v, const json_t *o)
{
	const char *target = jstr(o, "target");
	if (!target)
		return -1;
	set_str(&v->target, target);
	return 0;
}

static int ev_role(struct view *v, const json_t *o)
{
	const char *role = jstr(o, "role");
	if (!role)
		return -1;
	set_str(&v->role, role);
	return 0;
}

static int ev_finished(struct view *v, const json_t *o)
{
	v->finished = 1;
	set_str(&v->outcome, jstr(o, "outcome"));
	set_str(&v->summary, jstr(o, "summary"));
	v->exit_code = jint(o, "exit", 1);
	return 0;
}

static const struct {
	const char *t;
	int (*fn)(struct view *, const json_t *);
} handlers[] = {
	{"hello", ev_hello},       {"step", ev_step}, {"item", ev_item},
	{"body", ev_body},         {"progress", ev_progress},
	{"log", ev_log},           {"ask", ev_ask},   {"answered", ev_answered},
	{"role", ev_role},         {"finished", ev_finished},
	{"target", ev_target},     {"skipped", ev_skipped},
};

int view_apply(struct view *v, const char *line, size_t len)
{
	if (!line || len > VIEW_LINE_MAX)
		return -1;
	json_t *o = json_loadb(line, len, 0, NULL);
	if (!json_is_object(o)) {
		json_decref(o);
		return -1;
	}
	const char *t = jstr(o, "t");
	int r = t ? 1 : -1;   /* 1: valid but changed nothing (an unknown `t`) */
	for (size_t i = 0; t && i < ARRAY_LEN(handlers); i++)
		if (strcmp(t, handlers[i].t) == 0) {
			r = handlers[i].fn(v, o);
			break;
		}
	json_decref(o);
	if (r == 0)
		v->generation++;
	return r < 0 ? -1 : 0;
}
