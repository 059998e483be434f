/*
 * tokensync.c: the token-sync step. Keys of .properties files are set to the database token
 * whose name starts with the key's application prefix (the Linkis guide's §6.2: the 1.4.0
 * install wrote new random tokens into the conf; the database keeps the 1.3.2 ones).
 *
 * Secrets first: every token name read from the database, and every value the files held for
 * the keys, is registered with the redactor (as a token: shown as prefix + last 4) the moment it
 * is read, before anything can be logged. The diff shown to the operator goes through the same
 * mask (redact_token_mask) explicitly, so it is safe even for a value too short to register.
 *
 * Matching is by the full prefix string: "LINKIS_CLI-" and "LINKISCLI-" are different
 * applications, and "BML-" must match exactly one token. Zero matches or several are failures
 * that name the prefix (several: the masked candidates), never a guess.
 *
 * The files are edited with core/props (every byte not changed is kept). Before a file is
 * written, its original goes to RUN_DIR/originals/<basename> (0600) and the replacement is
 * journaled with both paths; the new content replaces the file atomically with the file's own
 * mode (and owner, when we may set it). A file whose keys all match already is not written:
 * re-running the step is a no-op that says "already in sync".
 */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/props.h"
#include "core/run.h"

struct tok_ud {
	struct run *r;
	struct strvec *tokens;
};

static int on_row(void *ud, unsigned ncols, char **values, unsigned long *lengths)
{
	struct tok_ud *u = ud;
	if (ncols < 1 || !values[0] || lengths[0] == 0)
		return 0;
	char *t = xstrndup(values[0], lengths[0]);
	redactor_add(u->r->red, t, REDACT_TOKEN);   /* before anything can log it */
	sv_push_owned(u->tokens, t);
	return 0;
}

static char *mask_value(void *ud, const char *value)
{
	(void)ud;
	return redact_token_mask(value);
}

/* A JSON string literal (invalid UTF-8 bytes become '?'). Caller frees. */
static char *jstr(const char *s)
{
	json_t *j = json_string(s);
	if (!j) {
		char *c = xstrdup(s);
		for (char *p = c; *p; p++)
			if ((unsigned char)*p >= 0x80)
				*p = '?';
		j = json_string(c);
		free(c);
	}
	char *out = json_dumps(j, JSON_ENCODE_ANY);
	json_decref(j);
	return out ? out : xstrdup("\"?\"");
}

/* Tokens in `tokens` that start with prefix; returns the count, *one the last match. */
static size_t match_prefix(const struct strvec *tokens, const char *prefix, const char **one, struct strbuf *masked)
{
	size_t n = 0;
	*one = NULL;
	for (size_t i = 0; i < tokens->n; i++) {
		if (!str_starts(tokens->v[i], prefix))
			continue;
		n++;
		*one = tokens->v[i];
		if (masked) {
			char *m = redact_token_mask(tokens->v[i]);
			sb_addf(masked, "%s%s", masked->len ? ", " : "", m);
			free(m);
		}
	}
	return n;
}

struct file_work {
	char *path;                 /* expanded */
	char *before, *after;       /* contents */
	size_t before_len, after_len;
	mode_t mode;
	uid_t uid;
	gid_t gid;
	int nchanged;
};

static int ask_next(struct run *r, const struct pstep *s, const char *prompt)
{
	struct ask q = {.qid = s->id, .kind = "next", .prompt = prompt, .def = "yes"};
	char *a = run_ask(r, &q);
	if (!a)
		return -1;
	int yes = strcmp(a, "yes") == 0;
	free(a);
	return yes ? 0 : -1;
}

/* RUN_DIR/originals/<basename>, or <basename>.N when taken by another file's original. Caller frees. */
static char *backup_path(struct run *r, const char *path, const char *content, size_t len)
{
	char *dir = path_join(r->run_dir, "originals");
	char *p = path_join(dir, path_basename(path));
	for (int n = 1; path_exists(p) && n < 1000; n++) {
		/* the same original saved by an earlier attempt of this step can be reused */
		size_t l = 0;
		char *old = read_file(p, &l, NULL);
		int same = old && l == len && memcmp(old, content, len) == 0;
		free(old);
		if (same)
			break;
		free(p);
		char *alt = xasprintf("%s.%d", path_basename(path), n);
		p = path_join(dir, alt);
		free(alt);
	}
	free(dir);
	return p;
}

int act_tokensync(struct run *r, const struct pstep *s)
{
	int rc = STEP_FAILED;
	struct strvec tokens = STRVEC_INIT;
	struct file_work *fw = xcalloc(s->npfiles ? s->npfiles : 1, sizeof *fw);
	char *cause = NULL;
	int nfailed = 0, total_changes = 0, nkeys = 0;

	/* the tokens */
	ev_item(r, "tokens", "Tokens in the database", "run", "", "");
	struct db *d = run_db_open(r, s->connection, NULL);
	if (!d) {
		ev_item(r, "tokens", "Tokens in the database", "fail", "cannot connect (the log says why)", "");
		goto done;
	}
	char *q = run_expand(r, s->query, EXPAND_PLAIN);
	if (!q) {
		db_close(d);
		goto done;
	}
	ev_log(r, "sql", "%s", q);
	struct tok_ud tu = {r, &tokens};
	struct db_error err = {0};
	int qr = db_query_rows(d, q, on_row, &tu, &err);
	free(q);
	db_close(d);
	if (qr < 0) {
		char *det = xasprintf("ERROR %u (%s): %s", err.code, err.sqlstate, err.message);
		ev_item(r, "tokens", "Tokens in the database", "fail", det, "");
		free(det);
		goto done;
	}
	{
		char *det = xasprintf("%zu token%s read", tokens.n, tokens.n == 1 ? "" : "s");
		ev_item(r, "tokens", "Tokens in the database", tokens.n ? "pass" : "fail", det, "");
		free(det);
		if (!tokens.n)
			goto done;
	}

	/* the token the verify step logs in with */
	if (s->capture_var && s->capture_prefix) {
		const char *one;
		struct strbuf masked = STRBUF_INIT;
		size_t n = match_prefix(&tokens, s->capture_prefix, &one, &masked);
		if (n == 1) {
			vars_set(r->vars, s->capture_var, one, 2);
		} else {
			char *det = n ? xasprintf("%zu tokens start with %s: %s", n, s->capture_prefix, sb_str(&masked))
			              : xasprintf("no token starts with %s", s->capture_prefix);
			char *name = xasprintf("Token for the later steps (%s)", s->capture_var);
			ev_item(r, "capture", name, "fail", det, "");
			free(name);
			free(det);
			nfailed++;
		}
		sb_free(&masked);
	}

	/* each file */
	struct strbuf body = STRBUF_INIT;
	for (size_t f = 0; f < s->npfiles; f++) {
		const struct pfilekeys *pf = &s->pfiles[f];
		struct file_work *w = &fw[f];
		char fkey[32];
		snprintf(fkey, sizeof fkey, "file%zu", f + 1);
		w->path = run_expand(r, pf->path, EXPAND_PLAIN);
		if (!w->path) {
			nfailed++;
			continue;
		}
		if (run_guard_path(r, w->path) < 0) {
			ev_item(r, fkey, w->path, "fail", "refused by the sandbox guard", "");
			nfailed++;
			continue;
		}
		struct stat st;
		if (stat(w->path, &st) < 0 || !(w->before = read_file(w->path, &w->before_len, &cause))) {
			ev_item(r, fkey, w->path, "fail", cause ? cause : strerror(errno),
			        "LINKIS_HOME must be the 1.4.0 installation.");
			nfailed++;
			continue;
		}
		ev_item(r, fkey, w->path, "run", "", "");
		w->mode = st.st_mode & 07777;
		w->uid = st.st_uid;
		w->gid = st.st_gid;
		struct props *p = props_parse(w->before, w->before_len);
		/* the values there now are tokens too (the 1.4.0 install's): mask them from here on */
		for (size_t k = 0; k < pf->keys.n; k++) {
			const char *cur = props_get(p, pf->keys.v[k]);
			if (cur && strlen(cur) >= 4)
				redactor_add(r->red, cur, REDACT_TOKEN);
		}
		int file_failed = 0;
		for (size_t k = 0; k < pf->keys.n; k++) {
			const char *key = pf->keys.v[k], *prefix = pf->prefixes.v[k];
			char ikey[48];
			snprintf(ikey, sizeof ikey, "file%zu.%zu", f + 1, k + 1);
			nkeys++;
			const char *tok;
			struct strbuf masked = STRBUF_INIT;
			size_t n = match_prefix(&tokens, prefix, &tok, &masked);
			if (n != 1) {
				char *det = n ? xasprintf("%zu tokens start with %s: %s", n, prefix, sb_str(&masked))
				              : xasprintf("no token in the database starts with %s", prefix);
				ev_item(r, ikey, key, "fail", det,
				        n ? "Remove the extra tokens from linkis_mg_gateway_auth_token, or set this key by hand."
				          : "The 1.3.2 install should have created it: check linkis_mg_gateway_auth_token.");
				free(det);
				sb_free(&masked);
				file_failed = 1;
				continue;
			}
			sb_free(&masked);
			const char *cur = props_get(p, key);
			char *mnew = redact_token_mask(tok);
			if (cur && strcmp(cur, tok) == 0) {
				char *det = xasprintf("%s (already in sync)", mnew);
				ev_item(r, ikey, key, "pass", det, "");
				free(det);
			} else {
				/* no `todo` item: the diff in the body is the plan; the key's item comes when written */
				props_set(p, key, tok);
				w->nchanged++;
			}
			free(mnew);
		}
		w->after = props_serialize(p, &w->after_len);
		props_free(p);
		if (file_failed) {
			nfailed++;
			ev_item(r, fkey, w->path, "fail", "some keys have no unique token", "");
			continue;
		}
		total_changes += w->nchanged;
		if (w->nchanged == 0) {
			ev_item(r, fkey, w->path, "pass", "already in sync", "");
			sb_addf(&body, "%s: already in sync\n\n", w->path);
		} else {
			char *det = xasprintf("%d of %zu key%s to change", w->nchanged, pf->keys.n, pf->keys.n == 1 ? "" : "s");
			ev_item(r, fkey, w->path, "todo", det, "");
			free(det);
			char *diff = props_diff(w->before, w->after, mask_value, NULL);
			sb_addf(&body, "%s:\n%s\n", w->path, diff);
			free(diff);
		}
	}
	ev_body(r, sb_str(&body));
	sb_free(&body);
	if (nfailed)
		goto done;

	if (total_changes == 0) {
		if (ask_next(r, s, "Every key already holds its database token: nothing to write. Continue?") < 0) {
			rc = STEP_ABORT;
			goto done;
		}
		ev_log(r, "info", "%s: all %d keys already in sync; nothing written", s->id, nkeys);
		rc = STEP_OK;
		goto done;
	}
	{
		char *prompt = total_changes == 1 ? xstrdup("Write this change?")
		                                  : xasprintf("Write these %d changes?", total_changes);
		int ok = ask_next(r, s, prompt);
		free(prompt);
		if (ok < 0) {
			rc = STEP_ABORT;
			goto done;
		}
	}
	if (run_backup_gate(r) < 0) {
		ev_log(r, "error", "%s: no verified backup and no acknowledgement: nothing was changed", s->id);
		goto done;
	}

	/* the effects */
	char *odir = path_join(r->run_dir, "originals");
	if (mkdir_p(odir, 0700, &cause) < 0) {
		ev_log(r, "error", "%s", cause);
		free(odir);
		goto done;
	}
	free(odir);
	int written = 0;
	for (size_t f = 0; f < s->npfiles; f++) {
		struct file_work *w = &fw[f];
		char fkey[32];
		snprintf(fkey, sizeof fkey, "file%zu", f + 1);
		if (w->nchanged == 0)
			continue;
		char *bak = backup_path(r, w->path, w->before, w->before_len);
		if (!path_exists(bak) && write_file_atomic(bak, w->before, w->before_len, 0600, &cause) < 0) {
			ev_item(r, fkey, w->path, "fail", cause, "");
			free(bak);
			goto done;
		}
		char *jp = jstr(w->path), *jb = jstr(bak);
		/* mode and the new content's checksum: roll-back puts the original back with its mode and
		 * can tell whether someone changed the file since */
		char after_hex[65];
		sha256_hex(w->after, w->after_len, after_hex);
		run_journal(r, "file_replaced", "\"path\":%s,\"backup\":%s,\"keys\":%d,\"mode\":%d,\"sha256_after\":\"%s\"", jp, jb,
			    w->nchanged, (int)(w->mode & 07777), after_hex);
		free(jp);
		free(jb);
		if (write_file_atomic(w->path, w->after, w->after_len, w->mode, &cause) < 0) {
			ev_item(r, fkey, w->path, "fail", cause, "");
			free(bak);
			goto done;
		}
		/* keep the owner (a root-run wizard must not leave the service user unable to read it) */
		if (chown(w->path, w->uid, w->gid) < 0 && errno != EPERM)
			ev_log(r, "warn", "chown %s: %s", w->path, strerror(errno));
		written += w->nchanged;
		char *det = xasprintf("%d key%s written; original in %s", w->nchanged, w->nchanged == 1 ? "" : "s", bak);
		ev_item(r, fkey, w->path, "pass", det, "");
		free(det);
		const struct pfilekeys *pf = &s->pfiles[f];
		/* the per-key items, now that they are written: old -> new, masked */
		struct props *pa = props_parse(w->after, w->after_len), *pb = props_parse(w->before, w->before_len);
		for (size_t k = 0; k < pf->keys.n; k++) {
			char ikey[48];
			snprintf(ikey, sizeof ikey, "file%zu.%zu", f + 1, k + 1);
			const char *v = props_get(pa, pf->keys.v[k]), *old = props_get(pb, pf->keys.v[k]);
			if (v && old && strcmp(v, old) == 0)
				continue;       /* was already in sync: its item says so */
			char *m = redact_token_mask(v ? v : ""), *mo = old ? redact_token_mask(old) : xstrdup("(absent)");
			char *kd = xasprintf("%s -> %s (written)", mo, m);
			ev_item(r, ikey, pf->keys.v[k], "pass", kd, "");
			free(kd), free(m), free(mo);
		}
		props_free(pa);
		props_free(pb);
		free(bak);
	}
	sv_push_owned(&r->done_notes, xasprintf("%s: %d propert%s set to the database tokens (originals in %s/originals)",
	                                        s->id, written, written == 1 ? "y" : "ies", r->run_dir));
	rc = STEP_OK;
done:
	if (cause && rc == STEP_FAILED)
		ev_log(r, "error", "%s: %s", s->id, cause);
	for (size_t f = 0; f < s->npfiles; f++) {
		free(fw[f].path);
		free(fw[f].before);
		free(fw[f].after);
	}
	free(fw);
	free(cause);
	sv_free(&tokens);
	return rc;
}
