/*
 * copy.c: the copy step. A file (a jar, in the Linkis profile: the MySQL driver) goes into one
 * or more folders; older files matching a glob are moved aside into the run's folder.
 *
 * Order, so nothing is touched before the operator has seen everything that will happen:
 *   1. the source: the `source` path if it is set and exists, else a download of `url` into
 *      RUN_DIR/downloads/ (through http_request: PATH.partial, fsync, rename);
 *   2. its checks: SHA-256 against `sha256`, or, when the profile leaves that empty, shown to the
 *      operator who types its last 8 characters after comparing it with the published
 *      checksum; then the jar structure (core/jarcheck.h) when jar_class/jar_version are set;
 *   3. the plan (ev_body) and one `next` question; then the backup gate (the step is
 *      destructive);
 *   4. per folder: each file to move aside is renamed into RUN_DIR/moved-aside/N/ (copied and
 *      removed when the run folder is on another file system) and journaled before it is
 *      reported; the new file is copied atomically (copy_file), its SHA-256 checked against the
 *      source's, and journaled as file_added.
 *
 * Re-running is safe: a destination that already holds an identical file is left alone; a
 * file with the new name but other content is moved aside like the older versions, never
 * overwritten.
 */
#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/http.h"
#include "core/jarcheck.h"
#include "core/run.h"

struct dest_plan {
	char *dir;
	struct strvec aside;        /* file names to move aside */
	int identical;              /* the new file is already there, same content */
	int missing;                /* the folder does not exist */
};

/* A JSON string literal for the journal (invalid UTF-8 bytes become U+FFFD). Caller frees. */
static char *jstr(const char *s)
{
	json_t *j = json_string(s);
	if (!j) {
		struct strbuf sb = STRBUF_INIT;
		for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
			if (*p < 0x80)
				sb_addc(&sb, (char)*p);
			else
				sb_adds(&sb, "\xef\xbf\xbd");
		}
		j = json_string(sb_str(&sb));
		sb_free(&sb);
	}
	char *out = json_dumps(j, JSON_ENCODE_ANY);
	json_decref(j);
	return out ? out : xstrdup("\"?\"");
}

/* The file name at the end of a URL's path ("x.jar" of "https://h/a/x.jar?y"), or "download". Caller frees. */
static char *url_file_name(const char *url)
{
	size_t n = strcspn(url, "?#");
	char *u = xstrndup(url, n);
	const char *slash = strrchr(u, '/');
	const char *b = slash ? slash + 1 : u;
	int ok = *b && strcmp(b, ".") != 0 && strcmp(b, "..") != 0 && (!slash || slash[-1] != '/');
	char *res = xstrdup(ok ? b : "download");
	free(u);
	return res;
}

struct dl_ud {
	struct run *r;
	char *label;
};

static int dl_progress(void *ud, double done, double total)
{
	struct dl_ud *u = ud;
	ev_progress(u->r, done, total, "bytes", u->label);
	return u->r->abort_requested;
}

static void dl_log(void *ud, const char *line)
{
	struct dl_ud *u = ud;
	ev_log(u->r, "info", "%s", line);
}

/* Lower-cased, trimmed copy of a hex checksum as the operator or profile wrote it. Caller frees. */
static char *norm_hex(const char *s)
{
	char *d = xstrdup(s ? s : ""), *t = str_trim(d);
	char *res = xstrdup(t);
	free(d);
	for (char *p = res; *p; p++)
		if (*p >= 'A' && *p <= 'F')
			*p = (char)(*p - 'A' + 'a');
	return res;
}

/* Moves from -> to: rename, or copy + verify + unlink across file systems. 0 or -1 with cause. */
static int move_file(const char *from, const char *to, char **cause)
{
	if (rename(from, to) == 0) {
		fsync_dir_of(to);
		fsync_dir_of(from);
		return 0;
	}
	if (errno != EXDEV) {
		set_cause(cause, "move %s -> %s: %s", from, to, strerror(errno));
		return -1;
	}
	struct stat st;
	if (stat(from, &st) < 0) {
		set_cause(cause, "%s: %s", from, strerror(errno));
		return -1;
	}
	char a[65], b[65];
	if (copy_file(from, to, st.st_mode & 07777, cause) < 0)
		return -1;
	if (sha256_file(from, a, cause) < 0 || sha256_file(to, b, cause) < 0)
		return -1;
	if (strcmp(a, b) != 0) {
		set_cause(cause, "copy of %s to %s differs from the original", from, to);
		unlink(to);
		return -1;
	}
	if (unlink(from) < 0) {
		set_cause(cause, "%s: %s", from, strerror(errno));
		return -1;
	}
	fsync_dir_of(from);
	return 0;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Fills the plan of one destination folder. */
static void plan_dest(struct run *r, struct dest_plan *p, const char *pattern, const char *newname, const char *src_hex)
{
	if (!is_dir(p->dir)) {
		p->missing = 1;
		return;
	}
	DIR *d = opendir(p->dir);
	if (!d) {
		p->missing = 1;
		return;
	}
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char *full = path_join(p->dir, e->d_name);
		struct stat st;
		int reg = lstat(full, &st) == 0 && (S_ISREG(st.st_mode) || S_ISLNK(st.st_mode));
		if (reg && strcmp(e->d_name, newname) == 0) {
			char hex[65];
			if (S_ISREG(st.st_mode) && sha256_file(full, hex, NULL) == 0 && strcmp(hex, src_hex) == 0)
				p->identical = 1;
			else
				sv_push(&p->aside, e->d_name);   /* same name, other content: kept, not overwritten */
		} else if (reg && pattern && *pattern && fnmatch(pattern, e->d_name, 0) == 0) {
			sv_push(&p->aside, e->d_name);
		}
		free(full);
	}
	closedir(d);
	if (p->aside.n > 1)
		qsort(p->aside.v, p->aside.n, sizeof p->aside.v[0], name_cmp);
	(void)r;
}

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

int act_copy(struct run *r, const struct pstep *s)
{
	int rc = STEP_FAILED;
	char *src_t = run_expand(r, s->source, EXPAND_PLAIN);
	char *url = run_expand(r, s->url, EXPAND_PLAIN);
	char *want_t = run_expand(r, s->sha256, EXPAND_PLAIN);
	char *pattern = s->move_aside ? run_expand(r, s->move_aside, EXPAND_PLAIN) : NULL;
	char *jar_ver = s->jar_version ? run_expand(r, s->jar_version, EXPAND_PLAIN) : NULL;
	char *src = NULL, *want = NULL, *dl_name = NULL, *version = NULL, *cause = NULL;
	struct dest_plan *plans = xcalloc(s->dests.n ? s->dests.n : 1, sizeof *plans);
	size_t nplans = 0;
	char hex[65] = "";
	int downloaded = 0;
	if (!src_t || !url || !want_t || (s->move_aside && !pattern) || (s->jar_version && !jar_ver))
		goto done;   /* run_expand logged why */
	want = norm_hex(want_t);

	/* 1. the source */
	if (*src_t && run_guard_path(r, src_t) < 0) {
		ev_item(r, "source", "Source", "fail", "refused by the sandbox guard", "");
		goto done;
	}
	if (*src_t && path_exists(src_t)) {
		src = xstrdup(src_t);
		ev_item(r, "source", "Source", "pass", src, "");
	} else if (*url) {
		if (*src_t)
			ev_log(r, "warn", "%s does not exist: downloading %s instead", src_t, url);
		char *dldir = path_join(r->run_dir, "downloads");
		if (mkdir_p(dldir, 0700, &cause) < 0) {
			ev_item(r, "source", "Download", "fail", cause, "");
			free(dldir);
			goto done;
		}
		dl_name = url_file_name(url);
		src = path_join(dldir, dl_name);
		free(dldir);
		ev_item(r, "source", "Download", "run", url, "");
		struct dl_ud u = {r, xasprintf("Downloading %s", dl_name)};
		struct http_req q = {.url = url, .out_path = src, .progress = dl_progress, .log = dl_log, .ud = &u};
		struct http_resp resp;
		int hr = http_request(&q, &resp, &cause);
		free(u.label);
		if (hr < 0) {
			http_resp_free(&resp);
			ev_item(r, "source", "Download", "fail", cause,
			        "Check the URL and the network (a proxy needs http_proxy/https_proxy), or download the file "
			        "yourself and give its path.");
			if (r->abort_requested)
				rc = STEP_ABORT;
			goto done;
		}
		char *d = xasprintf("%s: %.0f bytes in %.1f s", src, resp.bytes, resp.elapsed_s);
		ev_item(r, "source", "Download", "pass", d, "");
		free(d);
		http_resp_free(&resp);
		downloaded = 1;
	} else {
		ev_item(r, "source", "Source", "fail", *src_t ? "the file does not exist and there is no URL to download"
		                                               : "neither a source file nor a URL is set", "");
		goto done;
	}
	const char *newname = path_basename(src);

	/* 2. checksum */
	if (sha256_file(src, hex, &cause) < 0) {
		ev_item(r, "sha256", "SHA-256", "fail", cause, "");
		goto done;
	}
	if (*want) {
		if (strcmp(want, hex) != 0) {
			char *d = xasprintf("%s has SHA-256 %s, expected %s", newname, hex, want);
			ev_item(r, "sha256", "SHA-256", "fail", d,
			        downloaded ? "The download is not the published file: retry it, or check the URL." :
			                     "This is not the file the checksum was published for.");
			free(d);
			goto done;
		}
		ev_item(r, "sha256", "SHA-256", "pass", hex, "");
	} else {
		ev_item(r, "sha256", "SHA-256", "info", hex, "");
		char *qid = xasprintf("%s.sha256", s->id);
		const char *last8 = hex + 56;
		char *prompt = xasprintf("Compare the SHA-256 of %s with the checksum published for it, then type its "
		                         "last 8 characters.", newname);
		char *detail = xasprintf("SHA-256 %s (no checksum in the profile: you are the check)", hex);
		struct ask q = {.qid = qid, .kind = "confirm", .prompt = prompt, .detail = detail, .expect = last8};
		char *a = run_ask(r, &q);
		free(qid);
		free(prompt);
		free(detail);
		if (!a) {
			rc = STEP_ABORT;
			goto done;
		}
		char *typed = norm_hex(a);
		int ok = strcmp(typed, last8) == 0;
		free(typed);
		free(a);
		if (!ok) {
			ev_item(r, "sha256", "SHA-256", "fail", "the characters typed do not end the checksum shown", "");
			goto done;
		}
		run_journal(r, "checksum_confirmed", "\"sha256\":\"%s\"", hex);
		ev_item(r, "sha256", "SHA-256", "pass", hex, "");
	}

	/* jar structure */
	if ((s->jar_class && *s->jar_class) || (jar_ver && *jar_ver)) {
		if (jar_check(src, s->jar_class, jar_ver, &version, &cause) < 0) {
			ev_item(r, "jar", "Jar contents", "fail", cause, "Use the Connector/J 8.x jar (mysql-connector-java-8.*.jar).");
			goto done;
		}
		char *d = xasprintf("%s%s%s%s", s->jar_class ? s->jar_class : "", s->jar_class && version ? ", " : "",
		                    version ? "version " : "", version ? version : "");
		ev_item(r, "jar", "Jar contents", "pass", d, "");
		free(d);
	}

	/* 3. the plan */
	struct strbuf body = STRBUF_INIT;
	if (downloaded)
		sb_addf(&body, "Source:   %s (downloaded from %s)\n", src, url);
	else
		sb_addf(&body, "Source:   %s\n", src);
	sb_addf(&body, "SHA-256:  %s (%s)\n", hex, *want ? "matches the expected checksum" : "confirmed by you");
	if (version)
		sb_addf(&body, "Version:  %s\n", version);
	size_t nmove = 0, ncopy = 0;
	int missing = 0;
	for (size_t i = 0; i < s->dests.n; i++) {
		struct dest_plan *p = &plans[nplans++];
		p->dir = run_expand(r, s->dests.v[i], EXPAND_PLAIN);
		if (!p->dir)
			goto plan_failed;
		if (run_guard_path(r, p->dir) < 0) {
			char *key = xasprintf("dest%zu", i + 1);
			ev_item(r, key, p->dir, "fail", "refused by the sandbox guard", "");
			free(key);
			goto plan_failed;
		}
		plan_dest(r, p, pattern, newname, hex);
		sb_addf(&body, "\nInto %s:\n", p->dir);
		if (p->missing) {
			sb_adds(&body, "  (this folder does not exist)\n");
			missing = 1;
			continue;
		}
		for (size_t k = 0; k < p->aside.n; k++)
			sb_addf(&body, "  move aside  %s -> %s/moved-aside/%zu/\n", p->aside.v[k], r->run_dir, i + 1);
		if (p->identical)
			sb_addf(&body, "  keep        %s (already there, identical)\n", newname);
		else
			sb_addf(&body, "  add         %s\n", newname);
		nmove += p->aside.n;
		ncopy += !p->identical;
	}
	ev_body(r, sb_str(&body));
	sb_free(&body);
	if (missing) {
		for (size_t i = 0; i < nplans; i++) {
			if (!plans[i].missing)
				continue;
			char *key = xasprintf("dest%zu", i + 1);
			ev_item(r, key, plans[i].dir, "fail", "the folder does not exist",
			        "Check LINKIS_HOME: it must be the 1.4.0 installation.");
			free(key);
		}
		goto done;
	}
	/* no `todo` item per folder: the body above is that plan, folder by folder; the items
	 * come with the outcomes */
	{
		char *prompt = ncopy || nmove
		               ? xasprintf("Install %s into %zu folder%s (%zu older file%s moved aside)?", newname, ncopy,
		                           ncopy == 1 ? "" : "s", nmove, nmove == 1 ? "" : "s")
		               : xasprintf("%s is already in place everywhere. Continue?", newname);
		int ok = ask_next(r, s, prompt);
		free(prompt);
		if (ok < 0) {
			rc = STEP_ABORT;
			goto done;
		}
	}
	if (ncopy == 0 && nmove == 0) {
		for (size_t i = 0; i < nplans; i++) {
			char *key = xasprintf("dest%zu", i + 1);
			ev_item(r, key, plans[i].dir, "pass", "already in place", "");
			free(key);
		}
		rc = STEP_OK;
		goto done;
	}
	if (run_backup_gate(r) < 0) {
		ev_log(r, "error", "%s: no verified backup and no acknowledgement: nothing was changed", s->id);
		goto done;
	}

	/* 4. the effects */
	size_t moved_total = 0, added_total = 0;
	for (size_t i = 0; i < nplans; i++) {
		struct dest_plan *p = &plans[i];
		char *key = xasprintf("dest%zu", i + 1);
		struct strbuf det = STRBUF_INIT;
		int failed = 0;
		ev_item(r, key, p->dir, "run", "", "");
		char *aside_dir = NULL;
		if (p->aside.n) {
			char *n = xasprintf("moved-aside/%zu", i + 1);
			aside_dir = path_join(r->run_dir, n);
			free(n);
			if (mkdir_p(aside_dir, 0700, &cause) < 0) {
				sb_adds(&det, cause);
				failed = 1;
			}
		}
		for (size_t k = 0; k < p->aside.n && !failed; k++) {
			char *from = path_join(p->dir, p->aside.v[k]);
			char *to = path_join(aside_dir, p->aside.v[k]);
			/* a retry of this step may find an earlier move there: never overwrite it */
			for (int n = 1; path_exists(to) && n < 1000; n++) {
				free(to);
				char *alt = xasprintf("%s.%d", p->aside.v[k], n);
				to = path_join(aside_dir, alt);
				free(alt);
			}
			if (run_guard_path(r, from) < 0) {
				sb_addf(&det, "%s: refused by the sandbox guard", from);
				failed = 1;
			} else if (move_file(from, to, &cause) < 0) {
				sb_adds(&det, cause);
				failed = 1;
			} else {
				char *jf = jstr(from), *jt = jstr(to);
				run_journal(r, "file_moved", "\"from\":%s,\"to\":%s", jf, jt);
				free(jf);
				free(jt);
				ev_log(r, "info", "moved %s -> %s", from, to);
				sb_addf(&det, "%smoved aside %s", det.len ? "; " : "", p->aside.v[k]);
				moved_total++;
			}
			free(from);
			free(to);
		}
		if (!failed && !p->identical) {
			char *target = path_join(p->dir, newname);
			char got[65];
			if (run_guard_path(r, target) < 0) {
				sb_addf(&det, "%s%s: refused by the sandbox guard", det.len ? "; " : "", target);
				failed = 1;
			} else if (copy_file(src, target, 0644, &cause) < 0) {
				sb_addf(&det, "%s%s", det.len ? "; " : "", cause);
				failed = 1;
			} else if (sha256_file(target, got, &cause) < 0 || strcmp(got, hex) != 0) {
				sb_addf(&det, "%s%s: the copy's SHA-256 differs from the source", det.len ? "; " : "", target);
				unlink(target);
				failed = 1;
			} else {
				char *jp = jstr(target);
				run_journal(r, "file_added", "\"path\":%s,\"sha256\":\"%s\"", jp, hex);
				free(jp);
				ev_log(r, "info", "added %s", target);
				sb_addf(&det, "%sadded %s", det.len ? "; " : "", newname);
				added_total++;
			}
			free(target);
		} else if (!failed) {
			sb_addf(&det, "%s%s already in place", det.len ? "; " : "", newname);
		}
		ev_item(r, key, p->dir, failed ? "fail" : "pass", sb_str(&det), "");
		sb_free(&det);
		free(aside_dir);
		free(key);
		if (failed)
			goto noted;
	}
	rc = STEP_OK;
noted:
	if (added_total || moved_total)
		sv_push_owned(&r->done_notes,
		              xasprintf("%s: %s added to %zu folder%s, %zu older file%s moved aside into %s/moved-aside",
		                        s->id, newname, added_total, added_total == 1 ? "" : "s", moved_total,
		                        moved_total == 1 ? "" : "s", r->run_dir));
	goto done;
plan_failed:
	sb_free(&body);
done:
	if (cause && rc == STEP_FAILED)
		ev_log(r, "error", "%s: %s", s->id, cause);
	for (size_t i = 0; i < nplans; i++) {
		free(plans[i].dir);
		sv_free(&plans[i].aside);
	}
	free(plans);
	free(cause);
	free(src_t), free(url), free(want_t), free(want), free(pattern), free(jar_ver);
	free(src), free(dl_name), free(version);
	return rc;
}
