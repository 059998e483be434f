/*
 * profile_ext.c: the profile features for multi-host, loop and interactive upgrades.
 *
 * Kept apart from profile.c so the base format stays readable; profile.c calls in here for the
 * extra keys of a step, a command and a check, for the variable names these features set, and
 * for their cross-references. Everything still reports "FILE:LINE:COL: message".
 *
 *   step:     foreach: LIST_VAR, as: NAME, fields: [A, B]   -> the step runs once per item;
 *             host: HOST                                     -> its commands run there over ssh
 *   command:  host, capture + capture_match, prompts: [{match, prompt, answer, options}]
 *   check:    host (command checks), no_process: ERE, compare: {left, op, right, as, parts}
 *
 * A loop's variables (NAME, NAME_INDEX, NAME_COUNT and the fields) and the captures count as
 * declared for the rest of the profile. A prompt needs `pty: yes` (a question is only asked on
 * a terminal), and a remote host may not be given a secret (it would sit on ssh's argv).
 */
#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include "core/profile.h"
#include "core/vars.h"
#include "core/ytree.h"

static struct pos at_of(const struct ynode *n)
{
	struct pos p = {n ? n->line : 0, n ? n->col : 0};
	return p;
}

static void err_at(struct yerrs *e, struct pos at, const char *fmt, const char *a, const char *b)
{
	struct ynode fake = {.line = at.line, .col = at.col};
	yerr(e, &fake, fmt, a, b ? b : "");
}

static int is_name(const char *s)
{
	if (!s || !*s || !((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || *s == '_'))
		return 0;
	for (; *s; s++)
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
			return 0;
	return 1;
}

static void check_regex(struct yerrs *e, const struct ynode *n, const char *re)
{
	if (!n || !re || strstr(re, "${"))   /* with variables: checked when expanded, at run time */
		return;
	regex_t rx;
	int rc = regcomp(&rx, re, REG_EXTENDED | REG_NEWLINE);
	if (rc != 0) {
		char msg[160];
		regerror(rc, &rx, msg, sizeof msg);
		yerr(e, n, "bad regular expression /%s/: %s", re, msg);
		return;
	}
	regfree(&rx);
}

void list_split(const char *value, struct strvec *out)
{
	const char *p = value ? value : "";
	while (*p) {
		p += strspn(p, " \t\r\n,");
		size_t n = strcspn(p, " \t\r\n,");
		if (n)
			sv_push_owned(out, xstrndup(p, n));
		p += n;
	}
}

void profile_ext_step(struct yerrs *e, const struct ynode *m, struct pstep *s)
{
	s->foreach = yget_str(e, m, "foreach", 0);
	s->as = yget_str(e, m, "as", 0);
	s->host = yget_str(e, m, "host", 0);
	yget_strlist(e, m, "fields", &s->fields);
	if (s->foreach && !s->as)
		yerr(e, ymap_get(m, "foreach"), "'foreach' needs 'as': the variable that holds each item");
	if (!s->foreach && (s->as || s->fields.n))
		yerr(e, ymap_get(m, s->as ? "as" : "fields"), "'as' and 'fields' only go with 'foreach'");
	if (s->as && !is_name(s->as))
		yerr(e, ymap_get(m, "as"), "'as' must be a variable name, not '%s'", s->as);
	for (size_t i = 0; i < s->fields.n; i++)
		if (!is_name(s->fields.v[i]))
			yerr(e, ymap_get(m, "fields"), "a field must be a variable name, not '%s'", s->fields.v[i]);
}

static void load_prompts(struct yerrs *e, const struct ynode *m, struct pcommand *c)
{
	struct ynode *n = ymap_get(m, "prompts");
	if (!n)
		return;
	if (n->type != Y_SEQ) {
		yerr(e, n, "'prompts' must be a list of {match, prompt, answer, options}");
		return;
	}
	static const char *const keys[] = {"match", "prompt", "answer", "options", NULL};
	c->prompts = xcalloc(n->n ? n->n : 1, sizeof *c->prompts);
	for (size_t i = 0; i < n->n; i++) {
		const struct ynode *q = n->items[i];
		if (q->type != Y_MAP) {
			yerr(e, q, "a prompt must be a mapping");
			continue;
		}
		ycheck_keys(e, q, "a prompt", keys);
		struct pprompt *p = &c->prompts[c->nprompts++];
		p->at = at_of(q);
		p->match = yget_str(e, q, "match", 1);
		p->prompt = yget_str(e, q, "prompt", 0);
		p->answer = yget_str(e, q, "answer", 0);
		yget_strlist(e, q, "options", &p->options);
		check_regex(e, ymap_get(q, "match"), p->match);
		if (p->answer && p->options.n) {
			int found = 0;
			for (size_t k = 0; k < p->options.n; k++)
				found |= strcmp(p->options.v[k], p->answer) == 0;
			if (!found)
				yerr(e, ymap_get(q, "answer"), "the declared answer '%s' is not one of the options", p->answer);
		}
	}
	if (c->nprompts && !c->pty)
		yerr(e, n, "'prompts' needs 'pty: yes' (the command only asks on a terminal)");
}

void profile_ext_command(struct yerrs *e, const struct ynode *m, struct pcommand *c)
{
	c->host = yget_str(e, m, "host", 0);
	c->capture = yget_str(e, m, "capture", 0);
	c->capture_match = yget_str(e, m, "capture_match", 0);
	if (c->capture && !is_name(c->capture))
		yerr(e, ymap_get(m, "capture"), "'capture' must be a variable name, not '%s'", c->capture);
	if (c->capture && !c->capture_match)
		yerr(e, ymap_get(m, "capture"), "'capture' needs 'capture_match': the pattern whose group 1 is the value");
	check_regex(e, ymap_get(m, "capture_match"), c->capture_match);
	check_regex(e, ymap_get(m, "success_match"), c->success_match);
	check_regex(e, ymap_get(m, "fail_match"), c->fail_match);
	check_regex(e, ymap_get(m, "milestone"), c->milestone);
	load_prompts(e, m, c);
}

int profile_ext_check(struct yerrs *e, const struct ynode *m, struct pcheck *c)
{
	int kinds = 0;
	c->host = yget_str(e, m, "host", 0);
	c->auth = yget_str(e, m, "auth", 0);
	if (c->auth && !ymap_get(m, "http"))
		yerr(e, ymap_get(m, "auth"), "'auth' only goes with an http check%s", "");
	if ((c->no_process = yget_str(e, m, "no_process", 0))) {
		c->kind = CK_NO_PROCESS;
		kinds++;
		check_regex(e, ymap_get(m, "no_process"), c->no_process);
	}
	struct ynode *cmp = ymap_get(m, "compare");
	if (cmp) {
		kinds++;
		c->kind = CK_COMPARE;
		if (cmp->type != Y_MAP) {
			yerr(e, cmp, "'compare' must be a mapping {left, op, right, as, parts}");
		} else {
			static const char *const keys[] = {"left", "op", "right", "as", "parts", NULL};
			ycheck_keys(e, cmp, "'compare'", keys);
			c->cmp_left = yget_str(e, cmp, "left", 1);
			c->cmp_op = yget_str(e, cmp, "op", 1);
			c->cmp_right = yget_str(e, cmp, "right", 1);
			c->cmp_as = yget_str(e, cmp, "as", 0);
			c->cmp_parts = yget_int(e, cmp, "parts", 0);
			static const char *const ops[] = {">=", ">", "<=", "<", "==", "!="};
			int okop = 0;
			for (size_t i = 0; c->cmp_op && i < 6; i++)
				okop |= strcmp(c->cmp_op, ops[i]) == 0;
			if (c->cmp_op && !okop)
				yerr(e, ymap_get(cmp, "op"), "op must be one of >=, >, <=, <, ==, != (not '%s')", c->cmp_op);
			if (c->cmp_as && strcmp(c->cmp_as, "size") && strcmp(c->cmp_as, "number") &&
			    strcmp(c->cmp_as, "version") && strcmp(c->cmp_as, "text"))
				yerr(e, ymap_get(cmp, "as"), "as must be size, number, version or text (not '%s')", c->cmp_as);
			if (c->cmp_parts && (!c->cmp_as || strcmp(c->cmp_as, "version")))
				yerr(e, ymap_get(cmp, "parts"), "'parts' only goes with as: version");
		}
	}
	if (c->host && (ymap_get(m, "command") == NULL))
		yerr(e, ymap_get(m, "host"), "'host' only goes with a command check%s", "");
	return kinds;
}

void profile_ext_names(const struct profile *p, struct strvec *names)
{
	for (size_t i = 0; i < p->nsteps; i++) {
		const struct pstep *s = &p->steps[i];
		if (s->as) {
			sv_push(names, s->as);
			sv_push_owned(names, xasprintf("%s_INDEX", s->as));
			sv_push_owned(names, xasprintf("%s_COUNT", s->as));
		}
		for (size_t k = 0; k < s->fields.n; k++)
			sv_push(names, s->fields.v[k]);
		for (size_t k = 0; k < s->ncommands; k++)
			if (s->commands[k].capture)
				sv_push(names, s->commands[k].capture);
		for (size_t k = 0; k < s->nchecks; k++)
			if (s->checks[k].kind == CK_COMPARE && s->checks[k].capture)
				sv_push(names, s->checks[k].capture);
	}
}

static int known(const struct profile *p, const char *name, const struct strvec *extra)
{
	static const char *const builtin[] = {"PROFILE_DIR", "RUN_DIR", "RUN_ID", "STATE_DIR", "SANDBOX_ROOT", NULL};
	for (const char *const *b = builtin; *b; b++)
		if (strcmp(*b, name) == 0)
			return 1;
	if (profile_var(p, name))
		return 1;
	for (size_t i = 0; i < extra->n; i++)
		if (strcmp(extra->v[i], name) == 0)
			return 1;
	return 0;
}

/* ${NAME} references in a host: declared, and never a secret (ssh's argv is public). */
static void check_host(struct yerrs *e, const struct profile *p, const char *tmpl, struct pos at,
		       const struct strvec *extra)
{
	if (!tmpl)
		return;
	struct strvec refs = STRVEC_INIT;
	vars_refs(tmpl, &refs);
	for (size_t i = 0; i < refs.n; i++) {
		const struct pvar *v = profile_var(p, refs.v[i]);
		if (!known(p, refs.v[i], extra))
			err_at(e, at, "host uses ${%s}, which is not a declared variable%s", refs.v[i], NULL);
		else if (v && v->secret)
			err_at(e, at, "host uses the secret ${%s} (it would reach ssh's command line)%s", refs.v[i], NULL);
	}
	sv_free(&refs);
}

static void check_refs(struct yerrs *e, const struct profile *p, const char *tmpl, struct pos at,
		       const struct strvec *extra, const char *what)
{
	if (!tmpl)
		return;
	struct strvec refs = STRVEC_INIT;
	vars_refs(tmpl, &refs);
	for (size_t i = 0; i < refs.n; i++)
		if (!known(p, refs.v[i], extra))
			err_at(e, at, "%s uses ${%s}, which is not a declared variable", what, refs.v[i]);
	sv_free(&refs);
}

void profile_ext_cross(struct yerrs *e, const struct profile *p, const struct strvec *extra)
{
	for (size_t i = 0; i < p->nsteps; i++) {
		const struct pstep *s = &p->steps[i];
		if (s->foreach) {
			const struct pvar *v = profile_var(p, s->foreach);
			if (!v)
				err_at(e, s->at, "step %s loops over '%s', which is not a declared variable", s->id ? s->id : "?",
				       s->foreach);
			else if (v->type != VT_LIST)
				err_at(e, s->at, "step %s loops over '%s', which is not of type list", s->id ? s->id : "?",
				       s->foreach);
			if (s->as && profile_var(p, s->as))
				err_at(e, s->at, "the loop variable '%s' of step %s is also a profile variable", s->as,
				       s->id ? s->id : "?");
		}
		check_host(e, p, s->host, s->at, extra);
		for (size_t k = 0; k < s->ncommands; k++) {
			const struct pcommand *c = &s->commands[k];
			check_host(e, p, c->host, c->at, extra);
			for (size_t j = 0; j < c->nprompts; j++) {
				check_refs(e, p, c->prompts[j].answer, c->prompts[j].at, extra, "prompt answer");
				check_refs(e, p, c->prompts[j].prompt, c->prompts[j].at, extra, "prompt");
			}
			check_refs(e, p, c->success_match, c->at, extra, "success_match");
			check_refs(e, p, c->fail_match, c->at, extra, "fail_match");
		}
		for (size_t k = 0; k < s->nchecks; k++) {
			const struct pcheck *c = &s->checks[k];
			check_host(e, p, c->host, c->at, extra);
			check_refs(e, p, c->cmp_left, c->at, extra, "compare");
			check_refs(e, p, c->cmp_right, c->at, extra, "compare");
			check_refs(e, p, c->no_process, c->at, extra, "no_process");
			check_refs(e, p, c->auth, c->at, extra, "auth");
		}
	}
}

void profile_ext_free_step(struct pstep *s)
{
	free(s->foreach), free(s->as), free(s->host);
	s->foreach = s->as = s->host = NULL;
	sv_free(&s->fields);
	for (size_t i = 0; i < s->ncommands; i++) {
		struct pcommand *c = &s->commands[i];
		free(c->host), free(c->capture), free(c->capture_match);
		c->host = c->capture = c->capture_match = NULL;
		for (size_t k = 0; k < c->nprompts; k++) {
			free(c->prompts[k].match), free(c->prompts[k].prompt), free(c->prompts[k].answer);
			sv_free(&c->prompts[k].options);
		}
		free(c->prompts);
		c->prompts = NULL;
		c->nprompts = 0;
	}
}
