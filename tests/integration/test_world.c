/*
 * test_world.c: the Linkis 1.3.2 -> 1.4.0 sandbox world, built for real.
 *
 * One world is built for the whole file (a private mariadbd, the tree, the seeds) and the
 * tests walk it in order like a trainee would: the database looks 1.3.2, the stub commands
 * answer through PATH, start-all prints what the real one prints and brings up six
 * `upwiz sim-http` services, Eureka lists them, the gateway refuses the conf token and takes a
 * database token, a busy port makes start-all fail like the real one, stop-all stops all,
 * and the teardown leaves no process and no folder. The scripts need the binary named by
 * $UPWIZ_BIN to answer `sim-http`; without it (or without mariadbd) the file is skipped.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/db.h"
#include "core/mysqld.h"
#include "core/proc.h"
#include "core/util.h"
#include "core/world.h"

static struct world g_w;
static char g_root[64];
static char *g_path_env;
static double g_build_s;

/* ---------------------------------------------------------------- helpers */

struct lines {
	struct strvec v;
};

static void on_line(void *ud, const char *line, size_t len)
{
	struct lines *l = ud;
	sv_push_owned(&l->v, xstrndup(line, len));
}

/* Runs argv with the world's PATH; returns the exit code, lines in *out. */
static int run(const char *const *argv, struct lines *out, int timeout_ms)
{
	static const char *const unset[] = {"LINKIS_HOME", "LINKIS_CONF_DIR", "LINKIS_PID_DIR", "LINKIS_LOG_DIR", NULL};
	const char *env[] = {g_path_env, NULL};
	struct proc_opts o = {.argv = argv, .cwd = g_w.root, .env_set = env, .env_unset = unset, .stdin_fd = -1};
	int code = -1;
	char *cause = NULL;
	if (proc_run(&o, timeout_ms, on_line, out, &code, &cause) < 0)
		fail_msg("%s: %s", argv[0], cause);
	return code;
}

static int has_line(const struct lines *l, const char *s)
{
	for (size_t i = 0; i < l->v.n; i++)
		if (strstr(l->v.v[i], s))
			return (int)i + 1;
	return 0;
}

static void dump(const struct lines *l)
{
	for (size_t i = 0; i < l->v.n; i++)
		fprintf(stderr, "  | %s\n", l->v.v[i]);
}

static char *var_path(const char *rel)
{
	return path_join(world_var(&g_w, "LINKIS_HOME"), rel);
}

static unsigned port_of(const char *name)
{
	const char *v = world_value(&g_w, name);
	assert_non_null(v);
	return (unsigned)atoi(v);
}

/* A tiny HTTP/1.1 client over loopback: one request, Connection: close, 5 s at most. */
static int http(unsigned port, const char *method, const char *path, const char *headers, char **body)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port),
	                        .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	if (connect(fd, (struct sockaddr *)&a, sizeof a) < 0) {
		close(fd);
		return -1;
	}
	char *req = xasprintf("%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\n%sContent-Length: 0\r\nConnection: close\r\n\r\n",
	                      method, path, headers ? headers : "");
	assert_int_equal(write(fd, req, strlen(req)), (ssize_t)strlen(req));
	free(req);
	struct strbuf sb = STRBUF_INIT;
	uint64_t dl = mono_ms() + 5000;
	for (;;) {
		struct pollfd p = {.fd = fd, .events = POLLIN};
		int left = (int)(dl - mono_ms());
		if (left <= 0 || poll(&p, 1, left) <= 0)
			fail_msg("no answer from port %u in time", port);
		char buf[4096];
		ssize_t r = read(fd, buf, sizeof buf);
		if (r <= 0)
			break;
		sb_add(&sb, buf, (size_t)r);
	}
	close(fd);
	int status = sb.s && str_starts(sb.s, "HTTP/1.1 ") ? atoi(sb.s + 9) : 0;
	const char *b = sb.s ? strstr(sb.s, "\r\n\r\n") : NULL;
	if (body)
		*body = xstrdup(b ? b + 4 : "");
	sb_free(&sb);
	return status;
}

static struct db *connect_world(void)
{
	struct db_params p = {.socket = world_var(&g_w, "DB_SOCKET"), .user = world_var(&g_w, "DB_USER"),
	                      .password = world_var(&g_w, "DB_PASSWORD"), .database = world_var(&g_w, "DB_NAME"),
	                      .charset = "utf8mb4"};
	struct db_error e;
	struct db *d = db_connect(&p, &e);
	if (!d)
		fail_msg("connecting as the world's user: %s", e.message);
	return d;
}

static char *query(struct db *d, const char *sql)
{
	char *v = NULL;
	struct db_error e;
	if (db_query_value(d, sql, &v, &e) < 0)
		fail_msg("%s: %s", sql, e.message);
	return v;
}

static void expect_query(struct db *d, const char *sql, const char *want)
{
	char *v = query(d, sql);
	if (!v || strcmp(v, want) != 0)
		fail_msg("%s: got %s, want %s", sql, v ? v : "NULL", want);
	free(v);
}

/* The value of key in a .properties file (last line without '\n' included). Caller frees. */
static char *prop(const char *file, const char *key)
{
	size_t len;
	char *buf = read_file(file, &len, NULL);
	assert_non_null(buf);
	char *res = NULL;
	size_t kl = strlen(key);
	for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n"))
		if (strncmp(line, key, kl) == 0 && line[kl] == '=')
			res = xstrdup(line + kl + 1);
	free(buf);
	return res;
}

static int count_procs_mentioning(const char *s)
{
	DIR *d = opendir("/proc");
	int n = 0;
	struct dirent *de;
	while (d && (de = readdir(d))) {
		if (!str_is_int(de->d_name))
			continue;
		char *p = xasprintf("/proc/%s/cmdline", de->d_name);
		size_t len;
		char *c = read_file(p, &len, NULL);
		free(p);
		for (size_t i = 0; c && i < len; i++)
			if (!c[i])
				c[i] = ' ';
		if (c && strstr(c, s))
			n++;
		free(c);
	}
	if (d)
		closedir(d);
	return n;
}

/* ---------------------------------------------------------------- setup */

static int group_setup(void **state)
{
	(void)state;
	const char *bin = getenv("UPWIZ_BIN");
	const char *src = getenv("UPWIZ_SOURCE_DIR");
	char *server = mysqld_find_server();
	if (!server) {
		printf("skipped: mariadbd is not installed\n");
		exit(77);
	}
	free(server);
	if (!bin || !src) {
		printf("skipped: UPWIZ_BIN and UPWIZ_SOURCE_DIR must be set (ctest sets them)\n");
		exit(77);
	}
	const char *argv[] = {bin, "sim-http", "--help", NULL};
	struct proc_opts o = {.argv = argv, .stdin_fd = -1};
	int code = -1;
	char *cause = NULL;
	if (proc_run(&o, 10000, NULL, NULL, &code, &cause) < 0 || code != 0) {
		printf("skipped: %s sim-http --help does not work (%s)\n", bin, cause ? cause : "exit status");
		exit(77);
	}
	strcpy(g_root, "/tmp/upwiz-sbx-XXXXXX");
	assert_non_null(mkdtemp(g_root));
	char *wdir = xasprintf("%s/assets/linkis-1.3.2-to-1.4.0/world", src);
	double t0 = wall_time();
	if (world_build(wdir, g_root, bin, &g_w, &cause) < 0) {
		fprintf(stderr, "world_build: %s\n", cause);
		rm_rf(g_root);
		return -1;
	}
	g_build_s = wall_time() - t0;
	free(wdir);
	const char *path = getenv("PATH");
	g_path_env = xasprintf("PATH=%s:%s", g_w.path_prepend, path ? path : "/usr/bin:/bin");
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	free(g_path_env);
	if (g_w.root)
		world_teardown(&g_w, 0);
	rm_rf(g_root);
	return 0;
}

/* ---------------------------------------------------------------- tests, in order */

/* The build time is printed, not asserted: speed goals live in bench/, and a loaded machine
 * must not turn a correct world into a failing test. */
static void test_built_with_vars(void **state)
{
	(void)state;
	printf("world built in %.1f s\n", g_build_s);
	char *home = xasprintf("%s/linkis", g_w.root);
	assert_string_equal(world_var(&g_w, "LINKIS_HOME"), home);
	free(home);
	assert_string_equal(world_var(&g_w, "DB_SOCKET"), g_w.db.socket);
	assert_string_equal(world_var(&g_w, "DB_HOST"), "localhost");
	assert_string_equal(world_var(&g_w, "DB_NAME"), "linkis");
	assert_string_equal(world_var(&g_w, "TOKEN_USER"), "hadoop");
	assert_string_equal(world_var(&g_w, "CONNECTOR_URL"), "");
	assert_int_equal(strlen(world_var(&g_w, "DB_PASSWORD")), 24);
	assert_int_equal(g_w.secret_vars.n, 1);
	assert_string_equal(g_w.secret_vars.v[0], "DB_PASSWORD");
	char hex[65];
	assert_int_equal(sha256_file(world_var(&g_w, "CONNECTOR_JAR"), hex, NULL), 0);
	assert_string_equal(world_var(&g_w, "CONNECTOR_SHA256"), hex);
	char *want = xasprintf("%s %s %s %s %s %s", world_value(&g_w, "EUREKA_PORT"), world_value(&g_w, "GATEWAY_PORT"),
	                       world_value(&g_w, "MANAGER_PORT"), world_value(&g_w, "ECM_PORT"),
	                       world_value(&g_w, "ENTRANCE_PORT"), world_value(&g_w, "PS_PORT"));
	assert_string_equal(world_var(&g_w, "LINKIS_PORTS"), want);
	free(want);
	want = xasprintf("http://127.0.0.1:%s", world_value(&g_w, "GATEWAY_PORT"));
	assert_string_equal(world_var(&g_w, "GATEWAY_URL"), want);
	free(want);
	assert_true(is_dir(world_var(&g_w, "BACKUP_DIR")));
	if (world_var(&g_w, "PYTHON2_LINK")) {
		char *d = path_dirname(world_var(&g_w, "PYTHON2_LINK"));
		assert_true(str_starts(d, g_w.root));
		assert_true(is_dir(d));
		free(d);
	}
	assert_non_null(g_w.golden);
	assert_true(path_exists(g_w.golden));
	assert_non_null(g_w.teardown.n ? g_w.teardown.v[0] : NULL);
	assert_null(strstr(g_w.teardown.v[0], "${"));
	/* templates filled, db.sh private, scripts executable, upgrade SQL without a final newline */
	char *f = var_path("conf/db.sh");
	struct stat st;
	assert_int_equal(stat(f, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	free(f);
	f = var_path("sbin/linkis-start-all.sh");
	assert_int_equal(stat(f, &st), 0);
	assert_true(st.st_mode & 0100);
	free(f);
	f = var_path("conf/linkis-env.sh");
	size_t len;
	char *env = read_file(f, &len, NULL);
	assert_null(strstr(env, "${GATEWAY_PORT}"));
	assert_non_null(strstr(env, "ENGINECONN_ROOT_PATH=${LINKIS_HOME}/engineconn-root"));   /* $${ escape */
	free(env);
	free(f);
	f = var_path("db/upgrade/1.4.0_schema/mysql/linkis_ddl.sql");
	char *ddl = read_file(f, &len, NULL);
	assert_true(len > 0 && ddl[len - 1] != '\n');
	free(ddl);
	free(f);
	char *expanded = world_expand(&g_w, "${ROOT}|${NOPE}|$${ROOT}");
	char *w2 = xasprintf("%s|${NOPE}|${ROOT}", g_w.root);
	assert_string_equal(expanded, w2);
	free(expanded);
	free(w2);
}

static void test_database_is_1_3_2(void **state)
{
	(void)state;
	struct db *d = connect_world();
	expect_query(d, "SELECT COUNT(*) FROM linkis_mg_gateway_auth_token", "9");
	expect_query(d, "SELECT COUNT(*) FROM linkis_mg_gateway_auth_token WHERE token_name REGEXP "
	                "'^(BML|WS|DSM|LINKIS_CLI|QML|DSS|QUALITIS|VALIDATOR|LINKISCLI)-[0-9a-f]{32}$'", "9");
	expect_query(d, "SELECT COUNT(*) FROM linkis_cg_manager_label WHERE label_value IN ('*-*,hive-2.3.3',"
	                "'*-IDE,hive-2.3.3','*-nodeexecution,hive-2.3.3','*-*,spark-2.4.3','*-IDE,spark-2.4.3',"
	                "'*-Visualis,spark-2.4.3','*-nodeexecution,spark-2.4.3')", "7");
	expect_query(d, "SELECT GROUP_CONCAT(id ORDER BY id) FROM linkis_cg_manager_label WHERE label_value LIKE "
	                "'%spark-2.4.3' OR label_value LIKE '%hive-2.3.3'", "6,7,15,16,24,25,26");
	expect_query(d, "SELECT default_value FROM linkis_ps_configuration_config_key WHERE `key` = 'spark.python.version'",
	             "python2");
	expect_query(d, "SELECT MAX(id) FROM linkis_ps_dm_datasource_type", "14");
	expect_query(d, "SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = DATABASE() AND "
	                "table_name = 'linkis_cg_manager_service_instance' AND column_name IN ('identifier','ticketId')", "0");
	expect_query(d, "SELECT data_type FROM information_schema.columns WHERE table_schema = DATABASE() AND "
	                "table_name = 'linkis_cg_ec_resource_info_record' AND column_name = 'metrics'", "varchar");
	expect_query(d, "SELECT COUNT(*) FROM linkis_cg_manager_service_instance", "4");
	expect_query(d, "SELECT description FROM linkis_ps_dm_datasource_type WHERE name = 'dm'", "达梦数据库");
	/* the reinstall's conf token is not in the database */
	char *f = var_path("conf/linkis.properties");
	char *tok = prop(f, "wds.linkis.bml.auth.token.value");
	free(f);
	assert_non_null(tok);
	assert_true(str_starts(tok, "BML-") && strlen(tok) == 36);
	char *sql = xasprintf("SELECT COUNT(*) FROM linkis_mg_gateway_auth_token WHERE token_name = '%s'", tok);
	expect_query(d, sql, "0");
	free(sql);
	free(tok);
	db_close(d);
}

static void test_stubs_on_path(void **state)
{
	(void)state;
	struct lines l = {STRVEC_INIT};
	const char *a1[] = {"hdfs", "version", NULL};
	assert_int_equal(run(a1, &l, 10000), 0);
	assert_true(l.v.n > 0);
	assert_string_equal(l.v.v[0], "Hadoop 3.3.4");
	sv_free(&l.v);
	const char *a2[] = {"hive", "--version", NULL};
	assert_int_equal(run(a2, &l, 10000), 0);
	assert_string_equal(l.v.v[0], "Hive 3.1.3");
	sv_free(&l.v);
	const char *a3[] = {"spark-submit", "--version", NULL};
	assert_int_equal(run(a3, &l, 10000), 0);
	assert_true(has_line(&l, "version 3.2.1"));
	sv_free(&l.v);
	const char *a4[] = {"java", "-version", NULL};
	assert_int_equal(run(a4, &l, 10000), 0);
	assert_string_equal(l.v.v[0], "openjdk version \"1.8.0_392\"");
	sv_free(&l.v);
	const char *a5[] = {"python3", "--version", NULL};
	assert_int_equal(run(a5, &l, 10000), 0);
	assert_string_equal(l.v.v[0], "Python 3.9.16");
	sv_free(&l.v);
}

static void start_all(struct lines *l, int want_code)
{
	char *script = var_path("sbin/linkis-start-all.sh");
	const char *argv[] = {"sh", script, NULL};
	double t0 = wall_time();
	int code = run(argv, l, 120000);
	printf("start-all: exit %d in %.1f s\n", code, wall_time() - t0);
	if (code != want_code) {
		dump(l);
		fail_msg("start-all exited %d, want %d", code, want_code);
	}
	free(script);
}

static void stop_all(struct lines *l)
{
	char *script = var_path("sbin/linkis-stop-all.sh");
	const char *argv[] = {"sh", script, NULL};
	int code = run(argv, l, 120000);
	if (code != 0) {
		dump(l);
		fail_msg("stop-all exited %d", code);
	}
	free(script);
}

static void test_start_all(void **state)
{
	(void)state;
	struct lines l = {STRVEC_INIT};
	start_all(&l, 0);
	const char *in_order[] = {
		"We will start all linkis applications, it will take some time, please wait",
		"Linkis manager data is being cleared",
		"Begin to start mg-eureka",
		"server mg-eureka is not running",
		"Start to check whether the mg-eureka is running",
		"=====Java Start Command=====",
		"server linkis-mg-eureka start succeeded!",
		"Succeed\033[0m to start mg-eureka",
		"Begin to start mg-gateway",
		"Begin to start ps-publicservice",
		"sleeping 15s before start cg-linkismanager, please be patient",
		"Begin to start cg-linkismanager",
		"sleeping 20s before start cg-entrance, please be patient",
		"Begin to start cg-entrance",
		"Begin to start cg-engineconnmanager",
		"start-all shell script executed completely",
		"Start to check all linkis microservice",
		"Begin to check mg-eureka",
		"server mg-eureka is running.",
		"server cg-engineconnmanager is running.",
		"Apache Linkis started successfully",
	};
	int last = 0;
	for (size_t i = 0; i < ARRAY_LEN(in_order); i++) {
		int at = has_line(&l, in_order[i]);
		if (!at || at < last) {
			dump(&l);
			fail_msg("missing or out of order: %s", in_order[i]);
		}
		last = at;
	}
	sv_free(&l.v);
	/* pid files and logs where the real ones are */
	const char *shorts[] = {"mg-eureka", "mg-gateway", "ps-publicservice", "cg-linkismanager", "cg-entrance",
	                        "cg-engineconnmanager"};
	for (size_t i = 0; i < ARRAY_LEN(shorts); i++) {
		char *p = xasprintf("%s/pid/linkis_%s.pid", world_var(&g_w, "LINKIS_HOME"), shorts[i]);
		char *lg = xasprintf("%s/logs/linkis-%s.log", world_var(&g_w, "LINKIS_HOME"), shorts[i]);
		assert_true(path_exists(p));
		assert_true(path_exists(lg));
		free(p);
		free(lg);
	}
	/* clear-server emptied the manager's runtime tables */
	struct db *d = connect_world();
	expect_query(d, "SELECT COUNT(*) FROM linkis_cg_manager_service_instance", "0");
	expect_query(d, "SELECT COUNT(*) FROM linkis_cg_manager_label WHERE label_key IN ('engineInstance','emInstance')",
	             "0");
	db_close(d);
	/* no option file left in conf/ */
	char *conf = var_path("conf");
	DIR *dir = opendir(conf);
	struct dirent *de;
	while ((de = readdir(dir)))
		assert_null(strstr(de->d_name, ".cnf"));
	closedir(dir);
	free(conf);
}

static void test_http_services(void **state)
{
	(void)state;
	char *body = NULL;
	int st = http(port_of("EUREKA_PORT"), "GET", "/eureka/apps", "Accept: application/json\r\n", &body);
	assert_int_equal(st, 200);
	json_error_t je;
	json_t *root = json_loads(body, 0, &je);
	if (!root)
		fail_msg("eureka JSON: %s: %s", je.text, body);
	json_t *apps = json_object_get(json_object_get(root, "applications"), "application");
	assert_true(json_is_array(apps));
	assert_int_equal(json_array_size(apps), 6);
	const char *names[] = {"LINKIS-CG-ENGINECONNMANAGER", "LINKIS-CG-ENTRANCE", "LINKIS-CG-LINKISMANAGER",
	                       "LINKIS-MG-EUREKA", "LINKIS-MG-GATEWAY", "LINKIS-PS-PUBLICSERVICE"};
	for (size_t i = 0; i < 6; i++) {
		json_t *app = json_array_get(apps, i);
		assert_string_equal(json_string_value(json_object_get(app, "name")), names[i]);
		json_t *inst = json_array_get(json_object_get(app, "instance"), 0);
		assert_string_equal(json_string_value(json_object_get(inst, "status")), "UP");
	}
	assert_string_equal(json_string_value(json_object_get(json_object_get(root, "applications"), "apps__hashcode")),
	                    "UP_6_");
	json_decref(root);
	free(body);
	st = http(port_of("EUREKA_PORT"), "GET", "/eureka/apps", NULL, &body);
	assert_int_equal(st, 200);
	assert_non_null(strstr(body, "<applications>"));
	free(body);
	/* every service port answers its actuator */
	const char *ports[] = {"EUREKA_PORT", "GATEWAY_PORT", "MANAGER_PORT", "ECM_PORT", "ENTRANCE_PORT", "PS_PORT"};
	for (size_t i = 0; i < ARRAY_LEN(ports); i++) {
		st = http(port_of(ports[i]), "GET", "/actuator/health", NULL, &body);
		assert_int_equal(st, 200);
		assert_string_equal(body, "{\"status\":\"UP\"}");
		free(body);
	}
	/* the gateway */
	unsigned gw = port_of("GATEWAY_PORT");
	st = http(gw, "GET", "/api/rest_j/v1/user/publicKey", NULL, &body);
	assert_int_equal(st, 200);
	assert_non_null(strstr(body, "\"status\":0"));
	free(body);
	char *f = var_path("conf/linkis.properties");
	char *conf_tok = prop(f, "wds.linkis.bml.auth.token.value");
	free(f);
	char *h = xasprintf("Token-Code: %s\r\nToken-User: hadoop\r\n", conf_tok);
	st = http(gw, "POST", "/api/rest_j/v1/user/token-login", h, &body);
	assert_int_equal(st, 401);
	assert_non_null(strstr(body, "Token Authentication Failed, token: BML-"));
	free(body);
	free(h);
	free(conf_tok);
	struct db *d = connect_world();
	char *db_tok = query(d, "SELECT token_name FROM linkis_mg_gateway_auth_token WHERE token_name LIKE 'BML-%'");
	db_close(d);
	h = xasprintf("Token-Code: %s\r\nToken-User: hadoop\r\n", db_tok);
	st = http(gw, "POST", "/api/rest_j/v1/user/token-login", h, &body);
	assert_int_equal(st, 200);
	assert_non_null(strstr(body, "\"status\":0"));
	assert_non_null(strstr(body, "login successful(登录成功)！"));
	assert_non_null(strstr(body, "\"userName\":\"hadoop\""));
	free(body);
	free(h);
	/* both headers are needed */
	h = xasprintf("Token-Code: %s\r\n", db_tok);
	st = http(gw, "POST", "/api/rest_j/v1/user/token-login", h, NULL);
	assert_int_equal(st, 401);
	free(h);
	free(db_tok);
}

static void test_stop_all(void **state)
{
	(void)state;
	struct lines l = {STRVEC_INIT};
	stop_all(&l);
	assert_true(has_line(&l, "We will stop all linkis applications, it will take some time, please wait"));
	assert_true(has_line(&l, "server mg-gateway is stopped."));
	assert_true(has_line(&l, "server mg-eureka is stopped."));
	assert_true(has_line(&l, "stop-all shell script executed completely"));
	sv_free(&l.v);
	const char *ports[] = {"EUREKA_PORT", "GATEWAY_PORT", "MANAGER_PORT", "ECM_PORT", "ENTRANCE_PORT", "PS_PORT"};
	for (size_t i = 0; i < ARRAY_LEN(ports); i++)
		assert_int_equal(http(port_of(ports[i]), "GET", "/actuator/health", NULL, NULL), -1);
	char *p = var_path("pid/linkis_mg-gateway.pid");
	assert_false(path_exists(p));
	free(p);
	assert_int_equal(count_procs_mentioning(g_w.root) - (g_w.has_db ? count_procs_mentioning(g_w.db.socket) : 0), 0);
	/* a second stop finds nothing running */
	stop_all(&l);
	assert_true(has_line(&l, "server mg-gateway is not running"));
	sv_free(&l.v);
}

static void test_busy_port_fails_like_the_real_one(void **state)
{
	(void)state;
	unsigned gw = port_of("GATEWAY_PORT");
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	int one = 1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)gw),
	                        .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
	assert_int_equal(listen(fd, 4), 0);
	struct lines l = {STRVEC_INIT};
	start_all(&l, 1);
	assert_true(has_line(&l, "server linkis-mg-gateway start succeeded!"));   /* only a pid, like the real one */
	int err = has_line(&l, "ERROR: your linkis-mg-gateway microservice does not start successful !!! ERROR logs as follows :");
	if (!err) {
		dump(&l);
		fail_msg("no ERROR line");
	}
	assert_true(has_line(&l, "server mg-gateway is not running"));
	assert_true(has_line(&l, "Please check detail log, log path :"));
	assert_false(has_line(&l, "Apache Linkis started successfully"));
	sv_free(&l.v);
	char *logf = var_path("logs/linkis-mg-gateway.log");
	size_t len;
	char *log = read_file(logf, &len, NULL);
	char *want = xasprintf("Web server failed to start. Port %u was already in use.", gw);
	assert_non_null(strstr(log, want));
	free(want);
	free(log);
	free(logf);
	/* Eureka (up, the check stopped at the gateway) no longer lists the gateway */
	char *body = NULL;
	assert_int_equal(http(port_of("EUREKA_PORT"), "GET", "/eureka/apps", "Accept: application/json\r\n", &body), 200);
	assert_null(strstr(body, "LINKIS-MG-GATEWAY"));
	assert_non_null(strstr(body, "LINKIS-MG-EUREKA"));
	free(body);
	close(fd);
	stop_all(&l);
	sv_free(&l.v);
}

static void test_teardown_leaves_nothing(void **state)
{
	(void)state;
	/* start the services again so the teardown has something to stop */
	struct lines l = {STRVEC_INIT};
	start_all(&l, 0);
	sv_free(&l.v);
	assert_true(count_procs_mentioning(g_w.root) >= 6);
	char *root = xstrdup(g_w.root);
	double t0 = wall_time();
	world_teardown(&g_w, 0);
	printf("teardown in %.1f s\n", wall_time() - t0);
	assert_null(g_w.root);
	assert_false(path_exists(root));
	assert_int_equal(count_procs_mentioning(root), 0);
	free(root);
}

static void test_manifest_errors(void **state)
{
	(void)state;
	char dir[] = "/tmp/upwiz-world-bad-XXXXXX";
	char root[] = "/tmp/upwiz-world-root-XXXXXX";
	assert_non_null(mkdtemp(dir));
	assert_non_null(mkdtemp(root));
	char *f = path_join(dir, "world.yaml");
	const char y[] = "world: bad\nports: [A_PORT]\nvars:\n  X: \"${NOPE}\"\n  Y: ok\nteardwn: []\n";
	assert_int_equal(write_file_atomic(f, y, sizeof y - 1, 0644, NULL), 0);
	struct world w;
	char *cause = NULL;
	assert_int_equal(world_build(dir, root, "/bin/true", &w, &cause), -1);
	assert_non_null(strstr(cause, "world.yaml:6:1: unknown field 'teardwn'"));
	free(cause);
	cause = NULL;
	/* an unknown name in a var: caught before anything is copied or started */
	const char y2[] = "world: bad\nvars:\n  X: \"${NOPE}\"\n  Y: \"${ROOT}/x\"\n";
	assert_int_equal(write_file_atomic(f, y2, sizeof y2 - 1, 0644, NULL), 0);
	assert_int_equal(world_build(dir, root, "/bin/true", &w, &cause), -1);
	assert_non_null(strstr(cause, "world.yaml:3:6: unknown ${NOPE}"));
	free(cause);
	free(f);
	rm_rf(dir);
	rm_rf(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_built_with_vars),
		cmocka_unit_test(test_database_is_1_3_2),
		cmocka_unit_test(test_stubs_on_path),
		cmocka_unit_test(test_start_all),
		cmocka_unit_test(test_http_services),
		cmocka_unit_test(test_stop_all),
		cmocka_unit_test(test_busy_port_fails_like_the_real_one),
		cmocka_unit_test(test_teardown_leaves_nothing),
		cmocka_unit_test(test_manifest_errors),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
