/*
 * fuzz_props.c: libFuzzer harness for core/props. The input is a file, optionally
 * followed by NUL, a key, NUL, a value. Checks: the untouched file serialises
 * byte-identical; props_count and props_key_at agree; after props_set the written
 * file, read again, gives the new value for the key and the old value for every
 * other key; setting it again changes nothing; props_diff runs (and is empty when
 * nothing changed). The splice checks inside props.c call fatal(), which aborts.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/props.h"
#include "core/util.h"

#define CHECK(c) do { if (!(c)) { fprintf(stderr, "check failed: %s (line %d)\n", #c, __LINE__); abort(); } } while (0)

static char *mask_star(void *ud, const char *value)
{
	(void)ud;
	(void)value;
	return xstrdup("*");
}

static int streq(const char *a, const char *b)
{
	return (a == NULL && b == NULL) || (a && b && strcmp(a, b) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *in = (const char *)data;
	size_t flen = size;
	char *key = xstrdup("k"), *value = xstrdup("v");
	const char *z1 = memchr(in, 0, size);
	if (z1) {
		flen = (size_t)(z1 - in);
		const char *rest = z1 + 1, *end = in + size;
		const char *z2 = memchr(rest, 0, (size_t)(end - rest));
		free(key);
		free(value);
		key = xstrndup(rest, (size_t)((z2 ? z2 : end) - rest));
		value = z2 ? xstrndup(z2 + 1, (size_t)(end - z2 - 1)) : xstrdup("");
	}

	struct props *p = props_parse(in, flen);
	size_t len;
	char *orig = props_serialize(p, &len);
	CHECK(len == flen && memcmp(orig, in, flen) == 0);
	size_t n = props_count(p);
	for (size_t i = 0; i < n; i++) {
		CHECK(props_key_at(p, i) != NULL && props_value_at(p, i) != NULL);
		CHECK(props_get(p, props_key_at(p, i)) != NULL);
	}
	CHECK(props_key_at(p, n) == NULL);

	/* the reference: a second parse of the original, left untouched */
	struct props *ref = props_parse(orig, len);
	int rc = props_set(p, key, value);
	CHECK(rc == 0 || rc == 1);
	CHECK(streq(props_get(p, key), value));
	size_t alen;
	char *after = props_serialize(p, &alen);
	if (rc == 0)
		CHECK(alen == len && memcmp(after, orig, len) == 0);

	struct props *q = props_parse(after, alen);
	CHECK(streq(props_get(q, key), value));
	for (size_t i = 0; i < n; i++) {
		const char *k = props_key_at(ref, i);
		if (strcmp(k, key) != 0)
			CHECK(streq(props_get(q, k), props_get(ref, k)));
	}
	CHECK(props_count(q) == props_count(p));
	/* what props_set believes is what a fresh read of its output finds */
	for (size_t i = 0; i < props_count(q); i++) {
		CHECK(strcmp(props_key_at(q, i), props_key_at(p, i)) == 0);
		CHECK(strcmp(props_value_at(q, i), props_value_at(p, i)) == 0);
	}
	CHECK(props_count(q) == n || (props_count(q) == n + 1 && props_get(ref, key) == NULL));

	CHECK(props_set(p, key, value) == 0);
	size_t alen2;
	char *after2 = props_serialize(p, &alen2);
	CHECK(alen2 == alen && memcmp(after, after2, alen) == 0);

	if (memchr(orig, 0, len) == NULL) {
		char *d = props_diff(orig, after, mask_star, NULL);
		if (rc == 0)
			CHECK(d[0] == 0);
		else if (strlen(orig) == len && strlen(after) == alen)
			CHECK(strncmp(d, "@@ -", 4) == 0 || d[0] == 0);
		free(d);
		d = props_diff(orig, after, NULL, NULL);
		free(d);
	}

	free(after2);
	free(after);
	free(orig);
	props_free(q);
	props_free(ref);
	props_free(p);
	free(key);
	free(value);
	return 0;
}
