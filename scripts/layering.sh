#!/usr/bin/env bash
# scripts/layering.sh SRC_ROOT [LIB_DIR]: enforce the layering of ARCHITECTURE.md.
#
#  1. Includes (run by the build before upwiz_core compiles, so a violation fails the build):
#     - core/ (and core/actions/) never includes curses/terminfo headers nor anything from
#       tui/, screens/ or cli/: the engine must run with no terminal and the tests link it alone.
#     - tui/ and screens/ never include MySQL, curl or libyaml headers, nor the core modules that
#       do database, HTTP or process work for the engine (db, dump, http, httpsim, mysqld, world,
#       engine, actions/): a front end only talks to the engine over its socket (client + view).
#  2. Symbols (with LIB_DIR, run after the libraries are archived): libupwiz_core.a has no
#     undefined curses symbol, libupwiz_tui.a no undefined mysql_/curl_/yaml_ symbol,
#     libupwiz_base.a (the profile loader the lean `upwiz` links) nothing from MySQL, curl,
#     libarchive, libcrypto, jansson or curses. This catches a call that reached the library
#     without an include we know of (a local prototype).
# Prints every violation as FILE:LINE: message and exits 1 if there is any.
set -uo pipefail
root=${1:?usage: layering.sh SRC_ROOT [LIB_DIR]}
libdir=${2:-}
bad=0

# check DIR... -- PATTERN MESSAGE
scan() {
	local pattern=$1 msg=$2
	shift 2
	local hits
	hits=$(grep -rnE --include='*.c' --include='*.h' "^[[:space:]]*#[[:space:]]*include[[:space:]]*$pattern" "$@" 2>/dev/null)
	if [ -n "$hits" ]; then
		while IFS= read -r h; do echo "${h#"$root"/}: layering: $msg"; done <<<"$hits"
		bad=1
	fi
}

core=()
[ -d "$root/core" ] && core+=("$root/core")
front=()
for d in tui screens; do [ -d "$root/$d" ] && front+=("$root/$d"); done

if [ ${#core[@]} -gt 0 ]; then
	scan '<(n?curses(w)?/|n?curses\.h|ncursesw?/|term\.h|panel\.h|menu\.h|form\.h)' \
		"core/ must not include curses (the engine runs without a terminal)" "${core[@]}"
	scan '"(tui|screens|cli)/' "core/ must not include the front ends (tui/, screens/, cli/)" "${core[@]}"
fi
if [ ${#front[@]} -gt 0 ]; then
	scan '<(mysql\.h|mysql/|mariadb/|curl/|yaml\.h)' \
		"tui/ and screens/ must not include MySQL, curl or libyaml" "${front[@]}"
	scan '"core/(db|dump|http|httpsim|mysqld|world|engine)\.h"|"core/actions/' \
		"tui/ and screens/ reach the engine only over its socket (core/client.h + core/view.h), never its database/HTTP modules" "${front[@]}"
fi

if [ -n "$libdir" ]; then
	sym() {   # ARCHIVE REGEX MESSAGE
		[ -f "$1" ] || return 0
		local hits
		hits=$(nm -A --undefined-only "$1" 2>/dev/null | grep -E "$2")
		if [ -n "$hits" ]; then
			while IFS= read -r h; do echo "${h#"$libdir"/}: layering: $3"; done <<<"$hits"
			bad=1
		fi
	}
	sym "$libdir/libupwiz_core.a" ' U (initscr|newterm|endwin|[wm]v?w?(add|get|print|refresh|move|erase|clear)[a-z_]*|setupterm|tigetstr|tputs|cbreak|noecho|keypad|curs_set|start_color|init_pair|use_default_colors|doupdate|newwin|delwin)$' \
		"upwiz_core must not link curses"
	sym "$libdir/libupwiz_tui.a" ' U (mysql_|mariadb_|curl_|yaml_)' "upwiz_tui must not link MySQL, curl or libyaml"
	sym "$libdir/libupwiz_base.a" ' U (mysql_|mariadb_|curl_|archive_|EVP_|SHA[0-9]|OPENSSL_|json_|initscr|newterm|endwin|setupterm|tigetstr|w?refresh)' \
		"upwiz_base (the lean upwiz: list, check) links libc and libyaml only"
fi

if [ $bad -ne 0 ]; then
	echo "layering: violations found (the rules are at the top of scripts/layering.sh)" >&2
	exit 1
fi
exit 0
