/*
 * bench_flush.c: how many durable flushes this disk gives, alone and two at once.
 *
 * Why it is here: `mariadb < file` with the server's production durability is flush-bound (one
 * redo-log flush per autocommit statement). upwiz's journal makes each statement's "about to be
 * sent" line durable before sending it (core/actions/sqlapply.c), one more flush per statement,
 * overlapped with the server's on another thread. Whether that overlap can hide it depends on the
 * disk: when two flushers at once get no more flushes done together than one alone, the second
 * flush per statement costs as much as the server's own, and the SQL apply ratio has a floor near 2.
 *
 *   bench_flush [DIR] [N]   -> one line each: alone, two at once (each and together), and
 *                              "together/alone" (1.0: flushes are serialized; 2.0: fully parallel)
 * DIR (default /tmp) should be the file system of the journal and of the server's data.
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <time.h>

static double now_us(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}

struct flusher {
	char path[4096];
	int n;
	double us;   /* per write + fdatasync */
	int failed;
};

static void *flush_loop(void *arg)
{
	struct flusher *f = arg;
	char line[128];
	memset(line, 'x', sizeof line - 1);
	line[sizeof line - 1] = '\n';
	int fd = open(f->path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0600);
	if (fd < 0) {
		f->failed = 1;
		return NULL;
	}
	double t0 = now_us();
	for (int i = 0; i < f->n; i++)
		if (write(fd, line, sizeof line) != (ssize_t)sizeof line || fdatasync(fd) < 0) {
			f->failed = 1;
			break;
		}
	f->us = (now_us() - t0) / f->n;
	close(fd);
	unlink(f->path);
	return NULL;
}

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : "/tmp";
	int n = argc > 2 ? atoi(argv[2]) : 2000;
	if (n <= 0) {
		fprintf(stderr, "usage: bench_flush [DIR] [N>0]\n");
		return 2;
	}
	struct flusher one = {.n = n}, two[2] = {{.n = n}, {.n = n}};
	snprintf(one.path, sizeof one.path, "%s/bench-flush-%d-a", dir, (int)getpid());
	flush_loop(&one);
	pthread_t th[2];
	for (int k = 0; k < 2; k++) {
		snprintf(two[k].path, sizeof two[k].path, "%s/bench-flush-%d-%c", dir, (int)getpid(), 'b' + k);
		if (pthread_create(&th[k], NULL, flush_loop, &two[k]) != 0)
			return 1;
	}
	for (int k = 0; k < 2; k++)
		pthread_join(th[k], NULL);
	if (one.failed || two[0].failed || two[1].failed) {
		fprintf(stderr, "bench_flush: cannot write and fdatasync in %s\n", dir);
		return 1;
	}
	double alone = 1e6 / one.us, together = 1e6 / two[0].us + 1e6 / two[1].us;
	printf("alone %.0f us/flush (%.0f/s); two at once %.0f and %.0f us/flush (%.0f/s together); together/alone %.2f\n",
	       one.us, alone, two[0].us, two[1].us, together, together / alone);
	return 0;
}
