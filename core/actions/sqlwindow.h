/*
 * sqlwindow.h: how far ahead the SQL apply writes its stmt_next journal lines (sqlapply.c).
 *
 * A statement is sent only once its stmt_next line is durable. The lines are written ahead of the
 * statements, and their fdatasync runs on the journal's background thread (core/journal.h) while
 * the server works on the statements before them. That flush still competes with the server's
 * flush of each commit for one disk (bench/bench_flush.c), so the lines go in batches: when only
 * `refill` statements are left queued, the next ones up to `upto` ahead are written with one
 * write and synced with one fdatasync. Both follow what this disk and this server do, measured
 * during the run (f: the journal's sync time, s: a statement's time from send to answer, both
 * smoothed):
 *  - refill = ceil(f / s), from 1 to AHEAD_MAX / 4: the batch's sync has the time of refill + 1
 *    statements (the one running and those still queued) to finish before a send would wait for
 *    it (statements much faster than a flush, such as SELECTs, may then wait a little: the cap
 *    keeps the window for the batch);
 *  - batch = ceil(FLUSH_SPACING * f / s): the journal flushes at most once per FLUSH_SPACING
 *    flush-times of the server's work, a few percent of the disk.
 * 100k small INSERTs at 0.3 ms each get batches of about thirty; an ALTER TABLE that runs for a
 * second gets batches of one, each statement its own sync, which costs nothing there. Until both
 * are measured the window is 1 + 3. AHEAD_MAX bounds refill + batch, and so what a power cut
 * leaves in doubt: at most AHEAD_MAX + 1 sent statements (sqlapply.c's header), and that many
 * only when they are small and fast.
 *
 * Measured (README, Benchmarks; eight alternated rounds of 3000 small INSERTs): with fixed batches
 * of three the apply took 1.57 times as long as `mariadb < file`, sized this way 1.31, and with the
 * journal's flushes turned into no-ops 1.36.
 */
#ifndef UPWIZ_SQLWINDOW_H
#define UPWIZ_SQLWINDOW_H

#include <stddef.h>
#include <stdint.h>

#define AHEAD_MAX 32
#define FLUSH_SPACING 32

/* sync_us, stmt_us: f and s above (0: not measured yet). Sets *refill and *upto, with
 * 1 <= *refill < *upto <= AHEAD_MAX. */
static inline void sql_window(uint64_t sync_us, uint64_t stmt_us, size_t *refill, size_t *upto)
{
	if (!sync_us || !stmt_us) {
		*refill = 1, *upto = 4;
		return;
	}
	uint64_t f = sync_us, s = stmt_us;
	uint64_t rf = (f + s - 1) / s, b = (FLUSH_SPACING * f + s - 1) / s;
	if (rf > AHEAD_MAX / 4)
		rf = AHEAD_MAX / 4;
	if (b > AHEAD_MAX - rf)
		b = AHEAD_MAX - rf;
	*refill = (size_t)rf, *upto = (size_t)(rf + b);
}

/*
 * How many statements one round trip to the server may carry (sqlapply.c sends them as one text;
 * the server runs them in order and answers each). A statement sent alone waits for a round trip
 * and for upwiz between the server's answer and the next send; sent together, the server goes
 * from one to the next at once while upwiz journals and logs the answers behind it. Only
 * statements whose stmt_next is durable already go together, so the journal's rules hold as for
 * one statement at a time. ROUND_US of the server's work at most (from s): an abort, or a failed
 * statement's question, comes that much later at worst, and the log still shows each statement as
 * it is answered. One until s is measured; never more than ROUND_MAX.
 */
#define ROUND_MAX 16
#define ROUND_US 20000

static inline size_t sql_round(uint64_t stmt_us)
{
	if (!stmt_us)
		return 1;
	uint64_t n = ROUND_US / stmt_us;
	return n < 1 ? 1 : n > ROUND_MAX ? ROUND_MAX : (size_t)n;
}

#endif
