/*
 * test_client.c: the client end of the engine socket (core/client.c) and the plain front end
 * (cli/plain.c) against a scripted "engine": line cutting across writes (split lines, several
 * lines per write, CRLF, an over-long line dropped), the tap, answers and commands read back
 * as JSON on the engine side, connect errors, end of stream, no SIGPIPE; then plain_run()
 * driving whole runs: a choice answered from `in` (fmemopen and a pipe), the unattended mode
 * that never reads input, end of input aborting, a question answered elsewhere while waiting,
 * a secret, a dangerous default, and an engine that vanishes.
 *
 * cli/ is not part of upwiz_core (which is all a unit test links), so the plain front end is
 * compiled into this test by including its source.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <poll.h>
#include <pthread.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "cli/plain.c"
#include "core/client.h"
#include "core/util.h"
#include "core/view.h"

/* ---- engine side helpers */

static void eng_write(int fd, const char *s, size_t n)
{
	while (n) {
		ssize_t w = write(fd, s, n);
		if (w < 0 && errno == EINTR)
			continue;
		assert_true(w > 0);
		s += w;
		n -= (size_t)w;
	}
}

static void eng_puts(int fd, const char *s) { eng_write(fd, s, strlen(s)); }

/* One line from the client (blocking), without the newline; NULL at EOF. Caller frees. */
static char *eng_read_line(int fd)
{
	struct strbuf sb = STRBUF_INIT;
	for (;;) {
		char ch;
		ssize_t n = read(fd, &ch, 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			sb_free(&sb);
			return NULL;
		}
		if (ch == '\n')
			return sb.s ? sb_detach(&sb) : xstrdup("");
		sb_addc(&sb, ch);
	}
}

static void expect_json(const char *line, const char *t, const char *k1, const char *v1, const char *k2,
                        const char *v2)
{
	assert_non_null(line);
	json_error_t err;
	json_t *o = json_loads(line, 0, &err);
	if (!o)
		fail_msg("not JSON: %s (%s)", line, err.text);
	assert_string_equal(json_string_value(json_object_get(o, "t")), t);
	assert_string_equal(json_string_value(json_object_get(o, k1)), v1);
	if (k2)
		assert_string_equal(json_string_value(json_object_get(o, k2)), v2);
	json_decref(o);
}

struct tapped {
	struct strvec lines;
};

static void tap_collect(void *ud, const char *line, size_t len)
{
	struct tapped *t = ud;
	assert_int_equal(strlen(line), len);
	sv_push(&t->lines, line);
}

/* Pumps until the view's generation moves past g (or 2 s). */
static void pump_until(struct client *c, struct view *v, unsigned long long g)
{
	uint64_t end = mono_ms() + 2000;
	while (v->generation <= g && mono_ms() < end)
		assert_true(client_wait(c, v, 100) >= 0);
}

static const char HELLO[] =
	"{\"t\":\"hello\",\"run\":\"r1\",\"profile\":\"dss\",\"title\":\"DSS 1.1 to 1.2\",\"from\":\"1.1.0\","
	"\"to\":\"1.2.0\",\"target\":\"bdp\",\"started\":1,\"sandbox\":true,\"role\":\"control\",\"version\":\"0.1.0\","
	"\"steps\":[{\"id\":\"pre\",\"title\":\"Precautions\",\"state\":\"done\"},"
	"{\"id\":\"env\",\"title\":\"Environment check\",\"state\":\"pending\"},"
	"{\"id\":\"clear-tables\",\"title\":\"Keep or clear the tables\",\"state\":\"pending\"}]}\n";

/* ---- client */

static void test_lines_across_writes(void **state)
{
	int sv[2];
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
	struct client *c = client_from_fd(sv[0]);
	assert_int_equal(client_fd(c), sv[0]);
	assert_true(fcntl(sv[0], F_GETFL) & O_NONBLOCK);
	struct tapped t = {STRVEC_INIT};
	client_set_tap(c, tap_collect, &t);
	client_tap_fn fn;
	void *ud;
	client_get_tap(c, &fn, &ud);
	assert_ptr_equal(fn, tap_collect);
	assert_ptr_equal(ud, &t);
	struct view v;
	view_init(&v, 8);

	/* nothing yet */
	assert_int_equal(client_pump(c, &v), 1);
	assert_int_equal(client_wait(c, &v, 20), 1);
	assert_int_equal(t.lines.n, 0);

	/* the hello split in two writes */
	size_t half = strlen(HELLO) / 2;
	eng_write(sv[1], HELLO, half);
	assert_int_equal(client_pump(c, &v), 1);
	assert_null(v.run);
	eng_write(sv[1], HELLO + half, strlen(HELLO) - half);
	assert_int_equal(client_wait(c, &v, 2000), 1);
	assert_string_equal(v.run, "r1");
	assert_int_equal(v.nsteps, 3);
	assert_int_equal(t.lines.n, 1);
	assert_true(t.lines.v[0][0] == '{' && str_ends(t.lines.v[0], "]}"));

	/* two lines in one write, the second with CRLF, then garbage (tapped, not applied) */
	eng_puts(sv[1], "{\"t\":\"step\",\"id\":\"env\",\"state\":\"running\"}\n"
	                "{\"t\":\"log\",\"level\":\"error\",\"text\":\"boom\"}\r\n"
	                "garbage\n\n");
	unsigned long long g = v.generation;
	pump_until(c, &v, g + 1);
	assert_int_equal(v.current, 1);
	assert_string_equal(v.last_error, "boom");
	assert_int_equal(t.lines.n, 4);   /* the empty line is not handed on */
	assert_string_equal(t.lines.v[2], "{\"t\":\"log\",\"level\":\"error\",\"text\":\"boom\"}");
	assert_string_equal(t.lines.v[3], "garbage");

	/* a line dribbled byte by byte */
	const char *ask = "{\"t\":\"ask\",\"qid\":\"clear-tables\",\"kind\":\"choice\",\"options\":[{\"key\":\"keep\"}]}\n";
	for (const char *p = ask; *p; p++) {
		eng_write(sv[1], p, 1);
		assert_int_equal(client_pump(c, &v), 1);
	}
	assert_non_null(v.ask);
	assert_string_equal(v.ask->qid, "clear-tables");

	/* the answer and a command, read back on the engine side */
	assert_int_equal(client_answer(c, "clear-tables", "keep"), 0);
	char *line = eng_read_line(sv[1]);
	expect_json(line, "answer", "qid", "clear-tables", "value", "keep");
	free(line);
	assert_int_equal(client_answer(c, "q\"\n2", "multi\nline \xe5\xaf\x86 \"quoted\""), 0);
	line = eng_read_line(sv[1]);
	expect_json(line, "answer", "qid", "q\"\n2", "value", "multi\nline \xe5\xaf\x86 \"quoted\"");
	free(line);
	assert_int_equal(client_cmd(c, "abort"), 0);
	line = eng_read_line(sv[1]);
	expect_json(line, "cmd", "cmd", "abort", NULL, NULL);
	free(line);
	/* not UTF-8, NULLs: refused, nothing sent */
	assert_int_equal(client_answer(c, "q", "\xff\xfe"), -1);
	assert_int_equal(client_answer(c, "q", NULL), -1);
	assert_int_equal(client_answer(c, NULL, "x"), -1);
	assert_int_equal(client_cmd(c, NULL), -1);

	/* a partial line at the end of the stream is dropped; then 0 for good */
	eng_puts(sv[1], "{\"t\":\"log\",\"text\":\"last\"}\n{\"t\":\"log\",\"text\":\"cut");
	close(sv[1]);
	g = v.log_total;
	int r;
	uint64_t end = mono_ms() + 2000;
	while ((r = client_wait(c, &v, 100)) == 1 && mono_ms() < end)
		;
	assert_int_equal(r, 0);
	assert_int_equal(v.log_total, g + 1);
	assert_string_equal(view_log_at(&v, 0)->text, "last");
	assert_int_equal(client_pump(c, &v), 0);
	assert_int_equal(client_wait(c, &v, 10), 0);

	/* the engine is gone: sending fails, and SIGPIPE does not kill us */
	assert_int_equal(client_answer(c, "clear-tables", "keep"), -1);
	assert_int_equal(client_cmd(c, "quit"), -1);

	view_free(&v);
	client_free(c);
	sv_free(&t.lines);
}

struct big_writer {
	int fd;
	size_t n;
};

static void *write_big(void *arg)
{
	struct big_writer *b = arg;
	char *buf = xmalloc(b->n);
	memset(buf, 'x', b->n);
	const char *pre = "{\"t\":\"log\",\"text\":\"";
	memcpy(buf, pre, strlen(pre));
	eng_write(b->fd, buf, b->n);
	eng_puts(b->fd, "\"}\n{\"t\":\"log\",\"text\":\"after\"}\n");
	free(buf);
	return NULL;
}

static void test_overlong_line_dropped(void **state)
{
	int sv[2];
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
	struct client *c = client_from_fd(sv[0]);
	struct tapped t = {STRVEC_INIT};
	client_set_tap(c, tap_collect, &t);
	struct view v;
	view_init(&v, 8);
	struct big_writer b = {sv[1], 3 * 1024 * 1024};
	pthread_t th;
	assert_int_equal(pthread_create(&th, NULL, write_big, &b), 0);
	uint64_t end = mono_ms() + 10000;
	while (v.log_total == 0 && mono_ms() < end)
		assert_int_equal(client_wait(c, &v, 100), 1);
	pthread_join(th, NULL);
	assert_int_equal(v.log_total, 1);
	assert_string_equal(view_log_at(&v, 0)->text, "after");
	assert_int_equal(t.lines.n, 1);

	/* just under the limit gets through whole */
	b.n = VIEW_LINE_MAX - 40;
	assert_int_equal(pthread_create(&th, NULL, write_big, &b), 0);
	end = mono_ms() + 10000;
	while (v.log_total < 3 && mono_ms() < end)
		assert_int_equal(client_wait(c, &v, 100), 1);
	pthread_join(th, NULL);
	assert_int_equal(v.log_total, 3);
	assert_int_equal(strlen(t.lines.v[1]), b.n + 2);
	close(sv[1]);
	view_free(&v);
	client_free(c);
	sv_free(&t.lines);
}

static void test_connect(void **state)
{
	char dir[] = "/tmp/upwiz-client-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char *path = path_join(dir, "engine.sock");
	char *cause = NULL;

	assert_null(client_connect(path, &cause));
	assert_non_null(strstr(cause, "engine.sock"));
	assert_non_null(strstr(cause, "is the engine running"));
	char longp[200];
	memset(longp, 'a', sizeof longp - 1);
	longp[sizeof longp - 1] = '\0';
	assert_null(client_connect(longp, &cause));
	assert_non_null(strstr(cause, "too long"));
	assert_null(client_connect("", &cause));
	free(cause);
	cause = NULL;

	int ls = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	strcpy(sa.sun_path, path);
	assert_int_equal(bind(ls, (struct sockaddr *)&sa, sizeof sa), 0);
	assert_int_equal(listen(ls, 4), 0);
	struct client *c = client_connect(path, &cause);
	assert_non_null(c);
	assert_null(cause);
	int fl = fcntl(client_fd(c), F_GETFD);
	assert_true(fl & FD_CLOEXEC);
	assert_true(fcntl(client_fd(c), F_GETFL) & O_NONBLOCK);
	int es = accept(ls, NULL, NULL);
	assert_true(es >= 0);

	struct view v;
	view_init(&v, 4);
	eng_puts(es, HELLO);
	assert_int_equal(client_wait(c, &v, 2000), 1);
	assert_string_equal(v.title, "DSS 1.1 to 1.2");
	assert_int_equal(client_answer(c, "pre", "yes"), 0);
	char *line = eng_read_line(es);
	expect_json(line, "answer", "qid", "pre", "value", "yes");
	free(line);
	close(es);
	assert_int_equal(client_wait(c, &v, 2000), 0);
	client_free(c);
	client_free(NULL);
	view_free(&v);
	close(ls);
	unlink(path);
	rmdir(dir);
	free(path);
}

/* ---- plain front end against a scripted engine thread */

/*
 * Script lines: ">text" sends text + "\n"; "<" reads one line from the client into `got`;
 * "~N" sleeps N ms; "." closes the engine's end; "!text" is the operator typing text (written
 * to the input pipe).
 */
struct engine {
	int fd;
	int type_fd;
	const char *const *script;
	struct strvec got;
	pthread_t th;
};

static void *engine_main(void *arg)
{
	struct engine *e = arg;
	for (const char *const *s = e->script; *s; s++) {
		const char *l = *s;
		if (l[0] == '>') {
			eng_puts(e->fd, l + 1);
			eng_puts(e->fd, "\n");
		} else if (l[0] == '<') {
			char *line = eng_read_line(e->fd);
			sv_push_owned(&e->got, line ? line : xstrdup("<EOF>"));
		} else if (l[0] == '~') {
			usleep((useconds_t)atoi(l + 1) * 1000);
		} else if (l[0] == '!') {
			eng_puts(e->type_fd, l + 1);
		} else if (l[0] == '.') {
			close(e->fd);
			e->fd = -1;
		}
	}
	return NULL;
}

struct plain_case {
	struct engine e;
	struct client *c;
	struct view v;
	char *out;
	size_t outlen;
	FILE *outf;
	int ret;
};

static void plain_case_run_in(struct plain_case *pc, const char *const *script, FILE *in, int type_fd,
                              int unattended, int readonly)
{
	int sv[2];
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
	memset(pc, 0, sizeof *pc);
	pc->e.fd = sv[1];
	pc->e.script = script;
	pc->e.type_fd = type_fd;
	pc->c = client_from_fd(sv[0]);
	view_init(&pc->v, 32);
	pc->outf = open_memstream(&pc->out, &pc->outlen);
	assert_int_equal(pthread_create(&pc->e.th, NULL, engine_main, &pc->e), 0);
	struct plain_opts o = {.readonly = readonly, .unattended = unattended, .out = pc->outf, .in = in};
	pc->ret = plain_run(pc->c, &pc->v, &o);
	pthread_join(pc->e.th, NULL);
	fclose(pc->outf);
}

static void plain_case_run(struct plain_case *pc, const char *const *script, FILE *in, int unattended,
                           int readonly)
{
	plain_case_run_in(pc, script, in, -1, unattended, readonly);
}

/* Nothing more came from the client (after the engine thread ended). */
static void assert_nothing_sent(struct plain_case *pc)
{
	if (pc->e.fd < 0)
		return;
	char buf[256];
	ssize_t n = recv(pc->e.fd, buf, sizeof buf - 1, MSG_DONTWAIT);
	if (n > 0) {
		buf[n] = '\0';
		fail_msg("the client sent: %s", buf);
	}
}

static void plain_case_free(struct plain_case *pc)
{
	if (pc->e.fd >= 0)
		close(pc->e.fd);
	sv_free(&pc->e.got);
	client_free(pc->c);
	view_free(&pc->v);
	free(pc->out);
}

static void assert_has(const char *out, const char *want)
{
	if (!strstr(out, want))
		fail_msg("output lacks \"%s\":\n%s", want, out);
}

static void assert_lacks(const char *out, const char *bad)
{
	if (strstr(out, bad))
		fail_msg("output has \"%s\":\n%s", bad, out);
}

#define ASK_CHOICE                                                                                      \
	">{\"t\":\"ask\",\"qid\":\"clear-tables\",\"step\":\"clear-tables\",\"kind\":\"choice\","             \
	"\"prompt\":\"Keep or clear the tables?\",\"detail\":\"The new release can keep them.\","               \
	"\"default\":\"keep\",\"options\":[{\"key\":\"keep\",\"label\":\"Keep the tables\"},"                 \
	"{\"key\":\"clear\",\"label\":\"Drop and recreate\",\"danger\":true}]}"

static const char *const run_script[] = {
	">" "{\"t\":\"hello\",\"run\":\"r1\",\"profile\":\"dss\",\"title\":\"DSS 1.1 to 1.2\",\"from\":\"1.1.0\","
	"\"to\":\"1.2.0\",\"target\":\"bdp\",\"sandbox\":true,\"role\":\"control\","
	"\"steps\":[{\"id\":\"pre\",\"title\":\"Precautions\",\"state\":\"done\"},"
	"{\"id\":\"env\",\"title\":\"Environment check\",\"state\":\"pending\"},"
	"{\"id\":\"clear-tables\",\"title\":\"Keep or clear the tables\",\"state\":\"pending\"}]}",
	">{\"t\":\"step\",\"id\":\"env\",\"state\":\"running\"}",
	">{\"t\":\"item\",\"step\":\"env\",\"key\":\"hadoop\",\"name\":\"Hadoop 3.3.x\",\"status\":\"run\"}",
	">{\"t\":\"item\",\"step\":\"env\",\"key\":\"hadoop\",\"name\":\"Hadoop 3.3.x\",\"status\":\"pass\",\"detail\":\"3.3.4\"}",
	">{\"t\":\"item\",\"step\":\"env\",\"key\":\"hadoop\",\"name\":\"Hadoop 3.3.x\",\"status\":\"pass\",\"detail\":\"3.3.4 again\"}",
	">{\"t\":\"item\",\"step\":\"env\",\"key\":\"mysql\",\"name\":\"MySQL\",\"status\":\"warn\",\"detail\":\"5.7\"}",
	">{\"t\":\"item\",\"step\":\"env\",\"key\":\"disk\",\"name\":\"Disk\",\"status\":\"fail\",\"detail\":\"2 GB free\","
	"\"fix\":\"free 10 GB in /data\"}",
	">{\"t\":\"body\",\"step\":\"env\",\"text\":\"First line\\nSecond \\u001b[31mline\"}",
	">{\"t\":\"progress\",\"step\":\"env\",\"done\":0,\"total\":120,\"label\":\"statements\"}",
	">{\"t\":\"progress\",\"step\":\"env\",\"done\":5,\"total\":120,\"label\":\"statements\"}",
	">{\"t\":\"progress\",\"step\":\"env\",\"done\":40,\"total\":120,\"label\":\"statements\"}",
	">{\"t\":\"progress\",\"step\":\"env\",\"done\":41,\"total\":120,\"label\":\"statements\"}",
	">{\"t\":\"progress\",\"step\":\"env\",\"done\":120,\"total\":120,\"label\":\"120/120 statements\"}",
	">{\"t\":\"log\",\"level\":\"info\",\"step\":\"env\",\"text\":\"checking versions\"}",
	">{\"t\":\"log\",\"level\":\"cmd\",\"step\":\"env\",\"text\":\"hadoop version\"}",
	">{\"t\":\"log\",\"level\":\"sql\",\"step\":\"env\",\"text\":\"SELECT 1\"}",
	">{\"t\":\"log\",\"level\":\"error\",\"step\":\"env\",\"text\":\"disk low\"}",
	">{\"t\":\"step\",\"id\":\"env\",\"state\":\"done\"}",
	">{\"t\":\"step\",\"id\":\"clear-tables\",\"state\":\"running\"}",
	">{\"t\":\"step\",\"id\":\"clear-tables\",\"state\":\"waiting\"}",
	ASK_CHOICE,
	"<",
	">{\"t\":\"answered\",\"qid\":\"clear-tables\",\"value\":\"clear\",\"by\":\"operator\"}",
	">{\"t\":\"step\",\"id\":\"clear-tables\",\"state\":\"done\"}",
	">{\"t\":\"finished\",\"outcome\":\"success\",\"exit\":0,\"summary\":\"All done.\\nBackups in /b\"}",
	NULL,
};

static void test_plain_choice_from_memory(void **state)
{
	static char input[] = "2\n";
	FILE *in = fmemopen(input, strlen(input), "r");
	struct plain_case pc;
	plain_case_run(&pc, run_script, in, 0, 0);
	fclose(in);
	assert_int_equal(pc.ret, 0);
	assert_int_equal(pc.e.got.n, 1);
	expect_json(pc.e.got.v[0], "answer", "qid", "clear-tables", "value", "clear");
	const char *out = pc.out;
	assert_has(out, "== upwiz run r1: DSS 1.1 to 1.2\n");
	assert_has(out, "   profile dss, 1.1.0 -> 1.2.0, target bdp, 3 steps, SANDBOX\n");
	assert_has(out, "== [2/3] env: Environment check\n");
	assert_has(out, "   ok   Hadoop 3.3.x  3.3.4\n");
	assert_lacks(out, "3.3.4 again");   /* same status: printed once */
	assert_has(out, "   WARN MySQL  5.7\n");
	assert_has(out, "   FAIL Disk  2 GB free\n        fix: free 10 GB in /data\n");
	assert_has(out, "   First line\n   Second ?[31mline\n");   /* no escape reaches the terminal */
	assert_has(out, "   ...   0% 0/120 statements\n");
	assert_lacks(out, "5/120");          /* under 10% and 2 s */
	assert_has(out, "   ...  33% 40/120 statements\n");
	assert_lacks(out, "41/120");
	assert_has(out, "   ... 100% 120/120 statements\n");   /* a label with its own figures: no counts before it */
	assert_has(out, "   | checking versions\n");
	assert_has(out, "   $ hadoop version\n");
	assert_has(out, "   sql> SELECT 1\n");
	assert_has(out, "   ERROR disk low\n");
	assert_has(out, "   -- done: env\n");
	assert_has(out, "== [3/3] clear-tables: Keep or clear the tables\n");
	assert_has(out, "?  Keep or clear the tables?\n   The new release can keep them.\n");
	assert_has(out, "   1) keep  Keep the tables\n   2) clear  Drop and recreate [DANGER]\n");
	assert_has(out, "[keep] > 2\n");
	assert_has(out, "   -> answered clear (by operator)\n");
	assert_has(out, "== finished: success (exit 0)\n   All done.\n   Backups in /b\n");
	assert_lacks(out, "\033");
	/* one header for running -> waiting */
	const char *h = strstr(out, "== [3/3]");
	assert_null(strstr(h + 1, "== [3/3]"));
	plain_case_free(&pc);
}

static void test_plain_choice_from_pipe(void **state)
{
	/* a descriptor: input is polled together with the socket; the default, a bad key, then EOF */
	int p[2];
	assert_int_equal(pipe(p), 0);
	eng_puts(p[1], "\n");
	close(p[1]);
	FILE *in = fdopen(p[0], "r");
	static const char *const script[] = {
		run_script[0], run_script[17], ASK_CHOICE, "<",
		">{\"t\":\"answered\",\"qid\":\"clear-tables\",\"value\":\"keep\",\"by\":\"operator\"}",
		">{\"t\":\"finished\",\"outcome\":\"failed\",\"exit\":4}", NULL,
	};
	struct plain_case pc;
	plain_case_run(&pc, script, in, 0, 0);
	fclose(in);
	assert_int_equal(pc.ret, 4);
	assert_int_equal(pc.e.got.n, 1);
	expect_json(pc.e.got.v[0], "answer", "qid", "clear-tables", "value", "keep");
	assert_has(pc.out, "[keep] > \n");
	assert_has(pc.out, "== finished: failed (exit 4)\n");
	plain_case_free(&pc);
}

static void test_plain_unattended(void **state)
{
	static char input[] = "clear\n";
	FILE *in = fmemopen(input, strlen(input), "r");
	static const char *const script[] = {
		run_script[0], run_script[17], ASK_CHOICE, "~50",
		">{\"t\":\"answered\",\"qid\":\"clear-tables\",\"value\":\"1\",\"by\":\"answers file\"}",
		">{\"t\":\"finished\",\"outcome\":\"success\",\"exit\":0}", NULL,
	};
	struct plain_case pc;
	plain_case_run(&pc, script, in, 1, 0);
	assert_int_equal(ftell(in), 0);   /* never read */
	fclose(in);
	assert_int_equal(pc.ret, 0);
	assert_nothing_sent(&pc);
	assert_has(pc.out, "(unattended: the answers file answers)\n");
	assert_has(pc.out, "   -> answered 1 (by answers file)\n");
	assert_lacks(pc.out, "[keep] > ");
	assert_lacks(pc.out, "\n> ");
	plain_case_free(&pc);

	/* readonly: the same, and a watcher's question is not ours either */
	in = fmemopen(input, strlen(input), "r");
	plain_case_run(&pc, script, in, 0, 1);
	assert_int_equal(ftell(in), 0);
	fclose(in);
	assert_int_equal(pc.ret, 0);
	assert_nothing_sent(&pc);
	assert_has(pc.out, "(watching: the controlling front end answers)\n");
	plain_case_free(&pc);
}

static void test_plain_eof_aborts(void **state)
{
	int p[2];
	assert_int_equal(pipe(p), 0);
	close(p[1]);
	FILE *in = fdopen(p[0], "r");
	static const char *const script[] = {run_script[0], run_script[17], ASK_CHOICE, "<", NULL};
	struct plain_case pc;
	plain_case_run(&pc, script, in, 0, 0);
	fclose(in);
	assert_int_equal(pc.ret, 1);
	assert_int_equal(pc.e.got.n, 1);
	expect_json(pc.e.got.v[0], "cmd", "cmd", "abort", NULL, NULL);
	assert_has(pc.out, "== input closed at a question: aborting the run\n");
	plain_case_free(&pc);
}

static void test_plain_answered_elsewhere(void **state)
{
	/* the operator types nothing (an open pipe) while events print; another client answers,
	 * the wait stops; the operator then presses Enter at the next question */
	int p[2];
	assert_int_equal(pipe(p), 0);
	FILE *in = fdopen(p[0], "r");
	static const char *const script[] = {
		run_script[0], ASK_CHOICE, "~100",
		">{\"t\":\"log\",\"text\":\"meanwhile\"}", "~50",
		">{\"t\":\"answered\",\"qid\":\"clear-tables\",\"value\":\"keep\",\"by\":\"tui\"}",
		">{\"t\":\"ask\",\"qid\":\"go\",\"kind\":\"next\",\"prompt\":\"Go on?\"}", "~50", "!\n", "<",
		">{\"t\":\"answered\",\"qid\":\"go\",\"value\":\"yes\",\"by\":\"operator\"}",
		">{\"t\":\"finished\",\"outcome\":\"success\",\"exit\":0}", NULL,
	};
	struct plain_case pc;
	plain_case_run_in(&pc, script, in, p[1], 0, 0);
	fclose(in);
	close(p[1]);
	assert_int_equal(pc.ret, 0);
	assert_int_equal(pc.e.got.n, 1);
	expect_json(pc.e.got.v[0], "answer", "qid", "go", "value", "yes");
	assert_has(pc.out, "[keep] > \n   | meanwhile\n[keep] > \n   -> answered keep (by tui)\n");
	assert_has(pc.out, "?  Go on?\n[Enter] > \n   -> answered yes (by operator)\n");
	plain_case_free(&pc);
}

static void test_plain_secret_and_retyping(void **state)
{
	static char input[] = "\nbogus\n1\nr\n  s3cr3t pass\n";
	FILE *in = fmemopen(input, strlen(input), "r");
	static const char *const script[] = {
		run_script[0],
		">{\"t\":\"ask\",\"qid\":\"q1\",\"kind\":\"choice\",\"prompt\":\"Which?\",\"default\":\"clear\","
		"\"options\":[{\"key\":\"keep\"},{\"key\":\"clear\",\"danger\":true}]}", "<",
		">{\"t\":\"answered\",\"qid\":\"q1\",\"value\":\"keep\",\"by\":\"operator\"}",
		">{\"t\":\"ask\",\"qid\":\"q2\",\"kind\":\"failure\",\"prompt\":\"The step failed\"}", "<",
		">{\"t\":\"answered\",\"qid\":\"q2\",\"value\":\"retry\",\"by\":\"operator\"}",
		">{\"t\":\"ask\",\"qid\":\"q3\",\"kind\":\"secret\",\"prompt\":\"Password for root\"}", "<",
		">{\"t\":\"answered\",\"qid\":\"q3\",\"value\":\"****\",\"by\":\"operator\"}",
		">{\"t\":\"finished\",\"outcome\":\"success\",\"exit\":0}", NULL,
	};
	struct plain_case pc;
	plain_case_run(&pc, script, in, 0, 0);
	fclose(in);
	assert_int_equal(pc.ret, 0);
	assert_int_equal(pc.e.got.n, 3);
	expect_json(pc.e.got.v[0], "answer", "qid", "q1", "value", "keep");
	expect_json(pc.e.got.v[1], "answer", "qid", "q2", "value", "retry");
	expect_json(pc.e.got.v[2], "answer", "qid", "q3", "value", "  s3cr3t pass");
	const char *out = pc.out;
	assert_has(out, "   2) clear [DANGER]\n> \n   ? the default is dangerous: type it to choose it\n");
	assert_has(out, "> bogus\n   ? not an option: choose a number or a key\n> 1\n");
	assert_has(out, "   1) retry  try the step again\n   2) skip  go on without it\n   3) abort  stop the run\n");
	assert_has(out, "?  Password for root\n> \n   -> answered **** (by operator)\n");
	assert_lacks(out, "s3cr3t");
	plain_case_free(&pc);
}

static void test_plain_engine_vanishes(void **state)
{
	static char input[] = "";
	FILE *in = fmemopen(input, 1, "r");
	static const char *const script[] = {run_script[0], run_script[1], ".", NULL};
	struct plain_case pc;
	plain_case_run(&pc, script, in, 0, 0);
	fclose(in);
	assert_int_equal(pc.ret, 1);
	assert_has(pc.out, "== [2/3] env: Environment check\n");
	assert_has(pc.out, "== the engine went away before the run finished\n");
	plain_case_free(&pc);
}

static void test_plain_secret_on_terminal(void **state)
{
	/* on a terminal the secret is typed with echo off, and the echo comes back afterwards */
	int master, slave;
	if (openpty(&master, &slave, NULL, NULL, NULL) < 0) {
		print_message("no pty: %s\n", strerror(errno));
		skip();
	}
	FILE *in = fdopen(slave, "r");
	static const char *const script[] = {
		run_script[0],
		">{\"t\":\"ask\",\"qid\":\"pw\",\"kind\":\"secret\",\"prompt\":\"Password\"}", "~300",
		"!hunter22\n", "<",
		">{\"t\":\"answered\",\"qid\":\"pw\",\"value\":\"****\",\"by\":\"operator\"}",
		">{\"t\":\"finished\",\"outcome\":\"success\",\"exit\":0}", NULL,
	};
	struct plain_case pc;
	plain_case_run_in(&pc, script, in, master, 0, 0);
	assert_int_equal(pc.ret, 0);
	assert_int_equal(pc.e.got.n, 1);
	expect_json(pc.e.got.v[0], "answer", "qid", "pw", "value", "hunter22");
	char echo[256] = "";
	ssize_t n = 0;
	struct pollfd pf = {.fd = master, .events = POLLIN};
	if (poll(&pf, 1, 0) > 0)
		n = read(master, echo, sizeof echo - 1);
	echo[n > 0 ? n : 0] = '\0';
	assert_null(strstr(echo, "hunter22"));
	struct termios t;
	assert_int_equal(tcgetattr(slave, &t), 0);
	assert_true(t.c_lflag & ECHO);
	assert_lacks(pc.out, "hunter22");
	fclose(in);
	close(master);
	plain_case_free(&pc);
}

static void test_plain_keeps_other_tap(void **state)
{
	/* a recorder's tap set before plain_run still sees every line, and is put back */
	int sv[2];
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
	struct client *c = client_from_fd(sv[0]);
	struct tapped t = {STRVEC_INIT};
	client_set_tap(c, tap_collect, &t);
	struct view v;
	view_init(&v, 4);
	eng_puts(sv[1], HELLO);
	eng_puts(sv[1], "{\"t\":\"finished\",\"outcome\":\"aborted\",\"exit\":2}\n");
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	struct plain_opts o = {.unattended = 1, .out = out};
	assert_int_equal(plain_run(c, &v, &o), 2);
	fclose(out);
	assert_int_equal(t.lines.n, 2);
	client_tap_fn fn;
	void *ud;
	client_get_tap(c, &fn, &ud);
	assert_ptr_equal(fn, tap_collect);
	assert_ptr_equal(ud, &t);
	assert_has(buf, "== finished: aborted (exit 2)\n");
	free(buf);
	close(sv[1]);
	client_free(c);
	view_free(&v);
	sv_free(&t.lines);
}

int main(void)
{
	signal(SIGPIPE, SIG_DFL);   /* a SIGPIPE would kill the test: send() must not raise it */
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lines_across_writes),
		cmocka_unit_test(test_overlong_line_dropped),
		cmocka_unit_test(test_connect),
		cmocka_unit_test(test_plain_choice_from_memory),
		cmocka_unit_test(test_plain_choice_from_pipe),
		cmocka_unit_test(test_plain_unattended),
		cmocka_unit_test(test_plain_eof_aborts),
		cmocka_unit_test(test_plain_answered_elsewhere),
		cmocka_unit_test(test_plain_secret_and_retyping),
		cmocka_unit_test(test_plain_engine_vanishes),
		cmocka_unit_test(test_plain_secret_on_terminal),
		cmocka_unit_test(test_plain_keeps_other_tap),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
