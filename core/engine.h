/*
 * engine.h: one run of a profile, in the engine process.
 *
 * The CLI forks; the child calls engine_run() and owns the run from then on: it survives the
 * front end (SIGHUP is ignored), listens on RUN_DIR/engine.sock, resolves variables, takes the
 * host lock for the target, walks the steps and finally waits for the last front end to leave.
 */
#ifndef UPWIZ_ENGINE_H
#define UPWIZ_ENGINE_H

#include "core/util.h"

struct engine_opts {
	const char *profile_path;
	struct strvec set_vars;      /* "NAME=VALUE" from --var (never secrets) */
	const char *answers_file;    /* unattended when set */
	int sandbox, golden, keep;
	const char *scenario;        /* sandbox: WORLD/scenarios/NAME.yaml applied to the world, or NULL */
	const char *upwiz_exe;       /* for sandbox worlds (${UPWIZ}) */
	const char *run_id, *run_dir, *state_dir;
	int wait_client;             /* a front end is about to attach: wait for it (up to 5 s) */
	int linger_s;                /* how long to wait for a front end after the end (0: 3600) */
	int alone_max_s;             /* sandbox: a question with no front end for this long ends the run (0: never) */
};

enum { EXIT_OK = 0, EXIT_FAILED = 1, EXIT_USAGE = 2, EXIT_REFUSED = 3 };

int engine_run(const struct engine_opts *o);

/* State folders: $XDG_STATE_HOME/upwiz (default ~/.local/state/upwiz), created 0700. Caller frees. */
char *state_dir(void);
/* A new run id ("20261123-010203-a1b2") and its folder under STATE/runs/, 0700. */
char *run_new(const char *state, char **run_dir, char **cause);
/* The newest run folder that has a live engine socket (or the one named), NULL if none. Caller frees. */
char *run_find_live(const char *state, const char *run_id);

#endif
