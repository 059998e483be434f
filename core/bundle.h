/*
 * bundle.h: the support bundle of a run (`upwiz bundle RUN-ID`).
 *
 * One tar.gz written with libarchive: under `upwiz-RUN-ID/` the event stream (events.jsonl),
 * every screen recording (screen-N.cast), the log (run.log), the journal (journal.jsonl), the
 * run's metadata (run.json), the profile as it was when the run started (profile.yaml), and
 * MANIFEST: one "SHA256  NAME" line per file in sha256sum(1) format, so
 * `cd upwiz-RUN-ID && sha256sum -c MANIFEST` verifies it. All of these files were written
 * redacted by the engine; the bundle adds nothing else (not engine.out, which holds whatever a
 * crashing engine printed, nor the socket). A file still growing (a live run) is taken up to
 * the size it had when the bundle reached it; the hash covers exactly what was stored.
 * Entries are 0600 like the run's files; the archive is created 0600 and must not exist.
 */
#ifndef UPWIZ_BUNDLE_H
#define UPWIZ_BUNDLE_H

#include <stddef.h>

/* Writes the bundle of run folder `run_dir` to `out_path`. Number of files stored (MANIFEST
 * excluded), or -1 + cause (the partial archive is removed). */
int bundle_write(const char *run_dir, const char *out_path, char **cause);

#endif
