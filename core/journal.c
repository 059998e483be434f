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
	int failed;                  /* an fdatasync failed: every later wait reports it */
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

/* Writes one line under the lock; returns its sequence number or 0. Caller holds j->mu. */
static uint64_t write_line_locked(struct journal *j, const char *type, const char *members)
{
	char *line = xasprintf("{\"t\":\"%s\",\"ts\":%.3f%s%s}\n", type, wall_time(), members && *members ? "," : "",
			       members ? members : "");
	size_t len = strlen(line), off = 0;
	int rc = 0;
	while (off < len) {
		ssize_t n = write(j->fd, line + off, len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = -1;
			break;
		}
		off += (size_t)n;
	}
	free(line);
	return rc < 0 ? 0 : ++j->written;
}

/* fdatasync with the lock released (a sync takes milliseconds; writers go on meanwhile); upto is
 * the last line written before it started, so only those are known durable after it. */
static void sync_unlocked(struct journal *j)
{
	uint64_t upto = j->written;
	pthread_mutex_unlock(&j->mu);
	int rc = fdatasync(j->fd);
	pthread_mutex_lock(&j->mu);
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


uint64_t journal_write(struct journal *j, const char *type, const char *members)
{
	if (!j)
		return 0;
	pthread_mutex_lock(&j->mu);
	uint64_t seq = write_line_locked(j, type, members);
	pthread_mutex_unlock(&j->mu);
	return seq;
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
	if (!j->thread_on && pthread_create(&j->thread, NULL, syncer, j) == 0)
		j->thread_on = 1;
	if (j->thread_on && j->wanted < j->written) {
		j->wanted = j->written;
		pthread_cond_broadcast(&j->cv);
	}
	pthread_mutex_unlock(&j->mu);
}

int journal_wait(struct journal *j, uint64_t seq)
{
	if (!j || seq == 0)
		return -1;
	pthread_mutex_lock(&j->mu);
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

void journal_close(struct journal *j)
{
	if (!j)
		return;
	pthread_mutex_lock(&j->mu);
	j->stopping = 1;
	pthread_cond_broadcast(&j->cv);
	int on = j->thread_on;
	pthread_mutex_unlock(&j->mu);
	if (on)
		pthread_join(j->thread, NULL);
	close(j->fd);
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
