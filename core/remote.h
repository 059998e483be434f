/*
 * remote.h: running a step's shell command on another host through OpenSSH.
 *
 * A profile names a host per step, per command or per loop item; the command line (already
 * expanded with shell quoting) is wrapped as
 *     ssh -o BatchMode=yes -o ConnectTimeout=15 [-F $UPWIZ_SSH_CONFIG] [-tt] -- HOST 'COMMAND'
 * so it runs with the operator's own keys or agent, never a password (BatchMode refuses to
 * prompt), and the remote login shell runs COMMAND in the login folder. HOST is anything ssh
 * takes: an alias from the operator's ssh config, user@host, or ssh://user@host:port.
 * In sandbox mode the `ssh` found on PATH must lie inside the sandbox (the world's stand-in),
 * so a rehearsal never reaches a real machine.
 */
#ifndef UPWIZ_REMOTE_H
#define UPWIZ_REMOTE_H

/* Returns the local command line to run (caller frees): a copy of cmd when host is NULL or
 * empty. NULL with *cause (caller frees) for a host that is not a plain ssh destination or a
 * refused ssh in sandbox mode. tty: ask ssh for a terminal (a pty command). */
char *remote_wrap(const char *host, const char *cmd, int tty, char **cause);
/* Appends s to out as one single-quoted shell word. */
struct strbuf;
void shell_quote_word(struct strbuf *out, const char *s);

#endif
