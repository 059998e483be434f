/*
 * journal.h: the append-only record of every effect of a run (RUN_DIR/journal.jsonl).
 *
 * One JSON object per line, written with write(2) and fsync'd before the effect is reported
 * done, so after a kill -9 or a power cut the journal says exactly what happened. Secrets never
 * reach it (callers pass redacted text). Reading it back (resume) is journal_load.
 */
#ifndef UPWIZ_JOURNAL_H
#define UPWIZ_JOURNAL_H

#include "core/util.h"

struct journal;
struct journal *journal_open(const char *path, char **cause);   /* O_APPEND, 0600 */
/* Appends {"t":type,"ts":now,<members>} and fsyncs. members is JSON text without braces (may be ""). */
int journal_append(struct journal *j, const char *type, const char *members);
void journal_close(struct journal *j);
/* Reads every line (caller frees with sv_free). */
int journal_read_lines(const char *path, struct strvec *lines, char **cause);

#endif
