/*
 * vars.h: the run's variables, ${NAME} expansion and when: conditions.
 *
 * Secrets are flagged where they enter (a profile variable of type secret, a token read from
 * the database) and registered with the redactor at that moment, so no later sink can forget
 * to mask them. Expansion has modes because the same value is safe in a path but not in a shell
 * command line: in EXPAND_SHELL every value is single-quoted, and a secret is refused outright
 * (secrets reach children through 0600 option files or pipes, never argv).
 */
#ifndef UPWIZ_VARS_H
#define UPWIZ_VARS_H

#include "core/redact.h"
#include "core/util.h"

enum expand_mode { EXPAND_PLAIN, EXPAND_SHELL, EXPAND_DISPLAY, EXPAND_PLAN };

struct vars;
/* r is borrowed and must outlive the vars; may be NULL (no masking, tests only). */
struct vars *vars_new(struct redactor *r);
void vars_free(struct vars *v);
/* Sets (copies) a value. secret: 0 plain, 1 password-like, 2 token-like (masked as prefix+last 4).
 * A secret shorter than 4 bytes cannot be masked safely: returns -1 (the value is still set). */
int vars_set(struct vars *v, const char *name, const char *value, int secret);
const char *vars_get(const struct vars *v, const char *name);   /* borrowed; NULL when unset */
int vars_is_secret(const struct vars *v, const char *name);
size_t vars_count(const struct vars *v);
const char *vars_name_at(const struct vars *v, size_t i);      /* for iteration, borrowed */

/* Expands ${NAME}; "$$" is a literal '$'. Unknown or unset names are errors naming them.
 * EXPAND_DISPLAY masks secret values ("********") instead of refusing them. EXPAND_PLAN is
 * EXPAND_DISPLAY for a plan shown before anything runs: a name not set yet (a value an earlier
 * command will capture) stays "${NAME}" instead of failing. Caller frees. */
char *vars_expand(const struct vars *v, const char *tmpl, enum expand_mode mode, char **cause);
/* Adds the names referenced by ${...} in tmpl to names. */
void vars_refs(const char *tmpl, struct strvec *names);

/* when: conditions:  NAME == "text" | NAME != "text" | NAME (non-empty) | !c | c && c | c || c | ( c ),
 * and version comparisons NAME >= "5.1.1" (also <=, >, <; dotted numbers, a non-digit prefix such as
 * "V" ignored, false when a side has no number). A literal may name variables: NAME == "${OTHER}". 
 * Returns 1 true, 0 false, -1 with cause on a syntax error. v may be NULL to only check syntax;
 * names (may be NULL) collects the variable names used. */
int cond_eval(const struct vars *v, const char *expr, struct strvec *names, char **cause);

/* Compares dotted versions numerically ("3.3.4" vs "3.3"): <0, 0, >0. Only the components present
 * in both are compared when `prefix` is 1 (so "3.3.4" == "3.3"). */
int version_cmp(const char *a, const char *b, int prefix);
/* Evaluates "OP VERSION" (>=, >, <=, <, ==, !=) against value. 1/0, -1 on a bad spec. */
int version_check(const char *value, const char *spec);

#endif
