#!/usr/bin/env bash
# Values a finished step captured (a check's match, a command's output) survive a resume: the
# step is skipped, so the values come back from the journal's var_value records. Without them a
# resumed Kyligence upgrade would lose FROM_VERSION, MAJOR_UPGRADE, META_BACKUP, UNPACK_HOME.
# The run fails at its third step (fault seam step-use:1), the resume skips the first two and the
# third step must see both values.
set -u
bin=${UPWIZ_BIN:?}
fail=0; pass=0
t() { if eval "$2"; then pass=$((pass+1)); else echo "FAIL: $1"; fail=$((fail+1)); fi; }
tmp=$(mktemp -d /tmp/upwiz-rv.XXXXXX); trap "rm -rf $tmp" EXIT

cat > "$tmp/p.yaml" <<Y
id: resume-vars
title: Resume keeps captured values
from: "1"
to: "2"
target: "resume-vars in $tmp"
steps:
  - id: detect
    title: Detect
    screen: envcheck
    checks:
      - name: "Installed version"
        command: "echo version 3.4.1"
        match: "version ([0-9.]+)"
        capture: FROM_VERSION
  - id: backup
    title: Backup
    screen: command
    commands:
      - title: "Back up"
        run: "echo backed up to $tmp/meta_backup_$RANDOM"
        capture: META_BACKUP
        capture_match: "backed up to (.+)$"
  - id: use
    title: Use
    screen: command
    commands:
      - title: "Use both"
        run: "echo from=\${FROM_VERSION} backup=\${META_BACKUP} > $tmp/used.txt"
Y
cat > "$tmp/a.yaml" <<'A'
vars: {}
answers: { detect: "yes", backup: "yes", use: "yes" }
resume: yes
A
"$bin" check "$tmp/p.yaml" >/dev/null || { "$bin" check "$tmp/p.yaml"; exit 1; }
XDG_STATE_HOME=$tmp/state UPWIZ_FAULT=step-use:1 "$bin" run "$tmp/p.yaml" --plain --answers "$tmp/a.yaml" </dev/null >"$tmp/r1.out" 2>&1
rc=$?
t "the first run fails at the third step" '[ $rc -ne 0 ] && [ ! -e "$tmp/used.txt" ]'
first=$(grep -oE 'backed up to [^ "]+' "$tmp/r1.out" | head -1 | cut -d" " -f4)
j1=$(ls -d "$tmp"/state/upwiz/runs/*/ | head -1)journal.jsonl
t "the captured values are journaled with their step" 'grep -q "\"t\":\"var_value\".*\"step\":\"detect\".*\"name\":\"FROM_VERSION\",\"value\":\"3.4.1\"" "$j1" &&
	grep -q "\"t\":\"var_value\".*\"step\":\"backup\".*\"name\":\"META_BACKUP\"" "$j1"'
t "only what a step changed is journaled (not the run's own variables)" '[ "$(grep -c "\"t\":\"var_value\"" "$j1")" -eq 2 ]'

XDG_STATE_HOME=$tmp/state "$bin" run "$tmp/p.yaml" --plain --answers "$tmp/a.yaml" </dev/null >"$tmp/r2.out" 2>&1
rc=$?
t "the resume succeeds" '[ $rc -eq 0 ] || { tail -15 "$tmp/r2.out"; false; }'
t "the resume skipped the finished steps" '[ "$(grep -c "backed up to" "$tmp/r2.out")" -eq 0 ]'
t "the third step saw both values from the first run" 'grep -qxF "from=3.4.1 backup=$first" "$tmp/used.txt" || { cat "$tmp/used.txt"; false; }'
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
