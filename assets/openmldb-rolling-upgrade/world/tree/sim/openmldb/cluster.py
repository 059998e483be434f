# Simulated OpenMLDB cluster state for the sandbox world (shared by the simulated `openmldb`
# binary and `tools/openmldb_ops.py`). The real cluster's state lives in ZooKeeper and the
# tablets; here it is files under ROOT/cluster (see start.sh): who runs (up/HOST.COMPONENT),
# auto_failover, the op list (ops.json), partition leaders (leaders.json) and failure switches
# (fail/NAME) a test may drop in. Table layout: the tables of the research notes' samples.
import glob
import json
import os

TABLES = [
    # tid, name, db, partitions, replicas
    (6, "demo_table1", "demo_db", 8, 2),
    (3, "PRE_AGG_META_INFO", "__INTERNAL_DB", 1, 2),
    (2, "JOB_INFO", "__INTERNAL_DB", 1, 2),
    (4, "GLOBAL_VARIABLES", "INFORMATION_SCHEMA", 1, 2),
    (5, "DEPLOY_RESPONSE_TIME", "INFORMATION_SCHEMA", 1, 2),
]


class Cluster:
    def __init__(self, package_home):
        self.home = os.path.abspath(package_home)
        self.root = os.path.abspath(os.path.join(self.home, "..", "..", ".."))
        self.dir = os.path.join(self.root, "cluster")

    def path(self, *p):
        return os.path.join(self.dir, *p)

    def failing(self, name):
        f = self.path("fail", name)
        if os.path.exists(f):
            return True
        return False

    def endpoints(self, component):
        """[(host, endpoint)] of every configured component of this kind, by host name."""
        out = []
        for flags in sorted(glob.glob(os.path.join(self.root, "hosts", "*", "openmldb", "conf", component + ".flags"))):
            host = flags.split(os.sep)[-4]
            with open(flags) as f:
                for line in f:
                    if line.startswith("--endpoint="):
                        out.append((host, line.strip().split("=", 1)[1]))
        return out

    def up(self, host, component):
        return os.path.exists(self.path("up", "%s.%s" % (host, component)))

    def version(self, host, component):
        try:
            with open(self.path("up", "%s.%s" % (host, component))) as f:
                return f.read().strip()
        except OSError:
            return None

    def alive_tablets(self):
        return [ep for host, ep in self.endpoints("tablet") if self.up(host, "tablet")]

    def ns_leader(self):
        for host, ep in self.endpoints("nameserver"):
            if self.up(host, "nameserver"):
                return ep
        return None

    def auto_failover(self):
        try:
            with open(self.path("auto_failover")) as f:
                return f.read().strip()
        except OSError:
            return "true"

    def set_auto_failover(self, v):
        with open(self.path("auto_failover"), "w") as f:
            f.write(v + "\n")

    def _load(self, name, default):
        try:
            with open(self.path(name)) as f:
                return json.load(f)
        except (OSError, ValueError):
            return default

    def _save(self, name, obj):
        tmp = self.path(name + ".tmp")
        with open(tmp, "w") as f:
            json.dump(obj, f, indent=1)
        os.replace(tmp, self.path(name))

    def leaders(self):
        lead = self._load("leaders.json", None)
        if lead is None:
            tablets = [ep for _, ep in self.endpoints("tablet")]
            lead, i = {}, 0
            for tid, name, db, parts, rep in TABLES:
                for pid in range(parts):
                    lead["%d.%d" % (tid, pid)] = tablets[i % len(tablets)] if tablets else ""
                    i += 1
            self._save("leaders.json", lead)
        return lead

    def save_leaders(self, lead):
        self._save("leaders.json", lead)

    def ops(self):
        return self._load("ops.json", [])

    def add_op(self, db, op_type, name, pid, status, cur_task="-"):
        ops = self.ops()
        op_id = 51 + len(ops)
        ops.append({"db": db, "op_id": op_id, "op_type": op_type, "name": name, "pid": pid, "status": status,
                    "start_time": "20240301101500", "execute_time": "1s", "end_time": "20240301101501",
                    "cur_task": cur_task, "for_replica_cluster": "no"})
        self._save("ops.json", ops)
        return op_id

    def replicas(self, tid, pid):
        """Endpoints holding a replica of a partition: its leader and the next tablets."""
        tablets = [ep for _, ep in self.endpoints("tablet")]
        rep = [t for t in TABLES if t[0] == tid][0][4]
        lead = self.leaders().get("%d.%d" % (tid, pid), "")
        if lead not in tablets:
            return tablets[:rep]
        i = tablets.index(lead)
        return [tablets[(i + k) % len(tablets)] for k in range(min(rep, len(tablets)))]


def pretty(header, rows):
    """A table as python prettytable prints it by default (cells centred, +---+ rules)."""
    widths = [len(h) for h in header]
    for r in rows:
        for i, c in enumerate(r):
            widths[i] = max(widths[i], len(str(c)))
    rule = "+" + "+".join("-" * (w + 2) for w in widths) + "+"

    def line(cells):
        out = []
        for i, c in enumerate(cells):
            c = str(c)
            pad = widths[i] - len(c)
            left = pad // 2
            out.append(" " + " " * left + c + " " * (pad - left) + " ")
        return "|" + "|".join(out) + "|"

    lines = [rule, line(header), rule]
    lines += [line(r) for r in rows]
    lines.append(rule)
    return "\n".join(lines)
