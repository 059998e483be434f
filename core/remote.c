/*
 * remote.c: see remote.h. The destination is checked character by character (no blanks,
 * quotes, shell operators, no leading '-' that ssh would read as an option); the command goes
 * to ssh as one quoted word, which ssh hands to the remote login shell unchanged.
 */
#include "core/remote.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/guard.h"
#include "core/util.h"

void shell_quote_word(struct strbuf *out, const char *s)
{
	sb_addc(out, '\'');
	for (; *s; s++) {
		if (*s == '\'')
			sb_adds(out, "'\\''");
		else
			sb_addc(out, *s);
	}
	sb_addc(out, '\'');
}

static int dest_ok(const char *h)
{
	if (!*h || *h == '-')
		return 0;
	for (const char *p = h; *p; p++) {
		char c = *p;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      strchr("._-@:/[]%", c)))
			return 0;
	}
	return 1;
}

/* The ssh that PATH gives, canonical (caller frees), or NULL. */
static char *which_ssh(void)
{
	const char *path = getenv("PATH");
	const char *p = path && *path ? path : "/usr/bin:/bin";
	while (*p) {
		size_t n = strcspn(p, ":");
		char *cand = xasprintf("%.*s/ssh", (int)n, p);
		if (access(cand, X_OK) == 0) {
			char *real = realpath(cand, NULL);
			free(cand);
			return real;
		}
		free(cand);
		p += n;
		if (*p == ':')
			p++;
	}
	return NULL;
}

char *remote_wrap(const char *host, const char *cmd, int tty, char **cause)
{
	if (!host || !*host)
		return xstrdup(cmd);
	if (!dest_ok(host)) {
		set_cause(cause, "'%s' is not an ssh destination (host, user@host, an ssh config alias or ssh://user@host:port)", host);
		return NULL;
	}
	if (guard_enabled()) {
		char *ssh = which_ssh();
		const char *root = guard_root();
		size_t rl = root ? strlen(root) : 0;
		int inside = ssh && root && strncmp(ssh, root, rl) == 0 && ssh[rl] == '/';
		if (!inside) {
			set_cause(cause, "refused in sandbox mode: the ssh on PATH (%s) is not the sandbox's stand-in", ssh ? ssh : "none");
			free(ssh);
			return NULL;
		}
		free(ssh);
	}
	struct strbuf sb = STRBUF_INIT;
	sb_adds(&sb, "ssh -o BatchMode=yes -o ConnectTimeout=15 -o ServerAliveInterval=15");
	const char *cfg = getenv("UPWIZ_SSH_CONFIG");
	if (cfg && *cfg) {
		sb_adds(&sb, " -F ");
		shell_quote_word(&sb, cfg);
	}
	if (tty)
		sb_adds(&sb, " -tt");
	sb_adds(&sb, " -- ");
	shell_quote_word(&sb, host);
	sb_addc(&sb, ' ');
	shell_quote_word(&sb, cmd);
	return sb_detach(&sb);
}
