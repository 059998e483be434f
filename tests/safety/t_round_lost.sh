#!/usr/bin/env bash
# The connection dies in the middle of statements sent in one round trip (core/actions/sqlwindow.h,
# sql_round): the server has run some of them, is running one, and never runs the rest.
#
# On a private mariadbd: 60 UPDATEs with literal values (each has a derived check), a
# `SELECT SLEEP(2)`, then 60 UPDATEs more. While the server sleeps, the test kills the engine's
# connection (KILL); the server stops there. The engine must:
#  - say the connection was lost and, answered `retry`, reconnect;
#  - check the statement that was running (a SELECT: safe to send again, so it is sent again);
#  - check the statements sent after it in the same text in order, find the first one not
#    applied, and take it and those after it for never sent (withdrawn in the journal);
#  - send them in their turn, and end with the table as an uninterrupted run leaves it, each
#    statement accounted for once.
# Which statements go together depends on timing, so the SLEEP may end its round trip; then the
# run is played again (at most five times) until statements were sent after it.
. "$(dirname "$0")/lib.sh"

N=120 AT=61
sf_bare_mysqld
awk -v n=$N -v at=$AT 'BEGIN { for (i = 1; i <= n; i++) {
	if (i == at) print "SELECT SLEEP(2);"
	else printf "UPDATE t SET v = %d WHERE id = %d;\n", i, i } }' > "$T/apply.sql"
table_done() { [ "$(sf_sql -e "SELECT COUNT(*), SUM(v = id OR id = $AT) FROM w.t")" = "$(printf '%s\t%s' $N $N)" ]; }
sf_bare_profile t-round-lost "Test: the connection lost in the middle of a round trip"
cat > "$T/a.yaml" <<A
vars: { DB_SOCKET: "$SOCK", SQL_FILE: "$T/apply.sql" }
answers: { apply: yes, apply.no-backup: "I accept the risk", apply.error: retry }
A
index_of() { sed -E 's/.*"index":([0-9]+).*/\1/'; }

for try in 1 2 3 4 5; do
	sf_bare_table $N
	rm -rf "$T/state"
	XDG_STATE_HOME=$T/state timeout 120 "$bin" run "$T/p.yaml" --plain --answers "$T/a.yaml" </dev/null > "$T/run.out" 2>&1 &
	cli=$!
	id=
	for _ in $(seq 300); do
		id=$(sf_sql -e "SELECT ID FROM information_schema.PROCESSLIST WHERE STATE = 'User sleep' AND INFO LIKE '%SLEEP(2)%'")
		[ -n "$id" ] && break
		sleep 0.05
	done
	[ -n "$id" ] && sf_sql -e "KILL CONNECTION $id"
	wait "$cli"; rc=$?
	R=$(ls -d "$T"/state/upwiz/runs/* | head -1)
	j=$R/journal.jsonl
	# begun before the SLEEP's outcome: the statements that went with it
	after=$(awk -v at=$AT '/"t":"stmt_begin"/ { i = $0; sub(/.*"index":/, "", i); i += 0; if (i > at) n++ }
		/"t":"stmt_checked"/ { exit } END { print n + 0 }' "$j")
	[ "$after" -gt 0 ] && break
	echo "  try $try: the SLEEP ended its round trip; again"
done
echo "  try $try: killed connection ${id:-none} in the SLEEP; $after statement(s) after it were sent with it"
t "the engine's connection was killed while the server ran the SLEEP" '[ -n "$id" ]'
t "statements after the SLEEP went in the same round trip ($after)" '[ "$after" -gt 0 ]'
t "the run completes (exit 0)" '[ $rc -eq 0 ] || { tail -15 "$T/run.out"; false; }'
t "the operator is told the connection was lost" 'grep -q "the connection to the server was lost" "$T/run.out"'
t "the SLEEP is checked and sent again (a query changes nothing)" \
	'grep "\"t\":\"stmt_checked\"" "$j" | head -1 | grep -q "\"index\":$AT,.*\"found\":\"safe to send again\""'
first=$((AT + 1))
t "the first statement after it is checked next and found not applied" \
	'grep "\"t\":\"stmt_checked\"" "$j" | sed -n 2p | grep -q "\"index\":$first,.*\"found\":\"not applied\""'
t "nothing else is checked: those after it were never run" '[ "$(grep -c "\"t\":\"stmt_checked\"" "$j")" -eq 2 ]'
t "the ones sent with it after that are withdrawn" \
	'[ "$(grep "\"t\":\"stmt_withdrawn\"" "$j" | index_of | awk -v a=$first "\$1 > a" | wc -l)" -ge $((after - 1)) ]'
t "the operator is asked nothing about them" '! grep -q "\"t\":\"ask\",[^}]*inflight" "$R/events.jsonl"'
t "the table is as an uninterrupted run leaves it" 'table_done'
SF_RUN=$R
t "each statement accounted for exactly once" 'sf_exactly_once $N'
sf_san
t "no sanitizer report from any engine" '[ $SF_SAN -eq 0 ]'
sf_end
