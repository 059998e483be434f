/*
 * checks_ext.h: the check kinds added for multi-step decisions and process checks.
 *
 *   no_process: ERE   no running process's command line (read from /proc, arguments joined by
 *                     spaces) matches; upwiz itself and its own threads are not counted. The
 *                     detail names the first offenders (pid and command line, cut short).
 *   compare:          left OP right after expansion, as
 *                       size     numbers with an optional unit (K, M, G, T, P, E; binary, as
 *                                `hdfs dfs -h` prints them: "79.5 G", "1.2T", "512")
 *                       number   plain numbers
 *                       version  dotted versions; parts: N compares the first N numbers only
 *                                (major.minor: parts 2)
 *                       text     byte strings (== and != only make sense)
 *                     With capture: VAR, VAR is set to "yes" when it holds and "no" otherwise,
 *                     so a later step's when: can branch on it (level info: a decision, not a gate).
 */
#ifndef UPWIZ_CHECKS_EXT_H
#define UPWIZ_CHECKS_EXT_H

#include "core/run.h"

/* 1 holds, 0 not; *detail (caller frees) says what was seen. */
int check_ext_run(struct run *r, const struct pcheck *c, char **detail);
/* "79.5 G" -> bytes; -1 when not a size. */
double parse_size(const char *s);

#endif
