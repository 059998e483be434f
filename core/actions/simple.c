/*
 * simple.c: the step kinds that are mostly a question: precautions, choice, checklist.
 * A choice offers only the options whose `when` holds and recommends (marks, defaults to) the
 * one whose `recommended` condition holds; the chosen option goes into the summary with its time.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/answers.h"
#include "core/run.h"

/* The precautions go out as items only (numbered by the screen); a body repeating them made
 * every front end but the full-screen one print them twice. */
int act_precautions(struct run *r, const struct pstep *s)
{
	for (size_t i = 0; i < s->items.n; i++) {
		char *t = run_expand(r, s->items.v[i], EXPAND_DISPLAY);
		char key[32];
		snprintf(key, sizeof key, "p%zu", i + 1);
		ev_item(r, key, t ? t : s->items.v[i], "info", "", "");
		free(t);
	}
	struct ask q = {.qid = s->id, .kind = "next", .prompt = "I have read the precautions and none of them stops this upgrade.", .def = "yes"};
	char *a = run_ask(r, &q);
	if (!a)
		return STEP_ABORT;
	int yes = strcmp(a, "yes") == 0;
	free(a);
	return yes ? STEP_OK : STEP_ABORT;
}

/* A JSON string literal for the journal (caller frees). */
static char *jquote(const char *v)
{
	json_t *j = json_string(v ? v : "");
	char *out = j ? json_dumps(j, JSON_ENCODE_ANY) : xstrdup("\"?\"");
	json_decref(j);
	return out;
}

/* The operator's tick of item i: 'd' done, 'f' it did not complete, 0 no answer (stop). */
static int ask_tick(struct run *r, const char *qid, const char *text, const char *help)
{
	static const struct ask_option opts[] = {{"done", "Done (the time is recorded)", 0},
	                                         {"failed", "It did not complete", 0}};
	for (;;) {
		struct ask q = {.qid = qid, .kind = "choice", .prompt = text, .detail = help, .options = opts,
		                .noptions = 2, .def = "done"};
		char *a = run_ask(r, &q);
		if (!a)
			return 0;
		int c = 0;
		if (!strcmp(a, "done") || !strcmp(a, "yes") || !strcmp(a, "y") || !strcmp(a, "d"))
			c = 'd';
		else if (!strcmp(a, "failed") || !strcmp(a, "no") || !strcmp(a, "n") || !strcmp(a, "f"))
			c = 'f';
		free(a);
		if (c)
			return c;
		ev_log(r, "warn", "answer done or failed");
		if (r->answers)
			return 0;
	}
}

/*
 * checklist: each item is a stage the operator carries out elsewhere (a web console). It is
 * shown (with its help), then ticked: done, with the time recorded (journal, summary) and an
 * optional note, or "did not complete": then the item's on_fail text says what that means and
 * what may be done, and the operator retries, goes on (recorded as NOT done) or stops. An item's
 * attached check runs after the tick (the console answers, a number is in range): a failure can be
 * checked again, overridden (recorded) or stop the run. Items whose `when` is false are skipped.
 * The note is asked in attended runs, and in unattended ones only when the answers file has one
 * (QID.note), so an answers file need not carry notes.
 */
int act_checklist(struct run *r, const struct pstep *s)
{
	/* the whole list first, so the screen shows what is ahead (and "N of M done") */
	for (size_t i = 0; i < s->items.n; i++) {
		const struct pitem *ci = i < s->ncitems ? &s->citems[i] : NULL;
		char key[32];
		snprintf(key, sizeof key, "c%zu", i + 1);
		char *t = run_expand(r, s->items.v[i], EXPAND_DISPLAY);
		int applies = !ci || !ci->when || cond_eval(r->vars, ci->when, NULL, NULL) == 1;
		if (applies)
			ev_item(r, key, t ? t : s->items.v[i], "todo", "", "");
		else {
			char *d = xasprintf("not for this upgrade (%s)", ci->when);
			ev_item(r, key, t ? t : s->items.v[i], "info", d, "");
			free(d);
		}
		free(t);
	}
	for (size_t i = 0; i < s->items.n; i++) {
		const struct pitem *ci = i < s->ncitems ? &s->citems[i] : NULL;
		char key[32];
		snprintf(key, sizeof key, "c%zu", i + 1);
		char *t = run_expand(r, s->items.v[i], EXPAND_DISPLAY);
		if (!t)
			t = xstrdup(s->items.v[i]);
		if (ci && ci->when && cond_eval(r->vars, ci->when, NULL, NULL) != 1) {
			free(t);   /* shown as not applying above */
			continue;
		}
		char *help = ci && ci->help ? run_expand(r, ci->help, EXPAND_DISPLAY) : NULL;
		ev_item(r, key, t, "todo", help ? help : "", "");
		char *qid = ci && ci->id ? xasprintf("%s.%s", s->id, ci->id) : xasprintf("%s.%zu", s->id, i + 1);
		int rc = STEP_OK;
		for (;;) {
			int tick = ask_tick(r, qid, t, help);
			if (!tick) {
				rc = STEP_ABORT;
				break;
			}
			char *when = iso_time(wall_time());
			if (tick == 'f') {
				char *why = ci && ci->on_fail ? run_expand(r, ci->on_fail, EXPAND_DISPLAY) : NULL;
				char *d = xasprintf("did not complete (%s)", when);
				ev_item(r, key, t, "fail", d, why ? why : "");
				if (why)
					ev_body(r, why);
				run_journal(r, "checklist_failed", "\"item\":%zu,\"at\":\"%s\"", i + 1, when);
				sv_push_owned(&r->done_notes, xasprintf("%s  %s: %s: did NOT complete", when, s->id, t));
				char *fq = xasprintf("%s.failed", qid);
				int c = run_ask_failure(r, fq, "This stage did not complete.");
				free(fq), free(d), free(why), free(when);
				if (c == 'r' && r->answers) {
					/* the answers file would say "failed" again, for ever */
					ev_log(r, "error", "unattended run: a stage that did not complete cannot be retried from an answers file");
					rc = STEP_ABORT;
					break;
				}
				if (c == 'r')
					continue;
				if (c == 's') {
					ev_item(r, key, t, "warn", "NOT done: the operator went on", "");
					run_journal(r, "override", "\"item\":%zu", i + 1);
					sv_push_owned(&r->done_notes, xasprintf("%s: went on although \"%s\" did not complete", s->id, t));
					break;
				}
				rc = c == 'u' ? STEP_UNDO : STEP_ABORT;
				break;
			}
			/* done: a note, then the attached check */
			char *note = NULL;
			char *nq = xasprintf("%s.note", qid);
			if (!r->answers || answers_get(r->answers, nq)) {
				struct ask q = {.qid = nq, .kind = "text", .prompt = "Note for the record (optional: Enter for none)",
				                .detail = t, .def = ""};
				note = run_ask(r, &q);
				if (!note) {
					free(nq), free(when);
					rc = STEP_ABORT;
					break;
				}
			}
			free(nq);
			char *jn = jquote(note ? note : "");
			run_journal(r, "checklist", "\"item\":%zu,\"at\":\"%s\",\"note\":%s", i + 1, when, jn);
			free(jn);
			char *cdetail = NULL;
			int cok = 1;
			while (ci && ci->check) {
				ev_item(r, key, t, "run", "checking", "");
				free(cdetail);
				cok = run_check(r, ci->check, i, &cdetail);
				if (cok)
					break;
				char *fix = ci->check->fix ? run_expand(r, ci->check->fix, EXPAND_DISPLAY) : NULL;
				char *d = xasprintf("done %s, but %s: %s", when, ci->check->name, cdetail);
				ev_item(r, key, t, ci->check->level == LV_WARN ? "warn" : "fail", d, fix ? fix : "");
				free(d), free(fix);
				if (ci->check->level == LV_WARN)
					break;
				char *fq = xasprintf("%s.check", qid);
				int c = run_ask_failure(r, fq, "The check attached to this stage failed.");
				free(fq);
				if (c == 'r')
					continue;
				if (c == 's') {
					run_journal(r, "override", "\"item\":%zu,\"check\":true", i + 1);
					sv_push_owned(&r->done_notes, xasprintf("%s: went on although the check \"%s\" failed", s->id,
					                                        ci->check->name));
					break;
				}
				rc = c == 'u' ? STEP_UNDO : STEP_ABORT;
				break;
			}
			if (rc == STEP_OK) {
				struct strbuf d = STRBUF_INIT;
				sb_addf(&d, "done %s", when);
				if (note && *note)
					sb_addf(&d, ": %s", note);
				if (ci && ci->check)
					sb_addf(&d, " [%s: %s]", ci->check->name, cdetail ? cdetail : "");
				ev_item(r, key, t, cok || (ci && ci->check && ci->check->level == LV_WARN) ? "pass" : "warn", sb_str(&d), "");
				sv_push_owned(&r->done_notes, xasprintf("%s  %s: %s%s%s", when, s->id, t, note && *note ? " -- " : "",
				                                        note && *note ? note : ""));
				sb_free(&d);
			}
			free(cdetail), free(note), free(when);
			break;
		}
		free(qid), free(help), free(t);
		if (rc != STEP_OK)
			return rc;
	}
	return STEP_OK;
}

/* 1 when the option's condition (NULL: none) holds; an unparsable one counts as false. */
static int opt_cond(struct run *r, const char *cond)
{
	return !cond || cond_eval(r->vars, cond, NULL, NULL) == 1;
}

int act_choice(struct run *r, const struct pstep *s)
{
	/* Only the options whose `when` holds are offered; one whose `recommended` holds is marked
	 * and becomes the default (a hidden default is no default). */
	struct ask_option *opts = xcalloc(s->noptions, sizeof *opts);
	char **labels = xcalloc(s->noptions, sizeof *labels);
	char *offered = xcalloc(s->noptions ? s->noptions : 1, 1);
	size_t nopts = 0;
	const char *def = NULL;
	for (size_t i = 0; i < s->noptions; i++) {
		const struct poption *o = &s->options[i];
		if (!opt_cond(r, o->when))
			continue;
		offered[i] = 1;
		char *l = run_expand(r, o->label, EXPAND_DISPLAY);
		if (o->recommended && opt_cond(r, o->recommended)) {
			char *m = xasprintf("%s (recommended)", l ? l : o->label);
			free(l);
			l = m;
			def = o->key;
		}
		labels[i] = l;
		opts[nopts++] = (struct ask_option){o->key, labels[i] ? labels[i] : o->label, o->danger};
		/* profile_load refuses an option without a key: o->key is never NULL */
		if (!def && s->def && strcmp(s->def, o->key) == 0)   // NOLINT(clang-analyzer-core.NonNullParamChecker)
			def = o->key;
	}
	if (def && s->def && strcmp(def, s->def) != 0) {
		/* a recommendation wins over the static default, unless the static one is recommended too */
		for (size_t i = 0; i < s->noptions; i++)
			if (offered[i] && strcmp(s->options[i].key, s->def) == 0 && s->options[i].recommended &&
			    opt_cond(r, s->options[i].recommended))
				def = s->def;
	}
	char *prompt = run_expand(r, s->question, EXPAND_DISPLAY);
	int rc = STEP_ABORT;
	for (;;) {
		struct ask q = {.qid = s->id, .kind = "choice", .prompt = prompt, .options = opts, .noptions = nopts, .def = def};
		char *a = run_ask(r, &q);
		if (!a)
			break;
		const struct poption *chosen = NULL;
		const struct poption *other = NULL;
		for (size_t i = 0; i < s->noptions; i++) {
			if (!offered[i])
				continue;
			if (strcmp(s->options[i].key, a) == 0)   // NOLINT(clang-analyzer-core.NonNullParamChecker): keys are required
				chosen = &s->options[i];
			if (strcmp(s->options[i].key, "other") == 0)
				other = &s->options[i];
		}
		if (!chosen)
			chosen = other;  /* like install.sh: anything else means the "other" option */
		free(a);
		if (!chosen) {
			ev_log(r, "warn", "not one of the options");
			if (r->answers)
				break;
			continue;
		}
		if (chosen->danger) {
			char *expect = run_expand(r, chosen->confirm, EXPAND_PLAIN);
			char *qid = xasprintf("%s.confirm", s->id);
			char *p2 = xasprintf("%s: type %s to confirm", chosen->label, expect ? expect : "?");
			struct ask c = {.qid = qid, .kind = "confirm", .prompt = p2, .detail = chosen->help, .expect = expect};
			char *typed = run_ask(r, &c);
			int ok = typed && expect && strcmp(typed, expect) == 0;
			if (typed && !ok)
				ev_log(r, "warn", "the confirmation did not match: nothing dangerous was chosen");
			free(typed), free(qid), free(p2), free(expect);
			if (!ok) {
				if (r->answers)
					break;
				continue;
			}
		}
		for (size_t k = 0; k < chosen->set.n; k++) {
			const char *kv = chosen->set.v[k];
			size_t n = strcspn(kv, "=");
			char *name = xstrndup(kv, n);
			vars_set(r->vars, name, kv[n] ? kv + n + 1 : "", 0);
			run_journal(r, "var_set", "\"name\":\"%s\"", name);
			free(name);
		}
		ev_item(r, "choice", prompt, chosen->danger ? "warn" : "pass", chosen->label, "");
		{
			char *when = iso_time(wall_time());
			char *lab = run_expand(r, chosen->label, EXPAND_DISPLAY);
			sv_push_owned(&r->done_notes, xasprintf("%s  %s: %s", when, s->id, lab ? lab : chosen->label));
			free(lab), free(when);
		}
		if (chosen->exit) {
			ev_log(r, "info", "the operator chose to exit: nothing more will run");
			rc = STEP_EXIT_CLEAN;
		} else
			rc = STEP_OK;
		break;
	}
	for (size_t i = 0; i < s->noptions; i++)
		free(labels[i]);
	free(labels);
	free(opts);
	free(offered);
	free(prompt);
	return rc;
}
