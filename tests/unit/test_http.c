/*
 * test_http.c: http_request() against a loopback server run by this test.
 *
 * The server is a thread: one listening socket on 127.0.0.1 (port chosen by the kernel), a
 * stop pipe, and one connection at a time, read with a bounded buffer and a 5 s deadline, each
 * answered and closed. Paths select the behaviour: /ok, /echo (the request's headers and
 * body come back), /redirect, /redirect-other (to "localhost": another origin), /loop,
 * /redirect-out (to a non-loopback host), /big, /download, /404, /hang. Every request reads
 * at most 64 KiB, so a test that goes wrong cannot make the server grow without bound.
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
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/guard.h"
#include "core/http.h"

#define REQ_MAX 65536
#define BIG_LEN (5u << 20)
#define DL_LEN 300000

struct server {
	int lfd, stop[2];
	int port;
	pthread_t th;
	int nreq;
};

static struct server srv;

static void write_all_fd(int fd, const void *buf, size_t n)
{
	const char *p = buf;
	while (n > 0) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;
		p += w;
		n -= (size_t)w;
	}
}

static void respond(int fd, int status, const char *extra_headers, const char *ctype, const void *body, size_t len)
{
	char head[1024];
	int n = snprintf(head, sizeof head,
	                 "HTTP/1.1 %d X\r\nContent-Length: %zu\r\nConnection: close\r\n%s%s%s%s\r\n", status, len,
	                 ctype ? "Content-Type: " : "", ctype ? ctype : "", ctype ? "\r\n" : "", extra_headers);
	write_all_fd(fd, head, (size_t)n);
	write_all_fd(fd, body, len);
}

static char dl_byte(size_t i)
{
	return (char)('a' + (i * 7 + i / 13) % 26);
}

/* Reads one request (headers + Content-Length body) into buf; returns its length or -1. */
static ssize_t read_request(int fd, char *buf, size_t cap, size_t *head_len)
{
	size_t len = 0;
	uint64_t deadline = mono_ms() + 5000;
	for (;;) {
		struct pollfd p = {.fd = fd, .events = POLLIN};
		int left = (int)(deadline - mono_ms());
		if (left <= 0 || poll(&p, 1, left) <= 0)
			return -1;
		ssize_t r = recv(fd, buf + len, cap - 1 - len, 0);
		if (r <= 0)
			return -1;
		len += (size_t)r;
		buf[len] = '\0';
		char *end = strstr(buf, "\r\n\r\n");
		if (end) {
			*head_len = (size_t)(end - buf) + 4;
			size_t clen = 0;
			char *cl = strcasestr(buf, "\r\nContent-Length:");
			if (cl && cl < end)
				clen = strtoul(cl + 17, NULL, 10);
			if (len >= *head_len + clen)
				return (ssize_t)len;
		}
		if (len >= cap - 1)
			return -1;
	}
}

static void serve_one(int fd)
{
	char *buf = malloc(REQ_MAX);
	size_t head_len = 0;
	ssize_t len = read_request(fd, buf, REQ_MAX, &head_len);
	if (len < 0) {
		free(buf);
		return;
	}
	srv.nreq++;
	char method[16] = "", path[256] = "";
	sscanf(buf, "%15s %255s", method, path);
	char loc[512];
	if (strcmp(path, "/ok") == 0) {
		respond(fd, 200, "", "application/json", "{\"status\":0}", 12);
	} else if (strcmp(path, "/echo") == 0) {
		struct strbuf sb = STRBUF_INIT;
		sb_addf(&sb, "%s\n", method);
		sb_add(&sb, buf, (size_t)len);
		respond(fd, 200, "", "text/plain", sb.s, sb.len);
		sb_free(&sb);
	} else if (strcmp(path, "/redirect") == 0) {
		respond(fd, 302, "Location: /echo\r\n", NULL, "", 0);
	} else if (strcmp(path, "/redirect307") == 0) {
		respond(fd, 307, "Location: /echo\r\n", NULL, "", 0);
	} else if (strcmp(path, "/redirect-other") == 0) {
		snprintf(loc, sizeof loc, "Location: http://localhost:%d/echo\r\n", srv.port);
		respond(fd, 302, loc, NULL, "moved", 5);
	} else if (strcmp(path, "/redirect-out") == 0) {
		respond(fd, 302, "Location: http://192.0.2.1/x\r\n", NULL, "", 0);
	} else if (strcmp(path, "/loop") == 0) {
		respond(fd, 302, "Location: /loop\r\n", NULL, "", 0);
	} else if (strcmp(path, "/big") == 0) {
		char *big = malloc(BIG_LEN);
		memset(big, 'x', BIG_LEN);
		respond(fd, 200, "", "text/plain", big, BIG_LEN);
		free(big);
	} else if (strcmp(path, "/download") == 0 || strcmp(path, "/redirect-dl") == 0) {
		if (strcmp(path, "/redirect-dl") == 0) {
			respond(fd, 301, "Location: /download\r\n", "text/html", "<html>moved</html>", 18);
		} else {
			char *d = malloc(DL_LEN);
			for (size_t i = 0; i < DL_LEN; i++)
				d[i] = dl_byte(i);
			respond(fd, 200, "", "application/java-archive", d, DL_LEN);
			free(d);
		}
	} else if (strcmp(path, "/hang") == 0) {
		/* never answer: wait (bounded) until the client gives up and closes */
		struct pollfd p = {.fd = fd, .events = POLLIN};
		poll(&p, 1, 5000);
	} else {
		respond(fd, 404, "", "application/json", "{\"error\":\"Not Found\"}", 21);
	}
	free(buf);
}

static void *server_main(void *arg)
{
	(void)arg;
	for (;;) {
		struct pollfd p[2] = {{.fd = srv.lfd, .events = POLLIN}, {.fd = srv.stop[0], .events = POLLIN}};
		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (p[1].revents)
			break;
		if (p[0].revents & POLLIN) {
			int fd = accept(srv.lfd, NULL, NULL);
			if (fd >= 0) {
				serve_one(fd);
				shutdown(fd, SHUT_WR);
				close(fd);
			}
		}
	}
	return NULL;
}

static int server_start(void **state)
{
	(void)state;
	memset(&srv, 0, sizeof srv);
	srv.lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_true(srv.lfd >= 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	assert_int_equal(bind(srv.lfd, (struct sockaddr *)&a, sizeof a), 0);
	assert_int_equal(listen(srv.lfd, 16), 0);
	socklen_t al = sizeof a;
	getsockname(srv.lfd, (struct sockaddr *)&a, &al);
	srv.port = ntohs(a.sin_port);
	assert_int_equal(pipe(srv.stop), 0);
	assert_int_equal(pthread_create(&srv.th, NULL, server_main, NULL), 0);
	return 0;
}

static int server_stop(void **state)
{
	(void)state;
	assert_int_equal(write(srv.stop[1], "x", 1), 1);
	pthread_join(srv.th, NULL);
	close(srv.lfd);
	close(srv.stop[0]);
	close(srv.stop[1]);
	return 0;
}

static char *url(const char *path)
{
	return xasprintf("http://127.0.0.1:%d%s", srv.port, path);
}

struct logbuf {
	struct strbuf sb;
	int progress_calls;
	double last_done, last_total;
	int abort_after;
};

static void log_line(void *ud, const char *line)
{
	struct logbuf *lb = ud;
	sb_addf(&lb->sb, "%s\n", line);
}

static int on_progress(void *ud, double done, double total)
{
	struct logbuf *lb = ud;
	lb->progress_calls++;
	lb->last_done = done;
	lb->last_total = total;
	return lb->abort_after && lb->progress_calls >= lb->abort_after;
}

static void test_get_json(void **state)
{
	(void)state;
	char *u = url("/ok");
	struct logbuf lb = {STRBUF_INIT, 0, 0, 0, 0};
	struct strvec h = STRVEC_INIT;
	sv_push(&h, "Accept: application/json");
	sv_push(&h, "Token-Code: BML-0123456789abcdef0123456789abcdef");
	struct http_req q = {.url = u, .headers = &h, .log = log_line, .ud = &lb, .timeout_s = 5};
	struct http_resp r;
	char *cause = NULL;
	assert_int_equal(http_request(&q, &r, &cause), 0);
	assert_null(cause);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.body, "{\"status\":0}");
	assert_int_equal(r.body_len, 12);
	assert_string_equal(r.content_type, "application/json");
	assert_int_equal(r.truncated, 0);
	/* the log names headers, never their values */
	assert_non_null(strstr(sb_str(&lb.sb), "GET "));
	assert_non_null(strstr(sb_str(&lb.sb), "[Accept, Token-Code]"));
	assert_null(strstr(sb_str(&lb.sb), "0123456789abcdef"));
	assert_null(strstr(sb_str(&lb.sb), "application/json]"));
	assert_non_null(strstr(sb_str(&lb.sb), "-> 200"));
	http_resp_free(&r);
	sb_free(&lb.sb);
	sv_free(&h);
	free(u);
}

static void test_post_and_headers(void **state)
{
	(void)state;
	char *u = url("/echo");
	struct strvec h = STRVEC_INIT;
	sv_push(&h, "Token-Code: BML-secret-value");
	sv_push(&h, "Token-User: hadoop");
	struct http_req q = {.url = u, .method = "POST", .headers = &h, .timeout_s = 5};
	struct http_resp r;
	char *cause = NULL;
	/* POST without a body: Content-Length: 0 */
	assert_int_equal(http_request(&q, &r, &cause), 0);
	assert_int_equal(r.status, 200);
	assert_true(str_starts(r.body, "POST\nPOST /echo HTTP/1.1\r\n"));
	assert_non_null(strstr(r.body, "Token-Code: BML-secret-value\r\n"));
	assert_non_null(strstr(r.body, "Token-User: hadoop\r\n"));
	assert_non_null(strcasestr(r.body, "Content-Length: 0\r\n"));
	http_resp_free(&r);
	/* with a body; method defaults to POST */
	struct http_req q2 = {.url = u, .body = "{\"a\":1}", .timeout_s = 5};
	assert_int_equal(http_request(&q2, &r, &cause), 0);
	assert_true(str_starts(r.body, "POST\n"));
	assert_true(str_ends(r.body, "\r\n\r\n{\"a\":1}"));
	http_resp_free(&r);
	/* PUT through CUSTOMREQUEST */
	struct http_req q3 = {.url = u, .method = "PUT", .body = "x=1", .timeout_s = 5};
	assert_int_equal(http_request(&q3, &r, &cause), 0);
	assert_true(str_starts(r.body, "PUT\nPUT /echo"));
	http_resp_free(&r);
	sv_free(&h);
	free(u);
}

static void test_status_not_error(void **state)
{
	(void)state;
	char *u = url("/nothing-here");
	struct http_req q = {.url = u, .timeout_s = 5};
	struct http_resp r;
	char *cause = NULL;
	assert_int_equal(http_request(&q, &r, &cause), 0);
	assert_int_equal(r.status, 404);
	assert_string_equal(r.body, "{\"error\":\"Not Found\"}");
	http_resp_free(&r);
	free(u);
}

static void test_redirects(void **state)
{
	(void)state;
	struct strvec h = STRVEC_INIT;
	sv_push(&h, "Token-Code: BML-secret-value");
	char *cause = NULL;
	struct http_resp r;

	/* same origin: headers kept; 302 POST becomes GET */
	char *u = url("/redirect");
	struct http_req q = {.url = u, .method = "POST", .body = "abc", .headers = &h, .timeout_s = 5};
	assert_int_equal(http_request(&q, &r, &cause), 0);
	assert_int_equal(r.status, 200);
	assert_true(str_starts(r.body, "GET\nGET /echo"));
	assert_non_null(strstr(r.body, "Token-Code: BML-secret-value"));
	assert_true(str_ends(r.final_url, "/echo"));
	http_resp_free(&r);
	free(u);

	/* 307 keeps method and body */
	u = url("/redirect307");
	q.url = u;
	assert_int_equal(http_request(&q, &r, &cause), 0);
	assert_true(str_starts(r.body, "POST\nPOST /echo"));
	assert_true(str_ends(r.body, "abc"));
	http_resp_free(&r);
	free(u);

	/* another origin (localhost vs 127.0.0.1): the secret header is not forwarded */
	u = url("/redirect-other");
	q.url = u;
	q.method = "GET";
	q.body = NULL;
	assert_int_equal(http_request(&q, &r, &cause), 0);
	assert_int_equal(r.status, 200);
	assert_null(strstr(r.body, "Token-Code"));
	assert_null(strstr(r.body, "moved"));
	http_resp_free(&r);
	free(u);

	/* a loop ends after 5 hops */
	u = url("/loop");
	q.url = u;
	int before = srv.nreq;
	assert_int_equal(http_request(&q, &r, &cause), -1);
	assert_non_null(strstr(cause, "redirects"));
	assert_int_equal(srv.nreq - before, 6);
	free(cause);
	cause = NULL;
	http_resp_free(&r);
	free(u);
	sv_free(&h);
}

static void test_cap(void **state)
{
	(void)state;
	char *u = url("/big");
	struct http_req q = {.url = u, .timeout_s = 10, .max_body = 1000};
	struct http_resp r;
	char *cause = NULL;
	assert_int_equal(http_request(&q, &r, &cause), 0);
	assert_int_equal(r.status, 200);
	assert_int_equal(r.body_len, 1000);
	assert_int_equal(strlen(r.body), 1000);
	assert_int_equal(r.truncated, 1);
	http_resp_free(&r);
	/* the default cap is 4 MiB */
	struct http_req q2 = {.url = u, .timeout_s = 10};
	assert_int_equal(http_request(&q2, &r, &cause), 0);
	assert_int_equal(r.body_len, HTTP_MAX_BODY_DEFAULT);
	assert_int_equal(r.truncated, 1);
	http_resp_free(&r);
	free(u);
}

static void test_download(void **state)
{
	(void)state;
	char dir[] = "/tmp/upwiz-http-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char *dest = path_join(dir, "c.jar");
	char *partial = xasprintf("%s.partial", dest);
	char *u = url("/redirect-dl");
	struct logbuf lb = {STRBUF_INIT, 0, 0, 0, 0};
	struct http_req q = {.url = u, .out_path = dest, .progress = on_progress, .ud = &lb};
	struct http_resp r;
	char *cause = NULL;
	assert_int_equal(http_request(&q, &r, &cause), 0);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.body, "");
	assert_true(lb.progress_calls >= 1);
	assert_true(lb.last_done == DL_LEN);
	size_t len = 0;
	char *data = read_file(dest, &len, NULL);
	assert_non_null(data);
	assert_int_equal(len, DL_LEN);
	for (size_t i = 0; i < len; i++)
		if (data[i] != dl_byte(i))
			fail_msg("byte %zu differs", i);
	free(data);
	assert_false(path_exists(partial));
	http_resp_free(&r);
	free(u);

	/* a 404 download is an error and leaves nothing behind */
	char *dest2 = path_join(dir, "missing.jar");
	char *partial2 = xasprintf("%s.partial", dest2);
	u = url("/missing.jar");
	struct http_req q2 = {.url = u, .out_path = dest2};
	assert_int_equal(http_request(&q2, &r, &cause), -1);
	assert_non_null(strstr(cause, "HTTP 404"));
	free(cause);
	cause = NULL;
	assert_false(path_exists(dest2));
	assert_false(path_exists(partial2));
	http_resp_free(&r);
	free(u);

	/* the progress callback can abort */
	u = url("/download");
	lb.progress_calls = 0;
	lb.abort_after = 1;
	struct http_req q3 = {.url = u, .out_path = dest2, .progress = on_progress, .ud = &lb};
	int rc = http_request(&q3, &r, &cause);
	if (rc == -1) {         /* the whole body may arrive before the first progress call */
		assert_non_null(strstr(cause, "aborted"));
		assert_false(path_exists(dest2));
		free(cause);
	}
	assert_false(path_exists(partial2));
	http_resp_free(&r);
	free(u);

	free(dest);
	free(partial);
	free(dest2);
	free(partial2);
	sb_free(&lb.sb);
	rm_rf(dir);
}

static void test_errors(void **state)
{
	(void)state;
	/* a closed port */
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	bind(fd, (struct sockaddr *)&a, sizeof a);
	socklen_t al = sizeof a;
	getsockname(fd, (struct sockaddr *)&a, &al);
	char *u = xasprintf("http://127.0.0.1:%d/x", ntohs(a.sin_port));
	close(fd);
	struct http_req q = {.url = u, .timeout_s = 5};
	struct http_resp r;
	char *cause = NULL;
	assert_int_equal(http_request(&q, &r, &cause), -1);
	assert_non_null(strstr(cause, "GET http://127.0.0.1:"));
	assert_non_null(strcasestr(cause, "connect"));
	free(cause);
	cause = NULL;
	http_resp_free(&r);
	free(u);

	/* a server that never answers: the timeout */
	u = url("/hang");
	struct http_req q2 = {.url = u, .timeout_s = 1};
	uint64_t t0 = mono_ms();
	assert_int_equal(http_request(&q2, &r, &cause), -1);
	assert_true(mono_ms() - t0 < 30000);   /* the 1 s timeout fired (a hang would be endless); margin for a loaded machine */
	assert_non_null(strcasestr(cause, "timed out"));
	free(cause);
	cause = NULL;
	http_resp_free(&r);
	free(u);

	/* no URL, bad scheme */
	struct http_req q3 = {.url = ""};
	assert_int_equal(http_request(&q3, &r, &cause), -1);
	free(cause);
	cause = NULL;
	http_resp_free(&r);
	struct http_req q4 = {.url = "file:///etc/passwd"};
	assert_int_equal(http_request(&q4, &r, &cause), -1);
	free(cause);
	cause = NULL;
	http_resp_free(&r);
}

static void test_sandbox(void **state)
{
	(void)state;
	char dir[] = "/tmp/upwiz-http-sbx-XXXXXX";
	assert_non_null(mkdtemp(dir));
	guard_enable(dir, NULL);
	struct http_resp r;
	char *cause = NULL;
	struct http_req q = {.url = "http://192.0.2.1/eureka/apps", .timeout_s = 1};
	int before = srv.nreq;
	assert_int_equal(http_request(&q, &r, &cause), -1);
	assert_non_null(strstr(cause, "sandbox"));
	free(cause);
	cause = NULL;
	http_resp_free(&r);
	/* loopback is fine, but a redirect out of it is refused */
	char *u = url("/ok");
	struct http_req q2 = {.url = u, .timeout_s = 5};
	assert_int_equal(http_request(&q2, &r, &cause), 0);
	http_resp_free(&r);
	free(u);
	u = url("/redirect-out");
	q2.url = u;
	assert_int_equal(http_request(&q2, &r, &cause), -1);
	assert_non_null(strstr(cause, "sandbox"));
	assert_int_equal(srv.nreq - before, 2);
	free(cause);
	http_resp_free(&r);
	free(u);
	guard_disable();
	rm_rf(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_get_json),
		cmocka_unit_test(test_post_and_headers),
		cmocka_unit_test(test_status_not_error),
		cmocka_unit_test(test_redirects),
		cmocka_unit_test(test_cap),
		cmocka_unit_test(test_download),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_sandbox),
	};
	return cmocka_run_group_tests(tests, server_start, server_stop);
}
