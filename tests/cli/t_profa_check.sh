#!/usr/bin/env bash
# `upwiz check` on the KAG / OpenSPG and Dataphin profiles (clean), and the loader's
# FILE:LINE:COL errors for the general features those profiles brought (check level stop, ...).
set -u
bin=${UPWIZ_BIN:?}
src=${UPWIZ_SOURCE_DIR:?}
fail=0; pass=0
t() { if eval "$2"; then pass=$((pass+1)); else echo "FAIL: $1"; fail=$((fail+1)); fi; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

for p in openspg-0.5-to-0.6; do
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
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
