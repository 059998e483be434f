/*
 * cast.h: screen recordings in asciicast v2 (../shared/research/anchors.md §3), written by each
 * full-screen UI and read back by the player and the tests.
 *
 * Writing: one JSON header line (version 2, width, height, timestamp, title, env with TERM and
 * SHELL only), then one event line per call: "o" (bytes sent to the terminal), "r" ("COLSxROWS")
 * and "m" (a step marker, "STEP-ID STATE"). Each line is written with one write(2) as it happens,
 * so a crash loses at most the frame being drawn. The file is created 0600. Data is written as
 * valid UTF-8 JSON: control bytes as \u00XX, an invalid byte as U+FFFD, and a UTF-8 sequence cut
 * at the end of a frame is carried into the next one. Keyboard input is never recorded.
 *
 * Reading: cast_load() parses the whole file once into an event table (times with idle gaps
 * compressed to at most `idle_limit` seconds, like asciinema's -i) over one buffer of decoded
 * output, and builds a seek index: a virtual-terminal snapshot (core/vt.h) every CAST_KEY_BYTES
 * of output and at every resize. cast_render() rebuilds the screen after any event from the
 * nearest snapshot before it, so its cost is bounded by CAST_KEY_BYTES of terminal output, not
 * by the length of the recording.
 *
 * Ownership: a writer or a loaded cast is owned by the caller (cast_close / cast_free).
 */
#ifndef UPWIZ_CAST_H
#define UPWIZ_CAST_H

#include <stddef.h>

#include "core/vt.h"

#define CAST_KEY_BYTES (128 * 1024)

struct cast_writer;

/* Creates `path` (0600, must not exist). NULL + cause. */
struct cast_writer *cast_create(const char *path, int w, int h, const char *title, char **cause);
void cast_output(struct cast_writer *cw, const char *buf, size_t n);
void cast_resize(struct cast_writer *cw, int w, int h);
void cast_marker(struct cast_writer *cw, const char *label);
void cast_close(struct cast_writer *cw);

/* Appends s (n bytes, any content) to sb as a JSON string (with quotes) that is valid UTF-8.
 * Returns how many trailing bytes were left out because they start an incomplete UTF-8
 * sequence (0 when `final`: then they are written as U+FFFD). */
struct strbuf;
size_t cast_json_string(struct strbuf *sb, const char *s, size_t n, int final);

struct cast_event {
	double t;                   /* seconds from the start, idle gaps compressed */
	char type;                  /* 'o', 'r', 'm' (others are skipped at load) */
	size_t off, len;            /* 'o': the bytes in cast->data; 'm': the label in cast->data */
	int w, h;                   /* 'r' */
};

struct cast_marker {
	size_t ev;                  /* index of the 'm' event */
	double t;
	char *label;
};

struct cast_key {
	size_t ev;                  /* the snapshot is the screen after events [0, ev) */
	struct vt vt;
};

struct cast {
	int w, h;                   /* from the header */
	long long timestamp;
	char *title;
	double duration;            /* time of the last event (compressed) */
	char *data;
	size_t data_len;
	struct cast_event *ev;
	size_t nev;
	struct cast_marker *marks;
	size_t nmarks;
	struct cast_key *keys;
	size_t nkeys;
};

/* Loads and indexes a recording. idle_limit <= 0: keep the real gaps. NULL + cause. A truncated
 * last line (a recording cut by a crash) is ignored. */
struct cast *cast_load(const char *path, double idle_limit, char **cause);
/* The recordings of one run (screen-1.cast, screen-2.cast, ...: a UI that came back after the
 * link dropped, or a watcher) as one, in that order: each one starts where the one before ended
 * (plus the idle gap between them, compressed as any other), at its own size, on a cleared
 * screen, with a marker "screen N attached". The header fields are the first one's. */
struct cast *cast_load_joined(const char *const *paths, size_t n, double idle_limit, char **cause);
void cast_free(struct cast *c);
/* The screen after events [0, ev): into `out` (initialised by the caller, resized as needed). */
void cast_render(const struct cast *c, size_t ev, struct vt *out);
/* The number of events with time <= t (so cast_render(c, cast_index_at(c, t)) is the screen at t). */
size_t cast_index_at(const struct cast *c, double t);
/* The marker in effect after events [0, ev) (the last one before), or -1. */
long cast_marker_before(const struct cast *c, size_t ev);

#endif
