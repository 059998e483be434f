/*
 * cmd_sessions.c: `upwiz sessions`: the runs under the state folder, newest first, one line
 * each (run id, profile, target, start, duration, outcome, recordings), for support staff to
 * pick the run to replay or bundle.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/engine.h"
#include "core/sessions.h"
#include "core/util.h"

static void fmt_duration(double s, char *buf, size_t size)
{
	long t = (long)(s + 0.5);
	if (s <= 0)
		snprintf(buf, size, "-");
	else if (t < 60)
		snprintf(buf, size, "%lds", t);
	else if (t < 3600)
		snprintf(buf, size, "%ldm%02lds", t / 60, t % 60);
	else
		snprintf(buf, size, "%ldh%02ldm", t / 3600, t % 3600 / 60);
}

/* Text from a run's files goes to the operator's terminal: no control characters. */
static void clean_print(const char *s, int width)
{
	int n = 0;
	for (; s && *s; s++, n++)
		putchar((unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s);
	for (; n < width; n++)
		putchar(' ');
}

int cmd_sessions(int argc, char **argv)
{
	if (argc > 1) {
		fprintf(stderr, "upwiz: sessions takes no arguments\n(see upwiz --help)\n");
		return EXIT_USAGE;
	}
	char *state = state_dir(), *cause = NULL;
	struct session *s;
	size_t n;
	if (sessions_list(state, &s, &n, &cause) < 0) {
		fprintf(stderr, "upwiz: %s\n", cause);
		free(cause), free(state);
		return EXIT_FAILED;
	}
	if (n == 0) {
		printf("no runs under %s/runs\n", state);
		free(state);
		return 0;
	}
	printf("%-24s %-26s %-30s %-16s %8s  %-11s %s\n", "RUN", "PROFILE", "TARGET", "STARTED", "DURATION", "OUTCOME",
	       "SCREENS");
	for (size_t i = 0; i < n; i++) {
		char start[32] = "-", dur[32];
		if (s[i].started > 0) {
			time_t t = (time_t)s[i].started;
			struct tm tm;
			localtime_r(&t, &tm);
			strftime(start, sizeof start, "%Y-%m-%d %H:%M", &tm);
		}
		double end = s[i].ended > 0 ? s[i].ended : s[i].live ? wall_time() : 0;
		fmt_duration(end > 0 && s[i].started > 0 ? end - s[i].started : 0, dur, sizeof dur);
		clean_print(s[i].id, 24);
		putchar(' ');
		clean_print(s[i].profile ? s[i].profile : "?", 26);
		putchar(' ');
		clean_print(s[i].target ? s[i].target : "?", 30);
		printf(" %-16s %8s  ", start, dur);
		clean_print(s[i].outcome, 11);
		printf(" %d%s\n", s[i].ncasts, s[i].sandbox ? "  (sandbox)" : "");
	}
	sessions_free(s, n);
	free(state);
	return 0;
}
