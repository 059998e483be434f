/*
 * redact.c: the redactor, a short list of secret values and their masks behind a
 * mutex.
 *
 * There are few secrets (database passwords, a handful of Linkis tokens) and many
 * texts (every log line), so the work is shaped around the text: for each secret,
 * memmem over the text collects the occurrences (every start, so a secret that
 * overlaps itself is covered too); when there are none the text is copied once and
 * nothing else is allocated. Occurrences are sorted by start, longest first, and
 * grouped into clusters of overlapping ones (adjacent ones stay apart). A cluster
 * whose other occurrences all lie inside its first, longest one is replaced by that
 * secret's mask, so a secret containing another is masked whole. A cluster of
 * partial overlaps ("abcdef" and "defgh" in "abcdefgh") is replaced by "********"
 * over the union: replacing one and then looking for the other in the result, the
 * obvious sequential way, would leave the tail of the second in clear.
 *
 * Matching is on the original text only, never on replaced output, so a mask can
 * never be re-masked or create a match. Values under 4 bytes are refused: "abc"
 * masked everywhere would shred logs while protecting nothing real.
 *
 * Token masks keep a recognisable prefix ("BML-", "WS-", "DSM-", "LINKIS_") and the
 * last 4 characters so an operator can tell which token a line refers to; they are
 * computed once, at registration.
 *
 * Rejected: Aho-Corasick (worth it for hundreds of patterns, not for five); a
 * reader-writer lock (the critical section is a few memmem calls).
 */
#include "core/redact.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"

#define PASSWORD_MASK "********"
#define MIN_SECRET 4

struct secret {
	char *value;
	size_t len;
	enum redact_kind kind;
	char *mask;
	size_t mask_len;
};

struct redactor {
	pthread_mutex_t mu;
	struct secret *v;   /* longest first */
	size_t n, cap;
};

struct match {
	size_t s, e;
	size_t idx;
};

static pthread_mutex_t *mu_of(const struct redactor *r)
{
	/* The mutex is state, not content: locking it does not change what r holds. */
	return (pthread_mutex_t *)&r->mu;
}

struct redactor *redactor_new(void)
{
	struct redactor *r = xcalloc(1, sizeof(*r));
	if (pthread_mutex_init(&r->mu, NULL) != 0)
		fatal("redactor: pthread_mutex_init failed");
	return r;
}

void redactor_free(struct redactor *r)
{
	if (!r)
		return;
	for (size_t k = 0; k < r->n; k++) {
		/* wipe: the process may dump core or reuse the memory */
		explicit_bzero(r->v[k].value, r->v[k].len);
		free(r->v[k].value);
		free(r->v[k].mask);
	}
	free(r->v);
	pthread_mutex_destroy(&r->mu);
	free(r);
}

static void set_mask(struct secret *s)
{
	free(s->mask);
	s->mask = s->kind == REDACT_TOKEN ? redact_token_mask(s->value) : xstrdup(PASSWORD_MASK);
	s->mask_len = strlen(s->mask);
}

int redactor_add(struct redactor *r, const char *value, enum redact_kind kind)
{
	if (!r || !value)
		return -1;
	size_t len = strlen(value);
	if (len < MIN_SECRET)
		return -1;
	pthread_mutex_lock(&r->mu);
	size_t at = r->n;
	for (size_t k = 0; k < r->n; k++) {
		if (r->v[k].len == len && memcmp(r->v[k].value, value, len) == 0) {
			if (kind == REDACT_PASSWORD && r->v[k].kind != REDACT_PASSWORD) {
				r->v[k].kind = REDACT_PASSWORD;
				set_mask(&r->v[k]);
			}
			pthread_mutex_unlock(&r->mu);
			return 0;
		}
		if (at == r->n && r->v[k].len < len)
			at = k;
	}
	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 8;
		r->v = xreallocarray(r->v, r->cap, sizeof(*r->v));
	}
	memmove(&r->v[at + 1], &r->v[at], (r->n - at) * sizeof(*r->v));
	r->v[at] = (struct secret){.value = xstrndup(value, len), .len = len, .kind = kind};
	set_mask(&r->v[at]);
	r->n++;
	pthread_mutex_unlock(&r->mu);
	return 0;
}

size_t redactor_count(const struct redactor *r)
{
	if (!r)
		return 0;
	pthread_mutex_lock(mu_of(r));
	size_t n = r->n;
	pthread_mutex_unlock(mu_of(r));
	return n;
}

int redactor_is_clean(const struct redactor *r, const char *text)
{
	if (!r || !text)
		return 1;
	size_t len = strlen(text);
	int clean = 1;
	pthread_mutex_lock(mu_of(r));
	for (size_t k = 0; k < r->n && clean; k++)
		if (memmem(text, len, r->v[k].value, r->v[k].len))
			clean = 0;
	pthread_mutex_unlock(mu_of(r));
	return clean;
}

static int match_cmp(const void *a, const void *b)
{
	const struct match *x = a, *y = b;
	if (x->s != y->s)
		return x->s < y->s ? -1 : 1;
	if (x->e != y->e)
		return x->e > y->e ? -1 : 1;
	return 0;
}

void redactor_apply_sb(const struct redactor *r, const char *text, size_t len, struct strbuf *out)
{
	if (!r || len == 0) {
		sb_add(out, text, len);
		return;
	}
	struct match local[32], *m = local;
	size_t nm = 0, cap = ARRAY_LEN(local);

	pthread_mutex_lock(mu_of(r));
	for (size_t k = 0; k < r->n; k++) {
		const struct secret *s = &r->v[k];
		const char *p = text, *end = text + len;
		while ((p = memmem(p, (size_t)(end - p), s->value, s->len)) != NULL) {
			if (nm == cap) {
				cap *= 2;
				if (m == local) {
					m = xreallocarray(NULL, cap, sizeof(*m));
					memcpy(m, local, sizeof(local));
				} else
					m = xreallocarray(m, cap, sizeof(*m));
			}
			m[nm++] = (struct match){(size_t)(p - text), (size_t)(p - text) + s->len, k};
			p++;
		}
	}
	if (nm == 0) {
		pthread_mutex_unlock(mu_of(r));
		sb_add(out, text, len);
		return;
	}
	qsort(m, nm, sizeof(*m), match_cmp);

	size_t pos = 0, i = 0;
	while (i < nm) {
		const struct match *first = &m[i];
		size_t cend = first->e;
		int whole = 1;
		for (i++; i < nm && m[i].s < cend; i++) {
			if (m[i].e > first->e)
				whole = 0;
			if (m[i].e > cend)
				cend = m[i].e;
		}
		sb_add(out, text + pos, first->s - pos);
		if (whole)
			sb_add(out, r->v[first->idx].mask, r->v[first->idx].mask_len);
		else
			sb_adds(out, PASSWORD_MASK);
		pos = cend;
	}
	pthread_mutex_unlock(mu_of(r));
	sb_add(out, text + pos, len - pos);
	if (m != local)
		free(m);
}

char *redactor_apply(const struct redactor *r, const char *text)
{
	if (!text)
		return NULL;
	size_t len = strlen(text);
	if (!r)
		return xstrndup(text, len);
	struct strbuf sb = STRBUF_INIT;
	redactor_apply_sb(r, text, len, &sb);
	return sb_detach(&sb);
}

size_t redactor_hold(const struct redactor *r, const char *text, size_t len)
{
	if (!r || len == 0)
		return 0;
	size_t best = 0;
	pthread_mutex_lock(mu_of(r));
	for (size_t k = 0; k < r->n; k++) {
		const struct secret *s = &r->v[k];
		for (size_t n = s->len - 1 < len ? s->len - 1 : len; n > best; n--)
			if (memcmp(text + len - n, s->value, n) == 0) {
				best = n;
				break;
			}
	}
	pthread_mutex_unlock(mu_of(r));
	return best;
}

static int is_cont(unsigned char c)
{
	return (c & 0xC0) == 0x80;
}

char *redact_token_mask(const char *token)
{
	size_t len = token ? strlen(token) : 0;
	if (len <= 8)
		return xstrdup("****");
	/* the last 4 characters, not cutting a UTF-8 sequence (at most 16 bytes) */
	size_t t = len;
	for (int chars = 0; chars < 4 && t > 0 && len - t < 16;) {
		t--;
		if (!is_cont((unsigned char)token[t]))
			chars++;
	}
	size_t tail = len - t;
	size_t pre = 0;
	for (size_t k = 0; k < len && k < 12; k++)
		if (token[k] == '-' || token[k] == '_') {
			pre = k + 1;
			break;
		}
	if (len < pre + tail + 4)
		pre = 0;
	if (len < tail + 4)
		return xstrdup("****");
	return xasprintf("%.*s****%s", (int)pre, token, token + t);
}
