# Simulated tools/openmldb_ops.py for the sandbox world, written from the research notes
# (shared research, "tools/openmldb_ops.py"): logging lines "LEVEL: message" on stderr, tables
# on stdout, and exit code 0 on every handled failure (only uncaught exceptions exit 1), so a
# caller has to read the output. Failure switches a test may create under ROOT/cluster/fail:
#   preupgrade   the change-leader op of pre-upgrade ends in kFailed
#   recover      recoverdata cannot recover demo_table1
import logging
import optparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cluster import Cluster, TABLES, pretty  # noqa: E402

logging.basicConfig(level=logging.INFO, format="%(levelname)s: %(message)s")
log = logging.getLogger()

MANAGE = ["recoverdata", "scalein", "scaleout", "pre-upgrade", "post-upgrade"]
QUERY = ["showopstatus", "showtablestatus"]


def main(home):
    p = optparse.OptionParser()
    for o in ("openmldb_bin_path", "zk_cluster", "zk_root_path", "cmd", "endpoints", "db", "filter"):
        p.add_option("--" + o, dest=o)
    p.add_option("--statfile", dest="statfile", default=".stat")
    p.add_option("--allow_single_replica", dest="allow_single_replica", action="store_true", default=False)
    opts, _ = p.parse_args()
    if opts.cmd not in MANAGE + QUERY:
        print("unsupported cmd: %s" % opts.cmd)
        print("available cmds: %s" % (MANAGE + QUERY))
        return
    # an unset --zk_cluster breaks the real tool with a TypeError in Executor.__init__
    base = opts.openmldb_bin_path + " --zk_cluster=" + opts.zk_cluster + " --zk_root_path=" + opts.zk_root_path
    cl = Cluster(home)
    log.info("%s --role=ns_client --interactive=false --cmd=showns", base)
    leader = cl.ns_leader()
    if not leader:
        log.error("connect OpenMLDB failed, get ns failed")
        sys.exit()
    log.info("ns leader: %s", leader)
    if opts.cmd in MANAGE:
        if cl.auto_failover() == "true":
            cl.set_auto_failover("false")
            log.info("set auto_failover ok")
            restore = True
        else:
            restore = False
    globals()["cmd_" + opts.cmd.replace("-", "_")](cl, opts)
    if opts.cmd in MANAGE and restore:
        cl.set_auto_failover("true")


def one_endpoint(opts):
    if not opts.endpoints:
        log.warning("must provide --endpoints")
    eps = opts.endpoints.split(",")  # AttributeError when missing, as the real tool
    if len(eps) > 1:
        log.warning("must provide --endpoints with only one endpoint")
    return eps[0]


def cmd_pre_upgrade(cl, opts):
    ep = one_endpoint(opts)
    log.info("start to pre-upgrade %s", ep)
    if ep not in cl.alive_tablets():
        log.error("get table status failed from %s", ep)
        return
    lead = cl.leaders()
    stat = []
    for tid, name, db, parts, rep in TABLES:
        for pid in range(parts):
            if lead.get("%d.%d" % (tid, pid)) != ep:
                continue
            log.info("change leader of table partition %s %s %d in '%s' to '' False", db, name, pid, ep)
            if cl.failing("preupgrade") and db == "demo_db":
                op = cl.add_op(db, "kChangeLeaderOP", name, pid, "kFailed", "kChangeLeader")
                log.info("waiting %d kChangeLeaderOP %s %d kDoing 20240301101505 2s - kChangeLeader no", op, name, pid)
                log.error("changer leader failed")
                log.error("change leader failed. %s %s %d", db, name, pid)
                return
            others = [r for r in cl.replicas(tid, pid) if r != ep and r in cl.alive_tablets()]
            if not others:
                log.error("change leader failed. %s %s %d", db, name, pid)
                return
            op = cl.add_op(db, "kChangeLeaderOP", name, pid, "kDone")
            log.info("waiting %d kChangeLeaderOP %s %d kDoing 20240301101500 1s - kChangeLeader no", op, name, pid)
            cl.add_op(db, "kRecoverTableOP", name, pid, "kDone")
            lead["%d.%d" % (tid, pid)] = others[0]
            stat.append("%s,%s,%s,%d,%d," % (ep, db, name, tid, pid))
    cl.save_leaders(lead)
    with open(opts.statfile, "a") as f:
        for line in stat:
            f.write(line + "\n")


def cmd_post_upgrade(cl, opts):
    ep = one_endpoint(opts)
    with open(opts.statfile) as f:  # FileNotFoundError without a statfile, as the real tool
        lines = [l.strip() for l in f if l.strip()]
    log.info("check all ops are complete")
    log.info("start to post-upgrade %s", ep)
    lead = cl.leaders()
    for line in lines:
        e, db, name, tid, pid, _ = line.split(",")
        if e != ep:
            continue
        if ep not in cl.alive_tablets():
            log.error("get empty table status for partition %s_%s from %s", tid, pid, ep)
            continue
        if lead.get("%s.%s" % (tid, pid)) == ep:
            log.warning("%s %s %s in %s is already leader", db, name, pid, ep)
            continue
        op = cl.add_op(db, "kChangeLeaderOP", name, int(pid), "kDone")
        log.info("waiting %d kChangeLeaderOP %s %s kDoing 20240301101510 1s - kChangeLeader no", op, name, pid)
        lead["%s.%s" % (tid, pid)] = ep
    cl.save_leaders(lead)
    os.remove(opts.statfile)


def cmd_recoverdata(cl, opts):
    alive = cl.alive_tablets()
    for tid, name, db, parts, rep in sorted(TABLES, key=lambda t: t[2] != "__INTERNAL_DB"):
        if cl.failing("recover") and db == "demo_db":
            log.info("recover %s in %s", name, db)
            log.warning("partition is not alive. %s %s 3 %s", db, name, alive[0] if alive else "-")
            log.error("recover table failed. db %s name %s, check log for detail", db, name)
            continue
        down = [r for pid in range(parts) for r in cl.replicas(tid, pid) if r not in alive]
        if not down:
            log.info("%s in %s is healthy", name, db)
        else:
            log.info("recover %s in %s", name, db)
            log.warning("partition is not alive. %s %s 0 %s", db, name, down[0])
            log.error("recover table failed. db %s name %s, check log for detail", db, name)


def cmd_showopstatus(cl, opts):
    rows = []
    for op in cl.ops():
        if opts.filter and op["status"] != opts.filter:
            continue
        if opts.db and op["db"] != opts.db:
            continue
        rows.append([op[k] for k in ("db", "op_id", "op_type", "name", "pid", "status", "start_time",
                                     "execute_time", "end_time", "cur_task", "for_replica_cluster")])
    print(pretty(["db", "op_id", "op_type", "name", "pid", "status", "start_time", "execute_time", "end_time",
                  "cur_task", "for_replica_cluster"], rows))


def cmd_showtablestatus(cl, opts):
    alive = cl.alive_tablets()
    rows = []
    for tid, name, db, parts, rep in TABLES:
        unalive = sum(1 for pid in range(parts) if any(r not in alive for r in cl.replicas(tid, pid)))
        rows.append([tid, name, db, "memory", 4 if name == "GLOBAL_VARIABLES" else 0,
                     904 if name == "GLOBAL_VARIABLES" else 0, 0, parts, unalive, rep, "NULL", "NULL", "NULL", ""])
    print(pretty(["Table_id", "Table_name", "Database_name", "Storage_type", "Rows", "Memory_data_size",
                  "Disk_data_size", "Partition", "Partition_unalive", "Replica", "Offline_path", "Offline_format",
                  "Offline_symbolic_paths", "Warnings"], rows))


def cmd_scalein(cl, opts):
    log.error("scale-in is not simulated")


def cmd_scaleout(cl, opts):
    log.error("scale-out is not simulated")


if __name__ == "__main__":
    home = sys.argv.pop(1)
    main(home)
