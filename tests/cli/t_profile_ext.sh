#!/usr/bin/env bash
# The profile features for loops, remote hosts, interactive commands, process and comparison
# checks: each mistake is reported as FILE:LINE:COL with exit 2; the bundled profiles that use
# them check clean; `plan` shows them.
set -u
bin=${UPWIZ_BIN:?}
fail=0; pass=0
t() { if eval "$2"; then pass=$((pass+1)); else echo "FAIL: $1"; fail=$((fail+1)); fi; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

for p in openmldb-rolling-upgrade kyligence-enterprise-3; do
	out=$("$bin" check $p 2>&1); rc=$?
	t "bundled $p checks clean" '[ $rc -eq 0 ] && grep -q "ok ($p" <<<"$out"'
done

cat > "$tmp/bad.yaml" <<'Y'
id: bad
title: Bad
from: "1"
to: "2"
target: x
vars:
  NODES: { type: list, default: "a b" }
  HOME_DIR: { default: /x }
  PW: { type: secret }
steps:
  - id: loop-no-as
    screen: command
    foreach: NODES
    commands:
      - run: "true"
  - id: loop-not-list
    screen: command
    foreach: HOME_DIR
    as: H
    commands:
      - run: "true"
  - id: secret-host
    screen: command
    host: "${PW}"
    commands:
      - run: "true"
  - id: prompt-no-pty
    screen: command
    commands:
      - run: "true"
        prompts:
          - { match: "y/n", answer: "y", options: [y, n] }
  - id: bad-compare
    screen: envcheck
    checks:
      - name: c
        compare: { left: "1", op: "=~", right: "2", as: weight }
  - id: bad-regex
    screen: envcheck
    checks:
      - name: p
        no_process: "kylin("
  - id: capture-no-match
    screen: command
    commands:
      - run: "true"
        capture: X
  - id: answer-not-option
    screen: command
    commands:
      - run: "true"
        pty: yes
        prompts:
          - { match: "y/n", answer: "maybe", options: [y, n] }
  - id: unknown-host-var
    screen: command
    foreach: NODES
    as: N
    fields: [N_HOST, 9bad]
    host: "${NOPE}"
    commands:
      - run: "echo ${N_HOST} ${N_INDEX}/${N_COUNT}"
Y
out=$("$bin" check "$tmp/bad.yaml" 2>&1); rc=$?
echo "$out"
t "exit 2" '[ $rc -eq 2 ]'
t "foreach without as" 'grep -q "bad.yaml:13:14: .foreach. needs .as." <<<"$out"'
t "prompts without pty" 'grep -q "bad.yaml:32:11: .prompts. needs .pty: yes." <<<"$out"'
t "compare op and as" 'grep -q "bad.yaml:37:35: op must be one of" <<<"$out" && grep -q "bad.yaml:37:57: as must be size, number, version or text" <<<"$out"'
t "bad regex named" 'grep -q "bad.yaml:42:21: bad regular expression /kylin(/" <<<"$out"'
t "capture needs capture_match" 'grep -q "bad.yaml:47:18: .capture. needs .capture_match." <<<"$out"'
t "declared answer must be an option" 'grep -q "bad.yaml:54:37: the declared answer .maybe. is not one of the options" <<<"$out"'
t "a field must be a name" 'grep -q "bad.yaml:59:13: a field must be a variable name, not .9bad." <<<"$out"'

# Cross-references (checked once the file loads).
cat > "$tmp/bad2.yaml" <<'Y'
id: bad2
title: Bad
from: "1"
to: "2"
target: x
vars:
  NODES: { type: list, default: "a b" }
  HOME_DIR: { default: /x }
  PW: { type: secret }
steps:
  - id: loop-not-list
    screen: command
    foreach: HOME_DIR
    as: H
    commands:
      - run: "true"
  - id: secret-host
    screen: command
    host: "${PW}"
    commands:
      - run: "true"
  - id: unknown-host-var
    screen: command
    foreach: NODES
    as: N
    fields: [N_HOST, N_EP]
    host: "${NOPE}"
    commands:
      - run: "echo ${N_HOST} ${N_EP} ${N_INDEX}/${N_COUNT}"
Y
out=$("$bin" check "$tmp/bad2.yaml" 2>&1); rc=$?
echo "$out"
t "exit 2 on cross-reference errors" '[ $rc -eq 2 ]'
t "foreach over a non-list" 'grep -q "bad2.yaml:11:5: step loop-not-list loops over .HOME_DIR., which is not of type list" <<<"$out"'
t "secret in a host" 'grep -q "bad2.yaml:17:5: host uses the secret \${PW}" <<<"$out"'
t "host with an undeclared variable" 'grep -q "bad2.yaml:22:5: host uses \${NOPE}, which is not a declared variable" <<<"$out"'
t "loop variables and fields count as declared" '! grep -q "N_INDEX\|N_COUNT\|N_HOST\|N_EP" <<<"$out"'

out=$("$bin" plan openmldb-rolling-upgrade 2>&1); rc=$?
t "plan of the OpenMLDB profile works" '[ $rc -eq 0 ] && grep -q "pre-upgrade" <<<"$out"'
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
