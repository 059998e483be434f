/*
 * record.c: the screen recorder (see record.h for how the bytes are caught and why).
 *
 * Locking: the relay thread and the UI thread both read the pipe and write the terminal; one
 * mutex keeps the bytes in order on the terminal and in the pending frame buffer.
 */
#include "tui/record.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "core/cast.h"
#include "core/util.h"
#include "core/view.h"

static char *want_dir, *want_title, *cast_path;
static struct cast_writer *cw;
static int tty_fd = -1, pipe_r = -1, pipe_w = -1, stop_fds[2] = {-1, -1};
static int active, suspended;
static pthread_t relay;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static struct strbuf pending;
static enum step_state *last_states;
static size_t nlast;

void rec_want(const char *run_dir, const char *title)
{
	free(want_dir);
	free(want_title);
	want_dir = xstrdup(run_dir);
	want_title = xstrdup(title);
}

int rec_active(void) { return active; }
int rec_tty_fd(void) { return active ? tty_fd : STDOUT_FILENO; }
const char *rec_path(void) { return cast_path; }

static void write_tty(const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(tty_fd, p, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return;
		}
		p += w;
		n -= (size_t)w;
	}
}

/* Moves what is in the pipe to the terminal and the pending frame. Caller holds mu. */
static void drain_locked(void)
{
	char buf[16384];
	for (;;) {
		ssize_t n = read(pipe_r, buf, sizeof buf);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		write_tty(buf, (size_t)n);
		sb_add(&pending, buf, (size_t)n);
	}
}

static void *relay_main(void *arg)
{
	(void)arg;
	for (;;) {
		struct pollfd pf[2] = {{pipe_r, POLLIN, 0}, {stop_fds[0], POLLIN, 0}};
		if (poll(pf, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			return NULL;
		}
		if (pf[1].revents)
			return NULL;
		if (pf[0].revents & POLLIN) {
			pthread_mutex_lock(&mu);
			drain_locked();
			pthread_mutex_unlock(&mu);
		} else if (pf[0].revents & (POLLHUP | POLLERR))
			return NULL;
	}
}

static struct cast_writer *create_cast(int w, int h)
{
	for (int n = 1; n < 1000; n++) {
		char *path = xasprintf("%s/screen-%d.cast", want_dir, n);
		char *cause = NULL;
		if (path_exists(path)) {
			free(path);
			continue;
		}
		struct cast_writer *c = cast_create(path, w, h, want_title, &cause);
		free(cause);
		if (c) {
			free(cast_path);
			cast_path = path;
			return c;
		}
		free(path);
		if (errno != EEXIST)
			return NULL;
	}
	return NULL;
}

int rec_begin(void)
{
	const char *env = getenv("UPWIZ_RECORD");
	struct winsize ws;
	int p[2];

	if (active || !want_dir || (env && strcmp(env, "0") == 0))
		return 0;
	if (!isatty(STDERR_FILENO) || !isatty(STDOUT_FILENO))
		return 0;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) < 0 || ws.ws_col == 0 || ws.ws_row == 0)
		ws.ws_col = 80, ws.ws_row = 24;
	cw = create_cast(ws.ws_col, ws.ws_row);
	if (!cw)
		return 0;
	tty_fd = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3);
	if (tty_fd < 0 || pipe2(p, O_CLOEXEC) < 0 || pipe2(stop_fds, O_CLOEXEC) < 0)
		goto fail;
	fcntl(p[0], F_SETFL, O_NONBLOCK);
	fcntl(p[1], F_SETPIPE_SZ, 1 << 20);   /* fewer wake-ups of the relay; not required */
	pipe_r = p[0];
	pipe_w = p[1];
	fflush(stdout);
	if (dup2(pipe_w, STDOUT_FILENO) < 0)
		goto fail;
	active = 1;
	suspended = 0;
	if (pthread_create(&relay, NULL, relay_main, NULL) != 0) {
		dup2(tty_fd, STDOUT_FILENO);
		active = 0;
		goto fail;
	}
	return 1;
fail:
	if (tty_fd >= 0)
		close(tty_fd);
	if (pipe_r >= 0)
		close(pipe_r), close(pipe_w);
	if (stop_fds[0] >= 0)
		close(stop_fds[0]), close(stop_fds[1]);
	tty_fd = pipe_r = pipe_w = stop_fds[0] = stop_fds[1] = -1;
	cast_close(cw);
	cw = NULL;
	if (cast_path)
		unlink(cast_path);
	free(cast_path);
	cast_path = NULL;
	return 0;
}

void rec_frame(void)
{
	if (!active)
		return;
	fflush(stdout);
	pthread_mutex_lock(&mu);
	drain_locked();
	if (pending.len)
		cast_output(cw, pending.s, pending.len);
	sb_reset(&pending);
	pthread_mutex_unlock(&mu);
}

void rec_resize(int w, int h)
{
	if (!active)
		return;
	rec_frame();
	cast_resize(cw, w, h);
}

void rec_step_markers(const struct view *v)
{
	if (!active)
		return;
	if (nlast < v->nsteps) {
		last_states = xreallocarray(last_states, v->nsteps, sizeof *last_states);
		for (size_t i = nlast; i < v->nsteps; i++)
			last_states[i] = ST_PENDING;
		nlast = v->nsteps;
	}
	for (size_t i = 0; i < v->nsteps; i++) {
		enum step_state s = v->steps[i].state, was = last_states[i];
		int run_now = s == ST_RUNNING || s == ST_WAITING, ran = was == ST_RUNNING || was == ST_WAITING;
		if (s == was || (run_now && ran) || s == ST_PENDING) {
			last_states[i] = s;
			continue;
		}
		last_states[i] = s;
		const char *id = v->steps[i].id ? v->steps[i].id : "?";
		pthread_mutex_lock(&mu);
		/* A step that started and ended between two frames still gets its start marker. */
		if (!run_now && !ran && v->steps[i].started > 0 && was == ST_PENDING) {
			char *start = xasprintf("%s running", id);
			cast_marker(cw, start);
			free(start);
		}
		char *label = xasprintf("%s %s", id, run_now ? "running" : step_state_name(s));
		cast_marker(cw, label);
		pthread_mutex_unlock(&mu);
		free(label);
	}
}

void rec_suspend(void)
{
	if (!active || suspended)
		return;
	rec_frame();
	dup2(tty_fd, STDOUT_FILENO);
	suspended = 1;
}

void rec_resume(void)
{
	if (!active || !suspended)
		return;
	fflush(stdout);
	dup2(pipe_w, STDOUT_FILENO);
	suspended = 0;
}

void rec_end(void)
{
	if (!active)
		return;
	rec_frame();
	char c = 1;
	(void)!write(stop_fds[1], &c, 1);
	pthread_join(relay, NULL);
	pthread_mutex_lock(&mu);
	drain_locked();
	if (pending.len)
		cast_output(cw, pending.s, pending.len);
	sb_free(&pending);
	pthread_mutex_unlock(&mu);
	fflush(stdout);
	dup2(tty_fd, STDOUT_FILENO);
	close(tty_fd);
	close(pipe_r), close(pipe_w);
	close(stop_fds[0]), close(stop_fds[1]);
	tty_fd = pipe_r = pipe_w = stop_fds[0] = stop_fds[1] = -1;
	cast_close(cw);
	cw = NULL;
	active = 0;
	free(last_states);
	last_states = NULL;
	nlast = 0;
}
