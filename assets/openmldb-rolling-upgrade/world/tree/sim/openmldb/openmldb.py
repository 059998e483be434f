# Simulated `bin/openmldb` (the OpenMLDB CLI) for the sandbox world: `--version`, and the
# ns_client commands the upgrade needs (confget/confset auto_failover, showns, showtablet),
# printed like baidu TPrinter (two-space indented, left-justified, a rule of '-').
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cluster import Cluster  # noqa: E402


def tprint(header, rows):
    widths = [len(h) for h in header]
    for r in rows:
        for i, c in enumerate(r):
            widths[i] = max(widths[i], len(c))
    def line(cells):
        return "".join("  " + c.ljust(widths[i]) for i, c in enumerate(cells))
    print(line(header))
    print("-" * (sum(2 + w for w in widths) + 2))
    for r in rows:
        print(line(r))


def main(home, version, argv):
    if "--version" in argv:
        print("openmldb version %s-sim" % version)
        return 0
    opts = dict(a[2:].split("=", 1) for a in argv if a.startswith("--") and "=" in a)
    cl = Cluster(home)
    cmd = opts.get("cmd", "")
    if opts.get("role") != "ns_client":
        print("Error: only the ns_client role is simulated")
        return 1
    leader = cl.ns_leader()
    if not leader:
        print("Fail to get nameserver leader from zk %s%s" % (opts.get("zk_cluster", ""), opts.get("zk_root_path", "")))
        return 1
    if cmd == "confget auto_failover":
        tprint(["key", "value"], [["auto_failover", cl.auto_failover()]])
    elif cmd.startswith("confset auto_failover "):
        cl.set_auto_failover(cmd.split()[-1])
        print("set auto_failover ok")
    elif cmd == "showns":
        tprint(["endpoint", "real_endpoint", "role"], [[leader, "-", "leader"]])
    elif cmd == "showtablet":
        rows = []
        for host, ep in cl.endpoints("tablet"):
            rows.append([ep, "-", "kHealthy" if cl.up(host, "tablet") else "kOffline", "2h"])
        tprint(["endpoint", "real_endpoint", "state", "age"], rows)
    else:
        print("unsupported cmd in the simulation: %s" % cmd)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2], sys.argv[3:]))
