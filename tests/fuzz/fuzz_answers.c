/*
 * fuzz_answers.c: libFuzzer harness for the answers file parser (core/answers). Any input
 * either parses (then keys/values and var names/values come in pairs, every lookup of a key it
 * holds finds a value, resume is -1, 0 or 1) or fails with a "NAME:LINE:COL: message" cause.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/answers.h"
#include "core/util.h"

#define CHECK(c) do { if (!(c)) { fprintf(stderr, "check failed: %s (line %d)\n", #c, __LINE__); abort(); } } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *cause = NULL;
	struct answers *a = answers_load_buf("fuzz.yaml", (const char *)data, size, &cause);
	if (!a) {
		CHECK(cause != NULL);
		CHECK(strncmp(cause, "fuzz.yaml", 9) == 0);
		free(cause);
		return 0;
	}
	CHECK(cause == NULL);
	CHECK(a->keys.n == a->values.n);
	CHECK(a->var_names.n == a->var_values.n);
	CHECK(a->resume >= -1 && a->resume <= 1);
	for (size_t i = 0; i < a->keys.n; i++)
		CHECK(answers_get(a, a->keys.v[i]) != NULL);
	for (size_t i = 0; i < a->var_names.n; i++)
		CHECK(answers_var(a, a->var_names.v[i]) != NULL);
	CHECK(answers_get(a, "\x01no such question") == NULL);
	answers_free(a);
	return 0;
}
