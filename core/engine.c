/*
 * engine.c: the step loop and everything around it (see engine.h).
 *
 * Order of a run: socket up first (so a front end sees the sandbox being built and the
 * variable prompts), then the sandbox world if any, variables, the host lock, an offer to
 * resume an interrupted run on the same target, the steps, the summary, and a linger until
 * the last front end has read the end.
 */
#include "core/engine.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include <dirent.h>
#include <pwd.h>

#include "core/answers.h"
#include "core/foreach.h"
#include "core/guard.h"
#include "core/hub.h"
#include "core/journal.h"
#include "core/rollback.h"
#include "core/run.h"
#include "core/runstate.h"
#if __has_include("core/world.h")
#include "core/world.h"
#define HAVE_WORLD 1
#endif
#include "core/report.h"
#include "core/scenario.h"


char *state_dir(void)
{
	const char *x = getenv("XDG_STATE_HOME");
	char *d;
	if (x && *x)
		d = xasprintf("%s/upwiz", x);
	else {
		const char *home = getenv("HOME");
		d = xasprintf("%s/.local/state/upwiz", home && *home ? home : "/tmp");
	}
	mkdir_p(d, 0700, NULL);
	return d;
}

char *run_new(const char *state, char **run_dir, char **cause)
{
	char ts[32];
	time_t now = time(NULL);
	struct tm tm;
	localtime_r(&now, &tm);
	strftime(ts, sizeof ts, "%Y%m%d-%H%M%S", &tm);
	unsigned rnd = 0;
	int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		(void)!read(fd, &rnd, sizeof rnd);
		close(fd);
	}
	char *id = xasprintf("%s-%04x", ts, rnd & 0xffff);
	*run_dir = xasprintf("%s/runs/%s", state, id);
	if (mkdir_p(*run_dir, 0700, cause) < 0) {
		free(id);
		free(*run_dir);
		*run_dir = NULL;
		return NULL;
	}
	return id;
}

char *run_find_live(const char *state, const char *run_id)
{
	char *runs = xasprintf("%s/runs", state);
	if (run_id) {
		char *sock = xasprintf("%s/%s/engine.sock", runs, run_id);
		free(runs);
		if (path_exists(sock))
			return sock;
		free(sock);
		return NULL;
	}
	DIR *d = opendir(runs);
	char *best = NULL;
	if (d) {
		struct dirent *de;
		while ((de = readdir(d))) {
			if (de->d_name[0] == '.')
				continue;
			char *sock = xasprintf("%s/%s/engine.sock", runs, de->d_name);
			if (path_exists(sock) && (!best || strcmp(sock, best) > 0)) {
				free(best);
				best = sock;
			} else
				free(sock);
		}
		closedir(d);
	}
	free(runs);
	return best;
}

/* ---- variables */

/* Each variable from the world, the answers file, --var, UPWIZ_VAR_NAME, the default or the
 * operator, checked against its type and pattern. -1: not answered; -2: a value that does not
 * fit (logged). */
static int resolve_vars(struct run *r, const struct engine_opts *o)
{
	struct profile *p = r->prof;
	for (size_t i = 0; i < p->nvars; i++) {
		const struct pvar *v = &p->vars[i];
		if (vars_get(r->vars, v->name))   /* the sandbox world set it */
			continue;
		const char *val = answers_var(r->answers, v->name), *from = "the answers file";
		char *envname = xasprintf("UPWIZ_VAR_%s", v->name);
		const char *env = getenv(envname);
		char *envval = env ? xstrdup(env) : NULL;
		unsetenv(envname);    /* before any child starts: secrets stay out of children's environments */
		for (size_t k = 0; !val && k < o->set_vars.n; k++) {
			size_t n = strcspn(o->set_vars.v[k], "=");
			if (strlen(v->name) == n && strncmp(o->set_vars.v[k], v->name, n) == 0)
				val = o->set_vars.v[k] + n + 1, from = "--var";
		}
		if (!val && envval)
			val = envval, from = envname;   /* only used before envname is freed below */
		if (!val && v->def && (*v->def || v->optional))
			val = v->def, from = "the profile's default";
		if (!val && v->optional)
			val = "";
		char *asked = NULL, *why = NULL;
		if (val && pvar_check(v, val, &why) < 0) {
			/* given before the run: nobody to ask again, and a wrong port must not reach a step */
			if (v->secret)
				ev_log(r, "error", "%s from %s: %s", v->name, from, why);
			else
				ev_log(r, "error", "%s from %s: \"%s\": %s", v->name, from, val, why);
			free(why), free(envname);
			if (envval)
				memset(envval, 0, strlen(envval)), free(envval);
			return -2;
		}
		free(envname);
		while (!val) {
			char *qid = xasprintf("var.%s", v->name);
			struct ask q = {.qid = qid, .kind = v->secret ? "secret" : "text", .prompt = v->prompt,
			                .detail = why ? why : v->help};
			asked = run_ask(r, &q);
			free(qid);
			free(why), why = NULL;
			if (!asked) {
				free(envval);
				return -1;
			}
			if (pvar_check(v, asked, &why) < 0) {   /* asked again, saying what is expected */
				ev_log(r, r->answers ? "error" : "warn", "%s: %s", v->name, why);
				memset(asked, 0, strlen(asked)), free(asked), asked = NULL;
				if (r->answers) {   /* an answers file would give the same again */
					free(why), free(envval);
					return -2;
				}
				continue;
			}
			val = asked;
		}
		if (vars_set(r->vars, v->name, val, v->secret) < 0)
			ev_log(r, "warn", "the secret %s is shorter than 4 characters: it cannot be masked reliably in logs", v->name);
		if (asked) {
			memset(asked, 0, strlen(asked));
			free(asked);
		}
		if (envval) {
			memset(envval, 0, strlen(envval));
			free(envval);
		}
	}
	return 0;
}

/* ---- host lock: flock on STATE/locks/<sha256 of target>.lock, naming the holder */

static int take_lock(struct run *r, const char *target, int *fd_out, char **holder)
{
	char sha[65];
	sha256_hex(target, strlen(target), sha);
	char *dir = xasprintf("%s/locks", r->state_dir);
	mkdir_p(dir, 0700, NULL);
	char *path = xasprintf("%s/%.16s.lock", dir, sha);
	free(dir);
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	free(path);
	if (fd < 0)
		return -1;
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		char buf[512] = {0};
		(void)!pread(fd, buf, sizeof buf - 1, 0);
		*holder = xstrdup(buf[0] ? buf : "another upwiz");
		close(fd);
		return -1;
	}
	char host[256] = "?";
	gethostname(host, sizeof host);
	const char *user = getenv("USER");
	struct passwd *pw = getpwuid(geteuid());   /* cron, sudo -E and ctest may leave USER unset or wrong */
	if (pw && pw->pw_name)
		user = pw->pw_name;
	char *when = iso_time(wall_time());
	char *info = xasprintf("pid %ld on %s, user %s, run %s, since %s", (long)getpid(), host, user ? user : "?", r->run_id, when);
	free(when);
	(void)!ftruncate(fd, 0);
	(void)!pwrite(fd, info, strlen(info), 0);
	free(info);
	*fd_out = fd;
	return 0;
}

/* ---- resume: an earlier run of this profile on this target that did not finish
 * (core/runstate.c finds it, the same way `upwiz plan` does) */

static void write_meta(struct run *r, const char *target, const char *target_sha, const char *outcome, double started)
{
	json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:f,s:b}", "run", r->run_id, "profile", r->prof->id, "target", target,
			      "target_sha", target_sha, "started", started, "sandbox", r->sandbox);
	if (outcome) {
		json_object_set_new(o, "outcome", json_string(outcome));
		json_object_set_new(o, "ended", json_real(wall_time()));
	}
	char *path = xasprintf("%s/run.json", r->run_dir);
	json_t *old = json_load_file(path, 0, NULL);   /* a roll-back's mark stays (core/rollback.c) */
	if (old && json_object_get(old, "rolled_back"))
		json_object_set(o, "rolled_back", json_object_get(old, "rolled_back"));
	json_decref(old);
	char *s = json_dumps(o, JSON_INDENT(1));
	write_file_atomic(path, s, strlen(s), 0600, NULL);
	free(path);
	free(s);
	json_decref(o);
}

/* name=value of every variable (secrets included: it stays in memory, for vars_journal_changes). */
static void vars_snapshot(const struct vars *v, struct strvec *out)
{
	for (size_t i = 0; i < vars_count(v); i++) {
		const char *n = vars_name_at(v, i);
		const char *val = vars_get(v, n);
		sv_push_owned(out, xasprintf("%s=%s", n, val ? val : ""));
	}
}

/*
 * A step that finished may have captured values (a command's output, a check, tokens read from the
 * database) that later steps use. A resume skips the step, so the values are journaled with it:
 * "var_value" with the value, or for a secret only its name (a secret never reaches the journal;
 * the resume runs that step again to read it anew).
 */
static void vars_journal_changes(struct run *r, const struct strvec *before)
{
	struct strvec now = STRVEC_INIT;
	vars_snapshot(r->vars, &now);
	for (size_t i = 0; i < now.n; i++) {
		int same = 0;
		for (size_t k = 0; k < before->n && !same; k++)
			same = strcmp(before->v[k], now.v[i]) == 0;
		if (same || str_starts(now.v[i], "UPWIZ_"))   /* the engine's own (a loop's iteration) */
			continue;
		size_t n = strcspn(now.v[i], "=");
		char *name = xstrndup(now.v[i], n);
		if (vars_is_secret(r->vars, name))
			run_journal(r, "var_value", "\"name\":\"%s\",\"secret\":true", name);
		else {
			json_t *j = json_string(now.v[i] + n + 1);
			char *val = j ? json_dumps(j, JSON_ENCODE_ANY) : NULL;
			if (val)
				run_journal(r, "var_value", "\"name\":\"%s\",\"value\":%s", name, val);
			free(val);
			json_decref(j);
		}
		free(name);
	}
	sv_free(&now);
}

/*
 * A backup the interrupted run verified counts for the resume only if it is still what was
 * verified: the file is there and its SHA-256 is the journaled one (someone may have cleaned the
 * backup folder since). Otherwise its step runs again (adopt_journal), and until it has, the
 * backup gate holds every destructive step. Returns 1 when it still counts.
 */
static int adopt_backup(struct run *r, json_t *o)
{
	const char *path = json_string_value(json_object_get(o, "path"));
	const char *sha = json_string_value(json_object_get(o, "sha256"));
	const char *kind = json_string_value(json_object_get(o, "kind"));
	if (!path || !sha) {
		return 1;   /* a record without them (older runs): as before */
	}
	char hex[65], *cause = NULL;
	if (sha256_file(path, hex, &cause) < 0) {
		ev_log(r, "warn", "the %s backup of the interrupted run is gone (%s): it does not count; a destructive step "
		       "asks for a new backup first", kind ? kind : "", cause ? cause : path);
		free(cause);
		return 0;
	}
	if (strcmp(hex, sha) != 0) {
		ev_log(r, "warn", "the %s backup of the interrupted run changed since it was verified (%s: sha256 %.12s… then, "
		       "%.12s… now): it does not count", kind ? kind : "", path, sha, hex);
		return 0;
	}
	ev_log(r, "info", "the %s backup of the interrupted run is still as verified (%s, sha256 %.12s…)", kind ? kind : "",
	       path, hex);
	return 1;
}

/* Copies the old journal's records into ours (so resume logic reads one journal), and returns
 * the set of step ids the old run finished, with choice answers replayed into variables. */
static void adopt_journal(struct run *r, const char *old_id, struct strvec *done_steps)
{
	char *old = xasprintf("%s/runs/%s/journal.jsonl", r->state_dir, old_id);
	struct strvec lines = STRVEC_INIT;
	journal_read_lines(old, &lines, NULL);
	free(old);
	uint64_t last = 0;
	int bad_backup = 0;
	struct strvec redo = STRVEC_INIT;
	for (size_t i = 0; i < lines.n; i++) {
		json_t *o = json_loads(lines.v[i], 0, NULL);
		if (!o)
			continue;
		const char *t = json_string_value(json_object_get(o, "t"));
		const char *step = json_string_value(json_object_get(o, "step"));
		if (t && strcmp(t, "step_done") == 0 && step)
			sv_push(done_steps, step);
		if (t && strcmp(t, "backup") == 0) {
			if (adopt_backup(r, o))
				r->backup_verified = !bad_backup;
			else {
				bad_backup = 1, r->backup_verified = 0;   /* one lost backup is enough to ask again */
				if (step)
					sv_push(&redo, step);   /* and its step runs again: a new backup, verified */
			}
		}
		if (t && strcmp(t, "var_value") == 0) {
			const char *name = json_string_value(json_object_get(o, "name"));
			const char *val = json_string_value(json_object_get(o, "value"));
			if (name && val)
				vars_set(r->vars, name, val, 0);
			else if (name && step) {
				ev_log(r, "info", "step %s runs again: the secret %s it read is not kept in the journal", step, name);
				sv_push(&redo, step);
			}
		}
		if (t && (strcmp(t, "iter_done") == 0 || strcmp(t, "command") == 0))
			foreach_adopt(r, o);   /* a loop resumes at its first iteration not done */
		if (t && strcmp(t, "answer") == 0) {
			const char *qid = json_string_value(json_object_get(o, "qid"));
			const char *val = json_string_value(json_object_get(o, "value"));
			for (size_t k = 0; qid && val && k < r->prof->nsteps; k++) {
				const struct pstep *s = &r->prof->steps[k];
				if (s->kind != SK_CHOICE || strcmp(s->id, qid) != 0)
					continue;
				for (size_t j = 0; j < s->noptions; j++)
					if (strcmp(s->options[j].key, val) == 0)
						for (size_t m = 0; m < s->options[j].set.n; m++) {
							const char *kv = s->options[j].set.v[m];
							size_t n = strcspn(kv, "=");
							char *name = xstrndup(kv, n);
							vars_set(r->vars, name, kv + n + 1, 0);
							free(name);
						}
			}
		}
		/* Statement, backup and answer records carry over (marked adopted_from), so sqlapply resumes at
		 * the exact statement and a resume of this run finds them again. */
		if (t && (str_starts(t, "stmt_") || strcmp(t, "file_precond") == 0 || strcmp(t, "backup") == 0 ||
			  strcmp(t, "answer") == 0 || strcmp(t, "var_value") == 0)) {
			char *type = xstrdup(t);
			json_object_del(o, "t");
			json_object_del(o, "ts");
			if (!json_object_get(o, "adopted_from"))
				json_object_set_new(o, "adopted_from", json_string(old_id));
			char *m = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
			size_t ml = m ? strlen(m) : 0;
			if (ml >= 2) {
				m[ml - 1] = '\0';
				/* one sync for all of them below: a long apply leaves three lines per statement */
				last = journal_write(r->jr, type, m + 1);
			}
			free(m);
			free(type);
		}
		json_decref(o);   /* last: t points into o */
	}
	sv_free(&lines);
	for (size_t k = 0; k < redo.n; k++)
		for (size_t d = 0; d < done_steps->n; d++)
			if (strcmp(done_steps->v[d], redo.v[k]) == 0) {
				ev_log(r, "warn", "step %s runs again (see above)", redo.v[k]);
				free(done_steps->v[d]);
				done_steps->v[d] = xstrdup("");   /* no step has an empty id */
			}
	sv_free(&redo);
	if (last && journal_wait(r->jr, last) < 0)
		ev_log(r, "error", "cannot sync the journal (%s/journal.jsonl): the records adopted from run %s may not survive a power cut",
		       r->run_dir, old_id);
}

/* ---- steps */

static int run_step(struct run *r, const struct pstep *s)
{
	/* fault seam for tests: UPWIZ_FAULT=step-ID:N fails step ID from its Nth attempt on */
	char site[96];
	snprintf(site, sizeof site, "step-%s", s->id);
	if (fault_hit(site)) {
		ev_log(r, "error", "%s: injected fault (UPWIZ_FAULT)", s->id);
		return STEP_FAILED;
	}
	switch (s->kind) {
	case SK_PRECAUTIONS: return act_precautions(r, s);
	case SK_ENVCHECK:
	case SK_VERIFY: return act_checks(r, s);
	case SK_CHOICE: return act_choice(r, s);
	case SK_BACKUP: return act_backup(r, s);
	case SK_SQLAPPLY: return act_sqlapply(r, s);
	case SK_COPY: return act_copy(r, s);
	case SK_TOKENSYNC: return act_tokensync(r, s);
	case SK_COMMAND: return act_command(r, s);
	case SK_CHECKLIST: return act_checklist(r, s);
	default: return STEP_FAILED;
	}
}

static void finish(struct run *r, const char *outcome, int code, const char *summary)
{
	json_t *o = json_pack("{s:s,s:s,s:i,s:f}", "t", "finished", "outcome", outcome, "exit", code, "ts", wall_time());
	char *red = redactor_apply(r->red, summary ? summary : "");
	json_object_set_new(o, "summary", json_string(red));
	free(red);
	char *line = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	hub_emit(r->hub, line, 0);
	free(line);
	run_journal(r, "finished", "\"outcome\":\"%s\",\"exit\":%d", outcome, code);
}

static char *summary_text(struct run *r, const char *outcome)
{
	struct strbuf sb = STRBUF_INIT;
	const struct profile *p = r->prof;
	if (strstr(p->title, p->from) && strstr(p->title, p->to))   /* "Apache Linkis 1.3.2 -> 1.4.0" says it */
		sb_addf(&sb, "%s: %s\n", p->title, outcome);
	else
		sb_addf(&sb, "%s, %s -> %s: %s\n", p->title, p->from, p->to, outcome);
	sb_addf(&sb, "Run %s, journal and log in %s\n\n", r->run_id, r->run_dir);
	/* Each step with how it ended and how long its last run took: a resumed run's steps done
	 * before are "done" without a time (this run did not run them). */
	sb_adds(&sb, "Steps:\n");
	size_t idw = 0;
	for (size_t i = 0; i < p->nsteps; i++)
		if (strlen(p->steps[i].id) > idw)
			idw = strlen(p->steps[i].id);
	for (size_t i = 0; i < p->nsteps; i++) {
		const char *state = r->hub ? hub_step_state(r->hub, i) : "pending";
		if (!strcmp(state, "running"))
			state = "stopped";
		else if (!strcmp(state, "pending"))
			state = "not reached";
		double t0 = r->step_t0 ? r->step_t0[i] : 0, t1 = r->step_t1 ? r->step_t1[i] : 0;
		double asked = r->step_asked ? r->step_asked[i] : 0;
		if (t0 && t1) {
			/* the step's own time, then the operator's when it adds up to a second (a rehearsal
			 * tells how long the work takes, for planning the real window) */
			double work = t1 - t0 - asked;
			char *took = secs_text(work > 0 ? work : 0), *op = asked >= 1 ? secs_text(asked) : NULL;
			sb_addf(&sb, "  %-*s  %-11s %s%s%s%s\n", (int)idw, p->steps[i].id, state, took, op ? " (+ " : "",
				op ? op : "", op ? " answering)" : "");
			free(took), free(op);
		} else
			sb_addf(&sb, "  %-*s  %s\n", (int)idw, p->steps[i].id, state);
	}
	if (r->done_notes.n) {
		sb_adds(&sb, "\nWhat was done:\n");
		for (size_t i = 0; i < r->done_notes.n; i++)
			sb_addf(&sb, "  - %s\n", r->done_notes.v[i]);
	}
	if (r->backups.n) {
		sb_adds(&sb, "\nBackups:\n");
		for (size_t i = 0; i < r->backups.n; i++)
			sb_addf(&sb, "  - %s\n", r->backups.v[i]);
		if (r->backup_restore_cmd)
			sb_addf(&sb, "\nRestore the database: %s\n", r->backup_restore_cmd);
	}
	if (r->risk_acknowledged)
		sb_adds(&sb, "\nWARNING: the operator went on without a verified backup.\n");
	/* the profile's closing words describe the upgrade done ("the previous compose file was moved
	 * aside"): after a failure they would tell of things that did not happen */
	if (r->prof->summary && !strcmp(outcome, "success")) {
		char *t = vars_expand(r->vars, r->prof->summary, EXPAND_DISPLAY, NULL);
		if (t)
			sb_addf(&sb, "\n%s\n", t);
		free(t);
	}
	return sb_detach(&sb);
}

int engine_run(const struct engine_opts *o)
{
	signal(SIGHUP, SIG_IGN);   /* the SSH link dropping must not stop the upgrade */
	signal(SIGPIPE, SIG_IGN);
	double started = wall_time();
	struct run R = {0}, *r = &R;
	r->run_id = xstrdup(o->run_id);
	r->run_dir = xstrdup(o->run_dir);
	r->state_dir = xstrdup(o->state_dir);
	r->red = redactor_new();
	r->vars = vars_new(r->red);
	r->resume_stmt_file = r->resume_stmt_index = -1;
	r->started_at = started;
	char *cause = NULL;
	int code = EXIT_FAILED;
	r->prof = profile_load(o->profile_path, &cause);
	if (!r->prof) {
		fprintf(stderr, "%s\n", cause);
		free(cause);
		return EXIT_USAGE;
	}
	char *jpath = xasprintf("%s/journal.jsonl", r->run_dir);
	r->jr = journal_open(jpath, &cause);
	free(jpath);
	char *sock = xasprintf("%s/engine.sock", r->run_dir);
	char *events = xasprintf("%s/events.jsonl", r->run_dir);
	r->log_path = xasprintf("%s/run.log", r->run_dir);
	r->sandbox = o->sandbox;   /* before the hub: its first hello (events.jsonl) says it */
	r->hub = hub_start(r, sock, events, r->log_path, &cause);
	free(events);
	if (!r->hub || !r->jr) {
		fprintf(stderr, "upwiz engine: %s\n", cause ? cause : "cannot start");
		return EXIT_FAILED;
	}
	if (o->sandbox) {
		hub_set_alone_max(r->hub, o->alone_max_s);
		/* said once, so a trainee (and support, in run.log) knows the rule before it applies */
		if (o->alone_max_s > 0) {
			char *t = secs_text((double)o->alone_max_s);
			ev_log(r, "info", "sandbox: a question left %s without a front end ends the run "
			       "(UPWIZ_SANDBOX_DETACHED_MAX)", t);
			free(t);
		} else
			ev_log(r, "info", "sandbox: a question waits for a front end for ever (UPWIZ_SANDBOX_DETACHED_MAX=0)");
	}
	hub_catch_signals(r->hub);
	/* The CLI attaches right after the fork: give it a moment so it sees everything from the start. */
	for (int i = 0; i < 250 && o->wait_client && hub_clients(r->hub) == 0; i++)
		usleep(20000);
	vars_set(r->vars, "PROFILE_DIR", r->prof->dir, 0);
	vars_set(r->vars, "RUN_DIR", r->run_dir, 0);
	vars_set(r->vars, "RUN_ID", r->run_id, 0);
	vars_set(r->vars, "STATE_DIR", r->state_dir, 0);
	vars_set(r->vars, "SANDBOX_ROOT", "", 0);
	run_journal(r, "run", "\"profile\":\"%s\",\"sandbox\":%s", r->prof->id, o->sandbox ? "true" : "false");
	const char *outcome = "failed";
	int lock_fd = -1;
	char *target = NULL, target_sha[65] = "";
#ifdef HAVE_WORLD
	struct world world = {0};
	int have_world = 0;
#endif
	struct scenario scen = {0};
	int have_scen = 0;
	struct answers *golden = NULL;   /* the expected answers, for the trainee's report */
	if (o->answers_file) {
		r->answers = answers_load(o->answers_file, &cause);
		if (!r->answers) {
			ev_log(r, "error", "%s", cause);
			code = EXIT_USAGE;
			goto end;
		}
	}
	if (o->sandbox) {
#ifdef HAVE_WORLD
		if (!r->prof->world) {
			ev_log(r, "error", "profile %s has no sandbox world", r->prof->id);
			code = EXIT_USAGE;
			goto end;
		}
		char *wdir = path_join(r->prof->dir, r->prof->world), *real = realpath(wdir, NULL);
		if (real)   /* "profiles/../assets/..." read as where it is */
			free(wdir), wdir = real;
		char *root = xasprintf("%s/sandbox", r->run_dir);
		mkdir_p(root, 0700, NULL);
		if (o->scenario) {
			if (scenario_load(wdir, o->scenario, &scen, &cause) < 0) {
				ev_log(r, "error", "%s", cause);
				free(wdir), free(root);
				code = EXIT_USAGE;
				goto end;
			}
			have_scen = 1;
		}
		ev_log(r, "info", "building the sandbox world from %s", wdir);
		uint64_t t0 = mono_ms();
		if (world_build(wdir, root, o->upwiz_exe, &world, &cause) < 0) {
			ev_log(r, "error", "sandbox: %s", cause);
			free(wdir), free(root);
			goto end;
		}
		have_world = 1;
		if (have_scen && scenario_apply(&scen, &world, &cause) < 0) {
			ev_log(r, "error", "scenario %s: %s", scen.name, cause);
			free(wdir), free(root);
			goto end;
		}
		ev_log(r, "info", "sandbox ready in %.1f s under %s", (double)(mono_ms() - t0) / 1000.0, world.root);
		if (have_scen)
			ev_log(r, "info", "scenario %s: %s", scen.name, scen.description);
		for (size_t i = 0; i < world.vars.n; i++) {
			const char *kv = world.vars.v[i];
			size_t n = strcspn(kv, "=");
			char *name = xstrndup(kv, n);
			int secret = 0;
			for (size_t k = 0; k < world.secret_vars.n; k++)
				secret |= strcmp(world.secret_vars.v[k], name) == 0;
			vars_set(r->vars, name, kv + n + 1, secret);
			free(name);
		}
		vars_set(r->vars, "SANDBOX_ROOT", world.root, 0);
		if (world.path_prepend) {
			const char *path = getenv("PATH");
			char *np = xasprintf("%s:%s", world.path_prepend, path ? path : "/usr/bin:/bin");
			setenv("PATH", np, 1);
			free(np);
		}
		guard_enable(world.root, world.db.socket);
		if (have_scen)
			scenario_arm(&scen, &world);
		if (world.golden) {
			golden = answers_load(world.golden, &cause);
			if (!golden) {
				ev_log(r, "error", "%s", cause);
				goto end;
			}
			if (have_scen)
				scenario_golden_merge(&scen, golden);
		}
		if (o->golden && world.golden && !r->answers) {
			r->answers = answers_load(world.golden, &cause);
			if (!r->answers) {
				ev_log(r, "error", "%s", cause);
				goto end;
			}
			if (have_scen)
				scenario_golden_merge(&scen, r->answers);
		}
		free(wdir), free(root);
#else
		ev_log(r, "error", "this build has no sandbox support yet");
		goto end;
#endif
	}
	int rv = resolve_vars(r, o);
	if (rv < 0) {
		outcome = "aborted";
		if (rv == -2)
			code = EXIT_USAGE;   /* a value that does not fit its variable, like a profile error */
		goto end;
	}
	target = vars_expand(r->vars, r->prof->target, EXPAND_DISPLAY, &cause);
	if (!target) {
		ev_log(r, "error", "target: %s", cause);
		goto end;
	}
	str_squeeze(target);   /* an empty variable (no socket) leaves no double space; the lock key too */
	sha256_hex(target, strlen(target), target_sha);
	r->target = xstrdup(target);
	ev_target(r);
	char *holder = NULL;
	if (take_lock(r, target, &lock_fd, &holder) < 0) {
		ev_log(r, "error", "refused: another run holds %s (%s)", target, holder ? holder : "lock file error");
		free(holder);
		code = EXIT_REFUSED;
		outcome = "refused";
		goto end;
	}
	write_meta(r, target, target_sha, NULL, started);
	ev_log(r, "info", "run %s on %s", r->run_id, target);

	struct strvec done_steps = STRVEC_INIT;
	char *old = runstate_find_unfinished(r->state_dir, r->prof->id, target_sha, r->run_id);
	if (old) {
		static const struct ask_option yn[] = {{"yes", "Resume it: skip what is done, continue at the next statement", 0},
						       {"no", "Start from the beginning (re-runs report 'already applied')", 0}};
		char *detail = xasprintf("Run %s of this profile on this target did not finish.", old);
		struct ask q = {.qid = "resume", .kind = "resume", .prompt = "Resume the interrupted run?", .detail = detail,
				.options = yn, .noptions = 2, .def = "yes"};
		char *a = NULL;
		if (r->answers && r->answers->resume >= 0)
			a = xstrdup(r->answers->resume ? "yes" : "no");
		else
			a = run_ask(r, &q);
		free(detail);
		if (!a) {
			free(old);
			outcome = "aborted";
			goto end;
		}
		if (strcmp(a, "yes") == 0) {
			ev_log(r, "info", "resuming run %s", old);
			run_journal(r, "resume", "\"from\":\"%s\"", old);
			adopt_journal(r, old, &done_steps);
		}
		free(a);
		free(old);
	}

	code = EXIT_OK;
	outcome = "success";
	run_reversibility_update(r);   /* a resumed run may already hold a verified backup */
	for (size_t i = 0; i < r->prof->nsteps; i++) {
		const struct pstep *s = &r->prof->steps[i];
		r->step = s;
		int skip_done = 0;
		for (size_t k = 0; k < done_steps.n; k++)
			skip_done |= strcmp(done_steps.v[k], s->id) == 0;
		if (skip_done) {
			ev_step(r, s->id, "done", "done in the interrupted run");
			run_journal(r, "step_done", "\"resumed\":true");
			continue;
		}
		if (s->when) {
			int w = cond_eval(r->vars, s->when, NULL, &cause);
			if (w <= 0) {
				ev_step(r, s->id, "skipped", w < 0 ? cause : "its condition is not met");
				run_journal(r, "step_skipped", "");
				continue;
			}
		}
		ev_step(r, s->id, "running", NULL);
		run_journal(r, "step_enter", "");
		struct strvec vars_before = STRVEC_INIT;
		vars_snapshot(r->vars, &vars_before);
		{
			char site[96];
			snprintf(site, sizeof site, "step:%s", s->id);
			(void)fault_hit(site);   /* sandbox scenarios act here (the UI hung up as a step starts) */
		}
		int res, rolled_back = 0;
		int said_failed = 0;   /* "failed" was sent before the question: the end sends it again only with a note */
		for (;;) {
			res = foreach_run(r, s, run_step);
			/* roll-back chosen at a failure inside the step; not confirmed: the step failed */
			if (res == STEP_UNDO && (rolled_back = (run_rollback(r) > 0)))
				break;
			if (res != STEP_FAILED && res != STEP_UNDO)
				break;
			ev_step(r, s->id, "failed", NULL);
			said_failed = 1;
			char *fq = xasprintf("%s.failed", s->id);
			int c;
			/* undo: roll the run back (core/rollback.c); not confirmed or incomplete: ask again */
			while ((c = run_ask_failure(r, fq, "This step failed.")) == 'u' && !(rolled_back = (run_rollback(r) > 0)))
				;
			free(fq);
			if (rolled_back)
				break;
			if (c == 'r') {
				said_failed = 0;
				ev_step(r, s->id, "running", "retry");
				continue;
			}
			res = c == 's' ? STEP_SKIPPED : STEP_ABORT;
			if (c == 's')
				sv_push_owned(&r->done_notes, xasprintf("SKIPPED step %s after a failure", s->id));
			break;
		}
		if (res == STEP_OK && !rolled_back)
			vars_journal_changes(r, &vars_before);   /* before step_done: a resume skips the step */
		sv_free(&vars_before);
		run_reversibility_update(r);   /* e.g. the backup is verified now: later steps can be undone */
		if (rolled_back) {
			ev_step(r, s->id, "failed", "rolled back");
			run_journal(r, "step_failed", "\"rolled_back\":true");
			outcome = "rolled-back";
			code = EXIT_FAILED;
			break;
		} else if (res == STEP_OK) {
			ev_step(r, s->id, "done", NULL);
			run_journal(r, "step_done", "");
		} else if (res == STEP_SKIPPED) {
			ev_step(r, s->id, "skipped", "skipped by the operator");
			run_journal(r, "step_skipped", "\"by\":\"operator\"");
		} else if (res == STEP_EXIT_CLEAN) {
			ev_step(r, s->id, "done", "exit chosen");
			run_journal(r, "step_done", "");
			outcome = "aborted";
			code = EXIT_FAILED;
			break;
		} else if (r->refused) {
			ev_step(r, s->id, "failed", "refused: another run holds the target");
			run_journal(r, "step_failed", "\"refused\":true");
			outcome = "refused";
			code = EXIT_REFUSED;
			break;
		} else {
			if (!said_failed || r->abort_requested)
				ev_step(r, s->id, "failed", r->abort_requested ? "aborted" : NULL);
			run_journal(r, "step_failed", "");
			outcome = r->abort_requested ? "aborted" : "failed";
			code = EXIT_FAILED;
			break;
		}
	}
	r->step = NULL;
	sv_free(&done_steps);
end:
	{
		char *sum = summary_text(r, outcome);
		if (o->sandbox && r->jr) {
			/* the trainee's report, from the journal and the event stream (core/report.c) */
			struct report_in ri = {.run_dir = r->run_dir, .run_id = r->run_id, .prof = r->prof, .golden = golden,
			                       .sc = have_scen ? &scen : NULL, .outcome = outcome, .exit_code = code,
			                       .guard_refusals = guard_refusals()};
			struct report rep;
			char *why = NULL;
			if (guard_refusals())
				ev_log(r, "warn", "the sandbox guard refused %u action%s outside the sandbox", guard_refusals(),
				       guard_refusals() == 1 ? "" : "s");
			if (report_build(&ri, &rep, &why) < 0)
				ev_log(r, "error", "trainee report: %s", why);
			else
				ev_log(r, "info", "trainee report: %s", rep.path);
			char *both = xasprintf("%s\n%s", sum, rep.screen ? rep.screen : "");
			free(sum);
			sum = both;
			free(why);
			report_free(&rep);
		}
#ifdef HAVE_WORLD
		/* before the end is said: a front end leaves at the end, and a trainee who then deletes
		 * the state folder must not leave the world's services running */
		if (have_world) {
			ev_log(r, "info", o->keep ? "stopping the sandbox's processes; its files stay under %s" : "removing the sandbox %s",
			       world.root);
			fault_hooks_clear();   /* the scenario's hooks point at the world */
			world_teardown(&world, o->keep);
		}
#endif
		finish(r, outcome, code, sum);
		free(sum);
	}
	if (target)
		write_meta(r, target, target_sha, outcome, started);
	/* Let front ends read the end; an unattended run with none attached ends at once. */
	if (hub_clients(r->hub) > 0)
		hub_wait_idle(r->hub, (o->linger_s > 0 ? o->linger_s : 3600) * 1000);
	if (lock_fd >= 0)
		close(lock_fd);
	hub_stop(r->hub);
	journal_close(r->jr);
	free(target);
	free(cause);
	free(sock);
	answers_free(r->answers);
	answers_free(golden);
	scenario_free(&scen);
	vars_free(r->vars);
	redactor_free(r->red);
	profile_free(r->prof);
	free(r->run_id), free(r->run_dir), free(r->state_dir), free(r->log_path), free(r->target);
	free(r->backup_db_path), free(r->backup_restore_cmd);
	sb_free(&r->out_carry);
	sv_free(&r->backups), sv_free(&r->done_notes), sv_free(&r->file_retries);
	free(r->db_error);
	free(r->step_rev);
	free(r->step_t0);
	free(r->step_t1);
	free(r->step_asked);
	return code;
}
