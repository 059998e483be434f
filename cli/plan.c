/*
 * plan.c: `upwiz plan PROFILE` prints every step, statement, file and command a run would
 * touch, with the variables it knows (defaults and --var); unknown ones stay as ${NAME} and
 * secrets print as ********. Nothing is executed and nothing is connected to.
 *
 * When a run of this profile on this target did not finish (or with --run RUN-ID), the plan is
 * that run's: each step says done / skipped / failed / interrupted, each SQL statement done,
 * already applied, already there, in flight (checked against the database first on resume) or
 * TODO, read from its journal (core/runstate.h).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/engine.h"
#include "core/profile.h"
#include "core/runstate.h"
#include "core/sqlsplit.h"
#include "core/vars.h"

static char *show(const struct vars *v, const char *t)
{
	if (!t)
		return xstrdup("");
	/* Expand what is known; keep ${NAME} for the rest so the plan still reads. */
	struct strbuf sb = STRBUF_INIT;
	for (const char *p = t; *p;) {
		if (p[0] == '$' && p[1] == '{') {
			const char *e = strchr(p, '}');
			if (e) {
				char *name = xstrndup(p + 2, (size_t)(e - p - 2));
				const char *val = vars_get(v, name);
				if (vars_is_secret(v, name))
					sb_adds(&sb, "********");
				else if (val && *val)
					sb_adds(&sb, val);
				else
					sb_add(&sb, p, (size_t)(e - p + 1));
				free(name);
				p = e + 1;
				continue;
			}
		}
		sb_addc(&sb, *p++);
	}
	return sb_detach(&sb);
}

/* Every variable the condition names has a value (else plan cannot tell whether the run takes it). */
static int when_known(const struct vars *v, const char *expr)
{
	struct strvec names = STRVEC_INIT;
	int ok = cond_eval(NULL, expr, &names, NULL) >= 0;
	for (size_t i = 0; ok && i < names.n; i++)
		ok = vars_get(v, names.v[i]) != NULL;
	sv_free(&names);
	return ok;
}

static void print_sql(const struct vars *v, const char *tmpl, const struct runstate *rs, size_t *ndone, size_t *ntodo)
{
	char *path = show(v, tmpl);
	if (rs && strstr(path, "${")) {   /* variables plan does not know: the run's own path for this file */
		const char *e = strrchr(path, '}');
		const char *f = e && e[1] ? runstate_file_ending(rs, e + 1) : NULL;
		if (f) {
			free(path);
			path = xstrdup(f);
		}
	}
	size_t len;
	char *buf = strstr(path, "${") ? NULL : read_file(path, &len, NULL);
	if (!buf) {
		printf("      %s (not readable now: its statements are listed when it is)\n", path);
		free(path);
		return;
	}
	struct sql_script sc = {0};
	char *cause = NULL;
	if (sqlsplit_parse(buf, len, &sc, &cause) < 0) {
		printf("      %s: %s\n", path, cause);
		free(cause);
	} else {
		printf("      %s: %zu statements\n", path, sc.n);
		for (size_t i = 0; i < sc.n; i++) {
			char line[100];
			size_t k = 0;
			for (const char *p = sc.v[i].text; *p && k < sizeof line - 1; p++)
				line[k++] = (*p == '\n' || *p == '\t') ? ' ' : *p;
			line[k] = '\0';
			if (rs) {
				const char *st = runstate_stmt(rs, path, i + 1);
				int done = st && strcmp(st, "in flight") != 0 && strcmp(st, "failed") != 0 && strcmp(st, "TODO") != 0;
				*ndone += done;
				*ntodo += !done;
				printf("        %-15s ", st ? st : "TODO");
			}
			printf("        %4zu  line %-5d %s%s\n", i + 1, sc.v[i].line, line, strlen(sc.v[i].text) >= sizeof line - 1 ? " …" : "");
		}
	}
	sql_script_free(&sc);
	free(buf);
	free(path);
}

int cmd_plan(int argc, char **argv)
{
	static const struct option longopts[] = {{"var", required_argument, NULL, 'v'}, {"run", required_argument, NULL, 'r'},
						 {NULL, 0, NULL, 0}};
	struct strvec sets = STRVEC_INIT;
	const char *run_opt = NULL;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (c == 'r' && !strchr(optarg, '/')) {
			run_opt = optarg;
			continue;
		}
		if (c != 'v' || !strchr(optarg, '=')) {
			sv_free(&sets);
			fprintf(stderr, "usage: upwiz plan PROFILE [--var NAME=VALUE]... [--run RUN-ID]\n");
			return 2;
		}
		sv_push(&sets, optarg);
	}
	if (optind >= argc) {
		fprintf(stderr, "usage: upwiz plan PROFILE [--var NAME=VALUE]... [--run RUN-ID]\n");
		sv_free(&sets);
		return 2;
	}
	char *cause = NULL;
	char *path = profile_resolve(argv[optind], &cause);
	struct profile *p = path ? profile_load(path, &cause) : NULL;
	if (!p) {
		fprintf(stderr, "%s\n", cause);
		free(cause), free(path);
		sv_free(&sets);
		return 2;
	}
	struct vars *v = vars_new(NULL);
	vars_set(v, "PROFILE_DIR", p->dir, 0);
	for (size_t i = 0; i < p->nvars; i++) {
		if (p->vars[i].secret) {
			vars_set(v, p->vars[i].name, "", 1);
			continue;
		}
		if (p->vars[i].def)
			vars_set(v, p->vars[i].name, p->vars[i].def, 0);
	}
	for (size_t i = 0; i < sets.n; i++) {
		char *name = xstrndup(sets.v[i], strcspn(sets.v[i], "="));
		const struct pvar *pv = profile_var(p, name);
		if (pv && pv->secret)
			fprintf(stderr, "upwiz: %s is a secret: ignored on the command line\n", name);
		else
			vars_set(v, name, strchr(sets.v[i], '=') + 1, 0);
		free(name);
	}
	printf("%s  (%s -> %s)\n", p->title, p->from, p->to);
	char *t = show(v, p->target);
	str_squeeze(t);   /* as the engine does: the same text, the same key */
	printf("target: %s\n\n", t);
	/* An interrupted run of this profile on this target (the one `upwiz run` would offer to resume). */
	struct runstate rsv, *rs = NULL;
	char *sd = state_dir();
	char sha[65];
	sha256_hex(t, strlen(t), sha);
	int lr = runstate_load(sd, p->id, run_opt, run_opt ? NULL : sha, &rsv, &cause);
	if (lr == 0)
		rs = &rsv;
	else if (lr < 0) {
		fprintf(stderr, "upwiz: %s\n", cause);
		free(cause), free(sd), free(t);
		vars_free(v), profile_free(p), free(path), sv_free(&sets);
		return 2;
	} else if (!run_opt && runstate_load(sd, p->id, NULL, NULL, &rsv, NULL) == 0) {
		printf("(An unfinished run %s of this profile exists on another target, %s:\n"
		       " upwiz plan %s --run %s shows where it stopped.)\n\n", rsv.run_id, rsv.target, argv[optind], rsv.run_id);
		runstate_free(&rsv);
	}
	free(sd);
	free(t);
	if (rs) {
		/* The run's choices set variables (CLEAR_TABLES): replay them, so its SQL files are the plan's. */
		for (size_t i = 0; i < p->nsteps; i++) {
			const struct pstep *s = &p->steps[i];
			const char *a = s->kind == SK_CHOICE ? runstate_answer(rs, s->id) : NULL;
			for (size_t j = 0; a && j < s->noptions; j++)
				if (strcmp(s->options[j].key, a) == 0)
					for (size_t m = 0; m < s->options[j].set.n; m++) {
						const char *kv = s->options[j].set.v[m];
						char *name = xstrndup(kv, strcspn(kv, "="));
						vars_set(v, name, strchr(kv, '=') + 1, 0);
						free(name);
					}
		}
		char *when = iso_time(rs->started);
		printf("Interrupted run %s (started %s, %s) on %s.\n", rs->run_id, when,
		       rs->outcome ? rs->outcome : "killed: it recorded no end", rs->target);
		printf("`upwiz run` on this target offers to resume it; below, each step and statement says what is done.\n\n");
		free(when);
	}
	size_t ndone = 0, ntodo = 0;
	for (size_t i = 0; i < p->nsteps; i++) {
		const struct pstep *s = &p->steps[i];
		const char *sst = rs ? runstate_step(rs, s->id) : NULL;
		printf("%2zu. %s  [%s]%s%s%s%s%s%s\n", i + 1, s->id, step_kind_name(s->kind), s->destructive ? "  DESTRUCTIVE (needs a verified backup)" : "",
		       s->when ? "  when " : "", s->when ? s->when : "", rs ? "  -- " : "", rs ? (sst ? sst : "to do") : "",
		       sst && strcmp(sst, "done") == 0 ? " (skipped on resume)" : "");
		printf("    %s\n", s->title);
		for (size_t k = 0; k < s->items.n; k++)
			printf("    - %s\n", s->items.v[k]);
		for (size_t k = 0; k < s->nchecks; k++) {
			const struct pcheck *ck = &s->checks[k];
			const char *what = ck->command ? ck->command : ck->query ? ck->query : ck->ports ? ck->ports : ck->url ? ck->url
			                 : ck->value ? ck->value : ck->input ? ck->input : ck->path;
			char *w = show(v, what);
			printf("    check: %s: %s%s", ck->name,
			       ck->ports ? "ports free: " : ck->url ? "GET/POST " : ck->input ? "the operator enters: " : "", w);
			if (ck->within)
				printf(" (within %s of %s)", ck->within, ck->of);
			printf("\n");
			free(w);
		}
		for (size_t k = 0; k < s->noptions; k++)
			printf("    option %s: %s%s\n", s->options[k].key, s->options[k].label, s->options[k].danger ? "  [DANGER: typed confirmation]" : "");
		if (s->kind == SK_BACKUP) {
			if (s->db_conn)
				printf("    dump database (connection %s) with mariadb-dump --single-transaction\n", s->db_conn);
			for (size_t k = 0; k < s->folders.n; k++) {
				char *f = show(v, s->folders.v[k]);
				printf("    tar.gz of %s\n", f);
				free(f);
			}
		}
		for (size_t k = 0; k < s->nfiles; k++) {
			if (rs && s->files[k].when && when_known(v, s->files[k].when) && cond_eval(v, s->files[k].when, NULL, NULL) == 0) {
				printf("    not in this run (when %s)\n", s->files[k].when);
				continue;
			}
			if (s->files[k].when)
				printf("    when %s:\n", s->files[k].when);
			print_sql(v, s->files[k].path, rs, &ndone, &ntodo);
		}
		if (s->kind == SK_COPY) {
			char *src = show(v, s->source), *url = show(v, s->url);
			printf("    source: %s%s%s\n", src, *url ? " or download " : "", url);
			for (size_t k = 0; k < s->dests.n; k++) {
				char *d = show(v, s->dests.v[k]);
				printf("    copy into %s%s%s\n", d, s->move_aside ? " (moving aside " : "", s->move_aside ? s->move_aside : "");
				if (s->move_aside)
					printf(")\n");
				free(d);
			}
			free(src), free(url);
		}
		for (size_t k = 0; k < s->npfiles; k++) {
			char *f = show(v, s->pfiles[k].path);
			printf("    edit %s: %zu keys from the database tokens\n", f, s->pfiles[k].keys.n);
			free(f);
		}
		for (size_t k = 0; k < s->ncommands; k++) {
			char *r = show(v, s->commands[k].run);
			printf("    $ %s%s\n", r, s->commands[k].confirm ? "   (asks first)" : "");
			free(r);
		}
		printf("\n");
	}
	if (rs) {
		printf("SQL statements: %zu done, %zu remain (an in-flight one is checked against the database first).\n", ndone, ntodo);
		runstate_free(rs);
	}
	vars_free(v);
	profile_free(p);
	free(path);
	sv_free(&sets);
	return 0;
}
