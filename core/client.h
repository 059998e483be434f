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
/* Wraps an already connected stream socket (a socketpair end, an accepted connection); takes
 * the descriptor (closed by client_free) and makes it non-blocking and close-on-exec. */
struct client *client_from_fd(int fd);
int client_fd(const struct client *c);
/* The tap sees every complete line after it was applied to the view, valid or not, as
 * NUL-terminated text without the newline (borrowed for the call). */
void client_set_tap(struct client *c, client_tap_fn fn, void *ud);
/* The current tap (so a front end can put its own in front of a recorder's and chain). */
void client_get_tap(const struct client *c, client_tap_fn *fn, void **ud);
/* Reads what is available, applies every complete line to v. Returns 1 (more may come),
 * 0 when the engine closed the socket, -1 on error. */
int client_pump(struct client *c, struct view *v);
/* Blocks until at least one event arrived or timeout_ms passed (-1 forever). Same returns. */
int client_wait(struct client *c, struct view *v, int timeout_ms);
/* Send one message, whole (0), or -1: the engine is gone, stopped reading for CLIENT_SEND_TIMEOUT_MS,
 * or a text is not valid UTF-8. The answer's serialized copies are wiped before they are freed. */
#define CLIENT_SEND_TIMEOUT_MS 10000
int client_answer(struct client *c, const char *qid, const char *value);
int client_cmd(struct client *c, const char *cmd);   /* "abort", "back", "quit" */
void client_free(struct client *c);

#endif
