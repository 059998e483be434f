#!/usr/bin/env bash
# README command 1: install what is missing, build, and start the wizard in sandbox mode on
# the Linkis profile. Extra arguments go to `upwiz sandbox` (e.g. --plain --golden, --keep).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
"$top/scripts/deps.sh"
"$top/scripts/build.sh" "$top/build"
exec "$top/build/upwiz" sandbox linkis-1.3.2-to-1.4.0 "$@"
