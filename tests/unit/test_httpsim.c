/*
 * test_httpsim.c: the sim-http server over real loopback sockets.
 *
 * Each test writes a routes file into a temp folder, forks a child that runs httpsim_run()
 * on a free port, and talks to it with raw sockets (every read bounded by a deadline, so a
 * broken server fails the test instead of hanging it). The child is stopped with SIGTERM
 * and must exit 0.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/httpsim.h"
#include "core/util.h"

static const char ROUTES[] =
	"on_start: \"Tomcat started on port(s): ${port} (http)\"\n"
	"on_bind_error: |\n"
	"  Web server failed to start. Port ${port} was already in use.\n"
	"default: { status: 404, content_type: application/json, body: '{\"status\":404,\"path\":\"${path}\"}' }\n"
	"routes:\n"
	"  - path: /apps\n"
	"    when: { Accept: { contains: application/json } }\n"
	"    content_type: application/json\n"
	"    body_file: apps.json\n"
	"  - path: /apps\n"
	"    content_type: application/xml\n"
	"    body: \"<applications/>\"\n"
	"  - method: POST\n"
	"    path: /login\n"
	"    require:\n"
	"      Token-Code: { in_file: tokens.txt }\n"
	"      Token-User: { present: yes }\n"
	"    content_type: application/json\n"
	"    headers: { Set-Cookie: \"sim=1; Path=/\" }\n"
	"    body: '{\"status\":0,\"message\":\"login successful(登录成功)！\",\"data\":{\"userName\":\"${header:Token-User}\"}}'\n"
	"    else_status: 401\n"
	"    else_body: '{\"status\":-1,\"message\":\"Token Authentication Failed, token: ${header:Token-Code}\"}'\n"
	"  - method: ANY\n"
	"    path: /static/*\n"
	"    when: { X-Env: prod }\n"
	"    body: prefix ${method} ${path}\n";

struct fx {
	char dir[64];
	char *routes, *log, *pidfile;
	unsigned port;
	pid_t pid;
};

static unsigned free_port(void)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t l = sizeof a;
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &l), 0);
	close(fd);
	return ntohs(a.sin_port);
}

static int dial(unsigned port)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port),
	                        .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	if (connect(fd, (struct sockaddr *)&a, sizeof a) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static pid_t spawn(char **argv)
{
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int argc = 0;
		while (argv[argc])
			argc++;
		char *cause = NULL;
		int rc = httpsim_run(argc, argv, &cause);
		if (cause)
			fprintf(stderr, "child: %s\n", cause);
		free(cause);
		_exit(rc);
	}
	return pid;
}

static void wait_listening(unsigned port)
{
	uint64_t dl = mono_ms() + 5000;
	while (mono_ms() < dl) {
		int fd = dial(port);
		if (fd >= 0) {
			close(fd);
			return;
		}
		usleep(10000);
	}
	fail_msg("server on %u never listened", port);
}

static int setup(void **state)
{
	struct fx *f = xcalloc(1, sizeof *f);
	strcpy(f->dir, "/tmp/upwiz-httpsim-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	f->routes = path_join(f->dir, "routes.yaml");
	f->log = path_join(f->dir, "sim.log");
	f->pidfile = path_join(f->dir, "sim.pid");
	assert_int_equal(write_file_atomic(f->routes, ROUTES, sizeof ROUTES - 1, 0644, NULL), 0);
	char *p = path_join(f->dir, "apps.json");
	assert_int_equal(write_file_atomic(p, "{\"v\":1}", 7, 0644, NULL), 0);
	free(p);
	p = path_join(f->dir, "tokens.txt");
	const char tok[] = "BML-0123456789abcdef0123456789abcdef\r\nWS-ffff";   /* CRLF + no final newline */
	assert_int_equal(write_file_atomic(p, tok, sizeof tok - 1, 0644, NULL), 0);
	free(p);
	f->port = free_port();
	char port[16];
	snprintf(port, sizeof port, "%u", f->port);
	char *argv[] = {"sim-http", "--port", port, "--routes", f->routes, "--pidfile", f->pidfile,
	                "--log", f->log, NULL};
	f->pid = spawn(argv);
	wait_listening(f->port);
	*state = f;
	return 0;
}

static int stop_child(struct fx *f)
{
	int st = -1;
	if (f->pid > 0) {
		kill(f->pid, SIGTERM);
		waitpid(f->pid, &st, 0);
		f->pid = 0;
	}
	return st;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	stop_child(f);
	rm_rf(f->dir);
	free(f->routes);
	free(f->log);
	free(f->pidfile);
	free(f);
	return 0;
}

static int g_head_only;   /* the next response answers HEAD: no body follows its headers */

/* Reads one response (headers + Content-Length body) from fd, 5 s at most. Caller frees. */
static char *read_response(int fd, int *status)
{
	struct strbuf sb = STRBUF_INIT;
	uint64_t dl = mono_ms() + 5000;
	for (;;) {
		char *hend = sb.s ? strstr(sb.s, "\r\n\r\n") : NULL;
		if (hend) {
			const char *cl = strcasestr(sb.s, "Content-Length:");
			size_t want = (size_t)(hend - sb.s) + 4 + (cl && !g_head_only ? (size_t)atol(cl + 15) : 0);
			if (sb.len >= want) {
				char *one = xstrndup(sb.s, want);
				*status = atoi(one + 9);
				sb_free(&sb);
				return one;
			}
		}
		struct pollfd p = {.fd = fd, .events = POLLIN};
		int left = (int)(dl - mono_ms());
		if (left <= 0 || poll(&p, 1, left) <= 0)
			fail_msg("no complete response in time (have %zu bytes)", sb.len);
		char b;
		ssize_t r = read(fd, &b, 1);   /* byte by byte: never eat the next response */
		if (r <= 0)
			fail_msg("connection closed after %zu bytes", sb.len);
		sb_addc(&sb, b);
	}
}

static void send_all(int fd, const char *s, size_t n)
{
	while (n) {
		ssize_t w = write(fd, s, n);
		assert_true(w > 0);
		s += w;
		n -= (size_t)w;
	}
}

static char *roundtrip(unsigned port, const char *req, int *status)
{
	int fd = dial(port);
	assert_true(fd >= 0);
	send_all(fd, req, strlen(req));
	char *r = read_response(fd, status);
	close(fd);
	return r;
}

static const char *body_of(const char *resp)
{
	return strstr(resp, "\r\n\r\n") + 4;
}

static void test_routes_and_conditions(void **state)
{
	struct fx *f = *state;
	int st;
	char *r = roundtrip(f->port, "GET /apps HTTP/1.1\r\nHost: x\r\nAccept: application/json\r\n\r\n", &st);
	assert_int_equal(st, 200);
	assert_non_null(strstr(r, "Content-Type: application/json"));
	assert_string_equal(body_of(r), "{\"v\":1}");
	free(r);
	/* body_file is re-read on each request */
	char *p = path_join(f->dir, "apps.json");
	assert_int_equal(write_file_atomic(p, "{\"v\":2}", 7, 0644, NULL), 0);
	free(p);
	r = roundtrip(f->port, "GET /apps?x=1 HTTP/1.1\r\naccept: application/json\r\n\r\n", &st);
	assert_string_equal(body_of(r), "{\"v\":2}");
	free(r);
	/* `when` not met: the next route answers */
	r = roundtrip(f->port, "GET /apps HTTP/1.1\r\n\r\n", &st);
	assert_int_equal(st, 200);
	assert_string_equal(body_of(r), "<applications/>");
	free(r);
	/* require met */
	r = roundtrip(f->port, "POST /login HTTP/1.1\r\nToken-Code: WS-ffff\r\nToken-User: hadoop\r\n"
	                       "Content-Length: 2\r\n\r\n{}", &st);
	assert_int_equal(st, 200);
	assert_non_null(strstr(r, "Set-Cookie: sim=1; Path=/\r\n"));
	assert_non_null(strstr(body_of(r), "\"userName\":\"hadoop\""));
	assert_non_null(strstr(body_of(r), "登录成功"));
	free(r);
	r = roundtrip(f->port, "POST /login HTTP/1.1\r\nToken-Code: BML-0123456789abcdef0123456789abcdef\r\n"
	                       "Token-User: hadoop\r\n\r\n", &st);
	assert_int_equal(st, 200);
	free(r);
	/* require not met: unknown token (JSON-escaped in the body), missing user, prefix of a token */
	r = roundtrip(f->port, "POST /login HTTP/1.1\r\nToken-Code: BML-\"x\r\nToken-User: hadoop\r\n\r\n", &st);
	assert_int_equal(st, 401);
	assert_string_equal(body_of(r), "{\"status\":-1,\"message\":\"Token Authentication Failed, token: BML-\\\"x\"}");
	free(r);
	r = roundtrip(f->port, "POST /login HTTP/1.1\r\nToken-Code: WS-ffff\r\n\r\n", &st);
	assert_int_equal(st, 401);
	free(r);
	r = roundtrip(f->port, "POST /login HTTP/1.1\r\nToken-Code: WS-fff\r\nToken-User: u\r\n\r\n", &st);
	assert_int_equal(st, 401);
	free(r);
	/* method mismatch, default answer, prefix routes */
	r = roundtrip(f->port, "GET /login HTTP/1.1\r\n\r\n", &st);
	assert_int_equal(st, 404);
	assert_string_equal(body_of(r), "{\"status\":404,\"path\":\"/login\"}");
	free(r);
	r = roundtrip(f->port, "DELETE /static/a/b HTTP/1.1\r\nX-Env: prod\r\n\r\n", &st);
	assert_int_equal(st, 200);
	assert_string_equal(body_of(r), "prefix DELETE /static/a/b");
	free(r);
	g_head_only = 1;
	r = roundtrip(f->port, "HEAD /apps HTTP/1.1\r\n\r\n", &st);
	g_head_only = 0;
	assert_int_equal(st, 200);
	assert_string_equal(body_of(r), "");
	assert_non_null(strstr(r, "Content-Length: 15"));
	free(r);
}

static void test_keepalive_and_pipelining(void **state)
{
	struct fx *f = *state;
	int fd = dial(f->port);
	assert_true(fd >= 0);
	const char two[] = "GET /apps HTTP/1.1\r\n\r\nGET /nope HTTP/1.1\r\n\r\n";
	send_all(fd, two, sizeof two - 1);
	int st;
	char *a = read_response(fd, &st);
	assert_int_equal(st, 200);
	assert_non_null(strstr(a, "Connection: keep-alive"));
	char *b = read_response(fd, &st);
	assert_int_equal(st, 404);
	free(a);
	free(b);
	/* a third on the same connection, sent in pieces */
	send_all(fd, "GET /ap", 7);
	usleep(20000);
	send_all(fd, "ps HTTP/1.1\r\nConnection: close\r\n\r\n", 35);
	char *c = read_response(fd, &st);
	assert_int_equal(st, 200);
	assert_non_null(strstr(c, "Connection: close"));
	free(c);
	char x;
	struct pollfd p = {.fd = fd, .events = POLLIN};
	assert_int_equal(poll(&p, 1, 2000), 1);
	assert_int_equal(read(fd, &x, 1), 0);    /* the server closed */
	close(fd);
}

static void test_concurrent_clients(void **state)
{
	struct fx *f = *state;
	enum { N = 40 };
	int fds[N];
	for (int i = 0; i < N; i++) {
		fds[i] = dial(f->port);
		assert_true(fds[i] >= 0);
		send_all(fds[i], "GET /apps HTTP/1.1\r\n", 20);   /* incomplete on every one */
	}
	for (int i = N - 1; i >= 0; i--) {
		send_all(fds[i], "\r\n", 2);
		int st;
		char *r = read_response(fds[i], &st);
		assert_int_equal(st, 200);
		free(r);
		close(fds[i]);
	}
}

static void test_bounds(void **state)
{
	struct fx *f = *state;
	/* a header that never ends */
	int fd = dial(f->port);
	assert_true(fd >= 0);
	char *big = xmalloc(70000);
	memcpy(big, "GET / HTTP/1.1\r\nX: ", 19);
	memset(big + 19, 'a', 70000 - 19);
	send_all(fd, big, 70000);
	int st;
	char *r = read_response(fd, &st);
	assert_int_equal(st, 431);
	free(r);
	free(big);
	close(fd);
	/* a body announced too large */
	r = roundtrip(f->port, "POST /login HTTP/1.1\r\nContent-Length: 999999999\r\n\r\n", &st);
	assert_int_equal(st, 413);
	free(r);
	r = roundtrip(f->port, "POST /login HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n", &st);
	assert_int_equal(st, 501);
	free(r);
	r = roundtrip(f->port, "garbage\r\n\r\n", &st);
	assert_int_equal(st, 400);
	free(r);
	/* still serving */
	r = roundtrip(f->port, "GET /apps HTTP/1.1\r\n\r\n", &st);
	assert_int_equal(st, 200);
	free(r);
}

static void test_sigterm_and_log(void **state)
{
	struct fx *f = *state;
	int code;
	char *r = roundtrip(f->port, "GET /apps HTTP/1.1\r\nToken-Code: SECRET-1\r\n\r\n", &code);
	free(r);
	assert_true(path_exists(f->pidfile));
	int st = stop_child(f);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
	assert_false(path_exists(f->pidfile));
	size_t len;
	char *log = read_file(f->log, &len, NULL);
	assert_non_null(log);
	char want[64];
	snprintf(want, sizeof want, "Tomcat started on port(s): %u (http)", f->port);
	assert_non_null(strstr(log, want));
	assert_non_null(strstr(log, "\"GET /apps HTTP/1.1\" 200"));
	assert_null(strstr(log, "SECRET-1"));          /* header values never reach the log */
	assert_non_null(strstr(log, "shutting down"));
	free(log);
}

static void test_port_busy(void **state)
{
	struct fx *f = *state;
	/* the fixture's server holds f->port: a second one must fail and say so in its log */
	char port[16];
	snprintf(port, sizeof port, "%u", f->port);
	char *log2 = path_join(f->dir, "second.log");
	char *argv[] = {"sim-http", "--port", port, "--routes", f->routes, "--log", log2, NULL};
	char *cause = NULL;
	int rc = httpsim_run(7, argv, &cause);
	assert_int_equal(rc, 1);
	assert_non_null(strstr(cause, "Address already in use"));
	free(cause);
	size_t len;
	char *log = read_file(log2, &len, NULL);
	char want[80];
	snprintf(want, sizeof want, "Web server failed to start. Port %u was already in use.", f->port);
	assert_non_null(strstr(log, want));
	free(log);
	free(log2);
}

static void test_bad_args_and_routes(void **state)
{
	struct fx *f = *state;
	char *cause = NULL;
	char *a1[] = {"sim-http", "--port", "80x", "--routes", "r", NULL};
	assert_int_equal(httpsim_run(5, a1, &cause), 2);
	assert_non_null(strstr(cause, "bad port"));
	free(cause);
	cause = NULL;
	char *a2[] = {"sim-http", "--port", "1234", NULL};
	assert_int_equal(httpsim_run(3, a2, &cause), 2);
	free(cause);
	cause = NULL;
	char *bad = path_join(f->dir, "bad.yaml");
	const char y[] = "routes:\n  - path: /x\n    stauts: 200\n  - path: /y\n    require: { A: b }\n";
	assert_int_equal(write_file_atomic(bad, y, sizeof y - 1, 0644, NULL), 0);
	char *a3[] = {"sim-http", "--port", "1", "--routes", bad, NULL};
	assert_int_equal(httpsim_run(5, a3, &cause), 1);
	assert_non_null(strstr(cause, "bad.yaml:3:5: unknown field 'stauts'"));
	assert_non_null(strstr(cause, "needs else_status"));
	free(cause);
	free(bad);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_routes_and_conditions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_keepalive_and_pipelining, setup, teardown),
		cmocka_unit_test_setup_teardown(test_concurrent_clients, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bounds, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sigterm_and_log, setup, teardown),
		cmocka_unit_test_setup_teardown(test_port_busy, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_args_and_routes, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
