/*
 * light.h: the commands that need only the profile loader (list, check, --help, --version, no
 * command at all). Both programs hand argv to light_main() first: the lean front `upwiz`
 * (cli/front.c, linked with libc + libyaml only, so it starts in a few milliseconds) and the
 * full program `upwiz-full` (cli/main.c, every library), so the two answer them identically.
 */
#ifndef UPWIZ_CLI_LIGHT_H
#define UPWIZ_CLI_LIGHT_H

/* argv as main() got it. Returns the exit code of the command it ran, or -1 when argv[1] is
 * another command (nothing was printed then). */
int light_main(int argc, char **argv);

/* Prints "upwiz: " + the message (fmt with one %s) + a pointer to --help on stderr; returns 2. */
int usage_err(const char *fmt, const char *arg);

#endif
