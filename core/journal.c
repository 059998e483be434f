/*
 * journal.c: see journal.h. A mutex keeps lines whole when two threads journal at once.
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
	pthread_mutex_t mu;
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
	return j;
}

int journal_append(struct journal *j, const char *type, const char *members)
{
	if (!j)
		return -1;
	char *line = xasprintf("{\"t\":\"%s\",\"ts\":%.3f%s%s}\n", type, wall_time(), members && *members ? "," : "",
			       members ? members : "");
	pthread_mutex_lock(&j->mu);
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
	if (rc == 0 && fdatasync(j->fd) < 0)
		rc = -1;
	pthread_mutex_unlock(&j->mu);
	free(line);
	return rc;
}

void journal_close(struct journal *j)
{
	if (!j)
		return;
	close(j->fd);
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
