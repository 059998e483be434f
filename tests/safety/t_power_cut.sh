#!/usr/bin/env bash
# A power cut during the Linkis SQL apply, played on the journal: the engine is killed at a fault
# point, then its journal is cut back to what an fdatasync had made durable at that moment and its
# lines are marked as written in another boot (core/actions/sqlapply.c: after a reboot the lines
# not yet fsync'd may be lost, so the statements queued last are in doubt). The resumed run must
# check them in order against the database, record the applied ones as done, send the rest, and
# end with the same database as an uninterrupted run, each statement applied exactly once.
#
# The durable prefix is the adverse one: it ends with the stmt_next of statement K, so every done
# and begin line after it is lost. Four cases, by where the engine died and where the journal is cut:
#   stmt_sent:2    statements 1 and 2 both applied: both found applied, nothing sent twice
#   stmt_begin:2   statement 1 applied, 2 not sent: 1 found applied, 2 found not applied and sent
#   stmt_sent:3    (cut after statement 3's stmt_next, queued ahead) three in doubt, all resolved by checks
#   stmt_begin:2   (cut after statement 3's stmt_next, queued while 1 ran) 1 found applied, 2 found
#                  not applied, so 3 was never sent either (recorded as withdrawn, not checked, not asked)
. "$(dirname "$0")/lib.sh"

sf_apply_setup

sf_run --answers "$T/a.yaml" > "$T/ref.out" 2>&1
t "the uninterrupted run applies the SQL" 'applied_all'
t "the uninterrupted run journals a stmt_next before each begin" \
	'[ "$(grep -c "\"t\":\"stmt_next\"" "$(sf_last_run)/journal.jsonl")" -ge $NSTMT ]'
t "every stmt_next and stmt_begin names this boot" \
	'! grep -E "\"t\":\"stmt_(next|begin)\"" "$(sf_last_run)/journal.jsonl" | grep -vq "\"boot\":\"$(cat /proc/sys/kernel/random/boot_id)\""'
# The window written ahead (core/actions/sqlwindow.h) grows with the measured sync and statement
# times, never past AHEAD_MAX (32): each statement's stmt_next precedes its begin, and no stmt_next
# is more than 32 statements ahead of the statement being begun, so a power cut leaves at most 33
# sent statements in doubt.
t "no statement is begun before its stmt_next, none queued more than 32 ahead" \
	'l=$(sf_lead "$(sf_last_run)/journal.jsonl"); [ "$l" -ge 1 ] 2>/dev/null && [ "$l" -le 32 ] || { echo "lead: $l"; false; }'
sf_dump "$T/ref.txt"
sf_restore "$T/base.sql"
rm -rf "$T/state"

# power_cut SITE:N K: kill at SITE:N, cut the journal after statement K's stmt_next, other boot.
power_cut() {
	local fault=$1 k=$2
	UPWIZ_FAULT=$fault:kill sf_run --answers "$T/a.yaml" > "$T/run.out" 2>&1
	local j=$(sf_last_run)/journal.jsonl
	t "$fault: the engine died in the SQL apply" '! grep -q "\"t\":\"finished\"" "$j" && grep -q "\"t\":\"stmt_begin\"" "$j"'
	ddl=$(grep -oE '"t":"stmt_begin"[^}]*"file":"[^"]*"' "$j" | head -1 | grep -oE '"file":"[^"]*"')
	awk -v k="$k" -v f="$ddl" '{ print } index($0, "\"t\":\"stmt_next\"") && index($0, f) && index($0, "\"index\":" k ",") { exit }' \
		"$j" | sed -E 's/"boot":"[^"]*"/"boot":"00000000-0000-4000-8000-00000000dead"/' > "$j.cut"
	mv "$j.cut" "$j"
	cp "$j" "$T/cut.jsonl"
	sf_run --answers "$T/a.yaml" > "$T/resume.out" 2>&1
	R=$(sf_last_run)
	t "$fault: the resume finishes the SQL apply" 'applied_all || { tail -20 "$T/resume.out"; false; }'
	t "$fault: each statement applied exactly once" 'exactly_once'
	t "$fault: the operator is told the machine restarted" 'grep -q "the machine restarted since the run stopped" "$R/events.jsonl"'
	sf_dump "$T/got.txt"
	t "$fault: the database equals the uninterrupted run's" 'cmp -s "$T/ref.txt" "$T/got.txt" || { diff "$T/ref.txt" "$T/got.txt" | head; false; }'
}
checked() {   # INDEX: what the resumed run's check found for that statement of the first file
	grep -v adopted_from "$R/journal.jsonl" | grep '"t":"stmt_checked"' | grep -F "$ddl" | grep "\"index\":$1," | grep -oE '"found":"[^"]*"' | head -1
}

power_cut stmt_sent:2 2
t "stmt_sent: statement 1 found applied" '[ "$(checked 1)" = "\"found\":\"applied\"" ]'
t "stmt_sent: statement 2 found applied" '[ "$(checked 2)" = "\"found\":\"applied\"" ]'
t "stmt_sent: neither was sent again" '! grep -v adopted_from "$R/journal.jsonl" | grep "\"t\":\"stmt_begin\"" | grep -F "$ddl" | grep -qE "\"index\":(1|2),"'
sf_restore "$T/base.sql"; rm -rf "$T/state"

power_cut stmt_begin:2 2
t "stmt_begin: statement 1 found applied" '[ "$(checked 1)" = "\"found\":\"applied\"" ]'
t "stmt_begin: statement 2 found not applied" '[ "$(checked 2)" = "\"found\":\"not applied\"" ]'
t "stmt_begin: statement 2 sent once by the resume" \
	'[ "$(grep -v adopted_from "$R/journal.jsonl" | grep "\"t\":\"stmt_done\"" | grep -c "$ddl,\"index\":2,")" -eq 1 ]'
sf_restore "$T/base.sql"; rm -rf "$T/state"

# Statements are queued up to four ahead (three at a time) until the sync and statement times are
# measured: a durable prefix can end with the stmt_next of a statement up to four after the last
# one whose done line survived (the Linkis DDL file has three). Killed after all three were applied, cut after statement 3's stmt_next
# (written with statement 2's right after statement 1 was sent): three in doubt, each resolved by
# its check, the operator asked nothing.
power_cut stmt_sent:3 3
t "stmt_sent:3: statement 1 found applied" '[ "$(checked 1)" = "\"found\":\"applied\"" ]'
t "stmt_sent:3: statement 2 found applied" '[ "$(checked 2)" = "\"found\":\"applied\"" ]'
t "stmt_sent:3: statement 3 (a MODIFY) found safe to send again" '[ "$(checked 3)" = "\"found\":\"safe to send again\"" ]'
t "stmt_sent:3: statements 1 and 2 were not sent again" '! grep -v adopted_from "$R/journal.jsonl" | grep "\"t\":\"stmt_begin\"" | grep -F "$ddl" | grep -qE "\"index\":(1|2),"'
t "stmt_sent:3: the operator was asked nothing" '! grep -q "\"t\":\"ask\",[^}]*inflight" "$R/events.jsonl"'
sf_restore "$T/base.sql"; rm -rf "$T/state"

power_cut stmt_begin:2 3
t "stmt_begin:2, cut at 3: statement 1 found applied" '[ "$(checked 1)" = "\"found\":\"applied\"" ]'
t "stmt_begin:2, cut at 3: statement 2 found not applied" '[ "$(checked 2)" = "\"found\":\"not applied\"" ]'
t "stmt_begin:2, cut at 3: statement 3 not checked (never sent)" '[ -z "$(checked 3)" ]'
t "stmt_begin:2, cut at 3: statement 3 recorded as withdrawn" 'grep -v adopted_from "$R/journal.jsonl" | grep "\"t\":\"stmt_withdrawn\"" | grep -F "$ddl" | grep -q "\"index\":3"'
t "stmt_begin:2, cut at 3: the operator was asked nothing" '! grep -q "\"t\":\"ask\",[^}]*inflight" "$R/events.jsonl"'
sf_san
t "no sanitizer report from any engine" '[ $SF_SAN -eq 0 ]'
sf_end
