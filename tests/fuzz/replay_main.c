/*
 * replay_main.c: a main() for the libFuzzer harnesses when they are built without libFuzzer
 * (gcc, the normal and the sanitizer builds). Each argument is a file or a folder of files;
 * every file is passed once to LLVMFuzzerTestOneInput. The unit tests (ctest fuzz/replay_*)
 * run it over tests/fuzz/regress/<name>/ (inputs that once crashed) and tests/fuzz/corpus/<name>/,
 * so a crash found by fuzzing stays a regression test in every build, valgrind's included.
 * A harness reports a violation by aborting, so a failing input fails the test.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		perror(path);
		return -1;
	}
	size_t cap = 4096, len = 0;
	uint8_t *buf = malloc(cap);
	size_t n;
	while (buf && (n = fread(buf + len, 1, cap - len, f)) > 0) {
		len += n;
		if (len == cap) {
			uint8_t *nb = realloc(buf, cap *= 2);
			if (!nb)
				free(buf);
			buf = nb;
		}
	}
	fclose(f);
	if (!buf)
		return -1;
	/* an exact-size copy, so ASan sees a read past the input as libFuzzer would */
	uint8_t *exact = malloc(len ? len : 1);
	if (!exact) {
		free(buf);
		return -1;
	}
	memcpy(exact, buf, len);
	free(buf);
	LLVMFuzzerTestOneInput(exact, len);
	free(exact);
	return 0;
}

static int cmp_names(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

int main(int argc, char **argv)
{
	int files = 0, bad = 0;
	for (int i = 1; i < argc; i++) {
		struct stat st;
		if (stat(argv[i], &st) != 0) {
			perror(argv[i]);
			bad++;
			continue;
		}
		if (!S_ISDIR(st.st_mode)) {
			bad += run_file(argv[i]) != 0;
			files++;
			continue;
		}
		DIR *d = opendir(argv[i]);
		if (!d) {
			perror(argv[i]);
			bad++;
			continue;
		}
		char **names = NULL;
		size_t nn = 0;
		struct dirent *e;
		while ((e = readdir(d)) != NULL) {
			if (e->d_name[0] == '.')
				continue;
			char **nv = realloc(names, (nn + 1) * sizeof *names);
			if (!nv)
				break;
			names = nv;
			names[nn++] = strdup(e->d_name);
		}
		closedir(d);
		if (nn)   /* qsort(NULL, 0) is undefined: an empty regress folder */
			qsort(names, nn, sizeof *names, cmp_names);
		for (size_t k = 0; k < nn; k++) {
			size_t plen = strlen(argv[i]) + strlen(names[k]) + 2;
			char *p = malloc(plen);
			if (p) {
				snprintf(p, plen, "%s/%s", argv[i], names[k]);
				bad += run_file(p) != 0;
				files++;
				free(p);
			}
			free(names[k]);
		}
		free(names);
	}
	printf("replayed %d input(s), %d unreadable\n", files, bad);
	return bad ? 1 : 0;
}
