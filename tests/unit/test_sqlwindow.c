/*
 * test_sqlwindow.c: how far ahead the SQL apply journals its statements (core/actions/sqlwindow.h).
 *   - before anything is measured: refill at 1, up to 4 ahead (batches of three);
 *   - small fast statements on a disk whose flush takes as long as one of them: batches of about
 *     thirty, the whole AHEAD_MAX window;
 *   - a statement that runs a second: each its own sync (refill 1, up to 2), so a power cut leaves
 *     three in doubt (upto + 1), not thirty-three;
 *   - in between, the batch follows FLUSH_SPACING * f / s;
 *   - over a grid of sync and statement times: 1 <= refill < upto <= AHEAD_MAX, and a slower
 *     statement never widens the window.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/actions/sqlwindow.h"

static void window(uint64_t f, uint64_t s, size_t want_refill, size_t want_upto)
{
	size_t refill = 99, upto = 99;
	sql_window(f, s, &refill, &upto);
	assert_int_equal(refill, want_refill);
	assert_int_equal(upto, want_upto);
}

static void test_unmeasured(void **state)
{
	(void)state;
	window(0, 0, 1, 4);
	window(300, 0, 1, 4);
	window(0, 300, 1, 4);
}

static void test_fast_statements(void **state)
{
	(void)state;
	window(300, 300, 1, AHEAD_MAX);          /* flush = statement: batch of AHEAD_MAX - 1 */
	window(300, 10, AHEAD_MAX / 4, AHEAD_MAX);   /* queries without a commit flush: refill capped */
	window(600, 200, 3, AHEAD_MAX);
}

static void test_slow_statements(void **state)
{
	(void)state;
	window(300, 1000000, 1, 2);   /* a one-second ALTER TABLE */
	window(300, 3000, 1, 5);      /* ceil(32 * 300 / 3000) = 4 per batch */
	window(300, 9600, 1, 2);      /* exactly one batch-worth: 32 * 300 / 9600 = 1 */
}

static void test_bounds(void **state)
{
	(void)state;
	static const uint64_t fs[] = {1, 50, 300, 700, 5000, 100000};
	static const uint64_t ss[] = {1, 10, 100, 300, 1000, 3000, 10000, 100000, 10000000};
	for (size_t i = 0; i < sizeof fs / sizeof *fs; i++) {
		size_t prev_upto = AHEAD_MAX + 1;
		for (size_t j = 0; j < sizeof ss / sizeof *ss; j++) {
			size_t refill, upto;
			sql_window(fs[i], ss[j], &refill, &upto);
			assert_true(refill >= 1);
			assert_true(refill < upto);
			assert_true(upto <= AHEAD_MAX);
			assert_true(upto <= prev_upto);
			prev_upto = upto;
		}
	}
}

/* How many statements go in one round trip: one until a statement was timed, about ROUND_US of the
 * server's work after that, between 1 and ROUND_MAX, fewer for slower statements. */
static void test_round(void **state)
{
	(void)state;
	assert_int_equal(sql_round(0), 1);
	assert_int_equal(sql_round(300), ROUND_MAX);            /* small INSERTs: as many as allowed */
	assert_int_equal(sql_round(ROUND_US / 5), 5);
	assert_int_equal(sql_round(ROUND_US), 1);               /* as slow as the budget: alone */
	assert_int_equal(sql_round(10 * 1000 * 1000), 1);       /* an ALTER of ten seconds */
	size_t prev = ROUND_MAX;
	for (uint64_t s = 1; s < 4 * ROUND_US; s = s * 5 / 4 + 1) {
		size_t n = sql_round(s);
		assert_true(n >= 1 && n <= ROUND_MAX && n <= prev);
		assert_true(n == 1 || n * s <= ROUND_US);       /* within the budget unless alone */
		prev = n;
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unmeasured),
		cmocka_unit_test(test_fast_statements),
		cmocka_unit_test(test_slow_statements),
		cmocka_unit_test(test_bounds),
		cmocka_unit_test(test_round),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
