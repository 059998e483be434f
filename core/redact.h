/*
 * redact.h: every secret masked before any sink (log, journal, screen, report)
 * sees it. Secrets are registered the moment they are known; every text that
 * leaves the engine passes through redactor_apply. See redact.c for the design.
 */
#ifndef UPWIZ_REDACT_H
#define UPWIZ_REDACT_H

#include <stddef.h>

enum redact_kind { REDACT_PASSWORD, REDACT_TOKEN };
struct redactor;                       /* thread-safe (a mutex): the engine's worker adds secrets while other threads redact */

struct redactor *redactor_new(void);
void redactor_free(struct redactor *r);   /* NULL is fine */
/*
 * Registers a secret value (copied). Values shorter than 4 bytes are refused (return
 * -1): masking them would shred ordinary text; the caller then treats the value as
 * unsafe to log. Returns 0 otherwise (also when the value is already registered; a
 * value registered both ways is masked as a password).
 */
int redactor_add(struct redactor *r, const char *value, enum redact_kind kind);
/*
 * Returns a copy of text with every registered value replaced: a password by
 * "********", a token by its mask (redact_token_mask). Longest values first, so a
 * secret that contains another is masked whole; where two different secrets
 * overlap partially, the union is masked as "********". Caller frees.
 */
char *redactor_apply(const struct redactor *r, const char *text);
/*
 * The same on a buffer of len bytes (no NUL needed), appended to out: a batch of lines joined
 * by '\n' is redacted in one pass per secret. A secret without '\n' never matches across lines,
 * so this masks exactly what redacting each line on its own would.
 */
struct strbuf;
void redactor_apply_sb(const struct redactor *r, const char *text, size_t len, struct strbuf *out);
int redactor_is_clean(const struct redactor *r, const char *text);  /* 1 when no secret occurs in text */
/*
 * The length of the longest end of text[0..len) that is the beginning of a registered secret but
 * not all of it (0: none). A caller that must cut a text in pieces holds that much back for the
 * next piece, so a secret is never split between two pieces and left unmasked in both.
 */
size_t redactor_hold(const struct redactor *r, const char *text, size_t len);
size_t redactor_count(const struct redactor *r);                    /* number of registered secrets */
/*
 * "BML-9f8e...c0d1" style mask: the prefix up to and including the first '-' or '_'
 * (at most 12 chars; none if absent), then "****", then the last 4 characters. A
 * value of 8 bytes or fewer becomes "****". The prefix is also left out when
 * showing it would leave fewer than 4 bytes hidden. Caller frees.
 */
char *redact_token_mask(const char *token);

#endif
