/*
 * cmd_rollback.c: `upwiz rollback [RUN-ID] [--confirm TEXT]`, undo a run from its journal.
 *
 * Runs in the foreground (it is short, and the operator watches it): the plan (core/rollback.h)
 * is shown, the operator types the database name (or the run id when no database is restored)
 * because the database is overwritten, then the items are undone with one line each. The
 * roll-back is a run of its own: STATE/runs/RB-ID/ with run.json ({"kind":"rollback","of":RUN}),
 * journal.jsonl (one record per item) and run.log. Killed half-way, it is simply run again: an
 * unfinished roll-back of the same run is named and what it did is said, and every item looks at
 * the world before acting.
 *
 * Refused (exit 3): the run's engine is still alive, another upwiz holds the target's host lock,
 * the run was already rolled back, the database was changed without a verified dump, or (sandbox)
 * the world was removed. A sandbox run (kept with --keep) is rolled back inside its world: the
 * guard is on for the world's root and its private mariadbd is started again for the restore.
 *
 * The password of a real database comes from UPWIZ_VAR_<NAME> (NAME journaled with the backup;
 * removed from the environment at once) or a prompt on the terminal with echo off; it only ever
 * reaches the 0600 option file core/dump.c writes for the client.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

#include "core/db.h"
#include "core/engine.h"
#include "core/guard.h"
#include "core/journal.h"
#include "core/mysqld.h"
#include "core/rollback.h"
#include "core/runstate.h"

struct rb_cli {
	FILE *log;
};

static void cli_log(void *ud, const char *level, const char *text)
{
	struct rb_cli *c = ud;
	const char *tag = strcmp(level, "error") == 0 ? "ERROR " : strcmp(level, "warn") == 0 ? "WARN  " : "";
	printf("   | %s%s\n", tag, text);
	fflush(stdout);
	if (c->log) {
		char *ts = iso_time(wall_time());
		fprintf(c->log, "%s %-5s %s\n", ts, level, text);
		fflush(c->log);
		free(ts);
	}
}

static int newest_pick(void *ud, const char *run_id, const char *run_dir, json_t *o)
{
	char **best = ud;
	if (!o)
		return 0;
	const char *kind = json_string_value(json_object_get(o, "kind"));
	if (!(kind && strcmp(kind, "rollback") == 0) && (!*best || strcmp(run_id, *best) > 0)) {
		free(*best);
		*best = xstrdup(run_id);
	}
	return 0;
}

/* The newest run folder (by name) with a readable run.json that is not itself a roll-back. Caller frees. */
static char *newest_run(const char *state)
{
	char *best = NULL;
	runs_foreach(state, newest_pick, &best, NULL);   /* an unreadable runs folder: no run */
	return best;
}

/* 1 when something answers on the run's engine socket. */
static int engine_alive(const char *run_dir)
{
	char *sock = xasprintf("%s/engine.sock", run_dir);
	int alive = 0;
	if (path_exists(sock)) {
		int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		struct sockaddr_un a = {.sun_family = AF_UNIX};
		if (fd >= 0 && strlen(sock) < sizeof a.sun_path) {
			memcpy(a.sun_path, sock, strlen(sock) + 1);
			alive = connect(fd, (struct sockaddr *)&a, sizeof a) == 0;
		}
		if (fd >= 0)
			close(fd);
	}
	free(sock);
	return alive;
}

/* The host lock of the target (the same file engine.c takes). -1 with *holder when held. */
static int lock_target(const char *state, const char *target, int *fd_out, char **holder)
{
	char sha[65];
	sha256_hex(target, strlen(target), sha);
	char *dir = xasprintf("%s/locks", state);
	mkdir_p(dir, 0700, NULL);
	char *path = xasprintf("%s/%.16s.lock", dir, sha);
	free(dir);
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	free(path);
	if (fd < 0) {
		*holder = xstrdup(strerror(errno));
		return -1;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		char buf[512] = {0};
		(void)!pread(fd, buf, sizeof buf - 1, 0);
		*holder = xstrdup(buf[0] ? buf : "another upwiz");
		close(fd);
		return -1;
	}
	*fd_out = fd;
	return 0;
}

/* One line from the terminal (echo off for secrets) or stdin. Caller frees; NULL on EOF. */
static char *read_line(const char *prompt, int secret)
{
	int fd = secret ? open("/dev/tty", O_RDWR | O_CLOEXEC) : -1;
	int in = fd >= 0 ? fd : STDIN_FILENO;
	struct termios old, noecho;
	int restore = 0;
	fputs(prompt, stderr);
	fflush(stderr);
	if (secret && isatty(in) && tcgetattr(in, &old) == 0) {
		noecho = old;
		noecho.c_lflag &= ~(tcflag_t)ECHO;
		restore = tcsetattr(in, TCSAFLUSH, &noecho) == 0;
	}
	struct strbuf sb = STRBUF_INIT;
	char c;
	ssize_t n;
	int got = 0;
	while ((n = read(in, &c, 1)) == 1 && c != '\n') {
		sb_addc(&sb, c);
		got = 1;
	}
	got |= n == 1;
	if (restore) {
		tcsetattr(in, TCSAFLUSH, &old);
		fputc('\n', stderr);
	}
	if (fd >= 0)
		close(fd);
	if (!got) {
		sb_free(&sb);
		return NULL;
	}
	char *s = sb_detach(&sb);
	if (!s)
		s = xstrdup("");
	size_t l = strlen(s);
	if (l && s[l - 1] == '\r')
		s[l - 1] = '\0';
	return s;
}

static void rb_usage(void)
{
	fprintf(stderr, "usage: upwiz rollback [RUN-ID] [--confirm TEXT]\n(see upwiz --help)\n");
}

int cmd_rollback(int argc, char **argv)
{
	static const struct option longopts[] = {{"confirm", required_argument, NULL, 'c'}, {"help", no_argument, NULL, 'h'},
						 {NULL, 0, NULL, 0}};
	const char *confirm = NULL, *run_arg = NULL;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'c': confirm = optarg; break;
		case 'h': rb_usage(); return 0;
		default: rb_usage(); return EXIT_USAGE;
		}
	}
	if (optind < argc)
		run_arg = argv[optind++];
	if (optind < argc) {
		fprintf(stderr, "upwiz: unexpected argument %s\n", argv[optind]);
		rb_usage();
		return EXIT_USAGE;
	}
	char *state = state_dir();
	char *run_id = run_arg ? xstrdup(run_arg) : newest_run(state);
	char *cause = NULL;
	int code = EXIT_FAILED, lock_fd = -1, have_mysqld = 0;
	struct rb_plan plan = {0};
	struct mysqld m = {0};
	struct journal *jr = NULL;
	struct rb_cli cl = {0};
	char *rb_id = NULL, *rb_dir = NULL, *expect = NULL, *pw = NULL, *earlier = NULL, *reused_sock = NULL;
	char *path_dirname_tmp = NULL;
	struct strvec done_keys = STRVEC_INIT;
	if (!run_id) {
		fprintf(stderr, "upwiz: no run to roll back under %s/runs\n", state);
		code = EXIT_USAGE;
		goto out;
	}
	if (rollback_plan_load(state, run_id, &plan, &cause) < 0) {
		fprintf(stderr, "upwiz: %s\n", cause);
		code = EXIT_USAGE;
		goto out;
	}
	char *text = rollback_plan_text(&plan);
	fputs(text, stdout);
	free(text);
	fflush(stdout);
	/* refusals */
	if (plan.rolled_back_by) {
		fprintf(stderr, "upwiz: refused: run %s was already rolled back by %s\n", run_id, plan.rolled_back_by);
		code = EXIT_REFUSED;
		goto out;
	}
	if (engine_alive(plan.run_dir)) {
		fprintf(stderr, "upwiz: refused: the engine of run %s is still running (upwiz attach %s, then abort it)\n",
			run_id, run_id);
		code = EXIT_REFUSED;
		goto out;
	}
	if (plan.db_touched && !plan.have_dump) {
		fprintf(stderr, "upwiz: refused: the run changed the database without a verified dump; nothing can restore it\n");
		code = EXIT_REFUSED;
		goto out;
	}
	if (rollback_plan_empty(&plan)) {
		printf("Nothing to roll back.\n");
		code = EXIT_OK;
		goto out;
	}
	char *holder = NULL;
	if (plan.target && lock_target(state, plan.target, &lock_fd, &holder) < 0) {
		fprintf(stderr, "upwiz: refused: another run holds %s (%s)\n", plan.target, holder ? holder : "?");
		free(holder);
		code = EXIT_REFUSED;
		goto out;
	}
	char *sbx = xasprintf("%s/sandbox", plan.run_dir);
	if (plan.sandbox && !is_dir(sbx)) {
		fprintf(stderr, "upwiz: refused: run %s was a sandbox run and its world is gone (keep it with --keep)\n", run_id);
		free(sbx);
		code = EXIT_REFUSED;
		goto out;
	}
	int restore_db = 0;
	for (size_t i = 0; i < plan.n; i++)
		restore_db |= plan.items[i].kind == RB_DATABASE;
	/* the typed confirmation: it overwrites the database */
	expect = xstrdup(restore_db && plan.db_name ? plan.db_name : run_id);
	if (!confirm) {
		char *prompt = restore_db
			? xasprintf("This OVERWRITES database %s with the dump taken before the upgrade: everything written to it "
				    "since is lost.\nType %s to roll back: ", expect, expect)
			: xasprintf("Type %s to roll back: ", expect);
		char *typed = read_line(prompt, 0);
		free(prompt);
		if (!typed || strcmp(typed, expect) != 0) {
			fprintf(stderr, "upwiz: not confirmed: nothing was changed\n");
			free(typed);
			free(sbx);
			code = EXIT_FAILED;
			goto out;
		}
		free(typed);
	} else if (strcmp(confirm, expect) != 0) {
		fprintf(stderr, "upwiz: --confirm %s does not match %s: nothing was changed\n", confirm, expect);
		free(sbx);
		code = EXIT_FAILED;
		goto out;
	}

	/* the roll-back's own run */
	rb_id = run_new(state, &rb_dir, &cause);
	if (!rb_id) {
		fprintf(stderr, "upwiz: %s\n", cause);
		free(sbx);
		goto out;
	}
	double started = wall_time();
	rollback_write_meta(rb_dir, rb_id, run_id, started, NULL);
	char *jpath = xasprintf("%s/journal.jsonl", rb_dir), *lpath = xasprintf("%s/run.log", rb_dir);
	jr = journal_open(jpath, &cause);
	int lfd = open(lpath, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	cl.log = lfd >= 0 ? fdopen(lfd, "a") : NULL;
	free(jpath), free(lpath);
	if (!jr) {
		fprintf(stderr, "upwiz: %s\n", cause);
		free(sbx);
		goto out;
	}
	{
		char *jm = xasprintf("\"of\":\"%s\",\"items\":%zu", run_id, plan.n);
		journal_append(jr, "rollback", jm);
		free(jm);
	}
	cli_log(&cl, "info", run_arg ? "roll-back started" : "roll-back of the newest run started");
	earlier = rollback_find_unfinished(state, run_id, rb_id, &done_keys);
	if (earlier) {
		char *msg = xasprintf("an earlier roll-back (%s) did not finish; %zu item%s it had done are checked again", earlier,
				      done_keys.n, done_keys.n == 1 ? "" : "s");
		cli_log(&cl, "warn", msg);
		free(msg);
		char *jm = xasprintf("\"from\":\"%s\"", earlier);
		journal_append(jr, "resume", jm);
		free(jm);
	}

	struct db_params dbp = {0};
	if (plan.sandbox) {
		char *mdir = xasprintf("%s/mysql", sbx);
		char *msock = xasprintf("%s/mysqld.sock", mdir);
		struct db_params probe = {.socket = msock, .user = "root", .connect_timeout_s = 2};
		struct db_error perr;
		struct db *alive = restore_db && path_exists(msock) ? db_connect(&probe, &perr) : NULL;
		if (alive) {
			/* a roll-back killed half-way left the world's server running (its own process group): use it,
			 * and stop it at the end as that one would have */
			cli_log(&cl, "info", "the sandbox world's database server is running already (an earlier roll-back left it)");
			db_close(alive);
			reused_sock = msock;
			msock = NULL;
			dbp.socket = reused_sock;
			dbp.user = "root";
			guard_enable(sbx, reused_sock);
		} else if (restore_db) {
			cli_log(&cl, "info", "starting the sandbox world's database server again");
			if (mysqld_start(mdir, &m, &cause) < 0) {
				cli_log(&cl, "error", cause);
				free(mdir), free(sbx), free(msock);
				goto done;
			}
			have_mysqld = 1;
			mysqld_db_params(&m, &dbp);
		}
		if (!reused_sock)
			guard_enable(sbx, have_mysqld ? m.socket : NULL);
		free(msock);
		free(mdir);
	} else if (restore_db) {
		dbp.host = plan.db_host && *plan.db_host ? plan.db_host : NULL;
		dbp.port = plan.db_port;
		dbp.socket = plan.db_socket && *plan.db_socket ? plan.db_socket : NULL;
		dbp.user = plan.db_user;
		if (plan.db_password_var && *plan.db_password_var) {
			char *env = xasprintf("UPWIZ_VAR_%s", plan.db_password_var);
			const char *v = getenv(env);
			if (v)
				pw = xstrdup(v);
			unsetenv(env);   /* before the client starts */
			free(env);
			if (!pw) {
				char *prompt = xasprintf("Password of %s for database %s (%s): ", plan.db_user ? plan.db_user : "?",
							 plan.db_name, plan.db_password_var);
				pw = read_line(prompt, 1);
				free(prompt);
			}
			if (!pw) {
				cli_log(&cl, "error", "no password given: nothing was changed");
				free(sbx);
				goto done;
			}
			dbp.password = pw;
		}
	}
	free(sbx);
	dbp.database = plan.db_name;
	struct rb_env env = {.rb_id = rb_id, .rb_dir = rb_dir, .jr = jr, .db = restore_db ? &dbp : NULL,
			     .done_keys = &done_keys, .log = cli_log, .ud = &cl};
	int failed = rollback_execute(&plan, &env);
	if (failed == 0) {
		rollback_mark_done(&plan, rb_id);
		for (size_t i = 0; i < plan.not_undone.n; i++)
			cli_log(&cl, "warn", plan.not_undone.v[i]);
		char *msg = xasprintf("run %s rolled back: %zu item%s undone", run_id, plan.n, plan.n == 1 ? "" : "s");
		cli_log(&cl, "info", msg);
		free(msg);
		code = EXIT_OK;
	} else {
		char *msg = xasprintf("roll-back incomplete: %d item%s failed; fix the cause and run `upwiz rollback %s` again",
				      failed, failed == 1 ? "" : "s", run_id);
		cli_log(&cl, "error", msg);
		free(msg);
	}
done:
	journal_append(jr, "finished", code == EXIT_OK ? "\"outcome\":\"success\",\"exit\":0" : "\"outcome\":\"failed\",\"exit\":1");
	rollback_write_meta(rb_dir, rb_id, run_id, started, code == EXIT_OK ? "success" : "failed");
	printf("Roll-back %s: journal and log in %s\n", rb_id, rb_dir);
out:
	if (have_mysqld) {
		mysqld_stop(&m);
		mysqld_free(&m);
	}
	if (reused_sock) {
		struct db_params sp = {.socket = reused_sock, .user = "root", .connect_timeout_s = 2};
		struct db_error serr;
		struct db *d = db_connect(&sp, &serr);
		if (d)
			db_exec(d, "SHUTDOWN", NULL, &serr);
		db_close(d);
		/* gone before we return, so whoever starts the world's server next finds its files free */
		for (int i = 0; i < 300; i++) {
			sp.connect_timeout_s = 1;
			struct db *again = db_connect(&sp, &serr);
			if (!again)
				break;
			db_close(again);
			usleep(100000);
		}
		char *pidf = path_join(path_dirname_tmp = path_dirname(reused_sock), "mysqld.pid");
		for (int i = 0; i < 300 && path_exists(pidf); i++)
			usleep(100000);
		free(pidf);
		free(path_dirname_tmp);
		free(reused_sock);
	}
	if (pw) {
		memset(pw, 0, strlen(pw));
		free(pw);
	}
	if (cl.log)
		fclose(cl.log);
	journal_close(jr);
	if (lock_fd >= 0)
		close(lock_fd);
	sv_free(&done_keys);
	rollback_plan_free(&plan);
	free(earlier), free(expect), free(rb_id), free(rb_dir), free(run_id), free(state), free(cause);
	return code;
}
