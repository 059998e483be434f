/*
 * http.c: http_request() over one libcurl easy handle.
 *
 * One easy handle per request, reset between redirect hops (curl_easy_reset keeps the
 * connection cache, so a redirect to the same server reuses the connection). Redirects are
 * followed by hand (see http.h for why). Each hop starts from an empty body buffer and a
 * truncated download file, so a redirect's own small body never leaks into the result.
 *
 * The body cap is enforced in the write callback: past max_body it keeps what fits, marks the
 * response truncated and stops the transfer (curl then reports a write error, which is not an
 * error here: the status and the first 4 MiB are what a check needs). A check against a
 * misbehaving endpoint that streams forever therefore ends at the cap, not at the timeout.
 *
 * curl_global_init() is not thread-safe; it runs once through pthread_once, before the first
 * handle, whichever thread gets there first.
 */
#include "core/http.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/guard.h"

#define MAX_HOPS 5

static pthread_once_t global_once = PTHREAD_ONCE_INIT;

static void global_init(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
}

struct xfer {
	const struct http_req *q;
	struct strbuf body;
	size_t max;
	int truncated;
	int fd;                 /* download file, -1 otherwise */
	int write_errno;
	int aborted;
	double bytes;
	uint64_t last_progress;
};

static size_t on_write(char *ptr, size_t size, size_t nmemb, void *ud)
{
	struct xfer *x = ud;
	size_t n = size * nmemb;
	x->bytes += (double)n;
	if (x->fd >= 0) {
		size_t off = 0;
		while (off < n) {
			if (fault_hit("http_write")) {
				x->write_errno = ENOSPC;
				return 0;
			}
			ssize_t w = write(x->fd, ptr + off, n - off);
			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0) {
				x->write_errno = w < 0 ? errno : EIO;
				return 0;
			}
			off += (size_t)w;
		}
		return n;
	}
	if (x->body.len + n > x->max) {
		sb_add(&x->body, ptr, x->max - x->body.len);
		x->truncated = 1;
		return 0;
	}
	sb_add(&x->body, ptr, n);
	return n;
}

static int on_progress(void *ud, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal, curl_off_t ulnow)
{
	struct xfer *x = ud;
	(void)ultotal;
	(void)ulnow;
	if (!x->q->progress || dlnow == 0)
		return 0;
	uint64_t now = mono_ms();
	if (x->last_progress && now - x->last_progress < 100 && dlnow != dltotal)
		return 0;
	x->last_progress = now;
	if (x->q->progress(x->q->ud, (double)dlnow, (double)dltotal) != 0) {
		x->aborted = 1;
		return 1;
	}
	return 0;
}

static void say(const struct http_req *q, const char *fmt, ...) PRINTF_LIKE(2, 3);
static void say(const struct http_req *q, const char *fmt, ...)
{
	if (!q->log)
		return;
	va_list ap;
	va_start(ap, fmt);
	char *s = xvasprintf(fmt, ap);
	va_end(ap);
	q->log(q->ud, s);
	free(s);
}

/* "scheme://host:port" of url (lower-cased by curl), or NULL. Caller frees. */
static char *origin_of(const char *url)
{
	CURLU *u = curl_url();
	char *scheme = NULL, *host = NULL, *port = NULL, *res = NULL;
	if (u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) == CURLUE_OK)
		res = xasprintf("%s://%s:%s", scheme, host, port);
	curl_free(scheme);
	curl_free(host);
	curl_free(port);
	curl_url_cleanup(u);
	return res;
}

/* Header names only, for the log: "Accept, Token-Code". */
static void header_names(const struct strvec *h, struct strbuf *sb)
{
	for (size_t i = 0; h && i < h->n; i++) {
		const char *colon = strchr(h->v[i], ':');
		size_t n = colon ? (size_t)(colon - h->v[i]) : strlen(h->v[i]);
		if (sb->len)
			sb_adds(sb, ", ");
		sb_add(sb, h->v[i], n);
	}
}

void http_resp_free(struct http_resp *r)
{
	if (!r)
		return;
	free(r->body);
	free(r->content_type);
	free(r->final_url);
	memset(r, 0, sizeof *r);
}

static int xfer_reset_file(struct xfer *x, char **cause, const char *partial)
{
	if (x->fd < 0)
		return 0;
	if (ftruncate(x->fd, 0) < 0 || lseek(x->fd, 0, SEEK_SET) < 0) {
		set_cause(cause, "%s: %s", partial, strerror(errno));
		return -1;
	}
	return 0;
}

int http_request(const struct http_req *q, struct http_resp *out, char **cause)
{
	memset(out, 0, sizeof *out);
	out->body = xstrdup("");
	if (!q->url || !*q->url) {
		set_cause(cause, "no URL");
		return -1;
	}
	if (guard_url(q->url, cause) < 0)
		return -1;
	pthread_once(&global_once, global_init);

	const char *method = q->method && *q->method ? q->method : (q->body ? "POST" : "GET");
	size_t body_len = q->body ? (q->body_len ? q->body_len : strlen(q->body)) : 0;
	struct xfer x = {.q = q, .max = q->max_body ? q->max_body : HTTP_MAX_BODY_DEFAULT, .fd = -1};
	char *partial = NULL;
	if (q->out_path) {
		partial = xasprintf("%s.partial", q->out_path);
		x.fd = open(partial, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (x.fd < 0) {
			set_cause(cause, "%s: %s", partial, strerror(errno));
			free(partial);
			return -1;
		}
	}
	CURL *c = curl_easy_init();
	if (!c)
		fatal("curl_easy_init failed");
	char errbuf[CURL_ERROR_SIZE];
	char *url = xstrdup(q->url);
	char *origin0 = origin_of(q->url);
	int keep_body = q->body != NULL, rc = -1;
	uint64_t t0 = mono_ms();
	{
		struct strbuf names = STRBUF_INIT;
		header_names(q->headers, &names);
		say(q, "%s %s%s%s%s", method, url, names.len ? " [" : "", sb_str(&names), names.len ? "]" : "");
		sb_free(&names);
	}
	for (int hop = 0;; hop++) {
		sb_reset(&x.body);
		x.truncated = 0;
		x.bytes = 0;
		if (xfer_reset_file(&x, cause, partial) < 0)
			goto done;
		curl_easy_reset(c);
		errbuf[0] = '\0';
		curl_easy_setopt(c, CURLOPT_URL, url);
		if (q->userpwd) {
			curl_easy_setopt(c, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
			curl_easy_setopt(c, CURLOPT_USERPWD, q->userpwd);
		}
		curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
		curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
		curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
		curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
		curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, (long)(q->connect_timeout_s > 0 ? q->connect_timeout_s : 10));
		if (q->timeout_s > 0)
			curl_easy_setopt(c, CURLOPT_TIMEOUT, (long)q->timeout_s);
		else if (!q->out_path)
			curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
		if (q->out_path) {
			curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1024L);
			curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, 60L);
		}
		curl_easy_setopt(c, CURLOPT_USERAGENT, "upwiz/" UPWIZ_VERSION);
		curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
		curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_write);
		curl_easy_setopt(c, CURLOPT_WRITEDATA, &x);
		curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
		curl_easy_setopt(c, CURLOPT_XFERINFODATA, &x);
		curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);

		if (strcmp(method, "GET") == 0) {
			curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
		} else if (strcmp(method, "HEAD") == 0) {
			curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
		} else {
			if (strcmp(method, "POST") != 0)
				curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
			/* a POST without a body still sends Content-Length: 0 */
			curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)(keep_body ? body_len : 0));
			curl_easy_setopt(c, CURLOPT_POSTFIELDS, keep_body ? q->body : "");
		}
		struct curl_slist *hl = curl_slist_append(NULL, "Expect:");
		char *origin = origin_of(url);
		int same = origin && origin0 && strcmp(origin, origin0) == 0;
		free(origin);
		for (size_t i = 0; same && q->headers && i < q->headers->n; i++)
			hl = curl_slist_append(hl, q->headers->v[i]);
		curl_easy_setopt(c, CURLOPT_HTTPHEADER, hl);

		CURLcode res = curl_easy_perform(c);
		curl_slist_free_all(hl);
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &out->status);
		if (res != CURLE_OK && !(res == CURLE_WRITE_ERROR && x.truncated)) {
			if (x.aborted)
				set_cause(cause, "%s %s: aborted", method, url);
			else if (x.write_errno)
				set_cause(cause, "%s: %s", partial, strerror(x.write_errno));
			else
				/* curl's error buffer is the specific message ("Failed to connect to h port p ..."); its
				 * strerror only the category */
				set_cause(cause, "%s %s: %s", method, url, errbuf[0] ? errbuf : curl_easy_strerror(res));
			goto done;
		}
		char *loc = NULL;
		curl_easy_getinfo(c, CURLINFO_REDIRECT_URL, &loc);
		long st = out->status;
		if (loc && (st == 301 || st == 302 || st == 303 || st == 307 || st == 308)) {
			if (hop + 1 > MAX_HOPS) {
				set_cause(cause, "%s %s: more than %d redirects", method, q->url, MAX_HOPS);
				goto done;
			}
			if (guard_url(loc, cause) < 0)
				goto done;
			say(q, "-> %ld redirect to %s", st, loc);
			char *next = xstrdup(loc);
			free(url);
			url = next;
			if (st != 307 && st != 308 && strcmp(method, "HEAD") != 0) {
				method = "GET";
				keep_body = 0;
			}
			continue;
		}
		break;
	}
	char *ct = NULL, *eff = NULL;
	curl_easy_getinfo(c, CURLINFO_CONTENT_TYPE, &ct);
	curl_easy_getinfo(c, CURLINFO_EFFECTIVE_URL, &eff);
	out->content_type = xstrdup(ct);
	out->final_url = xstrdup(eff ? eff : url);
	out->bytes = x.bytes;
	out->truncated = x.truncated;
	if (q->progress && !x.aborted)
		q->progress(q->ud, x.bytes, x.bytes);
	if (q->out_path) {
		if (out->status < 200 || out->status > 299) {
			set_cause(cause, "%s %s: HTTP %ld", method, url, out->status);
			goto done;
		}
		if (fsync(x.fd) < 0 || close(x.fd) < 0) {
			set_cause(cause, "%s: %s", partial, strerror(errno));
			x.fd = -1;
			goto done;
		}
		x.fd = -1;
		if (rename(partial, q->out_path) < 0) {
			set_cause(cause, "rename %s -> %s: %s", partial, q->out_path, strerror(errno));
			goto done;
		}
		fsync_dir_of(q->out_path);
	} else {
		free(out->body);
		out->body_len = x.body.len;
		out->body = x.body.s ? sb_detach(&x.body) : xstrdup("");
	}
	rc = 0;
done:
	out->elapsed_s = (double)(mono_ms() - t0) / 1000.0;
	if (rc == 0)
		say(q, "-> %ld%s%s, %.0f bytes%s, %.0f ms", out->status, out->content_type ? " " : "",
		    out->content_type ? out->content_type : "", out->bytes, out->truncated ? " (truncated)" : "",
		    out->elapsed_s * 1000.0);
	if (x.fd >= 0)
		close(x.fd);
	if (partial && rc != 0)
		unlink(partial);
	free(partial);
	free(url);
	free(origin0);
	sb_free(&x.body);
	curl_easy_cleanup(c);
	return rc;
}
