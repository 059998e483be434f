/*
 * bench_replay_seek.c: how long a jump to a step marker takes in a one-hour recording.
 *
 * Generates a recording like a busy upwiz session (bench_replay_seek [SECONDS] [OUT.cast]):
 * 120x40, a frame every 100 ms for an hour (36,000 frames: cursor moves, SGR colours, text with
 * wide characters, a scrolling log region, a full repaint every 30 s), a resize every 10
 * minutes, and a step marker every 20 s (180 markers). Loads it with cast_load() (index built
 * once), then jumps to every marker with cast_render() and prints the time of each jump, the
 * median and the maximum. The goal (issue 5) is every jump under 100 ms; exit 1 when missed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/cast.h"
#include "core/util.h"

static double ms_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	double seconds = argc > 1 ? atof(argv[1]) : 3600;
	char tmpl[] = "/tmp/upwiz-bench-seek.XXXXXX";
	const char *path = argc > 2 ? argv[2] : NULL;
	char *own = NULL;
	if (!path) {
		if (!mkdtemp(tmpl))
			return 2;
		own = xasprintf("%s/bench.cast", tmpl);
		path = own;
	}
	FILE *f = fopen(path, "w");
	if (!f)
		return 2;
	int w = 120, h = 40;
	fprintf(f, "{\"version\": 2, \"width\": %d, \"height\": %d, \"timestamp\": 1700000000, \"title\": \"bench\"}\n", w, h);
	srand(42);
	long frames = 0, marks = 0;
	for (double t = 0; t < seconds; t += 0.1, frames++) {
		long i = frames;
		if (i % 200 == 0)
			fprintf(f, "[%.3f, \"m\", \"step-%ld running\"]\n", t, marks++);
		if (i % 6000 == 3000)
			fprintf(f, "[%.3f, \"r\", \"%dx%d\"]\n", t, (i / 6000) % 2 ? 120 : 100, 40);
		fprintf(f, "[%.3f, \"o\", \"", t);
		if (i % 300 == 0) {
			/* a full repaint: every row */
			fputs("\\u001b[H\\u001b[2J", f);
			for (int y = 1; y <= h; y++)
				fprintf(f, "\\u001b[%d;1H\\u001b[0;3%d;4%dm row %d of frame %ld \\u2502 \\u4e2d\\u6587 %*s", y, y % 8,
					(y + 3) % 8, y, i, 60, "x");
		} else {
			/* the log region scrolls one line, a few cells change */
			fprintf(f, "\\u001b[20;38r\\u001b[38;1H\\n\\u001b[0;90m%08ld log line with some text \\u2714 done", i);
			fputs("\\u001b[1;40r", f);
			for (int k = 0; k < 6; k++)
				fprintf(f, "\\u001b[%d;%dH\\u001b[1;3%dm%c%d", rand() % 18 + 1, rand() % 100 + 1, k, 'a' + k,
					rand() % 1000);
			fprintf(f, "\\u001b[40;1H\\u001b[7m %5.1f s \\u001b[m", t);
		}
		fputs("\"]\n", f);
	}
	fclose(f);
	double t0 = ms_now();
	char *cause = NULL;
	struct cast *c = cast_load(path, 0, &cause);
	double load = ms_now() - t0;
	if (!c) {
		fprintf(stderr, "bench_replay_seek: %s\n", cause);
		return 2;
	}
	printf("recording: %.0f s, %ld frames, %zu markers, %.1f MiB of output, %zu index keys\n", c->duration, frames,
	       c->nmarks, (double)c->data_len / 1048576.0, c->nkeys);
	printf("load + index: %.0f ms (once, when the player opens the file)\n", load);
	struct vt v;
	vt_init(&v, 1, 1);
	double *jt = xcalloc(c->nmarks ? c->nmarks : 1, sizeof *jt);
	/* Jump in a scattered order (not just forward): each jump stands alone. */
	for (size_t k = 0; k < c->nmarks; k++) {
		size_t m = (k * 7919) % c->nmarks;
		double s = ms_now();
		cast_render(c, c->marks[m].ev + 1, &v);
		jt[m] = ms_now() - s;
	}
	for (size_t m = 0; m < c->nmarks; m++)
		printf("jump to marker %3zu (%-16s at %7.1f s): %6.2f ms\n", m, c->marks[m].label, c->marks[m].t, jt[m]);
	qsort(jt, c->nmarks, sizeof *jt, cmp_d);
	double med = c->nmarks ? jt[c->nmarks / 2] : 0, max = c->nmarks ? jt[c->nmarks - 1] : 0;
	printf("replay_seek: median %.2f ms, max %.2f ms over %zu markers (goal: < 100 ms) %s\n", med, max, c->nmarks,
	       max < 100 ? "OK" : "MISSED");
	free(jt);
	vt_free(&v);
	cast_free(c);
	if (own) {
		unlink(own);
		rmdir(tmpl);
		free(own);
	}
	return max < 100 ? 0 : 1;
}
