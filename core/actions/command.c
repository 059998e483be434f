/*
 * command.c: the command step. Each command streams its output into the log pane; milestones
 * (a regex on the output) become items as they are reported, so "each service's start is shown
 * as it happens". Success is the exit code AND the absence of fail_match: vendor scripts print
 * failures and still exit 0.
 */
#include <jansson.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "core/actions/interactive.h"
#include "core/answers.h"
#include "core/foreach.h"
#include "core/guard.h"
#include "core/proc.h"
#include "core/remote.h"
#include "core/run.h"

#define CMD_KEEP_OUTPUT (1u << 20)   /* output kept for success_match and capture */

struct cmd_ud {
	struct run *r;
	regex_t ms, fail;
	int has_ms, has_fail, failed_line, nms;
	struct strbuf out;      /* the output as read (ANSI codes removed), up to CMD_KEEP_OUTPUT */
};

static void on_line(void *ud, const char *line, size_t len)
{
	struct cmd_ud *u = ud;
	ev_output(u->r, line, len);
	/* Match on the text as the operator reads it: vendor scripts colour "Succeed" with ANSI codes. */
	char *l = xmalloc(len + 1);
	size_t k = 0;
	for (size_t i = 0; i < len; i++) {
		if (line[i] == 0x1b && i + 1 < len && line[i + 1] == '[') {
			i += 2;
			while (i < len && !(line[i] >= '@' && line[i] <= '~'))
				i++;
			continue;
		}
		l[k++] = line[i];
	}
	l[k] = '\0';
	regmatch_t m[2];
	if (u->has_ms && regexec(&u->ms, l, 2, m, 0) == 0) {
		char *what = m[1].rm_so >= 0 ? xstrndup(l + m[1].rm_so, (size_t)(m[1].rm_eo - m[1].rm_so)) : xstrdup(l);
		char key[32];
		snprintf(key, sizeof key, "ms%d", ++u->nms);
		ev_item(u->r, key, what, "pass", l, "");
		free(what);
	}
	if (u->has_fail && regexec(&u->fail, l, 0, NULL, 0) == 0)
		u->failed_line = 1;
	if (u->out.len < CMD_KEEP_OUTPUT) {
		sb_add(&u->out, l, k);
		/* a piece of a cut line (PROC_LINE_MAX) is joined to the rest of its line again, so that
		 * a capture or a match sees the line, and a secret cut there stays whole (and masked) */
		if (len != PROC_LINE_MAX)
			sb_addc(&u->out, '\n');
	}
	free(l);
}

/* In sandbox mode a command line may not name an absolute path outside the sandbox. The shell
 * is opaque to us, so this is a conservative lexical check of every word that starts with '/'. */
static int guard_word(struct run *r, const char *w, int first)
{
	/* A system program may be run (the first word), never written to or named as an argument. */
	if (*w != '/' || strcmp(w, "/dev/null") == 0 || (first && (str_starts(w, "/bin/") || str_starts(w, "/usr/bin/"))))
		return 0;
	return run_guard_path(r, w);
}

static int guard_cmdline(struct run *r, const char *cmd)
{
	if (!guard_enabled())
		return 0;
	/* Split into shell words the simple way: quotes join ('a'/b is one word a/b), unquoted
	 * blanks and operators separate. Good enough for profile command lines. */
	struct strbuf w = STRBUF_INIT;
	char q = 0;
	int bad = 0, idx = 0;
	for (const char *p = cmd;; p++) {
		char c = *p;
		if (q) {
			if (c == q)
				q = 0;
			else if (c)
				sb_addc(&w, c);
			if (c)
				continue;
		}
		if (c == '\'' || c == '"') {
			q = c;
			continue;
		}
		if (!c || c == ' ' || c == '\t' || c == ';' || c == '|' || c == '&' || c == '>' || c == '<' || c == '=' ||
		    c == '(' || c == ')') {
			if (w.len && guard_word(r, sb_str(&w), idx == 0) < 0)
				bad = 1;
			if (w.len)
				idx++;
			if (c && c != ' ' && c != '\t' && c != '=')
				idx = 0;   /* an operator starts a new command */
			sb_reset(&w);
			if (!c)
				break;
			continue;
		}
		sb_addc(&w, c);
	}
	sb_free(&w);
	return bad ? -1 : 0;
}

/* What a command is called on its line: its title, or without one its command line, with the
 * loop's host or endpoint filled in ("move the leaders off ${TABLET_ENDPOINT}"); the raw text when
 * it cannot be. Caller frees. */
static char *cmd_title(struct run *r, const struct pcommand *c)
{
	const char *t = c->title ? c->title : c->run;
	char *x = run_expand(r, t, EXPAND_DISPLAY);
	return x ? x : xstrdup(t);
}

/* The plan's text: a value an earlier command captures is not known yet and stays ${NAME}. Caller frees. */
static char *plan_text(struct run *r, const char *t)
{
	char *x = vars_expand(r->vars, t, EXPAND_PLAN, NULL);
	return x ? x : xstrdup(t);
}

static int run_one(struct run *r, const struct pstep *s, const struct pcommand *c, int idx)
{
	char *cmd = run_expand(r, c->run, EXPAND_SHELL);
	if (!cmd)
		return STEP_FAILED;
	int ret = STEP_FAILED;
	char *shown = run_expand(r, c->run, EXPAND_DISPLAY), *title = cmd_title(r, c);
	char *host = NULL, *cause = NULL, *success_re = NULL, *fail_re = NULL, *detail = NULL;
	struct cmd_ud u = {.r = r, .out = STRBUF_INIT};
	char key[32];
	snprintf(key, sizeof key, "cmd%d", idx);
	if (c->confirm) {
		char *qid = xasprintf("%s.%d", s->id, idx);
		if (c->optional && r->answers && !answers_get(r->answers, qid)) {
			ev_item(r, key, title, "info", "optional, not run (no answer in the answers file)", "");
			free(qid);
			ret = STEP_OK;
			goto out;
		}
		static const struct ask_option yn[] = {{"yes", "Run it", 0}, {"no", "Do not run it", 0}};
		struct ask q = {.qid = qid, .kind = "choice", .prompt = title, .detail = shown, .options = yn, .noptions = 2, .def = "no"};
		char *a = run_ask(r, &q);
		free(qid);
		if (!a) {
			ret = STEP_ABORT;
			goto out;
		}
		int yes = strcmp(a, "yes") == 0;
		free(a);
		if (!yes) {
			ev_item(r, key, title, "info", "not run (the operator's choice)", "");
			ret = STEP_OK;
			goto out;
		}
	}
	if (guard_cmdline(r, cmd) < 0) {
		ev_item(r, key, title, "fail", "refused in sandbox mode: the command names a path outside the sandbox", "");
		goto out;
	}
	/* On another host: the command line goes to ssh as one word (core/remote.h). */
	const char *host_t = c->host ? c->host : s->host;
	if (host_t && !(host = run_expand(r, host_t, EXPAND_PLAIN)))
		goto out;
	char *wrapped = remote_wrap(host, cmd, c->pty, &cause);
	if (!wrapped) {
		ev_item(r, key, title, "fail", cause, "");
		goto out;
	}
	free(cmd);
	cmd = wrapped;
	success_re = c->success_match ? run_expand(r, c->success_match, EXPAND_PLAIN) : NULL;
	fail_re = c->fail_match ? run_expand(r, c->fail_match, EXPAND_PLAIN) : NULL;
	char *where = host && *host ? xasprintf("on %s: %s", host, shown) : xstrdup(shown);
	ev_item(r, key, title, "run", where, "");
	free(where);
	u.has_ms = c->milestone && regcomp(&u.ms, c->milestone, REG_EXTENDED) == 0;
	u.has_fail = fail_re && regcomp(&u.fail, fail_re, REG_EXTENDED) == 0;
	if (host && *host)
		ev_log(r, "cmd", "[%s] %s", host, shown);
	else
		ev_log(r, "cmd", "%s", shown);
	const char *argv[] = {"/bin/sh", "-c", cmd, NULL};
	struct proc_opts o = {.argv = argv, .cwd = r->sandbox ? guard_root() : NULL, .stdin_fd = -1, .use_pty = c->pty};
	int exit_code = -1;
	uint64_t t0 = mono_ms();
	int tmo = c->timeout_s > 0 ? c->timeout_s * 1000 : -1;
	int rc = c->pty ? interactive_run(r, s, c, idx, &o, tmo, on_line, &u, &exit_code, &cause)
			: proc_run(&o, tmo, on_line, &u, &exit_code, &cause);
	ev_output_end(r);
	double secs = (double)(mono_ms() - t0) / 1000.0;
	/* Vendor tools that exit 0 on failure: success is also read from the output. */
	int missing = 0;
	if (rc == 0 && success_re) {
		regex_t re;
		if (regcomp(&re, success_re, REG_EXTENDED | REG_NOSUB | REG_NEWLINE) == 0) {
			missing = regexec(&re, sb_str(&u.out), 0, NULL, 0) != 0;
			regfree(&re);
		} else
			missing = 1;
	}
	if (rc == 0 && c->capture && !missing && !u.failed_line && exit_code == c->expect_exit) {
		char *cre = run_expand(r, c->capture_match, EXPAND_PLAIN);
		regex_t re;
		regmatch_t m[2];
		if (cre && regcomp(&re, cre, REG_EXTENDED | REG_NEWLINE) == 0) {
			if (regexec(&re, sb_str(&u.out), 2, m, 0) == 0) {
				int g = m[1].rm_so >= 0 ? 1 : 0;
				char *v = xstrndup(sb_str(&u.out) + m[g].rm_so, (size_t)(m[g].rm_eo - m[g].rm_so));
				vars_set(r->vars, c->capture, v, 0);
				ev_log(r, "info", "%s = %s", c->capture, v);
				run_journal(r, "var_set", "\"name\":\"%s\"", c->capture);
				free(v);
			} else
				missing = 2;
			regfree(&re);
		} else
			missing = 2;
		free(cre);
	}
	int ok = rc == 0 && exit_code == c->expect_exit && !u.failed_line && !missing;
	const char *scope = vars_get(r->vars, FOREACH_SCOPE_VAR);
	if (scope && *scope) {   /* inside a loop: the iteration is part of the record (resume, retry) */
		json_t *js = json_string(scope);
		char *q = json_dumps(js, JSON_ENCODE_ANY);
		json_decref(js);
		run_journal(r, "command", "\"index\":%d,\"exit\":%d,\"ok\":%s,\"iter\":%s", idx, exit_code,
			    ok ? "true" : "false", q);
		free(q);
	} else
		run_journal(r, "command", "\"index\":%d,\"exit\":%d,\"ok\":%s", idx, exit_code, ok ? "true" : "false");
	detail = rc < 0 ? xasprintf("%s", cause ? cause : "could not run")
			: xasprintf("exit %d in %.1f s%s%s%s", exit_code, secs,
				    u.failed_line ? ", failure reported in the output" : "",
				    missing == 1 ? ", the expected success message is missing from the output" : "",
				    missing == 2 ? ", the value to capture is missing from the output" : "");
	ev_item(r, key, title, ok ? "pass" : "fail", detail, ok ? "" : "Read its output in the log above (all of it: F3, or run.log in the run folder).");
	if (ok)
		sv_push_owned(&r->done_notes, host && *host ? xasprintf("ran on %s: %s (%s)", host, shown, detail)
							   : xasprintf("ran: %s (%s)", shown, detail));
	ret = ok ? STEP_OK : STEP_FAILED;
out:
	free(detail), free(cause), free(cmd), free(shown), free(title), free(host), free(success_re), free(fail_re);
	sb_free(&u.out);
	if (u.has_ms)
		regfree(&u.ms);
	if (u.has_fail)
		regfree(&u.fail);
	return ret;
}

int act_command(struct run *r, const struct pstep *s)
{
	struct strbuf plan = STRBUF_INIT;
	for (size_t i = 0; i < s->ncommands; i++) {
		char *shown = plan_text(r, s->commands[i].run);
		char *title = s->commands[i].title ? plan_text(r, s->commands[i].title) : NULL;
		sb_addf(&plan, "%zu. %s%s\n   $ %s\n", i + 1, title ? title : "", s->commands[i].confirm ? " (asks first)" : "",
			shown);
		free(title);
		free(shown);
	}
	ev_body(r, sb_str(&plan));
	sb_free(&plan);
	struct ask q = {.qid = s->id, .kind = "next", .prompt = "Run these commands now?", .def = "yes"};
	char *a = run_ask(r, &q);
	if (!a)
		return STEP_ABORT;
	free(a);
	for (size_t i = 0; i < s->ncommands; i++) {
		const struct pcommand *c = &s->commands[i];
		if (c->when) {
			int w = cond_eval(r->vars, c->when, NULL, NULL);
			if (w <= 0)
				continue;
		}
		if (foreach_cmd_done(r, s->id, (int)i + 1)) {
			char key[32];
			snprintf(key, sizeof key, "cmd%zu", i + 1);
			char *title = cmd_title(r, c);
			ev_item(r, key, title, "pass", "done before in this iteration (journal)", "");
			free(title);
			continue;
		}
		int rc = run_one(r, s, c, (int)i + 1);
		if (rc != STEP_OK)
			return rc;
	}
	return STEP_OK;
}
