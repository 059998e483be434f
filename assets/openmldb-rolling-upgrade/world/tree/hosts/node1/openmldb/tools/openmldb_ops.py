# OpenMLDB 0.8.5 tools/openmldb_ops.py (sandbox stand-in: ROOT/sim/openmldb/ops.py)
import os
import runpy
import sys

home = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.argv.insert(1, home)
runpy.run_path(os.path.join(home, "..", "..", "..", "sim", "openmldb", "ops.py"), run_name="__main__")
