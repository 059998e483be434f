/*
 * hub.c: the socket server, the event fan-out and the answer rendezvous (see hub.h).
 *
 * Child output. A flooding child must not wait for us, so its lines are not events one by one:
 * hub_output() appends the sanitised line to a pending batch (a memcpy under the mutex), and the
 * batch is flushed when it reaches PEND_MAX, when any other event, effect or log line is emitted
 * (so the files keep the order in which things happened), when the hub stops, and by the hub
 * thread PEND_FLUSH_MS after the batch's first line (a child that prints a line and goes quiet).
 * A flush redacts the whole batch in one pass per secret, encodes one `log` event per line by
 * hand (the text is valid UTF-8 without controls: only quotes and backslashes need escaping) and
 * writes the batch to events.jsonl and run.log with one write each. The files keep every line.
 *
 * The SQL apply's own lines reach the files much the same way: its "sql" log line per statement,
 * the statement's done record and the progress are frequent (a statement per 0.2 ms would cost
 * three write(2)s each on the apply's path), so they are buffered (stdio) and flushed with the
 * next other line, by the hub thread PEND_FLUSH_MS after the first of them, and when the hub
 * stops. Every other line (a warning, a check's finding, a step, a question) is flushed at once
 * with the ones before it, so the files tell what happened up to a crash; an engine killed with
 * SIGKILL loses at most the last PEND_FLUSH_MS of statement lines from them (the journal, not the
 * files, is the record of what was sent, and it loses nothing).
 *
 * Clients are views. A client with more than CLIENT_BEHIND bytes unsent (a UI busy drawing, a
 * slow link) skips output batches instead of queueing them; once it has caught up, or before
 * any other event reaches it (order is kept), it gets a `skipped` event with the number of lines
 * it missed and then the last CATCHUP_LINES of them from the log ring. A screen that shows 40
 * rows loses nothing it could have shown; the files still have every line.
 */
#include "core/hub.h"
#include "core/rollback.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <jansson.h>

#include "core/util.h"

#define MAX_CLIENTS 16
#define CLIENT_OUT_MAX (32u << 20)
#define CLIENT_BEHIND (256u << 10)   /* unsent bytes from which a client skips output batches */
#define CATCHUP_LINES 500            /* lines a client that skipped gets again (the tail) */
_Static_assert(CATCHUP_LINES <= HUB_LOG_BACKLOG, "the tail comes from the log ring");
#define PEND_MAX (256u << 10)        /* a pending output batch is flushed at this size */
#define PEND_FLUSH_MS 15             /* ... or this long after its first line */

struct hclient {
	int fd;
	int control;                /* may answer */
	struct strbuf out, in;
	size_t out_off;
	int skipping;               /* behind: output lines from skip_seq on were not queued */
	unsigned long long skip_seq;
	char *skip_step;
};

struct logslot {
	char *s;
	size_t len, cap;
};

struct hub {
	struct run *run;
	int lfd, wake[2];
	char *sock_path;
	pthread_t thr;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct hclient *cl[MAX_CLIENTS];
	int ncl;
	struct strvec backlog;
	struct logslot *logring;    /* the last HUB_LOG_BACKLOG transient events; slots reused */
	size_t loghead, loglen;
	unsigned long long logseq;  /* transient events ever put in the ring */
	struct strbuf pend;         /* pending output lines (sanitised, not yet redacted), '\n' after each */
	char *pend_step;            /* their step (NULL: none) */
	uint64_t pend_ms;           /* when the first of them came */
	int log_wait;               /* log lines queued for clients without waking the hub thread */
	uint64_t log_ms;            /* when the first of them came: sent PEND_FLUSH_MS later at most */
	int file_lazy;              /* log lines / effects in the files' stdio buffers, not yet flushed */
	uint64_t file_ms;           /* when the first of them came: flushed PEND_FLUSH_MS later at most */
	struct strbuf red, evb, logb;   /* flush scratch: redacted batch, its events, its log lines */
	char **step_state;
	FILE *events, *logf;
	char *open_qid, *answer;
	int stop;
	uint64_t alone_max_ms;      /* hub_set_alone_max: 0 never */
	uint64_t alone_since;       /* when the last client left (or the hub started): mono ms */
};

/* The signal handler only writes a byte into the wake pipe; the hub thread does the rest
 * (mutexes and logging are not async-signal-safe). */
static volatile sig_atomic_t sig_caught;
static int sig_wake_fd = -1;

static void on_stop_signal(int sig)
{
	int saved = errno;
	sig_caught = sig;
	if (sig_wake_fd >= 0) {
		char c = 's';
		(void)!write(sig_wake_fd, &c, 1);
	}
	errno = saved;
}

void hub_catch_signals(struct hub *h)
{
	sig_wake_fd = h->wake[1];
	struct sigaction sa = {0};
	sa.sa_handler = on_stop_signal;
	sa.sa_flags = SA_RESETHAND | SA_RESTART;   /* a second signal: default action, at once */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
}

static void wake(struct hub *h)
{
	char c = 1;
	(void)!write(h->wake[1], &c, 1);
}

static void client_queue_n(struct hclient *c, const char *line, size_t n)
{
	sb_add(&c->out, line, n);
	sb_addc(&c->out, '\n');
}

static void client_queue(struct hclient *c, const char *line) { client_queue_n(c, line, strlen(line)); }

static void ring_push(struct hub *h, const char *line, size_t n)
{
	struct logslot *sl = &h->logring[h->loghead];
	if (n + 1 > sl->cap) {
		size_t cap = n + 1 < 128 ? 128 : n + 1 + n / 4;
		free(sl->s);
		sl->s = xmalloc(cap);
		sl->cap = cap;
	}
	memcpy(sl->s, line, n);
	sl->s[n] = '\0';
	sl->len = n;
	h->loghead = (h->loghead + 1) % HUB_LOG_BACKLOG;
	if (h->loglen < HUB_LOG_BACKLOG)
		h->loglen++;
	h->logseq++;
}

/* The i-th oldest entry of the ring (i < loglen). */
static const struct logslot *ring_at(const struct hub *h, size_t i)
{
	return &h->logring[(h->loghead + HUB_LOG_BACKLOG - h->loglen + i) % HUB_LOG_BACKLOG];
}

/* A client that skipped output batches gets the count and the tail, in order, before anything
 * else. Only output lines are skipped, and any other event catches the client up before it is
 * queued, so the ring's entries from skip_seq on are exactly the lines the client missed. */
static void client_catch_up(struct hub *h, struct hclient *c)
{
	if (!c->skipping)
		return;
	c->skipping = 0;
	unsigned long long missed = h->logseq - c->skip_seq;
	/* k <= loglen: missed <= loglen, or missed > loglen means the ring is full (CATCHUP_LINES is less) */
	unsigned long long k = missed < CATCHUP_LINES ? missed : CATCHUP_LINES;
	if (missed > k) {
		json_t *o = json_pack("{s:s,s:f,s:I}", "t", "skipped", "ts", wall_time(), "lines", (json_int_t)(missed - k));
		if (c->skip_step)
			json_object_set_new(o, "step", json_string(c->skip_step));
		char *line = json_dumps(o, JSON_COMPACT);
		json_decref(o);
		if (line)
			client_queue(c, line);
		free(line);
	}
	for (size_t i = h->loglen - (size_t)k; i < h->loglen; i++)
		client_queue_n(c, ring_at(h, i)->s, ring_at(h, i)->len);
	free(c->skip_step);
	c->skip_step = NULL;
}

/* Appends n bytes of s to sb as the inside of a JSON string. s is valid UTF-8. */
static void json_esc(struct strbuf *sb, const char *s, size_t n)
{
	size_t start = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		sb_add(sb, s + start, i - start);
		if (c == '"' || c == '\\') {
			char e[2] = {'\\', (char)c};
			sb_add(sb, e, 2);
		} else {
			char u[8];
			snprintf(u, sizeof u, "\\u%04x", c);
			sb_add(sb, u, 6);
		}
		start = i + 1;
	}
	sb_add(sb, s + start, n - start);
}

/* Flushes the log lines and effects buffered in the files (see the top). Mutex held. */
static void files_flush(struct hub *h)
{
	if (!h->file_lazy)
		return;
	if (h->events)
		fflush(h->events);
	if (h->logf)
		fflush(h->logf);
	h->file_lazy = 0;
}

/* A log line or effect went into f's buffer without a flush. Returns 1 when the hub thread must
 * be woken to arm its flush timer (nothing was waiting before). Mutex held. */
static int file_lazy(struct hub *h, FILE *f, const char *line)
{
	if (!f)
		return 0;
	fputs(line, f);
	fputc('\n', f);
	if (h->file_lazy)
		return 0;
	h->file_lazy = 1;
	h->file_ms = mono_ms();
	return 1;
}

/* One line into f: buffered when frequent, else written now with what was buffered before it. */
static int file_line(struct hub *h, FILE *f, const char *line, int frequent)
{
	int arm = file_lazy(h, f, line);
	if (frequent)
		return arm;
	files_flush(h);
	return 0;
}

static void file_write(FILE *f, const struct strbuf *sb)
{
	if (f && sb->len) {
		fwrite(sb->s, 1, sb->len, f);
		fflush(f);
	}
}

/* Flushes the pending output batch (see the top of this file). Called with the mutex held.
 * Returns 1 when there was one (clients may have data: wake the hub thread). */
static int pend_flush(struct hub *h)
{
	if (h->pend.len == 0)
		return 0;
	/* clients that skipped and have caught up get the tail before this batch */
	for (int i = 0; i < h->ncl; i++) {
		struct hclient *c = h->cl[i];
		if (c->skipping && c->out.len - c->out_off < CLIENT_BEHIND / 4)
			client_catch_up(h, c);
	}
	sb_reset(&h->red);
	sb_reset(&h->evb);
	sb_reset(&h->logb);
	redactor_apply_sb(h->run->red, h->pend.s, h->pend.len, &h->red);
	double t = wall_time();
	char *iso = iso_time(t);
	struct strbuf head = STRBUF_INIT, lhead = STRBUF_INIT;
	sb_addf(&head, "{\"t\":\"log\",\"ts\":%.3f,\"level\":\"out\",\"step\":\"", t);
	if (h->pend_step)
		json_esc(&head, h->pend_step, strlen(h->pend_step));
	sb_adds(&head, "\",\"text\":\"");
	sb_addf(&lhead, "%s %-5s %s%s%s", iso, "out", h->pend_step ? "[" : "", h->pend_step ? h->pend_step : "",
		h->pend_step ? "] " : "");
	free(iso);
	unsigned long long first = h->logseq;
	const char *p = h->red.s, *end = h->red.s + h->red.len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		size_t at = h->evb.len;
		sb_add(&h->evb, head.s, head.len);
		json_esc(&h->evb, p, n);
		sb_add(&h->evb, "\"}", 2);
		ring_push(h, h->evb.s + at, h->evb.len - at);
		sb_addc(&h->evb, '\n');
		sb_add(&h->logb, lhead.s, lhead.len);
		sb_add(&h->logb, p, n);
		sb_addc(&h->logb, '\n');
		p += n + 1;
	}
	sb_free(&head);
	sb_free(&lhead);
	files_flush(h);   /* lines buffered before this batch go first */
	file_write(h->events, &h->evb);
	file_write(h->logf, &h->logb);
	for (int i = 0; i < h->ncl; i++) {
		struct hclient *c = h->cl[i];
		if (!c->skipping && c->out.len - c->out_off > CLIENT_BEHIND) {
			c->skipping = 1;
			c->skip_seq = first;
			c->skip_step = h->pend_step ? xstrdup(h->pend_step) : NULL;
		}
		if (!c->skipping)
			sb_add(&c->out, h->evb.s, h->evb.len);
	}
	sb_reset(&h->pend);
	/* the scratch buffers stay allocated for the next batch, unless a giant line grew them */
	if (h->red.cap > 4 * PEND_MAX) {
		sb_free(&h->red);
		sb_free(&h->evb);
		sb_free(&h->logb);
	}
	return 1;
}

static char *hello_line(struct hub *h, int control)
{
	struct run *r = h->run;
	struct profile *p = r->prof;
	json_t *o = json_object();
	json_object_set_new(o, "t", json_string("hello"));
	json_object_set_new(o, "run", json_string(r->run_id));
	json_object_set_new(o, "profile", json_string(p->id));
	json_object_set_new(o, "title", json_string(p->title));
	json_object_set_new(o, "from", json_string(p->from));
	json_object_set_new(o, "to", json_string(p->to));
	/* Before the variables are resolved the target is not known: "" (a `target` event follows). */
	json_object_set_new(o, "target", json_string(r->target ? r->target : ""));
	json_object_set_new(o, "started", json_real(r->started_at > 0 ? r->started_at : wall_time()));
	json_object_set_new(o, "sandbox", json_boolean(r->sandbox));
	json_object_set_new(o, "role", json_string(control ? "control" : "watch"));
	json_object_set_new(o, "version", json_string(UPWIZ_VERSION));
	json_t *steps = json_array();
	for (size_t i = 0; i < p->nsteps; i++) {
		json_t *s = json_object();
		json_object_set_new(s, "id", json_string(p->steps[i].id));
		json_object_set_new(s, "title", json_string(p->steps[i].title));
		json_object_set_new(s, "kind", json_string(step_kind_name(p->steps[i].kind)));
		json_object_set_new(s, "help", json_string(p->steps[i].help ? p->steps[i].help : ""));
		json_object_set_new(s, "state", json_string(h->step_state[i] ? h->step_state[i] : "pending"));
		json_object_set_new(s, "reversible", json_boolean(run_step_reversible(r, i)));
		json_array_append_new(steps, s);
	}
	json_object_set_new(o, "steps", steps);
	char *line = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	return line;
}

static void client_add(struct hub *h, int fd)
{
	if (h->ncl >= MAX_CLIENTS) {
		close(fd);
		return;
	}
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	struct hclient *c = xcalloc(1, sizeof *c);
	c->fd = fd;
	int have_control = 0;
	for (int i = 0; i < h->ncl; i++)
		have_control |= h->cl[i]->control;
	c->control = !have_control;
	char *hello = hello_line(h, c->control);
	client_queue(c, hello);
	free(hello);
	for (size_t i = 0; i < h->backlog.n; i++)
		client_queue(c, h->backlog.v[i]);
	pend_flush(h);   /* the output so far is part of the state the client gets */
	for (size_t i = 0; i < h->loglen; i++)
		client_queue_n(c, ring_at(h, i)->s, ring_at(h, i)->len);
	h->cl[h->ncl++] = c;
	h->alone_since = 0;
	pthread_cond_broadcast(&h->cv);
}

static void client_drop(struct hub *h, int i)
{
	struct hclient *c = h->cl[i];
	int was_control = c->control;
	close(c->fd);
	sb_free(&c->out);
	sb_free(&c->in);
	free(c->skip_step);
	free(c);
	h->cl[i] = h->cl[--h->ncl];
	if (was_control && h->ncl > 0) {
		/* The controller left: the oldest watcher takes over. */
		h->cl[0]->control = 1;
		client_queue(h->cl[0], "{\"t\":\"role\",\"role\":\"control\"}");
	}
	if (h->ncl == 0)
		h->alone_since = mono_ms();
	pthread_cond_broadcast(&h->cv);
}

static void client_message(struct hub *h, struct hclient *c, const char *line)
{
	json_error_t err;
	json_t *o = json_loads(line, 0, &err);
	if (!o)
		return;
	const char *t = json_string_value(json_object_get(o, "t"));
	if (t && strcmp(t, "answer") == 0 && c->control) {
		const char *qid = json_string_value(json_object_get(o, "qid"));
		const char *val = json_string_value(json_object_get(o, "value"));
		if (qid && val && h->open_qid && strcmp(qid, h->open_qid) == 0 && !h->answer) {
			h->answer = xstrdup(val);
			pthread_cond_broadcast(&h->cv);
		}
	} else if (t && strcmp(t, "cmd") == 0) {
		const char *cmd = json_string_value(json_object_get(o, "cmd"));
		if (cmd && strcmp(cmd, "abort") == 0 && c->control) {
			h->run->abort_requested = 1;
			pthread_cond_broadcast(&h->cv);
		}
	}
	json_decref(o);
}

static int client_read(struct hub *h, struct hclient *c)
{
	char buf[4096];
	ssize_t n = read(c->fd, buf, sizeof buf);
	if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
		return -1;
	if (n < 0)
		return 0;
	sb_add(&c->in, buf, (size_t)n);
	char *s = c->in.s, *nl;
	while ((nl = memchr(s, '\n', c->in.len - (size_t)(s - c->in.s)))) {
		*nl = '\0';
		client_message(h, c, s);
		s = nl + 1;
	}
	size_t rest = c->in.len - (size_t)(s - c->in.s);
	memmove(c->in.s, s, rest);
	c->in.len = rest;
	c->in.s[rest] = '\0';
	if (c->in.len > (1u << 20))
		return -1;
	return 0;
}

static int client_flush(struct hclient *c)
{
	while (c->out_off < c->out.len) {
		ssize_t n = send(c->fd, c->out.s + c->out_off, c->out.len - c->out_off, MSG_NOSIGNAL);
		if (n < 0)
			return errno == EAGAIN || errno == EINTR ? 0 : -1;
		c->out_off += (size_t)n;
	}
	sb_reset(&c->out);
	c->out_off = 0;
	return 0;
}

static void *hub_thread(void *arg)
{
	struct hub *h = arg;
	for (;;) {
		struct pollfd pf[MAX_CLIENTS + 2];
		pthread_mutex_lock(&h->mu);
		if (h->stop) {
			for (int i = 0; i < h->ncl; i++)
				client_flush(h->cl[i]);
			pthread_mutex_unlock(&h->mu);
			return NULL;
		}
		int n = 0;
		pf[n++] = (struct pollfd){.fd = h->wake[0], .events = POLLIN};
		pf[n++] = (struct pollfd){.fd = h->lfd, .events = POLLIN};
		int ncl = h->ncl;
		for (int i = 0; i < ncl; i++)
			pf[n++] = (struct pollfd){.fd = h->cl[i]->fd,
						  .events = POLLIN | (h->cl[i]->out.len > h->cl[i]->out_off ? POLLOUT : 0)};
		int timeout = -1;   /* idle: no wake-ups at all */
		if (h->pend.len || h->log_wait || h->file_lazy) {
			uint64_t now = mono_ms();
			uint64_t due = h->pend.len ? h->pend_ms + PEND_FLUSH_MS : UINT64_MAX;
			if (h->log_wait && h->log_ms + PEND_FLUSH_MS < due)
				due = h->log_ms + PEND_FLUSH_MS;
			if (h->file_lazy && h->file_ms + PEND_FLUSH_MS < due)
				due = h->file_ms + PEND_FLUSH_MS;
			timeout = now >= due ? 0 : (int)(due - now);
		}
		pthread_mutex_unlock(&h->mu);
		if (poll(pf, (nfds_t)n, timeout) < 0 && errno != EINTR)
			return NULL;
		pthread_mutex_lock(&h->mu);
		if (h->pend.len && mono_ms() >= h->pend_ms + PEND_FLUSH_MS)
			pend_flush(h);
		if (h->log_wait && mono_ms() >= h->log_ms + PEND_FLUSH_MS)
			h->log_wait = 0;   /* the queued log lines go out with the next poll (POLLOUT) */
		if (h->file_lazy && mono_ms() >= h->file_ms + PEND_FLUSH_MS)
			files_flush(h);
		int got_signal = 0;
		if (pf[0].revents & POLLIN) {
			char b[256];
			(void)!read(h->wake[0], b, sizeof b);
			if (sig_caught && !h->run->abort_requested) {
				got_signal = sig_caught;
				h->run->abort_requested = 1;
				pthread_cond_broadcast(&h->cv);
			}
		}
		if (pf[1].revents & POLLIN) {
			int fd = accept4(h->lfd, NULL, NULL, SOCK_CLOEXEC);
			if (fd >= 0)
				client_add(h, fd);
		}
		/* Clients may have been added above: only look at the ones polled, from the end so drops are safe. */
		for (int i = ncl - 1; i >= 0; i--) {
			struct hclient *c = h->cl[i];
			short re = pf[2 + i].revents;
			int bad = 0;
			if (re & (POLLIN | POLLHUP | POLLERR))
				bad = client_read(h, c) < 0;
			if (!bad && (re & POLLOUT)) {
				bad = client_flush(c) < 0;
				if (!bad && c->skipping && c->out.len == 0)
					client_catch_up(h, c);   /* drained: the tail of what it skipped */
			}
			if (bad)
				client_drop(h, i);
		}
		pthread_mutex_unlock(&h->mu);
		if (got_signal)   /* after unlocking: ev_log emits through this hub */
			ev_log(h->run, "warn", "%s received: aborting at the next safe point (send it again to stop at once)",
			       got_signal == SIGTERM ? "SIGTERM" : "SIGINT");
	}
}

struct hub *hub_start(struct run *r, const char *sock_path, const char *events_path, const char *log_path, char **cause)
{
	struct hub *h = xcalloc(1, sizeof *h);
	h->run = r;
	h->alone_since = mono_ms();
	h->sock_path = xstrdup(sock_path);
	h->logring = xcalloc(HUB_LOG_BACKLOG, sizeof *h->logring);
	h->step_state = xcalloc(r->prof->nsteps ? r->prof->nsteps : 1, sizeof *h->step_state);
	pthread_mutex_init(&h->mu, NULL);
	/* timed waits on cv count in monotonic time: a clock set back must not stretch them */
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&h->cv, &ca);
	pthread_condattr_destroy(&ca);
	if (pipe2(h->wake, O_CLOEXEC | O_NONBLOCK) < 0)
		fatal("pipe: %s", strerror(errno));
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	if (strlen(sock_path) >= sizeof sa.sun_path) {
		set_cause(cause, "socket path too long: %s", sock_path);
		goto fail;
	}
	strcpy(sa.sun_path, sock_path);
	unlink(sock_path);
	h->lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	mode_t old = umask(077);
	int rc = bind(h->lfd, (struct sockaddr *)&sa, sizeof sa);
	umask(old);
	if (rc < 0 || listen(h->lfd, 8) < 0) {
		set_cause(cause, "%s: %s", sock_path, strerror(errno));
		goto fail;
	}
	old = umask(077);
	h->events = fopen(events_path, "ae");
	h->logf = fopen(log_path, "ae");
	umask(old);
	if (!h->events || !h->logf) {
		set_cause(cause, "%s: %s", events_path, strerror(errno));
		goto fail;
	}
	/* room for PEND_FLUSH_MS of log lines and effects (the top of this file): one write each */
	setvbuf(h->events, NULL, _IOFBF, 64u << 10);
	setvbuf(h->logf, NULL, _IOFBF, 64u << 10);
	/* The stream starts with the run as a late client would see it (steps, titles), so a
	 * reader of events.jsonl alone (replay --plain, a bundle) needs nothing else. */
	{
		char *hello = hello_line(h, 0);
		fprintf(h->events, "{\"ts\":%.3f,%s\n", wall_time(), hello + 1);
		fflush(h->events);
		free(hello);
	}
	/* The profile as it was when the run started, for the support bundle (profiles change). */
	if (r->run_dir && r->prof->path) {
		char *copy = xasprintf("%s/profile.yaml", r->run_dir);
		copy_file(r->prof->path, copy, 0600, NULL);
		free(copy);
	}
	pthread_create(&h->thr, NULL, hub_thread, h);
	return h;
fail:
	if (h->lfd > 0)
		close(h->lfd);
	free(h->sock_path);
	free(h->logring);
	free(h->step_state);
	free(h);
	return NULL;
}

void hub_emit(struct hub *h, const char *line, int is_log)
{
	pthread_mutex_lock(&h->mu);
	pend_flush(h);
	int need_wake = file_line(h, h->events, line, is_log == 2);   /* 1: the file timer must be armed */
	for (int i = h->ncl - 1; i >= 0; i--) {
		if (h->cl[i]->out.len > CLIENT_OUT_MAX) {
			client_drop(h, i);
			continue;
		}
		client_catch_up(h, h->cl[i]);   /* before the ring gets this line */
		client_queue(h->cl[i], line);
	}
	if (is_log) {
		ring_push(h, line, strlen(line));
		/* A log line need not reach the clients at once: a statement or a command per
		 * millisecond would cost a wake-up and a send each. The first one starts the clock
		 * (one wake-up, so the hub thread arms its timer); the others ride along. */
		if (!h->log_wait)
			h->log_wait = 1, h->log_ms = mono_ms(), need_wake = 1;
	} else {
		sv_push(&h->backlog, line);
		h->log_wait = 0;   /* anything else goes out now, and the log lines before it with it */
		need_wake = 1;
	}
	pthread_mutex_unlock(&h->mu);
	if (need_wake)
		wake(h);
}

void hub_output(struct hub *h, const char *step, const char *line, size_t len)
{
	int start = 0, flushed = 0;
	pthread_mutex_lock(&h->mu);
	if (h->pend.len && (step ? !h->pend_step || strcmp(step, h->pend_step) != 0 : h->pend_step != NULL))
		pend_flush(h);   /* one step per batch */
	if (h->pend.len == 0) {
		start = 1;
		h->pend_ms = mono_ms();
		if (step ? !h->pend_step || strcmp(step, h->pend_step) != 0 : h->pend_step != NULL) {
			free(h->pend_step);
			h->pend_step = step ? xstrdup(step) : NULL;
		}
	}
	sb_add(&h->pend, line, len);
	sb_addc(&h->pend, '\n');
	if (h->pend.len >= PEND_MAX) {
		pend_flush(h);
		flushed = 1;
	}
	pthread_mutex_unlock(&h->mu);
	if (start || flushed)
		wake(h);   /* the hub thread arms its flush timer, or sends what was queued */
}

void hub_record(struct hub *h, const char *line, int frequent)
{
	pthread_mutex_lock(&h->mu);
	int flushed = pend_flush(h);
	flushed |= file_line(h, h->events, line, frequent);
	pthread_mutex_unlock(&h->mu);
	if (flushed)
		wake(h);
}

void hub_log_file(struct hub *h, const char *line, int frequent)
{
	pthread_mutex_lock(&h->mu);
	int flushed = pend_flush(h);
	flushed |= file_line(h, h->logf, line, frequent);
	pthread_mutex_unlock(&h->mu);
	if (flushed)
		wake(h);
}

void hub_set_step_state(struct hub *h, size_t i, const char *state)
{
	pthread_mutex_lock(&h->mu);
	free(h->step_state[i]);
	h->step_state[i] = xstrdup(state);
	pthread_mutex_unlock(&h->mu);
}

const char *hub_step_state(struct hub *h, size_t i)
{
	pthread_mutex_lock(&h->mu);
	const char *s = h->step_state[i] ? h->step_state[i] : "pending";
	pthread_mutex_unlock(&h->mu);
	return s;
}

static void open_question_locked(struct hub *h, const char *qid)
{
	free(h->open_qid);
	h->open_qid = xstrdup(qid);
	free(h->answer);
	h->answer = NULL;
}

void hub_open_question(struct hub *h, const char *qid)
{
	pthread_mutex_lock(&h->mu);
	open_question_locked(h, qid);
	pthread_mutex_unlock(&h->mu);
}

char *hub_wait_answer(struct hub *h, const char *qid)
{
	pthread_mutex_lock(&h->mu);
	if (!h->open_qid || strcmp(h->open_qid, qid) != 0)
		open_question_locked(h, qid);   /* an answer that came since hub_open_question stays */
	uint64_t asked = mono_ms(), alone_for = 0;
	while (!h->answer && !h->run->abort_requested && !h->stop) {
		if (!h->alone_max_ms || h->ncl > 0) {
			pthread_cond_wait(&h->cv, &h->mu);   /* a client attached: no timer, no wake-ups */
			continue;
		}
		/* Alone since the question opened or the last client left, whichever came later: a step
		 * that ran long with nobody watching does not count against the operator. */
		uint64_t since = h->alone_since > asked ? h->alone_since : asked, now = mono_ms();
		if (now >= since + h->alone_max_ms) {
			h->run->abort_requested = 1;
			alone_for = h->alone_max_ms;   /* the limit, not the wait measured: the log says the rule */
			pthread_cond_broadcast(&h->cv);
			break;
		}
		struct timespec ts;
		clock_gettime(CLOCK_MONOTONIC, &ts);
		uint64_t left = since + h->alone_max_ms - now;
		ts.tv_sec += (time_t)(left / 1000);
		ts.tv_nsec += (long)(left % 1000) * 1000000L;
		if (ts.tv_nsec >= 1000000000L)
			ts.tv_sec++, ts.tv_nsec -= 1000000000L;
		pthread_cond_timedwait(&h->cv, &h->mu, &ts);
	}
	char *a = h->answer;
	h->answer = NULL;
	free(h->open_qid);
	h->open_qid = NULL;
	pthread_mutex_unlock(&h->mu);
	if (alone_for) {   /* after unlocking: ev_log emits through this hub */
		char *t = secs_text((double)alone_for / 1000.0);
		ev_log(h->run, "warn", "no front end attached for %s while the question \"%s\" waited: the run ends "
		       "(`upwiz attach` before then would have gone on)", t, qid);
		free(t);
	}
	return a;
}

void hub_set_alone_max(struct hub *h, int seconds)
{
	pthread_mutex_lock(&h->mu);
	h->alone_max_ms = seconds > 0 ? (uint64_t)seconds * 1000 : 0;
	pthread_cond_broadcast(&h->cv);
	pthread_mutex_unlock(&h->mu);
}

int hub_clients(struct hub *h)
{
	pthread_mutex_lock(&h->mu);
	int n = h->ncl;
	pthread_mutex_unlock(&h->mu);
	return n;
}

void hub_wait_idle(struct hub *h, int timeout_ms)
{
	uint64_t end = mono_ms() + (uint64_t)timeout_ms;
	pthread_mutex_lock(&h->mu);
	while (h->ncl > 0) {
		if (timeout_ms >= 0 && mono_ms() >= end)
			break;
		struct timespec ts;
		clock_gettime(CLOCK_MONOTONIC, &ts);
		ts.tv_sec += 1;
		pthread_cond_timedwait(&h->cv, &h->mu, &ts);
	}
	pthread_mutex_unlock(&h->mu);
}

void hub_stop(struct hub *h)
{
	if (!h)
		return;
	pthread_mutex_lock(&h->mu);
	pend_flush(h);
	files_flush(h);
	for (int i = 0; i < h->ncl; i++)
		client_catch_up(h, h->cl[i]);
	h->stop = 1;
	pthread_cond_broadcast(&h->cv);
	pthread_mutex_unlock(&h->mu);
	wake(h);
	pthread_join(h->thr, NULL);
	for (int i = h->ncl - 1; i >= 0; i--)
		client_drop(h, i);
	close(h->lfd);
	unlink(h->sock_path);
	if (sig_wake_fd == h->wake[1])
		sig_wake_fd = -1;   /* a late signal must not write into a reused descriptor */
	close(h->wake[0]);
	close(h->wake[1]);
	if (h->events)
		fclose(h->events);
	if (h->logf)
		fclose(h->logf);
	for (size_t i = 0; i < HUB_LOG_BACKLOG; i++)
		free(h->logring[i].s);
	free(h->logring);
	sb_free(&h->pend);
	sb_free(&h->red);
	sb_free(&h->evb);
	sb_free(&h->logb);
	free(h->pend_step);
	for (size_t i = 0; i < h->run->prof->nsteps; i++)
		free(h->step_state[i]);
	free(h->step_state);
	sv_free(&h->backlog);
	free(h->open_qid);
	free(h->answer);
	free(h->sock_path);
	pthread_mutex_destroy(&h->mu);
	pthread_cond_destroy(&h->cv);
	free(h);
}
