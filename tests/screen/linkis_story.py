#!/usr/bin/env python3
"""linkis_story.py: a scripted Linkis 1.3.2 -> 1.4.0 run as engine events (docs/PROTOCOL.md).

Used by the screen tests in two ways:
  - `python3 linkis_story.py > story.jsonl` writes the events; tests/screen/render (a headless
    frame of the UI) draws prefixes of it for golden comparisons;
  - fake_engine.py plays it over a Unix socket to the real `tui_run()`, stopping at every `ask`
    until the UI answers, so tmux can drive the wizard through all nine screens and the summary.

Pseudo-events start with "_": {"t":"_sleep","s":0.2} pauses the fake engine; the renderer
ignores them (view_apply ignores unknown types). The story includes what the real one will
throw at the UI: Chinese SQL comments and server messages, a failed statement with retry,
a failed check with a fix, a dangerous option, masked tokens, colour codes and carriage returns
in child output.
"""
import json
import sys

STARTED = 1795394800.0

HELP = {
    "precautions": "The guide's precautions. Read each one: if any applies to you, this wizard is not the way.\nAcknowledge to go on.",
    "env-check": "Read-only checks of this host and the database. A failed check says why and how to fix it;\nfix it and press r to run the checks again.",
    "clear-tables": "install.sh asked this during the 1.4.0 reinstall. To upgrade and keep your 1.3.2 data, choose 1.\nChoice 2 drops every Linkis table and rebuilds it empty from the 1.4.0 package's scripts.",
    "backup": "A logical dump of the Linkis database (mariadb-dump --single-transaction) and a tarball of\nLINKIS_HOME/conf, each verified and checksummed. Nothing destructive runs before this is done.",
    "sql-apply": "The guide's section 4: table structure changes, then new rows. Statements run one by one\nthrough the MySQL client library with utf8mb4. On an error: r retry, s skip (recorded), a abort.",
    "connector-jar": "1.4.0 no longer ships the MySQL driver. Connector/J 8.x goes into the gateway's and the\npublic module's lib folders; older connector jars there are moved into the run's backup.",
    "token-sync": "The 1.4.0 install wrote new random tokens into the conf files; the database keeps the 1.3.2\nones. Tokens are shown as prefix + last 4 characters only.",
    "start": "The guide's section 5. start-all's \"succeeded\" only means each java process was alive a few\nseconds: the verify step checks over HTTP.",
    "verify": "Eureka must list the six services UP, the gateway must answer, the synced token must log in,\nand the database must show the 1.4.0 columns and labels.",
}
STEPS = [
    ("precautions", "Precautions", "precautions"),
    ("env-check", "Environment check", "envcheck"),
    ("clear-tables", "Keep or clear the tables", "choice"),
    ("backup", "Backup", "backup"),
    ("sql-apply", "Database upgrade", "sqlapply"),
    ("connector-jar", "MySQL driver", "copy"),
    ("token-sync", "Token sync", "tokensync"),
    ("start", "Start the services", "command"),
    ("verify", "Verify", "verify"),
]
HOME = "/opt/linkis"
RUN = "20261123-004726-f957"


def ev(**kw):
    return kw


_clock = [STARTED]


def log(step, level, text):
    _clock[0] += 0.7
    return {"t": "log", "ts": _clock[0], "level": level, "step": step, "text": text}


def item(step, key, name, status, detail="", fix=""):
    return {"t": "item", "step": step, "key": key, "name": name, "status": status,
            "detail": detail, "fix": fix}


def step(sid, state, **kw):
    e = {"t": "step", "id": sid, "state": state}
    e.update(kw)
    return e


def ask(qid, sid, kind, prompt, detail="", default="", expect="", options=()):
    return {"t": "ask", "qid": qid, "step": sid, "kind": kind, "prompt": prompt,
            "detail": detail, "default": default, "expect": expect,
            "options": [dict(key=k, label=l, danger=d) for (k, l, d) in options]}


def answered(qid, value):
    # The fake engine waits here for the UI's answer and sends the value it got.
    return {"t": "answered", "qid": qid, "value": value, "by": "control"}


def sleep(s):
    return {"t": "_sleep", "s": s}


def story(flood=0, extra=False):
    _clock[0] = STARTED
    out = []
    add = out.append
    add({"t": "hello", "run": RUN, "profile": "linkis-1.3.2-to-1.4.0",
         "title": "Apache Linkis 1.3.2 -> 1.4.0", "from": "1.3.2", "to": "1.4.0",
         "target": "linkis db linkis@localhost:3306 home /opt/linkis", "started": STARTED,
         "sandbox": True, "role": "control", "version": "0.1.0",
         "steps": [dict(id=i, title=t, kind=k, help=HELP[i], state="pending", reversible=True)
                   for (i, t, k) in STEPS]})
    add(log("", "info", "sandbox ready in 11.5 s under /tmp/upwiz/runs/%s/sandbox" % RUN))
    if extra:
        # The other kinds of question, as a resumed, non-sandbox run would ask them.
        add(ask("x1", "", "resume", "An interrupted run of this profile was found (stopped in Database upgrade). Resume it?",
                default="yes"))
        add(answered("x1", "yes"))
        add(ask("x2", "", "text", "Linkis database host", detail="DB_HOST", default="127.0.0.1"))
        add(answered("x2", "db1.example.com"))
        add(ask("x3", "", "secret", "Linkis database password", detail="DB_PASSWORD"))
        add(answered("x3", "********"))
        add(ask("x4", "", "confirm", "This drops every Linkis table. Type the database name to confirm.",
                expect="linkis"))
        add(answered("x4", "linkis"))

    # 1. precautions
    add(step("precautions", "running"))
    prec = ["First time with Linkis? Do not upgrade: deploy 1.4.0 with the single-machine deployment guide.",
            "Installed 1.3.2 but no data to keep? Redeploy instead and choose 2 (clear all data and rebuild the tables).",
            "This path is only from 1.3.2. Any other version: upgrade to 1.3.2 first, or do a full install.",
            "Hadoop 3.3.4, Hive 3.1.3 and Spark 3.2.1 must be in place before this upgrade (1.4.0 defaults to them).",
            "1.4.0 has been installed over 1.3.2 with install.sh, answering 1 (keep the tables); the 1.3.2 services are stopped (sbin/linkis-stop-all.sh)."]
    for n, p in enumerate(prec, 1):
        add(item("precautions", "p%d" % n, p, "todo"))
    add({"t": "body", "step": "precautions", "text": "\n".join("%d. %s" % (n, p) for n, p in enumerate(prec, 1))})
    add(step("precautions", "waiting"))
    add(ask("q1", "precautions", "next", "I have read the precautions and none of them stops this upgrade."))
    add(answered("q1", "yes"))
    add(step("precautions", "done"))

    # 2. env-check, with a failed port check and a retry
    add(step("env-check", "running"))
    checks = [("hadoop", "Hadoop 3.3.x", "hdfs version", "Hadoop 3.3.4", "found 3.3.4"),
              ("hive", "Hive 3.1.x", "hive --version", "Hive 3.1.3", "found 3.1.3"),
              ("spark", "Spark 3.2.x", "spark-submit --version", "\x1b[1;32mversion 3.2.1\x1b[0m", "found 3.2.1"),
              ("python3", "python3", "python3 --version", "Python 3.11.2", "found 3.11"),
              ("java", "java", "java -version", 'openjdk version "1.8.0_392"', "found 1.8.0_392")]
    for k, name, cmd, outl, det in checks:
        add(item("env-check", k, name, "run"))
        add(log("env-check", "cmd", cmd))
        add(log("env-check", "out", outl))
        add(sleep(0.05))
        add(item("env-check", k, name, "pass", det))
    add(item("env-check", "db", "Database reachable, Linkis schema present", "pass", "4 of 4 tables"))
    add(item("env-check", "schema", "Schema is 1.3.2 (not yet upgraded)", "pass", "no 1.4.0 columns yet"))
    add(item("env-check", "ports", "Linkis ports free (1.3.2 stopped)", "fail",
             "9001 in use by java (pid 4242)",
             "Stop the 1.3.2 services: sh /opt/linkis/sbin/linkis-stop-all.sh (1.4.0's checkEnv refuses busy ports)."))
    add(log("env-check", "error", "port 9001 is in use by java (pid 4242): the 1.3.2 gateway still runs"))
    add(item("env-check", "pkg", "1.4.0 package present", "pass", HOME + "/db/upgrade/1.4.0_schema/mysql/linkis_ddl.sql"))
    add(item("env-check", "disk", "Disk space for the backup", "warn", "310 MB free, 200 MB needed",
             "Free space under BACKUP_DIR or point BACKUP_DIR elsewhere."))
    add(step("env-check", "waiting"))
    add(ask("q2", "env-check", "failure", "1 check failed: Linkis ports free (1.3.2 stopped)",
            "port 9001 is in use by java (pid 4242)"))
    add(answered("q2", "retry"))
    add(step("env-check", "running"))
    add(item("env-check", "ports", "Linkis ports free (1.3.2 stopped)", "run"))
    add(sleep(0.1))
    add(item("env-check", "ports", "Linkis ports free (1.3.2 stopped)", "pass", "20303 9001 9101 9102 9104 9105 free"))
    add(step("env-check", "waiting"))
    add(ask("q3", "env-check", "next", "All checks passed (1 warning). Continue?"))
    add(answered("q3", "yes"))
    add(step("env-check", "done"))

    # 3. clear-tables: the choice with a dangerous option
    add(step("clear-tables", "running"))
    add({"t": "body", "step": "clear-tables", "text":
         "install.sh asked this during the 1.4.0 reinstall. To keep your 1.3.2 data and upgrade the schema, choose 1. "
         "Choice 2 drops every Linkis table and rebuilds it empty: all 1.3.2 data is lost."})
    add(step("clear-tables", "waiting"))
    add(ask("q4", "clear-tables", "choice", "Do you want to clear Linkis table information in the database?",
            default="1", options=[("1", "Do not execute table-building statements (keep the data; upgrade the schema)", False),
                                  ("2", "Dangerous! Clear all data and rebuild the tables", True),
                                  ("other", "exit", False)]))
    add(answered("q4", "1"))
    add(item("clear-tables", "choice", "Keep the tables, upgrade the schema", "pass", "answer 1"))
    add(step("clear-tables", "done"))

    # 4. backup
    add(step("backup", "running"))
    add(item("backup", "dump", "linkis.sql.gz", "run", "mariadb-dump --single-transaction linkis"))
    for i in range(0, 11):
        add({"t": "progress", "step": "backup", "done": i * 1.7e6, "total": 17e6, "label": "dumping linkis: table %d of 94" % (i * 9)})
        add(sleep(0.03))
    add(item("backup", "dump", "linkis.sql.gz", "pass", "16.2 MiB, 94 tables, sha256 3f9a1c0e…b27d, verified"))
    add(item("backup", "conf", "linkis-conf.tar.gz", "pass", "48 KiB, 23 files, sha256 9c01aa72…1e4f, verified"))
    add({"t": "body", "step": "backup", "text":
         "Backups are in /var/backups/upwiz-linkis/%s\nTo restore the database:\n  $ gunzip -c linkis.sql.gz | mariadb -h localhost -P 3306 -u linkis -p linkis\n"
         "To restore the configuration:\n  $ tar -xzf linkis-conf.tar.gz -C /opt/linkis" % RUN})
    add(step("backup", "done"))

    # 5. sql-apply: the point of no return, Chinese comments, a failure and a retry
    add(step("sql-apply", "running", reversible=False))
    files = [("ddl", "linkis_ddl.sql", 4), ("dml", "linkis_dml.sql", 78), ("labels", "guide-label-updates.sql", 7)]
    total = sum(n for _, _, n in files)
    done = 0
    for k, f, n in files:
        add(item("sql-apply", k, f, "todo", "%d statements" % n))
    for k, f, n in files:
        add(item("sql-apply", k, f, "run", "0/%d" % n))
        for i in range(1, n + 1):
            done += 1
            if k == "dml" and i == 5:
                stmt = ("INSERT INTO `linkis_ps_configuration_config_key` (`key`, `description`, `name`, `default_value`) "
                        "VALUES ('wds.linkis.rm.yarnqueue', 'yarn队列名', 'yarn队列名', 'default');")
                add(log("sql-apply", "sql", "-- 变量：yarn队列名 (linkis_dml.sql:41)"))
                add(log("sql-apply", "sql", stmt))
                add(log("sql-apply", "error", "ERROR 1366 (22007): Incorrect string value: '\\xE9\\x98\\x9F\\xE5\\x88\\x97' for column 'description' at row 1"))
                add(step("sql-apply", "waiting", reversible=False))
                add(ask("q5", "sql-apply", "failure", "Statement 5 of linkis_dml.sql failed",
                        "linkis_dml.sql, line 41:\n" + stmt + "\nServer error 1366 (22007): Incorrect string value: '\\xE9\\x98\\x9F\\xE5\\x88\\x97' for column 'description' at row 1\n"
                        "Hint: the connection must use utf8mb4 (the table is utf8mb4)."))
                add(answered("q5", "retry"))
                add(step("sql-apply", "running", reversible=False))
                add(log("sql-apply", "info", "retrying statement 5 with SET NAMES utf8mb4"))
            if i % 6 == 0 or i == n:
                add({"t": "progress", "step": "sql-apply", "done": done, "total": total,
                     "label": "%s:%d  %s" % (f, i * 3, "UPDATE linkis_cg_manager_label SET label_value = REPLACE(label_value, 'spark-2.4.3', 'spark-3.2.1')" if k == "labels" else "ALTER TABLE … / INSERT INTO …")})
                add(item("sql-apply", k, f, "run", "%d/%d applied" % (i, n)))
                add(sleep(0.02))
            if k == "ddl" and i == 1:
                add(log("sql-apply", "sql", "ALTER TABLE `linkis_cg_manager_service_instance` ADD COLUMN `identifier` varchar(32) COLLATE utf8_bin DEFAULT NULL AFTER `mark`;"))
                add(log("sql-apply", "out", "-- 创建资源任务表,包括上传,更新,下载"))
        add(item("sql-apply", k, f, "pass", "%d/%d applied%s" % (n, n, ", 1 retried" if k == "dml" else "")))
    add(step("sql-apply", "done", reversible=False))

    # 6. connector-jar
    add(step("connector-jar", "running", reversible=False))
    add(item("connector-jar", "src", "Source", "run", "https://repo1.maven.org/maven2/mysql/mysql-connector-java/8.0.28/mysql-connector-java-8.0.28.jar"))
    for i in range(0, 6):
        add({"t": "progress", "step": "connector-jar", "done": i * 480000, "total": 2400000, "label": "downloading mysql-connector-java-8.0.28.jar"})
        add(sleep(0.03))
    add(item("connector-jar", "src", "Source", "pass", "https://repo1.maven.org/maven2/mysql/mysql-connector-java/8.0.28/mysql-connector-java-8.0.28.jar (2.3 MiB)"))
    add(item("connector-jar", "sum", "Checksum", "pass", "sha256 e47e4ea6…9b11 matches; com/mysql/cj/jdbc/Driver.class present, version 8.0.28"))
    add(item("connector-jar", "d1", "Gateway lib", "pass", HOME + "/lib/linkis-spring-cloud-services/linkis-mg-gateway/mysql-connector-java-8.0.28.jar"))
    add(item("connector-jar", "d2", "Public module lib", "pass", HOME + "/lib/linkis-commons/public-module/mysql-connector-java-8.0.28.jar"))
    add(item("connector-jar", "aside", "Moved aside", "info", "mysql-connector-java-5.1.49.jar -> the run's backup"))
    add(step("connector-jar", "done", reversible=False))

    # 7. token-sync
    add(step("token-sync", "running", reversible=False))
    add(item("token-sync", "f1", "conf/linkis.properties", "run", "9 keys"))
    add(item("token-sync", "f2", "conf/linkis-cli/linkis-cli.properties", "run", "1 key"))
    add({"t": "body", "step": "token-sync", "text":
         "--- conf/linkis.properties\n+++ conf/linkis.properties (database tokens)\n@@ 9 keys @@\n"
         "-wds.linkis.client.common.tokenValue=BML-…a1f3\n+wds.linkis.client.common.tokenValue=BML-…9c2e\n"
         "-wds.linkis.gateway.access.token=WS-…77d0\n+wds.linkis.gateway.access.token=WS-…4b81\n"
         "-wds.linkis.server.dsm.auth.token.value=DSM-…0e12\n+wds.linkis.server.dsm.auth.token.value=DSM-…c3aa\n"
         " # 令牌与数据库 linkis_mg_gateway_auth_token 保持一致\n"
         "--- conf/linkis-cli/linkis-cli.properties\n+++ conf/linkis-cli/linkis-cli.properties (database tokens)\n"
         "-wds.linkis.client.common.tokenValue=BML-…a1f3\n+wds.linkis.client.common.tokenValue=BML-…9c2e"})
    add(step("token-sync", "waiting", reversible=False))
    add(ask("q6", "token-sync", "next", "Write these changes (the originals go into the run's backup)?"))
    add(answered("q6", "yes"))
    add(item("token-sync", "f1", "conf/linkis.properties", "pass", "9 keys set, original saved"))
    add(item("token-sync", "f2", "conf/linkis-cli/linkis-cli.properties", "pass", "1 key set, original saved"))
    add(step("token-sync", "done", reversible=False))

    # 8. start
    add(step("start", "running", reversible=False))
    add({"t": "body", "step": "start", "text": "$ sh /opt/linkis/sbin/linkis-start-all.sh"})
    add(log("start", "cmd", "sh /opt/linkis/sbin/linkis-start-all.sh"))
    svcs = ["mg-eureka", "mg-gateway", "ps-publicservice", "cg-linkismanager", "cg-entrance", "cg-engineconnmanager"]
    for s in svcs:
        add(item("start", s, "linkis-" + s, "todo"))
    for n, s in enumerate(svcs):
        add(item("start", s, "linkis-" + s, "run", "starting"))
        add(log("start", "out", "<-------------------------------->"))
        add(log("start", "out", "Begin to start linkis-" + s))
        add(log("start", "out", "\x1b[32mwaiting\x1b[0m 10%\r50%\r100%"))
        add(log("start", "out", "服务 linkis-%s 启动中, pid %d" % (s, 5100 + n)))
        add(log("start", "out", "Succeed to start linkis-" + s))
        add(item("start", s, "linkis-" + s, "pass", "pid %d" % (5100 + n)))
        add(sleep(0.05))
    for i in range(flood):
        add(log("start", "out", "flood line %d: 2026-11-23 01:02:03.456 INFO [main] o.a.l.s.Server - 中文 started ok" % i))
    add(step("start", "done", reversible=False))

    # 9. verify
    add(step("verify", "running", reversible=False))
    vchecks = [("eureka", "Eureka lists the six services UP"), ("gw", "Gateway answers"),
               ("token", "Synced token logs in"), ("cols", "New columns present"),
               ("labels", "No 2.x engine labels left"), ("ds", "New data source types present"),
               ("py", "spark.python.version defaults to python3")]
    for k, n in vchecks:
        add(item("verify", k, n, "todo"))
    for k, n in vchecks:
        add(item("verify", k, n, "run", "polling" if k == "eureka" else ""))
        add(sleep(0.03))
        add(item("verify", k, n, "pass", {"eureka": "6/6 UP after 14 s", "gw": "HTTP 200 in 12 ms",
                                          "token": "status 0 for hadoop", "cols": "identifier, ticketId",
                                          "labels": "0 rows", "ds": "tidb, starrocks, gaussdb, oceanbase",
                                          "py": "python3"}[k]))
    add(step("verify", "done", reversible=False))
    add({"t": "finished", "outcome": "success", "exit": 0, "summary":
         "Apache Linkis 1.3.2 -> 1.4.0: done in 6m12s (sandbox run %s).\n\n"
         "What was done:\n  - 89 statements applied (1 retried), 0 skipped\n  - Connector/J 8.0.28 copied into 2 lib folders\n"
         "  - 10 token keys synced in 2 files\n  - 6 services started, 7 checks passed\n\n"
         "Backups (/var/backups/upwiz-linkis/%s):\n  linkis.sql.gz       16.2 MiB  sha256 3f9a1c0e…b27d\n  linkis-conf.tar.gz  48 KiB    sha256 9c01aa72…1e4f\n\n"
         "To restore:\n  $ gunzip -c linkis.sql.gz | mariadb -h localhost -P 3306 -u linkis -p linkis\n"
         "  $ tar -xzf linkis-conf.tar.gz -C /opt/linkis" % (RUN, RUN)})
    return out


if __name__ == "__main__":
    flood = int(sys.argv[1]) if len(sys.argv) > 1 else 0
    extra = len(sys.argv) > 2 and sys.argv[2] == "extra"
    for e in story(flood, extra):
        sys.stdout.write(json.dumps(e, ensure_ascii=False) + "\n")
