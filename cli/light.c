/*
 * light.c: list, check, --help and --version (cli/light.h). They live apart from cli/main.c so
 * the lean front (cli/front.c) can run them without linking the engine: this file may only
 * reach core/profile.h and core/util.h, which stand on libc and libyaml (upwiz_base in
 * CMakeLists.txt). Anything else makes `upwiz check` pay for libcurl, MariaDB, libarchive and
 * curses at every start again; tests/cli/t_lean.sh checks the lean binary's NEEDED entries.
 */
#include "cli/light.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "core/profile.h"

enum { LIGHT_USAGE = 2 };   /* EXIT_USAGE of core/engine.h, not included: it is the engine's */

static const char usage_text[] =
	"usage: upwiz COMMAND [ARGS]\n"
	"\n"
	"  list                                   bundled profiles with title and from -> to\n"
	"  check PROFILE...                       validate; errors as FILE:LINE:COL: message\n"
	"  plan PROFILE [--var NAME=VALUE]...     every step, statement, file and command it would run\n"
	"  run PROFILE [--var NAME=VALUE]... [--answers FILE] [--plain]\n"
	"  sandbox PROFILE [--answers FILE | --golden] [--plain] [--keep] [--scenario NAME]\n"
	"  sandbox PROFILE --list-scenarios         the faults to practise on (name and description)\n"
	"  attach [RUN-ID]                        attach a UI to a running engine (newest by default)\n"
	"  watch [RUN-ID]                         attach read-only\n"
	"  rollback [RUN-ID] [--confirm TEXT]     undo a run (newest by default): database from its verified dump,\n"
	"                                         files put back, added files removed; asks to type the database name\n"
	"  sessions                               runs, newest first: profile, target, start, duration, outcome\n"
	"  replay FILE|RUN-ID [-s X] [-i S]       play a screen recording; a run's recordings joined, or\n"
	"         [--screen N]                    its Nth (--plain: the events as text;\n"
	"                                         --print [--at S]: the screen text at a time)\n"
	"  bundle RUN-ID [-o FILE]                support bundle: events, recordings, log, journal, profile, MANIFEST\n"
	"  --help | --version\n"
	"\n"
	"PROFILE is a bundled id (e.g. linkis-1.3.2-to-1.4.0) or a path to a YAML file.\n"
	"Secret variables never come from the command line: they are prompted (masked), read from\n"
	"UPWIZ_VAR_<NAME> (removed before any child starts) or from the answers file.\n"
	"--plain is the line front end (no curses), also used when there is no terminal or TERM=dumb.\n"
	"State (journal, logs, sockets): $XDG_STATE_HOME/upwiz (default ~/.local/state/upwiz).\n"
	"\n"
	"Exit codes: 0 done; 1 a step failed or the operator aborted; 2 usage or profile error;\n"
	"3 refused (another run holds the target, or a precondition).\n"
	"rollback: 0 rolled back (or nothing to undo); 1 failed or not confirmed; 2 usage (no such run);\n"
	"3 refused (the run's engine is alive, the target is locked, already rolled back, no verified dump).\n";

int usage_err(const char *fmt, const char *arg)
{
	fprintf(stderr, "upwiz: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\n(see upwiz --help)\n");
	return LIGHT_USAGE;
}

/* Display columns of text in the locale's encoding (front.c set it from the environment), as the
 * terminal will place it: a CJK title takes two columns a character. Bytes this locale cannot
 * decode (a UTF-8 title under LANG=C) count one column per UTF-8 character start. */
static int text_cols(const char *s)
{
	mbstate_t st;
	memset(&st, 0, sizeof st);
	size_t len = strlen(s);
	int n = 0;
	while (len) {
		wchar_t wc;
		size_t k = mbrtowc(&wc, s, len, &st);
		if (k == (size_t)-1 || k == (size_t)-2) {
			memset(&st, 0, sizeof st);
			n += ((unsigned char)*s & 0xc0) != 0x80;
			k = 1;
		} else {
			int w = wcwidth(wc);
			n += w < 0 ? 1 : w;
			if (k == 0)
				k = 1;
		}
		s += k;
		len -= k;
	}
	return n;
}

/* One line per bundled profile: id, title, from -> to, in columns as wide as the widest entry. */
static int cmd_list(void)
{
	struct strvec files = STRVEC_INIT;
	profile_list_bundled(&files);
	struct profile **ps = xcalloc(files.n ? files.n : 1, sizeof *ps);
	int idw = 0, tw = 0;
	for (size_t i = 0; i < files.n; i++) {
		char *cause = NULL;
		ps[i] = profile_load(files.v[i], &cause);
		free(cause);
		const char *id = ps[i] ? ps[i]->id : path_basename(files.v[i]);
		if (text_cols(id) > idw)
			idw = text_cols(id);
		if (ps[i] && text_cols(ps[i]->title) > tw)
			tw = text_cols(ps[i]->title);
	}
	for (size_t i = 0; i < files.n; i++) {
		struct profile *p = ps[i];
		const char *id = p ? p->id : path_basename(files.v[i]);
		printf("%s%*s  ", id, idw - text_cols(id), "");
		if (!p)
			printf("(invalid: run upwiz check %s)\n", files.v[i]);
		else
			printf("%s%*s  %s -> %s\n", p->title, tw - text_cols(p->title), "", p->from, p->to);
		profile_free(p);
	}
	if (!files.n)
		printf("no bundled profiles found\n");
	free(ps);
	sv_free(&files);
	return 0;
}

static int cmd_check(int argc, char **argv)
{
	if (argc < 2)
		return usage_err("check needs at least one PROFILE%s", "");
	int bad = 0;
	for (int i = 1; i < argc; i++) {
		char *cause = NULL;
		char *path = profile_resolve(argv[i], &cause);
		struct profile *p = path ? profile_load(path, &cause) : NULL;
		if (!p) {
			fprintf(stderr, "%s\n", cause);
			bad = 1;
		} else
			printf("%s: ok (%s, %zu steps)\n", path, p->id, p->nsteps);
		profile_free(p);
		free(path);
		free(cause);
	}
	return bad ? LIGHT_USAGE : 0;
}

int light_main(int argc, char **argv)
{
	if (argc < 2)
		return fputs(usage_text, stderr), LIGHT_USAGE;
	const char *c = argv[1];
	if (!strcmp(c, "--help") || !strcmp(c, "-h") || !strcmp(c, "help"))
		return fputs(usage_text, stdout), 0;
	if (!strcmp(c, "--version"))
		return printf("upwiz %s\n", UPWIZ_VERSION), 0;
	if (!strcmp(c, "list"))
		return cmd_list();
	if (!strcmp(c, "check"))
		return cmd_check(argc - 1, argv + 1);
	return -1;
}
