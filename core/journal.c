/*
 * journal.c: see journal.h. A mutex keeps lines whole when two threads journal at once; the
 * background sync thread starts on the first journal_kick (most runs never need it).
 */
#include "core/journal.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct journal {
	int fd;
	pthread_mutex_t mu;          /* keeps lines whole and guards the counters below */
	pthread_cond_t cv;
	uint64_t written;            /* sequence number of the last line written */
	uint64_t synced;             /* every line up to this one is durable */
	uint64_t wanted;             /* the background thread syncs while synced < wanted */
	int failed;                  /* a write or an fdatasync failed: every later wait reports it */
	uint64_t sync_us;            /* how long an fdatasync takes here, smoothed (journal_sync_us) */
	struct strbuf held;          /* lines made by journal_hold, not yet written (journal.h) */
	uint64_t nheld;              /* how many; their numbers follow `written` */
	int thread_on, stopping;
	pthread_t thread;
};

struct journal *journal_open(const char *path, char **cause)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (fd < 0) {
		set_cause(cause, "%s: %s", path, strerror(errno));
		return NULL;
	}
	struct journal *j = xcalloc(1, sizeof *j);
	j->fd = fd;
	pthread_mutex_init(&j->mu, NULL);
	pthread_cond_init(&j->cv, NULL);
	return j;
}

/* Formats one line into the held buffer; returns its sequence number. Caller holds j->mu. */
static uint64_t hold_line_locked(struct journal *j, const char *type, const char *members)
{
	sb_addf(&j->held, "{\"t\":\"%s\",\"ts\":%.3f%s%s}\n", type, wall_time(), members && *members ? "," : "",
		members ? members : "");
	return j->written + ++j->nheld;
}

/* Writes the held lines with one write(2) (O_APPEND: one system call, so a kill leaves whole lines
 * or a torn last one, which the reader ignores). Returns 0, or -1 when the write failed: the held
 * lines are then dropped and their numbers never become durable (the caller's wait reports it).
 * Caller holds j->mu. */
static int release_locked(struct journal *j)
{
	if (!j->nheld)
		return 0;
	size_t off = 0;
	int rc = 0;
	while (off < j->held.len) {
		ssize_t n = write(j->fd, j->held.s + off, j->held.len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = -1;
			break;
		}
		off += (size_t)n;
	}
	if (rc < 0)
		j->failed = 1;
	else
		j->written += j->nheld;
	j->nheld = 0;
	sb_reset(&j->held);
	return rc;
}

/* fdatasync with the lock released (a sync takes milliseconds; writers go on meanwhile); upto is
 * the last line written before it started, so only those are known durable after it. */
static void sync_unlocked(struct journal *j)
{
	uint64_t upto = j->written;
	pthread_mutex_unlock(&j->mu);
	uint64_t t0 = mono_us();
	int rc = fdatasync(j->fd);
	uint64_t took = mono_us() - t0;
	pthread_mutex_lock(&j->mu);
	/* a moving average over about eight syncs: one slow flush does not swing it */
	j->sync_us = j->sync_us ? (7 * j->sync_us + took) / 8 : took + 1;
	if (rc < 0)
		j->failed = 1;
	else if (upto > j->synced)
		j->synced = upto;
	pthread_cond_broadcast(&j->cv);
}

static void *syncer(void *arg)
{
	struct journal *j = arg;
	pthread_mutex_lock(&j->mu);
	for (;;) {
		while (!j->stopping && j->synced >= j->wanted)
			pthread_cond_wait(&j->cv, &j->mu);
		if (j->synced >= j->wanted)
			break;
		sync_unlocked(j);
	}
	pthread_mutex_unlock(&j->mu);
	return NULL;
}

/* Makes a line, and writes it with the held ones when write_now. Its number, or 0. */
static uint64_t add_line(struct journal *j, const char *type, const char *members, int write_now)
{
	if (!j)
		return 0;
	pthread_mutex_lock(&j->mu);
	uint64_t seq = hold_line_locked(j, type, members);
	if (write_now && release_locked(j) < 0)
		seq = 0;
	pthread_mutex_unlock(&j->mu);
	return seq;
}

uint64_t journal_write(struct journal *j, const char *type, const char *members) { return add_line(j, type, members, 1); }

uint64_t journal_hold(struct journal *j, const char *type, const char *members) { return add_line(j, type, members, 0); }

int journal_release(struct journal *j)
{
	if (!j)
		return -1;
	pthread_mutex_lock(&j->mu);
	int rc = release_locked(j);
	pthread_mutex_unlock(&j->mu);
	return rc;
}

int journal_append(struct journal *j, const char *type, const char *members)
{
	uint64_t seq = journal_write(j, type, members);
	return seq ? journal_wait(j, seq) : -1;
}

void journal_kick(struct journal *j)
{
	if (!j)
		return;
	pthread_mutex_lock(&j->mu);
	release_locked(j);
	if (!j->thread_on && pthread_create(&j->thread, NULL, syncer, j) == 0)
		j->thread_on = 1;
	int more = j->thread_on && j->wanted < j->written;
	if (more)
		j->wanted = j->written;
	pthread_mutex_unlock(&j->mu);
	/* signalled after the unlock: a syncer woken under the lock would only block on it again */
	if (more)
		pthread_cond_broadcast(&j->cv);
}

int journal_wait(struct journal *j, uint64_t seq)
{
	if (!j || seq == 0)
		return -1;
	pthread_mutex_lock(&j->mu);
	if (seq > j->written)
		release_locked(j);
	while (!j->failed && j->synced < seq) {
		if (j->thread_on && j->wanted >= seq)
			pthread_cond_wait(&j->cv, &j->mu);   /* the background sync covers it */
		else
			sync_unlocked(j);
	}
	int rc = j->failed ? -1 : 0;
	pthread_mutex_unlock(&j->mu);
	return rc;
}

int journal_durable(struct journal *j, uint64_t seq)
{
	if (!j || seq == 0)
		return 0;
	pthread_mutex_lock(&j->mu);
	int ok = !j->failed && j->synced >= seq;
	pthread_mutex_unlock(&j->mu);
	return ok;
}

uint64_t journal_sync_us(struct journal *j)
{
	if (!j)
		return 0;
	pthread_mutex_lock(&j->mu);
	uint64_t us = j->sync_us;
	pthread_mutex_unlock(&j->mu);
	return us;
}

void journal_close(struct journal *j)
{
	if (!j)
		return;
	pthread_mutex_lock(&j->mu);
	release_locked(j);
	j->stopping = 1;
	pthread_cond_broadcast(&j->cv);
	int on = j->thread_on;
	pthread_mutex_unlock(&j->mu);
	if (on)
		pthread_join(j->thread, NULL);
	close(j->fd);
	sb_free(&j->held);
	pthread_cond_destroy(&j->cv);
	pthread_mutex_destroy(&j->mu);
	free(j);
}

int journal_read_lines(const char *path, struct strvec *lines, char **cause)
{
	size_t len;
	char *buf = read_file(path, &len, cause);
	if (!buf)
		return -1;
	char *s = buf, *nl;
	while ((nl = strchr(s, '\n'))) {
		*nl = '\0';
		if (*s)
			sv_push(lines, s);
		s = nl + 1;
	}
	/* A torn last line (no newline: the engine died mid-write) is ignored on purpose. */
	free(buf);
	return 0;
}
