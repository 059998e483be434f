#!/usr/bin/env bash
# The whole Linkis profile, unattended, on the sandbox world: `upwiz sandbox ... --plain --golden`
# must succeed; the journal must hold every statement; no secret (the world's database password,
# any gateway token) may appear in any file the run wrote.
set -u
bin=${UPWIZ_BIN:?}
command -v mariadbd >/dev/null || command -v /usr/sbin/mariadbd >/dev/null || { echo "skipped: mariadbd not installed"; exit 77; }
export XDG_STATE_HOME=$(mktemp -d)
trap 'rm -rf "$XDG_STATE_HOME"' EXIT
fail=0; pass=0
t() { if eval "$2"; then pass=$((pass+1)); else echo "FAIL: $1"; fail=$((fail+1)); fi; }

out=$(timeout 300 "$bin" sandbox linkis-1.3.2-to-1.4.0 --plain --golden --keep </dev/null 2>&1); rc=$?
echo "$out" | tail -40
t "golden sandbox run exits 0" '[ $rc -eq 0 ]'
run=$(ls -d "$XDG_STATE_HOME"/upwiz/runs/* | head -1)
t "run folder exists" '[ -d "$run" ]'
t "journal records statements" '[ $(grep -c "\"t\":\"stmt_done\"" "$run/journal.jsonl") -gt 10 ]'
t "journal records the finished success" 'grep -q "\"outcome\":\"success\"" "$run/journal.jsonl"'
t "state files are 0600" '[ "$(stat -c %a "$run/journal.jsonl")" = 600 ] && [ "$(stat -c %a "$run/events.jsonl")" = 600 ] && [ "$(stat -c %a "$run/run.log")" = 600 ]'
t "the target names the port and the socket apart" 'grep -q "^   | run .* on linkis db linkis@localhost:3306 /.*/mysqld.sock home /" <<<"$out"'
t "the first event (hello) already says it is a sandbox" 'head -1 "$run/events.jsonl" | grep -q "\"t\":\"hello\".*\"sandbox\":true"'
for step in precautions env-check clear-tables backup sql-apply connector-jar token-sync start verify; do
	t "step $step done" 'grep -q "\"t\":\"step\",\"id\":\"'$step'\",\"state\":\"done\"" "$run/events.jsonl"'
done
t "the summary names the upgrade once (the title already says 1.3.2 -> 1.4.0)" \
	'grep -qx "   Apache Linkis 1.3.2 -> 1.4.0: success" <<<"$out"'
t "the summary lists every step with how it ended and how long it took" \
	'[ $(grep -cE "^     (precautions|env-check|clear-tables|backup|sql-apply|connector-jar|token-sync|start|verify) +done +[0-9.]+ s$" <<<"$out") -eq 9 ]'

# The plain output says each thing once: an item's outcome is not repeated by its log line (the
# run's log keeps that line), the precautions are listed once, the backup's plan is not printed
# again when the restore commands are added to it.
t "an item's outcome is printed once (no log echo in the plain output)" \
	'[ $(grep -c "Database reachable, Linkis schema present" <<<"$out") -eq 1 ] && ! grep -q "| \[pass\]" <<<"$out"'
t "the run's log keeps the item outcomes" 'grep -q "\[pass\] Database reachable, Linkis schema present: 4 of 4 tables" "$run/run.log"'
t "each precaution is printed once" '[ $(grep -c "First time with Linkis?" <<<"$out") -eq 1 ]'
t "the backup plan is printed once, then the restore commands" \
	'[ $(grep -c "^   Backups go to " <<<"$out") -eq 1 ] && grep -q "^   Restore the database with:" <<<"$out"'
t "the connector-jar and token-sync plans are printed once (the body), not again as todo items" \
	'[ $(grep -c "^   Into .*/linkis-commons/public-module:\$" <<<"$out") -eq 1 ] && ! grep -q "^   todo .*\(public-module\|linkis-mg-gateway\|tokenValue\|token.value\)" <<<"$out"'
t "each synced token key says old -> new once, when written (masked)" \
	'[ $(grep -c "^   ok   wds.linkis.gateway.access.token  WS-\*\*\*\*[0-9a-f]\{4\} -> WS-\*\*\*\*[0-9a-f]\{4\} (written)\$" <<<"$out") -eq 1 ]'
t "the world's folder is named without .." 'grep -q "building the sandbox world from /" <<<"$out" && ! grep -q "building the sandbox world from .*/\.\./" <<<"$out"'

# A failed run's summary: the failed step, and the ones after it not reached.
out2=$(timeout 120 "$bin" sandbox linkis-1.3.2-to-1.4.0 --scenario db-gone --plain --golden </dev/null 2>&1)
t "a failed run's summary: sql-apply failed with its time, the steps after it not reached" \
	'grep -qE "^     sql-apply +failed +[0-9.]+ s$" <<<"$out2" && [ $(grep -cE "^     (connector-jar|token-sync|start|verify) +not reached$" <<<"$out2") -eq 4 ]'

# Secrets: the world's DB password and every token in the (kept) world's database / conf.
root="$run/sandbox"
secrets=()
if [ -d "$root" ]; then
	while IFS= read -r s; do [ -n "$s" ] && secrets+=("$s"); done < <(grep -rhoE "(BML|WS|DSM|LINKIS_CLI|QML|DSS|QUALITIS|VALIDATOR|LINKISCLI)-[0-9a-f]{32}" "$root" 2>/dev/null | sort -u)
	pw=$(grep -rhoE "MYSQL_PASSWORD=[^ ]+" "$root" 2>/dev/null | head -1 | cut -d= -f2- | tr -d "'\"")
	[ -n "$pw" ] && secrets+=("$pw")
fi
t "found secrets to look for" '[ ${#secrets[@]} -gt 0 ]'
leaks=0
for s in "${secrets[@]}"; do
	for f in "$run"/*.jsonl "$run"/run.log "$run"/engine.out "$run"/run.json; do
		[ -f "$f" ] && grep -qF -- "$s" "$f" && { echo "LEAK of ${s:0:4}... in $f"; leaks=$((leaks+1)); }
	done
	grep -qF -- "$s" <<<"$out" && { echo "LEAK in the plain output"; leaks=$((leaks+1)); }
done
t "no secret in any file the run wrote nor on the terminal" '[ $leaks -eq 0 ]'
pkill -f "$root" 2>/dev/null
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
