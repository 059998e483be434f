/*
 * player.h: the full-screen player of a screen recording (`upwiz replay`).
 *
 * Keys: Space pause/play (at the end: from the start), + / - speed x2 / /2, . one frame while
 * paused, Left / Right 5 s back / forward, [ / ] previous / next step marker, l (or Tab) the step
 * list (arrows + Enter jump, Esc closes), Home / End the start / the end, q quit.
 * The bottom row is the progress line: state, time / length, speed, the step in effect.
 * The recording is centred in a larger terminal and clipped (top-left kept) in a smaller one.
 */
#ifndef UPWIZ_TUI_PLAYER_H
#define UPWIZ_TUI_PLAYER_H

#include "core/cast.h"

/* Plays until q. Returns 0, or 2 when the terminal cannot be used (message on stderr). */
int player_run(const struct cast *c, const char *name, double speed);

#endif
