/*
 * http.h: one HTTP request through libcurl, for checks and downloads.
 *
 * A request is a struct filled by the caller; the answer is status, a capped body and the
 * content type. Nothing is printed: an optional log callback receives the request line with the
 * header NAMES only (never a header value: Token-Code carries a secret) and one line with the
 * outcome. The callback's text still goes through the engine's redaction (ev_log), since a URL
 * could hold a secret too.
 *
 * Redirects (at most 5) are followed here rather than by curl, so that each hop passes the
 * sandbox guard (guard_url) and custom headers are dropped when a hop changes scheme, host or
 * port (a Token-Code must not follow a redirect to another server). 307/308 keep the method
 * and body; the others become a GET, as browsers and curl do.
 *
 * Downloads go to PATH.partial (truncated at each hop), are fsync'd and renamed over PATH only
 * after a 2xx status; anything else removes the partial file. Proxies: curl's defaults
 * (http_proxy & co when the operator set them). CURLOPT_NOSIGNAL is on (the engine is threaded).
 */
#ifndef UPWIZ_HTTP_H
#define UPWIZ_HTTP_H

#include <stddef.h>

#include "core/util.h"

#define HTTP_MAX_BODY_DEFAULT (4u << 20)

struct http_req {
	const char *method;             /* NULL: GET, or POST when body is set */
	const char *url;
	const struct strvec *headers;   /* "Name: value" lines, may be NULL; borrowed */
	const char *body;               /* NULL: no body */
	size_t body_len;                /* 0 with a body: strlen(body) */
	int timeout_s;                  /* whole request; 0: 30 s (a download: no total limit, but a
	                                   transfer slower than 1 KiB/s for 60 s fails) */
	int connect_timeout_s;          /* 0: 10 s */
	size_t max_body;                /* kept in memory; 0: HTTP_MAX_BODY_DEFAULT; more is cut (truncated=1) */
	const char *out_path;           /* non-NULL: download the body to this file (see above); resp body stays empty */
	/* Called at most ~10 times a second while bytes move, and once at the end; total 0 when unknown.
	 * A non-zero return aborts the transfer ("aborted"). May be NULL. */
	int (*progress)(void *ud, double done, double total);
	/* Receives a request line ("GET http://h/p [Accept, Token-Code]") and an outcome line. May be NULL. */
	void (*log)(void *ud, const char *line);
	void *ud;
	const char *userpwd;            /* addition: "user:password" for HTTP basic auth (never logged), or NULL */
};

struct http_resp {
	long status;                    /* the last hop's status (0 before any answer) */
	char *body;                     /* NUL-terminated, owned; "" for downloads */
	size_t body_len;
	int truncated;                  /* the body was longer than max_body */
	char *content_type;             /* owned, NULL when absent */
	char *final_url;                /* owned: the URL that answered (after redirects) */
	double bytes;                   /* body bytes received (downloads included) */
	double elapsed_s;
};

/*
 * Performs the request. Returns 0 when an HTTP answer arrived (whatever its status, except for
 * downloads, where a non-2xx status is an error) and fills *out; -1 with *cause (caller frees):
 * "GET http://127.0.0.1:9001/x: Failed to connect to 127.0.0.1 port 9001 after 0 ms: Couldn't connect
 * to server", "sandbox: ...", "HTTP 404" for a download. *out is always initialised and must be
 * released with http_resp_free.
 */
int http_request(const struct http_req *q, struct http_resp *out, char **cause);
void http_resp_free(struct http_resp *r);

#endif
