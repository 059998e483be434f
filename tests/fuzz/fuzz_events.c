/*
 * fuzz_events.c: libFuzzer harness for the event-stream reader every front end uses: the
 * JSON-lines splitter of core/client (partial lines carried across reads, over-long lines
 * dropped) and core/view, which applies each line to a client's picture of the run.
 *
 * The first input byte picks a chunk size (1..64): the rest is written into a socketpair in
 * chunks of that size with client_pump() after each, so lines arrive split at every place a
 * real socket could split them. The view keeps a small log ring (5 lines) so the ring wraps.
 * Afterwards the view must be self-consistent: every steps[current] exists, the ring holds at
 * most its capacity and every slot in it is readable, an open question's options are there.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/client.h"
#include "core/util.h"
#include "core/view.h"

#define CHECK(c) do { if (!(c)) { fprintf(stderr, "check failed: %s (line %d)\n", #c, __LINE__); abort(); } } while (0)

static void check_view(const struct view *v)
{
	CHECK(v->nsteps <= VIEW_MAX_STEPS);
	CHECK(v->current >= -1 && (v->current < 0 || (size_t)v->current < v->nsteps));
	CHECK(v->log_len <= v->log_cap);
	CHECK(v->log_total >= v->log_len);
	CHECK(v->log_marks <= v->log_total);
	CHECK(view_log_count(v) >= v->log_total - v->log_marks);
	for (size_t i = 0; i < v->log_len; i++) {
		const struct view_log_line *l = view_log_at(v, i);
		CHECK(l && l->text);
		CHECK(strlen(l->text) <= VIEW_LOG_TEXT_MAX + 8);
	}
	CHECK(view_log_at(v, v->log_len) == NULL);
	for (size_t i = 0; i < v->nsteps; i++) {
		const struct view_step *s = &v->steps[i];
		CHECK(s->id != NULL);
		CHECK(s->nitems <= VIEW_MAX_ITEMS);
		CHECK(step_state_name(s->state) != NULL);
	}
	if (v->ask) {
		CHECK(v->ask->noptions <= VIEW_MAX_OPTIONS);
		for (size_t i = 0; i < v->ask->noptions; i++)
			CHECK(v->ask->options[i].key != NULL);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	size_t chunk = 1 + data[0] % 64;
	data++;
	size--;
	int sv[2];
	CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
	struct client *c = client_from_fd(sv[0]);
	struct view v;
	view_init(&v, 5);
	int r = 1;
	for (size_t off = 0; off < size && r > 0; off += chunk) {
		size_t n = size - off < chunk ? size - off : chunk;
		CHECK(write(sv[1], data + off, n) == (ssize_t)n);
		r = client_pump(c, &v);
		CHECK(r == 1);
		check_view(&v);
	}
	close(sv[1]);
	while ((r = client_pump(c, &v)) > 0)
		;
	CHECK(r == 0);
	check_view(&v);
	view_free(&v);
	client_free(c);
	return 0;
}
