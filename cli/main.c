/*
 * main.c: the full program, `upwiz-full`. Sub-commands are a table; each is a function returning
 * the exit code (0 done, 1 failed/aborted, 2 usage or profile error, 3 refused). The `upwiz` that
 * people run is the lean front (cli/front.c): it answers list, check, --help and --version itself
 * (cli/light.c, also called here first) and execs this program with the same argv for the rest.
 *
 * `run` and `sandbox` fork the engine into its own session (it survives the front end: an SSH
 * link that drops takes the UI down, never the upgrade) and then run a front end against its
 * socket: the full-screen UI on a terminal, the plain line front end otherwise.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/light.h"
#include "cli/plain.h"
#include "core/client.h"
#include "core/engine.h"
#include "core/profile.h"
#include "core/scenario.h"
#include "core/view.h"
#ifdef UPWIZ_HAVE_TUI
#include "tui/tui.h"
#endif

int cmd_simhttp(int argc, char **argv);
int cmd_plan(int argc, char **argv);
int cmd_rollback(int argc, char **argv);
int cmd_sessions(int argc, char **argv);
int cmd_replay(int argc, char **argv);
int cmd_bundle(int argc, char **argv);

struct runargs {
	const char *profile, *answers, *run_id, *scenario;
	int list_scenarios;
	struct strvec vars;
	int plain, golden, keep, sandbox;
};

static int parse_runargs(int argc, char **argv, struct runargs *a, int need_profile)
{
	static const struct option longopts[] = {
		{"var", required_argument, NULL, 'v'}, {"answers", required_argument, NULL, 'a'},
		{"plain", no_argument, NULL, 'p'},     {"golden", no_argument, NULL, 'g'},
		{"keep", no_argument, NULL, 'k'},      {"scenario", required_argument, NULL, 's'},
		{"list-scenarios", no_argument, NULL, 'L'}, {NULL, 0, NULL, 0}};
	optind = 1;
	int c;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'v':
			if (!strchr(optarg, '='))
				return usage_err("--var wants NAME=VALUE, not %s", optarg);
			sv_push(&a->vars, optarg);
			break;
		case 'a': a->answers = optarg; break;
		case 'p': a->plain = 1; break;
		case 'g': a->golden = 1; break;
		case 'k': a->keep = 1; break;
		case 's': a->scenario = optarg; break;
		case 'L': a->list_scenarios = 1; break;
		default: return EXIT_USAGE;
		}
	}
	if (need_profile) {
		if (optind >= argc)
			return usage_err("%s needs a PROFILE", argv[0]);
		a->profile = argv[optind++];
	} else if (optind < argc)
		a->run_id = argv[optind++];
	if (optind < argc)
		return usage_err("unexpected argument %s", argv[optind]);
	return 0;
}

static int front_end(const char *sock, int plain, int readonly, int unattended, const char *log_path)
{
	char *cause = NULL;
	struct client *c = NULL;
	for (int i = 0; i < 200 && !c; i++) {
		c = client_connect(sock, i == 199 ? &cause : NULL);
		if (!c)
			usleep(25000);
	}
	if (!c) {
		fprintf(stderr, "upwiz: cannot reach the engine at %s: %s\n", sock, cause ? cause : "?");
		free(cause);
		return EXIT_FAILED;
	}
	struct view v;
	view_init(&v, 20000);
	const char *term = getenv("TERM");
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO) || !term || strcmp(term, "dumb") == 0)
		plain = 1;
	int code;
#ifdef UPWIZ_HAVE_TUI
	if (!plain) {
		/* Every full-screen UI records its screen into the run folder (tui/record.h). */
		char *dir = path_dirname(sock);
		char *title = xasprintf("upwiz %s run %s", readonly ? "watch" : "attach", path_basename(dir));
		struct tui_opts to = {.readonly = readonly, .log_path = log_path, .record_dir = dir, .record_title = title};
		code = tui_run(c, &v, &to);
		free(dir);
		free(title);
	} else
#endif
	{
		(void)log_path;
		(void)plain;
		struct plain_opts po = {.readonly = readonly, .unattended = unattended, .out = stdout, .in = stdin};
		code = plain_run(c, &v, &po);
	}
	client_free(c);
	view_free(&v);
	return code;
}

static char *self_exe(void)
{
	char buf[4096];
	ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
	if (n <= 0)
		return xstrdup("upwiz");
	buf[n] = '\0';
	return xstrdup(buf);
}

/* How long a sandbox waits at a question with no front end attached before it ends itself and
 * removes its world: UPWIZ_SANDBOX_DETACHED_MAX seconds, default an hour, 0 never. -1 when the
 * value is not a number. */
static int sandbox_alone_max(void)
{
	const char *e = getenv("UPWIZ_SANDBOX_DETACHED_MAX");
	if (!e || !*e)
		return 3600;
	char *end;
	errno = 0;
	long v = strtol(e, &end, 10);
	if (errno || *end || v < 0 || v > 86400 * 30)
		return -1;
	return (int)v;
}

static int start_run(struct runargs *a)
{
	char *cause = NULL;
	char *path = profile_resolve(a->profile, &cause);
	struct profile *p = path ? profile_load(path, &cause) : NULL;
	if (!p) {
		fprintf(stderr, "%s\n", cause);
		free(cause);
		free(path);
		return EXIT_USAGE;
	}
	for (size_t i = 0; i < a->vars.n; i++) {
		char *name = xstrndup(a->vars.v[i], strcspn(a->vars.v[i], "="));
		const struct pvar *v = profile_var(p, name);
		if (!v) {
			fprintf(stderr, "upwiz: --var %s: the profile has no variable of that name\n", name);
			free(name);
			profile_free(p);
			free(path);
			return EXIT_USAGE;
		}
		if (v->secret) {
			fprintf(stderr, "upwiz: %s is a secret: it never comes from the command line (argv is visible to every user).\n"
					"Use the prompt, UPWIZ_VAR_%s in the environment, or the answers file.\n", name, name);
			free(name);
			profile_free(p);
			free(path);
			return EXIT_USAGE;
		}
		free(name);
	}
	if (a->sandbox && !p->world) {
		fprintf(stderr, "upwiz: profile %s has no sandbox world\n", p->id);
		profile_free(p);
		free(path);
		return EXIT_USAGE;
	}
	if (a->scenario || a->list_scenarios) {
		/* checked here so a typo is a usage error at once, not a failed run */
		char *wdir = path_join(p->dir, p->world);
		struct scenario sc;
		int bad = 0;
		if (a->list_scenarios) {
			struct strvec names = STRVEC_INIT, descs = STRVEC_INIT;
			if (scenario_list(wdir, &names, &descs, &cause) < 0) {
				fprintf(stderr, "upwiz: %s\n", cause);
				free(cause);
				bad = 1;
			}
			for (size_t i = 0; i < names.n; i++)
				printf("%-24s %s\n", names.v[i], descs.v[i]);
			if (!bad && !names.n)
				printf("profile %s has no scenarios\n", p->id);
			sv_free(&names), sv_free(&descs);
			free(wdir), profile_free(p), free(path);
			return bad ? EXIT_USAGE : 0;
		}
		if (scenario_load(wdir, a->scenario, &sc, &cause) < 0) {
			fprintf(stderr, "upwiz: %s\n", cause);
			free(cause);
			bad = 1;
		} else
			scenario_free(&sc);
		free(wdir);
		if (bad) {
			profile_free(p), free(path);
			return EXIT_USAGE;
		}
	}
	profile_free(p);
	if (a->answers && access(a->answers, R_OK) != 0) {
		fprintf(stderr, "upwiz: %s: %s\n", a->answers, strerror(errno));
		free(path);
		return EXIT_USAGE;
	}
	char *state = state_dir();
	char *run_dir = NULL;
	char *run_id = run_new(state, &run_dir, &cause);
	if (!run_id) {
		fprintf(stderr, "upwiz: %s\n", cause);
		free(cause), free(state), free(path);
		return EXIT_FAILED;
	}
	char *exe = self_exe();
	char *abs_answers = a->answers ? realpath(a->answers, NULL) : NULL;
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		perror("fork");
		return EXIT_FAILED;
	}
	if (pid == 0) {
		/* The engine: its own session, no terminal, output to a file in the run folder. */
		setsid();
		int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
		dup2(fd, 0);
		char *out = xasprintf("%s/engine.out", run_dir);
		int ofd = open(out, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
		if (ofd >= 0) {
			dup2(ofd, 1);
			dup2(ofd, 2);
		}
		struct engine_opts o = {.profile_path = path, .set_vars = a->vars, .answers_file = abs_answers,
					.sandbox = a->sandbox, .golden = a->golden, .keep = a->keep, .upwiz_exe = exe,
					.scenario = a->scenario,
					.run_id = run_id, .run_dir = run_dir, .state_dir = state, .wait_client = 1,
					.alone_max_s = sandbox_alone_max()};
		_exit(engine_run(&o));
	}
	/* The front end must not carry the secrets of UPWIZ_VAR_* either: the engine has them now. */
	extern char **environ;
	for (char **e = environ; *e;) {
		if (str_starts(*e, "UPWIZ_VAR_")) {
			char *name = xstrndup(*e, strcspn(*e, "="));
			unsetenv(name);
			free(name);
			e = environ;
		} else
			e++;
	}
	char *sock = xasprintf("%s/engine.sock", run_dir);
	char *log = xasprintf("%s/run.log", run_dir);
	int code = front_end(sock, a->plain, 0, a->answers != NULL || a->golden, log);
	/* Reap the engine when it is done (it ends once the last front end left). */
	int st;
	if (waitpid(pid, &st, WNOHANG) == 0 && code != 0 && !path_exists(sock))
		waitpid(pid, &st, 0);
	free(sock), free(log), free(exe), free(abs_answers), free(run_id), free(run_dir), free(state), free(path);
	return code;
}

static int cmd_run(int argc, char **argv)
{
	struct runargs a = {0};
	int rc = parse_runargs(argc, argv, &a, 1);
	if (rc == 0 && (a.scenario || a.list_scenarios))
		rc = usage_err("scenarios are for the sandbox: upwiz sandbox PROFILE --scenario NAME%s", "");
	if (rc == 0)
		rc = start_run(&a);
	sv_free(&a.vars);
	return rc;
}

static int cmd_sandbox(int argc, char **argv)
{
	struct runargs a = {.sandbox = 1};
	int rc = parse_runargs(argc, argv, &a, 1);
	if (rc == 0 && sandbox_alone_max() < 0) {
		fprintf(stderr, "upwiz: UPWIZ_SANDBOX_DETACHED_MAX: expected seconds from 0 (never) to 2592000, got \"%s\"\n",
			getenv("UPWIZ_SANDBOX_DETACHED_MAX"));
		rc = EXIT_USAGE;
	}
	if (rc == 0)
		rc = start_run(&a);
	sv_free(&a.vars);
	return rc;
}

static int attach_common(int argc, char **argv, int readonly)
{
	struct runargs a = {0};
	int rc = parse_runargs(argc, argv, &a, 0);
	if (rc)
		return rc;
	char *state = state_dir();
	char *sock = run_find_live(state, a.run_id);
	free(state);
	if (!sock) {
		fprintf(stderr, "upwiz: no running engine%s%s\n", a.run_id ? " for run " : "", a.run_id ? a.run_id : "");
		return EXIT_FAILED;
	}
	char *dir = path_dirname(sock);
	char *log = xasprintf("%s/run.log", dir);
	rc = front_end(sock, a.plain, readonly, 0, log);
	free(dir), free(log), free(sock);
	sv_free(&a.vars);
	return rc;
}

static int cmd_attach(int argc, char **argv) { return attach_common(argc, argv, 0); }
static int cmd_watch(int argc, char **argv) { return attach_common(argc, argv, 1); }

static const struct {
	const char *name;
	int (*fn)(int, char **);
} commands[] = {
	{"plan", cmd_plan},     {"run", cmd_run},
	{"sandbox", cmd_sandbox}, {"attach", cmd_attach}, {"watch", cmd_watch}, {"sim-http", cmd_simhttp},
	{"rollback", cmd_rollback},
	{"sessions", cmd_sessions}, {"replay", cmd_replay}, {"bundle", cmd_bundle},
};

int main(int argc, char **argv)
{
	setlocale(LC_ALL, "");
	int rc = light_main(argc, argv);   /* list, check, --help, --version (cli/light.c) */
	if (rc >= 0)
		return rc;
	for (size_t i = 0; i < ARRAY_LEN(commands); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].fn(argc - 1, argv + 1);
	return usage_err("unknown command %s", argv[1]);
}
