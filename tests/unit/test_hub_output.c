/*
 * test_hub_output.c: a flooding child through the engine's output path (core/proc.c line cutting,
 * ev_output, the hub's batches, core/hub.c), with a real hub on a Unix socket and a real child.
 *
 * The child prints FLOOD_LINES lines in big bursts (awk), a password inside every 1000th, then a
 * line whose password is split across two writes with a pause between (two reads here), a line
 * with a tab, quotes and a backslash (JSON escaping), an ANSI colour and an invalid byte. Then:
 *   - events.jsonl has one `log` event per line, every line, in order, the text as sanitised and
 *     masked; run.log has the same lines in the same order; the password is in neither file;
 *   - a client that did not read during the flood (a UI busy drawing) is caught up: it gets a
 *     `skipped` event and the tail, its view ends on the child's last lines followed by the next
 *     event, and the view's line count is the run's (skipped lines counted, markers not);
 *   - a client that attaches afterwards gets the tail from the log ring.
 * Nothing here depends on timing except that the pause splits the write into two reads, and the
 * test holds without that too (the line is whole either way).
 * test_frequent: the SQL apply's frequent lines are buffered on their way to the files, written
 * before any other line, by the hub thread shortly after, and when the hub stops.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/client.h"
#include "core/hub.h"
#include "core/proc.h"
#include "core/profile.h"
#include "core/redact.h"
#include "core/run.h"
#include "core/util.h"
#include "core/view.h"

#define FLOOD_LINES 100000
#define SECRET "s3cr3t-P4ssw0rd"

static const char PROFILE[] = "id: t-flood\n"
			      "title: flood\n"
			      "from: \"1\"\n"
			      "to: \"2\"\n"
			      "target: \"t\"\n"
			      "steps:\n"
			      "  - id: flood\n"
			      "    title: Flood\n"
			      "    screen: command\n"
			      "    commands:\n"
			      "      - run: \"true\"\n";

struct fixture {
	char *dir, *ppath;
	struct run r;
	char *sock, *events, *log;
};

static void on_line(void *ud, const char *line, size_t len) { ev_output(ud, line, len); }

static char *slurp(const char *path)
{
	char *cause = NULL;
	char *s = read_file(path, NULL, &cause);
	if (!s)
		fail_msg("%s", cause);
	return s;
}

/* The n-th line the child prints (1-based), as the engine must log it. */
static void expected(size_t n, char *buf, size_t cap)
{
	if (n <= FLOOD_LINES) {
		if (n % 1000 == 0)
			snprintf(buf, cap, "line %zu: pw=******** end", n);
		else
			snprintf(buf, cap, "line %zu: the quick brown fox jumps over the lazy dog", n);
	} else if (n == FLOOD_LINES + 1) {
		snprintf(buf, cap, "split: ******** done");
	} else {
		snprintf(buf, cap, "tab    \"q\" \\ back red \xef\xbf\xbd last");
	}
}
#define ALL_LINES (FLOOD_LINES + 2)

/* A run with a real hub in a temp folder (the profile above, SECRET registered). */
static void fixture_start(struct fixture *f)
{
	char tmpl[] = "/tmp/upwiz-hubout.XXXXXX";
	assert_non_null(mkdtemp(tmpl));
	f->dir = xstrdup(tmpl);
	f->ppath = xasprintf("%s/p.yaml", f->dir);
	FILE *pf = fopen(f->ppath, "w");
	assert_non_null(pf);
	fputs(PROFILE, pf);
	fclose(pf);
	char *cause = NULL;
	struct run *r = &f->r;
	r->prof = profile_load(f->ppath, &cause);
	if (!r->prof)
		fail_msg("%s", cause);
	r->red = redactor_new();
	assert_int_equal(redactor_add(r->red, SECRET, REDACT_PASSWORD), 0);
	r->run_id = xstrdup("t");
	f->sock = xasprintf("%s/engine.sock", f->dir);
	f->events = xasprintf("%s/events.jsonl", f->dir);
	f->log = xasprintf("%s/run.log", f->dir);
	r->hub = hub_start(r, f->sock, f->events, f->log, &cause);
	if (!r->hub)
		fail_msg("%s", cause);
	r->step = &r->prof->steps[0];
}

static void fixture_stop(struct fixture *f)
{
	struct run *r = &f->r;
	if (r->hub)
		hub_stop(r->hub);
	r->hub = NULL;
	redactor_free(r->red);
	profile_free(r->prof);
	free(r->run_id);
	char *rm = xasprintf("rm -rf '%s'", f->dir);
	assert_int_equal(system(rm), 0);
	free(rm);
	free(f->dir), free(f->ppath), free(f->sock), free(f->events), free(f->log);
}

static void test_flood(void **state)
{
	(void)state;
	struct fixture f = {0};
	fixture_start(&f);
	struct run *r = &f.r;
	char *cause = NULL;

	/* a UI that connects and then does not read during the flood */
	struct client *busy = client_connect(f.sock, &cause);
	assert_non_null(busy);
	uint64_t end = mono_ms() + 10000;
	while (hub_clients(r->hub) < 1 && mono_ms() < end)
		usleep(10000);
	assert_int_equal(hub_clients(r->hub), 1);

	char *script = xasprintf(
		"awk -v n=%d -v s='%s' 'BEGIN { for (i = 1; i <= n; i++) if (i %% 1000 == 0) printf \"line %%d: pw=%%s end\\n\", i, s; "
		"else printf \"line %%d: the quick brown fox jumps over the lazy dog\\n\", i }'\n"
		"printf 'split: %.6s'; sleep 0.3; printf '%%s done\\n' '%s'\n"
		"printf 'tab\\t\"q\" \\\\ back \\033[31mred\\033[0m \\377 last\\n'\n",
		FLOOD_LINES, SECRET, SECRET, SECRET + 6);
	const char *argv[] = {"/bin/sh", "-c", script, NULL};
	struct proc_opts o = {.argv = argv, .stdin_fd = -1};
	int code = -1;
	assert_int_equal(proc_run(&o, 120000, on_line, r, &code, &cause), 0);
	assert_int_equal(code, 0);
	free(script);
	ev_log(r, "info", "after the flood");

	/* the busy client reads now: it must end on the last lines, then the info line */
	struct view v;
	view_init(&v, 2000);
	end = mono_ms() + 60000;
	for (;;) {
		const struct view_log_line *l = view_log_at(&v, 0);
		if (l && strcmp(l->text, "after the flood") == 0)
			break;
		if (mono_ms() > end)
			fail_msg("the busy client did not get the last line");
		assert_true(client_wait(busy, &v, 200) >= 0);
	}
	char want[256];
	for (size_t i = 1; i <= 3; i++) {
		expected(ALL_LINES + 1 - i, want, sizeof want);
		assert_string_equal(view_log_at(&v, i)->text, want);
		assert_string_equal(view_log_at(&v, i)->level, "out");
		assert_string_equal(view_log_at(&v, i)->step, "flood");
	}
	/* it fell behind (10 MB against a socket buffer and 256 KiB), so it was caught up */
	assert_true(v.log_marks >= 1);
	assert_true(v.log_skipped > 0);
	/* the run's count: every output line, the info line; nothing counted twice or lost */
	assert_int_equal(view_log_count(&v), ALL_LINES + 1);
	view_free(&v);
	client_free(busy);

	/* a client attaching now gets the tail from the ring */
	struct client *late = client_connect(f.sock, &cause);
	assert_non_null(late);
	view_init(&v, 100);
	end = mono_ms() + 30000;
	while (!(view_log_at(&v, 0) && strcmp(view_log_at(&v, 0)->text, "after the flood") == 0)) {
		if (mono_ms() > end)
			fail_msg("the late client did not get the tail");
		assert_true(client_wait(late, &v, 200) >= 0);
	}
	expected(ALL_LINES, want, sizeof want);
	assert_string_equal(view_log_at(&v, 1)->text, want);
	view_free(&v);
	client_free(late);
	hub_stop(r->hub);
	r->hub = NULL;

	/* events.jsonl: every line, in order, masked */
	char *ev = slurp(f.events);
	assert_null(strstr(ev, SECRET));
	size_t n = 0;
	int info_after = 0;
	for (char *p = ev, *nl; *p; p = nl + 1) {
		nl = strchr(p, '\n');
		assert_non_null(nl);
		*nl = '\0';
		json_error_t err;
		json_t *e = json_loads(p, 0, &err);
		if (!e)
			fail_msg("not JSON: %s", p);
		const char *t = json_string_value(json_object_get(e, "t"));
		const char *level = json_string_value(json_object_get(e, "level"));
		assert_non_null(t);
		assert_true(json_is_number(json_object_get(e, "ts")));
		if (strcmp(t, "log") == 0 && level && strcmp(level, "out") == 0) {
			n++;
			expected(n, want, sizeof want);
			assert_string_equal(json_string_value(json_object_get(e, "text")), want);
			assert_string_equal(json_string_value(json_object_get(e, "step")), "flood");
		} else if (strcmp(t, "log") == 0 && strcmp(json_string_value(json_object_get(e, "text")), "after the flood") == 0) {
			assert_int_equal(n, ALL_LINES);
			info_after = 1;
		}
		assert_string_not_equal(t, "skipped");
		json_decref(e);
	}
	assert_int_equal(n, ALL_LINES);
	assert_true(info_after);
	free(ev);

	/* run.log: the same lines in the same order */
	char *lg = slurp(f.log);
	assert_null(strstr(lg, SECRET));
	n = 0;
	for (char *p = lg, *nl; *p; p = nl + 1) {
		nl = strchr(p, '\n');
		assert_non_null(nl);
		*nl = '\0';
		char *m = strstr(p, " out   [flood] ");
		if (!m)
			continue;
		n++;
		expected(n, want, sizeof want);
		assert_string_equal(m + strlen(" out   [flood] "), want);
	}
	assert_int_equal(n, ALL_LINES);
	free(lg);

	fixture_stop(&f);
}

/* Whether the file holds needle. */
static int file_has(const char *path, const char *needle)
{
	char *s = read_file(path, NULL, NULL);
	int has = s && strstr(s, needle);
	free(s);
	return has;
}

/* An answer that reaches the hub before the engine waits for it (a front end answering the
 * moment it sees the question: stdin piped into --plain) is kept: the question is opened
 * before it is sent. The old hub reset the answer in hub_wait_answer and waited for ever (the
 * alarm turns that into a failure). The pause only makes "before" near-certain; the test holds
 * whichever comes first. */
static void test_quick_answer(void **state)
{
	(void)state;
	struct fixture f = {0};
	fixture_start(&f);
	char *cause = NULL;
	struct client *c = client_connect(f.sock, &cause);
	if (!c)
		fail_msg("%s", cause);
	hub_open_question(f.r.hub, "q1");
	assert_int_equal(client_answer(c, "q1", "fast"), 0);
	usleep(100000);
	alarm(10);
	char *a = hub_wait_answer(f.r.hub, "q1");
	alarm(0);
	assert_non_null(a);
	assert_string_equal(a, "fast");
	free(a);
	client_free(c);
	fixture_stop(&f);
}

/* The SQL apply's frequent lines ("sql" log lines, statement done records, progress) are buffered on
 * their way to events.jsonl and run.log (core/hub.c): any other line writes them at once, before
 * itself; alone they are written by the hub thread shortly after. */
static void test_frequent(void **state)
{
	(void)state;
	struct fixture f = {0};
	fixture_start(&f);
	struct run *r = &f.r;

	ev_log(r, "sql", "a.sql:1: CREATE TABLE one");
	hub_record(r->hub, "{\"t\":\"effect\",\"type\":\"stmt_done\",\"index\":1}", 1);
	ev_log(r, "warn", "statement 2 was in flight: checked");   /* not frequent: written now, after them */
	char *ev = read_file(f.events, NULL, NULL);
	assert_non_null(ev);
	char *a = strstr(ev, "CREATE TABLE one"), *b = strstr(ev, "\"index\":1}"), *c = strstr(ev, "was in flight");
	assert_non_null(a), assert_non_null(b), assert_non_null(c);
	assert_true(a < b && b < c);
	free(ev);
	char *lg = read_file(f.log, NULL, NULL);
	assert_non_null(lg);
	a = strstr(lg, "CREATE TABLE one"), c = strstr(lg, "was in flight");
	assert_non_null(a), assert_non_null(c);
	assert_true(a < c);
	free(lg);

	/* alone: the hub thread writes it (PEND_FLUSH_MS after it came), no other line needed */
	ev_log(r, "sql", "a.sql:2: %s", "UPDATE t SET pw = '" SECRET "'");
	uint64_t end = mono_ms() + 5000;
	while (!(file_has(f.events, "a.sql:2: UPDATE") && file_has(f.log, "a.sql:2: UPDATE")) && mono_ms() < end)
		usleep(2000);
	assert_true(file_has(f.events, "a.sql:2: UPDATE"));
	assert_true(file_has(f.log, "a.sql:2: UPDATE"));
	assert_false(file_has(f.events, SECRET));
	assert_false(file_has(f.log, SECRET));

	/* and a frequent line still buffered when the hub stops is written then */
	ev_log(r, "sql", "a.sql:3: the last one");
	hub_stop(r->hub);
	r->hub = NULL;
	assert_true(file_has(f.events, "a.sql:3: the last one"));
	assert_true(file_has(f.log, "a.sql:3: the last one"));
	fixture_stop(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_flood),
		cmocka_unit_test(test_frequent),
		cmocka_unit_test(test_quick_answer),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
