/*
 * jsonpath.h: the small JSON path language of a profile's `json:` assertions.
 *
 * A path is dotted keys, each optionally followed by `[*]` (every element) or `[N]` (one
 * element): "applications.application[*].instance[*].status", "status", "data.items[0].id".
 * Evaluation is over a set of nodes, and lenient where real services are inconsistent:
 * Eureka returns a one-element list as a bare object, so a lone object where an array is
 * expected (`[*]`, `[0]`) counts as an array of one, and a key applied to an array applies to
 * each element (so "a.b" also works when `a` turns out to be a list). A missing key simply
 * contributes nothing. Leaves become strings: strings as they are, integers and reals printed
 * plainly ("0", "1.5"), true/false, null -> "null"; an array leaf contributes each of its
 * elements; an object leaf its compact JSON.
 *
 * Rules (struct pjson_rule, from the profile): `equals` (every value equals it, and there is
 * at least one), `all` (the same test, spelled for lists), `includes` (every listed string is
 * among the values). A failure comes back as a short human message: "LINKIS-CG-ENTRANCE
 * missing", "instance status DOWN (1 of 6 not UP)", "status -1, expected 0".
 */
#ifndef UPWIZ_JSONPATH_H
#define UPWIZ_JSONPATH_H

#include <jansson.h>

#include "core/profile.h"
#include "core/util.h"

/* Appends the values at path to out (strings, copied). Returns the number appended, or -1 with
 * *cause (caller frees) when the path does not parse. */
int jsonpath_collect(const json_t *root, const char *path, struct strvec *out, char **cause);

/* Checks one rule against a parsed document. Returns 1 when it holds; 0 when it does not, with
 * *msg (caller frees) saying why; -1 when the rule is unusable (bad path), with *msg. */
int jsonpath_check(const json_t *root, const struct pjson_rule *rule, char **msg);

/* Parses text (len bytes) and checks every rule in order; stops at the first that fails.
 * Returns 1 all hold; 0 one failed or the text is not JSON ("response is not JSON: ..."); -1 bad
 * rule. *msg as above. */
int jsonpath_check_text(const char *text, size_t len, const struct pjson_rule *rules, size_t nrules, char **msg);

#endif
