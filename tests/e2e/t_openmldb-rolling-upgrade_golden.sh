#!/usr/bin/env bash
# The OpenMLDB rolling-upgrade profile, unattended, on its sandbox world (three "hosts" behind a
# stand-in ssh, simulated start.sh and openmldb_ops.py that exit 0 on failure):
#   1. `upwiz sandbox ... --plain --golden` succeeds; every loop iteration is journaled on its
#      own; every host ends on the new version with its old bin backed up;
#   2. a failure the vendor script only prints (start.sh "failed!", exit 0) fails the step, at
#      the right tablet;
#   3. the run resumed after the fault is gone continues at that tablet and at the command that
#      failed (pre-upgrade is not run twice), and succeeds;
#   4. no key material in anything the run wrote.
set -u
bin=${UPWIZ_BIN:?}
src=${UPWIZ_SOURCE_DIR:?}
command -v python3 >/dev/null || { echo "skipped: python3 (the simulated vendor tools) not installed"; exit 77; }
py=/usr/bin/python3; [ -x "$py" ] || py=python3   # not a pyenv shim: it starts in a tenth of the time
export XDG_STATE_HOME=$(mktemp -d)
trap 'rm -rf "$XDG_STATE_HOME"' EXIT
fail=0; pass=0
t() { if eval "$2"; then pass=$((pass+1)); else echo "FAIL: $1"; fail=$((fail+1)); fi; }

# ---- 1. the golden run
out=$(timeout 600 "$bin" sandbox openmldb-rolling-upgrade --plain --golden --keep </dev/null 2>&1); rc=$?
echo "$out" | tail -15
t "golden sandbox run exits 0" '[ $rc -eq 0 ]'
run=$(ls -d "$XDG_STATE_HOME"/upwiz/runs/* | head -1)
root="$run/sandbox"
t "journal records the finished success" 'grep -q "\"outcome\":\"success\"" "$run/journal.jsonl"'
for step in precautions writes hosts cluster-before nameservers tablets taskmanagers apiservers resume-writes cluster-after verify sdk; do
	t "step $step done" 'grep -q "\"t\":\"step\",\"id\":\"'$step'\",\"state\":\"done\"" "$run/events.jsonl"'
done
n() { grep -c "\"t\":\"iter_done\".*\"step\":\"$1\"" "$run/journal.jsonl"; }
t "hosts: 3 iterations journaled" '[ $(n hosts) -eq 3 ]'
t "nameservers: 2 iterations journaled" '[ $(n nameservers) -eq 2 ]'
t "tablets: 3 iterations journaled" '[ $(n tablets) -eq 3 ]'
t "taskmanager and apiserver: 1 iteration each" '[ $(n taskmanagers) -eq 1 ] && [ $(n apiservers) -eq 1 ]'
t "each host's checks are its own items (not replacing the previous host's)" 'grep -q "\"key\":\"i3.check2\"" "$run/events.jsonl"'
t "the plain front end prints each host's checks" '[ $(echo "$out" | grep -c "ok   Installed version") -eq 3 ]'
t "run.log says what was answered, and who answered" 'grep -q "\[writes\] answered .* (answers file): " "$run/run.log"'
t "run.log repeats outcomes and notes, not plans" '! grep -q "\[todo\]" "$run/run.log" && grep -q "\[precautions\] Rehearse on a test cluster" "$run/run.log"'
t "command titles name the loop's endpoint (no \${...} left)" 'grep -qF "[pass] pre-upgrade: move the leaders off 172.24.4.40:10921" "$run/run.log" && ! grep -qF "\${TABLET_ENDPOINT}" "$run/events.jsonl"'
t "a reads_only step is no point of no return; the nameservers are" 'grep -q "\"id\":\"cluster-before\",\"state\":\"running\".*\"reversible\":true" "$run/events.jsonl" && grep -q "\"id\":\"nameservers\",\"state\":\"running\".*\"reversible\":false" "$run/events.jsonl"'
t "the rail note names the iteration" 'grep -q "\"state\":\"running\",\"note\":\"2/3 node2=172.24.4.40:10921\"" "$run/events.jsonl"'
t "commands ran on the hosts through ssh in batch mode" 'grep -q "ssh -o BatchMode=yes" "$run/run.log" || grep -q "\[node3\] bash" "$run/run.log"'
t "auto_failover read from the CLI output" 'grep -q "AUTO_FAILOVER = false" "$run/run.log"'
t "recoverdata ran for each tablet (auto_failover off)" '[ $(grep -c "cmd=recoverdata" "$run/run.log") -ge 3 ]'
for h in node1 node2 node3; do
	t "$h runs 0.9.3 now" '"$root/hosts/'$h'/openmldb/bin/openmldb" --version | grep -q "version 0.9.3"'
	t "$h kept its 0.8.5 bin as bin.bak-0.8.5" '"$root/hosts/'$h'/openmldb/bin.bak-0.8.5/openmldb" --version | grep -q "version 0.8.5"'
done
t "every component up at 0.9.3" '[ $(cat "$root"/cluster/up/* | grep -c 0.9.3) -eq 7 ]'
t "taskmanager folder replaced and backed up" '[ -f "$root/hosts/node2/openmldb/taskmanager/lib/openmldb-batchjob-0.9.3.jar.txt" ] && [ -f "$root/hosts/node2/openmldb/taskmanager.bak-0.8.5/lib/openmldb-batchjob-0.8.5.jar.txt" ]'

# ---- 2. a failure only printed: not the sandbox (the world is a copy the test can break)
w="$XDG_STATE_HOME/world"
cp -a "$src/assets/openmldb-rolling-upgrade/world/tree" "$w"
mkdir -p "$w/cluster/fail" && : > "$w/cluster/fail/start-node2.tablet"
cat > "$XDG_STATE_HOME/answers.yaml" <<Y
vars:
  ALL_HOSTS: "node1 node2 node3"
  NAMESERVERS: "node1=172.24.4.39:7527 node2=172.24.4.40:7527"
  TABLETS: "node1=172.24.4.39:10921 node2=172.24.4.40:10921 node3=172.24.4.56:10921"
  TASKMANAGERS: "node2"
  APISERVERS: "node1"
  OPS_HOST: node1
  OPENMLDB_HOME: openmldb
  NEW_HOME: openmldb-0.9.3
  ZK_CLUSTER: "172.24.4.40:30481"
  ZK_ROOT: /openmldb
  PYTHON: $py
answers:
$(sed -n 's/^  \([a-z].*\)/  \1/p' "$src/assets/openmldb-rolling-upgrade/world/golden.yaml")
resume: yes
Y
out=$(PATH="$w/bin:$PATH" timeout 600 "$bin" run openmldb-rolling-upgrade --answers "$XDG_STATE_HOME/answers.yaml" --plain </dev/null 2>&1); rc=$?
run2=$(ls -td "$XDG_STATE_HOME"/upwiz/runs/* | head -1)
t "a start that prints failed! (exit 0) fails the run" '[ $rc -eq 1 ]'
t "it fails in the tablets step" 'grep -q "\"t\":\"step\",\"id\":\"tablets\",\"state\":\"failed\"" "$run2/events.jsonl"'
t "the detail says the output reported the failure" 'grep -q "failure reported in the output" "$run2/events.jsonl"'
t "tablet 1 was journaled done, tablet 2 not" '[ $(grep -c "\"t\":\"iter_done\".*\"step\":\"tablets\"" "$run2/journal.jsonl") -eq 1 ]'
pre1=$(grep -c "cmd=pre-upgrade --endpoints=172.24.4.40:10921" "$run2/run.log")

# ---- 3. resume after the fault is gone (the simulated start failure is one-shot)
out=$(PATH="$w/bin:$PATH" timeout 600 "$bin" run openmldb-rolling-upgrade --answers "$XDG_STATE_HOME/answers.yaml" --plain </dev/null 2>&1); rc=$?
run3=$(ls -td "$XDG_STATE_HOME"/upwiz/runs/* | head -1)
echo "$out" | tail -5
t "the resumed run succeeds" '[ $rc -eq 0 ]'
t "it resumed the interrupted run" 'grep -q "\"t\":\"resume\"" "$run3/journal.jsonl"'
t "tablet 1 is not redone" 'grep -q "Tablets 1/3: node1=172.24.4.39:10921\",\"status\":\"pass\",\"detail\":\"done before (journal)\"" "$run3/events.jsonl"'
t "pre-upgrade of tablet 2 ran once in all" '[ "$pre1" -eq 1 ] && ! grep -q "cmd=pre-upgrade --endpoints=172.24.4.40:10921" "$run3/run.log"'
t "tablet 2 continued at its start command" 'grep -q "done before in this iteration" "$run3/events.jsonl" && grep -q "start.sh start tablet" "$run3/run.log"'
t "node2 tablet up at 0.9.3 after the resume" '[ "$(cat "$w/cluster/up/node2.tablet")" = 0.9.3 ]'

# ---- 4. secrets: this profile has none, and ssh gets no password (BatchMode); no private key
#         material may ever reach a file the runs wrote or the terminal
leaks=0
for f in "$run"/*.jsonl "$run"/run.log "$run3"/*.jsonl "$run3"/run.log; do
	[ -f "$f" ] && grep -q "PRIVATE KEY" "$f" && { echo "LEAK of key material in $f"; leaks=$((leaks+1)); }
done
grep -q "PRIVATE KEY" <<<"$out" && leaks=$((leaks+1))
t "no key material in any file the runs wrote" '[ $leaks -eq 0 ]'
t "BatchMode on every ssh call" '! grep -E "^[^ ]+ cmd .*ssh " "$run/run.log" | grep -v "BatchMode=yes" | grep -q .'
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
