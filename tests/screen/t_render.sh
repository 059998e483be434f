#!/bin/bash
# t_render.sh: every state of the scripted Linkis run, drawn headless (tests/screen/render.c runs
# the real layout and screens into the off-screen canvas, no terminal), at 80x24, 100x30, 60x20,
# as a watcher and on a terminal that is not UTF-8. Each frame must fit its width in display
# columns, keep the rail border in one column whatever CJK text is on the row, and show the
# pieces that matter for its state. Built against the same libraries as $UPWIZ_BIN, so in a
# sanitizer build every frame also runs under ASan/UBSan.
set -u
skip() { echo "skipped: $*"; exit 77; }
: "${UPWIZ_BIN:?}" "${UPWIZ_SOURCE_DIR:?}"
command -v python3 >/dev/null 2>&1 || skip "python3 is not installed"
command -v cc >/dev/null 2>&1 || skip "no C compiler"
locale -a 2>/dev/null | grep -qiE '^c\.utf-?8$' || skip "no C.UTF-8 locale"
B=$(dirname "$UPWIZ_BIN")
[ -f "$B/libupwiz_tui.a" ] || skip "no libupwiz_tui.a next to $UPWIZ_BIN"
T=$(mktemp -d "${TMPDIR:-/tmp}/upwiz-render.XXXXXX")
trap 'rm -rf "$T"' EXIT

SAN=
nm "$B/libupwiz_core.a" 2>/dev/null | grep -q __asan_report && SAN="-fsanitize=address,undefined"
cc -std=gnu11 -Wall -Wextra -Werror -Wno-unused-parameter -D_GNU_SOURCE $SAN -I"$UPWIZ_SOURCE_DIR" \
	-o "$T/render" "$UPWIZ_SOURCE_DIR/tests/screen/render.c" "$B/libupwiz_tui.a" "$B/libupwiz_core.a" "$B/libupwiz_base.a" \
	$(pkg-config --libs jansson ncursesw libcrypto) -lpthread || { echo "FAIL: render does not build"; exit 1; }
python3 "$UPWIZ_SOURCE_DIR/tests/screen/linkis_story.py" >"$T/story.jsonl"
n=$(wc -l <"$T/story.jsonl")

export LANG=C.UTF-8 LC_ALL=C.UTF-8
for variant in "80 24" "100 30" "60 20" "80 24 -r" "80 24 -a"; do
	set -- $variant
	w=$1 h=$2 extra=${3:-}
	step=1
	[ "$variant" != "80 24" ] && step=3    # every state at 80x24; a third of them otherwise
	for ((i = 1; i <= n; i += step)); do
		echo "=== $i $variant"
		"$T/render" -w "$w" -h "$h" -n "$i" $extra "$T/story.jsonl" || echo "RENDER-FAILED $?"
	done
done >"$T/frames.txt" 2>"$T/stderr.txt"
if [ -s "$T/stderr.txt" ]; then
	head -40 "$T/stderr.txt"
	echo "FAIL: the renderer wrote to stderr (sanitizer report?)"
	exit 1
fi
grep -q RENDER-FAILED "$T/frames.txt" && { echo "FAIL: a frame did not render"; exit 1; }

python3 - "$T/frames.txt" <<'EOF' || exit 1
import sys, unicodedata
def width(s):
    n = 0
    for ch in s:
        if unicodedata.combining(ch) or ch in "\u200b\u200d\ufe0f":
            continue
        n += 2 if unicodedata.east_asian_width(ch) in "WF" else 1
    return n
frames, cur = [], None
for line in open(sys.argv[1], encoding="utf-8").read().split("\n"):
    if line.startswith("=== "):
        cur = [line[4:], []]
        frames.append(cur)
    elif cur is not None:
        cur[1].append(line)
bad = 0
for name, rows in frames:
    parts = name.split()
    w, h = int(parts[1]), int(parts[2])
    rows = rows[:h]
    cols = set()
    for i, r in enumerate(rows):
        if width(r) > w:
            print("frame %s: row %d is %d columns: %r" % (name, i, width(r), r)); bad += 1
        if 0 < i < h - 1 and "\u2502" in r[:40] and w >= 80:
            cols.add(width(r[:r.index("\u2502")]))
    if len(cols) > 1:
        print("frame %s: the rail border moves: %s" % (name, sorted(cols))); bad += 1
    text = "\n".join(rows)
    if w < 80 or h < 24:
        if "terminal too small: %dx%d, need 80x24" % (w, h) not in text:
            print("frame %s: no too-small overlay" % name); bad += 1
if bad:
    sys.exit(1)
print("%d frames checked" % len(frames))
EOF

# What some states must show.
frame() { "$T/render" -w 80 -h 24 -n "$1" ${2:+-k "$2"} "$T/story.jsonl"; }
need() { grep -qF -- "$2" <<<"$1" || { echo "FAIL: $3: expected \"$2\""; echo "$1"; exit 1; }; }
lack() { grep -qF -- "$2" <<<"$1" && { echo "FAIL: $3: did not expect \"$2\""; echo "$1"; exit 1; }; return 0; }
q() { grep -n "\"qid\": \"$1\"" "$T/story.jsonl" | grep '"ask"' | head -1 | cut -d: -f1; }

f=$(frame "$(q q4)")
need "$f" "DANGER" "choice"
need "$f" "Do you want to clear Linkis table information" "choice"
f=$(frame "$(q q4)" 2)
need "$f" "Press Enter again" "danger hotkey"
f=$(frame "$(q q5)")
need "$f" "What failed" "sql failure"
need "$f" "yarn队列名" "sql failure"
need "$f" "r Retry" "sql failure keys"
f=$("$T/render" -w 80 -h 24 -n "$(q q5)" -r "$T/story.jsonl")
need "$f" "Watching: this session cannot answer" "watcher"
need "$f" "WATCH" "watcher badge"
lack "$f" "r Retry" "watcher keys"
f=$(frame "$(q q6)" $'\x1b')
need "$f" "REVIEW" "review"
f=$("$T/render" -w 80 -h 24 -a -n "$(q q3)" "$T/story.jsonl")
need "$f" "+ Precautions" "ascii rail"
lack "$f" "✓" "ascii glyphs"
f=$(frame "$n")
need "$f" "The upgrade finished successfully" "summary"
need "$f" "Steps 9/9 done" "summary rail"
echo "ok"
