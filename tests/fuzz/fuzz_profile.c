/*
 * fuzz_profile.c: libFuzzer harness for the profile loader (core/profile + core/ytree + the
 * variable and condition checks it runs). The loader reads a path, so each input is written to
 * one private temp file that is rewritten per run. Any input either loads (then every step has
 * an id and a title, and freeing it is clean) or fails with a cause that names the file, as
 * "FILE:LINE:COL: message". ASan/UBSan/leak findings abort, so libFuzzer keeps the input.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/profile.h"
#include "core/util.h"

#define CHECK(c) do { if (!(c)) { fprintf(stderr, "check failed: %s (line %d)\n", #c, __LINE__); abort(); } } while (0)

static char path[64];

static void cleanup(void)
{
	if (path[0])
		unlink(path);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!path[0]) {
		snprintf(path, sizeof path, "/tmp/upwiz-fuzz-profile-%ld.yaml", (long)getpid());
		atexit(cleanup);
	}
	FILE *f = fopen(path, "wb");
	CHECK(f != NULL);
	CHECK(fwrite(data, 1, size, f) == size);
	CHECK(fclose(f) == 0);

	char *cause = NULL;
	struct profile *p = profile_load(path, &cause);
	if (p) {
		CHECK(cause == NULL);
		CHECK(p->id && p->title && p->nsteps > 0);
		for (size_t i = 0; i < p->nsteps; i++)
			CHECK(p->steps[i].id != NULL);
		profile_free(p);
	} else {
		CHECK(cause != NULL);
		CHECK(strncmp(cause, path, strlen(path)) == 0);
		free(cause);
	}
	return 0;
}
