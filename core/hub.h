/*
 * hub.h: the engine's side of the socket (docs/PROTOCOL.md).
 *
 * One thread owns the listening socket and every client connection; the worker thread (which
 * runs the steps) only appends events and waits for answers. Each client has its own output
 * buffer flushed by the hub thread, so a front end on a slow SSH link never slows the upgrade:
 * the worker never blocks on a socket. A client that falls 32 MiB behind is dropped (it can
 * re-attach and gets the state again). Every event is also appended to RUN_DIR/events.jsonl.
 *
 * The state a late client needs is replayed from memory: all non-log events in order, and the
 * last HUB_LOG_BACKLOG log lines.
 */
#ifndef UPWIZ_HUB_H
#define UPWIZ_HUB_H

#include "core/run.h"

#define HUB_LOG_BACKLOG 5000

/* Starts listening on sock_path (0600). NULL + cause. */
struct hub *hub_start(struct run *r, const char *sock_path, const char *events_path, const char *log_path, char **cause);
/* Emits one event (a JSON object already redacted) to clients, the backlog and the events file.
 * is_log: 0 an event kept for late clients (step, question, result); 1 a transient one (log line,
 * progress) that only the log ring keeps; 2 a transient one frequent enough (a statement per 0.2
 * ms) to be buffered on its way to the file instead of written at once (hub.c, the top). */
void hub_emit(struct hub *h, const char *line, int is_log);
/* A line of child output (sanitised: valid UTF-8, no control characters, no '\n'), step NULL when
 * none: joins the pending batch, which becomes one `log` event per line (redacted) in the files
 * and for the clients that keep up (see hub.c). Cheap: no system call but a wake-up per batch. */
void hub_output(struct hub *h, const char *step, const char *line, size_t len);
/* Remembers the current state of step i (for the hello of a late client). */
void hub_set_step_state(struct hub *h, size_t i, const char *state);
/* The state last set for step i ("pending" when none); borrowed, valid until the next set. */
const char *hub_step_state(struct hub *h, size_t i);
/* Opens the question qid: from now on an answer to it is kept. Called before the question is
 * sent, so a front end that answers at once (stdin piped into --plain) is never too early. */
void hub_open_question(struct hub *h, const char *qid);
/* Waits for an answer to qid (opened by hub_open_question, or opened here when it was not).
 * Returns it (caller frees) or NULL when aborted. */
char *hub_wait_answer(struct hub *h, const char *qid);
/* A question left with no front end attached for this long ends the run, as an operator's abort
 * would (seconds; 0, the default: never). For sandboxes: a trainee's closed terminal must not
 * leave a world (mariadbd, HTTP stand-ins, files) running for days. Never set on a real run. */
void hub_set_alone_max(struct hub *h, int seconds);
/* Number of attached clients. */
int hub_clients(struct hub *h);
/* Waits until no client is attached, or timeout_ms passes (-1 forever). */
void hub_wait_idle(struct hub *h, int timeout_ms);
void hub_stop(struct hub *h);
/* SIGTERM / SIGINT to the engine: the first one aborts the run at the next safe point (the
 * step in progress ends the way an operator's abort ends it, the summary is written, a sandbox
 * world is torn down); a second one kills at once (default action). Logged when caught. */
void hub_catch_signals(struct hub *h);
/* Appends an event line to RUN_DIR/events.jsonl only (effects: clients do not need them);
 * frequent: buffered as hub_emit's 2. */
void hub_record(struct hub *h, const char *line, int frequent);
/* Appends a plain line to the run's log file (already redacted); frequent as hub_record. */
void hub_log_file(struct hub *h, const char *line, int frequent);

#endif
