/*
 * plain.h: the line-oriented front end (no TTY, TERM=dumb, scripts, CI).
 *
 * One readable, greppable line per event as it arrives; questions are asked on `in`. It holds
 * no state of the run beyond the view (core/view.h) and what it has already printed.
 */
#ifndef UPWIZ_PLAIN_H
#define UPWIZ_PLAIN_H

#include <stdio.h>

#include "core/client.h"
#include "core/view.h"

struct plain_opts {
	int readonly;     /* never answer (watching a run) */
	int unattended;   /* the engine answers from an answers file: never read stdin */
	FILE *out;        /* borrowed; NULL: stdout */
	FILE *in;         /* borrowed; NULL: no operator (questions are only shown) */
};

/*
 * Drives a run to its end: prints readable lines for every event as it arrives, asks the
 * operator on `in` for questions (when `in` is a terminal, secrets are read with echo off via
 * termios; the value is wiped from memory after sending), returns the run's exit code
 * (view.exit_code) once `finished` arrives, or 1 if the engine vanished first or `in` reached
 * end of file at a question (the run is then aborted: a `cmd abort` is sent).
 *
 * When `in` has a descriptor, it is read with read(2) directly (so events keep printing while
 * a question waits, and a question answered elsewhere stops waiting); anything already in
 * `in`'s stdio buffer is not seen. Without a descriptor (fmemopen) it is read with fgets.
 * At a choice-like question, ":abort" and ":back" send those commands instead of an answer.
 *
 * The client's tap is borrowed for the call (a tap set before is still called, after ours)
 * and restored before returning. c and v stay the caller's.
 */
int plain_run(struct client *c, struct view *v, const struct plain_opts *o);

#endif
