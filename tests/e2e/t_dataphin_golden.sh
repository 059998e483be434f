#!/usr/bin/env bash
# The Dataphin downtime / semi-downtime profile on its sandbox world (a simulated Dataphin
# console on a loopback port of its own):
#   1. `upwiz sandbox dataphin-downtime --plain --golden` succeeds: semi-downtime offered and
#      recommended (V5.1.2 -> V5.2.0), every stage ticked with its time (journal + report), the
#      notes and the numbers entered journaled, the console checked after maintenance mode, the
#      instance counts compared; state files 0600; the profile declares no secret and no file
#      the run wrote holds anything that looks like a password;
#   2. a recent count far from the 7-day average: the run goes on, the deviation is flagged;
#   3. current V5.0.3: semi-downtime is not offered, downtime is recommended; a stage that did not
#      complete shows the guide's Stop / Force stop consequences and the run stops when told to;
#   4. same first three digits (V5.2.0 -> V5.2.0.3): downtime recommended, semi-downtime offered;
#   5. the whole downtime path on that world (RDS): every stage ticked, "To be generated" and NA
#      flagged without stopping the run.
set -u
bin=${UPWIZ_BIN:?}
src=${UPWIZ_SOURCE_DIR:?}
command -v python3 >/dev/null || { echo "skipped: python3 (used to read the event stream) not installed"; exit 77; }
export XDG_STATE_HOME=$(mktemp -d)
tmp=$(mktemp -d)
trap 'rm -rf "$XDG_STATE_HOME" "$tmp"' EXIT
fail=0; pass=0
t() { if eval "$2"; then pass=$((pass+1)); else echo "FAIL: $1"; fail=$((fail+1)); fi; }
newest() { ls -dt "$XDG_STATE_HOME"/upwiz/runs/* | head -1; }
# the options of question $2 in run $1, as "key:label" lines
options() { python3 - "$1/events.jsonl" "$2" <<'P'
import json, sys
for l in open(sys.argv[1]):
    e = json.loads(l)
    if e.get("t") == "ask" and e.get("qid") == sys.argv[2]:
        for o in e["options"]:
            print(o["key"] + ":" + o["label"])
        break
P
}
world_copy() {   # dir current target: a copy of profile and world with other versions
	mkdir -p "$1/profiles" "$1/assets"
	cp "$src/profiles/dataphin-downtime.yaml" "$1/profiles/"
	cp -a "$src/assets/dataphin-downtime" "$1/assets/"
	sed -i "s/^  CURRENT_VERSION: .*/  CURRENT_VERSION: $2/; s/^  TARGET_VERSION: .*/  TARGET_VERSION: $3/" "$1/assets/dataphin-downtime/world/world.yaml"
}

# 1. golden
out=$(timeout 300 "$bin" sandbox dataphin-downtime --plain --golden </dev/null 2>&1); rc=$?
echo "$out" | sed -n '/What was done/,$p' | head -40
t "golden sandbox run exits 0" '[ $rc -eq 0 ]'
run=$(newest)
for step in precautions version-check mode database-kind select-version semi-stages verify failed-instances complete; do
	t "step $step done" 'grep -q "\"t\":\"step\",\"id\":\"'$step'\",\"state\":\"done\"" "$run/events.jsonl"'
done
t "downtime stages skipped in semi-downtime mode" 'grep -q "\"t\":\"step\",\"id\":\"downtime-stages\",\"state\":\"skipped\"" "$run/events.jsonl"'
opts=$(options "$run" mode)
t "semi-downtime offered and recommended ($opts)" 'grep -q "^semi:Semi-downtime upgrade (recommended)$" <<<"$opts"'
t "downtime offered, not recommended" 'grep -qx "downtime:Downtime upgrade" <<<"$opts"'
n=$(grep -c "\"t\":\"checklist\"" "$run/journal.jsonl")
t "every ticked stage journaled with its time (got $n, want 17)" '[ "$n" -eq 17 ]'
t "journal entries carry an ISO time" '! grep "\"t\":\"checklist\"" "$run/journal.jsonl" | grep -vq "\"at\":\"20[0-9][0-9]-[0-9][0-9]-[0-9][0-9]T"'
t "the note is journaled with its stage" 'grep "\"t\":\"checklist\"" "$run/journal.jsonl" | grep -q "all applications started in 27 minutes"'
t "the numbers entered are journaled" 'grep -q "\"t\":\"input\".*\"1,180\"" "$run/journal.jsonl" && grep -q "\"t\":\"input\".*\"1203.5\"" "$run/journal.jsonl"'
t "the report has the maintenance-mode time and note" 'grep -qE "20[0-9-]+T[0-9:]+Z  select-version: Select the risk declaration and click Enter Upgrade Maintenance Mode -- upgrade record created" <<<"$out"'
t "the report has the exit-maintenance time" 'grep -qE "T[0-9:]+Z  semi-stages: Click Exit Upgrade Maintenance Mode" <<<"$out"'
t "the report has the completion time" 'grep -qE "T[0-9:]+Z  complete: Click Complete" <<<"$out"'
t "the report has the comparison" 'grep -q "Recent count close to the 7-day average: 1,180 vs 1203.5: -2.0%: within the rule" <<<"$out"'
t "the console check after leaving maintenance mode ran" 'grep -q "Dataphin answers again: HTTP 200" "$run/events.jsonl"'
t "the RDS item was not asked (self-managed PostgreSQL)" '! grep -q "\"qid\":\"semi-stages.rds-backup\"" "$run/events.jsonl"'
t "state files are 0600" '[ "$(stat -c %a "$run/journal.jsonl")" = 600 ] && [ "$(stat -c %a "$run/events.jsonl")" = 600 ] && [ "$(stat -c %a "$run/run.log")" = 600 ]'
t "the profile declares no secret (the console password stays in the browser)" '! grep -qE "type: *secret|secret: *(yes|true)" "$src/profiles/dataphin-downtime.yaml"'
t "no password-like value in any file the run wrote" '! grep -qiE "password\"?[=:] *\"?[^\"* ]{4,}" "$run"/*.jsonl "$run"/run.log'

# 2. a deviation from the 7-day average
sed 's/^  verify.recent: .*/  verify.recent: "700"/' "$src/assets/dataphin-downtime/world/golden.yaml" > "$tmp/dev.yaml"
out=$(timeout 300 "$bin" sandbox dataphin-downtime --plain --answers "$tmp/dev.yaml" </dev/null 2>&1); rc=$?
run=$(newest)
t "deviation: the run still completes (exit 0)" '[ $rc -eq 0 ]'
t "deviation: flagged in the verify step" 'grep -q "\"status\":\"warn\",\"detail\":\"700 vs 1203.5: -41.8%: a deviation from the 7-day average" "$run/events.jsonl"'
t "deviation: flagged in the report" 'grep -q "700 vs 1203.5: -41.8%: DEVIATION, flagged" <<<"$out"'

# 3. current V5.0.3: downtime only; a stage that did not complete
world_copy "$tmp/old" V5.0.3 V5.2.0
cat > "$tmp/old.yaml" <<'Y'
vars: {}
answers:
  precautions: "yes"
  version-check: "yes"
  mode: downtime
  database-kind: rds
  select-version.logon: done
  select-version.open: done
  select-version.target: done
  select-version.config: done
  select-version.mode: done
  select-version.announcement: done
  select-version.maintenance: done
  downtime-stages.force-stop-tasks: failed
  downtime-stages.force-stop-tasks.failed: abort
Y
out=$(timeout 300 "$bin" sandbox "$tmp/old/profiles/dataphin-downtime.yaml" --plain --answers "$tmp/old.yaml" </dev/null 2>&1); rc=$?
run=$(newest)
opts=$(options "$run" mode)
t "V5.0.3: semi-downtime not offered ($opts)" '! grep -q "^semi:" <<<"$opts"'
t "V5.0.3: downtime recommended" 'grep -qx "downtime:Downtime upgrade (recommended)" <<<"$opts"'
t "V5.0.3: the version check warns that semi-downtime needs V5.1.1" 'grep -q "before V5.1.1 only downtime" "$run/events.jsonl"'
t "stage not completed: the run stops (exit 1)" '[ $rc -eq 1 ]'
t "stage not completed: says a plain stop is still possible before the shutdown" 'grep -q "You may still STOP the upgrade now" <<<"$out"'
t "stage not completed: journaled with its time" 'grep -q "\"t\":\"checklist_failed\".*\"at\":\"20" "$run/journal.jsonl"'
t "stage not completed: in the report" 'grep -q "downtime-stages: Force stop running tasks.*did NOT complete" <<<"$out"'
t "stage not completed: nothing after it was asked" '! grep -q "\"qid\":\"downtime-stages.shutdown\"" "$run/events.jsonl"'

# 4. same first three digits
world_copy "$tmp/same" V5.2.0 V5.2.0.3
printf 'vars: {}\nanswers:\n  precautions: "yes"\n  version-check: "yes"\n  mode: other\n' > "$tmp/same.yaml"
out=$(timeout 300 "$bin" sandbox "$tmp/same/profiles/dataphin-downtime.yaml" --plain --answers "$tmp/same.yaml" </dev/null 2>&1); rc=$?
run=$(newest)
opts=$(options "$run" mode)
t "same three digits: downtime recommended ($opts)" 'grep -qx "downtime:Downtime upgrade (recommended)" <<<"$opts"'
t "same three digits: semi-downtime offered without the recommendation" 'grep -qx "semi:Semi-downtime upgrade" <<<"$opts"'
t "exit option: the run ends without a change (exit 1, aborted)" '[ $rc -eq 1 ] && grep -q "\"outcome\":\"aborted\"" "$run/journal.jsonl"'
# 5. the whole downtime path (same three digits, RDS): every downtime stage ticked, the console
#    checked after the data update ends maintenance mode
cat > "$tmp/dt.yaml" <<'Y'
vars: {}
answers:
  precautions: "yes"
  version-check: "yes"
  mode: downtime
  database-kind: rds
  select-version.logon: done
  select-version.open: done
  select-version.target: done
  select-version.config: done
  select-version.mode: done
  select-version.announcement: done
  select-version.maintenance: done
  downtime-stages.force-stop-tasks: done
  downtime-stages.shutdown: done
  downtime-stages.rds-backup: done
  downtime-stages.rds-backup.note: "RDS snapshot rds-20261123-01"
  downtime-stages.app-upgrade: done
  downtime-stages.rerun: done
  downtime-stages.data-update: done
  verify.recent: "To be generated"
  verify.recent-date: "2026-11-22"
  verify.average: "NA"
  verify: "yes"
  failed-instances.status: done
  failed-instances.monitor: done
  failed-instances.rerun: done
  failed-instances.logs: done
  complete.complete: done
Y
out=$(timeout 300 "$bin" sandbox "$tmp/same/profiles/dataphin-downtime.yaml" --plain --answers "$tmp/dt.yaml" </dev/null 2>&1); rc=$?
run=$(newest)
t "downtime path: exit 0" '[ $rc -eq 0 ] || { echo "$out" | tail -20; false; }'
t "downtime path: semi-downtime stages skipped" 'grep -q "\"t\":\"step\",\"id\":\"semi-stages\",\"state\":\"skipped\"" "$run/events.jsonl"'
t "downtime path: six stages ticked (the PostgreSQL backup does not apply)" '[ $(grep "\"t\":\"checklist\"" "$run/journal.jsonl" | grep -c "\"step\":\"downtime-stages\"") -eq 6 ]'
t "downtime path: the RDS note is in the report" 'grep -q "downtime-stages: Database Backup: Go to RDS Backup.* -- RDS snapshot rds-20261123-01" <<<"$out"'
t "downtime path: the console answered after the data update" 'grep -q "Data update: keep .*Dataphin answers again: HTTP 200" "$run/events.jsonl"'
t "downtime path: no instances yet and NA are flagged, not fatal" 'grep -q "To be generated: no instances yet" "$run/events.jsonl" && grep -q "cannot compare with .*NA.* (not a number)" "$run/events.jsonl"'
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
