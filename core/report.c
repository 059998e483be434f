/*
 * report.c: the trainee's report (see report.h).
 *
 * One pass over the journal builds, per profile step, its final state, its time (first enter
 * to last end record) and the decisions taken in it; one pass over the event stream collects
 * each step's failures (items that failed, error lines, failure questions) with their text.
 * Mistakes are judged by step kind and journal record, not by product: a `choice` step whose
 * dangerous option was taken against the golden answer, a `backup` step skipped (or failed and
 * the run went on), an `override` of failed checks, a `stmt_skipped`, a `risk_acknowledged`,
 * any step skipped by the operator after a failure.
 */
#include "core/report.h"
#include "core/answers.h"
#include "core/journal.h"
#include "core/profile.h"
#include "core/scenario.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct step_info {
	const char *state;          /* not reached | running | done | failed | skipped | skipped (condition) */
	double t0, t1;              /* first enter, last end (0: none) */
	int failures;               /* times the step failed (a retry that fails again counts again) */
	int said_failed;            /* its last step event said failed */
	struct strvec problems;     /* what failed, as the events said it */
};

static const char *jstr(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

static int step_index(const struct profile *p, const char *id)
{
	for (size_t i = 0; i < p->nsteps; i++)
		if (strcmp(p->steps[i].id, id) == 0)
			return (int)i;
	return -1;
}

/* Markdown table cells: no pipes, no newlines. Caller frees. */
static char *cell(const char *s)
{
	struct strbuf sb = STRBUF_INIT;
	for (; s && *s; s++)
		sb_addc(&sb, *s == '|' ? '/' : (*s == '\n' || *s == '\r') ? ' ' : *s);
	if (!sb.s)
		sb_adds(&sb, "");
	return sb_detach(&sb);
}

static void push_unique(struct strvec *v, const char *s)
{
	for (size_t i = 0; i < v->n; i++)
		if (strcmp(v->v[i], s) == 0)
			return;
	if (v->n < 12)
		sv_push(v, s);
}

static const struct poption *find_option(const struct pstep *s, const char *key)
{
	for (size_t i = 0; i < s->noptions; i++)
		if (strcmp(s->options[i].key, key) == 0)
			return &s->options[i];
	return NULL;
}

int report_build(const struct report_in *in, struct report *out, char **cause)
{
	memset(out, 0, sizeof *out);
	const struct profile *p = in->prof;
	const struct scenario *sc = in->sc;
	size_t ns = p->nsteps;
	struct step_info *si = xcalloc(ns ? ns : 1, sizeof *si);
	for (size_t i = 0; i < ns; i++)
		si[i].state = "not reached";
	struct strbuf dec = STRBUF_INIT;          /* the decisions table rows */
	struct strvec mistakes = STRVEC_INIT, notes = STRVEC_INIT;
	struct strvec run_problems = STRVEC_INIT;  /* errors outside any step: the world not built, ... */
	size_t ndec = 0, ndiffer = 0;
	double run_t0 = 0, run_t1 = 0;
	int backup_failed_step = -1, destructive_after_backup_fail = 0;
	char *iter_item = NULL;                   /* the loop iteration under way: its step, number, item */
	int iter_step_k = -1;
	json_int_t iter_index = 0;

	/* ---- the journal */
	char *jpath = xasprintf("%s/journal.jsonl", in->run_dir);
	struct strvec lines = STRVEC_INIT;
	journal_read_lines(jpath, &lines, NULL);
	free(jpath);
	for (size_t li = 0; li < lines.n; li++) {
		json_t *o = json_loads(lines.v[li], 0, NULL);
		if (!o)
			continue;
		const char *t = jstr(o, "t");
		const char *step = jstr(o, "step");
		double ts = json_number_value(json_object_get(o, "ts"));
		if (!run_t0)
			run_t0 = ts;
		run_t1 = ts;
		int k = step_index(p, step);
		const struct pstep *ps = k >= 0 ? &p->steps[k] : NULL;
		if (k >= 0 && !strcmp(t, "step_enter")) {
			if (!si[k].t0)
				si[k].t0 = ts;
			si[k].state = "running";
			if (ps->destructive && backup_failed_step >= 0)
				destructive_after_backup_fail = 1;
		} else if (k >= 0 && !strcmp(t, "step_done")) {
			si[k].state = "done";
			si[k].t1 = ts;
		} else if (k >= 0 && !strcmp(t, "step_failed")) {
			si[k].state = "failed";
			si[k].t1 = ts;
			if (ps->kind == SK_BACKUP)
				backup_failed_step = k;
		} else if (k >= 0 && !strcmp(t, "step_skipped")) {
			int by_op = !strcmp(jstr(o, "by"), "operator");
			si[k].state = by_op ? "skipped" : "skipped (condition)";
			if (!si[k].t0)
				si[k].t0 = ts;
			si[k].t1 = ts;
			if (by_op && ps->kind == SK_BACKUP) {
				push_unique(&mistakes, "Skipped the backup: nothing could have been restored had the upgrade gone wrong.");
				backup_failed_step = k;
			} else if (by_op) {
				char *m = xasprintf("Skipped step '%s' (%s) after it failed, instead of fixing the cause.", ps->id,
				                    ps->title);
				push_unique(&mistakes, m);
				free(m);
			}
		} else if (!strcmp(t, "iter_enter")) {
			/* the loop's item (a host, an endpoint): its questions name it */
			free(iter_item);
			iter_item = xstrdup(jstr(o, "item"));
			iter_step_k = k, iter_index = json_integer_value(json_object_get(o, "index"));
		} else if (!strcmp(t, "override")) {
			long long nf = json_integer_value(json_object_get(o, "failed"));
			char *m = xasprintf("Ignored %lld failed check%s at '%s' and went on.", nf, nf == 1 ? "" : "s", step);
			push_unique(&mistakes, m);
			free(m);
		} else if (!strcmp(t, "stmt_skipped")) {
			const char *file = jstr(o, "file");
			const char *base = strrchr(file, '/') ? strrchr(file, '/') + 1 : file;
			char *m = xasprintf("Skipped a failed SQL statement (%s, statement %lld, ERROR %lld): the schema is now "
			                    "neither the old one nor the new one.",
			                    base, json_integer_value(json_object_get(o, "index")),
			                    json_integer_value(json_object_get(o, "code")));
			push_unique(&mistakes, m);
			free(m);
		} else if (!strcmp(t, "risk_acknowledged")) {
			char *m = xasprintf("Acknowledged the risk and went on at '%s' without a verified backup.", step);
			push_unique(&mistakes, m);
			free(m);
		} else if (!strcmp(t, "answer")) {
			const char *qid = jstr(o, "qid"), *val = jstr(o, "value"), *by = jstr(o, "by");
			const char *g = in->golden ? answers_get(in->golden, qid) : NULL;
			int differs = g && strcmp(g, val) != 0;
			ndec++;
			ndiffer += differs;
			json_int_t iter = json_integer_value(json_object_get(o, "iter"));
			int named = iter && k == iter_step_k && iter == iter_index && iter_item && *iter_item;
			char *qn = named ? xasprintf("%s (loop %lld: %s)", qid, (long long)iter, iter_item)
			           : iter ? xasprintf("%s (loop %lld)", qid, (long long)iter) : xstrdup(qid);
			char *c1 = cell(step), *c2 = cell(qn), *c3 = cell(val), *c4 = cell(g ? g : "");
			free(qn);
			sb_addf(&dec, "| %s | %s | %s | %s | %s | %s |\n", c1, c2, c3, by, g ? c4 : "(none)",
			        !g ? "" : differs ? "**differs**" : "same");
			free(c1), free(c2), free(c3), free(c4);
			/* a dangerous option the golden path does not take */
			if (ps && ps->kind == SK_CHOICE && !strcmp(qid, ps->id)) {
				const struct poption *op = find_option(ps, val);
				if (op && op->danger && (!g || strcmp(g, val) != 0)) {
					char *m = g ? xasprintf("Chose %s (\"%s\") at '%s' where the expected answer was %s.", val, op->label,
					                        ps->id, g)
					            : xasprintf("Chose the dangerous option %s (\"%s\") at '%s'.", val, op->label, ps->id);
					push_unique(&mistakes, m);
					free(m);
				}
			}
		}
		json_decref(o);
	}
	sv_free(&lines);
	free(iter_item);
	if (backup_failed_step >= 0 && !strcmp(si[backup_failed_step].state, "failed")) {
		if (destructive_after_backup_fail)
			push_unique(&mistakes, "The backup failed and the run went on to change data anyway.");
		else
			push_unique(&notes, "The backup failed; the run stopped there, so nothing was changed without one.");
	}

	/* ---- the event stream: what failed, and how (and whether the expected message was seen: in a
	 * failure, or in the step's own output, where vendor scripts say what went wrong) */
	const char *exp_msg = sc ? sc->expect_message : NULL;
	int exp_k0 = sc && sc->expect_step ? step_index(p, sc->expect_step) : -1;
	int out_found = 0;
	char *epath = xasprintf("%s/events.jsonl", in->run_dir);
	size_t elen = 0;
	char *ev = read_file(epath, &elen, NULL);
	free(epath);
	for (char *line = ev, *nl; line && *line; line = nl ? nl + 1 : NULL) {
		nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		json_t *o = json_loads(line, 0, NULL);
		if (!o)
			continue;
		const char *t = jstr(o, "t");
		if (json_object_get(o, "level")) {      /* a log line */
			int k = step_index(p, jstr(o, "step"));
			/* an item's outcome repeated in the log is counted once, as the item */
			if (k >= 0 && !strcmp(jstr(o, "level"), "error") && !json_object_get(o, "echo"))
				push_unique(&si[k].problems, jstr(o, "text"));
			else if (k < 0 && !strcmp(jstr(o, "level"), "error"))
				push_unique(&run_problems, jstr(o, "text"));   /* the world, the answers file, ... */
			if (exp_msg && k >= 0 && (exp_k0 < 0 || k == exp_k0) && strstr(jstr(o, "text"), exp_msg))
				out_found = 1;
		} else if (!strcmp(t, "step")) {
			/* a failure is a step entering "failed"; the engine says it again only with a new
			 * note ("rolled back", "aborted"), which is the same failure (docs/PROTOCOL.md) */
			int k = step_index(p, jstr(o, "id"));
			int failed = !strcmp(jstr(o, "state"), "failed");
			if (k >= 0 && failed && !si[k].said_failed)
				si[k].failures++;
			if (k >= 0)
				si[k].said_failed = failed;
		} else if (!strcmp(t, "item") && !strcmp(jstr(o, "status"), "fail")) {
			int k = step_index(p, jstr(o, "step"));
			if (k >= 0) {
				char *s = *jstr(o, "detail") ? xasprintf("%s: %s", jstr(o, "name"), jstr(o, "detail"))
				                             : xstrdup(jstr(o, "name"));
				push_unique(&si[k].problems, s);
				free(s);
			}
		} else if (!strcmp(t, "ask") && !strcmp(jstr(o, "kind"), "failure")) {
			int k = step_index(p, jstr(o, "step"));
			if (k >= 0)
				push_unique(&si[k].problems, jstr(o, "prompt"));
		}
		json_decref(o);
	}
	free(ev);

	/* ---- the expected path */
	const char *exp_outcome = sc && sc->expect_outcome ? sc->expect_outcome : "success";
	const char *exp_step = sc ? sc->expect_step : NULL;
	int exp_k = exp_step ? step_index(p, exp_step) : -1;
	int failed_k = -1;
	for (size_t i = 0; i < ns; i++)
		if (!strcmp(si[i].state, "failed") || !strcmp(si[i].state, "running"))
			failed_k = (int)i;
	int msg_found = 1;
	if (sc && sc->expect_message) {
		msg_found = out_found;
		for (size_t i = 0; i < ns; i++) {
			if (exp_k >= 0 && (int)i != exp_k)
				continue;
			for (size_t j = 0; j < si[i].problems.n && !msg_found; j++)
				msg_found = strstr(si[i].problems.v[j], sc->expect_message) != NULL;
		}
	}
	int has_expect = sc && (sc->expect_outcome || sc->expect_step || sc->expect_message);
	int fault_met = (exp_k < 0 || failed_k == exp_k) && msg_found;
	/* Rolling back at the expected failure handles it as well as stopping there: the backup is
	 * put back and nothing is left half done. It is not the golden path, so it is said. */
	int rolled_back = has_expect && !strcmp(exp_outcome, "failed") && !strcmp(in->outcome, "rolled-back") && fault_met;
	out->expected_met = !has_expect ? -1 : ((!strcmp(in->outcome, exp_outcome) && fault_met) || rolled_back);
	const char *met = rolled_back ? "met, then rolled back" : out->expected_met ? "met" : "NOT met";
	if (rolled_back)
		push_unique(&notes, "The run was rolled back at the failure the scenario is about: the database and the files "
		                    "are as they were before the run. The golden path stops there instead (abort); "
		                    "both leave nothing half done.");

	/* ---- the Markdown */
	struct strbuf md = STRBUF_INIT, scr = STRBUF_INIT;
	sb_addf(&md, "# Trainee report: %s\n\n", p->title);
	sb_addf(&md, "- Run: %s (sandbox)\n", in->run_id);
	if (sc)
		sb_addf(&md, "- Scenario: **%s**: %s\n", sc->name, sc->description);
	else
		sb_adds(&md, "- Scenario: none (the plain world)\n");
	char *dur = secs_text(run_t1 - run_t0);
	sb_addf(&md, "- Outcome: **%s** (exit %d) after %s\n", in->outcome, in->exit_code, dur);
	free(dur);
	struct strbuf expl = STRBUF_INIT;
	sb_adds(&expl, exp_outcome);
	if (exp_k >= 0)
		sb_addf(&expl, " at step '%s'", exp_step);
	if (sc && sc->expect_message)
		sb_addf(&expl, " with \"%s\"", sc->expect_message);
	if (has_expect)
		sb_addf(&md, "- Expected (golden path): %s: **%s**\n", sb_str(&expl), met);
	else
		sb_addf(&md, "- Expected (golden path): %s\n", sb_str(&expl));
	sb_addf(&md, "- Sandbox guard: %u refusal%s (paths, connections or URLs outside the sandbox)\n", in->guard_refusals,
	        in->guard_refusals == 1 ? "" : "s");

	sb_adds(&md, "\n## Mistakes that matter\n\n");
	if (!mistakes.n)
		sb_adds(&md, "None.\n");
	for (size_t i = 0; i < mistakes.n; i++)
		sb_addf(&md, "- %s\n", mistakes.v[i]);
	for (size_t i = 0; i < notes.n; i++)
		sb_addf(&md, "\nNote: %s\n", notes.v[i]);

	sb_adds(&md, "\n## Path taken vs the expected one\n\n| Step | Taken | Expected | Time | Failures |\n|---|---|---|---|---|\n");
	for (size_t i = 0; i < ns; i++) {
		const struct pstep *s = &p->steps[i];
		const char *expected = "done";
		if (exp_k >= 0 && (int)i == exp_k)
			expected = strcmp(exp_outcome, "success") ? "fails" : "done";
		else if (exp_k >= 0 && (int)i > exp_k && strcmp(exp_outcome, "success"))
			expected = "not reached";
		else if (s->when)
			expected = "done if its condition holds";
		char *time = si[i].t0 ? secs_text((si[i].t1 ? si[i].t1 : run_t1) - si[i].t0) : xstrdup("");
		const char *taken = !strcmp(si[i].state, "running") ? "stopped in it" : si[i].state;
		int off = strcmp(expected, "done if its condition holds") &&
		          !((!strcmp(expected, "fails") && (!strcmp(taken, "failed") || !strcmp(taken, "stopped in it"))) ||
		            !strcmp(expected, taken));
		sb_addf(&md, "| %s | %s%s%s | %s | %s | %d |\n", s->id, off ? "**" : "", taken, off ? "**" : "", expected, time,
		        si[i].failures);
		free(time);
	}
	int any_problem = run_problems.n > 0;
	for (size_t i = 0; i < ns; i++)
		any_problem |= si[i].problems.n > 0;
	if (any_problem) {
		sb_adds(&md, "\n## What went wrong, as the wizard showed it\n\n");
		for (size_t j = 0; j < run_problems.n; j++) {
			char *c = cell(run_problems.v[j]);
			sb_addf(&md, "- the run: %s\n", c);
			free(c);
		}
		for (size_t i = 0; i < ns; i++)
			for (size_t j = 0; j < si[i].problems.n; j++) {
				char *c = cell(si[i].problems.v[j]);
				sb_addf(&md, "- %s: %s\n", p->steps[i].id, c);
				free(c);
			}
	}
	sb_addf(&md, "\n## Decisions (%zu; %zu differ from the golden answers)\n\n", ndec, ndiffer);
	if (ndec) {
		sb_adds(&md, "| Step | Question | Answer | By | Golden | |\n|---|---|---|---|---|---|\n");
		sb_adds(&md, sb_str(&dec));
	} else
		sb_adds(&md, "None were taken.\n");
	if (sc && sc->differs)
		sb_addf(&md, "\n## What a perfect trainee does here\n\n%s\n", sc->differs);

	/* ---- the screen text */
	sb_addf(&scr, "TRAINEE REPORT%s%s\n", sc ? " - scenario " : "", sc ? sc->name : "");
	if (has_expect)
		sb_addf(&scr, "Expected: %s: %s\n", sb_str(&expl), met);
	sb_adds(&scr, "Steps:");
	size_t reached = 0;
	for (size_t i = 0; i < ns; i++) {
		if (!strcmp(si[i].state, "not reached"))
			continue;
		reached++;
		char *time = si[i].t0 ? secs_text((si[i].t1 ? si[i].t1 : run_t1) - si[i].t0) : xstrdup("-");
		sb_addf(&scr, "%s %s %s (%s)", reached > 1 ? "," : "", p->steps[i].id,
		        !strcmp(si[i].state, "running") ? "stopped" : si[i].state, time);
		free(time);
	}
	if (reached == 0)
		sb_adds(&scr, " none reached");
	sb_adds(&scr, "\n");
	for (size_t j = 0; j < run_problems.n; j++)
		sb_addf(&scr, "Went wrong: %s\n", run_problems.v[j]);
	sb_addf(&scr, "Decisions: %zu, %zu differ from the golden answers\n", ndec, ndiffer);
	if (!mistakes.n)
		sb_adds(&scr, "Mistakes that matter: none\n");
	else
		sb_addf(&scr, "Mistakes that matter: %zu\n", mistakes.n);
	for (size_t i = 0; i < mistakes.n; i++)
		sb_addf(&scr, "  - %s\n", mistakes.v[i]);
	for (size_t i = 0; i < notes.n; i++)
		sb_addf(&scr, "  Note: %s\n", notes.v[i]);
	if (sc && sc->differs)
		sb_addf(&scr, "A perfect trainee: %s\n", sc->differs);
	sb_free(&expl);

	out->mistakes = (int)mistakes.n;
	out->markdown = sb_detach(&md);
	int rc = 0;
	char *path = xasprintf("%s/report.md", in->run_dir);
	if (write_file_atomic(path, out->markdown, strlen(out->markdown), 0600, cause) < 0) {
		free(path);
		rc = -1;
	} else {
		out->path = path;
		sb_addf(&scr, "Report for the trainer: %s\n", path);
	}
	out->screen = sb_detach(&scr);
	for (size_t i = 0; i < ns; i++)
		sv_free(&si[i].problems);
	free(si);
	sb_free(&dec);
	sv_free(&mistakes);
	sv_free(&notes);
	sv_free(&run_problems);
	return rc;
}

void report_free(struct report *r)
{
	if (!r)
		return;
	free(r->markdown);
	free(r->screen);
	free(r->path);
	memset(r, 0, sizeof *r);
}
