/*
 * httpsim.h: a small loopback HTTP server whose answers come from a YAML routes file.
 *
 * A sandbox world stands in for a vendor's services (a registry, a gateway, ...) with one
 * `upwiz sim-http` process per service, so the wizard's HTTP checks talk to something real:
 * a socket that is open only while the "service" runs, answering what the vendor's would.
 * The engine knows no product: everything a service says is in its routes file, in the world.
 *
 * The server: 127.0.0.1 only, one thread, poll(); HTTP/1.1 with Content-Length (no chunked
 * requests), keep-alive and pipelining, many clients at once, requests bounded to 64 KiB,
 * idle connections closed after 30 s. SIGTERM or SIGINT ends it cleanly (exit status 0);
 * SIGHUP is ignored (the vendor scripts start services under nohup).
 *
 * Routes file (YAML). Relative file names are relative to the routes file's folder.
 *
 *   on_start: "text"            # optional: appended to --log when listening ("${port}" substituted)
 *   on_bind_error: "text"       # optional: appended to --log when the port is taken
 *   default:                    # optional answer when no route matches (else a plain 404)
 *     { status: 404, content_type: application/json, body: '{"error":"Not Found"}' }
 *   routes:                     # tried in order; the first whose method, path and `when` match answers
 *     - method: GET             # GET (also answers HEAD), POST, PUT, DELETE, ... or ANY; default GET
 *       path: /eureka/apps      # exact, query string ignored; a final "*" matches a prefix
 *       when:                   # optional: conditions on request headers that SELECT the route
 *         Accept: { contains: application/json }
 *       require:                # optional: conditions that, when one fails, give the else_ answer
 *         Token-Code: { in_file: state/tokens.txt }   # the value is one of the file's lines
 *         Token-User: { present: true }
 *       status: 200
 *       content_type: application/json
 *       headers: { X-Sim: "1" } # optional extra response headers
 *       body: '...'             # or body_file: FILE (re-read on every request)
 *       else_status: 401        # used when a `require` condition fails
 *       else_content_type: application/json   # default: content_type
 *       else_body: '...'        # or else_body_file
 *
 * A condition is a string (the header must equal it) or a map with one of equals, contains,
 * in_file, present. Header names are case-insensitive. Bodies may hold ${header:NAME} (the
 * request's header, JSON-escaped when the content type is JSON), ${method}, ${path}, ${port};
 * any other ${...} is left as written.
 */
#ifndef UPWIZ_HTTPSIM_H
#define UPWIZ_HTTPSIM_H

/*
 * The whole `upwiz sim-http` command:
 *   sim-http --port N --routes FILE [--port N --routes FILE ...] [--pidfile F] [--log F] [--detach]
 * --port/--routes pairs may repeat (one listening socket each). --pidfile: written with our
 * pid once listening, removed on a clean exit if it still holds our pid. --log: request log
 * and on_start/on_bind_error lines, appended (no header values are ever logged). --detach:
 * setsid() so the server leaves its parent's process group (no fork: the pid stays).
 * Blocks until SIGTERM/SIGINT. Returns the exit status: 0 clean, 1 failure (*cause says why,
 * caller frees), 2 usage error (*cause holds the message). --help is the caller's business
 * (cli/cmd_simhttp.c prints httpsim_usage()); here it is a usage error like any other.
 */
int httpsim_run(int argc, char **argv, char **cause);
const char *httpsim_usage(void);

#endif
