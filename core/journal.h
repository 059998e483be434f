/*
 * journal.h: the append-only record of every effect of a run (RUN_DIR/journal.jsonl).
 *
 * One JSON object per line. A line is handed to the kernel with write(2) at once, so a killed
 * engine (kill -9, SIGSEGV, a dropped SSH link) loses nothing it journaled; durability against a
 * power cut or a kernel crash comes from fdatasync. journal_append does both before it returns:
 * the effect may then be reported done. journal_write only writes; the line becomes durable with
 * the next journal_append, journal_sync or journal_wait (one fdatasync covers every line written
 * before it). journal_kick starts that fdatasync on a background thread, so the caller can go on
 * (the SQL apply overlaps it with the statement the server is running) and journal_wait for it
 * later. journal_hold makes a line without writing it: it goes out with the next write, release,
 * kick, wait or close, in the same write(2), so lines made together cost one system call (the SQL
 * apply's critical path between two statements is then one write). A held line is lost if the
 * engine dies before that: callers hold only lines whose loss a resume handles (a statement's
 * outcome, which is then checked again). Secrets never reach it (callers pass redacted text).
 * Reading it back (resume) is journal_read_lines.
 */
#ifndef UPWIZ_JOURNAL_H
#define UPWIZ_JOURNAL_H

#include <stdint.h>

#include "core/util.h"

struct journal;
struct journal *journal_open(const char *path, char **cause);   /* O_APPEND, 0600 */
/* Appends {"t":type,"ts":now,<members>} and fsyncs. members is JSON text without braces (may be ""). */
int journal_append(struct journal *j, const char *type, const char *members);
/* Appends without fsync. Returns the line's sequence number (>= 1) for journal_wait, or 0 on a write error. */
uint64_t journal_write(struct journal *j, const char *type, const char *members);
/* Makes a line and keeps it in memory until the next journal_write/release/kick/wait/close writes it
 * (with that one write). Returns its sequence number, as journal_write. */
uint64_t journal_hold(struct journal *j, const char *type, const char *members);
/* Writes the held lines now. 0, or -1 on a write error (then every later wait fails). */
int journal_release(struct journal *j);
/* Starts an fdatasync of everything written so far on the journal's background thread. */
void journal_kick(struct journal *j);
/* Waits until line seq (and every line before it) is durable; writes held lines first, and syncs
 * itself when no kick covers it. 0 or -1. */
int journal_wait(struct journal *j, uint64_t seq);
/* 1 when line seq is durable already (journal_wait would not wait), else 0. */
int journal_durable(struct journal *j, uint64_t seq);
/* How long one fdatasync of this journal takes, in microseconds, averaged over the last few;
 * 0 before the first. (The SQL apply sizes its batches by it.) */
uint64_t journal_sync_us(struct journal *j);
void journal_close(struct journal *j);   /* waits for a running background sync, then closes */
/* Reads every line (caller frees with sv_free). */
int journal_read_lines(const char *path, struct strvec *lines, char **cause);

#endif
