/*
 * theme.c: colour roles mapped to colours, in one table (htop CRT_colorSchemes, ncdu UI_COLORS).
 *
 * Each role has a colour form (foreground, background, attributes) and a monochrome form
 * (attributes only). The monochrome form is used when the terminal has no colours or when
 * NO_COLOR is set to anything non-empty (no-color.org). Nothing on screen relies on colour alone:
 * statuses carry glyphs (✓ ! ✗), danger is bold and underlined, the selection is reverse video.
 *
 * The dim role uses bright black on terminals with 16 colours or more and the dim attribute
 * otherwise; a background of -1 is the terminal's own (use_default_colors), so the wizard sits on
 * whatever background the engineer's terminal has, dark or light.
 */
#include <stdlib.h>
#include <string.h>

#define NCURSES_WIDECHAR 1
#include <curses.h>

#include "tui/canvas.h"
#include "tui/term.h"

struct role_style {
	short fg, bg;
	attr_t attr;    /* with colour */
	attr_t mono;    /* without */
};

#define DEF (-1)

static const struct role_style styles[ROLE_NROLES] = {
	[ROLE_NORMAL] = { DEF, DEF, A_NORMAL, A_NORMAL },
	[ROLE_TITLE] = { COLOR_CYAN, DEF, A_BOLD, A_BOLD },
	[ROLE_HEADER] = { COLOR_WHITE, COLOR_BLUE, A_BOLD, A_REVERSE },
	[ROLE_SELECTED] = { DEF, DEF, A_REVERSE | A_BOLD, A_REVERSE | A_BOLD },
	[ROLE_OK] = { COLOR_GREEN, DEF, A_NORMAL, A_NORMAL },
	[ROLE_WARN] = { COLOR_YELLOW, DEF, A_BOLD, A_BOLD },
	[ROLE_DANGER] = { COLOR_RED, DEF, A_BOLD, A_BOLD | A_UNDERLINE },
	[ROLE_DANGER_SEL] = { COLOR_WHITE, COLOR_RED, A_BOLD, A_REVERSE | A_BOLD | A_UNDERLINE },
	[ROLE_PROGRESS] = { COLOR_CYAN, DEF, A_NORMAL, A_NORMAL },
	[ROLE_DIM] = { 8, DEF, A_NORMAL, A_DIM },
	[ROLE_KEY] = { COLOR_BLACK, COLOR_CYAN, A_NORMAL, A_REVERSE },
	[ROLE_BADGE] = { COLOR_BLACK, COLOR_YELLOW, A_BOLD, A_BOLD },     /* mono: stands out of the reversed header */
	[ROLE_CMD] = { DEF, DEF, A_BOLD, A_BOLD },
	[ROLE_SQL] = { COLOR_MAGENTA, DEF, A_NORMAL, A_NORMAL },
	[ROLE_MATCH] = { COLOR_BLACK, COLOR_YELLOW, A_NORMAL, A_REVERSE | A_UNDERLINE },
	[ROLE_BORDER] = { COLOR_BLUE, DEF, A_NORMAL, A_NORMAL },
	[ROLE_INPUT] = { DEF, DEF, A_UNDERLINE, A_UNDERLINE },
};

static int mono = 1;
static int dim_fallback;        /* fewer than 16 colours: the dim role uses A_DIM */

void
theme_init(void)
{
	const char *nc = getenv("NO_COLOR");
	int defaults;

	mono = 1;
	if ((nc != NULL && *nc != '\0') || !has_colors() || start_color() == ERR)
		return;
	if (COLORS < 8 || COLOR_PAIRS < ROLE_NROLES + 1)
		return;
	mono = 0;
	defaults = use_default_colors() == OK;
	dim_fallback = COLORS < 16;
	for (int r = 0; r < ROLE_NROLES; r++) {
		short fg = styles[r].fg, bg = styles[r].bg;
		if (fg == 8 && dim_fallback)
			fg = DEF;
		if (!defaults) {
			if (fg == DEF)
				fg = COLOR_WHITE;
			if (bg == DEF)
				bg = COLOR_BLACK;
		}
		init_pair((short)(r + 1), fg, bg);
	}
}

int
theme_mono(void)
{
	return mono;
}

unsigned long
theme_attr(int role, short *pair)
{
	if (role < 0 || role >= ROLE_NROLES)
		role = ROLE_NORMAL;
	if (mono) {
		*pair = 0;
		return styles[role].mono;
	}
	*pair = (short)(role + 1);
	if (role == ROLE_DIM && dim_fallback)
		return A_DIM;
	return styles[role].attr;
}
