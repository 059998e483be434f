/*
 * cmd_simhttp.c: `upwiz sim-http`, the loopback HTTP server a sandbox world starts for each
 * simulated service. All of it lives in core/httpsim.c; this file only prints.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/httpsim.h"

int cmd_simhttp(int argc, char **argv);

int cmd_simhttp(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			fputs(httpsim_usage(), stdout);
			return 0;
		}
	}
	char *cause = NULL;
	int rc = httpsim_run(argc, argv, &cause);
	if (cause) {
		fprintf(stderr, "%s\n", cause);
		free(cause);
	}
	return rc;
}
