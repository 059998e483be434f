/*
 * cmd_replay.c: `upwiz replay FILE-or-RUN-ID`.
 *
 *   replay [--speed X] [--idle-limit S] [--screen N] FILE.cast | RUN-ID
 *        the full-screen player (tui/player.c) on a recording; for a run, every screen it
 *        recorded (a UI that came back after the link dropped) joined in order, or screen N
 *   replay --plain RUN-ID | events.jsonl
 *        the event stream as text for a ticket: steps, questions and answers, commands, SQL,
 *        output, warnings and errors, effects, the outcome, each with its time
 *   replay --print [--at SECONDS] FILE.cast | RUN-ID
 *        the screen text at a time (default: the end) rebuilt by the virtual terminal; for
 *        tests and for pasting into a ticket
 *
 * A RUN-ID may be a unique prefix or "last". Text from the files never reaches the terminal with
 * control characters (a recording's own escapes are interpreted by core/vt.c, not passed on).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "core/cast.h"
#include "core/engine.h"
#include "core/sessions.h"
#include "core/util.h"
#ifdef UPWIZ_HAVE_TUI
#include "tui/player.h"
#endif

static void put_clean(FILE *out, const char *s)
{
	for (; s && *s; s++)
		fputc((unsigned char)*s < 0x20 && *s != '\n' ? ' ' : *s == 0x7f ? ' ' : *s, out);
}

/* Multi-line text indented under its heading. */
static void put_block(FILE *out, const char *indent, const char *s)
{
	fputs(indent, out);
	for (; s && *s; s++) {
		if (*s == '\n') {
			fputc('\n', out);
			if (s[1])
				fputs(indent, out);
		} else
			fputc((unsigned char)*s < 0x20 || *s == 0x7f ? ' ' : *s, out);
	}
	fputc('\n', out);
}

static const char *str(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

static void stamp(FILE *out, double ts, double t0)
{
	if (ts <= 0) {
		fputs("                 ", out);
		return;
	}
	time_t t = (time_t)ts;
	struct tm tm;
	char b[16];
	localtime_r(&t, &tm);
	strftime(b, sizeof b, "%H:%M:%S", &tm);
	long rel = t0 > 0 ? (long)(ts - t0) : 0;
	if (rel < 0)
		rel = 0;
	fprintf(out, "%s +%ld:%02ld:%02ld ", b, rel / 3600, rel / 60 % 60, rel % 60);
}

static void plain_event(FILE *out, json_t *o, double *t0, double *last_ts)
{
	const char *t = str(o, "t");
	double ts = json_number_value(json_object_get(o, "ts"));
	if (ts > 0)
		*last_ts = ts;
	else
		ts = *last_ts;
	if (!strcmp(t, "hello")) {
		*t0 = json_number_value(json_object_get(o, "started"));
		if (*t0 <= 0)
			*t0 = ts;
		char *when = iso_time(*t0);
		fprintf(out, "Run %s: ", str(o, "run"));
		put_clean(out, str(o, "title"));
		fprintf(out, " (%s, %s -> %s)%s\n", str(o, "profile"), str(o, "from"), str(o, "to"),
			json_is_true(json_object_get(o, "sandbox")) ? " [sandbox]" : "");
		if (*str(o, "target")) {
			fputs("Target: ", out);
			put_clean(out, str(o, "target"));
			fputc('\n', out);
		}
		fprintf(out, "Started: %s   upwiz %s\nSteps:", when, str(o, "version"));
		free(when);
		json_t *steps = json_object_get(o, "steps"), *s;
		size_t i;
		json_array_foreach(steps, i, s) {
			fprintf(out, "\n  %zu. %s: ", i + 1, str(s, "id"));
			put_clean(out, str(s, "title"));
		}
		fputs("\n\n", out);
		return;
	}
	if (!strcmp(t, "target")) {
		stamp(out, ts, *t0);
		fputs("Target: ", out);
		put_clean(out, str(o, "target"));
		fputc('\n', out);
	} else if (!strcmp(t, "step")) {
		const char *state = str(o, "state");
		if (!strcmp(state, "waiting") || !strcmp(state, "pending"))
			return;
		stamp(out, ts, *t0);
		fprintf(out, "%s step %s: %s", !strcmp(state, "running") ? "==>" : "<==", str(o, "id"), state);
		if (*str(o, "note")) {
			fputs(" (", out);
			put_clean(out, str(o, "note"));
			fputc(')', out);
		}
		fputc('\n', out);
	} else if (!strcmp(t, "ask")) {
		stamp(out, ts, *t0);
		fprintf(out, "  ? [%s] ", str(o, "qid"));
		put_clean(out, str(o, "prompt"));
		json_t *opts = json_object_get(o, "options"), *op;
		size_t i;
		if (json_array_size(opts)) {
			fputs("  {", out);
			json_array_foreach(opts, i, op) {
				fprintf(out, "%s%s=", i ? ", " : "", str(op, "key"));
				put_clean(out, str(op, "label"));
				if (json_is_true(json_object_get(op, "danger")))
					fputs(" (dangerous)", out);
			}
			fputc('}', out);
		}
		if (*str(o, "expect")) {
			fputs("  type: ", out);
			put_clean(out, str(o, "expect"));
		}
		fputc('\n', out);
	} else if (!strcmp(t, "answered")) {
		stamp(out, ts, *t0);
		fprintf(out, "  > [%s] = ", str(o, "qid"));
		put_clean(out, str(o, "value"));
		fprintf(out, "   (by %s)\n", str(o, "by"));
	} else if (!strcmp(t, "log")) {
		const char *lv = str(o, "level");
		const char *tag = !strcmp(lv, "cmd") ? "  $ " : !strcmp(lv, "sql") ? "  SQL " : !strcmp(lv, "out") ? "  | "
			: !strcmp(lv, "error") ? "  ERROR " : !strcmp(lv, "warn") ? "  WARN " : "  ";
		stamp(out, ts, *t0);
		fputs(tag, out);
		put_clean(out, str(o, "text"));
		fputc('\n', out);
	} else if (!strcmp(t, "effect")) {
		stamp(out, ts, *t0);
		fprintf(out, "  * %s:", str(o, "type"));
		const char *k;
		json_t *v;
		json_object_foreach(o, k, v) {
			if (!strcmp(k, "t") || !strcmp(k, "ts") || !strcmp(k, "type") || !strcmp(k, "step"))
				continue;
			char *s = json_is_string(v) ? xstrdup(json_string_value(v)) : json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
			fprintf(out, " %s=", k);
			put_clean(out, s ? s : "?");
			free(s);
		}
		fputc('\n', out);
	} else if (!strcmp(t, "finished")) {
		stamp(out, ts, *t0);
		fprintf(out, "=== finished: %s (exit %d)\n", str(o, "outcome"),
			(int)json_integer_value(json_object_get(o, "exit")));
		if (*str(o, "summary"))
			put_block(out, "    ", str(o, "summary"));
	}
	/* item (its final status is also a log line), body, progress: the screen's business. */
}

static int replay_plain(const char *path, FILE *out)
{
	FILE *f = fopen(path, "re");
	if (!f) {
		fprintf(stderr, "upwiz: %s: cannot open\n", path);
		return EXIT_FAILED;
	}
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	double t0 = 0, last = 0;
	while ((n = getline(&line, &cap, f)) > 0) {
		json_t *o = json_loadb(line, (size_t)n, 0, NULL);
		if (json_is_object(o))
			plain_event(out, o, &t0, &last);
		json_decref(o);
	}
	free(line);
	fclose(f);
	return 0;
}

/* The file(s) to read for arg: a file itself; for a run, its events.jsonl (want_events), its
 * screen N recording, or (screen 0) every recording in order, to be joined. 0, or -1 + cause. */
static int resolve(const char *arg, int want_events, int screen, struct strvec *paths, char **cause)
{
	if (path_exists(arg) && !is_dir(arg)) {
		sv_push(paths, arg);
		return 0;
	}
	char *state = state_dir();
	char *dir = is_dir(arg) ? xstrdup(arg) : session_dir(state, arg, cause);
	free(state);
	if (!dir)
		return -1;
	if (want_events)
		sv_push_owned(paths, xasprintf("%s/events.jsonl", dir));
	else {
		struct strvec casts = STRVEC_INIT;
		session_casts(dir, &casts);
		if (casts.n == 0)
			set_cause(cause, "run %s has no screen recording (it ran with the plain front end only)", path_basename(dir));
		else if (screen > (int)casts.n)
			set_cause(cause, "run %s has %zu recordings; there is no screen %d", path_basename(dir), casts.n, screen);
		for (size_t i = 0; i < casts.n && screen <= (int)casts.n; i++)
			if (screen == 0 || (int)i + 1 == screen)
				sv_push(paths, casts.v[i]);
		sv_free(&casts);
	}
	free(dir);
	for (size_t i = 0; i < paths->n; i++)
		if (!path_exists(paths->v[i])) {
			set_cause(cause, "%s does not exist", paths->v[i]);
			sv_free(paths);
			return -1;
		}
	return paths->n ? 0 : -1;
}

int cmd_replay(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"plain", no_argument, NULL, 'p'},   {"print", no_argument, NULL, 'P'},
		{"at", required_argument, NULL, 'a'}, {"speed", required_argument, NULL, 's'},
		{"idle-limit", required_argument, NULL, 'i'}, {"screen", required_argument, NULL, 'n'},
		{NULL, 0, NULL, 0}};
	int plain = 0, print = 0, screen = 0, c;   /* screen 0: every recording, joined */
	double at = -1, speed = 1, idle = 2;
	optind = 1;
	while ((c = getopt_long(argc, argv, "s:i:", longopts, NULL)) != -1) {
		switch (c) {
		case 'p': plain = 1; break;
		case 'P': print = 1; break;
		case 'a': at = atof(optarg); break;
		case 's': speed = atof(optarg); break;
		case 'i': idle = atof(optarg); break;
		case 'n': screen = atoi(optarg); break;
		default: return EXIT_USAGE;
		}
	}
	if (optind != argc - 1 || speed <= 0 || screen < 0) {
		fprintf(stderr, "usage: upwiz replay [--plain | --print [--at S]] [-s SPEED] [-i IDLE] [--screen N] FILE|RUN-ID\n");
		return EXIT_USAGE;
	}
	const char *arg = argv[optind];
	char *cause = NULL;
	struct strvec paths = STRVEC_INIT;
	if (resolve(arg, plain && !str_ends(arg, ".jsonl") ? 1 : 0, screen, &paths, &cause) < 0) {
		fprintf(stderr, "upwiz: %s\n", cause ? cause : "nothing to replay");
		free(cause);
		sv_free(&paths);
		return EXIT_FAILED;
	}
	int rc;
	if (plain) {
		rc = replay_plain(paths.v[0], stdout);
		sv_free(&paths);
		return rc;
	}
	struct cast *ca = cast_load_joined((const char *const *)paths.v, paths.n, print ? 0 : idle, &cause);
	if (!ca) {
		fprintf(stderr, "upwiz: %s\n", cause);
		free(cause);
		sv_free(&paths);
		return EXIT_FAILED;
	}
	if (print) {
		struct vt t;
		vt_init(&t, ca->w, ca->h);
		cast_render(ca, at < 0 ? ca->nev : cast_index_at(ca, at), &t);
		char *txt = vt_screen_text(&t);
		puts(txt);
		free(txt);
		vt_free(&t);
		rc = 0;
	} else {
#ifdef UPWIZ_HAVE_TUI
		if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
			fprintf(stderr, "upwiz: the player needs a terminal (use --plain or --print)\n");
			rc = EXIT_USAGE;
		} else {
			char *name = paths.n > 1 ? xasprintf("%s + %zu more", path_basename(paths.v[0]), paths.n - 1)
						 : xstrdup(path_basename(paths.v[0]));
			rc = player_run(ca, name, speed);
			free(name);
		}
#else
		fprintf(stderr, "upwiz: built without the full-screen UI (use --plain or --print)\n");
		rc = EXIT_USAGE;
#endif
	}
	cast_free(ca);
	sv_free(&paths);
	return rc;
}
