/*
 * answers.h: the answers file of an unattended run (YAML):
 *
 *   vars:    { DB_PASSWORD: "...", LINKIS_HOME: /opt/linkis }
 *   answers: { precautions: yes, clear-tables: "1", clear-tables.confirm: linkis }
 *   resume: yes
 *
 * Answers are keyed by question id (a step id, or STEP.SUFFIX for a step's second question).
 * Values given in vars: that name a secret variable are secrets from the moment they are read.
 */
#ifndef UPWIZ_ANSWERS_H
#define UPWIZ_ANSWERS_H

#include "core/util.h"

struct answers {
	char *file;
	struct strvec var_names, var_values;
	struct strvec keys, values;
	int resume;                 /* -1 unset, 0 no, 1 yes */
};

/* NULL + cause "FILE:LINE:COL: message". Caller frees with answers_free. */
struct answers *answers_load(const char *file, char **cause);
struct answers *answers_load_buf(const char *name, const char *buf, size_t len, char **cause);
void answers_free(struct answers *a);
const char *answers_get(const struct answers *a, const char *qid);     /* borrowed or NULL */
const char *answers_var(const struct answers *a, const char *name);    /* borrowed or NULL */

#endif
