/*
 * screens.h: the screen kinds, one file each, chosen by a step's `kind` (view_step.kind).
 *
 * The table in screens.c is the only place that names them; tui/ asks screens_for_step() for
 * the current step's kind and screens_for_summary() once the run is over, and never knows a
 * kind by name (ARCHITECTURE.md). An unknown kind falls back to the generic screen, which shows
 * the body, the items and the progress, so a profile written for a newer engine still shows.
 */
#ifndef UPWIZ_SCREENS_H
#define UPWIZ_SCREENS_H

#include "tui/ui.h"

extern const struct screen_kind precautions_screen;
extern const struct screen_kind envcheck_screen;
extern const struct screen_kind choice_screen;
extern const struct screen_kind backup_screen;
extern const struct screen_kind sqlapply_screen;
extern const struct screen_kind copy_screen;
extern const struct screen_kind tokensync_screen;
extern const struct screen_kind command_screen;
extern const struct screen_kind verify_screen;
extern const struct screen_kind checklist_screen;
extern const struct screen_kind summary_screen;
extern const struct screen_kind generic_screen;

/* Never NULL: unknown kinds (and NULL, before the engine said hello) get the generic screen. */
const struct screen_kind *screens_for_step(const char *kind);
const struct screen_kind *screens_for_summary(void);

#endif
