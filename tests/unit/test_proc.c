/*
 * test_proc.c: core/proc against real children (sh, cat, grep): exit codes, merged and
 * separate stderr, a pty conversation, time-outs that kill grandchildren, clean start-up
 * errors, no descriptor leaks, environment edits, signal state, line cutting.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/proc.h"
#include "core/util.h"

struct lines {
	struct strvec v;
};

static void collect(void *ud, const char *line, size_t len)
{
	struct lines *l = ud;
	assert_int_equal(strlen(line), len);
	sv_push(&l->v, line);
}

static int has_line(const struct lines *l, const char *s)
{
	for (size_t i = 0; i < l->v.n; i++)
		if (strcmp(l->v.v[i], s) == 0)
			return 1;
	return 0;
}

static int run_lines(const char *const *argv, struct lines *l, int *code)
{
	struct proc_opts o = {.argv = argv, .stdin_fd = -1};
	char *cause = NULL;
	int r = proc_run(&o, 10000, collect, l, code, &cause);
	if (r < 0)
		print_error("proc_run: %s\n", cause);
	free(cause);
	return r;
}

static void test_exit_codes(void **state)
{
	struct lines l = {STRVEC_INIT};
	int code = -1;
	const char *a1[] = {"sh", "-c", "exit 3", NULL};
	assert_int_equal(run_lines(a1, &l, &code), 0);
	assert_int_equal(code, 3);
	const char *a2[] = {"true", NULL};
	assert_int_equal(run_lines(a2, &l, &code), 0);
	assert_int_equal(code, 0);
	const char *a3[] = {"sh", "-c", "kill -TERM $$", NULL};
	assert_int_equal(run_lines(a3, &l, &code), 0);
	assert_int_equal(code, 128 + SIGTERM);
	sv_free(&l.v);
}

static void test_merged_and_separate_stderr(void **state)
{
	struct lines l = {STRVEC_INIT};
	int code;
	const char *a[] = {"sh", "-c", "echo out1; echo err1 >&2; echo out2", NULL};
	assert_int_equal(run_lines(a, &l, &code), 0);
	assert_int_equal(l.v.n, 3);
	assert_string_equal(l.v.v[0], "out1");
	assert_string_equal(l.v.v[1], "err1");
	assert_string_equal(l.v.v[2], "out2");
	sv_free(&l.v);

	struct lines l2 = {STRVEC_INIT};
	struct proc_opts o = {.argv = a, .stdin_fd = -1, .stderr_separate = 1};
	char *cause = NULL;
	struct proc *p = proc_start(&o, &cause);
	assert_non_null(p);
	assert_true(proc_err_fd(p) >= 0);
	int st;
	assert_int_equal(proc_wait(p, 5000, collect, &l2, &st), 1);
	assert_int_equal(l2.v.n, 2);
	assert_true(has_line(&l2, "out1") && has_line(&l2, "out2"));
	assert_string_equal(proc_err_tail(p), "err1");
	proc_free(p);
	sv_free(&l2.v);
}

static void test_pty_question(void **state)
{
	const char *a[] = {"sh", "-c",
		"if [ -t 0 ] && [ -t 1 ]; then echo TTY; else echo NOTTY; fi; "
		"printf 'Continue? [y/n] '; read ans; echo \"answer=$ans\"", NULL};
	struct proc_opts o = {.argv = a, .use_pty = 1, .stdin_fd = -1};
	char *cause = NULL;
	struct proc *p = proc_start(&o, &cause);
	assert_non_null(p);
	struct lines l = {STRVEC_INIT};
	uint64_t end = mono_ms() + 5000;
	int asked = 0;
	while (mono_ms() < end && !asked) {
		struct pollfd pf = {.fd = proc_fd(p), .events = POLLIN};
		poll(&pf, 1, 100);
		assert_true(proc_pump(p, collect, &l) >= 0);
		size_t n;
		const char *part = proc_partial(p, &n);
		if (strstr(part, "Continue? [y/n]"))
			asked = 1;
	}
	assert_true(asked);
	assert_true(has_line(&l, "TTY"));
	assert_int_equal(proc_write(p, "y\n", 2), 0);
	int st;
	assert_int_equal(proc_wait(p, 5000, collect, &l, &st), 1);
	assert_int_equal(proc_exit_code(st), 0);
	assert_true(has_line(&l, "answer=y"));
	proc_free(p);
	sv_free(&l.v);
}

static int pid_alive(pid_t pid)
{
	char path[64], buf[512];
	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	FILE *f = fopen(path, "r");
	if (!f)
		return 0;
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	char *rp = strrchr(buf, ')');
	return rp && rp[1] == ' ' && rp[2] != 'Z' && rp[2] != 'X';
}

static void test_timeout_kills_group(void **state)
{
	const char *a[] = {"sh", "-c", "sleep 100 & echo $!; sh -c 'sleep 101' & wait", NULL};
	struct proc_opts o = {.argv = a, .stdin_fd = -1};
	struct lines l = {STRVEC_INIT};
	char *cause = NULL;
	int code = 0;
	uint64_t t0 = mono_ms();
	assert_int_equal(proc_run(&o, 700, collect, &l, &code, &cause), -1);
	assert_true(mono_ms() - t0 < 30000);   /* killed at the timeout, not after sleep 100; margin for a loaded machine */
	assert_non_null(cause);
	assert_non_null(strstr(cause, "timed out after 1 s"));
	free(cause);
	assert_true(l.v.n >= 1);
	pid_t g = (pid_t)atoi(l.v.v[0]);
	assert_true(g > 0);
	for (int i = 0; i < 50 && pid_alive(g); i++)
		usleep(20000);
	assert_false(pid_alive(g));
	sv_free(&l.v);
}

static void test_free_kills_running(void **state)
{
	const char *a[] = {"sh", "-c", "trap '' TERM; sleep 100 & echo $!; wait", NULL};
	struct proc_opts o = {.argv = a, .stdin_fd = -1};
	char *cause = NULL;
	struct proc *p = proc_start(&o, &cause);
	assert_non_null(p);
	struct lines l = {STRVEC_INIT};
	while (l.v.n == 0) {
		struct pollfd pf = {.fd = proc_fd(p), .events = POLLIN};
		poll(&pf, 1, 1000);
		assert_true(proc_pump(p, collect, &l) >= 0);
	}
	pid_t g = (pid_t)atoi(l.v.v[0]);
	pid_t leader = proc_pid(p);
	uint64_t t0 = mono_ms();
	proc_free(p);   /* sh ignores TERM: SIGKILL after 2 s */
	assert_true(mono_ms() - t0 >= 1900);
	assert_false(pid_alive(leader));
	for (int i = 0; i < 50 && pid_alive(g); i++)
		usleep(20000);
	assert_false(pid_alive(g));
	sv_free(&l.v);
}

static void test_missing_command(void **state)
{
	const char *a[] = {"upwiz-no-such-command", "x", NULL};
	struct proc_opts o = {.argv = a, .stdin_fd = -1};
	char *cause = NULL;
	assert_null(proc_start(&o, &cause));
	assert_string_equal(cause, "upwiz-no-such-command: not found");
	int code;
	assert_int_equal(proc_run(&o, 1000, NULL, NULL, &code, &cause), -1);
	assert_string_equal(cause, "upwiz-no-such-command: not found");
	const char *b[] = {"/nonexistent/bin/tool", NULL};
	o.argv = b;
	assert_null(proc_start(&o, &cause));
	assert_string_equal(cause, "/nonexistent/bin/tool: not found");
	const char *c[] = {"pwd", NULL};
	o.argv = c;
	o.cwd = "/nonexistent-dir";
	assert_null(proc_start(&o, &cause));
	assert_non_null(strstr(cause, "chdir /nonexistent-dir"));
	free(cause);
}

static void test_cwd(void **state)
{
	const char *a[] = {"pwd", NULL};
	struct proc_opts o = {.argv = a, .cwd = "/tmp", .stdin_fd = -1};
	struct lines l = {STRVEC_INIT};
	int code;
	assert_int_equal(proc_run(&o, 5000, collect, &l, &code, NULL), 0);
	assert_int_equal(l.v.n, 1);
	assert_string_equal(l.v.v[0], "/tmp");
	sv_free(&l.v);
}

static void test_no_fd_leak(void **state)
{
	int leak = open("/dev/null", O_RDONLY);   /* deliberately without O_CLOEXEC */
	assert_true(leak > 2);
	int pfd[2];
	assert_int_equal(pipe(pfd), 0);
	/* find opens directories of its own (cwd, /proc/self/fd); ours were /dev/null, pipes, the pty */
	const char *a[] = {"find", "/proc/self/fd/", "-mindepth", "1", "-printf", "%f %l\\n", NULL};
	for (int pty = 0; pty <= 1; pty++) {
		struct proc_opts o = {.argv = a, .stdin_fd = -1, .use_pty = pty};
		struct lines l = {STRVEC_INIT};
		int code;
		assert_int_equal(proc_run(&o, 5000, collect, &l, &code, NULL), 0);
		assert_int_equal(code, 0);
		int low = 0;
		for (size_t i = 0; i < l.v.n; i++) {
			int fd = atoi(l.v.v[i]);
			if (fd <= 2)
				low++;
			else if (strstr(l.v.v[i], "/dev/") || strstr(l.v.v[i], "pipe:") || strstr(l.v.v[i], "socket:"))
				fail_msg("leaked into the child: %s", l.v.v[i]);
		}
		assert_int_equal(low, 3);
		sv_free(&l.v);
	}
	close(leak);
	close(pfd[0]);
	close(pfd[1]);
}

static void test_env(void **state)
{
	setenv("UPWIZ_VAR_DB_PASSWORD", "s3cret-pw", 1);
	setenv("UPWIZ_VAR_OTHER_TOKEN", "t0ken", 1);
	setenv("UPWIZ_T_KEEP", "old", 1);
	setenv("UPWIZ_T_GONE", "x", 1);
	const char *a[] = {"env", NULL};
	const char *set[] = {"UPWIZ_T_KEEP=new", "UPWIZ_T_ADDED=hello world", NULL};
	const char *unset[] = {"UPWIZ_VAR_*", "UPWIZ_T_GONE", NULL};
	struct proc_opts o = {.argv = a, .stdin_fd = -1, .env_set = set, .env_unset = unset};
	struct lines l = {STRVEC_INIT};
	int code;
	assert_int_equal(proc_run(&o, 5000, collect, &l, &code, NULL), 0);
	int keep = 0;
	for (size_t i = 0; i < l.v.n; i++) {
		assert_null(strstr(l.v.v[i], "s3cret"));
		assert_null(strstr(l.v.v[i], "t0ken"));
		assert_false(str_starts(l.v.v[i], "UPWIZ_T_GONE="));
		if (str_starts(l.v.v[i], "UPWIZ_T_KEEP="))
			keep++;
	}
	assert_int_equal(keep, 1);
	assert_true(has_line(&l, "UPWIZ_T_KEEP=new"));
	assert_true(has_line(&l, "UPWIZ_T_ADDED=hello world"));
	sv_free(&l.v);
	unsetenv("UPWIZ_VAR_DB_PASSWORD");
	unsetenv("UPWIZ_VAR_OTHER_TOKEN");
	unsetenv("UPWIZ_T_KEEP");
	unsetenv("UPWIZ_T_GONE");
}

static void test_signals_and_group(void **state)
{
	signal(SIGINT, SIG_IGN);
	sigset_t s, old;
	sigemptyset(&s);
	sigaddset(&s, SIGUSR1);
	sigprocmask(SIG_BLOCK, &s, &old);
	const char *a[] = {"grep", "-E", "^Sig(Ign|Blk)", "/proc/self/status", NULL};
	struct lines l = {STRVEC_INIT};
	int code;
	assert_int_equal(run_lines(a, &l, &code), 0);
	assert_int_equal(l.v.n, 2);
	for (size_t i = 0; i < l.v.n; i++)
		assert_non_null(strstr(l.v.v[i], "0000000000000000"));
	sv_free(&l.v);
	signal(SIGINT, SIG_DFL);
	sigprocmask(SIG_SETMASK, &old, NULL);

	/* its own process group: field 5 of /proc/self/stat (pgrp) == its pid */
	const char *b[] = {"cat", "/proc/self/stat", NULL};
	struct proc_opts o = {.argv = b, .stdin_fd = -1};
	char *cause = NULL;
	struct proc *p = proc_start(&o, &cause);
	assert_non_null(p);
	assert_int_equal(proc_wait(p, 5000, collect, &l, NULL), 1);
	assert_int_equal(l.v.n, 1);
	int pid, ppid, pgrp;
	char st;
	const char *rp = strrchr(l.v.v[0], ')');
	assert_int_equal(sscanf(l.v.v[0], "%d", &pid), 1);
	assert_int_equal(sscanf(rp + 2, "%c %d %d", &st, &ppid, &pgrp), 3);
	assert_int_equal(pid, proc_pid(p));
	assert_int_equal(pgrp, pid);
	assert_int_equal(ppid, getpid());
	proc_free(p);
	sv_free(&l.v);
}

static void test_lines(void **state)
{
	const char *a[] = {"sh", "-c", "head -c 70000 /dev/zero | tr '\\0' a; printf 'x\\r\\ny\\r\\nno-newline'", NULL};
	struct lines l = {STRVEC_INIT};
	int code;
	assert_int_equal(run_lines(a, &l, &code), 0);
	assert_int_equal(l.v.n, 4);
	assert_int_equal(strlen(l.v.v[0]), 65536);
	assert_int_equal(strlen(l.v.v[1]), 70000 - 65536 + 1);   /* ...aaax */
	assert_string_equal(l.v.v[2], "y");
	assert_string_equal(l.v.v[3], "no-newline");
	sv_free(&l.v);
}

static void test_stdin(void **state)
{
	/* from a file */
	char tmpl[] = "/tmp/upwiz-proc-XXXXXX";
	int fd = mkstemp(tmpl);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "from file\n", 10), 10);
	lseek(fd, 0, SEEK_SET);
	const char *a[] = {"cat", NULL};
	struct proc_opts o = {.argv = a, .stdin_fd = fd};
	struct lines l = {STRVEC_INIT};
	int code;
	assert_int_equal(proc_run(&o, 5000, collect, &l, &code, NULL), 0);
	assert_int_equal(l.v.n, 1);
	assert_string_equal(l.v.v[0], "from file");
	close(fd);
	unlink(tmpl);
	sv_free(&l.v);

	/* /dev/null: cat ends at once */
	o.stdin_fd = -1;
	assert_int_equal(proc_run(&o, 5000, collect, &l, &code, NULL), 0);
	assert_int_equal(l.v.n, 0);

	/* a pipe */
	o.stdin_fd = PROC_STDIN_PIPE;
	struct proc *p = proc_start(&o, NULL);
	assert_non_null(p);
	assert_true(proc_stdin_fd(p) >= 0);
	assert_int_equal(proc_write(p, "hello\n", 6), 0);
	proc_close_stdin(p);
	assert_int_equal(proc_wait(p, 5000, collect, &l, NULL), 1);
	assert_int_equal(l.v.n, 1);
	assert_string_equal(l.v.v[0], "hello");
	proc_free(p);
	sv_free(&l.v);

	/* writing to a child that is gone: EPIPE, no SIGPIPE */
	const char *t[] = {"true", NULL};
	o.argv = t;
	p = proc_start(&o, NULL);
	assert_non_null(p);
	assert_int_equal(proc_wait(p, 5000, NULL, NULL, NULL), 1);
	static char big[256 * 1024];
	assert_int_equal(proc_write(p, big, sizeof big), -1);
	assert_int_equal(errno, EPIPE);
	proc_free(p);
}

static void test_output_fd(void **state)
{
	char tmpl[] = "/tmp/upwiz-proc-XXXXXX";
	int fd = mkstemp(tmpl);
	assert_true(fd >= 0);
	const char *a[] = {"sh", "-c", "echo to-file; echo err-too >&2", NULL};
	struct proc_opts o = {.argv = a, .stdin_fd = -1, .output_fd = fd};
	struct proc *p = proc_start(&o, NULL);
	assert_non_null(p);
	assert_int_equal(proc_fd(p), -1);
	int st;
	assert_int_equal(proc_wait(p, 5000, NULL, NULL, &st), 1);
	assert_int_equal(proc_exit_code(st), 0);
	proc_free(p);
	close(fd);
	size_t n;
	char *s = read_file(tmpl, &n, NULL);
	assert_non_null(s);
	assert_string_equal(s, "to-file\nerr-too\n");
	free(s);
	unlink(tmpl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exit_codes),
		cmocka_unit_test(test_merged_and_separate_stderr),
		cmocka_unit_test(test_pty_question),
		cmocka_unit_test(test_timeout_kills_group),
		cmocka_unit_test(test_free_kills_running),
		cmocka_unit_test(test_missing_command),
		cmocka_unit_test(test_cwd),
		cmocka_unit_test(test_no_fd_leak),
		cmocka_unit_test(test_env),
		cmocka_unit_test(test_signals_and_group),
		cmocka_unit_test(test_lines),
		cmocka_unit_test(test_stdin),
		cmocka_unit_test(test_output_fd),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
