/*
 * front.c: main() of the lean front `upwiz`, the program people run.
 *
 * Why two programs: the full one (cli/main.c, `upwiz-full`) links curl, MariaDB Connector/C,
 * libarchive, libcrypto and ncursesw, 49 shared libraries in all, and the dynamic loader took
 * 30-250 ms to map them before main() at every start, for a `upwiz check` whose own work takes a
 * few milliseconds. This program links only libc and libyaml (upwiz_base: the profile loader),
 * answers list, check, --help and --version itself (cli/light.c, the same code the full program
 * runs) and execv()s the full program for every other command, with the same argv (argv[0] is
 * what the operator typed, so messages and `ps` read as before) and the same environment. A
 * dlopen() of the heavy libraries on demand would do too, but it spreads through every module
 * that uses them; one exec costs the other commands about a millisecond.
 *
 * The full program is found from /proc/self/exe's folder, never on PATH (another `upwiz-full` on
 * PATH must not be run in its place): DIR/upwiz-full (the build tree) or DIR/../libexec/upwiz-full
 * (an install: bin/upwiz, libexec/upwiz-full, share/upwiz/). Its own /proc/self/exe is then
 * upwiz-full, which is what the engine hands to sandbox worlds as ${UPWIZ}.
 */
#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/light.h"

static const char *const full_rel[] = {"upwiz-full", "../libexec/upwiz-full"};

int main(int argc, char **argv)
{
	setlocale(LC_ALL, "");
	int rc = light_main(argc, argv);
	if (rc >= 0)
		return rc;
	char exe[4096], path[4096 + 32];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n <= 0) {
		fprintf(stderr, "upwiz: %s: cannot find the full program: /proc/self/exe: %s\n", argv[1],
			strerror(errno));
		return 1;
	}
	exe[n] = '\0';
	char *slash = strrchr(exe, '/');
	if (slash)
		*slash = '\0';
	int err = ENOENT;
	for (size_t i = 0; i < sizeof full_rel / sizeof *full_rel; i++) {
		snprintf(path, sizeof path, "%s/%s", exe, full_rel[i]);
		execv(path, argv);
		if (errno != ENOENT || i == 0)
			err = errno;
	}
	fprintf(stderr, "upwiz: %s needs the full program: neither %s/upwiz-full nor %s/../libexec/upwiz-full runs: %s\n",
		argv[1], exe, exe, strerror(err));
	return 1;
}
