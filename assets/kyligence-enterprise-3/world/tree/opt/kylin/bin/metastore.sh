#!/bin/bash
# Kyligence Enterprise bin/metastore.sh (sandbox stand-in: ROOT/sim/kylin/kylin.sh)
home=$(cd "$(dirname "$0")/.." && pwd)
exec bash "$home/../../sim/kylin/kylin.sh" "$home" metastore "$@"
