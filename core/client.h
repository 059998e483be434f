/*
 * client.h: a front end's end of the engine's socket (docs/PROTOCOL.md).
 *
 * Non-blocking: the caller polls client_fd() in its own loop (the TUI's poll loop, the plain
 * front end's) and calls client_pump() when it is readable. Every received line is applied to
 * the view and, when set, handed to the tap (the recorder writes the event stream from it).
 */
#ifndef UPWIZ_CLIENT_H
#define UPWIZ_CLIENT_H

#include "core/view.h"

struct client;
typedef void (*client_tap_fn)(void *ud, const char *line, size_t len);

/* Connects to the engine socket at `path`. NULL + cause on failure. Caller frees (client_free). */
struct client *client_connect(const char *path, char **cause);
int client_fd(const struct client *c);
void client_set_tap(struct client *c, client_tap_fn fn, void *ud);
/* Reads what is available, applies every complete line to v. Returns 1 (more may come),
 * 0 when the engine closed the socket, -1 on error. */
int client_pump(struct client *c, struct view *v);
/* Blocks until at least one event arrived or timeout_ms passed (-1 forever). Same returns. */
int client_wait(struct client *c, struct view *v, int timeout_ms);
int client_answer(struct client *c, const char *qid, const char *value);
int client_cmd(struct client *c, const char *cmd);   /* "abort", "back", "quit" */
void client_free(struct client *c);

#endif
