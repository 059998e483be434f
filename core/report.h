/*
 * report.h: the trainee's report of a sandbox run, for the trainer.
 *
 * Built from what the engine recorded, never from a front end's state: RUN_DIR/journal.jsonl
 * (step enter/done/failed/skipped with times, every answer with who gave it, overrides,
 * skipped statements, risk acknowledgements, backups) and RUN_DIR/events.jsonl (what failed
 * and with which message). Both are redacted before they are written, so the report holds no
 * secret either. It compares the path taken with the expected one (the world's golden answers,
 * with a scenario's on top, and the scenario's expected outcome) and lists the mistakes that
 * matter: a dangerous choice the golden path does not make, a skipped or failed backup the run
 * went on after, failed checks overridden, statements skipped, risk acknowledged without a
 * backup, steps skipped after a failure.
 */
#ifndef UPWIZ_REPORT_H
#define UPWIZ_REPORT_H

#include "core/util.h"

struct profile;
struct answers;
struct scenario;

struct report_in {
	const char *run_dir, *run_id;
	const struct profile *prof;
	const struct answers *golden;     /* the expected answers, or NULL */
	const struct scenario *sc;        /* the scenario practised, or NULL */
	const char *outcome;              /* success | failed | aborted | refused */
	int exit_code;
	unsigned guard_refusals;          /* paths, connections, URLs the sandbox guard refused */
};

struct report {
	char *markdown;                   /* the file's text; caller frees (report_free) */
	char *screen;                     /* a short text for the summary screen / plain output */
	char *path;                       /* RUN_DIR/report.md once written */
	int mistakes;
	int expected_met;                 /* 1 met, 0 not, -1 nothing expected (no scenario expectation) */
};

/* Builds the report and writes it to RUN_DIR/report.md (0600). 0, or -1 + cause (the report is
 * still built when only the write failed: out->path is NULL then). */
int report_build(const struct report_in *in, struct report *out, char **cause);
void report_free(struct report *r);

#endif
