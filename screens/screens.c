/*
 * screens.c: the table from a step's kind (view_step.kind, the profile's `screen:`) to the
 * screen kind that draws it. The only place that knows the kinds by name; tui/ calls the two
 * lookups below. A linear scan: there are a dozen kinds and one lookup per step per frame.
 */
#include <string.h>

#include "core/util.h"
#include "screens/screens.h"

static const struct screen_kind *const kinds[] = {
	&precautions_screen, &envcheck_screen, &choice_screen, &backup_screen, &sqlapply_screen,
	&copy_screen, &tokensync_screen, &command_screen, &verify_screen, &checklist_screen,
	&summary_screen, &generic_screen,
};

const struct screen_kind *
screens_for_step(const char *kind)
{
	if (kind == NULL)
		return &generic_screen;
	for (size_t i = 0; i < ARRAY_LEN(kinds); i++)
		if (strcmp(kinds[i]->name, kind) == 0)
			return kinds[i];
	return &generic_screen;
}

const struct screen_kind *
screens_for_summary(void)
{
	return &summary_screen;
}
