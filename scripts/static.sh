#!/usr/bin/env bash
# scripts/static.sh [BUILD_DIR]: static analysis, called by scripts/gates.sh.
#   cppcheck over core/ tui/ screens/ cli/ tests/fuzz/ (warning, style, performance, portability),
#     the jansson macros from tests/static/cppcheck.cfg, suppressions with their reasons in
#     tests/static/cppcheck-suppressions.txt. Any other finding fails.
#   clang-tidy (.clang-tidy at the top: the checks and why some are left out) over the same
#     sources, using BUILD_DIR/compile_commands.json. Any finding fails.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$top/build}" && pwd) || exit 2
cd "$top"
bad=0

echo "-- cppcheck $(cppcheck --version | awk '{print $2}')"
if ! cppcheck --enable=warning,style,performance,portability --std=c11 -D_GNU_SOURCE -I. \
	--library=tests/static/cppcheck.cfg --suppressions-list=tests/static/cppcheck-suppressions.txt \
	--inline-suppr -q --error-exitcode=1 -j"$(nproc)" \
	--template='{file}:{line}: {severity}: {id}: {message}' \
	core core/actions tui screens cli tests/fuzz; then
	echo "!! cppcheck: findings above (fix them, or suppress with a reason in tests/static/cppcheck-suppressions.txt)"
	bad=1
fi

if [ "${UPWIZ_TIDY:-1}" = 1 ]; then   # on by default (~4 CPU-minutes); UPWIZ_TIDY=0 skips it locally
	echo "-- clang-tidy $(clang-tidy --version | awk '/version/ {print $NF; exit}')"
	[ -f "$build/compile_commands.json" ] || { echo "!! no $build/compile_commands.json"; exit 1; }
	mapfile -t srcs < <(ls core/*.c core/actions/*.c tui/*.c screens/*.c cli/*.c)
	log=$build/clang-tidy.log
	# one process per file (clang-tidy 14 carries analyzer state from one file to the next: with
	# core/util.c and tui/canvas.c in one process it reports an uninitialized va_list in both,
	# alone neither), nproc at a time; -quiet keeps only findings
	printf '%s\n' "${srcs[@]}" | xargs -P"$(nproc)" -n1 clang-tidy -p "$build" --quiet >"$log" 2>/dev/null
	if grep -qE ': (warning|error): ' "$log"; then
		grep -E ': (warning|error): ' "$log" | sed "s|$top/||" | sort -u
		echo "!! clang-tidy: findings above (fix them, or explain the check's exclusion in .clang-tidy)"
		bad=1
	fi
fi
[ $bad -eq 0 ] && echo "static: clean"
exit $bad
