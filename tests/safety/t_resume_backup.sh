#!/usr/bin/env bash
# Resume trusts an interrupted run's backup only while it is still what was verified
# (core/engine.c adopt_backup): the engine is killed in the SQL apply, then
#   1. resumed as is: the dump's SHA-256 is checked again, the backup step is not run again;
#   2. killed again, the dump deleted, resumed: the log says the backup is gone, the backup step
#      runs again and writes a new verified dump before the SQL apply goes on;
#   3. killed again, the dump changed by one byte, resumed: the same.
. "$(dirname "$0")/lib.sh"

sf_world
sf_answers "$T/a.yaml" 'precautions: "yes"' 'env-check: "yes"' 'clear-tables: "1"' 'backup: "yes"' 'sql-apply: "yes"'
echo 'resume: yes' >> "$T/a.yaml"
new_backups() { grep -v adopted_from "$(sf_last_run)/journal.jsonl" | grep -c '"t":"backup"'; }
dump_of() { grep -v adopted_from "$1/journal.jsonl" | grep '"t":"backup"' | grep '"kind":"database"' | grep -oE '"path":"[^"]*"' | head -1 | cut -d'"' -f4; }

UPWIZ_FAULT=stmt_begin:2:kill sf_run --answers "$T/a.yaml" > "$T/r1.out" 2>&1
R1=$(sf_last_run)
D1=$(dump_of "$R1")
t "the first run verified a database dump and died in the SQL apply" '[ -n "$D1" ] && [ -f "$D1" ] && ! grep -q "\"t\":\"finished\"" "$R1/journal.jsonl"'

UPWIZ_FAULT=stmt_begin:2:kill sf_run --answers "$T/a.yaml" > "$T/r2.out" 2>&1
R2=$(sf_last_run)
t "resume 1: the dump is checked again and still counts" 'grep -q "backup of the interrupted run is still as verified" "$R2/events.jsonl"'
t "resume 1: the backup step is not run again" '[ "$(new_backups)" -eq 0 ]'

rm -f "$D1"
UPWIZ_FAULT=stmt_begin:2:kill sf_run --answers "$T/a.yaml" > "$T/r3.out" 2>&1
R3=$(sf_last_run)
t "resume 2: the log says the dump is gone" 'grep -q "backup of the interrupted run is gone" "$R3/events.jsonl"'
t "resume 2: the backup step runs again" 'grep -q "step backup runs again" "$R3/events.jsonl" && [ "$(new_backups)" -ge 1 ]'
D3=$(dump_of "$R3")
t "resume 2: a new verified dump exists before the SQL apply" '[ -n "$D3" ] && [ -f "$D3" ] &&
	awk "/\"t\":\"backup\"/ && !/adopted_from/ {b=NR} /\"t\":\"stmt_begin\"/ && !/adopted_from/ && !s {s=NR} END {exit !(b && s && b < s)}" "$R3/journal.jsonl"'

printf 'x' >> "$D3"
sf_run --answers "$T/a.yaml" > "$T/r4.out" 2>&1
R4=$(sf_last_run)
t "resume 3: a changed dump does not count" 'grep -q "backup of the interrupted run changed since it was verified" "$R4/events.jsonl"'
t "resume 3: the backup step runs again" '[ "$(new_backups)" -ge 1 ]'
t "resume 3: the SQL apply completes" 'grep -q "\"t\":\"step_done\",\"ts\":[0-9.]*,\"step\":\"sql-apply\"}" "$R4/journal.jsonl"'
sf_san
t "no sanitizer report from any engine" '[ $SF_SAN -eq 0 ]'
sf_end
