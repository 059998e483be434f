#!/bin/bash
# OpenMLDB 0.8.5 bin/start.sh (sandbox stand-in: the behaviour is in ROOT/sim/openmldb/start.sh)
home=$(cd "$(dirname "$0")/.." && pwd)
exec bash "$home/../../../sim/openmldb/start.sh" "$home" "$@"
