/*
 * sha256.c: SHA-256 of a buffer or a file, via libcrypto (the sha256_* declarations are in
 * core/util.h). Kept out of util.c so that the profile loader and the lean front `upwiz`
 * (check, list) link libc and libyaml only: libcrypto costs the loader time at every start.
 */
#include "core/util.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>

/* The digest fetched once: EVP_sha256() in a one-shot EVP_Digest makes OpenSSL 3 look the
 * algorithm up in its provider tables at every call, which was a third of the time of hashing a
 * short SQL statement (the SQL apply hashes each one). Kept for the life of the process. */
static EVP_MD *g_md;
static pthread_once_t g_md_once = PTHREAD_ONCE_INIT;
static void md_fetch(void) { g_md = EVP_MD_fetch(NULL, "SHA256", NULL); }

void sha256_digest_hex(const unsigned char md[32], char hex[65])
{
	static const char digits[] = "0123456789abcdef";
	for (unsigned i = 0; i < 32; i++) {
		hex[2 * i] = digits[md[i] >> 4];
		hex[2 * i + 1] = digits[md[i] & 15];
	}
	hex[64] = '\0';
}

void sha256_hex(const void *buf, size_t len, char hex[65])
{
	pthread_once(&g_md_once, md_fetch);
	unsigned char md[32];
	unsigned int mdlen = 0;
	EVP_Digest(buf, len, md, &mdlen, g_md ? g_md : EVP_sha256(), NULL);
	sha256_digest_hex(md, hex);
}

int sha256_file(const char *path, char hex[65], char **cause)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		set_cause(cause, "%s: %s", path, strerror(errno));
		return -1;
	}
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
	char buf[65536];
	ssize_t n;
	while ((n = read(fd, buf, sizeof buf)) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			set_cause(cause, "%s: %s", path, strerror(errno));
			EVP_MD_CTX_free(ctx);
			close(fd);
			return -1;
		}
		EVP_DigestUpdate(ctx, buf, (size_t)n);
	}
	close(fd);
	unsigned char md[32];
	unsigned int mdlen = 0;
	EVP_DigestFinal_ex(ctx, md, &mdlen);
	EVP_MD_CTX_free(ctx);
	sha256_digest_hex(md, hex);
	return 0;
}
