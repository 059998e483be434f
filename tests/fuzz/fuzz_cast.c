/*
 * fuzz_cast.c: libFuzzer harness for what `upwiz replay` reads from a file someone sent in:
 * core/cast.c's loader and seek index, and core/vt.c on any bytes.
 *
 * The input is written to a temporary file and loaded (idle limit 2 s). When it loads, the
 * screen is rebuilt at every marker, at a few event counts and at the end, and each time the
 * virtual terminal must be consistent: size as the last resize said, cursor inside it, every
 * wide character followed by its right half, the text readable. Independently the raw input
 * is fed to a 7x3 terminal split in two at a byte the first input byte picks, with a resize in
 * between, and checked the same way.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/cast.h"
#include "core/util.h"
#include "core/vt.h"

#define CHECK(c) do { if (!(c)) { fprintf(stderr, "check failed: %s (line %d)\n", #c, __LINE__); abort(); } } while (0)

static void check_vt(const struct vt *t)
{
	CHECK(t->w >= 1 && t->h >= 1);
	CHECK(t->x >= 0 && t->x < t->w && t->y >= 0 && t->y < t->h);
	CHECK(t->top >= 0 && t->top <= t->bot && t->bot < t->h);
	for (int y = 0; y < t->h; y++)
		for (int x = 0; x < t->w; x++) {
			const struct vt_cell *c = &t->cells[(size_t)y * (size_t)t->w + (size_t)x];
			if (c->ch && c->width == 2)
				CHECK(x + 1 < t->w && t->cells[(size_t)y * (size_t)t->w + (size_t)x + 1].ch == 0);
		}
	char *s = vt_screen_text(t);
	CHECK(s != NULL);
	free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	struct vt t;
	vt_init(&t, 7, 3);
	size_t cut = data[0] % size;
	vt_feed(&t, (const char *)data, cut);
	check_vt(&t);
	vt_resize(&t, 3 + data[0] % 5, 2 + data[0] % 3);
	vt_feed(&t, (const char *)data + cut, size - cut);
	check_vt(&t);
	vt_free(&t);

	char path[] = "/tmp/upwiz-fuzz-cast.XXXXXX";
	int fd = mkstemp(path);
	CHECK(fd >= 0);
	CHECK(write(fd, data, size) == (ssize_t)size);
	close(fd);
	char *cause = NULL;
	struct cast *c = cast_load(path, 2, &cause);
	/* the same recording twice, joined as a run's screens are: the join's events keep time order */
	const char *two[] = {path, path};
	struct cast *j = c ? cast_load_joined(two, 2, 2, NULL) : NULL;
	unlink(path);
	if (j) {
		CHECK(j->nev == 2 * c->nev + 3 && j->nmarks == 2 * c->nmarks + 1);
		for (size_t e = 1; e < j->nev; e++)
			CHECK(j->ev[e].t >= j->ev[e - 1].t);
		cast_free(j);
	} else
		CHECK(c == NULL);
	if (!c) {
		CHECK(cause != NULL);
		free(cause);
		return 0;
	}
	CHECK(c->nkeys >= 1 && c->keys[0].ev == 0);
	struct vt r;
	vt_init(&r, 1, 1);
	for (size_t m = 0; m < c->nmarks; m++) {
		CHECK(c->marks[m].ev < c->nev && c->ev[c->marks[m].ev].type == 'm');
		cast_render(c, c->marks[m].ev + 1, &r);
		check_vt(&r);
	}
	for (size_t e = 0; e <= c->nev; e += 1 + c->nev / 4) {
		cast_render(c, e, &r);
		check_vt(&r);
		CHECK(cast_index_at(c, e < c->nev ? c->ev[e].t : c->duration + 1) >= (e < c->nev ? e + 1 : c->nev));
	}
	cast_render(c, c->nev, &r);
	check_vt(&r);
	vt_free(&r);
	cast_free(c);
	return 0;
}
