#!/usr/bin/env bash
# The trainee's report shows the mistakes that matter. Three unattended runs with answers a
# careless trainee gives (the golden answers with a few changed), and the report file and the
# screen text asserted: choosing 2 when the data was to be kept, skipping a failed backup,
# acknowledging the risk without one, skipping a failed statement, ignoring a failed check.
set -u
. "$(dirname "$0")/lib.sh"
need_mariadb

# careless NAME SCENARIO KEY: VALUE...: runs the scenario with the golden answers plus these
careless() {
	local name=$1 scen=$2; shift 2
	local ans="$XDG_STATE_HOME/$name.yaml" kv
	cp "$world/golden.yaml" "$ans"
	for kv in "$@"; do
		# an answer the golden file has is replaced, others are added
		if grep -q "^  ${kv%%:*}:" "$ans"; then
			sed -i "s|^  ${kv%%:*}:.*|  $kv|" "$ans"
		else
			printf '  %s\n' "$kv" >> "$ans"
		fi
	done
	out=$(timeout 300 "$bin" sandbox "$profile" --plain --answers "$ans" --scenario "$scen" </dev/null 2>&1); rc=$?
	run=$(last_run)
	wait_engine "$run"
	rep="$run/report.md"
	echo "== $name ($scen): exit $rc ($run)"
	t "$name: no sanitizer report from the engine" 'no_sanitizer_report "$run"'
}

careless data-lost disk-full-backup 'clear-tables: "2"' 'clear-tables.confirm: linkis' 'backup.failed: skip' \
	'sql-apply.no-backup: "I accept the risk"'
t "data-lost: report written" '[ -f "$rep" ]'
t "data-lost: choosing 2 when the data was to be kept is a mistake" 'grep -q "^- Chose 2 (.*) at .clear-tables. where the expected answer was 1" "$rep"'
t "data-lost: skipping the backup is a mistake" 'grep -q "^- Skipped the backup" "$rep"'
t "data-lost: acknowledging the risk without a backup is a mistake" 'grep -q "^- Acknowledged the risk and went on at .sql-apply. without a verified backup" "$rep"'
t "data-lost: the decision that differs is marked" 'grep -qE "^\| clear-tables \| clear-tables \| 2 \| answers file \| 1 \| \*\*differs\*\* \|" "$rep"'
t "data-lost: the backup step shows as skipped where the scenario makes it fail" 'grep -qE "^\| backup \| \*\*skipped\*\* \| fails \|" "$rep"'
t "data-lost: the expected outcome is not met" 'grep -q "^- Expected (golden path): .*\*\*NOT met\*\*" "$rep"'
t "data-lost: the screen lists the mistakes" 'grep -q "Mistakes that matter: 3" <<<"$out" && grep -q "  - Chose 2" <<<"$out"'
t "data-lost: every step has a time" '[ $(grep -cE "^\| [a-z-]+ \| .* \| [0-9.]+ s \| [0-9]+ \|$" "$rep") -ge 5 ]'

careless stmt-skipped sql-error 'sql-apply.error: skip'
t "stmt-skipped: skipping a failed statement is a mistake" 'grep -q "^- Skipped a failed SQL statement (linkis_dml.sql, statement [0-9]*, ERROR 1054)" "$rep"'
t "stmt-skipped: what went wrong names the error" 'grep -q "^- sql-apply: .*ERROR 1054" "$rep"'

careless check-ignored port-in-use 'env-check.failed: skip'
t "check-ignored: ignoring a failed check is a mistake" 'grep -q "^- Ignored 1 failed check at .env-check. and went on" "$rep"'
t "check-ignored: the failed check is shown" 'grep -q "^- env-check: Linkis ports free (1.3.2 stopped): .*already in use" "$rep"'
# Not careless: rolling back at the failed statement handles it as well as the golden abort
careless rolled-back sql-error 'sql-apply.error: undo' 'rollback.confirm: linkis'
rep=$(sed -n 's/.*Report for the trainer: //p' <<<"$out" | tail -1)   # the roll-back has a run folder of its own, newer
t "rolled-back: the run ends rolled back (exit 1)" '[ $rc -eq 1 ] && grep -q "finished: rolled-back" <<<"$out"'
t "rolled-back: the expected failure counts as met, and the report says how it ended" 'grep -q "^- Expected (golden path): .*\*\*met, then rolled back\*\*" "$rep"'
t "rolled-back: a note says the roll-back left nothing half done" 'grep -q "^Note: The run was rolled back at the failure the scenario is about" "$rep"'
t "rolled-back: it is not a mistake" 'grep -A2 "^## Mistakes that matter" "$rep" | grep -qx "None."'

# A world that cannot be built (mariadb-install-db fails, as on a full disk): the report says why
fake="$XDG_STATE_HOME/fakebin"
mkdir -p "$fake"
printf '#!/bin/sh\necho "mariadb-install-db: cannot write the data folder: No space left on device" >&2\nexit 1\n' >"$fake/mariadb-install-db"
chmod +x "$fake/mariadb-install-db"
out=$(PATH="$fake:$PATH" timeout 120 "$bin" sandbox "$profile" --plain --golden </dev/null 2>&1); rc=$?
run=$(last_run)
wait_engine "$run"
rep="$run/report.md"
echo "== world-fails: exit $rc ($run)"
t "world-fails: exit 1, no step reached" '[ $rc -eq 1 ] && ! grep -q "\"t\":\"step_enter\"" "$run/journal.jsonl"'
t "world-fails: the report's 'what went wrong' names the cause" \
	'grep -q "^- the run: sandbox: .*mariadb-install-db exited with 1: .*No space left on device" "$rep"'
t "world-fails: the screen says no step was reached and why" \
	'grep -q "^   Steps: none reached$" <<<"$out" && grep -q "^   Went wrong: sandbox: .*No space left on device" <<<"$out"'
[ $fail -gt 0 ] && { echo "$out" | tail -40; cat "$rep"; }
finish
