/*
 * cmd_bundle.c: `upwiz bundle RUN-ID [-o FILE]`: the support bundle (core/bundle.h), by default
 * ./upwiz-RUN-ID.tar.gz. Prints the path and how to verify it.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/bundle.h"
#include "core/engine.h"
#include "core/sessions.h"
#include "core/util.h"

int cmd_bundle(int argc, char **argv)
{
	static const struct option longopts[] = {{"output", required_argument, NULL, 'o'}, {NULL, 0, NULL, 0}};
	const char *out = NULL;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "o:", longopts, NULL)) != -1) {
		if (c == 'o')
			out = optarg;
		else
			return EXIT_USAGE;
	}
	if (optind != argc - 1) {
		fprintf(stderr, "usage: upwiz bundle RUN-ID [-o FILE.tar.gz]\n");
		return EXIT_USAGE;
	}
	char *state = state_dir(), *cause = NULL;
	char *dir = session_dir(state, argv[optind], &cause);
	free(state);
	if (!dir) {
		fprintf(stderr, "upwiz: %s\n", cause);
		free(cause);
		return EXIT_FAILED;
	}
	char *def = xasprintf("upwiz-%s.tar.gz", path_basename(dir));
	if (!out)
		out = def;
	int n = bundle_write(dir, out, &cause);
	int rc = 0;
	if (n < 0) {
		fprintf(stderr, "upwiz: bundle: %s\n", cause);
		free(cause);
		rc = EXIT_FAILED;
	} else
		printf("%s: %d files and MANIFEST (verify: tar -xzf %s && cd upwiz-%s && sha256sum -c MANIFEST)\n", out, n,
		       out, path_basename(dir));
	free(def);
	free(dir);
	return rc;
}
