/*
 * harness.h: one real, private mariadbd per integration-test process.
 *
 * The first harness_mysqld() call creates a mkdtemp folder, installs and starts the
 * server there (about 2 s); an atexit handler stops it and removes the folder. The
 * server gets SIGTERM if the test process dies (PR_SET_PDEATHSIG), so a crashed test
 * does not leave servers behind. Tests that cannot run print why and exit 77.
 */
#ifndef UPWIZ_TEST_HARNESS_H
#define UPWIZ_TEST_HARNESS_H

#include "core/db.h"
#include "core/mysqld.h"

/* Starts (once) the private server. Returns 0, or 77 if mariadbd is not installed (the test then exits 77 =
 * skipped, printing why); other failures print the cause and abort. *out is borrowed. */
int harness_mysqld(struct mysqld **out);
/* root over the harness socket; creates the database (utf8mb4) if missing and selects it (NULL: none).
 * NULL after printing the error on failure. Caller db_close()s. */
struct db *harness_connect(const char *database);
/* Loads a SQL file into d's current database via the mariadb client binary on the socket (for fixtures);
 * 0, or -1 after printing the client's output. */
int harness_load_sql_file(struct db *d, const char *path);
/* $UPWIZ_SOURCE_DIR/../shared/fixtures, or NULL when absent. Borrowed. */
const char *harness_fixtures(void);

/* additions */
const char *harness_dir(void);   /* the mkdtemp folder (a scratch place for test files); borrowed */
/* db_params for root over the harness socket with the given database; strings borrowed. */
struct db_params harness_params(const char *database);

#endif
