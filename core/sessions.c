/*
 * sessions.c: reading the runs folder (see sessions.h).
 */
#include "core/util.h"
#include "core/sessions.h"
#include "core/runstate.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <jansson.h>

static int sock_alive(const char *path)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	if (strlen(path) >= sizeof sa.sun_path || !path_exists(path))
		return 0;
	strcpy(sa.sun_path, path);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return 0;
	int ok = connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0;
	close(fd);
	return ok;
}

/* The "ts" of the last complete line of events.jsonl, or 0. */
static double last_event_ts(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	struct stat st;
	double ts = 0;
	if (fstat(fd, &st) == 0 && st.st_size > 0) {
		off_t from = st.st_size > 65536 ? st.st_size - 65536 : 0;
		size_t n = (size_t)(st.st_size - from);
		char *buf = xmalloc(n + 1);
		ssize_t got = pread(fd, buf, n, from);
		if (got > 0) {
			buf[got] = '\0';
			/* Walk back over the lines until one carries a ts. */
			char *end = buf + got;
			while (end > buf && ts == 0) {
				while (end > buf && end[-1] == '\n')
					*--end = '\0';
				char *start = end;
				while (start > buf && start[-1] != '\n')
					start--;
				json_t *o = json_loads(start, 0, NULL);
				if (o && json_is_number(json_object_get(o, "ts")))
					ts = json_number_value(json_object_get(o, "ts"));
				json_decref(o);
				end = start;
			}
		}
		free(buf);
	}
	close(fd);
	return ts;
}

static void fill_from_hello(struct session *s)
{
	char *path = xasprintf("%s/events.jsonl", s->dir);
	FILE *f = fopen(path, "re");
	free(path);
	if (!f)
		return;
	char *line = NULL;
	size_t cap = 0;
	if (getline(&line, &cap, f) > 0) {
		json_t *o = json_loads(line, 0, NULL);
		const char *t = json_string_value(json_object_get(o, "t"));
		if (t && strcmp(t, "hello") == 0) {
			if (!s->profile)
				s->profile = xstrdup(json_string_value(json_object_get(o, "profile")));
			if (!s->target)
				s->target = xstrdup(json_string_value(json_object_get(o, "target")));
			if (!s->started)
				s->started = json_number_value(json_object_get(o, "started"));
			s->sandbox |= json_is_true(json_object_get(o, "sandbox"));
		}
		json_decref(o);
	}
	free(line);
	fclose(f);
}

void session_casts(const char *dir, struct strvec *out)
{
	for (int n = 1, misses = 0; misses < 8 && n < 1000; n++) {
		char *p = xasprintf("%s/screen-%d.cast", dir, n);
		if (path_exists(p)) {
			sv_push_owned(out, p);
			misses = 0;
		} else {
			free(p);
			misses++;
		}
	}
}

/* o: the run's run.json (borrowed), NULL when it has none that reads. */
static void load_one(struct session *s, json_t *o)
{
	if (o) {
		s->profile = xstrdup(json_string_value(json_object_get(o, "profile")));
		s->target = xstrdup(json_string_value(json_object_get(o, "target")));
		s->outcome = xstrdup(json_string_value(json_object_get(o, "outcome")));
		s->started = json_number_value(json_object_get(o, "started"));
		s->ended = json_number_value(json_object_get(o, "ended"));
		s->sandbox = json_is_true(json_object_get(o, "sandbox"));
	}
	if (!s->profile || !s->target || !s->started)
		fill_from_hello(s);
	char *sock = xasprintf("%s/engine.sock", s->dir);
	s->live = sock_alive(sock);
	free(sock);
	char *ev = xasprintf("%s/events.jsonl", s->dir);
	if (!s->outcome)
		s->outcome = xstrdup(s->live ? "running" : "interrupted");
	if (!s->ended && !s->live)
		s->ended = last_event_ts(ev);
	free(ev);
	struct strvec casts = STRVEC_INIT;
	session_casts(s->dir, &casts);
	s->ncasts = (int)casts.n;
	sv_free(&casts);
}

static int newest_first(const void *a, const void *b)
{
	const struct session *x = a, *y = b;
	if (x->started != y->started)
		return x->started < y->started ? 1 : -1;
	return strcmp(y->id, x->id);
}

struct session_list {
	struct session *v;
	size_t n, cap;
};

static int session_add(void *ud, const char *run_id, const char *run_dir, json_t *o)
{
	struct session_list *l = ud;
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 16;
		l->v = xreallocarray(l->v, l->cap, sizeof *l->v);
	}
	struct session *s = &l->v[l->n++];
	memset(s, 0, sizeof *s);
	s->id = xstrdup(run_id);
	s->dir = xstrdup(run_dir);
	load_one(s, o);
	return 0;
}

int sessions_list(const char *state, struct session **out, size_t *n, char **cause)
{
	struct session_list l = {NULL, 0, 0};
	int rc = runs_foreach(state, session_add, &l, cause);
	if (rc < 0) {
		sessions_free(l.v, l.n);
		*out = NULL;
		*n = 0;
		return -1;
	}
	if (l.n)
		qsort(l.v, l.n, sizeof *l.v, newest_first);
	*out = l.v;
	*n = l.n;
	return 0;
}

void sessions_free(struct session *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(s[i].id), free(s[i].dir), free(s[i].profile), free(s[i].target), free(s[i].outcome);
	}
	free(s);
}

char *session_dir(const char *state, const char *id, char **cause)
{
	if (!id || !*id || strchr(id, '/') || strcmp(id, ".") == 0 || strcmp(id, "..") == 0) {
		set_cause(cause, "not a run id: %s", id ? id : "(none)");
		return NULL;
	}
	struct session *s;
	size_t n;
	if (sessions_list(state, &s, &n, cause) < 0)
		return NULL;
	char *found = NULL;
	int matches = 0;
	for (size_t i = 0; i < n; i++) {
		if (strcmp(s[i].id, id) == 0 || (strcmp(id, "last") == 0 && i == 0)) {
			free(found);
			found = xstrdup(s[i].dir);
			matches = 1;
			break;
		}
		if (str_starts(s[i].id, id)) {
			matches++;
			if (!found)
				found = xstrdup(s[i].dir);
		}
	}
	sessions_free(s, n);
	if (matches == 1)
		return found;
	free(found);
	if (matches > 1)
		set_cause(cause, "run id %s is ambiguous (see upwiz sessions)", id);
	else
		set_cause(cause, "no run %s under %s/runs (see upwiz sessions)", id, state);
	return NULL;
}
