#!/usr/bin/env bash
# `upwiz check` on SQL preconditions (unless: / statements:): each mistake named at FILE:LINE:COL, exit 2.
set -u
bin=${UPWIZ_BIN:?}
fail=0; pass=0
t() { if eval "$2"; then pass=$((pass+1)); else echo "FAIL: $1"; fail=$((fail+1)); fi; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cat > "$tmp/p.yaml" <<'Y'
id: p
title: P
from: "1"
to: "2"
target: x
connections:
  c: { host: h, user: u, database: d }
steps:
  - id: s
    screen: sqlapply
    connection: c
    files:
      - path: /x.sql
        unless: { column: nodot }
        statements:
          - { match: "INSERT", unless: { row: "DELETE FROM t" } }
          - { index: 0, unless: { table: t } }
          - { match: "x", index: 2, unless: { table: t } }
          - { match: "y" }
          - { match: "z", unless: { table: t, column: t.c } }
          - { match: "w", unless: { row: "SELECT 1 FROM t WHERE a = '${X}'" } }
          - { match: "v", unles: { table: t } }
Y
out=$("$bin" check "$tmp/p.yaml" 2>&1); rc=$?
echo "$out" | head -3
t "bad preconditions exit 2" '[ $rc -eq 2 ]'
t "column without TABLE.COLUMN at its position" 'grep -q "p.yaml:14:27: .column. must be TABLE.COLUMN" <<<"$out"'
t "row that is not a SELECT" 'grep -q "p.yaml:16:47: .row. must be one SELECT" <<<"$out"'
t "index 0" 'grep -q "p.yaml:17:22: .index. counts statements from 1" <<<"$out"'
t "match and index together" 'grep -q "p.yaml:18:13: a statement precondition needs exactly one of .match." <<<"$out"'
t "no unless" 'grep -q "p.yaml:19:13: a statement precondition needs .unless." <<<"$out"'
t "two kinds in one unless" 'grep -q "p.yaml:20:35: .unless. needs exactly one of" <<<"$out"'
t "no variables in SQL text" 'grep -q "p.yaml:21:42: .unless. takes no" <<<"$out"'
t "unknown key named" 'grep -q "p.yaml:22:27: unknown field .unles." <<<"$out"'
out=$("$bin" check linkis-1.3.2-to-1.4.0 2>&1)
t "the Linkis profile's preconditions check clean" 'grep -q "ok (linkis" <<<"$out"'
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
