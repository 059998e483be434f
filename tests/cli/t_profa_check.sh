#!/usr/bin/env bash
# `upwiz check` on the KAG / OpenSPG and Dataphin profiles (clean), and the loader's
# FILE:LINE:COL errors for the general features those profiles brought (check level stop, ...).
set -u
bin=${UPWIZ_BIN:?}
src=${UPWIZ_SOURCE_DIR:?}
fail=0; pass=0
t() { if eval "$2"; then pass=$((pass+1)); else echo "FAIL: $1"; fail=$((fail+1)); fi; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

for p in openspg-0.5-to-0.6 dataphin-downtime; do
	out=$("$bin" check "$p" 2>&1); rc=$?
	t "bundled profile $p checks clean ($out)" '[ $rc -eq 0 ] && grep -q "ok ($p" <<<"$out"'
done

cat > "$tmp/level.yaml" <<'Y'
id: lv
title: Levels
from: "1"
to: "2"
target: x
steps:
  - id: a
    screen: envcheck
    checks:
      - { name: ok, command: "true", level: stop }
      - name: bad
        command: "true"
        level: fatal
Y
out=$("$bin" check "$tmp/level.yaml" 2>&1); rc=$?
t "unknown level: exit 2" '[ $rc -eq 2 ]'
t "unknown level named with line:col ($out)" 'grep -q "level.yaml:13:16: level must be fail, warn or stop" <<<"$out"'
t "level stop itself is accepted (one error only)" '[ $(grep -c "level.yaml:" <<<"$out") -eq 1 ]'
cat > "$tmp/feat.yaml" <<'Y'
id: feat
title: Features
from: "1"
to: "2"
target: x
steps:
  - id: mode
    screen: choice
    question: "Which?"
    options:
      - { key: c, label: C, danger: true, confirm: x, recommended: 'V' }
  - id: v
    screen: verify
    checks:
      - { name: w, value: "${V}", within: "10%" }
      - { name: i, input: "Number?" }
      - { name: p, input: "Number?", capture: N, pattern: "([" }
      - { name: q, value: "${V}", within: "ten", of: "${V}" }
      - { name: r, command: "true", min: "1" }
      - { name: x, command: "true", match: "(.*)", version: "> ${V}" }
  - id: cl
    screen: checklist
    items:
      - plain text item
      - { id: one, text: "First", colour: red }
      - { id: one, text: "Again", check: { name: c, http: "http://x/", statuss: 200 } }
Y
out=$("$bin" check "$tmp/feat.yaml" 2>&1); rc=$?
t "feature errors: exit 2" '[ $rc -eq 2 ]'
e() { want="$f:$1: $2"; t "error $want" 'grep -qF -- "$want" <<<"$out" || { echo "$out"; false; }'; }
f=$tmp/feat.yaml
e 11:68 "a danger option cannot be recommended"
e 15:9 "'within' and 'of' go together"
e 16:9 "an input check needs 'capture'"
e 17:59 "pattern is not a valid extended regular expression"
e 18:43 "within must be a number or a percentage"
e 19:9 "pattern, min, max and within belong to a check with 'value' or 'input'"
e 20:61 "only a value or input check may compare with \${...} in 'version'"
e 25:35 "unknown field 'colour' in a checklist item"
e 26:72 "unknown field 'statuss' in a check"
e 26:9 "duplicate item id 'one'"

cat > "$tmp/refs.yaml" <<'Y'
id: refs
title: References
from: "1"
to: "2"
target: x
vars:
  V: "1.2.3"
steps:
  - id: mode
    screen: choice
    question: "Which?"
    options:
      - { key: a, label: A, when: 'NOPE1 >= "5.1.1"' }
      - { key: b, label: B, recommended: 'V == "${NOPE2}"' }
  - id: v
    screen: verify
    checks:
      - { name: w, value: "${V}", version: "> ${NOPE4}" }
  - id: cl
    screen: checklist
    items:
      - { text: "uses ${NOPE3}" }
      - { text: "ok", when: 'V >= "1"' }
Y
out=$("$bin" check "$tmp/refs.yaml" 2>&1); rc=$?
t "reference errors: exit 2" '[ $rc -eq 2 ]'
f=$tmp/refs.yaml
e 13:9 "condition uses NOPE1, which is not a declared variable"
e 14:9 "condition uses NOPE2, which is not a declared variable"
e 18:9 "check uses \${NOPE4}, which is not a declared variable"
e 22:9 "checklist item uses \${NOPE3}, which is not a declared variable"
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
