/*
 * term.c: curses on the controlling terminal.
 *
 * Input is read with wget_wch() in no-delay mode only after poll() said the terminal is
 * readable, so curses never blocks and never sleeps (no halfdelay, no timeout(): an idle wizard
 * makes no system calls). raw() rather than cbreak(): Ctrl-C arrives as a key and opens the
 * abort question instead of killing the UI (the engine would carry on regardless, but the
 * operator should choose), and Ctrl-S cannot freeze the screen at night.
 *
 * SIGWINCH belongs to the loop (app.c installs its handler before curses starts, so ncurses does
 * not install its own); the loop then calls term_resize(), which asks the kernel for the size and
 * calls resizeterm() outside of any signal handler.
 *
 * Drawing: the canvas is copied cell by cell into stdscr and one doupdate() sends what differs
 * from the terminal. idlok() lets ncurses scroll the log pane with insert/delete line when only a
 * few lines arrived, which is what keeps a trickle of log output cheap on a slow link.
 */
#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#define NCURSES_WIDECHAR 1
#include <curses.h>

#include "core/util.h"
#include "tui/record.h"
#include "tui/term.h"
#include "tui/text.h"

static SCREEN *scr;
static int active;
static int cursor_on = -1;

int
term_active(void)
{
	return active;
}

int
term_start(char **cause)
{
	const char *cs;

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		set_cause(cause, "the full-screen wizard needs a terminal on stdin and stdout");
		return -1;
	}
	cs = nl_langinfo(CODESET);
	tx_set_utf8(cs != NULL && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0));
	rec_begin();        /* when recording, fd 1 is a pipe from here on (tui/record.h) */
	scr = newterm(NULL, stdout, stdin);
	if (scr == NULL) {
		rec_end();
		set_cause(cause, "cannot start the terminal (TERM=%s)",
		    getenv("TERM") ? getenv("TERM") : "unset");
		return -1;
	}
	set_term(scr);
	active = 1;
	if (getenv("ESCDELAY") == NULL)
		set_escdelay(100);  /* Esc means "back": quick, yet an arrow key split by a slow
		                       link must not read as Esc */
	raw();
	noecho();
	nonl();
	intrflush(stdscr, FALSE);
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	idlok(stdscr, TRUE);
	typeahead(-1);      /* input is read when poll() says so; no peeking while drawing */
	scrollok(stdscr, FALSE);
	cursor_on = -1;
	theme_init();
	term_resize();
	return 0;
}

void
term_stop(void)
{
	if (!active)
		return;
	active = 0;
	curs_set(1);
	endwin();
	fflush(stdout);
	if (scr != NULL) {
		delscreen(scr);
		scr = NULL;
	}
	rec_end();
}

int
term_resize(void)
{
	struct winsize ws;

	if (!active)
		return 0;
	if (ioctl(rec_tty_fd(), TIOCGWINSZ, &ws) == -1 || ws.ws_row == 0 || ws.ws_col == 0)
		return 0;
	if (ws.ws_row == LINES && ws.ws_col == COLS)
		return 0;
	resizeterm(ws.ws_row, ws.ws_col);
	rec_resize(ws.ws_col, ws.ws_row);
	return 1;
}

void
term_size(int *h, int *w)
{
	*h = LINES;
	*w = COLS;
}

void
term_draw(const struct canvas *cv, int cy, int cx, int full)
{
	cchar_t cc;
	wchar_t wch[CELL_NCH + 1];
	int rows = cv->h < LINES ? cv->h : LINES, cols = cv->w < COLS ? cv->w : COLS;

	if (!active)
		return;
	for (int y = 0; y < rows; y++) {
		for (int x = 0; x < cols; x++) {
			const struct cell *c = &cv->cells[y * cv->w + x];
			short pair;
			attr_t a;
			int k;

			if (c->wide == 2)
				continue;
			if (c->wide == 1 && x + 1 >= cols) {
				wch[0] = L' ';
				k = 1;
			} else {
				for (k = 0; k < CELL_NCH && c->ch[k]; k++)
					wch[k] = (wchar_t)c->ch[k];
				if (k == 0)
					wch[k++] = L' ';
			}
			wch[k] = L'\0';
			a = (attr_t)theme_attr(c->role, &pair);
			setcchar(&cc, wch, a, pair, NULL);
			mvwadd_wch(stdscr, y, x, &cc);
		}
	}
	if (full)
		clearok(curscr, TRUE);
	if (cy >= 0 && cy < LINES && cx >= 0 && cx < COLS) {
		if (cursor_on != 1)
			curs_set(1);
		cursor_on = 1;
		wmove(stdscr, cy, cx);
		leaveok(stdscr, FALSE);
	} else {
		if (cursor_on != 0)
			curs_set(0);
		cursor_on = 0;
		leaveok(stdscr, TRUE);
	}
	wnoutrefresh(stdscr);
	doupdate();
	rec_frame();
}

int
term_key(struct key *k)
{
	wint_t wc;
	int r;

	if (!active)
		return 0;
	r = wget_wch(stdscr, &wc);
	if (r == ERR)
		return 0;
	k->act = ACT_NONE;
	k->ch = 0;
	if (r == KEY_CODE_YES) {
		switch (wc) {
		case KEY_UP: k->act = ACT_UP; break;
		case KEY_DOWN: k->act = ACT_DOWN; break;
		case KEY_LEFT: k->act = ACT_LEFT; break;
		case KEY_RIGHT: k->act = ACT_RIGHT; break;
		case KEY_PPAGE: k->act = ACT_PGUP; break;
		case KEY_NPAGE: k->act = ACT_PGDN; break;
		case KEY_HOME: k->act = ACT_HOME; break;
		case KEY_END: k->act = ACT_END; break;
		case KEY_ENTER: k->act = ACT_ENTER; break;
		case KEY_BACKSPACE: k->act = ACT_BACKSPACE; break;
		case KEY_BTAB: k->act = ACT_TAB; break;
		case KEY_F(1): k->act = ACT_HELP; break;
		case KEY_F(3): k->act = ACT_PAGER; break;
		case KEY_F(5): k->act = ACT_COPY; break;
		case KEY_F(10): k->act = ACT_MENU; break;
		default: break;     /* KEY_RESIZE and the rest: the loop handles size itself */
		}
		return 1;
	}
	switch (wc) {
	case L'\r': case L'\n': k->act = ACT_ENTER; break;
	case 27: k->act = ACT_ESC; break;
	case L'\t': k->act = ACT_TAB; break;
	case 127: case 8: k->act = ACT_BACKSPACE; break;
	case 21: k->act = ACT_KILL; break;
	case 3: k->act = ACT_INTERRUPT; break;
	case 12: k->act = ACT_REDRAW; break;
	default:
		if (wc >= 32 && wc != 127 && !(wc >= 0x80 && wc < 0xA0)) {
			k->act = ACT_CHAR;
			k->ch = (uint32_t)wc;
		}
		break;
	}
	return 1;
}

void
term_suspend(void)
{
	if (!active)
		return;
	def_prog_mode();
	endwin();
	fflush(stdout);
	rec_suspend();      /* the child gets the terminal itself on fd 1 */
}

void
term_resume(void)
{
	if (!active)
		return;
	rec_resume();
	reset_prog_mode();
	cursor_on = -1;
	term_resize();
}

static void
write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return;
		}
		p += w;
		n -= (size_t)w;
	}
}

void
term_osc52(const char *text)
{
	static const char b64[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const unsigned char *s = (const unsigned char *)text;
	size_t n = strlen(text);
	struct strbuf sb = STRBUF_INIT;

	if (n > 74994)  /* many terminals cap OSC 52 at 100000 bytes of base64 */
		n = 74994;
	sb_adds(&sb, "\033]52;c;");
	for (size_t i = 0; i < n; i += 3) {
		unsigned v = (unsigned)s[i] << 16;
		if (i + 1 < n)
			v |= (unsigned)s[i + 1] << 8;
		if (i + 2 < n)
			v |= s[i + 2];
		sb_addc(&sb, b64[(v >> 18) & 63]);
		sb_addc(&sb, b64[(v >> 12) & 63]);
		sb_addc(&sb, i + 1 < n ? b64[(v >> 6) & 63] : '=');
		sb_addc(&sb, i + 2 < n ? b64[v & 63] : '=');
	}
	sb_addc(&sb, '\007');
	fflush(stdout);
	write_all(STDOUT_FILENO, sb.s, sb.len);
	rec_frame();
	sb_free(&sb);
}
