#!/usr/bin/env bash
# Disk full while the backup is written (the fault seam: UPWIZ_FAULT=dump:N gives ENOSPC at the
# Nth chunk of the dump, tarball:N in the conf tarball): the backup is never marked verified, the
# SQL apply stays locked (no statement is sent), nothing is lost (the database and the conf are as
# they were), and once there is room again a resumed run takes a verified backup and goes on.
. "$(dirname "$0")/lib.sh"
sf_world
sf_dump "$T/before.txt"
conf_sum() { (cd "$ROOT/linkis/conf" && find . -type f -exec sha256sum {} + | sort); }
conf_sum > "$T/conf.before"
sf_answers "$T/a.yaml" 'precautions: "yes"' 'env-check: "yes"' 'clear-tables: "1"' 'backup: "yes"' 'sql-apply: "yes"'
echo 'resume: yes' >> "$T/a.yaml"

for fault in dump:2 tarball:1; do
	rm -rf "$T/state"
	UPWIZ_FAULT=$fault sf_run --answers "$T/a.yaml" > "$T/o" 2>&1; rc=$?; out=$(cat "$T/o")
	j=$SF_RUN/journal.jsonl
	echo "$out" | grep -iE "no space|ENOSPC|fail " | head -3
	t "$fault: the run stops (exit 1)" '[ $rc -eq 1 ]'
	t "$fault: the error says the disk is full" 'grep -qi "no space left on device" <<<"$out"'
	t "$fault: the backup is not verified" '! grep -q "\"t\":\"step_done\",\"ts\":[0-9.]*,\"step\":\"backup\"" "$j"'
	[ "$fault" = dump:2 ] && t "$fault: no database backup record" '! grep -q "\"kind\":\"database\"" "$j"'
	[ "$fault" = tarball:1 ] && t "$fault: no folder backup record" '! grep -q "\"kind\":\"folder\"" "$j"'
	t "$fault: no statement was sent" '! grep -q "\"t\":\"stmt_begin\"" "$j"'
	t "$fault: no partial backup file is left" '[ -z "$(find "$ROOT/backups" -name "*.partial")" ]'
	# The operator skips the failed backup: the SQL apply must still refuse to run without the typed acknowledgement.
	sed 's/^answers:$/answers:\n  backup.failed: skip/' "$T/a.yaml" > "$T/skip.yaml"
	rm -rf "$T/state"
	UPWIZ_FAULT=$fault sf_run --answers "$T/skip.yaml" > "$T/o" 2>&1; rc=$?; out=$(cat "$T/o")
	j=$SF_RUN/journal.jsonl
	t "$fault: after skipping the backup, the SQL apply asks for the acknowledgement" 'grep -q "no answer for .sql-apply.no-backup." <<<"$out"'
	t "$fault: and sends nothing without it" '[ $rc -eq 1 ] && ! grep -q "\"t\":\"stmt_begin\"" "$j"'
	sf_dump "$T/after.txt"
	t "$fault: the database is unchanged" 'cmp -s "$T/before.txt" "$T/after.txt"'
	t "$fault: the conf folder is unchanged" 'conf_sum | cmp -s - "$T/conf.before"'
done
# Room again: the resumed run takes the backup, verified, then applies.
sf_run --answers "$T/a.yaml" > "$T/o" 2>&1; rc=$?; out=$(cat "$T/o")
j=$SF_RUN/journal.jsonl
t "with room again the backup is taken and verified" 'grep -q "\"kind\":\"database\".*\"verified\":true" "$j" && grep -q "\"kind\":\"folder\".*\"verified\":true" "$j"'
t "and the SQL apply runs" 'grep -q "\"t\":\"step_done\",\"ts\":[0-9.]*,\"step\":\"sql-apply\"" "$j"'
sf_end
