/*
 * player.c: the recording player (see player.h).
 *
 * Why not curses here: a recording carries whatever colours and attributes the recorded UI
 * used, and a curses colour pair per combination is a poor fit; the virtual terminal (core/vt.h)
 * already holds every cell with its exact SGR, so the player writes cells as SGR + text itself,
 * one row at a time, and only the rows whose text changed since the last frame (a row cache).
 *
 * Time: `t` is the position in the recording (idle gaps already compressed at load); while
 * playing it advances by wall time x speed and the events up to t are fed to the screen one by
 * one. Any jump (seek, marker, step list) rebuilds the screen with cast_render(), which starts
 * from the nearest snapshot of the seek index, so a jump costs the same anywhere in a long
 * recording.
 */
#include "tui/player.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "core/util.h"

enum { K_NONE, K_CHAR, K_LEFT, K_RIGHT, K_UP, K_DOWN, K_HOME, K_END, K_ENTER, K_ESC, K_TAB };

struct player {
	const struct cast *c;
	const char *name;
	struct vt scr;
	size_t pos;                 /* events [0, pos) are on the screen */
	double t, speed;
	int playing, list_open, list_sel, list_top;
	int W, H;
	char **rows;                /* what each terminal row shows now (NULL: unknown) */
	int nrows;
	struct strbuf out;
};

static int sig_pipe[2] = {-1, -1};
static struct termios saved_tio;
static int tio_saved;

static void on_signal(int sig)
{
	unsigned char b = (unsigned char)sig;
	int e = errno;
	(void)!write(sig_pipe[1], &b, 1);
	errno = e;
}

static void restore_terminal(void)
{
	if (!tio_saved)
		return;
	static const char bye[] = "\033[0m\033[?25h\033[?1049l";
	(void)!write(STDOUT_FILENO, bye, sizeof bye - 1);
	tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_tio);
	tio_saved = 0;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void invalidate(struct player *p)
{
	for (int i = 0; i < p->nrows; i++) {
		free(p->rows[i]);
		p->rows[i] = NULL;
	}
}

static void size_changed(struct player *p)
{
	struct winsize ws;
	int w = 80, h = 24;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0 && ws.ws_row > 0)
		w = ws.ws_col, h = ws.ws_row;
	invalidate(p);
	free(p->rows);
	p->W = w, p->H = h;
	p->nrows = h;
	p->rows = xcalloc((size_t)h, sizeof *p->rows);
	sb_adds(&p->out, "\033[0m\033[2J");
}

static void put_cp(struct strbuf *sb, uint32_t cp)
{
	if (cp < 0x20 || cp == 0x7f)
		cp = ' ';
	utf8_put(sb, cp);
}

static void put_color(struct strbuf *sb, uint32_t c, int bg)
{
	if (c == 0)
		sb_adds(sb, bg ? ";49" : ";39");
	else if (c & VT_RGB)
		sb_addf(sb, ";%d;2;%u;%u;%u", bg ? 48 : 38, (c >> 16) & 255, (c >> 8) & 255, c & 255);
	else if (c <= 8)
		sb_addf(sb, ";%u", (bg ? 40 : 30) + c - 1);
	else if (c <= 16)
		sb_addf(sb, ";%u", (bg ? 100 : 90) + c - 9);
	else
		sb_addf(sb, ";%d;5;%u", bg ? 48 : 38, c - 1);
}

static void put_sgr(struct strbuf *sb, const struct vt_cell *c)
{
	sb_adds(sb, "\033[0");
	static const struct { int bit, code; } map[] = {{VT_BOLD, 1}, {VT_DIM, 2}, {VT_ITALIC, 3}, {VT_UNDER, 4},
		{VT_BLINK, 5}, {VT_REVERSE, 7}, {VT_INVISIBLE, 8}, {VT_STRIKE, 9}};
	for (size_t i = 0; i < ARRAY_LEN(map); i++)
		if (c->attr & map[i].bit)
			sb_addf(sb, ";%d", map[i].code);
	put_color(sb, c->fg, 0);
	put_color(sb, c->bg, 1);
	sb_addc(sb, 'm');
}

/* One terminal row as escape sequences + text (cells x0.. of vt row y, `n` columns). */
static char *render_row(const struct vt *t, int y, int x0, int n)
{
	struct strbuf sb = STRBUF_INIT;
	struct vt_cell cur = {.attr = 0xffff};
	for (int x = x0; x < x0 + n && x < t->w; x++) {
		const struct vt_cell *c = &t->cells[(size_t)y * (size_t)t->w + (size_t)x];
		if (c->ch == 0) {
			if (x == x0) {   /* the right half of a wide char cut by the left edge */
				sb_adds(&sb, "\033[0m ");
				cur.attr = 0xffff;
			}
			continue;
		}
		if (c->attr != cur.attr || c->fg != cur.fg || c->bg != cur.bg) {
			put_sgr(&sb, c);
			cur = *c;
		}
		if (c->width == 2 && x + 1 >= x0 + n) {
			sb_addc(&sb, ' ');
			continue;
		}
		put_cp(&sb, c->ch);
		if (c->comb)
			put_cp(&sb, c->comb);
	}
	sb_adds(&sb, "\033[0m");
	return sb_detach(&sb);
}

static void set_row(struct player *p, int row, char *text)
{
	if (row < 0 || row >= p->nrows) {
		free(text);
		return;
	}
	if (p->rows[row] && strcmp(p->rows[row], text) == 0) {
		free(text);
		return;
	}
	sb_addf(&p->out, "\033[%d;1H\033[0m\033[2K%s", row + 1, text);
	free(p->rows[row]);
	p->rows[row] = text;
}

static void fmt_time(double s, char *buf, size_t n)
{
	long t = (long)s;
	if (t < 3600)
		snprintf(buf, n, "%ld:%02ld", t / 60, t % 60);
	else
		snprintf(buf, n, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
}

/* Plain text padded/clipped to `w` columns (labels are ASCII or narrow; wide ones just clip early). */
static char *fit(const char *s, int w)
{
	struct strbuf sb = STRBUF_INIT;
	int n = 0;
	for (const unsigned char *q = (const unsigned char *)s; *q && n < w; q++) {
		if ((*q & 0xc0) != 0x80)
			n++;
		sb_addc(&sb, (char)(*q < 0x20 ? ' ' : *q));
	}
	for (; n < w; n++)
		sb_addc(&sb, ' ');
	return sb_detach(&sb);
}

static void draw(struct player *p)
{
	const struct cast *c = p->c;
	int avail = p->H - 1;
	int vw = p->scr.w < p->W ? p->scr.w : p->W, vh = p->scr.h < avail ? p->scr.h : avail;
	int ox = p->W > p->scr.w ? (p->W - p->scr.w) / 2 : 0, oy = avail > p->scr.h ? (avail - p->scr.h) / 2 : 0;
	for (int r = 0; r < avail; r++) {
		int y = r - oy;
		if (y < 0 || y >= vh) {
			set_row(p, r, xstrdup(""));
			continue;
		}
		char *cells = render_row(&p->scr, y, 0, vw);
		set_row(p, r, ox ? xasprintf("\033[%dG%s", ox + 1, cells) : xstrdup(cells));
		free(cells);
	}
	/* The step list, over the screen. */
	if (p->list_open && c->nmarks) {
		int bw = p->W > 50 ? 48 : p->W - 2, bh = avail - 2 > (int)c->nmarks ? (int)c->nmarks : avail - 2;
		int bx = (p->W - bw) / 2 + 1, by = (avail - bh) / 2;
		if (bw > 10 && bh > 0) {
			if (p->list_sel < p->list_top)
				p->list_top = p->list_sel;
			if (p->list_sel >= p->list_top + bh)
				p->list_top = p->list_sel - bh + 1;
			if (p->list_top + bh > (int)c->nmarks)   /* the terminal grew */
				p->list_top = (int)c->nmarks - bh;
			for (int i = 0; i < bh; i++) {
				int m = p->list_top + i;
				char tb[32], *line, *txt;
				fmt_time(c->marks[m].t, tb, sizeof tb);
				line = xasprintf(" %7s  %s", tb, c->marks[m].label);
				txt = fit(line, bw);
				char *row = xasprintf("%s\033[%dG\033[0;%sm%s\033[0m", p->rows[by + i] ? p->rows[by + i] : "", bx,
						      m == p->list_sel ? "7" : "44;37", txt);
				set_row(p, by + i, row);
				free(line), free(txt);
			}
		}
	}
	/* The progress line. */
	char tb[32], db[32];
	fmt_time(p->t, tb, sizeof tb);
	fmt_time(c->duration, db, sizeof db);
	long mk = cast_marker_before(c, p->pos);
	const char *state = p->pos >= c->nev && !p->playing ? "END" : p->playing ? "PLAY" : "PAUSE";
	char speed[16];
	if (p->speed >= 1)
		snprintf(speed, sizeof speed, "x%g", p->speed);
	else
		snprintf(speed, sizeof speed, "x1/%g", 1 / p->speed);
	char *line = xasprintf(" %s %s / %s %s | step: %s | %s | Space pause  +/- speed  <-/-> 5s  [ ] step  l list  q quit",
			       state, tb, db, speed, mk >= 0 ? c->marks[mk].label : "-", p->name);
	char *txt = fit(line, p->W);
	set_row(p, p->H - 1, xasprintf("\033[0;7m%s\033[0m", txt));
	free(line), free(txt);
	if (p->out.len) {
		const char *s = p->out.s;
		size_t n = p->out.len;
		while (n > 0) {
			ssize_t w = write(STDOUT_FILENO, s, n);
			if (w < 0) {
				if (errno == EINTR)
					continue;
				break;
			}
			s += w, n -= (size_t)w;
		}
		sb_reset(&p->out);
	}
}

static void apply_next(struct player *p)
{
	const struct cast_event *e = &p->c->ev[p->pos++];
	if (e->type == 'o')
		vt_feed(&p->scr, p->c->data + e->off, e->len);
	else if (e->type == 'r')
		vt_resize(&p->scr, e->w, e->h);
}

static void seek_ev(struct player *p, size_t ev, double t)
{
	cast_render(p->c, ev, &p->scr);
	p->pos = ev;
	p->t = t;
}

static void seek_time(struct player *p, double t)
{
	if (t < 0)
		t = 0;
	if (t > p->c->duration)
		t = p->c->duration;
	seek_ev(p, cast_index_at(p->c, t), t);
}

static void jump_marker(struct player *p, long m)
{
	if (m < 0) {
		seek_time(p, 0);
		return;
	}
	seek_ev(p, p->c->marks[m].ev + 1, p->c->marks[m].t);
}

/* Keys arrive several per read (a paste, tmux send-keys, a slow link): the bytes wait in a
 * buffer and each call takes one key off the front. */
static unsigned char kbuf[256];
static size_t klen;

static int fill_keys(void)
{
	if (klen == sizeof kbuf)
		klen = 0;
	ssize_t n = read(STDIN_FILENO, kbuf + klen, sizeof kbuf - klen);
	if (n <= 0)
		return -1;
	klen += (size_t)n;
	return 0;
}

static int next_key(int *ch)
{
	size_t used = 1;
	int k = K_NONE;
	*ch = 0;
	if (klen == 0)
		return -1;
	if (kbuf[0] == 0x1b) {
		if (klen == 1)
			k = K_ESC;
		else if (klen >= 3 && (kbuf[1] == '[' || kbuf[1] == 'O')) {
			/* CSI/SS3: parameters then a final byte */
			size_t i = 2;
			while (i < klen && kbuf[i] >= 0x30 && kbuf[i] <= 0x3f)
				i++;
			used = i < klen ? i + 1 : klen;
			char f = i < klen ? (char)kbuf[i] : 0;
			char p0 = i > 2 ? (char)kbuf[2] : 0;
			switch (f) {
			case 'A': k = K_UP; break;
			case 'B': k = K_DOWN; break;
			case 'C': k = K_RIGHT; break;
			case 'D': k = K_LEFT; break;
			case 'H': k = K_HOME; break;
			case 'F': k = K_END; break;
			case '~': k = p0 == '1' || p0 == '7' ? K_HOME : p0 == '4' || p0 == '8' ? K_END : K_NONE; break;
			default: k = K_NONE; break;
			}
		} else {
			k = K_ESC;   /* Esc followed by something else: Esc, the rest is read next */
		}
	} else if (kbuf[0] == '\r' || kbuf[0] == '\n')
		k = K_ENTER;
	else if (kbuf[0] == '\t')
		k = K_TAB;
	else {
		*ch = kbuf[0];
		k = K_CHAR;
	}
	memmove(kbuf, kbuf + used, klen - used);
	klen -= used;
	return k;
}

/* Returns 1 to quit. */
static int handle_key(struct player *p, int k, int ch)
{
	const struct cast *c = p->c;
	if (p->list_open) {
		if (k == K_UP || (k == K_CHAR && ch == 'k'))
			p->list_sel = p->list_sel > 0 ? p->list_sel - 1 : 0;
		else if (k == K_DOWN || (k == K_CHAR && ch == 'j'))
			p->list_sel = p->list_sel + 1 < (int)c->nmarks ? p->list_sel + 1 : p->list_sel;
		else if (k == K_ENTER) {
			jump_marker(p, p->list_sel);
			p->list_open = 0;
			p->playing = 0;
		} else if (k == K_ESC || k == K_TAB || (k == K_CHAR && (ch == 'l' || ch == 'q')))
			p->list_open = 0;
		invalidate(p);
		return 0;
	}
	switch (k) {
	case K_LEFT: seek_time(p, p->t - 5); return 0;
	case K_RIGHT: seek_time(p, p->t + 5); return 0;
	case K_HOME: seek_time(p, 0); return 0;
	case K_END: seek_ev(p, c->nev, c->duration); p->playing = 0; return 0;
	case K_TAB:
		if (c->nmarks) {
			long m = cast_marker_before(c, p->pos);
			p->list_open = 1;
			p->list_sel = m < 0 ? 0 : (int)m;
		}
		return 0;
	case K_CHAR: break;
	default: return 0;
	}
	switch (ch) {
	case 'q': case 3: return 1;
	case ' ':
		if (p->pos >= c->nev && !p->playing)
			seek_time(p, 0);
		p->playing = !p->playing;
		break;
	case '+': case '=': if (p->speed < 64) p->speed *= 2; break;
	case '-': case '_': if (p->speed > 1.0 / 16) p->speed /= 2; break;
	case '.':
		if (!p->playing) {
			while (p->pos < c->nev && c->ev[p->pos].type != 'o')
				apply_next(p);
			if (p->pos < c->nev) {
				apply_next(p);
				p->t = c->ev[p->pos - 1].t;
			}
		}
		break;
	case '[': {
		long m = cast_marker_before(c, p->pos);
		if (m >= 0 && p->t - c->marks[m].t < 1.0)
			m--;
		jump_marker(p, m);
		break;
	}
	case ']': {
		size_t m = 0;
		while (m < c->nmarks && c->marks[m].ev < p->pos)
			m++;
		if (m < c->nmarks)
			jump_marker(p, (long)m);
		break;
	}
	case 'l': case 's':
		if (c->nmarks) {
			long m = cast_marker_before(c, p->pos);
			p->list_open = 1;
			p->list_sel = m < 0 ? 0 : (int)m;
		}
		break;
	case 'g': seek_time(p, 0); break;
	case 'G': seek_ev(p, c->nev, c->duration); p->playing = 0; break;
	case 12: invalidate(p); sb_adds(&p->out, "\033[2J"); break;
	default: break;
	}
	return 0;
}

int player_run(const struct cast *c, const char *name, double speed)
{
	struct player P = {.c = c, .name = name, .speed = speed > 0 ? speed : 1, .playing = 1}, *p = &P;
	struct termios raw;
	struct sigaction sa, old[4];
	static const int sigs[4] = {SIGWINCH, SIGTERM, SIGHUP, SIGINT};

	if (tcgetattr(STDIN_FILENO, &saved_tio) < 0) {
		fprintf(stderr, "upwiz: the player needs a terminal\n");
		return 2;
	}
	if (pipe2(sig_pipe, O_CLOEXEC | O_NONBLOCK) < 0) {
		fprintf(stderr, "upwiz: pipe: %s\n", strerror(errno));
		return 2;
	}
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	for (int i = 0; i < 4; i++)
		sigaction(sigs[i], &sa, &old[i]);
	raw = saved_tio;
	cfmakeraw(&raw);
	tcsetattr(STDIN_FILENO, TCSAFLUSH, &raw);
	tio_saved = 1;
	fatal_set_hook(restore_terminal);
	sb_adds(&p->out, "\033[?1049h\033[?25l");
	vt_init(&p->scr, c->w, c->h);
	size_changed(p);
	double last = now_s();
	int quit = 0;
	while (!quit) {
		double now = now_s();
		if (p->playing) {
			p->t += (now - last) * p->speed;
			while (p->pos < c->nev && c->ev[p->pos].t <= p->t)
				apply_next(p);
			if (p->pos >= c->nev) {
				p->playing = 0;
				p->t = c->duration;
			}
		}
		last = now;
		draw(p);
		int timeout = -1;
		if (p->playing) {
			double next = p->pos < c->nev ? (c->ev[p->pos].t - p->t) / p->speed : 0;
			timeout = (int)(next * 1000) + 1;
			if (timeout > 250)
				timeout = 250;   /* the clock on the progress line */
		}
		struct pollfd pf[2] = {{STDIN_FILENO, POLLIN, 0}, {sig_pipe[0], POLLIN, 0}};
		if (poll(pf, 2, timeout) < 0 && errno != EINTR)
			break;
		if (pf[1].revents & POLLIN) {
			unsigned char b[32];
			ssize_t n = read(sig_pipe[0], b, sizeof b);
			for (ssize_t i = 0; i < n; i++) {
				if (b[i] == SIGWINCH)
					size_changed(p);
				else
					quit = 1;
			}
		}
		if (pf[0].revents & POLLIN) {
			if (fill_keys() < 0)
				quit = 1;
			int ch, k;
			while (!quit && (k = next_key(&ch)) >= 0)
				quit |= handle_key(p, k, ch);
			last = now_s();
		} else if (pf[0].revents & (POLLHUP | POLLERR))
			quit = 1;
	}
	restore_terminal();
	fatal_set_hook(NULL);
	for (int i = 0; i < 4; i++)
		sigaction(sigs[i], &old[i], NULL);
	close(sig_pipe[0]), close(sig_pipe[1]);
	sig_pipe[0] = sig_pipe[1] = -1;
	invalidate(p);
	free(p->rows);
	sb_free(&p->out);
	vt_free(&p->scr);
	return 0;
}
