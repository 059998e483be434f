/*
 * checks_ext.c: see checks_ext.h.
 */
#include "core/actions/checks_ext.h"

#include <ctype.h>
#include <dirent.h>
#include <math.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

double parse_size(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	char *end = NULL;
	double v = strtod(s, &end);
	if (end == s || v < 0 || isnan(v))
		return -1;
	while (*end == ' ')
		end++;
	static const char units[] = "KMGTPE";
	if (*end) {
		const char *u = strchr(units, toupper((unsigned char)*end));
		if (!u)
			return -1;
		for (long i = 0; i <= u - units; i++)
			v *= 1024.0;
		end++;
		if (*end == 'i' || *end == 'I')
			end++;
		if (*end == 'B' || *end == 'b')
			end++;
		while (*end == ' ')
			end++;
		if (*end)
			return -1;
	}
	return v;
}

static int cmp_holds(int c, const char *op)
{
	if (strcmp(op, ">=") == 0) return c >= 0;
	if (strcmp(op, ">") == 0) return c > 0;
	if (strcmp(op, "<=") == 0) return c <= 0;
	if (strcmp(op, "<") == 0) return c < 0;
	if (strcmp(op, "==") == 0) return c == 0;
	return c != 0;
}

/* The first n dotted numbers of v ("3.4.2.2021" -> "3.4" for n 2). Caller frees. */
static char *first_parts(const char *v, int n)
{
	const char *p = v;
	for (int i = 0; *p && i < n; i++) {
		p += strspn(p, "0123456789");
		if (i + 1 < n && *p == '.')
			p++;
		else
			break;
	}
	return xstrndup(v, (size_t)(p - v));
}

static int do_compare(struct run *r, const struct pcheck *c, char **detail)
{
	char *l = run_expand(r, c->cmp_left, EXPAND_PLAIN), *rt = run_expand(r, c->cmp_right, EXPAND_PLAIN);
	const char *as = c->cmp_as ? c->cmp_as : "text";
	int holds = -1;
	if (!l || !rt) {
		*detail = xstrdup("cannot expand the values (see the log)");
		goto out;
	}
	char *ls = str_trim(l), *rs = str_trim(rt);
	if (strcmp(as, "size") == 0 || strcmp(as, "number") == 0) {
		double a = strcmp(as, "size") == 0 ? parse_size(ls) : strtod(ls, NULL);
		double b = strcmp(as, "size") == 0 ? parse_size(rs) : strtod(rs, NULL);
		if (a < 0 || b < 0) {
			*detail = xasprintf("cannot read \"%s\" or \"%s\" as a %s", ls, rs, as);
			goto out;
		}
		holds = cmp_holds(a < b ? -1 : a > b ? 1 : 0, c->cmp_op);
	} else if (strcmp(as, "version") == 0) {
		char *a = c->cmp_parts ? first_parts(ls, c->cmp_parts) : xstrdup(ls);
		char *b = c->cmp_parts ? first_parts(rs, c->cmp_parts) : xstrdup(rs);
		if (!*a || !*b || !isdigit((unsigned char)*a) || !isdigit((unsigned char)*b)) {
			*detail = xasprintf("cannot read \"%s\" or \"%s\" as a version", ls, rs);
			free(a), free(b);
			goto out;
		}
		holds = cmp_holds(version_cmp(a, b, 0), c->cmp_op);
		free(a), free(b);
	} else {
		int k = strcmp(ls, rs);
		holds = cmp_holds(k < 0 ? -1 : k > 0 ? 1 : 0, c->cmp_op);
	}
	*detail = xasprintf("%s %s %s%s: %s", ls, c->cmp_op, rs, c->cmp_parts ? " (first numbers)" : "",
			    holds ? "yes" : "no");
	if (c->capture)
		vars_set(r->vars, c->capture, holds ? "yes" : "no", 0);
out:
	free(l), free(rt);
	return holds == 1;
}

static int do_no_process(struct run *r, const struct pcheck *c, char **detail)
{
	char *pat = run_expand(r, c->no_process, EXPAND_PLAIN);
	regex_t re;
	if (!pat || regcomp(&re, pat, REG_EXTENDED) != 0) {
		*detail = xasprintf("bad pattern /%s/", pat ? pat : "?");
		free(pat);
		return 0;
	}
	DIR *d = opendir("/proc");
	struct strbuf found = STRBUF_INIT;
	int n = 0;
	pid_t self = getpid();
	struct dirent *de;
	while (d && (de = readdir(d))) {
		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		pid_t pid = (pid_t)atol(de->d_name);
		if (pid == self)
			continue;
		char path[300];
		snprintf(path, sizeof path, "/proc/%s/cmdline", de->d_name);
		size_t len = 0;
		char *buf = read_file(path, &len, NULL);
		if (!buf || !len) {
			free(buf);
			continue;   /* kernel threads and processes gone meanwhile */
		}
		for (size_t i = 0; i + 1 < len; i++)
			if (buf[i] == '\0')
				buf[i] = ' ';
		regmatch_t m[1];
		if (regexec(&re, buf, 1, m, 0) == 0) {
			if (n < 3) {
				/* the program, then the words the match is in: a java command line is long,
				 * and its start alone does not say which installation still runs */
				size_t prog = strcspn(buf, " "), ws = (size_t)m[0].rm_so, we = (size_t)m[0].rm_eo;
				while (ws > 0 && buf[ws - 1] != ' ')
					ws--;
				if (we > ws && buf[we - 1] == ' ')
					we--;   /* a pattern may end with the blank after the value */
				while (we < len && buf[we] && buf[we] != ' ')
					we++;
				const char *cut = "";
				if (we - ws > 160) {   /* the end names the installation: keep it */
					ws = we - 160;
					cut = "…";
				}
				if (prog > 60)
					prog = 60;
				if (ws <= prog + 1)
					sb_addf(&found, "%s%ld %.*s", n ? "; " : "", (long)pid, (int)we, buf);
				else
					sb_addf(&found, "%s%ld %.*s … %s%.*s", n ? "; " : "", (long)pid, (int)prog, buf, cut,
						(int)(we - ws), buf + ws);
			}
			n++;
		}
		free(buf);
	}
	if (d)
		closedir(d);
	regfree(&re);
	if (n)
		*detail = xasprintf("%d process%s still running: %s", n, n == 1 ? "" : "es", sb_str(&found));
	else
		*detail = xasprintf("no process matches /%s/", pat);
	sb_free(&found);
	free(pat);
	return n == 0;
}

int check_ext_run(struct run *r, const struct pcheck *c, char **detail)
{
	if (c->kind == CK_COMPARE)
		return do_compare(r, c, detail);
	return do_no_process(r, c, detail);
}
