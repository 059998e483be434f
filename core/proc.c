/*
 * proc.c: child processes (see proc.h for the contract).
 *
 * Start-up. Everything that can fail in a readable way happens in the parent before
 * fork(): PATH lookup (so a missing command is "hdfs: not found", not exit 127), the
 * environment array, the pipes or the pty pair. The pty is opened by hand
 * (posix_openpt/grantpt/unlockpt + open of the slave, all O_CLOEXEC) rather than with
 * forkpty(), which leaves the master without O_CLOEXEC for a moment and would leak it
 * into children that other threads fork at the same time. Between fork() and exec()
 * the child only calls async-signal-safe functions: it makes its own process group
 * (or session + controlling tty with a pty), resets every signal disposition and the
 * mask, closes every descriptor above 2 (close_range, else a loop) except the
 * O_CLOEXEC "exec failed" pipe, through which it reports chdir/exec errors. The
 * parent blocks all signals around fork() so no handler of ours runs in the child.
 *
 * Reading. The read ends are non-blocking; proc_pump() reads what is there and cuts
 * lines (CR removed, 64 KiB max). A pty master reports EIO once the last slave is
 * closed: that is EOF. Waiting uses a pidfd (poll()able child exit, Linux 5.3) when
 * available and a 20 ms waitpid(WNOHANG) tick otherwise; nothing here installs a
 * SIGCHLD handler, which belongs to the front end.
 */
#include "core/proc.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "core/util.h"

extern char **environ;

#define LINE_MAX_BYTES PROC_LINE_MAX
#define READ_CHUNK (64 * 1024)
#define PIPE_SIZE (1024 * 1024)   /* a flooding child runs this far ahead of us between reads */
#define ERR_TAIL_MAX 4096
#define WRITE_TIMEOUT_MS 30000
#define EXIT_GRACE_MS 200

struct lbuf {
	char *buf;
	size_t len, cap;
	int eof;
};

struct proc {
	pid_t pid;
	int pty;
	int out_fd;   /* pipe read end or pty master; -1 with output_fd */
	int err_fd;   /* separate stderr read end or -1 */
	int in_fd;    /* stdin write end (PROC_STDIN_PIPE), or the pty master; -1 */
	int pidfd;
	int reaped, wstatus;
	struct lbuf out, err;
	struct strbuf errtail;
};

/* ---- environment and PATH */

static int env_name_matches(const char *entry, const char *name)
{
	size_t n = strlen(name);
	if (n > 0 && name[n - 1] == '*')
		return strncmp(entry, name, n - 1) == 0;
	return strncmp(entry, name, n) == 0 && entry[n] == '=';
}

static int env_key_equal(const char *a, const char *b)
{
	size_t i = 0;
	while (a[i] && a[i] != '=' && a[i] == b[i])
		i++;
	return (a[i] == '=' || !a[i]) && (b[i] == '=' || !b[i]);
}

/* The child's environment; the strings are borrowed from environ and env_set. */
static char **build_env(const struct proc_opts *o)
{
	size_t n = 0, k = 0;
	for (char **e = environ; e && *e; e++)
		n++;
	for (const char *const *s = o->env_set; s && *s; s++)
		n++;
	char **env = xcalloc(n + 1, sizeof *env);
	for (char **e = environ; e && *e; e++) {
		int drop = 0;
		for (const char *const *u = o->env_unset; u && *u && !drop; u++)
			drop = env_name_matches(*e, *u);
		for (const char *const *s = o->env_set; s && *s && !drop; s++)
			drop = env_key_equal(*e, *s);
		if (!drop)
			env[k++] = *e;
	}
	for (const char *const *s = o->env_set; s && *s; s++) {
		int dup = 0;   /* a later "K=V" in env_set wins over an earlier one */
		for (const char *const *t = s + 1; *t && !dup; t++)
			dup = env_key_equal(*s, *t);
		if (!dup && strchr(*s, '='))
			env[k++] = (char *)*s;
	}
	env[k] = NULL;
	return env;
}

static int is_exec_file(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
}

static char *resolve_command(const char *cmd, char **env, char **cause)
{
	if (strchr(cmd, '/')) {
		if (is_exec_file(cmd))
			return xstrdup(cmd);
		set_cause(cause, "%s: %s", cmd, access(cmd, F_OK) == 0 ? "not executable" : "not found");
		return NULL;
	}
	const char *path = "/usr/local/bin:/usr/bin:/bin";
	for (char **e = env; *e; e++)
		if (str_starts(*e, "PATH=")) {
			path = *e + 5;
			break;
		}
	const char *p = path;
	for (;;) {
		const char *c = strchr(p, ':');
		size_t n = c ? (size_t)(c - p) : strlen(p);
		char *dir = n ? xstrndup(p, n) : xstrdup(".");
		char *full = path_join(dir, cmd);
		free(dir);
		if (is_exec_file(full))
			return full;
		free(full);
		if (!c)
			break;
		p = c + 1;
	}
	set_cause(cause, "%s: not found", cmd);
	return NULL;
}

/* ---- the child side (async-signal-safe only) */

struct child_err {
	int stage;   /* 1 chdir, 2 exec, 3 terminal setup, 4 dup2 */
	int err;
};

struct child_setup {
	const char *path;
	char *const *argv;
	char **env;
	const char *cwd;
	int pty_slave;      /* >= 0 with a pty */
	int in_fd, out_fd, err_fd;
	int errpipe;
	int death_signal;
	pid_t parent;
};

static noreturn void child_fail(int errpipe, int stage)
{
	struct child_err ce = {stage, errno};
	ssize_t r = write(errpipe, &ce, sizeof ce);
	(void)r;
	_exit(127);
}

static void close_fds_except(int keep)
{
#ifdef SYS_close_range
	if (keep > 3 && syscall(SYS_close_range, 3U, (unsigned)keep - 1, 0U) != 0)
		goto loop;
	if (syscall(SYS_close_range, (unsigned)keep + 1, ~0U, 0U) == 0)
		return;
loop:
#endif
	{
		struct rlimit rl;
		long max = 65536;
		if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY && (long)rl.rlim_cur < max)
			max = (long)rl.rlim_cur;
		for (int fd = 3; fd < max; fd++)
			if (fd != keep)
				close(fd);
	}
}

static noreturn void child_main(const struct child_setup *cs)
{
	int in = cs->in_fd, out = cs->out_fd;
	if (cs->pty_slave >= 0) {
		if (setsid() < 0 || ioctl(cs->pty_slave, TIOCSCTTY, 0) < 0)
			child_fail(cs->errpipe, 3);
		in = cs->pty_slave;
		if (out < 0)
			out = cs->pty_slave;
	} else {
		setpgid(0, 0);
	}
	if (dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(cs->err_fd >= 0 ? cs->err_fd : out, 2) < 0)
		child_fail(cs->errpipe, 4);
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_DFL;
	sigemptyset(&sa.sa_mask);
	for (int s = 1; s < NSIG; s++)
		sigaction(s, &sa, NULL);   /* fails harmlessly for SIGKILL/SIGSTOP and the libc-reserved ones */
	if (cs->death_signal) {
		prctl(PR_SET_PDEATHSIG, cs->death_signal);
		if (getppid() != cs->parent)
			raise(cs->death_signal);
	}
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	close_fds_except(cs->errpipe);
	if (cs->cwd && chdir(cs->cwd) < 0)
		child_fail(cs->errpipe, 1);
	execve(cs->path, cs->argv, cs->env);
	child_fail(cs->errpipe, 2);
}

/* ---- the parent side */

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

static int set_nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL);
	return fl < 0 ? -1 : fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

static int open_pty(int *master, int *slave, char **cause)
{
	char name[128];
	int m = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (m < 0) {
		set_cause(cause, "posix_openpt: %s", strerror(errno));
		return -1;
	}
	if (grantpt(m) < 0 || unlockpt(m) < 0 || ptsname_r(m, name, sizeof name) != 0) {
		set_cause(cause, "pty: %s", strerror(errno));
		close(m);
		return -1;
	}
	int s = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (s < 0) {
		set_cause(cause, "%s: %s", name, strerror(errno));
		close(m);
		return -1;
	}
	struct winsize ws = {.ws_row = 40, .ws_col = 120};
	ioctl(s, TIOCSWINSZ, &ws);
	*master = m;
	*slave = s;
	return 0;
}

static int open_pipe(int fds[2], char **cause)
{
	if (pipe2(fds, O_CLOEXEC) < 0) {
		set_cause(cause, "pipe: %s", strerror(errno));
		return -1;
	}
	return 0;
}

struct proc *proc_start(const struct proc_opts *o, char **cause)
{
	if (!o || !o->argv || !o->argv[0]) {
		set_cause(cause, "no command given");
		return NULL;
	}
	char **env = build_env(o);
	char *path = resolve_command(o->argv[0], env, cause);
	if (!path) {
		free(env);
		return NULL;
	}

	struct proc *p = xcalloc(1, sizeof *p);
	p->pid = -1;
	p->out_fd = p->err_fd = p->in_fd = p->pidfd = -1;
	p->pty = o->use_pty ? 1 : 0;

	/* child_* are the child's ends, closed in the parent after fork */
	int child_in = -1, child_out = -1, child_err = -1, slave = -1, errpipe[2] = {-1, -1};
	int pp[2];
	int ok = 0;

	if (p->pty) {
		if (open_pty(&p->out_fd, &slave, cause) < 0)
			goto out;
		p->in_fd = p->out_fd;
		if (o->output_fd > 2) {   /* output to a file: keep the pty for stdin only */
			child_out = fcntl(o->output_fd, F_DUPFD_CLOEXEC, 3);
			if (child_out < 0) {
				set_cause(cause, "output fd: %s", strerror(errno));
				goto out;
			}
		}
	} else {
		if (o->stdin_fd == PROC_STDIN_PIPE) {
			if (open_pipe(pp, cause) < 0)
				goto out;
			child_in = pp[0];
			p->in_fd = pp[1];
		} else if (o->stdin_fd < 0) {
			child_in = open("/dev/null", O_RDONLY | O_CLOEXEC);
			if (child_in < 0) {
				set_cause(cause, "/dev/null: %s", strerror(errno));
				goto out;
			}
		} else {
			child_in = fcntl(o->stdin_fd, F_DUPFD_CLOEXEC, 3);
			if (child_in < 0) {
				set_cause(cause, "stdin fd %d: %s", o->stdin_fd, strerror(errno));
				goto out;
			}
		}
		if (o->output_fd > 2) {
			child_out = fcntl(o->output_fd, F_DUPFD_CLOEXEC, 3);
			if (child_out < 0) {
				set_cause(cause, "output fd: %s", strerror(errno));
				goto out;
			}
		} else {
			if (open_pipe(pp, cause) < 0)
				goto out;
			p->out_fd = pp[0];
			child_out = pp[1];
			/* best effort: the limit (/proc/sys/fs/pipe-max-size) may be lower */
			(void)fcntl(pp[0], F_SETPIPE_SZ, PIPE_SIZE);
		}
	}
	if (o->stderr_separate) {
		if (open_pipe(pp, cause) < 0)
			goto out;
		p->err_fd = pp[0];
		child_err = pp[1];
	}
	if (open_pipe(errpipe, cause) < 0)
		goto out;

	struct child_setup cs = {
		.path = path, .argv = (char *const *)o->argv, .env = env, .cwd = o->cwd,
		.pty_slave = slave, .in_fd = child_in, .out_fd = child_out, .err_fd = child_err,
		.errpipe = errpipe[1], .death_signal = o->death_signal, .parent = getpid(),
	};
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	pid_t pid = fork();
	if (pid == 0) {
		child_main(&cs);
	}
	int fork_errno = errno;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (pid < 0) {
		set_cause(cause, "fork: %s", strerror(fork_errno));
		goto out;
	}
	p->pid = pid;
	if (!p->pty)
		setpgid(pid, pid);   /* also in the parent, so a kill right after start finds the group */
	close_fd(&errpipe[1]);
	close_fd(&slave);
	close_fd(&child_in);
	close_fd(&child_out);
	close_fd(&child_err);

	struct child_err ce;
	ssize_t r;
	do
		r = read(errpipe[0], &ce, sizeof ce);
	while (r < 0 && errno == EINTR);
	if (r == (ssize_t)sizeof ce) {
		const char *what = ce.stage == 1 ? "chdir" : ce.stage == 2 ? "exec" : ce.stage == 3 ? "terminal" : "dup2";
		if (ce.stage == 1)
			set_cause(cause, "chdir %s: %s", o->cwd, strerror(ce.err));
		else
			set_cause(cause, "%s: %s %s", o->argv[0], what, strerror(ce.err));
		int st;
		while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
			;
		p->reaped = 1;
		goto out;
	}
	if (p->out_fd >= 0)
		set_nonblock(p->out_fd);
	if (p->err_fd >= 0)
		set_nonblock(p->err_fd);
	if (p->in_fd >= 0 && p->in_fd != p->out_fd)
		set_nonblock(p->in_fd);
#ifdef SYS_pidfd_open
	p->pidfd = (int)syscall(SYS_pidfd_open, pid, 0);   /* O_CLOEXEC by definition */
	if (p->pidfd < 0)
		p->pidfd = -1;
#endif
	ok = 1;
out:
	close_fd(&errpipe[0]);
	close_fd(&errpipe[1]);
	close_fd(&slave);
	close_fd(&child_in);
	close_fd(&child_out);
	close_fd(&child_err);
	free(env);
	free(path);
	if (!ok) {
		if (p->in_fd != p->out_fd)
			close_fd(&p->in_fd);
		close_fd(&p->out_fd);
		close_fd(&p->err_fd);
		free(p);
		return NULL;
	}
	return p;
}

int proc_fd(const struct proc *p) { return p->out_fd; }
int proc_err_fd(const struct proc *p) { return p->err_fd; }
int proc_stdin_fd(const struct proc *p) { return p->in_fd; }
pid_t proc_pid(const struct proc *p) { return p->pid; }
const char *proc_err_tail(const struct proc *p) { return sb_str(&p->errtail); }

const char *proc_partial(const struct proc *p, size_t *len)
{
	if (len)
		*len = p->out.len;
	return p->out.buf ? p->out.buf : "";
}

/* ---- line cutting */

struct emit {
	proc_line_fn fn;
	void *ud;
	struct strbuf *tail;   /* separate stderr: keep the last lines */
};

static void emit_line(struct emit *em, char *s, size_t n)
{
	char save = s[n];
	s[n] = '\0';
	if (em->fn)
		em->fn(em->ud, s, n);
	s[n] = save;
	if (em->tail) {
		struct strbuf *t = em->tail;
		if (t->len)
			sb_addc(t, '\n');
		sb_add(t, s, n > ERR_TAIL_MAX ? ERR_TAIL_MAX : n);
		if (t->len > ERR_TAIL_MAX) {
			size_t cut = t->len - ERR_TAIL_MAX;
			char *nl = memchr(t->s + cut, '\n', t->len - cut);
			if (nl)
				cut = (size_t)(nl - t->s) + 1;
			memmove(t->s, t->s + cut, t->len - cut + 1);
			t->len -= cut;
		}
	}
}

static void lb_reserve(struct lbuf *lb, size_t extra)
{
	if (lb->len + extra + 1 > lb->cap) {
		size_t cap = lb->cap ? lb->cap : 256;
		while (cap < lb->len + extra + 1)
			cap *= 2;
		lb->buf = xrealloc(lb->buf, cap);
		lb->cap = cap;
	}
}

/* Cuts s into lines. A line that lies whole in s (nothing carried, no CR, not over the limit) is
 * passed straight from s, its '\n' standing in for the NUL; the rest is copied into lb without
 * CRs, which is also where a partial line waits for the next read. */
static void feed(struct lbuf *lb, char *s, size_t n, struct emit *em)
{
	while (n) {
		char *nl = memchr(s, '\n', n);
		size_t seg = nl ? (size_t)(nl - s) : n;
		if (nl && lb->len == 0 && seg < LINE_MAX_BYTES && !memchr(s, '\r', seg)) {
			emit_line(em, s, seg);
			s += seg + 1;
			n -= seg + 1;
			continue;
		}
		lb_reserve(lb, seg < LINE_MAX_BYTES ? seg : LINE_MAX_BYTES);
		for (size_t i = 0; i < seg; i++) {
			if (s[i] == '\r')
				continue;
			lb_reserve(lb, 1);
			lb->buf[lb->len++] = s[i];
			if (lb->len >= LINE_MAX_BYTES) {
				emit_line(em, lb->buf, lb->len);
				lb->len = 0;
			}
		}
		if (nl) {
			lb_reserve(lb, 0);
			emit_line(em, lb->buf, lb->len);
			lb->len = 0;
			seg++;
		}
		s += seg;
		n -= seg;
	}
	if (lb->buf)
		lb->buf[lb->len] = '\0';
}

static int pump_fd(struct proc *p, int fd, struct lbuf *lb, struct emit *em)
{
	if (fd < 0 || lb->eof)
		return 0;
	char buf[READ_CHUNK];
	for (int i = 0; i < 16; i++) {
		ssize_t n = read(fd, buf, sizeof buf);
		if (n > 0) {
			feed(lb, buf, (size_t)n, em);
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 1;
		if (n < 0 && !(errno == EIO && p->pty && fd == p->out_fd))
			return -1;
		/* EOF (or EIO: the last pty slave closed) */
		if (lb->len) {
			emit_line(em, lb->buf, lb->len);
			lb->len = 0;
			lb->buf[0] = '\0';
		}
		lb->eof = 1;
		return 0;
	}
	return 1;
}

int proc_pump(struct proc *p, proc_line_fn fn, void *ud)
{
	struct emit em = {fn, ud, NULL};
	return pump_fd(p, p->out_fd, &p->out, &em);
}

int proc_pump_err(struct proc *p, proc_line_fn fn, void *ud)
{
	struct emit em = {fn, ud, &p->errtail};
	return pump_fd(p, p->err_fd, &p->err, &em);
}

/* ---- writing */

int proc_write(struct proc *p, const void *buf, size_t len)
{
	if (p->in_fd < 0) {
		errno = EBADF;
		return -1;
	}
	const char *s = buf;
	sigset_t pipeset, old, pend;
	sigemptyset(&pipeset);
	sigaddset(&pipeset, SIGPIPE);
	sigpending(&pend);
	int was_pending = sigismember(&pend, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &pipeset, &old);
	uint64_t deadline = mono_ms() + WRITE_TIMEOUT_MS;
	int rc = 0, saved = 0;
	while (len > 0) {
		ssize_t n = write(p->in_fd, s, len);
		if (n > 0) {
			s += n;
			len -= (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			uint64_t now = mono_ms();
			if (now >= deadline) {
				saved = EAGAIN;
				rc = -1;
				break;
			}
			struct pollfd pfd = {.fd = p->in_fd, .events = POLLOUT};
			poll(&pfd, 1, (int)(deadline - now));
			continue;
		}
		saved = n < 0 ? errno : EIO;
		rc = -1;
		break;
	}
	if (saved == EPIPE && !was_pending) {
		struct timespec zero = {0, 0};
		sigtimedwait(&pipeset, NULL, &zero);
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc < 0)
		errno = saved;
	return rc;
}

void proc_close_stdin(struct proc *p)
{
	if (p->in_fd >= 0 && p->in_fd != p->out_fd)
		close_fd(&p->in_fd);
}

/* ---- waiting */

int proc_exit_code(int wstatus)
{
	if (WIFEXITED(wstatus))
		return WEXITSTATUS(wstatus);
	if (WIFSIGNALED(wstatus))
		return 128 + WTERMSIG(wstatus);
	return 255;
}

int proc_exited(struct proc *p, int *wstatus)
{
	if (!p->reaped) {
		int st;
		pid_t r;
		do
			r = waitpid(p->pid, &st, WNOHANG);
		while (r < 0 && errno == EINTR);
		if (r == p->pid) {
			p->reaped = 1;
			p->wstatus = st;
			close_fd(&p->pidfd);
		} else if (r < 0 && errno == ECHILD) {
			/* someone else reaped it (a SIGCHLD handler with waitpid(-1)): status unknown */
			p->reaped = 1;
			p->wstatus = 255 << 8;
			close_fd(&p->pidfd);
		}
	}
	if (p->reaped && wstatus)
		*wstatus = p->wstatus;
	return p->reaped;
}

/* Polls output (and the pidfd) for up to ms; pumps what is readable. */
static void wait_step(struct proc *p, int ms, proc_line_fn fn, void *ud, int want_pidfd)
{
	struct pollfd pf[3];
	int n = 0, io = -1, ie = -1;
	if (p->out_fd >= 0 && !p->out.eof) {
		io = n;
		pf[n++] = (struct pollfd){.fd = p->out_fd, .events = POLLIN};
	}
	if (p->err_fd >= 0 && !p->err.eof) {
		ie = n;
		pf[n++] = (struct pollfd){.fd = p->err_fd, .events = POLLIN};
	}
	if (want_pidfd && p->pidfd >= 0 && !p->reaped)
		pf[n++] = (struct pollfd){.fd = p->pidfd, .events = POLLIN};
	else if (want_pidfd && ms > 20)
		ms = 20;   /* no pidfd: tick to notice the exit */
	int r = poll(pf, (nfds_t)n, ms);
	if (r <= 0)
		return;
	if (io >= 0 && pf[io].revents)
		if (proc_pump(p, fn, ud) < 0)
			p->out.eof = 1;
	if (ie >= 0 && pf[ie].revents)
		if (proc_pump_err(p, NULL, NULL) < 0)
			p->err.eof = 1;
}

int proc_wait(struct proc *p, int timeout_ms, proc_line_fn fn, void *ud, int *wstatus)
{
	uint64_t start = mono_ms();
	for (;;) {
		if (proc_exited(p, NULL))
			break;
		int ms = -1;
		if (timeout_ms >= 0) {
			uint64_t el = mono_ms() - start;
			if (el >= (uint64_t)timeout_ms)
				return 0;
			ms = timeout_ms - (int)el;
		}
		wait_step(p, ms, fn, ud, 1);
	}
	/* deliver what was written before the exit; a grandchild may hold the pipe open */
	uint64_t grace = mono_ms() + EXIT_GRACE_MS;
	for (;;) {
		int more = (p->out_fd >= 0 && !p->out.eof) || (p->err_fd >= 0 && !p->err.eof);
		uint64_t now = mono_ms();
		if (!more || now >= grace)
			break;
		wait_step(p, (int)(grace - now), fn, ud, 0);
	}
	if (p->out_fd >= 0 && !p->out.eof)
		proc_pump(p, fn, ud);
	if (p->err_fd >= 0 && !p->err.eof)
		proc_pump_err(p, NULL, NULL);
	if (wstatus)
		*wstatus = p->wstatus;
	return 1;
}

void proc_kill(struct proc *p, int sig)
{
	if (p && p->pid > 0)
		kill(-p->pid, sig);
}

/* SIGTERM to the group, up to grace_ms for the leader, then SIGKILL to whatever is left of the group. */
static void terminate(struct proc *p, int grace_ms, proc_line_fn fn, void *ud)
{
	proc_kill(p, SIGTERM);
	if (p->pty)
		kill(p->pid, SIGTERM);   /* a session leader that changed its group still gets it */
	proc_wait(p, grace_ms, fn, ud, NULL);
	proc_kill(p, SIGKILL);
	if (!p->reaped) {
		kill(p->pid, SIGKILL);
		proc_wait(p, -1, fn, ud, NULL);
	}
}

void proc_free(struct proc *p)
{
	if (!p)
		return;
	if (p->pid > 0 && !proc_exited(p, NULL))
		terminate(p, 2000, NULL, NULL);
	close_fd(&p->pidfd);
	if (p->in_fd != p->out_fd)
		close_fd(&p->in_fd);
	close_fd(&p->out_fd);
	close_fd(&p->err_fd);
	free(p->out.buf);
	free(p->err.buf);
	sb_free(&p->errtail);
	free(p);
}

int proc_run(const struct proc_opts *o, int timeout_ms, proc_line_fn fn, void *ud, int *exit_code, char **cause)
{
	struct proc *p = proc_start(o, cause);
	if (!p)
		return -1;
	int st = 0;
	int r = proc_wait(p, timeout_ms, fn, ud, &st);
	if (r == 0) {
		terminate(p, 2000, fn, ud);
		if (exit_code)
			*exit_code = proc_exit_code(p->wstatus);
		set_cause(cause, "%s: timed out after %d s", o->argv[0], (timeout_ms + 999) / 1000);
		proc_free(p);
		return -1;
	}
	if (exit_code)
		*exit_code = proc_exit_code(st);
	proc_free(p);
	return r == 1 ? 0 : -1;
}
