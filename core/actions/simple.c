/*
 * simple.c: the step kinds that are mostly a question: precautions, choice, checklist.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/run.h"

int act_precautions(struct run *r, const struct pstep *s)
{
	struct strbuf sb = STRBUF_INIT;
	for (size_t i = 0; i < s->items.n; i++) {
		char *t = run_expand(r, s->items.v[i], EXPAND_DISPLAY);
		sb_addf(&sb, "%zu. %s\n", i + 1, t ? t : s->items.v[i]);
		char key[32];
		snprintf(key, sizeof key, "p%zu", i + 1);
		ev_item(r, key, t ? t : s->items.v[i], "todo", "", "");
		free(t);
	}
	ev_body(r, sb_str(&sb));
	sb_free(&sb);
	struct ask q = {.qid = s->id, .kind = "next", .prompt = "I have read the precautions and none of them stops this upgrade.", .def = "yes"};
	char *a = run_ask(r, &q);
	if (!a)
		return STEP_ABORT;
	int yes = strcmp(a, "yes") == 0;
	free(a);
	return yes ? STEP_OK : STEP_ABORT;
}

int act_checklist(struct run *r, const struct pstep *s)
{
	for (size_t i = 0; i < s->items.n; i++) {
		char key[32];
		snprintf(key, sizeof key, "c%zu", i + 1);
		char *t = run_expand(r, s->items.v[i], EXPAND_DISPLAY);
		ev_item(r, key, t, "todo", "", "");
		char *qid = xasprintf("%s.%zu", s->id, i + 1);
		struct ask q = {.qid = qid, .kind = "next", .prompt = t, .detail = "Done? (answer with an optional note)", .def = "yes"};
		char *a = run_ask(r, &q);
		free(qid);
		if (!a) {
			free(t);
			return STEP_ABORT;
		}
		char *when = iso_time(wall_time());
		char *detail = xasprintf("done %s%s%s", when, strcmp(a, "yes") ? ": " : "", strcmp(a, "yes") ? a : "");
		ev_item(r, key, t, "pass", detail, "");
		run_journal(r, "checklist", "\"item\":%zu,\"at\":\"%s\"", i + 1, when);
		free(detail), free(when), free(a), free(t);
	}
	return STEP_OK;
}

int act_choice(struct run *r, const struct pstep *s)
{
	struct ask_option *opts = xcalloc(s->noptions, sizeof *opts);
	char **labels = xcalloc(s->noptions, sizeof *labels);
	for (size_t i = 0; i < s->noptions; i++) {
		labels[i] = run_expand(r, s->options[i].label, EXPAND_DISPLAY);
		opts[i] = (struct ask_option){s->options[i].key, labels[i] ? labels[i] : s->options[i].label, s->options[i].danger};
	}
	char *prompt = run_expand(r, s->question, EXPAND_DISPLAY);
	int rc = STEP_ABORT;
	for (;;) {
		struct ask q = {.qid = s->id, .kind = "choice", .prompt = prompt, .options = opts, .noptions = s->noptions, .def = s->def};
		char *a = run_ask(r, &q);
		if (!a)
			break;
		const struct poption *chosen = NULL;
		const struct poption *other = NULL;
		for (size_t i = 0; i < s->noptions; i++) {
			if (strcmp(s->options[i].key, a) == 0)
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
	free(prompt);
	return rc;
}
