#!/usr/bin/env bash
# A power cut deep in a long run of small statements, where the journal's write-ahead window has
# grown (core/actions/sqlwindow.h: batches sized by the measured flush and statement times, up to
# 32 statements ahead). t_power_cut.sh covers the first batches (three at a time); this covers the
# wide ones, where a power cut leaves up to 33 sent statements in doubt.
#
# 300 UPDATEs with literal values (each has a derived check: the rows it would still change) on a
# private mariadbd. The engine is killed right after statement 200 was answered; its journal is
# cut back to the adverse durable prefix, ending with the stmt_next of the last statement sent
# (200, or one sent with it in the same round trip: every begin and done line written after that
# batch is lost), and marked as written in another boot. The resumed run must check the
# statements in doubt in order, find every one up to 200 applied, ask nothing, send none of them
# again, and finish with the table as an uninterrupted run leaves it. Those sent with 200 in one
# round trip may or may not have run when the engine died: checked in order, until one is found
# not applied.
. "$(dirname "$0")/lib.sh"

N=300 K=200
sf_bare_mysqld

awk -v n=$N 'BEGIN { for (i = 1; i <= n; i++) printf "UPDATE t SET v = %d WHERE id = %d;\n", i, i }' > "$T/apply.sql"
sf_bare_profile t-power-cut-window "Test: a power cut in a wide write-ahead window"
cat > "$T/a.yaml" <<A
vars: { DB_SOCKET: "$SOCK", SQL_FILE: "$T/apply.sql" }
answers: { apply: yes, apply.no-backup: "I accept the risk" }
resume: yes
A
run() {   # ARGS...: upwiz run on the test profile; R is then the run folder it made
	local before=$(ls "$T/state/upwiz/runs" 2>/dev/null)
	XDG_STATE_HOME=$T/state timeout 120 "$bin" run "$T/p.yaml" --plain --answers "$T/a.yaml" "$@" </dev/null
	local rc=$?
	R=$T/state/upwiz/runs/$(ls "$T/state/upwiz/runs" | grep -vxF -f <(echo "$before"; echo /) | head -1)
	return $rc
}
table_done() { [ "$(sf_sql -e 'SELECT COUNT(*), SUM(v = id) FROM w.t')" = "$(printf '%s\t%s' $N $N)" ]; }

sf_bare_table $N
run > "$T/ref.out" 2>&1
t "the uninterrupted run applies the file" 'table_done || { tail -5 "$T/ref.out"; false; }'
L=$(sf_lead "$R/journal.jsonl")
t "every statement begun after its stmt_next, none queued more than 32 ahead (lead $L)" '[ "$L" -ge 1 ] 2>/dev/null && [ "$L" -le 32 ]'
if [ "$L" -le 4 ] 2>/dev/null; then
	# The window grows only where a flush of the journal is slow against a statement (a disk, not
	# tmpfs): nothing wide to cut here.
	echo "skipped: the write-ahead window did not grow on this disk (lead $L): the wide power cut was not played"
	sf_end; exit 77
fi

sf_bare_table $N
rm -rf "$T/state"
UPWIZ_FAULT=stmt_sent:$K:kill run > "$T/run.out" 2>&1
j=$R/journal.jsonl
t "the engine died right after statement $K was answered" \
	'! grep -q "\"t\":\"finished\"" "$j" && grep -q "\"t\":\"stmt_begin\".*\"index\":$K," "$j"'
# The adverse durable prefix: up to the stmt_next of the last statement sent (M: K, or the last
# one sent with it in one round trip; a statement is sent only once its stmt_next is durable),
# from another boot.
M=$(grep '"t":"stmt_begin"' "$j" | sed -E 's/.*"index":([0-9]+).*/\1/' | sort -n | tail -1)
awk -v k=$M '{ print } index($0, "\"t\":\"stmt_next\"") && index($0, "\"index\":" k ",") { exit }' "$j" |
	sed -E 's/"boot":"[^"]*"/"boot":"00000000-0000-4000-8000-00000000dead"/' > "$j.cut"
mv "$j.cut" "$j"
lastdone=$(grep '"t":"stmt_done"' "$j" | sed -E 's/.*"index":([0-9]+).*/\1/' | sort -n | tail -1)
lost=$(( K - lastdone ))
t "the cut leaves more than five statements answered before the kill in doubt ($lost)" '[ "$lost" -gt 5 ]'
t "and no more than 33 sent statements in doubt in all ($((M - lastdone)), docs/RESUME.md)" '[ $((M - lastdone)) -le 33 ]'

run > "$T/resume.out" 2>&1
mine() { grep -v adopted_from "$R/journal.jsonl"; }
checked=$(mine | grep -c '"t":"stmt_checked"')
echo "window: up to $L ahead; the cut left $lost answered statements and $((M - K)) sent with statement $K in doubt; the resume checked $checked"
t "the resume checks the statements in doubt, in order ($checked checked)" \
	'[ "$checked" -ge "$lost" ] && [ "$checked" -le $((M - lastdone)) ] &&
	 mine | grep "\"t\":\"stmt_checked\"" | sed -E "s/.*\"index\":([0-9]+).*/\1/" | awk -v a=$((lastdone + 1)) "\$1 != a++ { exit 1 }"'
t "every one up to $K is found applied" \
	'! mine | grep "\"t\":\"stmt_checked\"" | awk -v k=$K "{ i = \$0; sub(/.*\"index\":/, \"\", i); sub(/,.*/, \"\", i) } i + 0 <= k" |
	 grep -v "\"found\":\"applied\"" | grep -q .'
t "after $K, only the last one checked may be found not applied" \
	'! mine | grep "\"t\":\"stmt_checked\"" | head -n -1 | grep -v "\"found\":\"applied\"" | grep -q .'
t "none of them is sent again" \
	'! mine | grep "\"t\":\"stmt_begin\"" | sed -E "s/.*\"index\":([0-9]+).*/\1/" | awk -v k=$K "\$1 <= k" | grep -q .'
t "the operator is asked nothing" '! grep -q "\"t\":\"ask\",[^}]*inflight" "$R/events.jsonl"'
t "the operator is told the machine restarted" 'grep -q "the machine restarted since the run stopped" "$R/events.jsonl"'
t "the resume finishes, the table as an uninterrupted run leaves it" 'table_done || { tail -5 "$T/resume.out"; false; }'
SF_RUN=$R
t "each statement accounted for exactly once" 'sf_exactly_once $N'
sf_san
t "no sanitizer report from any engine" '[ $SF_SAN -eq 0 ]'
sf_end
