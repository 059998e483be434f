#!/usr/bin/env bash
# The layering is enforced, not hoped for: scripts/layering.sh passes on the tree, and fails
# (naming the file and line) on planted violations: core/ including curses or a front end,
# tui/ or screens/ including MySQL/curl or the engine's database module, a core archive with a
# curses symbol, a tui archive with a mysql symbol, a base archive (the lean upwiz) with a
# libcrypto or mysql symbol. Last, a CMake build of a copy of the tree
# with one planted core/ file including <curses.h> fails before anything compiles.
set -u
src=${UPWIZ_SOURCE_DIR:?}
chk=$src/scripts/layering.sh
fail=0; pass=0
t() { if eval "$2"; then pass=$((pass+1)); else echo "FAIL: $1"; fail=$((fail+1)); fi; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

out=$(bash "$chk" "$src" 2>&1); rc=$?
t "the tree itself is clean ($out)" '[ $rc -eq 0 ]'

plant() {   # DIR FILE TEXT -> runs the check on a fresh tree holding only that file
	rm -rf "$tmp/tree"; mkdir -p "$tmp/tree/$1"
	printf '%s\n' "/* planted */" "$3" > "$tmp/tree/$1/$2"
	out=$(bash "$chk" "$tmp/tree" 2>&1); rc=$?
}
plant core bad.c '#include <curses.h>'
t "core/ including <curses.h> fails, naming file:line" '[ $rc -eq 1 ] && grep -q "^core/bad.c:2:.*layering: core" <<<"$out"'
plant core/actions bad.c '#  include <ncursesw/ncurses.h>'
t "core/actions/ including ncursesw fails" '[ $rc -eq 1 ] && grep -q "core/actions/bad.c:2:" <<<"$out"'
plant core bad.h '#include "tui/tui.h"'
t "core/ including a tui header fails" '[ $rc -eq 1 ] && grep -q "core/bad.h:2:" <<<"$out"'
plant screens bad.c '#include <mysql.h>'
t "screens/ including <mysql.h> fails" '[ $rc -eq 1 ] && grep -q "screens/bad.c:2:" <<<"$out"'
plant tui bad.c '#include <curl/curl.h>'
t "tui/ including curl fails" '[ $rc -eq 1 ] && grep -q "tui/bad.c:2:" <<<"$out"'
plant screens bad.c '#include "core/db.h"'
t "screens/ including core/db.h fails" '[ $rc -eq 1 ] && grep -q "screens/bad.c:2:" <<<"$out"'
plant screens ok.c '#include "core/view.h"'
t "screens/ including core/view.h is fine" '[ $rc -eq 0 ]'
plant core ok.c '/* #include <curses.h> in a comment is not an include */'
t "a comment mentioning curses is fine" '[ $rc -eq 0 ]'

# symbols: archives built from planted objects
mkdir -p "$tmp/lib" "$tmp/empty"
printf 'void initscr(void);\nvoid f(void) { initscr(); }\n' > "$tmp/c.c"
printf 'void *mysql_init(void *);\nvoid *g(void) { return mysql_init(0); }\n' > "$tmp/m.c"
printf 'int h(void) { return 1; }\n' > "$tmp/ok.c"
cc -c "$tmp/c.c" -o "$tmp/c.o" && cc -c "$tmp/m.c" -o "$tmp/m.o" && cc -c "$tmp/ok.c" -o "$tmp/ok.o"
ar rcs "$tmp/lib/libupwiz_core.a" "$tmp/ok.o"; ar rcs "$tmp/lib/libupwiz_tui.a" "$tmp/ok.o"
out=$(bash "$chk" "$tmp/empty" "$tmp/lib" 2>&1); rc=$?
t "clean archives pass" '[ $rc -eq 0 ]'
ar rcs "$tmp/lib/libupwiz_core.a" "$tmp/c.o"
out=$(bash "$chk" "$tmp/empty" "$tmp/lib" 2>&1); rc=$?
t "a core archive calling initscr fails" '[ $rc -eq 1 ] && grep -q "libupwiz_core.a:c.o: .*U initscr" <<<"$out"'
rm "$tmp/lib/libupwiz_core.a"; ar rcs "$tmp/lib/libupwiz_tui.a" "$tmp/m.o"
out=$(bash "$chk" "$tmp/empty" "$tmp/lib" 2>&1); rc=$?
t "a tui archive calling mysql_init fails" '[ $rc -eq 1 ] && grep -q "U mysql_init" <<<"$out"'
rm "$tmp/lib/libupwiz_tui.a"
printf 'int EVP_Digest(void);\nint e(void) { return EVP_Digest(); }\n' > "$tmp/e.c"
cc -c "$tmp/e.c" -o "$tmp/e.o" && ar rcs "$tmp/lib/libupwiz_base.a" "$tmp/ok.o" "$tmp/e.o"
out=$(bash "$chk" "$tmp/empty" "$tmp/lib" 2>&1); rc=$?
t "a base archive (the lean upwiz) calling libcrypto fails" '[ $rc -eq 1 ] && grep -q "libupwiz_base.a:e.o: .*U EVP_Digest" <<<"$out"'
ar rcs "$tmp/lib/libupwiz_base.a" "$tmp/m.o"
out=$(bash "$chk" "$tmp/empty" "$tmp/lib" 2>&1); rc=$?
t "a base archive calling mysql_init fails" '[ $rc -eq 1 ] && grep -q "libupwiz_base.a:m.o: .*U mysql_init" <<<"$out"'

# the build: a copy of the tree (tracked files) with one planted violation
if command -v git >/dev/null && git -C "$src" rev-parse >/dev/null 2>&1; then
	mkdir -p "$tmp/copy"
	(cd "$src" && git ls-files -z -co --exclude-standard | xargs -0 cp --parents -t "$tmp/copy" 2>/dev/null)
	printf '#include <curses.h>\nint zz_bad(void) { return 0; }\n' > "$tmp/copy/core/zz_bad.c"
	if cmake -S "$tmp/copy" -B "$tmp/copy/build" -DUPWIZ_TUI=OFF >"$tmp/cmake.log" 2>&1; then
		cmake --build "$tmp/copy/build" --target upwiz_core >"$tmp/build.log" 2>&1; rc=$?
		t "the build fails on a core/ file including curses" '[ $rc -ne 0 ] && grep -q "core/zz_bad.c:1:.*layering" "$tmp/build.log"'
		t "it fails before compiling anything" '! grep -q "Building C object" "$tmp/build.log"'
	else
		t "cmake configures the copy" 'false'; cat "$tmp/cmake.log"
	fi
else
	echo "note: not a git checkout; the build-level plant is skipped"
fi

echo "t_layering: $pass passed, $fail failed"
[ $fail -eq 0 ]
