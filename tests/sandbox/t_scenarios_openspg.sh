#!/usr/bin/env bash
# KAG / OpenSPG scenarios: --list-scenarios, then each scenario unattended (--plain --golden) to
# its expected outcome, with the trainee's report asserted (tests/sandbox/lib.sh), and checks
# from the run's own records that the fault was really met where it should be.
set -u
profile=openspg-0.5-to-0.6
. "$(dirname "$0")/lib.sh"
need_mariadb
command -v mariadb >/dev/null || { echo "skipped: the mariadb client (used by the world's docker stand-in) is not installed"; exit 77; }

check_list v05-schema sql-row-format compose-from-master

# stepstate RUN STEP STATE: the event stream says STEP reached STATE
stepstate() { grep -q "\"t\":\"step\",\"id\":\"$2\",\"state\":\"$3\"" "$1/events.jsonl"; }

# 1. Installed from the v0.5 tag: the schema check stops the run before anything is changed.
run_scenario v05-schema 1
t "v05-schema: the profile's closing words (compose file moved aside) are not said after a failure" '! grep -q "The previous compose file was moved" <<<"$scen_out"'
run=$(last_run)
t "v05-schema: the env check failed" 'stepstate "$run" env-check failed'
t "v05-schema: the log says it is a genuine v0.5 schema and that nothing was changed" \
	'grep -aq "stopped before anything was changed: Schema is v0.5.1 (kg_builder_job exists): .*genuine OpenSPG v0.5 schema" "$run/run.log"'
t "v05-schema: the stop was answered abort and journaled" \
	'grep -q "\"qid\":\"env-check.stopped\",\"value\":\"abort\"" "$run/journal.jsonl" && grep -q "\"t\":\"stopped\",.*\"step\":\"env-check\"" "$run/journal.jsonl"'
t "v05-schema: no backup, no statement sent" '! stepstate "$run" backup running && ! grep -q "\"t\":\"stmt_" "$run/journal.jsonl"'

# 2. COMPACT row format: the ALTER and four CREATEs go through, the 6th statement fails (1709).
run_scenario sql-row-format 1
t "sql-row-format: the plain failure question shows the statement on its own line, once FAILED" \
	'grep -q "^?  upgrade-0.5.1-to-0.6.sql line 113 failed: ERROR 1709" <<<"$scen_out" && grep -q "^   CREATE TABLE \`kg_data_source\`" <<<"$scen_out" && [ $(grep -c "^   -- FAILED: sql-apply" <<<"$scen_out") -eq 1 ]'
run=$(last_run)
t "sql-row-format: the backup was taken first" 'stepstate "$run" backup done'
t "sql-row-format: 5 statements applied, then the 6th (CREATE TABLE kg_data_source) failed with 1709" \
	'[ $(grep -c "\"t\":\"stmt_done\"" "$run/journal.jsonl") -eq 5 ] && grep -q "\"t\":\"stmt_failed\",.*\"index\":6,\"code\":1709" "$run/journal.jsonl"'
t "sql-row-format: the error is the 767-byte limit, at line 113 (kg_data_source)" \
	'grep -aq "upgrade-0.5.1-to-0.6.sql line 113: ERROR 1709 (HY000): Index column size too large. The maximum column size is 767 bytes" "$run/run.log"'
t "sql-row-format: sql-apply failed and the run went no further" \
	'stepstate "$run" sql-apply failed && ! stepstate "$run" compose-file running'
t "sql-row-format: no statement skipped" '! grep -q "\"t\":\"stmt_skipped\"" "$run/journal.jsonl"'

# 3. The compose file curled from master: its SHA-256 is not the v0.6 file's; nothing installed.
run_scenario compose-from-master 1
run=$(last_run)
sha=$(sed -n 's/^  COMPOSE_SHA256: //p' "$world/world.yaml")
t "compose-from-master: the database upgrade was done (18 statements)" \
	'stepstate "$run" sql-apply done && [ $(grep -c "\"t\":\"stmt_done\"" "$run/journal.jsonl") -eq 18 ]'
t "compose-from-master: the SHA-256 check failed against the v0.6 checksum" \
	'[ -n "$sha" ] && grep "\"step\":\"compose-file\",\"key\":\"sha256\"" "$run/events.jsonl" | grep "\"status\":\"fail\"" | grep -q "expected $sha"'
t "compose-from-master: compose-file failed, no file installed, no docker step run" \
	'stepstate "$run" compose-file failed && ! grep -q "\"t\":\"file_added\"" "$run/journal.jsonl" && ! stepstate "$run" pin-images running && ! stepstate "$run" replace-server running'
finish
