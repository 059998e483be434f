/*
 * bench_dump.c: times upwiz's backup of one database (core/dump: mariadb-dump
 * --single-transaction streamed through upwiz, SHA-256 on the fly, the trailer and the
 * CREATE TABLE count checked against information_schema, fsync, rename), the same call
 * the backup step makes. bench/backup.sh runs it against a private server and compares it
 * with plain mariadb-dump.
 *
 *   bench_dump SOCKET DATABASE OUT.sql
 *     -> prints "seconds bytes tables sha256 dump_s sync_s facts_s" (core/dump.h: the phases)
 */
#include <stdio.h>
#include <stdlib.h>

#include "core/dump.h"
#include "core/util.h"

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: bench_dump SOCKET DATABASE OUT.sql\n");
		return 2;
	}
	struct dump_opts o = {.db = {.socket = argv[1], .user = "root", .database = argv[2]}, .out_path = argv[3]};
	struct dump_result res = {0};
	char *cause = NULL;
	uint64_t t0 = mono_ms();
	if (dump_database(&o, NULL, NULL, &res, &cause) < 0) {
		fprintf(stderr, "bench_dump: %s\n", cause ? cause : "failed");
		free(cause);
		return 1;
	}
	double s = (double)(mono_ms() - t0) / 1000.0;
	printf("%.3f %llu %u %s %.3f %.3f %.3f\n", s, res.bytes, res.tables_in_dump, res.sha256, res.dump_ms / 1000.0,
	       res.sync_ms / 1000.0, res.facts_ms / 1000.0);
	return 0;
}
