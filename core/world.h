/*
 * world.h: build and tear down a sandbox world from its world.yaml.
 *
 * A world is a throwaway copy of a customer's host for one profile: a folder tree (the vendor's
 * installation, stub commands, simulated vendor scripts), a private mariadbd with seed data,
 * and the answers to the profile's variables. Everything product-specific is in the world's
 * folder (world.yaml documents the format at its top); this code knows no product.
 *
 * Building takes seconds: copy the tree, fill the templates, start the server (core/mysqld),
 * create the database and its user (random password), load the seeds statement by statement
 * (core/sqlsplit + core/db, errors name FILE:LINE), then run the `start:` commands (services
 * that are up before the upgrade begins). Nothing outside ROOT is written.
 * The caller turns the guard on afterwards (guard_enable(w.root, w.db.socket)): world_build
 * itself must read the world folder, which lies outside ROOT.
 */
#ifndef UPWIZ_WORLD_H
#define UPWIZ_WORLD_H

#include "core/mysqld.h"
#include "core/util.h"

struct world {
	char *root;                 /* owned; the sandbox root (a mkdtemp folder given by the caller), canonical */
	struct mysqld db;           /* the private server (db.pid -1 when the world has no database) */
	struct strvec vars;         /* "NAME=VALUE" the profile variables the world answers, values expanded */
	struct strvec secret_vars;  /* names among vars that are secrets (DB_PASSWORD) */
	char *path_prepend;         /* ROOT/bin etc, ':'-joined, or NULL */
	char *golden;               /* absolute path of the golden answers file, or NULL */
	struct strvec teardown;     /* commands (expanded) run by world_teardown */
	/* additions */
	char *name;                 /* world.yaml's `world:` */
	struct strvec values;       /* "NAME=VALUE" world values (ROOT, WORLD, UPWIZ, SOCKET, generated, ports);
	                               holds secrets: never log it */
	int has_db;                 /* a private server was started */
	char *dir;                  /* the world folder (canonical), for scenarios beside it */
	char *db_name, *db_user, *db_password;   /* the world's database account (password: a secret) or NULL */
};

/*
 * world_dir: the folder holding world.yaml. root: an existing, empty folder (the caller's
 * mkdtemp; its path + "/mysql/mysqld.sock" must fit in 107 bytes). upwiz_exe: absolute path
 * of the running binary (for ${UPWIZ}). *w is overwritten. Takes seconds, not minutes.
 * Returns 0, or -1 with *cause (caller frees) saying which file/line or which step failed;
 * on failure everything started is stopped and *w is freed, but the contents of root are
 * left for the caller to inspect and remove.
 */
int world_build(const char *world_dir, const char *root, const char *upwiz_exe, struct world *w, char **cause);
/* Runs the teardown commands (60 s each at most), kills any process still recorded in a
 * ROOT/.../pid/NAME.pid file (any depth) whose command line mentions ROOT, stops mariadbd, and (unless keep)
 * removes ROOT. Frees *w. Safe on a zeroed struct. */
void world_teardown(struct world *w, int keep);
/* The value of a profile variable the world answers; borrowed, NULL when it answers none. */
const char *world_var(const struct world *w, const char *name);
/* Addition: the value of a world value (ROOT, SOCKET, EUREKA_PORT, ...); borrowed or NULL. */
const char *world_value(const struct world *w, const char *name);
/*
 * Addition: "${NAME}" substitution with the world's values and vars, as world_build does for
 * templates (unknown names are left as written, "$${" gives "${"). Caller frees.
 */
char *world_expand(const struct world *w, const char *text);

#endif
