/*
 * dump.c: mariadb-dump into a verified file, and the way back (see dump.h).
 *
 * mariadb-dump writes the file itself (its stdout is OUT.partial): a dump streamed through a
 * pipe costs a quarter more, since mariadb-dump writes in small pieces and every one wakes the
 * reader (bench/backup.sh measured 1.67 s through `| cat` against 1.32 s into a file). The file
 * is read back as it grows, from the page cache: each 16 KiB passes through fault_hit("dump") (a
 * full disk injected with UPWIZ_FAULT=dump:N; a real one makes mariadb-dump exit non-zero, and
 * its stderr tail becomes the cause), the byte count drives the progress bar, the text is
 * scanned (CREATE TABLE lines, table comments, the trailer) and hashed (SHA-256 of exactly what
 * is in the file), and the writeback of what came is started, so that the fsync at the end has
 * little left. No second pass is needed.
 *
 * While mariadb-dump runs, that read-back is done by a thread of its own at SCHED_IDLE: it uses
 * only CPU time that mariadb-dump and the server leave over. On two CPUs, hashing beside them
 * at normal priority made the dump itself 4-20 % slower (bench/backup.sh); at SCHED_IDLE the
 * dump takes what plain mariadb-dump takes, and the hashing still mostly overlaps it. Once the
 * child has exited, the calling thread (normal priority) stops the reader and reads what is
 * left itself. The reader is a thread that ends rather than the caller lowering itself because
 * an unprivileged thread cannot leave SCHED_IDLE again (RLIMIT_NICE is 0 by default).
 *
 * The option file is the only place the password is written: mkostemps() in tmpdir
 * (0600 from the start, O_CLOEXEC), unlinked as soon as the child has exited, on
 * every path. The child's environment also loses MYSQL_PWD and UPWIZ_VAR_*.
 *
 * Restore streams the file through a line filter that points the dump's
 * `CREATE DATABASE ... `orig`` and `USE `orig`;` at the target database.
 */
#include "core/dump.h"

#include <openssl/evp.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/proc.h"
#include "core/util.h"

#define CHUNK (64 * 1024)
#define FAULT_UNIT (16 * 1024)   /* UPWIZ_FAULT=dump:N: the Nth 16 KiB of the file */

static const char *const child_env_unset[] = {"MYSQL_PWD", "UPWIZ_VAR_*", "MYSQL_HOST", "MYSQL_TCP_PORT",
	"MYSQL_UNIX_PORT", NULL};

static int on_path(const char *name)
{
	const char *path = getenv("PATH");
	if (!path)
		path = "/usr/local/bin:/usr/bin:/bin";
	for (const char *p = path;;) {
		const char *c = strchr(p, ':');
		size_t n = c ? (size_t)(c - p) : strlen(p);
		char *dir = n ? xstrndup(p, n) : xstrdup(".");
		char *full = path_join(dir, name);
		int ok = access(full, X_OK) == 0;
		free(dir);
		free(full);
		if (ok)
			return 1;
		if (!c)
			return 0;
		p = c + 1;
	}
}

const char *dump_dump_binary(void) { return on_path("mariadb-dump") ? "mariadb-dump" : "mysqldump"; }
const char *dump_client_binary(void) { return on_path("mariadb") ? "mariadb" : "mysql"; }

/* ---- the option file */

static void add_opt(struct strbuf *sb, const char *key, const char *v)
{
	sb_adds(sb, key);
	sb_adds(sb, "=\"");
	for (const char *c = v; *c; c++) {
		switch (*c) {
		case '\\': sb_adds(sb, "\\\\"); break;
		case '"': sb_adds(sb, "\\\""); break;
		case '\n': sb_adds(sb, "\\n"); break;
		case '\r': sb_adds(sb, "\\r"); break;
		case '\t': sb_adds(sb, "\\t"); break;
		default: sb_addc(sb, *c);
		}
	}
	sb_adds(sb, "\"\n");
}

char *dump_write_option_file(const struct db_params *p, const char *tmpdir, char **cause)
{
	struct strbuf sb = STRBUF_INIT;
	sb_adds(&sb, "[client]\n");
	if (p->user && *p->user)
		add_opt(&sb, "user", p->user);
	if (p->password && *p->password)
		add_opt(&sb, "password", p->password);
	if (p->socket && *p->socket) {
		add_opt(&sb, "socket", p->socket);
		sb_adds(&sb, "protocol=socket\n");
	} else {
		add_opt(&sb, "host", p->host && *p->host ? p->host : "localhost");
		sb_addf(&sb, "port=%u\n", p->port ? p->port : 3306);
		sb_adds(&sb, "protocol=tcp\n");
	}

	char *path = xasprintf("%s/upwiz-client-XXXXXX.cnf", tmpdir && *tmpdir ? tmpdir : "/tmp");
	int fd = mkostemps(path, 4, O_CLOEXEC);   /* 0600 */
	if (fd < 0) {
		set_cause(cause, "option file in %s: %s", tmpdir, strerror(errno));
		free(path);
		sb_free(&sb);
		return NULL;
	}
	const char *s = sb_str(&sb);
	size_t left = sb.len;
	int ok = fchmod(fd, 0600) == 0;
	while (ok && left > 0) {
		ssize_t n = write(fd, s, left);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			ok = 0;
			break;
		}
		s += n;
		left -= (size_t)n;
	}
	int saved = errno;
	/* overwrite our copy of the secret before freeing it */
	if (sb.s)
		memset(sb.s, 0, sb.len);
	sb_free(&sb);
	if (close(fd) < 0 && ok) {
		saved = errno;
		ok = 0;
	}
	if (!ok) {
		set_cause(cause, "%s: %s", path, strerror(saved));
		unlink(path);
		free(path);
		return NULL;
	}
	return path;
}

static char *defaults_arg(const char *optfile) { return xasprintf("--defaults-extra-file=%s", optfile); }

/* ---- dumping */

struct scan {
	char head[192];          /* the start of the current line */
	size_t hl;
	unsigned creates;
	int trailer;             /* the last non-empty line was "-- Dump completed..." */
	char current[192];       /* the latest table comment, without "-- " */
};

static void scan_line(struct scan *s)
{
	s->head[s->hl] = '\0';
	const char *h = s->head;
	if (!*h)
		return;
	s->trailer = str_starts(h, "-- Dump completed");
	if (str_starts(h, "CREATE TABLE `"))
		s->creates++;
	else if (str_starts(h, "-- Table structure for table `") || str_starts(h, "-- Dumping data for table `"))
		snprintf(s->current, sizeof s->current, "%s", h + 3);
}

static void scan_chunk(struct scan *s, const char *b, size_t n)
{
	while (n > 0) {
		const char *nl = memchr(b, '\n', n);
		size_t seg = nl ? (size_t)(nl - b) : n;
		size_t room = sizeof s->head - 1 - s->hl;
		size_t take = seg < room ? seg : room;
		memcpy(s->head + s->hl, b, take);
		s->hl += take;
		if (nl) {
			scan_line(s);
			s->hl = 0;
			seg++;
		}
		b += seg;
		n -= seg;
	}
}

/* ---- reading the dump back as it grows */

/* What has been read back so far. Owned by the reader thread while it runs, by the caller
 * before it starts and after it is joined; bytes and label are also read by the caller while
 * the thread runs (for progress), which is why they are atomic / under lock. */
struct readback {
	int rfd;                 /* the dump file, read-only, at the offset read so far */
	struct scan sc;
	EVP_MD_CTX *md;
	char *buf;               /* CHUNK bytes */
	unsigned long long synced;   /* writeback started up to here */
	unsigned long long shown;    /* bytes last given to progress (the caller's thread only) */
	_Atomic unsigned long long bytes;
	int err;                 /* errno of a failed read, or of an injected fault (the cause's text) */
	int fault;               /* err came from fault_hit */
	atomic_int failed;
	pthread_mutex_t lock;    /* label */
	char label[192];         /* a copy of sc.current for the caller's progress */
	int efd;                 /* eventfd: the caller's "stop" to the thread */
};

/* Reads to the current end of the file. progress (NULL from the thread) is called after each
 * chunk that takes the count past what it was last shown. -1 with rb->err set on a failed read
 * or an injected fault. */
static int rb_drain(struct readback *rb, dump_progress_fn progress, void *ud, unsigned long long estimate)
{
	for (;;) {
		ssize_t n = read(rb->rfd, rb->buf, CHUNK);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rb->err = errno;
			return -1;
		}
		if (n == 0)
			break;
		char before[sizeof rb->sc.current];
		memcpy(before, rb->sc.current, sizeof before);
		unsigned long long b = atomic_load(&rb->bytes);
		for (size_t done = 0; done < (size_t)n;) {
			/* The fault seam is at every FAULT_UNIT bytes of the file, wherever the reads end
			 * (how much a read gets depends on timing): dump:N fails with exactly N-1 units
			 * read back. */
			if (b % FAULT_UNIT == 0) {
				int f = fault_hit("dump");
				if (f) {
					rb->err = f;
					rb->fault = 1;
					return -1;
				}
			}
			size_t take = FAULT_UNIT - (size_t)(b % FAULT_UNIT);
			if (take > (size_t)n - done)
				take = (size_t)n - done;
			scan_chunk(&rb->sc, rb->buf + done, take);
			/* The SHA-256 of exactly the bytes in the file, on the way: no second pass after. */
			EVP_DigestUpdate(rb->md, rb->buf + done, take);
			b += take;
			done += take;
			atomic_store(&rb->bytes, b);
		}
		if (memcmp(before, rb->sc.current, sizeof before) != 0) {
			pthread_mutex_lock(&rb->lock);
			memcpy(rb->label, rb->sc.current, sizeof rb->label);
			pthread_mutex_unlock(&rb->lock);
		}
		if (progress && b > rb->shown) {
			progress(ud, b, estimate, rb->sc.current[0] ? rb->sc.current : NULL);
			rb->shown = b;
		}
	}
	/* Start the writeback of what came since, so that the fsync at the end (the dump counts
	 * only once it is on disk) has little left to wait for. */
	unsigned long long b = atomic_load(&rb->bytes);
	if (b > rb->synced) {
		(void)sync_file_range(rb->rfd, (off_t)rb->synced, (off_t)(b - rb->synced), SYNC_FILE_RANGE_WRITE);
		rb->synced = b;
	}
	return 0;
}

/* The reader thread: drains every 20 ms until told to stop (or a read fails). */
static void *rb_thread(void *arg)
{
	struct readback *rb = arg;
	struct sched_param sp = {0};
	/* Failing (a kernel without SCHED_IDLE) leaves it a reader at normal priority, as before. */
	(void)pthread_setschedparam(pthread_self(), SCHED_IDLE, &sp);   /* first: glibc's attributes refuse SCHED_IDLE */
	for (;;) {
		if (rb_drain(rb, NULL, NULL, 0) < 0) {
			atomic_store(&rb->failed, 1);
			break;
		}
		struct pollfd pfd = {.fd = rb->efd, .events = POLLIN};
		if (poll(&pfd, 1, 20) > 0)
			break;
	}
	return NULL;
}

/* The latest table label into out (size bytes), or out unchanged when the reader holds it. */
static void rb_label(struct readback *rb, char *out, size_t size)
{
	/* never wait on the reader: at SCHED_IDLE it may not run for a while */
	if (pthread_mutex_trylock(&rb->lock) == 0) {
		snprintf(out, size, "%s", rb->label);
		pthread_mutex_unlock(&rb->lock);
	}
}

struct facts {
	unsigned tables;
	unsigned long long bytes;
};

static int take_facts(void *ud, unsigned ncols, char **values, unsigned long *lengths)
{
	struct facts *fa = ud;
	if (ncols >= 2) {
		fa->tables = values[0] ? (unsigned)strtoul(values[0], NULL, 10) : 0;
		fa->bytes = values[1] ? strtoull(values[1], NULL, 10) : 0;
	}
	return 0;
}

/* The number of base tables (what the dump must hold) and the data size (the progress estimate). */
static int schema_facts(const struct dump_opts *o, unsigned *tables, unsigned long long *estimate, char **cause)
{
	struct db_params p = o->db;
	p.database = NULL;
	struct db_error err;
	struct db *d = db_connect(&p, &err);
	if (!d) {
		set_cause(cause, "connect: %s (%u)", err.message, err.code);
		return -1;
	}
	char *esc = NULL;
	db_escape(d, o->db.database, &esc);
	char *q1 = xasprintf("SELECT COUNT(*) FROM information_schema.schemata WHERE schema_name = '%s'", esc);
	char *q2 = xasprintf("SELECT COUNT(*), COALESCE(SUM(data_length), 0) FROM information_schema.tables "
			     "WHERE table_schema = '%s' AND table_type IN ('BASE TABLE', 'SYSTEM VERSIONED')", esc);
	char *v = NULL;
	struct facts fa = {0, 0};
	int rc = -1;
	if (db_query_value(d, q1, &v, &err) < 0)
		set_cause(cause, "%s (%u)", err.message, err.code);
	else if (!v || strcmp(v, "0") == 0)
		set_cause(cause, "database %s does not exist (or %s cannot see it)", o->db.database,
			  o->db.user ? o->db.user : "the user");
	else if (db_query_rows(d, q2, take_facts, &fa, &err) < 0)
		set_cause(cause, "%s (%u)", err.message, err.code);
	else
		rc = 0;
	*tables = fa.tables;
	*estimate = fa.bytes;
	free(v);
	free(q1);
	free(q2);
	free(esc);
	db_close(d);
	return rc;
}

int dump_database(const struct dump_opts *o, dump_progress_fn progress, void *ud, struct dump_result *res,
		  char **cause)
{
	struct dump_result local;
	if (!res)
		res = &local;
	memset(res, 0, sizeof *res);
	if (!o->db.database || !*o->db.database || !o->out_path || !*o->out_path) {
		set_cause(cause, "dump: database and output path are required");
		return -1;
	}
	unsigned long long estimate = 0;
	uint64_t t0 = mono_ms();
	if (schema_facts(o, &res->tables_in_db, &estimate, cause) < 0)
		return -1;
	res->facts_ms = (unsigned long)(mono_ms() - t0);
	t0 = mono_ms();

	char *outdir = path_dirname(o->out_path);
	char *optfile = dump_write_option_file(&o->db, o->tmpdir && *o->tmpdir ? o->tmpdir : outdir, cause);
	free(outdir);
	if (!optfile)
		return -1;
	char *partial = xasprintf("%s.partial", o->out_path);
	char *a_def = defaults_arg(optfile);
	const char *bin = dump_dump_binary();
	struct proc *p = NULL;
	int rc = -1, fd = -1, reader = 0;
	struct readback rb;
	memset(&rb, 0, sizeof rb);
	rb.efd = -1;   /* rb.rfd is set by the open below on every path */
	pthread_mutex_init(&rb.lock, NULL);
	rb.buf = xmalloc(CHUNK);
	pthread_t tid;

	fd = open(partial, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	rb.rfd = fd < 0 ? -1 : open(partial, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || rb.rfd < 0) {
		set_cause(cause, "%s: %s", partial, strerror(errno));
		goto out;
	}
	rb.md = EVP_MD_CTX_new();
	if (!rb.md || EVP_DigestInit_ex(rb.md, EVP_sha256(), NULL) != 1) {
		set_cause(cause, "SHA-256: libcrypto failed to start a digest");
		goto out;
	}
	rb.efd = eventfd(0, EFD_CLOEXEC);
	if (rb.efd < 0) {
		set_cause(cause, "eventfd: %s", strerror(errno));
		goto out;
	}
	const char *argv[] = {bin, a_def, "--single-transaction", "--routines", "--triggers", "--events",
		"--hex-blob", "--default-character-set=utf8mb4", "--databases", o->db.database, NULL};
	struct proc_opts po = {.argv = argv, .stdin_fd = -1, .stderr_separate = 1, .env_unset = child_env_unset,
			       .output_fd = fd};
	p = proc_start(&po, cause);
	if (!p)
		goto out;
	/* started after the child, so that mariadb-dump starts no later than it would alone */
	int e = pthread_create(&tid, NULL, rb_thread, &rb);
	if (e) {
		set_cause(cause, "starting the read-back thread: %s", strerror(e));
		goto out;
	}
	reader = 1;
	int st = 0, exited = 0;
	char label[sizeof rb.label] = "";
	do {
		/* Wake at the child's exit (pidfd) or every 20 ms for the progress, keeping the child's
		 * stderr tail meanwhile. */
		int w = proc_wait(p, 20, NULL, NULL, &st);
		if (w < 0) {
			set_cause(cause, "waiting for %s: %s", bin, strerror(errno));
			goto out;
		}
		exited = w == 1;
		if (atomic_load(&rb.failed))
			break;
		/* The bar follows what mariadb-dump has written, which the reader may trail. */
		struct stat sst;
		if (progress && fstat(fd, &sst) == 0 && (unsigned long long)sst.st_size > rb.shown) {
			rb_label(&rb, label, sizeof label);
			rb.shown = (unsigned long long)sst.st_size;
			progress(ud, rb.shown, estimate, label[0] ? label : NULL);
		}
	} while (!exited);
	/* Stop the reader; what is left is read here, at the caller's priority. */
	(void)eventfd_write(rb.efd, 1);
	pthread_join(tid, NULL);
	reader = 0;
	if (atomic_load(&rb.failed) || rb_drain(&rb, progress, ud, estimate) < 0) {
		if (rb.fault)
			set_cause(cause, "writing %s: %s", partial, strerror(rb.err));
		else
			set_cause(cause, "reading back %s: %s", partial, strerror(rb.err));
		goto out;
	}
	res->bytes = atomic_load(&rb.bytes);
	if (progress)   /* once at the end, with the label read back last (a starved reader gave none) */
		progress(ud, res->bytes, estimate, rb.sc.current[0] ? rb.sc.current : NULL);
	if (rb.sc.hl)
		scan_line(&rb.sc);   /* a last line without '\n' */
	unlink(optfile);   /* as early as possible */
	res->dump_ms = (unsigned long)(mono_ms() - t0);
	t0 = mono_ms();
	if (proc_exit_code(st) != 0) {
		set_cause(cause, "%s exited with %d: %s", bin, proc_exit_code(st), proc_err_tail(p));
		goto out;
	}
	if (fsync(fd) < 0 || close(fd) < 0) {
		set_cause(cause, "writing %s: %s", partial, strerror(errno));
		fd = -1;
		goto out;
	}
	fd = -1;
	res->complete = rb.sc.trailer;
	res->tables_in_dump = rb.sc.creates;
	if (!res->complete) {
		set_cause(cause, "%s: the dump is incomplete (no \"-- Dump completed\" trailer)", o->out_path);
		goto out;
	}
	if (res->tables_in_dump != res->tables_in_db) {
		set_cause(cause, "%s: %u CREATE TABLE in the dump, %u tables in %s", o->out_path, res->tables_in_dump,
			  res->tables_in_db, o->db.database);
		res->complete = 0;
		goto out;
	}
	{
		unsigned char dg[EVP_MAX_MD_SIZE];
		unsigned int dl = 0;
		if (EVP_DigestFinal_ex(rb.md, dg, &dl) != 1 || dl != 32) {
			set_cause(cause, "SHA-256: libcrypto failed to finish the digest");
			res->complete = 0;
			goto out;
		}
		sha256_digest_hex(dg, res->sha256);
	}
	if (rename(partial, o->out_path) < 0) {
		set_cause(cause, "rename %s -> %s: %s", partial, o->out_path, strerror(errno));
		res->complete = 0;
		goto out;
	}
	fsync_dir_of(o->out_path);
	res->sync_ms = (unsigned long)(mono_ms() - t0);
	rc = 0;
out:
	if (rc < 0)
		res->complete = 0;
	if (reader) {   /* a failed wait: the reader still runs */
		(void)eventfd_write(rb.efd, 1);
		pthread_join(tid, NULL);
	}
	if (rc < 0 && !res->bytes)
		res->bytes = atomic_load(&rb.bytes);
	proc_free(p);   /* kills a dump still running (write failure) */
	EVP_MD_CTX_free(rb.md);
	if (fd >= 0)
		close(fd);
	if (rb.rfd >= 0)
		close(rb.rfd);
	if (rb.efd >= 0)
		close(rb.efd);
	pthread_mutex_destroy(&rb.lock);
	free(rb.buf);
	if (rc < 0)
		unlink(partial);
	unlink(optfile);
	free(optfile);
	free(partial);
	free(a_def);
	return rc;
}

/* ---- the way back */

static void shell_quote(struct strbuf *sb, const char *s)
{
	sb_addc(sb, '\'');
	for (const char *c = s; *c; c++) {
		if (*c == '\'')
			sb_adds(sb, "'\\''");
		else
			sb_addc(sb, *c);
	}
	sb_addc(sb, '\'');
}

char *dump_restore_command(const struct db_params *p, const char *dump_path)
{
	struct strbuf sb = STRBUF_INIT;
	sb_adds(&sb, dump_client_binary());
	sb_adds(&sb, " --default-character-set=utf8mb4");
	if (p->socket && *p->socket) {
		sb_adds(&sb, " -S ");
		shell_quote(&sb, p->socket);
	} else {
		sb_adds(&sb, " -h ");
		shell_quote(&sb, p->host && *p->host ? p->host : "localhost");
		sb_addf(&sb, " -P %u", p->port ? p->port : 3306);
	}
	if (p->user && *p->user) {
		sb_adds(&sb, " -u ");
		shell_quote(&sb, p->user);
	}
	sb_adds(&sb, " -p < ");
	shell_quote(&sb, dump_path);
	return sb_detach(&sb);
}

/* "CREATE DATABASE (IF NOT EXISTS) `orig` ..." or "USE `orig`;": the first quoted name becomes the target. */
static void rewrite_db_line(struct strbuf *out, const char *line, size_t len, const char *qtarget)
{
	const char *end = line + len;
	const char *b = memchr(line, '`', len);
	if (!b) {
		sb_add(out, line, len);
		return;
	}
	const char *c = b + 1;
	while (c < end) {
		if (*c == '`') {
			if (c + 1 < end && c[1] == '`') {
				c += 2;
				continue;
			}
			break;
		}
		c++;
	}
	if (c >= end) {
		sb_add(out, line, len);
		return;
	}
	sb_add(out, line, (size_t)(b - line));
	sb_adds(out, qtarget);
	sb_add(out, c + 1, (size_t)(end - c - 1));
}

static void keep_tail(void *ud, const char *line, size_t len)
{
	struct strbuf *sb = ud;
	if (sb->len > 4096) {
		const char *nl = strchr(sb->s + sb->len - 2048, '\n');
		struct strbuf t = STRBUF_INIT;
		sb_adds(&t, nl ? nl + 1 : sb->s + sb->len - 2048);
		sb_free(sb);
		*sb = t;
	}
	if (sb->len)
		sb_addc(sb, '\n');
	sb_add(sb, line, len);
}

/* Does the dump create its database? (looks at the first 1 MB) */
static int dump_has_create_database(FILE *f)
{
	char *line = NULL;
	size_t cap = 0, seen = 0;
	ssize_t n;
	int found = 0;
	while (!found && seen < (1 << 20) && (n = getline(&line, &cap, f)) > 0) {
		seen += (size_t)n;
		if (str_starts(line, "CREATE DATABASE "))
			found = 1;
		else if (str_starts(line, "CREATE TABLE ") || str_starts(line, "INSERT INTO "))
			break;
	}
	free(line);
	rewind(f);
	return found;
}

int dump_restore(const struct db_params *p, const char *dump_path, const char *tmpdir, char **cause)
{
	if (!p->database || !*p->database) {
		set_cause(cause, "restore: no target database");
		return -1;
	}
	FILE *f = fopen(dump_path, "re");
	if (!f) {
		set_cause(cause, "%s: %s", dump_path, strerror(errno));
		return -1;
	}
	int creates = dump_has_create_database(f);
	if (!creates) {
		/* a dump without --databases: make the target and select it on the command line */
		struct db_params cp = *p;
		cp.database = NULL;
		struct db_error err;
		struct db *d = db_connect(&cp, &err);
		if (!d) {
			set_cause(cause, "connect: %s (%u)", err.message, err.code);
			fclose(f);
			return -1;
		}
		char *q = db_quote_ident(p->database);
		char *sql = xasprintf("CREATE DATABASE IF NOT EXISTS %s CHARACTER SET utf8mb4", q);
		int r = db_exec(d, sql, NULL, &err);
		free(q);
		free(sql);
		db_close(d);
		if (r < 0) {
			set_cause(cause, "create database %s: %s (%u)", p->database, err.message, err.code);
			fclose(f);
			return -1;
		}
	}
	char *dumpdir = path_dirname(dump_path);
	char *optfile = dump_write_option_file(p, tmpdir && *tmpdir ? tmpdir : dumpdir, cause);
	free(dumpdir);
	if (!optfile) {
		fclose(f);
		return -1;
	}
	char *a_def = defaults_arg(optfile);
	char *a_db = xasprintf("--database=%s", p->database);
	const char *argv[] = {dump_client_binary(), a_def, "--default-character-set=utf8mb4", "--batch",
		creates ? NULL : a_db, NULL};
	struct proc_opts po = {.argv = argv, .stdin_fd = PROC_STDIN_PIPE, .env_unset = child_env_unset};
	struct strbuf tail = STRBUF_INIT;
	struct strbuf out = STRBUF_INIT;
	char *qtarget = db_quote_ident(p->database);
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int rc = -1, write_failed = 0;
	struct proc *pr = proc_start(&po, cause);
	if (!pr)
		goto done;
	while ((n = getline(&line, &cap, f)) > 0) {
		if (str_starts(line, "CREATE DATABASE ") || str_starts(line, "USE `"))
			rewrite_db_line(&out, line, (size_t)n, qtarget);
		else
			sb_add(&out, line, (size_t)n);
		if (out.len >= CHUNK) {
			proc_pump(pr, keep_tail, &tail);
			if (proc_write(pr, out.s, out.len) < 0) {
				write_failed = errno;
				break;
			}
			sb_reset(&out);
		}
	}
	if (!write_failed && ferror(f)) {
		set_cause(cause, "%s: read error", dump_path);
		goto done;
	}
	if (!write_failed && out.len && proc_write(pr, out.s, out.len) < 0)
		write_failed = errno;
	proc_close_stdin(pr);
	int st = 0;
	proc_wait(pr, -1, keep_tail, &tail, &st);
	if (proc_exit_code(st) != 0) {
		set_cause(cause, "%s exited with %d restoring %s: %s", argv[0], proc_exit_code(st), dump_path,
			  sb_str(&tail));
		goto done;
	}
	if (write_failed) {
		set_cause(cause, "restoring %s: writing to %s: %s", dump_path, argv[0], strerror(write_failed));
		goto done;
	}
	rc = 0;
done:
	proc_free(pr);
	unlink(optfile);
	free(optfile);
	free(a_def);
	free(a_db);
	free(qtarget);
	free(line);
	sb_free(&out);
	sb_free(&tail);
	fclose(f);
	return rc;
}
