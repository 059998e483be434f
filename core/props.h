/*
 * props.h: a Java .properties editor that keeps every byte it does not change
 * (comments, order, spacing, separators, CRLF, a missing final newline), so a
 * configuration file edited by an upgrade differs from the original only in the
 * values that were set. See props.c for the Java rules it follows.
 */
#ifndef UPWIZ_PROPS_H
#define UPWIZ_PROPS_H

#include <stddef.h>

struct props;  /* opaque: every original line kept byte-exact */

struct props *props_parse(const char *buf, size_t len);   /* never fails; caller frees with props_free */
const char *props_get(const struct props *p, const char *key);  /* borrowed; the LAST definition wins (Java); NULL if absent; value unescaped */
/*
 * Sets key to value: every existing definition's value is replaced in place
 * (separator, key text, leading spacing and comments unchanged); if absent,
 * "key=value" is appended at the end (adding a newline before it when the file
 * lacked a final newline). Returns 1 if the content changed, 0 if it was already so.
 * Pointers from props_get/props_key_at/props_value_at for this key become invalid.
 */
int props_set(struct props *p, const char *key, const char *value);
char *props_serialize(const struct props *p, size_t *len);   /* caller frees; byte-identical to the input when nothing was set; len may be NULL */
size_t props_count(const struct props *p);                     /* number of key definitions */
/* The i-th key definition in file order (i < props_count): its key and unescaped value. Borrowed, valid until the next props_set or props_free. */
const char *props_key_at(const struct props *p, size_t i);
const char *props_value_at(const struct props *p, size_t i);
/*
 * A unified-style diff of two serializations, with every value passed through
 * mask() before printing (mask may be NULL). Lines "-key=old" / "+key=new", with the
 * line number. Caller frees.
 *
 * Details: hunks without context, headers "@@ -A,N +B,M @@" as in `diff -U0`
 * (",1" left out); lines are compared without their line ends. mask(ud, value) gets
 * the whole unescaped value of a definition and returns a string props_diff frees
 * (NULL prints "****"); the key text and separator are printed as in the file;
 * continuation lines of a multi-line value print as "..." when mask is given.
 * Comment and blank lines are printed as they are. Identical inputs give "".
 */
char *props_diff(const char *before, const char *after, char *(*mask)(void *ud, const char *value), void *ud);
void props_free(struct props *p);

#endif
