#!/usr/bin/env bash
# The Kyligence Enterprise 3.x profile, unattended, on its sandbox world (KE 3.3.1 running,
# 3.4.5 package downloaded; a major upgrade):
#   1. `upwiz sandbox ... --plain --golden` succeeds: the REST API confirmed no running job, no
#      Kylin process was left after kylin.sh stop, the metadata backup folder was captured, the
#      HDFS space compared and the working dir copied, upgrade.sh's y/n questions were answered
#      on its terminal (journaled), the new version runs and answers REST queries;
#   2. the guide's roll-back path, chosen with its typed confirmation, brings back the old
#      install folder, the metadata and the cube data, and starts the old version;
#   3. the administrator password never reaches a file the runs wrote nor the terminal.
set -u
bin=${UPWIZ_BIN:?}
src=${UPWIZ_SOURCE_DIR:?}
export XDG_STATE_HOME=$(mktemp -d)
trap 'for r in "$XDG_STATE_HOME"/upwiz/runs/*/sandbox; do [ -x "$r/opt/kylin/bin/kylin.sh" ] && bash "$r/opt/kylin/bin/kylin.sh" stop >/dev/null 2>&1; done; rm -rf "$XDG_STATE_HOME"' EXIT
fail=0; pass=0
t() { if eval "$2"; then pass=$((pass+1)); else echo "FAIL: $1"; fail=$((fail+1)); fi; }

out=$(timeout 600 "$bin" sandbox kyligence-enterprise-3 --plain --golden --keep </dev/null 2>&1); rc=$?
echo "$out" | tail -12
t "golden sandbox run exits 0" '[ $rc -eq 0 ]'
run=$(ls -d "$XDG_STATE_HOME"/upwiz/runs/* | head -1)
root="$run/sandbox"
for step in precautions versions jobs environment stop stopped backup-metadata hdfs-space backup-hdfs unpack upgrade major-notes start verify manual-checks outcome delete-backups; do
	t "step $step done" 'grep -q "\"t\":\"step\",\"id\":\"'$step'\",\"state\":\"done\"" "$run/events.jsonl"'
done
t "jobs confirmed by the REST API (the manual confirmation skipped)" 'grep -q "\"t\":\"step\",\"id\":\"jobs-confirm\",\"state\":\"skipped\"" "$run/events.jsonl"'
t "versions read: 3.3.1 -> 3.4.5, a major upgrade" 'grep -q "3.3.1.2050 != 3.4.5.2112 (first numbers): yes" "$run/events.jsonl"'
t "no Kylin process left after stop" 'grep -q "no process matches" "$run/events.jsonl"'
t "metadata backup folder captured" 'grep -qE "META_BACKUP = .*/meta_backups/meta_[0-9_]+" "$run/run.log"'
t "the plan shows known values and keeps a value captured later as \${NAME}" \
	'grep -qF "$ d=$root/backups; mkdir -p \"\$d\" && cp -a \${META_BACKUP} \"\$d/\"" <<<"$out"'
t "and kept outside KYLIN_HOME (upgrade.sh deletes the old home)" 'grep -qE "META_BACKUP = .*/backups/meta_[0-9_]+" "$run/run.log" && ls -d "$root"/backups/meta_* >/dev/null'
t "HDFS space compared as sizes" 'grep -qE "Enough room for the copy\",\"status\":\"pass\",\"detail\":\"[0-9.]+ G >= [0-9.]+ K" "$run/events.jsonl"'
t "cube data copied with distcp" '[ -f "$root/hdfs/kylin_temp/learn_kylin/cube_segment_0.parquet.txt" ]'
t "upgrade.sh questions answered on its terminal (5 or more)" '[ $(grep -c "\"t\":\"pty_answer\"" "$run/journal.jsonl") -ge 5 ]'
t "upgrade.sh made the old home's tarball" 'ls "$root"/opt/kylin_[0-9]*.tar.gz >/dev/null 2>&1'
t "KYLIN_HOME holds 3.4.5 with the old conf" 'grep -q 3.4.5 "$root/opt/kylin/VERSION" && grep -q "hdfs://sandbox-nn:8020/kylin" "$root/opt/kylin/conf/kylin.properties"'
t "login and query checked over REST" 'grep -q "Login (REST)\",\"status\":\"pass\"" "$run/events.jsonl" && grep -q "A query answers (REST)\",\"status\":\"pass\"" "$run/events.jsonl"'
t "unattended: optional backup deletions not run" 'ls -d "$root"/backups/meta_* >/dev/null && [ -d "$root/hdfs/kylin_temp" ] && grep -q "optional, not run" "$run/run.log"'
pw=$(cat "$root/sim/kylin/state/password" 2>/dev/null)
b64=$(sed -n 's/^Basic //p' "$root/sim/kylin/state/auth.txt" 2>/dev/null)
[ -x "$root/opt/kylin/bin/kylin.sh" ] && bash "$root/opt/kylin/bin/kylin.sh" stop >/dev/null 2>&1
out1=$out

# ---- 2. the roll-back path
ans="$XDG_STATE_HOME/rollback.yaml"
{ sed -e 's/^  outcome: keep/  outcome: rollback/' -e '/delete-backups/d' "$src/assets/kyligence-enterprise-3/world/golden.yaml"
  echo '  outcome.confirm: "roll back"'
  echo '  rollback-stop: "yes"'
  echo '  rollback-stopped: "yes"'
  echo '  rollback-restore: "yes"'
  echo '  rollback-restore.3: "yes"'; } > "$ans"
out=$(timeout 600 "$bin" sandbox kyligence-enterprise-3 --plain --answers "$ans" --keep </dev/null 2>&1); rc=$?
echo "$out" | tail -5
run2=$(ls -td "$XDG_STATE_HOME"/upwiz/runs/* | head -1)
root2="$run2/sandbox"
t "roll-back run exits 0" '[ $rc -eq 0 ]'
for step in rollback-stop rollback-stopped rollback-restore; do
	t "step $step done" 'grep -q "\"t\":\"step\",\"id\":\"'$step'\",\"state\":\"done\"" "$run2/events.jsonl"'
done
t "delete-backups skipped on a roll-back" 'grep -q "\"t\":\"step\",\"id\":\"delete-backups\",\"state\":\"skipped\"" "$run2/events.jsonl"'
t "the old version is back in KYLIN_HOME" 'grep -q 3.3.1 "$root2/opt/kylin/VERSION"'
t "the metadata was restored from the backup" 'grep -q "metadata store restored from" "$run2/run.log"'
t "the cube data was copied back" '[ -f "$root2/hdfs/kylin/learn_kylin/cube_segment_0.parquet.txt" ]'
t "the old version was started again" 'grep -q "\[rollback-restore\] \[pass\] kylin.sh start" "$run2/run.log"'
pw2=$(cat "$root2/sim/kylin/state/password" 2>/dev/null)
[ -x "$root2/opt/kylin/bin/kylin.sh" ] && bash "$root2/opt/kylin/bin/kylin.sh" stop >/dev/null 2>&1

# ---- 2b. the script's questions answered "n" from the answers file (STEP.cmdN.pK): the answer
#      reaches its terminal, it skips the install, and the step fails on its "[SKIP]"
ans="$XDG_STATE_HOME/no.yaml"
{ cat "$src/assets/kyligence-enterprise-3/world/golden.yaml"; echo '  upgrade.cmd1.p1: "n"'; } > "$ans"
out=$(timeout 600 "$bin" sandbox kyligence-enterprise-3 --plain --answers "$ans" --keep </dev/null 2>&1); rc=$?
run3=$(ls -td "$XDG_STATE_HOME"/upwiz/runs/* | head -1)
t "answering n: the run fails in the upgrade step" '[ $rc -eq 1 ] && grep -q "\"t\":\"step\",\"id\":\"upgrade\",\"state\":\"failed\"" "$run3/events.jsonl"'
t "the answers file's n reached the script" 'grep -qF "answering \"n\" (answers file)" "$run3/run.log" && grep -qF "(y/n) > n" "$run3/run.log"'
t "the install was skipped: KYLIN_HOME still 3.3.1" 'grep -q 3.3.1 "$run3/sandbox/opt/kylin/VERSION"'
pw3=$(cat "$run3/sandbox/sim/kylin/state/password" 2>/dev/null)
out1="$out1$out"

# ---- 3. secrets
t "found the secrets to look for" '[ -n "$pw" ] && [ -n "$b64" ] && [ -n "$pw2" ]'
leaks=0
for s in "$pw" "$b64" "$pw2" "$pw3"; do
	for f in "$run"/*.jsonl "$run"/run.log "$run"/run.json "$run2"/*.jsonl "$run2"/run.log "$run2"/run.json "$run3"/*.jsonl "$run3"/run.log; do
		[ -f "$f" ] && grep -qF -- "$s" "$f" && { echo "LEAK of ${s:0:4}... in $f"; leaks=$((leaks+1)); }
	done
	grep -qF -- "$s" <<<"$out1$out" && { echo "LEAK on the terminal"; leaks=$((leaks+1)); }
done
t "no secret in any file the runs wrote nor on the terminal" '[ $leaks -eq 0 ]'
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
