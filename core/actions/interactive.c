/*
 * interactive.c: see interactive.h. The loop polls the pty, pumps complete lines to the
 * caller's callback, and after each pump looks at the pending partial line: a prompt is text
 * the script printed without a newline and now waits on. A prompt answered is remembered until
 * the next newline, so the echo of the answer ("... (y/n) > y") is not taken for a new prompt.
 */
#include "core/actions/interactive.h"

#include <poll.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "core/answers.h"

struct ictx {
	struct run *r;
	const struct pstep *s;
	const struct pcommand *c;
	int idx;
	struct proc *p;
	regex_t *re;            /* one per prompt; NULL entries failed to compile */
	int *re_ok;
	int answered_partial;   /* a prompt on the current (unterminated) line was answered */
	int failed;             /* no answer could be found: stop */
	proc_line_fn fn;
	void *ud;
};

/* Text without ANSI colour sequences (vendor scripts colour their prompts). Caller frees. */
static char *strip_ansi(const char *s, size_t len)
{
	char *o = xmalloc(len + 1);
	size_t k = 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] == 0x1b && i + 1 < len && s[i + 1] == '[') {
			i += 2;
			while (i < len && !(s[i] >= '@' && s[i] <= '~'))
				i++;
			continue;
		}
		o[k++] = s[i];
	}
	o[k] = '\0';
	return o;
}

static int answer(struct ictx *x, size_t j, const char *text)
{
	const struct pprompt *pp = &x->c->prompts[j];
	struct run *r = x->r;
	char *qid = xasprintf("%s.cmd%d.p%zu", x->s->id, x->idx, j + 1);
	char *declared = pp->answer ? run_expand(r, pp->answer, EXPAND_PLAIN) : NULL;
	char *ans = NULL;
	const char *by = NULL;
	if (r->answers) {
		const char *a = answers_get(r->answers, qid);
		if (a) {
			ans = xstrdup(a);
			by = "answers file";
		} else if (declared) {
			ans = xstrdup(declared);
			by = "the profile's declared answer";
		}
	}
	if (!ans) {
		char *prompt = pp->prompt ? run_expand(r, pp->prompt, EXPAND_DISPLAY) : xstrdup(text);
		struct ask_option *opts = xcalloc(pp->options.n ? pp->options.n : 1, sizeof *opts);
		for (size_t k = 0; k < pp->options.n; k++)
			opts[k] = (struct ask_option){pp->options.v[k], pp->options.v[k], 0};
		char *detail = xasprintf("The command asks on its terminal:\n%s", text);
		struct ask q = {.qid = qid, .kind = pp->options.n ? "choice" : "text", .prompt = prompt ? prompt : text,
				.detail = detail, .def = declared, .options = opts, .noptions = pp->options.n};
		ans = run_ask(r, &q);
		free(prompt), free(opts), free(detail);
		by = "the operator";
	}
	int rc = 0;
	if (!ans) {
		x->failed = 1;
		rc = -1;
	} else {
		ev_log(r, "info", "answering \"%s\" (%s)", ans, by);
		run_journal(r, "pty_answer", "\"qid\":\"%s\"", qid);
		struct strbuf sb = STRBUF_INIT;
		sb_adds(&sb, ans);
		sb_addc(&sb, '\n');
		if (proc_write(x->p, sb.s, sb.len) < 0) {
			ev_log(r, "warn", "could not write the answer to the command's terminal");
		}
		sb_free(&sb);
	}
	free(ans), free(declared), free(qid);
	return rc;
}

/* Index of the first prompt whose pattern matches text, or -1. */
static int match_prompt(struct ictx *x, const char *text)
{
	for (size_t j = 0; j < x->c->nprompts; j++)
		if (x->re_ok[j] && regexec(&x->re[j], text, 0, NULL, 0) == 0)
			return (int)j;
	return -1;
}

static void on_line(void *ud, const char *line, size_t len)
{
	struct ictx *x = ud;
	if (x->fn)
		x->fn(x->ud, line, len);
	if (x->answered_partial) {   /* the line that carried an answered prompt (and its echo) */
		x->answered_partial = 0;
		return;
	}
	if (x->failed)
		return;
	char *t = strip_ansi(line, len);
	int j = match_prompt(x, t);
	if (j >= 0)
		answer(x, (size_t)j, t);
	free(t);
}

int interactive_run(struct run *r, const struct pstep *s, const struct pcommand *c, int idx,
		    const struct proc_opts *o, int timeout_ms, proc_line_fn fn, void *ud, int *exit_code,
		    char **cause)
{
	struct ictx x = {.r = r, .s = s, .c = c, .idx = idx, .fn = fn, .ud = ud};
	x.re = xcalloc(c->nprompts ? c->nprompts : 1, sizeof *x.re);
	x.re_ok = xcalloc(c->nprompts ? c->nprompts : 1, sizeof *x.re_ok);
	for (size_t j = 0; j < c->nprompts; j++) {
		char *pat = run_expand(r, c->prompts[j].match, EXPAND_PLAIN);
		x.re_ok[j] = pat && regcomp(&x.re[j], pat, REG_EXTENDED | REG_NOSUB) == 0;
		if (!x.re_ok[j])
			ev_log(r, "warn", "prompt pattern %zu does not compile: it will never match", j + 1);
		free(pat);
	}
	int rc = -1, ws = 0;
	x.p = proc_start(o, cause);
	if (!x.p)
		goto out;
	uint64_t t0 = mono_ms();
	for (;;) {
		struct pollfd pfd = {.fd = proc_fd(x.p), .events = POLLIN};
		int pr = poll(&pfd, 1, 200);
		int more = 1;
		if (pr > 0)
			more = proc_pump(x.p, on_line, &x);
		if (more <= 0)
			break;
		if (x.failed) {
			set_cause(cause, "a question of the command has no answer");
			proc_kill(x.p, 15);
			goto reap;
		}
		size_t plen = 0;
		const char *part = proc_partial(x.p, &plen);
		if (plen && !x.answered_partial) {
			char *t = strip_ansi(part, plen);
			int j = match_prompt(&x, t);
			if (j >= 0) {
				x.answered_partial = 1;
				answer(&x, (size_t)j, t);
			}
			free(t);
		}
		if (r->abort_requested) {
			set_cause(cause, "aborted by the operator");
			proc_kill(x.p, 15);
			goto reap;
		}
		if (timeout_ms >= 0 && mono_ms() - t0 > (uint64_t)timeout_ms) {
			set_cause(cause, "timed out after %d s", timeout_ms / 1000);
			proc_kill(x.p, 9);
			goto reap;
		}
	}
	if (proc_wait(x.p, 10000, on_line, &x, &ws) == 1) {
		*exit_code = proc_exit_code(ws);
		rc = x.failed ? -1 : 0;
		if (x.failed)
			set_cause(cause, "a question of the command has no answer");
	} else {
		set_cause(cause, "the command closed its terminal but did not exit");
		proc_kill(x.p, 9);
	}
	goto done;
reap:
	proc_wait(x.p, 5000, NULL, NULL, &ws);
done:
	proc_free(x.p);
out:
	for (size_t j = 0; j < c->nprompts; j++)
		if (x.re_ok[j])
			regfree(&x.re[j]);
	free(x.re), free(x.re_ok);
	return rc;
}
