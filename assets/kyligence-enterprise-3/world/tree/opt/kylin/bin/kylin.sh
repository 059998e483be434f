#!/bin/bash
# Kyligence Enterprise bin/kylin.sh (sandbox stand-in: ROOT/sim/kylin/kylin.sh)
home=$(cd "$(dirname "$0")/.." && pwd)
exec bash "$home/../../sim/kylin/kylin.sh" "$home" "$@"
